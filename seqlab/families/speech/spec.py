"""The speech family's spec sections: which spoken words, which features, which recurrent net.

``data`` says where the 1-second clips come from (the built-in espeak-ng set or a folder of
the user's WAV clips), which words to keep, how training clips are augmented, and the MFCC
front end (window, hop, mel bands, coefficients, deltas; speech defaults 16 kHz, 25 ms,
10 ms, 40, 13). ``model`` is the recurrent family's own section, imported (cell, hidden
size, layers, direction, initialisation, forget bias); a keyword recogniser reads the whole
clip and answers once, so its task must be many-to-one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from seqlab.core.errors import SpecError
from seqlab.core.fields import (boolean, choice, float_in, int_in, section_field_help, section_validated,
                                spec_field, text)
from seqlab.families.recurrent import spec as rspec

DATASETS = ("spoken-words", "wav-folder")
SAMPLE_RATE = 16000          # every clip is resampled to this rate on import; the features read it

_f = spec_field


def _words(path: str, v: Any):
    if v is None:
        return None
    if (not isinstance(v, list) or not v or len(v) > 64
            or not all(isinstance(w, str) and w.strip() == w and w for w in v)):
        raise SpecError(f"{path} must be null (every word) or a list of 1-64 words, e.g. [\"yes\", \"no\"], "
                        f"got {v!r}", path=path)
    if len(set(v)) != len(v):
        raise SpecError(f"{path} names a word twice: {v!r}", path=path)
    return list(v)


_words.doc = 'null (all words) or a list such as ["yes", "no", "seven"]'


@dataclass
class DataSpec:
    """Which spoken words, how they are augmented, and the MFCC features the network reads."""

    name: str = _f("spoken-words", choice(*DATASETS), "built-in spoken words, or a folder of your own WAV clips")
    path: str | None = _f(None, text(optional=True), "wav-folder: the folder holding one subfolder per word")
    words: list | None = _f(None, _words, "the words to recognise (the others are left out)")
    silence: bool = _f(True, boolean, "add a _silence_ class of background noise")
    unknown: bool = _f(False, boolean, "spoken-words: add an _unknown_ class of other words")
    augment: bool = _f(True, boolean, "shift, gain and background noise on training clips")
    noise_level: float = _f(0.3, float_in(0.0, 1.0), "loudest noise-to-speech ratio of augmentation")
    copies: int = _f(2, int_in(1, 20), "augmented copies of each training clip")
    seed: int = _f(0, int_in(0, 2**31 - 1), "random seed of the augmentation")
    window_ms: float = _f(25.0, float_in(5.0, 100.0), "analysis window of one frame (ms)")
    hop_ms: float = _f(10.0, float_in(2.0, 50.0), "step between frames (ms)")
    n_mels: int = _f(40, int_in(8, 128), "mel bands of the spectrogram")
    n_mfcc: int = _f(13, int_in(2, 40), "cepstral coefficients per frame")
    deltas: int = _f(0, int_in(0, 2), "0: MFCCs; 1: + their change; 2: + its change")
    val_fraction: float = _f(0.1, float_in(0.0, 0.5), "wav-folder: share of files for validation")
    test_fraction: float = _f(0.1, float_in(0.0, 0.5), "wav-folder: share of files for testing")


@dataclass
class ModelSpec(rspec.ModelSpec):
    """The recurrent family's model section, with a keyword recogniser's defaults."""

    hidden_size: int = _f(64, int_in(1, 4096), "units in each hidden state")
    task: str = _f("many-to-one", choice("many-to-one"), "a keyword recogniser answers once per clip")


def feature_dict(d: DataSpec) -> dict[str, Any]:
    """The ``seqlab.audio.features.FeatureSpec`` fields of a data section (top_db off: streamable)."""
    return {"sample_rate": SAMPLE_RATE, "win_ms": float(d.window_ms), "hop_ms": float(d.hop_ms),
            "n_mels": int(d.n_mels), "n_mfcc": int(d.n_mfcc), "deltas": int(d.deltas), "top_db": None}


def check(spec) -> None:
    d, m = spec.data, spec.model
    if d.name == "wav-folder" and not d.path:
        raise SpecError("data.path must name a folder of WAV clips when data.name is 'wav-folder'", path="data.path")
    if d.hop_ms > d.window_ms:
        raise SpecError(f"data.hop_ms ({d.hop_ms:g}) must be at most data.window_ms ({d.window_ms:g}): "
                        "frames would skip audio", path="data.hop_ms")
    if d.n_mfcc > d.n_mels:
        raise SpecError(f"data.n_mfcc ({d.n_mfcc}) must be at most data.n_mels ({d.n_mels})", path="data.n_mfcc")
    if d.val_fraction + d.test_fraction >= 0.9:
        raise SpecError("data.val_fraction + data.test_fraction must leave at least 10% for training",
                        path="data.test_fraction")
    if m.num_layers == 1 and m.dropout > 0:
        raise SpecError("model.dropout acts between stacked layers, so it needs model.num_layers of 2 or more",
                        path="model.dropout")


_SECTIONS = {"data": DataSpec, "model": ModelSpec}


def validated(section: str, name: str, value: Any) -> Any:
    return section_validated(_SECTIONS[section], section, name, value)


def field_help(section: str, name: str) -> str:
    return section_field_help(_SECTIONS[section], name)


__all__ = ["DataSpec", "ModelSpec", "DATASETS", "SAMPLE_RATE", "feature_dict", "check", "validated",
           "field_help", "field"]
