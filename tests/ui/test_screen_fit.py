"""Every screen, as a window manager sees it: the window's minimum never outgrows a 1280x720
screen (a window manager then neither makes it full screen nor gives back its frame), the
Gates and Gradients views take turns in pairs where presentation type leaves them too little
room, the tool bar keeps its run buttons and the lesson's title, the status bar and the notes
keep their words, and presentation mode never leaks into the normal layout (leaving it, or
quitting in it, puts back the normal window; a restored layout that scrolls is re-shared).

tests/ui/test_screens.py measures each view's share of the window; tests/ui/test_smoke_xvfb.py
presses F11 under a real window manager.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QScrollArea  # noqa: E402

from seqlab.ui.main_window import MainWindow  # noqa: E402
from seqlab.ui.settings import Preferences, open_settings  # noqa: E402
from seqlab.ui.theme import ThemeManager  # noqa: E402
from tests.fixtures.synthetic_traces import make_trace  # noqa: E402
from tests.ui.test_screens import _plot_area  # noqa: E402

#: a two-layer bidirectional LSTM's parameter names (the longest list the Gradients view shows)
MANY_PARAMS = [f"rnn.{w}_l{k}{d}" for k in range(2) for d in ("", "_reverse")
               for w in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")] + ["head.weight", "head.bias"]


@pytest.fixture
def make(qtbot, tmp_path):
    made = []

    def make_window(lesson: str = "lstm-sine", ini: str = "s.ini") -> MainWindow:
        w = MainWindow(prefs=Preferences(open_settings(str(tmp_path / ini))), theme=ThemeManager())
        qtbot.addWidget(w)
        w.open_lesson(lesson)
        made.append(w)
        return w

    yield make_window
    for w in made:
        w.close()


def feed(w: MainWindow) -> None:
    """A trace and gradient records with a long parameter list, as a run would send them."""
    trace, x, weights = make_trace("lstm", T=50, H=32)
    w.workspace.on_snapshot(0, "trace", {"states": trace, "x": x, "cell": "lstm", "num_layers": 1,
                                         "bidirectional": False, "weights": weights, "n_samples": 10})
    g = w.workspace.gradients
    for step in (10, 20, 30):
        g.add_record(step, np.geomspace(1e-4, 1e-1, 50), {n: 0.01 * (i + 1) for i, n in enumerate(MANY_PARAMS)})
    w.workspace.flush()


def present(qtbot, w: MainWindow, size=(1280, 720)) -> None:
    """Presentation mode on a screen of `size` (the offscreen screen stands in for it)."""
    w.show()
    w.toggle_presentation(True)
    w.showNormal()
    w.resize(*size)
    qtbot.wait(60)


def test_presentation_at_1280x720_fits_the_screen_whatever_view_is_shown(qtbot, make):
    w = make()
    feed(w)
    present(qtbot, w)
    for key in w._tab_keys:
        w._select_view(key)
        w.workspace.flush()
        qtbot.wait(30)
        m = w.minimumSizeHint()
        # taller than the screen, a window manager leaves the window out of full screen and
        # the status bar and notes below the screen's edge (it was 790-894 px tall)
        assert m.height() <= 720 and m.width() <= 1280, f"{key}: the window needs {m.width()}x{m.height()}"
    w.toggle_presentation(False)
    w.resize(1280, 688)                  # a 720-line screen less a title bar
    qtbot.wait(60)
    for key in w._tab_keys:
        w._select_view(key)
        qtbot.wait(20)
        assert w.minimumSizeHint().height() <= 688, f"{key}: {w.minimumSizeHint().height()} px after presenting"


def test_gates_take_turns_with_the_cell_on_a_short_projector(qtbot, make):
    w = make()
    feed(w)
    w.show()
    w.resize(1280, 720)
    w._select_view("gates")
    qtbot.wait(60)
    gates = w.workspace.gates
    assert gates.part() == "both", "a normal window at 1280x720 shows the heatmaps beside the cell"
    present(qtbot, w)
    w._select_view("gates")
    qtbot.wait(60)
    assert gates.compact() and gates.part() == "heatmaps"
    assert not gates.diagram.isVisible()
    used = sum(hm.width() for hm in gates.heatmaps.values() if hm.y() == gates.heatmaps["f"].y())
    assert used > 0.9 * gates.width(), "the heatmaps take the whole width, three to a row"
    share = _plot_area(gates) / (1280 * 720)
    assert share >= 0.15, f"the heatmaps have {share:.3f} of the window (side by side: 0.036)"
    gates.heatmaps["i"].cellClicked.emit(3, 7)           # a click asks for that cell's equations
    qtbot.wait(30)
    assert gates.part() == "cell" and gates.diagram.isVisible()
    assert gates.diagram.selection()[1:] == (3, 7)
    assert gates._info.text() == gates.diagram.title_text() and "unit 4" in gates._info.text()
    gates.show_part("heatmaps")
    assert gates.part() == "heatmaps" and not gates.diagram.isVisible()
    w.toggle_presentation(False)


def test_gradients_take_turns_in_pairs_and_name_every_parameter(qtbot, make):
    w = make()
    feed(w)
    present(qtbot, w)
    w._select_view("gradients")
    qtbot.wait(60)
    g = w.workspace.gradients
    assert g.is_short() and g.part() == "time" and g.parts.isVisible()
    assert g.heatmap_widget.isVisible() and not g.param_widget.isVisible()
    g.show_part("norms")
    qtbot.wait(30)
    assert g.param_widget.isVisible() and not g.heatmap_widget.isVisible()
    # eighteen names fit their plot: a smaller type where each has less than its line
    axis = g.param_plot.getAxis("left")
    line_px = axis.style["tickFont"].pointSizeF() * 96 / 72
    assert line_px * len(MANY_PARAMS) <= g.param_plot.getViewBox().height() + 1
    assert g.param_widget.minimumHeight() <= 140 * w.tm.scale
    w.toggle_presentation(False)
    qtbot.wait(30)
    assert not g.is_short() and g.part() == "both" and not g.parts.isVisible()


def test_the_toolbar_keeps_its_run_buttons_and_the_lessons_whole_title(qtbot, make):
    w = make("vanishing-gradient")
    w.show()
    w.resize(1280, 720)
    qtbot.wait(30)
    runs = [w.toolbar.widgetForAction(a) for a in (w.act_start, w.act_pause, w.act_step, w.act_stop)]
    box = w.lesson_box
    assert box.fontMetrics().horizontalAdvance(box.currentText()) <= box.width() - 24, "the title is cut"
    present(qtbot, w)
    # they were behind the tool bar's » menu: a teacher could not pause
    assert all(b.isVisible() and b.geometry().right() <= w.toolbar.width() for b in runs)
    assert box.fontMetrics().horizontalAdvance(box.currentText()) <= box.width() - 24, "the title is cut"
    w.toggle_presentation(False)


def test_the_status_bar_and_the_notes_keep_their_words_in_presentation_type(qtbot, make):
    w = make()
    present(qtbot, w)
    w._status = {"step": 990, "epochs_done": 45, "sps": 329.0, "device": "cpu", "val_loss": 0.0147}
    w._set_state("stopped")
    qtbot.wait(30)
    lab = w.status_state
    assert lab.fontMetrics().horizontalAdvance(lab.text()) <= lab.width() + 1, lab.text()
    assert lab.text().startswith("Stopped") and "Ctrl+S" in lab.toolTip()
    for i in range(len(w.notice.steps())):
        w.notice.show_step(i)
        text = w.notice.text
        room = w.notice.height() - 8
        assert text.heightForWidth(text.width()) <= room, f"note {i + 1} is cut"
    w.toggle_presentation(False)


def test_quitting_in_presentation_saves_the_normal_layout(qtbot, make, monkeypatch):
    w = make()
    w.show()
    w.resize(1280, 720)
    qtbot.wait(30)
    geometry, state = w.saveGeometry(), w.saveState()
    w.toggle_presentation(True)
    # a window manager leaves full screen when it gets to it: the window is still full
    # screen when the layout is saved (Qt's showNormal() returns at once)
    monkeypatch.setattr(w, "showNormal", lambda: None)
    w.close()
    saved_geometry, saved_state = w.prefs.layout()
    assert saved_geometry == geometry and saved_state == state, "the full-screen layout was saved"


def test_a_restored_layout_never_leaves_a_blank_gap_beside_a_scrolling_panel(qtbot, make):
    w = make(ini="layout.ini")
    w.show()
    w.resize(1280, 720)
    qtbot.wait(200)
    docks = list(w.docks.values())
    w.resizeDocks(docks, [60, 520, 120], Qt.Vertical)      # a squeezed Data panel, a tall Model panel
    qtbot.wait(50)
    w.close()
    # the next start, in a window too short for every panel whole (a 720-line screen under
    # a title bar, or a layout saved in presentation mode): it kept the saved sizes, so the
    # Data and Training panels scrolled beside a blank gap in the Model panel
    w2 = make(ini="layout.ini")
    w2.resize(1280, 600)
    w2.show()
    qtbot.wait(400)
    scrolls = {k: d.widget().verticalScrollBar().isVisible() for k, d in w2.docks.items()}
    assert not scrolls["data"] and not scrolls["model"], scrolls
    for key, dock in w2.docks.items():
        scroll: QScrollArea = dock.widget()
        if not scrolls[key]:
            gap = scroll.viewport().height() - scroll.widget().sizeHint().height()
            assert gap <= 6, f"the {key} panel has a {gap}-px gap while another scrolls"


def test_leaving_presentation_puts_back_the_window_and_its_minimum(qtbot, make):
    w = make()
    feed(w)
    w.show()
    w.resize(1280, 700)
    qtbot.wait(60)
    before, minimum = w.geometry(), w.minimumSizeHint()
    for key in ("gates", "gradients", "loss"):
        w._select_view(key)
        w.toggle_presentation(True)
        qtbot.wait(60)
        w.toggle_presentation(False)
        qtbot.wait(400)
        assert w.geometry() == before
    w._select_view("loss")
    qtbot.wait(30)
    assert w.minimumSizeHint().height() <= minimum.height() + 2, "a hidden view kept its presentation size"
