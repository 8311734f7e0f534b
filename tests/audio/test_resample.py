"""The numpy resampler matches scipy's resample_poly, and block-by-block equals all-at-once."""

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from seqlab.audio.resample import StreamResampler, resample

scipy_signal = pytest.importorskip("scipy.signal")

RATES = [(22050, 16000), (44100, 16000), (48000, 16000), (16000, 48000), (8000, 16000), (16000, 11025)]


@pytest.mark.parametrize("sr_from,sr_to", RATES)
def test_matches_scipy_resample_poly(sr_from, sr_to):
    x = np.random.default_rng(1).standard_normal(5001)
    g = np.gcd(sr_from, sr_to)
    want = scipy_signal.resample_poly(x, sr_to // g, sr_from // g)
    got = resample(x, sr_from, sr_to)
    assert got.shape == want.shape
    # Same filter, different summation order: float64 rounding only.
    assert np.max(np.abs(got - want)) < 1e-10


def test_a_tone_keeps_its_pitch_and_loudness():
    t = np.arange(22050) / 22050
    y = resample(np.sin(2 * np.pi * 440 * t).astype(np.float32), 22050, 16000)
    assert y.dtype == np.float32 and len(y) == 16000
    spectrum = np.abs(np.fft.rfft(y))
    assert np.argmax(spectrum) == 440                      # 1 Hz bins for a 1 s signal
    assert abs(np.sqrt(np.mean(y[1000:-1000] ** 2)) - np.sqrt(0.5)) < 1e-3


def test_content_above_the_new_nyquist_is_removed():
    t = np.arange(48000) / 48000
    y = resample(np.sin(2 * np.pi * 12000 * t), 48000, 16000)   # 12 kHz would alias to 4 kHz
    assert np.sqrt(np.mean(y[500:-500] ** 2)) < 1e-2


@settings(max_examples=40, deadline=None)
@given(rates=st.sampled_from(RATES), blocks=st.lists(st.integers(1, 900), min_size=1, max_size=12))
def test_block_by_block_equals_whole_signal(rates, blocks):
    sr_from, sr_to = rates
    x = np.random.default_rng(len(blocks)).standard_normal(sum(blocks)).astype(np.float32)
    r = StreamResampler(sr_from, sr_to)
    parts, i = [], 0
    for n in blocks:
        parts.append(r.process(x[i:i + n]))
        i += n
    parts.append(r.flush())
    streamed = np.concatenate(parts)
    whole = resample(x, sr_from, sr_to)
    assert streamed.shape == whole.shape
    assert np.max(np.abs(streamed - whole)) < 1e-5            # float32 output rounding


def test_bad_rates_are_refused():
    with pytest.raises(ValueError, match="sr_to"):
        resample(np.zeros(10), 16000, 0)
    with pytest.raises(ValueError, match="1-D"):
        resample(np.zeros((2, 10)), 16000, 8000)
