"""The pieces of the Loss view that are not the view: axes whose labels never pile up (powers
of ten on log axes), legends that keep clear of the curves, and bounded series for long runs."""

from __future__ import annotations

import math
from typing import Any, Iterable

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QColor, QFontMetricsF

from seqlab.ui.theme import ThemeManager
from seqlab.ui.views.loss_legend import (  # noqa: F401 (re-exported)
    PlacedLegend, fit_legend, make_legend, place_legend, place_line_label, style_legend,
)

__all__ = ["BoundedSeries", "SpacedAxis", "PowerAxis", "powers_of_ten", "quiet_axes", "style_legend",
           "fit_legend", "make_legend", "place_legend", "place_line_label", "PlacedLegend", "label_fill",
           "finite_float"]


_SUP = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def powers_of_ten(k: int) -> str:
    """'10⁻³' for k = -3: how a logarithmic axis or colour bar labels whole decades."""
    k = int(k)
    if k == 0:
        return "1"
    if k == 1:
        return "10"
    return "10" + str(k).translate(_SUP)


class SpacedAxis(pg.AxisItem):
    """An axis whose labelled ticks keep :attr:`GAP` lines of tick text apart.

    pyqtgraph picks about log(pixels) ticks whatever the type size, so on a short vertical
    axis in presentation type (the accuracy plot under the loss plot) 0.2, 0.4, 0.6 and 0.8
    lay on top of each other; here a level of ticks too close for its labels is dropped,
    and where none is left, one coarser 1-2-5 step is used.
    """

    GAP = 1.6

    def tickSpacing(self, minVal, maxVal, size):  # noqa: N802,N803 (pyqtgraph's names)
        levels = super().tickSpacing(minVal, maxVal, size)
        if self.orientation not in ("left", "right") or size <= 0 or not maxVal > minVal or not levels:
            return levels
        need = self.GAP * self.tick_line() * (maxVal - minVal) / size     # the least spacing, in values
        kept = [lv for lv in levels if lv[0] >= need * (1 - 1e-9)]
        if kept:
            return kept
        k = math.floor(math.log10(need))
        step = next(m * 10.0 ** k for m in (1, 2, 5, 10) if m * 10.0 ** k >= need * (1 - 1e-9))
        return [(step, 0)]

    def tick_line(self) -> float:
        """The height of a line of tick text, in pixels."""
        return QFontMetricsF(self.style.get("tickFont") or self.font()).height()


class PowerAxis(SpacedAxis):
    """An axis whose log-mode labels read at a glance from the back of a room.

    One notation per axis: plain decimals (0.01, 0.2, 5) while every tick lies within
    0.001..1000, otherwise powers of ten (10⁻⁶, 2×10⁻⁶); and between decades only the
    1-2-5 ticks are labelled, so labels never pile up. A range within one decade that holds
    no 1-2-5 tick (a gradient norm between 0.3 and 0.45) labels its ticks as they are,
    rather than leaving the axis without a number.
    """

    def logTickStrings(self, values, scale, spacing):  # noqa: N802 (pyqtgraph's name)
        exps = [float(v) + (math.log10(scale) if scale and scale > 0 else 0.0) for v in values]
        plain = all(-3 - 1e-9 <= e < 3 for e in exps)
        out = []
        for e in exps:
            k = math.floor(e + 1e-9)
            m = 10 ** (e - k)
            mant = round(m)
            if abs(m - mant) > 1e-6 * m or mant not in (1, 2, 5, 10):
                out.append("")
                continue
            if mant == 10:
                k, mant = k + 1, 1
            if plain:
                out.append(f"{mant * 10.0 ** k:.{max(0, -k)}f}")
            else:
                out.append(powers_of_ten(k) if mant == 1 else f"{mant}×{powers_of_ten(k)}")
        if exps and not any(out) and self._labels_all(exps):
            out = [f"{10 ** e:.2g}" if plain else f"{10 ** (e - math.floor(e)):.2g}×{powers_of_ten(math.floor(e))}"
                   for e in exps]
        return out

    def _labels_all(self, exps) -> bool:
        """There is room to label every tick (they are whole steps of one mantissa)."""
        vb = self.linkedView()
        if vb is None or len(exps) < 1:
            return False
        r = vb.viewRange()[1 if self.orientation in ("left", "right") else 0]
        size = vb.height() if self.orientation in ("left", "right") else vb.width()
        room = self.tick_line() * SpacedAxis.GAP if self.orientation in ("left", "right") else 0.0
        gaps = np.diff(sorted(exps)) * size / max(r[1] - r[0], 1e-12)
        return len(exps) == 1 or bool(np.all(gaps >= room))


def quiet_axes(plot: pg.PlotItem) -> None:
    """No automatic SI rescaling ('loss (x0.001)' puzzles students, and is wrong on a log
    axis) and no finest tick level, whose grid lines only add clutter on a projector."""
    for name in ("left", "bottom", "right", "top"):
        ax = plot.getAxis(name)
        ax.enableAutoSIPrefix(False)
        ax.setStyle(maxTickLevel=1)


def label_fill(tm: ThemeManager) -> QColor:
    """A translucent theme background behind a line's label, so it reads over curves."""
    bg = QColor(tm.theme.base)
    bg.setAlpha(200)
    return bg


class BoundedSeries:
    """(x, y) points appended over time, never more than ``capacity`` of them.

    When full, the older half is thinned two to one (pairs merged by their mean, or by
    keeping the larger ``y`` when ``reduce='max'``, so that spikes such as exploding
    gradients survive), while the recent half keeps full detail.
    """

    def __init__(self, capacity: int = 20_000, reduce: str = "mean"):
        if capacity < 8:
            raise ValueError("capacity must be at least 8")
        if reduce not in ("mean", "max"):
            raise ValueError("reduce must be 'mean' or 'max'")
        self.capacity = int(capacity)
        self.reduce = reduce
        self._x = np.empty(self.capacity, np.float64)
        self._y = np.empty(self.capacity, np.float64)
        self._n = 0
        self.version = 0        # changes with every change of the points: views redraw only then

    def __len__(self) -> int:
        return self._n

    @property
    def x(self) -> np.ndarray:
        """The kept x values (a view; copy it to keep it)."""
        return self._x[: self._n]

    @property
    def y(self) -> np.ndarray:
        """The kept y values (a view; copy it to keep it)."""
        return self._y[: self._n]

    def clear(self) -> None:
        self._n = 0
        self.version += 1

    def last(self) -> tuple[float, float] | None:
        return (float(self._x[self._n - 1]), float(self._y[self._n - 1])) if self._n else None

    def replace_last(self, x: float, y: float) -> None:
        if self._n:
            self._x[self._n - 1], self._y[self._n - 1] = x, y
            self.version += 1

    def append(self, x: float, y: float) -> None:
        self.extend((x,), (y,))

    def extend(self, xs: Iterable[float], ys: Iterable[float]) -> None:
        xs = np.asarray(xs, np.float64).ravel()
        ys = np.asarray(ys, np.float64).ravel()
        if xs.shape != ys.shape:
            raise ValueError(f"x and y differ in length: {xs.shape} vs {ys.shape}")
        self.version += 1
        i = 0
        while i < len(xs):
            if self._n == self.capacity:
                self._thin()
            k = min(len(xs) - i, self.capacity - self._n)
            self._x[self._n:self._n + k] = xs[i:i + k]
            self._y[self._n:self._n + k] = ys[i:i + k]
            self._n += k
            i += k

    def _thin(self) -> None:
        half = (self._n // 2) & ~1  # an even count of the oldest points
        x, y = self._x[:half].reshape(-1, 2), self._y[:half].reshape(-1, 2)
        if self.reduce == "max":
            pick = np.argmax(np.nan_to_num(y, nan=-np.inf), axis=1)
            rows = np.arange(len(y))
            nx, ny = x[rows, pick], y[rows, pick]
        else:
            nx, ny = x.mean(axis=1), y.mean(axis=1)
        m = len(nx)
        rest = self._n - half
        self._x[:m], self._y[:m] = nx, ny
        self._x[m:m + rest] = self._x[half:self._n].copy()
        self._y[m:m + rest] = self._y[half:self._n].copy()
        self._n = m + rest


def finite_float(v: Any) -> float | None:
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None
