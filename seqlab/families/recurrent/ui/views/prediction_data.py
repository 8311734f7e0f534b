"""What a predictions dict means, before anything is drawn: which layout it calls for, and its
arrays brought to the shapes and units that layout draws (targets un-normalised, sequences
as [samples, T, outputs], time steps placed on the whole series), with the figures the
read-out states (mean errors, R², accuracy).

Plain numpy, no Qt: everything that can be wrong with a dict (a missing array, sizes that
disagree) is found here and raised as ``ValueError`` before a plot is touched, and the
Predictions view turns it into a one-line message.
"""

from __future__ import annotations

from typing import Any, Mapping

import numpy as np

__all__ = ["choose_mode", "series_data", "series_readout", "scatter_data", "sequence_data",
           "classification_data", "fmt_value"]


def _arr(d: Mapping[str, Any], key: str, dtype=np.float64) -> np.ndarray | None:
    v = d.get(key)
    return None if v is None else np.asarray(v, dtype=dtype)


def _need(d: Mapping[str, Any], key: str) -> np.ndarray:
    """The array ``key``, which the layout cannot do without."""
    a = _arr(d, key)
    if a is None:
        raise ValueError(f"no {key}")
    return a


def choose_mode(d: Mapping[str, Any]) -> str:
    """The layout a predictions dict calls for: 'series', 'scatter', 'sequence' or
    'classification' (see the Predictions view's module docstring)."""
    kind = str(d.get("kind", "")).lower()
    if kind == "classification" or ("probs" in d and kind != "regression"):
        return "classification"
    if "series_true" in d:
        return "series"
    if "pred" in d and "y" in d:
        pred = np.asarray(d["pred"])
        task = str(d.get("task", "")).lower()
        if pred.ndim == 3 or task in ("many-to-many", "one-to-many"):
            return "sequence"
        return "scatter"
    raise ValueError("no series_true, pred/y or probs in the data" if d else "no data")


def series_data(d: Mapping[str, Any]) -> dict[str, Any]:
    """One long series: the truth, the one-step predictions and the free-running forecast,
    each with its time steps on the whole series (``t_offset`` is where the shown stretch
    starts), ``t0`` where free running begins, the plot's title and x range."""
    true = _need(d, "series_true").ravel()
    one = _arr(d, "one_step")
    free = _arr(d, "free_running")
    one = np.zeros(0) if one is None else one.ravel()
    free = np.zeros(0) if free is None else free.ravel()
    mean, std = d.get("target_mean"), d.get("target_std")
    if mean is not None and std is not None:
        m, s = float(np.ravel(mean)[0]), float(np.ravel(std)[0])
        true, one, free = true * s + m, one * s + m, free * s + m
    n = len(true)
    # one_step[i] predicts series_true[i]; a shorter one ends where the series ends
    x_one = np.arange(n - len(one), n) if len(one) <= n else np.arange(len(one))
    t0 = int(d.get("t0", n - len(free) if len(free) <= n else 0))
    x_free = np.arange(t0, t0 + len(free))
    off = int(d.get("t_offset") or 0)  # where the shown stretch starts in the whole series
    x_true, x_one, x_free = np.arange(n) + off, x_one + off, x_free + off
    last = max(x_true[-1] if n else off, x_free[-1] if len(free) else off, off + 1)
    return {"x_true": x_true, "true": true, "x_one": x_one, "one": one,
            "x_free": x_free, "free": free, "t0": t0 + off,
            "title": str(d.get("label") or "Forecast"), "x_range": (off, last)}


def _mean_error(i: np.ndarray, pred: np.ndarray, true: np.ndarray) -> float | None:
    """Mean |pred - true| over the predictions whose index ``i`` into the true series lies
    within it."""
    ok = (i >= 0) & (i < len(true))
    return float(np.mean(np.abs(pred[ok] - true[i[ok]]))) if ok.any() else None


def series_readout(s: Mapping[str, Any]) -> str:
    """The one-step and free-running mean errors of :func:`series_data`'s result."""
    parts = []
    start = s["x_true"][0] if len(s["x_true"]) else 0   # the time steps count from t_offset
    for key, name in (("one", "one-step"), ("free", "free-running")):
        if len(s[key]):
            err = _mean_error(s["x_" + key] - start, s[key], s["true"])
            if err is not None:
                parts.append(f"{name} mean error <b>{err:.3g}</b>")
    return " · ".join(parts)


def scatter_data(d: Mapping[str, Any]) -> dict[str, Any]:
    """Independent sequences: ``pred`` and ``y`` as [N, O], the inputs ``x`` as [N, T, F]
    (None when absent or of another shape), the finite points, the diagonal's ends and the
    read-out's figures."""
    pred = np.atleast_1d(_need(d, "pred"))
    y = np.atleast_1d(_need(d, "y"))
    if pred.size != y.size:
        raise ValueError(f"pred has {pred.size} values but y has {y.size}")
    if pred.ndim == 1:
        pred, y = pred[:, None], y.reshape(-1, 1)
    pred = pred.reshape(len(pred), -1)
    y = y.reshape(pred.shape)
    x = d.get("x", d.get("inputs"))
    x = None if x is None else np.asarray(x, np.float64)
    if x is not None and (x.ndim not in (2, 3) or len(x) != len(pred)):
        x = None
    if x is not None and x.ndim == 2:
        x = x[:, :, None]
    ok = np.isfinite(pred) & np.isfinite(y)
    if ok.any():
        lo = float(min(y[ok].min(), pred[ok].min()))
        hi = float(max(y[ok].max(), pred[ok].max()))
        pad = 0.05 * (hi - lo or 1.0)
        diagonal = [lo - pad, hi + pad]
        err = pred[ok] - y[ok]
        ss_tot = float(np.sum((y[ok] - y[ok].mean()) ** 2))
        r2 = 1 - float(np.sum(err ** 2)) / ss_tot if ss_tot > 0 else float("nan")
        text = f"{ok.sum():,} predictions · mean error <b>{np.mean(np.abs(err)):.3g}</b>"
        if np.isfinite(r2):
            text += f" · R² <b>{r2:.3f}</b>"
    else:
        diagonal = []
        text = "no finite predictions"
    return {"pred": pred, "y": y, "x": x, "points": (y[ok].ravel(), pred[ok].ravel()),
            "diagonal": diagonal, "text": text}


def sequence_data(d: Mapping[str, Any]) -> dict[str, Any]:
    """Many-to-many regression: ``pred`` and ``y`` as [N, T, O], in the target's units."""
    pred = _need(d, "pred")
    y = _need(d, "y")
    if pred.size != y.size:
        raise ValueError(f"pred has {pred.size} values but y has {y.size}")
    if pred.ndim == 1:
        pred = pred[:, None]
    if pred.ndim == 2:
        pred = pred[None]
    pred = pred.reshape(pred.shape[0], pred.shape[1], -1)
    y = y.reshape(pred.shape)
    mean, std = d.get("target_mean"), d.get("target_std")
    if mean is not None and std is not None:
        pred = pred * np.asarray(std, np.float64) + np.asarray(mean, np.float64)
        y = y * np.asarray(std, np.float64) + np.asarray(mean, np.float64)
    return {"pred": pred, "y": y}


def classification_data(d: Mapping[str, Any]) -> dict[str, Any]:
    """Class probabilities [N, C], labels [N] (None when absent or of another size), class
    names, the predicted classes, the accuracy and the samples predicted wrong."""
    probs = _need(d, "probs")
    if probs.ndim == 1:
        probs = probs[None]
    probs = probs.reshape(-1, probs.shape[-1])
    N, C = probs.shape
    if N == 0 or C == 0:
        raise ValueError("no samples")
    y = d.get("y")
    y = None if y is None else np.asarray(y).ravel()
    if y is not None and y.size != N:
        y = None
    if y is not None:
        y = y.astype(np.int64)
    names = [str(n) for n in (d.get("class_names") or [])]
    if len(names) != C:
        names = [f"class {k}" for k in range(C)]
    pred = np.argmax(np.nan_to_num(probs, nan=-1.0), axis=1)
    acc = float(np.mean(pred == y)) if y is not None else None
    wrong = np.flatnonzero(pred != y) if y is not None else np.zeros(0, np.int64)
    return {"probs": probs, "y": y, "names": names, "pred": pred, "acc": acc,
            "wrong": wrong, "true": None}


def fmt_value(v) -> str:
    """A value (or the first few of a vector) in three significant digits."""
    a = np.ravel(v)
    if a.size == 1:
        return f"{float(a[0]):.3g}"
    return "[" + ", ".join(f"{float(x):.3g}" for x in a[:4]) + (", …]" if a.size > 4 else "]")
