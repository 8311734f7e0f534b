"""The network unrolled through time: inputs x_t, hidden states h_t and outputs y_t at a few
steps (1, 2, 3, …, T) for the chosen RNN type, cell, depth and direction.

Sized for the left column (about 280 x 160 px), it scales with its panel and with the
theme's presentation mode.  A bidirectional layer draws each step as a split box: the
forward state (→, lower half, arrows left to right) and the backward state (←, upper half,
arrows right to left).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QFont, QFontMetricsF, QPainter, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget

from seqlab.ui.theme import ThemeManager, theme_manager

__all__ = ["UnrolledNetwork", "TASKS", "Item"]

TASKS = ("one-to-one", "one-to-many", "many-to-one", "many-to-many")
_CELL_NAMES = {"rnn": "RNN", "lstm": "LSTM", "gru": "GRU"}

# logical layout, in units of about 1.7 x the font's pixel size
COL_W = 2.55        # distance between time steps
BOX_W, BOX_H, BOX_H_BI = 1.85, 1.15, 1.6
ROW_GAP = 0.75      # between stacked layers
IO_H = 0.85         # height of the x and y rows
LEFT = 1.35         # room for the layer labels on the left
TITLE_H = 1.05


@dataclass(frozen=True)
class Item:
    """One thing drawn: kind 'x', 'y', 'cell' or 'dots'; column; layer (cells); label."""

    kind: str
    col: int
    label: str
    layer: int = 0


class UnrolledNetwork(QWidget):
    """A small drawing of the recurrent network unrolled through time."""

    def __init__(self, parent: QWidget | None = None, *, theme: ThemeManager | None = None,
                 task: str = "many-to-many", cell: str = "lstm", num_layers: int = 1,
                 bidirectional: bool = False):
        super().__init__(parent)
        self._tm = theme or theme_manager()
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Preferred)
        self._items: list[Item] = []
        self.set_config(task, cell, num_layers, bidirectional)
        self._tm.changed.connect(self.restyle)

    # --- public API ---------------------------------------------------------------------
    def set_config(self, task: str, cell: str, num_layers: int, bidirectional: bool) -> None:
        """Redraw for an RNN type (one of TASKS), a cell ('rnn', 'lstm', 'gru'), a depth
        and a direction."""
        task = str(task).lower()
        if task not in TASKS:
            raise ValueError(f"task must be one of {', '.join(TASKS)}; got {task!r}")
        cell = str(cell).lower()
        if cell not in _CELL_NAMES:
            raise ValueError(f"cell must be one of rnn, lstm, gru; got {cell!r}")
        self._task, self._cell = task, cell
        self._layers = max(1, int(num_layers))
        self._bi = bool(bidirectional) and task != "one-to-one"
        self._bi_requested = bool(bidirectional)
        self._items = self._build()
        self.setToolTip(self.description())
        self.updateGeometry()
        self.update()

    def config(self) -> tuple[str, str, int, bool]:
        return self._task, self._cell, self._layers, self._bi_requested

    def items(self) -> list[Item]:
        """Everything drawn, for tests and for screen readers."""
        return list(self._items)

    def outputs(self) -> list[str]:
        """Labels of the outputs drawn, e.g. ['y_T'] for many-to-one."""
        return [i.label for i in self._items if i.kind == "y"]

    def inputs(self) -> list[str]:
        """Labels of the inputs drawn, e.g. ['x_1', 'x_2', 'x_3', 'x_T']."""
        return [i.label for i in self._items if i.kind == "x"]

    def title(self) -> str:
        return " · ".join(self._title_lines())

    def _title_lines(self) -> list[str]:
        """The caption, in at most two short lines: 'LSTM · many-to-one' and the shape."""
        extra = []
        if self._layers > 1:
            extra.append(f"{self._layers} layers")
        if self._bi:
            extra.append("bidirectional")
        lines = [f"{_CELL_NAMES[self._cell]} · {self._task}"]
        if extra:
            lines.append(" · ".join(extra))
        return lines

    def description(self) -> str:
        """One sentence saying what the drawing shows."""
        ins = {"one-to-one": "one input", "one-to-many": "one input at the first step",
               "many-to-one": "an input at every step",
               "many-to-many": "an input at every step"}[self._task]
        outs = {"one-to-one": "one output", "one-to-many": "an output at every step",
                "many-to-one": "one output after the last step",
                "many-to-many": "an output at every step"}[self._task]
        s = f"{self.title()}: {ins}, {outs}."
        if self._bi:
            s += " → reads forward in time, ← reads backward; each output sees both."
        elif self._bi_requested:
            s += " (one step only, so there is no backward direction to draw.)"
        return s

    # --- layout model -------------------------------------------------------------------
    def _columns(self) -> list[str]:
        return ["1"] if self._task == "one-to-one" else ["1", "2", "3", "…", "T"]

    def _shown_layers(self) -> list[int | None]:
        """Layers drawn bottom-up; None is a '⋮' gap when there are too many to draw."""
        L = self._layers
        return list(range(L)) if L <= 3 else [0, None, L - 1]

    def _build(self) -> list[Item]:
        cols = self._columns()
        last = len(cols) - 1
        items: list[Item] = []
        for c, name in enumerate(cols):
            if name == "…":
                items.append(Item("dots", c, "…"))
                continue
            has_x = self._task in ("many-to-one", "many-to-many") or c == 0
            has_y = self._task in ("one-to-many", "many-to-many") or c == last
            if has_x:
                items.append(Item("x", c, f"x_{name}"))
            for layer in self._shown_layers():
                if layer is not None:
                    items.append(Item("cell", c, f"h_{name}", layer))
            if has_y:
                items.append(Item("y", c, f"y_{name}"))
        return items

    # --- geometry -----------------------------------------------------------------------
    def _box_h(self) -> float:
        return BOX_H_BI if self._bi else BOX_H

    def _logical_size(self) -> tuple[float, float]:
        n_cols = len(self._columns())
        layers = self._shown_layers()
        w = LEFT + n_cols * COL_W + 0.2
        # wide enough for the caption too (drawn at 0.6 units, bold)
        ref = QFont(self.font())
        ref.setPixelSize(100)
        ref.setBold(True)
        fm = QFontMetricsF(ref)
        title_w = max(fm.horizontalAdvance(line) for line in self._title_lines()) / 100 * 0.6
        w = max(w, title_w + 0.6)
        title_h = TITLE_H * (1 + 0.8 * (len(self._title_lines()) - 1))
        h = title_h + IO_H + ROW_GAP + len(layers) * (self._box_h() + ROW_GAP) + IO_H
        return w, h

    def _font_px(self) -> float:
        return self._tm.font_pt("small") * 96.0 / 72.0

    def sizeHint(self) -> QSize:
        w, h = self._logical_size()
        u = 1.7 * self._font_px()
        return QSize(round(w * u), round(h * u))

    def minimumSizeHint(self) -> QSize:
        # small: the drawing scales itself down to a narrow panel rather than being cut off
        w, h = self._logical_size()
        return QSize(round(w * 8), round(h * 8))

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        w, h = self._logical_size()
        return round(width * h / w)

    # --- painting -----------------------------------------------------------------------
    def paintEvent(self, ev) -> None:  # noqa: N802 (Qt override)
        tm = self._tm
        p = QPainter(self)
        p.setRenderHint(QPainter.Antialiasing)
        p.setRenderHint(QPainter.TextAntialiasing)
        p.fillRect(self.rect(), tm.color("base"))
        lw, lh = self._logical_size()
        u = min(self.width() / lw, self.height() / lh, 2.6 * self._font_px())
        self._u = u
        p.translate((self.width() - lw * u) / 2, (self.height() - lh * u) / 2)
        self._p = p
        text = tm.color("text")

        # title, one or two lines
        lines = self._title_lines()
        title_h = TITLE_H * (1 + 0.8 * (len(lines) - 1))
        p.setPen(text)
        p.setFont(self._font(0.6, bold=True))
        line_h = title_h / len(lines)
        for k, line in enumerate(lines):
            if k == 1:
                p.setFont(self._font(0.52))
            p.drawText(QRectF(0, k * line_h * u, lw * u, line_h * u),
                       Qt.AlignHCenter | Qt.AlignVCenter, line)

        cols = self._columns()
        layers = self._shown_layers()
        bh = self._box_h()
        y_out = title_h + IO_H / 2
        # rows bottom-up: x, layer 0, layer 1, ...
        y_x = lh - IO_H / 2
        row_y = []
        y = lh - IO_H - ROW_GAP - bh / 2
        for _ in layers:
            row_y.append(y)
            y -= bh + ROW_GAP

        x_off = (lw - (LEFT + len(cols) * COL_W + 0.2)) / 2  # centre under a wide caption

        def cx(c: int) -> float:
            return x_off + LEFT + c * COL_W + COL_W / 2

        line_w = max(1.5, 0.075 * u) * min(1.6, tm.scale)
        self._pen = QPen(text, line_w)
        muted = QPen(tm.color("muted"), line_w, Qt.DotLine)
        accent = tm.color("accent")

        # layer labels at the left
        p.setFont(self._font(0.5))
        p.setPen(tm.color("muted"))
        for ly, yy in zip(layers, row_y):
            txt = "⋮" if ly is None else (f"L{ly + 1}" if self._layers > 1 else "")
            p.drawText(QRectF(x_off * u, (yy - bh / 2) * u, (LEFT - 0.2) * u, bh * u),
                       Qt.AlignRight | Qt.AlignVCenter, txt)

        has = {(i.kind, i.col) for i in self._items}
        for c, name in enumerate(cols):
            x = cx(c)
            if name == "…":
                p.setFont(self._font(0.9, bold=True))
                p.setPen(text)
                for yy in row_y:
                    p.drawText(QRectF((x - 0.6) * u, (yy - 0.5) * u, 1.2 * u, 1.0 * u),
                               Qt.AlignCenter, "…")
                continue
            # vertical flow: x -> bottom layer -> ... -> top layer -> y
            if ("x", c) in has:
                self._arrow(x, y_x - 0.35, x, row_y[0] + bh / 2)
                self._io_label(x, y_x, "x", name)
            for k in range(len(layers) - 1):
                if layers[k + 1] is None or layers[k] is None:
                    p.setPen(muted)
                    p.drawLine(QPointF(x * u, (row_y[k] - bh / 2) * u),
                               QPointF(x * u, (row_y[k + 1] + bh / 2) * u))
                else:
                    self._arrow(x, row_y[k] - bh / 2, x, row_y[k + 1] + bh / 2)
            if ("y", c) in has:
                self._arrow(x, row_y[-1] - bh / 2, x, y_out + 0.35)
                self._io_label(x, y_out, "y", name, color=accent)
            for ly, yy in zip(layers, row_y):
                if ly is not None:
                    self._cell_box(x, yy, name, ly)

        # recurrent arrows along time
        if len(cols) > 1:
            for ly, yy in zip(layers, row_y):
                if ly is None:
                    continue
                fy = yy + (bh / 4 if self._bi else 0.0)
                by = yy - bh / 4
                for c in range(len(cols) - 1):
                    x0, x1 = cx(c) + BOX_W / 2, cx(c + 1) - BOX_W / 2
                    dots = "…" in (cols[c], cols[c + 1])
                    if dots:
                        x0 += 0.05
                        x1 -= 0.05
                        if cols[c] == "…":
                            x0 = cx(c) + 0.5
                        if cols[c + 1] == "…":
                            x1 = cx(c + 1) - 0.5
                    self._arrow(x0, fy, x1, fy)
                    if self._bi:
                        self._arrow(x1, by, x0, by)
        p.end()

    def _font(self, size_units: float, bold: bool = False) -> QFont:
        f = QFont(self.font())
        f.setPixelSize(max(8, round(size_units * self._u)))
        f.setBold(bold)
        return f

    def _arrow(self, x0: float, y0: float, x1: float, y1: float) -> None:
        p, u = self._p, self._u
        a, b = QPointF(x0 * u, y0 * u), QPointF(x1 * u, y1 * u)
        p.setPen(self._pen)
        p.drawLine(a, b)
        dx, dy = b.x() - a.x(), b.y() - a.y()
        n = max(1e-6, (dx * dx + dy * dy) ** 0.5)
        ux, uy = dx / n, dy / n
        L, W = 0.32 * u, 0.18 * u
        back = QPointF(b.x() - ux * L, b.y() - uy * L)
        p.setBrush(self._pen.color())
        p.setPen(Qt.NoPen)
        p.drawPolygon(QPolygonF([b, QPointF(back.x() - uy * W, back.y() + ux * W),
                                 QPointF(back.x() + uy * W, back.y() - ux * W)]))

    def _sub_text(self, cx: float, cy: float, base: str, sub: str, size: float,
                  bold: bool = False, color=None) -> None:
        p, u = self._p, self._u
        fb, fs = self._font(size, bold), self._font(size * 0.72, bold)
        wb = QFontMetricsF(fb).horizontalAdvance(base)
        ws = QFontMetricsF(fs).horizontalAdvance(sub)
        x = cx * u - (wb + ws) / 2
        fm = QFontMetricsF(fb)
        base_y = cy * u + (fm.ascent() - fm.descent()) / 2
        p.setPen(color if color is not None else self._tm.color("text"))
        p.setFont(fb)
        p.drawText(QPointF(x, base_y), base)
        p.setFont(fs)
        p.drawText(QPointF(x + wb, base_y + 0.22 * size * u), sub)

    def _io_label(self, x: float, y: float, base: str, sub: str, color=None) -> None:
        self._sub_text(x, y, base, sub, 0.62, bold=True, color=color)

    def _cell_box(self, x: float, y: float, name: str, layer: int) -> None:
        p, u, tm = self._p, self._u, self._tm
        bh = self._box_h()
        r = QRectF((x - BOX_W / 2) * u, (y - bh / 2) * u, BOX_W * u, bh * u)
        p.setPen(QPen(tm.color("text"), max(1.5, 0.07 * u) * min(1.6, tm.scale)))
        p.setBrush(tm.color("window"))
        p.drawRoundedRect(r, 0.18 * u, 0.18 * u)
        if self._bi:
            p.drawLine(QPointF(r.left(), r.center().y()), QPointF(r.right(), r.center().y()))
            self._sub_text(x, y + bh / 4, "→h", name, 0.52)
            self._sub_text(x, y - bh / 4, "←h", name, 0.52)
        else:
            self._sub_text(x, y, "h", name, 0.6)

    def restyle(self) -> None:
        self.updateGeometry()
        self.update()
