"""One experiment from spec to run folder: the piece the command line and the window share."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable

import numpy as np

from .engine import Callback, Engine, History, find, standard_callbacks
from .registry import get_family
from .run_folder import RunRecord, flat_state, merge_validations, save_run
from .spec import ExperimentSpec


class ExperimentRun:
    """Builds the family's data and modules and the engine of a spec; runs it; turns the
    result into a RunRecord."""

    def __init__(self, spec: ExperimentSpec, callbacks: Iterable[Callback] = (), device: str | None = None,
                 data=None):
        self.spec = spec
        self.family_def = get_family(spec.family)
        self.family = self.family_def.build(spec, data)      # the Trainable
        self.callbacks = standard_callbacks(spec.train) + list(self.family_def.callbacks(spec)) + list(callbacks)
        self.engine = Engine(self.family, spec.train, self.callbacks, device=device)
        self.summary: dict[str, Any] = {}

    def add_callback(self, cb: Callback) -> None:
        """Attach another callback before `run()` (the window's bridge, say)."""
        self.callbacks.append(cb)
        self.engine.callbacks.append(cb)

    @property
    def history(self) -> History:
        return find(self.callbacks, History)

    def run(self) -> dict[str, Any]:
        summary = self.engine.run()
        if summary["stop_reason"] != "diverged":
            summary.update({f"final_{k}": v for k, v in self.family.evaluate("test", self.engine).items()})
        best = self.history.best_val_loss
        if np.isfinite(best):
            summary["best_val_loss"] = best
        summary["model"] = self.family.shape_info()
        summary["spec_name"] = self.spec.name
        self.summary = summary
        return summary

    def record(self) -> RunRecord:
        summary = self.summary or {**self.engine.summary(), "model": self.family.shape_info()}
        return RunRecord(spec=self.spec, state=flat_state(self.family.modules()), summary=summary,
                         metrics=merge_validations(self.history.rows, self.history.validations),
                         files=self.family_def.run_files(self.family, self.callbacks))

    def save(self, run_dir: str | Path) -> Path:
        return save_run(run_dir, self.record())
