"""The three autoencoders: dense (MLP), convolutional (images) and sequence (LSTM/GRU).

Each has ``encode(x) -> z`` (``[n, latent]``), ``decode(z) -> x_hat`` (shaped like the
input) and ``forward(x) = decode(encode(x))``. The bottleneck is linear (the code is what
the views scatter), and the output activation fits the data: sigmoid for images in [0, 1],
linear for standardised series and features (``model.output_activation``).
"""

from __future__ import annotations

import math

import torch
from torch import nn

from .spec import decoder_layers

_ACT = {"relu": nn.ReLU, "tanh": nn.Tanh, "sigmoid": nn.Sigmoid, "leaky_relu": lambda: nn.LeakyReLU(0.1),
        "elu": nn.ELU, "linear": nn.Identity}


def activation(name: str) -> nn.Module:
    return _ACT[name]()


def output_activation(m, value_range) -> nn.Module:
    name = m.output_activation
    if name == "auto":
        name = "sigmoid" if value_range == (0.0, 1.0) else "linear"
    return activation(name)


class MLPAutoencoder(nn.Module):
    """Dense layers in, a linear bottleneck, dense layers out (the decoder mirrors or is given)."""

    def __init__(self, m, input_shape: tuple[int, ...], value_range=None):
        super().__init__()
        self.input_shape = tuple(input_shape)
        n_in = math.prod(input_shape)
        self.encoder = self._stack(n_in, m.encoder, m.batch_norm)
        width = m.encoder[-1]["size"]
        self.to_latent = nn.Linear(width, m.latent)
        dec = decoder_layers(m)
        self.decoder = self._stack(m.latent, dec, m.batch_norm)
        self.to_output = nn.Linear(dec[-1]["size"], n_in)
        self.out_act = output_activation(m, value_range)

    @staticmethod
    def _stack(n_in: int, layers: list[dict], batch_norm: bool) -> nn.Sequential:
        mods: list[nn.Module] = []
        for layer in layers:
            mods.append(nn.Linear(n_in, layer["size"]))
            if batch_norm:
                mods.append(nn.BatchNorm1d(layer["size"]))
            mods.append(activation(layer["activation"]))
            n_in = layer["size"]
        return nn.Sequential(*mods)

    def encode(self, x: torch.Tensor) -> torch.Tensor:
        return self.to_latent(self.encoder(x.reshape(len(x), -1)))

    def decode(self, z: torch.Tensor) -> torch.Tensor:
        return self.out_act(self.to_output(self.decoder(z))).reshape(len(z), *self.input_shape)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.decode(self.encode(x))


class ConvAutoencoder(nn.Module):
    """Stride-2 3x3 convolutions halve the image per layer (sizes are channels); a linear
    bottleneck; transposed convolutions double it back to exactly the input size."""

    def __init__(self, m, input_shape: tuple[int, int], value_range=None):
        super().__init__()
        self.input_shape = tuple(input_shape)
        sides = [input_shape[0]]
        mods: list[nn.Module] = []
        c_in = 1
        for layer in m.encoder:
            mods.append(nn.Conv2d(c_in, layer["size"], 3, stride=2, padding=1))
            if m.batch_norm:
                mods.append(nn.BatchNorm2d(layer["size"]))
            mods.append(activation(layer["activation"]))
            c_in = layer["size"]
            sides.append((sides[-1] - 1) // 2 + 1)
        self.encoder = nn.Sequential(*mods)
        self.code_shape = (c_in, sides[-1], sides[-1])
        flat = math.prod(self.code_shape)
        self.to_latent = nn.Linear(flat, m.latent)
        dec = decoder_layers(m)
        self.from_latent = nn.Linear(m.latent, dec[0]["size"] * sides[-1] ** 2)
        self.dec_shape = (dec[0]["size"], sides[-1], sides[-1])
        mods = []
        c_in = dec[0]["size"]
        for i, layer in enumerate(dec):
            src, dst = sides[-1 - i], sides[-2 - i]
            last = i == len(dec) - 1
            c_out = 1 if last else dec[i + 1]["size"]
            mods.append(nn.ConvTranspose2d(c_in, c_out, 3, stride=2, padding=1, output_padding=dst - (2 * src - 1)))
            if not last:
                if m.batch_norm:
                    mods.append(nn.BatchNorm2d(c_out))
                mods.append(activation(dec[i + 1]["activation"]))
            c_in = c_out
        self.decoder = nn.Sequential(*mods)
        self.dec_in_act = activation(dec[0]["activation"])
        self.out_act = output_activation(m, value_range)

    def encode(self, x: torch.Tensor) -> torch.Tensor:
        return self.to_latent(self.encoder(x.reshape(len(x), 1, *self.input_shape)).flatten(1))

    def decode(self, z: torch.Tensor) -> torch.Tensor:
        h = self.dec_in_act(self.from_latent(z)).reshape(len(z), *self.dec_shape)
        return self.out_act(self.decoder(h)).reshape(len(z), *self.input_shape)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.decode(self.encode(x))


class SequenceAutoencoder(nn.Module):
    """A recurrent encoder reads the window; its last hidden state becomes the code; the
    decoder repeats the code at every step into a recurrent decoder and a per-step read-out."""

    def __init__(self, m, input_shape: tuple[int], value_range=None):
        super().__init__()
        self.input_shape = tuple(input_shape)
        cls = nn.LSTM if m.cell == "lstm" else nn.GRU
        sizes = [layer["size"] for layer in m.encoder]
        self.encoder = nn.ModuleList(cls(n_in, n, batch_first=True) for n_in, n in zip([1] + sizes[:-1], sizes))
        self.to_latent = nn.Linear(sizes[-1], m.latent)
        dsizes = [layer["size"] for layer in decoder_layers(m)]
        # The decoder reads the code and the step's position (t / T) at every step, and starts
        # from a state made from the code: without the position, a decoder fed the same vector
        # at every step has to count time itself and learns the mean curve first, slowly.
        self.decoder = nn.ModuleList(cls(n_in, n, batch_first=True)
                                     for n_in, n in zip([m.latent + 1] + dsizes[:-1], dsizes))
        self.init_state = nn.Linear(m.latent, dsizes[0])
        self.lstm = m.cell == "lstm"
        self.to_output = nn.Linear(dsizes[-1], 1)
        self.out_act = output_activation(m, value_range)

    def encode(self, x: torch.Tensor) -> torch.Tensor:
        h = x.reshape(len(x), -1, 1)
        for rnn in self.encoder:
            h, _ = rnn(h)
        return self.to_latent(h[:, -1])

    def decode(self, z: torch.Tensor) -> torch.Tensor:
        T = self.input_shape[0]
        pos = torch.linspace(0, 1, T, device=z.device, dtype=z.dtype)[None, :, None].expand(len(z), T, 1)
        h = torch.cat([z[:, None, :].expand(len(z), T, z.shape[1]), pos], dim=2)
        h0 = torch.tanh(self.init_state(z))[None]
        for i, rnn in enumerate(self.decoder):
            if i == 0:
                h, _ = rnn(h, (h0, torch.zeros_like(h0)) if self.lstm else h0)
            else:
                h, _ = rnn(h)
        return self.out_act(self.to_output(h)).reshape(len(z), *self.input_shape)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.decode(self.encode(x))


def build_model(m, input_shape: tuple[int, ...], value_range=None) -> nn.Module:
    """The autoencoder of model section `m` for inputs of `input_shape`."""
    cls = {"mlp": MLPAutoencoder, "conv": ConvAutoencoder, "sequence": SequenceAutoencoder}[m.kind]
    return cls(m, input_shape, value_range)


__all__ = ["build_model", "MLPAutoencoder", "ConvAutoencoder", "SequenceAutoencoder", "activation"]
