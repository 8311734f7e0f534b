"""Play a clip through the default output (sounddevice); a message instead of a crash."""

from __future__ import annotations

import numpy as np


def play(samples: np.ndarray, rate: int) -> str:
    """Start playing (returns at once); returns "" or one sentence saying why it cannot."""
    from seqlab.audio.devices import load_sounddevice
    from seqlab.audio.errors import AudioError

    try:
        sd = load_sounddevice()
        sd.play(np.asarray(samples, np.float32), int(rate))
    except AudioError as e:
        return str(e)
    except Exception as e:  # noqa: BLE001 - PortAudio's own error type: no output device, busy ...
        return f"Cannot play the clip: {e}"
    return ""


__all__ = ["play"]
