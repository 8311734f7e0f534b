"""The Live page: Listen / Stop, class probabilities as bars, threshold, the detections log, and
the network's gates and cell state animating on the live window (the recurrent GatesView)."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QHBoxLayout, QLabel, QListWidget, QPushButton, QSlider, QSplitter, QVBoxLayout,
                               QWidget)

from seqlab.ui.theme import style_plot

from .live_job import LiveSettings

MAX_LOG = 200


class LivePage(QWidget):
    listen_requested = Signal(bool)          # True: start listening, False: stop

    def __init__(self, theme, parent: QWidget | None = None):
        super().__init__(parent)
        from seqlab.families.recurrent.ui.views.gates_view import GatesView
        from seqlab.ui.widgets.timeline import TimelineScrubber

        self.tm = theme
        self.settings = LiveSettings()
        lay = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.listen_button = QPushButton("Listen")
        self.listen_button.setCheckable(True)
        self.listen_button.clicked.connect(lambda on: self.listen_requested.emit(bool(on)))
        self.threshold = QSlider(Qt.Horizontal)
        self.threshold.setRange(30, 99)
        self.threshold.setValue(70)
        self.threshold.setToolTip("How sure the network must be (smoothed probability) before a word counts")
        self.threshold.valueChanged.connect(self._on_threshold)
        self.threshold_label = QLabel("threshold 0.70")
        self.stats = QLabel("")
        bar.addWidget(self.listen_button)
        bar.addWidget(self.threshold_label)
        bar.addWidget(self.threshold, 1)
        bar.addWidget(self.stats, 2)
        lay.addLayout(bar)
        self.status = QLabel("Train a speech model (or open a run folder), turn the microphone on, then Listen.")
        self.status.setWordWrap(True)
        lay.addWidget(self.status)

        split = QSplitter(Qt.Vertical)
        top = QSplitter(Qt.Horizontal)
        self.bars_widget = pg.PlotWidget()
        self.bar_plot = self.bars_widget.getPlotItem()
        self.bars = pg.BarGraphItem(x=[], height=[], width=0.7, brush=theme.series_color(0))
        self.bar_plot.addItem(self.bars)
        self.thr_line = pg.InfiniteLine(pos=0.7, angle=0, pen=pg.mkPen(theme.series_color(1), width=2,
                                                                     style=Qt.DashLine))
        self.bar_plot.addItem(self.thr_line)
        self.bar_plot.setYRange(0, 1)
        style_plot(self.bar_plot, theme, "Class probabilities (last second, smoothed)",
                   labels={"left": "probability"})
        top.addWidget(self.bars_widget)
        self.log = QListWidget()
        self.log.setToolTip("Detected words with the time (seconds since Listen) and probability")
        top.addWidget(self.log)
        top.setSizes([700, 250])
        split.addWidget(top)
        self.timeline = TimelineScrubber(theme=theme)
        self.gates = GatesView(timeline=self.timeline, theme=theme)
        split.addWidget(self.gates)
        split.setSizes([300, 400])
        lay.addWidget(split, 1)
        self._names: list[str] = []

    def _on_threshold(self, v: int) -> None:
        self.settings.threshold = v / 100
        self.threshold_label.setText(f"threshold {v / 100:.2f}")
        self.thr_line.setValue(v / 100)

    def set_listening(self, on: bool, text: str = "") -> None:
        self.listen_button.setChecked(on)
        self.listen_button.setText("Stop" if on else "Listen")
        if text:
            self.status.setText(text)

    def show_live(self, p: dict) -> None:
        names = list(p["class_names"])
        if names != self._names:
            self._names = names
            ax = self.bar_plot.getAxis("bottom")
            ax.setTicks([list(enumerate(names))])
            self.bar_plot.setXRange(-0.6, len(names) - 0.4)
        self.bars.setOpts(x=np.arange(len(names)), height=np.asarray(p["smoothed"]), width=0.7)
        for d in p.get("detections", []):
            self.log.insertItem(0, f"{d['time']:7.2f} s   {d['word']}   {d['prob']:.2f}")
        while self.log.count() > MAX_LOG:
            self.log.takeItem(self.log.count() - 1)
        lat = p.get("latency", {})
        self.stats.setText(f"latency p95 {lat.get('p95_ms', float('nan')):.0f} ms · overflows "
                           f"{p.get('input_overflows', 0)} blocks / {p.get('overflow_samples', 0)} samples")

    def show_trace(self, tr: dict) -> None:
        if not self.gates.isVisible():
            return
        self.gates.set_trace(tr["states"], tr["x"], tr["cell"], tr["num_layers"], tr["bidirectional"],
                             nonlinearity=tr.get("nonlinearity", "tanh"))
        self.timeline.set_time(tr["states"]["h"].shape[1] - 1)     # the newest frame: the gates now


__all__ = ["LivePage"]
