"""One experiment from spec to run folder: the piece the command line and the window share."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable

import numpy as np

from .engine import Callback, Engine, GradientRecorder, History, find, standard_callbacks
from .run_folder import RunRecord, save_run
from .spec import ExperimentSpec


def family_for(spec: ExperimentSpec, data=None):
    """The model family that trains this spec (recurrent networks for now)."""
    from .recurrent_family import RecurrentFamily

    return RecurrentFamily(spec, data)


class ExperimentRun:
    """Builds the data, model and engine of a spec; runs it; turns the result into a RunRecord."""

    def __init__(self, spec: ExperimentSpec, callbacks: Iterable[Callback] = (), device: str | None = None,
                 data=None):
        self.spec = spec
        self.family = family_for(spec, data)
        self.callbacks = standard_callbacks(spec.train) + list(callbacks)
        self.engine = Engine(self.family, spec.train, self.callbacks, device=device)
        self.summary: dict[str, Any] = {}

    def add_callback(self, cb: Callback) -> None:
        """Attach another callback before `run()` (the window's bridge, say)."""
        self.callbacks.append(cb)
        self.engine.callbacks.append(cb)

    @property
    def history(self) -> History:
        return find(self.callbacks, History)

    @property
    def gradients(self) -> GradientRecorder:
        return find(self.callbacks, GradientRecorder)

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
        g = self.gradients
        gtt = np.stack(g.rows).astype(np.float32) if g.rows else None
        summary = self.summary or {**self.engine.summary(), "model": self.family.shape_info()}
        return RunRecord(spec=self.spec, state=self.family.model.state_dict(), summary=summary,
                         metrics=list(self.history.rows), gtt=gtt,
                         gtt_steps=np.asarray(g.steps, np.int64), param_grad_norms=list(g.param_rows))

    def save(self, run_dir: str | Path) -> Path:
        return save_run(run_dir, self.record())
