"""``seqlab probe RUN_DIR --input X.npy --out TRACE.npz``: the recurrent family's verb."""

from __future__ import annotations

import sys
from pathlib import Path

from seqlab.core.errors import CliError, RunError
from seqlab.core.family import CliVerb


def model_from_run(rec):
    """The trained RecurrentModel of a run, its weights checked against its architecture
    (the data is not rebuilt: the model's sizes are in summary.json)."""
    from .model import RecurrentModel

    shape = rec.summary.get("model")
    if not isinstance(shape, dict) or "input_size" not in shape:
        raise RunError("summary.json has no model shape ('model' with input_size, output_size, out_len)")
    model = RecurrentModel(rec.spec.model, int(shape["input_size"]), int(shape["output_size"]),
                           out_len=int(shape.get("out_len", 1)))

    class _One:                    # load_weights checks names and shapes against these modules
        def modules(self):
            return {"model": model}

    from seqlab.core.run_folder import load_weights

    load_weights(_One(), rec.state)
    model.eval()
    return model


def _add_arguments(p) -> None:
    p.add_argument("run_dir", metavar="RUN_DIR")
    p.add_argument("--input", required=True, metavar="X.npy")
    p.add_argument("--out", required=True, metavar="TRACE.npz")


def run_probe(args) -> int:
    import numpy as np

    from seqlab.core.run_folder import load_run

    rec = load_run(args.run_dir)
    if rec.spec.family != "recurrent":
        raise CliError(f"{args.run_dir}: probe reads recurrent networks; this run is of the {rec.spec.family} family")
    model = model_from_run(rec)
    path = Path(args.input)
    if not path.exists():
        raise CliError(f"{path}: no such file")
    shape = rec.summary["model"]
    F = int(shape["input_size"])
    need = f"the input must be a .npy array of shape [T, {F}] (T time steps of {F} number(s)), saved with numpy.save"
    with open(path, "rb") as f:
        if f.read(6) != b"\x93NUMPY":          # a CSV, a text file, an .npz ...
            raise CliError(f"{path}: not a .npy file; {need}")
    try:
        x = np.load(path, allow_pickle=False)
    except ValueError as e:
        if "pickle" in str(e) or "Object arrays" in str(e):
            raise CliError(f"{path}: not a plain .npy array (it holds Python objects, which SeqLab never "
                           f"unpickles); {need}") from None
        raise CliError(f"{path}: not a .npy array; {need}") from None
    except (OSError, EOFError):
        raise CliError(f"{path}: not a .npy array; {need}") from None
    if not isinstance(x, np.ndarray):
        raise CliError(f"{path}: holds several arrays (an .npz); {need}")
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

    from .probes import probe

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


PROBE = CliVerb("probe", "every gate and state of a trained model for one input sequence", _add_arguments, run_probe)

__all__ = ["PROBE", "model_from_run", "run_probe"]
