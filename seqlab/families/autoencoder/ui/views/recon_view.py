"""Inputs beside their reconstructions: image grids for digits, curves for series and rows.

Images: one mosaic, a column per validation digit (one of each) and a row each for the input
(the noisy one when denoising), the clean target (denoising only), the autoencoder's
reconstruction and PCA's with the same number of components. Grey levels fixed at 0..1, ink
dark on the light theme and bright on the dark one. Series and feature rows: a small plot per
sample with the input, the target, the autoencoder's and PCA's curves. Plot items are made
once per kind of data and updated with setImage / setData.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

from seqlab.ui.theme import ThemeManager, draw_as_segments, style_plot, theme_manager

GAP = 1     # pixels between tiles


def mosaic(rows: list[np.ndarray]) -> np.ndarray:
    """Tiles [n, H, W] of each row side by side, rows stacked, GAP pixels of NaN between."""
    n, h, w = rows[0].shape
    out = np.full((len(rows) * (h + GAP) - GAP, n * (w + GAP) - GAP), np.nan, np.float32)
    for r, tiles in enumerate(rows):
        for c in range(n):
            out[r * (h + GAP):r * (h + GAP) + h, c * (w + GAP):c * (w + GAP) + w] = tiles[c]
    return out


def key_line(parent: QWidget) -> QLabel:
    """A view's colour key as one centred line of rich text above its plots (a legend inside
    a plot covers the data it names); it never widens the view."""
    key = QLabel(parent)
    key.setTextFormat(Qt.RichText)
    key.setAlignment(Qt.AlignCenter)
    key.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Preferred)
    return key


class ReconstructionView(QWidget):
    def __init__(self, parent: QWidget | None = None, *, theme: ThemeManager | None = None):
        super().__init__(parent)
        self._tm = theme or theme_manager()
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        # the curves' key, one line above the small plots: a legend inside one of them covered
        # its curves (a heartbeat fills its plot from edge to edge)
        self.key = key_line(self)
        self.key.hide()
        lay.addWidget(self.key)
        self.glw = pg.GraphicsLayoutWidget()
        lay.addWidget(self.glw, 1)
        self._kind: str | None = None
        self._rows: list[str] = []
        self._denoising = False
        self.image: pg.ImageItem | None = None
        self.plots: list[pg.PlotItem] = []
        self.items: list[dict[str, pg.PlotDataItem]] = []   # per small plot (not `curves`: that is the export method)
        self.payload: dict | None = None
        self._tm.changed.connect(self.restyle)
        self.restyle()
        # until the first snapshot, the key line says what will appear
        self.key.setText("Press <b>Start</b>: validation inputs and their reconstructions appear here.")
        self.key.show()

    # -- building once per kind of data -----------------------------------------------------
    def _build_images(self, row_names: list[str]) -> None:
        self.glw.clear()
        self.key.hide()          # the rows are named on the mosaic's axis
        self.plots, self.items = [], []
        p = self.glw.addPlot()
        p.hideAxis("bottom")
        p.invertY(True)
        p.setAspectLocked(True)
        p.setMouseEnabled(False, False)
        p.hideButtons()
        self.image = pg.ImageItem(axisOrder="row-major")
        p.addItem(self.image)
        self.image_plot = p
        self._rows = row_names
        self.restyle()

    def _build_curves(self, n: int, denoising: bool) -> None:
        self.glw.clear()
        self.image = None
        self._denoising = denoising
        self.key.show()
        self.plots, self.items = [], []
        cols = 2 if n > 2 else n
        self._y_range: tuple[float, float] | None = None
        self._titles: list[str | None] = [None] * n      # each small plot's title as set
        self._x_len = 0
        for i in range(n):
            # No grid: the curves are compared with each other, not read off the axes, and
            # the translucent grid of these small multiples was two thirds of each repaint
            # (21 of 31 ms), taken from training while it runs.
            p = self.glw.addPlot(row=i // cols, col=i % cols)
            # solid curves as segments (a wide antialiased path is slow to stroke); PCA's is dashed
            items = {"input": draw_as_segments(p.plot([], [])), "target": draw_as_segments(p.plot([], [])),
                     "ae": draw_as_segments(p.plot([], [])), "pca": p.plot([], [])}
            # the axes follow a shared range set with the data (_fit_ranges), not each curve's
            # bounds: unchanged ticks are not laid out and painted again at every redraw
            p.disableAutoRange()
            self.plots.append(p)
            self.items.append(items)
        self.restyle()

    # -- data ------------------------------------------------------------------------------
    def set_reconstructions(self, d: dict) -> None:
        self.payload = d
        if d["kind"] == "image":
            names = ["input (noisy)", "clean target", "autoencoder", "PCA"] if d["denoising"] else \
                ["input", "autoencoder", "PCA"]
            if self._kind != "image" or names != self._rows:
                self._build_images(names)
            rows = [d["inputs"]] + ([d["targets"]] if d["denoising"] else []) + [d["outputs"], d["pca"]]
            self.image.setImage(mosaic([np.clip(r, 0, 1) for r in rows]), levels=(0.0, 1.0), autoLevels=False)
            self._label_rows(d)
        else:
            n = len(d["inputs"])
            if self._kind != d["kind"] or len(self.plots) != n or self._denoising != d["denoising"]:
                self._build_curves(n, d["denoising"])
            x = np.arange(d["inputs"].shape[1])
            for i, items in enumerate(self.items):
                items["input"].setData(x, d["inputs"][i])
                if d["denoising"]:       # else it stays empty, as built
                    items["target"].setData(x, d["targets"][i])
                items["ae"].setData(x, d["outputs"][i])
                items["pca"].setData(x, d["pca"][i])
                self._set_title(i, d["labels"][i] if i < len(d["labels"]) else "")
            self._fit_ranges(d, len(x))
        self._kind = d["kind"]
        self._denoising = d["denoising"]

    def _fit_ranges(self, d: dict, length: int) -> None:
        """One y range for every small plot (the curves compare across plots too), changed only
        when the data leave it or fill less than half of it: with autorange, each redraw moved
        every axis's ticks a little, and laying out and painting 12 axes was most of a 30-ms
        redraw."""
        parts = [d["inputs"], d["outputs"], d["pca"]] + ([d["targets"]] if d["denoising"] else [])
        lo = float(min(np.nanmin(a) for a in parts))
        hi = float(max(np.nanmax(a) for a in parts))
        if not (np.isfinite(lo) and np.isfinite(hi)):
            return
        cur = self._y_range
        if cur is None or length != self._x_len or lo < cur[0] or hi > cur[1] or (hi - lo) < 0.5 * (cur[1] - cur[0]):
            pad = 0.08 * max(hi - lo, 1e-6)
            cur = self._y_range = (lo - pad, hi + pad)
            self._x_len = length
            for p in self.plots:
                p.setRange(xRange=(0, max(length - 1, 1)), yRange=cur, padding=0)

    def _set_title(self, i: int, label: str, force: bool = False) -> None:
        """A small plot's title, set only when it changes (each setTitle() lays the plot out
        again) or its colour and size do (``force``: a new theme or type)."""
        if force or self._titles[i] != label:
            self.plots[i].setTitle(label, color=self._tm.theme.text, size=f"{self._tm.font_pt('label'):.1f}pt")
            self._titles[i] = label

    def _label_rows(self, d: dict) -> None:
        p = self.image_plot
        h = d["inputs"].shape[1]
        ax = p.getAxis("left")
        ax.setTicks([[((h + GAP) * i + h / 2, name) for i, name in enumerate(self._rows)]])
        title = "one validation digit of each kind" if d.get("labels") and d["labels"][0] else ""
        style_plot(p, self._tm, title=title, axes=("left",))

    def restyle(self) -> None:
        tm = self._tm
        self.glw.setBackground(tm.theme.base)
        if self.image is not None:
            # ink dark on a light page, bright on a dark one; fixed levels 0..1
            lut = pg.colormap.get("CET-L1").getLookupTable(0, 1, 256)
            self.image.setLookupTable(lut[::-1] if not tm.theme.dark else lut)
            style_plot(self.image_plot, tm, axes=("left",))
        pens = {"input": pg.mkPen(tm.color("muted"), width=tm.width("line") * 0.6),
                "target": pg.mkPen(tm.series_color(2), width=tm.width("line")),
                "ae": pg.mkPen(tm.series_color(0), width=tm.width("line") * 1.2),
                "pca": pg.mkPen(tm.series_color(1), width=tm.width("line"), style=pg.QtCore.Qt.DashLine)}
        for i, (p, items) in enumerate(zip(self.plots, self.items)):
            style_plot(p, tm)
            for k, it in items.items():
                it.setPen(pens[k])
            if self._titles[i] is not None:
                self._set_title(i, self._titles[i], force=True)
        if self.plots:           # curves drawn (not the mosaic, nor the line before any data)
            self._write_key(pens)
        self.key.setFont(self._tm.font("label"))

    def _write_key(self, pens: dict) -> None:
        """The key above the small plots: each curve's name in its colour, the dashed one said so."""
        names = {"input": "noisy input" if self._denoising else "input", "target": "clean target",
                 "ae": "autoencoder", "pca": "PCA (dashed)"}
        parts = []
        for k, name in names.items():
            if k == "target" and not self._denoising:
                continue
            color = pens[k].color().name()
            parts.append(f"<span style='color:{color}; font-weight:bold'>━━</span>&nbsp;{name}")
        self.key.setText("&nbsp;&nbsp;&nbsp;&nbsp;".join(parts))

    def curves_data(self) -> dict:
        d = self.payload
        if d is None:
            return {}
        out = {}
        for i in range(len(d["inputs"])):
            for k in ("inputs", "outputs", "pca"):
                out[f"sample{i + 1} {k}"] = np.asarray(d[k][i]).ravel()
        return out

    def curves(self) -> dict:
        return self.curves_data()


__all__ = ["ReconstructionView", "mosaic"]
