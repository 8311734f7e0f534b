"""The ``seqlab`` command: the lab window, and headless training, probing and listening.

```
seqlab                                   open the lab
seqlab --lesson NAME                     open the lab at a built-in lesson
seqlab --screenshot OUT.png [--lesson NAME] [--after SECONDS]
seqlab train EXPERIMENT.json --out RUN_DIR [--max-steps N] [--device auto|cpu|cuda] [--jsonl]
seqlab probe RUN_DIR --input X.npy --out TRACE.npz
seqlab listen RUN_DIR [--device DEV] [--seconds N] [--jsonl]
seqlab lessons                           list built-in lessons
```
A bad file or argument exits non-zero with one clear line on stderr, never a traceback.
Heavy imports (torch, Qt) happen inside the command that needs them.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

SUBCOMMANDS = ("train", "probe", "listen", "lessons")


class CliError(Exception):
    """An error to print as one line, exit code 2."""


def _fail(msg: str) -> int:
    print(f"seqlab: error: {msg}", file=sys.stderr)
    return 2


# -- train ---------------------------------------------------------------------------------


class _Progress:
    """A one-line progress bar on a terminal (no dependency for twenty lines)."""

    def __init__(self, total: int | None, stream=sys.stderr):
        self.total, self.stream = total, stream
        self.last = 0.0

    def update(self, row: dict, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self.last < 0.2:
            return
        self.last = now
        step = int(row["step"])
        if self.total:
            frac = min(step / self.total, 1.0)
            bar = "#" * int(frac * 30) + "-" * (30 - int(frac * 30))
            head = f"[{bar}] {step}/{self.total}"
        else:
            head = f"step {step}"
        parts = [head, f"epoch {int(row['epoch']) + 1}", f"loss {row.get('train_loss', float('nan')):.4g}"]
        if "val_loss" in row:
            parts.append(f"val {row['val_loss']:.4g}")
        parts.append(f"{row.get('steps_per_s', 0):.0f} steps/s")
        self.stream.write("\r" + "  ".join(parts) + "   ")
        self.stream.flush()

    def close(self) -> None:
        self.stream.write("\n")
        self.stream.flush()


def cmd_train(args) -> int:
    from .core.spec import ExperimentSpec

    spec = ExperimentSpec.load(args.experiment)
    if args.max_steps is not None:
        if args.max_steps < 1:
            raise CliError(f"--max-steps must be at least 1, got {args.max_steps}")
        spec = spec.replace(train={"max_steps": args.max_steps})
    if args.device:
        spec = spec.replace(train={"device": args.device})

    from .core.engine import Callback
    from .core.experiment_run import ExperimentRun

    jsonl = args.jsonl
    total = _planned_steps(spec)

    class Report(Callback):
        def __init__(self):
            self.bar = None if jsonl or not sys.stderr.isatty() else _Progress(total)

        def on_train_start(self, engine):
            if jsonl:
                _emit({"event": "start", "device": str(engine.device), "planned_steps": total,
                       "parameters": sum(p.numel() for m in engine.family.modules().values() for p in m.parameters())})

        def on_log(self, engine, row):
            if jsonl:
                _emit({"event": "log", **row})
            elif self.bar:
                self.bar.update(row)

        def on_epoch_end(self, engine, metrics):
            if jsonl:
                _emit({"event": "epoch", "epoch": engine.epoch, "step": engine.step, **metrics})

        def on_train_end(self, engine, summary):
            if self.bar:
                self.bar.close()

    try:
        run = ExperimentRun(spec, callbacks=[Report()])
    except RuntimeError as e:   # an unavailable device
        raise CliError(str(e)) from None
    try:
        summary = run.run()
    except KeyboardInterrupt:
        run.engine.stop()
        summary = run.summary or run.engine.summary()
        summary["stop_reason"] = "stopped"
    out = run.save(args.out)
    if jsonl:
        _emit({"event": "end", "run_dir": str(out), **summary})
    else:
        print(_summary_line(summary, out), file=sys.stderr)
    return 3 if summary["stop_reason"] == "diverged" else 0


def _planned_steps(spec) -> int | None:
    t, d = spec.train, spec.data
    n_train = int(d.samples * (1 - d.val_fraction - d.test_fraction))
    if d.name in ("sunspots", "csv"):
        return t.max_steps
    bs = n_train if t.batch_size == "all" else max(1, min(t.batch_size, n_train))
    per_epoch = -(-n_train // bs)
    steps = per_epoch * t.epochs
    return min(steps, t.max_steps) if t.max_steps else steps


def _emit(obj: dict) -> None:
    print(json.dumps(obj, default=float), flush=True)


def _summary_line(s: dict, out: Path) -> str:
    parts = [f"{s['stop_reason']} after {s['steps']} steps ({s['seconds']:.1f} s, {s['steps_per_s']:.0f} steps/s on {s['device']})"]
    for k in ("final_val_loss", "final_val_acc", "final_test_loss", "final_test_acc"):
        if k in s:
            parts.append(f"{k[6:]} {s[k]:.4g}")
    msg = "; ".join(parts) + f"\nrun folder: {out}"
    if s.get("message"):
        msg = s["message"] + "\n" + msg
    return msg


# -- probe ---------------------------------------------------------------------------------


def cmd_probe(args) -> int:
    import numpy as np

    from .core.run_folder import build_model_from_run, load_run

    rec = load_run(args.run_dir)
    model = build_model_from_run(rec)
    path = Path(args.input)
    if not path.exists():
        raise CliError(f"{path}: no such file")
    try:
        x = np.load(path, allow_pickle=False)
    except ValueError as e:
        raise CliError(f"{path}: not a plain .npy array ({e})") from None
    shape = rec.summary["model"]
    F = int(shape["input_size"])
    if x.ndim == 1 and np.issubdtype(x.dtype, np.integer):
        raise CliError(f"{path}: integer token ids fit a model with a vocabulary; this model reads {F} "
                       f"number(s) per step, so X.npy must be [T, {F}] float32")
    if x.ndim == 1 and F == 1:
        x = x[:, None]
    if x.ndim != 2 or x.shape[1] != F or x.shape[0] < 1:
        raise CliError(f"{path}: shape {tuple(x.shape)} does not fit this model: it must be [T, {F}] "
                       f"(T time steps of {F} feature(s))")
    if not np.issubdtype(x.dtype, np.number) or not np.all(np.isfinite(x)):
        raise CliError(f"{path}: the input must hold finite numbers")
    import torch

    from .core.probes import probe

    xt = torch.as_tensor(x.astype(np.float32))[None]
    with torch.no_grad():
        result = probe(model.rnn, model.rnn_input(xt))
        pred = model.readout(result.output)
    arrays = dict(result.numpy(0))
    arrays["x"] = x.astype(np.float32)
    arrays["output"] = result.output[0].numpy()
    arrays["prediction"] = pred[0].numpy()
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp.npz")
    np.savez(tmp, **arrays)
    tmp.replace(out)
    print(f"trace of {x.shape[0]} steps ({', '.join(k for k in arrays)}) written to {out}", file=sys.stderr)
    return 0


# -- lessons and listen --------------------------------------------------------------------


def cmd_lessons(args) -> int:
    try:
        from .lessons.catalog import LESSONS
    except ImportError:
        raise CliError("no lessons are built in yet") from None
    for lesson in LESSONS.values():
        print(f"{lesson.name:22s} {lesson.title}")
    return 0


def cmd_listen(args) -> int:
    try:
        from .audio.listen import listen_main
    except ImportError:
        raise CliError("live listening is not available in this version of SeqLab") from None
    return listen_main(args)


# -- the window ----------------------------------------------------------------------------


def cmd_gui(args) -> int:
    try:
        from .ui.app import run_app
    except ImportError as e:
        raise CliError(f"the lab window cannot start: {e}") from None
    return run_app(lesson=args.lesson, screenshot=args.screenshot, after=args.after)


def build_parser() -> tuple[argparse.ArgumentParser, argparse.ArgumentParser]:
    gui = argparse.ArgumentParser(prog="seqlab", description="SeqLab: watch recurrent and generative networks learn.",
                                  epilog="commands: seqlab train | probe | listen | lessons (seqlab COMMAND -h)")
    gui.add_argument("--lesson", help="open the lab at a built-in lesson (see: seqlab lessons)")
    gui.add_argument("--screenshot", metavar="OUT.png", help="open, train for --after seconds, save the window, exit")
    gui.add_argument("--after", type=float, default=3.0, metavar="SECONDS", help="seconds to train before the screenshot")
    gui.add_argument("--version", action="store_true", help="print the version and exit")

    cmds = argparse.ArgumentParser(prog="seqlab")
    sub = cmds.add_subparsers(dest="command", required=True)
    t = sub.add_parser("train", help="train an experiment headless and write a run folder")
    t.add_argument("experiment", help="EXPERIMENT.json")
    t.add_argument("--out", required=True, metavar="RUN_DIR")
    t.add_argument("--max-steps", type=int)
    t.add_argument("--device", choices=("auto", "cpu", "cuda", "mps"))
    t.add_argument("--jsonl", action="store_true", help="print one JSON object per logged step instead of a progress bar")
    p = sub.add_parser("probe", help="every gate and state of a trained model for one input sequence")
    p.add_argument("run_dir", metavar="RUN_DIR")
    p.add_argument("--input", required=True, metavar="X.npy")
    p.add_argument("--out", required=True, metavar="TRACE.npz")
    li = sub.add_parser("listen", help="recognise words from the microphone with a trained run, headless")
    li.add_argument("run_dir", metavar="RUN_DIR")
    li.add_argument("--device", help="input device (name or index)")
    li.add_argument("--seconds", type=float, default=10.0)
    li.add_argument("--jsonl", action="store_true")
    sub.add_parser("lessons", help="list the built-in lessons")
    return gui, cmds


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    gui, cmds = build_parser()
    from .core.datasets import DataError
    from .core.run_folder import RunError
    from .core.spec import SpecError

    try:
        if argv and argv[0] in SUBCOMMANDS:
            args = cmds.parse_args(argv)
            handler = {"train": cmd_train, "probe": cmd_probe, "listen": cmd_listen, "lessons": cmd_lessons}[args.command]
            return handler(args)
        args = gui.parse_args(argv)
        if args.version:
            from . import __version__
            print(f"seqlab {__version__}")
            return 0
        return cmd_gui(args)
    except (CliError, SpecError, RunError) as e:
        return _fail(str(e))
    except DataError as e:
        return _fail(str(e))
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
