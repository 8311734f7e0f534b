"""The gate table of each recurrent cell, in one place.

The probe, the views, the equations, the Model panel's parameter count and the exports all
read these tables, so a cell's arrays, symbols, colour ranges and weight blocks cannot
disagree between them.

- ``ARRAYS[cell]``: the arrays a probe returns (the TRACE.npz contract), 'h' first, in
  PyTorch's meaning (the GRU's z is PyTorch's).
- ``SHOWN[cell]``: the heatmaps the Gates view shows, in the course's symbols ('u' is the
  course's update gate, 1 - z; 'g' and 'n' are the candidate c~).
- ``SYMBOLS[key]``: (title on screen, colour-map kind, fixed levels or None for "signed,
  range grows with the data").
- ``WEIGHT_BLOCKS[cell]``: how many gate blocks the fused module stacks in its weights
  (PyTorch's order: LSTM i, f, g, o; GRU r, z, n).
- ``LABELS[cell]``: the cell's name as written on screen.
"""

from __future__ import annotations

ARRAYS = {"rnn": ("h",), "lstm": ("h", "c", "i", "f", "g", "o"), "gru": ("h", "r", "z", "n")}

SHOWN = {"lstm": ("f", "i", "g", "o", "c", "h"), "gru": ("r", "u", "n", "h"), "rnn": ("h",)}

SYMBOLS = {
    "f": ("f  forget gate", "gate", (0.0, 1.0)),
    "i": ("i  input gate", "gate", (0.0, 1.0)),
    "g": ("c̃  candidate", "signed", (-1.0, 1.0)),
    "o": ("o  output gate", "gate", (0.0, 1.0)),
    "c": ("c  cell state", "signed", None),
    "h": ("h  hidden state", "signed", (-1.0, 1.0)),
    "r": ("r  reset gate", "gate", (0.0, 1.0)),
    "u": ("u  update = 1 − z", "gate", (0.0, 1.0)),
    "n": ("c̃  candidate", "signed", (-1.0, 1.0)),
}

WEIGHT_BLOCKS = {"rnn": 1, "lstm": 4, "gru": 3}

LABELS = {"rnn": "RNN", "lstm": "LSTM", "gru": "GRU"}


def cell_label(cell: str) -> str:
    """'LSTM' for 'lstm'; an unknown cell is written in capitals rather than failing."""
    return LABELS.get(str(cell).lower(), str(cell).upper())


def parameter_count(cell: str, hidden: int, layers: int, bidirectional: bool, input_size: int,
                    output_size: int) -> int:
    """Parameters of the fused recurrent module and its linear read-out."""
    g, H, D = WEIGHT_BLOCKS[cell], hidden, 2 if bidirectional else 1
    n = 0
    for layer in range(layers):
        inp = input_size if layer == 0 else H * D
        n += D * (g * H * inp + g * H * H + 2 * g * H)
    return n + H * D * output_size + output_size


__all__ = ["ARRAYS", "SHOWN", "SYMBOLS", "WEIGHT_BLOCKS", "LABELS", "cell_label", "parameter_count"]
