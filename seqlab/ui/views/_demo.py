"""A window that fills the trace views with a synthetic trace and animates it.

    python -m seqlab.ui.views._demo [--dark] [--presentation] [--cell lstm|gru|rnn]
                                    [--tab hidden|gates] [--bidirectional] [--layers N]

The trace is a real forward pass of a small random network, computed here with numpy in
PyTorch's equations and gate order (so the numbers in the cell diagram add up), on a
mixture of sinusoids.  No torch is needed.
"""

from __future__ import annotations

import argparse
import sys

import numpy as np


def _sig(a):
    return 1.0 / (1.0 + np.exp(-a))


def make_trace(cell: str = "lstm", T: int = 60, H: int = 16, F: int = 2, num_layers: int = 1,
               bidirectional: bool = False, seed: int = 0, scale: float = 2.2,
               forget_bias: float = 1.0):
    """(trace, x, weights): a random network's every gate and state on a sine mixture.

    Arrays follow the TRACE.npz contract ([layers*directions, T, H], layer-major, forward
    before reverse; PyTorch's z for the GRU) and the weights PyTorch's names.
    """
    rng = np.random.default_rng(seed)
    t = np.arange(T, dtype=np.float64)
    x = np.stack([np.sin(2 * np.pi * t / (12 + 7 * k) + k) + 0.15 * rng.standard_normal(T)
                  for k in range(F)], axis=1)
    G = {"rnn": 1, "lstm": 4, "gru": 3}[cell]
    D = 2 if bidirectional else 1
    names = {"rnn": ("h",), "lstm": ("h", "c", "i", "f", "g", "o"), "gru": ("h", "r", "z", "n")}
    out = {k: np.zeros((num_layers * D, T, H)) for k in names[cell]}
    weights = {}
    inp = x
    k_init = scale / np.sqrt(H)
    for layer in range(num_layers):
        outs = []
        for d in range(D):
            sfx = f"_l{layer}" + ("_reverse" if d else "")
            w_ih = rng.uniform(-k_init, k_init, (G * H, inp.shape[1]))
            w_hh = rng.uniform(-k_init, k_init, (G * H, H))
            b_ih = rng.uniform(-k_init, k_init, G * H)
            b_hh = rng.uniform(-k_init, k_init, G * H)
            if cell == "lstm":
                b_ih[H:2 * H] += forget_bias
            weights.update({"rnn.weight_ih" + sfx: w_ih, "rnn.weight_hh" + sfx: w_hh,
                            "rnn.bias_ih" + sfx: b_ih, "rnn.bias_hh" + sfx: b_hh})
            row = layer * D + d
            h = np.zeros(H)
            c = np.zeros(H)
            steps = range(T - 1, -1, -1) if d else range(T)
            for s in steps:
                a_x = w_ih @ inp[s] + b_ih
                a_h = w_hh @ h + b_hh
                if cell == "lstm":
                    a = a_x + a_h
                    i, f = _sig(a[:H]), _sig(a[H:2 * H])
                    g, o = np.tanh(a[2 * H:3 * H]), _sig(a[3 * H:])
                    c = f * c + i * g
                    h = o * np.tanh(c)
                    for k, v in zip("cifgo", (c, i, f, g, o)):
                        out[k][row, s] = v
                elif cell == "gru":
                    r = _sig(a_x[:H] + a_h[:H])
                    z = _sig(a_x[H:2 * H] + a_h[H:2 * H])
                    n = np.tanh(a_x[2 * H:] + r * a_h[2 * H:])
                    h = (1 - z) * n + z * h
                    for k, v in zip("rzn", (r, z, n)):
                        out[k][row, s] = v
                else:
                    h = np.tanh(a_x + a_h)
                out["h"][row, s] = h
            outs.append(out["h"][row])
        inp = np.concatenate(outs, axis=1)
    trace = {k: v.astype(np.float32) for k, v in out.items()}
    return trace, x.astype(np.float32), {k: v.astype(np.float32) for k, v in weights.items()}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dark", action="store_true", help="dark theme")
    ap.add_argument("--presentation", action="store_true", help="large fonts and lines")
    ap.add_argument("--cell", default="lstm", choices=("lstm", "gru", "rnn"))
    ap.add_argument("--tab", default="gates", choices=("hidden", "gates"))
    ap.add_argument("--task", default="many-to-many")
    ap.add_argument("--bidirectional", action="store_true")
    ap.add_argument("--layers", type=int, default=1)
    ap.add_argument("--T", type=int, default=60)
    ap.add_argument("--H", type=int, default=16)
    ap.add_argument("--F", type=int, default=2)
    ap.add_argument("--time", type=int, default=22, help="start at this time index")
    ap.add_argument("--unit", type=int, default=3)
    ap.add_argument("--no-play", action="store_true")
    ap.add_argument("--speed", type=float, default=2.0, help="steps per second")
    ap.add_argument("--size", default="1280x720", help="window size WxH")
    args = ap.parse_args(argv)

    from PySide6.QtWidgets import (
        QApplication, QCheckBox, QComboBox, QFormLayout, QHBoxLayout, QLabel, QMainWindow,
        QTabWidget, QVBoxLayout, QWidget,
    )

    from seqlab.ui.theme import apply_theme
    from seqlab.ui.views.gates_view import GatesView
    from seqlab.ui.views.hidden_state_view import HiddenStateView
    from seqlab.ui.views.unrolled_net import TASKS, UnrolledNetwork
    from seqlab.ui.widgets.timeline import TimelineScrubber

    app = QApplication.instance() or QApplication(sys.argv)
    tm = apply_theme(app, "dark" if args.dark else "light", args.presentation)

    win = QMainWindow()
    win.setWindowTitle("SeqLab – trace views demo")
    timeline = TimelineScrubber(theme=tm)
    hidden = HiddenStateView(timeline=timeline, theme=tm)
    gates = GatesView(timeline=timeline, theme=tm)
    tabs = QTabWidget()
    tabs.addTab(hidden, "Hidden state")
    tabs.addTab(gates, "Gates")
    tabs.setCurrentWidget(gates if args.tab == "gates" else hidden)

    unrolled = UnrolledNetwork(theme=tm)
    cell_box = QComboBox()
    cell_box.addItems(["lstm", "gru", "rnn"])
    cell_box.setCurrentText(args.cell)
    task_box = QComboBox()
    task_box.addItems(list(TASKS))
    task_box.setCurrentText(args.task)
    bi = QCheckBox("bidirectional")
    bi.setChecked(args.bidirectional)
    layers = QComboBox()
    layers.addItems(["1", "2", "3", "4"])
    layers.setCurrentText(str(args.layers))
    dark = QCheckBox("dark theme")
    dark.setChecked(args.dark)
    pres = QCheckBox("presentation mode")
    pres.setChecked(args.presentation)

    left = QWidget()
    form = QFormLayout(left)
    title = QLabel("MODEL")
    title.setStyleSheet("font-weight: bold;")
    form.addRow(title)
    form.addRow("cell", cell_box)
    form.addRow("RNN type", task_box)
    form.addRow("layers", layers)
    form.addRow(bi)
    form.addRow(unrolled)
    form.addRow(dark)
    form.addRow(pres)

    centre = QWidget()
    cl = QVBoxLayout(centre)
    cl.setContentsMargins(0, 0, 0, 0)
    cl.addWidget(tabs, 1)
    cl.addWidget(timeline)
    root = QWidget()
    rl = QHBoxLayout(root)
    rl.addWidget(left)
    rl.addWidget(centre, 1)
    win.setCentralWidget(root)

    def reload() -> None:
        cell = cell_box.currentText()
        L = int(layers.currentText())
        trace, x, w = make_trace(cell, args.T, args.H, args.F, L, bi.isChecked())
        hidden.set_trace(trace, x, cell, L, bi.isChecked(), weights=w)
        gates.set_trace(trace, x, cell, L, bi.isChecked(), weights=w)
        unrolled.set_config(task_box.currentText(), cell, L, bi.isChecked())

    for w in (cell_box, task_box, layers):
        w.currentTextChanged.connect(lambda *_: reload())
    bi.toggled.connect(lambda *_: reload())
    dark.toggled.connect(lambda on: tm.set_theme("dark" if on else "light"))

    def on_pres(on: bool) -> None:
        tm.set_presentation(on)

    pres.toggled.connect(on_pres)
    left.setFixedWidth(300)  # the demo's controls; the views are what is on show
    reload()
    timeline.set_time(args.time)
    gates.set_unit(args.unit)
    hidden.set_unit(args.unit)
    timeline.set_speed(args.speed)
    if not args.no_play:
        timeline.play()
    w_, h_ = (int(v) for v in args.size.lower().split("x"))
    win.resize(w_, h_)
    win.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
