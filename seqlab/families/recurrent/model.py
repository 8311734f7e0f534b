"""The recurrent network of the course, built on PyTorch's fused modules.

``RecurrentModel`` = a fused ``nn.RNN`` / ``nn.LSTM`` / ``nn.GRU`` (held as ``self.rnn`` so its
tensors are saved as ``rnn.weight_ih_l0`` ... and load into a plain PyTorch module) and a
linear read-out ``head``. The RNN type of the course decides which steps have inputs and
outputs:

- many-to-many: an output at every step (e.g. next-step prediction);
- many-to-one: the sequence in, one output after the last step (classification or regression);
- one-to-one: a single step in, a single output;
- one-to-many: one input vector at step 0 (zeros after it) and an output at each of
  ``out_len`` steps: the network generates a sequence from one input.
"""

from __future__ import annotations

import math

import torch
from torch import nn

from .spec import ModelSpec

_CELL_CLASSES = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}
_GATE_BLOCKS = {"rnn": 1, "lstm": 4, "gru": 3}


class RecurrentModel(nn.Module):
    def __init__(self, spec: ModelSpec, input_size: int, output_size: int, out_len: int = 1,
                 horizon: int | None = None):
        super().__init__()
        self.spec = spec
        self.cell = spec.cell
        self.task = spec.task
        self.out_len = out_len
        self.directions = 2 if spec.bidirectional else 1
        kwargs = dict(input_size=input_size, hidden_size=spec.hidden_size, num_layers=spec.num_layers,
                      batch_first=True, bidirectional=spec.bidirectional,
                      dropout=spec.dropout if spec.num_layers > 1 else 0.0)
        if spec.cell == "rnn":
            kwargs["nonlinearity"] = spec.nonlinearity
        self.rnn = _CELL_CLASSES[spec.cell](**kwargs)
        self.head = nn.Linear(spec.hidden_size * self.directions, output_size)
        initialise(self.rnn, spec, horizon=horizon or max(out_len, 2))

    def rnn_input(self, x: torch.Tensor) -> torch.Tensor:
        """What the recurrent module reads: for one-to-many, the one input then zeros."""
        if self.task == "one-to-many":
            pad = x.new_zeros(x.shape[0], self.out_len - 1, x.shape[2])
            return torch.cat([x[:, :1], pad], dim=1)
        return x

    def readout(self, out: torch.Tensor) -> torch.Tensor:
        """Map the recurrent output sequence [B, T, H*D] to the task's predictions."""
        if self.task in ("many-to-many", "one-to-many"):
            return self.head(out)
        # One output: the forward direction has read everything at the last step, the
        # backward direction at the first step.
        H = self.spec.hidden_size
        last = out[:, -1, :H] if self.directions == 1 else torch.cat([out[:, -1, :H], out[:, 0, H:]], dim=1)
        return self.head(last)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out, _ = self.rnn(self.rnn_input(x))
        return self.readout(out)

    def parameter_count(self) -> int:
        return sum(p.numel() for p in self.parameters())


def initialise(rnn: nn.RNNBase, spec: ModelSpec, horizon: int) -> None:
    """Weight initialisation of the course (Xavier, He, orthogonal) and the LSTM forget bias.

    PyTorch's default draws every weight and bias from U(-1/sqrt(H), 1/sqrt(H)), so an
    untrained LSTM's forget gate sits near sigmoid(0) = 0.5: it halves its cell state at
    every step and cannot carry a symbol across 30+ steps. A forget bias of 1-4 (or chrono
    initialisation, b_f ~ log U(1, T-1), b_i = -b_f, for a known horizon T) starts it
    remembering; that difference is what the vanishing-gradient lesson shows.
    """
    blocks = _GATE_BLOCKS[spec.cell]
    gain_relu = spec.cell == "rnn" and spec.nonlinearity == "relu"
    with torch.no_grad():
        for name, p in rnn.named_parameters():
            if spec.init == "default":
                continue
            if name.startswith("bias"):
                p.zero_()
            elif spec.init == "xavier":
                for w in p.chunk(blocks, 0):
                    nn.init.xavier_uniform_(w, gain=nn.init.calculate_gain("relu" if gain_relu else "tanh"))
            elif spec.init == "he":
                for w in p.chunk(blocks, 0):
                    nn.init.kaiming_uniform_(w, a=0, nonlinearity="relu")
            elif spec.init == "orthogonal":
                if name.startswith("weight_hh"):
                    for w in p.chunk(blocks, 0):
                        nn.init.orthogonal_(w)
                else:
                    for w in p.chunk(blocks, 0):
                        nn.init.xavier_uniform_(w)
        if spec.cell == "lstm" and spec.forget_bias is not None:
            H = spec.hidden_size
            for name, p in rnn.named_parameters():
                if not name.startswith("bias"):
                    continue
                # Gate order in PyTorch's LSTM: input, forget, cell (candidate), output.
                i_blk, f_blk = p[0:H], p[H:2 * H]
                if name.startswith("bias_hh"):
                    f_blk.zero_()
                    if spec.forget_bias == "chrono":
                        i_blk.zero_()
                    continue
                if spec.forget_bias == "chrono":
                    T = max(horizon, 3)
                    b = torch.log(torch.empty(H).uniform_(1.0, float(T - 1)))
                    f_blk.copy_(b)
                    i_blk.copy_(-b)
                else:
                    f_blk.fill_(float(spec.forget_bias))


def chrono_range(horizon: int) -> tuple[float, float]:
    """The range of forget biases chrono initialisation draws from, for explanations."""
    return 0.0, math.log(max(horizon, 3) - 1)
