"""The bottom strip: "What to notice" steps (HTML with equations), one at a time."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QSizePolicy, QToolButton, QVBoxLayout, QWidget


class NoticeStrip(QFrame):
    """The bottom strip: "What to notice" steps (HTML with equations), one at a time."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setFrameShape(QFrame.StyledPanel)
        self.setObjectName("noticeStrip")
        self._steps: list[str] = []
        self._i = 0
        self._banner = ""
        self.error_color = "#b00000"
        self.title = QLabel("What to notice", self)
        f = self.title.font()
        f.setBold(True)
        self.title.setFont(f)
        self.text = QLabel(self)
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.RichText)
        self.text.setAlignment(Qt.AlignLeft | Qt.AlignVCenter)
        self.text.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Preferred)
        self.prev = QToolButton(self)
        self.prev.setText("◀")
        self.prev.setToolTip("Previous point")
        self.prev.clicked.connect(lambda: self.show_step(self._i - 1))
        self.next = QToolButton(self)
        self.next.setText("▶")
        self.next.setToolTip("Next point")
        self.next.clicked.connect(lambda: self.show_step(self._i + 1))
        self.counter = QLabel(self)
        head = QVBoxLayout()
        head.addWidget(self.title)
        nav = QHBoxLayout()
        nav.addWidget(self.prev)
        nav.addWidget(self.counter)
        nav.addWidget(self.next)
        head.addLayout(nav)
        head.addStretch(1)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(8, 4, 8, 4)
        lay.addLayout(head)
        lay.addWidget(self.text, 1)

    def set_steps(self, steps: list[str] | tuple[str, ...], title: str = "What to notice") -> None:
        self._steps = list(steps)
        self.title.setText(title)
        self.show_step(0)

    def set_banner(self, html: str) -> None:
        """A message shown above the current step (a diverged run's explanation), '' to clear."""
        self._banner = html
        self.show_step(self._i)

    def show_step(self, i: int) -> None:
        n = len(self._steps)
        self._i = max(0, min(i, n - 1)) if n else 0
        body = self._steps[self._i] if n else ""
        if self._banner:
            body = f"<span style='color:{self.error_color}'><b>{self._banner}</b></span><br>{body}"
        # DejaVu Sans regular puts the combining tilde of c̃ under the letter; bold places it
        # above (as in the cell diagram)
        self.text.setText(body.replace("c\u0303", "<b>c\u0303</b>"))
        self.counter.setText(f"{self._i + 1} / {n}" if n else "")
        self.prev.setEnabled(self._i > 0)
        self.next.setEnabled(self._i < n - 1)
        self._fit_text()

    def set_fonts(self, fonts: list[QFont]) -> None:
        """The text's fonts, largest first: it takes the largest at which the step fits the
        strip (whose height the window caps, so that the notes never crush the views)."""
        self._fonts = list(fonts)
        self._fit_text()

    def _fit_text(self) -> None:
        fonts = getattr(self, "_fonts", None)
        width = self.text.width()
        if not fonts or width < 50:
            return
        m = self.layout().contentsMargins()
        room = self.maximumHeight() - m.top() - m.bottom() - 2 * self.frameWidth()
        for f in fonts:
            if self.text.font() != f:
                self.text.setFont(f)
            if self.text.heightForWidth(width) <= room:
                break

    def resizeEvent(self, ev) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(ev)
        if ev.oldSize().width() != ev.size().width() or ev.oldSize().height() != ev.size().height():
            self._fit_text()

    def current(self) -> int:
        return self._i

    def steps(self) -> list[str]:
        return list(self._steps)


__all__ = ["NoticeStrip"]
