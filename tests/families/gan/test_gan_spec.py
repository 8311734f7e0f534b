"""Bad GAN experiments are refused with one message naming the field (its path)."""

from __future__ import annotations

import json

import pytest

from seqlab.core.errors import SpecError
from seqlab.core.spec import ExperimentSpec


def spec(data=None, model=None, train=None):
    return ExperimentSpec.from_dict({"family": "gan", "data": data or {}, "model": model or {},
                                     "train": train or {}})


@pytest.mark.parametrize("model,path,words", [
    ({"generator": [{"size": 64, "activation": "relu"}, {"size": 0, "activation": "relu"}]},
     "model.generator[1].size", "integer from 1"),
    ({"discriminator": [{"size": 64, "activation": "swish"}]}, "model.discriminator[0].activation", "leaky_relu"),
    ({"generator": [{"size": 64, "colour": "red"}]}, "model.generator[0].colour", "size, activation"),
    ({"generator": [{"activation": "relu"}]}, "model.generator[0].size", "missing"),
    ({"generator": []}, "model.generator", "1 to 8 layers"),
    ({"generator": "big"}, "model.generator", "list of layers"),
    ({"loss": "wasserstein"}, "model.loss", "non-saturating"),
    ({"train_mode": "g_first"}, "model.train_mode", "d_only"),
    ({"beta1": 1.5}, "model.beta1", "0.999"),
    ({"d_steps": 0}, "model.d_steps", "1 to 20"),
    ({"lr_g": 0}, "model.lr_g", "greater than 0"),
    ({"kind": "dcgan"}, "model.kind", "needs images"),
    ({"conditional": "yes"}, "model.conditional", "true or false"),
])
def test_bad_model_fields_name_their_path(model, path, words):
    data = {"name": "spiral"} if "conditional" in model else None
    with pytest.raises(SpecError) as e:
        spec(data=data, model=model)
    assert e.value.path == path and path in str(e.value) and words in str(e.value)


def test_a_dcgan_must_fit_its_images():
    layers = [{"size": 8, "activation": "relu"}] * 3
    with pytest.raises(SpecError) as e:
        spec(data={"name": "digits28"}, model={"kind": "dcgan", "generator": layers})
    assert e.value.path == "model.generator" and "divisible by 8" in str(e.value)
    spec(data={"name": "digits8x8"}, model={"kind": "dcgan", "generator": layers})   # 8 = 1 x 2^3 fits


@pytest.mark.parametrize("points,path", [
    ([[[0, 0], [1]]], "data.points[0][1]"),
    ([[[0, 0]], "line"], "data.points[1]"),
    ([[[0, float("nan")]]], "data.points[0][0]"),
    ([[[0, 1e9]]], "data.points[0][0]"),
    ("scribble", "data.points"),
])
def test_bad_drawn_points_name_the_point(points, path):
    with pytest.raises(SpecError) as e:
        spec(data={"name": "drawn", "points": points})
    assert e.value.path == path and path in str(e.value)


def test_drawn_data_needs_points_and_conditional_needs_classes():
    with pytest.raises(SpecError) as e:
        spec(data={"name": "drawn"})
    assert e.value.path == "data.points" and "draw" in str(e.value)
    with pytest.raises(SpecError) as e:
        spec(data={"name": "spiral"}, model={"conditional": True})
    assert e.value.path == "model.conditional"
    spec(data={"name": "drawn", "points": [[[0, 0], [1, 1]], [[2, 2]]]}, model={"conditional": True})


def test_unknown_data_set_lists_the_gan_sets(tmp_path):
    p = tmp_path / "x.json"
    p.write_text(json.dumps({"family": "gan", "data": {"name": "mnist"}}))
    with pytest.raises(SpecError) as e:
        ExperimentSpec.load(p)
    assert e.value.path == "data.name" and "ring8" in str(e.value) and str(p) in str(e.value)


def test_a_gan_spec_round_trips_through_json():
    s = spec(data={"name": "drawn", "points": [[[0, 0], [1, 1]]]},
             model={"generator": [{"size": 32, "activation": "tanh"}], "loss": "minimax"})
    again = ExperimentSpec.from_json(s.to_json())
    assert again.to_dict() == s.to_dict()
    assert again.model.generator == [{"size": 32, "activation": "tanh"}]
