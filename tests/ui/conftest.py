"""GUI tests run without a display unless the caller chose a platform (e.g. xcb under Xvfb)."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# PySide6 6.12 on Python 3.11 over-releases None and True (see refcount_guard): guard before
# any test draws, whichever module it happens to import first.
from seqlab.ui.widgets import refcount_guard  # noqa: E402

refcount_guard.install()
