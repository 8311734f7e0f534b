"""The real capture path: PortAudio records a word played into a virtual microphone (PulseAudio)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from speech import espeak_16k, write_wav
from virtual_mic import SINK

HERE = Path(__file__).parent
REPO = HERE.parent.parent


def rms_db(x):
    return 20 * np.log10(max(np.sqrt(np.mean(np.square(x, dtype=np.float64))), 1e-9))


@pytest.fixture
def word_wav(tmp_path):
    """'seven' from espeak-ng, resampled to the virtual mic's 16 kHz so the server plays it unchanged."""
    x16 = espeak_16k(tmp_path, "seven")
    write_wav(tmp_path / "seven.wav", x16, 16000)
    return tmp_path / "seven.wav", x16


def test_microphone_records_a_spoken_word(virtual_mic, word_wav, tmp_path):
    wav, played = word_wav
    out = tmp_path / "capture.npz"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
    proc = subprocess.run([sys.executable, str(HERE / "mic_session.py"), str(wav), str(out), SINK],
                          env=env, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr[-2000:]
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    assert report["usable"], report["reason"]
    assert report["error"] is None and report["running_at_end"] and report["player_rc"] == 0
    assert report["resolved_pulse"] == ["pulse"]           # name lookup on the real device list
    assert report["samplerate"] == 16000                    # the virtual mic accepts the asked rate
    assert report["overflow_samples"] == 0 and report["input_overflows"] == 0

    data = np.load(out, allow_pickle=False)
    audio, marker = data["audio"], report["marker"]
    assert len(audio) == report["blocks"] * report["blocksize"]       # every block was read, none lost
    # PulseAudio may place a new stream slightly before "now" (it rewinds the sink's rendered
    # buffer), so the speech can begin a few ms before the marker: keep a 200 ms guard.
    guard = 3200
    assert marker > guard + 1600
    silence, after = audio[:marker - guard], audio[marker - guard:]
    # Speech energy: the loudest 50 ms after playback began is at least 40 dB above the silence.
    frame = 800
    loudest = max(rms_db(after[i:i + frame]) for i in range(0, len(after) - frame, frame // 2))
    assert loudest > -40, f"no speech heard: loudest 50 ms is {loudest:.1f} dBFS"
    assert loudest - rms_db(silence) > 40
    # And it is the word that was played: normalised cross-correlation near 1 at some lag.
    corr = np.correlate(after, played, mode="valid") if len(after) >= len(played) else np.zeros(1)
    norms = np.sqrt(np.convolve(np.square(after), np.ones(len(played)), mode="valid") * np.sum(played ** 2))
    similarity = corr / np.maximum(norms, 1e-12)
    assert np.max(similarity) > 0.95, (f"captured audio does not match the word: best similarity "
                                       f"{np.max(similarity):.3f} at lag {np.argmax(similarity)}")

    arrival, end_sample = data["arrival"], data["end_sample"]
    assert len(arrival) == report["blocks"]
    assert np.all(np.diff(arrival) > 0), "block arrival times must increase"
    assert np.all(np.diff(end_sample) == report["blocksize"])


def test_a_microphone_that_vanishes_mid_stream_gives_a_message_not_a_crash(virtual_mic):
    # The subprocess starts its own sound server and kills it while recording.
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
    proc = subprocess.run([sys.executable, str(HERE / "mic_unplug.py")], env=env, capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr[-2000:]
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    assert report["before"] == {"running": True, "error": None}
    assert report["after"]["running"] is False
    assert "unplugged" in report["after"]["error"]
    assert "unplugged" in report["after_stop_error"]          # stop() keeps the first, useful message
