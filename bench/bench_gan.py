"""Benchmark: GAN training in the lab with its views open, and the plane view's redraw rate
(not a test; prints figures measured in one run).

    python bench/bench_gan.py [--steps N] [--rounds R] [--seconds S]

1. GAN steps per second inside the lab (the gan-2d lesson's spec) with the plane view in
   front (D heatmap + scatter + gradient arrows computed and drawn live), and with the Loss
   (J_D, J_G), metrics and coverage views in front, against the headless engine on the same spec in the same process
   (target: ratio >= 0.9).
2. Redraws per second of the D heatmap (120 x 120) + real and generated scatter + arrows,
   back to back from real snapshots while that GAN trains (target >= 30 fps), and the time
   one redraw costs.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_lab import APP, compare_in_lab, new_window, spin, wait_for  # noqa: E402


def gan_spec(steps: int):
    from seqlab.core.registry import lessons

    return lessons()["gan-2d"].specs()[0][1].replace(train={"max_steps": steps, "epochs": 100_000})


def bench_speed(w, steps: int, rounds: int) -> None:
    import torch

    spec = gan_spec(steps)
    print(f"\n1. GAN training speed: ring8, G and D 2x128, batch {spec.train.batch_size}, {steps} steps, "
          f"{rounds} rounds (torch threads: {torch.get_num_threads()})")
    compare_in_lab(w, spec, ("loss", "plane", "metrics", "coverage"), rounds)


def bench_redraw(w, seconds: float) -> None:
    spec = gan_spec(1_000_000)
    print(f"\n2. plane view redraw while that GAN trains ({seconds:.0f} s)")
    w.open_free_lab()
    w.set_spec(spec)
    w._select_view("plane")
    w.start_training()
    ws = w.workspace
    if not wait_for(lambda: ws._plane_snap is not None, 120):
        print("   no plane snapshot arrived; skipped")
        return
    spin(1.0)
    view = ws.plane
    heat = ws._plane_snap["heat"]
    frames, cost = 0, 0.0
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < seconds:
        s = ws._plane_snap                      # the latest real snapshot of the run
        c0 = time.perf_counter()
        view.set_snapshot(s)
        view.graphics.viewport().repaint()
        cost += time.perf_counter() - c0
        APP.processEvents()
        frames += 1
    dt = time.perf_counter() - t0
    live = view.frames
    print(f"   heatmap {heat.shape[0]}x{heat.shape[1]} + {len(s['real'])} real + {len(s['fake'])} generated points "
          f"+ {len(s['arrow'])} arrows")
    print(f"   redraw capacity: {frames / dt:6.1f} frames/s (target >= 30); one redraw (set + paint) "
          f"{1000 * cost / max(frames, 1):5.1f} ms")
    w.stop_training()
    wait_for(lambda: not w.bridge.running, 30)
    print(f"   (live redraws by the workspace during the run, under its budget: {live - frames})")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--steps", type=int, default=2000, help="training steps per speed measurement")
    ap.add_argument("--seconds", type=float, default=4.0, help="seconds of back-to-back redraws")
    ap.add_argument("--rounds", type=int, default=3, help="alternating rounds of the speed measurement")
    a = ap.parse_args()
    print(f"SeqLab GAN benchmark · {os.cpu_count()} CPU cores · Qt platform {APP.platformName()}")
    with tempfile.TemporaryDirectory() as d:
        w = new_window(Path(d))
        try:
            bench_speed(w, a.steps, a.rounds)
            bench_redraw(w, a.seconds)
        finally:
            w.close()


if __name__ == "__main__":
    main()
