"""A family added through the public registry alone trains headless, keeps its run folder,
and shows in the window: the model family is the unit of extension.

Nothing in seqlab/core or seqlab/ui names this family; it lives in tests/fixtures.
"""

from __future__ import annotations

import json
import os

import numpy as np
import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from seqlab.core import registry  # noqa: E402
from seqlab.core.spec import ExperimentSpec, SpecError  # noqa: E402
from tests.fixtures import curve_family  # noqa: E402


@pytest.fixture
def curve():
    registry.register(curve_family.FAMILY)
    yield curve_family.FAMILY
    registry.unregister(curve_family.NAME)


def _experiment(tmp_path, **train):
    d = {"family": "curve", "data": {"points": 200}, "model": {"hidden": 24},
         "train": {"epochs": 40, "batch_size": 32, "lr": 0.01, "device": "cpu", **train}}
    p = tmp_path / "curve.json"
    p.write_text(json.dumps(d), encoding="utf-8")
    return p


def test_a_registered_family_trains_headless_and_its_run_folder_reopens(tmp_path, curve):
    from seqlab.cli import main
    from seqlab.core.run_folder import load_run

    out = tmp_path / "run"
    assert main(["train", str(_experiment(tmp_path)), "--out", str(out)]) == 0
    rec = load_run(out)
    assert rec.spec.family == "curve" and rec.spec.model.hidden == 24
    losses = [r["train_loss"] for r in rec.metrics]
    assert losses[-1] < 0.5 * losses[0], "the loss falls"
    assert rec.files["fit.npy"].shape == (200,), "the family's own file comes back"
    restored = curve.restore(rec)
    assert abs(restored.evaluate("val")["val_loss"] - rec.summary["final_val_loss"]) < 1e-6, \
        "the reopened weights are the trained ones"
    # the recurrent family's gradient recorder is not added to another family's runs
    assert not (out / "grad_through_time.npy").exists()


def test_the_experiment_file_names_its_family_and_unknown_ones_are_listed(curve):
    spec = ExperimentSpec.from_dict({"family": "curve"})
    assert spec.to_dict()["family"] == "curve" and spec.to_dict()["version"] >= 2
    with pytest.raises(SpecError) as e:
        ExperimentSpec.from_dict({"family": "nonesuch"})
    assert "'recurrent'" in str(e.value) and "'curve'" in str(e.value) and e.value.path == "family"
    with pytest.raises(SpecError) as e:
        ExperimentSpec.from_dict({"family": "curve", "model": {"hidden": 0}})
    assert e.value.path == "model.hidden"


def test_divergence_is_watched_on_the_family_s_named_metrics(tmp_path, curve, monkeypatch):
    from seqlab.core.experiment_run import ExperimentRun

    monkeypatch.setattr(curve_family.CurveTrainable, "watch", ("train_loss", "other_loss"))
    original = curve_family.CurveTrainable.training_step

    def step(self, idx, engine):
        out = original(self, idx, engine)
        import torch
        out["other_loss"] = torch.tensor(float("nan") if engine.step > 20 else 1.0)
        return out
    monkeypatch.setattr(curve_family.CurveTrainable, "training_step", step)
    run = ExperimentRun(ExperimentSpec.from_dict({"family": "curve", "train": {"epochs": 50, "log_every": 5,
                                                                                "device": "cpu"}}))
    s = run.run()
    assert s["stop_reason"] == "diverged" and "other_loss" in s["message"]


def test_the_window_shows_a_registered_family(qtbot, tmp_path, curve):
    from seqlab.ui.main_window import MainWindow
    from seqlab.ui.settings import Preferences, open_settings
    from seqlab.ui.worker import running_threads

    w = MainWindow(prefs=Preferences(open_settings(str(tmp_path / "s.ini"))))
    qtbot.addWidget(w)
    w.open_lesson("curve-fit")
    assert w.workspace.family.name == "curve" and "fit" in w._tab_keys
    assert w.current_view() == "fit" and w.current_spec().model.hidden == 16
    w.show()
    with qtbot.waitSignal(w.run_finished, timeout=120_000):
        assert w.start_training()
    qtbot.waitUntil(lambda: w.workspace.fits > 0, timeout=20_000)
    x, y = w.workspace.fit_curve.getData()
    assert len(x) == 256 and np.isfinite(y).all()
    # switching back to the recurrent family keeps the curve family's workspace for later
    w.open_lesson("lstm-sine")
    assert w.workspace.family.name == "recurrent" and "gates" in w._tab_keys
    w.close()
    assert not running_threads()
