"""The speech family's panels: Data (built-in words or a WAV folder; the MFCC front end) and
Model (the recurrent family's ModelPanel, imported, fixed to many-to-one)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QCheckBox, QFileDialog, QHBoxLayout, QLineEdit, QPushButton, QWidget

from seqlab.families.recurrent.ui.panels.model_panel import ModelPanel
from seqlab.families.speech.spec import DataSpec, ModelSpec
from seqlab.ui.panels.common import SpecPanel, help_text


def _tip(name: str, extra: str = "") -> str:
    return help_text("data", name, extra, family="speech")


class SpeechDataPanel(SpecPanel):
    """Edits the speech ``data`` section: where the clips come from and the MFCC parameters."""

    section = "data"
    family = "speech"

    def __init__(self, parent: QWidget | None = None, *, theme=None):
        super().__init__(parent)
        self.name = self.combo([("Built-in words", "spoken-words"), ("My recordings (WAV folder)", "wav-folder")])
        self.path = QLineEdit(self)
        self.path.textEdited.connect(self._user_changed)
        self.browse = QPushButton("…", self)
        self.browse.setToolTip("Choose the folder holding one subfolder of WAV clips per word")
        self.browse.clicked.connect(self.choose_folder)
        path_row = QWidget(self)
        pl = QHBoxLayout(path_row)
        pl.setContentsMargins(0, 0, 0, 0)
        pl.addWidget(self.path, 1)
        pl.addWidget(self.browse)
        self.words = QLineEdit(self)
        self.words.setPlaceholderText("all words")
        self.words.textEdited.connect(self._user_changed)
        self.silence = QCheckBox(self)
        self.unknown = QCheckBox(self)
        self.augment = QCheckBox(self)
        for c in (self.silence, self.unknown, self.augment):
            c.toggled.connect(self._user_changed)
        self.noise = self.dspin(0.0, 1.0, 0.05)
        self.copies = self.spin(1, 20)
        self.window_ms = self.dspin(5.0, 100.0, 5.0, 1)
        self.hop_ms = self.dspin(2.0, 50.0, 1.0, 1)
        self.n_mels = self.spin(8, 128, 4)
        self.n_mfcc = self.spin(2, 40)
        self.deltas = self.spin(0, 2)
        self.labelled("name", "Words", self.name, _tip("name"))
        self.labelled("path", "Folder", path_row, _tip("path"))
        self.labelled("words", "Only", self.words, _tip("words", "Comma-separated, e.g. yes, no, seven"))
        self.labelled("silence", "Silence", self.silence, _tip("silence"))
        self.labelled("unknown", "Unknown", self.unknown, _tip("unknown"))
        self.labelled("augment", "Augment", self.augment, _tip("augment"))
        self.labelled("noise_level", "Noise", self.noise, _tip("noise_level"))
        self.labelled("copies", "Copies", self.copies, _tip("copies"))
        self.labelled("window_ms", "Window ms", self.window_ms, _tip("window_ms"))
        self.labelled("hop_ms", "Hop ms", self.hop_ms, _tip("hop_ms"))
        self.labelled("n_mels", "Mel bands", self.n_mels, _tip("n_mels"))
        self.labelled("n_mfcc", "MFCCs", self.n_mfcc, _tip("n_mfcc"))
        self.labelled("deltas", "Deltas", self.deltas, _tip("deltas"))
        self.finish_layout()
        self.set_values(DataSpec().__dict__.copy())

    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Folder of recordings (one subfolder per word)")
        if folder:
            self.use_folder(folder)

    def use_folder(self, folder: str) -> None:
        """Train on a folder of recordings (the Record page's 'Use this folder')."""
        self.set_values({**self.values(), "name": "wav-folder", "path": folder, "words": None})

    def load(self, d: dict[str, Any]) -> None:
        self.set_combo(self.name, d.get("name", "spoken-words"))
        self.path.setText(d.get("path") or "")
        self.words.setText(", ".join(d.get("words") or []))
        self.silence.setChecked(bool(d.get("silence", True)))
        self.unknown.setChecked(bool(d.get("unknown", False)))
        self.augment.setChecked(bool(d.get("augment", True)))
        self.noise.setValue(float(d.get("noise_level", 0.3)))
        self.copies.setValue(int(d.get("copies", 2)))
        self.window_ms.setValue(float(d.get("window_ms", 25.0)))
        self.hop_ms.setValue(float(d.get("hop_ms", 10.0)))
        self.n_mels.setValue(int(d.get("n_mels", 40)))
        self.n_mfcc.setValue(int(d.get("n_mfcc", 13)))
        self.deltas.setValue(int(d.get("deltas", 0)))

    def read(self) -> dict[str, Any]:
        words = [w.strip() for w in self.words.text().split(",") if w.strip()]
        return {"name": self.name.currentData(), "path": self.path.text().strip() or None,
                "words": words or None, "silence": self.silence.isChecked(), "unknown": self.unknown.isChecked(),
                "augment": self.augment.isChecked(), "noise_level": round(self.noise.value(), 3),
                "copies": self.copies.value(), "window_ms": self.window_ms.value(), "hop_ms": self.hop_ms.value(),
                "n_mels": self.n_mels.value(), "n_mfcc": self.n_mfcc.value(), "deltas": self.deltas.value()}

    def on_controls_changed(self) -> None:
        folder = self.name.currentData() == "wav-folder"
        self.place((["name*", "path*"] if folder else ["name"]) + ["words", "silence",
                   None if folder else "unknown", "augment", "copies", "noise_level", "n_mels",
                   "window_ms", "hop_ms", "n_mfcc", "deltas"])


class SpeechModelPanel(ModelPanel):
    """The recurrent family's Model panel for a keyword recogniser: many-to-one only."""

    family = "speech"
    # one type, no choice: its row (the other types greyed out) made the panels scroll at
    # 1280x720 under a title bar; the drawing's title still says many-to-one
    task_row = False

    def __init__(self, parent: QWidget | None = None, *, theme=None):
        super().__init__(parent, theme=theme)
        self.set_allowed_tasks(("many-to-one",))
        self.set_values(ModelSpec().__dict__.copy())


__all__ = ["SpeechDataPanel", "SpeechModelPanel"]
