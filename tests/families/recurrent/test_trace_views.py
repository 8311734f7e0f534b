"""The trace views: hidden states and gates through time, the live cell diagram, the
timeline and the unrolled network.

Each test checks what a person at the screen would notice: the heatmap holds the trace's
numbers at fixed colour levels, playing moves time forward and faster at a higher speed, a
click explains that unit at that step with the right number in the equation, the GRU is
shown in the course's symbols (u = 1 - z), both directions of a bidirectional layer are
there, the drawing of the unrolled network follows the RNN type, and themes switch cleanly.

The traces are real forward passes of small random networks (numpy, PyTorch's equations),
so the numbers in the equations must add up.
"""

from __future__ import annotations

import math
import time

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt

from seqlab.ui.theme import DARK, LIGHT, ThemeManager, map_color, text_color_on
from tests.fixtures.synthetic_traces import make_trace
from seqlab.families.recurrent.ui.views.cell_diagram import CellDiagram
from seqlab.families.recurrent.ui.views.gates_view import GatesView
from seqlab.ui.views.heatmap import Heatmap
from seqlab.families.recurrent.ui.views.hidden_state_view import HiddenStateView
from seqlab.families.recurrent.ui.views.trace_data import TraceData, fmt
from seqlab.families.recurrent.ui.views.unrolled_net import UnrolledNetwork
from seqlab.ui.widgets.timeline import TimelineScrubber


@pytest.fixture
def tm():
    """A theme manager of the test's own, so no test restyles the application's."""
    return ThemeManager()


def _shown(qtbot, w, size=(1100, 650)):
    qtbot.addWidget(w)
    w.resize(*size)
    w.show()
    qtbot.waitExposed(w)
    return w


def _click_cell(qtbot, hm: Heatmap, unit: int, t: int) -> None:
    """A real left click on the centre of heatmap cell (unit, t)."""
    pos = hm.widget_pos_of(unit, t)
    qtbot.mouseClick(hm.view.viewport(), Qt.LeftButton, pos=QPoint(round(pos.x()), round(pos.y())))


# --- heatmaps of the trace -------------------------------------------------------------

def test_lstm_gate_heatmaps_show_the_trace_at_fixed_levels(qtbot, tm):
    trace, x, w = make_trace("lstm", T=40, H=12, F=2)
    v = _shown(qtbot, GatesView(theme=tm))
    v.set_trace(trace, x, "lstm", 1, False, weights=w)
    assert set(v.heatmaps) == {"f", "i", "g", "o", "c", "h"}
    for k in "figoch":
        np.testing.assert_array_equal(v.heatmaps[k].image(), trace[k][0])
    for k in "fio":
        assert v.heatmaps[k].levels() == (0.0, 1.0)
        assert tuple(v.heatmaps[k].image_item.getLevels()) == (0.0, 1.0)
    assert v.heatmaps["g"].levels() == (-1.0, 1.0)
    c_lo, c_hi = v.heatmaps["c"].levels()
    assert c_lo == -c_hi and c_hi >= np.abs(trace["c"]).max()

    # a new trace with only tiny gate values: the colours keep their meaning (no autoscale)
    small = {k: (a * 0.1 if k in "fio" else a) for k, a in trace.items()}
    v.set_trace(small, x, "lstm", 1, False)
    np.testing.assert_array_equal(v.heatmaps["f"].image(), small["f"][0])
    assert tuple(v.heatmaps["f"].image_item.getLevels()) == (0.0, 1.0)
    # the cell-state range only grows while the same model is shown
    bigger = dict(trace, c=trace["c"] * 4)
    v.set_trace(bigger, x, "lstm", 1, False)
    assert v.heatmaps["c"].levels()[1] >= np.abs(bigger["c"]).max()
    v.set_trace(trace, x, "lstm", 1, False)
    assert v.heatmaps["c"].levels()[1] >= np.abs(bigger["c"]).max()


def test_each_heatmap_has_a_labelled_colour_bar_stating_its_range(qtbot, tm):
    trace, x, _ = make_trace("lstm", T=20, H=6)
    v = _shown(qtbot, GatesView(theme=tm))
    v.set_trace(trace, x, "lstm", 1, False)
    for k, hm in v.heatmaps.items():
        assert hm.colorbar.isVisible() or hm.colorbar.scene() is not None
        assert hm.colorbar_label(), k
        ticks = hm.colorbar.axis._tickLevels[0]
        values = [val for val, _ in ticks]
        assert min(values) == hm.levels()[0] and max(values) == hm.levels()[1]
        assert hm.title()


def test_a_large_heatmap_takes_the_whole_trace(qtbot, tm):
    hm = _shown(qtbot, Heatmap("h", levels=(-1, 1), cmap="signed", theme=tm))
    big = np.random.default_rng(0).uniform(-1, 1, (1000, 1024)).astype(np.float32)
    hm.set_data(big)
    hm.set_time(999)
    hm.set_unit(1023)
    qtbot.wait(10)
    assert hm.image().shape == (1000, 1024)
    assert hm.cursor_x() == 1000  # steps count from 1 on screen
    vb = hm.plot.getViewBox()
    (x0, x1), (y0, y1) = vb.viewRange()
    assert x0 <= 1 and x1 >= 1000 and y0 <= 1 and y1 >= 1024


def test_a_trace_with_the_wrong_shape_is_refused_with_a_clear_message(qtbot, tm):
    trace, x, _ = make_trace("lstm", T=10, H=4)
    v = GatesView(theme=tm)
    qtbot.addWidget(v)
    with pytest.raises(ValueError, match="missing"):
        v.set_trace({"h": trace["h"]}, x, "lstm", 1, False)
    with pytest.raises(ValueError, match="layers"):
        v.set_trace(trace, x, "lstm", 2, False)
    with pytest.raises(ValueError, match="time steps"):
        v.set_trace(trace, x[:5], "lstm", 1, False)


# --- the timeline ----------------------------------------------------------------------

def test_playing_moves_time_forward_and_pause_stops_it(qtbot, tm):
    tl = _shown(qtbot, TimelineScrubber(theme=tm), (900, 60))
    tl.set_length(60)
    assert tl.label_text() == "t = 1 / 60"
    seen = []
    tl.timeChanged.connect(seen.append)
    tl.set_speed(30)
    tl.play()
    assert tl.is_playing()
    qtbot.waitUntil(lambda: tl.time() >= 4, timeout=3000)
    tl.pause()
    assert not tl.is_playing()
    stopped_at = tl.time()
    qtbot.wait(200)
    assert tl.time() == stopped_at
    assert seen[:4] == [1, 2, 3, 4]
    assert tl.label_text() == f"t = {stopped_at + 1} / 60"


def _steps_in(qtbot, tl: TimelineScrubber, speed: float, seconds: float) -> int:
    tl.set_time(0)
    tl.set_speed(speed)
    tl.play()
    start = time.monotonic()
    qtbot.wait(round(seconds * 1000))
    steps = tl.time()
    elapsed = time.monotonic() - start
    tl.pause()
    return steps, elapsed


def test_a_higher_speed_plays_more_steps_per_second(qtbot, tm):
    tl = _shown(qtbot, TimelineScrubber(theme=tm), (900, 60))
    tl.set_length(1000)
    tl.set_loop(False)
    slow, slow_s = _steps_in(qtbot, tl, 2, 0.8)
    fast, fast_s = _steps_in(qtbot, tl, 30, 0.8)
    assert tl.speed() == 30
    # slow motion: never more steps than the clock allows
    assert slow <= math.ceil(2 * slow_s) + 1
    # a loaded machine may drop timer ticks, but 30 steps/s is clearly faster than 2
    assert fast >= 3 * max(slow, 1)


def test_speed_is_clipped_to_slow_motion_and_fast_limits(qtbot, tm):
    tl = TimelineScrubber(theme=tm)
    qtbot.addWidget(tl)
    tl.set_speed(0.01)
    assert tl.speed() == 0.5
    tl.set_speed(1000)
    assert tl.speed() == 30
    tl.set_speed(3)  # a speed not in the list is offered in the box
    assert tl.speed() == 3
    assert "3 steps/s" == tl._speed_box.currentText()


def test_playing_at_the_end_wraps_or_stops(qtbot, tm):
    tl = TimelineScrubber(theme=tm)
    qtbot.addWidget(tl)
    tl.set_length(3)
    tl.set_speed(30)
    tl.set_time(2)
    tl.set_loop(False)
    tl.play()  # from the last step: starts again at the first
    assert tl.time() == 0
    qtbot.waitUntil(lambda: not tl.is_playing(), timeout=3000)
    assert tl.time() == 2


def test_set_time_moves_every_cursor_and_the_cell(qtbot, tm):
    trace, x, w = make_trace("lstm", T=50, H=8)
    v = _shown(qtbot, GatesView(theme=tm))
    v.set_trace(trace, x, "lstm", 1, False, weights=w)
    v.set_time(17)
    assert v.time() == 17
    assert v.timeline.label_text() == "t = 18 / 50"
    for hm in v.heatmaps.values():
        assert hm.cursor_x() == 18
    assert v.diagram.selection()[2] == 17
    assert "t = 18 / 50" in v.diagram.title_text()
    # out of range is clipped, not an error
    v.set_time(500)
    assert v.time() == 49


def test_a_new_trace_keeps_the_time_when_it_is_still_valid(qtbot, tm):
    trace, x, _ = make_trace("gru", T=50, H=8)
    v = _shown(qtbot, HiddenStateView(theme=tm))
    v.set_trace(trace, x, "gru", 1, False)
    v.set_time(30)
    trace2, x2, _ = make_trace("gru", T=50, H=8, seed=1)
    v.set_trace(trace2, x2, "gru", 1, False)
    assert v.time() == 30
    np.testing.assert_array_equal(v.forward.image(), trace2["h"][0])
    short, xs, _ = make_trace("gru", T=20, H=8)
    v.set_trace(short, xs, "gru", 1, False)
    assert v.time() == 19
    assert v.forward.cursor_x() == 20


def test_one_timeline_drives_two_views(qtbot, tm):
    trace, x, _ = make_trace("lstm", T=30, H=5)
    tl = TimelineScrubber(theme=tm)
    hv, gv = HiddenStateView(timeline=tl, theme=tm), GatesView(timeline=tl, theme=tm)
    for w_ in (tl, hv, gv):
        qtbot.addWidget(w_)
    hv.set_trace(trace, x, "lstm", 1, False)
    gv.set_trace(trace, x, "lstm", 1, False)
    tl.set_time(12)
    assert hv.forward.cursor_x() == 13 and gv.heatmaps["f"].cursor_x() == 13
    assert hv.input_strip.cursor_x() == 13


# --- selecting a cell and reading its equations ---------------------------------------

def test_clicking_a_gate_cell_explains_that_unit_at_that_step(qtbot, tm):
    trace, x, w = make_trace("lstm", T=40, H=10)
    v = _shown(qtbot, GatesView(theme=tm), (1280, 700))
    v.set_trace(trace, x, "lstm", 1, False, weights=w)
    qtbot.wait(50)
    with qtbot.waitSignal(v.selectionChanged, timeout=2000) as sig:
        _click_cell(qtbot, v.heatmaps["f"], unit=6, t=25)
    assert sig.args == [6, 25]
    assert v.unit() == 6 and v.time() == 25
    assert v.heatmaps["o"].unit() == 6  # the marker moves in every heatmap
    f = float(trace["f"][0, 25, 6])
    eq = v.diagram.equations()
    assert eq["f"].startswith("f_t = σ(W_f·[h_{t−1}, x_t] + b_f)")
    assert eq["f"].endswith(f"= {f:.2f}")
    assert f"{f:.2f}" in v.diagram.equation_text()
    # the cell-state equation substitutes the live numbers and adds up
    c_prev, i, g, c = (float(trace["c"][0, 24, 6]), float(trace["i"][0, 25, 6]),
                       float(trace["g"][0, 25, 6]), float(trace["c"][0, 25, 6]))
    assert abs(f * c_prev + i * g - c) < 1e-5
    assert eq["c"].endswith(f"= {fmt(c)}")
    assert f"{fmt(f)}·" in eq["c"] and fmt(abs(c_prev)) in eq["c"]
    # with the weights given, the weighted sum is shown too, and σ of it is the gate
    a = TraceData.build(trace, x, "lstm", 1, False, w).preactivations(0, 25, 6)["f"]
    assert abs(1 / (1 + math.exp(-a)) - f) < 1e-4
    assert f"σ({fmt(a)})" in eq["f"]
    # what the diagram draws: the same numbers
    assert v.diagram.values()["f"] == pytest.approx(f)


def test_arrow_keys_move_the_unit_and_the_time(qtbot, tm):
    trace, x, _ = make_trace("lstm", T=20, H=6)
    v = _shown(qtbot, GatesView(theme=tm))
    v.set_trace(trace, x, "lstm", 1, False)
    v.set_unit(2)
    v.set_time(5)
    v.setFocus()
    qtbot.keyClick(v, Qt.Key_Down)
    qtbot.keyClick(v, Qt.Key_Right)
    assert v.unit() == 3 and v.time() == 6
    assert v.diagram.selection() == (0, 3, 6)


def test_the_first_step_starts_from_a_zero_state(qtbot, tm):
    trace, x, _ = make_trace("lstm", T=10, H=4)
    d = _shown(qtbot, CellDiagram(theme=tm), (900, 400))
    d.set_trace(trace, x, "lstm", 1, False)
    d.set_selection(row=0, unit=1, t=0)
    vals = d.values()
    assert vals["c_prev"] == 0.0 and vals["h_prev"] == 0.0
    assert vals["c"] == pytest.approx(vals["i"] * vals["g"], abs=1e-6)
    assert "h0 = 0" in d.note_text().replace(" ", "").replace("h0=0", "h0 = 0")


# --- GRU in the course's symbols ------------------------------------------------------

def test_gru_view_shows_the_course_update_gate_u_equal_one_minus_z(qtbot, tm):
    trace, x, w = make_trace("gru", T=30, H=8)
    v = _shown(qtbot, GatesView(theme=tm), (1280, 700))
    v.set_trace(trace, x, "gru", 1, False, weights=w)
    assert list(v.heatmaps) == ["r", "u", "n", "h"]
    assert "z" not in v.heatmaps
    np.testing.assert_allclose(v.heatmaps["u"].image(), 1.0 - trace["z"][0])
    assert v.heatmaps["u"].levels() == (0.0, 1.0)
    assert "1 − z" in v.heatmaps["u"].title()
    assert "c̃" in v.heatmaps["n"].title()  # PyTorch's n is the course's candidate
    v.set_unit(3)
    v.set_time(12)
    z = float(trace["z"][0, 12, 3])
    eq = v.diagram.equations()
    assert eq["u"].startswith("u_t = σ(")
    assert eq["u"].endswith(f"= {fmt(1 - z)}")
    assert eq["h"].startswith("h_t = u_t ⊙ c̃_t + (1 − u_t) ⊙ h_{t−1}")
    # the note says so, visibly, with the live z
    note = v.diagram.note_text()
    assert "u = 1 − z" in note and f"z = {fmt(z)}" in note
    # and the course's h equation holds with u = 1 - z
    u, n, hp, h = 1 - z, trace["n"][0, 12, 3], trace["h"][0, 11, 3], trace["h"][0, 12, 3]
    assert abs(u * n + (1 - u) * hp - h) < 1e-5


def test_rnn_view_shows_only_h_and_its_equation(qtbot, tm):
    trace, x, w = make_trace("rnn", T=15, H=5)
    v = _shown(qtbot, GatesView(theme=tm))
    v.set_trace(trace, x, "rnn", 1, False, weights=w)
    assert list(v.heatmaps) == ["h"]
    assert [hm.isVisible() for hm in v._slots].count(True) == 1
    v.set_unit(2)
    v.set_time(7)
    eq = v.diagram.equations()["h"]
    assert eq.startswith("h_t = tanh(W_{hh}·h_{t−1} + W_{xh}·x_t + b)")
    assert eq.endswith(f"= {fmt(trace['h'][0, 7, 2])}")


def test_switching_cell_type_relabels_the_same_heatmaps(qtbot, tm):
    v = _shown(qtbot, GatesView(theme=tm))
    lstm, x, _ = make_trace("lstm", T=12, H=4)
    gru, xg, _ = make_trace("gru", T=12, H=4)
    v.set_trace(lstm, x, "lstm", 1, False)
    slots = list(v._slots)
    v.set_trace(gru, xg, "gru", 1, False)
    assert v._slots == slots  # re-used, not rebuilt
    assert v.heatmaps["r"] is slots[0]
    assert v.heatmaps["n"].levels() == (-1.0, 1.0)


# --- bidirectional ---------------------------------------------------------------------

def test_bidirectional_hidden_view_shows_both_directions_and_their_concatenation(qtbot, tm):
    trace, x, _ = make_trace("lstm", T=25, H=6, num_layers=2, bidirectional=True)
    v = _shown(qtbot, HiddenStateView(theme=tm))
    v.set_trace(trace, x, "lstm", 2, True)
    assert v.forward.isVisible() and v.backward.isVisible() and v.concat.isVisible()
    np.testing.assert_array_equal(v.forward.image(), trace["h"][0])
    np.testing.assert_array_equal(v.backward.image(), trace["h"][1])
    np.testing.assert_array_equal(v.concat.image(),
                                  np.concatenate([trace["h"][0], trace["h"][1]], axis=1))
    assert "backward" in v.backward.title() and "forward" in v.forward.title()
    assert "layer 2" in v.concat.title()  # what the next layer reads
    v.set_layer(1)
    np.testing.assert_array_equal(v.forward.image(), trace["h"][2])
    np.testing.assert_array_equal(v.backward.image(), trace["h"][3])
    assert "readout" in v.concat.title()
    # a unidirectional trace hides the backward half again
    uni, xu, _ = make_trace("lstm", T=25, H=6)
    v.set_trace(uni, xu, "lstm", 1, False)
    assert v.forward.isVisible() and not v.backward.isVisible() and not v.concat.isVisible()


def test_clicking_the_backward_half_of_the_concatenation_selects_that_unit(qtbot, tm):
    trace, x, _ = make_trace("gru", T=20, H=5, bidirectional=True)
    v = _shown(qtbot, HiddenStateView(theme=tm), (1280, 700))
    v.set_trace(trace, x, "gru", 1, True)
    qtbot.wait(50)
    with qtbot.waitSignal(v.selectionChanged, timeout=2000) as sig:
        _click_cell(qtbot, v.concat, unit=5 + 3, t=9)  # backward unit 3
    assert sig.args == [3, 9]
    assert v.backward.unit() == 3 and v.time() == 9


def test_backward_direction_cell_reads_its_previous_state_from_t_plus_1(qtbot, tm):
    trace, x, _ = make_trace("lstm", T=12, H=4, bidirectional=True)
    v = _shown(qtbot, GatesView(theme=tm), (1280, 700))
    v.set_trace(trace, x, "lstm", 1, True)
    v.set_layer(0, direction=1)
    v.set_unit(2)
    v.set_time(5)
    vals = v.diagram.values()
    assert vals["c_prev"] == pytest.approx(float(trace["c"][1, 6, 2]))
    assert "c_{t+1}" in v.diagram.equations()["c"]
    np.testing.assert_array_equal(v.heatmaps["f"].image(), trace["f"][1])
    assert "backward" in v.diagram.title_text()


# --- the unrolled network --------------------------------------------------------------

@pytest.mark.parametrize("task, outputs, inputs", [
    ("many-to-many", ["y_1", "y_2", "y_3", "y_T"], ["x_1", "x_2", "x_3", "x_T"]),
    ("many-to-one", ["y_T"], ["x_1", "x_2", "x_3", "x_T"]),
    ("one-to-many", ["y_1", "y_2", "y_3", "y_T"], ["x_1"]),
    ("one-to-one", ["y_1"], ["x_1"]),
])
def test_unrolled_drawing_follows_the_rnn_type(qtbot, tm, task, outputs, inputs):
    u = _shown(qtbot, UnrolledNetwork(theme=tm), (280, 160))
    u.set_config(task, "lstm", 1, False)
    assert u.outputs() == outputs
    assert u.inputs() == inputs
    assert task in u.title()
    assert not u.grab().isNull()


def test_unrolled_drawing_changes_when_the_task_changes(qtbot, tm):
    u = _shown(qtbot, UnrolledNetwork(theme=tm), (280, 160))
    u.set_config("many-to-many", "gru", 2, False)
    before = u.grab().toImage()
    n_before = len(u.outputs())
    u.set_config("many-to-one", "gru", 2, False)
    after = u.grab().toImage()
    assert len(u.outputs()) == 1 < n_before
    assert before != after
    cells = [i for i in u.items() if i.kind == "cell"]
    assert {i.layer for i in cells} == {0, 1}
    u.set_config("many-to-one", "gru", 2, True)
    assert "bidirectional" in u.title() and "backward" in u.description()
    with pytest.raises(ValueError, match="task"):
        u.set_config("many-to-few", "gru", 1, False)


# --- themes ----------------------------------------------------------------------------

def test_switching_theme_and_presentation_restyles_every_view(qtbot, tm):
    trace, x, w = make_trace("lstm", T=20, H=6, bidirectional=True)
    tl = TimelineScrubber(theme=tm)
    views = [GatesView(timeline=tl, theme=tm), HiddenStateView(timeline=tl, theme=tm),
             UnrolledNetwork(theme=tm), tl]
    for v in views:
        _shown(qtbot, v, (1000, 600))
    views[0].set_trace(trace, x, "lstm", 1, True, weights=w)
    views[1].set_trace(trace, x, "lstm", 1, True)
    hm = views[0].heatmaps["f"]
    assert hm.view.backgroundBrush().color().name() == LIGHT.base
    body = tl._play.font().pointSizeF()
    eq = views[0].diagram._eq.font().pointSizeF()

    tm.set_theme("dark")
    assert hm.view.backgroundBrush().color().name() == DARK.base
    assert views[1].forward.view.backgroundBrush().color().name() == DARK.base
    tm.set_presentation(True)
    assert tl._play.font().pointSizeF() == pytest.approx(body * tm.scale)
    assert views[0].diagram._eq.font().pointSizeF() == pytest.approx(eq * tm.scale)
    assert hm._cursor.core.pen.widthF() > 2.0
    for v in views:
        assert not v.grab().isNull()  # paints without error in the new style
    tm.set(theme="light", presentation=False)
    assert hm.view.backgroundBrush().color().name() == LIGHT.base
    assert tl._play.font().pointSizeF() == pytest.approx(body)


def test_text_on_a_coloured_gate_box_keeps_its_contrast():
    # the darkest and brightest ends of both maps get the text colour that reads on them
    assert text_color_on(map_color("gate", 0.0, 0, 1)).name() == "#ffffff"
    assert text_color_on(map_color("gate", 1.0, 0, 1)).name() == "#000000"
    assert text_color_on(map_color("signed", 0.0, -1, 1)).name() == "#000000"
    assert text_color_on(map_color("signed", -1.0, -1, 1)).name() == "#ffffff"


def test_numbers_are_shown_with_a_true_minus_and_no_negative_zero():
    assert fmt(-0.6712) == "\u22120.67"
    assert fmt(0.834) == "0.83"
    assert fmt(-0.001) == "0.00"


def test_time_labels_never_run_together_in_a_narrow_heatmap(qtbot):
    from PySide6.QtGui import QFontMetricsF

    from seqlab.ui.views.heatmap import Heatmap, time_tick_steps

    assert time_tick_steps(50, 600, 14) == list(range(5, 51, 5))
    assert time_tick_steps(202, 90, 21) == [100, 200]
    hm = Heatmap("f")
    qtbot.addWidget(hm)
    hm.resize(220, 200)
    hm.show()
    hm.set_data(np.random.default_rng(0).random((202, 32)).astype(np.float32))
    qtbot.wait(50)
    ticks = hm.plot.getAxis("bottom")._tickLevels[0]
    label_px = QFontMetricsF(hm._tm.font("tick")).horizontalAdvance("202")
    assert 1 <= len(ticks) and len(ticks) * 1.8 * label_px <= hm.plot.getViewBox().width() + 1e-6
