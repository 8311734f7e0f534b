"""The confusion matrix: rows are the words said, columns the words heard; click a cell off the
diagonal to hear the clips the network got wrong there (sounddevice playback)."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QHeaderView, QLabel, QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from seqlab.ui.theme import map_color, text_color_on

from .playback import play


class ConfusionView(QWidget):
    def __init__(self, theme, parent: QWidget | None = None):
        super().__init__(parent)
        self.tm = theme
        lay = QVBoxLayout(self)
        self.title = QLabel("Confusion matrix: appears once a speech model has been trained")
        self.title.setFont(theme.font("title", bold=True))
        lay.addWidget(self.title)
        self.table = QTableWidget()
        self.table.setEditTriggers(QTableWidget.NoEditTriggers)
        self.table.cellClicked.connect(self._on_cell)
        self.table.setFont(theme.font("title", bold=True))       # counts legible from the back of the room
        for h in (self.table.horizontalHeader(), self.table.verticalHeader()):
            h.setSectionResizeMode(QHeaderView.Stretch)
        lay.addWidget(self.table, 1)
        row = QHBoxLayout()
        self.info = QLabel("Rows: the word said · columns: the word heard · colour: share of the row (0..1)")
        self.info.setWordWrap(True)
        self.play_button = QPushButton("Play next mistake")
        self.play_button.setEnabled(False)
        self.play_button.clicked.connect(self._play_next)
        row.addWidget(self.info, 1)
        row.addWidget(self.play_button)
        lay.addLayout(row)
        self._payload: dict | None = None
        self._cell_clips: list[int] = []
        self._next = 0

    def set_confusion(self, p: dict) -> None:
        self._payload = p
        m = np.asarray(p["matrix"])
        names = list(p["class_names"])
        self.title.setText(f"Confusion matrix on the {p['split']} clips (voices never heard in training): "
                           f"accuracy {p['accuracy']:.1%}")
        t = self.table
        if t.rowCount() != len(names):
            t.setRowCount(len(names))
            t.setColumnCount(len(names))
            t.setHorizontalHeaderLabels(names)
            t.setVerticalHeaderLabels(names)
        share = m / np.maximum(m.sum(1, keepdims=True), 1)
        for i in range(len(names)):
            for j in range(len(names)):
                item = t.item(i, j)
                if item is None:
                    item = QTableWidgetItem()
                    item.setTextAlignment(Qt.AlignCenter)
                    t.setItem(i, j, item)
                item.setText(str(int(m[i, j])) if m[i, j] else "")
                fill = map_color("gate", float(share[i, j]), 0.0, 1.0)
                item.setBackground(fill)
                item.setForeground(text_color_on(fill))

    def _on_cell(self, i: int, j: int) -> None:
        p = self._payload
        if p is None:
            return
        names = p["class_names"]
        self._cell_clips = [k for k, mk in enumerate(p["mistakes"]) if mk["true"] == i and mk["pred"] == j]
        self._next = 0
        if i == j:
            self.info.setText(f"'{names[i]}' heard right {int(np.asarray(p['matrix'])[i, j])} times.")
        elif not self._cell_clips:
            self.info.setText(f"No clip of '{names[i]}' was heard as '{names[j]}'.")
        else:
            self.info.setText(f"{len(self._cell_clips)} clip(s) of '{names[i]}' heard as '{names[j]}': playing.")
        self.play_button.setEnabled(bool(self._cell_clips))
        if self._cell_clips:
            self._play_next()

    def _play_next(self) -> None:
        p = self._payload
        if p is None or not self._cell_clips:
            return
        k = self._cell_clips[self._next % len(self._cell_clips)]
        self._next += 1
        msg = play(p["mistake_audio"][k], int(p.get("sample_rate", 16000)))
        if msg:
            self.info.setText(msg)


__all__ = ["ConfusionView"]
