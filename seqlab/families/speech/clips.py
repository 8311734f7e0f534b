"""The 1-second clips of a speech experiment, per split, from its ``data`` section.

Numpy only (no torch, no Qt): the built-in spoken words (``data/spoken_words.py``, held-out
speakers in validation and test) or a folder of the user's WAV clips (``data/wav_folder.py``,
split by a hash of each file's name), narrowed to ``data.words`` when it is given.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from seqlab.core.errors import DataError

from .data.spoken_words import SILENCE, UNKNOWN, SpokenWordsError, load_spoken_words
from .data.wav_folder import ImportReport, WavFolderError, import_wav_folder
from .spec import DataSpec

SPLITS = ("train", "val", "test")


@dataclass
class ClipSet:
    """Clips [n, 16000] float32 and labels [n] int64 per split, with the class names."""

    clips: dict[str, np.ndarray]
    labels: dict[str, np.ndarray]
    class_names: tuple[str, ...]
    description: str
    report: ImportReport | None = None     # wav-folder: what the import skipped or converted


def load_clips(d: DataSpec) -> ClipSet:
    """The clips of every split; DataError (naming the field or file) when they cannot be had."""
    if d.name == "wav-folder":
        return _wav_folder(d)
    return _spoken_words(d)


def _spoken_words(d: DataSpec) -> ClipSet:
    keep_unknown = bool(d.unknown)
    clips, labels, names = {}, {}, None
    for split in SPLITS:
        try:
            s = load_spoken_words(split, seed=d.seed, augment=d.augment, noise_level=d.noise_level,
                                  include_silence=d.silence, include_unknown=keep_unknown,
                                  copies=d.copies if split == "train" else 1)
        except SpokenWordsError as e:
            raise DataError(str(e)) from None
        words = [w for w in s.class_names if w not in (SILENCE, UNKNOWN)]
        chosen = list(d.words) if d.words else words
        bad = [w for w in chosen if w not in words]
        if bad:
            raise DataError(f"data.words: {', '.join(repr(b) for b in bad)} not in the built-in set; "
                            f"its words are {', '.join(words)}")
        names = tuple(chosen) + ((SILENCE,) if d.silence else ()) + ((UNKNOWN,) if keep_unknown else ())
        c, y = _narrow(s.clips, s.labels, s.class_names, names, unknown_from_rest=keep_unknown)
        clips[split], labels[split] = c, y
    kept = "all 18 words" if not d.words else ", ".join(d.words)
    desc = (f"built-in spoken words ({kept}): {len(labels['train'])} training clips, "
            f"{len(labels['val'])} validation and {len(labels['test'])} test clips of speakers never heard in "
            f"training")
    return ClipSet(clips, labels, names, desc)


def _narrow(clips, labels, have, names, unknown_from_rest: bool):
    """Keep the clips of `names`; other words become _unknown_ (balanced to a word's count) when
    asked, else are dropped."""
    have = list(have)
    target = np.full(len(have), -1, np.int64)
    for i, n in enumerate(have):
        if n in names:
            target[i] = names.index(n)
        elif unknown_from_rest and n != SILENCE:
            target[i] = names.index(UNKNOWN)
    y = target[labels]
    keep = y >= 0
    if unknown_from_rest:
        unk = np.flatnonzero(y == names.index(UNKNOWN))
        per_word = int(np.bincount(y[keep], minlength=len(names))[: len(names) - 1].max(initial=0))
        if len(unk) > per_word:
            rng = np.random.default_rng(len(unk))
            drop = rng.choice(unk, len(unk) - per_word, replace=False)
            keep[drop] = False
    return clips[keep], y[keep]


def _wav_folder(d: DataSpec) -> ClipSet:
    try:
        data = import_wav_folder(d.path, val_fraction=d.val_fraction, test_fraction=d.test_fraction)
    except WavFolderError as e:
        raise DataError(f"data.path: {e}") from None
    names = data.class_names
    if d.words:
        bad = [w for w in d.words if w not in names]
        if bad:
            raise DataError(f"data.words: {', '.join(repr(b) for b in bad)} has no folder in {d.path}; "
                            f"its labels are {', '.join(names)}")
        names = tuple(d.words) + ((SILENCE,) if d.silence and SILENCE in data.class_names else ())
    elif not d.silence:
        names = tuple(n for n in names if n != SILENCE)
    if len(names) < 2:
        raise DataError(f"data.path: {d.path} needs at least two labels to tell apart, it has "
                        f"{', '.join(names) or 'none'}")
    clips, labels = {}, {}
    for split in SPLITS:
        part = data.subset(split)
        c, y = _narrow(part.clips, part.labels, data.class_names, names, unknown_from_rest=False)
        clips[split], labels[split] = c, y
    desc = (f"{d.path}: {len(names)} labels, {len(labels['train'])} training, {len(labels['val'])} validation "
            f"and {len(labels['test'])} test clips")
    return ClipSet(clips, labels, names, desc, report=data.report)


__all__ = ["ClipSet", "load_clips", "SPLITS"]
