"""Heartbeat signals: anomalies sit exactly where the labels say, are visible, and training is normal-only."""

import numpy as np
import pytest

from seqlab.core.errors import DataError
from seqlab.families.autoencoder.data.heartbeat import (
    KINDS, generate_heartbeat, heartbeat_dataset, make_windows)


def _auc(score, y):
    """Probability that a random anomalous window scores above a random normal one."""
    ranks = np.argsort(np.argsort(score))
    pos = y == 1
    n1, n0 = pos.sum(), (~pos).sum()
    return (ranks[pos].sum() - n1 * (n1 - 1) / 2) / (n1 * n0)


def _nearest_normal_distance(train, x):
    d2 = (x ** 2).sum(1)[:, None] - 2 * x @ train.T + (train ** 2).sum(1)[None]
    return np.sqrt(np.maximum(d2.min(1), 0))


def test_same_seed_same_trace():
    a, b = generate_heartbeat(120, seed=4), generate_heartbeat(120, seed=4)
    assert np.array_equal(a.signal, b.signal) and np.array_equal(a.labels, b.labels)
    assert a.spans == b.spans
    assert not np.array_equal(a.signal, generate_heartbeat(120, seed=5).signal)


def test_shape_rate_and_beat_count():
    hb = generate_heartbeat(300.0, sample_rate=100, heart_rate=72, anomaly_rate=0.0, seed=1)
    assert hb.signal.dtype == np.float32 and hb.signal.shape == (30000,)
    assert hb.labels.dtype == np.int64 and not hb.labels.any() and hb.spans == []
    assert abs(len(hb.beats) - 300 * 72 / 60) < 0.05 * 360
    # R peaks are the tallest points: the trace there is near 1, far above the median.
    assert np.median(hb.signal[hb.beats]) > 0.7 and abs(np.median(hb.signal)) < 0.15


def test_labels_are_exactly_the_spans_and_every_kind_occurs():
    hb = generate_heartbeat(1800, anomaly_rate=0.05, seed=2)
    union = np.zeros_like(hb.labels)
    for s in hb.spans:
        assert s.kind in KINDS and 0 <= s.start < s.stop <= len(hb.signal)
        union[s.start:s.stop] = 1
    assert np.array_equal(union, hb.labels)
    assert all(a.stop <= b.start for a, b in zip(hb.spans, hb.spans[1:]))
    assert {s.kind for s in hb.spans} == set(KINDS)


def test_anomalies_change_the_trace_inside_their_spans_only():
    # Same seed without anomalies is the same heart: outside the labelled spans the two traces
    # agree; inside every span they differ clearly.
    hb = generate_heartbeat(900, anomaly_rate=0.05, seed=3)
    clean = generate_heartbeat(900, anomaly_rate=0.0, seed=3)
    outside = hb.labels == 0
    assert np.max(np.abs(hb.signal[outside] - clean.signal[outside])) < 1e-3
    for s in hb.spans:
        diff = np.abs(hb.signal[s.start:s.stop] - clean.signal[s.start:s.stop])
        assert diff.max() > 0.3, s


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_alone(kind):
    hb = generate_heartbeat(600, anomaly_rate=0.05, kinds=(kind,), seed=0)
    assert hb.spans and {s.kind for s in hb.spans} == {kind}


def test_training_windows_are_normal_and_evaluation_is_mixed():
    d = heartbeat_dataset(length=150, seed=0)
    assert d.x_train.dtype == np.float32 and d.x_train.shape[1] == 150
    # Every training window, mapped back to the raw trace, holds no anomalous sample.
    train = make_windows(d.heartbeat, 150, 75, 0.0, 0, d.split_index[0])
    assert len(d.x_train) == int((train.share == 0).sum())
    assert np.allclose(d.x_train * d.std + d.mean, train.x[train.share == 0], atol=1e-5)
    assert abs(float(d.x_train.mean())) < 1e-3 and abs(float(d.x_train.std()) - 1) < 1e-3
    for y, w, lo, hi in ((d.y_val, d.val, *d.split_index),
                         (d.y_test, d.test, d.split_index[1], len(d.heartbeat.signal))):
        assert 0 < y.mean() < 0.2
        assert np.all(w.starts >= lo) and np.all(w.starts + 150 <= hi)
        labelled = np.array([d.heartbeat.labels[s:s + 150].any() for s in w.starts])
        assert np.array_equal(labelled.astype(np.int64), y)
        assert all((k != "") == bool(lab) for k, lab in zip(w.kinds, y))


def test_anomalous_windows_stand_out_to_a_trivial_detector():
    # Distance to the nearest normal training window (densely cut) ranks anomalous windows
    # above normal ones: the anomalies are visible, not buried in noise. Validation and test
    # of a 30-minute trace together hold about 45 anomalous windows.
    for seed in (0, 1):
        for label_share, floor in ((0.0, 0.9), (0.1, 0.95)):
            d = heartbeat_dataset(seed=seed, duration_s=1800, label_share=label_share)
            dense = make_windows(d.heartbeat, 150, 5, 0.0, 0, d.split_index[0])
            normal = (dense.x[dense.share == 0] - d.mean) / d.std
            x, y = np.concatenate([d.x_val, d.x_test]), np.concatenate([d.y_val, d.y_test])
            # Windows that touch an anomaly with only a few edge samples are the hard ones,
            # so counting those as normal (label_share 0.1) separates better.
            assert _auc(_nearest_normal_distance(normal, x), y) > floor, (seed, label_share)


def test_label_share_counts_small_overlaps_as_normal():
    hb = generate_heartbeat(600, anomaly_rate=0.05, seed=0)
    any_ = make_windows(hb, 100, 10)
    half = make_windows(hb, 100, 10, label_share=0.5)
    assert np.array_equal(any_.labels, (any_.share > 0).astype(np.int64))
    assert np.array_equal(half.labels, (half.share > 0.5).astype(np.int64))
    assert half.labels.sum() < any_.labels.sum()


@pytest.mark.parametrize("kwargs,words", [
    ({"anomaly_rate": 0.5}, "anomaly_rate"),
    ({"kinds": ("arrhythmia",)}, "kinds must be"),
    ({"kinds": "premature"}, "kinds must be"),
    ({"heart_rate": 0}, "heart_rate"),
    ({"duration_s": 2.0}, "duration_s"),
    ({"seed": -3}, "seed"),
])
def test_bad_signal_arguments(kwargs, words):
    with pytest.raises(DataError, match=words):
        generate_heartbeat(**{"duration_s": 60.0, **kwargs})


@pytest.mark.parametrize("kwargs,words", [
    ({"length": 1}, "window length"),
    ({"stride": 0}, "stride"),
    ({"label_share": 1.0}, "label_share"),
    ({"val_fraction": 0.6}, "val_fraction"),
    ({"heartrate": 60}, "unknown heartbeat setting 'heartrate'"),
    ({"length": 3000, "duration_s": 60.0}, "shorter than one window|no normal training window"),
])
def test_bad_window_arguments(kwargs, words):
    with pytest.raises(DataError, match=words):
        heartbeat_dataset(**kwargs)
