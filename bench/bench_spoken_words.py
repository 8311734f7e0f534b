"""Loading the built-in spoken-word set: cold (decode the file) and warm (augment only).

Cold runs in a fresh interpreter each round (import + read + decode + all three splits);
warm times one more call in this process. Also times resampling 1 s of 44.1 kHz audio,
against the same work done by numpy's FFT on the same length as a baseline ratio.
Target: all three splits load in < 1 s cold on a laptop CPU.

    python bench/bench_spoken_words.py [--rounds 3]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from seqlab.audio.resample import resample  # noqa: E402
from seqlab.families.speech.data.spoken_words import load_spoken_words  # noqa: E402

_COLD = ("import time; t = time.perf_counter()\n"
         "from seqlab.families.speech.data.spoken_words import load_spoken_words\n"
         "[load_spoken_words(s) for s in ('train', 'val', 'test')]\n"
         "print(time.perf_counter() - t)")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    cold = [float(subprocess.run([sys.executable, "-c", _COLD], cwd=ROOT, capture_output=True, text=True,
                                 check=True, env={"PYTHONPATH": str(ROOT)}).stdout) for _ in range(args.rounds)]
    load_spoken_words("train")
    warm = []
    for _ in range(args.rounds):
        t = time.perf_counter()
        load_spoken_words("train", copies=3)
        warm.append(time.perf_counter() - t)
    x = np.random.default_rng(0).standard_normal(44100).astype(np.float32)
    rs, ff = [], []
    for _ in range(args.rounds * 5):
        t = time.perf_counter(); resample(x, 44100, 16000); rs.append(time.perf_counter() - t)
        t = time.perf_counter(); np.fft.irfft(np.fft.rfft(x)); ff.append(time.perf_counter() - t)
    print(f"cold load, all three splits: median {statistics.median(cold):.3f} s  (target < 1 s)")
    print(f"warm load, train x3 copies:  median {statistics.median(warm):.3f} s")
    print(f"resample 1 s 44.1k->16k:     median {statistics.median(rs) * 1e3:.1f} ms "
          f"({statistics.median(rs) / statistics.median(ff):.1f}x an FFT round trip of the same signal)")


if __name__ == "__main__":
    main()
