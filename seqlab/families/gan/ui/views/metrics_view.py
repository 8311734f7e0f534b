"""The GAN's named metrics over training steps: J_D and J_G; mean D(x) and mean D(G(z)).

A GAN has no loss that falls when it works: its two losses fight (the shell's Loss view draws
them too, with earlier runs), and the two probabilities meet near 1/2 when D can no longer
tell. Curves of the current run; items made once, updated with ``setData``.
"""

from __future__ import annotations

import math
from typing import Any, Iterable

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QVBoxLayout, QWidget

from seqlab.ui.theme import ThemeManager, draw_as_segments, style_plot, theme_manager
from seqlab.ui.views.loss_view import BoundedSeries, finite_float, fit_legend, place_legend, quiet_axes, style_legend

SERIES = (("d_loss", "J<sub>D</sub>", 0, 0), ("g_loss", "J<sub>G</sub>", 0, 1), ("d_real", "mean D(x)", 1, 2),
          ("d_fake", "mean D(G(z))", 1, 3))
DASHED = ("g_loss", "d_fake")   # drawn dashed, so told apart without colour


class MetricsView(QWidget):
    def __init__(self, parent: QWidget | None = None, *, theme: ThemeManager | None = None):
        super().__init__(parent)
        self.tm = theme or theme_manager()
        lay = QVBoxLayout(self)
        lay.setContentsMargins(2, 2, 2, 2)
        self.graphics = pg.GraphicsLayoutWidget(parent=self)
        lay.addWidget(self.graphics)
        self.loss_plot = self.graphics.addPlot(row=0, col=0)
        self.prob_plot = self.graphics.addPlot(row=1, col=0)
        self.prob_plot.setXLink(self.loss_plot)
        self.prob_plot.setYRange(0, 1, padding=0.02)
        self.prob_plot.enableAutoRange(y=False)
        for p in (self.loss_plot, self.prob_plot):
            p.setMenuEnabled(False)
            p.hideButtons()
            quiet_axes(p)
        self.half = pg.InfiniteLine(pos=0.5, angle=0, movable=False)
        self.equilibrium = pg.InfiniteLine(pos=2 * math.log(2), angle=0, movable=False)
        self.prob_plot.addItem(self.half, ignoreBounds=True)
        self.loss_plot.addItem(self.equilibrium, ignoreBounds=True)
        self.legends = [p.addLegend(offset=(-8, 8)) for p in (self.loss_plot, self.prob_plot)]
        self.series = {k: BoundedSeries(capacity=4000) for k, *_ in SERIES}
        self.items: dict[str, pg.PlotDataItem] = {}
        for key, name, plot, _c in SERIES:
            target = self.loss_plot if plot == 0 else self.prob_plot
            self.items[key] = target.plot([], [], name=name)
            if key not in DASHED:          # noisy solid curves: cheap to paint as segments
                draw_as_segments(self.items[key])
        self.restyle()

    def reset(self) -> None:
        for s in self.series.values():
            s.clear()
        for it in self.items.values():
            it.setData([], [])

    def add_rows(self, rows: Iterable[dict[str, Any]]) -> None:
        changed = False
        for r in rows:
            step = finite_float(r.get("step"))
            if step is None:
                continue
            for key in self.series:
                v = finite_float(r.get(key))
                if v is not None:
                    self.series[key].append(step, v)
                    changed = True
        if changed:
            for key, s in self.series.items():
                self.items[key].setData(s.x, s.y)
            self._place_legends()

    def _place_legends(self) -> None:
        """Each key on one line where the plot is wide, in the corner its curves leave free:
        the probabilities sit near 1/2, and a stacked key on the right covered them."""
        for lg, plot in zip(self.legends, (self.loss_plot, self.prob_plot)):
            curves = [self.items[k] for k, _n, i, _c in SERIES if (i == 0) == (plot is self.loss_plot)]
            fit_legend(lg, plot.width(), 2, 420 * self.tm.scale)
            place_legend(lg, plot, curves)

    def resizeEvent(self, ev) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(ev)
        self._place_legends()

    def set_rows(self, rows: Iterable[dict[str, Any]]) -> None:
        self.reset()
        self.add_rows(rows)

    def restyle(self) -> None:
        tm = self.tm
        self.graphics.setBackground(tm.theme.base)
        style_plot(self.loss_plot, tm, title="Losses", labels={"left": "loss"})
        style_plot(self.prob_plot, tm, title="What D says", labels={"left": "probability", "bottom": "step"})
        for key, _name, _plot, c in SERIES:
            pen = pg.mkPen(tm.series_color(c), width=tm.width("line"),
                           style=pg.QtCore.Qt.DashLine if key in DASHED else pg.QtCore.Qt.SolidLine)
            pen.setCosmetic(True)
            self.items[key].setPen(pen)
        for line in (self.half, self.equilibrium):      # D(x) = D(G(z)) = 1/2, J_D = 2 ln 2
            line.setPen(tm.pen("muted", "axis", style=pg.QtCore.Qt.DotLine))
        for lg in self.legends:
            style_legend(lg, tm)
        self._place_legends()

    def curves(self) -> dict[str, np.ndarray]:
        out: dict[str, np.ndarray] = {}
        for key, s in self.series.items():
            out[f"{key} step"], out[key] = s.x, s.y
        return out

    def export_targets(self) -> dict[str, Any]:
        return {"losses": self.loss_plot, "probabilities": self.prob_plot}


__all__ = ["MetricsView"]
