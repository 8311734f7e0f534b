"""The recurrent family's callback: gradients through time and per-parameter gradient norms."""

from __future__ import annotations

from typing import Any

import numpy as np

from seqlab.core.bounded import thin
from seqlab.core.engine import Callback

#: the live snapshot kind this recorder publishes at each record
GRADIENTS = "gradients"


class GradientRecorder(Callback):
    """At record steps (``train.gtt_every``), ||dL/dh_t|| through time and per-parameter
    gradient norms (taken before clipping).

    The trainable's ``grad_through_time(engine)`` measures on the probe's unrolled graph,
    because the fused modules do not expose the gradient flowing back through h_{t+1}.
    Each record is also published (``engine.publish``) for the window's Gradients view.
    """

    def __init__(self, max_rows: int = 4000):
        self.records: list[dict[str, Any]] = []     # {'step', 'gtt', 'param_norms'}
        self.max_rows = max_rows

    def on_step_end(self, engine, out):
        if not engine.record_this_step:
            return
        rec = {"step": int(engine.step), "gtt": np.asarray(engine.family.grad_through_time(engine), np.float32),
               "param_norms": dict(engine.param_grad_norms)}
        self.records.append(rec)
        if len(self.records) > self.max_rows:
            self.records = thin(self.records)
        engine.publish(GRADIENTS, rec)

    # -- what a run folder keeps ------------------------------------------------------------
    def files(self, seq_len: int) -> dict[str, Any]:
        gtt = (np.stack([r["gtt"] for r in self.records]).astype(np.float32) if self.records
               else np.zeros((0, seq_len), np.float32))
        return {"grad_through_time.npy": gtt,
                "grad_through_time_steps.npy": np.asarray([r["step"] for r in self.records], np.int64),
                "param_grad_norms.csv": [{"step": r["step"], **r["param_norms"]} for r in self.records]}


def records_from_files(files: dict[str, Any]) -> list[dict[str, Any]]:
    """The gradient records of an opened run folder (its three gradient files)."""
    gtt = files.get("grad_through_time.npy")
    steps = files.get("grad_through_time_steps.npy")
    if gtt is None or steps is None:
        return []
    norms = {int(r.get("step", -1)): {k: v for k, v in r.items() if k != "step"}
             for r in files.get("param_grad_norms.csv", [])}
    return [{"step": int(s), "gtt": np.asarray(gtt[i], np.float32), "param_norms": norms.get(int(s), {})}
            for i, s in enumerate(steps) if i < len(gtt)]


__all__ = ["GradientRecorder", "GRADIENTS", "records_from_files"]
