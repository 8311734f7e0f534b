"""Run folders: what a finished (or saved) run leaves on disk, written atomically.

```
RUN_DIR/experiment.json        the ExperimentSpec (it names the family and the format version)
RUN_DIR/model.safetensors      weights: a family with one module "model" keeps its tensor names
                               (the recurrent family's under "rnn.", PyTorch's names); several
                               modules are prefixed by module name ("generator.", ...)
RUN_DIR/metrics.csv            one row per logged step: step, epoch, train_loss, val_loss, grad_norm, ...
RUN_DIR/<family files>         what the family adds (Family.run_files): .npy, .csv or .json
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

from .errors import RunError, SpecError
from .spec import ExperimentSpec

#: 1: metrics.csv repeated the last validation loss on every logged row.
#: 2: each validation is saved once, at its own step (merged into the logged row of that step).
FORMAT = "seqlab-run/2"


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
    files: dict[str, Any] = field(default_factory=dict)   # the family's files, by name


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
        for name, value in rec.files.items():
            _write_family_file(tmp / name, value)
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


def _write_family_file(path: Path, value: Any) -> None:
    if Path(path.name).name != path.name or path.name.startswith("."):
        raise ValueError(f"a run folder file needs a plain name, got {path.name!r}")
    if path.suffix == ".npy":
        np.save(path, np.asarray(value), allow_pickle=False)
    elif path.suffix == ".csv":
        path.write_text(rows_to_csv(list(value), ("step",)), encoding="utf-8")
    elif path.suffix == ".json":
        path.write_text(json.dumps(value, indent=2, default=_json_default) + "\n", encoding="utf-8")
    else:
        raise ValueError(f"{path.name}: a family's run file must be .npy, .csv or .json")


def read_family_file(path: Path) -> Any:
    """Read one family file of a run folder (never unpickles); RunError names the file."""
    try:
        if path.suffix == ".npy":
            try:
                return np.load(path, allow_pickle=False)
            except ValueError as e:
                raise RunError(f"{path}: not a plain numeric array ({e})") from None
        if path.suffix == ".csv":
            return _read_csv_rows(path)
        if path.suffix == ".json":
            return json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError, OSError) as e:
        if isinstance(e, RunError):
            raise
        raise RunError(f"{path}: cannot be read ({e})") from None
    raise RunError(f"{path}: unknown kind of run file")


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


def merge_validations(rows: list[dict], validations: list[dict]) -> list[dict]:
    """The rows of metrics.csv: logged rows and validations in step order, each validation
    once at its own step (merged into the logged row of the same step, if there is one)."""
    by_step = {int(r["step"]): dict(r) for r in rows}
    for v in validations:
        step = int(v["step"])
        extra = {k: val for k, val in v.items() if k.startswith("val_") or k in ("step", "epoch")}
        by_step[step] = {**by_step.get(step, {}), **extra}
    return [by_step[k] for k in sorted(by_step)]


def _is_val(key: str) -> bool:
    """Not a training metric: a validation's (``val_*``) or where a row stands."""
    return key.startswith("val_") or key in ("step", "epoch")


def split_validations(rows: list[dict], fmt: str = FORMAT) -> tuple[list[dict], list[dict]]:
    """(logged rows, validations) of a run folder's metrics.csv.

    Format 2 keeps each validation once at its step. Format 1 repeated the last validation
    loss on every logged row: a validation is taken where the value changes (at the first
    row that carries it), which is as close as that file can say.

    A logged row is one with a training metric (any but ``step``, ``epoch`` and ``val_*``:
    a GAN logs ``d_loss`` and ``g_loss``, no ``train_loss``); a validation is a row with a
    ``val_*`` metric (a GAN's ``val_mmd``; no ``val_loss``)."""
    train = [r for r in rows if any(not _is_val(k) for k in r)]
    if fmt != "seqlab-run/1":
        vals = [{k: v for k, v in r.items() if _is_val(k) or k in ("step", "epoch")}
                for r in rows if any(k.startswith("val_") for k in r)]
        return train, vals
    vals, last = [], None
    for r in rows:
        v = r.get("val_loss")
        if v is not None and v != last:
            vals.append({"step": r["step"], "epoch": r.get("epoch", 0), "val_loss": v,
                         **({"val_acc": r["val_acc"]} if "val_acc" in r else {})})
            last = v
    return train, vals


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
    from .registry import get_family

    for name in get_family(spec.family).run_file_names():
        p = run_dir / name
        if p.exists():
            rec.files[name] = read_family_file(p)
    return rec


def flat_state(modules: dict[str, Any]) -> dict[str, Any]:
    """The weights of a run's modules as one flat dict: a single module called "model" keeps
    its own tensor names (so a recurrent run's are PyTorch's, under "rnn."); several are
    prefixed by module name."""
    if list(modules) == ["model"]:
        return dict(modules["model"].state_dict())
    return {f"{name}.{k}": v for name, m in modules.items() for k, v in m.state_dict().items()}


def load_weights(trainable: Any, state: dict[str, Any]) -> None:
    """Load a flat weight dict into a run's modules; RunError when it is another architecture."""
    modules = trainable.modules()
    expected = flat_state(modules)
    missing = sorted(set(expected) - set(state))
    unexpected = sorted(set(state) - set(expected))
    wrong = sorted(k for k in set(expected) & set(state) if tuple(expected[k].shape) != tuple(state[k].shape))
    if missing or unexpected or wrong:
        detail = (f"missing {missing[:3]}" if missing else f"unexpected {unexpected[:3]}" if unexpected
                  else f"{wrong[0]} is {tuple(state[wrong[0]].shape)}, the model needs {tuple(expected[wrong[0]].shape)}")
        raise RunError("model.safetensors holds weights for another architecture than experiment.json "
                       f"describes ({detail})")
    if list(modules) == ["model"]:
        modules["model"].load_state_dict(state)
        return
    for name, m in modules.items():
        m.load_state_dict({k[len(name) + 1:]: v for k, v in state.items() if k.startswith(name + ".")})
