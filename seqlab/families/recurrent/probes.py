"""Probes: every gate and state of a fused ``nn.RNN`` / ``nn.LSTM`` / ``nn.GRU``.

Training runs on PyTorch's fused recurrent modules, which only return the top layer's
outputs and the final states.  The probe recomputes the very same network step by step from
the module's own parameters (``weight_ih_l{k}``, ``weight_hh_l{k}``, ``bias_ih_l{k}``,
``bias_hh_l{k}``, with the ``_reverse`` suffix for the backward direction) and keeps every
intermediate: the hidden state of every layer and direction at every time step and, for the
gated cells, every gate.  Its output equals the fused module's output (max abs difference
<= 1e-5 in float32; the tests prove it for every cell, depth and direction).

Semantics are those of the module in eval mode: no dropout between layers.  ``proj_size``
(LSTM with projections) is not supported.  The probe always takes and returns batch-first
tensors (``[B, T, ...]``), as the project builds every module with ``batch_first=True``.

Equations (PyTorch's gate order and symbols, which the returned arrays use):

* RNN:  ``h_t = tanh(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh)``  (or ``relu``)
* LSTM: ``i, f, o = sigmoid(...)``, ``g = tanh(...)`` (weights stacked in the order i, f, g,
  o), ``c_t = f * c_{t-1} + i * g``, ``h_t = o * tanh(c_t)``
* GRU:  ``r = sigmoid(W_ir x + b_ir + W_hr h + b_hr)``, ``z = sigmoid(W_iz x + b_iz + W_hz h +
  b_hz)``, ``n = tanh(W_in x + b_in + r * (W_hn h + b_hn))``, ``h_t = (1 - z) * n + z * h_{t-1}``

The course writes the GRU as ``h_t = u_t * c_t + (1 - u_t) * h_{t-1}`` with the update gate
``u`` and the candidate ``c``: its ``u`` is PyTorch's ``1 - z`` and its candidate ``c`` is
PyTorch's ``n``.  The arrays here keep PyTorch's meaning of ``z`` (the TRACE.npz contract);
views that show the course's symbols must display ``u = 1 - z`` and say so.

Gradients through time: a fused module's output gradient at step t holds only the loss's
direct dependence on that output, not what flows back through ``h_{t+1}``.  With
``differentiable=True`` the probe builds an unrolled graph whose per-step hidden states
(``ProbeResult.h_steps``) are the tensors actually used both in the recurrence and in the
output, so ``torch.autograd.grad`` with respect to them gives the total ``dL/dh_t``;
:func:`grad_through_time` does exactly that for the first layer.
"""

from __future__ import annotations

from dataclasses import dataclass
import weakref
from typing import Callable

import numpy as np
import torch
from torch import nn

from .cells import ARRAYS

__all__ = ["ProbeResult", "probe", "gates_of", "grad_through_time", "exact_float32_on_cuda"]


def exact_float32_on_cuda() -> None:
    """Make cuDNN's fused RNN kernels compute in true float32.

    On Ampere and later GPUs PyTorch lets cuDNN use TF32 (10-bit mantissa) inside its RNN
    kernels by default: the fused module's outputs then differ from float32 arithmetic (and
    from this probe) by up to 5e-4 (measured on an H200), and the gates shown would not be the
    network's. The course's models are small, so exactness costs little. The setting is the
    process's; the recurrent family sets it when it trains on a GPU."""
    torch.backends.cudnn.allow_tf32 = False
    torch.backends.cuda.matmul.allow_tf32 = False

_GATES = ARRAYS


def gates_of(cell: str) -> tuple[str, ...]:
    """Names of the arrays a probe returns for ``cell`` ('rnn', 'lstm' or 'gru').

    'h' always comes first; LSTM adds 'c', 'i', 'f', 'g', 'o'; GRU adds 'r', 'z', 'n'
    (PyTorch's meaning of z).
    """
    key = str(cell).lower()
    if key.startswith("rnn"):  # also 'rnn_tanh' / 'rnn_relu', the fused module's mode
        key = "rnn"
    try:
        return _GATES[key]
    except KeyError:
        raise ValueError(f"unknown cell {cell!r}: expected 'rnn', 'lstm' or 'gru'") from None


@dataclass
class ProbeResult:
    """Everything a probe saw.

    ``output``: ``[B, T, H*D]``, equal to the fused module's output.
    ``states``: name -> ``[L*D, B, T, H]``, layer-major, forward before reverse; keys as
    :func:`gates_of`.
    ``h_steps``: ``[L*D][T]`` the per-step ``h_t`` tensors (``[B, H]``) used in the recurrence
    and the output; index t is real time for the reverse direction too.
    """

    output: torch.Tensor
    states: dict[str, torch.Tensor]
    h_steps: list[list[torch.Tensor]]

    def numpy(self, sample: int = 0) -> dict[str, np.ndarray]:
        """Detached float32 arrays ``[L*D, T, H]`` for one sample (the TRACE.npz layout)."""
        return {
            name: t[:, sample].detach().to("cpu", torch.float32).numpy()
            for name, t in self.states.items()
        }


def _cell_of(rnn: nn.RNNBase) -> str:
    mode = getattr(rnn, "mode", None)
    if mode == "LSTM":
        return "lstm"
    if mode == "GRU":
        return "gru"
    if mode in ("RNN_TANH", "RNN_RELU"):
        return "rnn"
    raise ValueError(f"cannot probe {type(rnn).__name__}: expected nn.RNN, nn.LSTM or nn.GRU")


def _as_state(h: torch.Tensor, name: str, shape: tuple[int, int, int], like: torch.Tensor,
              unbatched: bool) -> torch.Tensor:
    h = torch.as_tensor(h)
    if unbatched and h.dim() == 2:
        h = h.unsqueeze(1)
    if tuple(h.shape) != shape:
        raise ValueError(
            f"{name} has shape {tuple(h.shape)}, expected {shape} "
            "(layers * directions, batch, hidden)")
    return h.to(device=like.device, dtype=like.dtype)


def probe(rnn: nn.RNNBase, x: torch.Tensor, h0=None, *, differentiable: bool = False
          ) -> ProbeResult:
    """Recompute ``rnn`` step by step on ``x`` and return every gate and state.

    ``x`` is ``[B, T, F]`` (a ``[T, F]`` input is treated as B=1).  ``h0`` is ``None`` (zeros)
    or what the fused module takes: ``[L*D, B, H]``, or an ``(h0, c0)`` tuple for an LSTM.
    Runs under ``torch.no_grad()`` unless ``differentiable=True``.  Computes on the device and
    in the dtype of the module's weights (``x`` and ``h0`` are moved there).
    """
    if differentiable:
        with torch.enable_grad():
            return _probe(rnn, x, h0)
    with torch.no_grad():
        return _probe(rnn, x, h0)


def _probe(rnn: nn.RNNBase, x: torch.Tensor, h0) -> ProbeResult:
    cell = _cell_of(rnn)
    if getattr(rnn, "proj_size", 0):
        raise ValueError("the probe does not support LSTMs with proj_size > 0")
    L, H = rnn.num_layers, rnn.hidden_size
    D = 2 if rnn.bidirectional else 1
    w0 = rnn.weight_ih_l0
    x = torch.as_tensor(x)
    unbatched = x.dim() == 2
    if unbatched:
        x = x.unsqueeze(0)
    if x.dim() != 3:
        raise ValueError(f"x has shape {tuple(x.shape)}, expected [batch, time, features]")
    if x.shape[-1] != rnn.input_size:
        raise ValueError(f"x has {x.shape[-1]} features, the module expects {rnn.input_size}")
    B, T = x.shape[0], x.shape[1]
    if T == 0:
        raise ValueError("x has no time steps")
    x = x.to(device=w0.device, dtype=w0.dtype)

    shape = (L * D, B, H)
    c0 = None
    if cell == "lstm" and h0 is not None:
        if not isinstance(h0, (tuple, list)) or len(h0) != 2:
            raise ValueError("an LSTM's initial state is a tuple (h0, c0)")
        h0, c0 = h0
        c0 = _as_state(c0, "c0", shape, w0, unbatched)
    if h0 is not None:
        h0 = _as_state(h0, "h0", shape, w0, unbatched)

    names = gates_of(cell)
    collected: dict[str, list[torch.Tensor]] = {n: [] for n in names}
    h_steps: list[list[torch.Tensor]] = []
    relu = getattr(rnn, "nonlinearity", "tanh") == "relu"

    inp = x.transpose(0, 1)  # [T, B, F]: a contiguous [B, ...] slab per step
    for k in range(L):
        outs = []
        for d in range(D):
            sfx = f"l{k}_reverse" if d else f"l{k}"
            w_ih = getattr(rnn, "weight_ih_" + sfx)
            w_hh = getattr(rnn, "weight_hh_" + sfx)
            b_ih = getattr(rnn, "bias_ih_" + sfx, None)
            b_hh = getattr(rnn, "bias_hh_" + sfx, None)
            idx = k * D + d
            h = h0[idx] if h0 is not None else w0.new_zeros(B, H)
            c = None
            if cell == "lstm":
                c = c0[idx] if c0 is not None else w0.new_zeros(B, H)
            times = range(T - 1, -1, -1) if d else range(T)
            res = _run_direction(cell, relu, inp, w_ih, w_hh, b_ih, b_hh, h, c, times, H)
            steps, per_gate = res
            h_steps.append(steps)
            for n in names:
                collected[n].append(torch.stack(per_gate[n], 0))  # [T, B, H]
            outs.append(collected["h"][-1])
        inp = outs[0] if D == 1 else torch.cat(outs, dim=2)
    output = inp.transpose(0, 1).contiguous()
    states = {n: torch.stack(v, 0).transpose(1, 2).contiguous() for n, v in collected.items()}
    return ProbeResult(output=output, states=states, h_steps=h_steps)


def _run_direction(cell, relu, inp, w_ih, w_hh, b_ih, b_hh, h, c, times, H):
    """One layer, one direction.  Returns (h per real time, {name: [per real time]})."""
    T, B = inp.shape[0], inp.shape[1]
    flat = inp.reshape(T * B, inp.shape[2])
    # All input projections in one matmul; for RNN/LSTM both biases fold in here.  The GRU's
    # b_hn must stay inside r * (W_hn h + b_hn), so its hidden bias is added per step.
    if cell == "gru":
        bias = b_ih
    elif b_ih is not None:
        bias = b_ih + b_hh
    else:
        bias = None
    xp = torch.addmm(bias, flat, w_ih.t()) if bias is not None else flat.mm(w_ih.t())
    xp = xp.view(T, B, -1)
    w_hh_t = w_hh.t()
    steps: list = [None] * T

    if cell == "rnn":
        act = torch.relu if relu else torch.tanh
        for t in times:
            h = act(torch.addmm(xp[t], h, w_hh_t))
            steps[t] = h
        return steps, {"h": steps}

    if cell == "lstm":
        sig_l: list = [None] * T
        g_l: list = [None] * T
        c_l: list = [None] * T
        H2, H3 = 2 * H, 3 * H
        for t in times:
            gates = torch.addmm(xp[t], h, w_hh_t)
            sig = gates.sigmoid()  # i, f, (unused), o in one kernel
            g = gates[:, H2:H3].tanh()
            c = torch.addcmul(sig[:, H:H2] * c, sig[:, :H], g)
            h = sig[:, H3:] * c.tanh()
            sig_l[t], g_l[t], c_l[t], steps[t] = sig, g, c, h
        sig = torch.stack(sig_l, 0)  # [T, B, 4H]
        return steps, {
            "h": steps, "c": c_l, "g": g_l,
            "i": list(sig[:, :, :H].unbind(0)),
            "f": list(sig[:, :, H:H2].unbind(0)),
            "o": list(sig[:, :, H3:].unbind(0)),
        }

    # GRU
    H2 = 2 * H
    rz_l: list = [None] * T
    n_l: list = [None] * T
    for t in times:
        hh = torch.addmm(b_hh, h, w_hh_t) if b_hh is not None else h.mm(w_hh_t)
        xt = xp[t]
        rz = (xt[:, :H2] + hh[:, :H2]).sigmoid()
        n = torch.addcmul(xt[:, H2:], rz[:, :H], hh[:, H2:]).tanh()
        h = torch.addcmul(n, rz[:, H:], h - n)  # (1 - z) * n + z * h
        rz_l[t], n_l[t], steps[t] = rz, n, h
    rz = torch.stack(rz_l, 0)
    return steps, {
        "h": steps, "n": n_l,
        "r": list(rz[:, :, :H].unbind(0)),
        "z": list(rz[:, :, H:].unbind(0)),
    }


def grad_through_time(rnn: nn.RNNBase, x: torch.Tensor,
                      loss_of_output: Callable[[torch.Tensor], torch.Tensor]) -> torch.Tensor:
    """``||dL/dh_t||`` for every step t of the first layer: a float32 CPU tensor ``[T]``.

    Runs the probe differentiably, computes ``loss_of_output(result.output)`` (a scalar) and
    takes ``torch.autograd.grad`` with respect to layer 0's per-step hidden states, so the
    gradient at t is the total one, including what flows back through ``h_{t+1}``.  The norm
    is the Frobenius norm over the batch and, for a bidirectional module, over both
    directions' states at real time t.  Leaves no ``.grad`` on the module's parameters.

    LSTMs are measured on fused modules (see ``_fused_grad_through_time``: 3-4x faster); RNNs
    and GRUs on the probe's unrolled graph.
    """
    if has_fused_grad_through_time(rnn):
        x = torch.as_tensor(x)
        x = (x.unsqueeze(0) if x.dim() == 2 else x).to(device=rnn.weight_ih_l0.device,
                                                        dtype=rnn.weight_ih_l0.dtype)
        return _fused_grad_through_time(rnn, x, loss_of_output)
    res = probe(rnn, x, differentiable=True)
    with torch.enable_grad():
        loss = loss_of_output(res.output)
        if not isinstance(loss, torch.Tensor) or loss.numel() != 1:
            raise ValueError("loss_of_output must return a scalar tensor")
        D = 2 if rnn.bidirectional else 1
        T = len(res.h_steps[0])
        inputs = [h for d in range(D) for h in res.h_steps[d]]
        if not loss.requires_grad:
            return torch.zeros(T, dtype=torch.float32)
        grads = torch.autograd.grad(loss.reshape(()), inputs, allow_unused=True)
    sq = torch.zeros(T, dtype=torch.float64)
    for d in range(D):
        gd = [g if g is not None else torch.zeros_like(h)
              for g, h in zip(grads[d * T:(d + 1) * T], inputs[d * T:(d + 1) * T])]
        sq += torch.stack(gd, 0).detach().to("cpu", torch.float64).pow(2).flatten(1).sum(1)
    return sq.sqrt().to(torch.float32)


# -- gradients through time on the fused kernels ------------------------------------------
#
# For an RNN or an LSTM, h_{t-1} reaches the loss through two paths only: the output at t-1
# (its direct effect) and the pre-activations at t, W_hh h_{t-1}. So
#     dL/dh_{t-1} = dL/dout_{t-1} + W_hh^T dL/dpre_t.
# A fused module gives the first term as the gradient of its output. The second is what
# an extra input e_t, all zeros and entering through the weights W_hh, receives:
# dL/de_t = W_hh^T dL/dpre_t. So one forward and backward pass of a fused module that reads
# [x_t, e_t] with input weights [W_ih, W_hh] gives every dL/dh_t at the cost of a training
# step on a few sequences, instead of an unrolled graph of ~10 small operations per step
# (5 ms for T 50 on a laptop CPU, about 4% of training when recorded every 50 steps).
# Measured (T 50, 8 sequences, hidden 32, 2 CPU cores): LSTM 4.7 ms unrolled, 1.1-1.5 ms
# fused. A plain RNN's unrolled graph is one operation per step, as cheap as the fused pass
# (1.1 vs 1.3 ms), so it keeps it; the identity holds for it too and the tests check both
# paths. The GRU's h_{t-1} also enters as z * h_{t-1} and inside r * (W_hn h + b_hn), which no
# extra input reproduces: it keeps the unrolled graph.

def has_fused_grad_through_time(rnn: nn.Module) -> bool:
    """Whether ``grad_through_time`` measures ``rnn`` in one fused pass (else on an unrolled
    graph of many small operations: on a GPU, each a kernel launch)."""
    return getattr(rnn, "mode", None) == "LSTM" and not getattr(rnn, "proj_size", 0)


_FUSED_KINDS = {"LSTM": nn.LSTM, "RNN_TANH": nn.RNN, "RNN_RELU": nn.RNN}
_twins: "weakref.WeakKeyDictionary[nn.RNNBase, dict]" = weakref.WeakKeyDictionary()


def _fused_twin(rnn: nn.RNNBase, key: str, input_size: int, layers: int, bidirectional: bool
                ) -> nn.RNNBase:
    """A module like ``rnn`` (built once and kept while ``rnn`` lives) without gradients on
    its weights: only the input gradients are wanted."""
    twins = _twins.setdefault(rnn, {})
    w = rnn.weight_ih_l0
    m = twins.get(key)
    if m is None or m.weight_hh_l0.device != w.device or m.weight_hh_l0.dtype != w.dtype:
        kw = {"nonlinearity": rnn.nonlinearity} if rnn.mode != "LSTM" else {}
        m = _FUSED_KINDS[rnn.mode](input_size, rnn.hidden_size, num_layers=layers, bias=rnn.bias,
                                   batch_first=True, bidirectional=bidirectional, **kw)
        # train(): cuDNN refuses an RNN backward pass in eval mode; with no dropout (the
        # twin has none) the two modes compute the same thing
        m = m.to(device=w.device, dtype=w.dtype).train().requires_grad_(False)
        twins[key] = m
    return m


def _layer0_twin(rnn: nn.RNNBase, sfx: str) -> nn.RNNBase:
    """One direction of layer 0 reading [x_t, e_t] through [W_ih, W_hh]."""
    m = _fused_twin(rnn, sfx, rnn.input_size + rnn.hidden_size, 1, False)
    with torch.no_grad():
        w_hh = getattr(rnn, "weight_hh_" + sfx)
        m.weight_ih_l0.copy_(torch.cat([getattr(rnn, "weight_ih_" + sfx), w_hh], 1))
        m.weight_hh_l0.copy_(w_hh)
        if rnn.bias:
            m.bias_ih_l0.copy_(getattr(rnn, "bias_ih_" + sfx))
            m.bias_hh_l0.copy_(getattr(rnn, "bias_hh_" + sfx))
    return m


def _upper_twin(rnn: nn.RNNBase) -> nn.RNNBase:
    """Layers 1.. of ``rnn`` as one fused module."""
    D = 2 if rnn.bidirectional else 1
    m = _fused_twin(rnn, "upper", rnn.hidden_size * D, rnn.num_layers - 1, rnn.bidirectional)
    with torch.no_grad():
        for name, p in m.named_parameters():
            k = int(name.split("_l")[1].split("_")[0])
            p.copy_(getattr(rnn, name.replace(f"_l{k}", f"_l{k + 1}", 1)))
    return m


def _fused_grad_through_time(rnn: nn.RNNBase, x: torch.Tensor, loss_of_output) -> torch.Tensor:
    B, T, H = x.shape[0], x.shape[1], rnn.hidden_size
    directions = ("l0", "l0_reverse") if rnn.bidirectional else ("l0",)
    outs, extras = [], []
    with torch.enable_grad():
        for d, sfx in enumerate(directions):
            xd = x.flip(1) if d else x           # the reverse direction reads time backwards
            e = x.new_zeros(B, T, H, requires_grad=True)
            out, _ = _layer0_twin(rnn, sfx)(torch.cat([xd, e], 2))
            outs.append(out)
            extras.append(e)
        layer0 = [o.flip(1) if d else o for d, o in enumerate(outs)]
        out = layer0[0] if len(layer0) == 1 else torch.cat(layer0, 2)
        if rnn.num_layers > 1:
            out, _ = _upper_twin(rnn)(out)
        loss = loss_of_output(out)
        if not isinstance(loss, torch.Tensor) or loss.numel() != 1:
            raise ValueError("loss_of_output must return a scalar tensor")
        if not loss.requires_grad:
            return torch.zeros(T, dtype=torch.float32)
        grads = torch.autograd.grad(loss.reshape(()), outs + extras, allow_unused=True)
    sq = torch.zeros(T, dtype=torch.float64)
    n = len(outs)
    for d in range(n):
        g_out = grads[d] if grads[d] is not None else torch.zeros_like(outs[d])
        g = g_out.detach().clone()
        if grads[n + d] is not None:     # step s's state also feeds step s+1 (in its reading order)
            g[:, :-1] += grads[n + d][:, 1:]
        norms = g.to("cpu", torch.float64).pow(2).sum((0, 2))
        sq += norms.flip(0) if d else norms
    return sq.sqrt().to(torch.float32)
