"""What the window asks of the training thread: a run (to train, or a run folder to open), or
a family's own job (live listening ...), and what such a job sees of the worker.

Plain objects, made on the GUI thread and handed to the worker through a queued signal. A
:class:`RunJob` exists before its engine does, so commands sent meanwhile (a Stop pressed
while torch is still loading) wait in it and are applied the moment the engine is attached.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable

if TYPE_CHECKING:  # pragma: no cover
    from seqlab.ui.training_worker import TrainingWorker

__all__ = ["RunJob", "FamilyJob", "JobContext"]


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
