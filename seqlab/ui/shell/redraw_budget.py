"""The redraw budget: live data goes on screen at most as often as a share of the GUI thread allows.

The GUI thread and the training thread share Python's interpreter lock, so every millisecond
the window spends drawing is taken from training (the lab's target: >= 0.9 of the headless
engine's speed). :class:`RedrawBudget` spaces out one kind of redraw by its measured cost;
:class:`Governor` measures what the whole window costs and slows every budget down when the
window takes more than its share.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QWidget

#: While training, the window's drawing should take at most this share of a core. Measured
#: (bench/bench_lab.py, 2 cores): training in the lab loses more than the window's CPU share
#: (the two threads also contend for the interpreter lock and the caches): at 6% the Gates
#: view ran at 0.87-0.90 of headless, at 4% 0.93-0.98, the animation still at 30 steps/s.
GUI_SHARE = 0.04


class RedrawBudget:
    """Puts live data on screen at most as often as a share of the GUI thread's time allows.

    Python redraws hold the interpreter lock that the training thread also needs between
    its PyTorch calls, so every millisecond the window spends drawing is one the training
    loses. Each redraw is timed, its paint included (the view is repainted at once), and the
    next one waits ``cost / share`` seconds, kept within [min_s, max_s]. The data is never
    dropped: what arrives meanwhile is drawn by the next redraw.
    """

    def __init__(self, parent: QWidget, share: float, min_s: float, max_s: float, fn, busy=lambda: True,
                 slowdown=lambda: 1.0):
        self.share, self.min_s, self.max_s, self.fn, self.busy = share, min_s, max_s, fn, busy
        self.slowdown = slowdown
        self.interval = min_s
        self.next_at = 0.0
        self.timer = QTimer(parent)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self._run)

    def request(self) -> None:
        """Draw now if the budget allows, else once it does (one pending redraw at most)."""
        if self.timer.isActive():
            return
        wait = self.next_at - time.perf_counter()
        if wait <= 0:
            self._run()
        else:
            self.timer.start(int(wait * 1000) + 1)

    def flush(self) -> None:
        """Draw now, whatever the budget (a run ended, a single step)."""
        self.timer.stop()
        self._run()

    def _run(self) -> None:
        t0 = time.perf_counter()
        self.fn()
        cost = time.perf_counter() - t0
        if self.busy():
            self.interval = min(max(self.min_s, cost / self.share) * self.slowdown(), self.max_s)
        else:                                          # nothing to share the time with
            self.interval = min(max(self.min_s, cost / 0.5), self.max_s)
        self.next_at = time.perf_counter() + self.interval


class Governor:
    """Holds what the window really costs (the GUI thread's CPU time) near GUI_SHARE while
    training, by spacing out every budget's redraws (``slowdown``)."""

    def __init__(self, parent: QWidget, training):
        self.training = training
        self.slowdown = 1.0
        self.gui_share = 0.0
        self._last = (time.perf_counter(), time.thread_time())
        self.timer = QTimer(parent)
        self.timer.setInterval(500)
        self.timer.timeout.connect(self.tick)
        self.timer.start()

    def tick(self) -> None:
        now, cpu = time.perf_counter(), time.thread_time()
        t0, c0 = self._last
        self._last = (now, cpu)
        self.gui_share = (cpu - c0) / max(now - t0, 1e-6)
        if not self.training():
            self.slowdown = 1.0
        elif self.gui_share > GUI_SHARE:
            self.slowdown = min(self.slowdown * 1.5, 20.0)
        elif self.gui_share < 0.6 * GUI_SHARE:
            self.slowdown = max(self.slowdown / 1.25, 1.0)

    def budget(self, parent: QWidget, share: float, min_s: float, max_s: float, fn) -> "RedrawBudget":
        """A redraw budget that follows this governor."""
        return RedrawBudget(parent, share, min_s, max_s, fn, self.training, lambda: self.slowdown)


__all__ = ["RedrawBudget", "Governor", "GUI_SHARE"]
