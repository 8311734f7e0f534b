"""The shipped digit sets: real images, stratified seeded splits, corruption for denoising."""

import numpy as np
import pytest

from seqlab.core.errors import DataError
from seqlab.families.autoencoder.data import digits
from seqlab.families.autoencoder.data.digits import corrupt, load_digits


@pytest.mark.parametrize("kind,side,total", [("8x8", 8, 1797), ("28x28", 28, 5000)])
def test_splits_cover_the_set_once_scaled_to_unit_range(kind, side, total):
    parts = [load_digits(kind, s, seed=3) for s in ("train", "val", "test")]
    for p in parts:
        assert p.images.dtype == np.float32 and p.images.shape[1:] == (side, side)
        assert p.labels.dtype == np.int64 and len(p.labels) == len(p.images)
        assert p.class_names == [str(d) for d in range(10)]
        assert p.images.min() == 0.0 and p.images.max() == 1.0
    assert sum(len(p.labels) for p in parts) == total
    # No image sits in two splits: compare the pixel bytes of every image.
    seen = [{im.tobytes() for im in p.images} for p in parts]
    dup_within = sum(len(p.images) for p in parts) - sum(len(s) for s in seen)
    assert len(seen[0] & seen[1]) + len(seen[0] & seen[2]) + len(seen[1] & seen[2]) <= dup_within
    # Stratified: every digit has about 15% of its images in val and in test.
    for p in parts[1:]:
        counts = np.bincount(p.labels, minlength=10)
        whole = np.bincount(np.concatenate([q.labels for q in parts]), minlength=10)
        assert np.all(np.abs(counts - 0.15 * whole) <= 1)


def test_same_seed_same_arrays_other_seed_other_split():
    a, b = load_digits("8x8", "val", seed=5), load_digits("8x8", "val", seed=5)
    assert np.array_equal(a.images, b.images) and np.array_equal(a.labels, b.labels)
    c = load_digits("8x8", "val", seed=6)
    assert not np.array_equal(a.images, c.images)


def test_splits_are_not_sorted_by_digit():
    train = load_digits("28x28", "train")
    assert np.mean(np.diff(train.labels) != 0) > 0.5


def test_images_look_like_their_digit():
    # Real handwriting: a nearest-class-mean classifier fit on train gets most test images
    # right, which a shuffled or mislabelled file would not.
    for kind in ("8x8", "28x28"):
        tr, te = load_digits(kind, "train"), load_digits(kind, "test")
        means = np.stack([tr.images[tr.labels == d].mean(0) for d in range(10)])
        d = ((te.images[:, None] - means[None]) ** 2).sum(axis=(2, 3))
        assert np.mean(d.argmin(1) == te.labels) > 0.75


def test_returned_arrays_are_the_callers_own():
    a = load_digits("8x8", "train")
    a.images[:] = 0
    a.labels[:] = 0
    b = load_digits("8x8", "train")
    assert b.images.max() == 1.0 and b.labels.max() == 9


def test_zero_fraction_gives_an_empty_split():
    v = load_digits("8x8", "val", val_fraction=0.0)
    assert v.images.shape == (0, 8, 8) and v.labels.shape == (0,)


@pytest.mark.parametrize("kwargs,words", [
    ({"kind": "16x16"}, "digit kind"),
    ({"split": "validation"}, "split must be"),
    ({"seed": -1}, "seed"),
    ({"seed": 1.5}, "seed"),
    ({"val_fraction": 1.0}, "val_fraction"),
    ({"test_fraction": -0.1}, "test_fraction"),
    ({"val_fraction": 0.5, "test_fraction": 0.5}, "at most 0.9"),
])
def test_bad_arguments_get_one_clear_message(kwargs, words):
    with pytest.raises(DataError, match=words):
        load_digits(**kwargs)


def test_missing_file_names_where_it_looked(monkeypatch, tmp_path):
    monkeypatch.setattr(digits, "digit_dirs", lambda: [tmp_path])
    digits._raw.cache_clear()
    try:
        with pytest.raises(DataError, match="digits8x8.npz is missing.*reinstall"):
            load_digits("8x8")
    finally:
        digits._raw.cache_clear()


def test_damaged_file_is_reported_not_unpickled(monkeypatch, tmp_path):
    (tmp_path / "digits8x8.npz").write_bytes(b"not a zip file")
    monkeypatch.setattr(digits, "digit_dirs", lambda: [tmp_path])
    digits._raw.cache_clear()
    try:
        with pytest.raises(DataError, match="damaged"):
            load_digits("8x8")
        np.savez(tmp_path / "digits8x8.npz", images=np.array([object()] * 4, dtype=object),
                 labels=np.zeros(4, np.uint8))
        digits._raw.cache_clear()
        with pytest.raises(DataError, match="damaged"):
            load_digits("8x8")
    finally:
        digits._raw.cache_clear()


# --- corruption -----------------------------------------------------------------------------

def test_gaussian_noise_has_the_asked_spread_and_leaves_input_alone():
    x = np.full((200, 8, 8), 0.5, np.float32)
    y = corrupt(x, "gaussian", 0.2, np.random.default_rng(0))
    assert y.dtype == np.float32 and y.shape == x.shape
    assert abs(float((y - x).std()) - 0.2) < 0.01
    assert np.all(x == 0.5)
    clipped = corrupt(x, "gaussian", 2.0, 0, clip=(0.0, 1.0))
    assert clipped.min() == 0.0 and clipped.max() == 1.0


def test_salt_pepper_and_mask_change_the_asked_share():
    x = np.full((100, 28, 28), 0.5, np.float32)
    sp = corrupt(x, "salt_pepper", 0.3, 1)
    assert abs(np.mean(sp == 0.0) - 0.15) < 0.01 and abs(np.mean(sp == 1.0) - 0.15) < 0.01
    assert np.all((sp == 0.0) | (sp == 1.0) | (sp == 0.5))
    m = corrupt(x, "mask", 0.25, 2)
    assert abs(np.mean(m == 0.0) - 0.25) < 0.01 and np.all((m == 0.0) | (m == 0.5))


def test_corruption_is_seeded():
    x = load_digits("8x8", "val").images
    assert np.array_equal(corrupt(x, "mask", 0.5, 7), corrupt(x, "mask", 0.5, 7))
    assert not np.array_equal(corrupt(x, "mask", 0.5, 7), corrupt(x, "mask", 0.5, 8))


@pytest.mark.parametrize("kind,level,words", [
    ("blur", 0.1, "must be one of"),
    ("gaussian", -0.1, "standard deviation"),
    ("mask", 1.5, "share of values"),
    ("salt_pepper", float("nan"), "must be a number"),
])
def test_bad_corruption_gets_one_clear_message(kind, level, words):
    with pytest.raises(DataError, match=words):
        corrupt(np.zeros((2, 8, 8)), kind, level, 0)
