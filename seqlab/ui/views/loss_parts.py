"""The pieces of the Loss view that are not the view: axes with powers of ten, legends that
keep clear of the curves, and bounded series for long runs."""

from __future__ import annotations

import math
from typing import Any, Iterable

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QColor

from seqlab.ui.theme import ThemeManager

__all__ = ["BoundedSeries", "PowerAxis", "powers_of_ten", "quiet_axes", "style_legend", "fit_legend",
           "place_legend", "label_fill", "finite_float"]


_SUP = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def powers_of_ten(k: int) -> str:
    """'10⁻³' for k = -3: how a logarithmic axis or colour bar labels whole decades."""
    k = int(k)
    if k == 0:
        return "1"
    if k == 1:
        return "10"
    return "10" + str(k).translate(_SUP)


class PowerAxis(pg.AxisItem):
    """An axis whose log-mode labels read at a glance from the back of a room.

    One notation per axis: plain decimals (0.01, 0.2, 5) while every tick lies within
    0.001..1000, otherwise powers of ten (10⁻⁶, 2×10⁻⁶); and between decades only the
    1-2-5 ticks are labelled, so labels never pile up.
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
        return out


def quiet_axes(plot: pg.PlotItem) -> None:
    """No automatic SI rescaling ('loss (x0.001)' puzzles students, and is wrong on a log
    axis) and no finest tick level, whose grid lines only add clutter on a projector."""
    for name in ("left", "bottom", "right", "top"):
        ax = plot.getAxis(name)
        ax.enableAutoSIPrefix(False)
        ax.setStyle(maxTickLevel=1)


def style_legend(legend: pg.LegendItem, tm: ThemeManager) -> None:
    """Legend text in the theme's colour and label size, on a nearly opaque background.

    pyqtgraph only applies a new text size to entries added later, so existing entries
    are re-rendered here.
    """
    color = tm.color("text")
    size = f"{tm.font_pt('label'):.1f}pt"
    legend.setLabelTextColor(color)
    legend.setLabelTextSize(size)
    for _sample, label in legend.items:
        label.setText(label.text, color=color, size=size)
    bg = QColor(tm.theme.base)
    bg.setAlpha(225)
    legend.setBrush(bg)
    legend.setPen(tm.pen("grid", "axis"))
    legend.updateSize()


def label_fill(tm: ThemeManager) -> QColor:
    """A translucent theme background behind a line's label, so it reads over curves."""
    bg = QColor(tm.theme.base)
    bg.setAlpha(200)
    return bg


def fit_legend(legend: pg.LegendItem, plot_width: float, wide_columns: int,
                wide_px: float) -> None:
    """Entries side by side (one short row) in a wide plot, stacked in a narrow one."""
    cols = wide_columns if plot_width >= wide_px else 1
    if legend.columnCount != cols:
        legend.setColumnCount(cols)


#: Legend corners tried by :func:`place_legend`, best first: (item anchor, offset sign).
_CORNERS = ((1, 0), (0, 0), (1, 1), (0, 1))


def place_legend(legend: pg.LegendItem, plot: pg.PlotItem, curves, avoid=(), margin: float = 10) -> None:
    """Move ``legend`` to the corner of ``plot`` where it covers the fewest curve points.

    ``curves`` are PlotDataItems (their displayed data is used, so log axes are handled);
    ``avoid`` are further graphics items (line labels) the legend should not cover. The
    legend stays where it is unless another corner is clearly better, so it does not jump.
    """
    vb = plot.getViewBox()
    vr, box = vb.viewRect(), vb.sceneBoundingRect()
    lw, lh = legend.width(), legend.height()
    if vr.width() <= 0 or vr.height() <= 0 or box.width() < 3 * lw / 2 or lw <= 0:
        return
    xs, ys = [], []
    for c in curves:
        if not c.isVisible():
            continue
        x, y = c.getData()
        if x is not None and len(x):
            x, y = np.asarray(x, float), np.asarray(y, float)
            if 1 < len(x) < 400 and np.all(np.diff(x) >= 0):   # few points: the segments count too
                xi = np.linspace(x[0], x[-1], 400)
                x, y = xi, np.interp(xi, x, y)
            xs.append(x)
            ys.append(y)
    if xs:  # view coordinates to scene pixels (y grows downwards in the scene)
        px = box.left() + (np.concatenate(xs) - vr.left()) / vr.width() * box.width()
        py = box.top() + (vr.bottom() - np.concatenate(ys)) / vr.height() * box.height()
    else:
        px = py = np.empty(0)
    rects = [it.sceneBoundingRect() for it in avoid if it.isVisible()]

    def cost(corner) -> float:
        ax, ay = corner
        left = box.right() - margin - lw if ax else box.left() + margin
        top = box.bottom() - margin - lh if ay else box.top() + margin
        inside = (px >= left) & (px <= left + lw) & (py >= top) & (py <= top + lh)
        r = pg.QtCore.QRectF(left, top, lw, lh)
        return float(np.count_nonzero(inside)) + sum(50.0 for a in rects if a.intersects(r))

    current = getattr(legend, "_seqlab_corner", _CORNERS[0])
    costs = {c: cost(c) for c in _CORNERS}
    best = min(_CORNERS, key=lambda c: costs[c])   # ties: the first, top-right
    if costs[best] < 0.5 * costs[current] - 1:
        current = best
    legend._seqlab_corner = current
    ax, ay = current
    legend.anchor(itemPos=current, parentPos=current,
                  offset=(-margin if ax else margin, -margin if ay else margin))


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
