"""The autoencoder's Data panel: digits (8x8 or 28x28), heartbeats with anomalies, or your
own CSV (feature rows, or a series cut into windows). A CSV is read when it is chosen; any
problem is one message naming the file, line and column, and the panel keeps the data set
it had."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QPushButton, QWidget

from seqlab.core.errors import DataError
from seqlab.families.autoencoder.data.feature_csv import read_feature_csv, read_series_windows
from seqlab.families.autoencoder.spec import DataSpec
from seqlab.families.recurrent.data.csvfile import read_csv_columns
from seqlab.ui.panels.common import SpecPanel, help_text
from seqlab.ui.widgets.elided_label import ElidedLabel

NAME = "autoencoder"
DATA_CHOICES = [("Digits 8×8", "digits8x8"), ("Digits 28×28", "digits28"), ("Heartbeats", "heartbeat"),
                ("CSV feature rows…", "csv-features"), ("CSV series…", "csv-series")]
SHOWN = {"digits8x8": ["name*", "seed"], "digits28": ["name*", "seed"],
         "heartbeat": ["name*", "window", "duration_s", "anomaly_rate", "seed"],
         "csv-features": ["name*", "label_column*", "seed"],
         "csv-series": ["name*", "column*", "window", "seed"]}
NO_LABEL = "(no labels)"


class AutoencoderDataPanel(SpecPanel):
    section = "data"
    family = NAME
    shape_changed = Signal(tuple)      # values per sample, as the model sees them

    def __init__(self, parent: QWidget | None = None, *, theme=None):
        super().__init__(parent)
        self._previous = "digits8x8"
        self._csv_path: str | None = None
        self._csv_shape: tuple[int, ...] | None = None
        self.name_box = self.combo(DATA_CHOICES)
        self.name_box.activated.connect(self._on_name_activated)
        self.seed = self.spin(0, 2**31 - 1)
        self.window_len = self.spin(8, 2000, 10)
        self.duration = self.dspin(60.0, 20_000.0, 60.0, 0)
        self.duration.setSuffix(" s")
        self.anomaly_rate = self.dspin(0.0, 0.2, 0.01, 3)
        self.column = self.combo([])
        self.label_column = self.combo([])
        f = NAME
        self.labelled("name", "Data", self.name_box, help_text("data", "name", family=f))
        self.labelled("seed", "Seed", self.seed, help_text("data", "seed", family=f))
        self.labelled("window", "Window", self.window_len, help_text("data", "window", family=f))
        self.labelled("duration_s", "Length", self.duration, help_text("data", "duration_s", family=f))
        self.labelled("anomaly_rate", "Anomalies", self.anomaly_rate, help_text("data", "anomaly_rate", family=f))
        self.labelled("column", "Column", self.column, help_text("data", "column", family=f))
        self.labelled("label_column", "Labels", self.label_column, help_text("data", "label_column", family=f))
        row = QHBoxLayout()
        self.file_label = QLabel(self)
        self.file_label.setTextFormat(Qt.PlainText)
        self.csv_button = QPushButton("CSV…", self)
        self.csv_button.setToolTip("Read your own CSV file: rows of features, or one column as a series")
        self.csv_button.clicked.connect(lambda: self.choose_csv())
        # one line for the data set's description (elided, whole in its tooltip) beside the CSV
        # button: wrapped over three lines it made the panel scroll at 1280x720
        self.about = ElidedLabel(parent=self)
        row.addWidget(self.file_label, 1)
        row.addWidget(self.about, 1)
        row.addWidget(self.csv_button)
        self._outer.addLayout(row)
        self.finish_layout()
        self.set_values(DataSpec().__dict__.copy())

    # -- values ----------------------------------------------------------------------------
    def load(self, d: dict[str, Any]) -> None:
        name = d.get("name", "digits8x8")
        self._csv_path = d.get("path")
        if name.startswith("csv") and self._csv_path:
            self._fill_columns(self._csv_path, d.get("column"), d.get("label_column"))
        self.set_combo(self.name_box, name)
        if not name.startswith("csv"):
            self._previous = name
        self.seed.setValue(int(d.get("seed", 0)))
        self.window_len.setValue(int(d.get("window", 100)))
        self.duration.setValue(float(d.get("duration_s", 1200.0)))
        self.anomaly_rate.setValue(float(d.get("anomaly_rate", 0.03)))

    def read(self) -> dict[str, Any]:
        name = self.name_box.currentData()
        d = {"name": name, "seed": self.seed.value(), "window": self.window_len.value(),
             "duration_s": float(self.duration.value()), "anomaly_rate": round(self.anomaly_rate.value(), 4)}
        if name.startswith("csv"):
            d["path"] = self._csv_path
            d["column"] = self.column.currentData() if name == "csv-series" else None
            lab = self.label_column.currentData()
            d["label_column"] = lab if name == "csv-features" and lab != NO_LABEL else None
        return d

    def on_controls_changed(self) -> None:
        name = self.name_box.currentData()
        self.place(SHOWN[name])
        self.file_label.setVisible(name.startswith("csv") and bool(self._csv_path))
        self.about.setVisible(not self.file_label.isVisibleTo(self))
        if self._csv_path:
            self.file_label.setText(f"File: {Path(self._csv_path).name}")
            self.file_label.setToolTip(self._csv_path)
        about = {"digits8x8": "1,797 handwritten digits, 8×8 pixels (UCI, CC BY 4.0).",
                 "digits28": "5,000 MNIST digits, 28×28 pixels (CC BY-SA 3.0).",
                 "heartbeat": "An ECG-like trace at 100 Hz with premature beats, dropouts, noise bursts and "
                              "baseline shifts. Training sees normal windows only.",
                 "csv-features": "Each row of your file is one sample; columns are standardised.",
                 "csv-series": "One column of your file, cut into overlapping windows."}[name]
        self.about.setText(about)
        self.shape_changed.emit(self.input_shape())

    def input_shape(self) -> tuple[int, ...]:
        name = self.name_box.currentData()
        if name == "digits8x8":
            return (8, 8)
        if name == "digits28":
            return (28, 28)
        if name == "csv-features" and self._csv_shape:
            return self._csv_shape
        return (self.window_len.value(),)

    # -- CSV -------------------------------------------------------------------------------
    def _on_name_activated(self, _i: int) -> None:
        name = self.name_box.currentData()
        self.set_field_error("csv", "")
        if name.startswith("csv"):
            if not self._csv_path and not self.choose_csv(name):
                self._revert()
        else:
            self._previous = name

    def choose_csv(self, kind: str | None = None) -> bool:
        """Ask for a CSV file and import it; False when cancelled or the file is unusable."""
        prefs = getattr(self.window(), "prefs", None)
        start = getattr(prefs, "last_folder", str(Path.home()))
        path, _ = QFileDialog.getOpenFileName(self, "Import a CSV file", start,
                                              "CSV files (*.csv *.txt *.tsv);;All files (*)")
        if not path:
            return False
        kind = kind or self.name_box.currentData()
        return self.import_csv(path, kind if kind.startswith("csv") else "csv-features")

    def import_csv(self, path: str, kind: str = "csv-features", column: str | None = None) -> bool:
        """Use CSV file `path` as feature rows (``csv-features``) or a series (``csv-series``).

        The whole file is read and checked now; on any problem the message names the file,
        line and column (the ``message`` signal and the panel's error line) and the panel
        keeps the data set it had."""
        try:
            columns = read_csv_columns(path)
            if kind == "csv-features":
                t = read_feature_csv(path, column)
                shape = (t.x.shape[1],)
            else:
                column = column or columns[-1]
                read_series_windows(path, column, self.window_len.value())
                shape = (self.window_len.value(),)
        except DataError as e:
            self._fail_csv(str(e))
            return False
        self._loading = True
        try:
            self._csv_path = str(path)
            self._fill_columns(path, column if kind == "csv-series" else None,
                               column if kind == "csv-features" else None, columns)
            self._csv_shape = shape
            self.set_combo(self.name_box, kind)
        finally:
            self._loading = False
        self.set_field_error("csv", "")
        self.on_controls_changed()
        self.changed.emit()
        return True

    def _fill_columns(self, path: str, column: str | None, label: str | None, columns=None) -> None:
        try:
            columns = columns if columns is not None else read_csv_columns(path)
        except DataError:
            columns = []
        self.column.clear()
        self.label_column.clear()
        self.label_column.addItem(NO_LABEL, NO_LABEL)
        for c in columns:
            self.column.addItem(c, c)
            self.label_column.addItem(c, c)
        if column:
            self.set_combo(self.column, column)
        elif columns:
            self.column.setCurrentIndex(len(columns) - 1)
        self.set_combo(self.label_column, label or NO_LABEL)
        if label is None and self._csv_path:
            try:
                self._csv_shape = (read_feature_csv(path).x.shape[1],)
            except DataError:
                self._csv_shape = None

    def _fail_csv(self, text: str) -> None:
        self._revert()
        self.set_field_error("csv", text)
        self.message.emit("This CSV file cannot be used", text)

    def _revert(self) -> None:
        self._loading = True
        try:
            self.set_combo(self.name_box, self._previous)
        finally:
            self._loading = False
        self.on_controls_changed()
        self.changed.emit()


__all__ = ["AutoencoderDataPanel"]
