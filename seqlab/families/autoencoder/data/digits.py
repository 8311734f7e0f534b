"""Handwritten digit images for autoencoders, shipped in ``seqlab/resources/digits``.

Two sets, both real handwriting (sources and licences in the ``*.SOURCE.md`` files beside
them):

=======  ======  =====  ==============================================================
kind     images  size   what
=======  ======  =====  ==============================================================
8x8      1,797   8x8    UCI optical digits, 17 grey levels (CC BY 4.0)
28x28    5,000   28x28  MNIST, the first 500 training images of each digit (CC BY-SA 3.0)
=======  ======  =====  ==============================================================

``load_digits`` scales pixels to [0, 1] and splits each digit's images at random (seeded),
so every split holds the digits in the proportions of the whole set. ``corrupt`` makes the
noisy inputs of a denoising autoencoder.

Numpy only: no torch, no Qt, no scikit-learn at run time.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import NamedTuple

import numpy as np

from seqlab.core.errors import DataError
from seqlab.core.resources import resource_dirs
from seqlab.families.recurrent.data.base import part_sizes

KINDS = {
    # kind: (file, image side, largest pixel value)
    "8x8": ("digits8x8.npz", 8, 16),
    "28x28": ("mnist5k.npz", 28, 255),
}
SPLITS = ("train", "val", "test")
CLASS_NAMES = [str(d) for d in range(10)]
CORRUPTIONS = ("gaussian", "salt_pepper", "mask")


class Digits(NamedTuple):
    images: np.ndarray       # float32 [n, H, W], 0 (background) to 1 (ink)
    labels: np.ndarray       # int64 [n], the digit
    class_names: list[str]   # "0" ... "9"; class_names[label] names an image's digit


# --- the shipped files ----------------------------------------------------------------------

def digit_dirs() -> list[Path]:
    """Folders searched for the digit files: ``digits`` beside each folder of shipped data."""
    # The sunspots finder already knows where resources live (installed package, source
    # checkout, frozen bundle); the digits sit in a sibling folder of its data folder.
    return resource_dirs("digits")


def digits_file(kind: str) -> Path:
    """The shipped file of digit set `kind` ("8x8" or "28x28")."""
    name = KINDS[_checked_kind(kind)][0]
    for d in digit_dirs():
        if (d / name).is_file():
            return d / name
    raise DataError(f"the shipped digit file {name} is missing (looked in "
                    + ", ".join(str(d) for d in digit_dirs()) + "); reinstall SeqLab")


@functools.lru_cache(maxsize=len(KINDS))
def _raw(kind: str) -> tuple[np.ndarray, np.ndarray]:
    """uint8 images [n, side, side] and labels [n] of a shipped set, read once, read-only."""
    path = digits_file(kind)
    _, side, top = KINDS[kind]
    try:
        with np.load(path, allow_pickle=False) as z:
            images, labels = z["images"], z["labels"]
    except (OSError, ValueError, KeyError) as e:
        raise DataError(f"{path}: the shipped digit file is damaged ({e}); reinstall SeqLab",
                        path=str(path)) from None
    ok = (images.dtype == np.uint8 and images.ndim == 3 and images.shape[1:] == (side, side)
          and labels.shape == (len(images),) and len(images) > 0
          and int(images.max()) <= top and int(labels.max()) <= 9)
    if not ok:
        raise DataError(f"{path}: the shipped digit file is damaged (unexpected arrays "
                        f"{images.dtype}{list(images.shape)}, {labels.dtype}{list(labels.shape)}); "
                        "reinstall SeqLab", path=str(path))
    images.setflags(write=False)
    labels = labels.astype(np.int64)
    labels.setflags(write=False)
    return images, labels


# --- loading and splitting ------------------------------------------------------------------

def load_digits(kind: str = "8x8", split: str = "train", seed: int = 0,
                val_fraction: float = 0.15, test_fraction: float = 0.15) -> Digits:
    """One split of a shipped digit set: images float32 [n, H, W] in [0, 1], labels int64 [n].

    The split is stratified: each digit's images are shuffled with `seed` and cut into
    test, validation and training parts of the given fractions (rounded half up per digit),
    so the three splits never share an image and hold every digit in the same proportions.
    The images of a split come in a seeded shuffled order. Same arguments, identical arrays.
    A split whose fraction is 0 is empty (shape [0, H, W]).
    """
    kind = _checked_kind(kind)
    if split not in SPLITS:
        raise DataError(f"split must be one of {', '.join(map(repr, SPLITS))}, got {split!r}")
    seed = _checked_seed(seed)
    _checked_fractions(val_fraction, test_fraction)
    images, labels = _raw(kind)
    index = _stratified_split(labels, seed, val_fraction, test_fraction)[SPLITS.index(split)]
    top = KINDS[kind][2]
    x = images[index].astype(np.float32) / np.float32(top)
    return Digits(np.ascontiguousarray(x), labels[index].copy(), list(CLASS_NAMES))


def _stratified_split(labels: np.ndarray, seed: int, val_fraction: float,
                      test_fraction: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng([seed, 0xD161])
    parts: tuple[list, list, list] = ([], [], [])
    for digit in range(10):
        members = rng.permutation(np.flatnonzero(labels == digit))
        n_train, n_val, _ = part_sizes(len(members), val_fraction, test_fraction)
        parts[0].append(members[:n_train])
        parts[1].append(members[n_train:n_train + n_val])
        parts[2].append(members[n_train + n_val:])
    # Shuffle each split as a whole so its images do not come sorted by digit.
    return tuple(rng.permutation(np.concatenate(p)) for p in parts)


def _checked_kind(kind: str) -> str:
    if kind not in KINDS:
        raise DataError(f"digit kind must be one of {', '.join(map(repr, KINDS))}, got {kind!r}")
    return kind


def _checked_seed(seed) -> int:
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise DataError(f"seed must be a whole number >= 0, got {seed!r}")
    return int(seed)


def _checked_fractions(val_fraction: float, test_fraction: float) -> None:
    for name, f in (("val_fraction", val_fraction), ("test_fraction", test_fraction)):
        if isinstance(f, bool) or not isinstance(f, (int, float)) or not 0 <= f < 1:
            raise DataError(f"{name} must be a number from 0 up to (not including) 1, got {f!r}")
    if val_fraction + test_fraction > 0.9:
        raise DataError(f"val_fraction + test_fraction is {val_fraction + test_fraction:g}; keep it "
                        "at most 0.9 so training keeps at least a tenth of the images")


# --- corruption for denoising autoencoders --------------------------------------------------

def corrupt(x: np.ndarray, kind: str = "gaussian", level: float = 0.3,
            rng: np.random.Generator | int | None = None, *,
            clip: tuple[float, float] | None = None,
            values: tuple[float, float] = (0.0, 1.0)) -> np.ndarray:
    """A corrupted float32 copy of `x` (any shape), the input of a denoising autoencoder.

    - ``gaussian``: adds noise of standard deviation `level` to every value.
    - ``salt_pepper``: sets a share `level` of the values to ``values[0]`` (pepper) or
      ``values[1]`` (salt), half each on average.
    - ``mask``: sets a share `level` of the values to 0 (masking noise, as dropout does,
      without rescaling the rest).

    `rng` is a numpy Generator, or a seed for a fresh one. `clip` (low, high) clips the
    result, e.g. (0, 1) to keep images in their range. `x` itself is never changed.
    """
    if kind not in CORRUPTIONS:
        raise DataError(f"corruption kind must be one of {', '.join(map(repr, CORRUPTIONS))}, "
                        f"got {kind!r}")
    if isinstance(level, bool) or not isinstance(level, (int, float, np.floating)) or not np.isfinite(level):
        raise DataError(f"corruption level must be a number, got {level!r}")
    if kind == "gaussian" and level < 0:
        raise DataError(f"gaussian corruption level is a standard deviation, >= 0; got {level!r}")
    if kind != "gaussian" and not 0 <= level <= 1:
        raise DataError(f"{kind} corruption level is the share of values changed, 0 to 1; got {level!r}")
    if not isinstance(rng, np.random.Generator):
        rng = np.random.default_rng(rng)
    try:
        out = np.array(x, dtype=np.float32, copy=True)
    except (TypeError, ValueError):
        raise DataError("corrupt needs an array of numbers (images or windows), got "
                        f"{type(x).__name__}") from None
    if kind == "gaussian":
        out += rng.normal(0.0, level, out.shape).astype(np.float32)
    elif kind == "salt_pepper":
        hit = rng.random(out.shape) < level
        salt = rng.random(out.shape) < 0.5
        out[hit & ~salt] = values[0]
        out[hit & salt] = values[1]
    else:
        out[rng.random(out.shape) < level] = 0.0
    if clip is not None:
        np.clip(out, clip[0], clip[1], out=out)
    return out
