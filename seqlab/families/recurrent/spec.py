"""The recurrent family's spec sections: the sequence data set and the recurrent network.

Fields a data set or a cell does not use are ignored by it (so a panel can switch data sets
or cells without clearing fields), but every key must be one of these. Messages name the
field and the allowed values: ``model.hidden_size must be an integer from 1 to 4096, got -3``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from seqlab.core.errors import SpecError
from seqlab.core.fields import (boolean, choice, float_in, int_in, section_field_help, section_validated,
                                spec_field, text)

#: the data sets of this family (declared once; the builders are in data/__init__.py)
DATASETS = ("sine", "adding", "memory", "sunspots", "csv")
CELLS = ("rnn", "lstm", "gru")
TASKS = ("one-to-one", "one-to-many", "many-to-one", "many-to-many")
INITS = ("default", "xavier", "he", "orthogonal")

_f = spec_field


def _forget_bias(path: str, v: Any):
    if v is None:
        return None
    if v == "chrono":
        return "chrono"
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not -20 <= v <= 20:
        raise SpecError(f'{path} must be null, "chrono" or a number from -20 to 20, got {v!r}', path=path)
    return float(v)


_forget_bias.doc = 'null (PyTorch default), "chrono" or a number -20..20'


@dataclass
class DataSpec:
    """Which sequence data set, and how it is generated and prepared."""

    name: str = _f("sine", choice(*DATASETS), "built-in data set, or csv for your own")
    seq_len: int = _f(50, int_in(1, 5000), "time steps per sequence (T)")
    samples: int = _f(2000, int_in(8, 1_000_000), "number of sequences generated")
    noise: float = _f(0.05, float_in(0.0, 10.0), "standard deviation of added noise")
    seed: int = _f(0, int_in(0, 2**31 - 1), "random seed of the data")
    lag: int = _f(30, int_in(1, 5000), "memory task: steps between the symbol and the recall")
    n_symbols: int = _f(4, int_in(2, 64), "memory task: size of the alphabet to remember")
    path: str | None = _f(None, text(optional=True), "csv: the file to read")
    column: str | None = _f(None, text(optional=True), "csv: the column holding the series")
    val_fraction: float = _f(0.15, float_in(0.0, 0.5), "share of samples for validation")
    test_fraction: float = _f(0.15, float_in(0.0, 0.5), "share of samples for testing")


@dataclass
class ModelSpec:
    """The recurrent network: cell, size, depth, direction, initialisation and RNN type."""

    cell: str = _f("lstm", choice(*CELLS), "recurrent cell")
    hidden_size: int = _f(32, int_in(1, 4096), "units in each hidden state")
    num_layers: int = _f(1, int_in(1, 4), "stacked recurrent layers")
    bidirectional: bool = _f(False, boolean, "also read the sequence backwards")
    task: str = _f("many-to-many", choice(*TASKS), "RNN type: which steps have inputs and outputs")
    nonlinearity: str = _f("tanh", choice("tanh", "relu"), "vanilla RNN activation")
    dropout: float = _f(0.0, float_in(0.0, 0.9), "dropout between stacked layers")
    init: str = _f("default", choice(*INITS), "weight initialisation")
    # Ignored by RNN and GRU cells, so an RNN-vs-LSTM pair of files can differ in the cell alone.
    forget_bias: float | str | None = _f(None, _forget_bias, "LSTM forget-gate bias (ignored by other cells)")


def check(spec) -> None:
    """Cross-field rules of the recurrent sections."""
    m, dt = spec.model, spec.data
    if dt.val_fraction + dt.test_fraction >= 0.9:
        raise SpecError("data.val_fraction + data.test_fraction must leave at least 10% for training",
                        path="data.test_fraction")
    if dt.name == "csv" and not dt.path:
        raise SpecError("data.path must name a CSV file when data.name is 'csv'", path="data.path")
    if m.num_layers == 1 and m.dropout > 0:
        raise SpecError("model.dropout acts between stacked layers, so it needs model.num_layers of 2 or more",
                        path="model.dropout")
    if m.task == "one-to-one" and dt.seq_len != 1:
        raise SpecError("model.task 'one-to-one' reads one step, so data.seq_len must be 1", path="data.seq_len")


_SECTIONS = {"data": DataSpec, "model": ModelSpec}


def validated(section: str, name: str, value: Any) -> Any:
    """Check one field of this family's sections on its own."""
    return section_validated(_SECTIONS[section], section, name, value)


def field_help(section: str, name: str) -> str:
    return section_field_help(_SECTIONS[section], name)


__all__ = ["DataSpec", "ModelSpec", "DATASETS", "CELLS", "TASKS", "INITS", "check", "validated", "field_help",
           "SpecError"]
