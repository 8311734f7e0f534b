"""The live data the autoencoder's views draw, computed on the training thread on demand.

- ``reconstructions``: a few validation inputs (noisy ones when denoising), their clean
  targets, the autoencoder's and PCA's reconstructions.
- ``latent``: the codes of up to ``LATENT_POINTS`` validation samples, in 2-D (projected on
  their top two principal directions when the latent is larger), their labels, and, when
  the request holds ``decode`` (a 2-D point), that point decoded.
- ``errors``: every validation sample's reconstruction error (autoencoder and PCA) with its
  label; for series, the validation stretch and where each window starts.

Each function takes the trainable and the views' request and returns plain numpy arrays.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from .anomaly import percentile_threshold
from .pca import project_2d

LATENT_POINTS = 600
SHOWN_IMAGES = 10
SHOWN_CURVES = 4


def shown_indices(tr) -> np.ndarray:
    """Which validation samples the reconstruction view shows: one of each digit for labelled
    sets; for anomaly sets, normal and anomalous windows; otherwise the first few."""
    d = tr.data
    n = len(d.x_val)
    if n == 0:
        return np.zeros(0, np.int64)
    if d.kind == "image" and d.y_val is not None:
        picks = [int(np.flatnonzero(d.y_val == c)[0]) for c in range(10) if np.any(d.y_val == c)]
        return np.array(picks[:SHOWN_IMAGES], np.int64)
    if d.anomaly and d.y_val is not None:
        normal, odd = np.flatnonzero(d.y_val == 0), np.flatnonzero(d.y_val == 1)
        half = SHOWN_CURVES // 2
        picks = list(normal[:: max(1, len(normal) // half)][:half]) + list(odd[:: max(1, len(odd) // half)][:half])
        return np.array(picks[:SHOWN_CURVES], np.int64)
    count = SHOWN_IMAGES if d.kind == "image" else SHOWN_CURVES
    return np.linspace(0, n - 1, min(n, count)).astype(np.int64)


def reconstructions(tr, request: dict[str, Any]) -> dict[str, Any] | None:
    d = tr.data
    idx = shown_indices(tr)
    if len(idx) == 0:
        return None
    inputs = tr.inputs["val"][idx]
    out = tr.reconstruct(inputs)
    names = d.label_names
    labels = [names[int(y)] if names is not None and d.y_val is not None else "" for y in
              (d.y_val[idx] if d.y_val is not None else idx)]
    return {"kind": d.kind, "inputs": inputs.copy(), "targets": d.x_val[idx].copy(), "outputs": out,
            "pca": tr.pca.reconstruct(inputs), "labels": labels, "index": idx,
            "denoising": tr.denoising, "value_range": d.value_range}


@torch.no_grad()
def latent(tr, request: dict[str, Any]) -> dict[str, Any] | None:
    d = tr.data
    n = min(len(d.x_val), LATENT_POINTS)
    if n == 0:
        return None
    was = tr.model.training
    tr.model.eval()
    try:
        z = tr.model.encode(torch.as_tensor(tr.inputs["val"][:n]).to(tr.device)).cpu().numpy()
        pts, mean, basis = project_2d(z)
        payload = {"points": pts, "labels": d.y_val[:n].copy() if d.y_val is not None else None,
                   "label_names": d.label_names, "latent": int(z.shape[1]), "projected": z.shape[1] > 2,
                   "kind": d.kind, "value_range": d.value_range}
        at = request.get("decode")
        if at is not None:
            p = np.asarray(at, np.float32).reshape(1, 2)
            code = mean + p @ basis if z.shape[1] > 2 else p[:, :z.shape[1]]
            payload["decoded"] = tr.model.decode(torch.as_tensor(code, dtype=torch.float32)
                                                 .to(tr.device)).cpu().numpy()[0]
            payload["decode_at"] = p[0]
    finally:
        tr.model.train(was)
    return payload


def errors(tr, request: dict[str, Any]) -> dict[str, Any] | None:
    d = tr.data
    if len(d.x_val) == 0:
        return None
    ae = tr.errors("val").astype(np.float32)
    payload = {"ae": ae, "pca": tr.pca_errors("val").astype(np.float32),
               "labels": d.y_val.copy() if d.y_val is not None else None, "anomaly": d.anomaly,
               "label_names": d.label_names, "kind": d.kind, "components": tr.pca.k}
    if d.anomaly and d.y_val is not None:
        payload["threshold"] = percentile_threshold(ae, d.y_val)
    if d.val_signal is not None:
        payload.update(signal=d.val_signal, starts=d.val_starts, window=int(d.input_shape[0]),
                       signal_labels=d.val_signal_labels)
    return payload


KINDS = {"reconstructions": reconstructions, "latent": latent, "errors": errors}

__all__ = ["KINDS", "reconstructions", "latent", "errors", "shown_indices"]
