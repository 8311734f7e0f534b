"""A preallocated float32 mono ring buffer for one producer thread and one consumer thread.

The producer is PortAudio's callback thread: it must never wait, so :meth:`RingBuffer.write`
only copies into preallocated memory and, when the consumer has fallen behind, overwrites the
oldest unread samples and counts them as lost (``overflow_samples``). Keeping the newest audio
is what both consumers want: a live recogniser cares about what was just said, and a scrolling
waveform view (:meth:`RingBuffer.latest`) must keep moving even if nobody drains the buffer.

Thread safety without a lock (friture and JACK ring buffers work the same way): every sample
has a *position* (0, 1, 2, ... since creation). The producer owns two integers, ``_claimed``
(positions up to which it has started writing) and ``_written`` (positions fully written);
the consumer owns ``_read``. Python int assignment is atomic under the GIL, and a numpy copy may
run without the GIL, so a reader copies first and then checks ``_claimed``: any position the
producer may have overwritten during the copy (``< _claimed - capacity``) is discarded, never
returned half-written. Each lost position is counted exactly once, by the write that overwrote it.
"""

from __future__ import annotations

import numpy as np


class RingBuffer:
    """Single-producer single-consumer float32 ring buffer that counts overflows instead of blocking."""

    def __init__(self, capacity: int):
        if isinstance(capacity, bool) or not isinstance(capacity, int) or capacity < 1:
            raise ValueError(f"ring buffer capacity must be a positive number of samples, got {capacity!r}")
        self._buf = np.zeros(capacity, dtype=np.float32)
        self._cap = capacity
        self._claimed = 0   # producer: positions < _claimed may be being written right now
        self._written = 0   # producer: positions < _written are complete
        self._read = 0      # consumer: positions < _read have been delivered (or skipped)
        self._lost = 0      # producer: unread positions overwritten so far

    # --- producer side ------------------------------------------------------------------
    def write(self, block: np.ndarray) -> None:
        """Copy a 1-D block of samples in; never blocks, never allocates beyond a view.

        Unread samples that have to be overwritten are counted in :attr:`overflow_samples`.
        """
        n = len(block)
        if n == 0:
            return
        cap = self._cap
        w = self._written
        end = w + n
        # Positions [max(read, w - cap), end - cap) were unread and are overwritten now;
        # positions below w - cap were already counted by an earlier write.
        lost = end - cap - max(self._read, w - cap)
        if lost > 0:
            self._lost += lost
        if n > cap:            # only the newest `cap` samples of a huge block can be kept
            block = block[n - cap:]
            w = end - cap
            n = cap
        self._claimed = end
        i = w % cap
        first = min(n, cap - i)
        self._buf[i:i + first] = block[:first]
        if first < n:
            self._buf[:n - first] = block[first:]
        self._written = end

    # --- consumer side ------------------------------------------------------------------
    @property
    def capacity(self) -> int:
        """How many samples the buffer holds."""
        return self._cap

    @property
    def samples_written(self) -> int:
        """Total samples ever written: a clock in samples, usable to time-stamp reads."""
        return self._written

    @property
    def overflow_samples(self) -> int:
        """Samples overwritten before the consumer read them (the consumer fell behind)."""
        return self._lost

    @property
    def available(self) -> int:
        """Unread samples still held (at most the capacity)."""
        return min(self._written - self._read, self._cap)

    def _copy(self, start: int, stop: int) -> np.ndarray:
        out = np.empty(stop - start, dtype=np.float32)
        cap = self._cap
        i = start % cap
        first = min(stop - start, cap - i)
        out[:first] = self._buf[i:i + first]
        if first < len(out):
            out[first:] = self._buf[:len(out) - first]
        return out

    def read_available(self, max_samples: int | None = None) -> np.ndarray:
        """Return the unread samples (oldest first, at most ``max_samples``) and mark them read."""
        stop = self._written
        start = max(self._read, stop - self._cap)
        if max_samples is not None:
            stop = min(stop, start + max(0, int(max_samples)))
        out = self._copy(start, stop)
        # The producer may have lapped us during the copy: drop what it overwrote (it counted them).
        valid_from = self._claimed - self._cap
        if valid_from > start:
            out = out[min(valid_from, stop) - start:]
        self._read = stop
        return out

    def latest(self, n: int) -> np.ndarray:
        """The last ``n`` samples written, oldest first, zero-padded in front when fewer exist.

        Does not change what :meth:`read_available` returns; meant for waveform views.
        """
        n = int(n)
        if n < 0:
            raise ValueError(f"latest() needs a non-negative number of samples, got {n}")
        out = np.zeros(n, dtype=np.float32)
        for _ in range(3):     # retry if the producer laps the copy (it only happens under heavy load)
            stop = self._written
            k = min(n, stop, self._cap)
            part = self._copy(stop - k, stop)
            if self._claimed - self._cap <= stop - k:
                break
        out[n - k:] = part
        return out

    def discard(self) -> int:
        """Mark everything unread as read (e.g. after a pause); returns how many samples were skipped."""
        stop = self._written
        skipped = stop - max(self._read, stop - self._cap)
        self._read = stop
        return skipped
