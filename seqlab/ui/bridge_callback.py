"""The engine's side of the worker bridge: what visible views want, and the callback that
throttles the engine's results into the worker's signals at the source.

:class:`ViewDemand` is written by the GUI thread and read by the training thread;
:class:`_BridgeCallback` runs inside the engine's loop (on the training thread) and sends
logged rows in batches at most ~20 times a second, each on-demand snapshot kind a family
declares only while a view wants it (at most every ``interval`` seconds and within ``budget``
of the training thread's time), and every snapshot the family publishes itself.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from seqlab.ui.training_worker import TrainingWorker
    from seqlab.ui.worker_jobs import RunJob

ROW_INTERVAL = 0.05          # seconds between batches of logged rows (<= 20 emits/s)


class ViewDemand:
    """What the visible views want from the training thread.

    Written by the GUI thread, read by the training thread between steps: plain attributes,
    each assignment atomic under the GIL (``kinds`` is replaced, never mutated), so no lock
    is needed.
    """

    def __init__(self):
        self.kinds: frozenset[str] = frozenset()   # snapshot kinds a visible view draws
        self.request: dict[str, Any] = {"sample": 0, "split": "val"}   # which sample, split ...
        self.version = 0            # bumped when the request changes: the next snapshot is due at once
        self.min_interval: dict[str, float] = {}   # the window cannot draw a kind faster than this

    def wants(self, kind: str) -> bool:
        return kind in self.kinds


def _plain(d: dict) -> dict:
    """Numbers as Python floats (no tensors, no numpy scalars) for the GUI."""
    out = {}
    for k, v in d.items():
        if hasattr(v, "item") and getattr(v, "ndim", 0) == 0:
            v = v.item()
        out[k] = v
    return out


class _BridgeCallback:
    """Engine hooks on the training thread -> throttled worker signals.

    A plain object (the engine calls hooks by name), so this module need not import torch.
    """

    def __init__(self, worker: "TrainingWorker", job: RunJob, run):
        self.w, self.run = worker, run
        self.rid = job.run_id
        self.demand = worker.demand
        self.kinds = {k: v for k, v in run.family_def.snapshot_kinds.items() if v.on_demand}
        self._rows: list[dict] = []
        self._vals: list[dict] = []      # validations waiting for the next batch of rows
        now = time.perf_counter()
        self._next_rows = now
        self._next = {k: now for k in self.kinds}
        self._version = {k: -1 for k in self.kinds}

    # -- throttled sends ----------------------------------------------------------------
    def flush_rows(self) -> None:
        """Logged rows, then the validations made meanwhile (each at its own step)."""
        if self._rows:
            rows, self._rows = self._rows, []
            self.w.rows.emit(self.rid, rows)
        if self._vals:
            vals, self._vals = self._vals, []
            for v in vals:
                self.w.validation.emit(self.rid, v)
        self._next_rows = time.perf_counter() + ROW_INTERVAL

    def send(self, kind: str, engine=None) -> None:
        spec = self.kinds[kind]
        t0 = time.perf_counter()
        self.w.emit_snapshot(self.rid, self.run.family, kind, step=engine.step if engine else None)
        cost = time.perf_counter() - t0
        self._next[kind] = time.perf_counter() + max(spec.interval, cost / spec.budget,
                                                     self.demand.min_interval.get(kind, 0.0) * 0.9)
        self._version[kind] = self.demand.version

    def send_wanted(self, engine, force: bool = False) -> None:
        d = self.demand
        now = time.perf_counter()
        for kind in self.kinds:
            if d.wants(kind) and (force or now >= self._next[kind] or d.version != self._version[kind]):
                self.send(kind, engine)

    # -- hooks ---------------------------------------------------------------------------
    def on_train_start(self, engine) -> None:
        self.send_wanted(engine, force=True)

    def on_step_end(self, engine, out) -> None:
        stepping = engine.paused       # a single step while paused: show its result at once
        self.send_wanted(engine, force=stepping)
        if (self._rows or self._vals) and (stepping or time.perf_counter() >= self._next_rows):
            self.flush_rows()
        if not self.w.requests.empty():
            self.w.drain()

    def on_snapshot(self, engine, kind: str, payload) -> None:
        """A kind the family publishes itself (gradient records): every one is forwarded."""
        self.w.snapshot.emit(self.rid, kind, _plain(payload) if isinstance(payload, dict) else payload)

    def on_log(self, engine, row) -> None:
        self._rows.append(row)
        if time.perf_counter() >= self._next_rows or engine.paused:
            self.flush_rows()

    def on_validation(self, engine, metrics) -> None:
        # Sent with the rows, at most ~20 times a second: a small autoencoder validates 60
        # times a second, and each lone signal woke the window (and took the interpreter
        # lock from training) on its own.
        self._vals.append({"step": int(engine.step), "epoch": int(engine.epoch), **_plain(metrics)})
        if engine.paused or time.perf_counter() >= self._next_rows:
            self.flush_rows()

    def on_pause(self, engine, paused: bool) -> None:
        self.flush_rows()
        self.w.paused.emit(self.rid, bool(paused), int(engine.step))
        if paused:
            self.send_wanted(engine, force=True)

    def on_train_end(self, engine, summary) -> None:
        self.flush_rows()


__all__ = ["ViewDemand", "ROW_INTERVAL"]
