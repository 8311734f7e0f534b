"""What every data set returns, its error type, and the preparation steps they share.

Numpy only: the window imports this before torch has loaded, and it never touches Qt.
The preparation follows the course: split first (a random seeded split for generated
i.i.d. sequences, a chronological one for real series), then normalise with statistics of
the training split only, applied unchanged to validation and test.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields, replace
from typing import Callable

import numpy as np

from seqlab.core.errors import DataError

from ..spec import DataSpec, SpecError, TASKS, validated

# Generated sets draw their samples in chunks of this many, each chunk from its own seeded
# stream. Sample i is then the same whatever data.samples is, and a preview only has to
# draw the first chunk.
CHUNK = 256

# The most numbers (inputs plus targets, all splits) one data set may hold: 100 million
# float32 values is 400 MB. Beyond that the lab would swap or die instead of training.
MAX_VALUES = 100_000_000


@dataclass
class SequenceData:
    """A prepared data set: normalised, windowed and split, ready for the engine to batch.

    X is float32 ``[N, T, F]`` (one-to-many: ``[N, 1, F]``). Regression Y is float32
    ``[N, out_len, O]`` for many-to-many / one-to-many and ``[N, O]`` for many-to-one /
    one-to-one; classification Y is int64 ``[N]``.
    """

    name: str
    task: str
    kind: str                       # 'regression' or 'classification'
    x_train: np.ndarray
    y_train: np.ndarray
    x_val: np.ndarray
    y_val: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    input_size: int
    output_size: int                # n_classes for classification
    out_len: int                    # steps the model outputs (T for many-to-many / one-to-many)
    n_classes: int | None
    class_names: list[str] | None
    target_mean: np.ndarray         # [output_size]: y_raw = y * target_std + target_mean
    target_std: np.ndarray
    baseline_loss: float            # loss of a trivial predictor on validation
    chance_accuracy: float | None
    description: str
    series: np.ndarray | None = None            # a whole normalised series, for plots
    split_index: tuple[int, int] | None = None  # where train ends / val ends in `series`
    feature_names: list[str] | None = None      # one name per input feature, for legends

    def denormalise(self, y: np.ndarray) -> np.ndarray:
        """Targets or predictions back in the data's own units (regression)."""
        return np.asarray(y) * self.target_std + self.target_mean


@dataclass
class Preview:
    """A few raw (unnormalised) samples for the Data panel's preview plot."""

    name: str
    description: str
    x: np.ndarray                   # [n, T', F] float32 raw sequences as generated / windowed
    feature_names: list[str]
    targets: np.ndarray | None = None        # [n]: one number per sample (adding sum, memory label)
    target_name: str | None = None
    class_names: list[str] | None = None
    series: np.ndarray | None = None         # real series: the whole raw series [L]
    split_index: tuple[int, int] | None = None


# --- checks --------------------------------------------------------------------------------

def checked_spec(spec: DataSpec) -> DataSpec:
    """The spec with every field checked (it may have been built in code, not from JSON)."""
    if not isinstance(spec, DataSpec):
        raise DataError(f"expected a DataSpec, got {type(spec).__name__}")
    try:
        values = {f.name: validated("data", f.name, getattr(spec, f.name)) for f in fields(DataSpec)}
    except SpecError as e:
        raise DataError(str(e)) from None
    if values["val_fraction"] + values["test_fraction"] >= 0.9:
        raise DataError("data.val_fraction + data.test_fraction must leave at least 10% for training")
    return replace(spec, **values)


def checked_task(task: str) -> str:
    if not isinstance(task, str) or task.lower() not in TASKS:
        raise DataError("model.task must be one of " + ", ".join(repr(t) for t in TASKS) + f", got {task!r}")
    return task.lower()


def unsupported(name: str, supported: tuple[str, ...], task: str) -> DataError:
    if len(supported) == 1:
        allowed = repr(supported[0])
    else:
        allowed = ", ".join(repr(t) for t in supported[:-1]) + f" or {supported[-1]!r}"
    return DataError(f"data {name!r} supports only model.task {allowed}, got {task!r}")


def check_size(name: str, n_values: int, hint: str) -> None:
    if n_values > MAX_VALUES:
        raise DataError(
            f"data {name!r} would hold {n_values:,} numbers, more than the {MAX_VALUES:,} "
            f"(400 MB) the lab keeps in memory; {hint}"
        )


# --- seeded generation ---------------------------------------------------------------------

def chunk_rng(seed: int, chunk: int) -> np.random.Generator:
    return np.random.default_rng([seed, 0, chunk])


def split_rng(seed: int) -> np.random.Generator:
    return np.random.default_rng([seed, 1])


def draw_chunked(seed: int, count: int, draw: Callable[[np.random.Generator, int], dict]) -> dict:
    """Draw `count` samples' random parts, CHUNK at a time, each chunk from its own stream.

    ``draw(rng, CHUNK)`` returns a dict of arrays whose first axis is the sample.
    """
    parts = [draw(chunk_rng(seed, c), CHUNK) for c in range(math.ceil(count / CHUNK))]
    return {k: np.concatenate([p[k] for p in parts])[:count] for k in parts[0]}


def draw_first(seed: int, count: int, draw: Callable[[np.random.Generator, int], dict]) -> dict:
    """The first `count` (<= CHUNK) samples of `draw_chunked`, drawing one chunk only."""
    part = draw(chunk_rng(seed, 0), CHUNK)
    return {k: v[:count] for k, v in part.items()}


def part_sizes(n: int, val_fraction: float, test_fraction: float) -> tuple[int, int, int]:
    """(train, val, test) counts; fractions round half up so the sizes are predictable."""
    n_val = int(math.floor(n * val_fraction + 0.5))
    n_test = int(math.floor(n * test_fraction + 0.5))
    return n - n_val - n_test, n_val, n_test


def random_split(n: int, spec: DataSpec, name: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Seeded random indices of the train / val / test samples (each part in sample order)."""
    n_train, n_val, n_test = part_sizes(n, spec.val_fraction, spec.test_fraction)
    if n_train < 1:
        raise DataError(f"data {name!r}: {n} samples leave none for training; raise data.samples "
                        "or lower data.val_fraction / data.test_fraction")
    perm = split_rng(spec.seed).permutation(n)
    test, val, train = perm[:n_test], perm[n_test:n_test + n_val], perm[n_test + n_val:]
    return np.sort(train), np.sort(val), np.sort(test)


# --- normalisation and baselines ------------------------------------------------------------

def mean_std(a: np.ndarray, axis=None) -> tuple[np.ndarray, np.ndarray]:
    """Mean and standard deviation; a constant gets std 1 so normalising never divides by 0."""
    a = np.asarray(a, dtype=np.float64)
    mean = a.mean(axis=axis)
    std = a.std(axis=axis)
    std = np.where(std > 1e-12 * np.maximum(1.0, np.abs(mean)), std, 1.0)
    return mean, std


def regression_baseline(y_train: np.ndarray, y_val: np.ndarray) -> float:
    """MSE of always predicting the training mean, on validation (training if val is empty)."""
    o = y_train.shape[-1]
    m = y_train.reshape(-1, o).astype(np.float64).mean(axis=0)
    ref = y_val if len(y_val) else y_train
    return float(np.mean((ref.reshape(-1, o).astype(np.float64) - m) ** 2))


def f32(a: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(a, dtype=np.float32)
