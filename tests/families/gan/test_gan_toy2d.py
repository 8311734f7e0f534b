"""2-D toy distributions for GANs and the mode-collapse number."""

import numpy as np
import pytest

from seqlab.core.errors import DataError
from seqlab.families.gan.data.toy2d import drawn, grid, mode_coverage, ring, sample, spiral, two_moons


def test_ring_true_samples_cover_all_modes_and_few_are_far():
    r = ring(4000, seed=1)
    assert r.samples.dtype == np.float32 and r.samples.shape == (4000, 2)
    assert r.centres.shape == (8, 2) and r.std == 0.05
    assert np.allclose(np.hypot(*r.centres.T), 2.0, atol=1e-6)
    modes, far = mode_coverage(r.samples, r.centres, r.std)
    assert modes == 8
    assert far < 0.02            # exp(-4.5) = 1.1% of a 2-D Gaussian lies beyond 3 std


def test_samples_of_one_mode_cover_one():
    r = ring(4000, seed=2)
    one = r.samples[r.labels == 3]
    assert mode_coverage(one, r.centres, r.std).modes == 1
    # Half the modes, equally used: four.
    half = r.samples[r.labels % 2 == 0]
    assert mode_coverage(half, r.centres, r.std).modes == 4


def test_uniform_noise_is_mostly_far():
    r = ring(10)
    noise = np.random.default_rng(0).uniform(-3, 3, (5000, 2))
    modes, far = mode_coverage(noise, r.centres, r.std)
    assert far > 0.9 and modes < 8


def test_a_few_stray_samples_do_not_count_as_covering_a_mode():
    r = ring(1000, seed=3)
    x = np.concatenate([r.samples[r.labels == 0][:990], r.centres[1:3]])   # 1 sample at modes 1, 2
    assert mode_coverage(x, r.centres, r.std).modes == 1
    assert mode_coverage(x, r.centres, r.std, min_share=0.0).modes == 3


def test_diverged_samples_count_as_far():
    r = ring(100)
    x = r.samples.copy()
    x[:50] = np.nan
    modes, far = mode_coverage(x, r.centres, r.std)
    assert 0.5 <= far < 0.55 and modes == 8


def test_grid_true_samples_cover_25():
    g = grid(10000, seed=0)
    assert g.centres.shape == (25, 2)
    assert sorted(set(g.centres[:, 0].tolist())) == [-4.0, -2.0, 0.0, 2.0, 4.0]
    modes, far = mode_coverage(g.samples, g.centres, g.std)
    assert modes == 25 and far < 0.02
    assert np.bincount(g.labels).min() > 300       # modes equally likely (400 expected)


def test_same_seed_same_samples():
    for make in (ring, grid, spiral, two_moons):
        a, b = make(300, seed=7), make(300, seed=7)
        assert np.array_equal(a.samples, b.samples) and np.array_equal(a.labels, b.labels)
        assert not np.array_equal(a.samples, make(300, seed=8).samples)


def test_spiral_and_moons_shapes():
    s = spiral(3000, noise=0.0, scale=3.0)
    r = np.hypot(*s.samples.T)
    assert s.centres is None and s.std is None and not s.labels.any()
    assert r.max() <= 3.0 + 1e-5 and r.min() > 0.74       # starts half a turn out: r = 0.75
    # Even along the curve, not the angle: the outer half of the radii (longer arcs) holds
    # about 65% of the points; evenly in angle it would hold 50%.
    assert 0.6 < np.mean(r > (0.75 + 3.0) / 2) < 0.7
    m = two_moons(3000, noise=0.0)
    assert set(m.labels.tolist()) == {0, 1}
    upper, lower = m.samples[m.labels == 0] + [0.5, 0.25], m.samples[m.labels == 1] + [0.5, 0.25]
    assert np.allclose(np.hypot(*upper.T), 1.0, atol=1e-5)
    assert np.allclose(np.hypot(lower[:, 0] - 1, lower[:, 1] - 0.5), 1.0, atol=1e-5)
    assert abs(float(m.samples.mean())) < 0.1


def test_drawn_strokes_become_a_sampler_along_them():
    strokes = [[(0, 0), (4, 0)], [(0, 1), (0, 2)], [(5, 5)]]    # ragged: 2, 2 and 1 points
    d = drawn(strokes, 6000, jitter=0.01, seed=0)
    assert d.samples.shape == (6000, 2) and d.centres is None
    counts = np.bincount(d.labels)
    # Spread by length: the 4-long stroke gets about 4 times the 1-long one; the dot a little.
    assert 3.3 < counts[0] / counts[1] < 4.8 and 0 < counts[2] < 60
    on_first = d.samples[d.labels == 0]
    assert np.abs(on_first[:, 1]).max() < 0.06 and on_first[:, 0].min() > -0.06
    single = drawn([(0, 0), (1, 1), (2, 0)], 500, seed=1)        # one stroke as a point list
    assert set(single.labels.tolist()) == {0}
    assert np.array_equal(single.samples, drawn([(0, 0), (1, 1), (2, 0)], 500, seed=1).samples)


@pytest.mark.parametrize("strokes,words", [
    ([], "nothing was drawn"),
    ([[]], "nothing was drawn"),
    ([(0, 0, 1)], r"\(x, y\) pairs"),
    ([[(0, 0)], [(1, float("nan"))]], "stroke 2 holds a point that is not a finite number"),
    ("abc", r"\(x, y\) number pairs"),
    (None, r"\(x, y\) pairs"),
])
def test_bad_drawings_get_one_clear_message(strokes, words):
    with pytest.raises(DataError, match=words):
        drawn(strokes, 10)


@pytest.mark.parametrize("call,words", [
    (lambda: ring(0), "n must be"),
    (lambda: ring(10, std=0), "std must be a number > 0"),
    (lambda: grid(10, side=0), "side"),
    (lambda: spiral(10, noise=-1), "noise"),
    (lambda: two_moons(10, seed=-1), "seed"),
    (lambda: sample("blobs"), "must be one of"),
    (lambda: sample("ring", radus=3), "no option 'radus'"),
    (lambda: mode_coverage(np.zeros((5, 3)), ring(1).centres, 0.05), r"samples shaped \[n >= 1, 2\]"),
    (lambda: mode_coverage(np.zeros((5, 2)), np.zeros((0, 2)), 0.05), "centres"),
    (lambda: mode_coverage(np.zeros((5, 2)), ring(1).centres, 0.0), "std"),
])
def test_bad_arguments_get_one_clear_message(call, words):
    with pytest.raises(DataError, match=words):
        call()


def test_sample_by_name():
    assert np.array_equal(sample("ring", 50, seed=2, radius=3.0).samples, ring(50, radius=3.0, seed=2).samples)
