"""The input x over time, as a small line plot under a heatmap, with the time cursor.

Up to :data:`MAX_LINES` features are drawn as lines (one colour each, with a legend);
more features than that (MFCC frames, one-hot tokens) read better as an image, which the
owner shows with a :class:`~seqlab.ui.views.heatmap.Heatmap` instead.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

from seqlab.ui.theme import ThemeManager, style_plot, theme_manager
from seqlab.ui.views.heatmap import CursorLine

__all__ = ["InputStrip", "MAX_LINES"]

MAX_LINES = 4


class InputStrip(QWidget):
    """Line plot of x [T, F] (first MAX_LINES features) with a vertical time cursor."""

    def __init__(self, parent: QWidget | None = None, *, theme: ThemeManager | None = None,
                 title: str = "input x"):
        super().__init__(parent)
        self._tm = theme or theme_manager()
        self._title = title
        self._x = np.zeros((0, 0), np.float32)
        self.view = pg.GraphicsLayoutWidget(parent=self)
        self.view.ci.setContentsMargins(2, 2, 2, 2)
        self.plot: pg.PlotItem = self.view.addPlot(row=0, col=0)
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.setMenuEnabled(False)
        self.plot.hideButtons()
        self.plot.disableAutoRange()
        self.curves = [self.plot.plot([], name=f"x{i + 1}") for i in range(MAX_LINES)]
        for c in self.curves:
            c.setClipToView(True)
            c.setDownsampling(auto=True, method="peak")
        self._cursor = CursorLine(self.plot, angle=90)
        self._cursor.set_value(None)
        self._right_margin = 0
        # title and legend in one line above the plot, so no legend box hides the curves
        self._title_label = QLabel(self)
        self._title_label.setAlignment(Qt.AlignCenter)
        self._title_label.setTextFormat(Qt.RichText)
        self._title_label.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Fixed)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        lay.addWidget(self._title_label)
        lay.addWidget(self.view)
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Preferred)
        self._tm.changed.connect(self.restyle)
        self.restyle()

    def set_data(self, x: np.ndarray) -> None:
        """Show x [T, F]; features beyond MAX_LINES are not drawn (the title says so)."""
        x = np.asarray(x, np.float32)
        if x.ndim == 1:
            x = x[:, None]
        self._x = x
        T, F = x.shape
        t = np.arange(1, T + 1, dtype=np.float32)
        for i, c in enumerate(self.curves):
            if i < F:
                c.setData(t, x[:, i])
                c.show()
            else:
                c.setData([], [])
                c.hide()
        if T:
            lo = float(np.nanmin(x[:, :MAX_LINES])) if F else 0.0
            hi = float(np.nanmax(x[:, :MAX_LINES])) if F else 1.0
            if not np.isfinite(lo) or not np.isfinite(hi):
                lo, hi = -1.0, 1.0
            pad = 0.08 * (hi - lo) if hi > lo else 0.5
            self.plot.setRange(xRange=(0.5, T + 0.5), yRange=(lo - pad, hi + pad), padding=0)
        self._update_title()

    def data(self) -> np.ndarray:
        return self._x

    def set_time(self, t: int | None) -> None:
        self._cursor.set_value(None if t is None else int(t) + 1)

    def cursor_x(self) -> float | None:
        return self._cursor.value() if self._cursor.is_visible() else None

    def align_to(self, left: float, right: float) -> None:
        """Line the plot area up with a heatmap's: ``left`` px from this widget's left edge
        to the plot area, ``right`` px from the plot area to the right edge."""
        axis = self.plot.getAxis("left")
        m = self.view.ci.contentsMargins() if hasattr(self.view.ci, "contentsMargins") else None
        ml = m[0] if m else 2
        axis.setWidth(max(10, int(round(left - ml - 2))))
        self._right_margin = max(0, int(round(right - 4)))
        self.plot.layout.setContentsMargins(0, 0, self._right_margin, 0)

    def _update_title(self) -> None:
        tm = self._tm
        F = self._x.shape[1] if self._x.ndim == 2 else 0
        parts = [f"<b>{self._title}</b>"]
        if F > 1:
            for i in range(min(F, MAX_LINES)):
                col = tm.series_color(i).name()
                parts.append(f"<span style='color:{col}'><b>━</b></span>&nbsp;x<sub>{i + 1}</sub>")
        if F > MAX_LINES:
            parts.append(f"(first {MAX_LINES} of {F} features)")
        self._title_label.setText("&nbsp;&nbsp;&nbsp;".join(parts))

    def title_text(self) -> str:
        return self._title_label.text()

    def restyle(self) -> None:
        tm = self._tm
        self.view.setBackground(tm.theme.base)
        style_plot(self.plot, tm, labels={"left": "", "bottom": "time step t"})
        for i, c in enumerate(self.curves):
            c.setPen(pg.mkPen(tm.series_color(i), width=tm.width("line")))
        self._cursor.restyle(tm)
        self._title_label.setFont(tm.font("title"))
        self._title_label.setStyleSheet(
            f"color: {tm.theme.text}; background: {tm.theme.base};"
            f" padding: {round(2 * tm.scale)}px;")
        self._update_title()
