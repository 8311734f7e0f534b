"""Every equation the cell diagram shows, checked against the probe's arithmetic.

The numbers on screen are rounded to two decimals; each displayed expression, evaluated,
must give the displayed result, and the displayed result must be the probe's value (the
probe equals the fused module: test_probes). The GRU's candidate is shown as PyTorch
computes it: tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn)).
"""

from __future__ import annotations

import math
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402

from seqlab.families.recurrent.probes import probe  # noqa: E402
from seqlab.families.recurrent.ui.views.cell_diagram import CellDiagram  # noqa: E402

CELLS = {"rnn": torch.nn.RNN, "lstm": torch.nn.LSTM, "gru": torch.nn.GRU}


def _evaluate(expr: str) -> float:
    """A displayed expression such as 'σ(0.53)' or '0.63·0.12 + 0.50·(−0.30)'."""
    code = expr.replace("−", "-").replace("·", "*").replace("σ", "sig")
    allowed = {"sig": lambda a: 1 / (1 + math.exp(-a)), "tanh": math.tanh, "relu": lambda a: max(a, 0.0)}
    return float(eval(code, {"__builtins__": {}}, allowed))  # noqa: S307 - our own rounded numbers only


def _number(text: str) -> float:
    return float(text.replace("−", "-"))


@pytest.mark.parametrize("cell", list(CELLS))
def test_each_displayed_equation_is_the_computed_arithmetic(qtbot, cell):
    torch.manual_seed(3)
    m = CELLS[cell](3, 5, batch_first=True)
    x = torch.randn(1, 12, 3)
    with torch.no_grad():
        states = probe(m, x).numpy(0)
    weights = {k: v.detach().numpy() for k, v in m.state_dict().items()}
    d = CellDiagram()
    qtbot.addWidget(d)
    d.resize(1000, 500)
    d.show()
    d.set_trace(states, x[0].numpy(), cell, 1, False, weights=weights)
    checked = 0
    for t in (0, 5, 11):
        for unit in (0, 4):
            d.set_selection(row=0, unit=unit, t=t)
            for key, text in d.equations().items():
                parts = [p.strip() for p in text.split(" = ")]
                shown = _number(parts[-1])
                if len(parts) == 4:          # symbol = formula = the formula's numbers = result
                    assert _evaluate(parts[2]) == pytest.approx(shown, abs=0.03), text
                    checked += 1
                probe_key = {"u": "z"}.get(key, key)
                truth = states[probe_key][0, t, unit]
                if key == "u":
                    truth = 1.0 - truth
                assert shown == pytest.approx(truth, abs=0.006), f"{text}: the probe says {truth:.4f}"
    assert checked >= {"rnn": 6, "lstm": 36, "gru": 24}[cell]
    if cell == "gru":
        eq = d.equations()["n"]
        assert "r_t ⊙ (W_{hn}" in eq and "[r_t ⊙ h" not in eq
        assert "textbook" in d.note_text()
