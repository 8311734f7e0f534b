"""The lab window: panels that build the experiment, live views, a strip that explains.

```
+------------------------------------------------------------------------------------+
| Lesson v | > Start  || Pause  >| Step  [] Stop                                       |
+--------------------+---------------------------------------------------------------+
| DATA               |  Loss | Hidden state | Gates | Gradients | Predictions         |
| MODEL              |  (the chosen view, large)                                     |
| TRAINING           |  t |< < ====o==== > >|  t = 23 / 60  speed   sample           |
|                    |  What to notice: (lesson text, equations)                     |
+--------------------+---------------------------------------------------------------+
| Training LSTM on sine . step 1,200 . epoch 4 . 48 steps/s . CPU . val loss 0.012  |
+------------------------------------------------------------------------------------+
```
The panels are dock widgets (they can be moved, tabbed or closed; the layout is kept
between sessions). Everything that needs torch happens in the worker (``worker.py``); this
module never imports torch, so the window appears before torch has loaded.
"""

from __future__ import annotations

import math
import time
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import (
    QAbstractButton, QAbstractItemView, QAbstractSpinBox, QApplication, QComboBox, QDockWidget,
    QFileDialog, QFrame, QHBoxLayout, QLabel, QLineEdit, QMainWindow, QMessageBox, QPlainTextEdit,
    QScrollArea, QSizePolicy, QSpinBox, QStyle, QTabWidget, QTextEdit, QToolBar, QToolButton,
    QVBoxLayout, QWidget,
)

from seqlab.core.spec import ExperimentSpec, SpecError
from seqlab.families.recurrent.lessons import LESSONS, Lesson
from seqlab.families.recurrent.ui.panels.data_panel import DataPanel
from seqlab.families.recurrent.ui.panels.model_panel import ModelPanel
from seqlab.ui.panels.training_panel import TrainingPanel
from seqlab.ui.settings import Preferences
from seqlab.ui.theme import ThemeManager, theme_manager
from seqlab.ui.worker import WorkerBridge

# While training, the window's drawing should take at most this share of a core: the GUI
# thread and the training thread share Python's interpreter lock, so drawing time is taken
# from training (the benchmark's target is >= 0.9 of the headless engine's speed).
GUI_SHARE = 0.06
#: in presentation mode, a screen narrower than this starts with the panels hidden (F9 shows them)
PRESENTATION_PANELS_MIN_WIDTH = 1600

VIEW_TITLES = {"loss": "Loss", "hidden": "Hidden state", "gates": "Gates", "gradients": "Gradients",
               "predictions": "Predictions"}
TRACE_VIEWS = ("hidden", "gates")

# What to notice in each view when no lesson is open.
VIEW_NOTES = {
    "loss": ["Solid lines: the training loss, logged every few steps. Dotted: the validation loss on "
             "data the network never trains on. Earlier runs stay, faded, for comparison.",
             "When the validation loss rises while the training loss still falls, the network is "
             "overfitting: try dropout, L2 or early stopping."],
    "hidden": ["Rows are hidden units, columns are time steps of one validation sequence: "
               "h<sub>t</sub> = tanh(W<sub>hh</sub> h<sub>t−1</sub> + W<sub>xh</sub> x<sub>t</sub> + b). "
               "Blue is negative, red positive.",
               "Press <b>Space</b> to animate, <b>←/→</b> to step through time; choose another sequence "
               "with <b>Sample</b>."],
    "gates": ["Each heatmap is one gate over units × time. Sigmoid gates run 0 (closed, dark) to 1 "
              "(open, bright); click a cell to see its equation with the live numbers.",
              "LSTM: c<sub>t</sub> = f<sub>t</sub> ⊙ c<sub>t−1</sub> + i<sub>t</sub> ⊙ c̃<sub>t</sub>, "
              "h<sub>t</sub> = o<sub>t</sub> ⊙ tanh(c<sub>t</sub>). GRU (course symbols): "
              "h<sub>t</sub> = u<sub>t</sub> ⊙ c̃<sub>t</sub> + (1 − u<sub>t</sub>) ⊙ h<sub>t−1</sub>, where u = 1 − z of PyTorch."],
    "gradients": ["‖∂L/∂h<sub>t</sub>‖ over time steps t (across) and training steps (down), on a log "
                  "colour scale. Fading towards t = 1 is a vanishing gradient; growing, an exploding one.",
                  "Turn on clipping in the Training panel (it applies at once) and watch the norm "
                  "before and after clipping."],
    "predictions": ["What the network predicts on validation data. For a series: one-step predictions "
                    "see the true past; the free-running forecast feeds on its own outputs.",
                    "For classes: the probability of each class; the outlined bar is the right answer."],
}


def _fmt(v: float | None, digits: int = 4) -> str:
    if v is None or not isinstance(v, (int, float)) or not math.isfinite(v):
        return "–"
    return f"{v:.{digits}g}"


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


class NoticeStrip(QFrame):
    """The bottom strip: "What to notice" steps (HTML with equations), one at a time."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setFrameShape(QFrame.StyledPanel)
        self.setObjectName("noticeStrip")
        self._steps: list[str] = []
        self._i = 0
        self._banner = ""
        self.error_color = "#b00000"
        self.title = QLabel("What to notice", self)
        f = self.title.font()
        f.setBold(True)
        self.title.setFont(f)
        self.text = QLabel(self)
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.RichText)
        self.text.setAlignment(Qt.AlignLeft | Qt.AlignVCenter)
        self.text.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Preferred)
        self.prev = QToolButton(self)
        self.prev.setText("◀")
        self.prev.setToolTip("Previous point")
        self.prev.clicked.connect(lambda: self.show_step(self._i - 1))
        self.next = QToolButton(self)
        self.next.setText("▶")
        self.next.setToolTip("Next point")
        self.next.clicked.connect(lambda: self.show_step(self._i + 1))
        self.counter = QLabel(self)
        head = QVBoxLayout()
        head.addWidget(self.title)
        nav = QHBoxLayout()
        nav.addWidget(self.prev)
        nav.addWidget(self.counter)
        nav.addWidget(self.next)
        head.addLayout(nav)
        head.addStretch(1)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(8, 4, 8, 4)
        lay.addLayout(head)
        lay.addWidget(self.text, 1)

    def set_steps(self, steps: list[str] | tuple[str, ...], title: str = "What to notice") -> None:
        self._steps = list(steps)
        self.title.setText(title)
        self.show_step(0)

    def set_banner(self, html: str) -> None:
        """A message shown above the current step (a diverged run's explanation), '' to clear."""
        self._banner = html
        self.show_step(self._i)

    def show_step(self, i: int) -> None:
        n = len(self._steps)
        self._i = max(0, min(i, n - 1)) if n else 0
        body = self._steps[self._i] if n else ""
        if self._banner:
            body = f"<span style='color:{self.error_color}'><b>{self._banner}</b></span><br>{body}"
        # DejaVu Sans regular puts the combining tilde of c̃ under the letter; bold places it
        # above (as in the cell diagram)
        self.text.setText(body.replace("c\u0303", "<b>c\u0303</b>"))
        self.counter.setText(f"{self._i + 1} / {n}" if n else "")
        self.prev.setEnabled(self._i > 0)
        self.next.setEnabled(self._i < n - 1)

    def current(self) -> int:
        return self._i

    def steps(self) -> list[str]:
        return list(self._steps)


class MainWindow(QMainWindow):
    """The SeqLab window. Public methods are what menus, shortcuts and tests use."""

    run_started = Signal(int)      # run id
    run_finished = Signal(int, object)
    message_shown = Signal(str, str)

    def __init__(self, prefs: Preferences | None = None, theme: ThemeManager | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.prefs = prefs or Preferences()
        self.tm = theme or theme_manager()
        self.setObjectName("SeqLabMainWindow")
        self.setWindowTitle("SeqLab")
        self.bridge = WorkerBridge(self)
        app = QApplication.instance()
        if app is not None:      # quitting without closing the window must not leave the thread running
            app.aboutToQuit.connect(self.bridge.shutdown)
        self.lesson: Lesson | None = None
        self._lesson_specs: list[tuple[str, ExperimentSpec]] = []
        self._lesson_first: dict | None = None
        self._queue: list[tuple[str, ExperimentSpec]] = []
        self._opened_spec: dict | None = None
        self._runs: dict[int, dict[str, Any]] = {}        # run id -> info, rows (bounded), gradient records
        self._current_run: int | None = None
        self._shown_grad_run: int | None = None
        self._trace: dict | None = None
        self._trace_dirty: set[str] = set()
        self._predictions: dict | None = None
        self._state = "ready"
        self._paused = False
        self._status: dict[str, Any] = {}
        self.last_message: tuple[str, str] | None = None
        self.last_saved: str | None = None
        self._closing = False
        self._pre_presentation: tuple | None = None

        self._pending_rows: dict[int, list] = {}
        self._pending_val: list[tuple[int, dict]] = []
        self._pending_grads: list[tuple[int, dict]] = []
        # shares of the GUI thread's time for drawing live data (see RedrawBudget)
        training = lambda: self.bridge.running and not self._paused  # noqa: E731
        slow = lambda: self._slowdown  # noqa: E731
        self._curve_budget = RedrawBudget(self, 0.03, 0.10, 2.0, self._flush_curves, training, slow)
        self._trace_budget = RedrawBudget(self, 0.05, 0.05, 2.0, self._draw_trace, training, slow)
        self._pred_budget = RedrawBudget(self, 0.03, 0.25, 3.0, self._draw_predictions, training, slow)
        # The governor: what the window really costs (everything it does, measured as the GUI
        # thread's CPU time) is held near GUI_SHARE while training, by spacing out redraws.
        self._slowdown = 1.0
        self._gov_last = (time.perf_counter(), time.thread_time())
        self.gui_share = 0.0
        self._governor = QTimer(self)
        self._governor.setInterval(500)
        self._governor.timeout.connect(self._govern)
        self._governor.start()

        self._build_views()
        self._build_docks()
        self._build_actions()
        self._build_toolbar()
        self._build_menus()
        self._build_status()
        self._connect_bridge()

        g, s = self.prefs.layout()
        self._initial_size()
        self._layout_restored = False
        if g is not None:
            self.restoreGeometry(g)
        if s is not None:
            self._layout_restored = bool(self.restoreState(s))
        self.tm.changed.connect(self._restyle)
        self._restyle()
        self._update_buttons()
        self._refresh_data_dependent()
        self._select_view(self.prefs.last_tab if self.prefs.last_tab in VIEW_TITLES else "loss")
        self._set_state("ready")

    # ==================================================================================
    # building
    # ==================================================================================
    def _build_views(self) -> None:
        from seqlab.families.recurrent.ui.views.gates_view import GatesView
        from seqlab.families.recurrent.ui.views.gradients_view import GradientsView
        from seqlab.families.recurrent.ui.views.hidden_state_view import HiddenStateView
        from seqlab.ui.views.loss_view import LossView
        from seqlab.families.recurrent.ui.views.predictions_view import PredictionsView
        from seqlab.ui.widgets.timeline import TimelineScrubber

        tm = self.tm
        self.timeline = TimelineScrubber(theme=tm)
        self.timeline.set_speed(self.prefs.animation_speed)
        self.views: dict[str, QWidget] = {
            "loss": LossView(theme=tm),
            "hidden": HiddenStateView(timeline=self.timeline, theme=tm),
            "gates": GatesView(timeline=self.timeline, theme=tm),
            "gradients": GradientsView(theme=tm),
            "predictions": PredictionsView(theme=tm),
        }
        self.views["hidden"].selectionChanged.connect(lambda u, t: self.views["gates"].set_unit(u))
        self.views["gates"].selectionChanged.connect(lambda u, t: self.views["hidden"].set_unit(u))

        # gradients: which run's records are shown (runs of a lesson are compared this way)
        grad_page = QWidget()
        gl = QVBoxLayout(grad_page)
        gl.setContentsMargins(0, 0, 0, 0)
        gl.setSpacing(2)
        bar = QHBoxLayout()
        bar.setContentsMargins(6, 2, 6, 0)
        self.grad_run_label = QLabel("Gradients of run")
        self.grad_run_box = QComboBox()
        self.grad_run_box.setToolTip("Show the gradients through time of an earlier run, to compare")
        self.grad_run_box.activated.connect(lambda _i: self._show_gradients_of(self.grad_run_box.currentData()))
        bar.addWidget(self.grad_run_label)
        bar.addWidget(self.grad_run_box)
        bar.addStretch(1)
        gl.addLayout(bar)
        gl.addWidget(self.views["gradients"], 1)

        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self._tab_keys: list[str] = []
        for key, title in VIEW_TITLES.items():
            page = grad_page if key == "gradients" else self.views[key]
            self.tabs.addTab(page, title)
            self._tab_keys.append(key)
        self.tabs.currentChanged.connect(self._on_tab)

        # the timeline row: shared by the hidden-state and gates views, with the sample chooser
        self.sample_spin = QSpinBox()
        self.sample_spin.setRange(1, 1)
        self.sample_spin.setToolTip("Which validation sequence the hidden-state and gate views trace")
        self.sample_spin.valueChanged.connect(lambda v: self.bridge.select_sample(v - 1))
        self.sample_info = QLabel("")
        self.sample_info.setTextFormat(Qt.RichText)
        # it must not widen the row (that would squeeze the panels); its tooltip repeats it
        self.sample_info.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Preferred)
        self.sample_info.setMinimumWidth(120)
        self.time_row = QWidget()
        tl = QHBoxLayout(self.time_row)
        tl.setContentsMargins(0, 0, 4, 0)
        tl.addWidget(self.timeline, 3)
        sample_label = QLabel("Sample")
        sample_label.setToolTip(self.sample_spin.toolTip())
        tl.addWidget(sample_label)
        tl.addWidget(self.sample_spin)
        tl.addWidget(self.sample_info, 1)

        self.notice = NoticeStrip()
        central = QWidget()
        cl = QVBoxLayout(central)
        cl.setContentsMargins(2, 2, 2, 2)
        cl.setSpacing(2)
        cl.addWidget(self.tabs, 1)
        cl.addWidget(self.time_row)
        cl.addWidget(self.notice)
        self.setCentralWidget(central)

    def _build_docks(self) -> None:
        self.data_panel = DataPanel(theme=self.tm)
        self.model_panel = ModelPanel(theme=self.tm)
        self.training_panel = TrainingPanel()
        self.docks: dict[str, QDockWidget] = {}
        for key, title, panel in (("data", "Data", self.data_panel), ("model", "Model", self.model_panel),
                                  ("train", "Training", self.training_panel)):
            dock = QDockWidget(title, self)
            dock.setObjectName(f"dock-{key}")
            dock.setFeatures(QDockWidget.DockWidgetMovable | QDockWidget.DockWidgetFloatable
                             | QDockWidget.DockWidgetClosable)
            scroll = QScrollArea()
            scroll.setWidgetResizable(True)
            scroll.setFrameShape(QFrame.NoFrame)
            scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
            scroll.setWidget(panel)
            dock.setWidget(scroll)
            self.addDockWidget(Qt.LeftDockWidgetArea, dock)
            self.docks[key] = dock
            panel.message.connect(lambda title, text: self.show_message(title, text, QMessageBox.Warning))
            panel.changed.connect(self._on_spec_changed)
            panel.changed.connect(self._refit_soon)
        self.setCorner(Qt.BottomLeftCorner, Qt.LeftDockWidgetArea)
        self.setCorner(Qt.TopLeftCorner, Qt.LeftDockWidgetArea)
        self.data_panel.tasks_changed.connect(self.model_panel.set_allowed_tasks)
        self.model_panel.set_allowed_tasks(self.data_panel.supported_tasks())
        self.training_panel.lr_live.connect(self._on_lr_live)
        self.training_panel.clipping_live.connect(self._on_clipping_live)
        self.resizeDocks(list(self.docks.values()), [370] * 3, Qt.Horizontal)

    def _action(self, text: str, slot, shortcut=None, tip: str = "", checkable: bool = False) -> QAction:
        a = QAction(text, self)
        if shortcut is not None:
            if isinstance(shortcut, (list, tuple)):
                a.setShortcuts([QKeySequence(s) for s in shortcut])
            else:
                a.setShortcut(QKeySequence(shortcut))
        if tip:
            a.setToolTip(tip)
            a.setStatusTip(tip)
        a.setCheckable(checkable)
        a.triggered.connect(slot)
        self.addAction(a)
        return a

    def _build_actions(self) -> None:
        st = self.style()
        A = self._action
        self.act_start = A("Start", self.start_training, None, "Build the model and start training (Ctrl+Enter)")
        self.act_start.setIcon(st.standardIcon(QStyle.SP_MediaPlay))
        self.act_pause = A("Pause", self.toggle_pause, None, "Pause or resume training")
        self.act_pause.setIcon(st.standardIcon(QStyle.SP_MediaPause))
        self.act_step = A("Step", self.step_once, None, "Pause and train exactly one step")
        self.act_step.setIcon(st.standardIcon(QStyle.SP_MediaSkipForward))
        self.act_stop = A("Stop", self.stop_training, None, "Stop training (the model and curves are kept)")
        self.act_stop.setIcon(st.standardIcon(QStyle.SP_MediaStop))
        self.act_start_stop = A("Start / stop training", self.start_or_stop, ["Ctrl+Return", "Ctrl+Enter"],
                                "Start training, or stop the run in progress")
        self.act_open = A("Open run folder…", self.open_run_dialog, QKeySequence.Open,
                          "Open a saved run: its curves, gradients and trained weights")
        self.act_save = A("Save run folder…", self.save_run_dialog, QKeySequence.Save,
                          "Save the model, its curves and gradients as a run folder")
        self.act_open_json = A("Open experiment (JSON)…", self.open_experiment_dialog, None,
                               "Fill the panels from an experiment JSON file")
        self.act_save_json = A("Save experiment (JSON)…", self.save_experiment_dialog, None,
                               "Write the panels' settings as an experiment JSON file (for seqlab train)")
        self.act_import_csv = A("Import CSV time series…", self.data_panel.choose_csv, None,
                                "Use a column of your own CSV file as the data set")
        self.act_export_png = A("Export view as PNG…", lambda: self.export_dialog("png"), None,
                                "Save the current view as a PNG image")
        self.act_export_svg = A("Export view as SVG…", lambda: self.export_dialog("svg"), None,
                                "Save the current view's main plot as an SVG drawing")
        self.act_export_csv = A("Export curves as CSV…", lambda: self.export_dialog("csv"), None,
                                "Save the numbers behind the current view as a CSV file")
        self.act_quit = A("Quit", self.close, QKeySequence.Quit, "Close SeqLab")
        self.act_present = A("Presentation mode", self.toggle_presentation, "F11",
                             "Full screen, large type and thick lines, high-contrast light theme", checkable=True)
        self.act_light = A("Light theme (high contrast)", lambda: self.set_theme("light"), None,
                           "Black on white: best on a projector", checkable=True)
        self.act_dark = A("Dark theme", lambda: self.set_theme("dark"), None, "Light on dark", checkable=True)
        self.act_panels = A("Panels", lambda: self.set_panels_visible(None), "F9",
                            "Show or hide the Data, Model and Training panels (F9)", checkable=True)
        self.act_panels.setChecked(True)
        for dock in self.docks.values():
            dock.toggleViewAction().toggled.connect(lambda _on: self._sync_panels_action())
        grp = QActionGroup(self)
        grp.addAction(self.act_light)
        grp.addAction(self.act_dark)
        self.act_play = A("Play / pause animation", self.timeline.toggle, "Space",
                          "Animate the hidden-state and gate views through time")
        self.act_prev_t = A("Previous time step", self.timeline.step_back, "Left", "One time step back")
        self.act_next_t = A("Next time step", self.timeline.step_forward, "Right", "One time step on")
        for a in (self.act_play, self.act_prev_t, self.act_next_t):
            a.setShortcutContext(Qt.WindowShortcut)
        # ... but not while the focus is in a field that uses those keys itself (see eventFilter)
        QApplication.instance().installEventFilter(self)

    #: widgets that need Space, Left and Right themselves (text cursor, spin, open the list ...)
    _KEY_USERS = (QLineEdit, QAbstractSpinBox, QComboBox, QAbstractItemView, QTextEdit, QPlainTextEdit)
    _ANIMATION_KEYS = (Qt.Key_Space, Qt.Key_Left, Qt.Key_Right)

    def eventFilter(self, obj, ev) -> bool:  # noqa: N802 (Qt's name)
        """Space / Left / Right animate the views through time, except when the focus is in an
        input that uses the key: accepting the ShortcutOverride hands the key to that input."""
        if ev.type() == QEvent.ShortcutOverride and isinstance(obj, QWidget) \
                and ev.key() in self._ANIMATION_KEYS and obj is QApplication.focusWidget() \
                and obj.window() is self and self._focus_uses_key(obj, ev.key()):
            ev.accept()
            return True
        return False

    def _focus_uses_key(self, w: QWidget, key: int) -> bool:
        if isinstance(w, self._KEY_USERS):
            return True
        if key == Qt.Key_Space and isinstance(w, QAbstractButton):   # Space presses a focused button
            return True
        p = w.parentWidget()          # e.g. the line edit inside a spin box or a combo box
        return isinstance(p, (QAbstractSpinBox, QComboBox))

    def _build_toolbar(self) -> None:
        tb = QToolBar("Run", self)
        tb.setObjectName("toolbar-run")
        tb.setMovable(False)
        tb.setToolButtonStyle(Qt.ToolButtonTextBesideIcon)
        self.lesson_box = QComboBox()
        self.lesson_box.setToolTip("A lesson fills every panel, opens its views and explains what to notice")
        self.lesson_box.addItem("Free lab (no lesson)", None)
        for lesson in LESSONS.values():
            self.lesson_box.addItem(lesson.title, lesson.name)
        self.lesson_box.activated.connect(self._on_lesson_box)
        self.lesson_box.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
        self.lesson_box.setMinimumContentsLength(34)
        lesson_label = QLabel(" Lesson ")
        tb.addWidget(lesson_label)
        tb.addWidget(self.lesson_box)
        tb.addSeparator()
        for a in (self.act_start, self.act_pause, self.act_step, self.act_stop):
            tb.addAction(a)
        tb.addSeparator()
        tb.addAction(self.act_panels)
        # A tool bar row of its own: as the menu bar's corner widget it was pushed onto a
        # second menu-bar line that the window never showed (the buttons were invisible).
        self.addToolBar(Qt.TopToolBarArea, tb)
        self.toolbar = tb

    def _build_menus(self) -> None:
        mb = self.menuBar()
        m = mb.addMenu("&File")
        for a in (self.act_open, self.act_save, None, self.act_open_json, self.act_save_json, self.act_import_csv,
                  None, self.act_export_png, self.act_export_svg, self.act_export_csv, None, self.act_quit):
            m.addSeparator() if a is None else m.addAction(a)
        m = mb.addMenu("&Run")
        for a in (self.act_start_stop, self.act_start, self.act_pause, self.act_step, self.act_stop):
            m.addAction(a)
        m = mb.addMenu("&View")
        for a in (self.act_present, self.act_panels, None, self.act_light, self.act_dark, None,
                  self.act_play, self.act_prev_t, self.act_next_t, None):
            m.addSeparator() if a is None else m.addAction(a)
        for dock in self.docks.values():
            m.addAction(dock.toggleViewAction())
        m = mb.addMenu("&Lessons")
        for lesson in LESSONS.values():
            m.addAction(lesson.title, lambda n=lesson.name: self.open_lesson(n))
        m = mb.addMenu("&Help")
        m.addAction("Keyboard shortcuts", self._show_shortcuts)
        m.addAction("About SeqLab", self._show_about)

    def _build_status(self) -> None:
        sb = self.statusBar()
        self.status_state = QLabel()
        f = self.status_state.font()
        f.setBold(True)
        self.status_state.setFont(f)
        self.status_progress = QLabel()
        self.status_speed = QLabel()
        self.status_device = QLabel()
        self.status_metrics = QLabel()
        sb.addWidget(self.status_state, 1)
        for w in (self.status_progress, self.status_speed, self.status_device, self.status_metrics):
            w.setContentsMargins(8, 0, 8, 0)
            sb.addPermanentWidget(w)
        self.status_device.setToolTip("Where the model trains")

    def _connect_bridge(self) -> None:
        b = self.bridge
        b.ready.connect(self._on_ready)
        b.started.connect(self._on_started)
        b.rows.connect(self._on_rows)
        b.validation.connect(self._on_validation)
        b.gradients.connect(self._on_gradients)
        b.trace.connect(self._on_trace)
        b.predictions.connect(self._on_predictions)
        b.paused.connect(self._on_paused)
        b.finished.connect(self._on_finished)
        b.failed.connect(self._on_failed)
        b.opened.connect(self._on_opened)
        b.saved.connect(self._on_saved)
        b.notice.connect(lambda text: self.show_message("SeqLab", text, QMessageBox.Warning))

    # ==================================================================================
    # the experiment
    # ==================================================================================
    def spec_dict(self) -> dict:
        return {"data": self.data_panel.values(), "model": self.model_panel.values(),
                "train": self.training_panel.values()}

    def current_spec(self) -> ExperimentSpec | None:
        """The experiment the panels describe, or None (the panels show what is wrong)."""
        for p in (self.data_panel, self.model_panel, self.training_panel):
            p.set_cross_error("")
        for p in (self.data_panel, self.model_panel, self.training_panel):
            errs = [e for e in p.field_errors()]
            if errs:
                return None
        try:
            d = self.spec_dict()
            if self.lesson is not None and self._lesson_first is not None:
                d["name"] = self._lesson_first.get("name", "")
            return ExperimentSpec.from_dict(d)
        except SpecError as e:
            self._route_error(str(e))
            return None

    def _route_error(self, text: str) -> None:
        panel = {"data": self.data_panel, "model": self.model_panel, "train": self.training_panel}
        for key, p in panel.items():
            if text.startswith(key + ".") or f" {key}." in text[:40]:
                p.set_cross_error(text)
                return
        self.training_panel.set_cross_error(text)

    def set_spec(self, spec: ExperimentSpec) -> None:
        """Fill every panel from a spec."""
        d = spec.to_dict()
        self.data_panel.set_values(d["data"])
        self.model_panel.set_allowed_tasks(self.data_panel.supported_tasks())
        self.model_panel.set_values(d["model"])
        self.training_panel.set_values(d["train"])
        self._refresh_data_dependent()

    def _on_spec_changed(self) -> None:
        if not hasattr(self, "_io_timer"):
            self._io_timer = QTimer(self)
            self._io_timer.setSingleShot(True)
            self._io_timer.setInterval(200)
            self._io_timer.timeout.connect(self._refresh_data_dependent)
        self._io_timer.start()

    def _refresh_data_dependent(self) -> None:
        """Input/output sizes for the parameter count, cross-field checks shown inline."""
        from dataclasses import replace

        from seqlab.families.recurrent.data import DataError, build_dataset
        from seqlab.core.spec import DataSpec

        try:
            d = self.data_panel.values()
            ds = DataSpec(**{k: v for k, v in d.items() if k in DataSpec().__dict__})
            small = replace(ds, samples=min(ds.samples, 64))
            data = build_dataset(small, self.model_panel.values().get("task", "many-to-many"))
            self.model_panel.set_io(data.input_size, data.output_size)
        except (DataError, TypeError, ValueError):
            pass
        self.current_spec()

    # ==================================================================================
    # lessons
    # ==================================================================================
    def _on_lesson_box(self, _i: int) -> None:
        name = self.lesson_box.currentData()
        if name is None:
            self.open_free_lab()
        else:
            self.open_lesson(name)

    def open_lesson(self, name: str) -> None:
        """Fill the panels from a lesson, open its first view and show its notes."""
        lesson = LESSONS[name]
        self.lesson = lesson
        self._lesson_specs = lesson.specs()
        self._lesson_first = self._lesson_specs[0][1].to_dict()
        self.set_spec(self._lesson_specs[0][1])
        i = self.lesson_box.findData(name)
        self.lesson_box.setCurrentIndex(i)
        self.setWindowTitle(f"SeqLab — {lesson.title}")
        self.notice.set_banner("")
        self.notice.set_steps(lesson.notes(self._lesson_specs), "What to notice")
        self._select_view(lesson.views[0])
        self.prefs.store.setValue("lesson/last", name)
        self._refit_soon()

    def open_free_lab(self) -> None:
        self.lesson = None
        self._lesson_specs, self._lesson_first = [], None
        self.lesson_box.setCurrentIndex(0)
        self.setWindowTitle("SeqLab")
        self._show_view_notes(self.current_view())

    def _show_view_notes(self, key: str) -> None:
        if self.lesson is None:
            self.notice.set_steps(VIEW_NOTES.get(key, []), f"{VIEW_TITLES.get(key, '')}: what to notice")
            return
        # a lesson step about this view ("Open <b>Gates</b> ...") comes forward when it opens
        tag = f"<b>{VIEW_TITLES.get(key, '')}</b>"
        for i, text in enumerate(self.notice.steps()):
            if tag in text and i != self.notice.current():
                self.notice.show_step(i)
                break

    def _lesson_unchanged(self) -> bool:
        if self.lesson is None or self._lesson_first is None:
            return False
        now = ExperimentSpec.from_dict({**self.spec_dict(), "name": self._lesson_first.get("name", "")}).to_dict()
        first = ExperimentSpec.from_dict(self._lesson_first).to_dict()
        return now == first

    # ==================================================================================
    # running
    # ==================================================================================
    def start_training(self) -> bool:
        """Start training what the panels describe (a lesson with several experiments runs them
        one after another). False, with the reason shown, when the panels hold an error."""
        spec = self.current_spec()
        if spec is None:
            self._set_state("invalid")
            self.show_message("Cannot start", "Fix the highlighted value first:\n\n" + self._errors_text(),
                              QMessageBox.Warning)
            return False
        if self._lesson_unchanged():
            self._queue = list(self._lesson_specs)      # with the lesson's own labels
        else:
            label = self._label_for(spec)
            self._queue = [(label, spec)]
        self.notice.set_banner("")
        self._start_next()
        return True

    def _label_for(self, spec: ExperimentSpec) -> str:
        m = spec.model
        cell = {"rnn": "RNN", "lstm": "LSTM", "gru": "GRU"}[m.cell]
        bi = " bidirectional" if m.bidirectional else ""
        return f"{cell}{bi} {m.hidden_size}×{m.num_layers} on {spec.data.name}"

    def _errors_text(self) -> str:
        return "\n".join(t for p in (self.data_panel, self.model_panel, self.training_panel)
                         for t in [p.error_text()] if t)

    def _start_next(self) -> None:
        if not self._queue:
            return
        label, spec = self._queue.pop(0)
        if self.lesson is not None and any(s is spec for _, s in self._lesson_specs):
            # show the lesson's current experiment in the panels (it is what runs)
            self.set_spec(spec)
        from_loaded = self._opened_spec is not None and self._same_model(spec)
        rid = self.bridge.start(spec, label=label + (" (continued)" if from_loaded else ""),
                                start_from_loaded=from_loaded)
        self._current_run = rid
        self._runs[rid] = {"label": label, "spec": spec, "rows": [], "grads": [], "info": {}}
        self._paused = False
        self._set_state("starting", label)
        self._update_buttons()

    def _same_model(self, spec: ExperimentSpec) -> bool:
        o = self._opened_spec
        return o is not None and o["model"] == spec.to_dict()["model"] and o["data"] == spec.to_dict()["data"]

    def stop_training(self) -> None:
        """Stop the run in progress (and any lesson runs queued after it)."""
        self._queue = []
        if self.bridge.running:
            self.bridge.stop()
            self._set_state("stopping")

    def start_or_stop(self) -> None:
        if self.bridge.running:
            self.stop_training()
        else:
            self.start_training()

    def toggle_pause(self) -> None:
        if not self.bridge.running:
            return
        if self._paused:
            self.bridge.resume()
        else:
            self.bridge.pause()

    def step_once(self) -> None:
        if self.bridge.running:
            self.bridge.step_once()
        else:
            self.show_status_note("Start a run first; Step then trains one step at a time.")

    def is_running(self) -> bool:
        return self.bridge.running

    def _on_lr_live(self, lr: float) -> None:
        if self.bridge.running:
            self.bridge.set_lr(lr)
            self.show_status_note(f"Learning rate is now {lr:g}")

    def _on_clipping_live(self, norm, value) -> None:
        self.views["gradients"].set_clip_norm(norm)
        if self.bridge.running:
            self.bridge.set_clipping(norm, value)
            what = f"by norm at {norm:g}" if norm else f"by value at {value:g}" if value else "off"
            self.show_status_note(f"Gradient clipping is now {what}")

    # -- worker signals ------------------------------------------------------------------
    def _on_ready(self, info: dict) -> None:
        self.training_panel.set_devices(bool(info.get("cuda")), info.get("gpu"), info.get("error"))
        if info.get("error"):
            self.show_message("PyTorch is not available", info["error"], QMessageBox.Critical)
        if self._state == "ready":
            self._set_state("ready")

    def _on_started(self, rid: int, info: dict) -> None:
        run = self._runs.setdefault(rid, {"label": info.get("label", ""), "rows": [], "grads": [], "info": {}})
        run["info"] = info
        self.views["loss"].start_run(str(rid), info.get("label") or run["label"], info)
        self.views["predictions"].reset()
        self._add_grad_run(rid, info.get("label") or run["label"])
        self._show_gradients_of(rid)
        n_val = int(info.get("n_val") or 0)
        self.sample_spin.blockSignals(True)
        self.sample_spin.setRange(1, max(1, n_val))
        self.sample_spin.blockSignals(False)
        self._status.update(device=info.get("device", ""), step=0, epoch=0, sps=None, val_loss=None, val_acc=None)
        clip = self.training_panel.clipping()
        self.views["gradients"].set_clip_norm(clip[0] if clip else None)
        self._set_state("training", info.get("label", ""))
        if info.get("note"):
            self.show_status_note(info["note"])
        self.run_started.emit(rid)

    def _on_rows(self, rid: int, rows: list) -> None:
        run = self._runs.get(rid)
        if run is None:
            return
        run["rows"].extend(rows)
        if len(run["rows"]) > 20000:
            run["rows"] = run["rows"][::2]
        self._pending_rows.setdefault(rid, []).extend(rows)
        self._curve_budget.request()

    def _on_validation(self, rid: int, metrics: dict) -> None:
        self._pending_val.append((rid, metrics))
        self._curve_budget.request()

    def _on_gradients(self, rid: int, rec: dict) -> None:
        run = self._runs.get(rid)
        if run is None:
            return
        run["grads"].append(rec)
        if len(run["grads"]) > 2000:
            run["grads"] = run["grads"][::2]
        self._pending_grads.append((rid, rec))
        self._curve_budget.request()

    def _flush_curves(self) -> None:
        """Put what arrived since the last redraw into the curve views and the status bar."""
        rows, self._pending_rows = self._pending_rows, {}
        vals, self._pending_val = self._pending_val, []
        grads, self._pending_grads = self._pending_grads, []
        lv, gv = self.views["loss"], self.views["gradients"]
        for rid, batch in rows.items():
            lv.add_rows(str(rid), batch)
            if self._shown_grad_run == rid:
                gv.add_rows(batch)
            if rid == self._current_run and batch:
                last = batch[-1]
                self._status.update(step=int(last.get("step", 0)), epoch=int(last.get("epoch", 0)),
                                    sps=last.get("steps_per_s"), lr=last.get("lr"))
        for rid, m in vals:
            lv.add_validation(str(rid), m.get("step", 0), m)
            if rid == self._current_run:
                self._status.update(val_loss=m.get("val_loss"), val_acc=m.get("val_acc"))
        for rid, rec in grads:
            if self._shown_grad_run == rid:
                gv.add_record(rec["step"], rec["gtt"], rec.get("param_norms"))
        self._update_status()
        if rows or vals or grads:
            self._repaint_current()

    def _govern(self) -> None:
        now, cpu = time.perf_counter(), time.thread_time()
        t0, c0 = self._gov_last
        self._gov_last = (now, cpu)
        self.gui_share = (cpu - c0) / max(now - t0, 1e-6)
        if not (self.bridge.running and not self._paused):
            self._slowdown = 1.0
        elif self.gui_share > GUI_SHARE:
            self._slowdown = min(self._slowdown * 1.5, 20.0)
        elif self.gui_share < 0.6 * GUI_SHARE:
            self._slowdown = max(self._slowdown / 1.25, 1.0)

    def _repaint_current(self) -> None:
        page = self.tabs.currentWidget()
        if page is not None and page.isVisible():
            page.repaint()

    def _on_trace(self, rid: int, tr: dict) -> None:
        self._trace = tr
        self._trace_dirty = set(TRACE_VIEWS)
        if self._paused:
            self._trace_budget.flush()       # a single step: show its result at once
        else:
            self._trace_budget.request()

    def _draw_trace(self) -> None:
        tr = self._trace
        if tr is None:
            return
        self._apply_trace()
        n = int(tr.get("n_samples") or 1)
        if self.sample_spin.maximum() != n:
            self.sample_spin.blockSignals(True)
            self.sample_spin.setRange(1, max(1, n))
            self.sample_spin.blockSignals(False)
        self._update_sample_info(tr)
        if self.current_view() in TRACE_VIEWS:
            self._repaint_current()
        # no use computing traces faster than they can be drawn
        self.bridge.demand.min_trace_interval = self._trace_budget.interval

    def _apply_trace(self) -> None:
        key = self.current_view()
        tr = self._trace
        if tr is None or key not in self._trace_dirty:
            return
        self._trace_dirty.discard(key)
        view = self.views[key]
        try:
            view.set_trace(tr["states"], tr["x"], tr["cell"], tr["num_layers"], tr["bidirectional"],
                           weights=tr.get("weights"), nonlinearity=tr.get("nonlinearity", "tanh"))
        except ValueError as e:
            self.show_status_note(f"This trace cannot be shown: {e}")

    def _update_sample_info(self, tr: dict) -> None:
        y, pred = tr.get("y"), tr.get("pred")
        names = tr.get("class_names")
        text = ""
        try:
            if names and np.ndim(y) == 0 and pred is not None:
                p = np.asarray(pred).ravel()
                k = int(np.argmax(p))
                ok = "✓" if k == int(y) else "✗"
                text = f"target <b>{names[int(y)]}</b> · predicted <b>{names[k]}</b> ({p[k]:.0%}) {ok}"
        except (IndexError, TypeError, ValueError):
            text = ""
        self.sample_info.setText(text)
        self.sample_info.setToolTip(text)

    def _on_predictions(self, rid: int, d: dict) -> None:
        self._predictions = d
        self._pred_budget.request()

    def _draw_predictions(self) -> None:
        if self._predictions is not None:
            self.views["predictions"].set_predictions(self._predictions)
            if self.current_view() == "predictions":
                self._repaint_current()

    def _on_paused(self, rid: int, paused: bool, step: int = -1) -> None:
        if rid != self._current_run:
            return
        self._paused = paused
        self._curve_budget.flush()
        if paused and step >= 0:
            self._status["step"] = step
            self._update_status()
        self._set_state("paused" if paused else "training", self._runs.get(rid, {}).get("label", ""))
        self._update_buttons()

    def _on_finished(self, rid: int, summary: dict) -> None:
        self._curve_budget.flush()
        self.views["loss"].finish_run(str(rid), summary)
        run = self._runs.get(rid)
        if run is not None:
            run["summary"] = summary
        self.run_finished.emit(rid, summary)
        if rid != self._current_run:
            return
        reason = summary.get("stop_reason")
        self._paused = False
        if summary.get("steps_per_s"):
            self._status["sps"] = summary["steps_per_s"]
        if "final_val_loss" in summary:
            self._status["val_loss"] = summary["final_val_loss"]
        if "final_val_acc" in summary:
            self._status["val_acc"] = summary["final_val_acc"]
        if reason == "diverged":
            self._queue = []
            msg = summary.get("message") or "Training diverged."
            self.notice.set_banner(msg)
            self._set_state("diverged")
            self.show_message("Training diverged", msg, QMessageBox.Warning)
        elif reason == "stopped":
            self._queue = []
            self._set_state("stopped")
        else:
            if summary.get("message"):
                self.show_status_note(summary["message"])
            if self._queue:
                self._start_next()
                return
            self._set_state("finished", reason or "")
        self._update_buttons()
        self._update_status()

    def _on_failed(self, rid: int, text: str) -> None:
        self._queue = []
        if rid == self._current_run:
            self.views["loss"].finish_run(str(rid), {"stop_reason": "stopped"})
            self._set_state("failed")
            self._update_buttons()
        title = "Cannot open this run folder" if self._runs.get(rid, {}).get("kind") == "open" else "Training could not start"
        self.show_message(title, text, QMessageBox.Warning)

    # ==================================================================================
    # views
    # ==================================================================================
    def current_view(self) -> str:
        i = self.tabs.currentIndex()
        return self._tab_keys[i] if 0 <= i < len(self._tab_keys) else "loss"

    def _select_view(self, key: str) -> None:
        if key in self._tab_keys:
            self.tabs.setCurrentIndex(self._tab_keys.index(key))
        self._on_tab(self.tabs.currentIndex())

    def _on_tab(self, _i: int) -> None:
        key = self.current_view()
        self.time_row.setVisible(key in TRACE_VIEWS)
        self._apply_trace()
        self._update_demand()
        self._show_view_notes(key)
        if not self._closing:
            self.prefs.last_tab = key

    def _update_demand(self) -> None:
        key = self.current_view()
        visible = self.isVisible() and not self.isMinimized()
        self.bridge.set_demand(trace=visible and key in TRACE_VIEWS, predictions=visible and key == "predictions")

    def changeEvent(self, ev) -> None:  # noqa: N802 (Qt's name)
        super().changeEvent(ev)
        if ev.type() == QEvent.WindowStateChange:
            self._update_demand()

    def _initial_size(self) -> None:
        """90% of the screen, at least 1280x720 (the size everything is laid out for), centred."""
        screen = QApplication.primaryScreen()
        if screen is None:
            self.resize(1280, 720)
            return
        avail = screen.availableGeometry()
        w = max(1280, int(avail.width() * 0.9))
        h = max(720, int(avail.height() * 0.9))
        self.resize(w, h)
        self.move(avail.x() + (avail.width() - w) // 2, avail.y() + (avail.height() - h) // 2)

    def showEvent(self, ev) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(ev)
        self._update_demand()
        if not self._layout_restored and not getattr(self, "_fitted", False):
            self._fitted = True
            QTimer.singleShot(0, self.fit_panels)

    def _refit_soon(self) -> None:
        """Panels grow and shrink with the choices (an RNN has an activation row, a CSV a
        column picker): once the layout has settled, re-share the column if one now scrolls."""
        QTimer.singleShot(50, self._refit_if_scrolling)

    def _refit_if_scrolling(self) -> None:
        if any(d.widget().verticalScrollBar().isVisible() for d in self.docks.values()):
            self.fit_panels()

    def fit_panels(self) -> bool:
        """Share the left column's height among the stacked panels so that each gets at least
        what it needs (no scrolling at 1280x720); the rest goes where it helps most. False when
        the column is too short for that (the panels then scroll)."""
        docks = [d for d in self.docks.values()
                 if d.isVisible() and not d.isFloating() and self.dockWidgetArea(d) == Qt.LeftDockWidgetArea
                 and not self.tabifiedDockWidgets(d)]
        if len(docks) < 2:
            return True
        avail = sum(d.height() for d in docks)
        chrome = [d.height() - d.widget().viewport().height() for d in docks]
        mins = [d.widget().widget().minimumSizeHint().height() + c for d, c in zip(docks, chrome)]
        hints = [max(d.widget().widget().sizeHint().height() + c, m) for d, c, m in zip(docks, chrome, mins)]
        if avail < sum(mins):
            return False
        extra = avail - sum(mins)
        want = [h - m for h, m in zip(hints, mins)]
        total = sum(want) or 1
        sizes = [m + min(w, extra * w // total) for m, w in zip(mins, want)]
        sizes[-1] += avail - sum(sizes)
        self.resizeDocks(docks, sizes, Qt.Vertical)
        return True

    def _add_grad_run(self, rid: int, label: str) -> None:
        self.grad_run_box.addItem(f"{self.grad_run_box.count() + 1}: {label}", rid)
        while self.grad_run_box.count() > 12:
            self.grad_run_box.removeItem(0)

    def _show_gradients_of(self, rid: int | None) -> None:
        """Show one run's gradient records and norms (runs of a lesson can be compared)."""
        gv = self.views["gradients"]
        self._shown_grad_run = rid
        gv.reset()
        run = self._runs.get(rid) if rid is not None else None
        if run is not None:
            for rec in run["grads"]:
                gv.add_record(rec["step"], rec["gtt"], rec.get("param_norms"))
            gv.add_rows(run["rows"])
        i = self.grad_run_box.findData(rid)
        if i >= 0:
            self.grad_run_box.setCurrentIndex(i)

    # ==================================================================================
    # files
    # ==================================================================================
    def save_run_dialog(self) -> None:
        if self.bridge._worker is None or self._current_run is None:
            self.show_message("Nothing to save yet", "Press Start to train a model first; then save it "
                              "as a run folder (weights, curves and gradients).", QMessageBox.Information)
            return
        spec = self._runs.get(self._current_run, {}).get("spec")
        name = (getattr(spec, "name", "") or "seqlab") + "-run"
        path, _ = QFileDialog.getSaveFileName(self, "Save the run as a folder", str(Path(self.prefs.last_folder) / name),
                                              "Run folder (*)")
        if path:
            self.prefs.last_folder = str(Path(path).parent)
            self.save_run(path)

    def save_run(self, path: str) -> None:
        """Write the current run (weights, curves, gradients) as a run folder, atomically."""
        self.show_status_note(f"Saving {path} …")
        self.bridge.save(path)

    def _on_saved(self, path: str) -> None:
        self.last_saved = path
        self.show_status_note(f"Saved the run folder {path}")

    def open_run_dialog(self) -> None:
        path = QFileDialog.getExistingDirectory(self, "Open a run folder", self.prefs.last_folder)
        if path:
            self.prefs.last_folder = str(Path(path).parent)
            self.open_run(path)

    def open_run(self, path: str) -> int:
        """Open a run folder: its curves and gradients come back, its weights can be probed and
        trained further (Start continues from them while the panels are unchanged)."""
        self._queue = []
        rid = self.bridge.open_run(path)
        self._runs[rid] = {"label": Path(path).name, "rows": [], "grads": [], "info": {}, "kind": "open"}
        self._current_run = rid
        self._set_state("opening", Path(path).name)
        return rid

    def _on_opened(self, rid: int, d: dict) -> None:
        spec: ExperimentSpec = d["spec"]
        run = self._runs.setdefault(rid, {"label": Path(d["path"]).name, "rows": [], "grads": [], "info": {}})
        run.update(spec=spec, info=d["info"], summary=d["summary"])
        label = f"{Path(d['path']).name} (opened)"
        self.lesson = None
        self._lesson_specs, self._lesson_first = [], None
        self.lesson_box.setCurrentIndex(0)
        self.set_spec(spec)
        self._opened_spec = spec.to_dict()
        lv = self.views["loss"]
        info = dict(d["info"])
        lv.start_run(str(rid), label, info)
        lv.add_rows(str(rid), d["metrics"])
        lv.finish_run(str(rid), {**d["summary"], "stop_reason": "completed"})
        run["rows"] = list(d["metrics"])
        steps, gtt = d["gtt_steps"], d["gtt"]
        norms = {int(r.get("step", -1)): {k: v for k, v in r.items() if k != "step"} for r in d["param_grad_norms"]}
        run["grads"] = [{"step": int(s), "gtt": gtt[i], "param_norms": norms.get(int(s), {})}
                        for i, s in enumerate(steps) if i < len(gtt)]
        self._add_grad_run(rid, label)
        self._show_gradients_of(rid)
        self.setWindowTitle(f"SeqLab — {Path(d['path']).name}")
        self._set_state("opened", Path(d["path"]).name)
        if d.get("data_error"):
            self.show_message("The run's data could not be rebuilt",
                              f"The curves and weights are loaded, but the data is not, so the model cannot "
                              f"be probed:\n\n{d['data_error']}", QMessageBox.Warning)
        self._update_buttons()

    def open_experiment_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open an experiment", self.prefs.last_folder,
                                              "Experiment JSON (*.json);;All files (*)")
        if path:
            self.open_experiment(path)

    def open_experiment(self, path: str) -> bool:
        try:
            spec = ExperimentSpec.load(path)
        except SpecError as e:
            self.show_message("Cannot open this experiment", str(e), QMessageBox.Warning)
            return False
        self.open_free_lab()
        self.set_spec(spec)
        return True

    def save_experiment_dialog(self) -> None:
        spec = self.current_spec()
        if spec is None:
            self.show_message("Cannot save", "Fix the highlighted value first:\n\n" + self._errors_text(),
                              QMessageBox.Warning)
            return
        path, _ = QFileDialog.getSaveFileName(self, "Save the experiment", str(Path(self.prefs.last_folder) / "experiment.json"),
                                              "Experiment JSON (*.json)")
        if not path:
            return
        from seqlab.core.run_folder import write_text_atomic

        try:
            write_text_atomic(Path(path), spec.to_json())
            self.show_status_note(f"Saved {path}")
        except OSError as e:
            self.show_message("Cannot save", f"{path}: {e}", QMessageBox.Warning)

    # -- export ---------------------------------------------------------------------------
    def export_dialog(self, kind: str) -> None:
        key = self.current_view()
        filt = {"png": "PNG image (*.png)", "svg": "SVG drawing (*.svg)", "csv": "CSV file (*.csv)"}[kind]
        default = str(Path(self.prefs.last_folder) / f"seqlab-{key}.{kind}")
        path, _ = QFileDialog.getSaveFileName(self, f"Export the {VIEW_TITLES[key]} view", default, filt)
        if path:
            self.prefs.last_folder = str(Path(path).parent)
            self.export_view(kind, path)

    def export_view(self, kind: str, path: str, key: str | None = None) -> str | None:
        """Export a view (the current one by default) as 'png', 'svg' or 'csv'; returns the path
        written, or None after showing why it could not be."""
        from seqlab.ui.views import export

        key = key or self.current_view()
        view = self.views[key]
        try:
            if kind == "png":
                return export.export_widget_png(view, path)
            if kind == "svg":
                target = self._export_target(view)
                if target is None:
                    raise OSError(f"the {VIEW_TITLES[key]} view has nothing to draw yet")
                return export.export_plot_svg(target, path)
            cols = self._curves_of(key)
            if not cols:
                raise OSError(f"the {VIEW_TITLES[key]} view has no numbers yet; start a run first")
            return export.export_curves_csv(path, cols)
        except OSError as e:
            self.show_message("Cannot export", str(e), QMessageBox.Warning)
            return None

    def _export_target(self, view: QWidget):
        import pyqtgraph as pg

        targets = view.export_targets() if hasattr(view, "export_targets") else {}
        if targets:
            return next(iter(targets.values()))
        for w in view.findChildren(pg.PlotWidget):
            if w.isVisible():
                return w.getPlotItem()
        return None

    def _curves_of(self, key: str) -> dict[str, np.ndarray]:
        view = self.views[key]
        if hasattr(view, "curves"):
            return view.curves()
        tr = self._trace
        if tr is None:
            return {}
        names = ["h"] if key == "hidden" else [k for k in tr["states"]]
        out: dict[str, np.ndarray] = {"t": np.arange(1, tr["states"]["h"].shape[1] + 1)}
        for name in names:
            a = tr["states"][name]
            for r in range(a.shape[0]):
                for u in range(a.shape[2]):
                    out[f"{name} row{r} unit{u + 1}"] = a[r, :, u]
        return out

    # ==================================================================================
    # classroom
    # ==================================================================================
    def set_theme(self, name: str) -> None:
        self.tm.set_theme(name)
        if not self.tm.presentation:
            self.prefs.theme = name

    def toggle_presentation(self, on: bool | None = None) -> None:
        """F11: full screen, large type, thick lines, the high-contrast light theme; again to leave."""
        on = (not self.tm.presentation) if on is None else bool(on)
        if on and not self.tm.presentation:
            self._pre_presentation = (self.tm.theme.name, self.saveState(), self.isMaximized())
            self.tm.set(theme="light", presentation=True)
            # the three panels share one column as tabs: at presentation size they do not fit stacked
            self.tabifyDockWidget(self.docks["data"], self.docks["model"])
            self.tabifyDockWidget(self.docks["model"], self.docks["train"])
            self.docks["model"].raise_()
            self.showFullScreen()
            # the centre view gets most of the width: the panel column a quarter of the screen
            screen = self.screen().availableGeometry() if self.screen() else self.geometry()
            self.resizeDocks([self.docks["model"]], [max(int(0.25 * screen.width()), int(290 * self.tm.scale))],
                             Qt.Horizontal)
            # on a small projector (1280x720) even that column cramps the views: the panels
            # start hidden there (F9 / View > Panels shows them; leaving restores the layout)
            full = self.screen().geometry().width() if self.screen() else self.width()  # full-screen width
            if full < PRESENTATION_PANELS_MIN_WIDTH:
                self.set_panels_visible(False)
        elif not on and self.tm.presentation:
            theme, state, maxed = self._pre_presentation or ("light", None, False)
            self.tm.set(theme=theme, presentation=False)
            self.showMaximized() if maxed else self.showNormal()
            if state is not None:
                self.restoreState(state)
            else:
                self.set_panels_visible(True)
        self.act_present.setChecked(self.tm.presentation)
        self._sync_panels_action()

    def panels_visible(self) -> bool:
        return any(not d.isHidden() for d in self.docks.values())

    def set_panels_visible(self, on: bool | None = None) -> None:
        """F9: hide the panel column (the views get the whole width) or show it again;
        None toggles."""
        on = (not self.panels_visible()) if on is None else bool(on)
        for dock in self.docks.values():
            dock.setVisible(on)
        if on and self.tm.presentation:
            self.docks["model"].raise_()
        self._sync_panels_action()

    def _sync_panels_action(self) -> None:
        if hasattr(self, "act_panels"):
            self.act_panels.setChecked(self.panels_visible())

    def _restyle(self) -> None:
        t = self.tm.theme
        self.act_light.setChecked(t.name == "light")
        self.act_dark.setChecked(t.name == "dark")
        s = self.tm.scale
        err = "#ff7070" if t.dark else "#b00000"     # red that reads on the theme's background
        for panel in (self.data_panel, self.model_panel, self.training_panel):
            panel.set_error_color(err)
        self.notice.error_color = err
        self.notice.show_step(self.notice.current())
        for dock in self.docks.values():
            # the views must not squeeze the panels narrower than their controls
            # (in presentation mode the panels are tabs in a narrower column: the view gets the room)
            dock.setMinimumWidth(int((290 if self.tm.presentation else 350) * s))
            dock.setStyleSheet(
                f"QDockWidget {{ font-weight: bold; font-size: {self.tm.font_pt('body'):.1f}pt; }}"
                f"QDockWidget::title {{ background: {t.button}; padding: {int(2 * s)}px {int(6 * s)}px; }}")
        self.notice.setStyleSheet(
            f"#noticeStrip {{ background: {t.base}; border: 1px solid {t.grid}; border-radius: 4px; }}")
        f = self.tm.font("equation")
        self.notice.text.setFont(f)
        self.notice.title.setFont(self.tm.font("title", bold=True))
        self.notice.setMaximumHeight(int(120 * s))
        self.notice.setMinimumHeight(int(64 * s))
        big = self.tm.font("body", bold=True)
        self.status_state.setFont(big)
        for w in (self.status_progress, self.status_speed, self.status_device, self.status_metrics):
            w.setFont(self.tm.font("body"))
        self.toolbar.setIconSize(self._icon_size())
        self._update_status()

    def _icon_size(self):
        from PySide6.QtCore import QSize

        px = int(20 * self.tm.scale)
        return QSize(px, px)

    # ==================================================================================
    # status and messages
    # ==================================================================================
    def _set_state(self, state: str, detail: str = "") -> None:
        self._state = state
        torch_note = "" if self.bridge.torch_info else " (PyTorch is loading in the background)"
        text = {
            "ready": "Ready: press Start (Ctrl+Enter)" + torch_note,
            "invalid": "Cannot start: a value in the panels needs fixing",
            "starting": f"Preparing {detail}: building the data and the model…",
            "training": f"Training {detail}",
            "paused": f"Paused: {detail} (Step trains one step, Pause again resumes)",
            "stopping": "Stopping…",
            "stopped": "Stopped: the model and its curves are kept (Ctrl+S saves them)",
            "finished": f"Finished ({detail.replace('_', ' ')}): Ctrl+S saves the run",
            "diverged": "Diverged: see the message; lower the learning rate or turn on clipping",
            "failed": "Could not train: see the message",
            "opening": f"Opening {detail}…",
            "opened": f"Opened {detail}: Start continues training from its weights",
        }.get(state, state)
        self.status_state.setText(text)
        self._update_status()

    def state(self) -> str:
        return self._state

    def _update_status(self) -> None:
        s = self._status
        if not hasattr(self, "status_progress"):
            return
        if s.get("step") is not None and self._state not in ("ready",):
            self.status_progress.setText(f"step {s.get('step', 0):,} · epoch {s.get('epoch', 0) + 1}")
        else:
            self.status_progress.setText("")
        sps = s.get("sps")
        self.status_speed.setText(f"{sps:,.0f} steps/s" if isinstance(sps, (int, float)) and sps else "")
        dev = s.get("device") or ""
        self.status_device.setText(("GPU " + dev) if dev.startswith("cuda") else dev.upper())
        parts = []
        if s.get("val_loss") is not None:
            parts.append(f"val loss {_fmt(s['val_loss'])}")
        if s.get("val_acc") is not None:
            parts.append(f"val acc {s['val_acc']:.2f}")
        self.status_metrics.setText(" · ".join(parts))

    def show_status_note(self, text: str, ms: int = 6000) -> None:
        self.statusBar().showMessage(text, ms)

    def show_message(self, title: str, text: str, icon=QMessageBox.Information) -> None:
        """A message box that does not block the window (training and views go on)."""
        self.last_message = (title, text)
        self.message_shown.emit(title, text)
        box = QMessageBox(icon, title, text, QMessageBox.Ok, self)
        box.setAttribute(Qt.WA_DeleteOnClose)
        box.setWindowModality(Qt.WindowModal)
        box.setTextInteractionFlags(Qt.TextSelectableByMouse)
        box.open()

    def _update_buttons(self) -> None:
        running = self.bridge.running
        self.act_start.setEnabled(True)
        self.act_start.setToolTip("Start again from new weights (Ctrl+Enter stops)" if running
                                  else "Build the model and start training (Ctrl+Enter)")
        self.act_pause.setEnabled(running)
        self.act_step.setEnabled(running)
        self.act_stop.setEnabled(running)
        st = self.style()
        if self._paused:
            self.act_pause.setText("Resume")
            self.act_pause.setIcon(st.standardIcon(QStyle.SP_MediaPlay))
        else:
            self.act_pause.setText("Pause")
            self.act_pause.setIcon(st.standardIcon(QStyle.SP_MediaPause))

    def _show_shortcuts(self) -> None:
        self.show_message("Keyboard shortcuts", "\n".join([
            "Ctrl+Enter   start / stop training",
            "Space        play / pause the animation through time",
            "← / →        one time step back / on",
            "F11          presentation mode (full screen, large type)",
            "F9           show / hide the panels",
            "Ctrl+S       save the run folder",
            "Ctrl+O       open a run folder",
        ]))

    def _show_about(self) -> None:
        from seqlab import __version__

        self.show_message("About SeqLab", f"SeqLab {__version__}: watch recurrent networks learn.")

    # ==================================================================================
    # closing
    # ==================================================================================
    def closeEvent(self, ev) -> None:  # noqa: N802 (Qt's name)
        self._closing = True
        self._queue = []
        if self.tm.presentation:
            self.toggle_presentation(False)
        self.prefs.save_layout(self.saveGeometry(), self.saveState())
        self.prefs.animation_speed = self.timeline.speed()
        self.prefs.sync()
        self.timeline.pause()
        self.bridge.shutdown()
        super().closeEvent(ev)


__all__ = ["MainWindow", "NoticeStrip", "VIEW_TITLES"]
