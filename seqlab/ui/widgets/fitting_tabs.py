"""A tab bar whose titles stay whole: where the tabs do not fit at the theme's padding, they are
padded less (down to TAB_PAD_LEAST), before Qt would cut a title or show scroll arrows.

In presentation type the view tabs of a lesson with long titles or many views ("Generated
images" of a GAN at 1600 beside the panel column; the speech lesson's eight views with the
panels shown at 1280) took more than the width left to the views, and Qt hid the last ones
behind scroll arrows.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QTabWidget

from seqlab.ui.theme import TAB_PAD, TAB_PAD_LEAST, ThemeManager


class FittingTabs(QObject):
    """Keeps `tabs`' titles whole by its tabs' horizontal padding; call :meth:`refit` after the
    tabs change (it follows resizes, the current tab and the theme itself)."""

    def __init__(self, tabs: QTabWidget, theme: ThemeManager):
        super().__init__(tabs)
        self.tabs, self.tm = tabs, theme
        self.pad: int | None = None           # the padding set on the bar; None: the theme's
        self._scale = theme.scale             # the type scale the bar's rule was written for
        tabs.installEventFilter(self)
        # the current tab's title is bold: another tab in front needs a different width
        tabs.currentChanged.connect(self.refit)
        # a method, not a lambda: the theme outlives the window, and Qt drops the connection
        # only when the receiver is a QObject
        theme.changed.connect(self._restyled)

    def _restyled(self) -> None:
        # measured once the new type and style sheet have reached the bar
        QTimer.singleShot(0, self, self.refit)

    def eventFilter(self, obj, ev) -> bool:  # noqa: N802 (Qt's name)
        if obj is self.tabs and ev.type() == QEvent.Resize and ev.size().width() != ev.oldSize().width():
            self.refit()
        return False

    def refit(self, *_) -> None:
        bar = self.tabs.tabBar()
        n = bar.count()
        s = self.tm.scale
        full, least = round(TAB_PAD[1] * s), round(TAB_PAD_LEAST * s)
        if n == 0:
            return
        pad_now = full if self.pad is None else self.pad
        # what a tab takes besides its title and padding (its frame, the style's margins),
        # from the bar as it is; then the titles at their widest: whichever is in front, bold
        plain, bold = bar.fontMetrics(), QFontMetrics(_bold(bar.font()))
        widths = [(plain.horizontalAdvance(bar.tabText(i)), bold.horizontalAdvance(bar.tabText(i)))
                  for i in range(n)]
        current = bar.currentIndex()
        shown = sum(b if i == current else p for i, (p, b) in enumerate(widths))
        chrome = bar.sizeHint().width() - shown - 2 * n * pad_now
        titles = sum(p for p, _b in widths) + max(b - p for p, b in widths)
        room = self.tabs.width() - chrome - titles
        pad = max(least, min(full, math.floor(room / (2 * n))))
        if pad == pad_now and (self.pad is None or s == self._scale):
            return
        self.pad, self._scale = (None if pad == full else pad), s
        # the theme's own rule for the rest (the bold current tab); its vertical padding kept
        bar.setStyleSheet("" if self.pad is None else
                          f"QTabBar::tab {{ padding: {TAB_PAD[0] * s:.0f}px {self.pad}px; }}")


def _bold(font: QFont) -> QFont:
    f = QFont(font)
    f.setBold(True)
    return f


__all__ = ["FittingTabs"]
