"""The probe equals the fused module, its gates obey the cell equations, and gradients
through time match an independent hand-unrolled graph."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from torch import nn

from seqlab.families.recurrent.probes import (ProbeResult, _fused_grad_through_time, gates_of, grad_through_time,
                                              probe)

CELLS = ("rnn_tanh", "rnn_relu", "lstm", "gru")


def make(cell: str, input_size: int, hidden: int, layers: int = 1, bidirectional: bool = False,
         bias: bool = True) -> nn.RNNBase:
    kw = dict(num_layers=layers, bidirectional=bidirectional, bias=bias, batch_first=True)
    if cell == "lstm":
        return nn.LSTM(input_size, hidden, **kw)
    if cell == "gru":
        return nn.GRU(input_size, hidden, **kw)
    return nn.RNN(input_size, hidden, nonlinearity=cell.split("_")[1], **kw)


def random_h0(cell: str, rnn: nn.RNNBase, batch: int):
    D = 2 if rnn.bidirectional else 1
    shape = (rnn.num_layers * D, batch, rnn.hidden_size)
    h0 = torch.randn(shape) * 0.5
    return (h0, torch.randn(shape)) if cell == "lstm" else h0


# --- the probe equals the fused module ---------------------------------------------------

@settings(max_examples=60, deadline=None)
@given(
    cell=st.sampled_from(CELLS),
    layers=st.integers(1, 4),
    bidirectional=st.booleans(),
    bias=st.booleans(),
    input_size=st.integers(1, 5),
    hidden=st.integers(1, 6),
    batch=st.integers(1, 3),
    T=st.integers(1, 7),
    with_h0=st.booleans(),
    seed=st.integers(0, 2**16),
)
def test_probe_equals_fused_module(cell, layers, bidirectional, bias, input_size, hidden,
                                   batch, T, with_h0, seed):
    torch.manual_seed(seed)
    rnn = make(cell, input_size, hidden, layers, bidirectional, bias)
    x = torch.randn(batch, T, input_size)
    h0 = random_h0(cell, rnn, batch) if with_h0 else None
    with torch.no_grad():
        out, hn = rnn(x, h0) if h0 is not None else rnn(x)
    res = probe(rnn, x, h0)

    D = 2 if bidirectional else 1
    assert res.output.shape == (batch, T, hidden * D)
    assert (res.output - out).abs().max().item() <= 1e-5
    assert list(res.states) == list(gates_of(cell))
    for name, s in res.states.items():
        assert s.shape == (layers * D, batch, T, hidden), name

    # Final states: forward direction ends at t = T-1, reverse at t = 0.
    h_n, c_n = hn if cell == "lstm" else (hn, None)
    for idx in range(layers * D):
        last = 0 if idx % D == 1 else T - 1
        assert (res.states["h"][idx, :, last] - h_n[idx]).abs().max().item() <= 1e-5
        if c_n is not None:
            assert (res.states["c"][idx, :, last] - c_n[idx]).abs().max().item() <= 1e-5
        # h_steps are the same numbers, indexed by real time.
        assert len(res.h_steps[idx]) == T
        for t in range(T):
            assert torch.equal(res.h_steps[idx][t], res.states["h"][idx, :, t])


@pytest.mark.parametrize("cell", CELLS)
def test_unbatched_input_and_h0(cell):
    torch.manual_seed(1)
    rnn = make(cell, 3, 4, layers=2, bidirectional=True)
    x = torch.randn(6, 3)
    h0 = random_h0(cell, rnn, 1)
    h0_unbatched = tuple(h[:, 0] for h in h0) if cell == "lstm" else h0[:, 0]
    with torch.no_grad():
        out, _ = rnn(x, h0_unbatched)
    res = probe(rnn, x, h0_unbatched)
    assert res.output.shape == (1, 6, 8)
    assert (res.output[0] - out).abs().max().item() <= 1e-5


@pytest.mark.parametrize("cell", CELLS)
def test_follows_module_dtype(cell):
    torch.manual_seed(2)
    rnn = make(cell, 3, 5, layers=2, bidirectional=True).double()
    x = torch.randn(2, 9, 3)  # float32 input, float64 weights: the probe computes in float64
    with torch.no_grad():
        out, _ = rnn(x.double())
    res = probe(rnn, x)
    assert res.output.dtype == torch.float64
    assert (res.output - out).abs().max().item() <= 1e-12


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")
@pytest.mark.parametrize("cell", CELLS)
def test_runs_on_cuda(cell):
    from seqlab.families.recurrent.probes import exact_float32_on_cuda

    exact_float32_on_cuda()          # as the family does when it trains on a GPU (no TF32 in cuDNN)
    torch.manual_seed(3)
    rnn = make(cell, 3, 16, layers=2, bidirectional=True).cuda()
    x = torch.randn(2, 20, 3)
    with torch.no_grad():
        out, _ = rnn(x.cuda())
    res = probe(rnn, x)
    assert res.output.device.type == "cuda"
    assert (res.output - out).abs().max().item() <= 1e-5
    assert res.numpy()["h"].dtype == np.float32


# --- gates obey the cell equations -------------------------------------------------------

def _prev(arr: np.ndarray, init: np.ndarray, idx: int, t: int, D: int) -> np.ndarray:
    """The state before real time t for layer/direction idx: t-1 forward, t+1 reverse."""
    T = arr.shape[1]
    if idx % D == 1:
        return init[idx] if t == T - 1 else arr[idx, t + 1]
    return init[idx] if t == 0 else arr[idx, t - 1]


@pytest.mark.parametrize("bidirectional", [False, True])
def test_lstm_gates_obey_equations(bidirectional):
    torch.manual_seed(4)
    rnn = make("lstm", 3, 6, layers=2, bidirectional=bidirectional)
    x = torch.randn(1, 12, 3) * 2
    h0, c0 = random_h0("lstm", rnn, 1)
    a = probe(rnn, x, (h0, c0)).numpy()
    for k in ("i", "f", "o"):
        assert a[k].min() >= 0 and a[k].max() <= 1
    assert a["g"].min() >= -1 and a["g"].max() <= 1
    assert np.abs(a["h"]).max() <= 1
    D = 2 if bidirectional else 1
    c_init = c0[:, 0].numpy()
    for idx in range(a["h"].shape[0]):
        for t in range(a["h"].shape[1]):
            c_prev = _prev(a["c"], c_init, idx, t, D)
            np.testing.assert_allclose(
                a["c"][idx, t], a["f"][idx, t] * c_prev + a["i"][idx, t] * a["g"][idx, t],
                atol=1e-6)
            np.testing.assert_allclose(
                a["h"][idx, t], a["o"][idx, t] * np.tanh(a["c"][idx, t]), atol=1e-6)


@pytest.mark.parametrize("bidirectional", [False, True])
def test_gru_gates_obey_equations(bidirectional):
    torch.manual_seed(5)
    rnn = make("gru", 3, 6, layers=2, bidirectional=bidirectional)
    x = torch.randn(1, 12, 3) * 2
    h0 = random_h0("gru", rnn, 1)
    a = probe(rnn, x, h0).numpy()
    for k in ("r", "z"):
        assert a[k].min() >= 0 and a[k].max() <= 1
    assert a["n"].min() >= -1 and a["n"].max() <= 1
    D = 2 if bidirectional else 1
    h_init = h0[:, 0].numpy()
    for idx in range(a["h"].shape[0]):
        for t in range(a["h"].shape[1]):
            h_prev = _prev(a["h"], h_init, idx, t, D)
            z, n = a["z"][idx, t], a["n"][idx, t]
            np.testing.assert_allclose(a["h"][idx, t], (1 - z) * n + z * h_prev, atol=1e-6)


def test_rnn_relu_and_tanh_ranges():
    torch.manual_seed(6)
    x = torch.randn(2, 10, 3) * 3
    h_tanh = probe(make("rnn_tanh", 3, 5, 2), x).numpy()["h"]
    h_relu = probe(make("rnn_relu", 3, 5, 2), x).numpy()["h"]
    assert np.abs(h_tanh).max() <= 1
    assert h_relu.min() >= 0 and h_relu.max() > 0


# --- numpy(), gates_of, errors ------------------------------------------------------------

@pytest.mark.parametrize("cell", CELLS)
def test_numpy_layout(cell):
    torch.manual_seed(7)
    rnn = make(cell, 3, 5, layers=3, bidirectional=True)
    x = torch.randn(4, 8, 3)
    res = probe(rnn, x)
    assert isinstance(res, ProbeResult)
    assert not res.output.requires_grad
    arrays = res.numpy(sample=2)
    assert tuple(arrays) == gates_of(cell)
    for name, a in arrays.items():
        assert a.shape == (6, 8, 5), name
        assert a.dtype == np.float32
        np.testing.assert_array_equal(a, res.states[name][:, 2].numpy())
    # Layer-major, forward before reverse: the top layer's forward and reverse h are the two
    # halves of the output.
    np.testing.assert_allclose(arrays["h"][4], res.output[2, :, :5].numpy())
    np.testing.assert_allclose(arrays["h"][5], res.output[2, :, 5:].numpy())


def test_gates_of():
    assert gates_of("rnn") == ("h",)
    assert gates_of("lstm") == ("h", "c", "i", "f", "g", "o")
    assert gates_of("gru") == ("h", "r", "z", "n")
    with pytest.raises(ValueError, match="unknown cell"):
        gates_of("transformer")


def test_rejects_what_it_cannot_probe():
    with pytest.raises(ValueError, match="proj_size"):
        probe(nn.LSTM(3, 6, proj_size=2, batch_first=True), torch.randn(1, 4, 3))
    rnn = make("gru", 3, 4, layers=2)
    with pytest.raises(ValueError, match="features"):
        probe(rnn, torch.randn(1, 4, 5))
    with pytest.raises(ValueError, match="h0"):
        probe(rnn, torch.randn(1, 4, 3), torch.zeros(1, 1, 4))
    with pytest.raises(ValueError, match=r"\(h0, c0\)"):
        probe(make("lstm", 3, 4), torch.randn(1, 4, 3), torch.zeros(1, 1, 4))


# --- gradients through time ----------------------------------------------------------------

def _cell_copy(rnn: nn.RNNBase, k: int, d: int) -> nn.RNNCellBase:
    """An nn.*Cell sharing layer k, direction d's parameters with the fused module."""
    sfx = f"l{k}_reverse" if d else f"l{k}"
    in_size = rnn.input_size if k == 0 else rnn.hidden_size * (2 if rnn.bidirectional else 1)
    if rnn.mode == "LSTM":
        cell = nn.LSTMCell(in_size, rnn.hidden_size, bias=rnn.bias)
    elif rnn.mode == "GRU":
        cell = nn.GRUCell(in_size, rnn.hidden_size, bias=rnn.bias)
    else:
        cell = nn.RNNCell(in_size, rnn.hidden_size, bias=rnn.bias, nonlinearity=rnn.nonlinearity)
    names = ["weight_ih", "weight_hh"] + (["bias_ih", "bias_hh"] if rnn.bias else [])
    for n in names:
        delattr(cell, n)
        setattr(cell, n, getattr(rnn, f"{n}_{sfx}"))  # shared, so the graph is the module's
    return cell


def reference_grad_norms(rnn: nn.RNNBase, x: torch.Tensor, loss_of_output) -> torch.Tensor:
    """||dL/dh_t|| for layer 0, from a graph hand-unrolled with nn.*Cell (independent of
    the probe's code)."""
    B, T, _ = x.shape
    D = 2 if rnn.bidirectional else 1
    H = rnn.hidden_size
    inp, layer0 = x, []
    for k in range(rnn.num_layers):
        outs = []
        for d in range(D):
            cell = _cell_copy(rnn, k, d)
            state = (torch.zeros(B, H), torch.zeros(B, H)) if rnn.mode == "LSTM" else torch.zeros(B, H)
            hs = [None] * T
            for t in (range(T - 1, -1, -1) if d else range(T)):
                state = cell(inp[:, t], state)
                hs[t] = state[0] if rnn.mode == "LSTM" else state
            if k == 0:
                layer0.append(hs)
            outs.append(torch.stack(hs, 1))
        inp = torch.cat(outs, 2)
    loss = loss_of_output(inp)
    flat = [h for hs in layer0 for h in hs]
    grads = torch.autograd.grad(loss, flat)
    sq = torch.zeros(T)
    for j, g in enumerate(grads):
        sq[j % T] += g.pow(2).sum()
    return sq.sqrt()


@pytest.mark.parametrize("cell", CELLS)
@pytest.mark.parametrize("layers,bidirectional", [(1, False), (1, True), (2, False), (2, True)])
def test_grad_through_time_matches_hand_unrolled_cells(cell, layers, bidirectional):
    torch.manual_seed(8)
    rnn = make(cell, 3, 4, layers=layers, bidirectional=bidirectional)
    x = torch.randn(2, 6, 3)
    w = torch.randn(2, 6, rnn.hidden_size * (2 if bidirectional else 1))

    def many_to_many(out):
        return (out * w).sum()

    def many_to_one(out):
        return out[:, -1].pow(2).sum()

    for loss_fn in (many_to_many, many_to_one):
        got = grad_through_time(rnn, x, loss_fn)
        want = reference_grad_norms(rnn, x, loss_fn)
        assert got.shape == (6,) and got.dtype == torch.float32 and got.device.type == "cpu"
        torch.testing.assert_close(got, want, rtol=1e-4, atol=1e-6)
        assert got.min() > 0  # every step matters to these losses


@pytest.mark.parametrize("cell", ("rnn_tanh", "rnn_relu", "lstm"))
@pytest.mark.parametrize("layers,bidirectional,bias", [(1, False, True), (1, True, True), (2, False, False),
                                                       (3, True, True)])
def test_fused_grad_through_time_equals_the_unrolled_graph(cell, layers, bidirectional, bias):
    # The fast path (fused modules reading an extra zero input through W_hh) must give the
    # same dL/dh_t as the hand-unrolled cells, for every depth, direction and bias setting.
    torch.manual_seed(13)
    rnn = make(cell, 3, 5, layers=layers, bidirectional=bidirectional, bias=bias)
    x = torch.randn(4, 7, 3)
    w = torch.randn(4, 7, 5 * (2 if bidirectional else 1))
    for loss_fn in (lambda out: (out * w).sum(), lambda out: out[:, -1].pow(2).sum()):
        got = _fused_grad_through_time(rnn, x, loss_fn)
        torch.testing.assert_close(got, reference_grad_norms(rnn, x, loss_fn), rtol=1e-4, atol=1e-6)
    # The twins follow the module's weights as they train.
    with torch.no_grad():
        for p in rnn.parameters():
            p.mul_(1.5)
    loss_fn = lambda out: (out * w).sum()  # noqa: E731
    torch.testing.assert_close(_fused_grad_through_time(rnn, x, loss_fn), reference_grad_norms(rnn, x, loss_fn),
                               rtol=1e-4, atol=1e-6)
    assert all(p.grad is None for p in rnn.parameters())


def test_grad_through_time_counts_what_flows_back_through_the_recurrence():
    # A many-to-one loss depends on h_t (t < T-1) only through h_{t+1}: the fused module's
    # output gradient is zero there, the probe's must not be.
    torch.manual_seed(9)
    rnn = make("lstm", 2, 4)
    g = grad_through_time(rnn, torch.randn(1, 5, 2), lambda out: out[:, -1].sum())
    assert (g[:-1] > 0).all()


def test_vanishing_gradient_in_small_tanh_rnn():
    torch.manual_seed(10)
    rnn = make("rnn_tanh", 1, 16)
    with torch.no_grad():
        for p in rnn.parameters():
            p.uniform_(-0.15, 0.15)
    x = torch.randn(1, 30, 1)
    g = grad_through_time(rnn, x, lambda out: out[:, -1].pow(2).sum() + out[:, -1].sum())
    assert g[-1] > 0
    assert g[0] / g[-1] < 1e-6
    # It fades steadily: each 5 steps back keep less than the previous 5.
    assert (g[:-5:5] < g[5::5]).all()


def test_grad_through_time_leaves_no_grad_on_parameters():
    torch.manual_seed(11)
    rnn = make("gru", 3, 4, layers=2, bidirectional=True)
    grad_through_time(rnn, torch.randn(3, 5, 3), lambda out: out.pow(2).mean())
    assert all(p.grad is None for p in rnn.parameters())


def test_differentiable_probe_gradients_flow_to_parameters():
    torch.manual_seed(12)
    rnn = make("lstm", 3, 4, layers=2)
    x = torch.randn(2, 5, 3)
    res = probe(rnn, x, differentiable=True)
    assert res.output.requires_grad
    (g_probe,) = torch.autograd.grad(res.output.sum(), [rnn.weight_hh_l0])
    out, _ = rnn(x)
    (g_fused,) = torch.autograd.grad(out.sum(), [rnn.weight_hh_l0])
    torch.testing.assert_close(g_probe, g_fused, rtol=1e-4, atol=1e-6)


def _trained_on_cpu(cell: str):
    """The trainer of a tiny model trained three steps on the CPU (also on a machine with a GPU)."""
    from seqlab.core.experiment_run import ExperimentRun
    from seqlab.core.spec import ExperimentSpec

    spec = ExperimentSpec.from_dict({"data": {"name": "sine", "seq_len": 20, "samples": 64, "seed": 0},
                                     "model": {"cell": cell, "hidden_size": 8},
                                     "train": {"max_steps": 3, "batch_size": 16, "seed": 0, "device": "cpu"}})
    run = ExperimentRun(spec)
    run.run()
    return run.family


def test_live_traces_of_a_model_off_the_cpu_come_from_a_cpu_copy_of_its_current_weights():
    # On a GPU the probe's ~300 tiny operations would each be a kernel launch: the trainer
    # probes a CPU copy instead. Stand in for the device by declaring one; the copy must show
    # exactly what the model computes, and follow it as it trains.
    tr = _trained_on_cpu("lstm")
    on_cpu = tr.trace(0)
    tr.device = torch.device("cuda")           # declared only: the model stays where it is
    twin = tr.trace(0)
    assert tr._cpu_twin is not tr.model
    # equal to float32 rounding, not bit for bit: on a many-core machine MKL's results
    # depend on the arrays' alignment in memory (seen on a 16-core GPU host: 4e-8 apart)
    same = dict(rtol=1e-5, atol=1e-6)
    for k in on_cpu["states"]:
        np.testing.assert_allclose(twin["states"][k], on_cpu["states"][k], **same)
    np.testing.assert_allclose(twin["pred"], on_cpu["pred"], **same)
    with torch.no_grad():
        for p in tr.model.parameters():
            p.mul_(0.5)
    tr.device = torch.device("cpu")
    halved = tr.trace(0)
    tr.device = torch.device("cuda")
    np.testing.assert_allclose(tr.trace(0)["states"]["c"], halved["states"]["c"], **same)
    assert not np.allclose(halved["states"]["c"], on_cpu["states"]["c"], **same)


def test_gradients_through_time_of_a_gru_off_the_cpu_come_from_the_cpu_copy():
    # A GRU has no fused measurement: its unrolled graph would be ~1,000 kernel launches on
    # a GPU, so the trainer measures it on the CPU copy. Declared device, as above.
    tr = _trained_on_cpu("gru")
    on_cpu = tr.grad_through_time()
    assert getattr(tr, "_cpu_twin", None) is None
    tr.device = torch.device("cuda")
    twin = tr.grad_through_time()
    assert tr._cpu_twin is not tr.model and tr.model.training == tr._cpu_twin.training
    np.testing.assert_allclose(twin, on_cpu, rtol=1e-5, atol=1e-8)
    assert on_cpu.shape == (20,) and on_cpu.max() > 0
