"""The lab window, driven the way a person drives it: panels, Start, the views, files.

Every test gets its own settings file (nothing touches the person's real preferences) and
fails if a training thread outlives its window.
"""

from __future__ import annotations

import os
import struct
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from PySide6.QtWidgets import QScrollArea  # noqa: E402

from seqlab.core.spec import ExperimentSpec  # noqa: E402
from seqlab.families.recurrent.lessons import LESSONS  # noqa: E402
from seqlab.ui.main_window import MainWindow  # noqa: E402
from seqlab.ui.settings import Preferences, open_settings  # noqa: E402
from seqlab.ui.theme import ThemeManager  # noqa: E402
from seqlab.ui.worker import running_threads  # noqa: E402

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def settings_file(tmp_path, monkeypatch):
    path = tmp_path / "settings.ini"
    monkeypatch.setenv("SEQLAB_SETTINGS", str(path))
    return path


@pytest.fixture
def make_window(qtbot, settings_file):
    made = []

    def make(lesson: str | None = "lstm-sine") -> MainWindow:
        w = MainWindow(prefs=Preferences(open_settings(settings_file)), theme=ThemeManager())
        qtbot.addWidget(w)
        if lesson:
            w.open_lesson(lesson)
        w.resize(1280, 720)
        w.show()
        qtbot.waitExposed(w)
        made.append(w)
        return w

    yield make
    for w in made:
        w.close()
    assert not running_threads(), "a training thread outlived its window"


@pytest.fixture
def window(make_window) -> MainWindow:
    return make_window()


def small(window: MainWindow, **train) -> None:
    """Small sizes through the panels, so a test trains in a few seconds."""
    dp, mp, tp = window.workspace.data_panel, window.workspace.model_panel, window.training_panel
    dp.seq_len.setValue(16)
    dp.samples.setValue(320)
    mp.hidden.setValue(12)
    tp.batch_size.setValue(32)
    tp.epochs.setValue(train.pop("epochs", 30))
    tp.lr.setText(str(train.pop("lr", 0.02)))
    assert not train


def rows_of(window: MainWindow, rid: int) -> list[dict]:
    return window.runs.rows(rid)


def wait_rows(qtbot, window, rid, n, timeout=60_000):
    qtbot.waitUntil(lambda: len(rows_of(window, rid)) >= n, timeout=timeout)


def wait_idle(qtbot, window, timeout=60_000):
    qtbot.waitUntil(lambda: not window.bridge.running, timeout=timeout)


# --- building and training ----------------------------------------------------------------

def test_a_model_built_in_the_panels_trains_and_its_loss_falls(qtbot, window):
    mp = window.workspace.model_panel
    small(window, epochs=12)
    mp.set_combo(mp.cell, "gru")
    mp.layers.setValue(2)
    mp.dropout.setValue(0.1)
    spec = window.current_spec()
    assert spec is not None
    assert (spec.model.cell, spec.model.hidden_size, spec.model.num_layers, spec.model.dropout) == ("gru", 12, 2, 0.1)
    assert spec.data.seq_len == 16 and spec.train.batch_size == 32
    # the parameter count the panel shows is the model's
    from seqlab.families.recurrent.model import RecurrentModel
    assert mp.parameter_count() == RecurrentModel(spec.model, 1, 1).parameter_count()

    with qtbot.waitSignal(window.run_started, timeout=60_000) as started:
        assert window.start_training()
    rid = started.args[0]
    wait_idle(qtbot, window, timeout=120_000)
    rows = rows_of(window, rid)
    first, last = rows[0]["train_loss"], np.mean([r["train_loss"] for r in rows[-5:]])
    assert last < 0.5 * first, f"the loss did not fall: {first:.3f} -> {last:.3f}"
    # the loss view shows the curve and the status bar says how it ended
    curve = window.views["loss"].items_of(str(rid))["train"]
    assert len(curve.getData()[0]) > 5
    assert window.state() == "finished"
    assert "val loss" in window.status_metrics.text()
    assert window.status_device.text() == "CPU"


def test_invalid_values_are_named_inline_and_block_start(qtbot, window):
    tp, mp = window.training_panel, window.workspace.model_panel
    tp.lr.setText("fast")
    assert "train.lr" in tp.error_label.text()
    assert tp.error_label.isVisible()
    assert not window.start_training()
    assert "train.lr" in window.last_message[1]
    tp.lr.setText("0.01")
    assert tp.error_label.text() == ""
    # a rule across fields: one-to-one reads one step
    mp.set_combo(mp.task, "one-to-one")
    assert window.current_spec() is None
    assert "seq_len" in window.workspace.data_panel.error_text() + mp.error_text() + tp.error_text()
    mp.set_combo(mp.task, "many-to-many")
    assert window.current_spec() is not None


def test_tasks_the_data_cannot_provide_are_greyed_out(qtbot, window):
    dp, mp = window.workspace.data_panel, window.workspace.model_panel
    dp.set_combo(dp.name_box, "memory")
    dp._user_changed()
    model = mp.task.model()
    enabled = {mp.task.itemData(i): model.item(i).isEnabled() for i in range(mp.task.count())}
    assert enabled == {"many-to-many": False, "many-to-one": True, "one-to-many": False, "one-to-one": False}
    assert mp.task.currentData() == "many-to-one"
    # and the drawing of the unrolled network follows
    assert mp.drawing.config()[0] == "many-to-one"
    mp.set_combo(mp.cell, "rnn")
    assert mp.drawing.config()[1] == "rnn"


def test_every_control_explains_itself(qtbot, window):
    dp = window.workspace.data_panel
    for panel in (dp, window.workspace.model_panel, window.training_panel):
        for key, w in panel._widgets.items():
            tip = w.toolTip()
            assert tip and len(tip) > 15, f"{key} in {type(panel).__name__} has no tooltip"
            assert panel._labels[key].toolTip() == tip
    assert dp.name_box.toolTip() and dp.csv_button.toolTip()
    # the spec's own help text, with the allowed values
    assert "learning rate" in window.training_panel.lr.toolTip().lower()
    assert "1..4096" in window.workspace.model_panel.hidden.toolTip()
    for a in (window.act_start, window.act_pause, window.act_step, window.act_stop):
        assert a.toolTip()


@pytest.mark.parametrize("lesson", [None, *LESSONS])
def test_nothing_needs_scrolling_at_1280x720(qtbot, window, lesson):
    qtbot.wait(100)
    if lesson:
        window.open_lesson(lesson)   # the panels change height; the window re-shares the column
    qtbot.wait(300)
    for key, dock in window.docks.items():
        scroll: QScrollArea = dock.widget()
        assert not scroll.verticalScrollBar().isVisible(), f"the {key} panel scrolls at 1280x720"
        assert scroll.widget().width() <= scroll.viewport().width(), f"the {key} panel is cut at the side"


# --- live views ---------------------------------------------------------------------------

def test_hidden_state_scrubber_moves_through_time_with_live_traces(qtbot, window):
    small(window, epochs=400)
    window._select_view("hidden")
    traces = []
    window.bridge.snapshot.connect(lambda rid, kind, tr: kind == "trace" and traces.append(tr))
    with qtbot.waitSignal(window.run_started, timeout=60_000):
        window.start_training()
    qtbot.waitUntil(lambda: len(traces) >= 2, timeout=60_000)
    hv = window.views["hidden"]
    assert hv.data() is not None and hv.data().T == 16
    tl = window.timeline
    assert tl.length() == 16 and window.workspace.time_row.isVisible()
    tl.set_speed(30)
    start_t = tl.time()
    window.act_play.trigger()             # Space
    assert tl.is_playing()
    seen = {tl.time()}
    n_traces = len(traces)
    deadline = time.perf_counter() + 5
    while time.perf_counter() < deadline and (len(seen) < 5 or len(traces) <= n_traces):
        qtbot.wait(50)
        seen.add(tl.time())
    assert len(seen) >= 5, f"the animation did not move through time: {seen}"
    assert len(traces) > n_traces, "new traces keep arriving while it plays"
    window.act_play.trigger()
    assert not tl.is_playing()
    tl.set_time(5)
    window.act_next_t.trigger()           # Right
    assert tl.time() == 6
    window.act_prev_t.trigger()           # Left
    assert tl.time() == 5
    # the gates view shows the same trace, with the course's gates
    window._select_view("gates")
    qtbot.waitUntil(lambda: window.views["gates"].data() is not None, timeout=20_000)
    assert {"f", "i", "g", "o", "c"} <= set(window.views["gates"].heatmaps)
    assert start_t is not None
    window.stop_training()
    wait_idle(qtbot, window)


def test_traces_are_not_computed_while_no_view_shows_them(qtbot, window):
    small(window, epochs=6)
    window._select_view("loss")
    traces = []
    window.bridge.snapshot.connect(lambda rid, kind, tr: kind == "trace" and traces.append(tr))
    window.start_training()
    wait_idle(qtbot, window, timeout=120_000)
    assert traces == []


def test_learning_rate_changed_while_running_reaches_the_optimiser(qtbot, window):
    small(window, epochs=2000)
    with qtbot.waitSignal(window.run_started, timeout=60_000) as started:
        window.start_training()
    rid = started.args[0]
    wait_rows(qtbot, window, rid, 2)
    window.training_panel.lr.setText("0.00321")
    qtbot.waitUntil(lambda: any(abs(r.get("lr", 0) - 0.00321) < 1e-12 for r in rows_of(window, rid)),
                    timeout=20_000)
    # the engine's optimiser itself holds the new rate
    engine = window.bridge._job.engine
    assert all(g["lr"] == pytest.approx(0.00321) for o in engine.optimizers for g in o.param_groups)
    # clipping too
    tp = window.training_panel
    tp.clip_amount.setText("0.25")
    tp.set_combo(tp.clip_mode, "norm")
    qtbot.waitUntil(lambda: engine.clipping.norm == pytest.approx(0.25), timeout=20_000)
    window.stop_training()
    wait_idle(qtbot, window)


def test_momentum_field_shows_for_sgd_momentum_and_reaches_the_optimiser(qtbot, window):
    tp = window.training_panel
    tp.set_combo(tp.optimizer, "adam")
    assert not tp.momentum.isVisible(), "Adam has no momentum field"
    tp.set_combo(tp.optimizer, "momentum")
    assert tp.momentum.isVisible() and tp.momentum.isEnabled()
    assert tp.momentum.toolTip()
    tp.momentum.setText("1.5")               # outside 0..0.999: named inline, Start refuses
    assert "momentum" in tp.error_text()
    assert window.current_spec() is None
    tp.momentum.setText("0.5")
    assert tp.error_text() == ""
    small(window, epochs=2000)
    assert window.spec_dict()["train"]["momentum"] == 0.5
    spec = window.current_spec()
    assert spec is not None and spec.train.optimizer == "momentum" and spec.train.momentum == 0.5
    with qtbot.waitSignal(window.run_started, timeout=60_000) as started:
        window.start_training()
    wait_rows(qtbot, window, started.args[0], 1)
    engine = window.bridge._job.engine
    assert engine.optimizers and all(g["momentum"] == pytest.approx(0.5)
                                     for o in engine.optimizers for g in o.param_groups)
    window.stop_training()
    wait_idle(qtbot, window)


def test_space_and_arrows_go_to_a_focused_field_not_the_animation(qtbot, window):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5_000)
    tl = window.timeline
    tl.set_length(16)
    tl.set_time(5)
    lr = window.training_panel.lr
    lr.setText("0.01")
    lr.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is lr, timeout=5_000)
    lr.setCursorPosition(len(lr.text()))
    qtbot.keyClick(lr, Qt.Key_Left)
    assert lr.cursorPosition() == len(lr.text()) - 1, "Left moves the text cursor"
    assert tl.time() == 5, "... and not the animation"
    qtbot.keyClick(lr, Qt.Key_Right)
    assert lr.cursorPosition() == len(lr.text()) and tl.time() == 5
    qtbot.keyClick(lr, Qt.Key_Space)
    assert not tl.is_playing() and lr.text() == "0.01 "
    lr.setText("0.01")
    # a spin box and a combo box keep their keys too
    epochs = window.training_panel.epochs
    epochs.setFocus()
    qtbot.waitUntil(lambda: epochs.hasFocus(), timeout=5_000)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key_Right)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key_Space)
    assert tl.time() == 5 and not tl.is_playing()
    opt = window.training_panel.optimizer
    opt.setFocus()
    qtbot.waitUntil(lambda: opt.hasFocus(), timeout=5_000)
    qtbot.keyClick(opt, Qt.Key_Space)            # opens the list instead of playing
    assert not tl.is_playing()
    opt.hidePopup()
    qtbot.keyClick(opt, Qt.Key_Right)
    assert tl.time() == 5
    # with the focus on the gates view the keys move through time
    window._select_view("gates")
    gates = window.views["gates"]
    gates.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None
                    and not isinstance(QApplication.focusWidget(), window._KEY_USERS), timeout=5_000)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key_Right)
    assert tl.time() == 6, "Right moves the time"
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key_Left)
    assert tl.time() == 5
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key_Space)
    assert tl.is_playing(), "Space plays the animation"
    tl.pause()


def test_pause_step_and_stop_from_the_toolbar(qtbot, window):
    small(window, epochs=2000)
    with qtbot.waitSignal(window.run_started, timeout=60_000) as started:
        window.start_training()
    rid = started.args[0]
    wait_rows(qtbot, window, rid, 2)
    window.act_pause.trigger()
    qtbot.waitUntil(lambda: window.state() == "paused", timeout=10_000)
    assert window.act_pause.text() == "Resume"
    qtbot.wait(200)
    engine = window.bridge._job.engine
    n = engine.step
    assert window.status_progress.text().startswith(f"step {n:,}"), "the status says where it paused"
    window.act_step.trigger()
    qtbot.waitUntil(lambda: int(rows_of(window, rid)[-1]["step"]) == n + 1, timeout=10_000)
    qtbot.wait(300)
    assert engine.step == n + 1, "Step trains one step, no more"
    window.act_pause.trigger()
    qtbot.waitUntil(lambda: window.state() == "training", timeout=10_000)
    window.act_stop.trigger()
    wait_idle(qtbot, window)
    assert window.state() == "stopped"


def test_stopping_and_closing_mid_run_ends_the_thread_within_a_second(qtbot, make_window):
    window = make_window()
    small(window, epochs=5000)
    window._select_view("gates")           # a trace view open: the worker probes as it trains
    with qtbot.waitSignal(window.run_started, timeout=60_000) as started:
        window.start_training()
    wait_rows(qtbot, window, started.args[0], 3)
    th = window.bridge._thread
    assert th.isRunning()
    t0 = time.perf_counter()
    window.close()
    elapsed = time.perf_counter() - t0
    assert not th.isRunning()
    assert elapsed < 1.0, f"closing took {elapsed:.2f} s"
    assert not running_threads()


def test_diverging_run_shows_the_engines_message(qtbot, window):
    spec = ExperimentSpec.from_dict({
        "data": {"name": "sine", "seq_len": 12, "samples": 240},
        "model": {"cell": "rnn", "hidden_size": 16, "nonlinearity": "relu", "init": "he"},
        "train": {"optimizer": "sgd", "lr": 9.0, "batch_size": 32, "epochs": 50}})
    window.open_free_lab()
    window.set_spec(spec)
    window.start_training()
    wait_idle(qtbot, window)
    assert window.state() == "diverged"
    title, text = window.last_message
    assert title == "Training diverged" and "learning rate" in text and "clipping" in text
    assert "learning rate" in window.notice.text.text()


# --- data ---------------------------------------------------------------------------------

def test_a_bad_csv_shows_a_message_and_the_lab_still_trains(qtbot, window, tmp_path):
    bad = tmp_path / "temps.csv"
    bad.write_text("day,temp\n1,3.5\n2,4.0\n3,abc\n4,5.5\n", encoding="utf-8")
    dp = window.workspace.data_panel
    assert not dp.import_csv(str(bad))
    title, text = window.last_message
    assert "temps.csv" in text and "line 4" in text and "temp" in text
    assert dp.name_box.currentData() == "sine", "the data set the lab had is kept"
    assert "temps.csv" in dp.error_text()
    # an empty file and a missing one: messages too
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    assert not dp.import_csv(str(empty))
    assert "empty.csv" in window.last_message[1]
    assert not dp.import_csv(str(tmp_path / "nope.csv"))
    assert "nope.csv" in window.last_message[1]
    # and the lab still trains
    small(window, epochs=2)
    with qtbot.waitSignal(window.run_started, timeout=60_000):
        assert window.start_training()
    wait_idle(qtbot, window)
    assert window.state() == "finished"


def test_a_good_csv_becomes_the_data_set(qtbot, window, tmp_path):
    good = tmp_path / "series.csv"
    t = np.arange(400)
    good.write_text("t,value\n" + "".join(f"{i},{np.sin(i / 7):.5f}\n" for i in t), encoding="utf-8")
    dp = window.workspace.data_panel
    assert dp.import_csv(str(good), column="value")
    assert dp.name_box.currentData() == "csv" and dp.column.currentData() == "value"
    spec = window.current_spec()
    assert spec.data.path == str(good) and spec.data.column == "value"
    tasks = {window.workspace.model_panel.task.itemData(i) for i in range(4)
             if window.workspace.model_panel.task.model().item(i).isEnabled()}
    assert tasks == {"many-to-many", "many-to-one"}


# --- lessons ------------------------------------------------------------------------------

@pytest.mark.parametrize("name", list(LESSONS))
def test_every_lesson_opens(qtbot, window, name):
    lesson = LESSONS[name]
    window.open_lesson(name)
    first = lesson.specs()[0][1]
    assert window.current_spec().to_dict()["model"] == first.to_dict()["model"]
    assert window.current_spec().to_dict()["data"] == first.to_dict()["data"]
    assert lesson.title in window.windowTitle()
    assert window.current_view() == lesson.views[0]
    assert window.notice.steps() == list(lesson.notes(lesson.specs()))
    assert window._lesson_unchanged(), "the panels hold the lesson's first experiment exactly"
    assert window.lesson_box.currentData() == name


def test_a_lesson_runs_its_experiments_one_after_another(qtbot, window):
    window.open_lesson("vanishing-gradient")
    specs = window._lesson_specs
    assert [s.model.cell for _, s in specs] == ["rnn", "lstm"]
    # make the lesson quick for the test, keeping its two experiments
    window._lesson_specs = [(label, s.replace(train={"max_steps": 6, "gtt_every": 3},
                                              data={"samples": 200}))
                            for label, s in specs]
    window._lesson_first = window._lesson_specs[0][1].to_dict()
    window.set_spec(window._lesson_specs[0][1])
    started = []
    window.run_started.connect(started.append)
    window.start_training()
    qtbot.waitUntil(lambda: len(started) == 2 and not window.bridge.running, timeout=120_000)
    lv = window.views["loss"]
    assert len(lv.run_ids()) == 2, "both loss curves are on the plot"
    # gradients of either run can be shown, to compare
    assert window.workspace.grad_run_box.count() == 2
    window.workspace.show_gradients_of(started[0])
    assert len(window.views["gradients"].heatmap_data()) >= 1
    assert window.workspace.model_panel.cell.currentData() == "lstm"


# --- files --------------------------------------------------------------------------------

def test_save_then_open_brings_back_curves_and_weights(qtbot, make_window, tmp_path):
    window = make_window()
    small(window, epochs=3)
    with qtbot.waitSignal(window.run_started, timeout=60_000) as started:
        window.start_training()
    rid = started.args[0]
    wait_idle(qtbot, window)
    n_rows = len(rows_of(window, rid))
    run_dir = tmp_path / "my-run"
    with qtbot.waitSignal(window.bridge.saved, timeout=30_000):
        window.save_run(str(run_dir))
    assert (run_dir / "summary.json").exists() and (run_dir / "model.safetensors").exists()

    other = make_window(lesson="gru-vs-lstm")
    with qtbot.waitSignal(other.bridge.opened, timeout=60_000):
        orid = other.open_run(str(run_dir))
    lv = other.views["loss"]
    assert str(orid) in lv.run_ids()
    x, _ = lv.items_of(str(orid))["train"].getData()
    assert len(x) == n_rows, "the training curve comes back whole"
    assert other.workspace.model_panel.hidden.value() == 12, "the panels show the opened experiment"
    assert len(other.views["gradients"].heatmap_data()) >= 1, "gradients through time come back"
    # the weights came back: the model can be probed
    other._select_view("hidden")
    qtbot.waitUntil(lambda: other.views["hidden"].data() is not None, timeout=30_000)
    # and trained further from them
    with qtbot.waitSignal(other.run_started, timeout=60_000) as cont:
        other.start_training()
    assert "continued" in other.runs.get(cont.args[0]).info.get("label", "") or \
        "continues" in other.runs.get(cont.args[0]).info.get("note", "")
    other.stop_training()
    wait_idle(qtbot, other)


def test_opening_a_bad_folder_says_why_and_the_lab_stays_usable(qtbot, window, tmp_path):
    bad = tmp_path / "not-a-run"
    bad.mkdir()
    with qtbot.waitSignal(window.bridge.failed, timeout=60_000):
        window.open_run(str(bad))
    assert "summary.json" in window.last_message[1] and "not-a-run" in window.last_message[1]
    small(window, epochs=1)
    with qtbot.waitSignal(window.run_started, timeout=60_000):
        window.start_training()
    wait_idle(qtbot, window)
    assert window.state() == "finished"


def test_export_the_loss_view_as_png_svg_and_csv(qtbot, window, tmp_path):
    small(window, epochs=2)
    window.start_training()
    wait_idle(qtbot, window)
    window._select_view("loss")
    png = window.export_view("png", str(tmp_path / "loss.png"))
    svg = window.export_view("svg", str(tmp_path / "loss.svg"))
    csv_path = window.export_view("csv", str(tmp_path / "loss.csv"))
    assert Path(png).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "<svg" in Path(svg).read_text(encoding="utf-8")[:2000]
    assert "train loss" in Path(csv_path).read_text(encoding="utf-8").splitlines()[0]


def test_settings_and_layout_persist_in_an_isolated_store(qtbot, make_window, settings_file):
    w = make_window()
    w.set_theme("dark")
    w._select_view("gradients")
    w.close()
    assert settings_file.exists()
    w2 = make_window(lesson=None)
    assert Preferences(open_settings(settings_file)).theme == "dark"
    assert w2.current_view() == "gradients"


def test_presentation_mode_and_themes(qtbot, window):
    tm = window.tm
    window.act_dark.trigger()
    assert tm.theme.name == "dark"
    window.toggle_presentation()
    assert tm.presentation and tm.theme.name == "light", "presentation uses the high-contrast light theme"
    assert window.isFullScreen()
    window.toggle_presentation()
    assert not tm.presentation and tm.theme.name == "dark"


def test_presentation_on_a_small_projector_hides_the_panels_until_asked(qtbot, window, monkeypatch):
    import seqlab.ui.shell.presentation as mw

    # the test screen's width stands for a 1280x720 projector: below the limit either way
    monkeypatch.setattr(mw, "PRESENTATION_PANELS_MIN_WIDTH", max(1600, window.screen().geometry().width() + 1))
    window.resize(1280, 720)
    assert window.panels_visible() and window.act_panels.isChecked()
    window.act_present.trigger()                              # F11
    qtbot.wait(50)
    assert window.tm.presentation
    assert not window.panels_visible(), "the views get the whole width of a small projector"
    assert all(d.isHidden() for d in window.docks.values())
    assert not window.act_panels.isChecked()
    assert window.centralWidget().width() > 0.9 * window.width()
    window.act_panels.trigger()                               # F9 / View > Panels
    qtbot.wait(50)
    assert window.panels_visible() and window.act_panels.isChecked()
    assert window.docks["model"].isVisible()
    window.act_panels.trigger()
    assert not window.panels_visible()
    window.act_present.trigger()                              # leaving restores the panels
    qtbot.wait(50)
    assert not window.tm.presentation
    assert all(not d.isHidden() for d in window.docks.values()) and window.act_panels.isChecked()
    # on a wide screen presentation mode keeps them
    monkeypatch.setattr(mw, "PRESENTATION_PANELS_MIN_WIDTH", 100)
    window.act_present.trigger()
    assert window.panels_visible()
    window.act_present.trigger()


@pytest.mark.parametrize("lesson", ["gan-2d", "autoencoder-digits"])
def test_leaving_presentation_brings_back_the_shown_familys_panels(qtbot, window, lesson):
    # Every family's docks were named alike ("dock-model"), and restoreState() took the first
    # of that name: the hidden recurrent Model panel. The GAN's stayed hidden.
    recurrent_model = window.docks["model"]
    window.open_lesson(lesson)
    model = window.docks["model"]
    assert model is not recurrent_model
    for _ in range(2):
        window.toggle_presentation(True)
        qtbot.wait(20)
        window.toggle_presentation(False)
        qtbot.wait(20)
        assert all(not d.isHidden() for d in window.docks.values()), lesson
        assert recurrent_model.isHidden(), "another family's panel came back"


# --- the command line ---------------------------------------------------------------------

def test_screenshot_writes_a_png(tmp_path):
    out = tmp_path / "lab.png"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", SEQLAB_SETTINGS=str(tmp_path / "s.ini"))
    r = subprocess.run([sys.executable, "-m", "seqlab", "--screenshot", str(out), "--after", "1"],
                       cwd=REPO, env=env, capture_output=True, text=True, timeout=240)
    assert r.returncode == 0, r.stderr
    data = out.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    w, h = struct.unpack(">II", data[16:24])
    assert (w, h) == (1280, 720)


def test_the_window_opens_without_importing_torch(tmp_path):
    # torch takes seconds to import: the window must be on screen before it is loaded
    code = ("import sys; from PySide6.QtWidgets import QApplication; app = QApplication([]);"
            "from seqlab.ui.main_window import MainWindow; from seqlab.ui.settings import Preferences, open_settings;"
            f"w = MainWindow(prefs=Preferences(open_settings({str(tmp_path / 's.ini')!r}))); w.open_lesson('lstm-sine');"
            "w.show(); app.processEvents(); print('torch' in sys.modules); w.close()")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert out.stdout.strip().splitlines()[-1] == "False", out.stderr


def test_unknown_lesson_lists_the_lessons(capsys):
    from seqlab.cli import main

    assert main(["--lesson", "no-such-lesson"]) == 2
    err = capsys.readouterr().err
    assert "no-such-lesson" in err and all(name in err for name in LESSONS)


# --- runs kept faithfully (the teacher's issue) ------------------------------------------------

def _curves(lv, rid: str) -> dict:
    items = lv.items_of(rid)
    return {k: tuple(np.asarray(a, float) for a in items[k].getData()) for k in ("train", "val")}


def test_a_run_reopens_as_it_was_drawn_live_with_one_validation_series_in_step_order(qtbot, make_window, tmp_path):
    window = make_window()
    small(window, epochs=6)
    window.training_panel.set_values({**window.training_panel.values(), "eval_every": 7})
    with qtbot.waitSignal(window.run_started, timeout=60_000) as started:
        window.start_training()
    rid = started.args[0]
    wait_idle(qtbot, window)
    window._curve_budget.flush()
    live = _curves(window.loss_view, str(rid))
    vx = live["val"][0]
    assert len(vx) >= 6 and np.all(np.diff(vx) > 0), f"validation steps run forwards, once each: {vx}"
    run_dir = tmp_path / "run"
    with qtbot.waitSignal(window.bridge.saved, timeout=30_000):
        window.save_run(str(run_dir))
    other = make_window(lesson=None)
    with qtbot.waitSignal(other.bridge.opened, timeout=60_000):
        orid = other.open_run(str(run_dir))
    reopened = _curves(other.loss_view, str(orid))
    for key in ("train", "val"):
        for a, b in zip(live[key], reopened[key]):
            np.testing.assert_allclose(a, b, rtol=1e-6, err_msg=f"the {key} curve differs after reopening")


def test_a_run_saved_as_stopped_reopens_as_stopped(qtbot, make_window, tmp_path):
    window = make_window()
    small(window, epochs=400)
    with qtbot.waitSignal(window.run_started, timeout=60_000) as started:
        window.start_training()
    wait_rows(qtbot, window, started.args[0], 3)
    window.stop_training()
    wait_idle(qtbot, window)
    with qtbot.waitSignal(window.bridge.saved, timeout=30_000):
        window.save_run(str(tmp_path / "stopped"))
    other = make_window(lesson=None)
    with qtbot.waitSignal(other.bridge.opened, timeout=60_000):
        orid = other.open_run(str(tmp_path / "stopped"))
    assert other.loss_view.run_state(str(orid)) == "stopped"


def test_theme_presentation_and_view_changes_keep_every_run(qtbot, window):
    small(window, epochs=1)
    for _ in range(2):
        with qtbot.waitSignal(window.run_finished, timeout=60_000):
            window.start_training()
    before = window.loss_view.run_ids()
    assert len(before) == 2
    window.set_theme("dark")
    window._select_view("gates")
    window.toggle_presentation(True)
    window.toggle_presentation(False)
    window.set_theme("light")
    window._select_view("gradients")
    assert window.loss_view.run_ids() == before
    assert window.loss_view.table.rowCount() == 2
    assert window.workspace.grad_run_box.count() == 2


def test_feedback_paused_stays_readable_steps_singular_and_the_reason_a_run_ended(qtbot, window):
    small(window, epochs=400)
    window.training_panel.max_steps.setValue(1500)     # long enough that the pause lands before the end
    assert window.current_spec().train.max_steps == 1500, "Max steps is a visible field of the Training panel"
    with qtbot.waitSignal(window.run_started, timeout=60_000):
        window.start_training()
    window.toggle_pause()
    qtbot.waitUntil(lambda: window.state() == "paused", timeout=20_000)
    window.show_status_note("Learning rate is now 0.01")
    assert window.status_state.isVisible() and window.status_state.text().startswith("Paused")
    window.toggle_pause()
    with qtbot.waitSignal(window.run_finished, timeout=60_000) as done:
        pass
    assert done.args[1]["stop_reason"] == "max_steps"
    assert "Max steps" in window.status_state.text()
    epochs = done.args[1]["epochs"]
    assert f"{epochs} epoch" in window.status_progress.text(), "the status bar counts epochs as summary.json does"
    window._status["sps"] = 1.2
    window._update_status()
    assert window.status_speed.text() == "1 step/s"
    # the run controls and every view have shortcuts, shown in the menus
    assert window.act_pause.shortcut().toString() and window.act_step.shortcut().toString()
    shortcuts = [a.shortcut().toString() for a in window.views_menu.actions()]
    assert shortcuts[:3] == ["Ctrl+1", "Ctrl+2", "Ctrl+3"]


def test_a_short_csv_adapts_its_window_at_load_and_a_broken_one_keeps_the_earlier_file(qtbot, window, tmp_path):
    dp = window.workspace.data_panel
    good = tmp_path / "good.csv"
    good.write_text("value\n" + "\n".join(str(np.sin(i / 5)) for i in range(300)) + "\n")
    dp.seq_len.setValue(50)
    assert dp.import_csv(str(good))
    assert dp.seq_len.value() < 50 and "Steps T is now" in window.last_message[1]
    spec = window.current_spec()
    assert spec is not None and spec.data.path == str(good)
    from seqlab.families.recurrent.data import build_dataset
    build_dataset(spec.data, spec.model.task)          # fits now: Start would not fail
    bad = tmp_path / "bad.csv"
    bad.write_text("value\n1\nnot a number\n3\n")
    assert not dp.import_csv(str(bad))
    assert "not loaded" in window.last_message[1] and "good.csv" in window.last_message[1]
    spec = window.current_spec()
    assert spec is not None and spec.data.name == "csv" and spec.data.path == str(good), "the good file stays"


def test_labels_follow_what_the_panels_build_and_the_lesson_can_be_reset(qtbot, window):
    assert window.windowTitle() == "SeqLab — An LSTM learns sine waves"
    window.workspace.model_panel.set_values({**window.workspace.model_panel.values(), "cell": "gru", "hidden_size": 64})
    window.follow_panels()
    assert "GRU 64" in window.windowTitle() and "changed" in window.windowTitle()
    assert window.lesson_box.currentText().endswith("(changed)")
    assert window.current_spec().name == "", "a changed experiment is not saved under the lesson's name"
    assert "changed the lesson" in window.notice.text.text()
    assert window.act_reset_lesson.isEnabled()
    window.reset_lesson()
    assert window.current_spec().model.cell == "lstm" and window.windowTitle() == "SeqLab — An LSTM learns sine waves"
    assert not window.lesson_box.currentText().endswith("(changed)")
    assert "changed the lesson" not in window.notice.text.text()


def test_every_view_exports_whole_and_per_run(qtbot, window, tmp_path):
    from PySide6.QtGui import QImage

    small(window, epochs=1)
    for _ in range(2):                       # two runs with the same name
        with qtbot.waitSignal(window.run_finished, timeout=60_000):
            window.start_training()
    for key in window._tab_keys:
        window._select_view(key)
        qtbot.wait(300)
        png = window.export_view("png", str(tmp_path / f"{key}.png"))
        assert png and QImage(png).width() == 1920, f"{key}: a PNG sized for slides"
        svg = window.export_view("svg", str(tmp_path / f"{key}.svg"))
        assert svg, f"{key}: {window.last_message}"
        text = Path(svg).read_text(encoding="utf-8")
        assert text.count("<path") + text.count("<image") >= 2, f"{key}: the SVG holds the view's drawing"
        assert "Exported" in window.status_note_text() and svg in window.status_note_text()
    window._select_view("gates")
    svg = Path(tmp_path / "gates.svg").read_text(encoding="utf-8")
    assert svg.count("<g") > 20, "every heatmap and the cell diagram, not only the first plot"
    window._select_view("loss")
    csv_path = window.export_view("csv", str(tmp_path / "loss.csv"))
    header = Path(csv_path).read_text(encoding="utf-8").splitlines()[0]
    assert header.count("train loss step") == 2 and "(2) train loss" in header, \
        "runs that share a name are told apart and keep a column set each"
    assert window.export_view("csv", str(tmp_path / "wrong.svg")) is None
    assert ".csv" in window.last_message[1] and not (tmp_path / "wrong.svg").exists()


def test_runs_are_managed_renamed_hidden_deleted_and_any_one_saved(qtbot, window, tmp_path):
    small(window, epochs=1)
    ids = []
    for _ in range(3):
        with qtbot.waitSignal(window.run_finished, timeout=60_000) as done:
            window.start_training()
        ids.append(done.args[0])
    lv = window.loss_view
    labels = [lv.run_label(str(i)) for i in ids]
    assert len(set(labels)) == 3, f"runs with the same name are told apart: {labels}"
    lv.rename_run(str(ids[0]), "baseline")
    assert lv.table_text(0, "Run") == "baseline" and window.runs.get(ids[0]).label == "baseline"
    assert window.workspace.grad_run_box.itemText(0).endswith("baseline")
    lv.set_run_visible(str(ids[1]), False)
    assert not lv.items_of(str(ids[1]))["train"].isVisible() and "hidden" in lv.table_text(1, "State")
    lv.set_run_visible(str(ids[1]), True)
    assert lv.items_of(str(ids[1]))["train"].isVisible()
    lv.delete_run(str(ids[1]))
    assert str(ids[1]) not in lv.run_ids() and ids[1] not in window.runs
    assert window.workspace.grad_run_box.count() == 2
    # choose the first run in the table and save it: its own curves go to the folder
    lv.table.selectRow(0)
    assert lv.selected_run() == str(ids[0])
    assert window.unsaved_runs() == ["baseline", lv.run_label(str(ids[2]))]
    with qtbot.waitSignal(window.bridge.saved, timeout=30_000) as saved:
        window.save_run(str(tmp_path / "first"), ids[0])
    assert saved.args[1] == ids[0]
    from seqlab.core.run_folder import load_run
    rec = load_run(tmp_path / "first")
    assert len(rec.metrics) >= 1 and window.unsaved_runs() == [lv.run_label(str(ids[2]))]


def test_reset_layout_brings_every_panel_back(qtbot, window):
    window.docks["model"].setFloating(True)
    window.set_panels_visible(False)
    window.reset_layout()
    assert all(d.isVisible() and not d.isFloating() for d in window.docks.values())
    assert window.panels_visible()
