"""The numpy resampler agrees with scipy.signal.resample_poly and removes aliasing."""

from math import gcd

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from scipy.signal import resample_poly

from seqlab.audio.resample import resample

RATES = [8000, 11025, 16000, 22050, 32000, 44100, 48000]


@settings(max_examples=60, deadline=None)
@given(sr_from=st.sampled_from(RATES), sr_to=st.sampled_from(RATES), n=st.integers(1, 3000),
       seed=st.integers(0, 2 ** 31 - 1))
def test_matches_scipy_resample_poly(sr_from, sr_to, n, seed):
    x = np.random.default_rng(seed).standard_normal(n).astype(np.float32)
    g = gcd(sr_from, sr_to)
    expected = resample_poly(x.astype(np.float64), sr_to // g, sr_from // g)
    y = resample(x, sr_from, sr_to)
    assert y.dtype == np.float32 and y.shape == expected.shape
    np.testing.assert_allclose(y, expected, atol=1e-5)


def test_espeak_rate_to_16k_keeps_speech_band_and_removes_aliases():
    sr = 22050
    t = np.arange(sr) / sr
    speech = np.sin(2 * np.pi * 1000 * t)
    alias = np.sin(2 * np.pi * 10000 * t)            # above 8 kHz: must not fold back to 6 kHz
    y = resample((speech + alias).astype(np.float32), sr, 16000)
    assert y.size == 16000
    spec = np.abs(np.fft.rfft(y[2000:14000] * np.hanning(12000)))
    freqs = np.fft.rfftfreq(12000, 1 / 16000)
    at = lambda f: spec[np.argmin(np.abs(freqs - f))]
    assert at(6000) < at(1000) * 3e-3          # about -50 dB; plain decimation would leave it at 0 dB


def test_same_rate_is_a_copy_and_bad_input_is_refused():
    x = np.arange(5, dtype=np.float32)
    y = resample(x, 16000, 16000)
    assert y is not x and np.array_equal(x, y)
    with pytest.raises(ValueError):
        resample(x, 0, 16000)
    with pytest.raises(ValueError):
        resample(np.zeros((2, 3)), 8000, 16000)
