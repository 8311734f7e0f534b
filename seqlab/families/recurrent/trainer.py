"""One run of a recurrent network: its training step, metrics, probes and live snapshots.

The engine (``seqlab.core.engine``) runs the loop; this module says what one step of an
RNN / LSTM / GRU on a sequence data set is, and computes what the views draw (the
``trace`` of every gate of one sequence, ``predictions``). Data tensors live on the training device for the whole run
and batches are index slices: for the small models of the course a DataLoader's per-batch
Python overhead would cost more than the step itself.
"""

from __future__ import annotations

import copy
from typing import Any, Iterator

import numpy as np
import torch
from torch import nn

from seqlab.core.engine import Engine
from seqlab.core.spec import ExperimentSpec

from .data import SequenceData, build_dataset
from .model import RecurrentModel
from .probes import exact_float32_on_cuda, grad_through_time, has_fused_grad_through_time, probe

GTT_SAMPLES = 8   # validation sequences the gradient-through-time measurement averages over
PREDICTION_LIMIT = 256   # validation sequences predicted for the predictions view


class RecurrentTrainable:
    """The data and the model of one recurrent run (the engine's ``Trainable``)."""

    monitor = "val_loss"
    watch = ("train_loss",)

    def __init__(self, spec: ExperimentSpec, data: SequenceData | None = None):
        self.spec = spec
        self.data = data if data is not None else build_dataset(spec.data, spec.model.task)
        d = self.data
        torch.manual_seed(spec.train.seed)
        self.model = RecurrentModel(spec.model, d.input_size, d.output_size, out_len=d.out_len,
                                    horizon=max(d.x_train.shape[1], d.out_len))
        self.classification = d.kind == "classification"
        self.loss_fn: nn.Module = nn.CrossEntropyLoss() if self.classification else nn.MSELoss()
        self.device = torch.device("cpu")
        self._tensors: dict[str, torch.Tensor] = {}
        self.optimizer: torch.optim.Optimizer | None = None
        self._params: list[nn.Parameter] = []
        self._named: list[tuple[str, nn.Parameter]] = []
        self._gen = torch.Generator().manual_seed(spec.train.seed)

    # -- what the engine asks for --------------------------------------------------------
    def modules(self) -> dict[str, nn.Module]:
        return {"model": self.model}

    def setup(self, engine: Engine) -> None:
        self.device = engine.device
        if self.device.type == "cuda":
            exact_float32_on_cuda()     # the probe must equal the fused module (no TF32)
        self.model.to(self.device)
        d = self.data
        for split in ("train", "val", "test"):
            x, y = getattr(d, f"x_{split}"), getattr(d, f"y_{split}")
            self._tensors[f"x_{split}"] = torch.as_tensor(x, device=self.device)
            self._tensors[f"y_{split}"] = torch.as_tensor(y, device=self.device)
        self._params = [p for p in self.model.parameters() if p.requires_grad]
        self._named = list(self.model.named_parameters())
        self.optimizer = engine.make_optimizer(self._params)

    def batch_size(self) -> int:
        n = len(self.data.x_train)
        bs = self.spec.train.batch_size
        return n if bs == "all" else min(int(bs), n)

    def batches(self, engine: Engine) -> Iterator[torch.Tensor]:
        n = len(self.data.x_train)
        bs = self.batch_size()
        order = torch.randperm(n, generator=self._gen).to(self.device)
        for start in range(0, n, bs):
            yield order[start:start + bs]

    def loss(self, pred: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        """Cross-entropy for classification, mean squared error for regression."""
        return self.loss_fn(pred, y)

    def training_step(self, idx: torch.Tensor, engine: Engine) -> dict[str, torch.Tensor]:
        if not self.model.training:     # validation and the probes leave it in eval mode
            self.model.train()
        x, y = self._tensors["x_train"][idx], self._tensors["y_train"][idx]
        pred = self.model(x)
        loss = self.loss(pred, y)
        out = engine.backward_step(engine.penalised(loss, self.model), self.optimizer, self._params, self._named)
        out["train_loss"] = loss.detach()
        if self.classification:
            out["train_acc"] = (pred.detach().argmax(-1) == y).float().mean()
        return out

    @torch.no_grad()
    def evaluate(self, split: str, engine: Engine | None = None) -> dict[str, float]:
        self.model.eval()
        x, y = self._tensors[f"x_{split}"], self._tensors[f"y_{split}"]
        if len(x) == 0:
            return {}
        total, correct = 0.0, 0
        for s in range(0, len(x), 1024):
            pred = self.model(x[s:s + 1024])
            total += float(self.loss(pred, y[s:s + 1024])) * len(pred)
            if self.classification:
                correct += int((pred.argmax(-1) == y[s:s + 1024]).sum())
        out = {f"{split}_loss": total / len(x)}
        if self.classification:
            out[f"{split}_acc"] = correct / len(x)
        return out

    # -- what the views and the gradient recorder ask for --------------------------------
    def grad_through_time(self, engine: Engine | None = None) -> np.ndarray:
        """||dL/dh_t|| of the first layer over t, on a few validation sequences."""
        split = "val" if len(self._tensors.get("x_val", ())) else "train"
        x = self._tensors[f"x_{split}"][:GTT_SAMPLES]
        y = self._tensors[f"y_{split}"][:GTT_SAMPLES]
        model = self.model
        if self.device.type != "cpu" and not has_fused_grad_through_time(model.rnn):
            # an unrolled graph is ~1,000 kernel launches on a GPU (a GRU engine ran at 0.78
            # of a bare loop on an H200): a CPU copy of the weights measures it sooner
            model, x, y = self._model_on_cpu(), x.cpu(), y.cpu()
        was_training = model.training
        model.eval()
        try:
            norms = grad_through_time(model.rnn, model.rnn_input(x),
                                      lambda out: self.loss(model.readout(out), y))
        finally:
            model.train(was_training)
        return norms.numpy()

    @torch.no_grad()
    def trace(self, index: int = 0, split: str = "val") -> dict[str, Any]:
        """Every gate and state for one sequence, plus its input, target and prediction."""
        x_all = self._tensors.get(f"x_{split}")
        if x_all is None:   # before setup: the arrays are still numpy
            x_all = torch.as_tensor(getattr(self.data, f"x_{split}"))
            y_all = torch.as_tensor(getattr(self.data, f"y_{split}"))
        else:
            y_all = self._tensors[f"y_{split}"]
        index = int(np.clip(index, 0, len(x_all) - 1))
        model = self._model_on_cpu()
        was_training = model.training
        model.eval()
        x = x_all[index:index + 1].to("cpu")
        result = probe(model.rnn, model.rnn_input(x))
        pred = model.readout(result.output)
        model.train(was_training)
        if self.classification:
            pred = torch.softmax(pred, -1)
        return {"states": result.numpy(0), "x": x[0].cpu().numpy(), "y": y_all[index].cpu().numpy(),
                "pred": pred[0].cpu().numpy(), "index": index, "split": split}

    def _model_on_cpu(self) -> RecurrentModel:
        """The model itself on a CPU; elsewhere a CPU copy holding its current weights.

        A probe of one sequence is ~300 tiny operations: on a GPU each is a kernel launch
        (the engine ran at 0.65-0.78 of a bare loop on an H200 with the live probe on), on
        a CPU core they take about a millisecond. Copying the weights over costs less."""
        if self.device.type == "cpu":
            return self.model
        twin = getattr(self, "_cpu_twin", None)
        if twin is None:
            twin = self._cpu_twin = copy.deepcopy(self.model).to("cpu")
        twin.load_state_dict(self.model.state_dict())
        return twin

    @torch.no_grad()
    def predict(self, split: str = "val", limit: int = 256) -> dict[str, np.ndarray]:
        """Predictions on the first `limit` sequences of a split (for the predictions view)."""
        self.model.eval()
        x = self._tensors[f"x_{split}"][:limit]
        pred = self.model(x)
        if self.classification:
            pred = torch.softmax(pred, -1)
        return {"pred": pred.cpu().numpy(), "y": self._tensors[f"y_{split}"][:limit].cpu().numpy()}

    @torch.no_grad()
    def forecast(self, split: str = "val", index: int = 0, max_steps: int = 200) -> dict[str, Any] | None:
        """One-step-ahead and free-running forecasts against the truth, in the data's units.

        - A real series (sunspots, CSV): over the `split` part of the whole series, each
          one-step value is predicted from the ``seq_len`` true values before it; the
          free-running curve starts from the ``seq_len`` true values before the part and then
          reads its own predictions back in (at most `max_steps` steps).
        - Generated waves (sine, many-to-many): sequence `index` of `split`; one-step
          predicts x_{t+1} from x_1..x_t at every t; free-running reads the first half of the
          true wave, then its own predictions (none for a bidirectional model, which reads
          the future). One-to-many: the wave generated from its one input (free-running only).

        Returns None when the data and task have no series to forecast (classification, or
        a many-to-one model on generated sequences). Keys: ``t`` (time axis of the truth),
        ``truth``, ``one_step_t``, ``one_step``, ``free_t``, ``free``, ``free_start`` (the
        first step predicted without seeing the truth), ``split``, ``unit``, ``label``.
        """
        d = self.data
        if self.classification or d.kind != "regression" or d.output_size != 1:
            return None
        was_training = self.model.training
        self.model.eval()
        try:
            if d.series is not None and d.split_index is not None:
                return self._forecast_series(split, max_steps)
            if self.spec.model.task in ("many-to-many", "one-to-many"):
                return self._forecast_wave(split, index)
            return None
        finally:
            self.model.train(was_training)

    def _model_device(self) -> torch.device:
        return next(self.model.parameters()).device

    def _next_value(self, windows: torch.Tensor) -> torch.Tensor:
        """The model's prediction of the value after each window [B, T, 1] -> [B]."""
        out = self.model(windows)
        return out[:, -1, 0] if out.dim() == 3 else out[:, 0]

    def _forecast_series(self, split: str, max_steps: int) -> dict[str, Any]:
        d = self.data
        z = np.asarray(d.series, np.float32)
        T = int(d.x_train.shape[1])
        a, b = {"train": (0, d.split_index[0]), "val": (d.split_index[0], d.split_index[1]),
                "test": (d.split_index[1], len(z))}[split]
        a = max(a, T)                   # the first value with a full window of true history
        b = min(b, a + max_steps)
        dev = self._model_device()
        if b <= a:
            return None
        idx = np.arange(a, b)
        windows = np.stack([z[p - T:p] for p in idx])[:, :, None]
        one = self._next_value(torch.as_tensor(windows, device=dev)).cpu().numpy()
        hist = list(z[a - T:a])
        free = []
        for _ in range(b - a):
            w = torch.as_tensor(np.asarray(hist[-T:], np.float32)[None, :, None], device=dev)
            v = float(self._next_value(w)[0])
            free.append(v)
            hist.append(v)
        den = lambda v: d.denormalise(np.asarray(v, np.float32)[:, None])[:, 0]  # noqa: E731
        lo = max(0, a - T)
        t = np.arange(lo, b)
        return {"t": t, "truth": den(z[lo:b]), "one_step_t": idx, "one_step": den(one),
                "free_t": idx, "free": den(free), "free_start": int(a), "split": split,
                "unit": "value", "label": f"{d.name}: {split} part of the series"}

    def _forecast_wave(self, split: str, index: int) -> dict[str, Any]:
        d = self.data
        x_all, y_all = getattr(d, f"x_{split}"), getattr(d, f"y_{split}")
        if len(x_all) == 0:
            return None
        i = int(np.clip(index, 0, len(x_all) - 1))
        dev = self._model_device()
        x = torch.as_tensor(x_all[i:i + 1], device=dev)
        y = np.asarray(y_all[i])[:, 0]
        den = lambda v: d.denormalise(np.asarray(v, np.float32)[:, None])[:, 0]  # noqa: E731
        if self.spec.model.task == "one-to-many":
            gen = self.model(x)[0, :, 0].cpu().numpy()
            t = np.arange(len(y))
            return {"t": t, "truth": den(y), "one_step_t": t[:0], "one_step": den(gen[:0]),
                    "free_t": t, "free": den(gen), "free_start": 0, "split": split, "unit": "value",
                    "label": f"sine wave {i} of {split}, generated from one input step"}
        truth = np.append(x_all[i, :, 0], y[-1])                    # T + 1 values (y is x shifted by one)
        T = len(truth) - 1
        one = self.model(x)[0, :, 0].cpu().numpy()                  # predictions of truth[1:]
        warm = max(1, T // 2)
        free: list[float] = []
        if not self.spec.model.bidirectional:
            # Step by step with the recurrent state carried along: the same as re-reading the
            # growing prefix (the network is causal), with two input shapes instead of T
            # (each new shape costs the fused module a kernel set-up).
            prefix = torch.as_tensor(truth[None, :warm, None], dtype=torch.float32, device=dev)
            out, state = self.model.rnn(prefix)
            v = self.model.head(out[:, -1])
            for _ in range(warm, T + 1):
                free.append(float(v[0, 0]))
                out, state = self.model.rnn(v.view(1, 1, 1), state)
                v = self.model.head(out[:, -1])
        # (a bidirectional model reads the future, so it has no free-running forecast)
        t = np.arange(T + 1)
        return {"t": t, "truth": den(truth), "one_step_t": t[1:], "one_step": den(one),
                "free_t": t[warm:warm + len(free)], "free": den(free), "free_start": warm, "split": split,
                "unit": "value", "label": f"sine wave {i} of {split}"}

    # -- live snapshots for the views ------------------------------------------------------
    def snapshot(self, kind: str, request: dict[str, Any]) -> dict[str, Any] | None:
        """``trace``: every gate and state of the requested sequence; ``predictions``:
        validation predictions in the layouts of the predictions view."""
        if kind == "trace":
            return self._trace_snapshot(int(request.get("sample", 0)), request.get("split", "val"))
        if kind == "predictions":
            return self._predictions_snapshot(int(request.get("sample", 0)))
        return None

    def _trace_snapshot(self, sample: int, split: str) -> dict[str, Any]:
        tr = self.trace(sample, split)
        m = self.spec.model
        states = tr["states"]
        T = states["h"].shape[1]
        x = np.asarray(tr["x"], np.float32)
        if x.ndim == 1:
            x = x[:, None]
        if x.shape[0] != T:                 # one-to-many: one input step, then zeros
            pad = np.zeros((T, x.shape[1]), np.float32)
            pad[:min(T, x.shape[0])] = x[:T]
            x = pad
        weights = {k: v.detach().to("cpu", copy=True).numpy() for k, v in self.model.rnn.state_dict().items()}
        return {"states": states, "x": x, "y": tr["y"], "pred": tr["pred"], "weights": weights,
                "index": tr["index"], "split": tr["split"], "cell": m.cell,
                "num_layers": m.num_layers, "bidirectional": m.bidirectional, "task": m.task,
                "nonlinearity": m.nonlinearity,
                "feature_names": self.data.feature_names, "class_names": self.data.class_names,
                "n_samples": len(getattr(self.data, f"x_{tr['split']}"))}

    def _predictions_snapshot(self, sample: int) -> dict[str, Any]:
        d = self.data
        base = {"task": self.spec.model.task, "data": d.name, "class_names": d.class_names, "index": sample}
        fc = self.forecast("val", index=sample)
        if fc is not None:
            lo = int(fc["t"][0])
            return {"kind": "regression", **base, "series_true": fc["truth"], "one_step": fc["one_step"],
                    "free_running": fc["free"], "t0": int(fc["free_start"]) - lo, "t_offset": lo,
                    "label": fc["label"]}
        p = self.predict("val", limit=PREDICTION_LIMIT)
        if self.classification:
            return {"kind": "classification", **base, "probs": p["pred"], "y": p["y"]}
        pred, y = d.denormalise(p["pred"]), d.denormalise(p["y"])
        x = np.asarray(d.x_val[:len(pred)], np.float32)
        return {"kind": "regression", **base, "pred": pred, "y": y, "x": x}

    def describe(self) -> dict[str, Any]:
        """What the window shows about this run (sizes, data, baselines)."""
        shape = self.shape_info()
        d = self.data
        bs = max(self.batch_size(), 1)
        return {"cell": self.spec.model.cell, "parameters": shape["parameters"], "description": d.description,
                "shape": shape, "seq_len": shape["seq_len"], "kind": d.kind,
                "n_train": len(d.x_train), "n_val": len(d.x_val), "n_samples": len(d.x_val),
                "batch_size": self.batch_size(), "steps_per_epoch": -(-len(d.x_train) // bs),
                "baseline_loss": d.baseline_loss, "chance_accuracy": d.chance_accuracy}

    def shape_info(self) -> dict[str, Any]:
        """What a run folder needs to rebuild the model without regenerating the data."""
        d = self.data
        return {"input_size": d.input_size, "output_size": d.output_size, "out_len": d.out_len,
                "seq_len": int(d.x_train.shape[1]), "kind": d.kind, "n_classes": d.n_classes,
                "class_names": d.class_names, "parameters": self.model.parameter_count(),
                "baseline_loss": d.baseline_loss, "chance_accuracy": d.chance_accuracy}
