"""The worker bridge: training in one background QThread, results to the views as queued signals.

Layout (DESIGN.md, "Threading"):

- :class:`WorkerBridge` lives on the GUI thread. It owns one ``QThread`` and one
  :class:`TrainingWorker` moved to it, for the life of the window. Every view is fed by the
  bridge's signals; nothing else talks to the training thread.
- :class:`TrainingWorker` does everything that needs torch, on its thread: importing torch
  (so the window appears before torch has loaded), building any family's run with
  :class:`~seqlab.core.experiment_run.ExperimentRun`, computing the live snapshots its views
  draw, saving and opening run folders. It never touches a widget, and it knows no family:
  it asks the run's ``Trainable`` for snapshots by kind name.
- A bridge callback (:class:`_BridgeCallback`) runs inside the engine's loop and throttles
  at the source: logged rows go out in batches at most ~20 times a second; each on-demand
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

import os
import queue
import threading
import time
import traceback
import weakref
from dataclasses import dataclass, field
from typing import Any, Callable

from PySide6.QtCore import QObject, QThread, Signal, Slot

from seqlab.ui.bridge_callback import ROW_INTERVAL, ViewDemand, _BridgeCallback, _plain  # noqa: F401 (ROW_INTERVAL: re-exported)

KEPT_RUNS = 12               # runs whose models the worker keeps, so any of them can be saved
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


@dataclass
class RunJob:
    """One run the worker is asked to do; commands sent before its engine exists wait here."""

    run_id: int
    spec: Any                            # ExperimentSpec
    label: str = ""
    start_from_loaded: bool = False      # begin from the weights of the opened run folder
    path: str | None = None              # for an 'open' job
    kind: str = "train"                  # 'train' or 'open'
    cancelled: threading.Event = field(default_factory=threading.Event)
    engine: Any = None
    pending: list = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def command(self, name: str, *args) -> None:
        """Call engine.<name>(*args) now, or as soon as the engine exists."""
        with self.lock:
            if self.engine is None:
                self.pending.append((name, args))
                if name == "stop":
                    self.cancelled.set()
                return
            engine = self.engine
        getattr(engine, name)(*args)

    def attach(self, engine) -> None:
        with self.lock:
            self.engine = engine
            pending, self.pending = self.pending, []
        for name, args in pending:
            getattr(engine, name)(*args)


@dataclass
class FamilyJob:
    """A family's own job on the training thread (live listening ...), beside or instead of training.

    ``fn(context)`` runs on the training thread until it returns or ``context.cancelled`` is
    set (it must check it often); it publishes live data with ``context.emit(kind, payload)``,
    which reaches the views through the bridge's one ``snapshot`` signal with ``job_id`` as
    the run id. Job ids and run ids come from one counter, so they never collide.
    """

    job_id: int
    fn: Callable[["JobContext"], Any]
    label: str = ""
    cancelled: threading.Event = field(default_factory=threading.Event)


class JobContext:
    """What a family job sees of the worker: the last run trained or opened, and the signals."""

    def __init__(self, worker: "TrainingWorker", job: FamilyJob):
        self._worker = worker
        self.job = job
        self.job_id = job.job_id
        self.cancelled = job.cancelled
        t = worker.target
        self.trainable = t.trainable if t is not None else None   # the run's Trainable, or None
        self.spec = t.spec if t is not None else None

    def emit(self, kind: str, payload: Any) -> None:
        """Publish live data (plain dicts of numpy arrays) to the views, queued to the GUI thread."""
        self._worker.snapshot.emit(self.job_id, kind, payload)

    def serve(self) -> None:
        """Serve requests the window queued meanwhile (snapshots, saves); call it in the job's loop."""
        self._worker.drain()


@dataclass
class _Target:
    """What requests act on: the last run trained or opened."""

    run_id: int
    trainable: Any = None               # the run's Trainable (None when an opened run's data is gone)
    run: Any = None                     # ExperimentRun, when trained here
    record: Any = None                  # RunRecord, when opened from a folder
    spec: Any = None


def lab_threads() -> int:
    """PyTorch's compute threads in the lab: one core is left to the window.

    The recurrent models of the course are small; on a 2-core laptop a second compute thread
    gains little and takes the core the window needs to stay fluid (and OpenMP threads that
    spin while waiting for a busy core slow PyTorch down many times; see app.py).
    """
    n = os.cpu_count() or 2
    return max(1, min(n - 1, 8))


def _prime(torch) -> None:
    """One tiny forward and backward pass of each recurrent module: the first pass in a
    process sets up kernels and autograd (slowly), and it should not be the student's."""
    from torch import nn

    for cls in (nn.LSTM, nn.GRU, nn.RNN):
        m = cls(2, 4, batch_first=True)
        out, _ = m(torch.zeros(2, 5, 2))
        out.sum().backward()


class TrainingWorker(QObject):
    """Lives on the training thread; see the module docstring. Never touches a widget."""

    ready = Signal(object)             # {'torch': version, 'cuda': bool, 'gpu': name or None}
    started = Signal(int, object)      # run id, info (label, spec, parameters, device, data description ...)
    rows = Signal(int, object)         # run id, [row dict, ...]
    validation = Signal(int, object)   # run id, {'step', 'epoch', 'val_loss', ['val_acc']}
    snapshot = Signal(int, str, object)  # run id, kind, payload: live data a family's views draw
    paused = Signal(int, bool, int)    # run id, paused, the step it paused at
    finished = Signal(int, object)     # run id, summary
    failed = Signal(int, str)          # run id, a message for a person
    opened = Signal(int, object)       # run id, what a run folder held (see open_run)
    saved = Signal(str, int)           # the run folder written, the run id
    notice = Signal(str)               # a request failed: a message for a person
    job_started = Signal(int, str)     # family job id, its label
    job_ended = Signal(int, str)       # family job id, "" when it ended normally, else why it failed

    def __init__(self, demand: ViewDemand):
        super().__init__()
        self.demand = demand
        self.requests: "queue.Queue[Callable[[], None]]" = queue.Queue()
        self.target: _Target | None = None
        self.kept: dict[int, _Target] = {}      # the last few runs, by id: any of them can be saved
        self.active: RunJob | None = None
        self._loaded_state = None
        self._torch_ready = False

    # -- start-up ------------------------------------------------------------------------
    @Slot()
    def warm_up(self) -> None:
        """Import torch and the engine here, off the GUI thread, and say what devices exist."""
        if self._torch_ready:
            return
        try:
            import torch

            torch.set_num_threads(lab_threads())

            import seqlab.core.experiment_run  # noqa: F401  (torch, the model, the engine)

            _prime(torch)
            cuda = bool(torch.cuda.is_available())
            gpu = torch.cuda.get_device_name(0) if cuda else None
            self._torch_ready = True
            self.ready.emit({"torch": torch.__version__, "cuda": cuda, "gpu": gpu})
        except Exception as e:  # noqa: BLE001 - reported to the person, the lab stays up
            self.ready.emit({"torch": None, "cuda": False, "gpu": None, "error": f"PyTorch could not load: {e}"})

    # -- requests ------------------------------------------------------------------------
    @Slot()
    def drain(self) -> None:
        """Serve queued requests (on the training thread)."""
        while True:
            try:
                fn = self.requests.get_nowait()
            except queue.Empty:
                return
            try:
                fn()
            except Exception as e:  # noqa: BLE001
                self.notice.emit(f"{type(e).__name__}: {e}")

    def emit_snapshot(self, run_id: int, trainable, kind: str, step=None) -> None:
        """Ask the run's trainable for one snapshot of `kind` (what the views asked for)."""
        if trainable is None:
            return
        payload = trainable.snapshot(kind, dict(self.demand.request))
        if payload is not None:
            payload = dict(payload, step=step, sent_at=time.perf_counter())
            self.snapshot.emit(run_id, kind, payload)

    def emit_wanted(self, run_id: int, trainable, family_def, step=None) -> None:
        """Every on-demand snapshot a visible view wants, now (a run ended, a run opened)."""
        for kind, k in family_def.snapshot_kinds.items():
            if k.on_demand and self.demand.wants(kind):
                self.emit_snapshot(run_id, trainable, kind, step=step)

    # -- training ------------------------------------------------------------------------
    @Slot(object)
    def start_job(self, job: RunJob) -> None:
        if job.kind == "open":
            try:
                self.open_run(job)
            except Exception as e:  # noqa: BLE001 - a message, the lab stays up
                traceback.print_exc()
                self.failed.emit(job.run_id, f"{job.path}: cannot open this run folder ({type(e).__name__}: {e})")
            return
        if job.cancelled.is_set():
            self.finished.emit(job.run_id, {"stop_reason": "stopped", "steps": 0, "message": "", "cancelled": True})
            return
        self.warm_up()
        from seqlab.core.errors import DataError, SpecError
        from seqlab.core.experiment_run import ExperimentRun

        self.active = job
        try:
            try:
                run = ExperimentRun(job.spec)
            except (DataError, SpecError, RuntimeError, ValueError) as e:
                self.failed.emit(job.run_id, str(e))
                return
            note = ""
            if job.start_from_loaded and self._loaded_state is not None:
                from seqlab.core.run_folder import load_weights

                try:
                    load_weights(run.family, self._loaded_state)
                    note = "continues from the opened run's weights"
                except (RuntimeError, ValueError):
                    note = "the opened run's weights do not fit this model; starting from new weights"
            bridge_cb = _BridgeCallback(self, job, run)
            run.add_callback(bridge_cb)
            engine = run.engine
            self.target = self._keep(_Target(job.run_id, trainable=run.family, run=run, spec=job.spec))
            info = self._info(job, run.family, str(engine.device))
            if note:
                info["note"] = note
            self.started.emit(job.run_id, info)
            job.attach(engine)
            summary = run.run()
            bridge_cb.flush_rows()
            self.emit_wanted(job.run_id, run.family, run.family_def, step=engine.step)
            self.finished.emit(job.run_id, _plain(summary))
        except Exception as e:  # noqa: BLE001 - any failure is a message, the lab stays up
            traceback.print_exc()
            self.failed.emit(job.run_id, f"training failed: {type(e).__name__}: {e}")
        finally:
            self.active = None
            self.drain()

    @Slot(object)
    def run_family_job(self, job: FamilyJob) -> None:
        """Run a family's job (see :class:`FamilyJob`) until it returns or is cancelled."""
        if job.cancelled.is_set():
            self.job_ended.emit(job.job_id, "")
            return
        self.warm_up()
        message = ""
        self.job_started.emit(job.job_id, job.label)
        try:
            job.fn(JobContext(self, job))
        except Exception as e:  # noqa: BLE001 - a message, the lab stays up
            traceback.print_exc()
            message = str(e) or type(e).__name__
        finally:
            self.job_ended.emit(job.job_id, message)
            self.drain()

    def _info(self, job: RunJob, trainable, device: str) -> dict:
        """What the window shows about a run: the family's description plus the run's facts."""
        info = dict(trainable.describe()) if trainable is not None else {}
        info.update(label=job.label, spec=job.spec.to_dict(), family=job.spec.family, device=device)
        return info

    # -- run folders ---------------------------------------------------------------------
    def open_run(self, job: RunJob) -> None:
        """Read a run folder: curves, the family's files, weights; rebuild its data so it can be probed."""
        self.warm_up()
        from seqlab.core.errors import DataError, RunError
        from seqlab.core.registry import get_family
        from seqlab.core.run_folder import load_run

        try:
            rec = load_run(job.path)
            fam = get_family(rec.spec.family)
        except (RunError, OSError, ValueError) as e:
            self.failed.emit(job.run_id, str(e))
            return
        job.spec = rec.spec
        trainable, data_error = None, ""
        try:
            trainable = fam.restore(rec)           # checks the weights fit the architecture
        except RunError as e:
            self.failed.emit(job.run_id, str(e))
            return
        except (DataError, RuntimeError, ValueError) as e:
            trainable, data_error = None, str(e)
        self._loaded_state = {k: v.clone() for k, v in rec.state.items()}
        self.target = self._keep(_Target(job.run_id, trainable=trainable, record=rec, spec=rec.spec))
        info = self._info(job, trainable, "cpu")
        if trainable is None:
            info["parameters"] = rec.summary.get("model", {}).get("parameters")
        self.opened.emit(job.run_id, {
            "path": str(job.path), "spec": rec.spec, "summary": dict(rec.summary), "metrics": list(rec.metrics),
            "files": dict(rec.files), "data_error": data_error, "info": info,
        })
        if trainable is not None:
            self.emit_wanted(job.run_id, trainable, fam)

    def _keep(self, target: _Target) -> _Target:
        self.kept[target.run_id] = target
        while len(self.kept) > KEPT_RUNS:
            self.kept.pop(next(iter(self.kept)))
        return target

    def forget(self, run_id: int) -> None:
        """A run deleted in the window: its model need not be kept for saving."""
        self.kept.pop(run_id, None)

    def save_target(self, path: str, run_id: int | None = None) -> None:
        from seqlab.core.run_folder import save_run

        t = self.target if run_id is None else self.kept.get(run_id)
        if t is None:
            self.notice.emit("Nothing to save: press Start to train a model first." if run_id is None else
                             f"This run's model is no longer kept (the lab keeps the last {KEPT_RUNS} runs).")
            return
        if t.run is not None:
            out = t.run.save(path)
        else:
            out = save_run(path, t.record)
        self.saved.emit(str(out), t.run_id)


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
        self.stop()
        self.stop_jobs()             # a family job (live listening) gives the thread to training
        self._next_id += 1
        job = RunJob(self._next_id, spec, label=label, start_from_loaded=start_from_loaded)
        self._job = job
        self._ensure_thread()
        self._submit_job.emit(job)
        return job.run_id

    def open_run(self, path: str) -> int:
        """Read a run folder on the training thread; answers with ``opened`` or ``failed``."""
        self.stop()
        self.stop_jobs()
        self._next_id += 1
        job = RunJob(self._next_id, None, label="", path=str(path), kind="open")
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


__all__ = ["WorkerBridge", "TrainingWorker", "ViewDemand", "RunJob", "FamilyJob", "JobContext", "running_threads", "ROW_INTERVAL"]
