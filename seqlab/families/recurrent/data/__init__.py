"""Data sets of the recurrent-network lessons, prepared as the course prepares data.

``build_dataset(spec.data, spec.model.task)`` generates or reads the data, splits it
(seeded random split for generated i.i.d. sequences, chronological for real series),
normalises it with training statistics only, and windows it into input/target arrays; the
engine does the batching. Same ``data.seed``, identical arrays.

Numpy only, never torch or Qt: the window uses this (previews, column pickers) before torch
has loaded.

=========  =====================================================  ==========================
name       what                                                   model.task
=========  =====================================================  ==========================
sine       sums of 1-3 noisy sines                                all four
adding     adding problem, sum of the two marked values           many-to-one
memory     recall the first symbol after ``lag`` distractors      many-to-one (classes)
sunspots   yearly sunspots 1700-2008, shipped                     many-to-many, many-to-one
csv        a numeric column of the user's CSV file                many-to-many, many-to-one
=========  =====================================================  ==========================
"""

from __future__ import annotations

from . import adding, memory, series, sine
from .base import DataError, Preview, SequenceData, checked_spec, checked_task, unsupported
from .csvfile import CsvSeries, read_csv_columns, read_csv_series
from ..spec import DATASETS, DataSpec

_BUILDERS = {
    "sine": (sine.TASKS, sine.build, sine.preview),
    "adding": (adding.TASKS, adding.build, adding.preview),
    "memory": (memory.TASKS, memory.build, memory.preview),
    "sunspots": (series.TASKS, series.build_sunspots, series.preview_sunspots),
    "csv": (series.TASKS, series.build_csv, series.preview_csv),
}
assert set(_BUILDERS) == set(DATASETS)

PREVIEW_MAX = 64


def _entry(name: str):
    key = name.lower() if isinstance(name, str) else name
    if key not in _BUILDERS:
        raise DataError("data.name must be one of " + ", ".join(repr(d) for d in DATASETS)
                        + f", got {name!r}")
    return _BUILDERS[key]


def supported_tasks(name: str) -> tuple[str, ...]:
    """The values of model.task that data set `name` can be used with."""
    return _entry(name)[0]


def build_dataset(spec: DataSpec, task: str) -> SequenceData:
    """Generate or read, split, normalise and window the data set `spec` for `task`.

    Raises DataError (a ValueError) with a message naming the field, file, line or column.
    """
    spec = checked_spec(spec)
    task = checked_task(task)
    tasks, build, _ = _entry(spec.name)
    if task not in tasks:
        raise unsupported(spec.name, tasks, task)
    return build(spec, task)


def io_sizes(spec: DataSpec, task: str) -> tuple[int, int]:
    """(numbers read per step, numbers or classes put out) of data set `spec` for `task`,
    without building it (the Model panel's parameter count follows every edit)."""
    if spec.name == "adding":
        return 2, 1
    if spec.name == "memory":
        return spec.n_symbols + memory.N_DISTRACTORS + 1, spec.n_symbols
    if spec.name == "sine" and task == "one-to-many":
        return 1 + sine.MAX_COMPONENTS * len(sine.PARAM_NAMES), 1
    return 1, 1


def preview(spec: DataSpec, n: int = 3) -> Preview:
    """A few raw samples for the Data panel's preview plot; cheap whatever data.samples is.

    Generated sets give exactly the first `n` samples the full data set draws (before the
    split and normalisation); real series give the whole raw series and its first windows.
    """
    spec = checked_spec(spec)
    if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= PREVIEW_MAX:
        raise DataError(f"preview needs n from 1 to {PREVIEW_MAX}, got {n!r}")
    return _entry(spec.name)[2](spec, n)


__all__ = [
    "SequenceData", "Preview", "DataError", "CsvSeries",
    "build_dataset", "supported_tasks", "preview", "io_sizes", "read_csv_columns", "read_csv_series",
]
