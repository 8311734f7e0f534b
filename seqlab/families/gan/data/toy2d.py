"""Two-dimensional distributions a GAN learns to imitate, and the mode-collapse number.

==========  ================================================================  =============
name        what                                                              labels
==========  ================================================================  =============
ring        8 Gaussians evenly spaced on a circle of radius 2 (std 0.05)      mode index
grid        25 Gaussians on a 5x5 grid 2 apart, centred on 0 (std 0.05)       mode index
spiral      a noisy spiral of 1.5 turns (a 2-D Swiss roll)                    all 0
moons       two interleaving half circles                                     moon 0 or 1
drawn       points along strokes the user drew with the mouse, plus jitter    stroke index
==========  ================================================================  =============

Every sampler returns ``Toy2D(samples float32 [n, 2], labels int64 [n], centres, std)``;
``centres`` (float32 [k, 2]) and ``std`` are set for the Gaussian mixtures (ring, grid)
and None otherwise. The labels are what a conditional GAN conditions on. Same seed,
identical arrays. Numpy only.

``mode_coverage`` counts the modes a generator's samples reach and the share of samples
that land far from every mode: a collapsed GAN covers few modes, an unconverged one puts
many samples between them.
"""

from __future__ import annotations

import inspect
import math
from typing import NamedTuple

import numpy as np

from seqlab.core.errors import DataError

MAX_SAMPLES = 10_000_000


class Toy2D(NamedTuple):
    samples: np.ndarray             # float32 [n, 2]
    labels: np.ndarray              # int64 [n]
    centres: np.ndarray | None      # float32 [k, 2], mixtures only
    std: float | None               # every mode's standard deviation, mixtures only


class Coverage(NamedTuple):
    modes: int          # modes holding at least their minimum share of samples
    far_share: float    # share of samples farther than threshold_std stds from every mode


# --- mixtures -------------------------------------------------------------------------------

def ring(n: int = 1000, modes: int = 8, radius: float = 2.0, std: float = 0.05, seed: int = 0) -> Toy2D:
    """`n` samples from `modes` equally likely Gaussians evenly spaced on a circle."""
    _check_count("modes", modes, 1, 1000)
    _check_positive("radius", radius)
    angles = 2 * np.pi * np.arange(modes) / modes
    centres = radius * np.column_stack([np.cos(angles), np.sin(angles)])
    return _mixture(n, centres, std, seed)


def grid(n: int = 1000, side: int = 5, spacing: float = 2.0, std: float = 0.05, seed: int = 0) -> Toy2D:
    """`n` samples from side x side equally likely Gaussians on a square grid centred on 0."""
    _check_count("side", side, 1, 100)
    _check_positive("spacing", spacing)
    ticks = spacing * (np.arange(side) - (side - 1) / 2)
    gx, gy = np.meshgrid(ticks, ticks, indexing="xy")
    return _mixture(n, np.column_stack([gx.ravel(), gy.ravel()]), std, seed)


def _mixture(n: int, centres: np.ndarray, std: float, seed: int) -> Toy2D:
    _check_count("n", n, 1, MAX_SAMPLES)
    _check_positive("std", std)
    rng = _rng(seed)
    labels = rng.integers(len(centres), size=n)
    x = centres[labels] + rng.normal(0.0, std, (n, 2))
    return Toy2D(x.astype(np.float32), labels.astype(np.int64), centres.astype(np.float32), float(std))


# --- shapes ---------------------------------------------------------------------------------

def spiral(n: int = 1000, turns: float = 1.5, noise: float = 0.05, scale: float = 3.0, seed: int = 0) -> Toy2D:
    """`n` samples along a spiral of `turns` turns reaching radius `scale`, plus Gaussian `noise`.

    Points are spread evenly along the curve's length (not its angle), so the outer arm is
    not sparser than the inner one. The spiral starts half a turn out from the centre.
    """
    _check_count("n", n, 1, MAX_SAMPLES)
    _check_positive("turns", turns)
    _check_positive("scale", scale)
    _check_non_negative("noise", noise)
    rng = _rng(seed)
    t0, t1 = np.pi, np.pi + 2 * np.pi * turns
    # Arc length of r = t grows like t^2 / 2, so t = sqrt(uniform in t^2) is even along it.
    t = np.sqrt(rng.uniform(t0 ** 2, t1 ** 2, n))
    x = np.column_stack([t * np.cos(t), t * np.sin(t)]) * (scale / t1)
    x += rng.normal(0.0, noise, (n, 2))
    return Toy2D(x.astype(np.float32), np.zeros(n, np.int64), None, None)


def two_moons(n: int = 1000, noise: float = 0.05, seed: int = 0) -> Toy2D:
    """`n` samples from two interleaving half circles of radius 1 (labels: which moon)."""
    _check_count("n", n, 1, MAX_SAMPLES)
    _check_non_negative("noise", noise)
    rng = _rng(seed)
    labels = rng.integers(2, size=n)
    a = rng.uniform(0.0, np.pi, n)
    upper = np.column_stack([np.cos(a), np.sin(a)])
    lower = np.column_stack([1.0 - np.cos(a), 0.5 - np.sin(a)])
    x = np.where(labels[:, None] == 0, upper, lower) - np.array([0.5, 0.25])   # centred on 0
    x += rng.normal(0.0, noise, (n, 2))
    return Toy2D(x.astype(np.float32), labels.astype(np.int64), None, None)


def drawn(strokes, n: int = 1000, jitter: float = 0.05, seed: int = 0) -> Toy2D:
    """`n` samples along strokes the user drew, each point moved by Gaussian `jitter`.

    `strokes` is one stroke (a sequence of (x, y) points) or a sequence of strokes. Samples
    are spread evenly along the strokes' total length; a single-point stroke (a dot) counts
    as a line `jitter` long, so it gets a small blob. Labels are stroke indices.
    """
    _check_count("n", n, 1, MAX_SAMPLES)
    _check_non_negative("jitter", jitter)
    parts = _strokes(strokes)
    # Every stroke becomes line segments (start, direction, weight = length); a dot becomes
    # a zero-length segment weighing `jitter`.
    starts, deltas, owner, weight = [], [], [], []
    for k, pts in enumerate(parts):
        d = np.diff(pts, axis=0) if len(pts) > 1 else np.zeros((1, 2))
        starts.append(pts[:len(d)])
        deltas.append(d)
        owner.append(np.full(len(d), k, np.int64))
        weight.append(np.hypot(d[:, 0], d[:, 1]) if len(pts) > 1 else np.array([jitter]))
    a, d = np.concatenate(starts), np.concatenate(deltas)
    owner, w = np.concatenate(owner), np.concatenate(weight)
    if w.sum() <= 0:
        w = np.ones_like(w)         # every point in one place (or jitter 0 dots): weigh equally
    rng = _rng(seed)
    seg = rng.choice(len(w), size=n, p=w / w.sum())
    x = a[seg] + rng.uniform(0.0, 1.0, (n, 1)) * d[seg] + rng.normal(0.0, jitter, (n, 2))
    return Toy2D(x.astype(np.float32), owner[seg], None, None)


def _strokes(strokes) -> list[np.ndarray]:
    """The drawn strokes as float arrays [m, 2], empty ones dropped; one stroke or several."""
    try:
        arr = np.asarray(strokes, dtype=np.float64)
    except (TypeError, ValueError):
        arr = None                  # ragged: several strokes of different lengths
    if arr is None:
        try:
            parts = [np.asarray(p, dtype=np.float64) for p in strokes]
        except (TypeError, ValueError):
            raise DataError("drawn strokes must be lists of (x, y) number pairs") from None
    elif arr.ndim == 2:
        parts = [arr]
    elif arr.ndim == 3:
        parts = list(arr)
    elif arr.size == 0:
        parts = []
    else:
        raise DataError(f"drawn points must be (x, y) pairs, got an array shaped {list(arr.shape)}")
    parts = [p.reshape(-1, 2) if p.size == 0 else p for p in parts]
    for k, p in enumerate(parts):
        if p.ndim != 2 or p.shape[1] != 2:
            raise DataError(f"drawn stroke {k + 1} must be a list of (x, y) pairs, got shape {list(p.shape)}")
        if not np.all(np.isfinite(p)):
            raise DataError(f"drawn stroke {k + 1} holds a point that is not a finite number")
    parts = [p for p in parts if len(p)]
    if not parts:
        raise DataError("nothing was drawn: draw at least one point")
    return parts


# --- the mode-collapse number ---------------------------------------------------------------

def mode_coverage(samples, centres, std: float, threshold_std: float = 3.0,
                  min_share: float = 0.1) -> Coverage:
    """How many modes the samples cover, and what share of them is far from every mode.

    A sample belongs to its nearest centre when it lies within `threshold_std` standard
    deviations of it, and is *far* otherwise (non-finite samples, from a diverged generator,
    are far). A mode is *covered* when it holds at least `min_share` of the samples it
    would hold if the k modes were equally likely, i.e. at least ``min_share * n / k``
    samples and at least one: with the defaults, a tenth of its fair share (1.25% of all
    samples for the ring of 8, 0.4% for the grid of 25).

    For samples of the true mixture, about exp(-threshold_std^2 / 2) of them are far (1.1%
    at 3 standard deviations in two dimensions) and every mode is covered.
    """
    x = np.asarray(samples, dtype=np.float64)
    c = np.asarray(centres, dtype=np.float64)
    if x.ndim != 2 or x.shape[1] != 2 or len(x) == 0:
        raise DataError(f"mode_coverage needs samples shaped [n >= 1, 2], got {list(x.shape)}")
    if c.ndim != 2 or c.shape[1] != 2 or len(c) == 0 or not np.all(np.isfinite(c)):
        raise DataError(f"mode_coverage needs finite centres shaped [k >= 1, 2], got {list(c.shape)}")
    _check_positive("std", std)
    _check_positive("threshold_std", threshold_std)
    if isinstance(min_share, bool) or not isinstance(min_share, (int, float)) or not 0 <= min_share <= 1:
        raise DataError(f"min_share must be a number from 0 to 1, got {min_share!r}")
    n, k = len(x), len(c)
    finite = np.all(np.isfinite(x), axis=1)
    counts = np.zeros(k, np.int64)
    near_total = 0
    xf = x[finite]
    for lo in range(0, len(xf), 65536):           # bounded memory for large n
        chunk = xf[lo:lo + 65536]
        d2 = ((chunk[:, None, :] - c[None]) ** 2).sum(axis=2)
        nearest = d2.argmin(axis=1)
        near = d2[np.arange(len(chunk)), nearest] <= (threshold_std * std) ** 2
        counts += np.bincount(nearest[near], minlength=k)
        near_total += int(near.sum())
    needed = max(1.0, min_share * n / k)
    return Coverage(int((counts >= needed).sum()), 1.0 - near_total / n)


# --- argument checks ------------------------------------------------------------------------

def _rng(seed) -> np.random.Generator:
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise DataError(f"seed must be a whole number >= 0, got {seed!r}")
    return np.random.default_rng([int(seed), 0x2D])


def _check_count(name: str, v, lo: int, hi: int) -> None:
    if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or not lo <= v <= hi:
        raise DataError(f"{name} must be a whole number from {lo} to {hi:,}, got {v!r}")


def _check_positive(name: str, v) -> None:
    if isinstance(v, bool) or not isinstance(v, (int, float, np.integer, np.floating)) \
            or not math.isfinite(v) or v <= 0:
        raise DataError(f"{name} must be a number > 0, got {v!r}")


def _check_non_negative(name: str, v) -> None:
    if isinstance(v, bool) or not isinstance(v, (int, float, np.integer, np.floating)) \
            or not math.isfinite(v) or v < 0:
        raise DataError(f"{name} must be a number >= 0, got {v!r}")


SAMPLERS = {"ring": ring, "grid": grid, "spiral": spiral, "moons": two_moons}


def sample(name: str, n: int = 1000, seed: int = 0, **options) -> Toy2D:
    """`n` samples of the named distribution ('ring', 'grid', 'spiral' or 'moons')."""
    if name not in SAMPLERS:
        raise DataError(f"2-D distribution must be one of {', '.join(map(repr, SAMPLERS))} "
                        f"(or drawn points), got {name!r}")
    allowed = set(inspect.signature(SAMPLERS[name]).parameters) - {"n", "seed"}
    unknown = sorted(set(options) - allowed)
    if unknown:
        raise DataError(f"{name!r} has no option {unknown[0]!r}; its options are {', '.join(sorted(allowed))}")
    return SAMPLERS[name](n=n, seed=seed, **options)
