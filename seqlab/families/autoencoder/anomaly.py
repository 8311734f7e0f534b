"""Anomaly detection by reconstruction error: a threshold, and how good it is.

An autoencoder trained on normal data only reconstructs normal windows well and anomalous
ones badly, so "error above a threshold" flags anomalies. The rule used by default: the
``THRESHOLD_PERCENTILE``-th percentile of the errors of the *normal* validation windows (so
about 1 normal window in 100 is flagged falsely); the figures are then measured on the test
windows, which played no part in choosing it. The views let a person drag the threshold and
see precision, recall and F1 change. Numpy only (the window uses it too).
"""

from __future__ import annotations

import numpy as np

THRESHOLD_PERCENTILE = 99.0


def percentile_threshold(errors: np.ndarray, labels: np.ndarray, percentile: float = THRESHOLD_PERCENTILE) -> float:
    """The `percentile` of the errors of the normal (label 0) samples."""
    normal = np.asarray(errors)[np.asarray(labels) == 0]
    if len(normal) == 0:
        return float(np.max(errors)) if len(errors) else 0.0
    return float(np.percentile(normal, percentile))


def scores(errors: np.ndarray, labels: np.ndarray, threshold: float) -> dict[str, float]:
    """Precision, recall and F1 of flagging ``errors > threshold`` against `labels` (1: anomaly)."""
    flagged = np.asarray(errors) > threshold
    truth = np.asarray(labels).astype(bool)
    tp = int(np.sum(flagged & truth))
    fp = int(np.sum(flagged & ~truth))
    fn = int(np.sum(~flagged & truth))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "tp": tp, "fp": fp, "fn": fn,
            "flagged": int(flagged.sum())}


def flagged_spans(starts: np.ndarray, length: int, flagged: np.ndarray) -> list[tuple[int, int]]:
    """Sample ranges [start, stop) covered by flagged windows, overlapping ones merged."""
    spans: list[tuple[int, int]] = []
    for s in np.asarray(starts)[np.asarray(flagged, bool)]:
        s, e = int(s), int(s) + int(length)
        if spans and s <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(spans[-1][1], e))
        else:
            spans.append((s, e))
    return spans


__all__ = ["THRESHOLD_PERCENTILE", "percentile_threshold", "scores", "flagged_spans"]
