"""Experiment specs: the example of the issue works as written; bad specs get clear messages."""

import json

import pytest
from hypothesis import given, strategies as st

from seqlab.core.spec import ExperimentSpec, SpecError, field_help

EXAMPLE = {"data": {"name": "sine", "seq_len": 50, "samples": 2000, "noise": 0.05, "seed": 0},
           "model": {"cell": "lstm", "hidden_size": 32, "num_layers": 1, "bidirectional": False,
                     "task": "many-to-many"},
           "train": {"optimizer": "adam", "lr": 0.01, "batch_size": 64, "epochs": 3, "clip_norm": 1.0, "seed": 0}}


def test_minimal_example_parses_and_round_trips():
    spec = ExperimentSpec.from_dict(EXAMPLE)
    assert spec.model.cell == "lstm" and spec.train.clip_norm == 1.0 and spec.data.seq_len == 50
    again = ExperimentSpec.from_json(spec.to_json())
    assert again == spec


def test_missing_fields_take_defaults():
    spec = ExperimentSpec.from_dict({})
    assert spec.model.hidden_size == 32 and spec.train.optimizer == "adam" and spec.data.name == "sine"


@pytest.mark.parametrize("section,field,value,words", [
    ("model", "hidden_size", -3, "model.hidden_size must be an integer from 1 to 4096, got -3"),
    ("model", "cell", "transformer", "model.cell must be one of 'rnn', 'lstm', 'gru'"),
    ("train", "lr", 0, "train.lr must be a number greater than 0"),
    ("train", "batch_size", 0, "train.batch_size must be an integer from 1"),
    ("model", "bidirectional", "yes", "model.bidirectional must be true or false"),
    ("model", "forget_bias", "high", 'model.forget_bias must be null, "chrono" or a number'),
    ("data", "name", "imagenet", "data.name must be one of"),
    ("train", "lr", float("nan"), "train.lr must be a number"),
])
def test_bad_values_name_field_and_allowed_values(section, field, value, words):
    d = json.loads(json.dumps(EXAMPLE))
    d[section][field] = value
    with pytest.raises(SpecError) as e:
        ExperimentSpec.from_dict(d)
    assert words in str(e.value)


def test_unknown_field_is_an_error_naming_it():
    d = json.loads(json.dumps(EXAMPLE))
    d["model"]["hiden_size"] = 64
    with pytest.raises(SpecError, match=r"unknown field model.hiden_size; model has fields cell, hidden_size"):
        ExperimentSpec.from_dict(d)
    with pytest.raises(SpecError, match="unknown section 'optim'"):
        ExperimentSpec.from_dict({"optim": {}})


def test_cross_field_rules():
    with pytest.raises(SpecError, match="clip_norm and train.clip_value cannot both"):
        ExperimentSpec.from_dict({"train": {"clip_norm": 1.0, "clip_value": 0.5}})
    with pytest.raises(SpecError, match="dropout acts between stacked layers"):
        ExperimentSpec.from_dict({"model": {"dropout": 0.2}})


def test_file_errors_name_the_file_and_position(tmp_path):
    bad = tmp_path / "exp.json"
    bad.write_text('{"model": {"cell": "lstm",}}')
    with pytest.raises(SpecError, match=r"exp.json: not valid JSON at line 1, column"):
        ExperimentSpec.load(bad)
    empty = tmp_path / "empty.json"
    empty.write_text("  \n")
    with pytest.raises(SpecError, match="empty.json: the file is empty"):
        ExperimentSpec.load(empty)
    with pytest.raises(SpecError, match="no such file"):
        ExperimentSpec.load(tmp_path / "missing.json")


def test_field_help_lists_allowed_values():
    assert "'sgd', 'momentum', 'rmsprop', 'adam'" in field_help("train", "optimizer")


@given(hidden=st.integers(1, 4096), layers=st.integers(1, 4), lr=st.floats(1e-6, 10.0),
       bs=st.one_of(st.integers(1, 100_000), st.just("all")), cell=st.sampled_from(["rnn", "lstm", "gru"]))
def test_valid_specs_round_trip(hidden, layers, lr, bs, cell):
    spec = ExperimentSpec.from_dict({"model": {"cell": cell, "hidden_size": hidden, "num_layers": layers},
                                     "train": {"lr": lr, "batch_size": bs}})
    assert ExperimentSpec.from_json(spec.to_json()) == spec
