"""The headless command line: train writes a complete run folder; probe writes the trace; bad input
exits non-zero with one clear line and no traceback."""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch
from safetensors.torch import load_file

from seqlab.cli import main
from seqlab.families.recurrent.probes import probe

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def seqlab(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "seqlab", *map(str, args)], capture_output=True, text=True, cwd=cwd)


@pytest.fixture
def experiment(tmp_path, small_spec):
    p = tmp_path / "exp.json"
    p.write_text(small_spec(model={"num_layers": 2, "bidirectional": True}).to_json())
    return p


def test_train_writes_run_folder_and_probe_matches_fused_module(tmp_path, experiment):
    run_dir = tmp_path / "run"
    assert main(["train", str(experiment), "--out", str(run_dir), "--max-steps", "30"]) == 0
    names = {p.name for p in run_dir.iterdir()}
    assert {"experiment.json", "model.safetensors", "metrics.csv", "summary.json", "grad_through_time.npy"} <= names
    assert not any(n.startswith(".") for n in names)
    summary = json.loads((run_dir / "summary.json").read_text())
    assert summary["stop_reason"] == "max_steps" and summary["steps"] == 30
    header = (run_dir / "metrics.csv").read_text().splitlines()[0].split(",")
    assert header[:6] == ["step", "epoch", "train_loss", "val_loss", "grad_norm", "grad_norm_clipped"]
    gtt = np.load(run_dir / "grad_through_time.npy", allow_pickle=False)
    assert gtt.ndim == 2 and gtt.shape[1] == 20 and gtt.shape[0] >= 3

    # The weights load into a plain PyTorch LSTM under PyTorch's own names.
    state = load_file(str(run_dir / "model.safetensors"))
    lstm = torch.nn.LSTM(1, 16, num_layers=2, bidirectional=True, batch_first=True)
    lstm.load_state_dict({k[4:]: v for k, v in state.items() if k.startswith("rnn.")})

    x = np.random.default_rng(0).normal(size=(20, 1)).astype(np.float32)
    np.save(tmp_path / "x.npy", x)
    assert main(["probe", str(run_dir), "--input", str(tmp_path / "x.npy"), "--out", str(tmp_path / "trace.npz")]) == 0
    trace = np.load(tmp_path / "trace.npz", allow_pickle=False)
    assert trace["h"].shape == (4, 20, 16) and set("hcifgo") <= set(trace.files)
    with torch.no_grad():
        out, (h_n, c_n) = lstm(torch.as_tensor(x)[None])
    np.testing.assert_allclose(trace["output"], out[0].numpy(), atol=1e-5)
    np.testing.assert_allclose(trace["h"][:, -1][[0, 2]], h_n.numpy()[[0, 2], 0], atol=1e-5)


def test_jsonl_prints_one_json_object_per_line(tmp_path, experiment):
    r = seqlab("train", experiment, "--out", tmp_path / "run", "--max-steps", "12", "--jsonl")
    assert r.returncode == 0, r.stderr
    events = [json.loads(line) for line in r.stdout.splitlines()]
    assert events[0]["event"] == "start" and events[-1]["event"] == "end"
    assert any(e["event"] == "log" and "train_loss" in e for e in events)


@pytest.mark.parametrize("content,words", [
    ('{"model": {"hidden_size": -3}}', "model.hidden_size must be an integer from 1 to 4096, got -3"),
    ('{"model": {"cell": "lstm",}', "not valid JSON at line 1"),
    ("", "the file is empty"),
    ('{"data": {"name": "csv", "path": "nope.csv"}}', "nope.csv"),
])
def test_bad_experiment_exits_with_one_clear_line(tmp_path, content, words):
    p = tmp_path / "bad.json"
    p.write_text(content)
    r = seqlab("train", p, "--out", tmp_path / "run")
    assert r.returncode != 0
    assert words in r.stderr and "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "run").exists()


def test_probe_errors_are_clear(tmp_path, experiment):
    r = seqlab("probe", tmp_path / "missing", "--input", "x.npy", "--out", "t.npz")
    assert r.returncode != 0 and "no such run folder" in r.stderr and "Traceback" not in r.stderr
    run_dir = tmp_path / "run"
    assert main(["train", str(experiment), "--out", str(run_dir), "--max-steps", "2"]) == 0
    np.save(tmp_path / "wrong.npy", np.zeros((20, 3), np.float32))
    r = seqlab("probe", run_dir, "--input", tmp_path / "wrong.npy", "--out", tmp_path / "t.npz")
    assert r.returncode != 0 and "shape (20, 3) does not fit this model: it must be [T, 1]" in r.stderr
    np.save(tmp_path / "obj.npy", np.array([{"a": 1}], dtype=object), allow_pickle=True)
    r = seqlab("probe", run_dir, "--input", tmp_path / "obj.npy", "--out", tmp_path / "t.npz")
    assert r.returncode != 0 and "not a plain .npy array" in r.stderr and "Traceback" not in r.stderr


def test_weights_of_another_architecture_are_refused(tmp_path, experiment, small_spec):
    run_dir = tmp_path / "run"
    assert main(["train", str(experiment), "--out", str(run_dir), "--max-steps", "2"]) == 0
    (run_dir / "experiment.json").write_text(small_spec(model={"hidden_size": 8}).to_json())
    np.save(tmp_path / "x.npy", np.zeros((20, 1), np.float32))
    r = seqlab("probe", run_dir, "--input", tmp_path / "x.npy", "--out", tmp_path / "t.npz")
    assert r.returncode != 0 and "weights for another architecture" in r.stderr


def test_incomplete_run_folder_is_not_taken_for_a_run(tmp_path):
    d = tmp_path / "half"
    d.mkdir()
    (d / "experiment.json").write_text("{}")
    r = seqlab("probe", d, "--input", "x.npy", "--out", "t.npz")
    assert r.returncode != 0 and "summary.json is missing" in r.stderr


def test_saving_over_an_existing_run_replaces_it_whole(tmp_path, experiment):
    run_dir = tmp_path / "run"
    assert main(["train", str(experiment), "--out", str(run_dir), "--max-steps", "3"]) == 0
    assert main(["train", str(experiment), "--out", str(run_dir), "--max-steps", "5", "--overwrite"]) == 0
    assert json.loads((run_dir / "summary.json").read_text())["steps"] == 5
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_shipped_example_runs_as_written(tmp_path):
    r = seqlab("train", EXAMPLES / "lstm-sine.json", "--out", tmp_path / "run", "--max-steps", "40")
    assert r.returncode == 0, r.stderr
    s = json.loads((tmp_path / "run" / "summary.json").read_text())
    assert s["final_val_loss"] < 0.5 * s["model"]["baseline_loss"]


def test_unavailable_cuda_is_a_clear_error(tmp_path, experiment):
    if torch.cuda.is_available():
        pytest.skip("a GPU is present")
    r = seqlab("train", experiment, "--out", tmp_path / "run", "--device", "cuda")
    assert r.returncode != 0 and "sees no CUDA GPU" in r.stderr


@pytest.mark.parametrize("name,content,words", [
    ("model.safetensors", b"\x00garbage", "model.safetensors: not a readable safetensors file"),
    ("summary.json", b"{not json", "summary.json: not valid JSON"),
    ("metrics.csv", b"step,epoch,train_loss\n1,0,abc\n", "metrics.csv, line 2, column 'train_loss': 'abc' is not a number"),
    ("grad_through_time.npy", None, "grad_through_time.npy: not a plain numeric array"),
])
def test_a_damaged_run_folder_names_the_file(tmp_path, experiment, name, content, words):
    run_dir = tmp_path / "run"
    assert main(["train", str(experiment), "--out", str(run_dir), "--max-steps", "2"]) == 0
    if content is None:
        np.save(run_dir / name, np.array([{"a": 1}], dtype=object), allow_pickle=True)
    else:
        (run_dir / name).write_bytes(content)
    np.save(tmp_path / "x.npy", np.zeros((20, 1), np.float32))
    r = seqlab("probe", run_dir, "--input", tmp_path / "x.npy", "--out", tmp_path / "t.npz")
    assert r.returncode != 0 and words in r.stderr and "Traceback" not in r.stderr


def test_train_refuses_an_existing_out_folder_unless_overwrite(tmp_path, experiment):
    run_dir = tmp_path / "run"
    assert main(["train", str(experiment), "--out", str(run_dir), "--max-steps", "3"]) == 0
    before = (run_dir / "summary.json").read_text()
    r = seqlab("train", experiment, "--out", run_dir, "--max-steps", "5")
    assert r.returncode == 2 and "already exists" in r.stderr and "--overwrite" in r.stderr
    assert (run_dir / "summary.json").read_text() == before, "the old run is untouched"
    assert main(["train", str(experiment), "--out", str(run_dir), "--max-steps", "5", "--overwrite"]) == 0
    assert json.loads((run_dir / "summary.json").read_text())["steps"] == 5
    assert sorted(p.name for p in tmp_path.iterdir()) == ["exp.json", "run"], "no half-written folder is left"


def test_probe_of_a_csv_says_what_the_input_must_be(tmp_path, experiment):
    run_dir = tmp_path / "run"
    assert main(["train", str(experiment), "--out", str(run_dir), "--max-steps", "2"]) == 0
    (tmp_path / "good.csv").write_text("x\n1\n2\n3\n")
    r = seqlab("probe", run_dir, "--input", tmp_path / "good.csv", "--out", tmp_path / "t.npz")
    assert r.returncode == 2 and ".npy array of shape [T, 1]" in r.stderr and "pickle" not in r.stderr


def test_help_lists_only_commands_that_exist():
    from seqlab.cli import build_parser
    from seqlab.core.registry import families

    gui, cmds, verbs = build_parser()
    listed = gui.epilog.split("seqlab ", 1)[1].split(" (")[0].split(" | ")
    assert set(listed) == {"train", "lessons"} | {v.name for f in families() for v in f.cli_verbs()}
