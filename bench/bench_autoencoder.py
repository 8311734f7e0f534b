"""Benchmark: autoencoder training speed in the lab with its views open, against the headless
engine (not a test; prints figures and ratios).

    python bench/bench_autoencoder.py [--steps N]

For the two autoencoder lessons' models (MLP 64 -> 2 on the 8x8 digits; MLP 64 -> 8 on
heartbeat windows), the same spec is trained headless (``ExperimentRun``, before and after,
averaged) and in the lab window with each autoencoder view in front, in one process, so the
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

from bench_lab import new_window, run_in_lab  # noqa: E402  (creates the QApplication)

CASES = (("autoencoder-digits", ("loss", "reconstructions", "latent", "baseline")),
         ("anomaly-heartbeat", ("loss", "reconstructions", "anomaly")))


def bench(w, lesson: str, views: tuple[str, ...], steps: int) -> None:
    import torch

    from seqlab.core.experiment_run import ExperimentRun
    from seqlab.core.registry import get_lesson

    spec = get_lesson(lesson).specs()[0][1].replace(train={"max_steps": steps, "epochs": 100_000})
    print(f"\n{lesson}: {spec.model.kind} {[x['size'] for x in spec.model.encoder]} -> {spec.model.latent} on "
          f"{spec.data.name}, batch {spec.train.batch_size}, {steps} steps (torch threads: {torch.get_num_threads()})")

    def headless() -> float:
        return ExperimentRun(spec).run()["steps_per_s"]

    h1 = headless()
    lab = {v: run_in_lab(w, spec, v) for v in views}
    h2 = headless()
    base = (h1 + h2) / 2
    print(f"   headless engine               {h1:8.1f} / {h2:8.1f} steps/s (before / after)")
    for view, s in lab.items():
        print(f"   lab, {view:15s} in front {s['steps_per_s']:8.1f} steps/s   ratio {s['steps_per_s'] / base:5.2f}"
              f"  (target >= 0.9)   window's CPU share {s['gui_share']:5.1%}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--steps", type=int, default=3000, help="training steps per measurement")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        w = new_window(Path(tmp))
        try:
            for lesson, views in CASES:
                bench(w, lesson, views, args.steps)
        finally:
            w.close()


if __name__ == "__main__":
    main()
