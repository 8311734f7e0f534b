"""The Model panel: cell, size, depth, direction, dropout, initialisation, LSTM forget-gate
bias, RNN nonlinearity and the RNN type, with the parameter count and a drawing of the
network unrolled through time that redraws as the choices change.

The parameter count is worked out here from the sizes (no torch needed); the window tells
the panel the data's input and output sizes.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QSizePolicy, QWidget

from seqlab.families.recurrent.cells import parameter_count
from seqlab.families.recurrent.spec import ModelSpec
from seqlab.ui.panels.common import SpecPanel, help_text
from seqlab.ui.theme import ThemeManager, theme_manager

CELL_CHOICES = [("LSTM", "lstm"), ("GRU", "gru"), ("RNN", "rnn")]   # "RNN": the vanilla (Elman) cell
TASK_CHOICES = [("many-to-many", "many-to-many"), ("many-to-one", "many-to-one"),
                ("one-to-many", "one-to-many"), ("one-to-one", "one-to-one")]
INIT_CHOICES = [("Default", "default"), ("Xavier", "xavier"), ("He", "he"), ("Orthogonal", "orthogonal")]
FORGET_CHOICES = [("Default", None), ("Value", "value"), ("Chrono", "chrono")]

class ModelPanel(SpecPanel):
    """Edits the ``model`` section of the experiment."""

    section = "model"
    family = "recurrent"
    #: True: the RNN type has a row (a family whose models are all of one type hides it)
    task_row = True

    def __init__(self, parent: QWidget | None = None, *, theme: ThemeManager | None = None):
        super().__init__(parent)
        self._tm = theme or theme_manager()
        self._io = (1, 1)
        self._allowed_tasks: tuple[str, ...] = tuple(t for _, t in TASK_CHOICES)

        self.cell = self.combo(CELL_CHOICES)
        self.task = self.combo(TASK_CHOICES)
        self.hidden = self.spin(1, 4096, 8)
        self.layers = self.spin(1, 4)
        self.bidirectional = QCheckBox(self)
        self.bidirectional.toggled.connect(self._user_changed)
        self.dropout = self.dspin(0.0, 0.9, 0.1)
        self.init = self.combo(INIT_CHOICES)
        self.forget_mode = self.combo(FORGET_CHOICES)
        self.forget_value = self.dspin(-20.0, 20.0, 0.5, 1)
        self.nonlinearity = self.combo([("tanh", "tanh"), ("ReLU", "relu")])
        self.labelled("cell", "Cell", self.cell, help_text("model", "cell"))
        self.labelled("task", "RNN type", self.task, help_text(
            "model", "task", "Types the data set cannot provide are greyed out"))
        self.labelled("hidden_size", "Hidden", self.hidden, help_text("model", "hidden_size"))
        self.labelled("num_layers", "Layers", self.layers, help_text("model", "num_layers"))
        self.labelled("bidirectional", "Bidirect.", self.bidirectional, help_text("model", "bidirectional"))
        self.labelled("dropout", "Dropout", self.dropout, help_text(
            "model", "dropout", "Needs 2 or more layers"))
        self.labelled("init", "Init", self.init, help_text(
            "model", "init", "Default: PyTorch's uniform ±1/√H; Xavier (Glorot) and He (Kaiming) scale by layer "
            "size; orthogonal keeps the recurrent weights' gain at 1"))
        self.labelled("forget_mode", "Forget bias", self.forget_mode, help_text(
            "model", "forget_bias", "A high bias (1-4) or chrono makes the LSTM remember from the start"))
        self.labelled("forget_value", "b_f", self.forget_value, "The forget-gate bias b_f: "
                      "σ(b_f) is how much of the cell state an untrained LSTM keeps each step")
        self.labelled("nonlinearity", "Activation", self.nonlinearity, help_text("model", "nonlinearity"))

        self.count_label = QLabel(self)
        self.count_label.setToolTip("Weights and biases of the recurrent layers and the read-out")
        row = QHBoxLayout()
        row.addWidget(self.count_label, 1)
        self._outer.addLayout(row)
        self.drawing = self._make_drawing()
        if self.drawing is not None:
            self.drawing.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Preferred)
            self._outer.addWidget(self.drawing, 4)
        self.finish_layout()
        self.set_values(ModelSpec().__dict__.copy())

    def _make_drawing(self):
        try:
            from seqlab.families.recurrent.ui.views.unrolled_net import UnrolledNetwork
        except ImportError:
            return None

        class FittedDrawing(UnrolledNetwork):
            """The drawing scales itself into whatever height the column has left; as a
            height-for-width widget it would make the panel scroll instead."""

            def hasHeightForWidth(self) -> bool:
                return False

        d = FittedDrawing(self, theme=self._tm)
        # short as the speech lesson needs it at 1280x720 under a title bar (its Data panel is
        # tall): the drawing scales into what it gets, and there is a little to spare at 48
        d.setMinimumHeight(48)
        return d

    # -- values --------------------------------------------------------------------------
    def load(self, d: dict[str, Any]) -> None:
        self.set_combo(self.cell, d.get("cell", "lstm"))
        self.set_combo(self.task, d.get("task", "many-to-many"))
        self.hidden.setValue(int(d.get("hidden_size", 32)))
        self.layers.setValue(int(d.get("num_layers", 1)))
        self.bidirectional.setChecked(bool(d.get("bidirectional", False)))
        self.dropout.setValue(float(d.get("dropout", 0.0)))
        self.set_combo(self.init, d.get("init", "default"))
        self.set_combo(self.nonlinearity, d.get("nonlinearity", "tanh"))
        fb = d.get("forget_bias")
        if fb is None:
            self.set_combo(self.forget_mode, None)
        elif fb == "chrono":
            self.set_combo(self.forget_mode, "chrono")
        else:
            self.set_combo(self.forget_mode, "value")
            self.forget_value.setValue(float(fb))

    def read(self) -> dict[str, Any]:
        cell = self.cell.currentData()
        mode = self.forget_mode.currentData()
        # kept whatever the cell (other cells ignore it), so switching cells loses nothing
        fb = "chrono" if mode == "chrono" else (round(self.forget_value.value(), 3) if mode == "value" else None)
        return {"cell": cell, "task": self.task.currentData(), "hidden_size": self.hidden.value(),
                "num_layers": self.layers.value(), "bidirectional": self.bidirectional.isChecked(),
                "dropout": round(self.dropout.value(), 3) if self.layers.value() > 1 else 0.0,
                "init": self.init.currentData(), "forget_bias": fb,
                "nonlinearity": self.nonlinearity.currentData()}

    def on_controls_changed(self) -> None:
        cell = self.cell.currentData()
        keys = (["task*"] if self.task_row else []) + ["cell", "hidden_size", "num_layers", "dropout",
                                                       "bidirectional", "init"]
        if cell == "lstm":
            keys += ["forget_mode"] + (["forget_value"] if self.forget_mode.currentData() == "value" else [None])
        elif cell == "rnn":
            keys += ["nonlinearity", None]
        else:
            keys += [None]
        self.place(keys)
        self.dropout.setEnabled(self.layers.value() > 1)
        self._update_count()
        if self.drawing is not None:
            self.drawing.set_config(self.task.currentData(), cell, self.layers.value(),
                                    self.bidirectional.isChecked())

    # -- what the data allows ------------------------------------------------------------
    def set_allowed_tasks(self, tasks: tuple[str, ...]) -> None:
        """Grey out RNN types the data set cannot provide; move off a disallowed one."""
        self._allowed_tasks = tuple(tasks) or tuple(t for _, t in TASK_CHOICES)
        model = self.task.model()
        for i in range(self.task.count()):
            item = model.item(i)
            ok = self.task.itemData(i) in self._allowed_tasks
            item.setEnabled(ok)
            item.setToolTip("" if ok else "This data set cannot provide this RNN type")
        if self.task.currentData() not in self._allowed_tasks:
            self.set_combo(self.task, self._allowed_tasks[0])

    def set_io(self, input_size: int, output_size: int) -> None:
        """The data's sizes, for the parameter count."""
        self._io = (max(1, int(input_size)), max(1, int(output_size)))
        self._update_count()

    def parameter_count(self) -> int:
        return parameter_count(self.cell.currentData(), self.hidden.value(), self.layers.value(),
                               self.bidirectional.isChecked(), *self._io)

    def _update_count(self) -> None:
        self.count_label.setTextFormat(Qt.RichText)
        self.count_label.setText(f"<b>{self.parameter_count():,}</b> parameters")
        self.count_label.setToolTip(
            f"Weights and biases of the recurrent layers and the read-out, for "
            f"{self._io[0]} input{'s' if self._io[0] != 1 else ''} per step and "
            f"{self._io[1]} output{'s' if self._io[1] != 1 else ''}")
