"""What the screen tests measure in a window: the plots' share of it, text cut off in combo
boxes and the status bar, and panels that scroll or are cut at their column's edge."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtWidgets import QAbstractButton, QAbstractSpinBox, QComboBox, QLabel, QTabBar

#: a combo box's frame and arrow take about this many pixels beside its text
COMBO_CHROME = 24


def plot_area(page) -> float:
    """The area of every plot's data rectangle in the view (its axes, titles and legends not counted)."""
    total = 0.0
    for gv in page.findChildren(pg.GraphicsView):
        if gv.isVisible():
            for it in gv.scene().items():
                if isinstance(it, pg.ViewBox) and it.isVisible():
                    r = it.sceneBoundingRect()
                    total += r.width() * r.height()
    return total


def tabs_cut(bar) -> list[str]:
    """The titles of `bar` cut short (elided, or narrower than their text, bold in front), or
    all of them when the bar needs scroll arrows to show its tabs."""
    from PySide6.QtGui import QFont, QFontMetrics

    titles = [bar.tabText(i) for i in range(bar.count())]
    if bar.sizeHint().width() > bar.width() + 1:
        return titles
    bold = QFont(bar.font())
    bold.setBold(True)
    out = []
    for i, t in enumerate(titles):
        fm = QFontMetrics(bold) if i == bar.currentIndex() else bar.fontMetrics()
        if bar.tabRect(i).width() < fm.horizontalAdvance(t):
            out.append(t)
    return out


def clipped(window) -> list[str]:
    """Combo boxes, spin boxes, the panels' buttons and one-line labels, and status-bar parts
    whose text does not fit them."""
    out = []
    def shown(w) -> bool:           # on screen now (a panel behind another's tab is not)
        return w.isVisible() and not w.visibleRegion().isEmpty()

    for cb in window.findChildren(QComboBox):
        if shown(cb) and cb.fontMetrics().horizontalAdvance(cb.currentText()) > cb.width() - COMBO_CHROME:
            out.append(f"combo box {cb.currentText()!r}")
    for sb in window.findChildren(QAbstractSpinBox):
        edit = sb.lineEdit()
        if shown(sb) and edit.fontMetrics().horizontalAdvance(sb.text()) > edit.width() - 2:
            out.append(f"spin box {sb.text()!r}")
    for dock in window.docks.values():          # the panels' buttons and one-line labels
        if dock.visibleRegion().isEmpty():      # hidden, or a tab behind another (presentation mode)
            continue
        for b in dock.findChildren(QAbstractButton):
            if b.isVisible() and b.text() and b.sizeHint().width() > b.width() + 1:
                out.append(f"button {b.text()!r}")
        for bar in dock.findChildren(QTabBar):
            if bar.isVisible() and tabs_cut(bar):
                out.append(f"tabs {[bar.tabText(i) for i in range(bar.count())]!r}")
        for lab in dock.findChildren(QLabel):
            if lab.isVisible() and lab.text() and not lab.wordWrap() and lab.sizeHint().width() > lab.width() + 1:
                out.append(f"label {lab.text()[:40]!r}")
    for lab in (window.status_state, window.status_progress, window.status_speed, window.status_device):
        if lab.isVisible() and lab.text() and lab.fontMetrics().horizontalAdvance(lab.text()) > lab.width() + 1:
            out.append(f"status {lab.text()!r}")
    return out


def _holds(layout, w) -> bool:
    if layout.indexOf(w) >= 0:
        return True
    return any(layout.itemAt(i).layout() is not None and _holds(layout.itemAt(i).layout(), w)
               for i in range(layout.count()))


def stray_controls(window) -> list[str]:
    """Controls shown in a panel that no layout holds: a row taken out of its grid but still
    painted where it was, under the row that replaced it (until the event loop deletes it)."""
    out = []
    for dock in window.docks.values():
        panel = dock.widget().widget()
        for t in (QAbstractSpinBox, QComboBox, QAbstractButton):
            for w in panel.findChildren(t):
                lay = w.parentWidget().layout() if w.parentWidget() is not None else None
                if lay is not None and not w.isHidden() and not _holds(lay, w):
                    out.append(f"stray {type(w).__name__} {getattr(w, 'text', lambda: '')() or ''!r}")
    return out


def cramped_panels(window) -> list[str]:
    """Docked panels that scroll (their column is too short) or are wider than their column
    (the right-hand controls are cut off: the horizontal scroll bar is always off)."""
    out = []
    for key, dock in window.docks.items():
        scroll = dock.widget()
        if not dock.isVisible() or dock.visibleRegion().isEmpty():      # hidden, or a tab behind another
            continue
        panel = scroll.widget()
        if scroll.verticalScrollBar().isVisible():
            out.append(f"{key} panel scrolls ({panel.minimumSizeHint().height()} px in {scroll.viewport().height()})")
        if panel.minimumSizeHint().width() > scroll.viewport().width() + 1:
            out.append(f"{key} panel is cut ({panel.minimumSizeHint().width()} px in {scroll.viewport().width()})")
    return out


__all__ = ["plot_area", "tabs_cut", "clipped", "cramped_panels", "stray_controls", "COMBO_CHROME"]
