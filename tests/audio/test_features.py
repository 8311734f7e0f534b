"""MFCC and log-mel features agree with librosa on real (synthesised) speech, batch and streaming.

librosa is a test dependency only. Speech comes from espeak-ng, resampled from 22050 Hz to
16 kHz with our resampler: digital silence between words, voiced and unvoiced sounds.

Tolerance, stated once: features are computed in float32, so the power spectrum carries about
7 significant digits and dB values agree with librosa's float64 to about 1e-4 dB (measured:
MFCC 3e-4, log-mel 4e-4, deltas 7e-5 with values spanning ~600 dB units). We allow 5e-3, i.e.
under 1e-5 of the range; any real mistake (periodic vs symmetric window, window placement in
the FFT frame, filter normalisation, padding mode, DCT scaling) moves values by 0.1 dB or more.
"""

import numpy as np
import pytest
import torch

from seqlab.audio.feature_stream import FeatureStream
from seqlab.audio.features import MFCC, FeatureSpec, FeatureSpecError, LogMelSpectrogram
from speech import espeak_16k

librosa = pytest.importorskip("librosa")
TOL_DB = 5e-3
LIBROSA_KW = dict(sr=16000, n_fft=512, win_length=400, hop_length=160, n_mels=40, fmin=20.0, center=True)


@pytest.fixture(scope="module")
def speech(tmp_path_factory):
    """'seven, yes, no' spoken by espeak-ng, at 16 kHz float32."""
    return espeak_16k(tmp_path_factory.mktemp("speech"), "seven, yes, no")


def reference(y, top_db):
    mel = librosa.feature.melspectrogram(y=y.astype(np.float64), **LIBROSA_KW)
    logmel = librosa.power_to_db(mel, amin=1e-10, top_db=top_db)
    return logmel, librosa.feature.mfcc(S=logmel, n_mfcc=13)


def test_default_spec_is_the_usual_speech_front_end():
    s = FeatureSpec()
    assert (s.win_length, s.n_fft, s.hop_length, s.n_mels, s.n_mfcc, s.fmax_hz) == (400, 512, 160, 40, 13, 8000.0)
    assert s.n_frames(16000) == 101 and MFCC(FeatureSpec(deltas=2)).spec.n_features == 39


def test_mfcc_matches_librosa_default_mfcc(speech):
    # librosa.feature.mfcc clips the dB spectrum at 80 dB below its loudest value: top_db=80.
    ours = MFCC(FeatureSpec(top_db=80.0))(torch.from_numpy(speech)).numpy().T
    want = librosa.feature.mfcc(y=speech.astype(np.float64), n_mfcc=13, **LIBROSA_KW)
    assert ours.shape == want.shape
    assert np.max(np.abs(ours - want)) < TOL_DB


@pytest.mark.parametrize("top_db", [None, 80.0])
def test_logmel_matches_librosa(speech, top_db):
    ours = LogMelSpectrogram(FeatureSpec(top_db=top_db))(torch.from_numpy(speech)).numpy().T
    want, _ = reference(speech, top_db)
    assert ours.shape == want.shape
    assert np.max(np.abs(ours - want)) < TOL_DB


def test_deltas_match_librosa_delta_with_nearest_edges(speech):
    ours = MFCC(FeatureSpec(deltas=2))(torch.from_numpy(speech)).numpy().T
    _, mfcc = reference(speech, None)
    want = np.concatenate([mfcc, librosa.feature.delta(mfcc, width=9, mode="nearest"),
                           librosa.feature.delta(mfcc, width=9, order=2, mode="nearest")])
    assert ours.shape == want.shape == (39, FeatureSpec().n_frames(len(speech)))
    assert np.max(np.abs(ours - want)) < TOL_DB


def test_batches_and_shapes(speech):
    m = MFCC(FeatureSpec(deltas=1))
    one = m(torch.from_numpy(speech[:8000]))
    two = m(torch.from_numpy(np.stack([speech[:8000], speech[8000:16000]])))
    assert one.shape == (51, 26) and two.shape == (2, 51, 26)
    assert torch.allclose(two[0], one, atol=1e-4)
    assert m(torch.zeros(1, 100)).shape == (1, 1, 26)        # shorter than a window: one padded frame
    assert MFCC(FeatureSpec(center=False))(torch.zeros(100)).shape == (0, 13)


def test_buffers_travel_with_the_module():
    m = MFCC(FeatureSpec(deltas=2))
    keys = set(m.state_dict())
    assert {"dct", "logmel.window", "logmel.mel_fb", "deltas.coeffs"} <= keys
    d = m.double()
    assert d.logmel.mel_fb.dtype == torch.float64
    assert d(torch.zeros(1600, dtype=torch.float64)).dtype == torch.float64


@pytest.mark.parametrize("deltas,center", [(0, True), (2, True), (1, False)])
def test_streaming_frames_equal_batch_frames(speech, deltas, center):
    spec = FeatureSpec(deltas=deltas, center=center)
    rng = np.random.default_rng(deltas)
    for module in (MFCC(spec), LogMelSpectrogram(spec)):
        whole = module(torch.from_numpy(speech))
        stream, parts, i = FeatureStream(module), [], 0
        while i < len(speech):
            n = int(rng.integers(1, 1500))              # odd block sizes, smaller and larger than a hop
            parts.append(stream.push(speech[i:i + n]))
            i += n
        parts.append(stream.flush())
        streamed = torch.cat(parts)
        assert streamed.shape == whole.shape
        assert torch.max(torch.abs(streamed - whole)) < TOL_DB


def test_streaming_refuses_top_db_and_bad_specs_name_the_field():
    with pytest.raises(FeatureSpecError, match="top_db"):
        FeatureStream(MFCC(FeatureSpec(top_db=80.0)))
    with pytest.raises(FeatureSpecError, match="features.n_mfcc must be at most n_mels"):
        FeatureSpec(n_mfcc=50)
    with pytest.raises(FeatureSpecError, match="features.deltas must be 0, 1 or 2"):
        FeatureSpec(deltas=3)
    with pytest.raises(FeatureSpecError, match="unknown field.*n_mffc"):
        FeatureSpec.from_dict({"n_mffc": 13})
    with pytest.raises(FeatureSpecError, match=r"\[samples\] or \[batch, samples\]"):
        MFCC()(torch.zeros(1, 2, 3))
