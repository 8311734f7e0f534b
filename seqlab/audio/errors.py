"""Errors of the audio layer: each carries one sentence a person can act on."""


class AudioError(ValueError):
    """Audio input or features cannot be used as asked; the message says why."""


class DeviceNotFoundError(AudioError):
    """The requested input device does not exist; the message lists the ones that do."""
