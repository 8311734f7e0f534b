"""The built-in spoken-word set: shapes, splits by speaker, seeded augmentation, damaged files."""

import zipfile

import numpy as np
import pytest

from seqlab.families.speech.data import clip_codec
from seqlab.families.speech.data.spoken_words import (DATA_FILE, SILENCE, UNKNOWN, SpokenWordsError,
                                                      load_spoken_words)

KEYWORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
            "yes", "no", "up", "down", "left", "right", "stop", "go")


def test_shipped_file_is_small_and_loads_without_pickle():
    assert DATA_FILE.stat().st_size <= 5_000_000
    with np.load(DATA_FILE, allow_pickle=False) as z:
        assert all(z[k].dtype != object for k in z.files)
    assert (DATA_FILE.parent / "spoken_words.SOURCE.md").exists()


def test_train_split_has_every_keyword_and_silence_as_one_second_clips():
    d = load_spoken_words("train")
    assert d.class_names == KEYWORDS + (SILENCE,)
    assert d.clips.dtype == np.float32 and d.clips.shape[1] == 16000 and d.sample_rate == 16000
    counts = np.bincount(d.labels, minlength=len(d.class_names))
    assert counts.min() >= 40                         # every class, silence included, well represented
    assert np.all(np.abs(d.clips) <= 1.0)
    assert np.all(d.speaker_ids[d.labels == d.class_names.index(SILENCE)] == -1)


def test_splits_hold_out_whole_speakers():
    spk = {s: set(load_spoken_words(s, include_silence=False).speaker_ids.tolist()) for s in ("train", "val", "test")}
    assert spk["train"] and spk["val"] and spk["test"]
    assert not (spk["train"] & spk["val"]) and not (spk["train"] & spk["test"]) and not (spk["val"] & spk["test"])
    names = load_spoken_words("test").speakers
    accents = lambda ids: {names[i].split("+")[0] for i in ids}
    assert accents(spk["test"]) == accents(spk["train"])   # every accent is also tested


def test_unknown_class_is_optional():
    plain = load_spoken_words("val", include_unknown=False)
    more = load_spoken_words("val", include_unknown=True)
    assert UNKNOWN not in plain.class_names and more.class_names[-1] == UNKNOWN
    n_unknown = int(np.sum(more.labels == more.class_names.index(UNKNOWN)))
    assert n_unknown > 0 and len(more.labels) == len(plain.labels) + n_unknown


def test_augmentation_is_seeded_and_varies_with_the_seed():
    a = load_spoken_words("train", seed=1)
    b = load_spoken_words("train", seed=1)
    c = load_spoken_words("train", seed=2)
    np.testing.assert_array_equal(a.clips, b.clips)
    np.testing.assert_array_equal(a.labels, c.labels)
    assert not np.array_equal(a.clips, c.clips)


def test_evaluation_splits_are_the_same_whatever_the_seed():
    np.testing.assert_array_equal(load_spoken_words("test", seed=1).clips, load_spoken_words("test", seed=9).clips)


def test_copies_repeat_words_with_different_shifts():
    one = load_spoken_words("train", include_silence=False, noise_level=0.0)
    three = load_spoken_words("train", include_silence=False, noise_level=0.0, copies=3)
    n = len(one.labels)
    assert len(three.labels) == 3 * n
    np.testing.assert_array_equal(three.labels[:n], three.labels[n:2 * n])
    assert not np.array_equal(three.clips[:n], three.clips[n:2 * n])


def _onset(clips):
    return np.argmax(np.abs(clips) > 1e-3, axis=1)


def test_without_augmentation_words_are_centred_and_clean():
    d = load_spoken_words("val", augment=False, include_silence=False)
    onset = _onset(d.clips)
    end = 16000 - np.argmax(np.abs(d.clips[:, ::-1]) > 1e-3, axis=1)
    assert np.all(np.abs((onset + end) / 2 - 8000) < 400)
    assert np.all(d.clips[:, :100] == 0.0)            # no noise added


def test_augmentation_shifts_words_and_adds_noise():
    d = load_spoken_words("train", include_silence=False, noise_level=0.0)
    onsets = _onset(d.clips)
    assert onsets.std() > 1000                        # words start all over the window
    noisy = load_spoken_words("train", include_silence=False, noise_level=1.0)
    quiet = load_spoken_words("train", include_silence=False, noise_level=0.1)
    # The first samples are mostly background: louder noise with a higher noise_level.
    assert np.median(np.abs(noisy.clips[:, :50]).mean(1)) > 2 * np.median(np.abs(quiet.clips[:, :50]).mean(1))


def test_decoded_clips_stay_close_to_the_originals():
    rng = np.random.default_rng(0)
    t = np.arange(7000) / 16000
    clips = [0.8 * np.sin(2 * np.pi * f * t[:n]) * np.hanning(n) for f, n in ((300, 7000), (1200, 65), (90, 1))]
    clips.append(0.3 * rng.standard_normal(3000).clip(-1, 1))
    enc = clip_codec.encode_clips(clips)
    offsets = np.concatenate(([0], np.cumsum([c.size for c in clips])))
    out = clip_codec.decode_clips(enc["nibbles"], enc["steps"], enc["block"], offsets)
    for c, a, b in zip(clips, offsets[:-1], offsets[1:]):
        y = out[a:b]
        err = np.sum((y - c) ** 2) / max(np.sum(c ** 2), 1e-12)
        assert err < 10 ** (-12 / 10), err           # better than 12 dB even for noise and tiny clips
    sine = out[:7000]
    assert 10 * np.log10(np.sum(clips[0] ** 2) / np.sum((sine - clips[0]) ** 2)) > 30


def test_bad_arguments_and_damaged_files(tmp_path):
    with pytest.raises(ValueError, match="split"):
        load_spoken_words("training")
    with pytest.raises(ValueError, match="noise_level"):
        load_spoken_words(noise_level=2)
    with pytest.raises(SpokenWordsError, match="missing"):
        load_spoken_words(path=tmp_path / "none.npz")
    bad = tmp_path / "text.npz"
    bad.write_text("hello")
    with pytest.raises(SpokenWordsError, match="text.npz"):
        load_spoken_words(path=bad)
    with np.load(DATA_FILE, allow_pickle=False) as z:
        arrays = {k: z[k] for k in z.files}
    arrays["codec_steps"] = arrays["codec_steps"][:-5]
    cut = tmp_path / "cut.npz"
    np.savez_compressed(cut, **arrays)
    with pytest.raises(SpokenWordsError, match="damaged"):
        load_spoken_words(path=cut)
    assert zipfile.is_zipfile(DATA_FILE)
