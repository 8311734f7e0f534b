"""The latest gradient norm of each parameter, as horizontal bars on a logarithmic axis, one
line per name (the Gradients view's fourth plot)."""

from __future__ import annotations

import math
from typing import Mapping

import numpy as np
import pyqtgraph as pg

from seqlab.ui.theme import ThemeManager, style_plot
from seqlab.ui.views.loss_view import PowerAxis, quiet_axes

__all__ = ["ParamNormsPlot"]

#: the most height (times the type scale) the list may demand: a deep, bidirectional network's
#: 18 names at presentation size made the window taller than a 720-line projector (it then
#: was not full screen); past it the names get a smaller type to fit
MIN_HEIGHT_CAP = 140


class ParamNormsPlot(pg.PlotWidget):
    """Bars of ``set_norms({name: norm})``, first name at the top."""

    def __init__(self, theme: ThemeManager):
        super().__init__(axisItems={"bottom": PowerAxis("bottom")})
        self._tm = theme
        self._names: list[str] = []
        self.plot: pg.PlotItem = self.getPlotItem()
        self.plot.setMenuEnabled(False)
        self.plot.setMouseEnabled(x=False, y=False)
        # no grid: under the bars only its ends showed, a dotted line along the plot's top
        # (the bottom axis's ticks and the bars' ends give the values)
        self.plot.showGrid(x=False, y=False)
        self.plot.getAxis("bottom").setLogMode(True)  # bars are drawn in log10 units
        self.plot.invertY(True)  # first parameter at the top, as in a list
        self.bars = pg.BarGraphItem(x0=[], y=[], width=[], height=0.7)
        self.plot.addItem(self.bars)
        self.plot.getViewBox().sigResized.connect(lambda *_: self._fit_names())
        quiet_axes(self.plot)

    def set_norms(self, norms: Mapping[str, float]) -> None:
        names = list(norms)
        vals = np.array([norms[n] for n in names], np.float64)
        ok = np.isfinite(vals) & (vals > 0)
        if not names or not ok.any():
            self.bars.setOpts(x0=[], y=[], width=[], height=0.7)
            self.plot.getAxis("left").setTicks([[]])
            self._names = []
            return
        logs = np.where(ok, np.log10(np.where(ok, vals, 1.0)), np.nan)
        top = math.ceil(float(np.nanmax(logs)))
        # three decades at least: over a narrower range the log axis labels 2×10⁻², 3×10⁻² ...
        # and at presentation size they ran together
        base = min(math.floor(float(np.nanmin(logs))) - 0.5, top - 3)
        width = np.where(ok, logs - base, 0.0)
        y = np.arange(len(names), dtype=float)
        tm = self._tm
        self.bars.setOpts(x0=np.full(len(names), base), y=y, width=width, height=0.7,
                          brush=tm.series_color(0), pen=tm.pen("text", "axis"))
        if names != self._names:
            self.plot.getAxis("left").setTicks([[(i, n) for i, n in enumerate(names)]])
            self._names = names
        # every name needs its line: grow the plot rather than let names overlap, up to a cap
        line = tm.font_pt("label") * 96 / 72 * 1.25
        need = int(len(names) * line + 2.6 * line + 16)
        self.setMinimumHeight(min(need, int(MIN_HEIGHT_CAP * tm.scale)))
        self.plot.setRange(xRange=(base, top + 0.1), yRange=(-0.6, len(names) - 0.4), padding=0)
        self._fit_names()

    def _fit_names(self) -> None:
        """The names in the label type where each has its line, else smaller (never under
        6 pt), so that they never run into each other."""
        n = len(self._names)
        per_line = self.plot.getViewBox().height() / n if n else 0
        if per_line <= 0:
            return
        tm = self._tm
        font = tm.font("label")
        font.setPointSizeF(max(6.0, min(tm.font_pt("label"), per_line / 1.25 * 72 / 96)))
        axis = self.plot.getAxis("left")
        if axis.style.get("tickFont") is None or axis.style["tickFont"].pointSizeF() != font.pointSizeF():
            axis.setTickFont(font)

    def restyle(self) -> None:
        tm = self._tm
        style_plot(self.plot, tm, title="Per parameter", labels={"left": "", "bottom": "gradient norm"})
        self.plot.getAxis("left").setTickFont(tm.font("label"))  # the names
        self._fit_names()
        self.plot.getAxis("bottom").setZValue(-100)  # grid lines behind the bars
