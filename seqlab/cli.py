"""The ``seqlab`` command: the lab window, and headless training, probing and listening.

```
seqlab                                   open the lab
seqlab --lesson NAME                     open the lab at a built-in lesson
seqlab --screenshot OUT.png [--lesson NAME] [--after SECONDS]
seqlab train EXPERIMENT.json --out RUN_DIR [--max-steps N] [--device auto|cpu|cuda] [--jsonl]
seqlab lessons                           list built-in lessons
seqlab VERB ...                          a family's own verbs (probe: the recurrent family's)
```
This module is the composition root of the command line: the core's verbs (train, lessons)
and each registered family's verbs. A bad file or argument exits non-zero with one clear
line on stderr, never a traceback. Heavy imports (torch, Qt) happen inside the command that
needs them.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from .core.errors import CliError, DataError, RunError, SpecError

CORE_COMMANDS = ("train", "lessons")


def _fail(msg: str) -> int:
    print(f"seqlab: error: {msg}", file=sys.stderr)
    return 2


# -- train ---------------------------------------------------------------------------------


class _Progress:
    """Progress on stderr: a tqdm bar on a terminal; otherwise (a log file, CI) one plain line
    every twentieth of the run or every 10 seconds, whichever comes first."""

    def __init__(self, total: int | None, stream=None):
        # sys.stderr as it is now, not as it was when this module was imported (a test
        # runner, or an application that redirects it, may have replaced it since)
        stream = stream if stream is not None else sys.stderr
        self.total, self.stream = total, stream
        self.tty = stream.isatty()
        self.val: float | None = None
        self.bar = None
        if self.tty:
            from tqdm import tqdm

            self.bar = tqdm(total=total, file=stream, unit="step", dynamic_ncols=True, mininterval=0.2,
                            leave=True)
        self.every = max(1, (total or 1000) // 20)
        self.next_step = self.every
        self.next_time = time.monotonic() + 10.0

    def update(self, row: dict) -> None:
        step = int(row["step"])
        parts = {"epoch": int(row["epoch"]) + 1, "loss": f"{row.get('train_loss', float('nan')):.4g}"}
        if self.val is not None:
            parts["val"] = f"{self.val:.4g}"
        if self.bar is not None:
            self.bar.n = step
            self.bar.set_postfix(parts, refresh=False)
            self.bar.update(0)
            return
        if step < self.next_step and time.monotonic() < self.next_time:
            return
        self.next_step = step + self.every
        self.next_time = time.monotonic() + 10.0
        head = f"step {step:,}" + (f"/{self.total:,} ({step / self.total:.0%})" if self.total else "")
        sps = row.get("steps_per_s", 0) or 0
        tail = " · ".join(f"{k} {v}" for k, v in parts.items())
        print(f"{head} · {tail} · {sps:,.0f} step{'' if round(sps) == 1 else 's'}/s", file=self.stream, flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def cmd_train(args) -> int:
    from .core.spec import ExperimentSpec

    out_dir = Path(args.out)
    if out_dir.exists() and not args.overwrite:
        what = "a run folder" if (out_dir / "summary.json").exists() else "a file" if out_dir.is_file() else "a folder"
        raise CliError(f"{out_dir} already exists ({what}); choose another --out, or add --overwrite to replace it "
                       "(the old one stays until the new run is complete)")
    if out_dir.is_file():
        raise CliError(f"{out_dir} is a file; --out must name a folder")
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

    class Report(Callback):
        def __init__(self):
            self.bar = None

        def on_train_start(self, engine):
            total = _planned_steps(spec, engine.family)
            if not jsonl:
                self.bar = _Progress(total)
            if jsonl:
                _emit({"event": "start", "device": str(engine.device), "planned_steps": total,
                       "parameters": sum(p.numel() for m in engine.family.modules().values() for p in m.parameters())})

        def on_log(self, engine, row):
            if jsonl:
                _emit({"event": "log", **row})
            elif self.bar:
                self.bar.update(row)

        def on_validation(self, engine, metrics):
            if self.bar is not None:
                self.bar.val = metrics.get("val_loss")

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


def _planned_steps(spec, trainable) -> int | None:
    t = spec.train
    per_epoch = trainable.describe().get("steps_per_epoch")
    if not per_epoch:
        return t.max_steps
    steps = int(per_epoch) * t.epochs
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


# -- lessons ---------------------------------------------------------------------------------


def cmd_lessons(args) -> int:
    from .core.registry import lessons

    for lesson in lessons().values():
        print(f"{lesson.name:22s} {lesson.title}")
    return 0


# -- the window ----------------------------------------------------------------------------


def cmd_gui(args) -> int:
    try:
        from .ui.app import run_app
    except ImportError as e:
        raise CliError(f"the lab window cannot start: {e}") from None
    return run_app(lesson=args.lesson, screenshot=args.screenshot, after=args.after)


def _family_verbs() -> dict:
    from .core.registry import families

    return {v.name: v for fam in families() for v in fam.cli_verbs()}


def build_parser() -> tuple[argparse.ArgumentParser, argparse.ArgumentParser, dict]:
    verbs = _family_verbs()
    names = " | ".join((*CORE_COMMANDS, *verbs))
    gui = argparse.ArgumentParser(prog="seqlab", description="SeqLab: watch recurrent and generative networks learn.",
                                  epilog=f"commands: seqlab {names} (seqlab COMMAND -h)")
    gui.add_argument("--lesson", help="open the lab at a built-in lesson (see: seqlab lessons)")
    gui.add_argument("--screenshot", metavar="OUT.png", help="open, train for --after seconds, save the window, exit")
    gui.add_argument("--after", type=float, default=3.0, metavar="SECONDS", help="seconds to train before the screenshot")
    gui.add_argument("--version", action="store_true", help="print the version and exit")

    cmds = argparse.ArgumentParser(prog="seqlab")
    sub = cmds.add_subparsers(dest="command", required=True)
    t = sub.add_parser("train", help="train an experiment headless and write a run folder")
    t.add_argument("experiment", help="EXPERIMENT.json")
    t.add_argument("--out", required=True, metavar="RUN_DIR")
    t.add_argument("--overwrite", action="store_true", help="replace RUN_DIR if it exists (atomically, once the run is saved)")
    t.add_argument("--max-steps", type=int)
    t.add_argument("--device", choices=("auto", "cpu", "cuda", "mps"))
    t.add_argument("--jsonl", action="store_true", help="print one JSON object per logged step instead of a progress bar")
    sub.add_parser("lessons", help="list the built-in lessons")
    for verb in verbs.values():
        verb.add_arguments(sub.add_parser(verb.name, help=verb.help))
    return gui, cmds, verbs


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        gui, cmds, verbs = build_parser()
        if argv and (argv[0] in CORE_COMMANDS or argv[0] in verbs):
            args = cmds.parse_args(argv)
            if args.command in verbs:
                return verbs[args.command].run(args)
            return {"train": cmd_train, "lessons": cmd_lessons}[args.command](args)
        args = gui.parse_args(argv)
        if args.version:
            from . import __version__
            print(f"seqlab {__version__}")
            return 0
        return cmd_gui(args)
    except (CliError, SpecError, RunError, DataError) as e:
        return _fail(str(e))
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
