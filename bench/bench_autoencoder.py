"""Benchmark: autoencoder training speed in the lab with its views open, against the headless
engine (not a test; prints figures and ratios).

    python bench/bench_autoencoder.py [--steps N] [--rounds R]

For the two autoencoder lessons' models (MLP 64 -> 2 on the 8x8 digits; MLP 64 -> 8 on
heartbeat windows), the same spec is trained headless (``ExperimentRun``) and in the lab
window with each autoencoder view in front, in alternating rounds in one process, so the
ratios compare like with like on a noisy machine (target: ratio >= 0.9). The views ask for
their snapshots (reconstructions, latent codes, errors of every validation window) while the
model trains; the figures say what that costs. Driven as ``bench/bench_lab.py`` drives the lab.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_lab import compare_in_lab, new_window  # noqa: E402  (creates the QApplication)

CASES = (("autoencoder-digits", ("loss", "reconstructions", "latent", "baseline")),
         ("anomaly-heartbeat", ("loss", "reconstructions", "anomaly")))


def bench(w, lesson: str, views: tuple[str, ...], steps: int, rounds: int) -> None:
    import torch

    from seqlab.core.registry import get_lesson

    spec = get_lesson(lesson).specs()[0][1].replace(train={"max_steps": steps, "epochs": 100_000})
    print(f"\n{lesson}: {spec.model.kind} {[x['size'] for x in spec.model.encoder]} -> {spec.model.latent} on "
          f"{spec.data.name}, batch {spec.train.batch_size}, {steps} steps, {rounds} rounds (torch threads: {torch.get_num_threads()})")

    compare_in_lab(w, spec, views, rounds)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    # 10,000 steps are ~6 s, as long as bench_lab's recurrent runs. A run's start and end cost
    # the window about 0.1 s whatever its length (every view starts the run, first paints):
    # with 3,000-step runs (under 2 s) that alone took 4-6% off the ratios.
    ap.add_argument("--steps", type=int, default=10_000, help="training steps per measurement")
    ap.add_argument("--rounds", type=int, default=3, help="alternating rounds (headless, each view)")
    ap.add_argument("--lesson", choices=[c[0] for c in CASES], help="only this lesson")
    ap.add_argument("--views", nargs="+", help="only these views (default: each of the lesson's)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        w = new_window(Path(tmp))
        try:
            for lesson, views in CASES:
                if args.lesson in (None, lesson):
                    bench(w, lesson, tuple(args.views or views), args.steps, args.rounds)
        finally:
            w.close()


if __name__ == "__main__":
    main()
