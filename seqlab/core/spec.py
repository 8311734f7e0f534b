"""The experiment envelope: which family, which format version, and the three sections.

An :class:`ExperimentSpec` is what a person writes (JSON), what the panels of the window
edit, and what a run folder keeps::

    {"family": "recurrent", "version": 2, "name": "...",
     "data": {...}, "model": {...}, "train": {...}}

``train`` (:class:`TrainSpec`) is the core's: every family is trained by the one engine.
``data`` and ``model`` belong to the family named by ``family``, which parses and checks
them (``seqlab.core.family``). A file without ``family`` is a recurrent-network experiment
(every file written before families existed), and a file without ``version`` is version 1;
:func:`migrate` brings older files up to date, so they load unchanged.

It imports nothing heavy (no torch) so the window can build one before torch has loaded.
Every field is validated with a message that names the field and the allowed values.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from .errors import SpecError
from .fields import (checked, choice, float_in, int_in, section_field_help, section_from_dict,
                     section_validated, spec_field)

#: The envelope's format version. 1: no ``family``/``version`` keys (recurrent only).
#: 2: ``family`` and ``version`` written out.
VERSION = 2
#: The family of files that name none (all files written before families existed).
DEFAULT_FAMILY = "recurrent"

OPTIMIZERS = ("sgd", "momentum", "rmsprop", "adam")
DEVICES = ("auto", "cpu", "cuda", "mps")


def _batch_size(path: str, v: Any):
    if v == "all":
        return "all"
    if isinstance(v, bool) or not isinstance(v, int) or not 1 <= v <= 1_000_000:
        raise SpecError(f"{path} must be an integer from 1 to 1000000 or \"all\" (full-batch), got {v!r}")
    return v


_batch_size.doc = 'integer 1..1000000 or "all"'
_f = spec_field


@dataclass
class TrainSpec:
    """How a network is trained: the same fields for every family."""

    optimizer: str = _f("adam", choice(*OPTIMIZERS), "optimisation algorithm")
    lr: float = _f(0.01, float_in(0.0, 10.0, lo_open=True), "learning rate")
    momentum: float = _f(0.9, float_in(0.0, 0.999), "momentum of SGD with momentum")
    batch_size: int | str = _f(64, _batch_size, 'samples per step; 1 = stochastic, "all" = batch')
    epochs: int = _f(10, int_in(1, 100_000), "passes over the training data")
    max_steps: int | None = _f(None, int_in(1, 100_000_000, optional=True), "stop after this many steps")
    clip_norm: float | None = _f(None, float_in(0.0, 1e6, optional=True, lo_open=True), "clip gradient norm")
    clip_value: float | None = _f(None, float_in(0.0, 1e6, optional=True, lo_open=True), "clip each gradient")
    l1: float = _f(0.0, float_in(0.0, 10.0), "L1 penalty on weights")
    l2: float = _f(0.0, float_in(0.0, 10.0), "L2 penalty on weights")
    early_stopping: int | None = _f(None, int_in(1, 10_000, optional=True), "patience in epochs")
    seed: int = _f(0, int_in(0, 2**31 - 1), "random seed of initialisation and shuffling")
    device: str = _f("auto", choice(*DEVICES), "where to train")
    log_every: int = _f(10, int_in(1, 1_000_000), "steps between rows of metrics.csv")
    gtt_every: int = _f(50, int_in(1, 1_000_000),
                        "steps between the family's gradient records (gradients through time)")
    eval_every: int | None = _f(None, int_in(1, 1_000_000, optional=True),
                                "steps between validations (default: each epoch)")


@dataclass
class ExperimentSpec:
    """One experiment: the family's ``data`` and ``model`` sections and the core's ``train``."""

    data: Any = None
    model: Any = None
    train: TrainSpec = field(default_factory=TrainSpec)
    name: str = ""
    family: str = DEFAULT_FAMILY

    def __post_init__(self):
        if self.data is None or self.model is None:
            fam = _family(self.family)
            if self.data is None:
                self.data = fam.data_section()
            if self.model is None:
                self.model = fam.model_section()

    # -- conversion ------------------------------------------------------------------
    def to_dict(self) -> dict:
        d = {"family": self.family, "version": VERSION}
        if self.name:
            d["name"] = self.name
        d.update(data=asdict(self.data), model=asdict(self.model), train=asdict(self.train))
        return d

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2) + "\n"

    @classmethod
    def from_dict(cls, d: Any) -> "ExperimentSpec":
        if not isinstance(d, dict):
            raise SpecError(f"an experiment must be a JSON object, got {type(d).__name__}")
        d = migrate(d)
        allowed = ("family", "version", "name", "data", "model", "train")
        unknown = sorted(set(d) - set(allowed))
        if unknown:
            raise SpecError(f"unknown section {unknown[0]!r}; an experiment has sections 'data', 'model', "
                            "'train' (and optional 'family', 'version', 'name')", path=unknown[0])
        fam = _family(d["family"])
        name = d.get("name", "")
        if not isinstance(name, str):
            raise SpecError(f"name must be a text string, got {name!r}", path="name")
        spec = cls(data=fam.parse_data(d.get("data", {})), model=fam.parse_model(d.get("model", {})),
                   train=section_from_dict("train", TrainSpec, d.get("train", {})), name=name,
                   family=fam.name)
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
            raise SpecError(f"{source}: {e}", path=e.path) from None

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
            if key in ("name", "family"):
                d[key] = changes
            else:
                d[key] = {**d[key], **changes}
        return ExperimentSpec.from_dict(d)

    # -- cross-field rules -----------------------------------------------------------
    def check(self) -> None:
        """Rules that involve more than one field: the core's, then the family's."""
        t = self.train
        if t.clip_norm is not None and t.clip_value is not None:
            raise SpecError("train.clip_norm and train.clip_value cannot both be set; choose one way to clip",
                            path="train.clip_value")
        _family(self.family).check(self)


def migrate(d: dict) -> dict:
    """An experiment dict of any earlier format version, brought to :data:`VERSION`."""
    version = d.get("version", 1)
    if isinstance(version, bool) or not isinstance(version, int) or not 1 <= version <= VERSION:
        raise SpecError(f"version must be an integer from 1 to {VERSION}, got {version!r} "
                        "(a newer SeqLab wrote this file?)", path="version")
    d = dict(d)
    if version < 2:
        d.setdefault("family", DEFAULT_FAMILY)   # version 1 knew recurrent networks only
    d.setdefault("family", DEFAULT_FAMILY)
    d["version"] = VERSION
    return d


def _family(name: Any):
    from .registry import get_family

    return get_family(name)


def section_class(section: str, family: str = DEFAULT_FAMILY):
    """The dataclass of a section (``train``, or a family's ``data`` / ``model``)."""
    if section == "train":
        return TrainSpec
    fam = _family(family)
    return type(fam.data_section() if section == "data" else fam.model_section())


def field_help(section: str, name: str, family: str = DEFAULT_FAMILY) -> str:
    """One sentence about a field, with its allowed values (for tooltips and --help)."""
    return section_field_help(section_class(section, family), name)


def validated(section: str, name: str, value: Any, family: str = DEFAULT_FAMILY) -> Any:
    """Check one field's value on its own (what a panel does as the user types)."""
    return section_validated(section_class(section, family), section, name, value)


__all__ = ["SpecError", "TrainSpec", "ExperimentSpec", "field_help", "validated", "migrate", "checked",
           "section_class", "VERSION", "DEFAULT_FAMILY", "OPTIMIZERS", "DEVICES", "fields"]
