"""The application's widget style: Fusion, with check-box and radio-button indicators whose
outline reads on either theme.

Fusion outlines an indicator in the window colour made darker: on the dark theme's near-black
panels that outline (and the near-black box inside it) all but vanished, and an unticked
"Bidirect." or "Log scale" box could not be seen. The outline here is the text colour
mixed with the background, so it stands out on light and dark panels alike.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPalette, QPen
from PySide6.QtWidgets import QProxyStyle, QStyle

#: how much of the text colour the outline takes (the rest is the panel's background)
OUTLINE_TEXT_SHARE = 0.6


def indicator_outline(palette: QPalette, enabled: bool = True) -> QColor:
    """The colour of an indicator's outline on panels of `palette`."""
    group = QPalette.Active if enabled else QPalette.Disabled
    fg = palette.color(group, QPalette.WindowText)
    bg = palette.color(group, QPalette.Window)
    k = OUTLINE_TEXT_SHARE if enabled else OUTLINE_TEXT_SHARE / 2
    return QColor(round(fg.red() * k + bg.red() * (1 - k)), round(fg.green() * k + bg.green() * (1 - k)),
                  round(fg.blue() * k + bg.blue() * (1 - k)))


class LabStyle(QProxyStyle):
    """Fusion with indicators outlined in a colour that contrasts with the panel."""

    def __init__(self, base: str = "Fusion"):
        super().__init__(base)

    def drawPrimitive(self, element, option, painter, widget=None) -> None:  # noqa: N802 (Qt's name)
        super().drawPrimitive(element, option, painter, widget)
        if element not in (QStyle.PE_IndicatorCheckBox, QStyle.PE_IndicatorRadioButton):
            return
        focused = option.state & QStyle.State_HasFocus and option.state & QStyle.State_KeyboardFocusChange
        if focused:                     # Fusion's focus outline is already the accent colour
            return
        painter.save()
        painter.setRenderHint(QPainter.Antialiasing, True)
        painter.setPen(QPen(indicator_outline(option.palette, bool(option.state & QStyle.State_Enabled)), 1))
        painter.setBrush(Qt.NoBrush)
        # Fusion's own geometry: half-pixel offset, the rectangle less one pixel
        rect = QRectF(option.rect).adjusted(0.5, 0.5, -0.5, -0.5)
        if element == QStyle.PE_IndicatorCheckBox:
            painter.drawRect(rect)
        else:
            painter.drawEllipse(rect)
        painter.restore()


__all__ = ["LabStyle", "indicator_outline", "OUTLINE_TEXT_SHARE"]
