"""The autoencoder's window tests share one window: 1280x720, its own settings file, and no
training thread left running when it closes."""

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture
def window(qtbot, tmp_path):
    from seqlab.ui.main_window import MainWindow
    from seqlab.ui.settings import Preferences, open_settings
    from seqlab.ui.worker import running_threads

    w = MainWindow(prefs=Preferences(open_settings(str(tmp_path / "s.ini"))))
    qtbot.addWidget(w)
    w.resize(1280, 720)
    yield w
    w.close()
    assert not running_threads()
