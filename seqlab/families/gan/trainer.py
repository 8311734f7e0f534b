"""One GAN run: two networks, two optimisers, one engine.

A training step is ``d_steps`` updates of the discriminator D, then one of the generator G
(each through ``engine.backward_step``, so clipping and gradient norms work as for every
family), with the course's losses on D's logits:

- J_D = -mean log D(x) - mean log(1 - D(G(z)))
- J_G = mean log(1 - D(G(z)))   (minimax)   or   -mean log D(G(z))   (non-saturating)

``train_mode`` (both / d_only / g_only), the learning rates, ``d_steps`` and the loss can
be changed while it trains (``set_control``). A GAN has no validation loss: ``evaluate``
compares generated samples with held-out real ones (a kernel MMD) and, on the 2-D mixtures,
counts the modes they cover and the share far from every mode.
"""

from __future__ import annotations

import time
from typing import Any, Iterator

import numpy as np
import torch
import torch.nn.functional as F

from .data.sets import GanData, build_gan_data
from .data.toy2d import mode_coverage
from .nets import Discriminator, Generator, parameter_count
from .spec import MIXTURES

N_FIXED = 512          # the fixed noise batch the views and the evaluation follow
N_EVAL = 1000          # generated samples per evaluation
N_MMD = 400            # samples per side of the MMD estimate
N_REAL_SHOWN = 600     # real points drawn in the plane view
N_ARROWS = 120         # generated points that show G's gradient
GRID = 100             # the D heatmap is GRID x GRID
HEAT_EVERY = 0.75      # seconds between recomputations of the D heatmap in live snapshots (7 ms each
                       # at 100x100 on one core: 1% of training; the points move every snapshot)


class GanTrainable:
    """Generator, discriminator and data of one run (the engine's ``Trainable``)."""

    watch = ("d_loss", "g_loss")

    def __init__(self, spec, data: GanData | None = None):
        self.spec = spec
        self.data = data if data is not None else build_gan_data(spec.data)
        d, m = self.data, spec.model
        self.mixture = spec.data.name in MIXTURES and d.centres is not None
        self.monitor = "val_mode_gap" if self.mixture else "val_mmd"
        torch.manual_seed(spec.train.seed)
        self.G = Generator(m, d.dim, d.n_classes, d.side)
        self.D = Discriminator(m, d.dim, d.n_classes, d.side)
        self.conditional = m.conditional
        gen = torch.Generator().manual_seed(spec.train.seed + 7919)
        self.z_fixed = torch.randn(max(N_FIXED, N_EVAL), m.noise_dim, generator=gen)
        self.y_fixed = torch.as_tensor(d.y_train[torch.randint(len(d.y_train), (len(self.z_fixed),),
                                                               generator=gen).numpy()])
        self._gen = torch.Generator().manual_seed(spec.train.seed)
        self.controls = {"train_mode": m.train_mode, "loss": m.loss, "d_steps": m.d_steps,
                         "lr_g": m.lr_g, "lr_d": m.lr_d}
        self.device = torch.device("cpu")
        self.opt_g = self.opt_d = None
        self.x = torch.as_tensor(d.x_train)
        self.y = torch.as_tensor(d.y_train)
        self.x_val = torch.as_tensor(d.x_val)
        self._mmd_sigma = _median_distance(self.x_val[:N_MMD])
        self._real_spread = float(self.x_val.std(0).mean())
        self._heat: tuple | None = None        # (label, time, D on the grid, version) of the last snapshot

    # -- what the engine asks for --------------------------------------------------------
    def modules(self) -> dict[str, torch.nn.Module]:
        return {"generator": self.G, "discriminator": self.D}

    def setup(self, engine) -> None:
        m = self.spec.model
        self.device = engine.device
        for name in ("G", "D"):
            getattr(self, name).to(self.device)
        for name in ("x", "y", "x_val", "z_fixed", "y_fixed"):
            setattr(self, name, getattr(self, name).to(self.device))
        betas = (m.beta1, 0.999)
        self.opt_d = engine.make_optimizer(self.D.parameters(), lr=self.controls["lr_d"], optimizer=m.optimizer,
                                           betas=betas)
        self.opt_g = engine.make_optimizer(self.G.parameters(), lr=self.controls["lr_g"], optimizer=m.optimizer,
                                           betas=betas)
        self._g_params, self._d_params = list(self.G.parameters()), list(self.D.parameters())

    def batch_size(self) -> int:
        bs = self.spec.train.batch_size
        return len(self.x) if bs == "all" else min(int(bs), len(self.x))

    def batches(self, engine) -> Iterator[torch.Tensor]:
        """One pass over the real samples; each batch feeds one G step (and its first D step)."""
        n, bs = len(self.x), self.batch_size()
        order = torch.randperm(n, generator=self._gen).to(self.device)
        for start in range(0, n - bs + 1, bs):
            yield order[start:start + bs]

    def _noise(self, n: int) -> tuple[torch.Tensor, torch.Tensor | None]:
        z = torch.randn(n, self.spec.model.noise_dim, device=self.device)
        y = self.y[torch.randint(len(self.y), (n,), device=self.device)] if self.conditional else None
        return z, y

    def g_loss(self, fake_logits: torch.Tensor, loss: str | None = None) -> torch.Tensor:
        """J_G on D's logits for generated samples: minimax mean log(1 - D(G(z))) = -BCE(., 0);
        non-saturating -mean log D(G(z)) = BCE(., 1)."""
        if (loss or self.controls["loss"]) == "minimax":
            return -F.binary_cross_entropy_with_logits(fake_logits, torch.zeros_like(fake_logits))
        return F.binary_cross_entropy_with_logits(fake_logits, torch.ones_like(fake_logits))

    def training_step(self, idx: torch.Tensor, engine) -> dict[str, torch.Tensor]:
        for m in (self.G, self.D):
            if not m.training:      # train() walks every submodule: only when a view left eval mode
                m.train()
        mode = self.controls["train_mode"]
        out: dict[str, torch.Tensor] = {}
        bs = len(idx)
        for k in range(int(self.controls["d_steps"])):
            if k:            # further D steps see other real samples
                idx = torch.randint(len(self.x), (bs,), device=self.device, generator=None)
            x_real = self.x[idx]
            y_real = self.y[idx] if self.conditional else None
            z, y_fake = self._noise(bs)
            with torch.no_grad():
                x_fake = self.G(z, y_fake)
            with torch.set_grad_enabled(mode != "g_only"):
                real_logits = self.D(x_real, y_real)
                fake_logits = self.D(x_fake, y_fake)
                d_loss = (F.binary_cross_entropy_with_logits(real_logits, torch.ones_like(real_logits))
                          + F.binary_cross_entropy_with_logits(fake_logits, torch.zeros_like(fake_logits)))
            if mode != "g_only":
                norms = engine.backward_step(engine.penalised(d_loss, self.D), self.opt_d, self._d_params)
                out["d_grad_norm"] = norms["grad_norm"]
        z, y_fake = self._noise(bs)
        with torch.set_grad_enabled(mode != "d_only"):
            fake_logits_g = self.D(self.G(z, y_fake), y_fake)
            g_loss = self.g_loss(fake_logits_g)
        if mode != "d_only":
            norms = engine.backward_step(engine.penalised(g_loss, self.G), self.opt_g, self._g_params)
            out["g_grad_norm"] = norms["grad_norm"]
        out.update(d_loss=d_loss.detach(), g_loss=g_loss.detach(),
                   d_real=torch.sigmoid(real_logits.detach()).mean(),
                   d_fake=torch.sigmoid(fake_logits.detach()).mean())
        return out

    # -- live settings -------------------------------------------------------------------
    def set_control(self, name: str, value: Any) -> None:
        """Change a setting between two steps (the window's live controls)."""
        if name not in self.controls:
            return
        self.controls[name] = value
        opt = {"lr_g": self.opt_g, "lr_d": self.opt_d}.get(name)
        if opt is not None:
            for g in opt.param_groups:
                g["lr"] = float(value)

    # -- generating ----------------------------------------------------------------------
    @torch.no_grad()
    def generate(self, n: int = N_FIXED, labels: torch.Tensor | None = None) -> np.ndarray:
        """Samples from the fixed noise batch (the same z every time), as numpy [n, dim]."""
        was = self.G.training
        self.G.eval()
        try:
            z = self.z_fixed[:n]
            y = (labels if labels is not None else self.y_fixed[:n]) if self.conditional else None
            return self.G(z, y).cpu().numpy()
        finally:
            self.G.train(was)

    @torch.no_grad()
    def evaluate(self, split: str, engine=None) -> dict[str, float]:
        """MMD to held-out real samples; mode coverage and far share on the mixtures."""
        fake = self.generate(N_EVAL)
        out = {f"{split}_mmd": _mmd(torch.as_tensor(fake[:N_MMD]), self.x_val[:N_MMD].cpu(), self._mmd_sigma),
               f"{split}_spread": float(np.nan_to_num(fake.std(0).mean()) / max(self._real_spread, 1e-9))}
        if self.mixture:
            d = self.data
            cov = mode_coverage(fake, d.centres, d.std)
            k = len(d.centres)
            out.update({f"{split}_modes": float(cov.modes), f"{split}_far_share": float(cov.far_share),
                        f"{split}_mode_gap": (k - cov.modes) / k + float(cov.far_share)})
        return out

    # -- live snapshots for the views ----------------------------------------------------
    def snapshot(self, kind: str, request: dict[str, Any]) -> dict[str, Any] | None:
        if kind == "plane" and self.data.kind == "plane":
            return self._plane(int(request.get("label", 0)))
        if kind == "images" and self.data.kind == "image":
            return self._images(int(request.get("label", 0)))
        return None

    def _plane(self, label: int) -> dict[str, Any]:
        d = self.data
        label = int(np.clip(label, 0, d.n_classes - 1))
        x0, x1, y0, y1 = d.bounds()
        gx = torch.linspace(x0, x1, GRID, device=self.device)
        gy = torch.linspace(y0, y1, GRID, device=self.device)
        xx, yy = torch.meshgrid(gx, gy, indexing="xy")
        plane = torch.stack([xx.reshape(-1), yy.reshape(-1)], 1)
        was = self.G.training, self.D.training
        self.G.eval()
        self.D.eval()
        try:
            with torch.no_grad():
                # D on the whole grid costs most of a snapshot: redone at most every
                # HEAT_EVERY seconds (or for another label); the points move every snapshot
                now = time.perf_counter()
                if self._heat is None or self._heat[0] != label or now - self._heat[1] >= HEAT_EVERY:
                    lab = torch.full((len(plane),), label, device=self.device) if self.conditional else None
                    heat = torch.sigmoid(self.D(plane, lab)).view(GRID, GRID).cpu().numpy().T.copy()
                    self._heat = (label, now, heat, (self._heat[3] + 1) if self._heat else 0)
                heat, heat_version = self._heat[2], self._heat[3]
                fake = self.G(self.z_fixed[:N_FIXED], self.y_fixed[:N_FIXED] if self.conditional else None)
            # where G's loss pushes each generated point: -dJ_G/dx (per point)
            pts = fake[:N_ARROWS].clone().requires_grad_(True)
            with torch.enable_grad():
                y_arrow = self.y_fixed[:N_ARROWS] if self.conditional else None
                logits = self.D(pts, y_arrow)
                j = self.g_loss(logits) * len(pts)       # the sum: each point's own loss
                (grad,) = torch.autograd.grad(j, pts)
        finally:
            self.G.train(was[0])
            self.D.train(was[1])
        shown = min(N_REAL_SHOWN, len(self.x))
        return {"heat": heat,                               # [x index, y index] for ImageItem
                "heat_version": heat_version,               # the view repaints the heatmap only when it changes
                "extent": (x0, x1, y0, y1), "real": self.x[:shown].cpu().numpy(),
                "real_labels": self.y[:shown].cpu().numpy(), "fake": fake.cpu().numpy(),
                "fake_labels": self.y_fixed[:N_FIXED].cpu().numpy() if self.conditional else None,
                "arrow_at": pts.detach().cpu().numpy(), "arrow": (-grad).cpu().numpy(),
                "label": label, "conditional": self.conditional, "class_names": d.class_names,
                "centres": d.centres, "loss": self.controls["loss"]}

    def _images(self, label: int) -> dict[str, Any]:
        d = self.data
        if self.conditional:
            cols = 8
            labels = torch.arange(d.n_classes, device=self.device).repeat_interleave(cols)
            grid = self.generate(len(labels), labels)
            chosen = self.generate(16, torch.full((16,), int(np.clip(label, 0, d.n_classes - 1)),
                                                  device=self.device))
        else:
            cols, grid, chosen = 8, self.generate(64), None
        img = lambda a: ((a.reshape(len(a), d.side, d.side) + 1) / 2).clip(0, 1).astype(np.float32)  # noqa: E731
        return {"images": img(grid), "cols": cols, "conditional": self.conditional,
                "chosen": img(chosen) if chosen is not None else None, "label": int(label),
                "class_names": d.class_names,
                "real": img(self.x[:cols * 8].cpu().numpy())}

    # -- descriptions --------------------------------------------------------------------
    def shape_info(self) -> dict[str, Any]:
        d = self.data
        return {"kind": d.kind, "dim": d.dim, "side": d.side, "n_classes": d.n_classes,
                "class_names": d.class_names, "g_parameters": parameter_count(self.G),
                "d_parameters": parameter_count(self.D),
                "parameters": parameter_count(self.G) + parameter_count(self.D)}

    def describe(self) -> dict[str, Any]:
        d = self.data
        bs = max(self.batch_size(), 1)
        # "cell": the Loss view's run table names each run's kind of network in that column
        return {**self.shape_info(), "cell": self.spec.model.kind, "description": d.description,
                "n_train": len(d.x_train), "n_val": len(d.x_val), "batch_size": bs,
                "steps_per_epoch": len(d.x_train) // bs,
                "bounds": d.bounds() if d.kind == "plane" else None, "monitor": self.monitor,
                "modes": int(len(d.centres)) if self.mixture else None}


def _median_distance(x: torch.Tensor) -> float:
    dist = torch.cdist(x, x)
    v = float(dist[dist > 0].median()) if (dist > 0).any() else 1.0
    return max(v, 1e-3)


def _mmd(a: torch.Tensor, b: torch.Tensor, sigma: float) -> float:
    """Squared maximum mean discrepancy with a Gaussian kernel (biased estimate): 0 when the
    two sets of samples come from the same distribution, larger the more they differ."""
    a = torch.nan_to_num(a.float(), nan=1e6, posinf=1e6, neginf=-1e6)
    k = lambda p, q: torch.exp(-torch.cdist(p, q).pow(2) / (2 * sigma ** 2)).mean()  # noqa: E731
    return float(k(a, a) + k(b, b) - 2 * k(a, b))


__all__ = ["GanTrainable", "N_FIXED", "GRID"]
