"""The Loss view's run table: one row per run (its colour, cell, parameter count, speed, a column
for each curve its family names one for (best validation loss by default; a GAN's final J_D
and J_G), best validation accuracy, state), the latest in bold, and a menu on each row to
rename, hide, save or delete that run.

The curve columns are those of the runs in the table, in the order they first appear (a run
of a family without one shows a dash there): a table of GANs has no "Best val loss" column
that could only ever read "—".

The table chooses nothing itself: its menu says what the person chose through signals, and
the Loss view, which owns the runs, carries it out (the window hears of it from the view).
"""

from __future__ import annotations

from typing import Iterable, Sequence

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView, QHeaderView, QInputDialog, QMenu, QSizePolicy, QTableWidget, QTableWidgetItem,
)

from seqlab.core.family import DEFAULT_LOSS_CURVES, LossCurve
from seqlab.ui.theme import ThemeManager
from seqlab.ui.views.loss_runs import LossRun

__all__ = ["RunTable", "COLUMNS", "columns_for"]

_LEFT = ("Run", "Cell", "Parameters", "Steps/s")
_RIGHT = ("Best val acc", "State")


def columns_for(curves: Iterable[LossCurve]) -> tuple[str, ...]:
    """The table's columns for runs that draw ``curves``: a column for each curve that has
    one, in the order they first come."""
    out: list[str] = []
    for c in curves:
        if c.column and c.column not in out:
            out.append(c.column)
    return _LEFT + tuple(out) + _RIGHT


#: the columns of a table of runs that draw the default curves
COLUMNS = columns_for(DEFAULT_LOSS_CURVES)


def _fmt(v: float | None, digits: int = 4) -> str:
    return "—" if v is None else f"{v:.{digits}g}"


class RunTable(QTableWidget):
    """The runs of a Loss view, oldest first; :meth:`set_runs` after the runs change,
    :meth:`update_run` after one run's figures do. ``columns``: its columns now."""

    COLUMNS = COLUMNS

    renameChosen = Signal(str, str)       # run id, the new name typed (may be empty: cancelled)
    visibilityChosen = Signal(str, bool)  # run id, shown
    saveChosen = Signal(str)              # run id
    deleteChosen = Signal(str)            # run id

    def __init__(self, tm: ThemeManager):
        super().__init__(0, len(COLUMNS))
        self._tm = tm
        self._runs: list[LossRun] = []
        self.columns = COLUMNS
        self.setHorizontalHeaderLabels(COLUMNS)
        self.verticalHeader().hide()
        self.setEditTriggers(QAbstractItemView.NoEditTriggers)
        # a run is chosen in the table (to save or export it); its menu renames, hides or deletes it
        self.setSelectionMode(QAbstractItemView.SingleSelection)
        self.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.setFocusPolicy(Qt.NoFocus)
        self.setContextMenuPolicy(Qt.CustomContextMenu)
        self.customContextMenuRequested.connect(self._popup_menu)
        self.setToolTip("Click a run to choose it for saving; right-click to rename, hide or delete it")
        self.setWordWrap(False)
        hh = self.horizontalHeader()
        hh.setSectionResizeMode(QHeaderView.ResizeToContents)
        hh.setStretchLastSection(False)
        self.setColumnHidden(COLUMNS.index("Best val acc"), True)     # until a run has an accuracy
        self.setSizePolicy(QSizePolicy.Preferred, QSizePolicy.Expanding)

    # --- rows ---------------------------------------------------------------------------
    def set_runs(self, runs: Sequence[LossRun], expected: Iterable[LossCurve] = DEFAULT_LOSS_CURVES) -> None:
        """One row per run, in this order (the last is the latest); with no run, the columns
        of runs that will draw ``expected`` (the family chosen: an empty GAN table has no
        "Best val loss")."""
        self._runs = list(runs)
        self._set_columns(columns_for([c for r in self._runs for c in r.curves] or expected))
        self.setRowCount(len(self._runs))
        for i, run in enumerate(self._runs):
            for c in range(len(self.columns)):
                if self.item(i, c) is None:
                    self.setItem(i, c, QTableWidgetItem())
            self.update_run(run)
            self.item(i, 0).setIcon(self._swatch(run))

    def _set_columns(self, columns: tuple[str, ...]) -> None:
        """The runs' families changed which curves have a column: the headers follow (the
        cells are rewritten by :meth:`set_runs`)."""
        if columns == self.columns:
            return
        self.columns = columns
        self.clearContents()
        self.setColumnCount(len(columns))
        self.setHorizontalHeaderLabels(columns)
        acc = columns.index("Best val acc")
        for c in range(len(columns)):
            self.setColumnHidden(c, c == acc)     # until a run has an accuracy (update_run)

    def update_run(self, run: LossRun) -> None:
        """Rewrite the row of ``run`` (its figures or state changed)."""
        ids = [r.run_id for r in self._runs]
        if run.run_id not in ids:
            return
        i = ids.index(run.run_id)
        if i >= self.rowCount():
            return
        params = run.info.get("parameters", run.info.get("params", run.info.get("n_params")))
        try:
            params_text = f"{int(params):,}"
        except (TypeError, ValueError):
            params_text = "—" if params is None else str(params)
        cell = run.info.get("cell")
        texts = (run.label, str(cell).upper() if cell else "—", params_text, _fmt(run.steps_per_s, 3),
                 *(_fmt(run.column_value(c)) for c in self.columns[len(_LEFT):-len(_RIGHT)]),
                 "—" if run.best_val_acc is None else f"{run.best_val_acc:.1%}",
                 run.state + ("" if run.visible else " (hidden)"))
        current = run.run_id == ids[-1]
        for c, text in enumerate(texts):
            it = self.item(i, c)
            if it is None:
                it = QTableWidgetItem()
                self.setItem(i, c, it)
            if it.text() != text:
                it.setText(text)
            if c >= 2:
                it.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
            f = it.font()
            if f.bold() != current:
                f.setBold(current)
                it.setFont(f)
        state = self.columns.index("State")
        if run.state == "diverged" and self.item(i, state).text() != "diverged ⚠":
            self.item(i, state).setText("diverged ⚠")
        has_acc = any(r.best_val_acc is not None for r in self._runs)
        col = self.columns.index("Best val acc")
        if self.isColumnHidden(col) == has_acc:
            self.setColumnHidden(col, not has_acc)

    def _swatch(self, run: LossRun) -> QIcon:
        s = max(12, round(14 * self._tm.scale))
        pm = QPixmap(s, s)
        pm.fill(self._tm.series_color(run.color))
        return QIcon(pm)

    def cell_text(self, row: int, column: str) -> str:
        """The text of ``column`` (a name in :attr:`columns`) in row ``row``."""
        it = self.item(row, self.columns.index(column))
        return "" if it is None else it.text()

    def selected_run(self) -> str | None:
        """The id of the run chosen in the table (None: none chosen)."""
        rows = self.selectionModel().selectedRows() if self.selectionModel() else []
        if rows and 0 <= rows[0].row() < len(self._runs):
            return self._runs[rows[0].row()].run_id
        return None

    def needed_size(self, rows: int | None = None) -> tuple[int, int]:
        """The width that shows every column, and the height of ``rows`` rows (by default
        its own, one at least: no blank band under a single run)."""
        hh = self.horizontalHeader()
        need_w = hh.length() + self.frameWidth() * 2 + 4
        rows = max(self.rowCount(), 1) if rows is None else rows
        need_h = (max(hh.height(), hh.sizeHint().height()) + rows * self.verticalHeader().defaultSectionSize()
                  + self.frameWidth() * 2 + 4)
        return need_w, need_h

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        # Qt's least height for a table is 70 px: under one run that was a blank band
        s = super().minimumSizeHint()
        return QSize(s.width(), min(s.height(), self.needed_size(rows=1)[1]))

    def restyle(self) -> None:
        """Fonts and row height from the theme (the swatches follow at the next :meth:`set_runs`)."""
        tm = self._tm
        self.setFont(tm.font("body"))
        self.horizontalHeader().setFont(tm.font("body", bold=True))
        self.verticalHeader().setDefaultSectionSize(round(tm.font_pt("body") * 2.4))

    # --- the menu -----------------------------------------------------------------------
    def menu_for(self, row: int) -> QMenu | None:
        """The menu of row ``row`` (None off the rows): rename, hide or show, save, delete."""
        if not 0 <= row < len(self._runs):
            return None
        run = self._runs[row]
        run_id = run.run_id
        menu = QMenu(self)
        menu.addAction("Rename…", lambda: self.renameChosen.emit(run_id, QInputDialog.getText(
            self, "Rename the run", "Name:", text=run.label)[0]))
        menu.addAction("Hide" if run.visible else "Show", lambda: self.visibilityChosen.emit(run_id, not run.visible))
        menu.addAction("Save this run…", lambda: self.saveChosen.emit(run_id))
        menu.addSeparator()
        menu.addAction("Delete", lambda: self.deleteChosen.emit(run_id))
        return menu

    def _popup_menu(self, pos) -> None:
        row = self.rowAt(pos.y())
        menu = self.menu_for(row)
        if menu is None:
            return
        self.selectRow(row)
        menu.popup(self.viewport().mapToGlobal(pos))
