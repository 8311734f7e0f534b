"""The autoencoder family: undercomplete, denoising and anomaly-detecting autoencoders.

``FAMILY`` is registered by ``seqlab/families/__init__.py``. Importing this package is cheap:
torch is imported when a run is built, Qt only by the workspace.
"""

from .family import FAMILY

__all__ = ["FAMILY"]
