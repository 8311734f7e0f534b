"""A stand-in for ``sounddevice.InputStream`` that feeds given samples through the real callback.

Tests (and demos on machines without a microphone) pass a :class:`FakeStreamFactory` as
``MicrophoneCapture(stream_factory=...)``; :meth:`FakeStream.feed` then calls the capture's
callback exactly as PortAudio would (``indata`` of shape [frames, channels] float32, frames,
a time struct, status flags), in the calling thread so tests are deterministic.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace

import numpy as np


@dataclass
class FakeCallbackFlags:
    """The part of ``sounddevice.CallbackFlags`` the capture reads."""
    input_overflow: bool = False
    input_underflow: bool = False

    def __bool__(self) -> bool:
        return self.input_overflow or self.input_underflow


class FakeStream:
    """An input stream whose audio comes from :meth:`feed` instead of a device."""

    def __init__(self, *, samplerate, blocksize, channels, callback, finished_callback=None,
                 device=None, dtype="float32", **_ignored):
        self.samplerate = float(samplerate)
        self.blocksize = int(blocksize)
        self.channels = int(channels)
        self.device = device
        self.dtype = dtype
        self._callback = callback
        self._finished = finished_callback
        self.active = False
        self.closed = False
        self._frames_done = 0
        self._pending = np.zeros((0, self.channels), dtype=np.float32)

    def start(self) -> None:
        if self.closed:
            raise RuntimeError("FakeStream: start() after close()")
        self.active = True

    def _finish(self) -> None:
        was_active, self.active = self.active, False
        if was_active and self._finished is not None:
            self._finished()

    def stop(self) -> None:
        self._finish()

    abort = stop

    def close(self) -> None:
        self._finish()
        self.closed = True

    def unplug(self) -> None:
        """Simulate the device vanishing: the stream ends without anyone calling stop()."""
        self._finish()

    def feed(self, samples: np.ndarray, *, overflow_at: tuple[int, ...] = ()) -> int:
        """Deliver samples ([n] or [n, channels]) in blocks of ``blocksize`` to the callback.

        A remainder shorter than a block waits for the next feed, as in a real stream.
        ``overflow_at`` lists block numbers (within this call) flagged as PortAudio input
        overflows. Returns the number of blocks delivered.
        """
        x = np.asarray(samples, dtype=np.float32)
        if x.ndim == 1:
            x = np.repeat(x[:, None], self.channels, axis=1)
        self._pending = np.concatenate([self._pending, x])
        delivered = 0
        while self.active and len(self._pending) >= self.blocksize:
            block = np.ascontiguousarray(self._pending[:self.blocksize])
            self._pending = self._pending[self.blocksize:]
            t = self._frames_done / self.samplerate
            time_info = SimpleNamespace(inputBufferAdcTime=t, currentTime=t + self.blocksize / self.samplerate,
                                        outputBufferDacTime=0.0)
            status = FakeCallbackFlags(input_overflow=delivered in overflow_at)
            try:
                self._callback(block, self.blocksize, time_info, status)
            except Exception:            # CallbackAbort/CallbackStop or a bug: PortAudio ends the stream
                self._finish()
            self._frames_done += self.blocksize
            delivered += 1
        return delivered


class FakeStreamFactory:
    """Build :class:`FakeStream` objects; refuses sample rates not in ``accepted_rates``.

    ``default_samplerate`` is the rate the "device" falls back to, like PortAudio's
    ``default_samplerate`` of a device. ``streams`` keeps every stream built, newest last.
    """

    def __init__(self, default_samplerate: float = 16000, accepted_rates: tuple[float, ...] | None = None):
        self.default_samplerate = float(default_samplerate)
        self.accepted_rates = accepted_rates
        self.streams: list[FakeStream] = []

    def __call__(self, **kwargs) -> FakeStream:
        rate = kwargs.get("samplerate")
        if self.accepted_rates is not None and rate not in self.accepted_rates:
            raise ValueError(f"Invalid sample rate {rate} [PaErrorCode -9997]")
        stream = FakeStream(**kwargs)
        self.streams.append(stream)
        return stream

    @property
    def stream(self) -> FakeStream:
        """The most recently built stream."""
        return self.streams[-1]
