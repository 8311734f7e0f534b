"""Every screen: at 1280x720 and 1920x1080, in a normal window and in presentation mode, each
view keeps a stated share of the window for its plots, the status bar stays on screen and no
box cuts its text.

The shares are the floor measured when this test was written, less a margin: a change that
crushes a view (a table or notes taking the room) fails here before a teacher sees it.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402

from seqlab.ui.main_window import MainWindow  # noqa: E402
from seqlab.ui.settings import Preferences, open_settings  # noqa: E402
from seqlab.ui.theme import ThemeManager  # noqa: E402
from tests.fixtures.synthetic_traces import make_trace  # noqa: E402
from tests.ui.screen_checks import clipped as _clipped, plot_area as _plot_area  # noqa: E402

#: the least share of the window the plots of each view must keep together
MIN_SHARE = {"loss": 0.22, "hidden": 0.20, "gates": 0.06, "gradients": 0.20}
#: where a screen is known to be tight, a lower floor for a view there. None now: presentation
#: type on a 1280x720 projector left the six gate heatmaps 0.036 of the window until the Gates
#: view let them take turns with the cell (0.20 now; tests/ui/test_screen_fit.py)
TIGHT: dict = {}


@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080)])
@pytest.mark.parametrize("presentation", [False, True])
def test_each_view_keeps_its_share_of_every_screen(qtbot, tmp_path, size, presentation):
    W, H = size
    w = MainWindow(prefs=Preferences(open_settings(str(tmp_path / "s.ini"))), theme=ThemeManager())
    qtbot.addWidget(w)
    w.open_lesson("lstm-sine")
    w.show()
    if presentation:
        w.toggle_presentation(True)
        w.showNormal()                 # the offscreen screen is 800x800: stand in for a full screen of W x H
    w.resize(W, H)
    trace, x, weights = make_trace("lstm", T=50, H=32)
    w.workspace.on_snapshot(0, "trace", {"states": trace, "x": x, "cell": "lstm", "num_layers": 1,
                                         "bidirectional": False, "weights": weights, "n_samples": 10})
    qtbot.wait(50)
    failures = []
    floors = {**MIN_SHARE, **TIGHT.get((size, presentation), {})}
    for key, floor in floors.items():
        w._select_view(key)
        w.workspace.flush()
        qtbot.wait(30)
        share = _plot_area(w.view_page(key)) / (W * H)
        if share < floor:
            failures.append(f"{key}: its plots have {share:.3f} of the window, less than {floor}")
    assert not failures, failures
    assert w.statusBar().geometry().bottom() <= w.height() and w.statusBar().isVisible()
    assert not _clipped(w), _clipped(w)
    if presentation:
        w.toggle_presentation(False)
    w.close()
