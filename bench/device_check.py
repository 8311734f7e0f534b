"""The CUDA path, checked on a machine with a GPU (not a test: CI has no GPU).

    python bench/device_check.py

Trains the default LSTM lesson and the 2-D GAN on the GPU through the one engine, checks the
probe on GPU tensors equals the fused cuDNN module, measures gradients through time there,
and times the engine against a bare loop on the GPU. Prints one line per check.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import torch  # noqa: E402


def main() -> int:
    print(f"torch {torch.__version__}, CUDA available: {torch.cuda.is_available()}")
    if not torch.cuda.is_available():
        print("no GPU here: nothing to check")
        return 1
    print("device:", torch.cuda.get_device_name(0))
    from seqlab.core.experiment_run import ExperimentRun
    from seqlab.core.spec import ExperimentSpec
    from seqlab.families.recurrent.probes import exact_float32_on_cuda, grad_through_time, probe

    ok = True
    # 1. the default lesson's LSTM trains on the GPU
    spec = ExperimentSpec.load(REPO / "examples" / "lstm-sine.json").replace(train={"max_steps": 600, "device": "cuda"})
    run = ExperimentRun(spec)
    t0 = time.perf_counter()
    s = run.run()
    good = s["device"].startswith("cuda") and s["final_val_loss"] < 0.5 * s["model"]["baseline_loss"]
    ok &= good
    print(f"[{'ok' if good else 'FAIL'}] LSTM on sine, cuda: {s['steps']} steps in {time.perf_counter() - t0:.1f} s "
          f"({s['steps_per_s']:.0f} steps/s), val loss {s['final_val_loss']:.4f} vs baseline {s['model']['baseline_loss']:.3f}")
    # 2. the probe on GPU tensors equals the fused (cuDNN) module, every cell, 2 layers, both directions
    #    (training set exact_float32_on_cuda already; set again in case the order changes)
    exact_float32_on_cuda()
    for name, cls in (("rnn", torch.nn.RNN), ("lstm", torch.nn.LSTM), ("gru", torch.nn.GRU)):
        torch.manual_seed(0)
        m = cls(5, 24, num_layers=2, bidirectional=True, batch_first=True).cuda()
        x = torch.randn(4, 40, 5, device="cuda")
        with torch.no_grad():
            fused = m(x)[0]
            res = probe(m, x)
        err = float((fused - res.output).abs().max())
        good = err <= 1e-5 and res.output.device.type == "cuda"
        ok &= good
        print(f"[{'ok' if good else 'FAIL'}] probe == fused {name} on cuda (2 layers, bidirectional): max |diff| {err:.2e}")
        norms = grad_through_time(m, x, lambda out: out[:, -1].pow(2).mean())
        good = bool(torch.isfinite(norms).all()) and norms.shape == (40,)
        ok &= good
        print(f"[{'ok' if good else 'FAIL'}] gradients through time on cuda, {name}: ratio t=1/t=T {float(norms[0] / norms[-1]):.3g}")
    # 3. the 2-D GAN trains on the GPU (two optimisers through the same engine)
    try:
        from seqlab.core.registry import get_lesson

        gspec = get_lesson("gan-2d").specs()[0][1].replace(train={"device": "cuda"})
        grun = ExperimentRun(gspec)
        t0 = time.perf_counter()
        gs = grun.run()
        cov = {k: v for k, v in gs.items() if "mode" in k or "far" in k or "coverage" in k}
        good = gs["device"].startswith("cuda") and gs["stop_reason"] != "diverged"
        ok &= good
        print(f"[{'ok' if good else 'FAIL'}] GAN on the ring, cuda: {gs['steps']} steps in {time.perf_counter() - t0:.1f} s, {cov}")
    except Exception as e:  # noqa: BLE001 - reported
        ok = False
        print(f"[FAIL] GAN on cuda: {type(e).__name__}: {e}")
    print("ALL OK" if ok else "SOME CHECKS FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
