"""Loss (and accuracy) against training step for the current run and earlier runs.

Which metrics are a run's curves its family says (``Family.loss_curves``, given to
:meth:`LossView.start_run`): training and validation loss by default, a GAN's J_D and J_G.

Each run keeps its own colour from the theme's colour-blind-safe palette; when a new run
starts the earlier ones stay on the plot, faded and thinner, so an RNN, an LSTM and a GRU
trained one after another can be compared on the same axes.  A table beside the plot
lists every run: its cell, parameter count, speed, best validation loss and state.

Histories are bounded (:class:`BoundedSeries`): a long run keeps at most a few tens of
thousands of points per curve, thinning the older half when full, and pyqtgraph's
downsampling and clip-to-view keep redraws cheap.

This module is the widget: the runs it shows, the log scale, when to redraw. What it keeps of
each run is in ``loss_runs.py``, how a run's curves look in ``loss_curves.py``, the run table
and its menu in ``loss_table.py``, how the plots and the table share the room and where the
legend goes in ``loss_layout.py`` (with accuracy logged, its plot stands under the loss plot
where both can be read, else beside it), legends that keep clear of the curves in
``loss_legend.py``, and axes and bounded series in ``loss_parts.py``.
"""

from __future__ import annotations

import math
from contextlib import contextmanager
from typing import Any, Iterable, Mapping

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QBoxLayout, QCheckBox, QHBoxLayout, QLabel, QPushButton, QSplitter, QVBoxLayout, QWidget,
)

from seqlab.core.family import DEFAULT_LOSS_CURVES, LossCurve
from seqlab.ui.theme import ThemeManager, style_plot, theme_manager
from seqlab.ui.views.loss_curves import (
    MAX_MARKERS, caption, draw_curves, make_curves, remove_curves, style_curves,
)
from seqlab.ui.views.loss_parts import (  # re-exported: tests and other views use them
    BoundedSeries, PowerAxis, SpacedAxis, finite_float, fit_legend, label_fill, make_legend, place_legend,
    place_line_label, powers_of_ten, quiet_axes, style_legend,
)
from seqlab.ui.views.loss_layout import LossArrangement
from seqlab.ui.views.loss_runs import RUN_STATES, LossRun, curve_columns, distinct_label
from seqlab.ui.views.loss_table import RunTable

__all__ = ["BoundedSeries", "LossView", "RUN_STATES", "MAX_MARKERS", "LOG_SPAN", "PowerAxis", "SpacedAxis",
           "powers_of_ten", "quiet_axes", "style_legend", "fit_legend", "make_legend", "place_legend",
           "place_line_label", "label_fill", "finite_float"]

#: losses spanning more than this ratio switch the loss axis to log scale: at 20x a linear
#: axis already shows the last 5% of the fall as a flat line along the bottom (the LSTM
#: lesson falls 70x in its first 100 steps, then keeps improving where no one could see it)
LOG_SPAN = 20.0


class LossView(LossArrangement, QWidget):
    """Training and validation loss against step, one colour per run, with a run table.

    Call :meth:`start_run` when a run begins, then :meth:`add_rows` with the logged metric
    rows (dicts with at least ``step`` and ``train_loss``), :meth:`add_validation` after
    each validation and :meth:`finish_run` at the end.  Earlier runs stay, faded.
    """

    @property
    def COLUMNS(self) -> tuple[str, ...]:  # noqa: N802 (it was a constant: the default columns)
        """The run table's columns now (the curve columns follow the runs' families)."""
        return self.table.columns

    runRenamed = Signal(str, str)       # run id, new label
    runRemoved = Signal(str)            # run id (deleted by the person)
    saveRequested = Signal(str)         # run id: "Save this run…" from the table's menu

    def __init__(self, parent: QWidget | None = None, *, theme: ThemeManager | None = None):
        super().__init__(parent)
        self._tm = theme or theme_manager()
        self._runs: dict[str, LossRun] = {}     # oldest first: the last is the current run
        self._next_color = 0
        self._baseline: float | None = None
        self._dirty = False
        self._batching = 0          # nesting depth of batched()
        # runs whose table row is behind their figures: rewritten when the view draws (a small
        # autoencoder sends ~300 rows and validations a second; each rewrite was 0.1 ms)
        self._stale_rows: set[str] = set()
        self._has_acc = False

        # controls
        self.log_box = QCheckBox("Log scale")
        self.log_box.setToolTip("Show the loss on a logarithmic axis: equal steps are equal ratios")
        self.log_box.toggled.connect(self.set_log_scale)
        self.log_box.clicked.connect(lambda _on: setattr(self, "_log_chosen", True))   # the person decided
        self._log_chosen = False
        self.clear_button = QPushButton("Clear old runs")
        self.clear_button.setToolTip("Remove every run but the latest from the plot and the table")
        self.clear_button.clicked.connect(self.clear_old_runs)
        self._expected: tuple[LossCurve, ...] = DEFAULT_LOSS_CURVES   # of the runs to come
        self.note = QLabel(caption(DEFAULT_LOSS_CURVES, dense=False))
        self.note.setWordWrap(False)
        bar = QHBoxLayout()
        bar.setContentsMargins(4, 0, 4, 0)
        bar.addWidget(self.log_box)
        bar.addWidget(self.clear_button)
        bar.addSpacing(12)
        bar.addWidget(self.note)
        bar.addStretch(1)

        # plots
        self.loss_widget = pg.PlotWidget(axisItems={"left": PowerAxis("left")})
        self.loss_plot: pg.PlotItem = self.loss_widget.getPlotItem()
        quiet_axes(self.loss_plot)
        self.loss_plot.showGrid(x=True, y=True, alpha=0.25)
        self.loss_plot.setMenuEnabled(False)
        self.legend = make_legend(self.loss_plot)
        self._compact = False       # one legend entry a run (a small plot)
        self._legend_timer = QTimer(self)   # the plot was resized: the legend finds its place again
        self._legend_timer.setSingleShot(True)
        self._legend_timer.setInterval(0)
        self._legend_timer.timeout.connect(self._place_legend)
        self.loss_plot.getViewBox().sigResized.connect(self._legend_timer.start)
        self.acc_widget = pg.PlotWidget(axisItems={"left": SpacedAxis("left")})
        self.acc_plot: pg.PlotItem = self.acc_widget.getPlotItem()
        quiet_axes(self.acc_plot)
        self.acc_plot.showGrid(x=True, y=True, alpha=0.25)
        self.acc_plot.setMenuEnabled(False)
        self.acc_plot.setXLink(self.loss_plot)
        self.acc_plot.setYRange(0.0, 1.0, padding=0.02)
        self.acc_plot.getViewBox().sigResized.connect(self._fit_acc_range)
        for p in (self.loss_plot, self.acc_plot):
            p.getViewBox().sigRangeChanged.connect(self._align_axes)
        self.acc_widget.hide()
        self.baseline_line = pg.InfiniteLine(angle=0, movable=False, label="trivial predictor",
                                             labelOpts={"position": 0.3, "anchors": [(0.5, 0), (0.5, 1)]})
        self.baseline_line.setZValue(-5)
        self.baseline_line.hide()
        self.loss_plot.addItem(self.baseline_line, ignoreBounds=False)

        self.plots = QWidget()
        self._plots_box = QBoxLayout(QBoxLayout.TopToBottom, self.plots)
        self._plots_box.setContentsMargins(0, 0, 0, 0)
        self._plots_box.setSpacing(2)
        self._plots_box.addWidget(self.loss_widget, 3)
        self._plots_box.addWidget(self.acc_widget, 1)
        self._side = False          # accuracy beside the loss plot rather than under it
        self._acc_title = None      # the accuracy plot's title as last set (text, colour, size)

        # table: a run is chosen there (to save or export it); its menu renames, hides or deletes it
        self.table = RunTable(self._tm)
        self.table.renameChosen.connect(self.rename_run)
        self.table.visibilityChosen.connect(self.set_run_visible)
        self.table.saveChosen.connect(self.saveRequested)
        self.table.deleteChosen.connect(self.delete_run)

        table_box = QWidget()       # beside the plots, the table is as tall as its rows
        tl = QVBoxLayout(table_box)
        tl.setContentsMargins(0, 0, 0, 0)
        tl.addWidget(self.table, 1)
        tl.addStretch(0)

        self.splitter = QSplitter(Qt.Horizontal)
        self.splitter.addWidget(self.plots)
        self.splitter.addWidget(table_box)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)

        lay = QVBoxLayout(self)
        lay.setContentsMargins(2, 2, 2, 2)
        lay.addLayout(bar)
        lay.addWidget(self.splitter, 1)

        self._tm.changed.connect(self.restyle)
        self.restyle()

    # --- runs ---------------------------------------------------------------------------
    def start_run(self, run_id: str, label: str, info: Mapping[str, Any] | None = None,
                  curves: Iterable[LossCurve] | None = None) -> None:
        """Begin run ``run_id``: earlier runs fade; ``info`` may hold ``cell``,
        ``parameters`` (count) and ``baseline_loss`` (drawn as a dashed line); ``curves``:
        the metrics drawn for it (its family's ``loss_curves``; by default training and
        validation loss)."""
        info = dict(info or {})
        if run_id in self._runs:  # the same id again: start over
            self._remove_run(run_id)
        for r in self._runs.values():
            if r.state == "running":
                r.state = "stopped"
        label = distinct_label(str(label) or str(run_id), (r.label for r in self._runs.values()))
        run = LossRun(run_id, label, info, self._next_color,
                      tuple(curves) if curves is not None else DEFAULT_LOSS_CURVES)
        self._next_color += 1
        self._runs[run_id] = run
        make_curves(run, self.loss_plot, self.acc_plot)
        self._baseline = finite_float(info.get("baseline_loss"))
        self._place_baseline()
        self.restyle_runs()
        self._rebuild_table()
        self._changed()

    def add_rows(self, run_id: str, rows: Iterable[Mapping[str, Any]]) -> None:
        """Append logged metric rows (``step``, the run's curve metrics such as
        ``train_loss``, maybe ``train_acc``, ``val_loss``, ``steps_per_s``) to run
        ``run_id`` (started if unknown)."""
        run = self._runs.get(run_id) or self._auto_start(run_id)
        if run.add_rows(rows):
            self._has_acc = True
        self._stale_rows.add(run.run_id)
        self._changed()

    def add_validation(self, run_id: str, step: int, metrics: Mapping[str, Any]) -> None:
        """A validation result (the run's validation curves' metrics such as ``val_loss``,
        maybe ``val_acc``) of run ``run_id`` at ``step``."""
        run = self._runs.get(run_id) or self._auto_start(run_id)
        run.validation_signal = True
        s = finite_float(step)
        if s is None:
            return
        if run.add_validation(s, metrics):
            self._has_acc = True
        self._stale_rows.add(run.run_id)
        self._changed()

    def finish_run(self, run_id: str, summary: Mapping[str, Any] | None = None) -> None:
        """Run ``run_id`` ended; ``summary['stop_reason']`` says how ('diverged', 'stopped',
        anything else counts as finished)."""
        run = self._runs.get(run_id)
        if run is None:
            return
        run.finish(dict(summary or {}))
        self.table.update_run(run)
        self._changed()

    # --- managing runs -------------------------------------------------------------------
    def rename_run(self, run_id: str, label: str) -> None:
        run = self._runs.get(run_id)
        label = label.strip()
        if run is None or not label or label == run.label:
            return
        run.label = distinct_label(label, (r.label for r in self._runs.values()))
        self.restyle_runs()
        self._rebuild_table()
        self.runRenamed.emit(run_id, run.label)

    def set_run_visible(self, run_id: str, on: bool) -> None:
        """Hide a run's curves (it stays in the table, greyed, and can be shown again)."""
        run = self._runs.get(run_id)
        if run is None:
            return
        run.visible = bool(on)
        for it in run.items.values():
            it.setVisible(run.visible)
        self.restyle_runs()
        self.table.update_run(run)
        self._changed()

    def delete_run(self, run_id: str) -> None:
        """Remove one run from the plot and the table."""
        if run_id not in self._runs:
            return
        self._remove_run(run_id)
        self._has_acc = any(r.has_acc for r in self._runs.values())
        self.restyle_runs()
        self._rebuild_table()
        self._changed()
        self.runRemoved.emit(run_id)

    def selected_run(self) -> str | None:
        """The run chosen in the table (None: none chosen)."""
        return self.table.selected_run()

    def run_label(self, run_id: str) -> str:
        run = self._runs.get(run_id)
        return run.label if run is not None else ""

    def clear_old_runs(self) -> None:
        """Remove every run except the latest."""
        for run_id in list(self._runs)[:-1]:
            self._remove_run(run_id)
            self.runRemoved.emit(run_id)
        self._has_acc = any(r.has_acc for r in self._runs.values())
        self._rebuild_table()
        self._changed()

    def reset(self) -> None:
        """Remove every run."""
        for run_id in list(self._runs):
            self._remove_run(run_id)
        self._next_color = 0
        self._has_acc = False
        self._baseline = None
        self._place_baseline()
        self._rebuild_table()
        self._changed()

    def run_ids(self) -> list[str]:
        """Runs on the plot, oldest first."""
        return list(self._runs)

    def current_run(self) -> str | None:
        return next(reversed(self._runs), None)

    def run_state(self, run_id: str) -> str:
        return self._runs[run_id].state

    def best_val_loss(self, run_id: str) -> float | None:
        """The lowest value of the run's (first) validation curve."""
        return self._runs[run_id].best_val

    def curves_of(self, run_id: str) -> tuple[LossCurve, ...]:
        """The curves drawn for a run."""
        return self._runs[run_id].curves

    def items_of(self, run_id: str) -> dict[str, pg.PlotDataItem]:
        """The plot items of a run: one per curve, named by its metric without ``_loss``
        ('train', 'val'; a GAN's 'd', 'g'), and 'train_acc', 'val_acc'."""
        return dict(self._runs[run_id].items)

    def table_text(self, row: int, column: str) -> str:
        """The text of ``column`` (a :attr:`COLUMNS` name) in table row ``row``."""
        self._update_stale_rows()
        return self.table.cell_text(row, column)

    def _update_stale_rows(self) -> None:
        for run_id in self._stale_rows:
            run = self._runs.get(run_id)
            if run is not None:
                self.table.update_run(run)
        self._stale_rows.clear()

    def _auto_start(self, run_id: str) -> LossRun:
        self.start_run(run_id, str(run_id))
        return self._runs[run_id]

    def _remove_run(self, run_id: str) -> None:
        remove_curves(self._runs.pop(run_id), self.loss_plot, self.acc_plot, self.legend)

    def set_family_curves(self, curves: Iterable[LossCurve]) -> None:
        """The curves runs of the family now chosen will draw (its ``loss_curves``): with
        no run on the view, its caption, title and table columns are theirs."""
        curves = tuple(curves)
        if curves == self._expected:
            return
        self._expected = curves
        self._rebuild_table()
        self._changed()

    def _curves(self) -> list[LossCurve]:
        """The curves of the runs on the view; with none, those of the runs to come."""
        return [c for r in self._runs.values() for c in r.curves] or list(self._expected)

    def _rebuild_table(self) -> None:
        """The table (and the plot's title) after the runs listed changed."""
        self.table.set_runs(list(self._runs.values()), self._expected)
        self._retitle()
        self._arrange()

    def _title(self) -> str:
        # a GAN's two losses fight: its curves are not "lower is better"
        better = all(c.lower_is_better for c in self._curves())
        return "Loss (lower is better)" if better else "Loss"

    def _retitle(self) -> None:
        if self._title() != self.loss_plot.titleLabel.text:
            style_plot(self.loss_plot, self._tm, title=self._title())

    # --- log scale ----------------------------------------------------------------------
    def set_log_scale(self, on: bool) -> None:
        """Show the loss axis logarithmic (``True``) or linear."""
        on = bool(on)
        if self.log_box.isChecked() != on:
            self.log_box.setChecked(on)  # re-enters through toggled
            return
        self.loss_plot.setLogMode(x=False, y=on)
        self._place_baseline()
        self.loss_plot.enableAutoRange()

    def _auto_log_scale(self) -> None:
        """Losses that fall over decades read better on a log axis: it is switched on once
        they span LOG_SPAN, unless the person chose the scale themselves."""
        if self._log_chosen or self.is_log_scale():
            return
        ys = [r.series[c.metric].y for r in self._runs.values() if r.visible
              for c in r.curves if not c.validation and len(r.series[c.metric])]
        ys = [y[np.isfinite(y) & (y > 0)] for y in ys]
        ys = [y for y in ys if len(y)]
        if ys and max(y.max() for y in ys) > LOG_SPAN * min(y.min() for y in ys):
            self.set_log_scale(True)

    def is_log_scale(self) -> bool:
        return self.log_box.isChecked()

    def _place_baseline(self) -> None:
        b = self._baseline
        if b is None or (self.is_log_scale() and b <= 0):
            self.baseline_line.hide()
            return
        # InfiniteLine knows nothing of log mode: place it in the axis' own units.
        self.baseline_line.setValue(math.log10(b) if self.is_log_scale() else b)
        self.baseline_line.show()

    # --- export -------------------------------------------------------------------------
    def export_targets(self) -> dict[str, pg.PlotItem]:
        """Plots that can be saved as images, by name."""
        out = {"loss": self.loss_plot}
        if self._has_acc:
            out["accuracy"] = self.acc_plot
        return out

    def curves(self) -> dict[str, np.ndarray]:
        """Every run's curves as columns for a CSV (``<label> train step`` etc.): one column
        set per run, runs that share a label told apart by their number."""
        return curve_columns(list(self._runs.values()))

    # --- drawing ------------------------------------------------------------------------
    def refresh(self) -> None:
        """Push the kept data into the plot items now."""
        self._dirty = False
        self._update_stale_rows()
        dense = False
        for r in self._runs.values():
            dense |= draw_curves(r)
        text = caption(self._curves(), dense)
        if text != self.note.text():
            self.note.setTextFormat(Qt.RichText if "<" in text else Qt.PlainText)   # J<sub>D</sub>
            self.note.setText(text)
        self._auto_log_scale()
        if self.acc_widget.isVisibleTo(self) != self._has_acc:
            self.acc_widget.setVisible(self._has_acc)
            self._arrange()
        self._place_legend()

    def showEvent(self, ev) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(ev)
        if self._dirty:
            self.refresh()
        self._arrange()

    def resizeEvent(self, ev) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(ev)
        self._arrange()

    def _changed(self) -> None:
        # Hidden views (another tab) only remember; they draw when shown. Within a batch
        # (``batched``) the view draws once, at its end.
        self._dirty = True
        if self.isVisible() and not self._batching:
            self.refresh()

    @contextmanager
    def batched(self):
        """Add many rows and validations, draw once: a run that validates every few steps
        (a small autoencoder: 60 validations a second) sends them in bursts, and drawing the
        curves after each one took a tenth of the GUI thread."""
        self._batching += 1
        try:
            yield self
        finally:
            self._batching -= 1
            if not self._batching and self._dirty and self.isVisible():
                self.refresh()

    # --- style --------------------------------------------------------------------------
    def restyle(self) -> None:
        """Re-read fonts, colours and pen widths from the theme manager."""
        tm = self._tm
        for w in (self.loss_widget, self.acc_widget):
            w.setBackground(tm.theme.base)
        style_plot(self.loss_plot, tm, title=self._title(),
                   labels={"left": "loss", "bottom": "training step"})
        style_plot(self.acc_plot, tm, title=None,
                   labels={"left": "accuracy", "bottom": "training step"})
        pen = tm.pen("text", "line", style=Qt.DashLine)
        self.baseline_line.setPen(pen)
        self.baseline_line.label.setColor(tm.color("text"))
        self.baseline_line.label.setFont(tm.font("label"))
        self.baseline_line.label.fill = pg.mkBrush(label_fill(tm))   # legible over the curves
        self.legend.margin = 10 * tm.scale
        body = tm.font("body")
        for w in (self.log_box, self.clear_button):
            w.setFont(body)
        self.table.restyle()
        self.note.setFont(tm.font("small"))
        self.note.setStyleSheet(f"color: {tm.theme.muted};")
        self.restyle_runs()
        self._rebuild_table()

    def restyle_runs(self) -> None:
        """Pens of every run: the latest bold and opaque, earlier ones faded and thin."""
        latest = self.current_run()
        for run_id, r in self._runs.items():
            style_curves(r, self._tm, run_id == latest, self.legend, self._compact)
        style_legend(self.legend, self._tm)
