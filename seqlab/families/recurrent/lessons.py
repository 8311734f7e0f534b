"""The recurrent family's lessons: presets, the views they open, what to notice.

Data only (``seqlab.core.lesson``): the window fills its panels from them. Importing this
module is cheap (no torch, no Qt): ``seqlab lessons`` lists them.
"""

from __future__ import annotations

from typing import Any

from seqlab.core.lesson import Experiment, Lesson

#: Views a lesson of this family can open, by key (the workspace's tabs).
VIEWS = ("loss", "hidden", "gates", "gradients", "predictions")


def facts(spec) -> dict[str, Any]:
    """Numbers of an experiment that lesson texts may quote."""
    import math

    d, m = spec.data, spec.model
    k = d.n_symbols
    fb = m.forget_bias
    if fb == "chrono":
        forget = ("chrono initialisation (b<sub>f</sub> = log U(1, T−1)): each unit starts keeping "
                  "most of its cell state over a time scale of its own")
    elif fb is None:
        forget = "PyTorch's default forget bias (f ≈ σ(0) = 0.5: it halves c<sub>t</sub> every step)"
    else:
        forget = f"a forget bias of {fb:g} (f ≈ σ({fb:g}) ≈ {1 / (1 + math.exp(-fb)):.2f})"
    return {"lag": d.lag, "steps": d.lag + 2, "symbols": k, "chance_pct": f"{100 / k:.1f}".rstrip("0").rstrip("."),
            "ln_symbols": f"{math.log(k):.2f}", "forget": forget, "hidden": m.hidden_size,
            "seq_len": d.seq_len, "max_steps": spec.train.max_steps or "all"}


def _compare(data: dict, train: dict, *variants: tuple[str, str, dict]) -> tuple[Experiment, ...]:
    """Experiments on the same data and training that differ in the model alone:
    variants are (label, experiment name, model section)."""
    return tuple(Experiment(label, {"name": name, "data": data, "model": model, "train": train})
                 for label, name, model in variants)


# --- the lessons ----------------------------------------------------------------------------

_SINE = {"name": "sine", "seq_len": 50, "samples": 2000, "noise": 0.05, "seed": 0}

LSTM_SINE = Lesson(
    name="lstm-sine",
    title="An LSTM learns sine waves",
    summary="An LSTM reads noisy sums of sine waves and learns to predict the next value.",
    experiments=(Experiment("LSTM on sine waves", {
        "name": "lstm-sine",
        "data": _SINE,
        "model": {"cell": "lstm", "hidden_size": 32, "task": "many-to-many"},
        "train": {"optimizer": "adam", "lr": 0.01, "batch_size": 64, "epochs": 400,
                  "max_steps": 8000, "log_every": 5, "gtt_every": 50, "eval_every": 50},
    }),),
    views=("loss", "hidden", "gates", "predictions", "gradients"),
    facts=facts,
    notice=(
        "Press <b>Start</b>. The <b>loss</b> (mean squared error of the next value) falls within "
        "seconds, far below the dashed line of the trivial predictor that always guesses the mean.",
        "Open <b>Hidden state</b>: each row is one of the 32 units, each column a time step. "
        "h<sub>t</sub> = o<sub>t</sub> ⊙ tanh(c<sub>t</sub>) lies between −1 and 1; "
        "watch units settle into waves that follow the input.",
        "Open <b>Gates</b> and click a cell: the forget gate "
        "f<sub>t</sub> = σ(W<sub>f</sub>[h<sub>t−1</sub>, x<sub>t</sub>] + b<sub>f</sub>) decides how much "
        "of c<sub>t−1</sub> to keep; c<sub>t</sub> = f<sub>t</sub> ⊙ c<sub>t−1</sub> + i<sub>t</sub> ⊙ c̃<sub>t</sub>.",
        "Press <b>Space</b> to animate through time, <b>←/→</b> to step; slow it down with the speed box.",
        "Open <b>Predictions</b>: one-step predictions see the true past; the free-running "
        "forecast feeds on its own outputs, and its errors add up.",
    ),
)

# The long-lag memory task, as tuned in examples/vanishing-gradient (read from there when the
# files exist; this copy is used when they do not): 8 symbols, lag 200, chrono forget bias.
_MEMORY = {"name": "memory", "lag": 200, "n_symbols": 8, "samples": 4000, "seed": 0}
_MEMORY_TRAIN = {"optimizer": "adam", "lr": 0.005, "batch_size": 64, "epochs": 1000,
                 "max_steps": 800, "clip_norm": 1.0, "seed": 0, "log_every": 20, "gtt_every": 50}

VANISHING = Lesson(
    name="vanishing-gradient",
    title="Vanishing gradients: RNN against LSTM on a long lag",
    summary="A vanilla RNN and an LSTM must remember a symbol across a long run of distractors.",
    experiments=(
        Experiment("vanilla RNN, lag {lag}", {
            "name": "Vanishing gradient", "data": _MEMORY,
            "model": {"cell": "rnn", "hidden_size": 32, "task": "many-to-one", "forget_bias": "chrono"},
            "train": _MEMORY_TRAIN,
        }, file="examples/vanishing-gradient/rnn.json"),
        Experiment("LSTM, lag {lag}", {
            "name": "Vanishing gradient", "data": _MEMORY,
            "model": {"cell": "lstm", "hidden_size": 32, "task": "many-to-one", "forget_bias": "chrono"},
            "train": _MEMORY_TRAIN,
        }, file="examples/vanishing-gradient/lstm.json"),
    ),
    views=("loss", "gradients", "gates", "hidden", "predictions"),
    facts=facts,
    notice=(
        "<b>Start</b> trains the vanilla RNN, then the LSTM, on the same data: the symbol shown at "
        "the first step (one of {symbols}) must be named after {lag} distractor steps. Guessing "
        "scores {chance_pct}% (loss ln {symbols} ≈ {ln_symbols}).",
        "The RNN's loss stays near guessing: "
        "∂L/∂h<sub>1</sub> = ∂L/∂h<sub>T</sub> · ∏<sub>t</sub> W<sub>hh</sub><sup>⊤</sup> diag(1 − h<sub>t</sub><sup>2</sup>) "
        "shrinks (or blows up) with every one of the {lag} factors, so the first step gets no useful signal.",
        "Open <b>Gradients</b>: each row is one training step, each column a time step t. "
        "For the RNN the colour fades by orders of magnitude towards t = 1; pick the LSTM's run to compare.",
        "The LSTM's cell state is additive, c<sub>t</sub> = f<sub>t</sub> ⊙ c<sub>t−1</sub> + i<sub>t</sub> ⊙ c̃<sub>t</sub>, "
        "and it starts with {forget}: the gradient survives {lag} steps and its loss falls.",
        "Open <b>Gates</b> on the LSTM: the forget gate stays bright (near 1) through the distractors.",
    ),
)

_SUNSPOTS = {"name": "sunspots", "seq_len": 24, "seed": 0}
_SUN_TRAIN = {"optimizer": "adam", "lr": 0.01, "batch_size": 32, "epochs": 300, "max_steps": 2500,
              "log_every": 5, "gtt_every": 50, "eval_every": 25}

GRU_VS_LSTM = Lesson(
    name="gru-vs-lstm",
    title="GRU against LSTM on yearly sunspots",
    summary="A GRU and an LSTM of the same width forecast the 11-year sunspot cycle.",
    experiments=_compare(_SUNSPOTS, _SUN_TRAIN,
                         ("GRU, 32 units", "gru-sunspots", {"cell": "gru", "hidden_size": 32, "task": "many-to-many"}),
                         ("LSTM, 32 units", "lstm-sunspots", {"cell": "lstm", "hidden_size": 32, "task": "many-to-many"})),
    views=("loss", "gates", "predictions", "hidden", "gradients"),
    facts=facts,
    notice=(
        "<b>Start</b> trains a GRU, then an LSTM, on sunspot numbers 1700-2008 (split in time: "
        "the last years are validation and test). The table beside the loss compares their sizes.",
        "A GRU has 3 weight blocks (reset, update, candidate), an LSTM 4 (input, forget, candidate, "
        "output): with 32 units the GRU has about ¾ of the parameters, and often learns as well.",
        "GRU: h<sub>t</sub> = u<sub>t</sub> ⊙ c̃<sub>t</sub> + (1 − u<sub>t</sub>) ⊙ h<sub>t−1</sub>. "
        "PyTorch writes the same with z = 1 − u, so the view shows u = 1 − z.",
        "Open <b>Gates</b>: the reset gate r<sub>t</sub> decides how much of h<sub>t−1</sub> the candidate "
        "c̃<sub>t</sub> = tanh(W x<sub>t</sub> + r<sub>t</sub> ⊙ (U h<sub>t−1</sub>)) may use (PyTorch resets "
        "after the weights U; the cell diagram says how the textbook's form differs).",
        "Open <b>Predictions</b>: the free-running forecast drifts from the truth after a cycle or "
        "two; errors compound once the model feeds on its own output.",
    ),
)

# Lag 60, 4 symbols: a one-way vanilla RNN stays near 50% in 600 steps; bidirectional, 100%.
_MEMORY_BI = {"name": "memory", "lag": 60, "n_symbols": 4, "samples": 3000, "seed": 0}
_BI_TRAIN = {"optimizer": "adam", "lr": 0.005, "batch_size": 64, "epochs": 100, "max_steps": 600,
             "clip_norm": 1.0, "log_every": 5, "gtt_every": 25, "eval_every": 50}

BIDIRECTIONAL = Lesson(
    name="bidirectional",
    title="Bidirectional RNN: reading the sequence both ways",
    summary="A one-way RNN and a bidirectional RNN must recall the first symbol of a long sequence.",
    experiments=_compare(_MEMORY_BI, _BI_TRAIN,
                         ("RNN, one direction", "rnn-forward", {"cell": "rnn", "hidden_size": 32, "task": "many-to-one"}),
                         ("RNN, bidirectional", "rnn-bidirectional",
                          {"cell": "rnn", "hidden_size": 32, "task": "many-to-one", "bidirectional": True})),
    views=("loss", "hidden", "gradients", "predictions"),
    facts=facts,
    notice=(
        "<b>Start</b> trains a one-way vanilla RNN, then a bidirectional one, on the memory task: "
        "name the symbol (one of {symbols}) shown at the first of {steps} steps.",
        "A bidirectional RNN runs two RNNs: h→<sub>t</sub> reads x<sub>1</sub> … x<sub>t</sub>, "
        "h←<sub>t</sub> reads x<sub>T</sub> … x<sub>t</sub>; the output reads [h→<sub>T</sub> ; h←<sub>1</sub>].",
        "The backward direction sees the first symbol last, right before it answers: no long "
        "lag to bridge, so its loss falls at once, while the one-way RNN's stays high.",
        "Open <b>Hidden state</b>: forward and backward states are drawn one above the other, "
        "their concatenation beside them.",
        "A bidirectional model needs the whole sequence before it answers: fine for classifying a "
        "sentence, impossible for forecasting the future.",
    ),
)

LESSONS: dict[str, Lesson] = {l.name: l for l in (LSTM_SINE, VANISHING, GRU_VS_LSTM, BIDIRECTIONAL)}

#: The lesson the lab opens with.
DEFAULT_LESSON = "lstm-sine"

__all__ = ["LESSONS", "DEFAULT_LESSON", "VIEWS", "facts"]
