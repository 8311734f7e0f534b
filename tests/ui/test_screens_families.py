"""The autoencoder's and the GAN's screens: at 1280x720 and 1920x1080, in a normal window and
in presentation mode, each view keeps a stated share of the window for its plots, the status
bar stays on screen, no combo box, spin box, panel button or label cuts its text and no panel
scrolls or is cut at its column's edge. A view with nothing of its own to draw (the plane on digits,
images of 2-D points) says so instead of showing empty axes.

The views are fed what a run sends them (snapshots computed by the lesson's untrained model,
logged rows, a health record), so the test needs no training. The shares are the floor
measured when this test was written (offscreen, and on a real X screen under Xvfb, whose
fonts are a little larger), less 15 % (see ``test_screens.py``). Run it under Xvfb too
(``QT_QPA_PLATFORM=xcb``) after changing a panel: a real screen's taller controls are where
a column starts to scroll.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from PySide6.QtCore import Qt  # noqa: E402

from seqlab.ui.main_window import MainWindow  # noqa: E402
from seqlab.ui.shell.presentation import PRESENTATION_PANELS_MIN_WIDTH  # noqa: E402
from seqlab.ui.settings import Preferences, open_settings  # noqa: E402
from seqlab.ui.theme import ThemeManager  # noqa: E402
from tests.ui.screen_checks import clipped, cramped_panels, plot_area  # noqa: E402

#: the least share of the window each view's plots keep, by lesson (views with nothing to
#: draw on that lesson's data are checked for their sentence instead, in ``EMPTY``)
MIN_SHARE = {
    "anomaly-heartbeat": {"loss": 0.24, "reconstructions": 0.25, "latent": 0.25, "baseline": 0.27,
                          "anomaly": 0.24},
    "autoencoder-digits": {"loss": 0.24, "reconstructions": 0.33, "latent": 0.28, "baseline": 0.27,
                           "anomaly": 0.30},
    "denoising": {"loss": 0.24, "reconstructions": 0.33, "latent": 0.28, "baseline": 0.27, "anomaly": 0.30},
    "gan-2d": {"loss": 0.19, "plane": 0.18, "metrics": 0.26, "coverage": 0.22},
    "gan-mode-collapse": {"loss": 0.19, "plane": 0.18, "metrics": 0.26, "coverage": 0.22},
    "cgan-digits": {"loss": 0.19, "metrics": 0.26, "coverage": 0.24, "images": 0.33},
}
#: where a screen is known to be tight, by (size, presentation)
TIGHT: dict = {}
#: views that have nothing to draw on a lesson's data, and must say so
EMPTY = {"gan-2d": ("images",), "cgan-digits": ("plane",)}


def _feed_autoencoder(ws, tr, spec) -> None:
    info = {**tr.describe(), "spec": spec.to_dict(), "label": "run"}
    ws.on_run_started(1, info)
    ws.on_rows(1, [{"step": s, "val_loss": 0.05 - s * 1e-5} for s in range(20, 400, 20)])
    for kind, request in (("reconstructions", {}), ("latent", {"decode": [0.0, 0.0]}), ("errors", {})):
        ws.on_snapshot(1, kind, tr.snapshot(kind, request))
        ws.flush()


def _feed_gan(ws, tr, spec) -> None:
    info = {**tr.describe(), "spec": spec.to_dict(), "label": "run",
            "class_names": [str(i) for i in range(tr.data.n_classes)]}
    ws.on_run_started(1, info)
    rng = np.random.default_rng(0)
    ws.on_rows(1, [{"step": s, "d_loss": 1.3 + 0.1 * rng.standard_normal(), "g_loss": 0.9 + 0.1 * rng.standard_normal(),
                    "d_real": 0.55, "d_fake": 0.45} for s in range(10, 2000, 10)])
    val = tr.evaluate("val")
    history = [{"step": float(s), **{k[4:]: v for k, v in val.items()}} for s in range(100, 2001, 100)]
    ws.on_snapshot(1, "health", {"history": history, "modes_total": info.get("modes"), "status": "ok"})
    for kind in ("plane", "images"):
        payload = tr.snapshot(kind, {})
        if payload is not None:
            ws.on_snapshot(1, kind, payload)
    ws.flush()


@pytest.fixture(scope="module")
def runs():
    """Each lesson's first experiment, built once (its data, PCA and untrained networks)."""
    import torch

    from seqlab.core.registry import get_family, lessons

    torch.manual_seed(0)
    out = {}
    for name in MIN_SHARE:
        spec = lessons()[name].specs()[0][1]
        out[name] = (spec, get_family(spec.family).build(spec))
    return out


def window_size(size, presentation):
    """The window's size on a W x H screen: all of it in presentation mode; otherwise what the
    lab opens at there (90 % of the screen, at least 1280x720, less a 32-pixel title bar:
    1280x688 on a 1280x720 projector)."""
    W, H = size
    if presentation:
        return W, H
    return min(W, max(1280, int(W * 0.9))), min(H - 32, max(720, int(H * 0.9)))


def _window(qtbot, tmp_path, lesson, size, presentation, tm=None):
    W, H = size
    w = MainWindow(prefs=Preferences(open_settings(str(tmp_path / "s.ini"))), theme=tm or ThemeManager())
    qtbot.addWidget(w)
    w.open_lesson(lesson)
    w.show()
    if presentation:
        w.toggle_presentation(True)
        w.showNormal()                 # the offscreen screen is 800x800: stand in for a full screen of W x H
    w.resize(*window_size(size, presentation))
    qtbot.wait(50)
    if presentation:                   # what presentation mode does on a screen W wide
        w.set_panels_visible(W >= PRESENTATION_PANELS_MIN_WIDTH)
        w.resizeDocks([w._main_dock()], [w.presentation_column_width(W)], Qt.Horizontal)
    else:
        # the panel column as the lab lays it out on a screen of that size (the offscreen screen
        # is 800 wide: the window first opened there squeezes the column to its minimum)
        w.resizeDocks(list(w.docks.values()), [370] * len(w.docks), Qt.Horizontal)
        w.fit_panels()                 # what the window does once shown at its size
    qtbot.wait(50)
    return w


@pytest.mark.parametrize("lesson", list(MIN_SHARE))
@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080)])
@pytest.mark.parametrize("presentation", [False, True])
def test_each_family_view_keeps_its_share_of_every_screen(qtbot, tmp_path, runs, app_theme, lesson, size,
                                                         presentation):
    W, H = size
    w = _window(qtbot, tmp_path, lesson, size, presentation, app_theme)
    spec, tr = runs[lesson]
    (_feed_gan if spec.family == "gan" else _feed_autoencoder)(w.workspace, tr, spec)
    failures = []
    floors = {**MIN_SHARE[lesson], **TIGHT.get((size, presentation), {})}
    for key in w._tab_keys:
        w._select_view(key)
        w.workspace.flush()
        qtbot.wait(30)
        share = plot_area(w.view_page(key)) / (W * H)
        if key in floors and share < floors[key]:
            failures.append(f"{key}: its plots have {share:.3f} of the window, less than {floors[key]}")
        failures += [f"{key}: {c}" for c in clipped(w)]
        failures += [f"{key}: {c}" for c in cramped_panels(w)]
        assert w.statusBar().isVisible() and w.statusBar().geometry().bottom() <= w.height()
        assert w.width() <= W, f"{key}: the window grew to {w.width()} px, wider than the screen"
    assert not failures, failures
    if presentation:
        w.toggle_presentation(False)
    w.close()


@pytest.mark.parametrize("lesson", list(EMPTY))
def test_a_view_with_nothing_to_draw_says_so_instead_of_empty_axes(qtbot, tmp_path, runs, lesson):
    w = _window(qtbot, tmp_path, lesson, (1280, 720), False)
    spec, tr = runs[lesson]
    _feed_gan(w.workspace, tr, spec)
    for key in EMPTY[lesson]:
        w._select_view(key)
        qtbot.wait(30)
        page = w.view_page(key)
        assert plot_area(page) == 0, f"{key} draws empty axes"
        assert page.empty.isVisible() and "not" in page.empty.text()
    w.close()
