"""The ring buffer hands out what went in, in order, and counts exactly what it had to drop."""

import threading

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from seqlab.audio.ring_buffer import RingBuffer

# An operation is ("w", n) = write the next n samples, or ("r", m) = read at most m (None: all).
ops = st.lists(st.one_of(st.tuples(st.just("w"), st.integers(0, 40)),
                         st.tuples(st.just("r"), st.one_of(st.none(), st.integers(0, 30))),
                         st.tuples(st.just("latest"), st.integers(0, 40))), max_size=60)


@settings(max_examples=300, deadline=None)
@given(capacity=st.integers(1, 32), ops=ops)
def test_samples_come_out_in_order_and_losses_are_counted_exactly(capacity, ops):
    rb = RingBuffer(capacity)
    written = np.zeros(0, dtype=np.float32)
    delivered = []
    next_value = 0
    for op, n in ops:
        if op == "w":
            block = np.arange(next_value, next_value + n, dtype=np.float32)
            next_value += n
            rb.write(block)
            written = np.concatenate([written, block])
        elif op == "r":
            got = rb.read_available(n)
            if n is not None:
                assert len(got) <= n
            delivered.append(got)
        else:
            want = written[-n:] if n else written[:0]
            got = rb.latest(n)
            # The newest min(n, capacity) samples are exact; older ones are zero padding.
            k = min(n, capacity, len(written))
            np.testing.assert_array_equal(got[n - k:], want[len(want) - k:])
            assert not got[:n - k].any()
    out = np.concatenate(delivered + [np.zeros(0, np.float32)])
    # In order, no duplicates: every delivered sample is a later one than the previous.
    assert np.all(np.diff(out) > 0)
    unread = rb.available
    assert rb.samples_written == len(written)
    assert len(out) + rb.overflow_samples + unread == len(written)
    # Unread samples are the newest ones; lost ones are never delivered.
    rest = rb.read_available()
    assert len(rest) == unread
    np.testing.assert_array_equal(rest, written[len(written) - unread:])


def test_a_consumer_that_keeps_up_loses_nothing():
    rb = RingBuffer(100)
    got = []
    for i in range(50):
        rb.write(np.full(60, i, dtype=np.float32))
        got.append(rb.read_available())
    assert rb.overflow_samples == 0
    assert np.concatenate(got).tolist() == np.repeat(np.arange(50), 60).tolist()


def test_overflow_keeps_the_newest_audio():
    rb = RingBuffer(10)
    rb.write(np.arange(25, dtype=np.float32))
    assert rb.overflow_samples == 15
    assert rb.read_available().tolist() == list(range(15, 25))


def test_discard_skips_without_counting_a_loss():
    rb = RingBuffer(8)
    rb.write(np.ones(5, np.float32))
    assert rb.discard() == 5
    assert rb.read_available().size == 0 and rb.overflow_samples == 0


def test_bad_capacity_is_refused():
    with pytest.raises(ValueError, match="capacity"):
        RingBuffer(0)


def test_producer_thread_and_consumer_thread_agree():
    # A real second thread writes a counting signal; every delivered sample must be the
    # successor of the previous one unless a counted overflow happened in between.
    rb = RingBuffer(256)
    total, block = 200_000, 64

    def produce():
        for start in range(0, total, block):
            rb.write(np.arange(start, start + block, dtype=np.float64).astype(np.float32))

    t = threading.Thread(target=produce)
    t.start()
    parts = []
    while t.is_alive() or rb.available:
        parts.append(rb.read_available())
    t.join()
    parts.append(rb.read_available())
    out = np.concatenate(parts).astype(np.int64)
    steps = np.diff(out)
    assert np.all(steps >= 1)
    assert int((steps - 1).sum()) + int(out[0]) + (total - 1 - int(out[-1])) == rb.overflow_samples
