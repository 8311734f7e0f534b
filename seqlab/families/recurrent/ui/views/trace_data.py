"""One probed sequence, checked once and read by every trace view.

A trace is ``dict[str, ndarray]``, each array float32 ``[layers * directions, T, hidden]``,
layer-major with forward before reverse (the TRACE.npz contract): ``h`` always, ``c i f g
o`` for an LSTM, ``r z n`` for a GRU (PyTorch's z).  The views show the course's symbols:
for the GRU the update gate u = 1 - z and the candidate c~ (PyTorch's n).

Initial states are taken as zero (the probe's default), so h_{t-1} at the first step is 0.
For a backward direction the previous step is t+1.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from seqlab.families.recurrent.cells import ARRAYS, SYMBOLS

__all__ = ["TraceData", "GATES", "SYMBOLS", "fmt", "nice_ceil"]

#: Arrays each cell's trace must hold, and how each is shown (one table: cells.py).
GATES = ARRAYS

MINUS = "\u2212"


def fmt(v: float, digits: int = 2) -> str:
    """A number as shown on screen: fixed decimals, a true minus sign, no '-0.00'."""
    if v != v:
        return "NaN"
    s = f"{float(v):.{digits}f}"
    if s.startswith("-"):
        s = s[1:] if float(s) == 0 else MINUS + s[1:]
    return s


def nice_ceil(v: float) -> float:
    """The smallest round number (1, 1.5, 2, 3, 4, 5, 6, 8, 10, 15, ...) >= v, at least 1."""
    if not v > 0 or not math.isfinite(v):
        return 1.0
    e = math.floor(math.log10(v))
    for m in (1, 1.5, 2, 3, 4, 5, 6, 8, 10):
        c = m * 10.0 ** e
        if c >= v * (1 - 1e-9):
            return max(1.0, c)
    return max(1.0, 10.0 ** (e + 1))


@dataclass
class TraceData:
    """A validated trace with the facts every view needs."""

    trace: dict[str, np.ndarray]
    x: np.ndarray
    cell: str
    num_layers: int
    bidirectional: bool
    weights: dict[str, np.ndarray] | None = None
    nonlinearity: str = "tanh"
    _w: dict[str, np.ndarray] = field(default_factory=dict, repr=False)

    @classmethod
    def build(cls, trace, x, cell, num_layers, bidirectional, weights=None,
              nonlinearity: str = "tanh") -> "TraceData":
        """Check shapes and names; raise ValueError with a message a person understands."""
        cell = str(cell).lower()
        if cell not in GATES:
            raise ValueError(f"cell must be one of rnn, lstm, gru; got {cell!r}")
        num_layers = int(num_layers)
        dirs = 2 if bidirectional else 1
        missing = [k for k in GATES[cell] if k not in trace]
        if missing:
            raise ValueError(f"a {cell.upper()} trace needs arrays {', '.join(GATES[cell])}; "
                             f"missing {', '.join(missing)}")
        arrays = {k: np.asarray(v) for k, v in trace.items()}
        h = arrays["h"]
        if h.ndim != 3 or h.shape[0] != num_layers * dirs:
            raise ValueError(f"trace['h'] must be [layers*directions={num_layers * dirs}, T, "
                             f"hidden], got shape {h.shape}")
        for k in GATES[cell]:
            if arrays[k].shape != h.shape:
                raise ValueError(f"trace[{k!r}] has shape {arrays[k].shape}, "
                                 f"but trace['h'] has {h.shape}")
        xa = np.asarray(x) if x is not None else np.zeros((h.shape[1], 0), np.float32)
        if xa.ndim == 1:
            xa = xa[:, None]
        if xa.shape[0] != h.shape[1]:
            raise ValueError(f"x has {xa.shape[0]} time steps but the trace has {h.shape[1]}")
        td = cls(arrays, xa, cell, num_layers, bool(bidirectional), weights, nonlinearity)
        td._w = _normalise_weights(weights)
        return td

    # --- sizes and rows ------------------------------------------------------------------
    @property
    def T(self) -> int:
        return int(self.trace["h"].shape[1])

    @property
    def H(self) -> int:
        return int(self.trace["h"].shape[2])

    @property
    def directions(self) -> int:
        return 2 if self.bidirectional else 1

    @property
    def rows(self) -> int:
        return self.num_layers * self.directions

    def row(self, layer: int, direction: int = 0) -> int:
        return layer * self.directions + direction

    def layer_of(self, row: int) -> int:
        return row // self.directions

    def is_reverse(self, row: int) -> bool:
        return self.bidirectional and row % 2 == 1

    def row_name(self, row: int) -> str:
        name = f"layer {self.layer_of(row) + 1}"
        if self.bidirectional:
            name += " backward ←" if self.is_reverse(row) else " forward →"
        return name

    def prev_index(self, row: int, t: int) -> int | None:
        """Index of the previous step for ``row`` (t-1, or t+1 backward); None = h_0."""
        p = t + 1 if self.is_reverse(row) else t - 1
        return p if 0 <= p < self.T else None

    # --- values --------------------------------------------------------------------------
    def series(self, name: str, row: int) -> np.ndarray:
        """[T, H] slice for a displayed symbol; 'u' is 1 - z."""
        if name == "u":
            return 1.0 - self.trace["z"][row]
        return self.trace[name][row]

    def value(self, name: str, row: int, t: int | None, unit: int) -> float:
        """Value of ``name`` at (row, t, unit); t None means the initial state (0)."""
        if t is None:
            return 0.0
        if name == "u":
            return 1.0 - float(self.trace["z"][row, t, unit])
        return float(self.trace[name][row, t, unit])

    def signed_range(self, name: str) -> float:
        """A round symmetric range that covers ``name`` over the whole trace."""
        a = self.trace[name]
        m = float(np.nanmax(np.abs(a))) if a.size else 1.0
        return nice_ceil(m)

    def layer_input(self, row: int, t: int) -> np.ndarray:
        """What the layer of ``row`` reads at step t: x_t, or the layer below's h_t
        (forward and backward concatenated for a bidirectional model)."""
        layer = self.layer_of(row)
        if layer == 0:
            return self.x[t]
        below = [self.row(layer - 1, d) for d in range(self.directions)]
        return np.concatenate([self.trace["h"][k, t] for k in below])

    # --- pre-activations from optional weights -------------------------------------------
    def has_weights(self) -> bool:
        return bool(self._w)

    def preactivations(self, row: int, t: int, unit: int) -> dict[str, float]:
        """The argument of each gate's nonlinearity at (row, t, unit), from the weights.

        Empty when no (matching) weights were given.  Keys follow the trace's names:
        LSTM i f g o, GRU r z n, RNN h.
        """
        layer = self.layer_of(row)
        sfx = f"_l{layer}" + ("_reverse" if self.is_reverse(row) else "")
        try:
            w_ih, w_hh = self._w["weight_ih" + sfx], self._w["weight_hh" + sfx]
        except KeyError:
            return {}
        b_ih = self._w.get("bias_ih" + sfx)
        b_hh = self._w.get("bias_hh" + sfx)
        H = self.H
        x_in = np.asarray(self.layer_input(row, t), np.float64)
        p = self.prev_index(row, t)
        h_prev = np.zeros(H) if p is None else np.asarray(self.trace["h"][row, p], np.float64)
        names = {"lstm": "ifgo", "gru": "rzn", "rnn": "h"}[self.cell]
        if w_ih.shape != (len(names) * H, x_in.shape[0]) or w_hh.shape != (len(names) * H, H):
            return {}

        def part(k):
            j = k * H + unit
            a = float(w_ih[j] @ x_in) + (0.0 if b_ih is None else float(b_ih[j]))
            hh = float(w_hh[j] @ h_prev) + (0.0 if b_hh is None else float(b_hh[j]))
            return a, hh

        out = {}
        for k, name in enumerate(names):
            a, hh = part(k)
            if self.cell == "gru" and name == "n":
                # PyTorch applies the reset gate after the recurrent weights
                r = self.value("r", row, t, unit)
                out[name] = a + r * hh
                out["n_x"], out["n_h"] = a, hh
            else:
                out[name] = a + hh
        return out


def _normalise_weights(weights) -> dict[str, np.ndarray]:
    """Keep PyTorch's recurrent names with any module prefix stripped ('rnn.weight_ih_l0')."""
    if not weights:
        return {}
    out = {}
    for k, v in weights.items():
        name = str(k).rsplit(".", 1)[-1]
        if name.startswith(("weight_ih_l", "weight_hh_l", "bias_ih_l", "bias_hh_l")):
            out[name] = np.asarray(v, np.float64)
    return out
