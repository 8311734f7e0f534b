"""The worker bridge: training in one background QThread, results to the views as queued signals.

Layout (DESIGN.md, "Threading"):

- :class:`WorkerBridge` (this module) lives on the GUI thread. It owns one ``QThread`` and
  one :class:`~seqlab.ui.training_worker.TrainingWorker` moved to it, for the life of the
  window. Every view is fed by the bridge's signals; nothing else talks to the training thread.
- The worker (``training_worker.py``) does everything that needs torch, on its thread:
  importing torch (so the window appears before torch has loaded), building any family's run,
  computing the live snapshots its views draw, saving and opening run folders; it keeps the
  last few runs so any can be saved (``kept_runs.py``). It knows no family: it asks the run's
  ``Trainable`` for snapshots by kind name.
- What the window asks of it travels as jobs (``worker_jobs.py``): a run to train or open, or
  a family's own job (live listening ...) that runs on the training thread instead of training.
- A bridge callback (``bridge_callback.py``) runs inside the engine's loop and throttles at
  the source: logged rows go out in batches at most ~20 times a second; each on-demand
  snapshot kind the family declares (``Family.snapshot_kinds``: a trace of every gate,
  predictions ...) is computed only while a visible view wants it, at most every
  ``interval`` seconds and within ``budget`` of the training thread's time; kinds the
  family publishes itself (gradient records) are forwarded as they come. The rate limits
  use the wall clock of the training thread, so training speed never depends on how fast
  the screen redraws.
- Commands (pause, resume, single step, stop, learning rate, clipping) go to the engine's
  thread-safe methods; requests that need the model (a trace for another sample, a save)
  are queued and served on the training thread between steps, while paused, or after the
  run has ended.

Live data reaches the views through one generic signal, ``snapshot(run id, kind,
payload)``; lifecycle signals (started, rows, validation, paused, finished, failed, opened,
saved) carry the generic engine's results. Signals carry detached CPU numpy arrays and
plain dicts and always start with the run id, so a late signal of a stopped run is never
mistaken for the new run's.
"""

from __future__ import annotations

import weakref
from typing import Any, Callable

from PySide6.QtCore import QObject, QThread, Signal

# re-exported: the bridge's public names have lived here since before the split
from seqlab.ui.bridge_callback import ROW_INTERVAL, ViewDemand
from seqlab.ui.kept_runs import KEPT_RUNS
from seqlab.ui.training_worker import TrainingWorker, lab_threads
from seqlab.ui.worker_jobs import FamilyJob, JobContext, RunJob

SHUTDOWN_WAIT_MS = 5000      # the longest a closing window waits for the training thread

_THREADS: "weakref.WeakSet[QThread]" = weakref.WeakSet()
_LEAKED: list = []           # threads that did not end in time: kept alive rather than destroyed running


def running_threads() -> list[QThread]:
    """Training threads started by any bridge that are still running (tests assert none)."""
    out = []
    for t in list(_THREADS):
        try:
            if t.isRunning():
                out.append(t)
        except RuntimeError:     # the C++ object is gone: it is not running
            pass
    return out


class WorkerBridge(QObject):
    """The GUI thread's handle on the training thread. One bridge serves every view.

    Its signals are the worker's, re-emitted on the GUI thread (all start with the run id).
    """

    ready = Signal(object)
    started = Signal(int, object)
    rows = Signal(int, object)
    validation = Signal(int, object)
    snapshot = Signal(int, str, object)
    paused = Signal(int, bool, int)
    finished = Signal(int, object)
    failed = Signal(int, str)
    opened = Signal(int, object)
    saved = Signal(str, int)
    notice = Signal(str)
    job_started = Signal(int, str)
    job_ended = Signal(int, str)

    _submit_job = Signal(object)       # GUI -> worker (queued)
    _submit_family_job = Signal(object)
    _wake = Signal()
    _warm = Signal()

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.demand = ViewDemand()
        self._thread: QThread | None = None
        self._worker: TrainingWorker | None = None
        self._job: RunJob | None = None
        self._family_jobs: dict[int, FamilyJob] = {}
        self._next_id = 0
        self.torch_info: dict | None = None
        self._closed = False
        self.ready.connect(self._on_ready)
        self.finished.connect(self._on_done)
        self.failed.connect(self._on_done)
        self.job_ended.connect(lambda jid, _m: self._family_jobs.pop(jid, None))

    # -- the thread ----------------------------------------------------------------------
    def _ensure_thread(self) -> TrainingWorker:
        if self._closed:
            raise RuntimeError("the training thread of this window has been shut down")
        if self._worker is not None:
            return self._worker
        th = QThread()
        th.setObjectName("seqlab-training")
        w = TrainingWorker(self.demand)
        w.moveToThread(th)
        for name in ("ready", "started", "rows", "validation", "snapshot",
                     "paused", "finished", "failed", "opened", "saved", "notice", "job_started", "job_ended"):
            getattr(w, name).connect(getattr(self, name))
        self._submit_job.connect(w.start_job)
        self._submit_family_job.connect(w.run_family_job)
        self._wake.connect(w.drain)
        self._warm.connect(w.warm_up)
        th.finished.connect(w.deleteLater)
        _THREADS.add(th)
        th.start()
        self._thread, self._worker = th, w
        return w

    def warm_up(self) -> None:
        """Start the training thread and load torch there now, so Start is instant later."""
        self._ensure_thread()
        self._warm.emit()

    def _on_ready(self, info) -> None:
        self.torch_info = info

    # -- runs ----------------------------------------------------------------------------
    @property
    def running(self) -> bool:
        """A run has been started and has not finished or failed yet."""
        return self._job is not None and self._job.kind == "train"

    @property
    def current_run_id(self) -> int | None:
        return self._job.run_id if self._job else None

    def start(self, spec, label: str = "", start_from_loaded: bool = False) -> int:
        """Stop any run in progress and start a new one; returns its run id.

        The old run stops at its next step; the worker starts the new one right after it.
        """
        return self._submit_run(lambda run_id: RunJob(run_id, spec, label=label, start_from_loaded=start_from_loaded))

    def open_run(self, path: str) -> int:
        """Read a run folder on the training thread; answers with ``opened`` or ``failed``."""
        return self._submit_run(lambda run_id: RunJob(run_id, None, label="", path=str(path), kind="open"))

    def _submit_run(self, make_job: Callable[[int], RunJob]) -> int:
        """Stop the run in progress and any family job (live listening gives the thread to
        training), then hand the worker a new run job under a new id."""
        self.stop()
        self.stop_jobs()
        self._next_id += 1
        job = make_job(self._next_id)
        self._job = job
        self._ensure_thread()
        self._submit_job.emit(job)
        return job.run_id

    def _on_done(self, run_id: int, *_):
        if self._job is not None and self._job.run_id == run_id:
            self._job = None

    # -- family jobs ---------------------------------------------------------------------
    def submit_job(self, fn: Callable[[JobContext], Any], label: str = "") -> int:
        """Run ``fn(context)`` on the training thread (see :class:`FamilyJob`); returns its id.

        Any earlier family job is cancelled first (one at a time). A training run in progress
        keeps the thread: the job starts when the run ends (``job_started`` says when).
        Answers ``job_started``, then ``snapshot(job id, kind, payload)`` as it publishes,
        then ``job_ended(job id, message)``.
        """
        self.stop_jobs()
        self._next_id += 1
        job = FamilyJob(self._next_id, fn, label)
        self._family_jobs[job.job_id] = job
        self._ensure_thread()
        self._submit_family_job.emit(job)
        return job.job_id

    def stop_jobs(self, job_id: int | None = None) -> None:
        """Ask a family job (or all of them) to end; it answers ``job_ended``."""
        for jid, job in list(self._family_jobs.items()):
            if job_id is None or jid == job_id:
                job.cancelled.set()

    def job_running(self, job_id: int) -> bool:
        return job_id in self._family_jobs

    # -- commands ------------------------------------------------------------------------
    def _command(self, name: str, *args) -> None:
        if self._job is not None and self._job.kind == "train":
            self._job.command(name, *args)

    def pause(self) -> None: self._command("pause")
    def resume(self) -> None: self._command("resume")
    def step_once(self) -> None: self._command("step_once")
    def set_lr(self, lr: float) -> None: self._command("set_lr", float(lr))

    def set_clipping(self, norm: float | None = None, value: float | None = None) -> None:
        self._command("set_clipping", norm, value)

    def set_control(self, name: str, value: Any) -> None:
        """Change one of the running model's live settings (a GAN's train mode or learning
        rates): ``Trainable.set_control(name, value)`` is called on the training thread
        between two steps, if the run's trainable has it. Nothing happens when no run is
        training."""
        def apply(w: TrainingWorker) -> None:
            t = w.target
            fn = getattr(t.trainable, "set_control", None) if t is not None and w.active is not None else None
            if fn is not None:
                fn(name, value)
        if self.running:
            self._request(apply)

    def stop(self) -> None:
        """Ask the current run to stop at its next step (it keeps its weights and curves)."""
        if self._job is not None:
            self._job.command("stop")

    # -- what the views want -------------------------------------------------------------
    def set_demand(self, kinds) -> None:
        """Say which snapshot kinds the visible views draw; a newly wanted kind is sent at once."""
        d = self.demand
        kinds = frozenset(kinds)
        new = kinds - d.kinds
        d.kinds = kinds
        for kind in new:
            self.request_snapshot(kind)

    def set_request(self, **request) -> None:
        """Change what the snapshots are of (``sample=5``, ``split='val'``): the wanted kinds
        are sent again at once."""
        d = self.demand
        d.request = {**d.request, **request}
        d.version += 1
        for kind in d.kinds:
            self.request_snapshot(kind)

    def select_sample(self, index: int, split: str | None = None) -> None:
        """Snapshots of another sample (index into the split)."""
        self.set_request(sample=max(0, int(index)), **({"split": split} if split else {}))

    def request_snapshot(self, kind: str) -> None:
        def serve(w):
            t = w.target
            if t is not None and t.trainable is not None:
                w.emit_snapshot(t.run_id, t.trainable, kind)
        self._request(serve)

    def save(self, path: str, run_id: int | None = None) -> None:
        """Write a run (the last trained or opened by default) as a run folder; answers
        ``saved`` (path, run id) or ``notice``."""
        self._request(lambda w: w.save_target(str(path), run_id))

    def forget(self, run_id: int) -> None:
        self._request(lambda w: w.forget(run_id))

    def _request(self, fn: Callable[[TrainingWorker], Any]) -> None:
        if self._closed or self._worker is None:
            return
        w = self._worker
        w.requests.put(lambda: fn(w))
        job = self._job
        eng = job.engine if job is not None else None
        if eng is not None:
            eng.call_soon(w.drain)   # served between steps, or at once while paused
        self._wake.emit()            # served by the idle worker (after a run has ended)

    # -- shutting down -------------------------------------------------------------------
    def shutdown(self, timeout_ms: int = SHUTDOWN_WAIT_MS) -> bool:
        """Stop the run, end the thread and wait for it. True when it ended in time."""
        self._closed = True
        self.stop()
        self.stop_jobs()
        th, self._thread, self._worker = self._thread, None, None
        if th is None:
            return True
        th.quit()
        ok = th.wait(timeout_ms)
        if not ok:
            # Never destroy a running QThread (that aborts the process): keep it alive
            # until it ends; its run has been told to stop.
            _LEAKED.append(th)
        return ok

    def has_worker(self) -> bool:
        """The training thread has been started (something may have been trained or opened)."""
        return self._worker is not None

    def is_thread_running(self) -> bool:
        return self._thread is not None and self._thread.isRunning()


__all__ = ["WorkerBridge", "TrainingWorker", "ViewDemand", "RunJob", "FamilyJob", "JobContext", "running_threads",
           "ROW_INTERVAL", "KEPT_RUNS", "SHUTDOWN_WAIT_MS", "lab_threads"]
