"""The worker bridge: training on one background thread, throttled queued signals, commands.

What a person would notice: the curves arrive while training runs (in batches, not one signal
per step), live states arrive only while a view shows them, Pause / Step / Stop do what they
say, a diverging run explains itself, and the thread is gone when the bridge shuts down.
"""

from __future__ import annotations

import os
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from seqlab.core.spec import ExperimentSpec  # noqa: E402
from seqlab.families.recurrent.family import FAMILY  # noqa: E402
from seqlab.ui.worker import ROW_INTERVAL, WorkerBridge, running_threads  # noqa: E402

TRACE_INTERVAL = FAMILY.snapshot_kinds["trace"].interval


def small_spec(**train) -> ExperimentSpec:
    t = {"lr": 0.02, "batch_size": 32, "epochs": 3, "log_every": 1, "gtt_every": 10, "seed": 0}
    t.update(train)
    return ExperimentSpec.from_dict({
        "data": {"name": "sine", "seq_len": 12, "samples": 240},
        "model": {"cell": "gru", "hidden_size": 8},
        "train": t,
    })


class Recorder:
    """Every signal of a bridge, with the time it arrived."""

    def __init__(self, bridge: WorkerBridge):
        self.events: list[tuple[float, str, object]] = []
        for name in ("started", "rows", "validation", "paused", "finished", "failed"):
            getattr(bridge, name).connect(lambda *a, n=name: self.events.append((time.perf_counter(), n, a)))
        # live data comes as (run id, kind, payload): recorded under its kind, as (run id, payload)
        bridge.snapshot.connect(lambda rid, kind, p: self.events.append((time.perf_counter(), kind, (rid, p))))

    def of(self, name: str) -> list:
        return [a for _, n, a in self.events if n == name]

    def times(self, name: str) -> list[float]:
        return [t for t, n, _ in self.events if n == name]


@pytest.fixture
def bridge(qtbot):
    b = WorkerBridge()
    yield b
    assert b.shutdown(3000), "the training thread did not end"
    assert not running_threads()


def wait_finished(qtbot, rec: Recorder, timeout=60_000):
    qtbot.waitUntil(lambda: bool(rec.of("finished") or rec.of("failed")), timeout=timeout)


def test_rows_arrive_in_batches_and_none_is_lost(qtbot, bridge):
    rec = Recorder(bridge)
    bridge.start(small_spec(epochs=4), "gru")
    wait_finished(qtbot, rec)
    summary = rec.of("finished")[0][1]
    rows = [r for _, batch in rec.of("rows") for r in batch]
    steps = [int(r["step"]) for r in rows]
    # log_every=1: one row per step, every one delivered, in order
    assert steps == list(range(1, summary["steps"] + 1))
    # throttled at the source: a batch at most every ROW_INTERVAL seconds of training, plus
    # the flushes a validation, a pause or the end of the run make
    batches = rec.of("rows")
    seconds = rows[-1]["time"] - rows[0]["time"]
    n_flushes = len(rec.of("validation")) + 2
    assert len(batches) <= seconds / ROW_INTERVAL + n_flushes + 1
    assert len(batches) < len(rows), "rows should be batched, not one signal per step"
    # every signal carries plain, detached numbers
    assert all(isinstance(v, (int, float)) for r in rows for v in r.values())
    assert rec.of("validation"), "a validation result per epoch"
    g = rec.of("gradients")
    assert g and isinstance(g[0][1]["gtt"], np.ndarray) and g[0][1]["gtt"].shape == (12,)


def test_traces_only_while_a_view_wants_them(qtbot, bridge):
    rec = Recorder(bridge)
    bridge.start(small_spec(epochs=2), "quiet")
    wait_finished(qtbot, rec)
    assert not rec.of("trace") and not rec.of("predictions")

    rec2 = Recorder(bridge)
    bridge.set_demand({"trace", "predictions"})
    bridge.start(small_spec(epochs=6), "watched")
    wait_finished(qtbot, rec2)
    traces = rec2.of("trace")
    assert traces, "the hidden-state view is visible: traces must come"
    tr = traces[-1][1]
    assert tr["states"]["h"].shape == (1, 12, 8) and set(tr["states"]) == {"h", "r", "z", "n"}
    assert tr["x"].shape == (12, 1) and tr["cell"] == "gru" and "weight_hh_l0" in tr["weights"]
    # limited at the source, by the training thread's clock: the periodic traces (not the
    # first, asked for at the start, nor the last, at the end) come TRACE_INTERVAL apart or more
    sent = [a[1]["sent_at"] for a in traces][1:-1]
    gaps = np.diff(sent)
    assert (gaps >= TRACE_INTERVAL * 0.9).sum() >= len(gaps) - 1, f"traces too often: {gaps}"
    assert rec2.of("predictions"), "the predictions view is visible: predictions must come"
    p = rec2.of("predictions")[-1][1]
    assert "series_true" in p and len(p["one_step"]) == 12


def test_select_sample_traces_another_sequence_after_the_run(qtbot, bridge):
    rec = Recorder(bridge)
    bridge.start(small_spec(epochs=1), "x")
    wait_finished(qtbot, rec)
    bridge.set_demand({"trace"})       # served by the idle worker, after the run
    qtbot.waitUntil(lambda: bool(rec.of("trace")), timeout=10_000)
    bridge.select_sample(5)
    qtbot.waitUntil(lambda: any(a[1]["index"] == 5 for a in rec.of("trace")), timeout=10_000)


def test_pause_step_resume_and_stop(qtbot, bridge):
    rec = Recorder(bridge)
    bridge.start(small_spec(epochs=1000), "long")
    bridge.pause()                      # sent before the engine exists: applied when it does
    qtbot.waitUntil(lambda: bool(rec.of("paused")) and rec.of("paused")[-1][1] is True, timeout=30_000)
    time.sleep(0.3)
    qtbot.wait(50)
    before = max([int(r["step"]) for _, b in rec.of("rows") for r in b] or [0])
    bridge.step_once()
    qtbot.waitUntil(lambda: any(int(r["step"]) == before + 1 for _, b in rec.of("rows") for r in b),
                    timeout=10_000)
    qtbot.wait(300)
    assert max(int(r["step"]) for _, b in rec.of("rows") for r in b) == before + 1, "one step, no more"
    bridge.resume()
    qtbot.waitUntil(lambda: max(int(r["step"]) for _, b in rec.of("rows") for r in b) > before + 5,
                    timeout=30_000)
    t0 = time.perf_counter()
    bridge.stop()
    wait_finished(qtbot, rec)
    assert time.perf_counter() - t0 < 1.0
    assert rec.of("finished")[0][1]["stop_reason"] == "stopped"


def test_learning_rate_and_clipping_change_while_running(qtbot, bridge):
    rec = Recorder(bridge)
    bridge.start(small_spec(epochs=1000), "lr")
    qtbot.waitUntil(lambda: bool(rec.of("rows")), timeout=30_000)
    bridge.set_lr(0.0042)
    bridge.set_clipping(norm=0.5)
    qtbot.waitUntil(lambda: any(r.get("lr") == pytest.approx(0.0042) for _, b in rec.of("rows") for r in b),
                    timeout=10_000)
    qtbot.waitUntil(lambda: any(r.get("grad_norm_clipped", 9) <= 0.5 + 1e-6 and r["grad_norm"] > 0.5
                                for _, b in rec.of("rows") for r in b) or
                    all(r["grad_norm"] <= 0.5 for _, b in rec.of("rows")[-3:] for r in b), timeout=10_000)
    bridge.stop()
    wait_finished(qtbot, rec)


def test_a_diverging_run_explains_and_keeps_good_weights(qtbot, bridge):
    rec = Recorder(bridge)
    spec = ExperimentSpec.from_dict({
        "data": {"name": "sine", "seq_len": 12, "samples": 240},
        "model": {"cell": "rnn", "hidden_size": 16, "nonlinearity": "relu", "init": "he"},
        "train": {"optimizer": "sgd", "lr": 9.0, "batch_size": 32, "epochs": 50, "log_every": 1}})
    bridge.start(spec, "boom")
    wait_finished(qtbot, rec)
    s = rec.of("finished")[0][1]
    assert s["stop_reason"] == "diverged"
    assert "learning rate" in s["message"] and "clipping" in s["message"]


def test_a_bad_data_file_fails_with_its_name(qtbot, bridge, tmp_path):
    rec = Recorder(bridge)
    spec = ExperimentSpec.from_dict({"data": {"name": "csv", "path": str(tmp_path / "missing.csv")},
                                     "model": {"cell": "lstm", "hidden_size": 4}})
    bridge.start(spec, "bad")
    wait_finished(qtbot, rec)
    msg = rec.of("failed")[0][1]
    assert "missing.csv" in msg
    # the worker is still usable
    rec2 = Recorder(bridge)
    bridge.start(small_spec(epochs=1), "good")
    wait_finished(qtbot, rec2)
    assert rec2.of("finished")


def test_a_new_run_stops_the_old_one(qtbot, bridge):
    rec = Recorder(bridge)
    first = bridge.start(small_spec(epochs=1000), "first")
    qtbot.waitUntil(lambda: bool(rec.of("rows")), timeout=30_000)
    second = bridge.start(small_spec(epochs=1), "second")
    qtbot.waitUntil(lambda: any(a[0] == second for a in rec.of("finished")), timeout=30_000)
    ends = {a[0]: a[1]["stop_reason"] for a in rec.of("finished")}
    assert ends[first] == "stopped" and ends[second] in ("completed", "max_steps")


def test_shutdown_mid_run_ends_the_thread_quickly(qtbot):
    b = WorkerBridge()
    rec = Recorder(b)
    b.start(small_spec(epochs=1000), "x")
    qtbot.waitUntil(lambda: bool(rec.of("rows")), timeout=30_000)
    t0 = time.perf_counter()
    assert b.shutdown(3000)
    assert time.perf_counter() - t0 < 1.0
    assert not b.is_thread_running() and not running_threads()


# --- the forecasts the predictions view shows (RecurrentFamily.forecast) ----------------------

def test_free_running_forecast_feeds_the_model_its_own_predictions():
    import torch

    from seqlab.core.experiment_run import ExperimentRun

    run = ExperimentRun(small_spec(epochs=1).replace(model={"cell": "lstm"}))
    run.run()
    fam = run.family
    f = fam.forecast("val", index=2)
    truth = np.append(fam.data.x_val[2, :, 0], fam.data.y_val[2, -1, 0])
    assert np.allclose(fam.data.denormalise(truth[:, None])[:, 0], f["truth"], atol=1e-5)
    # reference: re-read the growing prefix, appending each prediction
    seq, ref = list(truth[:f["free_start"]]), []
    with torch.no_grad():
        for _ in range(len(f["free"])):
            v = float(fam.model(torch.tensor(np.array(seq, np.float32)[None, :, None]))[0, -1, 0])
            ref.append(v)
            seq.append(v)
    assert np.allclose(fam.data.denormalise(np.array(ref)[:, None])[:, 0], f["free"], atol=1e-4)
    assert len(f["one_step"]) == len(truth) - 1


def test_series_forecast_covers_the_validation_years():
    from seqlab.core.experiment_run import ExperimentRun

    spec = ExperimentSpec.from_dict({"data": {"name": "sunspots", "seq_len": 12},
                                     "model": {"cell": "gru", "hidden_size": 8, "task": "many-to-one"},
                                     "train": {"max_steps": 5}})
    run = ExperimentRun(spec)
    run.run()
    f = run.family.forecast("val")
    a, b = run.family.data.split_index
    assert f["one_step_t"][0] == a and f["one_step_t"][-1] == b - 1
    raw = run.family.data.denormalise(run.family.data.series[:, None])[:, 0]
    assert np.allclose(f["truth"], raw[f["t"]], atol=1e-3), "the truth is the series in its own units"
    assert len(f["free"]) == b - a
    assert run.family.forecast("val") is not None
    # classification has nothing to forecast
    mem = ExperimentRun(ExperimentSpec.from_dict({"data": {"name": "memory", "lag": 5, "samples": 64},
                                                  "model": {"task": "many-to-one"}, "train": {"max_steps": 1}}))
    assert mem.family.forecast("val") is None
