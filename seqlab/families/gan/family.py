"""The GAN family (vanilla MLP GAN on 2-D points, conditional GAN and DCGAN on digits) as a
plug-in, through the protocol of ``seqlab.core.family``."""

from __future__ import annotations

from typing import Any

from seqlab.core.family import DatasetInfo, Family, LossCurve, SnapshotKind

from . import spec as gspec

_DATASETS = (
    DatasetInfo("ring8", "Ring of 8 Gaussians", "the classic mode-collapse test"),
    DatasetInfo("grid25", "Grid of 25 Gaussians", "a harder mixture: 5x5 modes"),
    DatasetInfo("spiral", "Spiral", "a noisy spiral of 1.5 turns"),
    DatasetInfo("moons", "Two moons", "two interleaving half circles"),
    DatasetInfo("drawn", "Drawn by you", "points along strokes drawn with the mouse"),
    DatasetInfo("digits8x8", "Digits 8x8", "1,797 handwritten digits (UCI)"),
    DatasetInfo("digits28", "Digits 28x28", "5,000 handwritten digits (MNIST subset)"),
)
assert tuple(d.name for d in _DATASETS) == gspec.DATASETS


class GanFamily(Family):
    name = "gan"
    title = "GANs"
    data_spec = gspec.DataSpec
    model_spec = gspec.ModelSpec
    workspace = "seqlab.families.gan.ui.workspace:GanWorkspace"
    default_lesson = "gan-2d"
    # G and D get their optimiser and learning rates from the model section (GanTrainable.setup)
    unused_train_fields = frozenset({"optimizer", "lr"})
    # The Loss tab draws D's and G's losses (a GAN has no validation loss). They fight, so
    # neither is "lower is better": the run table shows where each ended.
    loss_curves = (
        LossCurve("d_loss", "J<sub>D</sub>", "D's loss J<sub>D</sub>", lower_is_better=False, column="Final J_D"),
        LossCurve("g_loss", "J<sub>G</sub>", "G's loss J<sub>G</sub>", style="dashed", lower_is_better=False,
                  column="Final J_G"),
    )
    snapshot_kinds = {
        "plane": SnapshotKind("plane", interval=0.125, budget=0.03),
        "images": SnapshotKind("images", interval=0.25, budget=0.04),
        "health": SnapshotKind("health", on_demand=False),
    }

    def check(self, spec: Any) -> None:
        gspec.check(spec)

    def datasets(self):
        return _DATASETS

    def build(self, spec: Any, data: Any = None):
        from .trainer import GanTrainable

        return GanTrainable(spec, data)

    def callbacks(self, spec: Any) -> list:
        from .health import GanHealth

        return [GanHealth()]

    def label(self, spec: Any) -> str:
        m = spec.model
        kind = ("conditional " if m.conditional else "") + ("DCGAN" if m.kind == "dcgan" else "GAN")
        return f"{kind} lr G {m.lr_g:g} / D {m.lr_d:g} on {spec.data.name}"

    def run_files(self, trainable: Any, callbacks: list) -> dict[str, Any]:
        from seqlab.core.engine import find

        from .health import GanHealth

        health = find(callbacks, GanHealth) or GanHealth()
        return {**health.files(), "samples.npy": trainable.generate()}

    def run_file_names(self) -> tuple[str, ...]:
        return ("coverage.csv", "samples.npy")

    def lessons(self):
        from .lessons import LESSONS

        return tuple(LESSONS.values())


FAMILY = GanFamily()

__all__ = ["GanFamily", "FAMILY"]
