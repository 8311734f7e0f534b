"""Run the vanishing-gradient pair (rnn.json, lstm.json) over several seeds and print the figures.

    python examples/vanishing-gradient/compare.py [--seeds 0 1 2 3 4]

For each cell and seed: validation accuracy at the end of the step budget in the file, the
steps and seconds it took, and the gradient ratio ||dL/dh_0|| / ||dL/dh_T|| of the first
layer at the last record (how much of the loss's gradient reaches the first time step).
The seed changes both the data and the initialisation.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from seqlab.core.engine import find  # noqa: E402
from seqlab.core.experiment_run import ExperimentRun  # noqa: E402
from seqlab.core.spec import ExperimentSpec  # noqa: E402
from seqlab.families.recurrent.callbacks import GradientRecorder  # noqa: E402


def run_seed(cell: str, seed: int) -> dict:
    spec = ExperimentSpec.load(HERE / f"{cell}.json")
    spec = spec.replace(data={"seed": seed}, train={"seed": seed, "device": "cpu"})
    run = ExperimentRun(spec)
    t0 = time.perf_counter()
    s = run.run()
    g = find(run.callbacks, GradientRecorder).records[-1]["gtt"]
    return {"cell": cell, "seed": seed, "val_acc": s["final_val_acc"], "test_acc": s.get("final_test_acc"),
            "steps": s["steps"], "seconds": time.perf_counter() - t0,
            "grad_ratio": float(g[0] / g[-1]) if g[-1] > 0 else 0.0,
            "chance": s["model"]["chance_accuracy"]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2, 3, 4])
    ap.add_argument("--cells", nargs="+", default=["lstm", "rnn"], choices=("lstm", "rnn"))
    a = ap.parse_args()
    print(f"{'cell':5} {'seed':>4} {'val acc':>8} {'test acc':>8} {'steps':>6} {'seconds':>8} {'dL/dh_0 / dL/dh_T':>18}")
    for cell in a.cells:
        for seed in a.seeds:
            r = run_seed(cell, seed)
            print(f"{cell:5} {seed:>4} {r['val_acc']:8.3f} {r['test_acc']:8.3f} {r['steps']:6d} {r['seconds']:8.1f} "
                  f"{r['grad_ratio']:18.2e}", flush=True)


if __name__ == "__main__":
    main()
