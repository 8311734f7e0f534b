"""A trained keyword recogniser read back from its run folder, without its training data.

The run folder holds everything live listening needs: the spec (features, model), the
model's sizes and class names (``summary.json``) and the weights of both the network and
its front end (``model.safetensors``: ``model.*`` and ``features.*``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import torch

from seqlab.audio.features import FeatureSpec
from seqlab.core.errors import RunError
from seqlab.core.run_folder import load_run, load_weights
from seqlab.families.recurrent.model import RecurrentModel

from .frontend import SpeechFrontEnd
from .spec import feature_dict


@dataclass
class Recogniser:
    """The trained front end and network of a speech run, in eval mode."""

    frontend: SpeechFrontEnd
    model: RecurrentModel
    class_names: list[str]
    spec: object                  # ExperimentSpec
    path: str = ""

    @property
    def window_samples(self) -> int:
        """The clip length the network was trained on (one second)."""
        return int(self.frontend.spec.sample_rate)

    @property
    def window_frames(self) -> int:
        return self.frontend.n_frames(self.window_samples)

    @torch.no_grad()
    def probabilities(self, frames: torch.Tensor) -> torch.Tensor:
        """Normalised frames [B, T, F] -> class probabilities [B, K]."""
        return torch.softmax(self.model(frames), -1)


def load_recogniser(run_dir: str | Path) -> Recogniser:
    """Read a speech run folder; RunError says why it is not one."""
    rec = load_run(run_dir)
    if rec.spec.family != "speech":
        raise RunError(f"{run_dir}: not a speech run (it is of the {rec.spec.family} family): "
                       "train one with a speech experiment, e.g. examples/speech-digits.json")
    shape = rec.summary.get("model")
    if not isinstance(shape, dict) or "input_size" not in shape or not shape.get("class_names"):
        raise RunError(f"{Path(run_dir) / 'summary.json'}: no model shape (input_size, class_names)")
    frontend = SpeechFrontEnd(FeatureSpec(**feature_dict(rec.spec.data)))
    model = RecurrentModel(rec.spec.model, int(shape["input_size"]), int(shape["output_size"]))

    class _Modules:           # load_weights checks names and shapes against these modules
        def modules(self):
            return {"model": model, "features": frontend}

    load_weights(_Modules(), rec.state)
    model.eval()
    frontend.eval()
    return Recogniser(frontend, model, [str(c) for c in shape["class_names"]], rec.spec, str(run_dir))


__all__ = ["Recogniser", "load_recogniser"]


def recogniser_from_trainable(trainable) -> Recogniser:
    """A CPU copy of a trained (or opened) speech run's front end and network, for listening
    while the run itself stays as it is."""
    import copy

    if not hasattr(trainable, "frontend"):
        raise RunError("the current run is not a speech model: train one (or open a speech run folder) first")
    model = copy.deepcopy(trainable.model).cpu().eval()
    frontend = copy.deepcopy(trainable.frontend).cpu().eval()
    return Recogniser(frontend, model, list(trainable.data.class_names), trainable.spec)
