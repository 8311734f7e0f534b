"""The GAN's Data panel: the distribution to imitate (2-D mixtures and shapes, your own
drawing, or digit images), its size and noise, and a small canvas to draw points on with the
mouse for ``drawn`` (each drag is a stroke; a click is a dot).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSizePolicy, QWidget

from seqlab.families.gan.family import FAMILY as GAN
from seqlab.families.gan.spec import DataSpec
from seqlab.ui.panels.common import SpecPanel, help_text
from seqlab.ui.theme import ThemeManager, theme_manager
from seqlab.ui.widgets.elided_label import ElidedLabel

FAMILY = "gan"
SETS = [("Ring of 8 Gaussians", "ring8"), ("Grid of 25 Gaussians", "grid25"), ("Spiral", "spiral"),
        ("Two moons", "moons"), ("Drawn by you", "drawn"), ("Digits 8x8", "digits8x8"),
        ("Digits 28x28", "digits28")]
CANVAS_HALF = 4.0            # the canvas spans -4..4 on both axes (the 2-D sets' scale)
MIN_GAP = 0.08               # a drag adds a point only this far from the last one


class DrawCanvas(pg.PlotWidget):
    """Draw strokes with the mouse; ``strokes()`` are lists of [x, y] in plane units."""

    edited = Signal()

    def __init__(self, parent: QWidget | None = None, *, theme: ThemeManager | None = None):
        super().__init__(parent)
        self.tm = theme or theme_manager()
        self.setMinimumHeight(150)
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Preferred)
        pi = self.getPlotItem()
        pi.setMenuEnabled(False)
        pi.hideButtons()
        pi.setMouseEnabled(x=False, y=False)
        pi.setAspectLocked(True)
        pi.setRange(xRange=(-CANVAS_HALF, CANVAS_HALF), yRange=(-CANVAS_HALF, CANVAS_HALF), padding=0)
        pi.showGrid(x=True, y=True, alpha=0.25)
        self._strokes: list[list[list[float]]] = []
        self._drawing = False
        self.items = pg.ScatterPlotItem(size=6, pxMode=True)
        self.lines = pg.PlotDataItem(connect="finite")
        pi.addItem(self.lines)
        pi.addItem(self.items)
        self.restyle()

    def strokes(self) -> list[list[list[float]]]:
        return [list(map(list, s)) for s in self._strokes if s]

    def set_strokes(self, strokes: list) -> None:
        self._strokes = [[[float(x), float(y)] for x, y in s] for s in (strokes or []) if s]
        self._redraw()

    def clear_points(self) -> None:
        self._strokes = []
        self._redraw()
        self.edited.emit()

    def _plane(self, ev) -> tuple[float, float]:
        p = self.getPlotItem().vb.mapSceneToView(self.mapToScene(ev.position().toPoint()))
        c = lambda v: float(np.clip(v, -CANVAS_HALF, CANVAS_HALF))  # noqa: E731
        return round(c(p.x()), 3), round(c(p.y()), 3)

    def mousePressEvent(self, ev) -> None:  # noqa: N802 (Qt's name)
        if ev.button() == Qt.LeftButton:
            self._drawing = True
            self._strokes.append([list(self._plane(ev))])
            self._redraw()
            ev.accept()
            return
        super().mousePressEvent(ev)

    def mouseMoveEvent(self, ev) -> None:  # noqa: N802 (Qt's name)
        if self._drawing:
            x, y = self._plane(ev)
            last = self._strokes[-1][-1]
            if np.hypot(x - last[0], y - last[1]) >= MIN_GAP:
                self._strokes[-1].append([x, y])
                self._redraw()
            ev.accept()
            return
        super().mouseMoveEvent(ev)

    def mouseReleaseEvent(self, ev) -> None:  # noqa: N802 (Qt's name)
        if self._drawing:
            self._drawing = False
            self.edited.emit()
            ev.accept()
            return
        super().mouseReleaseEvent(ev)

    def _redraw(self) -> None:
        pts = [p for s in self._strokes for p in s]
        self.items.setData(pos=np.array(pts, float).reshape(-1, 2))
        xs, ys = [], []
        for s in self._strokes:
            xs += [p[0] for p in s] + [np.nan]
            ys += [p[1] for p in s] + [np.nan]
        self.lines.setData(np.array(xs, float), np.array(ys, float))

    def restyle(self) -> None:
        tm = self.tm
        self.setBackground(tm.theme.base)
        c = tm.series_color(0)
        self.items.setBrush(pg.mkBrush(c))
        self.items.setPen(pg.mkPen(None))
        self.lines.setPen(pg.mkPen(c, width=tm.width("line")))
        for name in ("left", "bottom"):
            ax = self.getPlotItem().getAxis(name)
            ax.setPen(tm.pen("grid", "axis"))
            ax.setTextPen(tm.color("muted"))


class GanDataPanel(SpecPanel):
    section = "data"
    family = FAMILY
    output_changed = Signal(str)          # what G makes: "2" or "8x8" / "28x28"

    def __init__(self, parent: QWidget | None = None, *, theme: ThemeManager | None = None):
        super().__init__(parent)
        self._tm = theme or theme_manager()
        self.name = self.combo(SETS)
        self.samples = self.spin(100, 100_000, 500)
        self.noise = self.dspin(0.0, 1.0, 0.01, 3)
        self.seed = self.spin(0, 2**31 - 1)
        self.labelled("name", "Data", self.name, help_text("data", "name", family=FAMILY))
        self.labelled("samples", "Points", self.samples, help_text("data", "samples", family=FAMILY))
        self.labelled("noise", "Noise", self.noise, help_text("data", "noise", family=FAMILY))
        self.labelled("seed", "Seed", self.seed, help_text("data", "seed", family=FAMILY))
        # one line about the data set (its whole text in the tooltip)
        self.about = ElidedLabel(parent=self)
        self._outer.addWidget(self.about)
        self.canvas = DrawCanvas(self, theme=self._tm)
        self.canvas.edited.connect(self._user_changed)
        self.canvas_row = QWidget(self)
        row = QHBoxLayout(self.canvas_row)
        row.setContentsMargins(0, 0, 0, 0)
        self.canvas_hint = QLabel("Draw with the mouse: each drag is a stroke, a click a dot.", self)
        self.canvas_hint.setWordWrap(True)
        self.clear_button = QPushButton("Clear", self)
        self.clear_button.clicked.connect(self.canvas.clear_points)
        row.addWidget(self.canvas_hint, 1)
        row.addWidget(self.clear_button)
        self._outer.addWidget(self.canvas_row)
        self._outer.addWidget(self.canvas, 2)
        self.finish_layout()
        self.set_values(DataSpec().__dict__.copy())

    def load(self, d: dict[str, Any]) -> None:
        self.set_combo(self.name, d.get("name", "ring8"))
        self.samples.setValue(int(d.get("samples", 2000)))
        self.noise.setValue(float(d.get("noise", 0.05)))
        self.seed.setValue(int(d.get("seed", 0)))
        pts = d.get("points") or []
        try:
            self.canvas.set_strokes(pts)
        except (TypeError, ValueError):
            self.canvas.set_strokes([])

    def read(self) -> dict[str, Any]:
        return {"name": self.name.currentData(), "samples": self.samples.value(),
                "noise": round(self.noise.value(), 4), "seed": self.seed.value(), "points": self.canvas.strokes()}

    def on_controls_changed(self) -> None:
        name = self.name.currentData()
        images = name.startswith("digits")
        keys = ["name*", "seed"] + ([] if images else ["samples"])
        if name in ("spiral", "moons", "drawn"):
            keys.append("noise")
        self.place(keys)
        about = {d.name: d for d in GAN.datasets()}.get(name)
        self.about.setText(f"{about.title}: {about.about}." if about is not None and about.about else "")
        drawn = name == "drawn"
        self.canvas.setVisible(drawn)
        self.canvas_row.setVisible(drawn)
        self.output_changed.emit({"digits8x8": "8x8", "digits28": "28x28"}.get(name, "2"))


__all__ = ["GanDataPanel", "DrawCanvas"]
