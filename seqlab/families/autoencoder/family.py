"""The autoencoder family (MLP, convolutional and sequence autoencoders) as a plug-in.

Everything the generic core and window need to know about autoencoders is said here,
through the protocol of ``seqlab.core.family``. Importing it is cheap (no torch, no Qt).
"""

from __future__ import annotations

from typing import Any

from seqlab.core.family import DatasetInfo, Family, SnapshotKind

from . import spec as aspec

_DATASETS = (
    DatasetInfo("digits8x8", "Digits 8x8", "1,797 handwritten digits (UCI, shipped, CC BY 4.0)"),
    DatasetInfo("digits28", "Digits 28x28", "5,000 MNIST digits (shipped, CC BY-SA 3.0)"),
    DatasetInfo("heartbeat", "Heartbeats", "an ECG-like signal with labelled anomalies, in windows"),
    DatasetInfo("csv-features", "CSV feature rows", "rows of numbers from your own CSV file"),
    DatasetInfo("csv-series", "CSV series", "a numeric column of your own CSV file, in windows"),
)
assert tuple(d.name for d in _DATASETS) == aspec.DATASETS

#: files an autoencoder run adds to its run folder
RUN_FILES = ("pca_baseline.json", "pca_components.npy", "val_errors.npy", "val_pca_errors.npy",
             "val_labels.npy", "anomaly.json")


class AutoencoderFamily(Family):
    name = "autoencoder"
    title = "Autoencoders"
    data_spec = aspec.DataSpec
    model_spec = aspec.ModelSpec
    workspace = "seqlab.families.autoencoder.ui.workspace:AutoencoderWorkspace"
    snapshot_kinds = {
        "reconstructions": SnapshotKind("reconstructions", interval=0.3, budget=0.03),
        "latent": SnapshotKind("latent", interval=1.0, budget=0.03),
        "errors": SnapshotKind("errors", interval=1.0, budget=0.03),
    }

    def check(self, spec: Any) -> None:
        aspec.check(spec)

    def datasets(self):
        return _DATASETS

    def build(self, spec: Any, data: Any = None):
        from .trainer import AutoencoderTrainable

        return AutoencoderTrainable(spec, data)

    def label(self, spec: Any) -> str:
        m = spec.model
        sizes = "-".join(str(x["size"]) for x in m.encoder)
        kind = {"mlp": "MLP", "conv": "conv", "sequence": m.cell.upper()}[m.kind]
        den = " denoising" if m.mode == "denoising" else ""
        return f"{kind}{den} AE {sizes}→{m.latent} on {spec.data.name}"

    def run_files(self, trainable: Any, callbacks: list) -> dict[str, Any]:
        t = trainable
        d = t.data
        out: dict[str, Any] = {"pca_components.npy": t.pca.components}
        base: dict[str, Any] = {"components": t.pca.k, "explained_variance": float(t.pca.explained.sum())}
        for split in ("val", "test"):
            if len(d.split(split)[0]):
                base[f"{split}_ae_loss"] = float(t.errors(split).mean())
                base[f"{split}_pca_loss"] = float(t.pca_errors(split).mean())
        out["pca_baseline.json"] = base
        if len(d.x_val):
            out["val_errors.npy"] = t.errors("val").astype("float32")
            out["val_pca_errors.npy"] = t.pca_errors("val").astype("float32")
            if d.y_val is not None:
                out["val_labels.npy"] = d.y_val
        if d.anomaly and len(d.x_val) and len(d.x_test):
            from .anomaly import THRESHOLD_PERCENTILE

            f = t.anomaly_figures("test")
            out["anomaly.json"] = {"rule": f"{THRESHOLD_PERCENTILE:g}th percentile of the normal validation "
                                           "windows' errors", "measured_on": "test windows", **f}
        return out

    def run_file_names(self) -> tuple[str, ...]:
        return RUN_FILES

    def lessons(self):
        from .lessons import LESSONS

        return tuple(LESSONS.values())


FAMILY = AutoencoderFamily()

__all__ = ["AutoencoderFamily", "FAMILY", "RUN_FILES"]
