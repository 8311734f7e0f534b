"""The Data panel: a built-in data set and its parameters, or a CSV time series, with a small
preview plot of a few samples.

Only the controls the chosen data set uses are shown. Importing a CSV file asks for the
file, lists its columns (``read_csv_columns``) and previews the chosen column; any problem
(no such file, text or NaN in a number column, too few rows, an empty file) becomes one
message naming the file, line and column, and the panel goes back to the data set it had,
so the lab stays usable. Numpy only: torch is not needed here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QWidget

from seqlab.families.recurrent.data import DataError, preview, read_csv_columns, supported_tasks
from seqlab.core.errors import SpecError
from seqlab.families.recurrent.spec import DataSpec
from seqlab.ui.panels.common import SpecPanel, help_text
from seqlab.ui.theme import ThemeManager, style_plot, theme_manager

DATASET_CHOICES = [
    ("Sine waves", "sine"),
    ("Adding problem", "adding"),
    ("Memory task", "memory"),
    ("Sunspots (yearly)", "sunspots"),
    ("Your CSV file…", "csv"),
]

# which controls each data set uses
_FIELDS = {
    "sine": ["seq_len", "samples", "noise", "seed"],
    "adding": ["seq_len", "samples", "seed", None],
    "memory": ["lag", "n_symbols", "samples", "seed"],
    "sunspots": ["seq_len", None],
    "csv": ["seq_len", "column"],
}


class DataPanel(SpecPanel):
    """Edits the ``data`` section of the experiment."""

    section = "data"
    family = "recurrent"
    tasks_changed = Signal(tuple)       # the model.task values the data set supports

    def __init__(self, parent: QWidget | None = None, *, theme: ThemeManager | None = None):
        super().__init__(parent)
        self._tm = theme or theme_manager()
        self._previous = "sine"
        self._csv_path: str | None = None

        self.name_box = self.combo(DATASET_CHOICES)
        self.name_box.setToolTip(help_text("data", "name", "Pick one, or import a CSV time series of your own"))
        self.name_box.activated.connect(self._on_name_activated)
        self.seq_len = self.spin(1, 5000)
        self.samples = self.spin(8, 1_000_000, 100)
        self.noise = self.dspin(0.0, 10.0, 0.05)
        self.seed = self.spin(0, 2**31 - 1)
        self.lag = self.spin(1, 5000)
        self.n_symbols = self.spin(2, 64)
        self.column = self.combo([])
        self.labelled("seq_len", "Steps T", self.seq_len, help_text("data", "seq_len"))
        self.labelled("samples", "Samples", self.samples, help_text("data", "samples"))
        self.labelled("noise", "Noise", self.noise, help_text("data", "noise"))
        self.labelled("seed", "Seed", self.seed, help_text("data", "seed"))
        self.labelled("lag", "Lag", self.lag, help_text("data", "lag"))
        self.labelled("n_symbols", "Symbols", self.n_symbols, help_text("data", "n_symbols"))
        self.labelled("column", "Column", self.column, help_text("data", "column"))
        self.column.activated.connect(lambda _i: self._preview_now())

        top = QHBoxLayout()
        top.setSpacing(6)
        title = QLabel("Data set", self)
        title.setToolTip(self.name_box.toolTip())
        top.addWidget(title)
        top.addWidget(self.name_box, 1)
        self.csv_button = QPushButton("CSV…", self)
        self.csv_button.setToolTip("Read a time series from a CSV file: pick the file, then the column")
        self.csv_button.clicked.connect(self.choose_csv)
        top.addWidget(self.csv_button)
        self._outer.insertLayout(0, top)

        self.file_label = QLabel(self)
        self.file_label.setTextFormat(Qt.PlainText)
        self.file_label.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Fixed)
        self.file_label.hide()
        self._outer.addWidget(self.file_label)

        self.plot_widget = pg.PlotWidget()
        self.plot_widget.setMinimumHeight(48)
        self.plot_widget.setMaximumHeight(72)
        self.plot_widget.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Preferred)
        self.plot = self.plot_widget.getPlotItem()
        self.plot.setMenuEnabled(False)
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.hideButtons()
        self.plot.hideAxis("left")
        self._curves = [pg.PlotDataItem() for _ in range(3)]
        for c in self._curves:
            self.plot.addItem(c)
        self._marks = pg.ScatterPlotItem(size=7)
        self.plot.addItem(self._marks)
        self._splits = [pg.InfiniteLine(angle=90, movable=False) for _ in range(2)]
        for ln in self._splits:
            self.plot.addItem(ln, ignoreBounds=True)
        self._outer.addWidget(self.plot_widget)
        # what the preview shows: one short line (the full description is the plot's tooltip)
        self.preview_note = QLabel(self)
        self.preview_note.setTextFormat(Qt.PlainText)
        self.preview_note.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Fixed)
        self._outer.addWidget(self.preview_note)
        self.finish_layout()

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(150)
        self._timer.timeout.connect(self._preview_now)
        self.changed.connect(self._timer.start)
        self._tm.changed.connect(self.restyle)
        self.restyle()
        self.set_values(DataSpec().__dict__.copy())

    # -- values --------------------------------------------------------------------------
    def load(self, d: dict[str, Any]) -> None:
        name = d.get("name", "sine")
        self.set_combo(self.name_box, name)
        self._previous = name if name != "csv" else self._previous
        self.seq_len.setValue(int(d.get("seq_len", 50)))
        self.samples.setValue(int(d.get("samples", 2000)))
        self.noise.setValue(float(d.get("noise", 0.05)))
        self.seed.setValue(int(d.get("seed", 0)))
        self.lag.setValue(int(d.get("lag", 30)))
        self.n_symbols.setValue(int(d.get("n_symbols", 4)))
        self._csv_path = d.get("path")
        self.column.clear()
        if name == "csv" and self._csv_path:
            try:
                for c in read_csv_columns(self._csv_path):
                    self.column.addItem(c, c)
            except DataError:
                pass
            if d.get("column"):
                if self.column.findData(d["column"]) < 0:
                    self.column.addItem(d["column"], d["column"])
                self.set_combo(self.column, d["column"])

    def read(self) -> dict[str, Any]:
        name = self.name_box.currentData()
        d: dict[str, Any] = {"name": name, "seq_len": self.seq_len.value(), "samples": self.samples.value(),
                             "noise": round(self.noise.value(), 6), "seed": self.seed.value(),
                             "lag": self.lag.value(), "n_symbols": self.n_symbols.value()}
        if name == "csv":
            d["path"] = self._csv_path
            d["column"] = self.column.currentData()
        else:
            d["path"], d["column"] = None, None
        return d

    def on_controls_changed(self) -> None:
        name = self.name_box.currentData()
        self.place(_FIELDS.get(name, []))
        self.file_label.setVisible(name == "csv" and bool(self._csv_path))
        if self._csv_path:
            self.file_label.setText(f"File: {Path(self._csv_path).name}")
            self.file_label.setToolTip(self._csv_path)
        self.tasks_changed.emit(self.supported_tasks())

    def supported_tasks(self) -> tuple[str, ...]:
        try:
            return supported_tasks(self.name_box.currentData())
        except DataError:
            return ()

    # -- CSV -----------------------------------------------------------------------------
    def _on_name_activated(self, _index: int) -> None:
        name = self.name_box.currentData()
        self.set_field_error("csv", "")
        if name == "csv":
            if not self._csv_path and not self.choose_csv():
                self._revert()
        else:
            self._previous = name

    def choose_csv(self) -> bool:
        """Ask for a CSV file and import it; False when cancelled or the file is unusable."""
        from seqlab.ui.settings import Preferences

        prefs = getattr(self.window(), "prefs", None)
        start = prefs.last_folder if isinstance(prefs, Preferences) else str(Path.home())
        path, _ = QFileDialog.getOpenFileName(self, "Import a CSV time series", start,
                                              "CSV files (*.csv *.txt *.tsv);;All files (*)")
        if not path:
            return False
        if isinstance(prefs, Preferences):
            prefs.last_folder = str(Path(path).parent)
        return self.import_csv(path, ask=True)

    def import_csv(self, path: str, column: str | None = None, ask: bool = False) -> bool:
        """Use column `column` of CSV file `path` as the data set.

        Without a column: a file with one column uses it; with several, the person picks
        one (``ask``) or the last column is used (often the values after a date or index).
        On any problem: one message naming the file, line and column (the ``message``
        signal and the panel's error line), and the panel keeps the data set it had.
        """
        try:
            columns = read_csv_columns(path)
        except DataError as e:
            self._fail_csv(str(e))
            return False
        if column is None and columns:
            column = columns[-1]
            if ask and len(columns) > 1:
                from PySide6.QtWidgets import QInputDialog

                column, ok = QInputDialog.getItem(self, "Which column?", f"The series to learn, from "
                                                  f"{Path(path).name}:", columns, len(columns) - 1, False)
                if not ok:
                    return False
        try:
            spec = DataSpec(name="csv", path=str(path), column=column, seq_len=self.seq_len.value(),
                            val_fraction=self._base.get("val_fraction", 0.15),
                            test_fraction=self._base.get("test_fraction", 0.15))
            pv = preview(spec, n=3)
        except DataError as e:
            self._fail_csv(str(e))
            return False
        chosen = column or (pv.feature_names[0] if pv.feature_names else None)
        note = self._fit_seq_len(pv, spec)
        if note is None:
            return False
        self._loading = True
        try:
            self._csv_path = str(path)
            self.column.clear()
            for c in columns:
                self.column.addItem(c, c)
            if chosen:
                self.set_combo(self.column, chosen)
            self.set_combo(self.name_box, "csv")
        finally:
            self._loading = False
        self.set_field_error("csv", "")
        self.on_controls_changed()
        self.changed.emit()
        self._preview_now()
        if note:
            self.message.emit("Steps T adapted to the file", note)
        return True

    def _fit_seq_len(self, pv, spec) -> str | None:
        """Check at load (not at Start) that the series gives training, validation and test
        windows of ``seq_len`` steps; shorten ``seq_len`` when it does not. Returns a note
        ('' when nothing changed), or None after saying why the file cannot be used."""
        from seqlab.families.recurrent.data.series import longest_seq_len

        if pv.series is None:
            return ""
        L = len(pv.series)
        longest = longest_seq_len(L, spec.val_fraction, spec.test_fraction)
        if spec.seq_len <= longest:
            return ""
        if longest < 2:
            self._fail_csv(f"{spec.path}: {L} rows are too few to split into training, validation and test "
                           f"windows; the earlier data is kept")
            return None
        self._loading = True
        try:
            self.seq_len.setValue(longest)
        finally:
            self._loading = False
        return (f"{Path(spec.path).name} has {L} rows: windows of {spec.seq_len} steps do not fit in each of its "
                f"training, validation and test parts, so Steps T is now {longest}, the longest that fits.")

    def _fail_csv(self, text: str) -> None:
        """The new file is not loaded: the data set in use stays (a CSV loaded earlier too)."""
        kept = self.name_box.currentData() == "csv" and bool(self._csv_path)
        if not kept:
            self._revert()
        what = f"the earlier file ({Path(self._csv_path).name}) is kept" if kept else "the data set in use is kept"
        if not kept:
            self.set_field_error("csv", text)
        self.message.emit("This CSV file cannot be used", f"{text}\n\nIt was not loaded; {what}.")

    def _revert(self) -> None:
        self._loading = True
        try:
            self.set_combo(self.name_box, self._previous if self._previous != "csv" else "sine")
        finally:
            self._loading = False
        self.on_controls_changed()
        self.changed.emit()

    # -- preview -------------------------------------------------------------------------
    def _preview_now(self) -> None:
        try:
            spec = DataSpec(**{**DataSpec().__dict__, **{k: v for k, v in self.values().items()
                                                          if k in DataSpec().__dict__}})
            pv = preview(spec, n=3)
        except (DataError, SpecError, TypeError) as e:
            self._clear_plot()
            self.preview_note.setText("")
            self.set_field_error("preview", str(e))
            return
        self.set_field_error("preview", "")
        self._draw(pv)

    def _clear_plot(self) -> None:
        for c in self._curves:
            c.setData([], [])
        self._marks.setData([], [])
        for ln in self._splits:
            ln.hide()

    def _draw(self, pv) -> None:
        self._clear_plot()
        tm = self._tm
        pens = [tm.pen() for _ in range(3)]
        for i, p in enumerate(pens):
            p.setColor(tm.series_color(i))
        note = pv.description
        if pv.series is not None:
            s = np.asarray(pv.series, np.float64)
            self._curves[0].setData(np.arange(len(s)), s, pen=pens[0])
            if pv.split_index:
                for ln, x in zip(self._splits, pv.split_index):
                    ln.setValue(x)
                    ln.setPen(tm.pen("muted", "axis", style=Qt.DashLine))
                    ln.show()
                note = "Whole series; dashed: end of training, of validation"
        elif pv.name == "memory":
            x = pv.x
            for i in range(min(3, len(x))):
                ch = np.argmax(x[i], axis=1).astype(np.float64) + i * 0.15
                self._curves[i].setData(np.arange(1, len(ch) + 1), ch, pen=pens[i], stepMode=None)
            names = ", ".join(pv.class_names[int(t)] for t in pv.targets[:3]) if pv.class_names is not None else ""
            note = f"Input channel per step; recall: {names}"
        elif pv.name == "adding":
            x = pv.x
            for i in range(min(2, len(x))):
                self._curves[i].setData(np.arange(1, x.shape[1] + 1), x[i, :, 0] + 1.2 * i, pen=pens[i])
            pts = [(t + 1, x[i, t, 0] + 1.2 * i) for i in range(min(2, len(x))) for t in np.flatnonzero(x[i, :, 1])]
            if pts:
                px, py = zip(*pts)
                self._marks.setData(px, py, brush=tm.color("text"), pen=None, symbol="o")
            note = "Two samples; dots: the marked values to add"
        else:
            x = pv.x
            for i in range(min(3, len(x))):
                self._curves[i].setData(np.arange(1, x.shape[1] + 1), x[i, :, 0], pen=pens[i])
            note = f"First {min(3, len(x))} samples"
        self.plot.enableAutoRange()
        self.preview_note.setText(note)
        self.preview_note.setToolTip(pv.description)
        self.plot_widget.setToolTip(pv.description)

    def restyle(self) -> None:
        style_plot(self.plot, self._tm, axes=("bottom",))
        f = self._tm.font("small")
        self.preview_note.setFont(f)
        self.file_label.setFont(f)
        self._preview_now()
