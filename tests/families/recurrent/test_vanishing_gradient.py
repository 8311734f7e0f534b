"""The course's central claim, measured: on the long-lag memory task of
examples/vanishing-gradient, an LSTM (chrono forget-gate bias) learns to recall the first
symbol while a vanilla RNN of the same size stays near chance, and the RNN's gradient at the
first time step is orders of magnitude smaller than the LSTM's."""

import importlib.util
import statistics
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parents[3] / "examples" / "vanishing-gradient"
SEEDS = (0, 1, 2, 3, 4)


def _compare():
    spec = importlib.util.spec_from_file_location("vg_compare", HERE / "compare.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_the_two_files_differ_in_the_cell_alone():
    import json
    lstm, rnn = (json.loads((HERE / f"{c}.json").read_text()) for c in ("lstm", "rnn"))
    assert lstm["model"].pop("cell") == "lstm" and rnn["model"].pop("cell") == "rnn"
    assert lstm == rnn
    assert lstm["train"]["max_steps"]   # the budget is inside the file


@pytest.mark.slow
def test_lstm_remembers_where_the_rnn_forgets():
    compare = _compare()
    lstm = [compare.run_seed("lstm", s) for s in SEEDS]
    rnn = [compare.run_seed("rnn", s) for s in SEEDS]
    for r in lstm + rnn:
        print(f"{r['cell']} seed {r['seed']}: val acc {r['val_acc']:.3f}, {r['steps']} steps, "
              f"{r['seconds']:.1f} s, grad ratio t=0/t=T {r['grad_ratio']:.2e}")
    chance = lstm[0]["chance"]
    assert sum(r["val_acc"] >= 0.9 for r in lstm) >= 4
    assert sum(r["val_acc"] <= chance + 0.15 for r in rnn) >= 4
    lstm_ratio = statistics.median(r["grad_ratio"] for r in lstm)
    rnn_ratio = statistics.median(r["grad_ratio"] for r in rnn)
    assert rnn_ratio < 1e-3 * lstm_ratio
