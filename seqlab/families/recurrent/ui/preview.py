"""The recurrent family's preview: its views opened on synthetic data, for developing a view
without training (each family may have one; see docs/ARCHITECTURE.md).

    python -m seqlab.families.recurrent.ui.preview [--theme light|dark] [--presentation]
        [--view all|loss|gradients|predictions|classification|scatter] [--save OUT.png]

Two runs on the loss plot (an RNN that plateaus, then an LSTM that learns), gradients that
vanish towards t = 1, and a forecast.  With ``--save`` it saves the window and exits.
"""

from __future__ import annotations

import argparse
import sys

import numpy as np
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QGridLayout, QTabWidget, QWidget

from seqlab.ui.theme import apply_theme
from seqlab.ui.views.export import export_widget_png
from seqlab.families.recurrent.ui.views.gradients_view import GradientsView
from seqlab.ui.views.loss_view import LossView
from seqlab.families.recurrent.ui.views.predictions_view import PredictionsView


def _rows(rng, steps, start, floor, rate, acc=False):
    rows = []
    for s in steps:
        loss = floor + (start - floor) * np.exp(-rate * s) + 0.03 * abs(rng.normal())
        r = {"step": s, "epoch": s // 100, "train_loss": loss, "lr": 1e-3, "time": s / 50,
             "steps_per_s": 48 + rng.normal(), "grad_norm": 2.0 * np.exp(-s / 800) + 0.2 * rng.random(),
             "grad_norm_clipped": 0.0}
        if s % 300 == 150:
            r["grad_norm"] = 40.0 * (1 + rng.random())  # an explosion, cut by clipping
        r["grad_norm_clipped"] = min(r["grad_norm"], 1.0)
        if acc:
            r["train_acc"] = 1 - loss / start * 0.8
        rows.append(r)
    return rows


def fill_loss(v: LossView, rng) -> None:
    v.start_run("r1", "RNN h=32", {"cell": "rnn", "parameters": 1153, "baseline_loss": 0.167})
    steps = np.arange(0, 2001, 10)
    v.add_rows("r1", _rows(rng, steps, 0.5, 0.16, 0.004))
    for s in range(200, 2001, 200):
        v.add_validation("r1", s, {"val_loss": 0.165 + 0.01 * rng.random()})
    v.finish_run("r1", {"stop_reason": "completed", "steps_per_s": 61.2})
    v.start_run("r2", "LSTM h=32", {"cell": "lstm", "parameters": 4513, "baseline_loss": 0.167})
    steps = np.arange(0, 1601, 10)
    v.add_rows("r2", _rows(rng, steps, 0.5, 0.01, 0.003))
    for s in range(200, 1601, 200):
        v.add_validation("r2", s, {"val_loss": 0.01 + 0.5 * np.exp(-0.003 * s)})


def fill_gradients(v: GradientsView, rng) -> None:
    T = 60
    t = np.arange(T)
    for k, step in enumerate(range(0, 2000, 10)):
        decay = 0.25 + 0.1 * k / 200  # each step back in time multiplies by ~e^-0.3
        g = np.exp(-decay * (T - 1 - t)) * (1 + 0.2 * rng.random(T)) * 0.05
        v.add_record(step, g.astype(np.float32), {
            "rnn.weight_ih_l0": 1e-3 * (1 + rng.random()), "rnn.weight_hh_l0": 3e-3 * (1 + rng.random()),
            "rnn.bias_ih_l0": 5e-4, "rnn.bias_hh_l0": 5e-4, "head.weight": 0.2, "head.bias": 0.05})
    v.add_rows(_rows(rng, np.arange(0, 2001, 10), 0.5, 0.16, 0.004))
    v.set_clip_norm(1.0)


def fill_predictions(v: PredictionsView, kind: str, rng) -> None:
    if kind == "classification":
        N, C = 200, 5
        logits = rng.normal(size=(N, C)) * 2
        y = rng.integers(0, C, N)
        logits[np.arange(N), y] += 2.5
        p = np.exp(logits) / np.exp(logits).sum(1, keepdims=True)
        v.set_predictions({"kind": "classification", "task": "many-to-one", "probs": p, "y": y,
                           "class_names": ["yes", "no", "up", "down", "left"]})
        v.set_sample(3)
    elif kind == "scatter":
        N, T = 300, 50
        x = np.stack([rng.random((N, T)), np.zeros((N, T))], -1)
        for i in range(N):
            x[i, rng.choice(T, 2, replace=False), 1] = 1
        y = (x[:, :, 0] * x[:, :, 1]).sum(1, keepdims=True)
        v.set_predictions({"kind": "regression", "task": "many-to-one", "x": x, "y": y,
                           "pred": y + 0.08 * rng.normal(size=y.shape)})
    else:
        n = 400
        tt = np.arange(n)
        true = np.sin(tt / 12) + 0.5 * np.sin(tt / 31) + 0.05 * rng.normal(size=n)
        one = true + 0.08 * rng.normal(size=n)
        t0 = 300
        free = np.sin(np.arange(t0, n) / 12) * np.exp(-np.arange(n - t0) / 80) + 0.5 * np.sin(np.arange(t0, n) / 31)
        v.set_predictions({"kind": "regression", "task": "many-to-one", "series_true": true,
                           "one_step": one, "free_running": free, "t0": t0})


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--theme", default="light")
    ap.add_argument("--presentation", action="store_true")
    ap.add_argument("--view", default="all")
    ap.add_argument("--save", default=None)
    ap.add_argument("--size", default="1280x720")
    a = ap.parse_args(argv)
    app = QApplication.instance() or QApplication(sys.argv)
    apply_theme(app, a.theme, a.presentation)
    rng = np.random.default_rng(0)
    w, h = (int(s) for s in a.size.split("x"))
    if a.view == "all":
        win = QWidget()
        g = QGridLayout(win)
        loss, grads, preds = LossView(), GradientsView(), PredictionsView()
        g.addWidget(loss, 0, 0)
        g.addWidget(grads, 0, 1)
        g.addWidget(preds, 1, 0)
        p2 = PredictionsView()
        g.addWidget(p2, 1, 1)
        fill_loss(loss, rng)
        fill_gradients(grads, rng)
        fill_predictions(preds, "series", rng)
        fill_predictions(p2, "classification", rng)
    else:
        tabs = QTabWidget()
        win = tabs
        views = {"loss": LossView, "gradients": GradientsView}
        v = views.get(a.view, PredictionsView)()
        tabs.addTab(v, a.view)
        if a.view == "loss":
            fill_loss(v, rng)
        elif a.view == "gradients":
            fill_gradients(v, rng)
        else:
            fill_predictions(v, {"predictions": "series"}.get(a.view, a.view), rng)
    win.resize(w, h)
    win.setWindowTitle("SeqLab training views demo")
    win.show()
    if a.save:
        def save():
            export_widget_png(win, a.save)
            app.quit()
        QTimer.singleShot(700, save)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
