"""Real and generated 2-D points over a heatmap of the discriminator's output D(x).

Every item is created once; a snapshot only calls ``setImage`` / ``setData`` (the redraw
must keep up with 30 frames a second while training). The heatmap's colour levels are fixed
at 0..1 (D is a probability) on a colour-blind-safe sequential map with a labelled colour
bar; the arrows are -dJ_G/dx at generated points, drawn as one line item of segment pairs
(their length grows with the gradient and saturates, so a vanishing gradient shows as short
arrows). Until the first snapshot of a run (before Start, after a new run starts or a run
folder opens) the view says what it will show instead of drawing empty axes with a colour bar.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt
from PySide6.QtWidgets import QBoxLayout, QGraphicsItem, QLabel, QSizePolicy, QWidget

from seqlab.ui.theme import ThemeManager, colormap, style_colorbar, style_plot, theme_manager
from seqlab.ui.views.loss_view import style_legend
from seqlab.ui.widgets.placeholder import Placeholder

ARROW_SCALE = 0.08      # the longest arrow, as a share of the plane's width
#: the plane is square: in a view wider than this (width / height) the caption goes beside it,
#: where the square leaves room, so the plane keeps the whole height (a 720-line projector)
SIDE_CAPTION_RATIO = 1.5
WAITING = ("Press <b>Start</b>: the discriminator's belief D(x) that a point is real appears here as a "
           "heatmap, with the real points, G's samples for a fixed batch of noise, and arrows where G's loss "
           "pushes them.")
NOT_A_PLANE = ("This data set is images, not points on a plane: there is no plane of D(x) to draw. "
               "G's pictures are in <b>Generated images</b>.")


class PlaneView(QWidget):
    """The ``plane`` snapshot drawn: D's heatmap, real points, G's samples, G's gradient."""

    def __init__(self, parent: QWidget | None = None, *, theme: ThemeManager | None = None):
        super().__init__(parent)
        self.tm = theme or theme_manager()
        self.frames = 0
        self._last: dict | None = None
        self._lay = QBoxLayout(QBoxLayout.TopToBottom, self)
        self._lay.setContentsMargins(2, 2, 2, 2)
        self.caption = QLabel(self)
        self.caption.setWordWrap(True)
        self.caption.setTextFormat(Qt.RichText)
        self.caption.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Preferred)
        self.graphics = pg.GraphicsLayoutWidget(parent=self)
        # before the first snapshot, or on image data (no plane), a sentence instead of empty axes
        self.stack = Placeholder(self.graphics, WAITING, self)
        self.empty = self.stack.message
        self._kind = "plane"
        self._lay.addWidget(self.stack, 1)
        self._lay.addWidget(self.caption)
        self.plot: pg.PlotItem = self.graphics.addPlot(row=0, col=0)
        self.plot.setAspectLocked(True)
        self.plot.setMenuEnabled(False)
        self.plot.hideButtons()
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.getViewBox().setDefaultPadding(0.0)
        self.image = pg.ImageItem(axisOrder="col-major")
        self.image.setZValue(-10)
        self.image.setCacheMode(QGraphicsItem.DeviceCoordinateCache)
        self._heat_version: int | None = None
        self.plot.addItem(self.image)
        self.colorbar = pg.ColorBarItem(values=(0.0, 1.0), colorMap=colormap("gate"), interactive=False,
                                        colorMapMenu=False, width=14)
        self.colorbar.setImageItem(self.image, insert_in=self.plot)
        self.real = pg.ScatterPlotItem(size=5, pxMode=True)
        self.fake = pg.ScatterPlotItem(size=8, pxMode=True)
        self.arrows = pg.PlotDataItem(connect="pairs")
        self.heads = pg.ScatterPlotItem(size=6, pxMode=True, symbol="o")
        for z, item in enumerate((self.arrows, self.heads, self.fake, self.real)):
            item.setZValue(z)
            self.plot.addItem(item)
        self.legend = pg.LegendItem(offset=(8, 8))
        self.legend.setParentItem(self.plot.getViewBox())
        self.legend.addItem(self.real, "real x")
        self.legend.addItem(self.fake, "G(z), fixed z")
        self.legend.addItem(self.arrows, "−∂J<sub>G</sub>/∂x")
        self._extent: tuple | None = None
        self._real_key: tuple | None = None
        self.restyle()
        self._show()

    # -- what there is to draw ------------------------------------------------------------------
    def set_data_kind(self, kind: str) -> None:
        """``plane`` (2-D points: the plane is drawn) or ``image`` (nothing to draw: say so)."""
        self._kind = "image" if kind == "image" else "plane"
        self._show()

    def has_plane(self) -> bool:
        """The data is points on a plane (there is a plane to draw, or to wait for)."""
        return self._kind == "plane"

    def waiting(self) -> bool:
        """A plane is awaited: no snapshot of the run yet (the view shows :data:`WAITING`)."""
        return self.has_plane() and self._last is None

    def _show(self) -> None:
        """The plane once a snapshot has been drawn; else the sentence that says why not."""
        drawn = self.has_plane() and self._last is not None
        text = WAITING if self.has_plane() else NOT_A_PLANE
        if self.empty.text() != text:
            self.empty.setText(text)
        self.stack.show_content(drawn)
        self.caption.setVisible(drawn)

    def resizeEvent(self, ev) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(ev)
        side = self.width() > SIDE_CAPTION_RATIO * self.height()
        want = QBoxLayout.LeftToRight if side else QBoxLayout.TopToBottom
        if self._lay.direction() != want:
            self._lay.setDirection(want)
            self.caption.setAlignment(Qt.AlignVCenter | Qt.AlignLeft)
        if side:       # beside the square: as wide as the room the square leaves (at most a third)
            # (a box layout gives an Ignored-width widget no room, whatever its fixed width)
            self.caption.setSizePolicy(QSizePolicy.Fixed, QSizePolicy.Preferred)
            self.caption.setFixedWidth(max(160, min(self.width() // 3, self.width() - self.height() - 120)))
        else:          # under it: as wide as the view, wrapped, never widening it
            self.caption.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Preferred)
            self.caption.setMinimumWidth(0)
            self.caption.setMaximumWidth(16_777_215)      # QWIDGETSIZE_MAX

    # -- drawing ---------------------------------------------------------------------------
    def set_snapshot(self, s: dict[str, Any]) -> None:
        """Draw one ``plane`` snapshot (see ``GanTrainable._plane``)."""
        first = self._last is None
        self._last = s
        x0, x1, y0, y1 = s["extent"]
        version = s.get("heat_version")
        if version is None or version != self._heat_version:
            # D's heatmap is recomputed a few times a second, the points every snapshot: an
            # unchanged image keeps its cached pixmap (no rescaling of the image at each paint)
            self._heat_version = version
            self.image.setImage(np.asarray(s["heat"], np.float32), autoLevels=False, levels=(0.0, 1.0))
        if self._extent != (x0, x1, y0, y1):
            self._extent = (x0, x1, y0, y1)
            self.image.setRect(QRectF(x0, y0, x1 - x0, y1 - y0))
            self.plot.setRange(xRange=(x0, x1), yRange=(y0, y1), padding=0)
        real, fake = s["real"], s["fake"]
        key = (len(real), real[:4].tobytes())
        if key != self._real_key:           # the real points change only with the data set
            self._real_key = key
            self.real.setData(pos=real)
        self.fake.setData(pos=np.nan_to_num(fake, nan=0.0, posinf=1e3, neginf=-1e3))
        at, g = np.asarray(s["arrow_at"], np.float64), np.asarray(s["arrow"], np.float64)
        norm = np.linalg.norm(g, axis=1, keepdims=True)
        length = ARROW_SCALE * (x1 - x0) * norm / (norm + 1.0)            # saturating length
        tip = at + np.where(norm > 0, g / np.maximum(norm, 1e-12), 0.0) * length
        seg = np.empty((2 * len(at), 2))
        seg[0::2], seg[1::2] = at, tip
        seg = np.nan_to_num(seg)
        self.arrows.setData(seg[:, 0], seg[:, 1])
        self.heads.setData(pos=np.nan_to_num(tip))
        self.frames += 1
        mean_d = float(np.mean(s["heat"]))
        cond = (f" · D and G(z) shown for label <b>{s['class_names'][s['label']]}</b>"
                if s.get("conditional") else "")
        self.caption.setText(f"Background: D(x), 0 = surely fake, 1 = surely real (mean over the plane "
                             f"{mean_d:.2f}). Arrows: where J<sub>G</sub> ({s.get('loss', '')}) pushes "
                             f"G's samples, mean |∂J<sub>G</sub>/∂x| = {float(norm.mean()):.3g}{cond}.")
        if first:
            self._show()

    def restyle(self) -> None:
        tm = self.tm
        style_plot(self.plot, tm, labels={"left": "x₂", "bottom": "x₁"})
        style_colorbar(self.colorbar, tm, "D(x)")
        real_c = pg.mkColor("#ffffff") if not tm.theme.dark else pg.mkColor("#f2f2f2")
        self.real.setPen(pg.mkPen("#000000", width=0.8))
        self.real.setBrush(pg.mkBrush(real_c))
        fake_c = pg.mkColor("#E69F00")                     # Okabe-Ito orange: reads on viridis
        self.fake.setPen(pg.mkPen("#000000", width=1.0))
        self.fake.setBrush(pg.mkBrush(fake_c))
        self.fake.setSymbol("d")
        self.fake.setSize(9 * tm.scale)
        self.real.setSize(5 * tm.scale)
        self.arrows.setPen(pg.mkPen("#ff3b3b" if tm.theme.dark else "#D55E00", width=1.6 * tm.scale))
        self.heads.setPen(pg.mkPen(None))
        self.heads.setBrush(pg.mkBrush("#D55E00"))
        self.heads.setSize(4 * tm.scale)
        style_legend(self.legend, tm)
        self.caption.setFont(tm.font("small" if not tm.presentation else "body"))
        self.stack.restyle(tm)
        self.graphics.setBackground(tm.theme.base)

    def clear(self) -> None:
        """Forget the drawn plane (a new run, a run folder opened): the sentence until the
        next snapshot."""
        self._last = None
        self._extent = None
        self._real_key = self._heat_version = None
        self.image.clear()
        for item in (self.real, self.fake, self.heads):
            item.setData(pos=np.zeros((0, 2)))
        self.arrows.setData([], [])
        self._show()

    def curves(self) -> dict[str, np.ndarray]:
        s = self._last
        if s is None:
            return {}
        return {"real x1": s["real"][:, 0], "real x2": s["real"][:, 1],
                "generated x1": s["fake"][:, 0], "generated x2": s["fake"][:, 1]}

    def export_targets(self) -> dict[str, Any]:
        return {"plane": self.plot}


__all__ = ["PlaneView"]
