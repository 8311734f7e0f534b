"""Generated digit images from a FIXED batch of noise (the same z every frame, so the
pictures evolve in place as G learns), real ones beside them, and for a conditional GAN
the digit chosen under the view generated from 16 noise vectors.

Images are tiled into one array per panel and drawn with ``setImage`` on items made once;
grey levels fixed at 0 (paper) .. 1 (ink).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

from seqlab.ui.theme import ThemeManager, theme_manager
from seqlab.ui.widgets.placeholder import Placeholder

INK = pg.ColorMap([0.0, 1.0], [(255, 255, 255), (0, 0, 0)])     # paper white, ink black
NOT_IMAGES = ("This data set is points on a plane, not images: G's samples are drawn over D's view "
              "of the plane in <b>G and D</b>.")


def tile(images: np.ndarray, cols: int, gap: int = 1) -> np.ndarray:
    """[n, h, w] images as one [rows*(h+gap), cols*(w+gap)] array (gaps at 0 = paper)."""
    n, h, w = images.shape
    rows = -(-n // cols)
    out = np.zeros((rows * (h + gap) + gap, cols * (w + gap) + gap), np.float32)
    for i in range(n):
        r, c = divmod(i, cols)
        out[gap + r * (h + gap): gap + r * (h + gap) + h, gap + c * (w + gap): gap + c * (w + gap) + w] = images[i]
    return out


class ImagesView(QWidget):
    def __init__(self, parent: QWidget | None = None, *, theme: ThemeManager | None = None):
        super().__init__(parent)
        self.tm = theme or theme_manager()
        self.frames = 0
        self._last: dict | None = None
        lay = QVBoxLayout(self)
        lay.setContentsMargins(2, 2, 2, 2)
        self.graphics = pg.GraphicsLayoutWidget(parent=self)
        # on 2-D points there are no images: a sentence instead of an empty page
        self.stack = Placeholder(self.graphics, NOT_IMAGES, self)
        self.empty = self.stack.message
        lay.addWidget(self.stack, 1)
        self.caption = QLabel("Press Start: images generated from a fixed batch of noise appear here.", self)
        self.caption.setWordWrap(True)
        self.caption.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Preferred)
        lay.addWidget(self.caption)
        self.panels: dict[str, tuple[pg.ViewBox, pg.ImageItem, pg.LabelItem]] = {}
        for col, key in enumerate(("generated", "chosen", "real")):
            title = self.graphics.addLabel("", row=0, col=col)
            vb = self.graphics.addViewBox(row=1, col=col, lockAspect=True, enableMouse=False, invertY=True)
            img = pg.ImageItem(axisOrder="row-major")
            img.setColorMap(INK)
            vb.addItem(img)
            self.panels[key] = (vb, img, title)
        self.graphics.ci.layout.setColumnStretchFactor(0, 5)
        self.graphics.ci.layout.setColumnStretchFactor(1, 2)
        self.graphics.ci.layout.setColumnStretchFactor(2, 3)
        self.restyle()

    def set_data_kind(self, kind: str) -> None:
        """``image`` (the pictures are drawn) or ``plane`` (none to draw: say so)."""
        images = kind == "image"
        self.stack.show_content(images)
        self.caption.setVisible(images)

    def has_images(self) -> bool:
        return self.stack.showing_content()

    def set_snapshot(self, s: dict[str, Any]) -> None:
        self._last = s
        names = s.get("class_names") or []
        gen = tile(s["images"], s["cols"])
        self._show("generated", gen, "G(z, y): row y = digit asked for" if s["conditional"]
                   else "G(z) for 64 fixed z")
        if s.get("chosen") is not None:
            name = names[s["label"]] if 0 <= s["label"] < len(names) else s["label"]
            self._show("chosen", tile(s["chosen"], 4), f"digit {name}, 16 z")
        else:
            self._show("chosen", np.zeros((1, 1), np.float32), "(conditional GANs only)")
        self._show("real", tile(s["real"], 8), "real digits")
        self.frames += 1
        step = s.get("step")
        self.caption.setText("Same noise z every frame: each picture changes only because G learns"
                             + (f" · step {step:,}" if isinstance(step, int) else "") + ".")

    def _show(self, key: str, arr: np.ndarray, title: str) -> None:
        vb, img, label = self.panels[key]
        shape_changed = img.image is None or img.image.shape != arr.shape
        img.setImage(arr, autoLevels=False, levels=(0.0, 1.0))
        if shape_changed:
            vb.autoRange(padding=0.01)
        label.setText(title, color=self.tm.theme.text, size=f"{self.tm.font_pt('label'):.1f}pt")

    def restyle(self) -> None:
        self.caption.setFont(self.tm.font("small" if not self.tm.presentation else "body"))
        self.stack.restyle(self.tm)
        self.graphics.setBackground(self.tm.theme.base)
        if self._last is not None:
            self.set_snapshot(self._last)

    def export_targets(self) -> dict[str, Any]:
        return {"images": self.graphics.ci}


__all__ = ["ImagesView", "tile"]
