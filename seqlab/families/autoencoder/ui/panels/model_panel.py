"""The autoencoder's Model panel: kind, the encoder layer by layer, the bottleneck, the
decoder (mirrored or its own layers), output activation, batch norm, undercomplete or
denoising with the noise and its level, the recurrent cell; the parameter count and a
picture of the network that redraws with the layer sizes as they are edited."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QSlider, QWidget

from seqlab.families.autoencoder.params import parameter_count
from seqlab.families.autoencoder.spec import ModelSpec
from seqlab.families.autoencoder.ui.panels.layer_list import LayerListEditor
from seqlab.families.autoencoder.ui.views.network_picture import NetworkPicture
from seqlab.ui.panels.common import SpecPanel, help_text
from seqlab.ui.theme import ThemeManager, theme_manager

NAME = "autoencoder"
KIND_CHOICES = [("MLP (dense)", "mlp"), ("Convolutional", "conv"), ("Sequence (RNN)", "sequence")]
OUTPUT_CHOICES = [("auto", "auto"), ("sigmoid", "sigmoid"), ("linear", "linear"), ("tanh", "tanh")]
MODE_CHOICES = [("Undercomplete", "undercomplete"), ("Denoising", "denoising")]
NOISE_CHOICES = [("Gaussian", "gaussian"), ("Salt & pepper", "salt_pepper"), ("Mask", "mask")]
SIZE_NAMES = {"mlp": ("units", True), "conv": ("channels", True), "sequence": ("hidden", False)}


class AutoencoderModelPanel(SpecPanel):
    section = "model"
    family = NAME

    def __init__(self, parent: QWidget | None = None, *, theme: ThemeManager | None = None):
        super().__init__(parent)
        self._tm = theme or theme_manager()
        self._input_shape: tuple[int, ...] = (8, 8)
        self.kind = self.combo(KIND_CHOICES)
        self.latent = self.spin(1, 1024)
        self.output = self.combo(OUTPUT_CHOICES)
        self.batch_norm = QCheckBox(self)
        self.batch_norm.toggled.connect(self._user_changed)
        self.mode = self.combo(MODE_CHOICES)
        self.noise = self.combo(NOISE_CHOICES)
        self.cell = self.combo([("LSTM", "lstm"), ("GRU", "gru")])
        self.level = QSlider(Qt.Horizontal, self)
        self.level.setRange(0, 100)
        self.level.valueChanged.connect(self._on_level)
        self.level_label = QLabel(self)
        self.mirror = QCheckBox(self)
        self.mirror.toggled.connect(self._user_changed)
        f = NAME
        # The check boxes carry their own text, so the label columns stay narrow and the combo
        # boxes on the left get the width their words need ("Undercomplete", "MLP (dense)")
        self.batch_norm.setText("Batch norm")
        self.mirror.setText("Mirror")
        self.grid.setColumnStretch(1, 3)
        self.grid.setColumnStretch(3, 2)
        self.labelled("kind", "Kind", self.kind, help_text("model", "kind", family=f))
        self.labelled("latent", "Latent", self.latent, help_text("model", "latent", family=f))
        self.labelled("output_activation", "Output", self.output, help_text("model", "output_activation", family=f))
        self.labelled("batch_norm", "", self.batch_norm, help_text("model", "batch_norm", family=f))
        self.labelled("mode", "Mode", self.mode, help_text("model", "mode", family=f))
        self.labelled("noise", "Noise", self.noise, help_text("model", "noise", family=f))
        self.labelled("noise_level", "Level", self.level, help_text("model", "noise_level", family=f))
        self.labelled("cell", "Cell", self.cell, help_text("model", "cell", family=f))
        self.labelled("mirror", "", self.mirror, "The decoder mirrors the encoder (its layers in reverse "
                      "order); untick to build the decoder layer by layer")
        self.encoder = LayerListEditor("<b>Encoder</b> (input → bottleneck)", self)
        self.decoder = LayerListEditor("<b>Decoder</b> (bottleneck → output)", self)
        self.encoder.setToolTip(help_text("model", "encoder", family=f))
        self.decoder.setToolTip(help_text("model", "decoder", family=f))
        for ed in (self.encoder, self.decoder):
            ed.changed.connect(self._user_changed)
        self._outer.addWidget(self.encoder)
        self._outer.addWidget(self.decoder)
        self.count_label = QLabel(self)
        self.count_label.setTextFormat(Qt.RichText)
        row = QHBoxLayout()
        row.addWidget(self.count_label, 1)
        row.addWidget(self.level_label)
        self._outer.addLayout(row)
        self.picture = NetworkPicture(self, theme=self._tm)
        self._outer.addWidget(self.picture, 20)      # nearly all the spare height (the end stretch has 1)
        self.finish_layout()
        self.set_values(ModelSpec().__dict__.copy())
        self._tm.changed.connect(self.on_controls_changed)

    # -- values ----------------------------------------------------------------------------
    def load(self, d: dict[str, Any]) -> None:
        self.set_combo(self.kind, d.get("kind", "mlp"))
        self.latent.setValue(int(d.get("latent", 8)))
        self.set_combo(self.output, d.get("output_activation", "auto"))
        self.batch_norm.setChecked(bool(d.get("batch_norm", False)))
        self.set_combo(self.mode, d.get("mode", "undercomplete"))
        self.set_combo(self.noise, d.get("noise", "gaussian"))
        self.level.setValue(int(round(100 * float(d.get("noise_level", 0.3)))))
        self.set_combo(self.cell, d.get("cell", "lstm"))
        enc = d.get("encoder") or [{"size": 64, "activation": "relu"}]
        self.encoder.set_layers(enc)
        dec = d.get("decoder")
        self.mirror.setChecked(dec is None)
        self.decoder.set_layers(dec if dec is not None else list(reversed(enc)))

    def read(self) -> dict[str, Any]:
        return {"kind": self.kind.currentData(), "encoder": self.encoder.layers(), "latent": self.latent.value(),
                "decoder": None if self.mirror.isChecked() else self.decoder.layers(),
                "output_activation": self.output.currentData(), "batch_norm": self.batch_norm.isChecked(),
                "mode": self.mode.currentData(), "noise": self.noise.currentData(),
                "noise_level": round(self.level.value() / 100, 2), "cell": self.cell.currentData()}

    def _on_level(self, v: int) -> None:
        self.level_label.setText(f"noise {v / 100:.2f}" if self.mode.currentData() == "denoising" else "")
        self._user_changed()

    def on_controls_changed(self) -> None:
        kind = self.kind.currentData()
        denoising = self.mode.currentData() == "denoising"
        keys = ["kind", "latent", "mode", "output_activation"]
        keys += ["noise", "noise_level"] if denoising else []
        keys += ["cell", "mirror"] if kind == "sequence" else ["batch_norm", "mirror"]
        # presentation type is 1.6 times larger while the column is only a quarter of the
        # screen: one control a row there ("Undercomplete" was cut in half a row); the
        # column has the screen's height to itself (the panels are tabs)
        self.place([k + "*" for k in keys] if self._tm.presentation else keys)
        name, acts = SIZE_NAMES[kind]
        for ed in (self.encoder, self.decoder):
            if ed._size_name != name:
                ed.set_size_name(name, acts)
        if self.mirror.isChecked():
            self.decoder.set_layers(list(reversed(self.encoder.layers())))
        self.decoder.setVisible(not self.mirror.isChecked())
        self.level_label.setText(f"noise {self.level.value() / 100:.2f}" if denoising else "")
        self._redraw()

    # -- what the data says ----------------------------------------------------------------
    def set_input_shape(self, shape: tuple[int, ...]) -> None:
        """The data's shape per sample (the picture's input and output, the parameter count)."""
        self._input_shape = tuple(int(s) for s in shape) or (1,)
        self._redraw()

    def parameter_count(self) -> int | None:
        try:
            m = ModelSpec(**{k: v for k, v in self.values().items() if k in ModelSpec.__dataclass_fields__})
            return parameter_count(m, self._input_shape)
        except (KeyError, TypeError, ValueError, IndexError):
            return None

    def _redraw(self) -> None:
        n_in = 1
        for s in self._input_shape:
            n_in *= s
        enc = [x["size"] for x in self.encoder.layers()]
        dec = enc[::-1] if self.mirror.isChecked() else [x["size"] for x in self.decoder.layers()]
        count = self.parameter_count()
        self.count_label.setText(f"<b>{count:,}</b> parameters" if count is not None else "")
        kind = self.kind.currentData()
        what = {"mlp": "units", "conv": "channels", "sequence": "hidden units"}[kind]
        self.picture.set_network(n_in, enc, self.latent.value(), dec,
                                 caption=f"sizes: {what}; input {' × '.join(map(str, self._input_shape))}")


__all__ = ["AutoencoderModelPanel"]
