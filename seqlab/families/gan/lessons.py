"""The GAN family's lessons: presets, the views they open, what to notice.

Data only (``seqlab.core.lesson``); importing this module is cheap (no torch, no Qt).
The settings were measured (tests/families/gan, ``docs`` of the report): the default GAN
covers all 8 modes of the ring within 1,500 steps for seeds 0-5; a generator that learns
a thousand times faster than its
discriminator collapses (seeds 0-4: at most 1 mode covered from step 500 to 2,500).
"""

from __future__ import annotations

from typing import Any

from seqlab.core.lesson import Experiment, Lesson

#: Views a lesson of this family can open, by key (the workspace's tabs).
VIEWS = ("loss", "plane", "metrics", "coverage", "images")

_RING = {"name": "ring8", "samples": 2000, "seed": 0}
_TRAIN_2D = {"batch_size": 64, "epochs": 10_000, "max_steps": 3000, "seed": 0, "log_every": 10,
             "eval_every": 100, "device": "cpu"}


def facts(spec) -> dict[str, Any]:
    m = spec.model
    return {"lr_g": f"{m.lr_g:g}", "lr_d": f"{m.lr_d:g}", "ratio": f"{m.lr_g / m.lr_d:g}",
            "steps": spec.train.max_steps, "noise_dim": m.noise_dim,
            "g_layers": " → ".join(str(L["size"]) for L in m.generator)}


GAN_2D = Lesson(
    name="gan-2d",
    title="A GAN learns a ring of 8 Gaussians",
    summary="A generator turns noise into 2-D points; a discriminator learns to tell them from the real ring.",
    experiments=(Experiment("GAN on the ring", {
        "family": "gan", "name": "gan-2d", "data": _RING, "model": {}, "train": _TRAIN_2D}),),
    views=("plane", "metrics", "coverage"),
    facts=facts,
    notice=(
        "Press <b>Start</b>. In <b>G and D</b> the background is D(x), the "
        "discriminator's probability that a point is real (dark: fake, bright: real); the small dots "
        "are the real ring, the large ones G's samples from a fixed batch of noise z.",
        "The arrows are −∂J<sub>G</sub>/∂x at generated points: where G's loss pushes them. They "
        "climb D's slope towards the bright regions, i.e. towards the real modes.",
        "Open <b>GAN metrics</b>: J<sub>D</sub> = −mean log D(x) − mean log(1 − D(G(z))) and "
        "J<sub>G</sub> = −mean log D(G(z)) do not fall together: they fight. At the equilibrium "
        "D(x) ≈ D(G(z)) ≈ ½ and J<sub>D</sub> ≈ 2 ln 2 ≈ 1.39.",
        "Open <b>Mode coverage</b>: how many of the 8 modes hold generated samples, and the share "
        "of samples far from every mode. Within about 1,500 steps all 8 modes are covered.",
        "Try <b>Train: D only</b> in the Model panel while it runs: D sharpens, G stands still; "
        "then <b>G only</b>: G chases the bright regions of a frozen D and overshoots.",
    ),
)

GAN_MODE_COLLAPSE = Lesson(
    name="gan-mode-collapse",
    title="Mode collapse, and a fix",
    summary="A generator that learns far faster than its discriminator collapses: every z gives the same point.",
    experiments=(
        Experiment("G lr {lr_g}, D lr {lr_d}: collapses", {
            "family": "gan", "name": "gan-mode-collapse", "data": _RING,
            "model": {"lr_g": 0.01, "lr_d": 0.00001}, "train": {**_TRAIN_2D, "max_steps": 2500}}),
        Experiment("G lr {lr_g}, D lr {lr_d}: the fix", {
            "family": "gan", "name": "gan-mode-collapse", "data": _RING,
            "model": {"lr_g": 0.002, "lr_d": 0.002}, "train": {**_TRAIN_2D, "max_steps": 2500}}),
    ),
    views=("plane", "coverage", "metrics"),
    facts=facts,
    notice=(
        "<b>Start</b> trains two GANs on the ring, one after the other. The first one's generator "
        "learns a thousand times faster than its discriminator (lr 0.01 against 0.00001).",
        "In <b>G and D</b> watch G's samples: they all run to the spot D currently "
        "rates most real (the brightest) and bunch up there; D, too slow to follow, never darkens it "
        "in time. Every z gives nearly the same point: <i>mode collapse</i>.",
        "Open <b>Mode coverage</b>: the number of covered modes stays at 0-2 of 8, the far share near "
        "100%, and after 1,000 steps the status line says <i>mode collapse</i>.",
        "The second run is the fix: D learns as fast as G (both {lr_d}), so it keeps up and punishes "
        "a bunched-up G at once; the coverage climbs to 8 of 8 (compare the two runs' lines).",
    ),
)

_DIGITS_TRAIN = {"batch_size": 64, "epochs": 10_000, "max_steps": 2500, "seed": 0, "log_every": 10,
                 "eval_every": 250, "device": "cpu"}

CGAN_DIGITS = Lesson(
    name="cgan-digits",
    title="A conditional GAN draws the digit you ask for",
    summary="G and D are both given the digit's label, so G learns to draw a chosen digit.",
    experiments=(Experiment("conditional GAN, 8x8 digits", {
        "family": "gan", "name": "cgan-digits", "data": {"name": "digits8x8", "seed": 0},
        "model": {"kind": "mlp", "conditional": True, "noise_dim": 16,
                  "generator": [{"size": 128, "activation": "relu"}, {"size": 256, "activation": "relu"}],
                  "discriminator": [{"size": 256, "activation": "leaky_relu"},
                                    {"size": 128, "activation": "leaky_relu"}],
                  "batch_norm": True, "lr_g": 0.001, "lr_d": 0.001, "beta1": 0.5},
        "train": _DIGITS_TRAIN}),),
    views=("images", "metrics"),
    facts=facts,
    notice=(
        "Press <b>Start</b>. <b>Generated images</b> shows G(z, y) for a FIXED batch of noise z: "
        "row y is the digit asked for. Same z every frame, so you watch the same pictures evolve.",
        "G reads [z ; one-hot(y)] and D reads [x ; one-hot(y)]: D rejects a good-looking 3 when the "
        "label said 7, so G must draw the digit it is told to.",
        "Pick a digit in the <b>Digit</b> box under the view: 16 noise vectors, one label. The noise "
        "sets the style (slant, thickness), the label sets which digit.",
        "Open <b>GAN metrics</b>: D(x) and D(G(z)) move towards each other as G improves; if D(G(z)) "
        "stays near 0, D is winning.",
    ),
)

LESSONS = {lesson.name: lesson for lesson in (GAN_2D, GAN_MODE_COLLAPSE, CGAN_DIGITS)}

__all__ = ["LESSONS", "VIEWS", "GAN_2D", "GAN_MODE_COLLAPSE", "CGAN_DIGITS"]
