"""Experiment specs: plain dataclasses for data, model and training.

An :class:`ExperimentSpec` is what a person writes (JSON), what the panels of the
window edit, and what a run folder keeps. It imports nothing heavy (no torch) so the
window can build one before torch has loaded.

Every field is validated with a message that names the field and the allowed values,
because the person reading the message wrote the file by hand or clicked a panel:
``model.hidden_size must be an integer from 1 to 4096, got -3``. Unknown fields are an
error (a typo must not silently fall back to a default); missing fields take the
defaults written below.
"""

from __future__ import annotations

import json
import math
from dataclasses import MISSING, asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any


class SpecError(ValueError):
    """A spec that cannot be used, with a message a person understands."""


# --- field checkers ---------------------------------------------------------------------
# Each checker takes (path, value) and returns the normalised value or raises SpecError.


def _int(lo: int, hi: int, *, optional: bool = False):
    def check(path: str, v: Any):
        if v is None and optional:
            return None
        if isinstance(v, bool) or not isinstance(v, int):
            if isinstance(v, float) and v.is_integer():
                v = int(v)
            else:
                raise SpecError(f"{path} must be an integer from {lo} to {hi}, got {v!r}")
        if not lo <= v <= hi:
            raise SpecError(f"{path} must be an integer from {lo} to {hi}, got {v!r}")
        return v

    check.doc = f"integer {lo}..{hi}" + (" or null" if optional else "")
    return check


def _float(lo: float, hi: float, *, optional: bool = False, lo_open: bool = False):
    lo_txt = f"greater than {lo:g}" if lo_open else f"from {lo:g}"

    def check(path: str, v: Any):
        if v is None and optional:
            return None
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
            raise SpecError(f"{path} must be a number {lo_txt} to {hi:g}, got {v!r}")
        v = float(v)
        if (v <= lo if lo_open else v < lo) or v > hi:
            raise SpecError(f"{path} must be a number {lo_txt} to {hi:g}, got {v!r}")
        return v

    check.doc = f"number {lo_txt} to {hi:g}" + (" or null" if optional else "")
    return check


def _choice(*options: str, optional: bool = False):
    allowed = ", ".join(repr(o) for o in options)

    def check(path: str, v: Any):
        if v is None and optional:
            return None
        if isinstance(v, str) and v.lower() in options:
            return v.lower()
        raise SpecError(f"{path} must be one of {allowed}, got {v!r}")

    check.doc = "one of " + allowed
    return check


def _bool(path: str, v: Any):
    if isinstance(v, bool):
        return v
    raise SpecError(f"{path} must be true or false, got {v!r}")


_bool.doc = "true or false"


def _str(*, optional: bool = False):
    def check(path: str, v: Any):
        if v is None and optional:
            return None
        if isinstance(v, str):
            return v
        raise SpecError(f"{path} must be a text string, got {v!r}")

    check.doc = "text"
    return check


def _batch_size(path: str, v: Any):
    if v == "all":
        return "all"
    if isinstance(v, bool) or not isinstance(v, int) or not 1 <= v <= 1_000_000:
        raise SpecError(
            f"{path} must be an integer from 1 to 1000000 or \"all\" (full-batch), got {v!r}"
        )
    return v


_batch_size.doc = 'integer 1..1000000 or "all"'


def _forget_bias(path: str, v: Any):
    if v is None:
        return None
    if v == "chrono":
        return "chrono"
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not -20 <= v <= 20:
        raise SpecError(f'{path} must be null, "chrono" or a number from -20 to 20, got {v!r}')
    return float(v)


_forget_bias.doc = 'null (PyTorch default), "chrono" or a number -20..20'


def _f(default, check, help: str = ""):
    """A dataclass field carrying its checker and a one-line help text."""
    return field(default=default, metadata={"check": check, "help": help})


# --- the three parts --------------------------------------------------------------------

DATASETS = ("sine", "adding", "memory", "sunspots", "csv")
CELLS = ("rnn", "lstm", "gru")
TASKS = ("one-to-one", "one-to-many", "many-to-one", "many-to-many")
INITS = ("default", "xavier", "he", "orthogonal")
OPTIMIZERS = ("sgd", "momentum", "rmsprop", "adam")
DEVICES = ("auto", "cpu", "cuda", "mps")


@dataclass
class DataSpec:
    """Which data set, and how it is generated and prepared.

    Fields a data set does not use are ignored by it (so a panel can switch data sets
    without clearing fields), but every key must be one of these.
    """

    name: str = _f("sine", _choice(*DATASETS), "built-in data set, or csv for your own")
    seq_len: int = _f(50, _int(1, 5000), "time steps per sequence (T)")
    samples: int = _f(2000, _int(8, 1_000_000), "number of sequences generated")
    noise: float = _f(0.05, _float(0.0, 10.0), "standard deviation of added noise")
    seed: int = _f(0, _int(0, 2**31 - 1), "random seed of the data")
    lag: int = _f(30, _int(1, 5000), "memory task: steps between the symbol and the recall")
    n_symbols: int = _f(4, _int(2, 64), "memory task: size of the alphabet to remember")
    path: str | None = _f(None, _str(optional=True), "csv: the file to read")
    column: str | None = _f(None, _str(optional=True), "csv: the column holding the series")
    val_fraction: float = _f(0.15, _float(0.0, 0.5), "share of samples for validation")
    test_fraction: float = _f(0.15, _float(0.0, 0.5), "share of samples for testing")


@dataclass
class ModelSpec:
    """The recurrent network: cell, size, depth, direction, initialisation and RNN type."""

    cell: str = _f("lstm", _choice(*CELLS), "recurrent cell")
    hidden_size: int = _f(32, _int(1, 4096), "units in each hidden state")
    num_layers: int = _f(1, _int(1, 4), "stacked recurrent layers")
    bidirectional: bool = _f(False, _bool, "also read the sequence backwards")
    task: str = _f("many-to-many", _choice(*TASKS), "RNN type: which steps have inputs and outputs")
    nonlinearity: str = _f("tanh", _choice("tanh", "relu"), "vanilla RNN activation")
    dropout: float = _f(0.0, _float(0.0, 0.9), "dropout between stacked layers")
    init: str = _f("default", _choice(*INITS), "weight initialisation")
    # Ignored by RNN and GRU cells, so an RNN-vs-LSTM pair of files can differ in the cell alone.
    forget_bias: float | str | None = _f(None, _forget_bias, "LSTM forget-gate bias (ignored by other cells)")


@dataclass
class TrainSpec:
    """How the network is trained."""

    optimizer: str = _f("adam", _choice(*OPTIMIZERS), "optimisation algorithm")
    lr: float = _f(0.01, _float(0.0, 10.0, lo_open=True), "learning rate")
    momentum: float = _f(0.9, _float(0.0, 0.999), "momentum of SGD with momentum")
    batch_size: int | str = _f(64, _batch_size, 'sequences per step; 1 = stochastic, "all" = batch')
    epochs: int = _f(10, _int(1, 100_000), "passes over the training data")
    max_steps: int | None = _f(None, _int(1, 100_000_000, optional=True), "stop after this many steps")
    clip_norm: float | None = _f(None, _float(0.0, 1e6, optional=True, lo_open=True), "clip gradient norm")
    clip_value: float | None = _f(None, _float(0.0, 1e6, optional=True, lo_open=True), "clip each gradient")
    l1: float = _f(0.0, _float(0.0, 10.0), "L1 penalty on weights")
    l2: float = _f(0.0, _float(0.0, 10.0), "L2 penalty on weights")
    early_stopping: int | None = _f(None, _int(1, 10_000, optional=True), "patience in epochs")
    seed: int = _f(0, _int(0, 2**31 - 1), "random seed of initialisation and shuffling")
    device: str = _f("auto", _choice(*DEVICES), "where to train")
    log_every: int = _f(10, _int(1, 1_000_000), "steps between rows of metrics.csv")
    gtt_every: int = _f(50, _int(1, 1_000_000), "steps between gradient-through-time records")
    eval_every: int | None = _f(None, _int(1, 1_000_000, optional=True), "steps between validations (default: each epoch)")


_SECTIONS = {"data": DataSpec, "model": ModelSpec, "train": TrainSpec}


@dataclass
class ExperimentSpec:
    data: DataSpec = field(default_factory=DataSpec)
    model: ModelSpec = field(default_factory=ModelSpec)
    train: TrainSpec = field(default_factory=TrainSpec)
    name: str = ""

    # -- conversion ------------------------------------------------------------------
    def to_dict(self) -> dict:
        d = asdict(self)
        if not self.name:
            d.pop("name")
        return d

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2) + "\n"

    @classmethod
    def from_dict(cls, d: Any) -> "ExperimentSpec":
        if not isinstance(d, dict):
            raise SpecError(f"an experiment must be a JSON object, got {type(d).__name__}")
        unknown = sorted(set(d) - set(_SECTIONS) - {"name"})
        if unknown:
            raise SpecError(
                f"unknown section {unknown[0]!r}; an experiment has sections "
                + ", ".join(repr(s) for s in _SECTIONS) + " (and an optional 'name')"
            )
        parts = {key: _section_from_dict(key, klass, d.get(key, {})) for key, klass in _SECTIONS.items()}
        name = d.get("name", "")
        if not isinstance(name, str):
            raise SpecError(f"name must be a text string, got {name!r}")
        spec = cls(name=name, **parts)
        spec.check()
        return spec

    @classmethod
    def from_json(cls, text: str, source: str = "experiment") -> "ExperimentSpec":
        try:
            d = json.loads(text)
        except json.JSONDecodeError as e:
            raise SpecError(f"{source}: not valid JSON at line {e.lineno}, column {e.colno}: {e.msg}") from None
        try:
            return cls.from_dict(d)
        except SpecError as e:
            raise SpecError(f"{source}: {e}") from None

    @classmethod
    def load(cls, path: str | Path) -> "ExperimentSpec":
        path = Path(path)
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise SpecError(f"{path}: no such file") from None
        except (OSError, UnicodeDecodeError) as e:
            raise SpecError(f"{path}: cannot read it ({e})") from None
        if not text.strip():
            raise SpecError(f"{path}: the file is empty")
        return cls.from_json(text, source=str(path))

    def replace(self, **sections) -> "ExperimentSpec":
        """A copy with some sections' fields changed: ``spec.replace(model={"cell": "gru"})``."""
        d = self.to_dict()
        for key, changes in sections.items():
            if key == "name":
                d["name"] = changes
            else:
                d[key] = {**d[key], **changes}
        return ExperimentSpec.from_dict(d)

    # -- cross-field rules -----------------------------------------------------------
    def check(self) -> None:
        """Rules that involve more than one field."""
        t, m, dt = self.train, self.model, self.data
        if t.clip_norm is not None and t.clip_value is not None:
            raise SpecError("train.clip_norm and train.clip_value cannot both be set; choose one way to clip")
        if dt.val_fraction + dt.test_fraction >= 0.9:
            raise SpecError("data.val_fraction + data.test_fraction must leave at least 10% for training")
        if dt.name == "csv" and not dt.path:
            raise SpecError("data.path must name a CSV file when data.name is 'csv'")
        if m.num_layers == 1 and m.dropout > 0:
            raise SpecError("model.dropout acts between stacked layers, so it needs model.num_layers of 2 or more")
        if m.task == "one-to-one" and dt.seq_len != 1:
            raise SpecError("model.task 'one-to-one' reads one step, so data.seq_len must be 1")


def _section_from_dict(key: str, klass, d: Any):
    if not isinstance(d, dict):
        raise SpecError(f"{key} must be a JSON object, got {d!r}")
    known = {f.name: f for f in fields(klass)}
    for k in d:
        if k not in known:
            raise SpecError(
                f"unknown field {key}.{k}; {key} has fields " + ", ".join(known)
            )
    values = {}
    for name, f in known.items():
        v = d[name] if name in d else (f.default if f.default is not MISSING else f.default_factory())
        values[name] = f.metadata["check"](f"{key}.{name}", v)
    return klass(**values)


def field_help(section: str, name: str) -> str:
    """One sentence about a field, with its allowed values (for tooltips and --help)."""
    f = {x.name: x for x in fields(_SECTIONS[section])}[name]
    return f"{f.metadata['help']} ({f.metadata['check'].doc})"


def validated(section: str, name: str, value: Any) -> Any:
    """Check one field's value on its own (what a panel does as the user types)."""
    f = {x.name: x for x in fields(_SECTIONS[section])}[name]
    return f.metadata["check"](f"{section}.{name}", value)


__all__ = [
    "SpecError", "DataSpec", "ModelSpec", "TrainSpec", "ExperimentSpec", "field_help", "validated",
    "DATASETS", "CELLS", "TASKS", "INITS", "OPTIMIZERS", "DEVICES", "replace",
]
