#!/usr/bin/env python3
"""Synthesise SeqLab's built-in spoken-word set with espeak-ng.

    python tools/make_spoken_words.py --out seqlab/resources/speech/spoken_words.npz

There is no offline spoken-word corpus SeqLab could ship, so this script makes one: the 18
keywords (zero..nine, yes, no, up, down, left, right, stop, go) and a few "unknown" filler
words, each said by every synthetic *speaker*. A speaker is one espeak-ng English accent
(voice) combined with one voice variant (m1, f2, croak, whisper, ...); each clip draws its
own speed (-s) and pitch (-p) from the seeded generator. Whole speakers are held out for the
validation and test splits, in a Latin square over (accent, variant) so every accent appears
in every split and no split is all whisper or all female.

Each clip is resampled from espeak-ng's 22050 Hz to 16 kHz, trimmed of silence, capped at
1 s (keeping the loudest second), peak-normalised, and stored with the block-adaptive DPCM
codec in ``seqlab.families.speech.data.clip_codec`` (4 bits a sample). Everything is saved
with ``np.savez_compressed`` as plain arrays (fixed-width unicode for strings), so it loads
with ``allow_pickle=False``.

The output is deterministic for a given seed and espeak-ng version: rerunning it rewrites
the same file (it is written atomically). Needs espeak-ng on PATH; uses numpy only.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from seqlab.audio.resample import resample  # noqa: E402
from seqlab.audio.wavfile import read_wav  # noqa: E402
from seqlab.families.speech.data import clip_codec  # noqa: E402
from seqlab.families.speech.data.clip_fit import CLIP_SAMPLES, SAMPLE_RATE, fit_to_window, trim_silence  # noqa: E402

FORMAT_VERSION = 1

KEYWORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
            "yes", "no", "up", "down", "left", "right", "stop", "go")
# Fillers for an "_unknown_" class, as in Google Speech Commands; some sound close to keywords
# on purpose (tree/three, dog/down, off/up, learn/left) so "unknown" is not trivially separable.
UNKNOWN_WORDS = ("bed", "bird", "cat", "dog", "happy", "house", "tree", "wow", "off", "on",
                 "learn", "follow", "forward", "backward", "visual")
UNKNOWN_PER_SPEAKER = 3

# espeak-ng 1.51 English voices, by voice file (what `espeak-ng --voices=en` lists under gmw/).
# "en" and "en-gb" are the same file (gmw/en). en-us-nyc is left out: in 1.51 "-v en-us-nyc"
# resolves to gmw/en-US and its long name ignores "+variant". The mb/* entries need MBROLA.
ACCENTS = (
    ("gmw/en", "en-gb"),
    ("gmw/en-US", "en-us"),
    ("gmw/en-GB-scotland", "en-gb-scotland"),
    ("gmw/en-GB-x-gbclan", "en-gb-x-gbclan"),
    ("gmw/en-GB-x-rp", "en-gb-x-rp"),
    ("gmw/en-GB-x-gbcwmd", "en-gb-x-gbcwmd"),
    ("gmw/en-029", "en-029"),
)
# Voice variants (`espeak-ng --voices=variant`): male, female, rough and whispered timbres.
VARIANTS = ("m1", "m2", "m3", "m4", "m7", "f1", "f2", "f3", "croak", "whisper")

SPEED_RANGE = (130, 210)      # words per minute; espeak-ng's default is 175
PITCH_RANGE = (25, 75)        # 0..99; default 50
PEAK = 0.9                    # clips are peak-normalised; the loader varies the gain
ESPEAK_RATE = 22050
SPLITS = ("train", "val", "test")


@dataclass(frozen=True)
class Speaker:
    name: str                 # "en-gb-x-rp+f2"
    voice: str                # espeak-ng -v argument, "gmw/en-GB-x-rp+f2"
    split: str


def speakers() -> list[Speaker]:
    """Every (accent, variant) pair, with its split.

    Accent a holds out variant (3a mod V) for test and (3a + 1 mod V) for validation: every
    accent has one test and one validation speaker, and since 3 is coprime with V = 10 the
    test speakers use seven different variants, whispered and croaky ones included.
    """
    out = []
    n_var = len(VARIANTS)
    for a, (voice_file, accent) in enumerate(ACCENTS):
        for v, variant in enumerate(VARIANTS):
            r = (v - 3 * a) % n_var
            split = "test" if r == 0 else "val" if r == 1 else "train"
            out.append(Speaker(f"{accent}+{variant}", f"{voice_file}+{variant}", split))
    return out


def espeak_version() -> str:
    try:
        out = subprocess.run(["espeak-ng", "--version"], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError) as e:
        raise SystemExit(f"espeak-ng is needed to build the spoken-word set and could not be run: {e}")
    return out.split("Data at")[0].replace("eSpeak NG text-to-speech:", "").strip()


def synthesise(word: str, voice: str, speed: int, pitch: int, workdir: Path) -> np.ndarray:
    """One word from espeak-ng, as float32 at 16 kHz, trimmed and capped at 1 s."""
    wav = workdir / "clip.wav"
    cmd = ["espeak-ng", "-v", voice, "-s", str(speed), "-p", str(pitch), "-w", str(wav), word]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0 or proc.stderr.strip():
        raise SystemExit(f"espeak-ng failed for {' '.join(cmd)}: {proc.stderr.strip() or proc.returncode}")
    x, rate = read_wav(wav)
    if rate != ESPEAK_RATE:
        raise SystemExit(f"espeak-ng produced {rate} Hz, expected {ESPEAK_RATE} Hz (voice {voice})")
    y = trim_silence(resample(x, rate, SAMPLE_RATE))
    if y.size == 0:
        raise SystemExit(f"espeak-ng produced silence for {word!r} with voice {voice}")
    if y.size > CLIP_SAMPLES:
        y = fit_to_window(y, CLIP_SAMPLES)
    fade = min(80, y.size // 4)                       # 5 ms ramps: no clicks at the trim points
    ramp = np.linspace(0.0, 1.0, fade, endpoint=False, dtype=np.float32)
    y[:fade] *= ramp
    y[y.size - fade:] *= ramp[::-1]
    return (y * (PEAK / max(float(np.abs(y).max()), 1e-6))).astype(np.float32)


def plan(seed: int) -> list[tuple[Speaker, str, int, int]]:
    """(speaker, word, speed, pitch) for every clip, drawn in a fixed order from the seed."""
    rng = np.random.default_rng(seed)
    jobs = []
    for spk in speakers():
        extra = rng.choice(len(UNKNOWN_WORDS), size=UNKNOWN_PER_SPEAKER, replace=False)
        for word in KEYWORDS + tuple(UNKNOWN_WORDS[i] for i in sorted(extra)):
            speed = int(rng.integers(SPEED_RANGE[0], SPEED_RANGE[1] + 1))
            pitch = int(rng.integers(PITCH_RANGE[0], PITCH_RANGE[1] + 1))
            jobs.append((spk, word, speed, pitch))
    return jobs


def build(seed: int, log=print) -> dict[str, np.ndarray]:
    """Synthesise and encode every clip; returns the arrays saved in the .npz file."""
    version = espeak_version()
    spk_list = speakers()
    spk_index = {s.name: i for i, s in enumerate(spk_list)}
    words = KEYWORDS + UNKNOWN_WORDS
    jobs = plan(seed)
    clips, word_id, speaker_id, speeds, pitches = [], [], [], [], []
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="spoken_words_") as tmp:
        for i, (spk, word, speed, pitch) in enumerate(jobs):
            clips.append(synthesise(word, spk.voice, speed, pitch, Path(tmp)))
            word_id.append(words.index(word))
            speaker_id.append(spk_index[spk.name])
            speeds.append(speed)
            pitches.append(pitch)
            if (i + 1) % 200 == 0:
                log(f"  {i + 1}/{len(jobs)} clips ({time.perf_counter() - t0:.0f} s)")
    encoded = clip_codec.encode_clips(clips)
    lengths = np.array([c.size for c in clips], dtype=np.int64)
    return {
        "format_version": np.array(FORMAT_VERSION, dtype=np.int32),
        "sample_rate": np.array(SAMPLE_RATE, dtype=np.int32),
        **{f"codec_{k}": v for k, v in encoded.items()},
        "offsets": np.concatenate(([0], np.cumsum(lengths))).astype(np.int64),
        "word_id": np.array(word_id, dtype=np.int16),
        "speaker_id": np.array(speaker_id, dtype=np.int16),
        "speed_wpm": np.array(speeds, dtype=np.int16),
        "pitch": np.array(pitches, dtype=np.int16),
        "words": np.array(words, dtype="<U16"),
        "keywords": np.array(KEYWORDS, dtype="<U16"),
        "speakers": np.array([s.name for s in spk_list], dtype="<U40"),
        "speaker_split": np.array([s.split for s in spk_list], dtype="<U8"),
        "espeak_version": np.array(version, dtype="<U64"),
        "seed": np.array(seed, dtype=np.int64),
    }


def save_atomically(path: Path, arrays: dict[str, np.ndarray]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            np.savez_compressed(fh, **arrays)
        os.chmod(tmp, 0o644)                      # mkstemp's 0600 would hide it from other users
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=Path("seqlab/resources/speech/spoken_words.npz"))
    ap.add_argument("--seed", type=int, default=20240611)
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    print(f"espeak-ng {espeak_version()}: {len(speakers())} speakers "
          f"({len(ACCENTS)} accents x {len(VARIANTS)} variants), {len(plan(args.seed))} clips")
    arrays = build(args.seed)
    save_atomically(args.out, arrays)
    size = args.out.stat().st_size
    digest = hashlib.sha256(args.out.read_bytes()).hexdigest()
    n_samples = int(arrays["offsets"][-1])
    print(f"wrote {args.out}: {size / 1e6:.2f} MB, {len(arrays['word_id'])} clips, "
          f"{n_samples / SAMPLE_RATE:.0f} s of audio, {time.perf_counter() - t0:.0f} s; sha256 {digest}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
