"""The adding problem (Hochreiter & Schmidhuber, 1997), a classic test of long memory.

Each step has two inputs: a value drawn from U(0, 1) and a marker, 0 or 1. Exactly two
steps are marked, one in the first half of the sequence and one in the second; the target,
read after the last step (many-to-one regression), is the sum of the two marked values.

Inputs and target are left in their own units (not normalised): values already lie in
[0, 1], the marker is a flag, and the classic yardstick stays meaningful. The sum of two
U(0, 1) values has mean 1 and variance 1/12 + 1/12 = 1/6, so always predicting 1 scores an
MSE of about 0.167; only a network that remembers the marked values gets below it.
"""

from __future__ import annotations

import numpy as np

from .base import (DataError, Preview, SequenceData, check_size, draw_chunked, draw_first, f32,
                   random_split, regression_baseline)

TASKS = ("many-to-one",)
FEATURES = ["value", "marker"]


def _draw(T: int):
    half = T // 2

    def draw(rng: np.random.Generator, count: int) -> dict:
        return {"values": rng.uniform(0.0, 1.0, (count, T)),
                "first": rng.integers(0, half, count),
                "second": rng.integers(half, T, count)}
    return draw


def _make(p: dict) -> tuple[np.ndarray, np.ndarray]:
    v = p["values"]
    rows = np.arange(len(v))
    marker = np.zeros_like(v)
    marker[rows, p["first"]] = 1.0
    marker[rows, p["second"]] = 1.0
    x = np.stack([v, marker], axis=2)
    y = v[rows, p["first"]] + v[rows, p["second"]]
    return x, y


def _check_len(T: int) -> None:
    if T < 2:
        raise DataError(f"data 'adding' needs data.seq_len of at least 2 (one marked step in each "
                        f"half of the sequence), got {T}")


def build(spec, task: str) -> SequenceData:
    T, n = spec.seq_len, spec.samples
    _check_len(T)
    check_size("adding", n * (2 * T + 1), "lower data.samples or data.seq_len")
    x, y = _make(draw_chunked(spec.seed, n, _draw(T)))
    x, y = f32(x), f32(y[:, None])
    train, val, test = random_split(n, spec, "adding")
    baseline = regression_baseline(y[train], y[val])
    return SequenceData(
        name="adding", task=task, kind="regression",
        x_train=x[train], y_train=y[train], x_val=x[val], y_val=y[val], x_test=x[test], y_test=y[test],
        input_size=2, output_size=1, out_len=1, n_classes=None, class_names=None,
        target_mean=np.zeros(1, np.float32), target_std=np.ones(1, np.float32),
        baseline_loss=baseline, chance_accuracy=None,
        description=(f"The adding problem: {T} steps each show a random number in [0, 1] and a marker; "
                     f"two steps are marked, one in each half, and after the last step the network must "
                     f"output the sum of the two marked numbers. Always guessing the average sum scores an "
                     f"MSE of about 0.167 (here {baseline:.3f}); well below that means it has learned to "
                     f"remember across the sequence."),
        feature_names=list(FEATURES),
    )


def preview(spec, n: int) -> Preview:
    _check_len(spec.seq_len)
    x, y = _make(draw_first(spec.seed, n, _draw(spec.seq_len)))
    return Preview(name="adding", description="Random values with two marked steps; the target is "
                   "the sum of the marked values.", x=f32(x), feature_names=list(FEATURES),
                   targets=f32(y), target_name="sum of the marked values")
