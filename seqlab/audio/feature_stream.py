"""Compute features of live audio incrementally: only the new frames, never the whole window again.

A :class:`FeatureStream` wraps an :class:`~seqlab.audio.features.MFCC` or
:class:`~seqlab.audio.features.LogMelSpectrogram` module. It keeps the audio tail the next
frame still needs (``n_fft - hop`` samples) and, with deltas, the static frames the delta
window still needs. The frames it returns, concatenated and followed by :meth:`flush`, equal
the module's output for the whole signal (tested), so a recogniser trained on clips sees the
same numbers live. Frames with deltas come ``delta_width // 2`` frames late (40 ms by default):
a derivative needs a little of the future.
"""

from __future__ import annotations

import numpy as np
import torch

from seqlab.audio.features import MFCC, FeatureSpecError, LogMelSpectrogram


class FeatureStream:
    """Feed audio blocks with :meth:`push`; get [new_frames, n_features] tensors back."""

    def __init__(self, extractor: MFCC | LogMelSpectrogram):
        spec = extractor.spec
        if spec.top_db is not None:
            raise FeatureSpecError("features.top_db clips relative to the loudest frame of the whole "
                                   "input, so it cannot be computed while streaming; set it to None")
        self.extractor = extractor
        self.spec = spec
        self._is_mfcc = isinstance(extractor, MFCC)
        self._logmel = extractor.logmel if self._is_mfcc else extractor
        self._deltas = extractor.deltas if self._is_mfcc and extractor.spec.deltas else None
        self._half = self._deltas.width // 2 if self._deltas is not None else 0
        self.reset()

    def reset(self) -> None:
        """Forget all audio: the next push starts a new signal."""
        dtype = self._logmel.window.dtype
        device = self._logmel.window.device
        pad = self.spec.n_fft // 2 if self.spec.center else 0
        self._audio = torch.zeros(pad, dtype=dtype, device=device)   # centring: virtual zeros in front
        self._n_samples = 0
        self._static = []          # static frames not yet needed by no delta window, oldest first
        self._static_base = 0      # frame index of self._static[0]
        self._n_static = 0         # static frames computed so far
        self._emitted = 0          # frames returned so far
        self._flushed = False

    @property
    def frames_emitted(self) -> int:
        return self._emitted

    def _static_frames(self, audio: torch.Tensor) -> torch.Tensor:
        db = self._logmel.frames_from_padded(audio[None])[0]
        return db @ self.extractor.dct if self._is_mfcc else db

    @torch.no_grad()
    def push(self, samples) -> torch.Tensor:
        """Append mono samples (at spec.sample_rate); return the frames that are now complete."""
        if self._flushed:
            raise FeatureSpecError("FeatureStream.push after flush(): call reset() to start a new signal")
        x = torch.as_tensor(np.asarray(samples, dtype=np.float64).reshape(-1)).to(self._audio)
        self._n_samples += len(x)
        return self._advance(torch.cat([self._audio, x]))

    @torch.no_grad()
    def flush(self) -> torch.Tensor:
        """Treat the signal as ended; return the remaining frames (with end padding like batch mode)."""
        if self._flushed:
            return self._empty()
        self._flushed = True
        pad = self.spec.n_fft // 2 if self.spec.center else 0
        audio = torch.cat([self._audio, self._audio.new_zeros(pad)])
        # Batch mode computes exactly spec.n_frames(n) frames; the padded tail may fit no more.
        return self._advance(audio, final_frames=self.spec.n_frames(self._n_samples))

    def _empty(self) -> torch.Tensor:
        n = self.spec.n_features if self._is_mfcc else self.spec.n_mels
        return self._audio.new_zeros(0, n)

    def _advance(self, audio: torch.Tensor, final_frames: int | None = None) -> torch.Tensor:
        s = self.spec
        new = self._static_frames(audio)
        if final_frames is not None:
            new = new[:max(0, final_frames - self._n_static)]
        consumed = len(new) * s.hop_length
        self._audio = audio[consumed:]
        self._n_static += len(new)
        if self._deltas is None:
            self._emitted += len(new)
            return new if len(new) else self._empty()
        if len(new):
            self._static.append(new)
        if not self._static:
            return self._empty()
        static = torch.cat(self._static)
        ready = self._n_static if final_frames is not None else self._n_static - self._half
        if ready <= self._emitted:
            self._static = [static]
            return self._empty()
        # Delta windows for frames [emitted, ready), edges repeated like batch mode.
        t = torch.arange(self._emitted, ready, device=static.device)
        idx = (t[:, None] + torch.arange(-self._half, self._half + 1, device=static.device)).clamp(0, self._n_static - 1)
        windows = static[idx - self._static_base].transpose(1, 2)        # [n, F, width]
        out = self._deltas.combine(static[t - self._static_base], windows)
        self._emitted = ready
        keep_from = max(0, ready - self._half)                            # oldest frame still needed
        self._static = [static[keep_from - self._static_base:]]
        self._static_base = keep_from
        return out
