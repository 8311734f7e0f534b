"""Reading and writing WAV files, with one clear message per problem.

Reading uses a small RIFF chunk parser rather than the standard ``wave`` module, because
``wave`` (Python 3.11) rejects IEEE-float and WAVE_FORMAT_EXTENSIBLE files, which many
recorders and editors write, and silently returns fewer samples from a truncated file.
One parser for every encoding keeps a single set of checks and error messages.

Supported: PCM 8 (unsigned), 16, 24 and 32-bit integers, IEEE float 32 and 64-bit, plain or
wrapped in WAVE_FORMAT_EXTENSIBLE, any number of channels (downmixed to mono by averaging).
Everything else (ADPCM, mu-law, MP3-in-WAV, big-endian RIFX, RF64) is refused with a message
that says what the file holds and how to convert it.

Writing (:func:`write_wav`) produces 16-bit PCM through ``wave``, atomically: a temporary
file in the same folder, then ``os.replace``, so a crash never leaves half a file behind.
"""

from __future__ import annotations

import os
import struct
import tempfile
import wave
from dataclasses import dataclass
from pathlib import Path

import numpy as np

__all__ = ["WavError", "WavAudio", "read_wav", "read_wav_details", "write_wav", "clipped_fraction"]

_PCM = 0x0001
_IEEE_FLOAT = 0x0003
_EXTENSIBLE = 0xFFFE

# Formats people meet in the wild, named in the "unsupported" message so the user knows what they have.
_KNOWN_TAGS = {
    0x0002: "Microsoft ADPCM", 0x0006: "A-law", 0x0007: "mu-law", 0x0011: "IMA ADPCM",
    0x0031: "GSM 6.10", 0x0050: "MPEG audio", 0x0055: "MP3", 0x0161: "Windows Media Audio",
    0x1610: "AAC", 0xF1AC: "FLAC",
}

# Signatures of files that are often renamed to .wav by mistake.
_OTHER_SIGNATURES = (
    (b"ID3", "an MP3 file"), (b"\xff\xfb", "an MP3 file"), (b"\xff\xf3", "an MP3 file"),
    (b"fLaC", "a FLAC file"), (b"OggS", "an Ogg file"), (b"FORM", "an AIFF file"),
    (b"RIFX", "a big-endian WAV (RIFX) file, which is not supported"),
    (b"RF64", "an RF64 (over 4 GB) WAV file, which is not supported"),
)

_CONVERT_HINT = "convert it to 16-bit PCM WAV (for example with Audacity or `sox in.wav -b 16 out.wav`)"


class WavError(ValueError):
    """A WAV file that cannot be read; the message names the file and what is wrong."""

    def __init__(self, message: str, path: str = ""):
        super().__init__(message)
        self.path = path


@dataclass(frozen=True)
class WavAudio:
    """One WAV file, decoded.

    ``samples`` is mono float32 in [-1, 1]; ``clipped_fraction`` is the share of the original
    (pre-downmix) samples sitting at full scale, which is what a user can hear as distortion.
    """

    samples: np.ndarray
    sample_rate: int
    channels: int
    encoding: str            # e.g. "16-bit PCM", "32-bit float"
    clipped_fraction: float
    path: str

    @property
    def duration_s(self) -> float:
        return len(self.samples) / self.sample_rate


@dataclass(frozen=True)
class _Format:
    tag: int                 # _PCM or _IEEE_FLOAT after unwrapping EXTENSIBLE
    channels: int
    sample_rate: int
    block_align: int
    bits: int


def read_wav(path: str | os.PathLike) -> tuple[np.ndarray, int]:
    """Read a WAV file as (mono float32 samples in [-1, 1], sample rate in Hz).

    Raises :class:`WavError` naming the file when it is missing, not a WAV file, truncated
    or corrupt, has no samples, or uses an unsupported encoding.
    """
    audio = read_wav_details(path)
    return audio.samples, audio.sample_rate


def read_wav_details(path: str | os.PathLike) -> WavAudio:
    """Like :func:`read_wav`, but also report channels, encoding and clipping."""
    shown = str(path)
    raw = _read_bytes(Path(path), shown)
    fmt, data = _parse_riff(raw, shown)
    frames = _decode(fmt, data, shown)               # float64 [n, channels]
    if frames.shape[0] == 0:
        raise WavError(f"{shown}: the WAV file has no audio samples (its data chunk is empty)", shown)
    if not np.all(np.isfinite(frames)):
        raise WavError(f"{shown}: the WAV file is corrupt: it contains NaN or infinite samples", shown)
    clipped = _clipped_share(fmt, data, frames)
    np.clip(frames, -1.0, 1.0, out=frames)           # float files may exceed full scale
    mono = frames.mean(axis=1) if frames.shape[1] > 1 else frames[:, 0]
    return WavAudio(samples=mono.astype(np.float32), sample_rate=fmt.sample_rate, channels=fmt.channels,
                    encoding=_encoding_name(fmt), clipped_fraction=clipped, path=shown)


def clipped_fraction(samples: np.ndarray, threshold: float = 0.999) -> float:
    """Share of samples whose magnitude reaches ``threshold`` of full scale (float audio in [-1, 1])."""
    x = np.asarray(samples)
    if x.size == 0:
        return 0.0
    return float(np.count_nonzero(np.abs(x) >= threshold)) / x.size


def write_wav(path: str | os.PathLike, samples: np.ndarray, sample_rate: int) -> None:
    """Write float samples in [-1, 1] (``[n]`` mono or ``[n, channels]``) as 16-bit PCM, atomically.

    Values outside [-1, 1] are clipped. The file appears complete or not at all.
    """
    x = np.asarray(samples, dtype=np.float64)
    if x.ndim == 1:
        x = x[:, None]
    if x.ndim != 2 or x.shape[1] < 1:
        raise ValueError(f"{path}: samples must be [n] or [n, channels], got shape {np.shape(samples)}")
    if not np.all(np.isfinite(x)):
        raise ValueError(f"{path}: samples contain NaN or infinity")
    rate = int(sample_rate)
    if rate <= 0:
        raise ValueError(f"{path}: sample rate must be positive, got {sample_rate}")
    pcm = np.round(np.clip(x, -1.0, 1.0) * 32767.0).astype("<i2")
    target = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            with wave.open(fh, "wb") as w:
                w.setnchannels(pcm.shape[1])
                w.setsampwidth(2)
                w.setframerate(rate)
                w.writeframes(pcm.tobytes())
            fh.flush()
            os.fsync(fh.fileno())
        # mkstemp makes the file private (0600); a recording should be as readable as any file.
        os.chmod(tmp, target.stat().st_mode & 0o777 if target.exists() else 0o644)
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


# --- parsing ---------------------------------------------------------------------------------

def _read_bytes(p: Path, shown: str) -> bytes:
    try:
        return p.read_bytes()
    except FileNotFoundError:
        raise WavError(f"{shown}: no such file", shown) from None
    except IsADirectoryError:
        raise WavError(f"{shown}: is a folder, not a WAV file", shown) from None
    except OSError as e:
        raise WavError(f"{shown}: cannot be read ({e.strerror or e})", shown) from None


def _parse_riff(raw: bytes, shown: str) -> tuple[_Format, memoryview]:
    if len(raw) == 0:
        raise WavError(f"{shown}: the file is empty (0 bytes), not a WAV file", shown)
    if raw[:4] != b"RIFF" or raw[8:12] != b"WAVE":
        if len(raw) < 12 and b"RIFF".startswith(raw[:4]):
            raise WavError(f"{shown}: the WAV file is truncated: only {len(raw)} bytes, not even a header", shown)
        for sig, what in _OTHER_SIGNATURES:
            if raw.startswith(sig):
                raise WavError(f"{shown}: not a WAV file: it looks like {what}; {_CONVERT_HINT}", shown)
        if raw[:4] == b"RIFF":
            raise WavError(f"{shown}: not a WAV file: a RIFF file of type {raw[8:12]!r}", shown)
        raise WavError(f"{shown}: not a WAV file (it does not start with 'RIFF....WAVE')", shown)

    view = memoryview(raw)
    fmt: _Format | None = None
    data: memoryview | None = None
    pos = 12
    while pos + 8 <= len(raw):
        cid = bytes(view[pos:pos + 4])
        (size,) = struct.unpack_from("<I", raw, pos + 4)
        body_start = pos + 8
        available = len(raw) - body_start
        if cid == b"data":
            if size > available:
                # Streaming writers leave 0 or 0xFFFFFFFF when they cannot seek back to patch
                # the size: those files are complete up to the end; any other excess is a cut file.
                if size == 0xFFFFFFFF:
                    size = available
                else:
                    raise WavError(f"{shown}: the WAV file is truncated: its data chunk declares {size} bytes "
                                   f"of audio but only {available} are present", shown)
            elif size == 0 and available > 0 and fmt is not None and _is_last_chunk(raw, body_start):
                size = available
            data = view[body_start:body_start + size]
            if fmt is not None:
                break                                  # nothing after the audio matters to us
        elif cid == b"fmt ":
            if size > available:
                raise WavError(f"{shown}: the WAV file is truncated inside its 'fmt ' chunk", shown)
            fmt = _parse_fmt(bytes(view[body_start:body_start + size]), shown)
            if data is not None:
                break
        elif size > available:
            break                                      # a cut trailing chunk (e.g. LIST) after the audio is harmless
        pos = body_start + size + (size & 1)           # chunks are word-aligned
    if fmt is None:
        if len(raw) < 44:
            raise WavError(f"{shown}: the WAV file is truncated: {len(raw)} bytes and no 'fmt ' chunk", shown)
        raise WavError(f"{shown}: the WAV file is corrupt: it has no 'fmt ' chunk", shown)
    if data is None:
        raise WavError(f"{shown}: the WAV file is truncated or corrupt: it has no 'data' chunk", shown)
    return fmt, data


def _is_last_chunk(raw: bytes, body_start: int) -> bool:
    # A zero-size data chunk followed by bytes that do not parse as another chunk: an unpatched size.
    rest = raw[body_start:body_start + 4]
    return not rest.isascii() or not rest.isalnum()


def _parse_fmt(body: bytes, shown: str) -> _Format:
    if len(body) < 16:
        raise WavError(f"{shown}: the WAV file is corrupt: its 'fmt ' chunk has {len(body)} bytes, needs 16", shown)
    tag, channels, rate, _byte_rate, block_align, bits = struct.unpack_from("<HHIIHH", body, 0)
    if tag == _EXTENSIBLE:
        if len(body) < 40:
            raise WavError(f"{shown}: the WAV file is corrupt: WAVE_FORMAT_EXTENSIBLE header is too short", shown)
        tag = struct.unpack_from("<H", body, 24)[0]    # first two bytes of the sub-format GUID
    if channels == 0:
        raise WavError(f"{shown}: the WAV file is corrupt: it declares 0 channels", shown)
    if rate == 0:
        raise WavError(f"{shown}: the WAV file is corrupt: it declares a sample rate of 0 Hz", shown)
    if tag not in (_PCM, _IEEE_FLOAT):
        name = _KNOWN_TAGS.get(tag, f"format code 0x{tag:04X}")
        raise WavError(f"{shown}: unsupported WAV encoding: {name}; only PCM and floating-point WAV can be "
                       f"read; {_CONVERT_HINT}", shown)
    supported = (8, 16, 24, 32) if tag == _PCM else (32, 64)
    if bits not in supported:
        kind = "PCM" if tag == _PCM else "floating-point"
        raise WavError(f"{shown}: unsupported WAV encoding: {bits}-bit {kind}; {_CONVERT_HINT}", shown)
    if block_align != channels * bits // 8:
        # Some writers get block_align wrong; bits and channels are what the samples are laid out by.
        block_align = channels * bits // 8
    return _Format(tag, channels, rate, block_align, bits)


def _decode(fmt: _Format, data: memoryview, shown: str) -> np.ndarray:
    n = len(data) // fmt.block_align                   # a partial last frame is dropped
    buf = np.frombuffer(data, dtype=np.uint8, count=n * fmt.block_align)
    if fmt.tag == _IEEE_FLOAT:
        x = buf.view("<f4" if fmt.bits == 32 else "<f8").astype(np.float64)
    elif fmt.bits == 8:
        x = (buf.astype(np.float64) - 128.0) / 128.0   # 8-bit WAV is unsigned
    elif fmt.bits == 16:
        x = buf.view("<i2") / 32768.0
    elif fmt.bits == 24:
        b = buf.reshape(-1, 3).astype(np.int32)
        v = b[:, 0] | (b[:, 1] << 8) | (b[:, 2] << 16)
        v = np.where(v >= 1 << 23, v - (1 << 24), v)
        x = v / float(1 << 23)
    else:
        x = buf.view("<i4") / float(1 << 31)
    return np.ascontiguousarray(x.reshape(n, fmt.channels))


def _clipped_share(fmt: _Format, data: memoryview, frames: np.ndarray) -> float:
    if frames.size == 0:
        return 0.0
    if fmt.tag == _IEEE_FLOAT:
        hits = np.count_nonzero(np.abs(frames) >= 1.0)
    else:
        # Integer codes at either end of the range; 1/2**(bits-1) below +1.0 is still full scale.
        top = 1.0 - 1.0 / (1 << (fmt.bits - 1))
        hits = np.count_nonzero((frames <= -1.0) | (frames >= top))
    return float(hits) / frames.size


def _encoding_name(fmt: _Format) -> str:
    return f"{fmt.bits}-bit {'PCM' if fmt.tag == _PCM else 'float'}"
