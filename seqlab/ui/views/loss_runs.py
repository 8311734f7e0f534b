"""What the Loss view knows of each run, apart from how it is drawn: its curves (bounded; which
metrics, its family says: ``Family.loss_curves``), its best validation figures, its speed and
its state, read from the engine's rows, validations and summary; and the curves of all runs
as CSV columns.

Kept apart from the widget so the bookkeeping (which numbers a row carries, when a
validation replaces the one at the same step, what counts as a better value) reads on its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, Sequence

import numpy as np

from seqlab.core.family import DEFAULT_LOSS_CURVES, LossCurve
from seqlab.ui.views.loss_parts import BoundedSeries, finite_float

__all__ = ["LossRun", "RUN_STATES", "distinct_label", "curve_columns", "curve_key"]

#: The states a run shows in the table.
RUN_STATES = ("running", "finished", "diverged", "stopped")


def curve_key(curve: LossCurve) -> str:
    """The name of a curve's plot item in ``LossRun.items``: its metric without ``_loss``
    ('train', 'val', 'd', 'g'); accuracies are 'train_acc' and 'val_acc'."""
    m = curve.metric
    return m[:-len("_loss")] if m.endswith("_loss") else m


@dataclass
class LossRun:
    """One run on the Loss view: its curves (``curves``, what its family logs), best figures
    and state (``items``: its plot items, by :func:`curve_key`)."""

    run_id: str
    label: str
    info: dict
    color: int
    curves: tuple[LossCurve, ...] = DEFAULT_LOSS_CURVES
    series: dict[str, BoundedSeries] = field(default_factory=dict)   # by metric
    train_acc: BoundedSeries = field(default_factory=BoundedSeries)
    val_acc: BoundedSeries = field(default_factory=lambda: BoundedSeries(5_000))
    state: str = "running"
    steps_per_s: float | None = None
    best: dict[str, float] = field(default_factory=dict)  # lowest value of each validation curve
    best_val_acc: float | None = None
    validation_signal: bool = False  # once validations arrive, rows' validation metrics are ignored
    visible: bool = True
    items: dict[str, Any] = field(default_factory=dict)
    drawn: tuple | None = None       # the series' versions its items show (loss_curves.draw_curves)

    def __post_init__(self) -> None:
        self.curves = tuple(self.curves)
        for c in self.curves:
            # validations are few: a smaller bound keeps every one of a long run
            self.series.setdefault(c.metric, BoundedSeries(5_000) if c.validation else BoundedSeries())

    @property
    def train(self) -> BoundedSeries:
        """The first per-row curve (the training loss), or an empty series."""
        return next((self.series[c.metric] for c in self.curves if not c.validation), BoundedSeries(8))

    @property
    def val(self) -> BoundedSeries:
        """The first validation curve (the validation loss), or an empty series."""
        return next((self.series[c.metric] for c in self.curves if c.validation), BoundedSeries(8))

    @property
    def best_val(self) -> float | None:
        """The lowest value of the first validation curve (None: no validation yet)."""
        return next((self.best.get(c.metric) for c in self.curves if c.validation), None)

    @property
    def has_acc(self) -> bool:
        """Some accuracy has been logged or validated."""
        return bool(len(self.train_acc) or len(self.val_acc))

    def column_value(self, column: str) -> float | None:
        """What the run table shows in ``column`` (a curve's ``column``; None: the run has no
        such curve, or no value yet): the curve's best (lowest) value where lower is better (a
        validation curve's lowest validation; else the curve's lowest point), else its last
        value (a GAN's J_D at the end: its lowest says nothing)."""
        curve = next((c for c in self.curves if c.column == column), None)
        if curve is None:
            return None
        s = self.series[curve.metric]
        if not curve.lower_is_better:
            last = s.last()
            return None if last is None else float(last[1])
        if curve.validation:
            return self.best.get(curve.metric)
        return float(np.min(s.y)) if len(s) else None

    def add_rows(self, rows: Iterable[Mapping[str, Any]]) -> bool:
        """Logged metric rows (``step``, the run's curve metrics, maybe ``train_acc``,
        ``steps_per_s``); True when they carried an accuracy."""
        row_curves = [c.metric for c in self.curves if not c.validation]
        val_curves = [c.metric for c in self.curves if c.validation]
        points: dict[str, tuple[list, list]] = {m: ([], []) for m in row_curves}
        ax, ay = [], []
        acc = False
        for row in rows:
            step = finite_float(row.get("step"))
            if step is None:
                continue
            for m in row_curves:
                v = finite_float(row.get(m))
                if v is not None:
                    points[m][0].append(step)
                    points[m][1].append(v)
            a = finite_float(row.get("train_acc"))
            if a is not None:
                ax.append(step)
                ay.append(a)
            sps = finite_float(row.get("steps_per_s"))
            if sps is not None and sps > 0:
                self.steps_per_s = sps
            if not self.validation_signal and val_curves:
                # the engine repeats the last validation on every row: one point per new value
                first = val_curves[0]
                v = finite_float(row.get(first))
                last = self.series[first].last()
                if v is not None and (last is None or last[1] != v):
                    acc |= self.add_validation(step, row)
        for m, (xs, ys) in points.items():
            if xs:
                self.series[m].extend(xs, ys)
        if ax:
            self.train_acc.extend(ax, ay)
            acc = True
        return acc

    def add_validation(self, step: float, metrics: Mapping[str, Any]) -> bool:
        """A validation's metrics at ``step`` (a second one at the same step replaces the
        first); True when it carried an accuracy (``val_acc``)."""
        for c in self.curves:
            if not c.validation:
                continue
            v = finite_float(metrics.get(c.metric))
            if v is None:
                continue
            _put(self.series[c.metric], step, v)
            if c.metric not in self.best or v < self.best[c.metric]:
                self.best[c.metric] = v
        acc = finite_float(metrics.get("val_acc"))
        if acc is None:
            return False
        _put(self.val_acc, step, acc)
        if self.best_val_acc is None or acc > self.best_val_acc:
            self.best_val_acc = acc
        return True

    def finish(self, summary: Mapping[str, Any]) -> None:
        """The run ended; ``summary['stop_reason']`` says how ('diverged', 'stopped', anything
        else counts as finished); ``final_<metric>`` may better a validation curve's best."""
        reason = str(summary.get("state") or summary.get("stop_reason") or "finished")
        self.state = reason if reason in ("diverged", "stopped") else "finished"
        sps = finite_float(summary.get("steps_per_s"))
        if sps:
            self.steps_per_s = sps
        for c in self.curves:
            fv = finite_float(summary.get(f"final_{c.metric}")) if c.validation else None
            if fv is not None and (c.metric not in self.best or fv < self.best[c.metric]):
                self.best[c.metric] = fv


def _put(series: BoundedSeries, x: float, y: float) -> None:
    """Append (x, y), or replace the last point when it is at the same x."""
    last = series.last()
    if last is not None and last[0] == x:
        series.replace_last(x, y)
    else:
        series.append(x, y)


def distinct_label(label: str, taken: Iterable[str]) -> str:
    """Runs with the same name are told apart: 'LSTM 32×1 on sine (2)'."""
    taken = set(taken)
    if label not in taken:
        return label
    k = 2
    while f"{label} ({k})" in taken:
        k += 1
    return f"{label} ({k})"


def curve_columns(runs: Sequence[LossRun]) -> dict[str, np.ndarray]:
    """Every run's curves as columns for a CSV (``<label> train loss step``, ``<label> train
    loss``; a GAN's ``<label> d loss`` ...: each curve's metric): one column set per run,
    runs that share a label told apart by their number."""
    out: dict[str, np.ndarray] = {}
    labels = [r.label for r in runs]
    for n, r in enumerate(runs, start=1):
        name = r.label if labels.count(r.label) == 1 else f"{r.label} [run {n}]"
        series = [(c.metric.replace("_", " "), r.series[c.metric]) for c in r.curves]
        for key, s in series + [("train acc", r.train_acc), ("val acc", r.val_acc)]:
            if len(s):
                out[f"{name} {key} step"] = s.x.copy()
                out[f"{name} {key}"] = s.y.copy()
    return out
