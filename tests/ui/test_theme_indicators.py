"""Check boxes read on both themes: Fusion outlined an indicator in the window colour made
darker, and on the dark theme's near-black panels an unticked box all but vanished."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from PySide6.QtGui import QColor  # noqa: E402
from PySide6.QtWidgets import QCheckBox, QStyle, QStyleOptionButton, QVBoxLayout, QWidget  # noqa: E402


def _luminance(c: QColor) -> float:
    def lin(v: int) -> float:
        v /= 255.0
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4
    return 0.2126 * lin(c.red()) + 0.7152 * lin(c.green()) + 0.0722 * lin(c.blue())


def contrast(a: QColor, b: QColor) -> float:
    """WCAG contrast ratio (1 to 21)."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


@pytest.mark.parametrize("theme", ["dark", "light"])
def test_an_unticked_box_stands_out_from_the_panel(qtbot, app_theme, theme):
    app_theme.set_theme(theme)
    panel = QWidget()
    box = QCheckBox("Bidirect.", panel)
    QVBoxLayout(panel).addWidget(box)
    qtbot.addWidget(panel)
    panel.show()
    qtbot.wait(10)
    opt = QStyleOptionButton()
    opt.initFrom(box)
    rect = box.style().subElementRect(QStyle.SE_CheckBoxIndicator, opt, box)
    image = box.grab().toImage()
    background = QColor(app_theme.theme.window)
    y = rect.center().y()
    # the indicator's left edge: its outline, one or two pixels wide with antialiasing
    edge = max(contrast(image.pixelColor(x, y), background) for x in range(rect.left(), rect.left() + 3))
    # 3:1, what WCAG asks of a control's boundary; Fusion's outline had 1.1:1 on the dark panel
    assert edge >= 3.0, f"the box's outline has {edge:.2f}:1 against the {theme} panel"
