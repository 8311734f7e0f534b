"""Fitting a recording into the fixed 1-second window the recogniser reads.

Longer recordings keep their loudest stretch (where the word is, not the silence or the
click before it); shorter ones are centred in silence.
"""

from __future__ import annotations

import numpy as np

SAMPLE_RATE = 16000
CLIP_SAMPLES = SAMPLE_RATE      # one second


def loudest_window_start(x: np.ndarray, length: int) -> int:
    """Start index of the ``length``-sample window of ``x`` with the most energy (0 if x is shorter)."""
    if x.size <= length:
        return 0
    energy = np.concatenate(([0.0], np.cumsum(np.square(x, dtype=np.float64))))
    window = energy[length:] - energy[:-length]
    # Ties (e.g. all silence) resolve to the centre rather than the start, so a quiet file crops evenly.
    best = np.flatnonzero(window >= window.max() * (1 - 1e-9))
    return int(best[len(best) // 2])


def fit_to_window(x: np.ndarray, length: int = CLIP_SAMPLES) -> np.ndarray:
    """Crop ``x`` to its loudest ``length`` samples, or centre it in zeros; returns float32 [length]."""
    x = np.asarray(x, dtype=np.float32)
    if x.size >= length:
        s = loudest_window_start(x, length)
        return x[s:s + length].copy()
    out = np.zeros(length, dtype=np.float32)
    left = (length - x.size) // 2
    out[left:left + x.size] = x
    return out


def trim_silence(x: np.ndarray, rate: int = SAMPLE_RATE, floor_db: float = -40.0, margin_s: float = 0.03) -> np.ndarray:
    """Drop leading and trailing stretches quieter than ``floor_db`` below the loudest 10-ms frame.

    A margin is kept on each side so soft onsets (the "f" of "four", the "s" of "six") survive.
    Returns an empty array when the whole signal is silent.
    """
    x = np.asarray(x, dtype=np.float32)
    frame = max(1, rate // 100)
    n = x.size // frame
    if n == 0:
        return x.copy()
    rms = np.sqrt(np.mean(np.square(x[:n * frame].reshape(n, frame), dtype=np.float64), axis=1))
    peak = rms.max()
    if peak <= 1e-6:
        return x[:0].copy()
    loud = np.flatnonzero(rms >= peak * 10 ** (floor_db / 20))
    margin = int(round(margin_s * rate))
    start = max(0, loud[0] * frame - margin)
    stop = min(x.size, (loud[-1] + 1) * frame + margin)
    return x[start:stop].copy()
