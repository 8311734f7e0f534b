"""Microphone capture: a PortAudio input stream whose callback only copies into a ring buffer.

The callback runs on PortAudio's thread with a deadline of one block, so it does no work that
could stall: it downmixes into a preallocated mono array, writes to the :class:`RingBuffer`,
stores the block's arrival time in a preallocated array and counts PortAudio's overflow flags.
Everything else (reading, resampling, level meters) happens on the consumer side, e.g. a GUI
timer or a listener loop. A device that disappears mid-stream sets :attr:`error` and stops
:attr:`running`; nothing is raised from the callback thread.
"""

from __future__ import annotations

import time
from typing import Callable, NamedTuple

import numpy as np

from seqlab.audio.devices import load_sounddevice, resolve_device
from seqlab.audio.errors import AudioError
from seqlab.audio.resample import StreamResampler
from seqlab.audio.ring_buffer import RingBuffer

_SILENCE_DB = -120.0      # what level_db reports for digital silence (log of 0 is -inf)


class _CallbackAbort(Exception):
    """Used in place of sounddevice.CallbackAbort when a fake stream factory is injected."""


class Level(NamedTuple):
    """Loudness of recent audio in dB relative to full scale (0 dBFS is a full-scale square wave)."""
    rms_db: float
    peak_db: float


class BlockTimes(NamedTuple):
    """Per-block timing, oldest first: arrival (time.perf_counter in the callback), PortAudio's
    ADC time of the block's first sample (stream clock, may be 0 on some hosts) and the ring
    buffer's sample clock after the block (so a sample position maps to its block)."""
    arrival: np.ndarray
    adc_time: np.ndarray
    end_sample: np.ndarray


class MicrophoneCapture:
    """Record mono float32 audio from an input device into a ring buffer.

    ``device``: index, name part or None for the default input. ``blocksize``: samples per
    callback, default 20 ms at the rate in use. If the device refuses ``samplerate``, the
    stream opens at the device's default rate; :attr:`samplerate` says which one is used
    (:meth:`read_resampled` converts). ``stream_factory`` replaces ``sounddevice.InputStream``
    (see :mod:`seqlab.audio.fake_stream`); it is called with the same keyword arguments.
    """

    def __init__(self, device: int | str | None = None, samplerate: int = 16000, blocksize: int | None = None,
                 channels: int = 1, *, buffer_seconds: float = 10.0, timing_blocks: int = 1024,
                 stream_factory: Callable | None = None):
        if int(samplerate) != samplerate or samplerate <= 0:
            raise AudioError(f"samplerate must be a positive whole number of Hz, got {samplerate!r}")
        if int(channels) != channels or channels < 1:
            raise AudioError(f"channels must be 1 or more, got {channels!r}")
        if blocksize is not None and (int(blocksize) != blocksize or blocksize < 1):
            raise AudioError(f"blocksize must be a positive number of samples, got {blocksize!r}")
        if buffer_seconds <= 0:
            raise AudioError(f"buffer_seconds must be positive, got {buffer_seconds!r}")
        self.device = device
        self.requested_samplerate = int(samplerate)
        self.samplerate = int(samplerate)
        self.channels = int(channels)
        self._blocksize_arg = blocksize
        self.blocksize = blocksize or max(1, round(0.02 * samplerate))
        self._buffer_seconds = float(buffer_seconds)
        self._stream_factory = stream_factory
        self._factory: Callable | None = None
        self._abort_exc: type[Exception] = _CallbackAbort
        self._stream = None
        self._stopping = False
        self._running = False
        self.error: str | None = None
        self.input_overflows = 0          # blocks PortAudio flagged as input overflow
        self._ring = RingBuffer(1)
        self._mono = np.zeros(self.blocksize, dtype=np.float32)
        n = int(timing_blocks)
        self._arrival = np.zeros(n, dtype=np.float64)
        self._adc = np.zeros(n, dtype=np.float64)
        self._end = np.zeros(n, dtype=np.int64)
        self._blocks = 0
        self._resampler: StreamResampler | None = None

    # --- the PortAudio thread ---------------------------------------------------------
    def _callback(self, indata, frames, time_info, status) -> None:
        arrival = time.perf_counter()
        try:
            if status and status.input_overflow:
                self.input_overflows += 1
            mono, ring, ch = self._mono, self._ring, indata.shape[1]
            step = len(mono)
            for i in range(0, frames, step):       # one pass unless PortAudio sends a bigger block
                m = min(step, frames - i)
                if ch == 1:
                    ring.write(indata[i:i + m, 0])
                else:
                    np.sum(indata[i:i + m], axis=1, out=mono[:m])
                    mono[:m] *= 1.0 / ch
                    ring.write(mono[:m])
            slot = self._blocks % len(self._arrival)
            self._arrival[slot] = arrival
            self._adc[slot] = time_info.inputBufferAdcTime
            self._end[slot] = ring.samples_written
            self._blocks += 1
        except Exception as e:   # a bug here must end the stream with a message, not kill the thread
            self.error = f"Audio capture failed inside the input callback: {e!r}"
            raise self._abort_exc from e

    def _finished(self) -> None:
        self._running = False
        if not self._stopping and self.error is None:
            self.error = ("The microphone stopped delivering audio (was it unplugged or taken by "
                          "another program?).")

    # --- control -------------------------------------------------------------------------
    def _open(self, samplerate: int):
        blocksize = self._blocksize_arg or max(1, round(0.02 * samplerate))
        self._mono = np.zeros(blocksize, dtype=np.float32)
        return self._factory(device=self.device, samplerate=samplerate, blocksize=blocksize,
                             channels=self.channels, dtype="float32", callback=self._callback,
                             finished_callback=self._finished)

    def start(self) -> None:
        """Open the device and start recording; raises :class:`AudioError` saying why it cannot."""
        if self._stream is not None:
            return
        if self._stream_factory is None:
            sd = load_sounddevice()
            self._abort_exc = sd.CallbackAbort
            self.device = resolve_device(self.device)
            self._factory = sd.InputStream
            try:
                default_rate = sd.query_devices(self.device, "input")["default_samplerate"]
            except Exception:        # no default known: only the requested rate is tried
                default_rate = None
        else:
            self._factory = self._stream_factory
            default_rate = getattr(self._factory, "default_samplerate", None)
        self.error = None
        try:
            stream = self._open(self.requested_samplerate)
        except Exception as first:   # PortAudio refuses with its own error type; report its text
            if not default_rate or int(default_rate) == self.requested_samplerate:
                raise AudioError(f"Could not open input device {self.device!r}: {first}") from None
            try:
                stream = self._open(int(default_rate))
            except Exception as second:
                raise AudioError(f"Could not open input device {self.device!r} at "
                                 f"{self.requested_samplerate} Hz ({first}) nor at its default "
                                 f"{int(default_rate)} Hz ({second}).") from None
        self.samplerate = int(round(stream.samplerate))
        self.blocksize = len(self._mono)
        self._ring = RingBuffer(max(self.blocksize, int(self._buffer_seconds * self.samplerate)))
        self._blocks = 0
        self.input_overflows = 0
        self._resampler = None
        self._stopping = False
        self._stream = stream
        self._running = True
        try:
            stream.start()
        except Exception as e:
            self._running = False
            self._stream = None
            try:
                stream.close()
            except Exception:
                pass               # the start error below is the one worth reporting
            raise AudioError(f"Could not start recording from input device {self.device!r}: {e}") from None

    def stop(self) -> None:
        """Stop recording and close the device; safe to call any number of times."""
        stream, self._stream = self._stream, None
        if stream is None:
            return
        self._stopping = True
        try:
            stream.stop()
            stream.close()
        except Exception as e:       # an unplugged device can fail to close; keep the first error
            if self.error is None:
                self.error = f"Closing the input device failed: {e}"
        self._running = False

    def __enter__(self) -> "MicrophoneCapture":
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def running(self) -> bool:
        """True while audio is arriving; False after stop(), an error or a vanished device."""
        if self._running and self._stream is not None:
            try:
                active = bool(self._stream.active)
            except Exception as e:      # PortAudioError when the device is gone
                active = False
                self.error = self.error or f"The microphone is no longer available: {e}"
            if not active and not self._stopping:
                self._finished()
        return self._running and self.error is None

    # --- consumer side -----------------------------------------------------------------
    @property
    def samples_written(self) -> int:
        """Samples captured since start(): the capture clock at :attr:`samplerate`."""
        return self._ring.samples_written

    @property
    def overflow_samples(self) -> int:
        """Samples lost because the consumer read too late (the ring buffer overflowed)."""
        return self._ring.overflow_samples

    def read(self) -> np.ndarray:
        """Unread samples at :attr:`samplerate`, oldest first (float32 mono)."""
        return self._ring.read_available()

    def read_resampled(self, target_rate: int) -> np.ndarray:
        """Unread samples converted to ``target_rate`` Hz, seamless across calls."""
        r = self._resampler
        if r is None or r.sr_to != target_rate or r.sr_from != self.samplerate:
            r = self._resampler = StreamResampler(self.samplerate, target_rate)
        return r.process(self.read())

    def latest(self, n: int) -> np.ndarray:
        """The last ``n`` samples (for waveform views); does not consume them."""
        return self._ring.latest(n)

    def level_db(self, seconds: float = 0.05) -> Level:
        """RMS and peak level of the last ``seconds`` of audio in dBFS (-120 for silence)."""
        x = self.latest(max(1, int(seconds * self.samplerate)))
        rms = float(np.sqrt(np.mean(np.square(x, dtype=np.float64))))
        peak = float(np.max(np.abs(x)))
        to_db = lambda v: max(_SILENCE_DB, 20.0 * np.log10(v)) if v > 0 else _SILENCE_DB
        return Level(to_db(rms), to_db(peak))

    @property
    def blocks(self) -> int:
        """Blocks delivered by PortAudio since start()."""
        return self._blocks

    def block_times(self) -> BlockTimes:
        """Timing of the most recent blocks (up to ``timing_blocks`` of them), oldest first."""
        n_slots = len(self._arrival)
        stop = self._blocks
        start = max(0, stop - n_slots)
        idx = np.arange(start, stop) % n_slots
        arrival, adc, end = self._arrival[idx], self._adc[idx], self._end[idx]
        lapped = self._blocks - n_slots - start      # slots the callback overwrote while we copied
        if lapped > 0:
            arrival, adc, end = arrival[lapped:], adc[lapped:], end[lapped:]
        return BlockTimes(arrival, adc, end)

    def arrival_of(self, sample_position: int) -> float | None:
        """perf_counter time at which the block holding ``sample_position`` arrived (None if unknown)."""
        t = self.block_times()
        i = int(np.searchsorted(t.end_sample, sample_position, side="right"))
        return float(t.arrival[i]) if i < len(t.arrival) else None
