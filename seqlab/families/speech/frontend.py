"""The recogniser's front end: MFCC frames of 16 kHz audio, normalised, as one torch module.

It is saved with the network (``features.*`` tensors in ``model.safetensors``: the window,
mel filterbank, DCT and the per-coefficient mean and standard deviation of the training
frames), so ``seqlab listen`` and the Live page compute exactly the numbers the network was
trained on, on whatever device the network is on.
"""

from __future__ import annotations

import torch
from torch import nn

from seqlab.audio.features import MFCC, FeatureSpec


class SpeechFrontEnd(nn.Module):
    """audio [B, N] (or [N]) -> normalised MFCC frames [B, T, F] (or [T, F])."""

    def __init__(self, spec: FeatureSpec):
        super().__init__()
        self.spec = spec
        self.mfcc = MFCC(spec)
        n = spec.n_features
        self.register_buffer("mean", torch.zeros(n))
        self.register_buffer("std", torch.ones(n))

    @property
    def n_features(self) -> int:
        return self.spec.n_features

    def n_frames(self, n_samples: int) -> int:
        return self.spec.n_frames(n_samples)

    def normalise(self, frames: torch.Tensor) -> torch.Tensor:
        """Raw MFCC frames (from this module's ``mfcc`` or a FeatureStream over it) -> network input."""
        return (frames - self.mean) / self.std

    @torch.no_grad()
    def fit(self, frames: torch.Tensor) -> None:
        """Set the normalisation from training frames [N, T, F] (training split only)."""
        flat = frames.reshape(-1, frames.shape[-1]).double()
        self.mean.copy_(flat.mean(0).to(self.mean))
        self.std.copy_(flat.std(0).clamp_min(1e-3).to(self.std))

    def raw(self, audio: torch.Tensor, chunk: int = 512) -> torch.Tensor:
        """Unnormalised MFCC frames, computed in chunks of clips (bounded memory)."""
        if audio.dim() == 1:
            return self.mfcc(audio)
        return torch.cat([self.mfcc(audio[s:s + chunk]) for s in range(0, len(audio), chunk)]) if len(audio) \
            else audio.new_zeros(0, self.n_frames(audio.shape[-1]), self.n_features)

    def forward(self, audio: torch.Tensor) -> torch.Tensor:
        return self.normalise(self.raw(audio))


__all__ = ["SpeechFrontEnd"]
