"""The built-in model families: the one place that lists them all.

Importing this package registers each family with ``seqlab.core.registry``; the core does so
the first time anyone asks for a family. A family is a folder beside this file with a
``FAMILY`` object (see ``docs/ARCHITECTURE.md``).
"""

from seqlab.core.registry import register

from .autoencoder import FAMILY as AUTOENCODER
from .recurrent import FAMILY as RECURRENT

BUILTIN = (RECURRENT, AUTOENCODER)

for _family in BUILTIN:
    register(_family)

__all__ = ["BUILTIN"]
