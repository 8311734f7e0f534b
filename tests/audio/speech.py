"""Real speech for the audio tests: words synthesised by espeak-ng, at 16 kHz (stdlib WAV I/O)."""

import shutil
import subprocess
import wave

import numpy as np
import pytest

from seqlab.audio.resample import resample


def read_wav(path):
    """16-bit mono PCM WAV -> (float32 samples in [-1, 1), rate)."""
    with wave.open(str(path)) as w:
        assert w.getsampwidth() == 2 and w.getnchannels() == 1, f"{path}: expected 16-bit mono PCM"
        return np.frombuffer(w.readframes(w.getnframes()), "<i2").astype(np.float32) / 32768, w.getframerate()


def write_wav(path, x, rate):
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes((np.clip(x, -1, 1) * 32767).astype("<i2").tobytes())


def espeak_16k(tmp_dir, text):
    """Speak `text` with espeak-ng (22050 Hz) and resample it to 16 kHz; skip if espeak-ng is absent."""
    if shutil.which("espeak-ng") is None:
        pytest.skip("espeak-ng is not installed (apt install espeak-ng): no speech to test with")
    raw = tmp_dir / "espeak-22k.wav"
    subprocess.run(["espeak-ng", "-w", str(raw), text], check=True, capture_output=True)
    x, rate = read_wav(raw)
    assert rate == 22050
    return resample(x, rate, 16000)
