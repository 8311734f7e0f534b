"""Run folders: what a finished (or saved) run leaves on disk, written atomically.

```
RUN_DIR/experiment.json        the ExperimentSpec
RUN_DIR/model.safetensors      weights; the recurrent module's under "rnn." (PyTorch's names)
RUN_DIR/metrics.csv            one row per logged step: step, epoch, train_loss, val_loss, grad_norm, ...
RUN_DIR/grad_through_time.npy  [records, T]  ||dL/dh_t|| of the first layer at recorded steps
RUN_DIR/grad_through_time_steps.npy  [records] the training step of each record
RUN_DIR/param_grad_norms.csv   per-parameter gradient norms at the recorded steps
RUN_DIR/summary.json           written last: how the run ended, final metrics, the model's shape
```
The folder is assembled beside its destination and renamed into place, so a crash never
leaves a half-written run that looks complete. Loading never unpickles: JSON, CSV,
safetensors and ``np.load(allow_pickle=False)`` only.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from .spec import ExperimentSpec, SpecError

FORMAT = "seqlab-run/1"


class RunError(ValueError):
    """A run folder that cannot be read, with a message naming the file."""


def write_text_atomic(path: Path, text: str) -> None:
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def rows_to_csv(rows: list[dict[str, Any]], first: tuple[str, ...] = ()) -> str:
    cols = list(first)
    for r in rows:
        for k in r:
            if k not in cols:
                cols.append(k)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(cols)
    for r in rows:
        w.writerow(["" if r.get(c) is None else _fmt(r.get(c)) for c in cols])
    return buf.getvalue()


def _fmt(v: Any) -> str:
    if isinstance(v, float):
        return repr(v) if math.isfinite(v) else str(v)
    return str(v)


METRIC_COLUMNS = ("step", "epoch", "train_loss", "val_loss", "grad_norm", "grad_norm_clipped")


@dataclass
class RunRecord:
    """Everything a run folder holds, in memory."""

    spec: ExperimentSpec
    state: dict[str, Any]                     # tensor name -> torch tensor
    summary: dict[str, Any]
    metrics: list[dict[str, float]] = field(default_factory=list)
    gtt: np.ndarray | None = None             # [records, T]
    gtt_steps: np.ndarray | None = None       # [records]
    param_grad_norms: list[dict[str, float]] = field(default_factory=list)


def save_run(run_dir: str | Path, rec: RunRecord) -> Path:
    """Write a run folder atomically (assemble beside it, then rename into place)."""
    from safetensors.torch import save_file

    run_dir = Path(run_dir).resolve()
    run_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=run_dir.parent, prefix=f".{run_dir.name}.partial-"))
    try:
        os.chmod(tmp, 0o777 & ~_umask())   # mkdtemp makes it private; a run folder is not
        (tmp / "experiment.json").write_text(rec.spec.to_json(), encoding="utf-8")
        state = {k: v.detach().cpu().contiguous() for k, v in rec.state.items()}
        save_file(state, str(tmp / "model.safetensors"), metadata={"format": FORMAT})
        (tmp / "metrics.csv").write_text(rows_to_csv(rec.metrics, METRIC_COLUMNS), encoding="utf-8")
        T = int(rec.summary.get("model", {}).get("seq_len", 0) or 0)
        gtt = rec.gtt if rec.gtt is not None and len(rec.gtt) else np.zeros((0, T), np.float32)
        np.save(tmp / "grad_through_time.npy", np.asarray(gtt, np.float32), allow_pickle=False)
        steps = rec.gtt_steps if rec.gtt_steps is not None else np.zeros(0, np.int64)
        np.save(tmp / "grad_through_time_steps.npy", np.asarray(steps, np.int64), allow_pickle=False)
        (tmp / "param_grad_norms.csv").write_text(rows_to_csv(rec.param_grad_norms, ("step",)), encoding="utf-8")
        summary = {"format": FORMAT, **rec.summary}
        (tmp / "summary.json").write_text(json.dumps(summary, indent=2, default=_json_default) + "\n", encoding="utf-8")
        for f in tmp.iterdir():
            os.chmod(f, 0o666 & ~_umask())
        old = None
        if run_dir.exists():
            old = run_dir.with_name(f".{run_dir.name}.old-{os.getpid()}")
            os.replace(run_dir, old)
        os.replace(tmp, run_dir)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return run_dir


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _json_default(v: Any):
    if isinstance(v, (np.floating, np.integer)):
        return v.item()
    if isinstance(v, np.ndarray):
        return v.tolist()
    return str(v)


def _read_csv_rows(path: Path) -> list[dict[str, float]]:
    rows = []
    with open(path, newline="", encoding="utf-8") as f:
        for line_no, r in enumerate(csv.DictReader(f), start=2):
            row = {}
            for k, v in r.items():
                if v in ("", None):
                    continue
                try:
                    row[k] = float(v)
                except ValueError:
                    raise RunError(f"{path}, line {line_no}, column {k!r}: {v!r} is not a number") from None
            rows.append(row)
    return rows


def load_run(run_dir: str | Path) -> RunRecord:
    """Read a run folder; every problem is a RunError naming the file."""
    from safetensors import SafetensorError
    from safetensors.torch import load_file

    run_dir = Path(run_dir)
    if not run_dir.is_dir():
        raise RunError(f"{run_dir}: no such run folder")
    summary_path = run_dir / "summary.json"
    if not summary_path.exists():
        raise RunError(f"{run_dir}: not a complete run folder (summary.json is missing)")
    try:
        summary = json.loads(summary_path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise RunError(f"{summary_path}: not valid JSON ({e})") from None
    try:
        spec = ExperimentSpec.load(run_dir / "experiment.json")
    except SpecError as e:
        raise RunError(str(e)) from None
    weights = run_dir / "model.safetensors"
    try:
        state = load_file(str(weights))
    except FileNotFoundError:
        raise RunError(f"{weights}: missing") from None
    except (SafetensorError, OSError, ValueError) as e:
        raise RunError(f"{weights}: not a readable safetensors file ({e})") from None
    rec = RunRecord(spec=spec, state=state, summary=summary)
    if (run_dir / "metrics.csv").exists():
        rec.metrics = _read_csv_rows(run_dir / "metrics.csv")
    if (run_dir / "param_grad_norms.csv").exists():
        rec.param_grad_norms = _read_csv_rows(run_dir / "param_grad_norms.csv")
    for name, attr in (("grad_through_time.npy", "gtt"), ("grad_through_time_steps.npy", "gtt_steps")):
        p = run_dir / name
        if p.exists():
            try:
                setattr(rec, attr, np.load(p, allow_pickle=False))
            except ValueError as e:
                raise RunError(f"{p}: not a plain numeric array ({e})") from None
    return rec


def build_model_from_run(rec: RunRecord):
    """The trained RecurrentModel of a run, its weights checked against its architecture."""
    from .recurrent_model import RecurrentModel

    shape = rec.summary.get("model")
    if not isinstance(shape, dict) or "input_size" not in shape:
        raise RunError("summary.json has no model shape ('model' with input_size, output_size, out_len)")
    model = RecurrentModel(rec.spec.model, int(shape["input_size"]), int(shape["output_size"]),
                           out_len=int(shape.get("out_len", 1)))
    expected = model.state_dict()
    missing = sorted(set(expected) - set(rec.state))
    unexpected = sorted(set(rec.state) - set(expected))
    wrong = sorted(k for k in set(expected) & set(rec.state) if tuple(expected[k].shape) != tuple(rec.state[k].shape))
    if missing or unexpected or wrong:
        detail = (f"missing {missing[:3]}" if missing else f"unexpected {unexpected[:3]}" if unexpected
                  else f"{wrong[0]} is {tuple(rec.state[wrong[0]].shape)}, the model needs {tuple(expected[wrong[0]].shape)}")
        raise RunError(f"model.safetensors holds weights for another architecture than experiment.json describes ({detail})")
    model.load_state_dict(rec.state)
    model.eval()
    return model
