"""The Record page: pick or type labels, record N one-second clips per label with a countdown,
a background-noise class, play back and delete clips; each clip is a WAV file in a folder per
label (``data/wav_folder.save_clip``); "Use this folder" imports it and shows the report.

Recording only reads the capture the Microphone page owns (``latest``): it never blocks the
GUI thread; a QTimer runs the countdown and collects each clip when its second is over.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (QFileDialog, QHBoxLayout, QLabel, QLineEdit, QListWidget, QListWidgetItem,
                               QPushButton, QSpinBox, QVBoxLayout, QWidget)

from seqlab.families.speech.data.wav_folder import BACKGROUND_FOLDERS, import_wav_folder, save_clip

RATE = 16000
COUNTDOWN = 3
BACKGROUND = BACKGROUND_FOLDERS[0]


class RecordPage(QWidget):
    use_folder = Signal(str, str)       # folder, the import report

    def __init__(self, theme, microphone, parent: QWidget | None = None):
        super().__init__(parent)
        self.tm = theme
        self.mic = microphone
        lay = QVBoxLayout(self)
        row = QHBoxLayout()
        self.folder = QLineEdit(str(Path.home() / "seqlab-recordings"))
        browse = QPushButton("…")
        browse.clicked.connect(self._browse)
        row.addWidget(QLabel("Folder"))
        row.addWidget(self.folder, 1)
        row.addWidget(browse)
        lay.addLayout(row)
        row = QHBoxLayout()
        self.labels = QLineEdit("yes, no, up, down")
        self.labels.setToolTip("The words to record, separated by commas")
        self.per_label = QSpinBox()
        self.per_label.setRange(1, 100)
        self.per_label.setValue(10)
        self.record_button = QPushButton("Record")
        self.record_button.clicked.connect(self.start_session)
        self.noise_button = QPushButton("Record background (5 s)")
        self.noise_button.clicked.connect(self.record_background)
        row.addWidget(QLabel("Words"))
        row.addWidget(self.labels, 2)
        row.addWidget(QLabel("clips each"))
        row.addWidget(self.per_label)
        row.addWidget(self.record_button)
        row.addWidget(self.noise_button)
        lay.addLayout(row)
        self.prompt = QLabel("Turn the microphone on (Microphone page), then press Record.")
        self.prompt.setFont(theme.font("title", bold=True))
        lay.addWidget(self.prompt)
        self.clips = QListWidget()
        lay.addWidget(self.clips, 1)
        row = QHBoxLayout()
        play, delete, use = QPushButton("Play"), QPushButton("Delete"), QPushButton("Use this folder")
        play.clicked.connect(self.play_selected)
        delete.clicked.connect(self.delete_selected)
        use.clicked.connect(self.import_folder)
        for b in (play, delete, use):
            row.addWidget(b)
        row.addStretch(1)
        lay.addLayout(row)
        self._queue: list[str] = []
        self._count = 0
        self._start_sample = 0
        self._seconds = 1.0
        self._label = ""
        self.timer = QTimer(self)
        self.timer.setInterval(1000)
        self.timer.timeout.connect(self._tick)
        self.refresh()

    def _browse(self) -> None:
        d = QFileDialog.getExistingDirectory(self, "Folder for your recordings", self.folder.text())
        if d:
            self.folder.setText(d)
            self.refresh()

    # -- recording -------------------------------------------------------------------------
    def start_session(self) -> None:
        words = [w.strip() for w in self.labels.text().split(",") if w.strip()]
        if not words:
            self.prompt.setText("Type at least one word to record.")
            return
        self._queue = [w for w in words for _ in range(self.per_label.value())]
        self._next(1.0)

    def record_background(self) -> None:
        self._queue = [BACKGROUND]
        self._next(5.0)

    def _next(self, seconds: float) -> None:
        if self.mic.capture is None and not self.mic.start():
            self.prompt.setText("The microphone cannot be opened: see the Microphone page.")
            self._queue = []
            return
        if not self._queue:
            self.prompt.setText("Done. Play the clips back, delete the bad ones, then 'Use this folder'.")
            self.record_button.setEnabled(True)
            return
        self.record_button.setEnabled(False)
        self._label = self._queue.pop(0)
        self._seconds = seconds
        self._count = COUNTDOWN
        self._show_countdown()
        self.timer.start()

    def _show_countdown(self) -> None:
        what = "background noise: stay quiet" if self._label == BACKGROUND else f"say “{self._label}”"
        self.prompt.setText(f"{what} in {self._count}…  ({len(self._queue)} more after this)")

    def _tick(self) -> None:
        cap = self.mic.capture
        if cap is None:
            self.timer.stop()
            self._queue = []
            self.record_button.setEnabled(True)
            return
        self._count -= 1
        if self._count > 0:
            self._show_countdown()
        elif self._count == 0:
            self._start_sample = cap.samples_written
            self.prompt.setText("● recording …" if self._label == BACKGROUND else f"● “{self._label}” now!")
            self.timer.setInterval(int(self._seconds * 1000) + 150)
        else:
            self.timer.stop()
            self.timer.setInterval(1000)
            n = cap.samples_written - self._start_sample
            x = cap.latest(min(n, int((self._seconds + 0.2) * cap.samplerate)))
            if cap.samplerate != RATE:
                from seqlab.audio.resample import resample
                x = resample(x, cap.samplerate, RATE)
            try:
                save_clip(self.folder.text(), self._label, np.asarray(x, np.float32), RATE)
            except (OSError, ValueError) as e:
                self.prompt.setText(f"Could not save the clip: {e}")
                self._queue = []
            self.refresh()
            self._next(self._seconds)

    # -- the clips -------------------------------------------------------------------------
    def refresh(self) -> None:
        self.clips.clear()
        root = Path(self.folder.text())
        if not root.is_dir():
            return
        for path in sorted(root.glob("*/*.wav")):
            item = QListWidgetItem(f"{path.parent.name}/{path.name}")
            item.setData(256, str(path))
            self.clips.addItem(item)

    def _selected(self) -> Path | None:
        item = self.clips.currentItem()
        return Path(item.data(256)) if item is not None else None

    def play_selected(self) -> None:
        path = self._selected()
        if path is None:
            return
        from seqlab.audio.wavfile import read_wav
        from .playback import play

        x, rate = read_wav(path)
        msg = play(x, rate)
        if msg:
            self.prompt.setText(msg)

    def delete_selected(self) -> None:
        path = self._selected()
        if path is not None:
            path.unlink(missing_ok=True)
            self.refresh()

    def import_folder(self) -> None:
        from ..data.wav_folder import WavFolderError

        try:
            data = import_wav_folder(self.folder.text())
        except WavFolderError as e:
            self.use_folder.emit("", str(e))
            return
        self.use_folder.emit(self.folder.text(), data.report.summary())


__all__ = ["RecordPage"]
