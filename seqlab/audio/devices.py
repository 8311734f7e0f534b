"""Which audio inputs exist, and why audio input is unusable when it is.

sounddevice is imported lazily inside functions: importing it raises OSError when the PortAudio
library (libportaudio2) is missing, and ``import seqlab.audio`` must work on such machines so
the rest of the lab does. Every failure becomes one sentence a user can act on.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from seqlab.audio.errors import AudioError, DeviceNotFoundError


def _import_sounddevice():
    """Import and return the sounddevice module (a seam tests replace)."""
    import sounddevice
    return sounddevice


def load_sounddevice():
    """Return the sounddevice module, or raise :class:`AudioError` saying why audio is unavailable."""
    try:
        return _import_sounddevice()
    except ImportError:
        raise AudioError("Audio input is unavailable: the Python package 'sounddevice' is not installed "
                         "(pip install sounddevice).") from None
    except OSError:
        # sounddevice's Linux wheels do not bundle PortAudio; the import fails without it.
        raise AudioError("Audio input is unavailable: the PortAudio library is not installed "
                         "(on Debian or Ubuntu: sudo apt install libportaudio2).") from None


class InputDevice(NamedTuple):
    """One audio input as PortAudio lists it."""
    index: int
    name: str
    max_input_channels: int
    default_samplerate: float
    is_default: bool


@dataclass(frozen=True)
class AudioStatus:
    """Whether audio input is usable; ``reason`` says why not in one sentence (empty when usable)."""
    usable: bool
    reason: str = ""
    devices: tuple[InputDevice, ...] = ()

    def __bool__(self) -> bool:
        return self.usable


def _query(sd) -> list[InputDevice]:
    try:
        raw = sd.query_devices()
        default_in = sd.default.device[0]
    except sd.PortAudioError as e:
        raise AudioError(f"Audio input is unavailable: PortAudio could not list the devices ({e}).") from None
    if isinstance(default_in, str):     # sounddevice accepts names as defaults too
        default_in = next((i for i, d in enumerate(raw) if d["name"] == default_in), -1)
    if default_in is None or default_in < 0:
        try:
            default_in = sd.query_hostapis(0)["default_input_device"] if len(raw) else -1
        except Exception:               # a host API list we cannot read just means "no default"
            default_in = -1
    return [InputDevice(i, str(d["name"]), int(d["max_input_channels"]), float(d["default_samplerate"]),
                        i == default_in)
            for i, d in enumerate(raw) if int(d["max_input_channels"]) > 0]


def list_input_devices() -> list[InputDevice]:
    """List the devices that can record, as :class:`InputDevice` tuples.

    Raises :class:`AudioError` when sounddevice or PortAudio is unavailable.
    """
    return _query(load_sounddevice())


def audio_status() -> AudioStatus:
    """Say whether audio input is usable and, if not, why (never raises)."""
    try:
        devices = list_input_devices()
    except AudioError as e:
        return AudioStatus(False, str(e))
    if not devices:
        return AudioStatus(False, "No microphone was found: PortAudio lists no input devices "
                                  "(plug one in; on Linux a sound server such as PulseAudio or "
                                  "PipeWire must be running).")
    return AudioStatus(True, "", tuple(devices))


def _describe(devices: list[InputDevice]) -> str:
    if not devices:
        return "there are no input devices"
    return "the input devices are: " + "; ".join(
        f"{d.index}: {d.name}{' (default)' if d.is_default else ''}" for d in devices)


def resolve_device(name_or_index: int | str | None, devices: list[InputDevice] | None = None) -> int:
    """Turn a device index, a digit string or a case-insensitive part of a name into an index.

    ``None`` means the default input (or the first one when PortAudio names no default).
    Raises :class:`DeviceNotFoundError` listing the available inputs when nothing matches.
    """
    if devices is None:
        devices = list_input_devices()
    if name_or_index is None:
        for d in devices:
            if d.is_default:
                return d.index
        if devices:
            return devices[0].index
        raise DeviceNotFoundError("No microphone was found: " + _describe(devices) + ".")
    if isinstance(name_or_index, bool):
        raise DeviceNotFoundError(f"Input device must be a number or a name, got {name_or_index!r}.")
    key = name_or_index.strip() if isinstance(name_or_index, str) else name_or_index
    if isinstance(key, int) or (isinstance(key, str) and key.isdigit()):
        index = int(key)
        if any(d.index == index for d in devices):
            return index
        raise DeviceNotFoundError(f"There is no input device number {index}; {_describe(devices)}.")
    if not isinstance(key, str) or not key:
        raise DeviceNotFoundError(f"Input device must be a number or a name, got {name_or_index!r}; "
                                  f"{_describe(devices)}.")
    low = key.lower()
    exact = [d for d in devices if d.name.lower() == low]
    matches = exact or [d for d in devices if low in d.name.lower()]
    if len(matches) == 1:
        return matches[0].index
    if not matches:
        raise DeviceNotFoundError(f"No input device is called {key!r}; {_describe(devices)}.")
    raise DeviceNotFoundError(f"Input device {key!r} is ambiguous, it matches "
                              + "; ".join(f"{d.index}: {d.name}" for d in matches)
                              + ". Give the number or more of the name.")
