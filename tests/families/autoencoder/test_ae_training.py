"""Autoencoders trained by the one engine: what a student would notice.

Budgets are a few seconds on one CPU thread; the figures quoted were measured on the
development machine (seed 0) and each assertion leaves a margin below them.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
import torch

from seqlab.core.errors import DataError, RunError
from seqlab.core.experiment_run import ExperimentRun
from seqlab.core.spec import ExperimentSpec, SpecError


@pytest.fixture(autouse=True)
def one_thread():
    n = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(n)


def ae_spec(data=None, model=None, train=None) -> ExperimentSpec:
    return ExperimentSpec.from_dict({
        "family": "autoencoder", "data": {"name": "digits8x8", **(data or {})},
        "model": {"encoder": [{"size": 64, "activation": "relu"}], "latent": 8, **(model or {})},
        "train": {"optimizer": "adam", "lr": 0.005, "batch_size": 64, "epochs": 30, "device": "cpu",
                  "log_every": 10, **(train or {})}})


# -- the spec ------------------------------------------------------------------------------

@pytest.mark.parametrize("model,path,words", [
    ({"encoder": [{"size": 64}, {"size": 0}]}, "model.encoder[1].size", "integer from 1 to 4096, got 0"),
    ({"encoder": [{"size": 64, "activation": "softmax"}]}, "model.encoder[0].activation", "'relu'"),
    ({"encoder": [{"size": 64, "units": 3}]}, "model.encoder[0].units", "unknown field"),
    ({"encoder": [{"activation": "relu"}]}, "model.encoder[0].size", "missing"),
    ({"encoder": []}, "model.encoder", "1 to 6 layers"),
    ({"decoder": ["wide"]}, "model.decoder[0]", "must be an object"),
    ({"latent": 64}, "model.latent", "smaller than the input (64 values)"),
    ({"kind": "sequence"}, "model.kind", "heartbeat or csv-series"),
])
def test_bad_model_sections_name_the_field(model, path, words):
    with pytest.raises(SpecError) as e:
        ae_spec(model=model)
    assert e.value.path == path and words in str(e.value)


def test_layers_round_trip_through_the_experiment_file():
    spec = ae_spec(model={"encoder": [32, {"size": 16, "activation": "tanh"}], "decoder": [{"size": 8}]})
    d = json.loads(spec.to_json())
    assert d["model"]["encoder"] == [{"size": 32, "activation": "relu"}, {"size": 16, "activation": "tanh"}]
    assert ExperimentSpec.from_dict(d).to_dict() == d
    with pytest.raises(SpecError) as e:
        ae_spec(data={"name": "heartbeat"}, model={"kind": "conv"})
    assert e.value.path == "model.kind"


# -- non-linear beats linear ---------------------------------------------------------------

def test_the_autoencoder_beats_pca_with_the_same_latent_size_on_digits():
    """MLP 64-relu -> latent 8 on the 8x8 digits, 30 epochs (570 steps, ~1 s). Measured:
    validation MSE 0.0167 against PCA-8's 0.0239 (ratio 0.70); asserted: ratio < 0.85."""
    run = ExperimentRun(ae_spec())
    s = run.run()
    assert run.family.pca.k == 8
    assert s["final_val_loss"] < 0.85 * s["final_val_pca_loss"], s
    assert s["final_test_loss"] < 0.85 * s["final_test_pca_loss"], s
    # PCA really is the best linear rank-8 map: the untrained network is far worse
    assert s["final_val_pca_loss"] < run.history.rows[0]["train_loss"]


def test_a_conv_and_a_sequence_autoencoder_rebuild_their_inputs_shape_and_learn():
    from seqlab.families.autoencoder.model import build_model

    for side, n_layers in ((8, 1), (8, 3), (28, 2), (28, 3)):
        spec = ae_spec(data={"name": "digits8x8" if side == 8 else "digits28"},
                       model={"kind": "conv", "encoder": [{"size": 4}] * n_layers, "batch_norm": True})
        m = build_model(spec.model, (side, side), (0.0, 1.0))
        assert m(torch.rand(3, side, side)).shape == (3, side, side)
    conv = ExperimentRun(ae_spec(model={"kind": "conv", "encoder": [{"size": 8}, {"size": 16}]},
                                 train={"epochs": 4}))
    s = conv.run()
    assert s["final_val_loss"] < 0.6 * conv.history.rows[0]["train_loss"]
    seq = ExperimentRun(ae_spec(data={"name": "heartbeat", "duration_s": 300, "window": 40},
                                model={"kind": "sequence", "cell": "lstm", "encoder": [{"size": 32}]},
                                train={"epochs": 40, "clip_norm": 1.0, "log_every": 25}))
    seq.run()
    # validation holds anomalies, so compare the (normal) training loss: measured 0.94 -> 0.13
    first, last = (np.mean([r["train_loss"] for r in rows]) for rows in
                   (seq.history.rows[:3], seq.history.rows[-3:]))
    assert last < 0.5 * first


def test_a_denoising_autoencoder_removes_noise():
    """Gaussian noise 0.4 on 8x8 digits (clipped to [0, 1]): the output is much closer to the
    clean digit than the noisy input was (measured: MSE 0.030 against 0.084)."""
    run = ExperimentRun(ae_spec(model={"mode": "denoising", "noise_level": 0.4, "latent": 16}))
    s = run.run()
    t = run.family
    noisy_mse = float(((t.inputs["val"] - t.data.x_val) ** 2).mean())
    assert s["final_val_loss"] < 0.5 * noisy_mse
    assert not np.array_equal(t.inputs["val"], t.data.x_val)


# -- anomaly detection ---------------------------------------------------------------------

def test_the_anomaly_detector_finds_odd_heartbeats():
    """Heartbeats, 1200 s at 100 Hz, windows of 100; MLP 64 -> 8 trained 60 epochs on normal
    windows (~700 steps). Threshold: the 99th percentile of the normal validation windows'
    errors; scored on the test windows. Measured F1 0.78 (precision 0.85, recall 0.72 at
    1500 steps; 0.78 at 60 epochs). Asserted: F1 >= 0.65, and far above flagging at random."""
    run = ExperimentRun(ae_spec(data={"name": "heartbeat", "duration_s": 1200},
                                model={"latent": 8}, train={"epochs": 60, "lr": 0.003}))
    s = run.run()
    assert s["final_test_f1"] >= 0.65, s
    share = run.family.data.y_test.mean()
    assert s["final_test_f1"] > 3 * share      # flagging at random scores F1 ~ the anomaly share
    files = run.family_def.run_files(run.family, run.callbacks)
    assert files["anomaly.json"]["f1"] == pytest.approx(s["final_test_f1"])


# -- run folders ---------------------------------------------------------------------------

def test_a_saved_run_reopens_with_its_weights_and_files(tmp_path):
    from seqlab.cli import main
    from seqlab.core.registry import get_family
    from seqlab.core.run_folder import load_run

    exp = tmp_path / "ae.json"
    exp.write_text(ae_spec(train={"epochs": 5}).to_json(), encoding="utf-8")
    out = tmp_path / "run"
    assert main(["train", str(exp), "--out", str(out)]) == 0
    rec = load_run(out)
    assert rec.spec.family == "autoencoder" and rec.spec.model.encoder[0]["size"] == 64
    t = get_family("autoencoder").restore(rec)
    assert t.evaluate("val")["val_loss"] == pytest.approx(rec.summary["final_val_loss"], abs=1e-6)
    assert np.allclose(rec.files["val_errors.npy"], t.errors("val"), atol=1e-6)
    assert rec.files["pca_baseline.json"]["val_pca_loss"] == pytest.approx(rec.summary["final_val_pca_loss"])
    assert rec.files["pca_components.npy"].shape == (8, 64)
    # another architecture's weights are refused with a message
    other = ae_spec(model={"latent": 4}).to_json()
    (out / "experiment.json").write_text(other, encoding="utf-8")
    with pytest.raises(RunError, match="another architecture"):
        get_family("autoencoder").restore(load_run(out))


# -- bad imports ---------------------------------------------------------------------------

def test_a_bad_feature_csv_is_refused_naming_the_file_line_and_column(tmp_path):
    p = tmp_path / "sensors.csv"
    p.write_text("a,b,c\n1,2,3\n4,oops,6\n7,8,9\n", encoding="utf-8")
    spec = ae_spec(data={"name": "csv-features", "path": str(p)}, model={"latent": 2})
    with pytest.raises(DataError) as e:
        ExperimentRun(spec)
    assert "sensors.csv, line 3, column 'b': 'oops' is not a number" in str(e.value)
    with pytest.raises(SpecError) as e:
        ae_spec(data={"name": "csv-features"})
    assert e.value.path == "data.path"


def test_a_good_feature_csv_trains_and_a_short_series_is_refused(tmp_path):
    rng = np.random.default_rng(0)
    z = rng.normal(size=(300, 2))
    rows = np.c_[z, z @ [[1, 0.5], [-0.3, 2]], np.tanh(z[:, :1])]
    p = tmp_path / "rows.csv"
    p.write_text("a,b,c,d,e\n" + "\n".join(",".join(f"{v:.5f}" for v in r) for r in rows), encoding="utf-8")
    run = ExperimentRun(ae_spec(data={"name": "csv-features", "path": str(p)}, model={"latent": 2},
                                train={"epochs": 20}))
    s = run.run()
    assert run.family.data.input_shape == (5,) and np.isfinite(s["final_val_loss"])
    short = tmp_path / "short.csv"
    short.write_text("value\n" + "\n".join(str(i) for i in range(30)), encoding="utf-8")
    with pytest.raises(DataError, match=r"short\.csv, column 'value': 30 values"):
        ExperimentRun(ae_spec(data={"name": "csv-series", "path": str(short), "window": 50}, model={"latent": 4}))


# -- snapshots -----------------------------------------------------------------------------

def test_the_latent_view_decodes_a_clicked_point_with_the_model_s_decoder():
    run = ExperimentRun(ae_spec(model={"latent": 2}, train={"epochs": 3}))
    run.run()
    t = run.family
    lat = t.snapshot("latent", {})
    assert lat["points"].shape[1] == 2 and not lat["projected"] and "decoded" not in lat
    at = lat["points"][5]
    dec = t.snapshot("latent", {"decode": at.tolist()})
    assert dec["decoded"].shape == (8, 8)
    assert np.allclose(dec["decoded"], t.reconstruct(t.data.x_val[5:6])[0], atol=1e-5)
    big = ExperimentRun(ae_spec(model={"latent": 6}, train={"epochs": 1})).family
    lat = big.snapshot("latent", {"decode": [0.0, 0.0]})
    assert lat["projected"] and lat["latent"] == 6 and lat["decoded"].shape == (8, 8)
    rec = t.snapshot("reconstructions", {})
    assert sorted(rec["labels"]) == [str(i) for i in range(10)] and rec["outputs"].shape == (10, 8, 8)
    err = t.snapshot("errors", {})
    assert err["ae"].shape == err["pca"].shape == (len(t.data.x_val),)


@pytest.mark.parametrize("model,data", [
    ({"encoder": [32, 16], "batch_norm": True}, {}),
    ({"encoder": [32, 16], "decoder": [{"size": 8}], "latent": 4}, {}),
    ({"kind": "conv", "encoder": [8, 16], "batch_norm": True}, {"name": "digits28"}),
    ({"kind": "conv", "encoder": [4, 8, 8], "decoder": [6, 5, 4]}, {}),
    ({"kind": "sequence", "cell": "lstm", "encoder": [16, 8]}, {"name": "heartbeat", "window": 30}),
    ({"kind": "sequence", "cell": "gru", "encoder": [16], "decoder": [12, 6]}, {"name": "heartbeat", "window": 30}),
])
def test_the_model_panel_s_parameter_count_matches_the_built_model(model, data):
    from seqlab.families.autoencoder.model import build_model
    from seqlab.families.autoencoder.params import parameter_count

    spec = ae_spec(data=data, model=model)
    shape = {"digits8x8": (8, 8), "digits28": (28, 28)}.get(spec.data.name, (spec.data.window,))
    m = build_model(spec.model, shape, None)
    assert parameter_count(spec.model, shape) == sum(p.numel() for p in m.parameters())
