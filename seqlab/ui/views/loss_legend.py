"""Legends that keep clear of the curves: in the corner of the plot where no curve runs, else
below the plot as a row, and hidden while they name nothing.

:func:`make_legend` gives a plot a :class:`PlacedLegend`; after each redraw the view calls
:func:`place_legend` with its curves (and the lines and labels the legend must not cover),
which moves the legend only when that uncovers something, so it does not jump about.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QGraphicsWidget

from seqlab.ui.theme import ThemeManager

__all__ = ["PlacedLegend", "make_legend", "place_legend", "place_line_label", "style_legend", "fit_legend"]

#: Legend corners tried by :func:`place_legend`, best first: (x, y) with 1 for right or bottom.
_CORNERS = ((1, 0), (0, 0), (1, 1), (0, 1))
#: the plot layout's row under the bottom axis, where a legend may sit as a row
_BELOW_ROW = 4
_QT_MAX = 16777215


def _text_width(label: pg.LabelItem) -> float:
    """The width of a legend entry's text as now rendered."""
    return float(label.itemRect().width())


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


def fit_legend(legend: pg.LegendItem, plot_width: float, wide_columns: int,
               wide_px: float) -> None:
    """Entries side by side (one short row) in a wide plot, stacked in a narrow one (a
    :class:`PlacedLegend` below its plot keeps its row; this is its count inside)."""
    cols = wide_columns if plot_width >= wide_px else 1
    if isinstance(legend, PlacedLegend):
        legend.inside_columns = cols
        if legend.below:
            return
    if legend.columnCount != cols:
        legend.setColumnCount(cols)


class PlacedLegend(pg.LegendItem):
    """A legend :func:`place_legend` puts in a corner of the view box or in a row below the
    plot (then the plot makes room for it, and exports keep it). It is not dragged: where it
    stands is chosen for the curves."""

    def __init__(self, plot: pg.PlotItem, margin: float = 10.0, **kw):
        super().__init__(offset=None, **kw)
        self.plot = plot
        self.margin = float(margin)
        self.corner = _CORNERS[0]
        self.below = False
        self.inside_columns = self.columnCount
        self._slot = QGraphicsWidget()              # the room kept under the plot's axis
        self._slot.setMaximumHeight(0)
        plot.layout.addItem(self._slot, _BELOW_ROW, 1)
        self.setParentItem(plot.vb)
        plot.vb.sigResized.connect(self.put)
        self._slot.geometryChanged.connect(self.put)
        self.geometryChanged.connect(self.put)
        self.setVisible(False)                      # nothing to name yet

    def mouseDragEvent(self, ev) -> None:  # noqa: N802 (Qt's name)
        ev.ignore()

    def move_to(self, corner=None, below: bool = False) -> None:
        """Into ``corner`` of the view box, or below the plot (``below``)."""
        if below != self.below:
            self.below = below
            if below:
                self.inside_columns = self.columnCount
                self.setParentItem(self.plot)
                self.setColumnCount(self.columns_below())
            else:
                self.setParentItem(self.plot.vb)
                self.setColumnCount(self.inside_columns)
        if corner is not None:
            self.corner = corner
        self.put()

    def put(self, *_args) -> None:
        """Stand where :attr:`corner` / :attr:`below` say (after any resize)."""
        try:
            self._put()
        except RuntimeError:        # the plot is being deleted (the window closes)
            pass

    def _put(self) -> None:
        if self.below:
            room = self.height() + self.margin
            if abs(self._slot.maximumHeight() - room) > 0.5:
                self._slot.setMinimumHeight(room)
                self._slot.setMaximumHeight(room)
            g = self._slot.geometry()
            p = QPointF(g.left() + (g.width() - self.width()) / 2, g.top() + self.margin / 2)
        else:
            if self._slot.maximumHeight() != 0:
                self._slot.setMinimumHeight(0)
                self._slot.setMaximumHeight(0)
            r = self.plot.vb.boundingRect()
            ax, ay = self.corner
            p = QPointF(r.right() - self.margin - self.width() if ax else r.left() + self.margin,
                        r.bottom() - self.margin - self.height() if ay else r.top() + self.margin)
        if self.pos() != p:
            self.setPos(p)

    def updateSize(self) -> None:  # noqa: N802 (pyqtgraph's name)
        # pyqtgraph sizes the box from its entries' current widths, which its own layout then
        # stretches, so the box grew at each change; here each entry is as wide as its text.
        for _sample, label in self.items:
            w = _text_width(label)
            if (label.minimumWidth(), label.maximumWidth()) != (w, w):
                label.setMaximumWidth(_QT_MAX)
                label.setMinimumWidth(w)
                label.setMaximumWidth(w)
        w, h = self.size_for(self.columnCount)
        if (w, h) != (self.width(), self.height()):
            self.resize(w, h)

    def size_for(self, columns: int) -> tuple[float, float]:
        """The legend's size with its entries in ``columns`` columns (as pyqtgraph lays them)."""
        lay = self.layout
        sp = lay.horizontalSpacing()
        sizes = [(s.width() + sp + _text_width(lab), max(s.height(), lab.itemRect().height()))
                 for s, lab in self.items]
        if not sizes:
            return 0.0, 0.0
        c = max(1, min(columns, len(sizes)))
        widths = [max(w for w, _ in sizes[j::c]) for j in range(c)]
        heights = [max(h for _, h in sizes[i:i + c]) for i in range(0, len(sizes), c)]
        left, top, right, bottom = lay.getContentsMargins()
        return (float(sum(widths) + sp * (c - 1) + left + right),
                float(sum(heights) + lay.verticalSpacing() * (len(heights) - 1) + top + bottom))

    def columns_below(self) -> int:
        """As many columns as fit the plot's width (one row where they all do)."""
        room = self.plot.vb.width() - 2 * self.margin
        return next((c for c in range(len(self.items), 1, -1) if self.size_for(c)[0] <= room), 1)


def make_legend(plot: pg.PlotItem, margin: float = 10.0, **kw) -> PlacedLegend:
    """A :class:`PlacedLegend` for ``plot`` (keywords as for pyqtgraph's LegendItem)."""
    return PlacedLegend(plot, margin, **kw)


def _points(plot: pg.PlotItem, curves, lines, box: QRectF) -> tuple[np.ndarray, np.ndarray]:
    """The pixels (of the scene, the view box being ``box``) the curves and horizontal lines
    pass through."""
    vr = plot.getViewBox().viewRect()
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
    for line in lines:      # a horizontal InfiniteLine, in the axis' own units
        if line.isVisible():
            xs.append(np.linspace(vr.left(), vr.right(), 200))
            ys.append(np.full(200, float(line.value())))
    if not xs:
        return np.empty(0), np.empty(0)
    px = box.left() + (np.concatenate(xs) - vr.left()) / vr.width() * box.width()
    py = box.top() + (vr.bottom() - np.concatenate(ys)) / vr.height() * box.height()
    return px, py


def _corner_costs(legend: pg.LegendItem, plot: pg.PlotItem, size, curves, avoid, lines, margin,
                  grow: float = 0.0) -> dict:
    """Per corner: the curve points the legend (and a stroke's width around it) would cover,
    and 50 for each item of ``avoid`` it would overlap; infinite where it does not fit.
    ``grow``: the height the view box gains when a legend under the plot comes in."""
    vb = plot.getViewBox()
    vr, box = vb.viewRect(), vb.sceneBoundingRect()
    box.setHeight(box.height() + grow)
    lw, lh = size
    if vr.width() <= 0 or vr.height() <= 0 or box.width() < 3 * lw / 2 or box.height() < lh + 2 * margin:
        return {c: math.inf for c in _CORNERS}
    px, py = _points(plot, curves, lines, box)
    pad = 0.8 * margin                          # strokes and markers are wider than a point
    rects = [it.sceneBoundingRect() for it in avoid if it.isVisible()]

    def cost(corner) -> float:
        ax, ay = corner
        left = box.right() - margin - lw if ax else box.left() + margin
        top = box.bottom() - margin - lh if ay else box.top() + margin
        inside = (px >= left - pad) & (px <= left + lw + pad) & (py >= top - pad) & (py <= top + lh + pad)
        r = QRectF(left, top, lw, lh)
        return float(np.count_nonzero(inside)) + sum(50.0 for a in rects if a.intersects(r))

    return {c: cost(c) for c in _CORNERS}


def place_legend(legend: pg.LegendItem, plot: pg.PlotItem, curves, avoid=(), lines=(),
                 margin: float = 10, below: float = 0.0) -> str:
    """Put ``legend`` where it covers no curve: the first corner of ``plot`` free of them,
    else (a :class:`PlacedLegend` given ``below``, the most of the plot's height a row under
    it may take) below the plot, else the corner that covers least.

    ``curves`` are PlotDataItems (their displayed data is used, so log axes are handled);
    ``lines`` horizontal InfiniteLines and ``avoid`` further items (line labels) it should not
    cover either. The legend stays where it is unless another place is clearly better, so
    it does not jump; an empty legend is hidden. Returns where it went: 'free' (a corner
    without curves), 'below', 'covers' (the least covered corner) or '' (not placed).
    """
    legend.setVisible(bool(legend.items))
    if not legend.items:
        return ""
    placed = isinstance(legend, PlacedLegend)
    size = legend.size_for(legend.inside_columns) if placed else (legend.width(), legend.height())
    if size[0] <= 0:
        return ""
    was_below = placed and legend.below
    grow = legend.height() + margin if was_below else 0.0
    costs = _corner_costs(legend, plot, size, curves, avoid, lines, margin, grow)
    current = getattr(legend, "corner", None) or getattr(legend, "_seqlab_corner", _CORNERS[0])
    free = [c for c in _CORNERS if costs[c] == 0]
    if placed and free:
        legend.move_to(current if current in free and not was_below else free[0], below=False)
        return "free"
    if placed and below > 0:
        lw, lh = legend.size_for(legend.columns_below())
        vb = plot.getViewBox()
        if lh + margin <= below * (vb.height() + grow) and lw <= vb.width():
            legend.move_to(below=True)
            return "below"
    best = min(_CORNERS, key=lambda c: costs[c])   # ties: the first, top-right
    if math.isinf(costs[best]):
        best = _CORNERS[0]
    if was_below or costs[best] < 0.5 * costs[current] - 1:
        current = best
    if placed:
        legend.move_to(current, below=False)
        return "covers"
    legend._seqlab_corner = current
    ax, ay = current
    legend.anchor(itemPos=current, parentPos=current,
                  offset=(-margin if ax else margin, -margin if ay else margin))
    return "covers" if costs[current] else "free"


#: where along a line its label may stand (a fraction of the plot's width), best first
_LABEL_AT = (0.3, 0.5, 0.7, 0.15, 0.85)


def place_line_label(line: pg.InfiniteLine, plot: pg.PlotItem, curves, margin: float = 6) -> None:
    """Slide a horizontal line's label ('trivial predictor') along it to where it covers the
    fewest curve points (it stays put unless another place is clearly better)."""
    label = getattr(line, "label", None)
    vb = plot.getViewBox()
    if label is None or not line.isVisible() or vb.width() <= 0:
        return
    box = vb.sceneBoundingRect()
    px, py = _points(plot, curves, (), box)
    at_y = vb.mapViewToScene(QPointF(0, float(line.value()))).y()
    r = label.sceneBoundingRect()
    w, h = r.width(), r.height()
    below = r.center().y() >= at_y              # pyqtgraph hangs it under a line in the upper half
    ax = float(label.anchor.x())                # where along its width the label is pinned

    def cost(f: float) -> float:
        # the curves that run along the line itself (a run at chance) cannot be avoided: a few
        # pixels next to it do not count
        left = box.left() + f * box.width() - ax * w
        top, bottom = (at_y + 3, at_y + h + margin) if below else (at_y - h - margin, at_y - 3)
        return float(np.count_nonzero((px >= left - margin) & (px <= left + w + margin)
                                      & (py >= top) & (py <= bottom)))

    lo, hi = (ax * w + 2) / box.width(), 1 - ((1 - ax) * w + 2) / box.width()   # the label whole
    if lo >= hi:
        return
    spots = tuple(min(max(f, lo), hi) for f in _LABEL_AT)
    current = min(max(label.orthoPos, lo), hi)
    costs = {f: cost(f) for f in spots}
    best = min(spots, key=lambda f: costs[f])
    if costs[best] < 0.5 * cost(current) - 1:
        current = best
    if current != label.orthoPos:
        label.setPosition(current)
