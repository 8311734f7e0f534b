"""The data a GAN run trains on, from its ``data`` section: 2-D points or digit images.

Images are flattened and scaled to [-1, 1] (the generator ends in tanh); 2-D points are
kept as they are. A held-out set of real samples (another seed, or the validation split of
the digits) is what the generated samples are compared with. Numpy only.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import toy2d

VAL_SAMPLES = 1000


@dataclass
class GanData:
    name: str
    kind: str                        # 'plane' (2-D points) or 'image'
    x_train: np.ndarray              # float32 [n, dim]
    y_train: np.ndarray              # int64 [n]: the class a conditional GAN is given
    x_val: np.ndarray                # held-out real samples, float32 [m, dim]
    n_classes: int
    class_names: list[str]
    side: int = 0                    # image side (images only)
    centres: np.ndarray | None = None   # mixture modes (ring8, grid25)
    std: float | None = None
    description: str = ""

    @property
    def dim(self) -> int:
        return int(self.x_train.shape[1])

    def bounds(self) -> tuple[float, float, float, float]:
        """A square around the 2-D training points with a margin: the heatmap's plane."""
        lo, hi = self.x_train.min(axis=0), self.x_train.max(axis=0)
        c = (lo + hi) / 2
        half = float(max(hi - lo) / 2 * 1.35 + 0.3)
        return float(c[0] - half), float(c[0] + half), float(c[1] - half), float(c[1] + half)


def build_gan_data(d) -> GanData:
    """The data of a ``DataSpec`` (``seqlab.families.gan.spec``)."""
    if d.name.startswith("digits"):
        return _digits(d)
    n, seed = d.samples, d.seed
    if d.name == "ring8":
        tr, va = toy2d.ring(n, seed=seed), toy2d.ring(VAL_SAMPLES, seed=seed + 1)
        names, about = [f"mode {i + 1}" for i in range(8)], "8 Gaussians on a circle of radius 2"
    elif d.name == "grid25":
        tr, va = toy2d.grid(n, seed=seed), toy2d.grid(VAL_SAMPLES, seed=seed + 1)
        names, about = [f"mode {i + 1}" for i in range(25)], "25 Gaussians on a 5x5 grid"
    elif d.name == "spiral":
        tr = toy2d.spiral(n, noise=d.noise, seed=seed)
        va = toy2d.spiral(VAL_SAMPLES, noise=d.noise, seed=seed + 1)
        names, about = ["spiral"], "a noisy spiral of 1.5 turns"
    elif d.name == "moons":
        tr = toy2d.two_moons(n, noise=d.noise, seed=seed)
        va = toy2d.two_moons(VAL_SAMPLES, noise=d.noise, seed=seed + 1)
        names, about = ["upper moon", "lower moon"], "two interleaving half circles"
    else:
        tr = toy2d.drawn(d.points, n, jitter=d.noise, seed=seed)
        va = toy2d.drawn(d.points, VAL_SAMPLES, jitter=d.noise, seed=seed + 1)
        k = len([s for s in d.points if s])
        names, about = [f"stroke {i + 1}" for i in range(k)], f"{k} stroke(s) drawn with the mouse"
    return GanData(d.name, "plane", tr.samples, tr.labels, va.samples, len(names), names,
                   centres=tr.centres, std=tr.std, description=f"{about}; {n} points")


def _digits(d) -> GanData:
    from seqlab.families.autoencoder.data.digits import load_digits

    kind = "8x8" if d.name == "digits8x8" else "28x28"
    tr = load_digits(kind, "train", seed=d.seed)
    va = load_digits(kind, "val", seed=d.seed)
    side = tr.images.shape[1]
    flat = lambda im: np.ascontiguousarray(im.reshape(len(im), -1) * 2.0 - 1.0, dtype=np.float32)  # noqa: E731
    return GanData(d.name, "image", flat(tr.images), tr.labels.astype(np.int64), flat(va.images), 10,
                   list(tr.class_names), side=side,
                   description=f"handwritten digits {side}x{side}; {len(tr.images)} training images")


__all__ = ["GanData", "build_gan_data", "VAL_SAMPLES"]
