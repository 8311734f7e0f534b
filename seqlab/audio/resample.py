"""Polyphase windowed-sinc resampling in numpy, whole signals or block by block without seams.

The filter is the one ``scipy.signal.resample_poly`` designs by default (a Kaiser-windowed
sinc, beta 5, ``20 * max(up, down) + 1`` taps at the upsampled rate, cut-off at the lower
Nyquist frequency), so the results agree with scipy to float rounding; scipy is only needed by
the tests. The output is aligned with the input (zero phase): output sample ``k`` is the
signal at time ``k / sr_to``, with silence assumed outside the signal.

:class:`StreamResampler` gives exactly the same samples for a signal fed in blocks of any size:
it keeps the input tail the filter still needs and the index of the next output sample.
"""

from __future__ import annotations

from math import gcd

import numpy as np

_KAISER_BETA = 5.0
_HALF_LEN_PER_RATE = 10     # scipy's default: half_len = 10 * max(up, down)


def _ratio(sr_from: int, sr_to: int) -> tuple[int, int]:
    for name, v in (("sr_from", sr_from), ("sr_to", sr_to)):
        if isinstance(v, bool) or int(v) != v or v <= 0:
            raise ValueError(f"resample: {name} must be a positive whole number of Hz, got {v!r}")
    sr_from, sr_to = int(sr_from), int(sr_to)
    g = gcd(sr_from, sr_to)
    return sr_to // g, sr_from // g


def _polyphase_filter(up: int, down: int) -> tuple[np.ndarray, int]:
    """Return (phases [up, taps_per_phase], half_len): phases[p, t] = h[p + t * up]."""
    half_len = _HALF_LEN_PER_RATE * max(up, down)
    n = 2 * half_len + 1
    cutoff = 1.0 / max(up, down)                       # fraction of the upsampled Nyquist
    m = np.arange(n) - half_len
    h = cutoff * np.sinc(cutoff * m) * np.kaiser(n, _KAISER_BETA)
    h *= up / h.sum()                                  # unit DC gain after zero-stuffing by `up`
    taps = -(-n // up)
    padded = np.zeros(taps * up)
    padded[:n] = h
    return padded.reshape(taps, up).T.copy(), half_len


def _output_len(n_in: int, up: int, down: int) -> int:
    return -(-n_in * up // down)                       # ceil, like resample_poly


class StreamResampler:
    """Resample consecutive blocks of one signal; the concatenated output equals :func:`resample`.

    Each :meth:`process` call returns the output samples whose filter support is already
    known (a delay of ``half_len / up`` input samples, under 1 ms for 48000 -> 16000 Hz);
    :meth:`flush` returns the rest, treating the future as silence.
    """

    def __init__(self, sr_from: int, sr_to: int):
        self.up, self.down = _ratio(sr_from, sr_to)
        self.sr_from, self.sr_to = int(sr_from), int(sr_to)
        self._phases, self._half = _polyphase_filter(self.up, self.down)
        self._taps = self._phases.shape[1]
        self._n_in = 0            # input samples seen so far
        self._k = 0               # index of the next output sample
        self._tail = np.zeros(0)  # input samples [n_in - len(tail), n_in)

    def _emit(self, k_stop: int) -> np.ndarray:
        """Compute outputs [self._k, k_stop) from the tail (zeros outside the signal)."""
        if k_stop <= self._k:
            return np.zeros(0)
        up, down, taps = self.up, self.down, self._taps
        k = np.arange(self._k, k_stop, dtype=np.int64)
        pos = k * down + self._half             # position in the upsampled, filtered signal
        newest = pos // up                      # newest input sample under the filter
        phase = pos % up
        base = self._n_in - len(self._tail)     # position of tail[0]
        # Zero padding: `taps` samples before the tail (the signal start, or already discarded
        # history that no remaining output needs) and after it (the future in flush()).
        lo = int(newest.min()) - taps + 1
        hi = int(newest.max()) + 1
        buf = np.zeros(hi - lo)
        a, b = max(lo, base), min(hi, self._n_in)
        if b > a:
            buf[a - lo:b - lo] = self._tail[a - base:b - base]
        idx = (newest - lo)[:, None] - np.arange(taps)[None, :]
        y = np.einsum("kt,kt->k", buf[idx], self._phases[phase])
        self._k = k_stop
        return y

    def process(self, block: np.ndarray) -> np.ndarray:
        """Feed the next input block; return the output samples now computable (float32)."""
        return self._process(block).astype(np.float32)

    def flush(self) -> np.ndarray:
        """Return the remaining output samples, as if the signal ended here (silence after it)."""
        return self._flush().astype(np.float32)

    def _process(self, block: np.ndarray) -> np.ndarray:
        block = np.asarray(block, dtype=np.float64).reshape(-1)
        self._tail = np.concatenate([self._tail, block])
        self._n_in += len(block)
        if self.up == self.down:
            out, self._tail = self._tail, np.zeros(0)
            self._k = self._n_in
            return out
        # Output k needs inputs up to (k*down + half) // up: emit every k with that < n_in.
        k_stop = max(self._k, -(-(self._n_in * self.up - self._half) // self.down))
        k_stop = min(k_stop, _output_len(self._n_in, self.up, self.down))
        out = self._emit(k_stop)
        # Keep only the input that future outputs can still reach.
        oldest_needed = (self._k * self.down + self._half) // self.up - self._taps + 1
        drop = max(0, min(len(self._tail), oldest_needed - (self._n_in - len(self._tail))))
        self._tail = self._tail[drop:]
        return out

    def _flush(self) -> np.ndarray:
        if self.up == self.down:
            return np.zeros(0)
        return self._emit(_output_len(self._n_in, self.up, self.down))


def resample(x: np.ndarray, sr_from: int, sr_to: int) -> np.ndarray:
    """Resample a 1-D signal from ``sr_from`` to ``sr_to`` Hz (ceil(len * sr_to / sr_from) samples).

    Returns float32 for float32 input and float64 otherwise.
    """
    x = np.asarray(x)
    if x.ndim != 1:
        raise ValueError(f"resample expects a 1-D signal (mono samples), got shape {x.shape}")
    out_dtype = np.float32 if x.dtype == np.float32 else np.float64
    up, down = _ratio(sr_from, sr_to)
    if up == down:
        return x.astype(out_dtype, copy=True)
    r = StreamResampler(sr_from, sr_to)
    # Large inputs go through in chunks so the gather matrix stays small (a few MB).
    chunk = 1 << 16
    parts = [r._process(x[i:i + chunk]) for i in range(0, len(x), chunk)] + [r._flush()]
    return np.concatenate(parts).astype(out_dtype)
