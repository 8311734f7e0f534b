"""The microphone page: device picker, level meter, overflow count and live scrolling waveform,
spectrogram and MFCC views.

The capture is owned here, on the GUI thread; its PortAudio callback only copies into the
ring buffer. A ~30 Hz GUI timer reads the newest samples (``latest``: a peek that leaves
them for the listening job on the worker thread) and redraws with ``setData``/``setImage``
on items created once, with fixed colour levels. Without PortAudio or an input device the
page says why and nothing else is affected.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (QComboBox, QHBoxLayout, QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget)

from seqlab.ui.theme import colormap, draw_as_segments, style_plot

SHOW_S = 3.0              # seconds of audio the views scroll through
RATE = 16000
DB_RANGE = (-80.0, 0.0)   # fixed spectrogram colour levels (dB)
FULL_SCALE_DB = 40.0      # mel power of a full-scale tone (400-sample Hann window), in dB


class MicrophonePage(QWidget):
    """Owns the :class:`MicrophoneCapture`; other pages ask it for ``capture``."""

    capture_changed = Signal(object)      # the running capture, or None

    def __init__(self, theme, parent: QWidget | None = None):
        super().__init__(parent)
        self.tm = theme
        self.capture = None
        self._features = None
        lay = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.device_box = QComboBox()
        self.device_box.setToolTip("The input device to record from")
        self.start_button = QPushButton("Microphone on")
        self.start_button.setCheckable(True)
        self.start_button.toggled.connect(self._toggle)
        self.level = QProgressBar()
        self.level.setRange(-60, 0)
        self.level.setFormat("%v dBFS")
        self.level.setToolTip("Loudness of the last 50 ms (peak); speak so it reaches about −20 dBFS")
        self.overflow_label = QLabel("overflows: 0")
        self.overflow_label.setToolTip("Audio blocks PortAudio dropped, and samples lost because nobody read them in time")
        bar.addWidget(QLabel("Input"))
        bar.addWidget(self.device_box, 2)
        bar.addWidget(self.start_button)
        bar.addWidget(self.level, 1)
        bar.addWidget(self.overflow_label)
        lay.addLayout(bar)
        self.status = QLabel("")
        self.status.setWordWrap(True)
        lay.addWidget(self.status)
        self.plots = pg.GraphicsLayoutWidget()
        lay.addWidget(self.plots, 1)
        self.wave_plot = self.plots.addPlot(row=0, col=0)
        self.wave = draw_as_segments(self.wave_plot.plot(pen=pg.mkPen(theme.series_color(0),
                                                                     width=theme.width("line"))))
        self.wave_plot.setYRange(-1, 1)
        self.wave_plot.setXRange(-SHOW_S, 0)
        self.spec_plot = self.plots.addPlot(row=1, col=0)
        self.spec_img = pg.ImageItem()
        self.spec_img.setColorMap(colormap("gate"))
        self.spec_img.setLevels(DB_RANGE)
        self.spec_plot.addItem(self.spec_img)
        self.mfcc_plot = self.plots.addPlot(row=2, col=0)
        self.mfcc_img = pg.ImageItem()
        self.mfcc_img.setColorMap(colormap("signed"))
        self.mfcc_img.setLevels((-3, 3))
        self.mfcc_plot.addItem(self.mfcc_img)
        for p, title, left in ((self.wave_plot, "Waveform", "amplitude"),
                               (self.spec_plot, "Log-mel spectrogram (dB, −80..0)", "mel band"),
                               (self.mfcc_plot, "MFCC (each coefficient scaled to ±3 σ)", "coefficient")):
            style_plot(p, theme, title, labels={"left": left, "bottom": "seconds ago"})
        self.timer = QTimer(self)
        self.timer.setInterval(33)
        self.timer.timeout.connect(self.redraw)
        self.refresh_devices()

    # -- devices ---------------------------------------------------------------------------
    def refresh_devices(self) -> None:
        from seqlab.audio.devices import audio_status

        st = audio_status()
        self.device_box.clear()
        if not st.usable:
            self.status.setText("The lab cannot listen: " + st.reason + " Everything else works; the built-in "
                                "spoken words still train.")
            self.start_button.setEnabled(False)
            return
        for d in st.devices:
            self.device_box.addItem(f"{d.index}: {d.name}" + (" (default)" if d.is_default else ""), d.index)
            if d.is_default:
                self.device_box.setCurrentIndex(self.device_box.count() - 1)
        self.start_button.setEnabled(True)
        self.status.setText("")

    def _toggle(self, on: bool) -> None:
        if on:
            self.start()
        else:
            self.stop()

    def start(self) -> bool:
        from seqlab.audio.capture import MicrophoneCapture
        from seqlab.audio.errors import AudioError

        if self.capture is not None:
            return True
        cap = MicrophoneCapture(device=self.device_box.currentData(), samplerate=RATE, buffer_seconds=10.0)
        try:
            cap.start()
        except AudioError as e:
            self.status.setText(f"The lab cannot listen: {e}")
            self.start_button.setChecked(False)
            return False
        self.capture = cap
        self.status.setText(f"Recording from {self.device_box.currentText()} at {cap.samplerate} Hz.")
        self.start_button.setChecked(True)
        self.timer.start()
        self.capture_changed.emit(cap)
        return True

    def stop(self) -> None:
        cap, self.capture = self.capture, None
        self.timer.stop()
        if cap is not None:
            cap.stop()
        self.start_button.setChecked(False)
        self.capture_changed.emit(None)

    # -- drawing ---------------------------------------------------------------------------
    def redraw(self) -> None:
        cap = self.capture
        if cap is None:
            return
        if not cap.running:
            why = cap.error or "the microphone stopped"
            self.stop()
            self.status.setText(f"The lab stopped listening: {why}")
            return
        lvl = cap.level_db()
        self.level.setValue(int(max(-60, min(0, lvl.peak_db))))
        self.overflow_label.setText(f"overflows: {cap.input_overflows} blocks, {cap.overflow_samples} samples")
        if not self.isVisible():
            return
        n = int(SHOW_S * cap.samplerate)
        x = cap.latest(n)
        step = max(1, n // 2000)
        t = np.linspace(-SHOW_S, 0, len(x[::step]))
        self.wave.setData(t, x[::step])
        if cap.samplerate != RATE:
            from seqlab.audio.resample import resample
            x = resample(x, cap.samplerate, RATE)
        mel, mfcc = self._feature_frames(x)
        self.spec_img.setImage(mel, autoLevels=False, levels=DB_RANGE)
        self.spec_img.setRect(-SHOW_S, 0, SHOW_S, mel.shape[1])
        z = (mfcc - mfcc.mean(0)) / (mfcc.std(0) + 1e-6)
        self.mfcc_img.setImage(z, autoLevels=False, levels=(-3, 3))
        self.mfcc_img.setRect(-SHOW_S, 0, SHOW_S, z.shape[1])

    def _feature_frames(self, x: np.ndarray):
        import torch

        from seqlab.audio.features import MFCC, FeatureSpec

        if self._features is None:
            self._features = MFCC(FeatureSpec(top_db=None))
        with torch.no_grad():
            audio = torch.as_tensor(x)
            mel = self._features.logmel(audio).numpy()
            mfcc = (self._features.logmel(audio) @ self._features.dct).numpy()
        # A full-scale tone gives about +40 dB in this unnormalised power spectrum: shift by a
        # constant so the colours are fixed dB levels, the same on every frame.
        return np.clip(mel - FULL_SCALE_DB, *DB_RANGE), mfcc

    def shutdown(self) -> None:
        self.stop()


__all__ = ["MicrophonePage"]
