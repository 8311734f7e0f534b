"""The built-in model families: the one place that lists them all.

Importing this package registers each family with ``seqlab.core.registry``; the core does so
the first time anyone asks for a family. A family is a folder beside this file with a
``FAMILY`` object (see ``docs/ARCHITECTURE.md``).
"""

from seqlab.core.registry import register

from .autoencoder import FAMILY as AUTOENCODER
from .gan import FAMILY as GAN
from .recurrent import FAMILY as RECURRENT
from .speech import FAMILY as SPEECH

BUILTIN = (RECURRENT, AUTOENCODER, GAN, SPEECH)

for _family in BUILTIN:
    register(_family)

__all__ = ["BUILTIN"]
