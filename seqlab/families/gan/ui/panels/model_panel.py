"""The GAN's Model panel: G and D built layer by layer (add, remove, reorder; size and
activation each), the picture of both networks redrawn as they are edited, and the GAN's
controls: loss, optimiser, the two learning rates, beta1, D steps per G step, noise size and
which network trains. The train mode, learning rates, D steps and loss apply live to a
running model (``live`` signal -> ``WorkerBridge.set_control``).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QTabWidget, QToolButton, QWidget

from seqlab.families.gan.spec import ModelSpec
from seqlab.families.gan.ui.panels.layer_editor import LayerEditor, NetworkPicture
from seqlab.ui.panels.common import SpecPanel, help_text
from seqlab.ui.theme import ThemeManager, theme_manager
from seqlab.ui.widgets.elided_label import ElidedLabel

FAMILY = "gan"
LIVE = ("train_mode", "lr_g", "lr_d", "d_steps", "loss")
MODE_CHOICES = [("both", "both"), ("D only", "d_only"), ("G only", "g_only")]


def _tip(name: str, extra: str = "") -> str:
    return help_text("model", name, extra, family=FAMILY)


class GanModelPanel(SpecPanel):
    section = "model"
    family = FAMILY
    live = Signal(str, object)         # a live setting changed by the person: name, value

    def __init__(self, parent: QWidget | None = None, *, theme: ThemeManager | None = None):
        super().__init__(parent)
        self._tm = theme or theme_manager()
        self._out = "2"
        self.kind = self.combo([("MLP", "mlp"), ("DCGAN (conv)", "dcgan")])
        self.conditional = QCheckBox(self)
        self.conditional.toggled.connect(self._user_changed)
        self.noise_dim = self.spin(1, 512)
        self.batch_norm = QCheckBox(self)
        self.batch_norm.toggled.connect(self._user_changed)
        self.loss = self.combo([("non-saturating", "non-saturating"), ("minimax", "minimax")])
        self.optimizer = self.combo([("Adam", "adam"), ("SGD", "sgd"), ("Momentum", "momentum"),
                                     ("RMSprop", "rmsprop")])
        self.lr_g = self.dspin(0.00001, 1.0, 0.0005, 5)
        self.lr_d = self.dspin(0.00001, 1.0, 0.0005, 5)
        self.beta1 = self.dspin(0.0, 0.999, 0.05, 3)
        self.d_steps = self.spin(1, 20)
        self.train_mode = self.combo(MODE_CHOICES)
        # The two check boxes share a row and carry their own text, so the label columns stay
        # narrow and the combo boxes get the width their words need ("non-saturating" has a
        # row of its own); in half a column "Conditional" was cut on a real screen
        self.conditional.setText("Conditional")
        self.batch_norm.setText("Batch norm")
        self.conditional.setToolTip(_tip("conditional"))
        self.batch_norm.setToolTip(_tip("batch_norm"))
        flags = QWidget(self)
        row = QHBoxLayout(flags)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.conditional)
        row.addWidget(self.batch_norm)
        row.addStretch(1)
        self.labelled("kind", "Kind", self.kind, _tip("kind"))
        self.labelled("noise_dim", "Noise z", self.noise_dim, _tip("noise_dim"))
        self.labelled("flags", "", flags, "")
        self.labelled("loss", "G loss", self.loss, _tip("loss", "Applies at once while training"))
        self.labelled("optimizer", "Optimiser", self.optimizer, _tip("optimizer"))
        self.labelled("lr_g", "lr G", self.lr_g, _tip("lr_g", "Applies at once while training"))
        self.labelled("lr_d", "lr D", self.lr_d, _tip("lr_d", "Applies at once while training"))
        self.labelled("beta1", "Adam β₁", self.beta1, _tip("beta1"))
        self.labelled("d_steps", "D steps/G", self.d_steps, _tip("d_steps", "Applies at once while training"))
        self.labelled("train_mode", "Train", self.train_mode, _tip(
            "train_mode", "Applies at once while training: freeze one network and watch the other"))
        self.place(["kind", "noise_dim", "flags*", "loss*", "optimizer", "beta1", "lr_g", "lr_d", "d_steps",
                    "train_mode"])
        for key, w in (("train_mode", self.train_mode), ("loss", self.loss)):
            w.activated.connect(lambda _i, k=key, c=w: self.live.emit(k, c.currentData()))
        for key, w in (("lr_g", self.lr_g), ("lr_d", self.lr_d), ("d_steps", self.d_steps)):
            w.valueChanged.connect(lambda v, k=key: None if self._loading else self.live.emit(k, v))

        # G's and D's layers on two tabs, "+ layer" in the tab bar's corner: stacked with a
        # title row each they made the panel scroll at 1280x720 (the count line and, where
        # there is room, the picture below show both networks at once)
        self.g_editor = LayerEditor("Generator G", parent=self)
        self.d_editor = LayerEditor("Discriminator D", parent=self)
        self.networks = QTabWidget(self)
        self.networks.setDocumentMode(True)
        for e, name in ((self.g_editor, "Generator G"), (self.d_editor, "Discriminator D")):
            e.changed.connect(self._user_changed)
            e.set_head_visible(False)
            self.networks.addTab(e, name)
        self.add_layer_button = QToolButton(self)
        self.add_layer_button.setText("+ layer")
        self.add_layer_button.setToolTip("Add a hidden layer after the last one of the network shown")
        self.add_layer_button.clicked.connect(lambda: self.networks.currentWidget().add_layer())
        self.networks.setCornerWidget(self.add_layer_button, Qt.TopRightCorner)
        # both names whole, never scroll arrows: the tab widget then asks for their width and
        # the corner's, and the panel's column is made that wide (the layer rows, held to their
        # text, are narrower than the two names)
        self.networks.tabBar().setUsesScrollButtons(False)
        self.networks.tabBar().setElideMode(Qt.ElideNone)
        self._tm.changed.connect(self._name_add_button)
        self._name_add_button()
        self._outer.addWidget(self.networks)
        # one line, cut to the column (the whole text in its tooltip): unwrapped it widened the
        # panel past its column in the conditional lesson; wrapped, the panel's height came to
        # depend on its width and the column scrolled on a 1280x720 screen
        self.count_label = ElidedLabel(parent=self)
        self._outer.addWidget(self.count_label)
        self.picture = NetworkPicture(self, theme=self._tm)
        self._outer.addWidget(self.picture, 20)      # nearly all the spare height (the end stretch has 1)
        self.finish_layout()
        self.set_values(ModelSpec().__dict__.copy())

    def _name_add_button(self) -> None:
        # in presentation type both tab names and "+ layer" do not fit a quarter of the screen
        # (the second tab was cut short): the corner keeps its "+", the tooltip says the rest
        self.add_layer_button.setText("+" if self._tm.presentation else "+ layer")

    # -- values ---------------------------------------------------------------------------
    def load(self, d: dict[str, Any]) -> None:
        self.set_combo(self.kind, d.get("kind", "mlp"))
        self.conditional.setChecked(bool(d.get("conditional", False)))
        self.noise_dim.setValue(int(d.get("noise_dim", 8)))
        self.batch_norm.setChecked(bool(d.get("batch_norm", False)))
        self.set_combo(self.loss, d.get("loss", "non-saturating"))
        self.set_combo(self.optimizer, d.get("optimizer", "adam"))
        self.lr_g.setValue(float(d.get("lr_g", 0.002)))
        self.lr_d.setValue(float(d.get("lr_d", 0.002)))
        self.beta1.setValue(float(d.get("beta1", 0.5)))
        self.d_steps.setValue(int(d.get("d_steps", 1)))
        self.set_combo(self.train_mode, d.get("train_mode", "both"))
        self.g_editor.set_layers(d.get("generator") or [])
        self.d_editor.set_layers(d.get("discriminator") or [])

    def read(self) -> dict[str, Any]:
        return {"kind": self.kind.currentData(), "conditional": self.conditional.isChecked(),
                "noise_dim": self.noise_dim.value(), "batch_norm": self.batch_norm.isChecked(),
                "loss": self.loss.currentData(), "optimizer": self.optimizer.currentData(),
                "lr_g": round(self.lr_g.value(), 6), "lr_d": round(self.lr_d.value(), 6),
                "beta1": round(self.beta1.value(), 4), "d_steps": self.d_steps.value(),
                "train_mode": self.train_mode.currentData(), "generator": self.g_editor.layers(),
                "discriminator": self.d_editor.layers()}

    def set_output(self, out: str) -> None:
        """What G makes (``2`` for points, ``8x8`` for images): for the picture and count."""
        self._out = out
        self.on_controls_changed()

    def on_controls_changed(self) -> None:
        conv = self.kind.currentData() == "dcgan"
        unit = "channels" if conv else "units"
        for e in (self.g_editor, self.d_editor):
            e.unit = unit
        self.batch_norm.setEnabled(not conv)
        self.beta1.setEnabled(self.optimizer.currentData() == "adam")
        g, d = self.g_editor.layers(), self.d_editor.layers()
        self.picture.set_networks(self.noise_dim.value(), g, self._out, d, self.conditional.isChecked(), conv)
        if conv:
            self.count_label.setText("DCGAN: each G layer doubles the image, each D layer halves it")
        else:
            n_out = 1
            for part in self._out.split("x"):
                n_out *= int(part) if part.isdigit() else 1
            count = lambda sizes: sum((a + 1) * b for a, b in zip(sizes, sizes[1:]))  # noqa: E731
            z = self.noise_dim.value()
            pg_ = count([z] + [L["size"] for L in g] + [n_out])
            pd_ = count([n_out] + [L["size"] for L in d] + [1])
            self.count_label.setText(f"G {pg_:,} · D {pd_:,} parameters"
                                     + (" (+ the label inputs)" if self.conditional.isChecked() else ""))


__all__ = ["GanModelPanel", "LIVE"]
