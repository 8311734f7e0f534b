"""The recurrent-network family: its training step, metrics, probes and gradients through time.

The engine (``engine.py``) runs the loop; this module says what one step of an RNN / LSTM /
GRU on a sequence data set is. Data tensors live on the training device for the whole run
and batches are index slices: for the small models of the course a DataLoader's per-batch
Python overhead would cost more than the step itself.
"""

from __future__ import annotations

from typing import Any, Iterator

import numpy as np
import torch
from torch import nn

from .datasets import SequenceData, build_dataset
from .engine import Engine
from .probes import grad_through_time, probe
from .recurrent_model import RecurrentModel
from .spec import ExperimentSpec

GTT_SAMPLES = 8   # validation sequences the gradient-through-time measurement averages over


class RecurrentFamily:
    name = "recurrent"

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
        if self.classification:
            return self.loss_fn(pred, y)
        return self.loss_fn(pred, y)

    def training_step(self, idx: torch.Tensor, engine: Engine) -> dict[str, torch.Tensor]:
        self.model.train()
        x, y = self._tensors["x_train"][idx], self._tensors["y_train"][idx]
        pred = self.model(x)
        loss = self.loss(pred, y)
        total = loss + engine.penalty(self.model)
        out = engine.backward_step(total, self.optimizer, self._params, self._named)
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
        was_training = self.model.training
        self.model.eval()
        try:
            norms = grad_through_time(self.model.rnn, self.model.rnn_input(x),
                                      lambda out: self.loss(self.model.readout(out), y))
        finally:
            self.model.train(was_training)
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
        was_training = self.model.training
        self.model.eval()
        x = x_all[index:index + 1].to(next(self.model.parameters()).device)
        result = probe(self.model.rnn, self.model.rnn_input(x))
        pred = self.model.readout(result.output)
        self.model.train(was_training)
        if self.classification:
            pred = torch.softmax(pred, -1)
        return {"states": result.numpy(0), "x": x[0].cpu().numpy(), "y": y_all[index].cpu().numpy(),
                "pred": pred[0].cpu().numpy(), "index": index, "split": split}

    @torch.no_grad()
    def predict(self, split: str = "val", limit: int = 256) -> dict[str, np.ndarray]:
        """Predictions on the first `limit` sequences of a split (for the predictions view)."""
        self.model.eval()
        x = self._tensors[f"x_{split}"][:limit]
        pred = self.model(x)
        if self.classification:
            pred = torch.softmax(pred, -1)
        return {"pred": pred.cpu().numpy(), "y": self._tensors[f"y_{split}"][:limit].cpu().numpy()}

    def shape_info(self) -> dict[str, Any]:
        """What a run folder needs to rebuild the model without regenerating the data."""
        d = self.data
        return {"input_size": d.input_size, "output_size": d.output_size, "out_len": d.out_len,
                "seq_len": int(d.x_train.shape[1]), "kind": d.kind, "n_classes": d.n_classes,
                "class_names": d.class_names, "parameters": self.model.parameter_count(),
                "baseline_loss": d.baseline_loss, "chance_accuracy": d.chance_accuracy}
