"""Background noise made at load time: white, pink, brown and mains hum.

Used twice: mixed under spoken words (so the recogniser learns to ignore a noisy room) and
on its own as the ``_silence_`` class. Generating it costs a few milliseconds and nothing
has to be shipped.
"""

from __future__ import annotations

import numpy as np

NOISE_KINDS = ("white", "pink", "brown", "hum")


def noise_bank(rng: np.random.Generator, seconds: float = 8.0, rate: int = 16000) -> np.ndarray:
    """One stretch of each kind of noise, float32 ``[len(NOISE_KINDS), seconds * rate]``, unit RMS.

    Clips take random crops of it, so a long bank gives varied noise cheaply.
    """
    n = int(seconds * rate)
    white = rng.standard_normal(n)
    spectrum = np.fft.rfft(rng.standard_normal(n))
    freqs = np.fft.rfftfreq(n, 1.0 / rate)
    freqs[0] = freqs[1]                                   # no infinite DC
    pink = np.fft.irfft(spectrum / np.sqrt(freqs), n)     # power falls 3 dB per octave
    brown = np.fft.irfft(spectrum / np.maximum(freqs, 20.0), n)   # 6 dB per octave, flat below 20 Hz
    t = np.arange(n) / rate
    mains = 50.0 if rng.random() < 0.5 else 60.0
    hum = sum(np.sin(2 * np.pi * mains * k * t + rng.uniform(0, 2 * np.pi)) / k for k in (1, 2, 3, 5))
    hum = hum + 0.05 * white                             # a real hum comes with some hiss
    bank = np.stack([white, pink, brown, hum])
    bank -= bank.mean(axis=1, keepdims=True)
    bank /= np.sqrt(np.mean(np.square(bank), axis=1, keepdims=True))
    return bank.astype(np.float32)


def noise_clips(bank: np.ndarray, rng: np.random.Generator, count: int, length: int) -> np.ndarray:
    """``count`` random crops of ``length`` samples from random kinds in ``bank``, float32, ~unit RMS."""
    kinds = rng.integers(0, bank.shape[0], size=count)
    starts = rng.integers(0, bank.shape[1] - length + 1, size=count)
    windows = np.lib.stride_tricks.sliding_window_view(bank, length, axis=1)
    return windows[kinds, starts].astype(np.float32, copy=True)
