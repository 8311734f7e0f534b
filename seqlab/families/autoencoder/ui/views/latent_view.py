"""The latent space: each validation sample is a dot at its code, coloured by its label.

When the code has more than two numbers the dots are its projection on the codes' top two
principal directions (the axis titles say so). Clicking anywhere asks the training thread to
decode that point (``decode`` in the bridge's request); the decoded image or curve is drawn
beside the scatter and a cross marks where it came from. Colours: Paul Tol's "muted"
palette, designed to stay distinct for colour-blind readers; a key above the plots names each label.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from seqlab.ui.theme import ThemeManager, style_plot, theme_manager

from .recon_view import key_line

# Paul Tol's muted qualitative palette (colour-blind safe), then grey for a tenth class
DECODE_HINT = "Click anywhere in the latent space: the decoder turns that point into an input here."
LABEL_COLORS = ("#332288", "#88CCEE", "#44AA99", "#117733", "#999933", "#DDCC77", "#CC6677", "#882255",
                "#AA4499", "#7f7f7f")


class LatentView(QWidget):
    decode_requested = Signal(float, float)     # a point in the scatter's coordinates

    def __init__(self, parent: QWidget | None = None, *, theme: ThemeManager | None = None):
        super().__init__(parent)
        self._tm = theme or theme_manager()
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        # the colours' key, one line above the plots: inside the scatter it covered the
        # densest cluster, wherever it was put
        self.key = key_line(self)
        lay.addWidget(self.key)
        self.glw = pg.GraphicsLayoutWidget()
        lay.addWidget(self.glw, 1)
        self.plot = self.glw.addPlot(row=0, col=0)
        self.plot.showGrid(x=True, y=True, alpha=0.2)
        self.scatters: list[pg.ScatterPlotItem] = []
        self._names: list[str] = []          # the labels' names, in the scatters' order
        self.marker = pg.ScatterPlotItem([], [], symbol="+", size=22)
        self.plot.addItem(self.marker)
        self.plot.scene().sigMouseClicked.connect(self._clicked)
        self.decoded_plot = self.glw.addPlot(row=0, col=1)
        self.glw.ci.layout.setColumnStretchFactor(0, 3)
        self.glw.ci.layout.setColumnStretchFactor(1, 2)
        self.decoded_image = pg.ImageItem(axisOrder="row-major")
        self.decoded_curve = pg.PlotDataItem([], [])
        self.decoded_plot.addItem(self.decoded_image)
        self.decoded_plot.addItem(self.decoded_curve)
        # until a point is decoded: a sentence where the digit or curve will be, no empty axes
        self.decoded_hint = pg.TextItem(DECODE_HINT, anchor=(0.5, 0.5))
        self.decoded_plot.addItem(self.decoded_hint)
        self._show_hint(True)
        self.payload: dict | None = None
        self._n_groups = -1
        self.last_decoded: np.ndarray | None = None
        self._tm.changed.connect(self.restyle)
        self.restyle()

    def set_latent(self, d: dict) -> None:
        self.payload = d
        pts, labels, names = d["points"], d["labels"], d.get("label_names")
        groups = list(range(len(names))) if labels is not None and names else [None]
        if len(groups) != self._n_groups:
            for s in self.scatters:
                self.plot.removeItem(s)
            self.scatters = []
            self._names = [names[g] if g is not None else "samples" for g in groups]
            for g in groups:
                name = names[g] if g is not None else "samples"
                s = pg.ScatterPlotItem([], [], name=name,
                                       brush=pg.mkBrush(LABEL_COLORS[(g or 0) % len(LABEL_COLORS)]))
                self.plot.addItem(s)
                self.scatters.append(s)
            self._n_groups = len(groups)
            self._style_dots()
        for g, s in zip(groups, self.scatters):
            sel = slice(None) if g is None else labels == g
            s.setData(pts[sel, 0], pts[sel, 1])
        what = f"principal directions of the {d['latent']}-number codes" if d["projected"] else "latent"
        style_plot(self.plot, self._tm, title="Click to decode a point",
                   labels={"bottom": f"z₁ ({what})" if d["projected"] else "z₁",
                           "left": "z₂" if d["latent"] > 1 else ""})
        if "decoded" in d:
            self._show_decoded(d)

    def _show_hint(self, on: bool) -> None:
        self.decoded_hint.setVisible(on)
        for name in ("left", "bottom"):
            self.decoded_plot.showAxis(name, not on)
        if on:
            self.decoded_plot.setAspectLocked(False)
            self.decoded_plot.setRange(xRange=(-1, 1), yRange=(-1, 1), padding=0)
            self.decoded_hint.setPos(0, 0)

    def _place_hint(self) -> None:
        """Wrap the sentence to the plot's width (a TextItem does not wrap by itself)."""
        w = self.decoded_plot.getViewBox().width()
        if w > 0:
            self.decoded_hint.setTextWidth(max(80.0, 0.9 * w))

    def resizeEvent(self, ev) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(ev)
        self._place_hint()

    def _show_decoded(self, d: dict) -> None:
        self._show_hint(False)
        x = np.asarray(d["decoded"])
        self.last_decoded = x
        at = d["decode_at"]
        self.marker.setData([float(at[0])], [float(at[1])])
        if x.ndim == 2:
            self.decoded_curve.setData([], [])
            self.decoded_image.setImage(np.clip(x, 0, 1), levels=(0.0, 1.0), autoLevels=False)
            self.decoded_image.setRect(0, 0, x.shape[1], x.shape[0])
            self.decoded_plot.invertY(True)
            self.decoded_plot.setAspectLocked(True)
        else:
            self.decoded_image.clear()
            self.decoded_plot.invertY(False)
            self.decoded_plot.setAspectLocked(False)
            self.decoded_curve.setData(np.arange(len(x)), x)
        self.decoded_plot.autoRange()
        style_plot(self.decoded_plot, self._tm, title=f"decoded at ({at[0]:.2f}, {at[1]:.2f})")

    def _clicked(self, ev) -> None:
        vb = self.plot.getViewBox()
        if not vb.sceneBoundingRect().contains(ev.scenePos()):
            return
        p = vb.mapSceneToView(ev.scenePos())
        self.request_decode(p.x(), p.y())

    def request_decode(self, x: float, y: float) -> None:
        self.marker.setData([x], [y])
        self.decode_requested.emit(float(x), float(y))

    def restyle(self) -> None:
        tm = self._tm
        self.glw.setBackground(tm.theme.base)
        style_plot(self.plot, tm, title="Click to decode a point")
        style_plot(self.decoded_plot, tm, title="decoded point")
        self.decoded_hint.setColor(tm.color("muted"))
        self.decoded_hint.setFont(tm.font("label"))
        self._place_hint()
        self._style_dots()
        lut = pg.colormap.get("CET-L1").getLookupTable(0, 1, 256)
        self.decoded_image.setLookupTable(lut[::-1] if not tm.theme.dark else lut)
        self.decoded_curve.setPen(pg.mkPen(tm.series_color(0), width=tm.width("line") * 1.2))
        self.marker.setPen(pg.mkPen(tm.color("text"), width=2 * tm.scale))
        self.marker.setBrush(pg.mkBrush(None))

    def _style_dots(self) -> None:
        """Dot size for the theme's scale; a thin rim in the text colour so that the palette's
        dark indigo reads on the dark theme and its sand on the light one."""
        tm = self._tm
        rim = tm.color("text")
        rim.setAlpha(110)
        for s in self.scatters:
            s.setSize(7 * tm.scale)
            s.setPen(pg.mkPen(rim, width=0.8))
        self._write_key()

    def _write_key(self) -> None:
        """Each label's name after a dot of its colour, on one line."""
        names = self._names
        self.key.setText("&nbsp;&nbsp;&nbsp;".join(
            f"<span style='color:{LABEL_COLORS[i % len(LABEL_COLORS)]}; font-size:large'>●</span>&nbsp;{n}"
            for i, n in enumerate(names)) if len(names) > 1 else "")
        self.key.setVisible(len(names) > 1)
        self.key.setFont(self._tm.font("label"))

    def curves(self) -> dict:
        d = self.payload
        if d is None:
            return {}
        out = {"z1": d["points"][:, 0], "z2": d["points"][:, 1]}
        if d["labels"] is not None:
            out["label"] = d["labels"]
        return out


__all__ = ["LatentView", "LABEL_COLORS"]
