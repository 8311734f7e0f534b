"""Log-mel spectrogram and MFCC features as torch modules (no torchaudio), matching librosa.

Defaults are the usual speech front end: 25 ms Hann window (400 samples at 16 kHz) in a
512-point FFT, 10 ms hop, 40 Slaney mel bands, 13 MFCCs. The pieces reproduce librosa's:
frames centred with zero padding (``librosa.stft(center=True, pad_mode="constant")``), power
spectrum, ``librosa.filters.mel`` (Slaney scale and area normalisation), ``power_to_db``
(``10 log10(max(amin, S))``, optional ``top_db`` clipping) and an orthonormal DCT-II
(``scipy.fft.dct(type=2, norm="ortho")``). Deltas are ``librosa.feature.delta(width=9,
mode="nearest")``: Savitzky-Golay derivatives with the first and last frame repeated at the
edges, which, unlike librosa's default ``mode="interp"``, works for clips shorter than the
width and can be computed while streaming.

Output is [batch, frames, features] for [batch, samples] input and [frames, features] for
[samples] input, which is what a ``batch_first`` LSTM eats. Window, filterbank, DCT and delta
coefficients are buffers, so ``.to(device)``, ``.double()`` and ``state_dict`` carry them.
:class:`FeatureStream` computes the same frames incrementally for live audio.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np
import torch
from torch import nn

from seqlab.audio.errors import AudioError


class FeatureSpecError(AudioError):
    """A feature setting that cannot be used; the message names the field."""


@dataclass(frozen=True)
class FeatureSpec:
    """Feature extraction settings; the derived sizes are properties."""
    sample_rate: int = 16000
    win_ms: float = 25.0
    hop_ms: float = 10.0
    n_mels: int = 40
    n_mfcc: int = 13
    fmin: float = 20.0
    fmax: float | None = None      # None: sample_rate / 2
    deltas: int = 0                # 0: MFCCs only; 1: + delta; 2: + delta and delta-delta
    delta_width: int = 9           # frames in the delta regression window (odd, >= 3)
    amin: float = 1e-10            # power floor before the log (librosa's default)
    top_db: float | None = None    # clip to (loudest - top_db) per input; 80 is librosa's mfcc default
    center: bool = True            # pad half a window of zeros at both ends (librosa's default)

    def __post_init__(self):
        def bad(name, want):
            raise FeatureSpecError(f"features.{name} must be {want}, got {getattr(self, name)!r}")
        if not isinstance(self.sample_rate, int) or isinstance(self.sample_rate, bool) or self.sample_rate < 1000:
            bad("sample_rate", "a whole number of Hz >= 1000")
        for name in ("win_ms", "hop_ms"):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, (int, float)) or not 1 <= v <= 1000:
                bad(name, "a duration from 1 to 1000 ms")
        if self.hop_length > self.win_length:
            bad("hop_ms", f"at most win_ms ({self.win_ms})")
        for name, hi in (("n_mels", 512), ("n_mfcc", 512)):
            v = getattr(self, name)
            if not isinstance(v, int) or isinstance(v, bool) or not 1 <= v <= hi:
                bad(name, f"an integer from 1 to {hi}")
        if self.n_mfcc > self.n_mels:
            bad("n_mfcc", f"at most n_mels ({self.n_mels})")
        if not 0 <= self.fmin < self.fmax_hz <= self.sample_rate / 2:
            bad("fmax" if self.fmax is not None else "fmin",
                f"0 <= fmin < fmax <= sample_rate/2 ({self.sample_rate / 2:g} Hz)")
        if self.deltas not in (0, 1, 2):
            bad("deltas", "0, 1 or 2")
        if not isinstance(self.delta_width, int) or self.delta_width < 3 or self.delta_width % 2 == 0:
            bad("delta_width", "an odd integer >= 3")
        if not self.amin > 0:
            bad("amin", "a positive number")
        if self.top_db is not None and not self.top_db > 0:
            bad("top_db", "a positive number of dB or None")

    @classmethod
    def from_dict(cls, d: dict) -> "FeatureSpec":
        """Build from a JSON-like dict; unknown keys are an error (a typo must not be ignored)."""
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(d) - known)
        if unknown:
            raise FeatureSpecError(f"features has unknown field(s) {', '.join(unknown)}; "
                                   f"known: {', '.join(sorted(known))}")
        return cls(**d)

    @property
    def fmax_hz(self) -> float:
        return float(self.sample_rate / 2 if self.fmax is None else self.fmax)

    @property
    def win_length(self) -> int:
        return int(round(self.sample_rate * self.win_ms / 1000))

    @property
    def hop_length(self) -> int:
        return int(round(self.sample_rate * self.hop_ms / 1000))

    @property
    def n_fft(self) -> int:
        """Smallest power of two holding the window (512 for 400 samples)."""
        return 1 << (self.win_length - 1).bit_length()

    @property
    def n_features(self) -> int:
        """Features per frame of :class:`MFCC`: n_mfcc times (1 + deltas)."""
        return self.n_mfcc * (1 + self.deltas)

    def n_frames(self, n_samples: int) -> int:
        """Frames produced for ``n_samples`` samples (as librosa counts them)."""
        if self.center:
            return 1 + n_samples // self.hop_length
        return 0 if n_samples < self.n_fft else 1 + (n_samples - self.n_fft) // self.hop_length


# --- the fixed matrices ------------------------------------------------------------------
def _hz_to_mel(f):
    """Slaney's mel scale (librosa's default, htk=False): linear below 1 kHz, log above."""
    f = np.asarray(f, dtype=np.float64)
    lin = f / (200.0 / 3)
    log = 15.0 + np.log(np.maximum(f, 1e-10) / 1000.0) / (np.log(6.4) / 27.0)
    return np.where(f >= 1000.0, log, lin)


def _mel_to_hz(m):
    m = np.asarray(m, dtype=np.float64)
    return np.where(m >= 15.0, 1000.0 * np.exp((np.log(6.4) / 27.0) * (m - 15.0)), m * (200.0 / 3))


def mel_filterbank(sample_rate: int, n_fft: int, n_mels: int, fmin: float, fmax: float) -> np.ndarray:
    """Triangular Slaney-normalised mel filters [n_mels, n_fft//2 + 1], as librosa.filters.mel."""
    fft_freqs = np.fft.rfftfreq(n_fft, 1.0 / sample_rate)
    mel_f = _mel_to_hz(np.linspace(_hz_to_mel(fmin), _hz_to_mel(fmax), n_mels + 2))
    fdiff = np.diff(mel_f)
    ramps = mel_f[:, None] - fft_freqs[None, :]
    lower = -ramps[:-2] / fdiff[:-1, None]
    upper = ramps[2:] / fdiff[1:, None]
    weights = np.maximum(0.0, np.minimum(lower, upper))
    return weights * (2.0 / (mel_f[2:] - mel_f[:-2]))[:, None]     # equal area per band


def dct_matrix(n_out: int, n_in: int) -> np.ndarray:
    """Orthonormal DCT-II rows [n_out, n_in] (scipy.fft.dct(type=2, norm='ortho'))."""
    k = np.arange(n_out)[:, None]
    n = np.arange(n_in)[None, :]
    m = np.sqrt(2.0 / n_in) * np.cos(np.pi / n_in * (n + 0.5) * k)
    m[0] /= np.sqrt(2.0)
    return m


def savgol_derivative(width: int, order: int) -> np.ndarray:
    """Coefficients c[j], j = -h..h, with derivative[t] = sum_j c[j] x[t + j] (polynomial of degree `order`)."""
    j = np.arange(width) - width // 2
    vander = np.vander(j, order + 1, increasing=True).astype(np.float64)
    return np.linalg.pinv(vander)[order] * float(np.prod(np.arange(1, order + 1)))


# --- modules -----------------------------------------------------------------------------
class LogMelSpectrogram(nn.Module):
    """Audio [batch, samples] or [samples] -> log-mel power in dB [batch, frames, n_mels]."""

    def __init__(self, spec: FeatureSpec | None = None):
        super().__init__()
        self.spec = spec = spec or FeatureSpec()
        pad = (spec.n_fft - spec.win_length) // 2       # the window sits centred in the FFT frame
        window = torch.zeros(spec.n_fft, dtype=torch.float64)
        window[pad:pad + spec.win_length] = torch.hann_window(spec.win_length, periodic=True, dtype=torch.float64)
        self.register_buffer("window", window.float())
        fb = mel_filterbank(spec.sample_rate, spec.n_fft, spec.n_mels, spec.fmin, spec.fmax_hz)
        self.register_buffer("mel_fb", torch.from_numpy(fb.T.copy()).float())     # [n_freq, n_mels]

    def n_frames(self, n_samples: int) -> int:
        return self.spec.n_frames(n_samples)

    def frames_from_padded(self, x: torch.Tensor) -> torch.Tensor:
        """[batch, samples] already padded -> dB [batch, frames, n_mels] (no centring, no top_db)."""
        s = self.spec
        if x.shape[-1] < s.n_fft:
            return x.new_zeros(x.shape[0], 0, s.n_mels)
        frames = x.unfold(-1, s.n_fft, s.hop_length) * self.window
        power = torch.fft.rfft(frames, dim=-1).abs().square()
        mel = power @ self.mel_fb
        return 10.0 * torch.log10(torch.clamp(mel, min=s.amin))

    def _pad(self, x: torch.Tensor) -> torch.Tensor:
        half = self.spec.n_fft // 2
        return nn.functional.pad(x, (half, half)) if self.spec.center else x

    def forward(self, audio: torch.Tensor) -> torch.Tensor:
        x, unbatched = _as_batch(audio, self.window.dtype)
        db = self.frames_from_padded(self._pad(x))
        if self.spec.top_db is not None and db.shape[1]:
            peak = db.amax(dim=(1, 2), keepdim=True)
            db = torch.maximum(db, peak - self.spec.top_db)
        return db[0] if unbatched else db


class Deltas(nn.Module):
    """Append Savitzky-Golay time derivatives: [.., frames, F] -> [.., frames, F * (1 + order)]."""

    def __init__(self, order: int, width: int = 9):
        super().__init__()
        self.order, self.width = order, width
        coeffs = [savgol_derivative(width, k) for k in range(1, order + 1)]
        self.register_buffer("coeffs", torch.tensor(np.array(coeffs).reshape(order, width), dtype=torch.float32))

    def windows(self, static: torch.Tensor) -> torch.Tensor:
        """[B, T, F] -> [B, T, F, width], edges repeated (librosa mode='nearest')."""
        h = self.width // 2
        idx = torch.arange(static.shape[1], device=static.device)[:, None] + torch.arange(-h, h + 1, device=static.device)
        return static[:, idx.clamp(0, static.shape[1] - 1)].transpose(2, 3)

    def combine(self, static: torch.Tensor, windows: torch.Tensor) -> torch.Tensor:
        parts = [static] + [windows @ self.coeffs[k] for k in range(self.order)]
        return torch.cat(parts, dim=-1)

    def forward(self, static: torch.Tensor) -> torch.Tensor:
        if self.order == 0:
            return static
        if static.shape[1] == 0:
            return static.new_zeros(static.shape[0], 0, static.shape[-1] * (1 + self.order))
        return self.combine(static, self.windows(static))


class MFCC(nn.Module):
    """Audio [batch, samples] or [samples] -> MFCCs (+ deltas) [batch, frames, spec.n_features]."""

    def __init__(self, spec: FeatureSpec | None = None):
        super().__init__()
        self.spec = spec = spec or FeatureSpec()
        self.logmel = LogMelSpectrogram(spec)
        self.register_buffer("dct", torch.from_numpy(dct_matrix(spec.n_mfcc, spec.n_mels).T.copy()).float())
        self.deltas = Deltas(spec.deltas, spec.delta_width)

    def n_frames(self, n_samples: int) -> int:
        return self.spec.n_frames(n_samples)

    def forward(self, audio: torch.Tensor) -> torch.Tensor:
        unbatched = audio.dim() == 1
        db = self.logmel(audio if not unbatched else audio[None])
        out = self.deltas(db @ self.dct)
        return out[0] if unbatched else out


def _as_batch(audio: torch.Tensor, dtype: torch.dtype) -> tuple[torch.Tensor, bool]:
    if not isinstance(audio, torch.Tensor):
        audio = torch.as_tensor(np.asarray(audio))
    if audio.dim() not in (1, 2):
        raise FeatureSpecError(f"features expect audio of shape [samples] or [batch, samples], "
                               f"got {tuple(audio.shape)}")
    unbatched = audio.dim() == 1
    return (audio[None] if unbatched else audio).to(dtype), unbatched
