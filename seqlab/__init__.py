"""SeqLab: a desktop lab for recurrent and generative neural networks."""

import os as _os

# OpenMP threads that spin for long while they wait make PyTorch 10-300x slower as soon as
# another thread (the window's) or process wants the same cores (a headless `seqlab train`
# on a busy 2-core laptop fell to 1 step/s); threads that never spin (OMP_WAIT_POLICY=PASSIVE)
# made 2-thread training 6x slower on an idle machine. A short spin (GNU OpenMP's, which
# PyTorch's Linux wheels use) kept full speed on an idle 2-core machine (396 steps/s against
# 379 by default). It must be set before torch is imported, so it is set here, for every
# front end (the window, the command line, tests), unless the person chose a policy.
if "OMP_WAIT_POLICY" not in _os.environ:
    _os.environ.setdefault("GOMP_SPINCOUNT", "30000")

__version__ = "0.1.0"
