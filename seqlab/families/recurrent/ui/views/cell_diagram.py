"""One recurrent cell at the selected unit and time step, drawn live, with the course's
equations and the numbers substituted.

Gate boxes are filled with the colour their value has in the heatmaps (viridis for sigmoid
gates in 0..1, the diverging map for tanh values and states), wires are coloured and
thickened by the value they carry, and every wire and box carries its number.  For the GRU
the course's symbols are shown: the update gate u = 1 - z (PyTorch's z) and the candidate
c~ (PyTorch's n), and a note says so.
"""

from __future__ import annotations

import html
import re

import numpy as np
from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QFontMetricsF, QTextDocument
from PySide6.QtWidgets import QBoxLayout, QFrame, QLabel, QScrollArea, QSizePolicy, QVBoxLayout, QWidget

from seqlab.families.recurrent.ui.views.cell_canvas import LH_DRAW, LH_LEGEND, LW, TILDE_C, CellCanvas
from seqlab.ui.theme import ThemeManager, theme_manager
from seqlab.families.recurrent.ui.views.trace_data import TraceData, fmt

__all__ = ["CellDiagram"]

CANVAS_ASPECT = LW / (LH_DRAW + LH_LEGEND)   # width / height of the drawing


def _sub_html(text: str) -> str:
    """'h_{t−1}' / 'x_t' markup to HTML subscripts (text is escaped first)."""
    s = html.escape(text, quote=False)
    s = re.sub(r"_\{([^}]*)\}", r"<sub>\1</sub>", s)
    s = re.sub(r"_([A-Za-z0-9])", r"<sub>\1</sub>", s)
    # some fonts (DejaVu Sans regular) misplace the combining tilde of c~; bold places it
    return s.replace(TILDE_C, f"<b>{TILDE_C}</b>")


class CellDiagram(QWidget):
    """A live drawing of one LSTM / GRU / RNN cell plus its equations with live numbers.

    Feed it with :meth:`set_trace` (or :meth:`set_data` with a shared
    :class:`~seqlab.families.recurrent.ui.views.trace_data.TraceData`) and choose the place with
    :meth:`set_selection` (row = layer*directions + direction, unit, t; all 0-based).
    """

    titleChanged = Signal(str)   # "LSTM cell · layer 1 · unit 3 · t = 7 / 50"

    def __init__(self, parent: QWidget | None = None, *, theme: ThemeManager | None = None):
        super().__init__(parent)
        self._tm = theme or theme_manager()
        self._data: TraceData | None = None
        self._row = 0
        self._unit = 0
        self._t = 0
        self._c_range = 1.0
        self._vals: dict[str, float] = {}
        self._pre: dict[str, float] = {}
        self._eqs: list[tuple[str, str, str | None, float]] = []  # key, lhs, middle, value
        self._dirty = True

        self._title = QLabel(self)
        self._title.setWordWrap(True)
        self.canvas = CellCanvas(self)
        self._eq = QLabel(self)
        self._eq.setTextFormat(Qt.RichText)
        self._eq.setAlignment(Qt.AlignLeft | Qt.AlignTop)
        self._eq.setTextInteractionFlags(Qt.TextSelectableByMouse)
        # the column decides the label's width, not its text (which adapts to the width)
        self._eq.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Preferred)
        self._eq.setMinimumWidth(120)
        # a small minimum height: the equations' natural height, measured while the layout
        # is still narrow, must not force the window taller than the screen
        self._eq.setMinimumHeight(60)
        self._note = QLabel(self)
        self._note.setWordWrap(True)
        self._note.setTextFormat(Qt.RichText)
        self._note.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Preferred)
        self._note.setMinimumHeight(10)

        self._body = QBoxLayout(QBoxLayout.LeftToRight)
        self._body.setSpacing(12)
        self._body.addWidget(self.canvas, 3)
        # the equations scroll only when they cannot fit (presentation type on a small
        # screen); normally the column is tall enough and no scroll bar shows
        eqhost = QWidget()
        eqcol = QVBoxLayout(eqhost)
        eqcol.setContentsMargins(0, 0, 0, 0)
        eqcol.addWidget(self._eq)
        eqcol.addWidget(self._note)
        eqcol.addStretch(1)
        self._eq_scroll = QScrollArea(self)
        self._eq_scroll.setWidget(eqhost)
        self._eq_scroll.setWidgetResizable(True)
        self._eq_scroll.setFrameShape(QFrame.NoFrame)
        self._eq_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self._eq_scroll.viewport().setAutoFillBackground(False)
        eqhost.setAutoFillBackground(False)
        self._body.addWidget(self._eq_scroll, 2)

        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 4, 6, 4)
        lay.addWidget(self._title)
        lay.addLayout(self._body, 1)
        self._eq_width = 400.0

        self._tm.changed.connect(self.restyle)
        self.restyle()

    # --- public API ---------------------------------------------------------------------
    def set_trace(self, trace: dict[str, np.ndarray], x: np.ndarray, cell: str,
                  num_layers: int, bidirectional: bool, *, weights=None,
                  nonlinearity: str = "tanh") -> None:
        """Use a new trace (keeps the selection where it is still valid)."""
        self.set_data(TraceData.build(trace, x, cell, num_layers, bidirectional, weights,
                                      nonlinearity))

    def set_data(self, data: TraceData, c_range: float | None = None) -> None:
        """Use an already validated trace; ``c_range`` is the colour range of the cell
        state (±c_range), normally shared with the view's c heatmap."""
        self._data = data
        if c_range is not None:
            self._c_range = float(c_range)
        elif data.cell == "lstm":
            self._c_range = data.signed_range("c")
        self._row = min(self._row, data.rows - 1)
        self._unit = min(self._unit, data.H - 1)
        self._t = min(self._t, data.T - 1)
        self._update()

    def set_selection(self, row: int | None = None, unit: int | None = None,
                      t: int | None = None) -> None:
        """Show the cell of trace row ``row`` at ``unit`` and time index ``t``."""
        if row is not None:
            self._row = int(row)
        if unit is not None:
            self._unit = int(unit)
        if t is not None:
            self._t = int(t)
        self._update()

    def set_time(self, t: int) -> None:
        self.set_selection(t=t)

    def set_unit(self, unit: int) -> None:
        self.set_selection(unit=unit)

    def set_row(self, row: int) -> None:
        self.set_selection(row=row)

    def selection(self) -> tuple[int, int, int]:
        """(row, unit, t), 0-based."""
        return self._row, self._unit, self._t

    def values(self) -> dict[str, float]:
        """The numbers drawn, by course symbol: LSTM f i g o c h c_prev h_prev; GRU r u z n
        h h_prev; RNN h h_prev ('g' and 'n' are the candidate c~)."""
        self._refresh_if_dirty(force=True)
        return dict(self._vals)

    def equations(self) -> dict[str, str]:
        """Each equation as plain text, keyed by the symbol it defines, e.g.
        ``{'f': 'f_t = σ(W_f·[h_{t−1}, x_t] + b_f) = 0.83', ...}``."""
        self._refresh_if_dirty(force=True)
        out = {}
        for key, lhs, mid, v in self._eqs:
            out[key] = lhs + (f" = {mid}" if mid else "") + f" = {fmt(v)}"
        return out

    def equation_text(self) -> str:
        """All equations and the note, as plain text (what a screen reader would read)."""
        self._refresh_if_dirty(force=True)
        doc = QTextDocument()
        doc.setHtml(self._note.text())
        return "\n".join(self.equations().values()) + "\n" + doc.toPlainText()

    def title_text(self) -> str:
        return self._title.text()

    def set_title_shown(self, on: bool) -> None:
        """Show the title line above the drawing, or not (an owner that shows it elsewhere)."""
        self._title.setVisible(on)
        self._choose_layout()

    def note_text(self) -> str:
        doc = QTextDocument()
        doc.setHtml(self._note.text())
        return doc.toPlainText()

    def c_range(self) -> float:
        return self._c_range

    # --- computing the numbers ----------------------------------------------------------
    def _update(self) -> None:
        self._dirty = True
        self._refresh_if_dirty()

    def _refresh_if_dirty(self, force: bool = False) -> None:
        # hidden views only recompute when shown (or when asked for their numbers)
        if not self._dirty or (not force and not self.isVisible()):
            return
        self._dirty = False
        td = self._data
        if td is None:
            self._vals, self._eqs = {}, []
            self._title.setText("Cell: no trace yet")
            self.titleChanged.emit(self._title.text())
            self._eq.setText("")
            self._note.setText("")
            self.canvas.update()
            return
        row, u, t = self._row, self._unit, self._t
        p = td.prev_index(row, t)
        v = td.value
        vals: dict[str, float] = {}
        if td.cell == "lstm":
            for k in "figoch":
                vals[k] = v(k, row, t, u)
            vals["c_prev"] = v("c", row, p, u)
            vals["h_prev"] = v("h", row, p, u)
        elif td.cell == "gru":
            for k in "rnh":
                vals[k] = v(k, row, t, u)
            vals["z"] = v("z", row, t, u)
            vals["u"] = 1.0 - vals["z"]
            vals["h_prev"] = v("h", row, p, u)
        else:
            vals["h"] = v("h", row, t, u)
            vals["h_prev"] = v("h", row, p, u)
        xin = td.layer_input(row, t)
        vals["x_size"] = float(xin.shape[0])
        if xin.shape[0] == 1:
            vals["x"] = float(xin[0])
        self._vals = vals
        self._pre = td.preactivations(row, t, u) if td.has_weights() else {}
        self._build_equations()
        self._render_text()
        self.canvas.update()

    def _prev(self) -> str:
        """The previous step's subscript: t−1 forward, t+1 for a backward direction."""
        return "t+1" if self._data is not None and self._data.is_reverse(self._row) else "t−1"

    def _build_equations(self) -> None:
        td, vals, pre = self._data, self._vals, self._pre
        pv = self._prev()
        hp, xp = f"h_{{{pv}}}", "x_t"
        eqs: list[tuple[str, str, str | None, float]] = []

        def gate(key, sym, w, fn="σ", pre_key=None, negate=False, inner=None):
            a = pre.get(pre_key or key)
            mid = None
            if a is not None:
                a = -a if negate else a
                mid = f"{fn}({fmt(a)})"
            arg = inner or f"[{hp}, {xp}]"
            eqs.append((key, f"{sym}_t = {fn}(W_{w}·{arg} + b_{w})", mid, vals[key]))

        if td.cell == "lstm":
            gate("f", "f", "f")
            gate("i", "i", "i")
            gate("g", TILDE_C, "c", fn="tanh")
            f, i, g, cp = vals["f"], vals["i"], vals["g"], vals["c_prev"]
            eqs.append(("c", f"c_t = f_t ⊙ c_{{{pv}}} + i_t ⊙ {TILDE_C}_t",
                        f"{fmt(f)}·{_p(cp)} + {fmt(i)}·{_p(g)}", vals["c"]))
            gate("o", "o", "o")
            eqs.append(("h", "h_t = o_t ⊙ tanh(c_t)",
                        f"{fmt(vals['o'])}·tanh({fmt(vals['c'])})", vals["h"]))
        elif td.cell == "gru":
            gate("r", "r", "r")
            gate("u", "u", "u", pre_key="z", negate=True)
            # the candidate as PyTorch computes it (the numbers shown): the reset gate scales
            # the recurrent term after its weights, W_in x + b_in + r ⊙ (W_hn h + b_hn); the
            # textbook's tanh(W·[r ⊙ h, x] + b) applies it before (see the note)
            nx, nh = pre.get("n_x"), pre.get("n_h")
            mid = f"tanh({fmt(nx)} + {fmt(vals['r'])}·{_p(nh)})" if nx is not None else None
            eqs.append(("n", f"{TILDE_C}_t = tanh(W_{{in}}·{xp} + b_{{in}} + r_t ⊙ (W_{{hn}}·{hp} + b_{{hn}}))",
                        mid, vals["n"]))
            uu, n, hprev = vals["u"], vals["n"], vals["h_prev"]
            eqs.append(("h", f"h_t = u_t ⊙ {TILDE_C}_t + (1 − u_t) ⊙ {hp}",
                        f"{fmt(uu)}·{_p(n)} + {fmt(1 - uu)}·{_p(hprev)}", vals["h"]))
        else:
            act = "relu" if td.nonlinearity == "relu" else "tanh"
            a = pre.get("h")
            eqs.append(("h", f"h_t = {act}(W_{{hh}}·{hp} + W_{{xh}}·{xp} + b)",
                        f"{act}({fmt(a)})" if a is not None else None, vals["h"]))
        self._eqs = eqs

    def _render_text(self) -> None:
        td = self._data
        tm = self._tm
        row, u, t = self._row, self._unit, self._t
        self._title.setText(f"{td.cell.upper()} cell · {td.row_name(row)} · unit {u + 1}"
                            f" · t = {t + 1} / {td.T}")
        self.titleChanged.emit(self._title.text())
        acc = tm.theme.accent
        fm = QFontMetricsF(self._eq.font())
        avail = max(50.0, self._eq_width - 16)
        indent = round(28 * tm.scale)
        gap = round(4 * tm.scale)
        blocks = []
        for key, lhs, mid, v in self._eqs:
            res = f"<b style='color:{acc}'>{html.escape(fmt(v))}</b>"
            mid_h = f"= {_sub_html(mid)} " if mid else ""
            one = lhs + (f" = {mid}" if mid else "") + f" = {fmt(v)}"
            plain = re.sub(r"_\{([^}]*)\}", r"\1", one).replace("_", "")
            if fm.horizontalAdvance(plain) <= avail:
                blocks.append(f"<p style='margin-top:{gap}px'>{_sub_html(lhs)} {mid_h}= {res}</p>")
            else:  # too wide: the numbers go on an indented second line
                blocks.append(f"<p style='margin-top:{gap}px'>{_sub_html(lhs)}</p>"
                              f"<p style='margin-left:{indent}px'>{mid_h}= {res}</p>")
        self._eq.setText("".join(blocks))
        notes = []
        pv = self._prev()
        if td.cell == "gru":
            z = self._vals["z"]
            notes.append(
                f"Course symbols: u = 1 − z and {TILDE_C} = n, where PyTorch writes "
                f"h<sub>t</sub> = (1 − z<sub>t</sub>) ⊙ n<sub>t</sub> + z<sub>t</sub> ⊙ "
                f"h<sub>{pv}</sub>. Here z = {fmt(z)}, so u = {fmt(1 - z)}.")
            notes.append(
                f"The candidate is shown as PyTorch computes it: r<sub>t</sub> scales the recurrent "
                f"term after its weights, r<sub>t</sub> ⊙ (W<sub>hn</sub> h<sub>{pv}</sub> + b<sub>hn</sub>). "
                f"The textbook writes tanh(W·[r<sub>t</sub> ⊙ h<sub>{pv}</sub>, x<sub>t</sub>] + b), "
                f"resetting h before the weights: a slightly different network.")
        if td.is_reverse(row):
            notes.append(f"Backward direction: it reads the sequence from t = {td.T} down "
                         f"to 1, so its previous state is h<sub>t+1</sub>.")
        if self._vals.get("x") is None:
            n = int(self._vals.get("x_size", 0))
            what = "x" if td.layer_of(row) == 0 else "the layer below's h"
            notes.append(f"x<sub>t</sub> is a vector of {n} values ({what}).")
        notes.append("Boxes are filled with the colour of their value; wires get thicker "
                     "as |value| grows.")
        if not self._pre:
            notes.append("W and b: the trained weights (pass them to show the weighted sum).")
        notes.append("Initial state h<sub>0</sub> = 0" +
                     (", c<sub>0</sub> = 0." if td.cell == "lstm" else "."))
        self._note.setText("<br>".join(notes).replace(TILDE_C, f"<b>{TILDE_C}</b>"))
        self._fit_eq_height()

    def _choose_layout(self) -> None:
        """Drawing beside the equations when wide, above them when tall; an equation too
        wide for its column puts its numbers on a second line."""
        w, h = self.width(), self.height()
        stacked = w < 1.6 * h
        direction = QBoxLayout.TopToBottom if stacked else QBoxLayout.LeftToRight
        if self._body.direction() != direction:
            self._body.setDirection(direction)
        self._stacked = stacked
        if stacked:
            eq_w = w - 12
        else:
            # the drawing keeps its aspect: in a wide, short place (the compact Gates view on a
            # projector) it needs less than three fifths, and the equations get the rest
            title_h = self._title.sizeHint().height() if self._title.isVisibleTo(self) else 0
            body_h = max(1, h - title_h - 16)
            canvas_w = min((w - 24) * 3 / 5, max((w - 24) / 3, CANVAS_ASPECT * body_h))
            eq_w = w - 24 - canvas_w
            self._body.setStretchFactor(self.canvas, max(1, round(canvas_w)))
            self._body.setStretchFactor(self._eq_scroll, max(1, round(eq_w)))
        eq_w -= 14  # room for a scroll bar
        if abs(eq_w - self._eq_width) > 1:
            self._eq_width = eq_w
            if self._data is not None and self._eqs:
                self._render_text()
        self._fit_eq_height()

    def _fit_eq_height(self) -> None:
        """Stacked: the equations get the height they need (the drawing keeps at least
        about 40%), so they scroll only when the screen is really too small."""
        sc = self._eq_scroll
        if not getattr(self, "_stacked", False):
            sc.setMinimumHeight(0)
            sc.setMaximumHeight(16777215)
            return
        host = sc.widget()
        w = max(50, int(self._eq_width))
        need = host.heightForWidth(w) if host.hasHeightForWidth() else host.sizeHint().height()
        body_h = self.height() - (self._title.sizeHint().height() if self._title.isVisibleTo(self) else 0) - 16
        h = int(min(need + 6, body_h - max(110, 0.4 * body_h)))
        sc.setFixedHeight(max(60, h))
        self._body.setStretchFactor(self.canvas, 1)
        self._body.setStretchFactor(sc, 0)

    def resizeEvent(self, ev) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(ev)
        self._choose_layout()

    def showEvent(self, ev) -> None:  # noqa: N802 (Qt override)
        super().showEvent(ev)
        self._refresh_if_dirty()

    def sizeHint(self) -> QSize:
        s = self._tm.scale
        return QSize(round(760 * s), round(300 * s))

    def minimumSizeHint(self) -> QSize:
        return QSize(240, 160)

    # --- style --------------------------------------------------------------------------
    def restyle(self) -> None:
        tm = self._tm
        self._title.setFont(tm.font("title", bold=True))
        self._eq.setFont(tm.font("equation"))
        self._note.setFont(tm.font("small"))
        self._title.setStyleSheet(f"color: {tm.theme.text};")
        self._eq.setStyleSheet(f"color: {tm.theme.text};")
        self._note.setStyleSheet(f"color: {tm.theme.muted};")
        if self._data is not None:
            self._render_text()
            self._choose_layout()
        self.canvas.update()


def _p(v: float) -> str:
    """A number in a product: negative numbers in parentheses."""
    s = fmt(v)
    return f"({s})" if s.startswith("−") else s
