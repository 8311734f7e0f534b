"""A view's content, or a sentence in its place while there is nothing of its own to draw.

Empty axes tell a student nothing (an anomaly histogram before any errors ran from -400 to
400 "x0.001"); a view that has no data yet, or none of its kind on this data set (images of
2-D points), says so in words, and its plots return when there is something to draw.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QSizePolicy, QStackedWidget, QWidget


class Placeholder(QStackedWidget):
    """``content`` (the plots), or ``message`` (a wrapped, centred sentence) instead."""

    def __init__(self, content: QWidget, message: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.content = content
        self.message = QLabel(message, self)
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignCenter)
        self.message.setTextFormat(Qt.RichText)
        self.message.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Preferred)
        self.addWidget(self.content)
        self.addWidget(self.message)

    def show_content(self, on: bool = True) -> None:
        """The plots (True), or the sentence (False)."""
        self.setCurrentWidget(self.content if on else self.message)

    def showing_content(self) -> bool:
        return self.currentWidget() is self.content

    def restyle(self, tm) -> None:
        """The sentence in the theme's title size and muted colour."""
        self.message.setFont(tm.font("title"))
        self.message.setStyleSheet(f"color: {tm.theme.muted};")


__all__ = ["Placeholder"]
