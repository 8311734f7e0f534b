"""The runs of a window: each run's label, spec, logged rows, validations and summary, held once.

Views read the rows from here (the Loss view keeps its own decimated curves); a workspace's
views read them through ``Workspace.runs``. Bounded: a long run's rows are thinned by the
engine's one rule (``seqlab.core.engine.thin``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from seqlab.core.bounded import thin

MAX_ROWS = 20_000


@dataclass
class Run:
    label: str
    spec: Any = None
    kind: str = "train"                   # 'train' or 'open'
    rows: list = field(default_factory=list)
    validations: list = field(default_factory=list)
    info: dict = field(default_factory=dict)
    summary: dict | None = None
    saved_to: str | None = None           # the run folder it was last saved as


class RunStore:
    def __init__(self):
        self._runs: dict[int, Run] = {}

    def add(self, run_id: int, label: str, spec: Any = None, kind: str = "train") -> Run:
        run = self._runs[run_id] = Run(label=label, spec=spec, kind=kind)
        return run

    def get(self, run_id: int | None) -> Run | None:
        return self._runs.get(run_id) if run_id is not None else None

    def __contains__(self, run_id) -> bool:
        return run_id in self._runs

    def ids(self) -> list[int]:
        return list(self._runs)

    def rows(self, run_id: int | None) -> list:
        run = self.get(run_id)
        return run.rows if run is not None else []

    def add_rows(self, run_id: int, rows: list) -> None:
        run = self._runs.get(run_id)
        if run is None:
            return
        run.rows.extend(rows)
        if len(run.rows) > MAX_ROWS:
            run.rows = thin(run.rows)

    def add_validation(self, run_id: int, metrics: dict) -> None:
        run = self._runs.get(run_id)
        if run is not None:
            run.validations.append(metrics)

    def remove(self, run_id: int) -> None:
        self._runs.pop(run_id, None)


__all__ = ["Run", "RunStore"]
