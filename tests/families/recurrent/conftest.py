"""The recurrent family's view tests draw offscreen, as the window's tests do."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
