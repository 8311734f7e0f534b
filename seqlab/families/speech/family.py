"""The speech family: keyword recognition by a recurrent network on MFCC frames, live.

It is the recurrent family's model, probes, gradient recorder and gate views (imported),
with a speech front end, spoken-word data, a confusion matrix, live listening
(``seqlab listen``) and a workspace with a microphone.
"""

from __future__ import annotations

from typing import Any

from seqlab.core.family import DatasetInfo, Family, SnapshotKind
from seqlab.families.recurrent.cells import cell_label

from . import spec as sspec

_DATASETS = (
    DatasetInfo("spoken-words", "Spoken words (built in)",
                "digits and commands by 70 espeak-ng voices; held-out voices for testing"),
    DatasetInfo("wav-folder", "Your recordings", "a folder with one subfolder of WAV clips per word"),
)
assert tuple(d.name for d in _DATASETS) == sspec.DATASETS

#: live kinds published by a listening job (see live.py), not by training
LIVE_KINDS = ("live", "live_trace")


class SpeechFamily(Family):
    name = "speech"
    title = "Speech: keyword recognition"
    data_spec = sspec.DataSpec
    model_spec = sspec.ModelSpec
    workspace = "seqlab.families.speech.ui.workspace:SpeechWorkspace"
    default_lesson = "speech-digits"
    snapshot_kinds = {
        "trace": SnapshotKind("trace", interval=0.1, budget=0.04),
        "confusion": SnapshotKind("confusion", interval=1.0, budget=0.03),
        "gradients": SnapshotKind("gradients", on_demand=False),
        "live": SnapshotKind("live", on_demand=False),
        "live_trace": SnapshotKind("live_trace", on_demand=False),
    }

    def check(self, spec: Any) -> None:
        sspec.check(spec)

    def datasets(self):
        return _DATASETS

    def build(self, spec: Any, data: Any = None):
        from .trainer import SpeechTrainable

        return SpeechTrainable(spec, data)

    def callbacks(self, spec: Any) -> list:
        from seqlab.families.recurrent.callbacks import GradientRecorder

        return [GradientRecorder()]

    def label(self, spec: Any) -> str:
        m = spec.model
        bi = " bidirectional" if m.bidirectional else ""
        words = f"{len(spec.data.words)} words" if spec.data.words else spec.data.name
        return f"{cell_label(m.cell)}{bi} {m.hidden_size}×{m.num_layers} on {words}"

    def run_files(self, trainable: Any, callbacks: list) -> dict[str, Any]:
        from seqlab.families.recurrent import FAMILY as RECURRENT

        files = RECURRENT.run_files(trainable, callbacks)
        c = trainable.confusion("test" if len(trainable.data.y_test) else "val")
        files["confusion.json"] = {"split": c["split"], "class_names": c["class_names"],
                                   "matrix": c["matrix"].tolist(), "accuracy": c["accuracy"]}
        return files

    def run_file_names(self) -> tuple[str, ...]:
        from seqlab.families.recurrent import FAMILY as RECURRENT

        return RECURRENT.run_file_names() + ("confusion.json",)

    def lessons(self):
        from .lessons import LESSONS

        return tuple(LESSONS.values())

    def cli_verbs(self):
        from .cli import LISTEN

        return (LISTEN,)


FAMILY = SpeechFamily()

__all__ = ["SpeechFamily", "FAMILY", "LIVE_KINDS"]
