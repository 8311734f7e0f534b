"""The training engine: learning, reproducibility, commands between steps, divergence, callbacks."""

import math
import threading
import time

import pytest
import torch

from seqlab.core.engine import Callback, Engine
from seqlab.core.experiment_run import ExperimentRun


def test_loss_falls_on_sine(small_spec):
    run = ExperimentRun(small_spec())
    summary = run.run()
    rows = run.history.rows
    assert summary["stop_reason"] == "completed"
    assert rows[-1]["train_loss"] < 0.3 * rows[0]["train_loss"]
    assert summary["final_val_loss"] < 0.3 * run.family.data.baseline_loss


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
@pytest.mark.parametrize("task", ["many-to-many", "many-to-one", "one-to-many"])
def test_every_cell_and_task_trains(small_spec, cell, task):
    run = ExperimentRun(small_spec(model={"cell": cell, "task": task, "num_layers": 2, "bidirectional": True},
                                   train={"epochs": 2}))
    s = run.run()
    assert s["stop_reason"] == "completed" and math.isfinite(s["final_val_loss"])


def test_same_seed_same_losses(small_spec):
    a = ExperimentRun(small_spec(train={"epochs": 2})); a.run()
    b = ExperimentRun(small_spec(train={"epochs": 2})); b.run()
    c = ExperimentRun(small_spec(train={"epochs": 2, "seed": 1})); c.run()
    la = [r["train_loss"] for r in a.history.rows]
    assert la == [r["train_loss"] for r in b.history.rows]
    assert la != [r["train_loss"] for r in c.history.rows]


@pytest.mark.parametrize("opt", ["sgd", "momentum", "rmsprop", "adam"])
def test_optimisers_reduce_loss(small_spec, opt):
    lr = {"sgd": 0.5, "momentum": 0.05, "rmsprop": 0.005, "adam": 0.01}[opt]
    run = ExperimentRun(small_spec(train={"optimizer": opt, "lr": lr, "epochs": 3}))
    run.run()
    assert run.history.rows[-1]["train_loss"] < run.history.rows[0]["train_loss"]


def test_batch_modes_give_step_counts(small_spec):
    n_train = ExperimentRun(small_spec()).family.data.x_train.shape[0]
    full = ExperimentRun(small_spec(train={"batch_size": "all", "epochs": 3})); full.run()
    assert full.engine.step == 3
    sgd = ExperimentRun(small_spec(train={"batch_size": 1, "epochs": 1})); sgd.run()
    assert sgd.engine.step == n_train


def test_max_steps_and_clipping_by_norm(small_spec):
    run = ExperimentRun(small_spec(train={"max_steps": 7, "clip_norm": 0.01, "log_every": 1}))
    s = run.run()
    assert s["stop_reason"] == "max_steps" and s["steps"] == 7
    for r in run.history.rows:
        assert r["grad_norm_clipped"] <= 0.01 + 1e-6 and r["grad_norm"] > r["grad_norm_clipped"]


def test_clipping_by_value_bounds_every_gradient(small_spec):
    seen = []

    class Peek(Callback):
        def on_step_end(self, engine, out):
            seen.append(max(float(p.grad.abs().max()) for p in engine.family.model.parameters()))
    ExperimentRun(small_spec(train={"max_steps": 5, "clip_value": 0.001}), callbacks=[Peek()]).run()
    assert max(seen) <= 0.001 + 1e-9


def test_l1_l2_shrink_weights(small_spec):
    plain = ExperimentRun(small_spec(train={"epochs": 3})); plain.run()
    l2 = ExperimentRun(small_spec(train={"epochs": 3, "l2": 0.01})); l2.run()
    norm = lambda r: sum(float(p.detach().norm()) for n, p in r.family.model.named_parameters() if "weight" in n)
    assert norm(l2) < 0.8 * norm(plain)


def test_early_stopping_stops_and_keeps_best(small_spec):
    run = ExperimentRun(small_spec(train={"epochs": 200, "early_stopping": 2, "lr": 0.05}))
    s = run.run()
    assert s["stop_reason"] == "early_stopping" and s["epochs"] < 200
    assert "best validation loss" in s["message"]
    assert run.family.evaluate("val")["val_loss"] == pytest.approx(run.history.best_val_loss, rel=1e-5)


def test_divergence_stops_with_advice_and_keeps_last_good_weights(small_spec):
    run = ExperimentRun(small_spec(model={"cell": "rnn", "nonlinearity": "relu", "init": "he"},
                                   train={"optimizer": "sgd", "lr": 10.0, "epochs": 50, "log_every": 1}))
    s = run.run()
    assert s["stop_reason"] == "diverged"
    assert "lower the learning rate" in s["message"] and "clipping" in s["message"]
    assert all(torch.isfinite(p).all() for p in run.family.model.parameters())
    assert math.isfinite(run.family.evaluate("val")["val_loss"])


def test_commands_pause_step_resume_lr_stop(small_spec):
    spec = small_spec(train={"epochs": 10_000, "batch_size": 8})
    run = ExperimentRun(spec)
    eng = run.engine
    t = threading.Thread(target=run.run)
    eng.pause()
    t.start()
    time.sleep(0.3)
    assert eng.step == 0 and eng.paused
    eng.step_once(); eng.step_once()
    deadline = time.time() + 5
    while eng.step < 2 and time.time() < deadline:
        time.sleep(0.01)
    time.sleep(0.2)
    assert eng.step == 2
    eng.set_lr(0.001)
    eng.set_clipping(norm=0.5)
    eng.resume()
    deadline = time.time() + 5
    while eng.step < 20 and time.time() < deadline:
        time.sleep(0.01)
    assert eng.step >= 20
    assert eng.optimizers[0].param_groups[0]["lr"] == 0.001 and eng.clipping.norm == 0.5
    eng.stop()
    t.join(timeout=2)
    assert not t.is_alive() and eng.stop_reason == "stopped"


def test_gradients_through_time_recorded_and_published(small_spec):
    from seqlab.core.engine import find
    from seqlab.families.recurrent.callbacks import GradientRecorder

    published = []

    class Spy(Callback):
        def on_snapshot(self, e, kind, payload): published.append((kind, payload["step"]))
    run = ExperimentRun(small_spec(model={"cell": "rnn"}, train={"epochs": 2, "gtt_every": 5}), callbacks=[Spy()])
    run.run()
    recs = find(run.callbacks, GradientRecorder).records
    assert len(recs) >= 4 and recs[0]["gtt"].shape == (20,)
    assert all(set(r["param_norms"]) >= {"rnn.weight_hh_l0", "head.weight"} for r in recs)
    assert published == [("gradients", r["step"]) for r in recs]


def test_callback_hooks_fire_in_order(small_spec):
    events = []

    class Spy(Callback):
        def on_train_start(self, e): events.append("start")
        def on_log(self, e, row): events.append("log")
        def on_epoch_end(self, e, m): events.append("epoch")
        def on_train_end(self, e, s): events.append("end")
    ExperimentRun(small_spec(train={"epochs": 2}), callbacks=[Spy()]).run()
    assert events[0] == "start" and events[-1] == "end" and events.count("epoch") == 2 and "log" in events


def test_forget_bias_options_set_the_lstm_bias(small_spec):
    run = ExperimentRun(small_spec(model={"forget_bias": 3.0}))
    b = run.family.model.rnn.bias_ih_l0 + run.family.model.rnn.bias_hh_l0
    assert torch.allclose(b[16:32], torch.full((16,), 3.0))
    chrono = ExperimentRun(small_spec(model={"forget_bias": "chrono"}))
    bf = chrono.family.model.rnn.bias_ih_l0[16:32]
    assert (bf >= 0).all() and (bf <= math.log(19) + 1e-6).all() and bf.std() > 0.1


@pytest.mark.parametrize("init", ["xavier", "he", "orthogonal"])
def test_initialisations_change_the_weights(small_spec, init):
    w0 = ExperimentRun(small_spec()).family.model.rnn.weight_hh_l0
    w = ExperimentRun(small_spec(model={"init": init})).family.model.rnn.weight_hh_l0
    assert not torch.allclose(w, w0)
    if init == "orthogonal":
        blk = w[:16]
        assert torch.allclose(blk @ blk.T, torch.eye(16), atol=1e-5)


def test_call_soon_runs_on_the_training_thread_even_while_paused(small_spec):
    run = ExperimentRun(small_spec(train={"epochs": 10_000, "batch_size": 8}))
    eng = run.engine
    seen = []
    eng.pause()
    t = threading.Thread(target=run.run)
    t.start()
    time.sleep(0.2)
    eng.call_soon(lambda: seen.append((threading.current_thread() is t, eng.step, eng.family.trace(0)["states"]["h"].shape)))
    deadline = time.time() + 5
    while not seen and time.time() < deadline:
        time.sleep(0.01)
    eng.stop()
    t.join(timeout=2)
    assert seen == [(True, 0, (1, 20, 16))]


def test_logged_rows_average_the_steps_since_the_last_row(small_spec):
    """train_loss, grad_norm and grad_norm_clipped of a row are means over its steps, even over
    a long interval between rows (the engine folds long intervals into partial sums)."""
    steps = []

    class Peek(Callback):
        def on_step_end(self, engine, out):
            steps.append({k: float(v) for k, v in out.items()})
    run = ExperimentRun(small_spec(train={"batch_size": 1, "max_steps": 700, "log_every": 300,
                                          "clip_norm": 0.5, "gtt_every": 1000}), callbacks=[Peek()])
    run.run()
    rows = run.history.rows
    assert len(steps) == 700 and rows[-1]["step"] == 700
    start = 0
    for row in rows:
        chunk = steps[start:row["step"]]
        assert len(chunk) > 0
        for key in ("train_loss", "grad_norm", "grad_norm_clipped"):
            assert row[key] == pytest.approx(sum(s[key] for s in chunk) / len(chunk), rel=1e-5)
        start = row["step"]
    assert any(r["step"] - prev["step"] > 256 for prev, r in zip([{"step": 0}] + rows, rows))
    assert all(s["grad_norm_clipped"] == pytest.approx(min(s["grad_norm"], 0.5), rel=1e-6) for s in steps)


def test_a_plain_object_with_the_hooks_is_a_callback(small_spec):
    """The window's bridge is a plain object (no Callback base): every hook must reach it."""
    seen = []

    class Plain:
        def on_train_start(self, e): seen.append("start")
        def on_step_end(self, e, out): seen.append("step")
        def on_log(self, e, row): pass
        def on_validation(self, e, m): pass
        def on_epoch_end(self, e, m): seen.append("epoch")
        def on_pause(self, e, paused): pass
        def on_train_end(self, e, s): seen.append("end")
    run = ExperimentRun(small_spec(train={"epochs": 1}), callbacks=[Plain()])
    run.run()
    assert seen[0] == "start" and seen[-1] == "end" and seen.count("step") == run.engine.step and "epoch" in seen
