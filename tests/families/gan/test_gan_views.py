"""What the GAN's views show as a person sees them: backgrounds that follow the theme (titles
and axes drawn in the dark theme's light ink on a white page vanished), a sentence where a
view has nothing of its kind to draw, distance and spread where there are no modes to count,
and a Model panel whose counts and controls fit its column."""

from __future__ import annotations

import numpy as np
import pytest


@pytest.fixture
def window(qtbot, tmp_path):
    from seqlab.ui.main_window import MainWindow
    from seqlab.ui.settings import Preferences, open_settings
    from seqlab.ui.theme import ThemeManager

    w = MainWindow(prefs=Preferences(open_settings(str(tmp_path / "s.ini"))), theme=ThemeManager())
    qtbot.addWidget(w)
    w.resize(1280, 720)
    yield w
    w.close()


def test_every_gan_view_takes_the_themes_background(window):
    w = window
    w.open_lesson("gan-2d")
    ws = w.workspace
    for theme in ("dark", "light", "dark"):
        w.set_theme(theme)
        base = w.tm.theme.base.lower()
        for view in (ws.plane, ws.metrics, ws.coverage, ws.images):
            assert view.graphics.backgroundBrush().color().name() == base, (theme, type(view).__name__)


def test_the_plane_and_images_views_say_when_the_data_has_none_to_draw(window, qtbot):
    w = window
    w.open_lesson("cgan-digits")
    w.show()
    ws = w.workspace
    w._select_view("plane")
    assert ws.plane.empty.isVisible() and not ws.plane.graphics.isVisible()
    assert "Generated images" in ws.plane.empty.text()
    w._select_view("images")
    assert ws.images.graphics.isVisible()
    w.open_lesson("gan-2d")                        # the data panel's choice decides, before any run
    assert ws.images.stack.currentWidget() is ws.images.empty
    w._select_view("plane")
    assert ws.plane.graphics.isVisible()


def test_coverage_on_digits_shows_distance_and_spread_instead_of_empty_mode_plots(qtbot):
    from seqlab.families.gan.ui.views.coverage_view import CoverageView

    v = CoverageView()
    qtbot.addWidget(v)
    history = [{"step": float(s), "mmd": 0.1 / (1 + s / 100), "spread": 0.5 + s / 1000} for s in range(100, 600, 100)]
    v.start_run(1, "cGAN", None, history)
    assert "MMD" in v.modes_plot.titleLabel.text and "Spread" in v.far_plot.titleLabel.text
    x, y = v.runs[1]["modes"].getData()
    assert len(x) == 5 and np.all(np.isfinite(y)) and y[0] > y[-1]          # the distance falls
    assert set(v.curves()) >= {"run 1 mmd", "run 1 spread"}
    v.start_run(2, "ring", 8, [{"step": 100.0, "modes": 3, "far_share": 0.4}])   # a ring: modes again
    assert "Modes" in v.modes_plot.titleLabel.text
    assert not v.runs[1]["modes"].isVisible()      # measured the other way: not on these axes


def test_the_model_panel_shows_g_and_d_on_tabs_and_fits_its_column(qtbot):
    from seqlab.families.gan.ui.panels.model_panel import GanModelPanel

    p = GanModelPanel()
    qtbot.addWidget(p)
    p.resize(350, 400)
    p.show()
    assert "17,922" in p.count_label.full_text() and "17,025" in p.count_label.full_text()
    assert [p.networks.tabText(i) for i in range(2)] == ["Generator G", "Discriminator D"]
    p.networks.setCurrentWidget(p.d_editor)
    p.add_layer_button.click()                     # the corner button adds to the network shown
    assert len(p.values()["discriminator"]) == 3 and len(p.values()["generator"]) == 2
    p.conditional.setChecked(True)
    assert "label inputs" in p.count_label.toolTip()
    assert p.minimumSizeHint().width() <= 350        # nothing widens the panel past its column
    assert p.picture.minimumSizeHint().height() <= 0 and p.picture.minimumHeight() == 0
    p.kind.setCurrentIndex(p.kind.findData("dcgan"))
    assert "DCGAN" in p.count_label.full_text()


def test_the_plane_caption_goes_beside_the_square_when_the_view_is_wide_and_under_it_when_not(qtbot):
    from seqlab.families.gan.ui.views.plane_view import PlaneView

    v = PlaneView()
    qtbot.addWidget(v)
    v.show()
    v.resize(900, 500)                              # a wide view: the square leaves room beside it
    qtbot.wait(30)
    cap, plots = v.caption.geometry(), v.stack.geometry()
    assert cap.left() >= plots.right() and cap.right() <= v.width() and cap.width() >= 160
    v.resize(600, 700)                              # a tall one: the caption under the plane
    qtbot.wait(30)
    cap, plots = v.caption.geometry(), v.stack.geometry()
    assert cap.top() >= plots.bottom() and cap.right() <= v.width()
