"""A units x time heatmap with fixed colour levels, a colour bar, a time cursor and a
marker for the selected unit; a click selects (unit, t).

The data passed in is ``[T, units]`` (one slice of a trace, ``trace['f'][k]``), displayed
with time along x and units along y.  Indices are 0-based in the API and 1-based on screen
(the course's t = 1..T, units 1..H), so pixel (t, u) is centred at (t + 1, u + 1).
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QFontMetricsF
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

from seqlab.ui.theme import (
    ThemeManager, colormap, style_colorbar, style_plot, theme_manager,
)

__all__ = ["Heatmap", "CursorLine"]


class CursorLine:
    """A line drawn twice (a wide dark halo under a light core) so it shows on every colour
    of every map, light or dark, in either theme."""

    def __init__(self, plot: pg.PlotItem, angle: int, dashed: bool = False):
        self.halo = pg.InfiniteLine(angle=angle, movable=False)
        self.core = pg.InfiniteLine(angle=angle, movable=False)
        self.dashed = dashed
        for z, line in ((20, self.halo), (21, self.core)):
            line.setZValue(z)
            plot.addItem(line, ignoreBounds=True)

    def set_value(self, v: float | None) -> None:
        for line in (self.halo, self.core):
            if v is None:
                line.hide()
            else:
                line.setValue(v)
                line.show()

    def value(self) -> float:
        return float(self.core.value())

    def is_visible(self) -> bool:
        return self.core.isVisible()

    def restyle(self, tm: ThemeManager) -> None:
        halo = tm.pen("halo", "halo")
        core = tm.pen("cursor", "cursor")
        if self.dashed:
            core.setStyle(Qt.DashLine)
        self.halo.setPen(halo)
        self.core.setPen(core)


def time_tick_steps(T: int, pixels: float, label_px: float) -> list[int]:
    """1-based steps to label on a time axis 1..T of `pixels` width: a 1-2-5 spacing with
    at least one label's width of room between neighbouring labels."""
    room = max(1, int(pixels // max(1.8 * label_px, 1.0)))
    step, k = 1, 0
    while T // step > room:
        k += 1
        step = (1, 2, 5)[k % 3] * 10 ** (k // 3)
    first = step if step > 1 else 1
    ticks = list(range(first, T + 1, step))
    if len(ticks) <= 1 and T >= 4:
        # room for one label: a round number mid-axis reads better than one cut at the edge
        nice = [m * 10 ** e for e in range(len(str(T))) for m in (1, 2, 5)]
        ticks = [max(v for v in nice if v <= T / 2)]
    return ticks or [1]


class Heatmap(QWidget):
    """Units (y) x time (x) image with fixed levels, colour bar, title and cursors.

    ``cellClicked(unit, t)`` (0-based) is emitted when the user clicks a cell; the view
    does not move its own cursors on a click: the owner decides (usually it calls
    :meth:`set_time` and :meth:`set_unit` on every heatmap it shows).
    """

    cellClicked = Signal(int, int)

    def __init__(self, title: str = "", levels: tuple[float, float] = (0.0, 1.0),
                 cmap: str = "gate", label: str = "", parent: QWidget | None = None, *,
                 theme: ThemeManager | None = None, xlabel: str = "time step t",
                 ylabel: str = "unit"):
        super().__init__(parent)
        self._tm = theme or theme_manager()
        self._title = title
        self._label = label
        self._xlabel, self._ylabel = xlabel, ylabel
        self._levels = (float(levels[0]), float(levels[1]))
        self._cmap_kind = cmap
        self._data = np.zeros((0, 0), np.float32)
        self._t: int | None = None
        self._unit: int | None = None

        self.view = pg.GraphicsLayoutWidget(parent=self)
        self.view.ci.setContentsMargins(2, 2, 2, 2)
        self.plot: pg.PlotItem = self.view.addPlot(row=0, col=0)
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.setMenuEnabled(False)
        self.plot.hideButtons()
        self.plot.invertY(True)  # unit 1 at the top, as in a table
        self.plot.getViewBox().setDefaultPadding(0.0)
        self.plot.disableAutoRange()
        self.image_item = pg.ImageItem(axisOrder="col-major")  # image[t, unit]
        self.plot.addItem(self.image_item)
        self.colorbar = pg.ColorBarItem(values=self._levels, colorMap=colormap(cmap),
                                        interactive=False, colorMapMenu=False, width=14)
        self.colorbar.setImageItem(self.image_item, insert_in=self.plot)
        self._cursor = CursorLine(self.plot, angle=90)
        self._unit_line = CursorLine(self.plot, angle=0, dashed=True)
        self._separators: list[pg.InfiniteLine] = []
        self._cursor.set_value(None)
        self._unit_line.set_value(None)
        self.view.scene().sigMouseClicked.connect(self._on_click)
        self.view.scene().sigMouseMoved.connect(self._on_hover)

        # the title is a QLabel, not the plot's title: a plot title sets a minimum width on
        # the image column, which pushed the colour bar out of narrow heatmaps
        self._title_label = QLabel(title, self)
        self._title_label.setAlignment(Qt.AlignCenter)
        self._title_label.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Fixed)
        self._title_label.setMinimumWidth(10)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        lay.addWidget(self._title_label)
        lay.addWidget(self.view)
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Expanding)
        self.setMinimumSize(160, 110)

        self._tm.changed.connect(self.restyle)
        self.restyle()
        # the view box learns its size after the widget's resize event: fit the ticks then
        self.plot.getViewBox().sigResized.connect(self._fit_time_ticks)

    # --- data ---------------------------------------------------------------------------
    def set_data(self, data: np.ndarray) -> None:
        """Show ``data`` shaped [T, units] at the fixed levels.  Keeps the cursors."""
        a = np.asarray(data)
        if a.ndim != 2:
            raise ValueError(f"a heatmap needs a [T, units] array, got shape {a.shape}")
        self._data = a
        T, H = a.shape
        if T == 0 or H == 0:
            self.image_item.clear()
            return
        self.image_item.setImage(a, autoLevels=False, levels=self._levels)
        self.image_item.setRect(QRectF(0.5, 0.5, T, H))
        self.plot.setRange(xRange=(0.5, T + 0.5), yRange=(0.5, H + 0.5), padding=0)
        self._fit_left_axis()
        self._fit_time_ticks()
        if self._t is not None and self._t >= T:
            self.set_time(T - 1)
        if self._unit is not None and self._unit >= H:
            self.set_unit(H - 1)

    setImage = set_data  # pyqtgraph's spelling

    def image(self) -> np.ndarray:
        """The array shown, [T, units]."""
        return self._data

    def set_levels(self, levels: tuple[float, float], cmap: str | None = None,
                   label: str | None = None) -> None:
        """Change the fixed colour range (and map and colour-bar label).

        Meant for a change of what the heatmap shows, never per frame.
        """
        self._levels = (float(levels[0]), float(levels[1]))
        if cmap is not None and cmap != self._cmap_kind:
            self._cmap_kind = cmap
            self.colorbar.setColorMap(colormap(cmap))
        if label is not None:
            self._label = label
            style_colorbar(self.colorbar, self._tm, label)
        self.colorbar.setLevels(self._levels)
        self._set_colorbar_ticks()
        if self._data.size:
            self.image_item.setLevels(self._levels)

    def levels(self) -> tuple[float, float]:
        """The fixed (low, high) colour levels."""
        return self._levels

    def colormap_kind(self) -> str:
        return self._cmap_kind

    def set_title(self, title: str) -> None:
        self._title = title
        self._title_label.setToolTip(title)
        self._elide_title()

    def _elide_title(self) -> None:
        # cut at the end ("update gate (= 1 −…"), never both sides, so the symbol that
        # starts every title stays visible
        fm = self._title_label.fontMetrics()
        w = max(10, self._title_label.width() - 4)
        self._title_label.setText(fm.elidedText(self._title, Qt.ElideRight, w))

    def resizeEvent(self, ev) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(ev)
        self._elide_title()

    def title(self) -> str:
        return self._title

    def colorbar_label(self) -> str:
        return self._label

    def set_separators(self, ys: list[float]) -> None:
        """Horizontal rules between unit index ranges, e.g. forward | backward halves:
        a rule at ``y`` is drawn between units y-1 and y (0-based)."""
        for line in self._separators:
            self.plot.removeItem(line)
        self._separators = []
        for y in ys:
            line = pg.InfiniteLine(pos=y + 0.5, angle=0, movable=False)
            line.setZValue(19)
            self.plot.addItem(line, ignoreBounds=True)
            self._separators.append(line)
        self._restyle_separators()

    # --- cursors ------------------------------------------------------------------------
    def set_time(self, t: int | None) -> None:
        """Move the vertical cursor to time index ``t`` (None hides it)."""
        self._t = None if t is None else int(t)
        self._cursor.set_value(None if t is None else self._t + 1)

    def time(self) -> int | None:
        return self._t

    def cursor_x(self) -> float | None:
        """Where the time cursor is drawn, in axis units (1-based step), or None."""
        return self._cursor.value() if self._cursor.is_visible() else None

    def set_unit(self, unit: int | None) -> None:
        """Mark unit ``unit`` (0-based) with a dashed horizontal line (None hides it)."""
        self._unit = None if unit is None else int(unit)
        self._unit_line.set_value(None if unit is None else self._unit + 1)

    def unit(self) -> int | None:
        return self._unit

    def cell_at_scene(self, scene_pos) -> tuple[int, int] | None:
        """(unit, t) under a scene position, or None outside the image."""
        vb = self.plot.getViewBox()
        if not vb.sceneBoundingRect().contains(scene_pos) or not self._data.size:
            return None
        p = vb.mapSceneToView(scene_pos)
        t = int(np.floor(p.x() - 0.5))
        u = int(np.floor(p.y() - 0.5))
        T, H = self._data.shape
        if 0 <= t < T and 0 <= u < H:
            return u, t
        return None

    def scene_pos_of(self, unit: int, t: int):
        """Scene position of the centre of cell (unit, t) (for tests and tours)."""
        return self.plot.getViewBox().mapViewToScene(pg.Point(t + 1, unit + 1))

    def widget_pos_of(self, unit: int, t: int):
        """Position of the centre of cell (unit, t) in :attr:`view`'s viewport coordinates."""
        return self.view.mapFromScene(self.scene_pos_of(unit, t))

    def _on_click(self, ev) -> None:
        if ev.button() != Qt.LeftButton:
            return
        cell = self.cell_at_scene(ev.scenePos())
        if cell is not None:
            ev.accept()
            self.cellClicked.emit(*cell)

    def _on_hover(self, scene_pos) -> None:
        cell = self.cell_at_scene(scene_pos)
        if cell is None:
            self.view.setToolTip("")
            return
        u, t = cell
        v = float(self._data[t, u])
        self.view.setToolTip(f"{self._title}\nunit {u + 1}, t = {t + 1}: {v:.3f}")

    # --- style --------------------------------------------------------------------------
    def restyle(self) -> None:
        """Re-read fonts, colours and pen widths from the theme manager."""
        tm = self._tm
        self.view.setBackground(tm.theme.base)
        style_plot(self.plot, tm, labels={"left": self._ylabel, "bottom": self._xlabel})
        self.plot.getAxis("left").showLabel(getattr(self, "_show_ylabel", True))
        self.plot.getAxis("bottom").showLabel(getattr(self, "_show_xlabel", True))
        self._title_label.setFont(tm.font("title", bold=True))
        self._elide_title()
        self._title_label.setStyleSheet(
            f"color: {tm.theme.text}; background: {tm.theme.base};"
            f" padding: {round(2 * tm.scale)}px;")
        style_colorbar(self.colorbar, tm, self._label)
        self._fit_left_axis()
        self._set_colorbar_ticks()
        self._cursor.restyle(tm)
        self._unit_line.restyle(tm)
        self._restyle_separators()

    def set_axis_labels(self, left: bool = True, bottom: bool = True) -> None:
        """Show or hide the axis titles ('unit', 'time step t'); small multiples show them
        once per row/column only, leaving the room to the data."""
        self._show_ylabel, self._show_xlabel = bool(left), bool(bottom)
        self.plot.getAxis("left").showLabel(self._show_ylabel and bool(self._ylabel))
        self.plot.getAxis("bottom").showLabel(self._show_xlabel and bool(self._xlabel))
        self._fit_left_axis()

    def set_left_digits(self, digits: int) -> None:
        """Reserve room for ``digits``-digit unit numbers on the left axis, so that heatmaps
        stacked in one column line their time axes up whatever their number of units."""
        self._left_digits = max(1, int(digits))
        self._fit_left_axis()

    def _fit_left_axis(self) -> None:
        tm = self._tm
        H = self._data.shape[1] if self._data.ndim == 2 else 0
        digits = max(getattr(self, "_left_digits", 1), len(str(max(1, H))))
        fm_tick = QFontMetricsF(tm.font("tick"))
        fm_label = QFontMetricsF(tm.font("label"))
        w = fm_tick.horizontalAdvance("0" * digits) + 12 * tm.scale
        if self._ylabel and getattr(self, "_show_ylabel", True):
            w += fm_label.height() + 2 * tm.scale
        self.plot.getAxis("left").setWidth(int(round(w)))

    def _fit_time_ticks(self) -> None:
        """Time-step labels spaced so they never run together ("50100150") in a narrow
        heatmap: pyqtgraph spaces ticks by axis length, not by the width of the numbers."""
        T = self._data.shape[0] if self._data.ndim == 2 else 0
        if T == 0:
            return
        axis = self.plot.getAxis("bottom")
        pixels = self.plot.getViewBox().width()
        label_px = QFontMetricsF(self._tm.font("tick")).horizontalAdvance(str(T))
        steps = time_tick_steps(T, pixels, label_px)
        axis.setTicks([[(float(v), str(v)) for v in steps], []])

    def _set_colorbar_ticks(self) -> None:
        """Labelled ticks at the ends (the legend states the range) and at the middle when
        its label is short ('0'); the axis is made just wide enough for them."""
        lo, hi = self._levels
        mid = (lo + hi) / 2
        ticks = [(lo, _tick_text(lo)), (hi, _tick_text(hi))]
        minor = []
        if len(_tick_text(mid)) <= 2:
            ticks.insert(1, (mid, _tick_text(mid)))
        else:
            minor.append((mid, ""))
        self.colorbar.axis.setTicks([ticks, minor])
        tm = self._tm
        fm = QFontMetricsF(tm.font("small"))
        w = max(fm.horizontalAdvance(t) for _, t in ticks) + 10 * tm.scale
        if self._label:
            w += fm.height() + 4 * tm.scale
        self._natural_cbar_w = int(round(w))
        self.colorbar.axis.setWidth(max(self._natural_cbar_w, getattr(self, "_min_cbar_w", 0)))

    def natural_colorbar_width(self) -> int:
        """Width the colour bar's value axis needs for its own ticks and label."""
        return getattr(self, "_natural_cbar_w", 0)

    def set_colorbar_min_width(self, px: int) -> None:
        """Make the colour bar's value axis at least ``px`` wide, so that heatmaps stacked in
        one column end their time axes at the same x."""
        self._min_cbar_w = int(px)
        self.colorbar.axis.setWidth(max(self.natural_colorbar_width(), self._min_cbar_w))

    def _restyle_separators(self) -> None:
        for line in self._separators:
            line.setPen(self._tm.pen("halo", "halo"))


def _tick_text(v: float) -> str:
    """Colour-bar tick text: '0', '0.5', '1', '−1', '±' never; a true minus sign."""
    s = f"{v:.2f}".rstrip("0").rstrip(".")
    if s in ("-0", ""):
        s = "0"
    return s.replace("-", "\u2212")
