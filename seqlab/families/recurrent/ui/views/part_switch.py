"""Two or more exclusive buttons that choose which part of a view shows, for views whose parts
take turns where the screen is short (the Gates view's heatmaps or cell, the Gradients view's
plots through time or norms)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QToolButton, QWidget

__all__ = ["PartSwitch"]


class PartSwitch(QWidget):
    """``parts``: (key, text, tooltip) per button, the first chosen. ``chosen(key)`` is emitted
    when a person clicks one; :meth:`set_part` chooses from code without it."""

    chosen = Signal(str)

    def __init__(self, parts: tuple[tuple[str, str, str], ...], parent: QWidget | None = None):
        super().__init__(parent)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        self._group = QButtonGroup(self)
        self.buttons: dict[str, QToolButton] = {}
        for key, text, tip in parts:
            b = QToolButton(self)
            b.setText(text)
            b.setToolTip(tip)
            b.setCheckable(True)
            b.clicked.connect(lambda _on, k=key: self.chosen.emit(k))
            self._group.addButton(b)
            lay.addWidget(b)
            self.buttons[key] = b
        self.buttons[parts[0][0]].setChecked(True)

    def set_part(self, key: str) -> None:
        if key not in self.buttons:
            raise ValueError(f"part must be one of {', '.join(map(repr, self.buttons))}, not {key!r}")
        self.buttons[key].setChecked(True)

    def part(self) -> str:
        return next(k for k, b in self.buttons.items() if b.isChecked())

    def set_font(self, font: QFont) -> None:
        for b in self.buttons.values():
            b.setFont(font)
