"""The autoencoder in the window: the Model panel builds the network layer by layer, the
views draw live snapshots, a click decodes a point, and a saved run reopens with its views."""

from __future__ import annotations

import os

import numpy as np
import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def test_the_model_panel_builds_the_encoder_layer_by_layer(qtbot):
    from seqlab.core.spec import ExperimentSpec
    from seqlab.families.autoencoder.ui.panels.model_panel import AutoencoderModelPanel

    p = AutoencoderModelPanel()
    qtbot.addWidget(p)
    p.set_input_shape((8, 8))
    assert p.values()["encoder"] == [{"size": 64, "activation": "relu"}]
    count0 = p.parameter_count()
    p.encoder.add_layer()                                   # 64 -> 64, 32
    _n, size, act, *_ = p.encoder.row_widgets(1)
    size.setValue(20)
    act.setCurrentIndex(act.findData("tanh"))
    assert p.values()["encoder"] == [{"size": 64, "activation": "relu"}, {"size": 20, "activation": "tanh"}]
    assert [s for _r, s in p.picture.layers] == [64, 64, 20, 8, 20, 64, 64]   # the picture redrew
    assert p.parameter_count() != count0
    p.encoder.move_layer(1, -1)                             # reorder
    assert [x["size"] for x in p.values()["encoder"]] == [20, 64]
    p.encoder.remove_layer(0)
    assert [x["size"] for x in p.values()["encoder"]] == [64]
    # an own decoder
    p.mirror.setChecked(False)
    p.decoder.add_layer()
    d = p.values()
    assert d["decoder"] is not None and len(d["decoder"]) == 2
    spec = ExperimentSpec.from_dict({"family": "autoencoder", "model": d})
    assert spec.model.decoder == d["decoder"]
    p.set_values({**d, "kind": "sequence"})
    assert not p.encoder.row_widgets(0)[2].isEnabled()        # an LSTM layer has no activation to choose


def test_a_bad_csv_is_refused_with_its_line_and_the_panel_keeps_its_data(qtbot, tmp_path):
    from seqlab.families.autoencoder.ui.panels.data_panel import AutoencoderDataPanel

    p = AutoencoderDataPanel()
    qtbot.addWidget(p)
    bad = tmp_path / "bad.csv"
    bad.write_text("x,y\n1,2\n3,NaN\n", encoding="utf-8")
    with qtbot.waitSignal(p.message) as sig:
        assert not p.import_csv(str(bad), "csv-features")
    assert "bad.csv, line 3, column 'y'" in sig.args[1]
    assert p.values()["name"] == "digits8x8" and "bad.csv, line 3" in p.error_text()
    good = tmp_path / "good.csv"
    good.write_text("a,b,c\n" + "\n".join(f"{i},{i * 2},{i % 3}" for i in range(40)), encoding="utf-8")
    assert p.import_csv(str(good), "csv-features")
    assert p.values()["name"] == "csv-features" and p.values()["path"] == str(good)
    assert p.input_shape() == (3,)


def test_the_anomaly_view_scores_the_threshold_as_it_is_dragged(qtbot):
    from seqlab.families.autoencoder.ui.views.anomaly_view import AnomalyView

    v = AnomalyView()
    qtbot.addWidget(v)
    errors = np.r_[np.full(90, 0.1), np.full(10, 2.0)]
    labels = np.r_[np.zeros(90, int), np.ones(10, int)]
    sig = np.zeros(1000, np.float32)
    v.set_errors({"ae": errors, "labels": labels, "anomaly": True, "threshold": 0.5, "signal": sig,
                  "starts": np.arange(100) * 10, "window": 10, "signal_labels": np.zeros(1000, int)})
    assert v.figures["f1"] == 1.0 and v.figures["flagged"] == 10
    v.threshold_line.setValue(np.log10(0.05))       # what dragging does
    assert v.figures["recall"] == 1.0 and v.figures["precision"] == pytest.approx(0.1)
    assert "F1 <b>0.18</b>" in v.stats.text()
    _x, y = v.flag_fill.getData()
    assert (y > 0).all()                            # every window flagged: the whole signal shaded


def test_train_see_decode_save_and_reopen_in_the_window(window, qtbot, tmp_path):
    w = window
    w.open_lesson("autoencoder-digits")
    assert w.workspace.family.name == "autoencoder" and w.current_spec().model.latent == 2
    w.set_spec(w.current_spec().replace(train={"epochs": 15, "eval_every": 20}))
    w.show()
    w._select_view("latent")
    ws = w.workspace
    with qtbot.waitSignal(w.run_finished, timeout=120_000):
        assert w.start_training()
    qtbot.waitUntil(lambda: ws.drawn["latent"] > 0, timeout=20_000)
    assert ws.latent.payload["points"].shape[1] == 2
    ws.latent.request_decode(0.0, 0.0)
    qtbot.waitUntil(lambda: ws.latent.last_decoded is not None, timeout=20_000)
    assert ws.latent.last_decoded.shape == (8, 8)
    w._select_view("reconstructions")
    qtbot.waitUntil(lambda: ws.drawn["reconstructions"] > 0, timeout=20_000)
    assert ws.reconstructions.image.image.shape == (3 * 8 + 2, 10 * 9 - 1)
    w._select_view("baseline")
    qtbot.waitUntil(lambda: ws.drawn["errors"] > 0, timeout=20_000)
    ratio = ws.baseline.ratio()
    assert ratio is not None and ws.baseline.components == 2
    # save, then reopen: the views come back from the run folder's files and restored weights
    out = tmp_path / "run"
    w.save_run(str(out))
    qtbot.waitUntil(lambda: w.last_saved is not None, timeout=20_000)
    ae_before, steps = ws.baseline.ae, list(ws.baseline.steps)
    ws.baseline.reset()
    ws.anomaly.reset()
    drawn = ws.drawn["errors"]
    w.open_run(str(out))
    qtbot.waitUntil(lambda: w.state() == "opened", timeout=30_000)
    assert ws.baseline.ae == pytest.approx(ae_before, rel=1e-5)
    assert ws.baseline.steps == steps                       # the error curve, from metrics.csv
    saved = np.load(out / "val_errors.npy")
    assert np.allclose(ws.anomaly.errors, saved)
    qtbot.waitUntil(lambda: ws.drawn["errors"] > drawn, timeout=20_000)   # the restored model answers
    assert ws.baseline.ae == pytest.approx(ae_before, rel=1e-5)
