"""Run by tests/ui/test_smoke_xvfb.py on an X screen with a window manager: open the lab, press
F11 (through xdotool, as a keyboard would), show every view, press F11 again, and print what
the window manager made of it as one JSON object on stdout.

    python -m tests.ui.wm_f11_probe SETTINGS.ini
"""

from __future__ import annotations

import json
import subprocess
import sys
import time


def main(settings: str) -> int:
    from PySide6.QtWidgets import QApplication

    app = QApplication(sys.argv[:1])
    from seqlab.ui.app import _guard_refcounts

    _guard_refcounts()
    from seqlab.ui.main_window import MainWindow
    from seqlab.ui.settings import Preferences, open_settings
    from seqlab.ui.theme import apply_theme
    from tests.fixtures.synthetic_traces import make_trace

    prefs = Preferences(open_settings(settings))
    w = MainWindow(prefs=prefs, theme=apply_theme(app, theme="light", presentation=False))
    w.open_lesson("lstm-sine")
    w.show()

    def pump(seconds: float, until=None) -> None:
        end = time.time() + seconds
        while time.time() < end and not (until and until()):
            app.processEvents()
            time.sleep(0.01)
        app.processEvents()

    def state() -> dict:
        sb = w.statusBar()
        g, f = w.geometry(), w.frameGeometry()
        return {"geometry": list(g.getRect()), "frame": list(f.getRect()),
                "status_bottom": sb.mapToGlobal(sb.rect().bottomLeft()).y(), "status_visible": sb.isVisible(),
                "full_screen": w.isFullScreen(), "presentation": w.tm.presentation,
                "minimum": [w.minimumSizeHint().width(), w.minimumSizeHint().height()]}

    def key(name: str) -> None:
        wid = str(int(w.winId()))
        subprocess.run(["xdotool", "windowactivate", "--sync", wid], check=False, timeout=10)
        subprocess.run(["xdotool", "key", "--window", wid, name], check=False, timeout=10)

    pump(2.0)
    trace, x, weights = make_trace("lstm", T=50, H=32)
    w.workspace.on_snapshot(0, "trace", {"states": trace, "x": x, "cell": "lstm", "num_layers": 1,
                                         "bidirectional": False, "weights": weights, "n_samples": 10})
    screen = app.primaryScreen().geometry()
    out = {"screen": [screen.width(), screen.height()], "normal": state()}
    key("F11")
    pump(5.0, until=lambda: w.isFullScreen() and w.geometry() == screen)
    pump(0.5)
    out["present"] = state()
    out["present_views"] = {}
    for view in w._tab_keys:            # none may push the window out of full screen
        w._select_view(view)
        w.workspace.flush()
        pump(0.4)
        out["present_views"][view] = state()
    w._select_view("loss")
    key("F11")
    pump(5.0, until=lambda: not w.isFullScreen() and w.geometry().getRect() == tuple(out["normal"]["geometry"]))
    pump(0.6)
    out["after"] = state()
    print(json.dumps(out), flush=True)
    w.close()
    pump(0.2)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
