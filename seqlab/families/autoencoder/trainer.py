"""One autoencoder run as the engine trains it: data, model, the PCA baseline, the step.

The training step is the course's: reconstruct the input and minimise the mean squared
error to it. In denoising mode the model sees a freshly corrupted input at every step and
is scored against the clean one. Validation reports the autoencoder's error and the PCA
baseline's (same number of components, same inputs and targets) side by side, so
"non-linear beats linear" is a number in every run's summary; on heartbeats it also reports
precision / recall / F1 of the anomaly detector on the test windows.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch
import torch.nn.functional as F

from .anomaly import percentile_threshold, scores
from .data.build import AEData, build_data
from .data.digits import corrupt
from .model import build_model
from .pca import fit_pca

EVAL_CHUNK = 1024


class AutoencoderTrainable:
    monitor = "val_loss"
    watch = ("train_loss",)

    def __init__(self, spec, data: AEData | None = None):
        self.spec = spec
        self.data = data if isinstance(data, AEData) else build_data(spec.data)
        d, m = self.data, spec.model
        torch.manual_seed(spec.train.seed)
        self.model = build_model(m, d.input_shape, d.value_range)
        self.device = torch.device("cpu")
        self.optimizer = None
        self.denoising = m.mode == "denoising"
        lo, hi = d.value_range or (float(np.percentile(d.x_train, 1)), float(np.percentile(d.x_train, 99)))
        self._noise = dict(kind=m.noise, level=m.noise_level, values=(lo, hi), clip=d.value_range)
        self._rng = np.random.default_rng([spec.train.seed, 0xAE])
        # fixed corrupted inputs of validation and test, so their losses are comparable over time
        self.inputs = {s: self._corrupt(x, np.random.default_rng([spec.data.seed, i])) if self.denoising else x
                       for i, (s, x) in enumerate((("train", d.x_train), ("val", d.x_val), ("test", d.x_test)))}
        self.pca = fit_pca(d.x_train, m.latent)
        self._x = {s: torch.as_tensor(d.split(s)[0]) for s in ("train", "val", "test")}
        self._pca_cache: dict[str, np.ndarray] = {}

    def _corrupt(self, x: np.ndarray, rng) -> np.ndarray:
        n = self._noise
        return corrupt(x, n["kind"], n["level"], rng, clip=n["clip"], values=n["values"])

    # -- the engine's protocol --------------------------------------------------------------
    def modules(self) -> dict[str, Any]:
        return {"model": self.model}

    def setup(self, engine) -> None:
        self.device = engine.device
        self.model.to(self.device)
        self._x = {s: x.to(self.device) for s, x in self._x.items()}
        # once per run, not per step (the recurrent trainer does the same)
        self._params = list(self.model.parameters())
        self._named = list(self.model.named_parameters())
        self.optimizer = engine.make_optimizer(self._params)

    def batches(self, engine):
        n = len(self.data.x_train)
        bs = n if self.spec.train.batch_size == "all" else min(int(self.spec.train.batch_size), n)
        order = torch.randperm(n)
        for i in range(0, n - bs + 1 if n >= bs else 1, bs):
            yield order[i:i + bs]

    def training_step(self, idx, engine) -> dict[str, Any]:
        if not self.model.training:     # train() walks every submodule: only after eval mode
            self.model.train()
        target = self._x["train"][idx.to(self.device)]
        if self.denoising:
            noisy = self._corrupt(self.data.x_train[idx.numpy()], self._rng)
            inp = torch.as_tensor(noisy).to(self.device)
        else:
            inp = target
        loss = F.mse_loss(self.model(inp), target)
        out = engine.backward_step(engine.penalised(loss, self.model), self.optimizer, self._params,
                                   named=self._named)
        out["train_loss"] = loss.detach()
        return out

    # -- errors -----------------------------------------------------------------------------
    @torch.no_grad()
    def reconstruct(self, x: np.ndarray) -> np.ndarray:
        """The model's reconstructions of inputs `x` (numpy in, numpy out), in eval mode."""
        was = self.model.training
        self.model.eval()
        try:
            outs = [self.model(torch.as_tensor(x[i:i + EVAL_CHUNK]).to(self.device)).cpu().numpy()
                    for i in range(0, len(x), EVAL_CHUNK)]
        finally:
            self.model.train(was)
        return np.concatenate(outs) if outs else np.zeros_like(x)

    def errors(self, split: str) -> np.ndarray:
        """Each sample's mean squared reconstruction error of the clean `split` data."""
        x = self.data.split(split)[0]
        rec = self.reconstruct(self.inputs[split])
        return ((rec - x) ** 2).reshape(len(x), -1).mean(axis=1)

    def pca_errors(self, split: str) -> np.ndarray:
        """The same for the PCA baseline (fixed once fitted, so computed once)."""
        if split not in self._pca_cache:
            self._pca_cache[split] = self.pca.errors(self.inputs[split], self.data.split(split)[0])
        return self._pca_cache[split]

    def anomaly_figures(self, split: str = "test") -> dict[str, float]:
        """Precision / recall / F1 on `split` at the threshold chosen on the normal validation windows."""
        d = self.data
        thr = percentile_threshold(self.errors("val"), d.y_val)
        labels = d.y_test if split == "test" else d.y_val
        return {"threshold": thr, **scores(self.errors(split), labels, thr)}

    def evaluate(self, split: str, engine=None) -> dict[str, float]:
        x = self.data.split(split)[0]
        if len(x) == 0:
            return {}
        out = {f"{split}_loss": float(self.errors(split).mean()),
               f"{split}_pca_loss": float(self.pca_errors(split).mean())}
        if split == "test" and self.data.anomaly and len(self.data.x_val):
            f = self.anomaly_figures("test")
            out.update(test_precision=f["precision"], test_recall=f["recall"], test_f1=f["f1"],
                       anomaly_threshold=f["threshold"])
        return out

    # -- what the window and run folders are told ---------------------------------------------
    def shape_info(self) -> dict[str, Any]:
        return {"input_shape": list(self.data.input_shape), "latent": self.spec.model.latent,
                "kind": self.spec.model.kind,
                "parameters": int(sum(p.numel() for p in self.model.parameters()))}

    def describe(self) -> dict[str, Any]:
        n = len(self.data.x_train)
        bs = n if self.spec.train.batch_size == "all" else min(int(self.spec.train.batch_size), n)
        return {"parameters": self.shape_info()["parameters"], "n_val": len(self.data.x_val),
                "steps_per_epoch": max(1, n // bs), "data": self.data.description,
                "pca_val_loss": float(self.pca_errors("val").mean()) if len(self.data.x_val) else None}

    def snapshot(self, kind: str, request: dict[str, Any]) -> dict[str, Any] | None:
        from . import snapshots

        fn = snapshots.KINDS.get(kind)
        return fn(self, request) if fn is not None else None


__all__ = ["AutoencoderTrainable"]
