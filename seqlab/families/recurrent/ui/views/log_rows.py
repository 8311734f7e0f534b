"""Rows of log10 values for the gradients-through-time heatmap, evenly decimated so that
memory stays flat on long runs: when full, every other row is kept and from then on every
other record is taken (the stride doubles), so rows stay evenly spaced in training steps."""

from __future__ import annotations

import numpy as np

__all__ = ["LogRows"]


class LogRows:
    """Rows of log10 values, evenly decimated to stay under ``capacity`` rows."""

    def __init__(self, capacity: int):
        self.capacity = max(4, int(capacity)) & ~1
        self.clear()

    def clear(self) -> None:
        self.data = np.zeros((0, 0), np.float32)
        self.steps = np.zeros(0, np.float64)
        self.n = 0
        self.stride = 1
        self.seen = 0

    @property
    def width(self) -> int:
        return self.data.shape[1]

    def add(self, step: float, row: np.ndarray) -> bool:
        """Add a row (already log10); False if the decimation skipped it."""
        if self.n == 0 or row.shape[0] != self.width:
            self.clear()
            self.data = np.full((self.capacity, row.shape[0]), np.nan, np.float32)
            self.steps = np.zeros(self.capacity, np.float64)
        take = self.seen % self.stride == 0
        self.seen += 1
        if not take:
            return False
        if self.n == self.capacity:
            half = self.n // 2
            self.data[:half] = self.data[: self.n: 2]
            self.steps[:half] = self.steps[: self.n: 2]
            self.data[half:] = np.nan
            self.n = half
            self.stride *= 2
            # The record just seen sits on the new grid only if its index is on it.
            if (self.seen - 1) % self.stride != 0:
                return False
        self.data[self.n] = row
        self.steps[self.n] = step
        self.n += 1
        return True

    def image(self) -> np.ndarray:
        return self.data[: self.n]
