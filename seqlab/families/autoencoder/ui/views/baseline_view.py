"""Autoencoder against PCA: the two validation reconstruction errors side by side.

Left, two bars (the autoencoder's mean squared error and PCA's with as many components as
the code has numbers) with their values and the ratio; right, the autoencoder's error as it
trains, with PCA's as a dashed line: where the curve dips under the line, the non-linear
model has beaten the best linear one.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QVBoxLayout, QWidget

from seqlab.ui.theme import ThemeManager, style_plot, theme_manager


class BaselineView(QWidget):
    def __init__(self, parent: QWidget | None = None, *, theme: ThemeManager | None = None):
        super().__init__(parent)
        self._tm = theme or theme_manager()
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.glw = pg.GraphicsLayoutWidget()
        lay.addWidget(self.glw)
        self.bars_plot = self.glw.addPlot(row=0, col=0)
        self.bars_plot.setMouseEnabled(False, False)
        self.bars_plot.hideButtons()
        self.bars = pg.BarGraphItem(x=[0, 1], height=[0, 0], width=0.6)
        self.bars_plot.addItem(self.bars)
        self.bar_text = [pg.TextItem(anchor=(0.5, 1.0)) for _ in range(2)]
        for t in self.bar_text:
            self.bars_plot.addItem(t)
        self.bars_plot.getAxis("bottom").setTicks([[(0, "autoencoder"), (1, "PCA")]])
        self.curve_plot = self.glw.addPlot(row=1, col=0)
        self.curve_plot.showGrid(x=True, y=True, alpha=0.2)
        self.curve_plot.addLegend(offset=(-4, 4))
        self.ae_curve = self.curve_plot.plot([], [], name="autoencoder", symbol="o", symbolSize=5)
        self.pca_line = pg.InfiniteLine(angle=0, movable=False)
        self.curve_plot.addItem(self.pca_line)
        self.pca_line.hide()
        self.glw.ci.layout.setRowStretchFactor(0, 3)
        self.glw.ci.layout.setRowStretchFactor(1, 2)
        self.steps: list[float] = []
        self.ae_errors: list[float] = []
        self.ae = self.pca = None
        self.components = 0
        self._stale = False
        self._tm.changed.connect(self.restyle)
        self.restyle()

    def reset(self) -> None:
        self.steps, self.ae_errors = [], []
        self.ae = self.pca = None
        self._stale = False
        self.ae_curve.setData([], [])
        self.bars.setOpts(height=[0, 0])
        self._titles()
        self.pca_line.hide()
        for t in self.bar_text:
            t.setText("")

    def add_rows(self, rows: list[dict]) -> None:
        """Logged rows: each new validation loss joins the curve."""
        changed = False
        for r in rows:
            v, step = r.get("val_loss"), r.get("step")
            if v is None or step is None or not np.isfinite(v):
                continue
            if self.ae_errors and v == self.ae_errors[-1]:
                continue                 # the same validation repeated on later rows
            self.steps.append(float(step))
            self.ae_errors.append(float(v))
            changed = True
        if changed and not self._stale:
            # Drawn once the burst of validations that arrived together is in (the next turn
            # of the event loop), and only if shown: a hidden view costs training nothing.
            self._stale = True
            QTimer.singleShot(0, self._draw_if_shown)

    def _draw_if_shown(self) -> None:
        if self._stale and self.isVisible():
            self._draw_curve()

    def _draw_curve(self) -> None:
        self._stale = False
        self.ae_curve.setData(np.array(self.steps), np.array(self.ae_errors))

    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if self._stale:
            self._draw_curve()
        super().showEvent(event)

    def set_pca(self, pca: float | None, components: int) -> None:
        """PCA's validation error, known before training starts (it is fitted once)."""
        if pca is None:
            return
        self.pca, self.components = float(pca), int(components)
        self.pca_line.setPos(self.pca)
        self.pca_line.show()
        self._titles()

    def set_errors(self, ae: float, pca: float, components: int) -> None:
        """The latest mean validation errors of the autoencoder and of PCA."""
        self.ae, self.pca, self.components = float(ae), float(pca), int(components)
        self.bars.setOpts(height=[self.ae, self.pca])
        top = max(self.ae, self.pca)
        self.bars_plot.setYRange(0, top * 1.25 if top > 0 else 1, padding=0)
        self.bars_plot.setXRange(-0.6, 1.6, padding=0)
        for t, x, v in zip(self.bar_text, (0, 1), (self.ae, self.pca)):
            t.setText(f"{v:.4g}")
            t.setPos(x, v)
        self.pca_line.setPos(self.pca)
        self.pca_line.show()
        self._titles()

    def ratio(self) -> float | None:
        return self.ae / self.pca if self.ae is not None and self.pca else None

    def _titles(self) -> None:
        r = self.ratio()
        verdict = "" if r is None else (f"AE error = {r:.0%} of PCA's" if r < 1 else f"AE error = {r:.2f}× PCA's")
        style_plot(self.bars_plot, self._tm, title=f"validation MSE, {self.components} numbers each — {verdict}")
        style_plot(self.curve_plot, self._tm, title="autoencoder while it trains; dashed: PCA",
                   labels={"bottom": "step"})

    def restyle(self) -> None:
        tm = self._tm
        self.glw.setBackground(tm.theme.base)
        self.bars.setOpts(brushes=[pg.mkBrush(tm.series_color(0)), pg.mkBrush(tm.series_color(1))],
                          pen=pg.mkPen(tm.color("text"), width=1))
        for t in self.bar_text:
            t.setColor(tm.color("text"))
            t.setFont(tm.font("label", bold=True))
        c = tm.series_color(0)
        self.ae_curve.setPen(pg.mkPen(c, width=tm.width("line")))
        self.ae_curve.setSymbolBrush(pg.mkBrush(c))
        self.ae_curve.setSymbolPen(pg.mkPen(None))
        self.pca_line.setPen(pg.mkPen(tm.series_color(1), width=tm.width("line"), style=pg.QtCore.Qt.DashLine))
        self._titles()

    def curves(self) -> dict:
        return {"step": np.array(self.steps), "autoencoder val MSE": np.array(self.ae_errors),
                "PCA val MSE": np.full(len(self.steps), self.pca if self.pca is not None else np.nan)}


__all__ = ["BaselineView"]
