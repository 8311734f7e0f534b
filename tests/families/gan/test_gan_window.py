"""The GAN workspace in the window: a lesson trains and its views draw; the Model panel
builds G layer by layer; a saved run reopens with its curves and coverage."""

from __future__ import annotations

import numpy as np
import pytest


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


def test_rows_a_new_spec_replaces_are_not_painted_and_the_sizes_say_what_they_count(qtbot):
    from seqlab.families.gan.ui.panels.model_panel import GanModelPanel

    p = GanModelPanel()
    qtbot.addWidget(p)
    p.show()
    qtbot.wait(10)
    old = [w for row in p.g_editor._rows for w in (row[0], row[1], *row[2])]
    spec = p.values()
    spec["generator"] = [{"size": 256, "activation": "relu"}, {"size": 64, "activation": "tanh"}]
    p.set_values(spec)
    # no event loop yet (a lesson opened, a screenshot script's first frame): the old rows,
    # out of the grid and waiting to be deleted, were still painted under the new ones
    assert all(w.isHidden() for w in old), "a replaced row is still shown"
    qtbot.wait(10)
    assert all(not w.isHidden() for row in p.g_editor._rows for w in row[:2])
    p.set_combo(p.kind, "dcgan")
    assert all(s.text().endswith(" channels") for s, _a, _b in p.g_editor._rows + p.d_editor._rows)
    p.set_combo(p.kind, "mlp")
    assert all(s.text().endswith(" units") for s, _a, _b in p.g_editor._rows)


def _logged(rows: list, metric: str) -> tuple[np.ndarray, np.ndarray]:
    pts = [(r["step"], r[metric]) for r in rows if r.get(metric) is not None]
    return np.array([p[0] for p in pts], float), np.array([p[1] for p in pts], float)


def test_the_loss_tab_draws_j_d_and_j_g_of_a_gan_run_and_of_its_reopened_folder(qtbot, tmp_path):
    """A GAN has no train_loss or val_loss: its Loss tab draws what it logs, J_D and J_G (the
    family's ``loss_curves``), names them in the legend and the run table, exports them, keeps
    them through a theme switch, and draws them again from a reopened run folder."""
    import csv

    from PySide6.QtCore import Qt

    w = window(qtbot, tmp_path)
    w.open_lesson("gan-2d")
    w.training_panel.set_values({**w.training_panel.values(), "max_steps": 150})
    w.show()
    w._select_view("loss")
    lv = w.loss_view
    assert "J<sub>D</sub>" in lv.note.text() and "Final J_D" in lv.COLUMNS     # before the first run
    with qtbot.waitSignal(w.run_finished, timeout=120_000):
        assert w.start_training()
    w._curve_budget.flush()
    rid = w._current_run
    rows = w.runs.rows(rid)
    items = lv.items_of(str(rid))
    assert "train" not in items and "val" not in items
    for key, metric in (("d", "d_loss"), ("g", "g_loss")):
        x, y = _logged(rows, metric)
        assert len(x) >= 12
        np.testing.assert_allclose(items[key].xData, x)
        np.testing.assert_allclose(items[key].yData, y)
        assert items[key].isVisible()
    assert items["g"].opts["pen"].style() == Qt.DashLine and items["d"].opts["pen"].style() == Qt.SolidLine
    label = lv.run_label(str(rid))
    legend = [lab.text for _s, lab in lv.legend.items]
    assert legend == [f"{label} — J<sub>D</sub>", f"{label} — J<sub>G</sub>"] and lv.legend.isVisible()
    assert "J<sub>D</sub>" in lv.note.text() and "lower is better" not in lv.loss_plot.titleLabel.text
    # the run table: where J_D and J_G ended, no validation-loss column that could only say "—"
    assert "Best val loss" not in lv.COLUMNS
    assert float(lv.table_text(0, "Final J_D")) == pytest.approx(_logged(rows, "d_loss")[1][-1], rel=1e-3)
    assert float(lv.table_text(0, "Final J_G")) == pytest.approx(_logged(rows, "g_loss")[1][-1], rel=1e-3)
    # a theme switch restyles the run and keeps its curves
    for theme in ("light", "dark"):
        w.set_theme(theme)
        assert items["g"].opts["pen"].style() == Qt.DashLine and len(items["d"].xData) == len(rows)
    assert len(lv.legend.items) == 2
    # CSV: the run's J_D and J_G columns
    out = w.export_view("csv", str(tmp_path / "loss.csv"), key="loss")
    with open(out, newline="", encoding="utf-8") as fh:
        table = list(csv.reader(fh))
    head = table[0]
    for name in ("d loss", "g loss"):
        col = head.index(f"{label} {name}")
        assert head[head.index(f"{label} {name} step")] and col >= 0
        values = [float(r[col]) for r in table[1:] if r[col]]
        np.testing.assert_allclose(values, _logged(rows, name.replace(" ", "_"))[1])
    # saved and reopened: the same curves, now the current run (the trained one stays, faded)
    with qtbot.waitSignal(w.bridge.saved, timeout=30_000):
        w.save_run(str(tmp_path / "run"))
    with qtbot.waitSignal(w.bridge.opened, timeout=30_000):
        w.open_run(str(tmp_path / "run"))
    orid = str(w._current_run)
    assert orid != str(rid) and lv.run_ids() == [str(rid), orid]
    w._select_view("loss")
    reopened = lv.items_of(orid)
    for key, metric in (("d", "d_loss"), ("g", "g_loss")):
        x, y = _logged(rows, metric)
        np.testing.assert_allclose(reopened[key].xData, x)
        np.testing.assert_allclose(reopened[key].yData, y, rtol=1e-6)
    olabel = lv.run_label(orid)
    legend = [lab.text for _s, lab in lv.legend.items]
    assert f"{olabel} — J<sub>D</sub>" in legend and f"{olabel} — J<sub>G</sub>" in legend
    assert lv.table_text(1, "Final J_D") == lv.table_text(0, "Final J_D")
    # the plane of the opened run is to come (the trained run's is not shown for it) ...
    plane = w.workspace.plane
    assert plane.waiting()
    w._select_view("plane")                         # ... and comes when its view is shown
    qtbot.waitUntil(lambda: not plane.waiting() and plane.graphics.isVisible(), timeout=10_000)
    w.close()
