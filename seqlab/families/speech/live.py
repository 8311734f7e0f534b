"""Live keyword recognition from a microphone: Qt-free, for ``seqlab listen`` and the Live page.

:class:`LiveRecogniser` is polled by its owner (a loop in the command line, the worker thread
in the window); the PortAudio callback only copies into the capture's ring buffer. Each poll:

1. reads the new samples (resampled to the features' 16 kHz when the device runs at another rate);
2. computes only the new MFCC frames (:class:`~seqlab.audio.feature_stream.FeatureStream` over
   the run's own front end) into a sliding window of one second (101 frames);
3. runs the network on the window (it was trained on one-second clips; the window moves by
   however many frames arrived, about 20 ms, so windows overlap by ~98 %), giving class
   probabilities;
4. smooths them (exponential, time constant ``smoothing_s``) and reports a detection when a
   word's smoothed probability rises through ``threshold`` (``_silence_`` / ``_unknown_`` are
   never reported), at most once per ``refractory_s``;
5. measures, for every block whose samples entered this prediction, the time from the block's
   arrival (stamped in the callback) to the prediction.

:meth:`LiveRecogniser.trace` runs the recurrent probe on the current window: every gate and
the cell state, frame by frame, for the gate views.
"""

from __future__ import annotations

import math
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import torch

from seqlab.audio.feature_stream import FeatureStream
from seqlab.families.recurrent.probes import probe

from .recogniser import Recogniser

LATENCY_KEEP = 20000       # latencies kept for percentiles (about 7 minutes of 20 ms blocks)


@dataclass(frozen=True)
class Detection:
    word: str
    time: float            # seconds of audio since listening started, at the prediction
    prob: float            # smoothed probability when it fired

    def as_dict(self) -> dict[str, Any]:
        return {"word": self.word, "time": round(self.time, 3), "prob": round(self.prob, 4)}


@dataclass
class LiveUpdate:
    """What one poll produced (None from :meth:`LiveRecogniser.poll` when no new frame came)."""

    time: float                         # audio seconds at the end of the window
    probs: np.ndarray                   # [K] this window's class probabilities
    smoothed: np.ndarray                # [K] after smoothing
    detections: list[Detection] = field(default_factory=list)
    latencies: np.ndarray = field(default_factory=lambda: np.zeros(0))   # seconds, one per new block
    new_frames: np.ndarray | None = None  # [n, F] raw MFCC frames that arrived (for views)


class LiveRecogniser:
    """A trained recogniser over a :class:`~seqlab.audio.capture.MicrophoneCapture`."""

    def __init__(self, recogniser: Recogniser, capture, *, threshold: float = 0.7, smoothing_s: float = 0.1,
                 refractory_s: float = 0.8):
        self.rec = recogniser
        self.capture = capture
        self.threshold = float(threshold)
        self.smoothing_s = float(smoothing_s)
        self.refractory_s = float(refractory_s)
        fe = recogniser.frontend
        self.sample_rate = int(fe.spec.sample_rate)
        self.hop_s = fe.spec.hop_length / self.sample_rate
        self.class_names = list(recogniser.class_names)
        self._reportable = np.array([not n.startswith("_") for n in self.class_names])
        self._stream = FeatureStream(fe.mfcc)
        T = recogniser.window_frames
        with torch.no_grad():    # the window starts as digital silence, as clips are padded with it
            quiet = fe.mfcc(torch.zeros(recogniser.window_samples))
        self._window = quiet.clone()                   # raw frames [T, F], newest last
        self.T = T
        k = len(self.class_names)
        self._smoothed = np.zeros(k)
        self._smoothed[:] = 1.0 / k
        self._prev_smoothed = self._smoothed.copy()
        self._last_time: float | None = None
        self._last_detection = -math.inf
        self._blocks_seen = 0
        self.latencies: deque[float] = deque(maxlen=LATENCY_KEEP)
        self.detections: list[Detection] = []
        self.predictions = 0
        self.compute_s: deque[float] = deque(maxlen=LATENCY_KEEP)

    # -- control -------------------------------------------------------------------------
    def start(self) -> None:
        """Open the microphone (AudioError when it cannot) and start from silence."""
        self.capture.start()
        self._blocks_seen = self.capture.blocks

    def stop(self) -> None:
        self.capture.stop()

    def mark_read(self, blocks: int) -> None:
        """The owner discarded audio up to block `blocks`: no latency is measured for those."""
        self._blocks_seen = int(blocks)

    @property
    def error(self) -> str | None:
        return self.capture.error

    @property
    def overflows(self) -> dict[str, int]:
        """PortAudio's input-overflow flags and samples lost because the reader fell behind."""
        return {"input_overflows": int(self.capture.input_overflows),
                "overflow_samples": int(self.capture.overflow_samples)}

    # -- one poll ------------------------------------------------------------------------
    def _read(self) -> np.ndarray:
        if self.capture.samplerate == self.sample_rate:
            return self.capture.read()
        return self.capture.read_resampled(self.sample_rate)

    @torch.no_grad()
    def poll(self) -> LiveUpdate | None:
        blocks = self.capture.blocks              # every block counted here is in what read() returns
        samples = self._read()
        if samples.size == 0:
            return None
        frames = self._stream.push(samples)
        if len(frames) == 0:
            return None
        t0 = time.perf_counter()
        n = min(len(frames), self.T)
        self._window = torch.cat([self._window[n:], frames[-n:].to(self._window)])
        x = self.rec.frontend.normalise(self._window)[None]
        probs = self.rec.probabilities(x)[0].double().numpy()
        done = time.perf_counter()
        self.compute_s.append(done - t0)
        self.predictions += 1
        now_audio = self._stream.frames_emitted * self.hop_s
        lat = self._latencies(blocks, done)
        smoothed = self._smooth(probs, now_audio)
        found = self._detect(smoothed, now_audio)
        return LiveUpdate(now_audio, probs, smoothed, found, lat, frames.numpy())

    def _latencies(self, blocks: int, done: float) -> np.ndarray:
        new = blocks - self._blocks_seen
        self._blocks_seen = blocks
        if new <= 0:
            return np.zeros(0)
        arrival = self.capture.block_times().arrival
        lat = done - arrival[-new:] if len(arrival) >= new else done - arrival
        # the newest blocks may have arrived after `blocks` was read: they are counted next poll
        self.latencies.extend(lat.tolist())
        return lat

    def _smooth(self, probs: np.ndarray, now: float) -> np.ndarray:
        dt = self.hop_s if self._last_time is None else max(now - self._last_time, 0.0)
        self._last_time = now
        prev = self._smoothed.copy()
        a = 1.0 - math.exp(-dt / self.smoothing_s) if self.smoothing_s > 0 else 1.0
        self._smoothed = prev + a * (probs - prev)
        self._prev_smoothed = prev
        return self._smoothed

    def _detect(self, smoothed: np.ndarray, now: float) -> list[Detection]:
        prev = self._prev_smoothed
        rising = self._reportable & (smoothed >= self.threshold) & (prev < self.threshold)
        if not rising.any() or now - self._last_detection < self.refractory_s:
            return []
        k = int(np.argmax(np.where(rising, smoothed, -1.0)))
        d = Detection(self.class_names[k], now, float(smoothed[k]))
        self._last_detection = now
        self.detections.append(d)
        return [d]

    # -- what the views and benchmarks read ---------------------------------------------------
    @torch.no_grad()
    def trace(self) -> dict[str, Any]:
        """Every gate and state of the network on the current window (the recurrent probe)."""
        m = self.rec.model
        x = self.rec.frontend.normalise(self._window)[None]
        result = probe(m.rnn, m.rnn_input(x))
        pred = torch.softmax(m.readout(result.output), -1)
        spec = self.rec.spec.model
        return {"states": result.numpy(0), "x": x[0].numpy(), "pred": pred[0].numpy(),
                "cell": spec.cell, "num_layers": spec.num_layers, "bidirectional": spec.bidirectional,
                "task": spec.task, "nonlinearity": spec.nonlinearity, "class_names": self.class_names,
                "time": self._stream.frames_emitted * self.hop_s}

    def window_frames(self) -> np.ndarray:
        """The raw MFCC frames of the current window [T, F]."""
        return self._window.numpy().copy()

    def latency_stats(self) -> dict[str, float]:
        """Block arrival -> prediction, in milliseconds (p50, p95, max) over the blocks so far."""
        lat = np.asarray(self.latencies) * 1000.0
        if lat.size == 0:
            return {"blocks": 0}
        return {"blocks": int(lat.size), "p50_ms": float(np.percentile(lat, 50)),
                "p95_ms": float(np.percentile(lat, 95)), "max_ms": float(lat.max()),
                "compute_p50_ms": float(np.percentile(np.asarray(self.compute_s) * 1000, 50))}


__all__ = ["LiveRecogniser", "LiveUpdate", "Detection"]
