"""The autoencoder's and the GAN's screens: at 1280x720 and 1920x1080, in a normal window and
in presentation mode, each view keeps a stated share of the window for its plots, the status
bar stays on screen, no combo box cuts its text and (in a normal window) no panel scrolls or
is cut at its column's edge. A view with nothing of its own to draw (the plane on digits,
images of 2-D points) says so instead of showing empty axes.

The views are fed what a run sends them (snapshots computed by the lesson's untrained model,
logged rows, a health record), so the test needs no training. The shares are the floor
measured when this test was written, less a margin (see ``test_screens.py``).
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from seqlab.ui.main_window import MainWindow  # noqa: E402
from seqlab.ui.settings import Preferences, open_settings  # noqa: E402
from seqlab.ui.theme import ThemeManager  # noqa: E402
from tests.ui.screen_checks import clipped, cramped_panels, plot_area  # noqa: E402

#: the least share of the window each view's plots keep, by lesson (views with nothing to
#: draw on that lesson's data are checked for their sentence instead, in ``EMPTY``)
MIN_SHARE = {
    "anomaly-heartbeat": {"loss": 0.25, "reconstructions": 0.30, "latent": 0.33, "baseline": 0.30,
                          "anomaly": 0.27},
    "autoencoder-digits": {"loss": 0.25, "reconstructions": 0.37, "latent": 0.34, "baseline": 0.30,
                           "anomaly": 0.27},
    "denoising": {"loss": 0.25, "reconstructions": 0.37, "latent": 0.34, "baseline": 0.30, "anomaly": 0.27},
    "gan-2d": {"loss": 0.21, "plane": 0.33, "metrics": 0.29, "coverage": 0.26},
    "gan-mode-collapse": {"loss": 0.21, "plane": 0.33, "metrics": 0.29, "coverage": 0.26},
    "cgan-digits": {"loss": 0.21, "metrics": 0.29, "coverage": 0.27, "images": 0.37},
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


def _window(qtbot, tmp_path, lesson, size, presentation):
    W, H = size
    w = MainWindow(prefs=Preferences(open_settings(str(tmp_path / "s.ini"))), theme=ThemeManager())
    qtbot.addWidget(w)
    w.open_lesson(lesson)
    w.show()
    if presentation:
        w.toggle_presentation(True)
        w.showNormal()                 # the offscreen screen is 800x800: stand in for a full screen of W x H
    w.resize(W, H)
    qtbot.wait(50)
    if not presentation:
        w.fit_panels()                 # what the window does once shown at its size
        qtbot.wait(50)
    return w


@pytest.mark.parametrize("lesson", list(MIN_SHARE))
@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080)])
@pytest.mark.parametrize("presentation", [False, True])
def test_each_family_view_keeps_its_share_of_every_screen(qtbot, tmp_path, runs, lesson, size, presentation):
    W, H = size
    w = _window(qtbot, tmp_path, lesson, size, presentation)
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
        if not presentation:
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
