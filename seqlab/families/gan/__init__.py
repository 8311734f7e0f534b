"""Generative adversarial networks: a SeqLab family.

``FAMILY`` is what ``seqlab/families/__init__.py`` registers. Modules: ``spec`` (the data and
model sections, G and D layer by layer), ``data/`` (2-D mixtures and drawn points; the digits
come from the autoencoder family's data), ``nets`` (MLP and DCGAN generator and
discriminator), ``trainer`` (one run: two optimisers through the one engine), ``health``
(mode coverage over time, collapse and a winning D said in words), ``lessons`` and ``ui/``.
"""

from .family import FAMILY, GanFamily

__all__ = ["FAMILY", "GanFamily"]
