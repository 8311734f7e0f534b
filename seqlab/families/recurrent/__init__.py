"""Recurrent networks (RNN, LSTM, GRU; bidirectional; the four RNN types): a SeqLab family.

``FAMILY`` is what ``seqlab/families/__init__.py`` registers. Modules: ``spec`` (the data and
model sections), ``data/`` (the data sets), ``model`` (fused modules), ``cells`` (the gate
table of each cell), ``probes`` (exact step-by-step internals), ``trainer`` (one run),
``callbacks`` (gradients through time), ``lessons``, ``cli`` (``seqlab probe``), and ``ui/``
(panels, views, the workspace and a preview).
"""

from .family import FAMILY, RecurrentFamily

__all__ = ["FAMILY", "RecurrentFamily"]
