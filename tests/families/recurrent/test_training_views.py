"""The training views: loss curves per run, gradients through time, predictions, export.

Each test checks what a person looking at the view would notice: the curve holds the
numbers, an earlier run fades, the heatmap rows are the records, the true class is marked.
"""

from __future__ import annotations

import csv
import math
import os

import numpy as np
import pytest
from PySide6.QtCore import Qt

from seqlab.ui.theme import ThemeManager
from seqlab.ui.views.export import (
    export_curves_csv, export_plot_png, export_plot_svg, export_widget_png,
)
from seqlab.families.recurrent.ui.views.gradients_view import GradientsView
from seqlab.ui.views.loss_view import BoundedSeries, LossView, powers_of_ten
from seqlab.families.recurrent.ui.views.predictions_view import PredictionsView


@pytest.fixture
def tm():
    """A theme manager of the test's own, so no test restyles the application's."""
    return ThemeManager()


def _shown(qtbot, w):
    qtbot.addWidget(w)
    w.resize(1000, 650)
    w.show()
    qtbot.waitExposed(w)
    return w


def _rows(steps, loss=lambda s: 1.0 / (1 + s), **extra):
    out = []
    for s in steps:
        r = {"step": s, "epoch": 0, "train_loss": loss(s), "lr": 1e-3, "time": s * 0.01,
             "steps_per_s": 50.0, "grad_norm": 2.0 + s, "grad_norm_clipped": 1.0}
        r.update({k: f(s) for k, f in extra.items()})
        out.append(r)
    return out


def _data(item):
    """The data a curve was given (before any log mapping for display)."""
    x, y = item.xData, item.yData
    return (np.zeros(0) if x is None else np.asarray(x)), (np.zeros(0) if y is None else np.asarray(y))


# --- loss ------------------------------------------------------------------------------

def test_rows_extend_the_train_curve_and_validation_points_appear(qtbot, tm):
    v = _shown(qtbot, LossView(theme=tm))
    v.start_run("a", "RNN h=8", {"cell": "rnn", "parameters": 321})
    rows1, rows2 = _rows(range(0, 50, 10)), _rows(range(50, 120, 10))
    v.add_rows("a", rows1)
    v.add_rows("a", rows2)
    x, y = _data(v.items_of("a")["train"])
    np.testing.assert_array_equal(x, [r["step"] for r in rows1 + rows2])
    np.testing.assert_allclose(y, [r["train_loss"] for r in rows1 + rows2])
    assert _data(v.items_of("a")["val"])[0].size == 0  # no validation yet

    v.add_validation("a", 100, {"val_loss": 0.3})
    v.add_validation("a", 200, {"val_loss": 0.2})
    x, y = _data(v.items_of("a")["val"])
    np.testing.assert_array_equal(x, [100, 200])
    np.testing.assert_allclose(y, [0.3, 0.2])
    assert v.best_val_loss("a") == pytest.approx(0.2)


def test_rows_carrying_val_loss_draw_validation_until_real_validations_arrive(qtbot, tm):
    v = _shown(qtbot, LossView(theme=tm))
    v.start_run("a", "GRU", {"cell": "gru"})
    # the engine repeats the last val_loss on every row: one point per new value
    v.add_rows("a", _rows(range(0, 40, 10), val_loss=lambda s: 0.5 if s < 20 else 0.4))
    np.testing.assert_allclose(_data(v.items_of("a")["val"])[1], [0.5, 0.4])
    v.add_validation("a", 40, {"val_loss": 0.35})
    v.add_rows("a", _rows(range(40, 60, 10), val_loss=lambda s: 0.35))
    np.testing.assert_allclose(_data(v.items_of("a")["val"])[1], [0.5, 0.4, 0.35])


def test_a_second_run_fades_the_first_and_both_stay(qtbot, tm):
    v = _shown(qtbot, LossView(theme=tm))
    v.start_run("rnn", "RNN", {"cell": "rnn"})
    v.add_rows("rnn", _rows(range(0, 100, 10)))
    first = v.items_of("rnn")["train"]
    alpha_before = first.opts["pen"].color().alpha()
    width_before = first.opts["pen"].widthF()

    v.start_run("lstm", "LSTM", {"cell": "lstm"})
    v.add_rows("lstm", _rows(range(0, 100, 10), loss=lambda s: 0.5 / (1 + s)))
    second = v.items_of("lstm")["train"]
    assert first.opts["pen"].color().alpha() < alpha_before
    assert first.opts["pen"].widthF() < width_before
    assert second.opts["pen"].color().alpha() == 255
    assert first.opts["pen"].color().rgb() != second.opts["pen"].color().rgb()  # own colours
    assert first in v.loss_plot.listDataItems() and second in v.loss_plot.listDataItems()
    assert _data(first)[0].size == 10 and _data(second)[0].size == 10
    legend = [label.text for _, label in v.legend.items]
    assert any("LSTM" in t and "training" in t for t in legend)
    assert any(t.startswith("RNN") for t in legend)


def test_the_table_lists_each_run_with_cell_parameters_and_best_val_loss(qtbot, tm):
    v = _shown(qtbot, LossView(theme=tm))
    v.start_run("a", "RNN h=32", {"cell": "rnn", "parameters": 1153})
    v.add_rows("a", _rows(range(0, 30, 10)))
    v.add_validation("a", 30, {"val_loss": 0.25})
    v.add_validation("a", 60, {"val_loss": 0.125})
    v.finish_run("a", {"stop_reason": "completed", "steps_per_s": 61.0})
    v.start_run("b", "LSTM h=32", {"cell": "lstm", "parameters": 4513})
    v.add_validation("b", 30, {"val_loss": 0.0625})
    assert v.table.rowCount() == 2
    assert [v.table_text(i, "Run") for i in range(2)] == ["RNN h=32", "LSTM h=32"]
    assert [v.table_text(i, "Cell") for i in range(2)] == ["RNN", "LSTM"]
    assert v.table_text(0, "Parameters") == "1,153"
    assert float(v.table_text(0, "Best val loss")) == pytest.approx(0.125)
    assert float(v.table_text(1, "Best val loss")) == pytest.approx(0.0625)
    assert v.table_text(0, "State") == "finished"
    assert v.table_text(1, "State") == "running"
    assert v.table_text(0, "Steps/s") == "61"
    # accuracy column only once there is accuracy
    acc_col = v.COLUMNS.index("Best val acc")
    assert v.table.isColumnHidden(acc_col)
    v.add_validation("b", 60, {"val_loss": 0.05, "val_acc": 0.9})
    assert not v.table.isColumnHidden(acc_col)
    assert v.table_text(1, "Best val acc") == "90.0%"


def test_finished_runs_say_how_they_ended(qtbot, tm):
    v = _shown(qtbot, LossView(theme=tm))
    for rid, reason in (("a", "diverged"), ("b", "stopped"), ("c", "early_stopping")):
        v.start_run(rid, rid)
        v.finish_run(rid, {"stop_reason": reason})
    assert [v.run_state(r) for r in "abc"] == ["diverged", "stopped", "finished"]
    assert "diverged" in v.table_text(0, "State")
    # starting a run while one is still running marks the old one stopped
    v.start_run("d", "d")
    v.start_run("e", "e")
    assert v.run_state("d") == "stopped" and v.run_state("e") == "running"


def test_log_toggle_sets_log_mode_and_keeps_the_baseline_in_place(qtbot, tm):
    v = _shown(qtbot, LossView(theme=tm))
    v.start_run("a", "RNN", {"baseline_loss": 0.01})
    v.add_rows("a", _rows(range(1, 10)))  # a 5x fall: the axis starts linear
    assert not v.is_log_scale()
    assert v.baseline_line.isVisible()
    assert v.baseline_line.value() == pytest.approx(0.01)
    assert v.baseline_line.label.format == "trivial predictor"
    qtbot.mouseClick(v.log_box, Qt.LeftButton)
    assert v.is_log_scale()
    assert v.loss_plot.getAxis("left").logMode
    assert v.items_of("a")["train"].opts["logMode"][1]
    assert v.baseline_line.value() == pytest.approx(-2.0)  # log10(0.01) on a log axis
    v.set_log_scale(False)
    assert not v.log_box.isChecked() and not v.loss_plot.getAxis("left").logMode
    assert v.baseline_line.value() == pytest.approx(0.01)


def test_accuracy_plot_appears_only_with_accuracy(qtbot, tm):
    v = _shown(qtbot, LossView(theme=tm))
    v.start_run("a", "RNN")
    v.add_rows("a", _rows(range(0, 30, 10)))
    assert not v.acc_widget.isVisible()
    v.add_rows("a", _rows(range(30, 60, 10), train_acc=lambda s: s / 100))
    v.add_validation("a", 60, {"val_loss": 0.3, "val_acc": 0.75})
    assert v.acc_widget.isVisible()
    np.testing.assert_allclose(_data(v.items_of("a")["train_acc"])[1], [0.3, 0.4, 0.5])
    np.testing.assert_allclose(_data(v.items_of("a")["val_acc"])[1], [0.75])
    assert "accuracy" in v.export_targets()


def test_clear_old_runs_keeps_only_the_latest(qtbot, tm):
    v = _shown(qtbot, LossView(theme=tm))
    for rid in "abc":
        v.start_run(rid, rid.upper())
        v.add_rows(rid, _rows(range(0, 30, 10)))
    old = v.items_of("a")["train"]
    qtbot.mouseClick(v.clear_button, Qt.LeftButton)
    assert v.run_ids() == ["c"]
    assert v.table.rowCount() == 1 and v.table_text(0, "Run") == "C"
    assert old not in v.loss_plot.listDataItems()


def test_a_hidden_view_draws_when_shown(qtbot, tm):
    v = LossView(theme=tm)
    qtbot.addWidget(v)
    v.start_run("a", "RNN")
    v.add_rows("a", _rows(range(0, 30, 10)))
    assert _data(v.items_of("a")["train"])[0].size == 0  # not drawn while hidden
    _shown(qtbot, v)
    np.testing.assert_array_equal(_data(v.items_of("a")["train"])[0], [0, 10, 20])


def test_presentation_mode_thickens_lines_and_enlarges_fonts(qtbot, tm):
    v = _shown(qtbot, LossView(theme=tm))
    v.start_run("a", "RNN")
    w0 = v.items_of("a")["train"].opts["pen"].widthF()
    f0 = v.table.font().pointSizeF()
    tm.set(theme="dark", presentation=True)
    assert v.items_of("a")["train"].opts["pen"].widthF() > w0 * 1.4
    assert v.table.font().pointSizeF() > f0 * 1.4
    assert v.loss_widget.backgroundBrush().color().name() == tm.theme.base


def test_bounded_series_keeps_memory_flat_and_the_latest_points():
    s = BoundedSeries(capacity=1000, reduce="max")
    x = np.arange(100_000, dtype=float)
    y = np.ones_like(x)
    y[123] = 50.0  # one spike early on: 'max' keeps it through every thinning
    for i in range(0, len(x), 777):
        s.extend(x[i:i + 777], y[i:i + 777])
    assert len(s) <= 1000
    assert s.x[-1] == x[-1] and s.x[0] < 1000  # still starts at the beginning
    assert np.all(np.diff(s.x) > 0)
    assert s.y.max() == 50.0
    np.testing.assert_array_equal(s.x[-300:], x[-300:])  # recent detail is intact


# --- gradients -------------------------------------------------------------------------

def _vanishing(T, step, rate=0.5):
    t = np.arange(T)
    return (np.exp(-rate * (T - 1 - t)) * (1 + 0.01 * step)).astype(np.float32)


def test_heatmap_holds_log10_of_the_records_in_order(qtbot, tm):
    v = _shown(qtbot, GradientsView(theme=tm))
    recs = [(s, _vanishing(20, s)) for s in range(0, 100, 10)]
    for s, g in recs:
        v.add_record(s, g, {"rnn.weight_hh_l0": 0.1})
    expect = np.log10(np.stack([g for _, g in recs]))
    np.testing.assert_allclose(v.heatmap_data(), expect, rtol=1e-5)
    np.testing.assert_allclose(v.heatmap_image.image, expect, rtol=1e-5)  # row = record
    np.testing.assert_array_equal(v.heatmap_steps(), [s for s, _ in recs])
    lo, hi = v.colour_levels()
    assert lo == math.floor(expect.min()) and hi == math.ceil(expect.max())
    # the colour bar speaks in powers of ten
    ticks = v.colorbar.axis._tickLevels[0]
    assert ticks and all(label == powers_of_ten(round(p)) for p, label in ticks)
    assert powers_of_ten(-3) == "10⁻³"
    # rows sit at their training steps: 10 rows of 10 steps centred on 0, 10, ..., 90
    rect = v.heatmap_image.mapRectToParent(v.heatmap_image.boundingRect())
    assert rect.top() == pytest.approx(-5) and rect.bottom() == pytest.approx(95)
    assert rect.left() == pytest.approx(0.5) and rect.right() == pytest.approx(20.5)


def test_latest_curve_is_the_last_record_on_a_log_axis(qtbot, tm):
    v = _shown(qtbot, GradientsView(theme=tm))
    v.add_record(10, _vanishing(30, 10))
    last = _vanishing(30, 20, rate=0.8)
    v.add_record(20, last)
    x, y = _data(v.latest_curve)
    np.testing.assert_array_equal(x, np.arange(1, 31))  # t shown 1..T
    np.testing.assert_allclose(y, last, rtol=1e-6)
    assert v.latest_plot.getAxis("left").logMode
    assert "20" in v.latest_plot.titleLabel.text
    assert "shrinks" in v.caption.text()  # says how much it vanished


def test_clipping_curves_hold_the_rows_values(qtbot, tm):
    v = _shown(qtbot, GradientsView(theme=tm))
    rows = [{"step": s, "grad_norm": 5.0 + s, "grad_norm_clipped": 1.0} for s in range(0, 50, 5)]
    v.add_rows(rows[:4])
    v.add_rows(rows[4:] + [{"step": 99}])  # a row without norms is skipped
    bx, by = _data(v.before_curve)
    ax, ay = _data(v.after_curve)
    np.testing.assert_array_equal(bx, [r["step"] for r in rows])
    np.testing.assert_allclose(by, [r["grad_norm"] for r in rows])
    np.testing.assert_allclose(ay, [1.0] * len(rows))
    names = [label.text for _, label in v.clip_legend.items]
    assert names == ["before clipping", "after clipping"]


def test_per_parameter_bars_show_the_latest_norms(qtbot, tm):
    v = _shown(qtbot, GradientsView(theme=tm))
    norms = {"rnn.weight_ih_l0": 1e-3, "rnn.weight_hh_l0": 1e-2, "head.weight": 1.0}
    v.add_record(0, _vanishing(10, 0), norms)
    ticks = [name for _, name in v.param_plot.getAxis("left")._tickLevels[0]]
    assert ticks == list(norms)
    x0 = np.asarray(v.param_bars.opts["x0"])
    right = x0 + np.asarray(v.param_bars.opts["width"])
    np.testing.assert_allclose(right, np.log10(list(norms.values())))  # bar ends at log10


def test_decimation_keeps_memory_bounded_over_5000_records(qtbot, tm):
    v = _shown(qtbot, GradientsView(theme=tm))
    T = 50
    for s in range(5000):
        v.add_record(s * 10, _vanishing(T, s))
        if s % 500 == 0:
            v.add_rows([{"step": s * 10, "grad_norm": 1.0, "grad_norm_clipped": 1.0}])
    data = v.heatmap_data()
    assert data.shape[1] == T and data.shape[0] <= GradientsView.MAX_RECORDS
    assert v.heatmap_image.image.shape == data.shape
    steps = v.heatmap_steps()
    assert steps[0] == 0 and np.all(np.diff(steps) == steps[1] - steps[0])  # evenly spaced
    assert steps[-1] >= 49_000  # still up to date
    np.testing.assert_allclose(data[-1], np.log10(_vanishing(T, int(steps[-1] // 10))), rtol=1e-5)
    assert v.latest()[0] == 49_990  # the latest curve always shows the newest record


def test_odd_gradient_records_do_not_crash(qtbot, tm):
    v = _shown(qtbot, GradientsView(theme=tm))
    v.add_record(0, np.array([], np.float32))  # nothing to show
    v.add_record(1, np.array([0.0, np.nan, 1e-3, np.inf], np.float32), {"w": 0.0})
    assert np.isnan(v.heatmap_data()[0, 0]) and v.heatmap_data()[0, 2] == pytest.approx(-3)
    v.add_record(2, np.array([0.5], np.float32))  # T changed (a new task): start over
    assert v.heatmap_data().shape == (1, 1)
    v.reset()
    assert v.heatmap_data().size == 0 and v.latest() is None
    assert _data(v.latest_curve)[0].size == 0


# --- predictions -----------------------------------------------------------------------

def test_series_shows_truth_one_step_and_free_running(qtbot, tm):
    v = _shown(qtbot, PredictionsView(theme=tm))
    true = np.sin(np.arange(100) / 5)
    one = true + 0.1
    free = np.cos(np.arange(30))
    v.set_predictions({"kind": "regression", "task": "many-to-one", "series_true": true,
                       "one_step": one, "free_running": free, "t0": 70})
    assert v.mode() == "series" and v.stack.currentWidget() is v.series_widget
    np.testing.assert_allclose(_data(v.truth_curve)[1], true)
    np.testing.assert_allclose(_data(v.one_step_curve)[1], one)
    fx, fy = _data(v.free_curve)
    np.testing.assert_array_equal(fx, np.arange(70, 100))
    np.testing.assert_allclose(fy, free)
    assert v.t0_line.value() == 70 and v.t0_line.isVisible()
    names = [label.text for _, label in v.series_legend.items]
    assert names == ["true series", "one-step prediction", "free-running forecast"]


def test_series_keeps_its_place_in_the_whole_series(qtbot, tm):
    v = _shown(qtbot, PredictionsView(theme=tm))
    # as the worker sends it: truth from step 500, one-step and free running from 520
    v.set_predictions({"kind": "regression", "series_true": np.zeros(40), "one_step": np.ones(20),
                       "free_running": np.ones(20), "t0": 20, "t_offset": 500,
                       "label": "sunspots: val part of the series"})
    np.testing.assert_array_equal(_data(v.truth_curve)[0], np.arange(500, 540))
    np.testing.assert_array_equal(_data(v.one_step_curve)[0], np.arange(520, 540))
    np.testing.assert_array_equal(_data(v.free_curve)[0], np.arange(520, 540))
    assert v.t0_line.value() == 520
    assert "sunspots" in v.series_plot.titleLabel.text


def test_series_undoes_the_normalisation(qtbot, tm):
    v = _shown(qtbot, PredictionsView(theme=tm))
    v.set_predictions({"kind": "regression", "series_true": [0.0, 1.0], "one_step": [0.5, 1.0],
                       "free_running": [-1.0], "t0": 1, "target_mean": 10.0, "target_std": 2.0})
    np.testing.assert_allclose(_data(v.truth_curve)[1], [10.0, 12.0])
    np.testing.assert_allclose(_data(v.free_curve)[1], [8.0])


def test_classification_shows_the_selected_samples_probabilities_and_true_class(qtbot, tm):
    v = _shown(qtbot, PredictionsView(theme=tm))
    probs = np.array([[0.7, 0.2, 0.1], [0.1, 0.3, 0.6], [0.2, 0.5, 0.3]])
    v.set_predictions({"kind": "classification", "task": "many-to-one", "probs": probs,
                       "y": [0, 1, 1], "class_names": ["cat", "dog", "bird"]})
    assert v.mode() == "classification"
    np.testing.assert_allclose(v.class_bars.opts["width"], probs[0])
    assert v.true_class() == 0
    assert v.accuracy() == pytest.approx(2 / 3)
    assert "66.7%" in v.readout.text()
    ticks = [name for _, name in v.class_plot.getAxis("left")._tickLevels[0]]
    assert ticks == ["cat", "dog", "bird"]

    qtbot.keyClick(v.sample_spin, Qt.Key_Up)  # the second sample (1-based on screen)
    assert v.sample() == 1
    np.testing.assert_allclose(v.class_bars.opts["width"], probs[1])
    assert v.true_class() == 1
    brushes = [b.color().rgb() for b in v.class_bars.opts["brushes"]]
    assert brushes[1] != brushes[0] and brushes[0] == brushes[2]  # true class stands out
    assert "true class" in v.class_texts[1].textItem.toPlainText()
    assert "predicted" in v.class_texts[2].textItem.toPlainText()
    assert "wrong" in v.readout.text()

    v.set_sample(0)
    qtbot.mouseClick(v.next_wrong, Qt.LeftButton)
    assert v.sample() == 1  # the only mistake


def test_the_series_read_out_compares_each_prediction_with_its_own_step(qtbot, tm):
    v = _shown(qtbot, PredictionsView(theme=tm))
    true = np.arange(40.0)
    for offset in (0, 10, 500):   # the lab shows a stretch of a longer series from t_offset
        v.set_predictions({"kind": "regression", "series_true": true, "one_step": true[20:] + 1,
                           "free_running": true[20:] + 2, "t0": 20, "t_offset": offset})
        text = v.readout.text()
        assert "one-step mean error <b>1</b>" in text and "free-running mean error <b>2</b>" in text, (offset, text)


def test_switching_kinds_switches_layouts(qtbot, tm):
    v = _shown(qtbot, PredictionsView(theme=tm))
    rng = np.random.default_rng(0)
    v.set_predictions({"kind": "classification", "probs": [[0.4, 0.6]], "y": [1]})
    assert v.mode() == "classification"
    y = rng.random((40, 1))
    x = rng.random((40, 12, 2))
    v.set_predictions({"kind": "regression", "task": "many-to-one", "pred": y + 0.01, "y": y, "x": x})
    assert v.mode() == "scatter" and v.stack.currentWidget().isAncestorOf(v.scatter_widget)
    sx, sy = v.scatter.getData()
    np.testing.assert_allclose(sx, y.ravel())
    np.testing.assert_allclose(sy, y.ravel() + 0.01)
    dx, dy = _data(v.diagonal)
    np.testing.assert_allclose(dx, dy)  # the y = x line
    assert v.inputs_widget.isVisible()
    v.set_sample(5)
    np.testing.assert_allclose(_data(v.input_curves[0])[1], x[5, :, 0])
    v.set_predictions({"kind": "regression", "task": "many-to-many",
                       "pred": np.zeros((20, 1)), "y": np.ones((20, 1))})
    assert v.mode() == "sequence"
    np.testing.assert_allclose(_data(v.seq_true[0])[1], np.ones(20))
    np.testing.assert_allclose(_data(v.seq_pred[0])[1], np.zeros(20))
    v.set_predictions({"kind": "regression", "series_true": [1.0, 2.0], "one_step": [1.0, 2.0],
                       "free_running": [], "t0": 2})
    assert v.mode() == "series" and not v.t0_line.isVisible()
    v.reset()
    assert v.mode() == "empty"


@pytest.mark.parametrize("d", [
    None, {}, {"kind": "regression"}, {"kind": "classification"},
    {"kind": "classification", "probs": np.zeros((0, 3))},
    {"kind": "classification", "probs": [0.2, 0.8], "y": 5},  # one sample, label out of range
    {"kind": "classification", "probs": [[0.5, 0.5]], "class_names": ["only one"]},
    {"kind": "regression", "series_true": [1.0]},  # T = 1, no predictions
    {"kind": "regression", "series_true": [1.0], "one_step": [1.0], "free_running": [1.0], "t0": 0},
    {"kind": "regression", "pred": [[1.0]], "y": [[2.0]]},  # one sample
    {"kind": "regression", "pred": [1.0, 2.0], "y": [1.0]},  # mismatched
    {"kind": "regression", "task": "many-to-many", "pred": [[1.0]], "y": [[1.0]]},  # T = 1
    {"kind": "regression", "pred": [np.nan, 1.0], "y": [1.0, np.nan]},
    {"kind": "weird", "stuff": 1},
    {"kind": "regression", "series_true": None},  # an array missing: a message, not a crash
    {"kind": "regression", "pred": None, "y": [1.0]},
    {"kind": "regression", "task": "many-to-many", "pred": None, "y": [[1.0]]},
    {"kind": "regression", "task": "many-to-many", "pred": [[1.0]], "y": None},
])
def test_empty_or_odd_predictions_do_not_crash(qtbot, tm, d):
    v = _shown(qtbot, PredictionsView(theme=tm))
    v.set_predictions(d)
    assert v.mode() in ("empty", "series", "scatter", "sequence", "classification")
    if v.mode() == "empty":
        assert v.message.text()  # says why, in words
    v.export_targets()
    v.curves()


# --- export ----------------------------------------------------------------------------

def test_png_and_svg_are_written(qtbot, tm, tmp_path):
    v = _shown(qtbot, LossView(theme=tm))
    v.start_run("a", "RNN")
    v.add_rows("a", _rows(range(0, 100, 10)))
    png, svg, wpng = tmp_path / "loss.png", tmp_path / "loss.svg", tmp_path / "view.png"
    export_plot_png(v.export_targets()["loss"], png)
    export_plot_svg(v.loss_widget, svg)
    export_widget_png(v, wpng)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 1000
    assert wpng.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert b"<svg" in svg.read_bytes() and svg.stat().st_size > 1000
    assert sorted(os.listdir(tmp_path)) == ["loss.png", "loss.svg", "view.png"]  # no leftovers


def test_every_view_exports_its_plots(qtbot, tm, tmp_path):
    g = _shown(qtbot, GradientsView(theme=tm))
    g.add_record(0, _vanishing(10, 0), {"w": 1.0})
    p = _shown(qtbot, PredictionsView(theme=tm))
    p.set_predictions({"kind": "classification", "probs": [[0.3, 0.7]], "y": [1]})
    for i, (name, item) in enumerate(list(g.export_targets().items()) + list(p.export_targets().items())):
        export_plot_png(item, tmp_path / f"{i}.png")
        export_plot_svg(item, tmp_path / f"{i}.svg")
        assert (tmp_path / f"{i}.png").stat().st_size > 0, name
        assert b"<svg" in (tmp_path / f"{i}.svg").read_bytes(), name


def test_csv_round_trips_the_numbers(tmp_path, qtbot, tm):
    cols = {"step": np.arange(5), "loss": np.array([1 / 3, 2e-9, 1e10, np.pi, 0.1]),
            "short": np.array([0.5, 0.25])}
    path = tmp_path / "c.csv"
    export_curves_csv(path, cols)
    with open(path, newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == ["step", "loss", "short"]
    got = np.array([float(r[1]) for r in rows[1:]])
    np.testing.assert_array_equal(got, cols["loss"])  # exactly, not approximately
    assert [r[0] for r in rows[1:]] == ["0", "1", "2", "3", "4"]
    assert [r[2] for r in rows[1:]] == ["0.5", "0.25", "", "", ""]

    v = _shown(qtbot, GradientsView(theme=tm))
    v.add_rows([{"step": 1, "grad_norm": 3.5, "grad_norm_clipped": 1.0}])
    export_curves_csv(tmp_path / "g.csv", v.curves())
    with open(tmp_path / "g.csv", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert float(rows[0]["grad norm before clipping"]) == 3.5


def test_an_unwritable_path_raises_oserror_naming_it(qtbot, tm, tmp_path):
    v = _shown(qtbot, LossView(theme=tm))
    bad = tmp_path / "no such folder" / "out"
    for fn, path in ((lambda p: export_plot_png(v.loss_plot, p), f"{bad}.png"),
                     (lambda p: export_plot_svg(v.loss_plot, p), f"{bad}.svg"),
                     (lambda p: export_widget_png(v, p), f"{bad}.png"),
                     (lambda p: export_curves_csv(p, {"a": np.ones(2)}), f"{bad}.csv")):
        with pytest.raises(OSError, match="no such folder"):
            fn(path)
    # a folder where the file should be: the rename fails, nothing is left behind
    (tmp_path / "taken.csv").mkdir()
    with pytest.raises(OSError, match="taken.csv"):
        export_curves_csv(tmp_path / "taken.csv", {"a": np.ones(2)})
    assert sorted(os.listdir(tmp_path)) == ["taken.csv"]
