"""What the Loss view knows of each run, apart from how it is drawn: its curves (bounded),
its best validation figures, its speed and its state, read from the engine's rows,
validations and summary; and the curves of all runs as CSV columns.

Kept apart from the widget so the bookkeeping (which numbers a row carries, when a
validation replaces the one at the same step, what counts as a better value) reads on its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, Sequence

import numpy as np

from seqlab.ui.views.loss_parts import BoundedSeries, finite_float

__all__ = ["LossRun", "RUN_STATES", "distinct_label", "curve_columns"]

#: The states a run shows in the table.
RUN_STATES = ("running", "finished", "diverged", "stopped")


@dataclass
class LossRun:
    """One run on the Loss view: its curves, best figures and state (``items``: its plot items)."""

    run_id: str
    label: str
    info: dict
    color: int
    train: BoundedSeries = field(default_factory=BoundedSeries)
    val: BoundedSeries = field(default_factory=lambda: BoundedSeries(5_000))
    train_acc: BoundedSeries = field(default_factory=BoundedSeries)
    val_acc: BoundedSeries = field(default_factory=lambda: BoundedSeries(5_000))
    state: str = "running"
    steps_per_s: float | None = None
    best_val: float | None = None
    best_val_acc: float | None = None
    validation_signal: bool = False  # once validations arrive, rows' val_loss is ignored
    visible: bool = True
    items: dict[str, Any] = field(default_factory=dict)
    drawn: tuple | None = None       # the series' versions its items show (loss_curves.draw_curves)

    @property
    def has_acc(self) -> bool:
        """Some accuracy has been logged or validated."""
        return bool(len(self.train_acc) or len(self.val_acc))

    def add_rows(self, rows: Iterable[Mapping[str, Any]]) -> bool:
        """Logged metric rows (``step``, ``train_loss``, maybe ``train_acc``, ``val_loss``,
        ``steps_per_s``); True when they carried an accuracy."""
        xs, ys, ax, ay = [], [], [], []
        acc = False
        for row in rows:
            step = finite_float(row.get("step"))
            if step is None:
                continue
            loss = finite_float(row.get("train_loss"))
            if loss is not None:
                xs.append(step)
                ys.append(loss)
            a = finite_float(row.get("train_acc"))
            if a is not None:
                ax.append(step)
                ay.append(a)
            sps = finite_float(row.get("steps_per_s"))
            if sps is not None and sps > 0:
                self.steps_per_s = sps
            if not self.validation_signal:
                # the engine repeats the last val_loss on every row: one point per new value
                v = finite_float(row.get("val_loss"))
                last = self.val.last()
                if v is not None and (last is None or last[1] != v):
                    acc |= self.add_validation(step, v, finite_float(row.get("val_acc")))
        if xs:
            self.train.extend(xs, ys)
        if ax:
            self.train_acc.extend(ax, ay)
            acc = True
        return acc

    def add_validation(self, step: float, loss: float | None, acc: float | None) -> bool:
        """A validation's loss and accuracy at ``step`` (a second one at the same step
        replaces the first); True when it carried an accuracy."""
        if loss is not None:
            _put(self.val, step, loss)
            if self.best_val is None or loss < self.best_val:
                self.best_val = loss
        if acc is None:
            return False
        _put(self.val_acc, step, acc)
        if self.best_val_acc is None or acc > self.best_val_acc:
            self.best_val_acc = acc
        return True

    def finish(self, summary: Mapping[str, Any]) -> None:
        """The run ended; ``summary['stop_reason']`` says how ('diverged', 'stopped', anything
        else counts as finished)."""
        reason = str(summary.get("state") or summary.get("stop_reason") or "finished")
        self.state = reason if reason in ("diverged", "stopped") else "finished"
        sps = finite_float(summary.get("steps_per_s"))
        if sps:
            self.steps_per_s = sps
        fv = finite_float(summary.get("final_val_loss"))
        if fv is not None and (self.best_val is None or fv < self.best_val):
            self.best_val = fv


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
    """Every run's curves as columns for a CSV (``<label> train step`` etc.): one column set
    per run, runs that share a label told apart by their number."""
    out: dict[str, np.ndarray] = {}
    labels = [r.label for r in runs]
    for n, r in enumerate(runs, start=1):
        name = r.label if labels.count(r.label) == 1 else f"{r.label} [run {n}]"
        for key, s in (("train loss", r.train), ("val loss", r.val),
                       ("train acc", r.train_acc), ("val acc", r.val_acc)):
            if len(s):
                out[f"{name} {key} step"] = s.x.copy()
                out[f"{name} {key}"] = s.y.copy()
    return out
