"""The built-in spoken-word set, as 1-second 16 kHz clips ready for MFCC features.

The clips ship trimmed and compressed in ``seqlab/resources/speech/spoken_words.npz``
(see its SOURCE file; built by ``tools/make_spoken_words.py``). Loading decodes them
once per process, then places each word in a 1-s window. Training data is augmented at
load time, seeded and deterministic: a random time shift within the window, a random gain
and background noise at a random signal-to-noise ratio; ``copies`` repeats the training
split with fresh augmentations. Validation and test use speakers never heard in training
and, when augmented, the same fixed augmentation on every call, so scores compare between
runs. A ``_silence_`` class of background noise and an ``_unknown_`` class of other words
can be added.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from .background_noise import noise_bank, noise_clips
from .clip_codec import decode_clips
from .clip_fit import CLIP_SAMPLES, SAMPLE_RATE

DATA_FILE = Path(__file__).resolve().parents[3] / "resources" / "speech" / "spoken_words.npz"
SPLITS = ("train", "val", "test")
SILENCE = "_silence_"
UNKNOWN = "_unknown_"
FORMAT_VERSION = 1

_GAIN_DB = (-18.0, 0.0)           # clips are stored at peak 0.9; quieter, never clipped
_BEST_SNR_DB = 30.0               # noisiest clip: set by noise_level; cleanest: 30 dB
_SILENCE_RMS = (1e-3, 0.1)        # background-class loudness, log-uniform
_EVAL_SEED = 0x5EED               # fixed augmentation for val/test, whatever `seed` is


class SpokenWordsError(ValueError):
    """The spoken-word file is missing, damaged or of another version; the message names it."""


@dataclass(frozen=True)
class SpokenWords:
    """One split of the spoken-word set. ``speaker_ids`` is -1 for ``_silence_`` clips."""

    clips: np.ndarray             # float32 [n, 16000], in [-1, 1]
    labels: np.ndarray            # int64 [n], index into class_names
    class_names: tuple[str, ...]  # the 18 keywords, then "_silence_" / "_unknown_" when included
    speaker_ids: np.ndarray       # int64 [n], index into speakers
    speakers: tuple[str, ...]     # e.g. "en-gb-x-rp+f2": espeak-ng accent + variant
    split: str
    sample_rate: int = SAMPLE_RATE


@dataclass(frozen=True)
class _Corpus:
    audio: np.ndarray             # float32, all clips concatenated
    offsets: np.ndarray           # int64 [n + 1]
    word_id: np.ndarray           # int64 [n] into words
    speaker_id: np.ndarray        # int64 [n] into speakers
    rms: np.ndarray               # float64 [n], RMS of each (trimmed) clip: the speech level
    words: tuple[str, ...]
    keywords: tuple[str, ...]
    speakers: tuple[str, ...]
    speaker_split: tuple[str, ...]


def load_spoken_words(split: str = "train", seed: int = 0, augment: bool = True, noise_level: float = 0.3,
                      include_silence: bool = True, include_unknown: bool = False, copies: int = 1,
                      path: str | Path | None = None) -> SpokenWords:
    """Load one split of the built-in spoken-word set as 1-s clips at 16 kHz.

    ``split``: "train", "val" or "test" (speakers are disjoint between them).
    ``augment``: shift each word to a random place in the window, vary its gain and add
    background noise; off, each word is centred, at its stored level, with no noise.
    ``noise_level``: the largest noise-to-speech RMS ratio (0 = no noise, 0.3 ~ 10 dB SNR,
    1 = 0 dB); each clip's SNR is drawn uniformly in dB between that and 30 dB.
    ``include_silence``: add a ``_silence_`` class of background noise (as many clips as a
    keyword has). ``include_unknown``: add the filler words as an ``_unknown_`` class.
    ``copies``: repeat the clips with different augmentations (meant for training).
    ``seed``: the training augmentation; validation and test always use the same one.
    """
    if split not in SPLITS:
        raise ValueError(f"split must be one of {', '.join(SPLITS)}, got {split!r}")
    if not 0.0 <= float(noise_level) <= 1.0:
        raise ValueError(f"noise_level must be between 0 and 1, got {noise_level}")
    if int(copies) < 1:
        raise ValueError(f"copies must be at least 1, got {copies}")
    corpus = _load_corpus(Path(path) if path is not None else DATA_FILE)
    class_names = corpus.keywords + ((SILENCE,) if include_silence else ()) + ((UNKNOWN,) if include_unknown else ())

    in_split = np.array([corpus.speaker_split[s] == split for s in corpus.speaker_id], dtype=bool)
    keyword_of_word = np.array([corpus.keywords.index(w) if w in corpus.keywords else -1 for w in corpus.words])
    label = keyword_of_word[corpus.word_id]
    if include_unknown:
        label = np.where(label < 0, class_names.index(UNKNOWN), label)
    chosen = np.flatnonzero(in_split & (label >= 0))
    chosen = np.tile(chosen, int(copies))

    # Seeded per split (crc32 of the name: stable across processes, unlike hash()).
    base = int(seed) if split == "train" else _EVAL_SEED
    rng = np.random.default_rng([base, zlib.crc32(split.encode())])
    words = _place_words(corpus, chosen, rng, augment, float(noise_level))
    labels, speaker_ids = label[chosen], corpus.speaker_id[chosen]
    if include_silence:
        per_word = int(np.bincount(labels, minlength=len(class_names))[: len(corpus.keywords)].max())
        silence = _silence_clips(rng, per_word)
        words = np.concatenate([words, silence])
        labels = np.concatenate([labels, np.full(per_word, class_names.index(SILENCE))])
        speaker_ids = np.concatenate([speaker_ids, np.full(per_word, -1)])
    return SpokenWords(clips=words, labels=labels.astype(np.int64), class_names=class_names,
                       speaker_ids=speaker_ids.astype(np.int64), speakers=corpus.speakers, split=split)


def _place_words(corpus: _Corpus, chosen: np.ndarray, rng: np.random.Generator, augment: bool,
                 noise_level: float) -> np.ndarray:
    n = chosen.size
    out = np.zeros((n, CLIP_SAMPLES), dtype=np.float32)
    starts, stops = corpus.offsets[chosen], corpus.offsets[chosen + 1]
    lengths = stops - starts
    room = CLIP_SAMPLES - lengths
    # Draw every random number for every clip, augmenting or not, so the stream stays aligned.
    shift = np.floor(rng.random(n) * (room + 1)).astype(np.int64) if augment else room // 2
    gain = 10 ** (rng.uniform(*_GAIN_DB, size=n) / 20) if augment else np.ones(n)
    for i in range(n):
        out[i, shift[i]:shift[i] + lengths[i]] = corpus.audio[starts[i]:stops[i]]
    if not augment:
        return out
    out *= gain[:, None].astype(np.float32)
    if noise_level > 0:
        # Speech RMS over the word itself (the stored clips are trimmed), not the padded second.
        speech_rms = corpus.rms[chosen] * gain
        worst_snr = -20 * np.log10(noise_level)
        snr_db = rng.uniform(min(worst_snr, _BEST_SNR_DB), _BEST_SNR_DB, size=n)
        bank = noise_bank(rng)
        noise = noise_clips(bank, rng, n, CLIP_SAMPLES)
        noise *= (speech_rms / 10 ** (snr_db / 20)).astype(np.float32)[:, None]
        out += noise
        np.clip(out, -1.0, 1.0, out=out)
    return out


def _silence_clips(rng: np.random.Generator, count: int) -> np.ndarray:
    bank = noise_bank(rng)
    clips = noise_clips(bank, rng, count, CLIP_SAMPLES)
    level = np.exp(rng.uniform(*np.log(_SILENCE_RMS), size=count)).astype(np.float32)
    clips *= level[:, None]
    return np.clip(clips, -1.0, 1.0, out=clips)


@lru_cache(maxsize=2)
def _load_corpus(path: Path) -> _Corpus:
    """Read and decode the whole file once per process (about 40 MB of float32 audio)."""
    shown = str(path)
    try:
        with np.load(path, allow_pickle=False) as z:
            a = {k: z[k] for k in z.files}
    except FileNotFoundError:
        raise SpokenWordsError(f"{shown}: the built-in spoken-word set is missing; rebuild it with "
                               f"`python tools/make_spoken_words.py --out {shown}`") from None
    except (OSError, ValueError, EOFError, zlib.error) as e:
        raise SpokenWordsError(f"{shown}: cannot be read as the spoken-word set ({e})") from None
    need = ("format_version", "codec_nibbles", "codec_steps", "codec_block", "offsets", "word_id", "speaker_id",
            "words", "keywords", "speakers", "speaker_split")
    missing = [k for k in need if k not in a]
    if missing:
        raise SpokenWordsError(f"{shown}: not a spoken-word file: missing {', '.join(missing)}")
    if int(a["format_version"]) != FORMAT_VERSION:
        raise SpokenWordsError(f"{shown}: format version {int(a['format_version'])}, this SeqLab reads "
                               f"version {FORMAT_VERSION}")
    offsets = a["offsets"].astype(np.int64)
    n = offsets.size - 1
    word_id, speaker_id = a["word_id"].astype(np.int64), a["speaker_id"].astype(np.int64)
    words, speakers = tuple(a["words"].tolist()), tuple(a["speakers"].tolist())
    speaker_split = tuple(a["speaker_split"].tolist())
    if (word_id.size != n or speaker_id.size != n or len(speaker_split) != len(speakers)
            or (n and (word_id.min() < 0 or word_id.max() >= len(words)
                       or speaker_id.min() < 0 or speaker_id.max() >= len(speakers)))
            or not set(speaker_split) <= set(SPLITS)
            or np.any(np.diff(offsets) > CLIP_SAMPLES)):
        raise SpokenWordsError(f"{shown}: the spoken-word file is damaged: its clip tables do not agree")
    try:
        audio = decode_clips(a["codec_nibbles"], a["codec_steps"], int(a["codec_block"]), offsets)
    except ValueError as e:
        raise SpokenWordsError(f"{shown}: the spoken-word file is damaged: {e}") from None
    audio.setflags(write=False)
    rms = np.sqrt(np.add.reduceat(np.square(audio, dtype=np.float64), offsets[:-1]) / np.diff(offsets))
    return _Corpus(audio=audio, offsets=offsets, word_id=word_id, speaker_id=speaker_id, rms=rms, words=words,
                   keywords=tuple(a["keywords"].tolist()), speakers=speakers, speaker_split=speaker_split)
