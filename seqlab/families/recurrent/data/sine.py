"""Sine mixtures: each sample is a sum of 1-3 sines with its own frequencies, phases and
amplitudes, plus Gaussian noise of standard deviation ``data.noise``.

Tasks: many-to-many (next step at every step), many-to-one (the value after the window),
one-to-many (from the wave's first value and its parameters, generate the whole wave) and
one-to-one (``seq_len`` 1: the next value from the current one).
"""

from __future__ import annotations

import numpy as np

from .base import (DataError, Preview, SequenceData, check_size, draw_chunked, draw_first, f32,
                   mean_std, random_split, regression_baseline)

TASKS = ("many-to-many", "many-to-one", "one-to-many", "one-to-one")
MAX_COMPONENTS = 3
FREQ_RANGE = (0.02, 0.1)     # cycles per step: periods of 10 to 50 steps, whatever seq_len is
AMP_RANGE = (0.5, 1.5)
PARAM_NAMES = ("amplitude", "frequency", "cos phase", "sin phase")


def _draw(noise: float, length: int):
    def draw(rng: np.random.Generator, count: int) -> dict:
        k = rng.integers(1, MAX_COMPONENTS + 1, count)
        freq = rng.uniform(*FREQ_RANGE, (count, MAX_COMPONENTS))
        phase = rng.uniform(0.0, 2 * np.pi, (count, MAX_COMPONENTS))
        amp = rng.uniform(*AMP_RANGE, (count, MAX_COMPONENTS))
        eps = rng.standard_normal((count, length))
        present = np.arange(MAX_COMPONENTS) < k[:, None]
        # Components in a fixed order (by frequency, absent ones last, all zero) so that the
        # one-to-many input describes a wave in one way only.
        order = np.argsort(np.where(present, freq, np.inf), axis=1)
        present = np.take_along_axis(present, order, 1)
        freq = np.where(present, np.take_along_axis(freq, order, 1), 0.0)
        phase = np.where(present, np.take_along_axis(phase, order, 1), 0.0)
        amp = np.where(present, np.take_along_axis(amp, order, 1), 0.0)
        return {"freq": freq, "phase": phase, "amp": amp, "present": present, "eps": eps * noise}
    return draw


def _waves(p: dict, length: int) -> np.ndarray:
    t = np.arange(length, dtype=np.float64)
    s = p["eps"].copy()
    for j in range(MAX_COMPONENTS):
        s += p["amp"][:, j, None] * np.sin(2 * np.pi * p["freq"][:, j, None] * t + p["phase"][:, j, None])
    return s


def _params(p: dict) -> np.ndarray:
    """[N, 4 * MAX_COMPONENTS]: amplitude, frequency, cos and sin of the phase of each component."""
    on = p["present"].astype(np.float64)
    cols = [p["amp"], p["freq"], np.cos(p["phase"]) * on, np.sin(p["phase"]) * on]
    return np.stack(cols, axis=2).reshape(len(on), -1)


def build(spec, task: str) -> SequenceData:
    T, n = spec.seq_len, spec.samples
    if task == "one-to-one" and T != 1:
        raise DataError(f"model.task 'one-to-one' reads one step, so data.seq_len must be 1, got {T}")
    n_in = 1 + 4 * MAX_COMPONENTS if task == "one-to-many" else 1
    check_size("sine", n * ((T + 1) + n_in), "lower data.samples or data.seq_len")
    p = draw_chunked(spec.seed, n, _draw(spec.noise, T + 1))
    s = _waves(p, T + 1)                                    # [N, T+1]
    train, val, test = random_split(n, spec, "sine")
    mean, std = mean_std(s[train])                          # one scale for inputs and targets,
    z = (s - mean) / std                                    # so predictions can be fed back in
    feature_names = ["value"]

    if task == "many-to-many":
        x, y, out_len = z[:, :T, None], z[:, 1:, None], T
        what = f"predict the next value at each of the {T} steps"
    elif task in ("many-to-one", "one-to-one"):
        x, y, out_len = z[:, :T, None], z[:, T, None], 1
        what = (f"read {T} steps and predict the value after them" if task == "many-to-one"
                else "predict the next value from the current one alone")
    else:  # one-to-many
        q = _params(p)
        q_mean, q_std = mean_std(q[train], axis=0)
        x = np.concatenate([z[:, :1], (q - q_mean) / q_std], axis=1)[:, None, :]
        y, out_len = z[:, :T, None], T
        feature_names += [f"{name} {j + 1}" for j in range(MAX_COMPONENTS) for name in PARAM_NAMES]
        what = (f"generate the whole wave of {T} steps from one input step: its first value and "
                f"the amplitude, frequency and phase of each sine")
    x, y = f32(x), f32(y)
    baseline = regression_baseline(y[train], y[val])
    noise = f" plus Gaussian noise of standard deviation {spec.noise:g}" if spec.noise else ""
    return SequenceData(
        name="sine", task=task, kind="regression",
        x_train=x[train], y_train=y[train], x_val=x[val], y_val=y[val], x_test=x[test], y_test=y[test],
        input_size=x.shape[2], output_size=1, out_len=out_len, n_classes=None, class_names=None,
        target_mean=np.array([mean], np.float32), target_std=np.array([std], np.float32),
        baseline_loss=baseline, chance_accuracy=None,
        description=(f"{n} waves, each a sum of 1 to 3 sines with its own frequencies, phases and "
                     f"amplitudes{noise}, normalised with the training split's mean and spread. "
                     f"The network must {what}; a loss well below {baseline:.3g} "
                     f"(always guessing the mean) shows it has learned the waves' shape."),
        series=f32(z[train[0]]), split_index=None, feature_names=feature_names,
    )


def preview(spec, n: int) -> Preview:
    T = spec.seq_len
    p = draw_first(spec.seed, n, _draw(spec.noise, T + 1))
    return Preview(name="sine", description=f"Sums of 1 to 3 sines with noise {spec.noise:g}; "
                   f"{T + 1} steps of each wave (the window and the value after it).",
                   x=f32(_waves(p, T + 1)[:, :, None]), feature_names=["value"])
