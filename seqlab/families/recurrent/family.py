"""The recurrent family (RNN / LSTM / GRU, bidirectional, the four RNN types) as a plug-in.

Everything the generic core and window need to know about recurrent networks is said here,
through the protocol of ``seqlab.core.family``.
"""

from __future__ import annotations

from typing import Any

from seqlab.core.family import DatasetInfo, Family, SnapshotKind

from . import spec as rspec
from .cells import cell_label

_DATASETS = (
    DatasetInfo("sine", "Sine waves", "sums of 1-3 noisy sines; all four RNN types"),
    DatasetInfo("adding", "Adding problem", "sum of the two marked values; many-to-one"),
    DatasetInfo("memory", "Memory task", "recall the first symbol after lag distractors; many-to-one"),
    DatasetInfo("sunspots", "Sunspots", "yearly sunspots 1700-2008 (shipped, public domain)"),
    DatasetInfo("csv", "CSV file", "a numeric column of your own CSV file"),
)
assert tuple(d.name for d in _DATASETS) == rspec.DATASETS


class RecurrentFamily(Family):
    name = "recurrent"
    title = "Recurrent networks"
    data_spec = rspec.DataSpec
    model_spec = rspec.ModelSpec
    workspace = "seqlab.families.recurrent.ui.workspace:RecurrentWorkspace"
    default_lesson = "lstm-sine"
    snapshot_kinds = {
        # 10 traces a second are plenty for heatmaps that change gradually (the timeline
        # animates within one trace), and keep the probe under 3% of the training thread
        "trace": SnapshotKind("trace", interval=0.1, budget=0.03),
        "predictions": SnapshotKind("predictions", interval=0.5, budget=0.04),
        "gradients": SnapshotKind("gradients", on_demand=False),
    }

    def check(self, spec: Any) -> None:
        rspec.check(spec)

    def datasets(self):
        return _DATASETS

    def build(self, spec: Any, data: Any = None):
        from .trainer import RecurrentTrainable

        return RecurrentTrainable(spec, data)

    def callbacks(self, spec: Any) -> list:
        from .callbacks import GradientRecorder

        return [GradientRecorder()]

    def label(self, spec: Any) -> str:
        m = spec.model
        bi = " bidirectional" if m.bidirectional else ""
        return f"{cell_label(m.cell)}{bi} {m.hidden_size}×{m.num_layers} on {spec.data.name}"

    def run_files(self, trainable: Any, callbacks: list) -> dict[str, Any]:
        from seqlab.core.engine import find

        from .callbacks import GradientRecorder

        rec = find(callbacks, GradientRecorder)
        seq_len = int(trainable.shape_info().get("seq_len", 0) or 0)
        return rec.files(seq_len) if rec is not None else GradientRecorder().files(seq_len)

    def run_file_names(self) -> tuple[str, ...]:
        return ("grad_through_time.npy", "grad_through_time_steps.npy", "param_grad_norms.csv")

    def lessons(self):
        from .lessons import LESSONS

        return tuple(LESSONS.values())

    def cli_verbs(self):
        from .cli import PROBE

        return (PROBE,)


FAMILY = RecurrentFamily()

__all__ = ["RecurrentFamily", "FAMILY"]
