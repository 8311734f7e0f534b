"""The drawing of the cell diagram: boxes, wires and nodes filled and thickened by the values
they carry, on a logical canvas that scales to the widget. It reads the numbers from its
CellDiagram (``_vals``, ``_data``, ``_tm``)."""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QLinearGradient, QPainter, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget

from seqlab.families.recurrent.ui.views.trace_data import TraceData, fmt
from seqlab.ui.theme import colormap, map_color, text_color_on

__all__ = ["CellCanvas", "SIGMA", "TILDE_C"]

SIGMA = "σ"
TILDE_C = "c̃"
# Logical canvas (in "units"; the drawing scales to the widget keeping this aspect).
LW, LH_DRAW, LH_LEGEND = 20.0, 11.4, 1.2
Y_TOP, Y_MID, Y_BOX, Y_BUS, Y_IN = 1.7, 3.7, 6.1, 8.9, 11.0
BOX_W, BOX_H = 2.7, 1.9
NODE_R = 0.52



class CellCanvas(QWidget):
    """The drawing itself; reads the numbers from its CellDiagram."""

    def __init__(self, diagram: QWidget):
        super().__init__(diagram)
        self._d = diagram
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Expanding)
        self.setMinimumSize(200, 130)

    def sizeHint(self) -> QSize:
        s = self._d._tm.scale
        return QSize(round(460 * s), round(300 * s))

    # --- painting -----------------------------------------------------------------------
    def paintEvent(self, ev) -> None:  # noqa: N802 (Qt override)
        d = self._d
        tm = d._tm
        p = QPainter(self)
        p.setRenderHint(QPainter.Antialiasing)
        p.setRenderHint(QPainter.TextAntialiasing)
        p.fillRect(self.rect(), tm.color("base"))
        td = d._data
        lh = LH_DRAW + LH_LEGEND
        unit = min(self.width() / LW, self.height() / lh)
        self.u = unit
        ox = (self.width() - LW * unit) / 2
        oy = (self.height() - lh * unit) / 2
        p.translate(ox, oy)
        if td is None or not d._vals:
            p.setPen(tm.color("muted"))
            p.setFont(self._font(0.7))
            p.drawText(QRectF(0, 0, LW * unit, LH_DRAW * unit), Qt.AlignCenter,
                       "Train or load a model to see its cell here")
            p.end()
            return
        self.p, self.tm = p, tm
        self.pv = d._prev()
        if td.cell == "lstm":
            self._lstm(d._vals)
        elif td.cell == "gru":
            self._gru(d._vals)
        else:
            self._rnn(d._vals, td.nonlinearity)
        self._legend(td)
        p.end()

    # helpers in logical units
    def P(self, x: float, y: float) -> QPointF:  # noqa: N802 (short on purpose)
        return QPointF(x * self.u, y * self.u)

    def _font(self, size_units: float, bold: bool = False) -> QFont:
        f = QFont(self.font())
        # text follows the drawing's scale, but never smaller than a small readable size
        f.setPixelSize(max(9, round(size_units * self.u)))
        f.setBold(bold)
        return f

    def _wire_color(self, kind: str, v: float | None) -> QColor:
        if v is None:
            return self.tm.color("grid")
        if kind == "gate":
            return map_color("gate", v, 0.0, 1.0)
        r = self._d._c_range if kind == "c" else 1.0
        return map_color("signed", v, -r, r)

    def _wire_width(self, kind: str, v: float | None) -> float:
        if v is None:
            return 0.14 * self.u
        r = self._d._c_range if kind == "c" else 1.0
        mag = min(1.0, abs(v) / r) if r > 0 else 0.0
        return (0.1 + 0.34 * mag) * self.u

    def wire(self, pts: list[tuple[float, float]], kind: str, v: float | None,
             arrow: bool = True) -> None:
        """A polyline carrying value ``v``: dark outline, value colour inside, arrowhead."""
        p, tm = self.p, self.tm
        path = QPainterPath(self.P(*pts[0]))
        for q in pts[1:]:
            path.lineTo(self.P(*q))
        w = self._wire_width(kind, v)
        col = self._wire_color(kind, v)
        outline = tm.color("text")
        ow = max(1.2, 0.05 * self.u) * tm.scale
        p.setBrush(Qt.NoBrush)
        p.setPen(QPen(outline, w + 2 * ow, Qt.SolidLine, Qt.FlatCap, Qt.MiterJoin))
        p.drawPath(path)
        p.setPen(QPen(col, w, Qt.SolidLine, Qt.FlatCap, Qt.MiterJoin))
        p.drawPath(path)
        if arrow:
            (x0, y0), (x1, y1) = pts[-2], pts[-1]
            ang = math.atan2(y1 - y0, x1 - x0)
            L = 0.55 + 0.5 * w / self.u
            Wd = 0.32 + 0.5 * w / self.u
            tip = self.P(x1, y1)
            back = QPointF(tip.x() - L * self.u * math.cos(ang),
                           tip.y() - L * self.u * math.sin(ang))
            nx, ny = -math.sin(ang) * Wd * self.u, math.cos(ang) * Wd * self.u
            tri = QPolygonF([tip, QPointF(back.x() + nx, back.y() + ny),
                             QPointF(back.x() - nx, back.y() - ny)])
            p.setPen(QPen(outline, ow))
            p.setBrush(col)
            p.drawPolygon(tri)

    def dot(self, x: float, y: float) -> None:
        self.p.setPen(Qt.NoPen)
        self.p.setBrush(self.tm.color("text"))
        self.p.drawEllipse(self.P(x, y), 0.16 * self.u, 0.16 * self.u)

    def node(self, x: float, y: float, sym: str, w: float = 0.0) -> None:
        """A pointwise operation: a circle (or a rounded box when w > 0) with its symbol."""
        p, tm = self.p, self.tm
        p.setPen(QPen(tm.color("text"), max(1.5, 0.07 * self.u)))
        p.setBrush(tm.color("base"))
        if w > 0:
            r = QRectF(self.P(x - w / 2, y - 0.5), self.P(x + w / 2, y + 0.5))
            p.drawRoundedRect(r, 0.45 * self.u, 0.45 * self.u)
            p.setFont(self._font(0.58, bold=True))
        else:
            r = QRectF(self.P(x - NODE_R, y - NODE_R), self.P(x + NODE_R, y + NODE_R))
            p.drawEllipse(r)
            p.setFont(self._font(0.85 if len(sym) == 1 else 0.5, bold=True))
        p.setPen(tm.color("text"))
        p.drawText(r, Qt.AlignCenter, sym)

    def box(self, x: float, y: float, sym: str, kind: str, v: float, fn: str) -> None:
        """A gate: filled with the colour of its value, showing symbol, function and value."""
        p, tm = self.p, self.tm
        r = QRectF(self.P(x - BOX_W / 2, y - BOX_H / 2), self.P(x + BOX_W / 2, y + BOX_H / 2))
        fill = map_color("gate", v, 0, 1) if kind == "gate" else map_color("signed", v, -1, 1)
        p.setPen(QPen(tm.color("text"), max(2.0, 0.08 * self.u)))
        p.setBrush(fill)
        p.drawRoundedRect(r, 0.2 * self.u, 0.2 * self.u)
        tc = text_color_on(fill)
        p.setPen(tc)
        top = QRectF(r.left(), r.top() + 0.05 * self.u, r.width(), r.height() * 0.48)
        bot = QRectF(r.left(), r.top() + r.height() * 0.46, r.width(), r.height() * 0.5)
        p.setFont(self._font(0.78, bold=True))
        fm = QFontMetricsF(p.font())
        sym_w = fm.horizontalAdvance(sym)
        p.setFont(self._font(0.52))
        fm2 = QFontMetricsF(p.font())
        fn_txt = f" {fn}"
        total = sym_w + fm2.horizontalAdvance(fn_txt)
        x0 = top.center().x() - total / 2
        base_y = top.top() + fm.ascent() - 0.02 * self.u
        p.setFont(self._font(0.78, bold=True))
        p.drawText(QPointF(x0, base_y), sym)
        p.setFont(self._font(0.52))
        p.drawText(QPointF(x0 + sym_w, base_y), fn_txt)
        p.setFont(self._font(0.74, bold=True))
        p.drawText(bot, Qt.AlignHCenter | Qt.AlignVCenter, fmt(v))

    def label(self, x: float, y: float, base: str, sub: str, value: float | None,
              align: str = "left", above: bool = True) -> None:
        """A wire's name (with subscript) and its value, anchored at (x, y)."""
        p, tm = self.p, self.tm
        fb = self._font(0.7, bold=True)
        fs = self._font(0.5, bold=True)
        fv = self._font(0.66)
        wb = QFontMetricsF(fb).horizontalAdvance(base)
        ws = QFontMetricsF(fs).horizontalAdvance(sub)
        name_w = wb + ws
        val = fmt(value) if value is not None else ""
        wv = QFontMetricsF(fv).horizontalAdvance(val)
        px, py = x * self.u, y * self.u
        if align == "right":
            nx, vx = px - name_w, px - wv
        elif align == "center":
            nx, vx = px - name_w / 2, px - wv / 2
        else:
            nx, vx = px, px
        asc = QFontMetricsF(fb).ascent()
        if above:
            ny = py - 0.42 * self.u
            vy = py + 0.38 * self.u + QFontMetricsF(fv).ascent()
        else:
            ny = py + 0.3 * self.u + asc
            vy = ny + QFontMetricsF(fv).height()
        p.setPen(tm.color("text"))
        p.setFont(fb)
        p.drawText(QPointF(nx, ny), base)
        p.setFont(fs)
        p.drawText(QPointF(nx + wb, ny + 0.18 * self.u), sub)
        if val:
            p.setFont(fv)
            p.setPen(tm.color("text"))
            p.drawText(QPointF(vx, vy), val)

    def caption(self, x: float, y: float, text: str, backed: bool = True,
                size: float = 0.46) -> None:
        """Small muted text centred at x, baseline y; ``backed`` clears the wires behind."""
        p = self.p
        p.setFont(self._font(size))
        fm = QFontMetricsF(p.font())
        w = fm.horizontalAdvance(text)
        x0 = x * self.u - w / 2
        if backed:
            pad = 0.08 * self.u
            p.setPen(Qt.NoPen)
            p.setBrush(self.tm.color("base"))
            p.drawRoundedRect(QRectF(x0 - pad, y * self.u - fm.ascent() - pad,
                                     w + 2 * pad, fm.height() + 2 * pad), pad, pad)
        p.setPen(self.tm.color("muted"))
        p.drawText(QPointF(x0, y * self.u), text)

    def x_input(self, x: float, vals: dict) -> None:
        """x_t entering the input bus from below."""
        xv = vals.get("x")
        self.wire([(x, Y_IN), (x, Y_BUS)], "signed", xv, arrow=False)
        self.dot(x, Y_BUS)
        n = int(vals.get("x_size", 0))
        # the value goes beside the name, not under it: under it, it would sit on the
        # colour legend that runs along the bottom of the drawing
        self.label(x + 0.4, Y_IN - 0.2, "x", "t", None, above=True)
        text = f"= {fmt(xv)}" if xv is not None else f"({n} values)"
        self.caption(x + 1.15 + 0.3 * len(text), Y_IN - 0.55, text, size=0.6)

    # --- the cells ----------------------------------------------------------------------
    def _lstm(self, v: dict) -> None:
        pv = self.pv
        xf, xi, xg, xo = 4.9, 7.85, 10.8, 13.75
        x_add, x_tanh = (xi + xg) / 2, 16.5
        # input bus [h_{t-1}, x_t] feeding the four gates
        self.wire([(0.3, Y_BUS), (xo, Y_BUS)], "signed", v["h_prev"], arrow=False)
        for gx in (xf, xi, xg, xo):
            self.dot(gx, Y_BUS)
            self.wire([(gx, Y_BUS), (gx, Y_BOX + BOX_H / 2)], "signed", v["h_prev"])
        self.x_input(2.6, v)
        self.label(0.3, Y_BUS, "h", pv, v["h_prev"])
        # cell state line
        fc = v["f"] * v["c_prev"]
        ig = v["i"] * v["g"]
        self.wire([(0.3, Y_TOP), (xf - NODE_R, Y_TOP)], "c", v["c_prev"])
        self.wire([(xf + NODE_R, Y_TOP), (x_add - NODE_R, Y_TOP)], "c", fc)
        self.wire([(x_add + NODE_R, Y_TOP), (LW - 0.3, Y_TOP)], "c", v["c"])
        self.label(0.3, Y_TOP, "c", pv, v["c_prev"])
        self.label(LW - 0.3, Y_TOP, "c", "t", v["c"], align="right")
        # gates to the pointwise operations
        self.wire([(xf, Y_BOX - BOX_H / 2), (xf, Y_TOP + NODE_R)], "gate", v["f"])
        self.wire([(xi, Y_BOX - BOX_H / 2), (xi, Y_MID), (x_add - NODE_R, Y_MID)], "gate", v["i"])
        self.wire([(xg, Y_BOX - BOX_H / 2), (xg, Y_MID), (x_add + NODE_R, Y_MID)], "signed", v["g"])
        self.wire([(x_add, Y_MID - NODE_R), (x_add, Y_TOP + NODE_R)], "signed", ig)
        # output: h_t = o * tanh(c_t)
        self.dot(x_tanh, Y_TOP)
        tc = math.tanh(v["c"])
        self.wire([(x_tanh, Y_TOP), (x_tanh, Y_MID - 0.5)], "c", v["c"])
        self.wire([(x_tanh, Y_MID + 0.5), (x_tanh, Y_BOX - NODE_R)], "signed", tc)
        self.wire([(xo + BOX_W / 2, Y_BOX), (x_tanh - NODE_R, Y_BOX)], "gate", v["o"])
        self.wire([(x_tanh, Y_BOX + NODE_R), (x_tanh, Y_BUS), (LW - 0.3, Y_BUS)], "signed", v["h"])
        self.label(LW - 0.3, Y_BUS, "h", "t", v["h"], align="right")
        # boxes and nodes on top of the wires
        self.node(xf, Y_TOP, "×")
        self.node(x_add, Y_TOP, "+")
        self.node(x_add, Y_MID, "×")
        self.node(x_tanh, Y_MID, "tanh", w=1.9)
        self.node(x_tanh, Y_BOX, "×")
        self.box(xf, Y_BOX, "f", "gate", v["f"], SIGMA)
        self.box(xi, Y_BOX, "i", "gate", v["i"], SIGMA)
        self.box(xg, Y_BOX, TILDE_C, "signed", v["g"], "tanh")
        self.box(xo, Y_BOX, "o", "gate", v["o"], SIGMA)
        self.caption(xf, Y_BOX + BOX_H / 2 + 0.55, "forget")
        self.caption(xi, Y_BOX + BOX_H / 2 + 0.55, "input")
        self.caption(xg, Y_BOX + BOX_H / 2 + 0.55, "candidate")
        self.caption(xo, Y_BOX + BOX_H / 2 + 0.55, "output")

    def _gru(self, v: dict) -> None:
        pv = self.pv
        xu, xr, x_rh, xc = 5.2, 8.6, 11.3, 14.3
        x_h0 = 2.3
        y_j = 4.55  # where u splits towards (1 − u) and u·c~
        one_minus_u = 1.0 - v["u"]
        # h_{t-1} along the top, and down into the input bus
        self.wire([(0.3, Y_TOP), (xu - NODE_R, Y_TOP)], "signed", v["h_prev"])
        self.dot(x_h0, Y_TOP)
        self.wire([(x_h0, Y_TOP), (x_h0, Y_BUS), (x_rh, Y_BUS)], "signed", v["h_prev"],
                  arrow=False)
        self.wire([(x_rh, Y_BUS), (xc, Y_BUS), (xc, Y_BOX + BOX_H / 2)], "signed",
                  v.get("x"))
        for gx in (xu, xr):
            self.dot(gx, Y_BUS)
            self.wire([(gx, Y_BUS), (gx, Y_BOX + BOX_H / 2)], "signed", v["h_prev"])
        self.dot(x_rh, Y_BUS)
        self.wire([(x_rh, Y_BUS), (x_rh, Y_BOX + NODE_R)], "signed", v["h_prev"])
        self.x_input(3.2, v)
        self.label(0.3, Y_TOP, "h", pv, v["h_prev"])
        # reset gate applied to h_{t-1}, into the candidate
        rh = v["r"] * v["h_prev"]
        self.wire([(xr + BOX_W / 2, Y_BOX), (x_rh - NODE_R, Y_BOX)], "gate", v["r"])
        self.wire([(x_rh + NODE_R, Y_BOX), (xc - BOX_W / 2, Y_BOX)], "signed", rh)
        # update gate: (1 − u)·h_{t-1} + u·c~
        self.wire([(xu, Y_BOX - BOX_H / 2), (xu, y_j)], "gate", v["u"], arrow=False)
        self.dot(xu, y_j)
        self.wire([(xu, y_j), (xu, Y_MID - 0.3 + NODE_R + 0.05)], "gate", v["u"])
        self.wire([(xu, Y_MID - 0.3 - NODE_R), (xu, Y_TOP + NODE_R)], "gate", one_minus_u)
        self.wire([(xu, y_j), (xc - NODE_R, y_j)], "gate", v["u"])
        uc = v["u"] * v["n"]
        self.wire([(xc, Y_BOX - BOX_H / 2), (xc, y_j + NODE_R)], "signed", v["n"])
        self.wire([(xc, y_j - NODE_R), (xc, Y_TOP + NODE_R)], "signed", uc)
        self.wire([(xu + NODE_R, Y_TOP), (xc - NODE_R, Y_TOP)], "signed",
                  one_minus_u * v["h_prev"])
        self.wire([(xc + NODE_R, Y_TOP), (LW - 0.3, Y_TOP)], "signed", v["h"])
        self.label(LW - 0.3, Y_TOP, "h", "t", v["h"], align="right")
        self.node(xu, Y_TOP, "×")
        self.node(xu, Y_MID - 0.3, "1−")
        self.node(xc, Y_TOP, "+")
        self.node(xc, y_j, "×")
        self.node(x_rh, Y_BOX, "×")
        self.box(xu, Y_BOX, "u", "gate", v["u"], SIGMA)
        self.box(xr, Y_BOX, "r", "gate", v["r"], SIGMA)
        self.box(xc, Y_BOX, TILDE_C, "signed", v["n"], "tanh")
        self.caption(xu, Y_BOX + BOX_H / 2 + 0.55, "update")
        self.caption(xr, Y_BOX + BOX_H / 2 + 0.55, "reset")
        self.caption(xc, Y_BOX + BOX_H / 2 + 0.55, "candidate")
        self.caption(17.6, Y_BOX - 0.2, "u = 1 − z", size=0.58)
        self.caption(17.6, Y_BOX + 0.6, f"(z = {fmt(v['z'])})", size=0.58)

    def _rnn(self, v: dict, act: str) -> None:
        pv = self.pv
        xb = 10.0
        self.wire([(0.3, Y_BUS), (xb, Y_BUS), (xb, Y_BOX + BOX_H / 2)], "signed", v["h_prev"])
        self.x_input(2.6, v)
        self.label(0.3, Y_BUS, "h", pv, v["h_prev"])
        self.wire([(xb, Y_BOX - BOX_H / 2), (xb, Y_TOP), (LW - 0.3, Y_TOP)], "signed", v["h"])
        self.label(LW - 0.3, Y_TOP, "h", "t", v["h"], align="right")
        self.box(xb, Y_BOX, "h", "signed", v["h"], act)
        self.caption(xb, Y_BOX + BOX_H / 2 + 0.55, "hidden state")

    def _legend(self, td: TraceData) -> None:
        """One line under the drawing: what the fill and wire colours mean."""
        p, tm = self.p, self.tm
        y, h = LH_DRAW + 0.25, 0.55
        p.setFont(self._font(0.52))
        fm = QFontMetricsF(p.font())
        base_y = (y + h / 2) * self.u + (fm.ascent() - fm.descent()) / 2
        x = 0.3 * self.u

        def text(s):
            nonlocal x
            p.setPen(tm.color("text"))
            p.drawText(QPointF(x, base_y), s)
            x += fm.horizontalAdvance(s) + 0.15 * self.u

        def bar(kind):
            nonlocal x
            rect = QRectF(x, y * self.u, 2.6 * self.u, h * self.u)
            grad = QLinearGradient(rect.topLeft(), rect.topRight())
            cm = colormap(kind)
            for s_ in np.linspace(0, 1, 9):
                grad.setColorAt(float(s_), cm.map(float(s_), mode="qcolor"))
            p.setBrush(QBrush(grad))
            p.setPen(QPen(tm.color("text"), 1))
            p.drawRect(rect)
            x += rect.width() + 0.15 * self.u

        text("gates σ:  0")
        bar("gate")
        text("1")
        x += 0.6 * self.u
        text("tanh, h:  −1")
        bar("signed")
        text("+1" + (f"   (c: ±{self._d._c_range:g})" if td.cell == "lstm" else ""))
