"""The autoencoder family's workspace: Data and Model panels; Reconstructions, Latent space,
AE vs PCA and Anomaly views.

Live data arrives as the family's on-demand snapshots (``reconstructions``, ``latent``,
``errors``), each asked for only while a view that draws it is visible and drawn within a
share of the GUI thread's time. A click in the latent space becomes a ``decode`` request to
the training thread, which answers with the decoded point. A reopened run folder brings its
errors and PCA figures back from its files at once; the restored model then answers the
visible view's snapshots as a trained one does.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from seqlab.ui.workspace import Workspace

TITLES = {"reconstructions": "Reconstructions", "latent": "Latent space", "baseline": "AE vs PCA",
          "anomaly": "Anomaly"}
DEMAND = {"reconstructions": {"reconstructions"}, "latent": {"latent"}, "baseline": {"errors"},
          "anomaly": {"errors"}}

NOTES = {
    "reconstructions": ["Top: the inputs (noisy ones in denoising mode); then the autoencoder's "
                        "reconstructions g(f(x)); bottom: PCA's with as many components as the code "
                        "has numbers. Grey levels are fixed: 0 = paper, 1 = ink."],
    "latent": ["Each dot is one validation sample at its code z = f(x), coloured by its label; with more "
               "than two numbers per code, the dots are projected on the codes' two main directions.",
               "Click anywhere: the decoder turns that point into the image or curve shown on the right."],
    "baseline": ["PCA is the best linear autoencoder with the same number of components. A lower bar for "
                 "the autoencoder is the gain from its non-linear layers."],
    "anomaly": ["Top: errors of normal and anomalous windows; drag the dashed threshold. Precision = flagged "
                "windows that are anomalous; recall = anomalous windows flagged; F1 = 2PR / (P + R).",
                "Below, shaded on the signal: what the threshold flags. The bar underneath: the true anomalies."],
}


class AutoencoderWorkspace(Workspace):
    def __init__(self, *args, **kw):
        super().__init__(*args, **kw)
        from .panels.data_panel import AutoencoderDataPanel
        from .panels.model_panel import AutoencoderModelPanel
        from .views.anomaly_view import AnomalyView
        from .views.baseline_view import BaselineView
        from .views.latent_view import LatentView
        from .views.recon_view import ReconstructionView

        tm = self.tm
        self.view_notes = NOTES
        self.data_panel = AutoencoderDataPanel(theme=tm)
        self.model_panel = AutoencoderModelPanel(theme=tm)
        for p in (self.data_panel, self.model_panel):
            p.changed.connect(self.changed)
            p.message.connect(self.message)
        self.data_panel.shape_changed.connect(self.model_panel.set_input_shape)
        self.model_panel.set_input_shape(self.data_panel.input_shape())
        self.reconstructions = ReconstructionView(theme=tm)
        self.latent = LatentView(theme=tm)
        self.baseline = BaselineView(theme=tm)
        self.anomaly = AnomalyView(theme=tm)
        self.latent.decode_requested.connect(self._decode)
        self._views = {k: (TITLES[k], getattr(self, k)) for k in TITLES}
        self._pending: dict[str, Any] = {}
        self._budgets = {
            "reconstructions": self.budget(0.03, 0.2, 2.0, lambda: self._draw("reconstructions")),
            "latent": self.budget(0.03, 0.3, 3.0, lambda: self._draw("latent")),
            "errors": self.budget(0.03, 0.3, 3.0, lambda: self._draw("errors")),
        }
        self.drawn: dict[str, int] = {k: 0 for k in self._budgets}
        self._current_view = ""
        self._errors: dict | None = None           # the last errors snapshot ...
        self._errors_stale: set[str] = set()       # ... and the views it has not been drawn into yet

    # -- layout -------------------------------------------------------------------------------
    def panels(self):
        return [("data", "Data", self.data_panel), ("model", "Model", self.model_panel)]

    def views(self):
        return self._views

    def demand(self, view: str) -> set[str]:
        return set(DEMAND.get(view, ()))

    def on_view_shown(self, view: str) -> None:
        self._current_view = view
        # the errors drawn only into the view in front: the other one catches up when shown
        # (after a run has ended no new errors come, and it stayed empty)
        if view in self._errors_stale and self._errors is not None:
            self._draw_errors(self._errors, view)

    def import_csv_action(self):
        return self.data_panel.choose_csv

    def _decode(self, x: float, y: float) -> None:
        self.bridge.set_request(decode=[float(x), float(y)])

    # -- runs -----------------------------------------------------------------------------------
    def on_run_started(self, run_id: int, info: dict) -> None:
        self.baseline.reset()
        self.anomaly.reset()
        self._pending.clear()
        self._errors, self._errors_stale = None, set()
        spec = info.get("spec") or {}
        self.baseline.set_pca(info.get("pca_val_loss"), (spec.get("model") or {}).get("latent", 0))

    def on_rows(self, run_id: int, rows: list) -> None:
        self.baseline.add_rows(rows)

    def on_validation(self, run_id: int, metrics: dict) -> None:
        """Each validation once, at its step (the engine no longer repeats it on logged rows)."""
        self.baseline.add_rows([metrics])

    def on_snapshot(self, run_id: int, kind: str, payload: Any) -> None:
        if kind in self._budgets:
            self._pending[kind] = payload
            self._budgets[kind].request()

    def flush(self) -> None:
        for b in self._budgets.values():
            b.flush()

    def _draw(self, kind: str) -> None:
        d = self._pending.pop(kind, None)
        if d is None:
            return
        if kind == "reconstructions":
            self.reconstructions.set_reconstructions(d)
        elif kind == "latent":
            self.latent.set_latent(d)
        else:      # only the view in front: the other one gets the errors when it is shown
            self._errors, self._errors_stale = d, {"baseline", "anomaly"}
            for view in ("baseline", "anomaly"):
                if self._current_view != ("anomaly" if view == "baseline" else "baseline"):
                    self._draw_errors(d, view)
        self.drawn[kind] += 1

    def _draw_errors(self, d: dict, view: str) -> None:
        if view == "baseline":
            self.baseline.set_errors(float(np.mean(d["ae"])), float(np.mean(d["pca"])), d.get("components", 0))
        else:
            self.anomaly.set_errors(d)
        self._errors_stale.discard(view)

    def on_opened(self, run_id: int, label: str, d: dict) -> None:
        """A run folder's files: its validation errors, labels and PCA figures, shown at once."""
        files = d.get("files", {})
        spec = d.get("spec")
        self.baseline.reset()
        self.anomaly.reset()
        self._errors, self._errors_stale = None, set()
        base = files.get("pca_baseline.json") or {}
        self.baseline.add_rows(d.get("metrics", []))
        if "val_ae_loss" in base and "val_pca_loss" in base:
            self.baseline.set_pca(base["val_pca_loss"], base.get("components", 0))
            self.baseline.set_errors(base["val_ae_loss"], base["val_pca_loss"], base.get("components", 0))
        if "val_errors.npy" in files:
            anomaly = spec is not None and spec.data.name == "heartbeat"
            thr = (files.get("anomaly.json") or {}).get("threshold")
            self.anomaly.set_errors({"ae": files["val_errors.npy"], "labels": files.get("val_labels.npy"),
                                     "anomaly": anomaly, "threshold": thr})

    def curves(self, view: str) -> dict[str, Any]:
        w = self._views.get(view, (None, None))[1]
        return w.curves() if w is not None else {}

    def restyle(self) -> None:
        err = "#ff7070" if self.tm.theme.dark else "#b00000"
        for p in (self.data_panel, self.model_panel):
            p.set_error_color(err)


__all__ = ["AutoencoderWorkspace", "TITLES", "NOTES"]
