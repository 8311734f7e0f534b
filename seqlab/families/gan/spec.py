"""The GAN family's ``data`` and ``model`` sections, with messages that name the field.

The generator (G) and the discriminator (D) are lists of layers, each ``{"size": ...,
"activation": ...}``, edited layer by layer in the Model panel; a bad one is reported with
its path (``model.generator[1].size must be ...``). The GAN's own optimiser settings (two
learning rates, Adam's beta1, D steps per G step, train mode) live in the model section:
the train section's ``lr`` and ``optimizer`` are for single-network families.

No torch here: the window parses specs before torch has loaded.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from seqlab.core.errors import SpecError
from seqlab.core.fields import boolean, choice, float_in, int_in, layer_list, spec_field

PLANE_SETS = ("ring8", "grid25", "spiral", "moons", "drawn")
IMAGE_SETS = ("digits8x8", "digits28")
DATASETS = PLANE_SETS + IMAGE_SETS
IMAGE_SIDE = {"digits8x8": 8, "digits28": 28}
#: sets whose samples come from a known mixture, so mode coverage can be counted
MIXTURES = ("ring8", "grid25")
ACTIVATIONS = ("relu", "leaky_relu", "tanh", "sigmoid", "elu", "linear")
LOSSES = ("minimax", "non-saturating")
OPTIMIZERS = ("adam", "sgd", "momentum", "rmsprop")
TRAIN_MODES = ("both", "d_only", "g_only")
MAX_LAYERS = 8
MAX_POINTS = 5000          # drawn points, all strokes together
COORD_LIMIT = 100.0


def layer(size: int, activation: str) -> dict[str, Any]:
    return {"size": size, "activation": activation}


def layers_field(lo: int, hi: int):
    """Checker of a list of layers ``[{"size": int, "activation": str}, ...]``."""
    return layer_list(ACTIVATIONS, lo=lo, hi=hi, max_layers=MAX_LAYERS)


def _points(path: str, v: Any):
    """Drawn strokes: a list of strokes, each a list of [x, y] pairs."""
    if not isinstance(v, list):
        raise SpecError(f"{path} must be a list of strokes, each a list of [x, y] points, got {v!r}", path=path)
    total = 0
    out = []
    for i, stroke in enumerate(v):
        if not isinstance(stroke, list):
            raise SpecError(f"{path}[{i}] must be a list of [x, y] points, got {stroke!r}", path=f"{path}[{i}]")
        pts = []
        for j, pt in enumerate(stroke):
            p = f"{path}[{i}][{j}]"
            if (not isinstance(pt, (list, tuple)) or len(pt) != 2
                    or not all(isinstance(c, (int, float)) and not isinstance(c, bool) for c in pt)):
                raise SpecError(f"{p} must be a point [x, y] of two numbers, got {pt!r}", path=p)
            if not all(math.isfinite(c) and abs(c) <= COORD_LIMIT for c in pt):
                raise SpecError(f"{p} must be finite numbers from -{COORD_LIMIT:g} to {COORD_LIMIT:g}, got {pt!r}",
                                path=p)
            pts.append([float(pt[0]), float(pt[1])])
        total += len(pts)
        out.append(pts)
    if total > MAX_POINTS:
        raise SpecError(f"{path} holds {total} points; at most {MAX_POINTS} can be drawn", path=path)
    return out


_points.doc = "list of strokes, each a list of [x, y] points"
_f = spec_field


@dataclass
class DataSpec:
    name: str = _f("ring8", choice(*DATASETS), "the distribution to imitate: 2-D points or digit images")
    samples: int = _f(2000, int_in(100, 100_000), "training points drawn from a 2-D distribution")
    noise: float = _f(0.05, float_in(0.0, 1.0), "noise of the spiral, moons and drawn points")
    points: list = field(default_factory=list, metadata={
        "check": _points, "help": "the strokes drawn with the mouse (for 'drawn')"})
    seed: int = _f(0, int_in(0, 2**31 - 1), "seed of the data")


@dataclass
class ModelSpec:
    kind: str = _f("mlp", choice("mlp", "dcgan"), "mlp: fully connected G and D; dcgan: convolutional, for images")
    conditional: bool = _f(False, boolean, "G and D are also given the class label (a conditional GAN)")
    noise_dim: int = _f(8, int_in(1, 512), "size of the noise vector z the generator reads")
    generator: list = field(default_factory=lambda: [layer(128, "relu"), layer(128, "relu")], metadata={
        "check": layers_field(1, 2048), "help": "hidden layers of G (units; channels for a DCGAN, coarse to fine)"})
    discriminator: list = field(default_factory=lambda: [layer(128, "leaky_relu"), layer(128, "leaky_relu")],
                                metadata={"check": layers_field(1, 2048),
                                          "help": "hidden layers of D (units; channels for a DCGAN)"})
    batch_norm: bool = _f(False, boolean, "batch normalisation after G's hidden layers (a DCGAN always has it)")
    loss: str = _f("non-saturating", choice(*LOSSES),
                   "G's loss: minimax, mean log(1 - D(G(z))), or non-saturating, -mean log D(G(z))")
    optimizer: str = _f("adam", choice(*OPTIMIZERS), "optimiser of both networks")
    lr_g: float = _f(0.002, float_in(0.0, 1.0, lo_open=True), "learning rate of the generator")
    lr_d: float = _f(0.002, float_in(0.0, 1.0, lo_open=True), "learning rate of the discriminator")
    beta1: float = _f(0.5, float_in(0.0, 0.999), "Adam's beta1 (0.5 as in the DCGAN paper)")
    d_steps: int = _f(1, int_in(1, 20), "discriminator updates per generator update")
    train_mode: str = _f("both", choice(*TRAIN_MODES), "which network learns: both, D only or G only")


def check(spec: Any) -> None:
    """Rules across fields of the GAN's sections."""
    d, m = spec.data, spec.model
    if d.name == "drawn" and not any(d.points):
        raise SpecError("data.points is empty: draw some points on the canvas of the Data panel "
                        "(or choose another data set)", path="data.points")
    if m.kind == "dcgan":
        if d.name not in IMAGE_SETS:
            raise SpecError(f"model.kind 'dcgan' is convolutional and needs images; data.name is {d.name!r} "
                            "(choose digits8x8 or digits28, or kind 'mlp')", path="model.kind")
        side = IMAGE_SIDE[d.name]
        g = len(m.generator)
        if side % (2 ** g):
            raise SpecError(f"model.generator has {g} layers: a DCGAN doubles the image size with each, so "
                            f"the {side}x{side} images need a side divisible by {2 ** g}; use at most "
                            f"{_max_doublings(side)}", path="model.generator")
        if side < 2 ** len(m.discriminator):
            raise SpecError(f"model.discriminator has {len(m.discriminator)} layers: each halves the image, and "
                            f"{side}x{side} images allow at most {int(math.log2(side))}", path="model.discriminator")
    if m.conditional and d.name == "spiral":
        raise SpecError("model.conditional needs classes to condition on, and the spiral has none "
                        "(ring8, grid25, moons, drawn strokes and digits do)", path="model.conditional")


def _max_doublings(side: int) -> int:
    k = 0
    while side % (2 ** (k + 1)) == 0:
        k += 1
    return k


__all__ = ["DataSpec", "ModelSpec", "check", "DATASETS", "PLANE_SETS", "IMAGE_SETS", "MIXTURES",
           "ACTIVATIONS", "LOSSES", "OPTIMIZERS", "TRAIN_MODES", "IMAGE_SIDE", "layer"]
