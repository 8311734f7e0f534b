"""Importing a folder of the user's clips: what is used, what is skipped, and why."""

import numpy as np
import pytest
from scipy.io import wavfile as scipy_wav

from seqlab.audio.wavfile import read_wav, write_wav
from seqlab.families.speech.data.wav_folder import (SILENCE, WavFolderError, hash_split, import_wav_folder,
                                                    save_clip)


def _word(seconds=0.5, rate=16000, f=440.0, amp=0.5):
    t = np.arange(int(seconds * rate)) / rate
    return (amp * np.sin(2 * np.pi * f * t) * np.hanning(t.size)).astype(np.float32)


@pytest.fixture
def messy(tmp_path):
    root = tmp_path / "words"
    (root / "yes").mkdir(parents=True)
    (root / "no").mkdir()
    (root / "_background_noise_").mkdir()
    write_wav(root / "yes" / "good.wav", _word(), 16000)
    stereo = np.stack([_word(), _word() * 0.5], axis=1)
    scipy_wav.write(root / "yes" / "stereo.wav", 16000, np.round(stereo * 32767).astype(np.int16))
    write_wav(root / "yes" / "cd.wav", _word(rate=44100), 44100)
    u8 = np.round(_word(f=300) * 127 + 128).astype(np.uint8)
    scipy_wav.write(root / "no" / "eight_bit.wav", 16000, u8)
    scipy_wav.write(root / "no" / "float.wav", 22050, _word(rate=22050, f=300))
    loud = np.clip(_word(f=300, amp=3.0), -1, 1)
    write_wav(root / "no" / "clipped.wav", loud, 16000)
    # A long take: a quiet lead-in, the word at 2 s, then quiet again.
    long_take = np.zeros(3 * 16000, np.float32)
    long_take[32000:32000 + 8000] = _word(f=300)
    write_wav(root / "no" / "long.wav", long_take, 16000)
    (root / "no" / "empty.wav").write_bytes(b"")
    good = (root / "yes" / "good.wav").read_bytes()
    (root / "yes" / "truncated.wav").write_bytes(good[:len(good) // 2])
    (root / "yes" / "notes.txt").write_text("say yes loudly")
    write_wav(root / "yes" / "silent.wav", np.zeros(8000), 16000)
    (root / ".DS_Store").write_bytes(b"\0\0\0\1Bud1")
    (root / "stray.wav").write_bytes(good)
    noise = np.random.default_rng(0).standard_normal(int(3.5 * 16000)).astype(np.float32) * 0.05
    write_wav(root / "_background_noise_" / "fan.wav", noise, 16000)
    return root


def test_good_files_are_imported_and_converted(messy):
    d = import_wav_folder(messy)
    assert d.class_names == ("no", "yes", SILENCE)
    got = set(d.files)
    assert {"yes/good.wav", "yes/stereo.wav", "yes/cd.wav", "no/eight_bit.wav", "no/float.wav",
            "no/clipped.wav", "no/long.wav"} <= got
    assert {"_background_noise_/fan.wav#0", "_background_noise_/fan.wav#1", "_background_noise_/fan.wav#2"} <= got
    assert d.clips.shape == (len(d.files), 16000) and d.clips.dtype == np.float32
    converted = dict(d.report.converted)
    assert "resampled from 44100 Hz" in converted["yes/cd.wav"]
    assert "mixed to mono" in converted["yes/stereo.wav"]
    # The 44.1 kHz word keeps its pitch: the 440 Hz tone is still at 440 Hz after resampling.
    cd = d.clips[d.files.index("yes/cd.wav")]
    spectrum = np.abs(np.fft.rfft(cd))
    assert abs(np.argmax(spectrum) * 16000 / cd.size - 440) < 5


def test_long_take_keeps_the_loudest_second(messy):
    d = import_wav_folder(messy)
    clip = d.clips[d.files.index("no/long.wav")]
    energy = np.square(clip)
    assert energy.sum() > 0.95 * np.square(_word(f=300)).sum()     # the whole word is inside the window


def test_bad_files_are_reported_by_name_not_raised(messy):
    d = import_wav_folder(messy)
    skipped = dict(d.report.skipped)
    assert set(skipped) == {"no/empty.wav", "yes/truncated.wav", "yes/notes.txt", "yes/silent.wav", "stray.wav"}
    assert "empty" in skipped["no/empty.wav"]
    assert "truncated" in skipped["yes/truncated.wav"]
    assert "not a WAV file" in skipped["yes/notes.txt"]
    assert "silent" in skipped["yes/silent.wav"]
    assert not any(".DS_Store" in p for p in skipped)
    assert any("no/clipped.wav" in w and "clipped" in w for w in d.report.warnings)
    assert not any("good.wav" in w for w in d.report.warnings)
    assert "yes/truncated.wav" in d.report.summary()


def test_every_label_trains_and_small_labels_are_warned(messy):
    # With 90 % held out, some label would have no training clip; one is moved back into training.
    d = import_wav_folder(messy, val_fraction=0.45, test_fraction=0.45)
    train = d.subset("train")
    assert set(train.labels.tolist()) == set(range(len(d.class_names)))
    assert any("no training clip" in w for w in d.report.warnings)
    (messy / "up").mkdir()
    write_wav(messy / "up" / "1.wav", _word(), 16000)
    few = import_wav_folder(messy)
    assert any("'up' has only 1 clip" in w for w in few.report.warnings)
    assert not any("'yes' has only" in w for w in few.report.warnings)


def test_split_is_stable_when_files_are_added(messy):
    before = import_wav_folder(messy)
    for k in range(20):
        write_wav(messy / "yes" / f"extra{k}.wav", _word(), 16000)
    after = import_wav_folder(messy)
    old = dict(zip(before.files, before.split))
    new = dict(zip(after.files, after.split))
    assert all(new[f] == s for f, s in old.items())


def test_hash_split_fractions_and_nohash_speakers():
    splits = [hash_split(f"yes/{i:05d}.wav", 0.1, 0.2) for i in range(4000)]
    assert 0.17 < splits.count("test") / 4000 < 0.23 and 0.07 < splits.count("val") / 4000 < 0.13
    takes = {hash_split(f"yes/alice_nohash_{i}.wav", 0.3, 0.3) for i in range(10)}
    assert len(takes) == 1


def test_nothing_usable_raises_one_clear_error(tmp_path):
    with pytest.raises(WavFolderError, match="no such folder"):
        import_wav_folder(tmp_path / "missing")
    (tmp_path / "yes").mkdir()
    with pytest.raises(WavFolderError, match="one subfolder per word"):
        import_wav_folder(tmp_path)
    (tmp_path / "yes" / "a.wav").write_text("not audio")
    (tmp_path / "yes" / "b.wav").write_bytes(b"")
    with pytest.raises(WavFolderError) as e:
        import_wav_folder(tmp_path)
    msg = str(e.value)
    assert str(tmp_path) in msg and "yes/a.wav" in msg and "yes/b.wav" in msg and "none of the 2 files" in msg


def test_save_clip_numbers_files_and_reads_back(tmp_path):
    p1 = save_clip(tmp_path, "yes", _word())
    p2 = save_clip(tmp_path, "yes", _word(f=500))
    assert (p1.name, p2.name) == ("001.wav", "002.wav")
    (tmp_path / "yes" / "041.wav").write_bytes(p1.read_bytes())
    assert save_clip(tmp_path, "yes", _word()).name == "042.wav"
    y, rate = read_wav(p2)
    assert rate == 16000 and np.allclose(y, _word(f=500), atol=1e-4)
    assert sorted(p.name for p in (tmp_path / "yes").iterdir()) == ["001.wav", "002.wav", "041.wav", "042.wav"]
    assert import_wav_folder(tmp_path).class_names == ("yes",)


@pytest.mark.parametrize("bad", ["", "../up", "a/b", "no?", " yes"])
def test_save_clip_refuses_labels_that_are_not_folder_names(tmp_path, bad):
    with pytest.raises(ValueError, match="label"):
        save_clip(tmp_path, bad, _word())
