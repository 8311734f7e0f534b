"""The memory task: name the symbol shown at the first step after ``lag`` steps of distractors.

A sequence has T = lag + 2 steps (``data.seq_len`` is not used): step 0 shows one of
``n_symbols`` symbols, steps 1..lag show distractor symbols, and the last step shows a
"recall now" marker. Every step is one-hot over n_symbols + N_DISTRACTORS + 1 channels.
Distractors come from their own alphabet: drawn from the symbols themselves they would
overwrite what must be remembered, which makes the task much harder for an LSTM than the
lesson intends. Many-to-one classification; guessing scores 1 / n_symbols.
"""

from __future__ import annotations

import math

import numpy as np

from .base import Preview, SequenceData, check_size, draw_chunked, draw_first, random_split

TASKS = ("many-to-one",)
N_DISTRACTORS = 4


def symbol_names(n: int) -> list[str]:
    return [chr(ord("A") + i) for i in range(n)] if n <= 26 else [f"S{i + 1}" for i in range(n)]


def feature_names(n_symbols: int) -> list[str]:
    return ([f"symbol {s}" for s in symbol_names(n_symbols)]
            + [f"distractor {i + 1}" for i in range(N_DISTRACTORS)] + ["recall"])


def _draw(n_symbols: int, lag: int):
    def draw(rng: np.random.Generator, count: int) -> dict:
        return {"symbol": rng.integers(0, n_symbols, count),
                "distractors": rng.integers(0, N_DISTRACTORS, (count, lag)).astype(np.int8)}
    return draw


def _one_hot(p: dict, n_symbols: int, lag: int) -> np.ndarray:
    n = len(p["symbol"])
    T, F = lag + 2, n_symbols + N_DISTRACTORS + 1
    x = np.zeros((n, T, F), np.float32)
    rows = np.arange(n)
    x[rows, 0, p["symbol"]] = 1.0
    x[rows[:, None], np.arange(1, lag + 1)[None, :], n_symbols + p["distractors"]] = 1.0
    x[:, T - 1, F - 1] = 1.0
    return x


def build(spec, task: str) -> SequenceData:
    n, k, lag = spec.samples, spec.n_symbols, spec.lag
    F = k + N_DISTRACTORS + 1
    check_size("memory", n * (lag + 2) * F, "lower data.samples or data.lag")
    p = draw_chunked(spec.seed, n, _draw(k, lag))
    x = _one_hot(p, k, lag)
    y = p["symbol"].astype(np.int64)
    train, val, test = random_split(n, spec, "memory")
    names = symbol_names(k)
    return SequenceData(
        name="memory", task=task, kind="classification",
        x_train=x[train], y_train=y[train], x_val=x[val], y_val=y[val], x_test=x[test], y_test=y[test],
        input_size=F, output_size=k, out_len=1, n_classes=k, class_names=names,
        target_mean=np.zeros(k, np.float32), target_std=np.ones(k, np.float32),
        baseline_loss=math.log(k), chance_accuracy=1.0 / k,
        description=(f"Remember the symbol (one of {k}: {', '.join(names[:6])}{', ...' if k > 6 else ''}) "
                     f"shown at the first step, ignore {lag} steps of distractors, and name it when the "
                     f"recall marker appears at step {lag + 1}. Each sequence has lag + 2 = {lag + 2} steps "
                     f"(data.seq_len is not used); guessing scores {100 / k:.0f}% accuracy and a loss of "
                     f"{math.log(k):.3f}."),
        feature_names=feature_names(k),
    )


def preview(spec, n: int) -> Preview:
    k, lag = spec.n_symbols, spec.lag
    p = draw_first(spec.seed, n, _draw(k, lag))
    return Preview(name="memory", description=f"Symbol at step 0, {lag} distractors, then the recall "
                   "marker; the target is the first symbol.", x=_one_hot(p, k, lag),
                   feature_names=feature_names(k), targets=p["symbol"].astype(np.int64),
                   target_name="symbol to recall", class_names=symbol_names(k))
