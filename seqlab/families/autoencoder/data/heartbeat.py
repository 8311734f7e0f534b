"""Heartbeat-like signals with injected anomalies, for anomaly detection by reconstruction error.

An ECG-shaped trace is drawn beat by beat: every beat is a sum of Gaussians (P wave, Q, R, S,
T wave) around its R peak, the beats follow a rhythm with heart-rate variability (a
breathing-paced swing plus random drift of the beat-to-beat interval), and a slow baseline
wander and sensor noise are added. At random beats one of four anomalies is injected:

==============  ==========================================================================
premature       an early, wide, tall ectopic beat without a P wave (like a premature
                ventricular contraction) followed by a compensatory pause
dropout         either a missing beat (a flat stretch where a beat should be) or a flat
                segment of 0.8-2 s where the sensor lost contact (the signal reads 0)
noise_burst     0.6-1.5 s of strong noise (muscle activity, a loose electrode)
baseline_shift  the trace jumps up or down by 0.4-0.8 for 1-2.5 s and comes back
==============  ==========================================================================

Rhythm, beat shapes, wander and noise come from seeded streams separate from the anomalies,
so the same seed gives the same normal trace with or without anomalies: outside the labelled
spans the signal is exactly the anomaly-free one. Same arguments, identical arrays.

``heartbeat_dataset`` turns a trace into the windows an autoencoder learns from: split in
time order (train, validation, test), normal-only training windows (the model must learn
what normal looks like), mixed validation and test windows with labels, all standardised
with the training windows' mean and spread. Numpy only.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from seqlab.core.errors import DataError
from seqlab.families.recurrent.data.base import mean_std, part_sizes

KINDS = ("premature", "dropout", "noise_burst", "baseline_shift")
MAX_SAMPLES = 20_000_000     # 200,000 s at 100 Hz; beyond it the lab would only wait or swap

# (amplitude, offset from the R peak in s, width in s) of a normal beat's waves. The T wave's
# offset stretches with the beat interval (QT grows with RR, Bazett): see _normal_waves.
_P, _Q, _R, _S = (0.12, -0.18, 0.025), (-0.12, -0.035, 0.010), (1.0, 0.0, 0.011), (-0.22, 0.035, 0.012)
_T = (0.28, 0.24, 0.045)
# An ectopic ventricular beat: no P wave, a wide tall QRS and a wide inverted T wave.
_ECTOPIC = ((-0.35, -0.05, 0.025), (1.4, 0.0, 0.03), (-0.6, 0.07, 0.03), (-0.35, 0.30, 0.07))
# Beats are drawn, and anomaly spans reach, 4 widths past a beat's outermost waves: there a
# wave is below 0.04% of its height, so outside the spans the trace is the normal one.
_REACH = 4.0
# No R peak this close to the ends, so every beat is drawn whole.
_MARGIN = 0.6
_STREAMS = {"rhythm": 1, "shape": 2, "noise": 3, "anomaly": 4}


@dataclass(frozen=True)
class AnomalySpan:
    start: int      # first anomalous sample
    stop: int       # one past the last
    kind: str       # one of KINDS


@dataclass
class Heartbeat:
    signal: np.ndarray              # float32 [L]
    labels: np.ndarray              # int64 [L]: 1 inside an anomaly span, else 0
    spans: list[AnomalySpan]        # in time order, never overlapping
    beats: np.ndarray               # int64 [B]: sample of each R peak actually drawn
    sample_rate: float


# --- the signal -----------------------------------------------------------------------------

def generate_heartbeat(duration_s: float = 900.0, sample_rate: float = 100.0,
                       heart_rate: float = 70.0, hrv: float = 0.04, noise: float = 0.02,
                       wander: float = 0.05, anomaly_rate: float = 0.025,
                       kinds: tuple[str, ...] = KINDS, seed: int = 0) -> Heartbeat:
    """A heartbeat-like trace of `duration_s` seconds with anomalies injected at random beats.

    `heart_rate` is the mean in beats per minute; `hrv` the relative spread of the
    beat-to-beat interval; `noise` the sensor noise and `wander` the baseline wander
    amplitude (the R wave is about 1). Each beat starts an anomaly of a kind drawn from
    `kinds` with probability `anomaly_rate`; at least three normal beats separate anomalies.
    """
    _check_signal_args(duration_s, sample_rate, heart_rate, hrv, noise, wander, anomaly_rate, kinds, seed)
    fs = float(sample_rate)
    n = int(round(duration_s * fs))
    rng = {k: np.random.default_rng([seed, s]) for k, s in _STREAMS.items()}
    r_times = _rhythm(rng["rhythm"], duration_s, heart_rate, hrv)
    scales = rng["shape"].normal(1.0, 0.05, len(r_times))
    t = np.arange(n) / fs
    base = wander * (np.sin(2 * np.pi * 0.22 * t + rng["noise"].uniform(0, 2 * np.pi))
                     + 0.5 * np.sin(2 * np.pi * 0.05 * t + rng["noise"].uniform(0, 2 * np.pi)))
    sensor = rng["noise"].normal(0.0, noise, n)

    beats = {i: (r_times[i], _normal_waves(r_times, i)) for i in range(len(r_times))}
    spans, edits = _inject_all(rng["anomaly"], r_times, beats, fs, n, anomaly_rate, kinds, 60.0 / heart_rate)

    signal = base + sensor
    for i, (r, waves) in beats.items():
        _draw_beat(signal, fs, r, waves, scales[i])
    for edit in edits:
        edit(signal)
    labels = np.zeros(n, np.int64)
    for s in spans:
        labels[s.start:s.stop] = 1
    drawn = np.array(sorted(int(round(r * fs)) for r, _ in beats.values()), np.int64)
    return Heartbeat(signal.astype(np.float32), labels, spans, drawn, fs)


def _rhythm(rng: np.random.Generator, duration_s: float, heart_rate: float, hrv: float) -> np.ndarray:
    """R-peak times in seconds: breathing-paced swing plus AR(1) drift of the interval."""
    rr0 = 60.0 / heart_rate
    phase = rng.uniform(0, 2 * np.pi)
    times, t, drift = [], _MARGIN + rng.uniform(0, rr0), 0.0
    while t < duration_s - _MARGIN:
        times.append(t)
        drift = 0.7 * drift + math.sqrt(1 - 0.49) * rng.normal()
        resp = math.sin(2 * np.pi * t / 4.0 + phase)            # breathing every ~4 s
        t += rr0 * max(0.6, 1.0 + hrv * (0.7 * resp + drift))
    return np.array(times)


def _normal_waves(r_times: np.ndarray, i: int) -> tuple:
    rr = r_times[i] - r_times[i - 1] if i > 0 else r_times[1] - r_times[0]
    a, mu, w = _T
    return (_P, _Q, _R, _S, (a, mu * math.sqrt(rr / 0.857), w))


def _reach(waves: tuple) -> tuple[float, float]:
    """Seconds before and after the R peak that a beat's waves reach."""
    return (max(_REACH * w - mu for _, mu, w in waves), max(mu + _REACH * w for _, mu, w in waves))


def _draw_beat(signal: np.ndarray, fs: float, r: float, waves: tuple, scale: float) -> None:
    before, after = _reach(waves)
    lo = max(0, int(math.floor((r - before) * fs)))
    hi = min(len(signal), int(math.ceil((r + after) * fs)) + 1)
    tt = np.arange(lo, hi) / fs - r
    for a, mu, w in waves:
        signal[lo:hi] += scale * a * np.exp(-0.5 * ((tt - mu) / w) ** 2)


def _inject_all(rng: np.random.Generator, r_times: np.ndarray, beats: dict, fs: float, n: int,
                rate: float, kinds: tuple[str, ...], rr0: float) -> tuple[list[AnomalySpan], list]:
    """Anomalies at random beats; the first and last three beats stay normal.

    After an anomaly, the next may start only once three normal beats have passed, so spans
    never overlap and normal stretches separate them whatever the heart rate.
    """
    spans, edits, free_from = [], [], 0.0
    for i in range(3, len(r_times) - 3):
        if r_times[i] < free_from or rng.random() >= rate:
            continue
        span, edit = _inject(kinds[rng.integers(len(kinds))], i, r_times, beats, fs, n, rng)
        spans.append(span)
        if edit is not None:
            edits.append(edit)
        free_from = span.stop / fs + 3 * rr0 + _reach(_normal_waves(r_times, i))[0]
    return spans, edits


def _inject(kind: str, i: int, r_times: np.ndarray, beats: dict, fs: float, n: int,
            rng: np.random.Generator):
    """The span of anomaly `kind` at beat i; changes `beats` and/or returns an edit of the signal."""
    r = r_times[i]
    before, after = _reach(beats[i][1])     # where the normal beat i would be

    def span(t0: float, t1: float) -> AnomalySpan:
        return AnomalySpan(max(0, int(math.floor(t0 * fs))), min(n, int(math.ceil(t1 * fs))), kind)

    if kind == "premature":
        # Early by 30-45% of the interval; the next beat keeps its time (compensatory pause).
        t_pvc = r_times[i - 1] + rng.uniform(0.55, 0.7) * (r - r_times[i - 1])
        beats[i] = (t_pvc, _ECTOPIC)
        e_before, e_after = _reach(_ECTOPIC)
        return span(t_pvc - e_before, max(r + after, t_pvc + e_after)), None
    if kind == "dropout":
        if rng.random() < 0.5:
            del beats[i]                       # a missing beat
            return span(r - before, r + after), None
        s = span(r - before, r - before + rng.uniform(0.8, 2.0))
        flat = rng.normal(0.0, 0.002, s.stop - s.start)

        def edit(sig, s=s, flat=flat):        # the sensor reads ~0 while it has no contact
            sig[s.start:s.stop] = flat
        return s, edit
    if kind == "noise_burst":
        s = span(r - before, r - before + rng.uniform(0.6, 1.5))
        burst = rng.normal(0.0, rng.uniform(0.25, 0.45), s.stop - s.start)

        def edit(sig, s=s, burst=burst):
            sig[s.start:s.stop] += burst
        return s, edit
    # baseline_shift: ramps of 0.1 s in and out, all inside the span.
    s = span(r - before, r - before + rng.uniform(1.0, 2.5))
    m = s.stop - s.start
    ramp = min(int(0.1 * fs), m // 2)
    shape = np.ones(m)
    if ramp > 0:
        shape[:ramp] = np.linspace(0, 1, ramp + 1)[1:]
        shape[m - ramp:] = np.linspace(1, 0, ramp + 1)[:-1]
    offset = rng.choice([-1.0, 1.0]) * rng.uniform(0.4, 0.8)

    def edit(sig, s=s, shape=shape, offset=offset):
        sig[s.start:s.stop] += offset * shape
    return s, edit


def _check_signal_args(duration_s, sample_rate, heart_rate, hrv, noise, wander, anomaly_rate, kinds, seed):
    def number(name, v, lo, hi):
        if isinstance(v, bool) or not isinstance(v, (int, float, np.integer, np.floating)) \
                or not math.isfinite(v) or not lo <= v <= hi:
            raise DataError(f"{name} must be a number from {lo:g} to {hi:g}, got {v!r}")

    number("sample_rate", sample_rate, 50, 10_000)      # below 50 Hz the R wave falls between samples
    number("heart_rate", heart_rate, 30, 200)
    number("duration_s", duration_s, 10 * 60.0 / heart_rate, MAX_SAMPLES / sample_rate)
    number("hrv", hrv, 0, 0.3)
    number("noise", noise, 0, 1)
    number("wander", wander, 0, 1)
    number("anomaly_rate", anomaly_rate, 0, 0.2)
    if isinstance(kinds, str) or not kinds or any(k not in KINDS for k in kinds):
        raise DataError(f"kinds must be a non-empty list of {', '.join(map(repr, KINDS))}, got {kinds!r}")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise DataError(f"seed must be a whole number >= 0, got {seed!r}")


# --- windows --------------------------------------------------------------------------------

@dataclass
class Windows:
    x: np.ndarray           # float32 [n, length], raw signal values
    labels: np.ndarray      # int64 [n]: 1 when the window is anomalous
    share: np.ndarray       # float32 [n]: share of the window's samples inside an anomaly
    starts: np.ndarray      # int64 [n]: first sample of each window in the signal
    kinds: list[str]        # per window, the kinds of anomaly it touches joined by '+', '' if none


def make_windows(hb: Heartbeat, length: int = 150, stride: int | None = None,
                 label_share: float = 0.0, start: int = 0, stop: int | None = None) -> Windows:
    """Cut samples [start, stop) of the trace into windows of `length`, `stride` apart.

    A window is labelled anomalous (1) when more than `label_share` of its samples lie in
    an anomaly span; the default 0 means any anomalous sample. `stride` defaults to
    `length` (no overlap). Windows never reach past `stop`.
    """
    n = len(hb.signal)
    stop = n if stop is None else stop
    length, stride = _check_window_args(length, stride, label_share)
    if not 0 <= start <= stop <= n:
        raise DataError(f"window range {start}..{stop} is outside the signal of {n} samples")
    first = np.arange(start, stop - length + 1, stride, dtype=np.int64)
    idx = first[:, None] + np.arange(length)
    share = hb.labels[idx].mean(axis=1).astype(np.float32) if len(first) else np.zeros(0, np.float32)
    labels = ((share > label_share) & (share > 0)).astype(np.int64)
    kinds = []
    for s0 in first:
        touched = [sp.kind for sp in hb.spans if sp.start < s0 + length and sp.stop > s0]
        kinds.append("+".join(dict.fromkeys(touched)))
    x = hb.signal[idx] if len(first) else np.zeros((0, length), np.float32)
    return Windows(np.ascontiguousarray(x, np.float32), labels, share, first, kinds)


def _check_window_args(length, stride, label_share) -> tuple[int, int]:
    if isinstance(length, bool) or not isinstance(length, (int, np.integer)) or length < 2:
        raise DataError(f"window length must be a whole number of samples >= 2, got {length!r}")
    stride = length if stride is None else stride
    if isinstance(stride, bool) or not isinstance(stride, (int, np.integer)) or stride < 1:
        raise DataError(f"window stride must be a whole number of samples >= 1, got {stride!r}")
    if isinstance(label_share, bool) or not isinstance(label_share, (int, float)) or not 0 <= label_share < 1:
        raise DataError(f"label_share must be a number from 0 up to (not including) 1, got {label_share!r}")
    return int(length), int(stride)


# --- the data set an autoencoder trains on --------------------------------------------------

@dataclass
class HeartbeatData:
    x_train: np.ndarray         # float32 [n, T], standardised, normal windows only
    x_val: np.ndarray           # float32 [n, T], standardised, normal and anomalous
    y_val: np.ndarray           # int64 [n]: 1 anomalous
    x_test: np.ndarray
    y_test: np.ndarray
    mean: float                 # raw = x * std + mean
    std: float
    heartbeat: Heartbeat        # the whole raw trace, for plots
    split_index: tuple[int, int]    # samples where training ends and validation ends
    val: Windows = field(repr=False)    # raw windows with shares, starts and kinds
    test: Windows = field(repr=False)


def heartbeat_dataset(length: int = 150, stride: int | None = None, val_fraction: float = 0.15,
                      test_fraction: float = 0.15, label_share: float = 0.0, seed: int = 0,
                      **signal) -> HeartbeatData:
    """Windows of a generated trace, split in time order, for anomaly detection.

    The trace (``generate_heartbeat(seed=seed, **signal)``) is cut into a training,
    validation and test stretch; each is windowed on its own (no window straddles two).
    Training keeps only windows without a single anomalous sample; validation and test keep
    every window with its label. All are standardised with the training windows' mean and
    standard deviation. `stride` defaults to half the window.
    """
    for name, f in (("val_fraction", val_fraction), ("test_fraction", test_fraction)):
        if isinstance(f, bool) or not isinstance(f, (int, float)) or not 0 <= f <= 0.45:
            raise DataError(f"{name} must be a number from 0 to 0.45, got {f!r}")
    unknown = sorted(set(signal) - _SIGNAL_ARGS)
    if unknown:
        raise DataError(f"unknown heartbeat setting {unknown[0]!r}; the settings are "
                        + ", ".join(sorted(_SIGNAL_ARGS)))
    stride = max(1, length // 2) if stride is None and isinstance(length, int) else stride
    _check_window_args(length, stride, label_share)
    hb = generate_heartbeat(seed=seed, **signal)
    n_train, n_val, _ = part_sizes(len(hb.signal), val_fraction, test_fraction)
    cuts = (n_train, n_train + n_val)
    train = make_windows(hb, length, stride, label_share, 0, cuts[0])
    val = make_windows(hb, length, stride, label_share, cuts[0], cuts[1])
    test = make_windows(hb, length, stride, label_share, cuts[1], len(hb.signal))
    normal = train.x[train.share == 0]
    if len(normal) == 0:
        raise DataError(f"no normal training window of {length} samples: make the signal longer "
                        "(duration_s), the windows shorter or anomaly_rate lower")
    for name, part, f in (("validation", val, val_fraction), ("test", test, test_fraction)):
        if f > 0 and len(part.x) == 0:
            raise DataError(f"the {name} stretch is shorter than one window of {length} samples; "
                            f"make the signal longer (duration_s) or raise the fraction")
    mean, std = (float(v) for v in mean_std(normal))
    z = lambda a: ((a - mean) / std).astype(np.float32)  # noqa: E731
    return HeartbeatData(z(normal), z(val.x), val.labels, z(test.x), test.labels, mean, std,
                         hb, cuts, val, test)


_SIGNAL_ARGS = {"duration_s", "sample_rate", "heart_rate", "hrv", "noise", "wander", "anomaly_rate", "kinds"}
