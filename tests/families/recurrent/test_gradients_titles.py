"""The Gradients view's titles at presentation size: the colour bar's title and the total
norm's axis title ("‖∇L‖") keep a gap between them (4 px read as one word at 1920 in
presentation type), the colour bar's title stays off while the pairs take turns (a restyle
brought it back), and the per-parameter plot draws no grid (only its ends showed: a dotted
line along the plot's top)."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np  # noqa: E402

from seqlab.families.recurrent.ui.views.gradients_view import GradientsView  # noqa: E402
from seqlab.ui.theme import ThemeManager  # noqa: E402


def _view(qtbot, tm, size=(1440, 640)) -> GradientsView:
    v = GradientsView(theme=tm)
    qtbot.addWidget(v)
    v.resize(*size)
    v.show()
    qtbot.waitExposed(v)
    v.add_record(10, np.geomspace(1e-4, 1e-1, 50), {"rnn.weight_ih_l0": 1e-3, "head.weight": 1e-1})
    v.add_rows([{"step": 10, "grad_norm": 2.0, "grad_norm_clipped": 1.0}])
    qtbot.wait(50)
    return v


def _screen_rect(widget, item):
    """An item's bounding rectangle in the view's own coordinates."""
    poly = widget.mapFromScene(item.sceneBoundingRect())
    rect = poly.boundingRect()
    rect.moveTopLeft(widget.mapTo(widget.window(), rect.topLeft()))
    return rect


def test_the_colour_bars_title_keeps_clear_of_the_total_norms_axis_title(qtbot):
    tm = ThemeManager(presentation=True)
    v = _view(qtbot, tm)
    assert not v.is_short() and v.colorbar.axis.label.isVisible()
    bar_title = _screen_rect(v.heatmap_widget, v.colorbar.axis.label)
    axis_title = _screen_rect(v.clip_widget, v.clip_plot.getAxis("left").label)
    gap = axis_title.left() - bar_title.right()
    # the text items keep a 4-px margin of their own: 10 px between them is 18 px of paper
    assert gap >= 10, f"{gap} px between the colour bar's title and ‖∇L‖"


def test_a_restyle_keeps_the_colour_bars_title_off_while_the_pairs_take_turns(qtbot):
    tm = ThemeManager(presentation=True)
    v = _view(qtbot, tm, size=(1200, 300))       # short: the pairs take turns
    assert v.is_short() and not v.colorbar.axis.label.isVisible()
    tm.set_theme("dark")
    qtbot.wait(20)
    assert not v.colorbar.axis.label.isVisible(), "the restyle brought the title back"


def test_the_per_parameter_plot_draws_no_grid(qtbot):
    v = _view(qtbot, ThemeManager(presentation=True))
    for name in ("bottom", "left"):
        assert not v.param_plot.getAxis(name).grid, f"the {name} axis draws a grid"
