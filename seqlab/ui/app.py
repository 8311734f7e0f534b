"""Starting the lab: ``seqlab``, ``seqlab --lesson NAME`` and ``seqlab --screenshot OUT.png``.

The window must appear fast (DESIGN.md: within 2-3 s on a 2-core machine), so nothing on
the way to ``show()`` imports torch: the worker thread imports it right after the window is
on screen, and Start is instant by the time a person reaches for it.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

# When the process started (the benchmark of time-to-window reads it from the log line).
_T0 = time.perf_counter()

# (GOMP_SPINCOUNT for PyTorch's OpenMP threads is set in seqlab/__init__.py, before torch loads.)

SCREENSHOT_CAP_S = 120.0   # a screenshot is taken at the latest this long after the window shows


def _check_lesson(lesson: str | None) -> None:
    if lesson is None:
        return
    from seqlab.core.registry import lessons

    all_lessons = lessons()
    if lesson not in all_lessons:
        from seqlab.core.errors import CliError

        raise CliError(f"unknown lesson {lesson!r}; built-in lessons: {', '.join(all_lessons)} "
                       "(see: seqlab lessons)")


def run_app(lesson: str | None = None, screenshot: str | None = None, after: float = 3.0,
            settings_path: str | None = None) -> int:
    """Open the lab window and run the event loop; returns the exit code.

    ``lesson``: open this built-in lesson (default: the LSTM-on-sine lesson).
    ``screenshot``: start training, wait ``after`` seconds of training, save the window as
    this PNG and exit (0 when the file was written).
    """
    _check_lesson(lesson)
    if screenshot is not None:
        if not (isinstance(after, (int, float)) and after >= 0):
            from seqlab.core.errors import CliError

            raise CliError(f"--after must be a number of seconds, 0 or more, got {after!r}")
        out_dir = Path(screenshot).resolve().parent
        if not out_dir.is_dir():
            from seqlab.core.errors import CliError

            raise CliError(f"{screenshot}: the folder {out_dir} does not exist")

    if (screenshot is not None and sys.platform.startswith("linux") and not os.environ.get("QT_QPA_PLATFORM")
            and not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY")):
        # A picture needs no screen: on a machine without one (CI, a server) draw offscreen
        # instead of failing to connect to a display.
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    elif (sys.platform.startswith("linux") and not os.environ.get("QT_QPA_PLATFORM")
          and not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY")):
        from seqlab.core.errors import CliError

        raise CliError("no screen to open the lab window on (DISPLAY is not set); "
                       "`seqlab train EXPERIMENT.json --out RUN_DIR` trains without one")

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    _guard_refcounts()
    app.setApplicationName("SeqLab")
    app.setOrganizationName("SeqLab")
    app.setApplicationDisplayName("SeqLab")

    from seqlab.ui.settings import Preferences, open_settings
    from seqlab.ui.theme import apply_theme

    prefs = Preferences(open_settings(settings_path))
    tm = apply_theme(app, theme=prefs.theme, presentation=False)

    from seqlab.core.registry import default_lesson
    from seqlab.ui.main_window import MainWindow

    win = MainWindow(prefs=prefs, theme=tm)
    win.open_lesson(lesson or default_lesson())
    if screenshot is not None:
        win.resize(1280, 720)         # pictures for docs and tests come out the same everywhere
    win.show()
    shown_s = time.perf_counter() - _T0
    if os.environ.get("SEQLAB_REPORT_STARTUP"):
        print(f"seqlab: window shown {shown_s:.3f} s after start", file=sys.stderr, flush=True)
    # torch loads on the training thread once the window is up
    QTimer.singleShot(50, win.bridge.warm_up)

    result = {"code": 0}
    if screenshot is not None:
        _schedule_screenshot(app, win, Path(screenshot), float(after), result)
    code = app.exec()
    _join_leaked_threads()
    return result["code"] if screenshot is not None else code


def _guard_refcounts() -> None:
    """PySide6 6.12 on Python 3.11 drops references to None/True on every call: without the
    guard the lab aborts after a few thousand redraws (see widgets/refcount_guard.py)."""
    try:
        from seqlab.ui.widgets import refcount_guard
    except ImportError:
        return
    refcount_guard.install()


def _join_leaked_threads() -> None:
    """A training thread that did not end while the window closed was told to stop; wait for
    it before the interpreter exits (destroying a running QThread aborts the process)."""
    from seqlab.ui import worker

    for th in list(worker._LEAKED):
        th.wait()
    worker._LEAKED.clear()


def _schedule_screenshot(app, win, out: Path, after: float, result: dict) -> None:
    """Start training; `after` seconds after the run has really started (torch loaded, data
    built), grab the window into `out` and quit."""
    from PySide6.QtCore import QTimer

    done = {"taken": False}

    def take() -> None:
        if done["taken"]:
            return
        done["taken"] = True
        app.processEvents()
        for view in win.views.values():
            if hasattr(view, "refresh") and view.isVisible():
                view.refresh()
        pm = win.grab()
        tmp = out.with_name(f".{out.name}.tmp.png")
        ok = not pm.isNull() and pm.save(str(tmp), "PNG")
        if ok:
            os.replace(tmp, out)
            print(f"seqlab: saved {out} ({pm.width()}x{pm.height()})", file=sys.stderr, flush=True)
        else:
            print(f"seqlab: error: could not save the screenshot {out}", file=sys.stderr, flush=True)
            result["code"] = 1
        win.close()
        app.quit()

    def on_started(_rid) -> None:
        if not done.get("timer"):
            done["timer"] = True
            QTimer.singleShot(int(after * 1000), take)

    win.run_started.connect(on_started)
    win.message_shown.connect(lambda *_: QTimer.singleShot(int(after * 1000), take))
    QTimer.singleShot(0, win.start_training)
    QTimer.singleShot(int((SCREENSHOT_CAP_S + after) * 1000), take)


__all__ = ["run_app"]
