"""Loss (and accuracy) against training step for the current run and earlier runs.

Each run keeps its own colour from the theme's colour-blind-safe palette; when a new run
starts the earlier ones stay on the plot, faded and thinner, so an RNN, an LSTM and a GRU
trained one after another can be compared on the same axes.  A table beside the plot
lists every run: its cell, parameter count, speed, best validation loss and state.

Histories are bounded (:class:`BoundedSeries`): a long run keeps at most a few tens of
thousands of points per curve, thinning the older half when full, and pyqtgraph's
downsampling and clip-to-view keep redraws cheap.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QHBoxLayout, QHeaderView, QLabel, QPushButton, QSizePolicy,
    QSplitter, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from seqlab.ui.theme import ThemeManager, style_plot, theme_manager
from seqlab.ui.views.loss_parts import (  # re-exported: tests and other views use them
    BoundedSeries, PowerAxis, finite_float, fit_legend, label_fill, place_legend, powers_of_ten, quiet_axes,
    style_legend,
)

__all__ = ["BoundedSeries", "LossView", "RUN_STATES", "PowerAxis", "powers_of_ten",
           "quiet_axes", "style_legend", "fit_legend", "place_legend", "label_fill", "finite_float"]

#: The states a run shows in the table.
RUN_STATES = ("running", "finished", "diverged", "stopped")

_FADED_ALPHA = 140        # of 255: earlier runs step back yet stay visible on a projector
_FADED_WIDTH = 0.65       # times the theme's line width


@dataclass
class _Run:
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
    items: dict[str, pg.PlotDataItem] = field(default_factory=dict)


def _fmt(v: float | None, digits: int = 4) -> str:
    return "—" if v is None else f"{v:.{digits}g}"


#: a validation curve with more points than this is drawn without markers (they would hide the training line)
MAX_MARKERS = 40
#: losses spanning more than this ratio (two decades) switch the loss axis to log scale
LOG_SPAN = 100.0


class LossView(QWidget):
    """Training and validation loss against step, one colour per run, with a run table.

    Call :meth:`start_run` when a run begins, then :meth:`add_rows` with the logged metric
    rows (dicts with at least ``step`` and ``train_loss``), :meth:`add_validation` after
    each validation and :meth:`finish_run` at the end.  Earlier runs stay, faded.
    """

    COLUMNS = ("Run", "Cell", "Parameters", "Steps/s", "Best val loss", "Best val acc", "State")

    runRenamed = Signal(str, str)       # run id, new label
    runRemoved = Signal(str)            # run id (deleted by the person)
    saveRequested = Signal(str)         # run id: "Save this run…" from the table's menu

    def __init__(self, parent: QWidget | None = None, *, theme: ThemeManager | None = None):
        super().__init__(parent)
        self._tm = theme or theme_manager()
        self._runs: dict[str, _Run] = {}
        self._order: list[str] = []
        self._next_color = 0
        self._baseline: float | None = None
        self._dirty = False
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
        self.note = QLabel("solid: training loss   dashed with dots: validation loss")
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
        self.legend = self.loss_plot.addLegend(offset=(-10, 10))
        self.acc_widget = pg.PlotWidget()
        self.acc_plot: pg.PlotItem = self.acc_widget.getPlotItem()
        quiet_axes(self.acc_plot)
        self.acc_plot.showGrid(x=True, y=True, alpha=0.25)
        self.acc_plot.setMenuEnabled(False)
        self.acc_plot.setXLink(self.loss_plot)
        self.acc_plot.setYRange(0.0, 1.0, padding=0.02)
        self.acc_plot.getViewBox().setLimits(yMin=-0.05, yMax=1.05)
        self.acc_widget.hide()
        self.baseline_line = pg.InfiniteLine(angle=0, movable=False, label="trivial predictor",
                                             labelOpts={"position": 0.3, "anchors": [(0.5, 0), (0.5, 1)]})
        self.baseline_line.setZValue(-5)
        self.baseline_line.hide()
        self.loss_plot.addItem(self.baseline_line, ignoreBounds=False)

        plots = QWidget()
        pl = QVBoxLayout(plots)
        pl.setContentsMargins(0, 0, 0, 0)
        pl.setSpacing(2)
        pl.addWidget(self.loss_widget, 3)
        pl.addWidget(self.acc_widget, 1)

        # table
        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setHorizontalHeaderLabels(self.COLUMNS)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        # a run is chosen in the table (to save or export it); its menu renames, hides or deletes it
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setFocusPolicy(Qt.NoFocus)
        self.table.setContextMenuPolicy(Qt.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._table_menu)
        self.table.setToolTip("Click a run to choose it for saving; right-click to rename, hide or delete it")
        self.table.setWordWrap(False)
        hh = self.table.horizontalHeader()
        hh.setSectionResizeMode(QHeaderView.ResizeToContents)
        hh.setStretchLastSection(False)
        self.table.setColumnHidden(self.COLUMNS.index("Best val acc"), True)
        self.table.setSizePolicy(QSizePolicy.Preferred, QSizePolicy.Expanding)

        self.splitter = QSplitter(Qt.Horizontal)
        self.splitter.addWidget(plots)
        self.splitter.addWidget(self.table)
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
    def start_run(self, run_id: str, label: str, info: Mapping[str, Any] | None = None) -> None:
        """Begin run ``run_id``: earlier runs fade; ``info`` may hold ``cell``,
        ``parameters`` (count) and ``baseline_loss`` (drawn as a dashed line)."""
        info = dict(info or {})
        if run_id in self._runs:  # the same id again: start over
            self._remove_run(run_id)
        for r in self._runs.values():
            if r.state == "running":
                r.state = "stopped"
        label = self._distinct(str(label) or str(run_id))
        run = _Run(run_id, label, info, self._next_color)
        self._next_color += 1
        self._runs[run_id] = run
        self._order.append(run_id)
        self._make_items(run)
        self._baseline = finite_float(info.get("baseline_loss"))
        self._place_baseline()
        self.restyle_runs()
        self._rebuild_table()
        self._changed()

    def add_rows(self, run_id: str, rows: Iterable[Mapping[str, Any]]) -> None:
        """Append logged metric rows (``step``, ``train_loss``, maybe ``train_acc``,
        ``val_loss``, ``steps_per_s``) to run ``run_id`` (started if unknown)."""
        run = self._runs.get(run_id) or self._auto_start(run_id)
        xs, ys, ax, ay = [], [], [], []
        for row in rows:
            step = finite_float(row.get("step"))
            if step is None:
                continue
            loss = finite_float(row.get("train_loss"))
            if loss is not None:
                xs.append(step)
                ys.append(loss)
            acc = finite_float(row.get("train_acc"))
            if acc is not None:
                ax.append(step)
                ay.append(acc)
            sps = finite_float(row.get("steps_per_s"))
            if sps is not None and sps > 0:
                run.steps_per_s = sps
            if not run.validation_signal:
                v = finite_float(row.get("val_loss"))
                last = run.val.last()
                if v is not None and (last is None or last[1] != v):
                    self._add_val_point(run, step, v, finite_float(row.get("val_acc")))
        if xs:
            run.train.extend(xs, ys)
        if ax:
            run.train_acc.extend(ax, ay)
            self._has_acc = True
        self._update_table_row(run)
        self._changed()

    def add_validation(self, run_id: str, step: int, metrics: Mapping[str, Any]) -> None:
        """A validation result (``val_loss``, maybe ``val_acc``) of run ``run_id`` at ``step``."""
        run = self._runs.get(run_id) or self._auto_start(run_id)
        run.validation_signal = True
        s = finite_float(step)
        v = finite_float(metrics.get("val_loss"))
        if s is None:
            return
        self._add_val_point(run, s, v, finite_float(metrics.get("val_acc")))
        self._update_table_row(run)
        self._changed()

    def finish_run(self, run_id: str, summary: Mapping[str, Any] | None = None) -> None:
        """Run ``run_id`` ended; ``summary['stop_reason']`` says how ('diverged', 'stopped',
        anything else counts as finished)."""
        run = self._runs.get(run_id)
        if run is None:
            return
        summary = dict(summary or {})
        reason = str(summary.get("state") or summary.get("stop_reason") or "finished")
        run.state = reason if reason in ("diverged", "stopped") else "finished"
        sps = finite_float(summary.get("steps_per_s"))
        if sps:
            run.steps_per_s = sps
        fv = finite_float(summary.get("final_val_loss"))
        if fv is not None and (run.best_val is None or fv < run.best_val):
            run.best_val = fv
        self._update_table_row(run)
        self._changed()

    def _distinct(self, label: str) -> str:
        """Runs with the same name are told apart: 'LSTM 32×1 on sine (2)'."""
        taken = {r.label for r in self._runs.values()}
        if label not in taken:
            return label
        k = 2
        while f"{label} ({k})" in taken:
            k += 1
        return f"{label} ({k})"

    # --- managing runs -------------------------------------------------------------------
    def rename_run(self, run_id: str, label: str) -> None:
        run = self._runs.get(run_id)
        label = label.strip()
        if run is None or not label or label == run.label:
            return
        run.label = self._distinct(label)
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
        self._update_table_row(run)
        self._changed()

    def delete_run(self, run_id: str) -> None:
        """Remove one run from the plot and the table."""
        if run_id not in self._runs:
            return
        self._remove_run(run_id)
        self._has_acc = any(len(r.train_acc) or len(r.val_acc) for r in self._runs.values())
        self.restyle_runs()
        self._rebuild_table()
        self._changed()
        self.runRemoved.emit(run_id)

    def selected_run(self) -> str | None:
        """The run chosen in the table (None: none chosen)."""
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if rows and 0 <= rows[0].row() < len(self._order):
            return self._order[rows[0].row()]
        return None

    def run_label(self, run_id: str) -> str:
        run = self._runs.get(run_id)
        return run.label if run is not None else ""

    def _table_menu(self, pos) -> None:
        from PySide6.QtWidgets import QInputDialog, QMenu

        row = self.table.rowAt(pos.y())
        if not 0 <= row < len(self._order):
            return
        run_id = self._order[row]
        run = self._runs[run_id]
        self.table.selectRow(row)
        menu = QMenu(self)
        menu.addAction("Rename…", lambda: self.rename_run(run_id, QInputDialog.getText(
            self, "Rename the run", "Name:", text=run.label)[0]))
        menu.addAction("Hide" if run.visible else "Show", lambda: self.set_run_visible(run_id, not run.visible))
        menu.addAction("Save this run…", lambda: self.saveRequested.emit(run_id))
        menu.addSeparator()
        menu.addAction("Delete", lambda: self.delete_run(run_id))
        menu.popup(self.table.viewport().mapToGlobal(pos))

    def clear_old_runs(self) -> None:
        """Remove every run except the latest."""
        for run_id in self._order[:-1]:
            self._remove_run(run_id)
            self.runRemoved.emit(run_id)
        self._has_acc = any(len(r.train_acc) or len(r.val_acc) for r in self._runs.values())
        self._rebuild_table()
        self._changed()

    def reset(self) -> None:
        """Remove every run."""
        for run_id in list(self._order):
            self._remove_run(run_id)
        self._next_color = 0
        self._has_acc = False
        self._baseline = None
        self._place_baseline()
        self._rebuild_table()
        self._changed()

    def run_ids(self) -> list[str]:
        """Runs on the plot, oldest first."""
        return list(self._order)

    def current_run(self) -> str | None:
        return self._order[-1] if self._order else None

    def run_state(self, run_id: str) -> str:
        return self._runs[run_id].state

    def best_val_loss(self, run_id: str) -> float | None:
        return self._runs[run_id].best_val

    def items_of(self, run_id: str) -> dict[str, pg.PlotDataItem]:
        """The plot items of a run: 'train', 'val', 'train_acc', 'val_acc'."""
        return dict(self._runs[run_id].items)

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
        ys = [r.train.y for r in self._runs.values() if r.visible and len(r.train)]
        ys = [y[np.isfinite(y) & (y > 0)] for y in ys]
        ys = [y for y in ys if len(y)]
        if ys and max(y.max() for y in ys) > LOG_SPAN * min(y.min() for y in ys):
            self.set_log_scale(True)

    def is_log_scale(self) -> bool:
        return self.log_box.isChecked()

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
        out: dict[str, np.ndarray] = {}
        labels = [self._runs[i].label for i in self._order]
        for n, run_id in enumerate(self._order, start=1):
            r = self._runs[run_id]
            name = r.label if labels.count(r.label) == 1 else f"{r.label} [run {n}]"
            for key, s in (("train loss", r.train), ("val loss", r.val),
                           ("train acc", r.train_acc), ("val acc", r.val_acc)):
                if len(s):
                    out[f"{name} {key} step"] = s.x.copy()
                    out[f"{name} {key}"] = s.y.copy()
        return out

    # --- drawing ------------------------------------------------------------------------
    def refresh(self) -> None:
        """Push the kept data into the plot items now."""
        self._dirty = False
        dense = False
        for r in self._runs.values():
            r.items["train"].setData(r.train.x, r.train.y)
            r.items["val"].setData(r.val.x, r.val.y)
            r.items["train_acc"].setData(r.train_acc.x, r.train_acc.y)
            r.items["val_acc"].setData(r.val_acc.x, r.val_acc.y)
            # markers on a dense validation curve would hide the training line: then the
            # dashed line alone shows it
            for key, series in (("val", r.val), ("val_acc", r.val_acc)):
                many = len(series) > MAX_MARKERS
                dense |= many and r.visible
                r.items[key].setSymbol(None if many else "o")
        self.note.setText("solid: training loss   " + ("dashed: validation loss" if dense
                                                      else "dashed with dots: validation loss"))
        self._auto_log_scale()
        self.acc_widget.setVisible(self._has_acc)
        curves = [it for r in self._runs.values() for k, it in r.items.items() if "acc" not in k]
        place_legend(self.legend, self.loss_plot, curves, avoid=[self.baseline_line.label])

    def showEvent(self, ev) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(ev)
        if self._dirty:
            self.refresh()
        self._arrange()

    def resizeEvent(self, ev) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(ev)
        self._arrange()

    def _arrange(self) -> None:
        """The table beside the plot when there is room for all its columns and a plot
        twice as wide, otherwise below the plot (a 1280 x 720 projector)."""
        hh = self.table.horizontalHeader()
        need_w = hh.length() + self.table.frameWidth() * 2 + 4
        rows = max(self.table.rowCount(), 2)
        need_h = (hh.height() + rows * self.table.verticalHeader().defaultSectionSize()
                  + self.table.frameWidth() * 2 + 4)
        total_w, total_h = self.splitter.width(), self.splitter.height()
        if total_w <= 0 or total_h <= 0:
            return
        if total_w >= 3 * need_w:
            if self.splitter.orientation() != Qt.Horizontal:
                self.splitter.setOrientation(Qt.Horizontal)
            self.splitter.setSizes([total_w - need_w, need_w])
        else:
            if self.splitter.orientation() != Qt.Vertical:
                self.splitter.setOrientation(Qt.Vertical)
            th = min(need_h, int(total_h * 0.35))
            self.splitter.setSizes([total_h - th, th])

    def _changed(self) -> None:
        # Hidden views (another tab) only remember; they draw when shown.
        self._dirty = True
        if self.isVisible():
            self.refresh()

    def _auto_start(self, run_id: str) -> _Run:
        self.start_run(run_id, str(run_id))
        return self._runs[run_id]

    def _add_val_point(self, run: _Run, step: float, loss: float | None, acc: float | None) -> None:
        last = run.val.last()
        if loss is not None:
            if last is not None and last[0] == step:
                run.val.replace_last(step, loss)
            else:
                run.val.append(step, loss)
            if run.best_val is None or loss < run.best_val:
                run.best_val = loss
        if acc is not None:
            la = run.val_acc.last()
            if la is not None and la[0] == step:
                run.val_acc.replace_last(step, acc)
            else:
                run.val_acc.append(step, acc)
            if run.best_val_acc is None or acc > run.best_val_acc:
                run.best_val_acc = acc
            self._has_acc = True

    def _make_items(self, run: _Run) -> None:
        def item(plot: pg.PlotItem, **kw) -> pg.PlotDataItem:
            it = pg.PlotDataItem(**kw)
            it.setDownsampling(auto=True, method="peak")
            it.setClipToView(True)
            plot.addItem(it)
            return it

        run.items["train"] = item(self.loss_plot)
        run.items["val"] = item(self.loss_plot, symbol="o")
        run.items["train_acc"] = item(self.acc_plot)
        run.items["val_acc"] = item(self.acc_plot, symbol="o")

    def _remove_run(self, run_id: str) -> None:
        run = self._runs.pop(run_id)
        self._order.remove(run_id)
        for key, it in run.items.items():
            (self.acc_plot if "acc" in key else self.loss_plot).removeItem(it)
            self.legend.removeItem(it)

    def _place_baseline(self) -> None:
        b = self._baseline
        if b is None or (self.is_log_scale() and b <= 0):
            self.baseline_line.hide()
            return
        # InfiniteLine knows nothing of log mode: place it in the axis' own units.
        self.baseline_line.setValue(math.log10(b) if self.is_log_scale() else b)
        self.baseline_line.show()

    # --- table --------------------------------------------------------------------------
    def _rebuild_table(self) -> None:
        self.table.setRowCount(len(self._order))
        for i, run_id in enumerate(self._order):
            for c in range(len(self.COLUMNS)):
                if self.table.item(i, c) is None:
                    self.table.setItem(i, c, QTableWidgetItem())
            self._update_table_row(self._runs[run_id])
            self.table.item(i, 0).setIcon(self._swatch(self._runs[run_id]))
        self._arrange()

    def _update_table_row(self, run: _Run) -> None:
        try:
            i = self._order.index(run.run_id)
        except ValueError:
            return
        if i >= self.table.rowCount():
            return
        params = run.info.get("parameters", run.info.get("params", run.info.get("n_params")))
        try:
            params_text = f"{int(params):,}"
        except (TypeError, ValueError):
            params_text = "—" if params is None else str(params)
        cell = run.info.get("cell")
        texts = (run.label, str(cell).upper() if cell else "—", params_text,
                 _fmt(run.steps_per_s, 3), _fmt(run.best_val),
                 "—" if run.best_val_acc is None else f"{run.best_val_acc:.1%}",
                 run.state + ("" if run.visible else " (hidden)"))
        current = run.run_id == self._order[-1]
        for c, text in enumerate(texts):
            it = self.table.item(i, c)
            if it is None:
                it = QTableWidgetItem()
                self.table.setItem(i, c, it)
            if it.text() != text:
                it.setText(text)
            if c >= 2:
                it.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
            f = it.font()
            if f.bold() != current:
                f.setBold(current)
                it.setFont(f)
        if run.state == "diverged" and self.table.item(i, 6).text() != "diverged ⚠":
            self.table.item(i, 6).setText("diverged ⚠")
        has_acc = any(r.best_val_acc is not None for r in self._runs.values())
        col = self.COLUMNS.index("Best val acc")
        if self.table.isColumnHidden(col) == has_acc:
            self.table.setColumnHidden(col, not has_acc)

    def _swatch(self, run: _Run) -> QIcon:
        s = max(12, round(14 * self._tm.scale))
        pm = QPixmap(s, s)
        pm.fill(self._tm.series_color(run.color))
        return QIcon(pm)

    def table_text(self, row: int, column: str) -> str:
        """The text of ``column`` (a :attr:`COLUMNS` name) in table row ``row``."""
        it = self.table.item(row, self.COLUMNS.index(column))
        return "" if it is None else it.text()

    # --- style --------------------------------------------------------------------------
    def restyle(self) -> None:
        """Re-read fonts, colours and pen widths from the theme manager."""
        tm = self._tm
        for w in (self.loss_widget, self.acc_widget):
            w.setBackground(tm.theme.base)
        style_plot(self.loss_plot, tm, title="Loss (lower is better)",
                   labels={"left": "loss", "bottom": "training step"})
        style_plot(self.acc_plot, tm, title=None,
                   labels={"left": "accuracy", "bottom": "training step"})
        pen = tm.pen("text", "line", style=Qt.DashLine)
        self.baseline_line.setPen(pen)
        self.baseline_line.label.setColor(tm.color("text"))
        self.baseline_line.label.setFont(tm.font("label"))
        self.baseline_line.label.fill = pg.mkBrush(label_fill(tm))   # legible over the curves
        body = tm.font("body")
        for w in (self.log_box, self.clear_button, self.table):
            w.setFont(body)
        self.table.horizontalHeader().setFont(tm.font("body", bold=True))
        self.table.verticalHeader().setDefaultSectionSize(round(tm.font_pt("body") * 2.4))
        self.note.setFont(tm.font("small"))
        self.note.setStyleSheet(f"color: {tm.theme.muted};")
        self.restyle_runs()
        self._rebuild_table()

    def restyle_runs(self) -> None:
        """Pens of every run: the latest bold and opaque, earlier ones faded and thin."""
        tm = self._tm
        latest = self.current_run()
        for run_id, r in self._runs.items():
            color = QColor(tm.series_color(r.color))
            current = run_id == latest
            if not current:
                color.setAlpha(_FADED_ALPHA)
            width = tm.width("line") * (1.0 if current else _FADED_WIDTH)
            width = max(width, 1.0)
            train = pg.mkPen(color, width=width)
            val = pg.mkPen(color, width=width, style=Qt.DashLine)
            sym = (8 if current else 5) * tm.scale
            for key, pen in (("train", train), ("train_acc", train), ("val", val), ("val_acc", val)):
                it = r.items[key]
                it.setPen(pen)
                if key.startswith("val"):
                    it.setSymbolPen(pg.mkPen(color, width=1))
                    it.setSymbolBrush(color)
                    it.setSymbolSize(sym)
                it.setZValue(10 if current else 0)
            # The legend names the latest run's two curves and each earlier run once.
            self.legend.removeItem(r.items["train"])
            self.legend.removeItem(r.items["val"])
            if not r.visible:
                continue
            if current:
                self.legend.addItem(r.items["train"], f"{r.label} — training")
                self.legend.addItem(r.items["val"], f"{r.label} — validation")
            else:
                self.legend.addItem(r.items["train"], f"{r.label} (earlier run)")
        style_legend(self.legend, tm)
