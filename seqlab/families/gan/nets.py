"""The generator and the discriminator, built layer by layer from the model section.

- ``mlp``: G maps z (and a one-hot label, when conditional) through its hidden layers to a
  sample (a 2-D point, or an image's pixels in [-1, 1] through tanh); D maps a sample (and
  the label) through its hidden layers to one logit, D(x) = sigmoid(logit).
- ``dcgan`` (Radford et al. 2016): G projects z to the coarsest feature map and doubles it
  with a transposed convolution per layer (batch norm, the layer's activation), the last to
  one channel through tanh; D halves the image with a strided convolution per layer (batch
  norm after the first), then one linear logit. A conditional DCGAN's D gets the label
  beside its flattened features.

D outputs logits: the losses use ``binary_cross_entropy_with_logits``, which stays finite
where log(sigmoid(.)) would not.
"""

from __future__ import annotations

import torch
from torch import nn

ACT = {"relu": nn.ReLU, "leaky_relu": lambda: nn.LeakyReLU(0.2), "tanh": nn.Tanh, "sigmoid": nn.Sigmoid,
       "elu": nn.ELU, "linear": nn.Identity}


def _act(name: str) -> nn.Module:
    return ACT[name]()


class Generator(nn.Module):
    def __init__(self, m, out_dim: int, n_classes: int, image_side: int = 0):
        super().__init__()
        self.noise_dim, self.n_classes = m.noise_dim, n_classes if m.conditional else 0
        self.conv = m.kind == "dcgan"
        self.image_side = image_side
        inp = m.noise_dim + self.n_classes
        if self.conv:
            chans = [L["size"] for L in m.generator]
            self.start = image_side // 2 ** len(chans)
            self.c0 = chans[0]
            self.project = nn.Sequential(nn.Linear(inp, chans[0] * self.start ** 2),
                                         nn.BatchNorm1d(chans[0] * self.start ** 2), _act(m.generator[0]["activation"]))
            ups: list[nn.Module] = []
            for i, c in enumerate(chans):
                last = i == len(chans) - 1
                nxt = 1 if last else chans[i + 1]
                ups.append(nn.ConvTranspose2d(c, nxt, 4, 2, 1))
                ups += [nn.Tanh()] if last else [nn.BatchNorm2d(nxt), _act(m.generator[i + 1]["activation"])]
            self.body = nn.Sequential(*ups)
        else:
            layers: list[nn.Module] = []
            p = inp
            for L in m.generator:
                layers.append(nn.Linear(p, L["size"]))
                if m.batch_norm:
                    layers.append(nn.BatchNorm1d(L["size"]))
                layers.append(_act(L["activation"]))
                p = L["size"]
            layers.append(nn.Linear(p, out_dim))
            if image_side:
                layers.append(nn.Tanh())         # pixels in [-1, 1]
            self.body = nn.Sequential(*layers)

    def forward(self, z: torch.Tensor, labels: torch.Tensor | None = None) -> torch.Tensor:
        if self.n_classes:
            z = torch.cat([z, nn.functional.one_hot(labels, self.n_classes).to(z.dtype)], 1)
        if self.conv:
            h = self.project(z).view(len(z), self.c0, self.start, self.start)
            return self.body(h).flatten(1)
        return self.body(z)


class Discriminator(nn.Module):
    def __init__(self, m, in_dim: int, n_classes: int, image_side: int = 0):
        super().__init__()
        self.n_classes = n_classes if m.conditional else 0
        self.conv = m.kind == "dcgan"
        self.image_side = image_side
        if self.conv:
            convs: list[nn.Module] = []
            c_prev, side = 1, image_side
            for i, L in enumerate(m.discriminator):
                convs.append(nn.Conv2d(c_prev, L["size"], 4, 2, 1))
                if i:                             # DCGAN: no batch norm on D's input layer
                    convs.append(nn.BatchNorm2d(L["size"]))
                convs.append(_act(L["activation"]))
                c_prev, side = L["size"], side // 2
            self.body = nn.Sequential(*convs, nn.Flatten())
            feat = c_prev * max(side, 1) ** 2
            self.head = nn.Linear(feat + self.n_classes, 1)
        else:
            layers: list[nn.Module] = []
            p = in_dim + self.n_classes
            for L in m.discriminator:
                layers += [nn.Linear(p, L["size"]), _act(L["activation"])]
                p = L["size"]
            self.body = nn.Sequential(*layers)
            self.head = nn.Linear(p, 1)

    def forward(self, x: torch.Tensor, labels: torch.Tensor | None = None) -> torch.Tensor:
        """The logit of "x is real", shape [n]."""
        onehot = (nn.functional.one_hot(labels, self.n_classes).to(x.dtype) if self.n_classes else None)
        if self.conv:
            h = self.body(x.view(len(x), 1, self.image_side, self.image_side))
        else:
            h = self.body(torch.cat([x, onehot], 1) if onehot is not None else x)
            onehot = None
        if onehot is not None:
            h = torch.cat([h, onehot], 1)
        return self.head(h).squeeze(1)


def parameter_count(module: nn.Module) -> int:
    return sum(p.numel() for p in module.parameters())


__all__ = ["Generator", "Discriminator", "parameter_count", "ACT"]
