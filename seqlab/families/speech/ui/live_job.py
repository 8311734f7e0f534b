"""Live listening as a job of the window's worker bridge (``WorkerBridge.submit_job``).

It runs on the training thread, so the GUI thread never waits on the network: it polls a
:class:`~seqlab.families.speech.live.LiveRecogniser` over the capture the Microphone page
owns, and publishes ``live`` (probabilities, detections, latency, overflows; ~30 a second)
and, while the Live page shows the gates, ``live_trace`` (every gate and the cell state of
the current one-second window, ~10 a second) through the bridge's ``snapshot`` signal.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

LIVE_INTERVAL = 1 / 30
TRACE_INTERVAL = 0.1


@dataclass
class LiveSettings:
    """Set from the GUI thread, read by the job (plain attribute writes are atomic)."""

    threshold: float = 0.7
    want_trace: bool = True


def listen_job(capture, settings: LiveSettings):
    """The job function: listen on `capture` with the worker's current speech run."""

    def run(ctx) -> None:
        import torch

        from ..live import LiveRecogniser
        from ..recogniser import recogniser_from_trainable

        if ctx.trainable is None:
            raise RuntimeError("Train a speech model first (or open a speech run folder), then press Listen.")
        rec = recogniser_from_trainable(ctx.trainable)
        live = LiveRecogniser(rec, capture, threshold=settings.threshold)
        live.start()                  # the capture is already running: this only marks the start
        seen = capture.blocks
        capture.read()                # begin with what is said from now on
        live.mark_read(seen)
        last_live = last_trace = 0.0
        pending = []
        with torch.no_grad():
            while not ctx.cancelled.is_set():
                if not capture.running:
                    raise RuntimeError(capture.error or "the microphone stopped delivering audio")
                live.threshold = settings.threshold
                update = live.poll()
                if update is None:
                    ctx.serve()
                    time.sleep(0.005)
                    continue
                pending += [d.as_dict() for d in update.detections]
                now = time.perf_counter()
                if now - last_live >= LIVE_INTERVAL or pending:
                    last_live = now
                    ctx.emit("live", {"time": update.time, "probs": update.probs.astype("float32"),
                                      "smoothed": update.smoothed.astype("float32"),
                                      "class_names": live.class_names, "detections": pending,
                                      "latency": live.latency_stats(), **live.overflows})
                    pending = []
                if settings.want_trace and now - last_trace >= TRACE_INTERVAL:
                    last_trace = now
                    ctx.emit("live_trace", live.trace())

    return run


__all__ = ["LiveSettings", "listen_job"]
