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
    w._select_view("plane")                        # points: a plane to come, once a run starts
    assert ws.plane.empty.isVisible() and not ws.plane.graphics.isVisible()
    assert "Start" in ws.plane.empty.text() and "Generated images" not in ws.plane.empty.text()


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


def plane_snapshot(n_real=60, n_fake=40, seed=0) -> dict:
    """A ``plane`` snapshot as ``GanTrainable._plane`` sends it (no network needed)."""
    rng = np.random.default_rng(seed)
    return {"extent": (-2.0, 2.0, -2.0, 2.0), "heat": rng.random((100, 100)), "heat_version": seed,
            "real": rng.normal(size=(n_real, 2)), "fake": rng.normal(size=(n_fake, 2)),
            "arrow_at": rng.normal(size=(10, 2)), "arrow": rng.normal(size=(10, 2)), "loss": "non_saturating",
            "class_names": ["0"], "label": 0, "conditional": False}


def test_the_plane_says_what_it_will_show_until_the_first_snapshot_and_again_after_a_new_run(window, qtbot):
    # Before Start the plane was empty axes reading -600..600 "x0.001" beside a full colour bar
    w = window
    w.open_lesson("gan-2d")
    w.show()
    ws = w.workspace
    w._select_view("plane")
    v = ws.plane
    assert v.waiting() and v.empty.isVisible() and not v.graphics.isVisible() and not v.caption.isVisible()
    assert "Press <b>Start</b>" in v.empty.text()
    for theme in ("light", "dark"):                # the sentence in the theme's muted colour
        w.set_theme(theme)
        assert w.tm.theme.muted in v.empty.styleSheet()
    info = {"label": "run", "kind": "plane", "class_names": ["0"], "modes": 8, "spec": {"model": {}}}
    ws.on_run_started(1, info)
    assert v.waiting() and v.empty.isVisible()
    ws.on_snapshot(1, "plane", plane_snapshot())
    ws.flush()
    assert not v.waiting() and v.graphics.isVisible() and v.caption.isVisible()
    assert "D(x)" in v.caption.text()
    ws.on_snapshot(1, "plane", plane_snapshot(seed=1))   # left pending: the next run must not draw it
    ws.on_run_started(2, info)                     # a new model: its plane is to come
    ws.flush()
    assert v.waiting() and v.empty.isVisible() and not v.graphics.isVisible()
    ws.on_snapshot(2, "plane", plane_snapshot(seed=2))
    ws.flush()
    assert v.graphics.isVisible() and v.curves()["real x1"][0] == plane_snapshot(seed=2)["real"][0, 0]
    v.set_data_kind("image")                       # images: no plane, whatever was drawn
    assert v.empty.isVisible() and "Generated images" in v.empty.text() and not v.caption.isVisible()
    v.set_data_kind("plane")
    assert v.graphics.isVisible()


def test_the_plane_caption_goes_beside_the_square_when_the_view_is_wide_and_under_it_when_not(qtbot):
    from seqlab.families.gan.ui.views.plane_view import PlaneView

    v = PlaneView()
    qtbot.addWidget(v)
    v.show()
    v.set_snapshot(plane_snapshot())                # the caption describes a drawn plane
    v.resize(900, 500)                              # a wide view: the square leaves room beside it
    qtbot.wait(30)
    cap, plots = v.caption.geometry(), v.stack.geometry()
    assert cap.left() >= plots.right() and cap.right() <= v.width() and cap.width() >= 160
    v.resize(600, 700)                              # a tall one: the caption under the plane
    qtbot.wait(30)
    cap, plots = v.caption.geometry(), v.stack.geometry()
    assert cap.top() >= plots.bottom() and cap.right() <= v.width()
