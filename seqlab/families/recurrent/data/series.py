"""Single real series (the shipped yearly sunspots, or a column of the user's CSV file).

The series is split in time order first (train, then validation, then test), normalised
with the training part's mean and spread, and only then cut into windows of ``seq_len``
inputs and the following target inside each part, so no window straddles two parts and no
validation or test value is ever seen in training. Tasks: many-to-many (next value at every
step) and many-to-one (the value after the window). ``data.samples`` and ``data.noise`` are
not used.
"""

from __future__ import annotations

import functools
from pathlib import Path

import numpy as np

from seqlab.core.resources import resource_file

from .base import DataError, Preview, SequenceData, f32, mean_std, part_sizes, regression_baseline
from .csvfile import read_csv_series

TASKS = ("many-to-many", "many-to-one")
SUNSPOTS_FILE = "sunspots.csv"
SUNSPOTS_COLUMN = "SUNACTIVITY"


def data_file(name: str) -> Path:
    """A shipped file of ``seqlab/resources/data``."""
    return resource_file(name, "data")


@functools.lru_cache(maxsize=1)
def _sunspots() -> np.ndarray:
    s = read_csv_series(data_file(SUNSPOTS_FILE), SUNSPOTS_COLUMN).values
    s.setflags(write=False)
    return s


def sunspots() -> np.ndarray:
    """Yearly sunspot numbers, 1700-2008 (309 values)."""
    return _sunspots().copy()


# --- chronological split and windows -------------------------------------------------------

def min_length(T: int, val_fraction: float, test_fraction: float) -> int:
    """The fewest values for which every part that should exist holds one window (T + 1)."""
    need = T + 1
    lo = need * 3
    for f in (val_fraction, test_fraction):
        if f > 0:
            lo = max(lo, int(need / f) - 2)
    lo = max(lo - 3, 1)
    while not _parts_ok(lo, T, val_fraction, test_fraction):
        lo += 1
    return lo


def longest_seq_len(L: int, val_fraction: float, test_fraction: float) -> int:
    """The longest data.seq_len for which a series of L values gives every part a window
    (0 when even seq_len 1 does not fit)."""
    n_train, n_val, n_test = part_sizes(L, val_fraction, test_fraction)
    used = [n_train] + ([n_val] if val_fraction > 0 else []) + ([n_test] if test_fraction > 0 else [])
    return max(0, min(used) - 1)


def _parts_ok(L: int, T: int, vf: float, tf: float) -> bool:
    n_train, n_val, n_test = part_sizes(L, vf, tf)
    return n_train > T and (vf == 0 or n_val > T) and (tf == 0 or n_test > T)


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _windows(z: np.ndarray, T: int) -> np.ndarray:
    if len(z) <= T:
        return np.zeros((0, T + 1))
    return np.lib.stride_tricks.sliding_window_view(z, T + 1).copy()


def build_series(values: np.ndarray, spec, task: str, *, name: str, where: str, unit: str,
                 what: str) -> SequenceData:
    """Windows over one series. `where` starts error messages (``data 'sunspots'`` or
    ``data.csv, column 'temp'``); `unit` names one value (``year``, ``row``)."""
    T, L = spec.seq_len, len(values)
    vf, tf = spec.val_fraction, spec.test_fraction
    if not _parts_ok(L, T, vf, tf):
        n_train, n_val, n_test = part_sizes(L, vf, tf)
        parts = [("training", n_train, True), ("validation", n_val, vf > 0), ("test", n_test, tf > 0)]
        names = [p for p, _, used in parts if used]
        msg = (f"{where}: needs at least {min_length(T, vf, tf)} {unit}s for data.seq_len {T} "
               f"(seq_len + 1 = {T + 1} in each of the {_and(names)} parts), has {L}")
        shortest = min(n for _, n, used in parts if used)
        if shortest >= 2:
            msg += f"; lower data.seq_len to at most {shortest - 1}"
        raise DataError(msg)
    n_train, n_val, n_test = part_sizes(L, vf, tf)
    cut = (n_train, n_train + n_val)
    mean, std = (float(v) for v in mean_std(values[:n_train]))
    z = (values - mean) / std
    w = [_windows(z[a:b], T) for a, b in ((0, cut[0]), (cut[0], cut[1]), (cut[1], L))]
    if task == "many-to-many":
        xy = [(p[:, :T, None], p[:, 1:, None]) for p in w]
        out_len, goal = T, f"predict the next {unit} at each of the {T} steps"
    else:
        xy = [(p[:, :T, None], p[:, T, None]) for p in w]
        out_len, goal = 1, f"read {T} {unit}s and predict the next one"
    (x_tr, y_tr), (x_va, y_va), (x_te, y_te) = [(f32(x), f32(y)) for x, y in xy]
    baseline = regression_baseline(y_tr, y_va)
    return SequenceData(
        name=name, task=task, kind="regression",
        x_train=x_tr, y_train=y_tr, x_val=x_va, y_val=y_va, x_test=x_te, y_test=y_te,
        input_size=1, output_size=1, out_len=out_len, n_classes=None, class_names=None,
        target_mean=np.array([mean], np.float32), target_std=np.array([std], np.float32),
        baseline_loss=baseline, chance_accuracy=None,
        description=(f"{what} Split in time order: the first {n_train} {unit}s train, the next "
                     f"{n_val} validate and the last {n_test} test; windows of {T} {unit}s inside each "
                     f"part, scaled by the training part's mean and spread. The network must {goal}; "
                     f"always guessing the mean scores {baseline:.3g}."),
        series=f32(z), split_index=cut, feature_names=["value"],
    )


def preview_series(values: np.ndarray, spec, *, name: str, description: str, n: int,
                   feature: str) -> Preview:
    T = spec.seq_len
    n_train, n_val, _ = part_sizes(len(values), spec.val_fraction, spec.test_fraction)
    w = _windows(values, T)[:n, :T, None]
    return Preview(name=name, description=description, x=f32(w), feature_names=[feature],
                   series=f32(values), split_index=(n_train, n_train + n_val))


# --- the two data sets ---------------------------------------------------------------------

SUNSPOTS_WHAT = "Yearly sunspot numbers 1700-2008 (NOAA, public domain): a real series with a cycle of about 11 years."


def build_sunspots(spec, task: str) -> SequenceData:
    return build_series(sunspots(), spec, task, name="sunspots", where="data 'sunspots'",
                        unit="year", what=SUNSPOTS_WHAT)


def preview_sunspots(spec, n: int) -> Preview:
    return preview_series(sunspots(), spec, name="sunspots", description=SUNSPOTS_WHAT, n=n,
                          feature="sunspots")


def _csv(spec):
    if not spec.path:
        raise DataError("data.path must name a CSV file when data.name is 'csv'")
    return read_csv_series(spec.path, spec.column)


def build_csv(spec, task: str) -> SequenceData:
    s = _csv(spec)
    where = f"{s.path}, column {s.column!r}"
    if len(s.values):
        a, b = s.lines[0], s.lines[-1]
        where += f" (line {a})" if a == b else f" (lines {a}-{b})"
    return build_series(s.values, spec, task, name="csv", where=where, unit="row",
                        what=f"Your series: column {s.column!r} of {Path(s.path).name}, {len(s.values)} rows.")


def preview_csv(spec, n: int) -> Preview:
    s = _csv(spec)
    return preview_series(s.values, spec, name="csv", n=n, feature=s.column,
                          description=f"Column {s.column!r} of {Path(s.path).name}, {len(s.values)} rows.")
