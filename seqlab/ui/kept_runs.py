"""The runs the training thread keeps, so any of them can still be saved or probed.

The window lists every run of the session in its Loss table and may save any of them later,
but a run's model and data cost memory: the worker keeps the last :data:`KEPT_RUNS` runs
trained or opened, by id, and remembers which one was the latest, the one that snapshots,
saves without a run id and family jobs act on. Used on the training thread only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["KEPT_RUNS", "KeptRun", "KeptRuns"]

KEPT_RUNS = 12               # runs whose models the worker keeps, so any of them can be saved


@dataclass
class KeptRun:
    """One run the worker keeps: trained here, or opened from a run folder."""

    run_id: int
    trainable: Any = None               # the run's Trainable (None when an opened run's data is gone)
    run: Any = None                     # ExperimentRun, when trained here
    record: Any = None                  # RunRecord, when opened from a folder
    spec: Any = None

    def save(self, path: str):
        """Write this run as a run folder; returns the folder written."""
        if self.run is not None:
            return self.run.save(path)
        from seqlab.core.run_folder import save_run

        return save_run(path, self.record)


class KeptRuns:
    """The last :data:`KEPT_RUNS` runs by id (oldest first), and the latest one."""

    def __init__(self, limit: int = KEPT_RUNS):
        self.limit = limit
        self.runs: dict[int, KeptRun] = {}
        self.latest: KeptRun | None = None     # the last run trained or opened

    def keep(self, run: KeptRun) -> KeptRun:
        """Keep ``run`` as the latest; the oldest kept run is let go past the limit."""
        self.runs[run.run_id] = run
        while len(self.runs) > self.limit:
            self.runs.pop(next(iter(self.runs)))
        self.latest = run
        return run

    def forget(self, run_id: int) -> None:
        """A run deleted in the window: its model need not be kept for saving."""
        self.runs.pop(run_id, None)

    def find(self, run_id: int | None) -> KeptRun | None:
        """The kept run ``run_id``, or the latest when ``run_id`` is None."""
        return self.latest if run_id is None else self.runs.get(run_id)
