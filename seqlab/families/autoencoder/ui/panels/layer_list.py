"""A list of layers edited one row at a time: size, activation, move up / down, remove; add.

The Model panel uses one for the encoder and one for the decoder (shown when the decoder
does not mirror the encoder). ``layers()`` / ``set_layers()`` speak the spec's own form,
``[{"size": 64, "activation": "relu"}, ...]``; ``changed`` fires on every edit.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (QComboBox, QGridLayout, QHBoxLayout, QLabel, QSpinBox, QToolButton, QVBoxLayout,
                               QWidget)

from seqlab.families.autoencoder.spec import ACTIVATIONS, MAX_LAYERS
from seqlab.ui.panels.common import discard_widgets
from seqlab.ui.panels.form_fit import keep_text_width

ACTIVATION_TITLES = {"relu": "ReLU", "tanh": "tanh", "sigmoid": "sigmoid", "leaky_relu": "leaky ReLU",
                     "elu": "ELU", "linear": "linear"}


class LayerListEditor(QWidget):
    """Rows of (size, activation, ↑, ↓, ×) and an "add layer" button."""

    changed = Signal()

    def __init__(self, title: str, parent: QWidget | None = None, *, size_name: str = "units"):
        super().__init__(parent)
        self._layers: list[dict] = []
        self._size_name = size_name
        self._activations_used = True
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(2)
        # the add button on the title's row: a row of its own made the Model panel scroll at 1280x720
        head = QHBoxLayout()
        head.setContentsMargins(0, 0, 0, 0)
        self.title = QLabel(title, self)
        head.addWidget(self.title, 1)
        outer.addLayout(head)
        self.grid = QGridLayout()
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(3)
        self.grid.setVerticalSpacing(2)
        self.grid.setColumnStretch(1, 2)
        self.grid.setColumnStretch(2, 3)
        outer.addLayout(self.grid)
        self.add_button = QToolButton(self)
        self.add_button.setText("+ layer")
        self.add_button.setToolTip("Add a layer at the end (nearest the bottleneck)")
        self.add_button.clicked.connect(self.add_layer)
        head.addWidget(self.add_button)
        self._rows: list[tuple] = []

    # -- the spec's form ------------------------------------------------------------------
    def layers(self) -> list[dict]:
        return [dict(x) for x in self._layers]

    def set_layers(self, layers: list[dict]) -> None:
        self._layers = [{"size": int(x["size"]), "activation": x.get("activation", "relu")} for x in layers]
        self._rebuild()

    def set_size_name(self, name: str, activations_used: bool = True) -> None:
        """What a size means here ('units', 'channels', 'hidden units'); whether activations apply."""
        self._size_name = name
        self._activations_used = activations_used
        self._rebuild()

    # -- edits ----------------------------------------------------------------------------
    def add_layer(self) -> None:
        if len(self._layers) >= MAX_LAYERS:
            return
        size = max(2, self._layers[-1]["size"] // 2) if self._layers else 32
        act = self._layers[-1]["activation"] if self._layers else "relu"
        self._layers.append({"size": size, "activation": act})
        self._rebuild()
        self.changed.emit()

    def remove_layer(self, i: int) -> None:
        if len(self._layers) > 1:
            del self._layers[i]
            self._rebuild()
            self.changed.emit()

    def move_layer(self, i: int, delta: int) -> None:
        j = i + delta
        if 0 <= j < len(self._layers):
            self._layers[i], self._layers[j] = self._layers[j], self._layers[i]
            self._rebuild()
            self.changed.emit()

    def _set_size(self, i: int, v: int) -> None:
        self._layers[i]["size"] = int(v)
        self.changed.emit()

    def _set_activation(self, i: int, combo: QComboBox) -> None:
        self._layers[i]["activation"] = combo.currentData()
        self.changed.emit()

    # -- rows -----------------------------------------------------------------------------
    def _rebuild(self) -> None:
        for widgets in self._rows:
            discard_widgets(self.grid, widgets)
        self._rows = []
        n = len(self._layers)
        for i, layer in enumerate(self._layers):
            num = QLabel(f"{i + 1}", self)
            size = QSpinBox(self)
            size.setRange(1, 4096)
            size.setKeyboardTracking(False)
            size.setAccelerated(True)
            size.setValue(layer["size"])
            size.setSuffix(f" {self._size_name}" if self._size_name else "")
            size.setToolTip(f"Layer {i + 1}: {self._size_name}")
            size.valueChanged.connect(lambda v, i=i: self._set_size(i, v))
            # never narrower than its text ("512 channels", in presentation type too): a spin
            # box's own hint is smaller
            keep_text_width(size)
            act = QComboBox(self)
            for key in ACTIVATIONS:
                act.addItem(ACTIVATION_TITLES[key], key)
            act.setCurrentIndex(ACTIVATIONS.index(layer["activation"]))
            act.setEnabled(self._activations_used)
            act.setToolTip("The layer's activation" if self._activations_used
                           else "A recurrent layer has its own gates and tanh; no activation is chosen")
            act.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
            act.setMinimumContentsLength(4)
            act.currentIndexChanged.connect(lambda _i, i=i, c=act: self._set_activation(i, c))
            buttons = []
            for text, tip, fn, ok in (("↑", "Move this layer towards the input", lambda _=False, i=i: self.move_layer(i, -1), i > 0),
                                      ("↓", "Move this layer towards the bottleneck", lambda _=False, i=i: self.move_layer(i, 1), i < n - 1),
                                      ("×", "Remove this layer", lambda _=False, i=i: self.remove_layer(i), n > 1)):
                b = QToolButton(self)
                b.setText(text)
                b.setToolTip(tip)
                b.setEnabled(ok)
                b.setAutoRaise(True)
                b.clicked.connect(fn)
                buttons.append(b)
            row = (num, size, act, *buttons)
            for col, w in enumerate(row):
                self.grid.addWidget(w, i, col)
            self._rows.append(row)
        self.add_button.setEnabled(n < MAX_LAYERS)

    def row_widgets(self, i: int) -> tuple:
        """(number, size spin box, activation combo, up, down, remove) of row i (tests use it)."""
        return self._rows[i]


__all__ = ["LayerListEditor", "ACTIVATION_TITLES"]
