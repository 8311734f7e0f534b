"""A one-line label that cuts its text with an ellipsis to the width it is given.

Panels use it for a data set's description: wrapped over several lines it made a panel
scroll at 1280x720, and an unwrapped label widens its column. The whole text is the tooltip.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget


class ElidedLabel(QLabel):
    """One line of plain text, elided on the right to fit; the whole text in its tooltip."""

    def __init__(self, text: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self._full = ""
        self.setTextFormat(Qt.PlainText)
        self.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Preferred)
        self.setText(text)

    def setText(self, text: str) -> None:  # noqa: N802 (Qt's name)
        self._full = text
        self.setToolTip(text)
        self._elide()

    def full_text(self) -> str:
        return self._full

    def resizeEvent(self, ev) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(ev)
        self._elide()

    def changeEvent(self, ev) -> None:  # noqa: N802 (Qt's name)
        super().changeEvent(ev)
        if ev.type() == ev.Type.FontChange:     # presentation mode's larger type
            self._elide()

    def _elide(self) -> None:
        super().setText(self.fontMetrics().elidedText(self._full, Qt.ElideRight, max(self.width(), 10)))


__all__ = ["ElidedLabel"]
