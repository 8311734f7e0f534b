"""A network built layer by layer: one row per hidden layer (size, activation, move up,
move down, remove) and an Add button; and a picture of G and D that redraws with the sizes.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import (
    QComboBox, QGridLayout, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QSpinBox, QToolButton, QVBoxLayout,
    QWidget,
)

from seqlab.families.gan.spec import ACTIVATIONS, MAX_LAYERS
from seqlab.ui.panels.common import discard_widgets
from seqlab.ui.panels.form_fit import keep_text_width
from seqlab.ui.theme import ThemeManager, theme_manager

#: captions for a narrow column of the picture
SHORT = {"LeakyReLU": "LReLU", "sigmoid": "σ", "linear": "lin"}
#: below this height (pixels, times the theme's scale) the picture of G and D is not drawn
PICTURE_MIN = 60
ACT_TEXT = {"relu": "ReLU", "leaky_relu": "LeakyReLU", "tanh": "tanh", "sigmoid": "sigmoid", "elu": "ELU",
            "linear": "linear"}


class LayerEditor(QWidget):
    """Edits a list of layers ``[{"size", "activation"}, ...]``; ``changed`` on every edit."""

    changed = Signal()

    def __init__(self, title: str, unit: str = "units", parent: QWidget | None = None):
        super().__init__(parent)
        self._unit = unit
        self._rows: list[tuple[QSpinBox, QComboBox, list[QToolButton]]] = []
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(1)
        head = QHBoxLayout()
        self.title = QLabel(f"<b>{title}</b>", self)
        head.addWidget(self.title, 1)
        self.add_button = QPushButton("+ layer", self)
        self.add_button.setToolTip("Add a hidden layer after the last one")
        self.add_button.clicked.connect(lambda: self.add_layer())
        head.addWidget(self.add_button)
        lay.addLayout(head)
        self.grid = QGridLayout()
        # size and activation share the row's width evenly (left to their hints, the sizes were
        # squeezed until "128 units" was cut in presentation type)
        self.grid.setColumnStretch(0, 1)
        self.grid.setColumnStretch(1, 1)
        self.grid.setHorizontalSpacing(3)
        self.grid.setVerticalSpacing(1)
        lay.addLayout(self.grid)

    def set_head_visible(self, on: bool) -> None:
        """Show or hide the title row (its title and Add button): a panel that shows the
        editor in a tab names it there and adds layers from the tab bar's corner."""
        self.title.setVisible(on)
        self.add_button.setVisible(on)

    @property
    def unit(self) -> str:
        return self._unit

    @unit.setter
    def unit(self, unit: str) -> None:
        """What a size counts ('units', or 'channels' for a DCGAN): the rows already there say
        it too (they kept "units" when the kind became DCGAN)."""
        self._unit = unit
        for spin, _a, _b in self._rows:
            spin.setSuffix(f" {unit}")

    # -- values ---------------------------------------------------------------------------
    def layers(self) -> list[dict[str, Any]]:
        return [{"size": s.value(), "activation": a.currentData()} for s, a, _b in self._rows]

    def set_layers(self, layers: list[dict[str, Any]]) -> None:
        self.blockSignals(True)
        try:
            while self._rows:
                self._drop_row()
            for L in layers or []:
                if isinstance(L, dict):
                    self.add_layer(int(L.get("size", 64)) if str(L.get("size", "")).isdigit() else 64,
                                   L.get("activation", "relu"))
        finally:
            self.blockSignals(False)
        self.changed.emit()

    # -- editing ----------------------------------------------------------------------------
    def add_layer(self, size: int | None = None, activation: str | None = None) -> None:
        if len(self._rows) >= MAX_LAYERS:
            return
        last = self.layers()[-1] if self._rows else {"size": 64, "activation": "relu"}
        spin = QSpinBox(self)
        spin.setRange(1, 2048)
        spin.setValue(size if size is not None else last["size"])
        spin.setSuffix(f" {self.unit}")
        spin.setKeyboardTracking(False)
        spin.setAccelerated(True)
        spin.valueChanged.connect(lambda _v: self.changed.emit())
        combo = QComboBox(self)
        for a in ACTIVATIONS:
            combo.addItem(ACT_TEXT[a], a)
        combo.setCurrentIndex(max(0, combo.findData(activation or last["activation"])))
        combo.currentIndexChanged.connect(lambda _i: self.changed.emit())
        # never narrower than their text: the grid shared the row by the spin box's own hint,
        # which is smaller than "128 units" needs, and cut it by a pixel or two in presentation
        # type. Held again when the text or the type changes (a wider number, "channels").
        for w in (spin, combo):
            keep_text_width(w)
        buttons = []
        for text, tip, fn in (("▲", "Move this layer up", self._move_up), ("▼", "Move this layer down",
                                                                             self._move_down),
                              ("✕", "Remove this layer", self._remove)):
            b = QToolButton(self)
            b.setText(text)
            b.setToolTip(tip)
            b.clicked.connect(lambda _c=False, f=fn, s=spin: f(s))
            buttons.append(b)
        self._rows.append((spin, combo, buttons))
        self._relayout()
        self.changed.emit()

    def _index(self, spin: QSpinBox) -> int:
        return next(i for i, r in enumerate(self._rows) if r[0] is spin)

    def _swap(self, i: int, j: int) -> None:
        if 0 <= i < len(self._rows) and 0 <= j < len(self._rows):
            L = self.layers()
            L[i], L[j] = L[j], L[i]
            for k, (s, a, _b) in enumerate(self._rows):
                for w in (s, a):
                    w.blockSignals(True)
                s.setValue(L[k]["size"])
                a.setCurrentIndex(a.findData(L[k]["activation"]))
                for w in (s, a):
                    w.blockSignals(False)
            self.changed.emit()

    def _move_up(self, spin: QSpinBox) -> None:
        i = self._index(spin)
        self._swap(i, i - 1)

    def _move_down(self, spin: QSpinBox) -> None:
        i = self._index(spin)
        self._swap(i, i + 1)

    def _remove(self, spin: QSpinBox) -> None:
        if len(self._rows) <= 1:
            return                   # a network keeps at least one hidden layer
        self._discard(self._rows.pop(self._index(spin)))
        self._relayout()
        self.changed.emit()

    def _drop_row(self) -> None:
        self._discard(self._rows.pop())

    def _discard(self, row: tuple) -> None:
        discard_widgets(self.grid, (row[0], row[1], *row[2]))

    def _relayout(self) -> None:
        for i, (s, a, buttons) in enumerate(self._rows):
            self.grid.addWidget(s, i, 0)
            self.grid.addWidget(a, i, 1)
            for k, b in enumerate(buttons):
                self.grid.addWidget(b, i, 2 + k)
            buttons[0].setEnabled(i > 0)
            buttons[1].setEnabled(i < len(self._rows) - 1)
            buttons[2].setEnabled(len(self._rows) > 1)
        self.add_button.setEnabled(len(self._rows) < MAX_LAYERS)


class NetworkPicture(QWidget):
    """G and D as columns of layers, each a bar as tall as its (log) size with the size
    written in it: noise z → G's layers → sample → D's layers → D(x)."""

    def __init__(self, parent: QWidget | None = None, *, theme: ThemeManager | None = None):
        super().__init__(parent)
        self.tm = theme or theme_manager()
        # it takes the room the panel's controls leave and asks for none: at 1280x720 a fixed
        # height made the Model panel scroll; too short to read, it is not drawn (PICTURE_MIN)
        self.setMinimumHeight(0)
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Preferred)
        self.cols: list[tuple[str, str, str]] = []     # (text, caption, which: io/g/d)

    def sizeHint(self):  # noqa: N802 (Qt's name)
        # what it would like when there is room (the panel shares its column's spare height)
        from PySide6.QtCore import QSize

        return QSize(200, int(110 * self.tm.scale))

    def set_networks(self, noise_dim: int, g: list[dict], out: str, d: list[dict], conditional: bool,
                     conv: bool) -> None:
        unit = "ch" if conv else ""
        cond = " + y" if conditional else ""
        self.cols = ([(f"{noise_dim}", f"z{cond}", "io")]
                     + [(f"{L['size']}{unit}", ACT_TEXT.get(L["activation"], ""), "g") for L in g]
                     + [(out, "G(z)", "io")]
                     + [(f"{L['size']}{unit}", ACT_TEXT.get(L["activation"], ""), "d") for L in d]
                     + [("1", "D(x)", "io")])
        self.update()

    def paintEvent(self, _ev) -> None:  # noqa: N802 (Qt's name)
        import math

        if not self.cols or self.height() < PICTURE_MIN * self.tm.scale:
            return
        p = QPainter(self)
        p.setRenderHint(QPainter.Antialiasing)
        tm = self.tm
        w, h = self.width(), self.height()
        n = len(self.cols)
        step = w / n
        top, bottom = 16 * tm.scale, h - 18 * tm.scale
        colors = {"g": tm.series_color(1), "d": tm.series_color(0), "io": tm.color("muted")}
        p.setFont(tm.font("small"))
        sizes = []
        for text, _c, _k in self.cols:
            digits = "".join(ch for ch in text if ch.isdigit())
            sizes.append(math.log2(max(int(digits or 1), 1)) + 1)
        biggest = max(sizes)
        centres = []
        for i, ((text, caption, kind), sz) in enumerate(zip(self.cols, sizes)):
            cx = step * (i + 0.5)
            bh = max(14.0, (bottom - top) * sz / biggest)
            bw = min(step * 0.6, 34 * tm.scale)
            rect = QRectF(cx - bw / 2, (top + bottom) / 2 - bh / 2, bw, bh)
            fill = QColor(colors[kind])
            fill.setAlpha(80)
            p.setPen(QPen(colors[kind], 1.5))
            p.setBrush(fill)
            p.drawRoundedRect(rect, 3, 3)
            p.setPen(tm.color("text"))
            p.drawText(QRectF(cx - step / 2, rect.center().y() - 10, step, 20), Qt.AlignCenter, text)
            p.setPen(tm.color("muted"))
            # a narrow column shortens its caption ("LeakyReLU" ran into its neighbours)
            short = caption if p.fontMetrics().horizontalAdvance(caption) <= step - 2 else SHORT.get(caption, caption)
            short = p.fontMetrics().elidedText(short, Qt.ElideRight, int(step - 2))
            p.drawText(QRectF(cx - step / 2, bottom, step, 18 * tm.scale), Qt.AlignCenter, short)
            centres.append((cx, rect))
        p.setPen(QPen(tm.color("grid"), 1))
        for (x0, r0), (x1, r1) in zip(centres, centres[1:]):
            p.drawLine(int(r0.right()), int(r0.center().y()), int(r1.left()), int(r1.center().y()))
        # which side is which
        g_idx = [i for i, c in enumerate(self.cols) if c[2] == "g"]
        d_idx = [i for i, c in enumerate(self.cols) if c[2] == "d"]
        p.setFont(tm.font("small", bold=True))
        for idx, name, kind in ((g_idx, "generator G", "g"), (d_idx, "discriminator D", "d")):
            if idx:
                x0, x1 = step * idx[0], step * (idx[-1] + 1)
                p.setPen(colors[kind])
                p.drawText(QRectF(x0 - step, 0, x1 - x0 + 2 * step, top), Qt.AlignCenter, name)
        p.end()


__all__ = ["LayerEditor", "NetworkPicture"]
