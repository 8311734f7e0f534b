"""The autoencoder family's lessons: presets, the views they open, what to notice.

Data only (``seqlab.core.lesson``); each experiment is read from its file under
``examples/autoencoder/`` when it exists, so a tuned example and the lesson never disagree.
Settings are chosen to show their point within ~30 s on a 2-core CPU.
"""

from __future__ import annotations

from typing import Any

from seqlab.core.lesson import Experiment, Lesson

#: Views a lesson of this family can open, by key (the workspace's tabs).
VIEWS = ("loss", "reconstructions", "latent", "baseline", "anomaly")


def facts(spec) -> dict[str, Any]:
    """Numbers of an experiment that lesson texts may quote."""
    m, d = spec.model, spec.data
    n_in = {"digits8x8": 64, "digits28": 784}.get(d.name, d.window)
    return {"latent": m.latent, "inputs": n_in, "layers": "–".join(str(x["size"]) for x in m.encoder),
            "noise": m.noise.replace("_", " "), "level": f"{m.noise_level:g}", "window": d.window,
            "ratio": f"{n_in / m.latent:.0f}"}



_TRAIN = {"optimizer": "adam", "batch_size": 64, "log_every": 5, "eval_every": 40}

DIGITS = Lesson(
    name="autoencoder-digits",
    title="Digits squeezed through a bottleneck",
    summary="An MLP autoencoder learns to rebuild 8x8 digits from a code of a few numbers, "
            "and beats PCA with as many components.",
    experiments=(Experiment("MLP autoencoder {layers}→{latent}", {
        "family": "autoencoder", "name": "autoencoder-digits", "data": {"name": "digits8x8"},
        "model": {"kind": "mlp", "encoder": [{"size": 64, "activation": "relu"}], "latent": 2},
        "train": {**_TRAIN, "lr": 0.005, "epochs": 200}}, file="examples/autoencoder/digits-mlp.json"),),
    views=("reconstructions", "latent", "baseline", "loss"),
    facts=facts,
    notice=(
        "Press <b>Start</b>. Each {inputs}-pixel digit is encoded into just <b>{latent}</b> numbers "
        "z = f(W x + b) (the bottleneck) and decoded back by g into a reconstruction. The loss is the mean "
        "squared error between the input and its reconstruction.",
        "<b>Reconstructions</b>: top row the inputs, middle the autoencoder's reconstruction, bottom PCA with "
        "{latent} components. Blurry at first, the digits sharpen as the loss falls.",
        "<b>Latent space</b>: each validation digit is a dot at its code, coloured by its label. "
        "Digits of a kind gather although no label was used in training. Click anywhere to decode "
        "that point.",
        "<b>AE vs PCA</b>: PCA is the best <i>linear</i> autoencoder; with the same {latent} numbers "
        "the non-linear one reconstructs better — the bar says by how much.",
        "Try it: raise the latent size in the Model panel to 8 and Start again; both errors fall, "
        "and the gap narrows.",
    ),
)

DENOISING = Lesson(
    name="denoising",
    title="A denoising autoencoder cleans up noisy digits",
    summary="Trained on corrupted inputs against clean targets, the autoencoder learns to remove noise.",
    experiments=(Experiment("denoising AE, {noise} noise {level}", {
        "family": "autoencoder", "name": "denoising", "data": {"name": "digits8x8"},
        "model": {"kind": "mlp", "encoder": [{"size": 128, "activation": "relu"}, {"size": 64, "activation": "relu"}],
                  "latent": 16, "mode": "denoising", "noise": "gaussian", "noise_level": 0.4},
        "train": {**_TRAIN, "lr": 0.003, "epochs": 150}}, file="examples/autoencoder/denoising.json"),),
    views=("reconstructions", "baseline", "latent", "loss"),
    facts=facts,
    notice=(
        "Press <b>Start</b>. Every step each digit gets fresh {noise} noise (level {level}); the loss "
        "compares the output with the <i>clean</i> digit: L = ‖x − g(f(x̃))‖².",
        "<b>Reconstructions</b>: the top row is what the network sees (noisy), the second the clean "
        "target, the third its output. The noise disappears; the digit stays.",
        "<b>AE vs PCA</b>: PCA given the same noisy inputs also smooths, but keeps more of the noise.",
        "Try it: change the noise to salt &amp; pepper or mask, or raise the level, and Start again.",
    ),
)

ANOMALY = Lesson(
    name="anomaly-heartbeat",
    title="Finding odd heartbeats by reconstruction error",
    summary="An autoencoder trained on normal heartbeats only reconstructs anomalies badly; a "
            "threshold on its error flags them.",
    experiments=(Experiment("MLP autoencoder on heartbeats", {
        "family": "autoencoder", "name": "anomaly-heartbeat",
        "data": {"name": "heartbeat", "window": 100, "duration_s": 1200, "anomaly_rate": 0.03},
        "model": {"kind": "mlp", "encoder": [{"size": 64, "activation": "relu"}], "latent": 8},
        "train": {**_TRAIN, "lr": 0.003, "epochs": 150}}, file="examples/autoencoder/heartbeat-anomaly.json"),),
    views=("anomaly", "reconstructions", "baseline", "loss"),
    facts=facts,
    notice=(
        "Press <b>Start</b>. The autoencoder sees windows of {window} samples of <i>normal</i> heartbeat "
        "only (premature beats, dropouts, noise bursts and baseline shifts were left out of training).",
        "<b>Anomaly</b>, top: the histogram of reconstruction errors of the validation windows, normal "
        "and anomalous apart. Anomalies are rebuilt badly, so their errors lie to the right.",
        "Drag the dashed <b>threshold</b>: windows to its right are flagged. Precision (flags that are "
        "right), recall (anomalies found) and F1 = 2PR / (P + R) change as you drag.",
        "Below, the signal with the flagged stretches shaded and the true anomalies marked underneath: "
        "compare where they agree.",
        "<b>Reconstructions</b>: a normal window is rebuilt closely, an anomalous one is not.",
    ),
)

LESSONS = {lesson.name: lesson for lesson in (DIGITS, DENOISING, ANOMALY)}

__all__ = ["LESSONS", "VIEWS", "facts"]
