"""The autoencoder family's spec sections: which data, and which encoder / bottleneck / decoder.

``model.encoder`` is a list of layers from the input towards the bottleneck, each
``{"size": 64, "activation": "relu"}``; the decoder mirrors it (``model.decoder`` null) or is
its own list, from the bottleneck towards the output. What a size means depends on the kind:
units of a dense layer (``mlp``), channels of a stride-2 convolution (``conv``), hidden units
of a recurrent layer (``sequence``; the LSTM/GRU has its own gates, so the activation is
not used there). Every message names the field, down to the entry:
``model.encoder[1].size must be an integer from 1 to 4096, got 0``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from seqlab.core.errors import SpecError
from seqlab.core.fields import boolean, choice, float_in, int_in, layer_list, spec_field, text

#: data sets, declared once (the builders are in data/build.py)
DATASETS = ("digits8x8", "digits28", "heartbeat", "csv-features", "csv-series")
IMAGE_SETS = ("digits8x8", "digits28")
SERIES_SETS = ("heartbeat", "csv-series")
KINDS = ("mlp", "conv", "sequence")
ACTIVATIONS = ("relu", "tanh", "sigmoid", "leaky_relu", "elu", "linear")
OUTPUTS = ("auto", "sigmoid", "linear", "tanh")
MODES = ("undercomplete", "denoising")
NOISES = ("gaussian", "salt_pepper", "mask")
CELLS = ("lstm", "gru")
MAX_LAYERS = 6
_f = spec_field


def _layers(*, optional: bool = False):
    """A checker of a list of layers; a bare size is a layer of the default activation."""
    return layer_list(ACTIVATIONS, max_layers=MAX_LAYERS, optional=optional, bare_size=True)


def _default_encoder() -> list[dict]:
    return [{"size": 64, "activation": "relu"}]


@dataclass
class DataSpec:
    """Which data the autoencoder reconstructs, and how it is cut and split."""

    name: str = _f("digits8x8", choice(*DATASETS), "data set: digits, heartbeats, or your own CSV")
    seed: int = _f(0, int_in(0, 2**31 - 1), "random seed of the data (split, signal, noise)")
    val_fraction: float = _f(0.15, float_in(0.0, 0.45), "share of the data for validation")
    test_fraction: float = _f(0.15, float_in(0.0, 0.45), "share of the data for testing")
    window: int = _f(100, int_in(8, 2000), "heartbeat / csv-series: samples per window")
    duration_s: float = _f(1200.0, float_in(60.0, 20_000.0), "heartbeat: seconds of signal generated")
    anomaly_rate: float = _f(0.03, float_in(0.0, 0.2), "heartbeat: chance that a beat starts an anomaly")
    path: str | None = _f(None, text(optional=True), "csv-features / csv-series: the CSV file to read")
    column: str | None = _f(None, text(optional=True), "csv-series: the column holding the series")
    label_column: str | None = _f(None, text(optional=True), "csv-features: a column of class labels (optional)")


@dataclass
class ModelSpec:
    """The autoencoder: its kind, encoder layers, bottleneck, decoder, and training mode."""

    kind: str = _f("mlp", choice(*KINDS), "mlp (dense layers), conv (images) or sequence (LSTM/GRU, series)")
    encoder: list = field(default_factory=_default_encoder, metadata={
        "check": _layers(), "help": "encoder layers from the input to the bottleneck"})
    latent: int = _f(8, int_in(1, 1024), "size of the bottleneck (the latent code)")
    decoder: list | None = field(default=None, metadata={
        "check": _layers(optional=True), "help": "decoder layers from the bottleneck out; null mirrors the encoder"})
    output_activation: str = _f("auto", choice(*OUTPUTS),
                                "activation of the reconstruction; auto: sigmoid for images, linear otherwise")
    batch_norm: bool = _f(False, boolean, "batch normalisation after each dense / convolutional layer")
    mode: str = _f("undercomplete", choice(*MODES), "undercomplete, or denoising (noisy input, clean target)")
    noise: str = _f("gaussian", choice(*NOISES), "denoising: the kind of corruption")
    noise_level: float = _f(0.3, float_in(0.0, 1.0), "denoising: noise std (gaussian) or share of values hit")
    cell: str = _f("lstm", choice(*CELLS), "sequence autoencoder: the recurrent cell")


def decoder_layers(m: ModelSpec) -> list[dict]:
    """The decoder's layers from the bottleneck outwards (the encoder's, reversed, unless given)."""
    return [dict(x) for x in (m.decoder if m.decoder is not None else list(reversed(m.encoder)))]


def check(spec) -> None:
    """Cross-field rules of the autoencoder sections."""
    m, d = spec.model, spec.data
    if d.val_fraction + d.test_fraction > 0.6:
        raise SpecError("data.val_fraction + data.test_fraction must leave at least 40% for training",
                        path="data.test_fraction")
    if d.name in ("csv-features", "csv-series") and not d.path:
        raise SpecError(f"data.path must name a CSV file when data.name is {d.name!r}", path="data.path")
    if m.kind == "conv" and d.name not in IMAGE_SETS:
        raise SpecError("model.kind 'conv' is for images: choose digits8x8 or digits28, or model.kind 'mlp'",
                        path="model.kind")
    if m.kind == "sequence" and d.name not in SERIES_SETS:
        raise SpecError("model.kind 'sequence' reads a series: choose heartbeat or csv-series, or model.kind "
                        "'mlp'", path="model.kind")
    if m.kind == "conv":
        side = 8 if d.name == "digits8x8" else 28
        if len(m.encoder) > 3:
            raise SpecError(f"model.encoder has {len(m.encoder)} layers; a conv autoencoder halves the "
                            f"{side}x{side} image per layer, so at most 3", path="model.encoder")
        if m.decoder is not None and len(m.decoder) != len(m.encoder):
            raise SpecError("model.decoder must have as many layers as model.encoder in a conv autoencoder "
                            "(each doubles the image back)", path="model.decoder")
    if m.mode == "undercomplete":
        n_in = {"digits8x8": 64, "digits28": 784}.get(d.name, d.window if d.name in SERIES_SETS else None)
        if n_in is not None and m.latent >= n_in:
            raise SpecError(f"model.latent ({m.latent}) must be smaller than the input ({n_in} values) for an "
                            "undercomplete autoencoder; otherwise it can learn to copy", path="model.latent")


__all__ = ["DataSpec", "ModelSpec", "DATASETS", "IMAGE_SETS", "SERIES_SETS", "KINDS", "ACTIVATIONS",
           "OUTPUTS", "MODES", "NOISES", "CELLS", "MAX_LAYERS", "decoder_layers", "check"]
