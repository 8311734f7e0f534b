"""The training thread's side of the worker bridge: :class:`TrainingWorker`.

It does everything that needs torch, on its own thread: importing torch (so the window
appears before torch has loaded), building any family's run with
:class:`~seqlab.core.experiment_run.ExperimentRun` and training it, computing the live
snapshots the views draw, running a family's own jobs, saving and opening run folders. It
never touches a widget and knows no family: it asks the run's ``Trainable`` for snapshots by
kind name. Requests from the window are queued callables, served here between steps (by the
bridge callback), while paused, or after the run has ended (:meth:`TrainingWorker.drain`).
"""

from __future__ import annotations

import os
import queue
import time
import traceback
from typing import Callable

from PySide6.QtCore import QObject, Signal, Slot

from seqlab.ui.bridge_callback import ViewDemand, _BridgeCallback, _plain
from seqlab.ui.kept_runs import KEPT_RUNS, KeptRun, KeptRuns
from seqlab.ui.worker_jobs import FamilyJob, JobContext, RunJob

__all__ = ["TrainingWorker", "lab_threads"]


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
        self.kept = KeptRuns()                  # the last few runs, by id: any of them can be saved
        self.active: RunJob | None = None
        self._loaded_state = None
        self._torch_ready = False

    @property
    def target(self) -> KeptRun | None:
        """What requests act on: the last run trained or opened."""
        return self.kept.latest

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
            self.kept.keep(KeptRun(job.run_id, trainable=run.family, run=run, spec=job.spec))
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
        self.kept.keep(KeptRun(job.run_id, trainable=trainable, record=rec, spec=rec.spec))
        info = self._info(job, trainable, "cpu")
        if trainable is None:
            info["parameters"] = rec.summary.get("model", {}).get("parameters")
        self.opened.emit(job.run_id, {
            "path": str(job.path), "spec": rec.spec, "summary": dict(rec.summary), "metrics": list(rec.metrics),
            "files": dict(rec.files), "data_error": data_error, "info": info,
        })
        if trainable is not None:
            self.emit_wanted(job.run_id, trainable, fam)

    def forget(self, run_id: int) -> None:
        """A run deleted in the window: its model need not be kept for saving."""
        self.kept.forget(run_id)

    def save_target(self, path: str, run_id: int | None = None) -> None:
        """Write a kept run (the latest when ``run_id`` is None) as a run folder; answers
        ``saved`` or ``notice``."""
        t = self.kept.find(run_id)
        if t is None:
            self.notice.emit("Nothing to save: press Start to train a model first." if run_id is None else
                             f"This run's model is no longer kept (the lab keeps the last {KEPT_RUNS} runs).")
            return
        self.saved.emit(str(t.save(path)), t.run_id)
