"""The autoencoder drawn as it is built: input, encoder layers, bottleneck, decoder, output.

Each layer is a bar whose height grows with its size (on a square-root scale, so a 784-pixel
input and an 8-number code both fit and still look different), with its size under it; the
bottleneck is drawn in the accent colour, and trapezoids join neighbouring layers so the
hourglass shape of an undercomplete autoencoder is seen at a glance. Redrawn with QPainter
whenever the Model panel changes. Theme colours and fonts; no data.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget

from seqlab.ui.theme import ThemeManager, theme_manager


#: below this height (pixels, times the theme's scale) the picture is not drawn
PICTURE_MIN = 56


class NetworkPicture(QWidget):
    def __init__(self, parent: QWidget | None = None, *, theme: ThemeManager | None = None):
        super().__init__(parent)
        self._tm = theme or theme_manager()
        self._tm.changed.connect(self.update)
        self.layers: list[tuple[str, int]] = []     # (role, size): 'in', 'enc', 'z', 'dec', 'out'
        self.caption = ""
        # it takes the height the panel's controls leave and asks for none (a fixed 70 px made
        # the Model panel scroll at 1280x720 in the denoising lesson); too short, it is not drawn
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Preferred)
        self.setMinimumHeight(0)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        return QSize(300, int(110 * self._tm.scale))

    def set_network(self, n_in: int, encoder: list[int], latent: int, decoder: list[int], caption: str = "") -> None:
        self.layers = ([("in", n_in)] + [("enc", s) for s in encoder] + [("z", latent)]
                       + [("dec", s) for s in decoder] + [("out", n_in)])
        self.caption = caption
        self.update()

    def bar_heights(self, avail: float) -> list[float]:
        """Each layer's bar height for `avail` pixels: square root of the size, the largest full height."""
        top = max((math.sqrt(s) for _, s in self.layers), default=1.0)
        return [max(4.0, avail * math.sqrt(s) / top) for _, s in self.layers]

    def paintEvent(self, _ev) -> None:  # noqa: N802 (Qt's name)
        if not self.layers or self.height() < PICTURE_MIN * self._tm.scale:
            return
        tm = self._tm
        p = QPainter(self)
        p.setRenderHint(QPainter.Antialiasing)
        font = tm.font("small")
        p.setFont(font)
        fh = p.fontMetrics().height()
        w, h = self.width(), self.height()
        cap_h = fh + 2 if self.caption else 0
        avail = max(10.0, h - 2 * fh - cap_h - 6)
        n = len(self.layers)
        step = w / n
        bar_w = max(6.0, min(22.0 * tm.scale, step * 0.35))
        heights = self.bar_heights(avail)
        mid = fh + avail / 2 + 2
        text_c, muted = tm.color("text"), tm.color("muted")
        accent = tm.color("accent")
        series = [tm.series_color(0), tm.series_color(1)]
        rects = []
        for i, ((role, size), bh) in enumerate(zip(self.layers, heights)):
            cx = step * (i + 0.5)
            rects.append(QRectF(cx - bar_w / 2, mid - bh / 2, bar_w, bh))
        # the trapezoids between layers first, under the bars
        link = QColor(muted)
        link.setAlpha(50)
        p.setPen(Qt.NoPen)
        p.setBrush(QBrush(link))
        for a, b in zip(rects, rects[1:]):
            p.drawPolygon(QPolygonF([QPointF(a.right(), a.top()), QPointF(b.left(), b.top()),
                                     QPointF(b.left(), b.bottom()), QPointF(a.right(), a.bottom())]))
        for (role, size), r in zip(self.layers, rects):
            fill = accent if role == "z" else series[0] if role == "enc" else series[1] if role == "dec" else muted
            p.setPen(QPen(text_c, max(1.0, tm.width("axis"))))
            p.setBrush(QBrush(fill))
            p.drawRect(r)
            p.setPen(text_c)
            label = {"in": "in", "out": "out", "z": "z"}.get(role, "")
            if label:
                p.drawText(QRectF(r.center().x() - step / 2, 0, step, fh), Qt.AlignCenter, label)
            p.drawText(QRectF(r.center().x() - step / 2, mid + avail / 2 + 3, step, fh), Qt.AlignCenter, f"{size:,}")
        if self.caption:
            p.setPen(muted)
            p.drawText(QRectF(0, h - cap_h, w, cap_h), Qt.AlignCenter, self.caption)
        p.end()


__all__ = ["NetworkPicture"]
