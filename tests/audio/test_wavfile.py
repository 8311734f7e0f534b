"""Reading WAV files as users have them, and refusing broken ones with one clear message."""

import os
import struct
import wave

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from scipy.io import wavfile as scipy_wav

from seqlab.audio.wavfile import WavError, clipped_fraction, read_wav, read_wav_details, write_wav


def _tone(n=1600, rate=16000, amp=0.5):
    return (amp * np.sin(2 * np.pi * 440 * np.arange(n) / rate)).astype(np.float32)


def _riff(chunks: list[tuple[bytes, bytes]]) -> bytes:
    body = b"WAVE"
    for cid, data in chunks:
        body += cid + struct.pack("<I", len(data)) + data + (b"\0" if len(data) % 2 else b"")
    return b"RIFF" + struct.pack("<I", len(body)) + body


def _fmt(tag=1, channels=1, rate=16000, bits=16):
    align = channels * bits // 8
    return struct.pack("<HHIIHH", tag, channels, rate, rate * align, align, bits)


def _extensible(sub_tag, channels, rate, bits):
    align = channels * bits // 8
    guid = struct.pack("<H", sub_tag) + b"\x00\x00\x00\x00\x10\x00\x80\x00\x00\xaa\x00\x38\x9b\x71"
    return (struct.pack("<HHIIHH", 0xFFFE, channels, rate, rate * align, align, bits)
            + struct.pack("<HHI", 22, bits, 0x3) + guid)


def test_16bit_mono_written_by_stdlib_wave_reads_back(tmp_path):
    x = _tone()
    pcm = np.round(x * 32767).astype("<i2")
    p = tmp_path / "a.wav"
    with wave.open(str(p), "wb") as w:
        w.setnchannels(1), w.setsampwidth(2), w.setframerate(16000), w.writeframes(pcm.tobytes())
    y, rate = read_wav(p)
    assert rate == 16000 and y.dtype == np.float32 and y.shape == x.shape
    np.testing.assert_allclose(y, x, atol=1e-4)


def test_24bit_pcm(tmp_path):
    x = _tone(rate=48000)
    v = np.round(x * (2 ** 23 - 1)).astype(np.int32)
    b = np.stack([v & 0xFF, (v >> 8) & 0xFF, (v >> 16) & 0xFF], axis=1).astype(np.uint8).tobytes()
    p = tmp_path / "24.wav"
    p.write_bytes(_riff([(b"fmt ", _fmt(bits=24, rate=48000)), (b"data", b)]))
    a = read_wav_details(p)
    assert a.sample_rate == 48000 and a.encoding == "24-bit PCM"
    np.testing.assert_allclose(a.samples, x, atol=1e-6)


def test_8bit_unsigned_pcm(tmp_path):
    x = _tone()
    u = np.round(x * 127 + 128).astype(np.uint8)
    p = tmp_path / "8.wav"
    p.write_bytes(_riff([(b"fmt ", _fmt(bits=8)), (b"data", u.tobytes())]))
    y, _ = read_wav(p)
    np.testing.assert_allclose(y, x, atol=1 / 100)
    assert abs(float(y.mean())) < 0.01            # unsigned offset removed, not a DC shift


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_float_wav_written_by_scipy(tmp_path, dtype):
    x = _tone().astype(dtype)
    p = tmp_path / "f.wav"
    scipy_wav.write(p, 22050, x)
    a = read_wav_details(p)
    assert a.sample_rate == 22050 and a.encoding == f"{np.dtype(dtype).itemsize * 8}-bit float"
    np.testing.assert_allclose(a.samples, x, atol=1e-7)


def test_32bit_int_pcm_by_scipy(tmp_path):
    x = _tone()
    p = tmp_path / "i32.wav"
    scipy_wav.write(p, 16000, np.round(x * 2 ** 31 * 0.999).astype(np.int32))
    y, _ = read_wav(p)
    np.testing.assert_allclose(y, x * 0.999, atol=1e-6)


def test_extensible_float_stereo_is_downmixed(tmp_path):
    left, right = _tone(amp=0.8), np.zeros(1600, np.float32)
    data = np.stack([left, right], axis=1).astype("<f4").tobytes()
    p = tmp_path / "ext.wav"
    p.write_bytes(_riff([(b"fmt ", _extensible(3, 2, 44100, 32)), (b"LIST", b"INFOjunk!"), (b"data", data)]))
    a = read_wav_details(p)
    assert a.channels == 2 and a.sample_rate == 44100 and a.samples.ndim == 1
    np.testing.assert_allclose(a.samples, (left + right) / 2, atol=1e-7)


def test_stereo_16bit_pcm_is_averaged(tmp_path):
    x = _tone()
    st_ = np.round(np.stack([x, -x * 0.5], axis=1) * 32767).astype(np.int16)
    p = tmp_path / "st.wav"
    scipy_wav.write(p, 16000, st_)
    y, _ = read_wav(p)
    np.testing.assert_allclose(y, x * 0.25, atol=1e-4)


def test_clipping_is_measured_and_float_overs_are_limited(tmp_path):
    x = np.clip(_tone(amp=2.0), -1.5, 1.5)         # a float file that goes over full scale
    p = tmp_path / "hot.wav"
    scipy_wav.write(p, 16000, x)
    a = read_wav_details(p)
    assert a.samples.max() <= 1.0 and a.samples.min() >= -1.0
    assert 0.3 < a.clipped_fraction < 0.9
    q = tmp_path / "clean.wav"
    write_wav(q, _tone(amp=0.5), 16000)
    assert read_wav_details(q).clipped_fraction == 0.0


def test_int_clipping_counts_full_scale_codes(tmp_path):
    pcm = np.array([0, 32767, -32768, 100, 32767, 5], dtype=np.int16)
    p = tmp_path / "c.wav"
    scipy_wav.write(p, 16000, pcm)
    assert read_wav_details(p).clipped_fraction == pytest.approx(3 / 6)


def test_clipped_fraction_of_arrays():
    assert clipped_fraction(np.array([1.0, -1.0, 0.2, 0.0])) == 0.5
    assert clipped_fraction(np.zeros(0)) == 0.0


# --- broken files: one message naming the file --------------------------------------------

def _error(p) -> str:
    with pytest.raises(WavError) as e:
        read_wav(p)
    assert str(p) in str(e.value) and e.value.path == str(p)
    assert isinstance(e.value, ValueError)
    return str(e.value)


def test_empty_file(tmp_path):
    p = tmp_path / "empty.wav"
    p.write_bytes(b"")
    assert "empty" in _error(p)


def test_text_renamed_to_wav(tmp_path):
    p = tmp_path / "notes.wav"
    p.write_text("these are my notes, not audio\n")
    assert "not a WAV file" in _error(p)


def test_mp3_renamed_to_wav_says_mp3(tmp_path):
    p = tmp_path / "song.wav"
    p.write_bytes(b"ID3\x04\x00" + bytes(100))
    assert "MP3" in _error(p)


def test_truncated_header(tmp_path):
    good = tmp_path / "good.wav"
    write_wav(good, _tone(), 16000)
    p = tmp_path / "cut.wav"
    p.write_bytes(good.read_bytes()[:30])
    assert "truncated" in _error(p)


def test_truncated_in_the_audio(tmp_path):
    good = tmp_path / "good.wav"
    write_wav(good, _tone(), 16000)
    p = tmp_path / "cut.wav"
    p.write_bytes(good.read_bytes()[:-1000])
    msg = _error(p)
    assert "truncated" in msg and "3200" in msg      # says how much was declared


def test_zero_samples(tmp_path):
    p = tmp_path / "silent.wav"
    write_wav(p, np.zeros(0, np.float32), 16000)
    assert "no audio samples" in _error(p)


def test_compressed_encoding_is_named(tmp_path):
    p = tmp_path / "adpcm.wav"
    p.write_bytes(_riff([(b"fmt ", _fmt(tag=0x11, bits=4)), (b"data", bytes(100))]))
    msg = _error(p)
    assert "unsupported" in msg and "IMA ADPCM" in msg


def test_missing_file_and_folder(tmp_path):
    assert "no such file" in _error(tmp_path / "nope.wav")
    assert "folder" in _error(tmp_path)


def test_streaming_writer_size_placeholder_reads_to_the_end(tmp_path):
    pcm = np.round(_tone() * 32767).astype("<i2").tobytes()
    raw = bytearray(_riff([(b"fmt ", _fmt()), (b"data", pcm)]))
    raw[40:44] = struct.pack("<I", 0xFFFFFFFF)          # size never patched
    p = tmp_path / "stream.wav"
    p.write_bytes(bytes(raw))
    assert read_wav(p)[0].size == 1600


# --- writing -----------------------------------------------------------------------------

def test_write_is_atomic_and_leaves_no_temp_files(tmp_path):
    p = tmp_path / "out.wav"
    write_wav(p, _tone(), 16000)
    write_wav(p, _tone(amp=0.1), 16000)                 # overwrite in place
    assert [f.name for f in tmp_path.iterdir()] == ["out.wav"]
    assert p.stat().st_mode & 0o044 == 0o044            # readable like any file, not mkstemp's 0600
    y, _ = read_wav(p)
    assert np.abs(y).max() == pytest.approx(0.1, abs=1e-3)


def test_failed_write_keeps_the_old_file(tmp_path):
    p = tmp_path / "out.wav"
    write_wav(p, _tone(), 16000)
    before = p.read_bytes()
    with pytest.raises(ValueError):
        write_wav(p, np.array([0.0, np.nan]), 16000)
    assert p.read_bytes() == before and os.listdir(tmp_path) == ["out.wav"]


@settings(max_examples=40, deadline=None)
@given(samples=st.lists(st.floats(-1.0, 1.0), min_size=1, max_size=300),
       rate=st.sampled_from([8000, 16000, 22050, 44100, 48000]))
def test_write_then_read_round_trips_within_one_lsb(tmp_path_factory, samples, rate):
    p = tmp_path_factory.mktemp("rt") / "x.wav"
    x = np.array(samples, dtype=np.float32)
    write_wav(p, x, rate)
    y, r = read_wav(p)
    assert r == rate and y.shape == x.shape
    assert np.max(np.abs(y - x)) <= 1.5 / 32768


@settings(max_examples=200, deadline=None)
@given(junk=st.binary(max_size=200), keep=st.integers(0, 80))
def test_any_bytes_give_samples_or_a_wav_error(tmp_path_factory, junk, keep):
    """Garbage, or a valid header followed by garbage: never any exception but WavError."""
    header = _riff([(b"fmt ", _fmt()), (b"data", bytes(64))])[:keep]
    p = tmp_path_factory.mktemp("fz") / "x.wav"
    p.write_bytes(header + junk)
    try:
        y, rate = read_wav(p)
    except WavError:
        return
    assert y.dtype == np.float32 and y.size > 0 and rate > 0
    assert np.all(np.abs(y) <= 1.0)
