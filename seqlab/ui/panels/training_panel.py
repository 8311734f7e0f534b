"""The Training panel: optimiser, learning rate, batch mode, epochs, L1/L2, early stopping,
gradient clipping, device and seed.

The learning rate and the clipping can change while a run trains: the panel emits
``lr_live`` / ``clipping_live`` as soon as a valid value is typed, and the window passes
them to the engine. The GPU entry of the device list is filled in once torch has loaded
in the background (the window calls :meth:`set_devices`).

The panel belongs to the shell and serves every family: a family names the train fields
its training never reads (``Family.unused_train_fields``; a GAN's optimisers come from its
model section) and the window hides them here (:meth:`set_unused_fields`), so no field
seems to do something it does not. Hidden fields keep their values.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from seqlab.core.spec import SpecError, TrainSpec, validated
from seqlab.ui.panels.common import SpecPanel, help_text, parse_number

OPTIMIZER_CHOICES = [("Adam", "adam"), ("SGD", "sgd"), ("Momentum", "momentum"), ("RMSprop", "rmsprop")]
BATCH_CHOICES = [("Mini-batch", "mini"), ("Full batch", "all"), ("Stochastic", "one")]
CLIP_CHOICES = [("Off", "off"), ("By norm", "norm"), ("By value", "value")]
#: the panel's rows, in order (two to a row). L1 and L2 share a cell ("penalty"): their two short
#: fields fit one, and the row saved keeps the panel whole under a title bar at 1280x720
ROWS = ("optimizer", "lr", "batch_mode", "batch_size", "epochs", "max_steps", "early_stopping", "seed",
        "clip_mode", "clip", "penalty", "device")
#: the panel's controls for each ``train`` field (several fields may share one control)
CONTROLS = {"optimizer": ("optimizer",), "lr": ("lr",), "batch_size": ("batch_mode", "batch_size"),
            "epochs": ("epochs",), "max_steps": ("max_steps",), "early_stopping": ("early_stopping",),
            "seed": ("seed",), "l1": ("penalty",), "l2": ("penalty",), "clip_norm": ("clip_mode", "clip"),
            "clip_value": ("clip_mode", "clip"), "device": ("device",)}


class TrainingPanel(SpecPanel):
    """Edits the ``train`` section of the experiment."""

    section = "train"
    lr_live = Signal(float)                 # a valid learning rate was typed
    clipping_live = Signal(object, object)  # (norm or None, value or None)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.optimizer = self.combo(OPTIMIZER_CHOICES)
        # SGD + momentum's momentum shares the optimiser's cell (no extra row: the panel must
        # not scroll at 1280x720); it is shown only while that optimiser is chosen
        self.momentum = self.number_edit("momentum", "momentum")
        self.momentum.setMinimumWidth(40)
        self.momentum_label = QLabel("β", self)
        self._optimizer_cell = self._cell((self.optimizer, 3), (self.momentum_label, 0), (self.momentum, 2))
        self.lr = self.number_edit("lr", "lr", on_valid=lambda v: self.lr_live.emit(float(v)))
        self.batch_mode = self.combo(BATCH_CHOICES)
        self.batch_size = self.spin(1, 1_000_000, 16)
        self.epochs = self.spin(1, 100_000)
        # the run's length is visible: epochs, and the step limit that may end it sooner
        self.max_steps = self.spin(0, 100_000_000, 100)
        self.max_steps.setSpecialValueText("none")
        self.seed = self.spin(0, 2**31 - 1)
        self.l1 = self.number_edit("l1", "l1")
        self.l2 = self.number_edit("l2", "l2")
        self.l2_label = QLabel("L2", self)
        self.l2_label.setBuddy(self.l2)
        self._penalty_cell = self._cell((self.l1, 1), (self.l2_label, 0), (self.l2, 1))
        self.patience = self.spin(0, 10_000)
        self.patience.setSpecialValueText("off")
        self.clip_mode = self.combo(CLIP_CHOICES)
        self.clip_amount = self.number_edit("clip", "clip_norm", on_valid=lambda _v: self._emit_clipping())
        self.device = self.combo([("Auto", "auto"), ("CPU", "cpu"), ("GPU: checking…", "cuda")])
        self._gpu_known = False
        self.clip_mode.currentIndexChanged.connect(lambda _i: self._emit_clipping())

        self.labelled("optimizer", "Optimiser", self._optimizer_cell, help_text("train", "optimizer"))
        self._labels["optimizer"].setBuddy(self.optimizer)
        self.optimizer.setToolTip(help_text("train", "optimizer"))
        momentum_tip = help_text("train", "momentum", "How much of the last step each step keeps "
                                 "(0: plain SGD, 0.9: usual)")
        self.momentum_label.setToolTip(momentum_tip)
        self.momentum.setToolTip(momentum_tip)
        self.labelled("lr", "Learn. rate", self.lr, help_text(
            "train", "lr", "Can be changed while training runs"))
        self.labelled("batch_mode", "Batches", self.batch_mode, help_text(
            "train", "batch_size", "Batch: all samples per step; mini-batch: a few; stochastic: one"))
        self.labelled("batch_size", "Batch size", self.batch_size, help_text("train", "batch_size"))
        self.labelled("epochs", "Epochs", self.epochs, help_text("train", "epochs"))
        self.labelled("max_steps", "Max steps", self.max_steps, help_text(
            "train", "max_steps", "The run stops at this step even if epochs remain"))
        self.labelled("seed", "Seed", self.seed, help_text("train", "seed"))
        self.labelled("penalty", "L1", self._penalty_cell, "L1: " + help_text("train", "l1") + "; L2: "
                      + help_text("train", "l2"))
        self._labels["penalty"].setBuddy(self.l1)
        self.l1.setToolTip(help_text("train", "l1"))
        for w in (self.l2_label, self.l2):
            w.setToolTip(help_text("train", "l2"))
        self.labelled("early_stopping", "Early stop", self.patience, help_text(
            "train", "early_stopping", "Off: train all epochs"))
        self.labelled("clip_mode", "Clipping", self.clip_mode, help_text(
            "train", "clip_norm", "Can be changed while training runs"))
        self.labelled("clip", "Clip at", self.clip_amount, "The largest gradient norm (by norm) or the "
                      "largest size of any one gradient (by value); can be changed while training runs")
        self.labelled("device", "Device", self.device, help_text(
            "train", "device", "Auto uses the GPU when PyTorch sees one"))
        self._unused: frozenset[str] = frozenset()
        self.place(list(ROWS))
        self._disable_gpu("GPU: checking…", "Looking for a GPU (PyTorch is loading)")
        self.grid.setColumnStretch(1, 3)   # the left fields hold words (Mini-batch), the right ones numbers
        self.grid.setColumnStretch(3, 2)
        self.finish_layout()
        self.set_values(TrainSpec().__dict__.copy())

    # -- values --------------------------------------------------------------------------

    def _cell(self, *parts: tuple[QWidget, int]) -> QWidget:
        """Controls sharing one field's cell, each with its stretch (the panel must not
        scroll at 1280x720: a second control in a cell saves a row)."""
        cell = QWidget(self)
        lay = QHBoxLayout(cell)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(3)
        for w, stretch in parts:
            lay.addWidget(w, stretch)
        return cell
    def load(self, d: dict[str, Any]) -> None:
        self.set_combo(self.optimizer, d.get("optimizer", "adam"))
        self.lr.setText(f"{float(d.get('lr', 0.01)):g}")
        self.momentum.setText(f"{float(d.get('momentum', 0.9)):g}")
        bs = d.get("batch_size", 64)
        if bs == "all":
            self.set_combo(self.batch_mode, "all")
        elif bs == 1:
            self.set_combo(self.batch_mode, "one")
        else:
            self.set_combo(self.batch_mode, "mini")
            self.batch_size.setValue(int(bs))
        self.epochs.setValue(int(d.get("epochs", 10)))
        self.max_steps.setValue(int(d.get("max_steps") or 0))
        self.seed.setValue(int(d.get("seed", 0)))
        self.l1.setText(f"{float(d.get('l1', 0.0)):g}")
        self.l2.setText(f"{float(d.get('l2', 0.0)):g}")
        self.patience.setValue(int(d.get("early_stopping") or 0))
        if d.get("clip_norm") is not None:
            self.set_combo(self.clip_mode, "norm")
            self.clip_amount.setText(f"{float(d['clip_norm']):g}")
        elif d.get("clip_value") is not None:
            self.set_combo(self.clip_mode, "value")
            self.clip_amount.setText(f"{float(d['clip_value']):g}")
        else:
            self.set_combo(self.clip_mode, "off")
            if not self.clip_amount.text():
                self.clip_amount.setText("1")
        dev = d.get("device", "auto")
        self.set_combo(self.device, dev if dev in ("auto", "cpu", "cuda") else "auto")

    def read(self) -> dict[str, Any]:
        mode = self.batch_mode.currentData()
        bs: Any = {"all": "all", "one": 1}.get(mode, self.batch_size.value())
        clip = self.clip_mode.currentData()
        amount = parse_number(self.clip_amount.text())
        return self._hidden_fallbacks({
            "optimizer": self.optimizer.currentData(), "lr": parse_number(self.lr.text()),
            "batch_size": bs, "epochs": self.epochs.value(), "seed": self.seed.value(),
            "max_steps": self.max_steps.value() or None,
            "l1": parse_number(self.l1.text()) or 0.0, "l2": parse_number(self.l2.text()) or 0.0,
            "early_stopping": self.patience.value() or None,
            "clip_norm": amount if clip == "norm" else None,
            "clip_value": amount if clip == "value" else None,
            "device": self.device.currentData(),
            "momentum": self._momentum_value()})

    # -- what the family uses --------------------------------------------------------------
    def set_unused_fields(self, fields) -> None:
        """Hide the controls of the train fields the chosen family never reads; the others
        close up, two to a row. A control two fields share (clipping by norm or by value)
        hides only when neither is used; momentum goes with its optimiser's cell."""
        unused = frozenset(fields or ())
        if unused == self._unused:
            return
        self._unused = unused
        self.place([k for k in ROWS if k not in self.hidden_controls()])
        self.on_controls_changed()

    def hidden_controls(self) -> set[str]:
        """The panel's rows hidden for the family (``optimizer``, ``lr`` ...)."""
        used = {c for f, controls in CONTROLS.items() if f not in self._unused for c in controls}
        return {c for controls in CONTROLS.values() for c in controls} - used

    def _hidden_fallbacks(self, d: dict[str, Any]) -> dict[str, Any]:
        """A hidden field whose typed value is not valid keeps the value the panel was given:
        it can be neither seen nor fixed, so it must not keep the run from starting."""
        hidden = set(self._unused) | ({"momentum"} if "optimizer" in self._unused else set())
        for name in hidden & d.keys():
            try:
                validated("train", name, d[name])
            except SpecError:
                d[name] = self._base.get(name, getattr(TrainSpec(), name))
        return d

    def _momentum_value(self) -> Any:
        """The typed momentum; while another optimiser is chosen (the field is hidden) a
        value that does not parse falls back to the one the panel was given."""
        v = parse_number(self.momentum.text())
        if self.optimizer.currentData() == "momentum":
            return v
        try:
            return validated("train", "momentum", v)
        except SpecError:
            return self._base.get("momentum", 0.9)

    def on_controls_changed(self) -> None:
        uses_momentum = self.optimizer.currentData() == "momentum" and "optimizer" not in self._unused
        self.momentum.setVisible(uses_momentum)
        self.momentum.setEnabled(uses_momentum)
        self.momentum_label.setVisible(uses_momentum)
        if not uses_momentum:      # a bad momentum typed for SGD + momentum must not block Adam
            self.set_field_error("momentum", "", self.momentum)
        else:
            self.momentum.check()
        # the penalty cell stays while either of its fields is used: the other's field hides
        self.l1.setVisible("l1" not in self._unused)
        self.l2.setVisible("l2" not in self._unused)
        self._labels["penalty"].setText("L1" if "l1" not in self._unused else "L2")
        self.l2_label.setVisible(self._unused.isdisjoint({"l1", "l2"}))    # "L2" between the two fields
        parts = {"l1": self.l1, "l2": self.l2}
        hidden = self.hidden_controls() | (parts.keys() & self._unused)
        for key in hidden:                      # a hidden field's error could not be seen or fixed
            self.set_field_error(key, "", parts.get(key) or self._widgets[key])
        self.batch_size.setEnabled(self.batch_mode.currentData() == "mini")
        self.clip_amount.setEnabled(self.clip_mode.currentData() != "off")
        if self.clip_mode.currentData() == "off":
            self.set_field_error("clip", "", self.clip_amount)

    # -- live changes --------------------------------------------------------------------
    def clipping(self) -> tuple[float | None, float | None] | None:
        """(norm, value) as chosen, or None when the typed amount is not valid."""
        mode = self.clip_mode.currentData()
        if mode == "off":
            return None, None
        v = parse_number(self.clip_amount.text())
        if not isinstance(v, (int, float)) or isinstance(v, bool) or not v > 0:
            return None
        return (float(v), None) if mode == "norm" else (None, float(v))

    def _emit_clipping(self) -> None:
        if self._loading:
            return
        c = self.clipping()
        if c is not None:
            self.clipping_live.emit(*c)

    def set_devices(self, cuda: bool, gpu_name: str | None = None, error: str | None = None) -> None:
        """Torch has loaded: say whether the GPU entry can be used."""
        i = self.device.findData("cuda")
        if cuda:
            self.device.setItemText(i, f"GPU: {gpu_name or 'CUDA'}")
            self.device.model().item(i).setEnabled(True)
            self.device.setItemData(i, f"Train on {gpu_name or 'the GPU'}", 3)  # tooltip role
        else:
            self._disable_gpu("GPU: none found", error or "PyTorch sees no CUDA GPU on this computer")
            if self.device.currentData() == "cuda":
                self.set_combo(self.device, "auto")
        self._gpu_known = True

    def _disable_gpu(self, text: str, why: str) -> None:
        i = self.device.findData("cuda")
        self.device.setItemText(i, text)
        self.device.model().item(i).setEnabled(False)
        self.device.setItemData(i, why, 3)
