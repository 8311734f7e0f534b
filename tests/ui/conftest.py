"""GUI tests run without a display unless the caller chose a platform (e.g. xcb under Xvfb)."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# PySide6 6.12 on Python 3.11 over-releases None and True (see refcount_guard): guard before
# any test draws, whichever module it happens to import first.
from seqlab.ui.widgets import refcount_guard  # noqa: E402

refcount_guard.install()


import pytest  # noqa: E402
from PySide6.QtGui import QFont, QPalette  # noqa: E402

from seqlab.ui.theme import ThemeManager  # noqa: E402


@pytest.fixture
def app_theme(qapp):
    """A theme installed on the application, as the lab installs its own: its type size and
    tab padding (larger still in presentation mode) are what make a column scroll or a tab
    shrink on a real screen. The application's style, palette, font and style sheet come back
    afterwards, for the tests that follow."""
    import pyqtgraph as pg

    saved = (qapp.style().name(), QPalette(qapp.palette()), QFont(qapp.font()), qapp.styleSheet(),
             {k: pg.getConfigOption(k) for k in ("background", "foreground", "antialias")})
    tm = ThemeManager()
    tm.install(qapp)
    yield tm
    tm._app = None
    qapp.setStyleSheet(saved[3])
    qapp.setFont(saved[2])
    qapp.setPalette(saved[1])
    qapp.setStyle(saved[0])
    pg.setConfigOptions(**saved[4])
