"""A colour bar's title follows what it is given: a new title replaces the old, "" removes
it (it stayed, naming values the bar no longer showed), None keeps it through a restyle."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pyqtgraph as pg  # noqa: E402

from seqlab.ui.theme import ThemeManager, colormap, style_colorbar  # noqa: E402


def test_an_empty_title_clears_the_colour_bars_label(qtbot):
    tm = ThemeManager()
    cbar = pg.ColorBarItem(values=(0, 1), colorMap=colormap("gate"))
    style_colorbar(cbar, tm, "‖∂L/∂h_t‖")
    titled = cbar.axis.fixedWidth
    assert cbar.axis.labelText == "‖∂L/∂h_t‖" and cbar.axis.label.isVisible()
    style_colorbar(cbar, tm, None)                   # a restyle keeps it
    assert cbar.axis.labelText == "‖∂L/∂h_t‖" and cbar.axis.fixedWidth == titled
    style_colorbar(cbar, tm, "")
    assert cbar.axis.labelText == "" and not cbar.axis.label.isVisible()
    assert cbar.axis.fixedWidth < titled, "the room for the title is given back"
