"""One run of the keyword recogniser: the recurrent family's trainable on MFCC frames.

The clips become MFCC frames through :class:`SpeechFrontEnd` (a torch module, normalised
with statistics of the training frames), and from then on a keyword recogniser *is* a
many-to-one recurrent classifier: :class:`RecurrentTrainable` (imported, not copied) trains
it, evaluates ``val_loss`` / ``val_acc``, measures gradients through time and computes the
``trace`` of every gate its views draw. This subclass adds the front end to the saved
modules and a ``confusion`` snapshot: the confusion matrix with the clips of each mistake,
so the window can play them.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from seqlab.audio.features import FeatureSpec
from seqlab.core.spec import ExperimentSpec
from seqlab.families.recurrent.data.base import SequenceData
from seqlab.families.recurrent.trainer import RecurrentTrainable

from .clips import ClipSet, load_clips
from .frontend import SpeechFrontEnd
from .spec import SAMPLE_RATE, feature_dict

MISTAKE_CLIPS = 3          # clips of each (true, predicted) mistake sent for playback
MISTAKE_LIMIT = 60         # at most this many mistake clips in one snapshot (60 s of audio)


def feature_names(fs: FeatureSpec) -> list[str]:
    names = [f"c{i}" for i in range(fs.n_mfcc)]
    return names + [f"Δc{i}" for i in range(fs.n_mfcc)] * (fs.deltas >= 1) + \
        [f"ΔΔc{i}" for i in range(fs.n_mfcc)] * (fs.deltas >= 2)


def frames_of(frontend: SpeechFrontEnd, clips: ClipSet) -> dict[str, torch.Tensor]:
    """Raw MFCC frames of every split (on the front end's device)."""
    dev = frontend.mean.device
    return {s: frontend.raw(torch.as_tensor(c, device=dev)) for s, c in clips.clips.items()}


def sequence_data(clips: ClipSet, frontend: SpeechFrontEnd) -> SequenceData:
    """The clips as the recurrent family's prepared data: normalised MFCC frames [N, T, F]."""
    raw = frames_of(frontend, clips)
    frontend.fit(raw["train"])
    x = {s: frontend.normalise(f).cpu().numpy().astype(np.float32) for s, f in raw.items()}
    y = {s: np.asarray(v, np.int64) for s, v in clips.labels.items()}
    k = len(clips.class_names)
    counts = np.bincount(y["train"], minlength=k)
    chance = float(counts.max() / max(counts.sum(), 1))
    val_counts = np.bincount(y["val"], minlength=k) if len(y["val"]) else counts
    p = counts / max(counts.sum(), 1)
    baseline = float(-(val_counts * np.log(np.maximum(p, 1e-12))).sum() / max(val_counts.sum(), 1))
    F = frontend.n_features
    return SequenceData(name="speech", task="many-to-one", kind="classification",
                        x_train=x["train"], y_train=y["train"], x_val=x["val"], y_val=y["val"],
                        x_test=x["test"], y_test=y["test"], input_size=F, output_size=k, out_len=1,
                        n_classes=k, class_names=list(clips.class_names), target_mean=np.zeros(1, np.float32),
                        target_std=np.ones(1, np.float32), baseline_loss=baseline, chance_accuracy=chance,
                        description=clips.description, feature_names=feature_names(frontend.spec))


class SpeechTrainable(RecurrentTrainable):
    """A many-to-one recurrent classifier of MFCC frames, with its front end saved beside it."""

    def __init__(self, spec: ExperimentSpec, clips: ClipSet | None = None):
        self.clips = clips if clips is not None else load_clips(spec.data)
        self.frontend = SpeechFrontEnd(FeatureSpec(**feature_dict(spec.data)))
        super().__init__(spec, sequence_data(self.clips, self.frontend))

    def modules(self) -> dict[str, torch.nn.Module]:
        return {"model": self.model, "features": self.frontend}

    def setup(self, engine) -> None:
        super().setup(engine)
        self.frontend.to(self.device)

    # -- the confusion matrix ----------------------------------------------------------------
    @torch.no_grad()
    def confusion(self, split: str = "val") -> dict[str, Any]:
        """Counts [true, predicted] over a split, and a few clips of each mistake."""
        k = len(self.clips.class_names)
        x = self._tensors.get(f"x_{split}")
        x = x if x is not None else torch.as_tensor(getattr(self.data, f"x_{split}"))
        y = np.asarray(getattr(self.data, f"y_{split}"))
        was_training = self.model.training
        self.model.eval()
        dev = next(self.model.parameters()).device
        pred = torch.cat([self.model(x[s:s + 1024].to(dev)).argmax(-1) for s in range(0, len(x), 1024)]) \
            if len(x) else torch.zeros(0, dtype=torch.long)
        self.model.train(was_training)
        pred = pred.cpu().numpy()
        matrix = np.zeros((k, k), np.int64)
        np.add.at(matrix, (y, pred), 1)
        wrong = np.flatnonzero(pred != y)
        picked: list[int] = []
        seen: dict[tuple[int, int], int] = {}
        for i in wrong:
            key = (int(y[i]), int(pred[i]))
            if seen.get(key, 0) < MISTAKE_CLIPS and len(picked) < MISTAKE_LIMIT:
                seen[key] = seen.get(key, 0) + 1
                picked.append(int(i))
        clips = self.clips.clips[split]
        return {"matrix": matrix, "class_names": list(self.clips.class_names), "split": split,
                "accuracy": float(np.trace(matrix) / max(matrix.sum(), 1)),
                "mistakes": [{"true": int(y[i]), "pred": int(pred[i]), "index": i} for i in picked],
                "mistake_audio": (np.stack([clips[i] for i in picked]).astype(np.float32) if picked
                                  else np.zeros((0, SAMPLE_RATE), np.float32)),
                "sample_rate": SAMPLE_RATE}

    def snapshot(self, kind: str, request: dict[str, Any]) -> dict[str, Any] | None:
        if kind == "confusion":
            return self.confusion(request.get("confusion_split", "val"))
        return super().snapshot(kind, request)

    def shape_info(self) -> dict[str, Any]:
        info = super().shape_info()
        info["features"] = feature_dict(self.spec.data)
        info["parameters"] = sum(p.numel() for p in self.model.parameters())
        return info

    def describe(self) -> dict[str, Any]:
        out = super().describe()
        if self.clips.report is not None:
            out["import_report"] = self.clips.report.summary()
        return out


__all__ = ["SpeechTrainable", "sequence_data", "feature_names"]
