"""Benchmark: probing one sequence (T=50, hidden 64, one layer) against the 10 ms target.

Prints, for an LSTM, a GRU and a vanilla RNN, the median time of ``probe`` on one sequence
under ``torch.no_grad()``, its ratio to the 10 ms target (<= 1.0 meets it), and the fused
module's median time on the same input, measured in the same process for comparison.

    python bench/bench_probe.py [--repeats N] [--features F]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import torch
from torch import nn

try:
    from seqlab.families.recurrent.probes import probe
except ModuleNotFoundError:  # run from a checkout without `pip install -e .`
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from seqlab.families.recurrent.probes import probe

TARGET_S = 0.010
T, HIDDEN = 50, 64


def median_time(fn, repeats: int, warmup: int = 10) -> float:
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=200)
    ap.add_argument("--features", type=int, default=8)
    args = ap.parse_args()

    torch.manual_seed(0)
    x = torch.randn(1, T, args.features)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads; "
          f"one sequence T={T}, hidden {HIDDEN}, {args.features} features, 1 layer")
    print(f"{'cell':<5} {'probe ms':>9} {'/ 10 ms':>8} {'fused ms':>9} {'probe/fused':>12}")
    for name, cls in (("lstm", nn.LSTM), ("gru", nn.GRU), ("rnn", nn.RNN)):
        rnn = cls(args.features, HIDDEN, batch_first=True).eval()
        with torch.no_grad():
            t_probe = median_time(lambda: probe(rnn, x), args.repeats)
            t_fused = median_time(lambda: rnn(x), args.repeats)
        print(f"{name:<5} {t_probe * 1e3:9.3f} {t_probe / TARGET_S:8.2f} "
              f"{t_fused * 1e3:9.3f} {t_probe / t_fused:12.1f}")


if __name__ == "__main__":
    main()
