"""The GAN workspace in the window: a lesson trains and its views draw; the Model panel
builds G layer by layer; a saved run reopens with its curves and coverage."""

from __future__ import annotations

import numpy as np


def window(qtbot, tmp_path):
    from seqlab.ui.main_window import MainWindow
    from seqlab.ui.settings import Preferences, open_settings

    w = MainWindow(prefs=Preferences(open_settings(str(tmp_path / "s.ini"))))
    qtbot.addWidget(w)
    w.resize(1280, 720)
    return w


def test_the_gan_lesson_trains_in_the_window_and_its_views_draw(qtbot, tmp_path):
    from seqlab.ui.worker import running_threads

    w = window(qtbot, tmp_path)
    w.open_lesson("gan-2d")
    assert w.workspace.family.name == "gan" and w.current_view() == "plane"
    assert w.family_box.currentData() == "gan"
    w.training_panel.set_values({**w.training_panel.values(), "max_steps": 400})
    w.show()
    with qtbot.waitSignal(w.run_finished, timeout=120_000):
        assert w.start_training()
    ws = w.workspace
    qtbot.waitUntil(lambda: ws.plane.frames > 0, timeout=10_000)
    heat = ws.plane.image.image
    assert heat.shape == (100, 100) and 0 <= heat.min() and heat.max() <= 1
    assert ws.plane.image.levels is not None and list(ws.plane.image.levels) == [0.0, 1.0]
    assert len(ws.plane.fake.data) == 512
    w._select_view("metrics")
    x, y = ws.metrics.items["d_loss"].getData()
    assert len(x) >= 30 and np.isfinite(y).all()
    ws.flush()
    run = ws.coverage.runs[ws._current_run]
    assert run["history"] and run["history"][-1]["step"] == 400
    assert "of 8" in ws.coverage.figure.text()
    # save, then reopen: the curves and the coverage come back
    with qtbot.waitSignal(w.bridge.saved, timeout=30_000):
        w.save_run(str(tmp_path / "run"))
    w.open_free_lab()
    ws.metrics.reset()
    with qtbot.waitSignal(w.bridge.opened, timeout=30_000):
        w.open_run(str(tmp_path / "run"))
    qtbot.waitUntil(lambda: len(ws.metrics.series["g_loss"]) >= 30, timeout=10_000)
    reopened = ws.coverage.runs[ws._current_run]
    assert reopened["history"][-1]["step"] == 400
    w.close()
    assert not running_threads()


def test_the_model_panel_builds_g_layer_by_layer_and_redraws_its_picture(qtbot):
    from seqlab.families.gan.ui.panels.model_panel import GanModelPanel

    p = GanModelPanel()
    qtbot.addWidget(p)
    assert [L["size"] for L in p.values()["generator"]] == [128, 128]
    p.g_editor.add_layer(32, "tanh")
    assert p.values()["generator"][-1] == {"size": 32, "activation": "tanh"}
    spin = p.g_editor._rows[2][0]
    p.g_editor._move_up(spin)
    assert [L["size"] for L in p.values()["generator"]] == [128, 32, 128]
    p.g_editor._remove(p.g_editor._rows[0][0])
    assert [L["size"] for L in p.values()["generator"]] == [32, 128]
    assert [c[0] for c in p.picture.cols][:4] == ["8", "32", "128", "2"]
    live = []
    p.live.connect(lambda k, v: live.append((k, v)))
    p.lr_d.setValue(0.0005)
    assert live == [("lr_d", 0.0005)]
