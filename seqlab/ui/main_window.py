"""The lab window: a shell around the chosen family's workspace.

```
+------------------------------------------------------------------------------------+
| Lesson v | > Start  || Pause  >| Step  [] Stop                                       |
+--------------------+---------------------------------------------------------------+
| (family panels)    |  Loss | (the family's views)                                  |
| TRAINING           |  (the chosen view, large)                                     |
|                    |  (the family's row under the view: a timeline ...)            |
|                    |  What to notice: (lesson text, equations)                     |
+--------------------+---------------------------------------------------------------+
| Training LSTM on sine . step 1,200 . epoch 4 . 48 steps/s . CPU . val loss 0.012  |
+------------------------------------------------------------------------------------+
```
The shell owns what every family shares: run control, the Training panel, the Loss view,
lessons, files, presentation mode, the status bar (each in its own module under
``ui/shell/``). The family's workspace (``seqlab.ui.workspace``) brings its panels and views;
the shell swaps workspaces when the family changes. Panels are dock widgets (moved, tabbed or
closed; the layout is kept between sessions). This module never imports torch, so the window
appears before torch has loaded, and it names no family.
"""

from __future__ import annotations

import importlib
from typing import Any

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QApplication, QDockWidget, QFrame, QLabel, QMainWindow, QMessageBox, QScrollArea, QSizePolicy, QTabWidget,
    QVBoxLayout, QWidget,
)

from seqlab.core.registry import families, get_family
from seqlab.ui.panels.training_panel import TrainingPanel
from seqlab.ui.settings import Preferences
from seqlab.ui.shell.commands import Commands
from seqlab.ui.shell.file_actions import FileActions
from seqlab.ui.shell.lessons import LessonControl
from seqlab.ui.shell.notice_strip import NoticeStrip
from seqlab.ui.shell.presentation import Presentation
from seqlab.ui.shell.redraw_budget import Governor
from seqlab.ui.shell.run_control import RunControl
from seqlab.ui.shell.runs import RunStore
from seqlab.ui.shell.spec_editor import SpecEditor
from seqlab.ui.shell.status import StatusReport
from seqlab.ui.theme import ThemeManager, theme_manager
from seqlab.ui.widgets.fitting_tabs import FittingTabs
from seqlab.ui.worker import WorkerBridge
from seqlab.ui.workspace import Workspace

LOSS_NOTES = ["Solid lines: the training loss, logged every few steps. Dotted: the validation loss on "
              "data the network never trains on. Earlier runs stay, faded, for comparison.",
              "When the validation loss rises while the training loss still falls, the network is "
              "overfitting: try dropout, L2 or early stopping."]


def load_workspace_class(family) -> type[Workspace]:
    """The Workspace subclass a family names ("package.module:Class"), or the empty base."""
    if not family.workspace:
        return Workspace
    module, _, name = family.workspace.partition(":")
    return getattr(importlib.import_module(module), name)


class MainWindow(Commands, RunControl, SpecEditor, LessonControl, FileActions, Presentation, StatusReport,
                 QMainWindow):
    """The SeqLab window. Public methods are what menus, shortcuts and tests use."""

    run_started = Signal(int)      # run id
    run_finished = Signal(int, object)
    message_shown = Signal(str, str)
    LOSS_NOTES = LOSS_NOTES

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
        self.lesson = None
        self._lesson_specs: list = []
        self._lesson_first: dict | None = None
        self._changed_banner = False
        self._queue: list = []
        self._opened_spec: dict | None = None
        self.runs = RunStore()
        self._current_run: int | None = None
        self._state = "ready"
        self._paused = False
        self._status: dict[str, Any] = {}
        self.last_message: tuple[str, str] | None = None
        self.last_saved: str | None = None
        self._closing = False
        self._pre_presentation: tuple | None = None
        self._pending_rows: dict[int, list] = {}
        self._pending_val: list = []
        # what the window's drawing may cost while training (see shell/redraw_budget.py)
        self.governor = Governor(self, lambda: self.bridge.running and not self._paused)
        self._curve_budget = self.governor.budget(self, 0.03, 0.10, 2.0, self._flush_curves)
        self._workspaces: dict[str, Workspace] = {}
        self.workspace: Workspace | None = None
        self.docks: dict[str, QDockWidget] = {}

        self._build_central()
        self.training_panel = TrainingPanel()
        self.training_panel.lr_live.connect(self._on_lr_live)
        self.training_panel.clipping_live.connect(self._on_clipping_live)
        self._train_dock = self._make_dock("train", "Training", self.training_panel)
        self._build_actions()
        self._build_toolbar()
        self._build_menus()
        self._build_status()
        self._connect_bridge()
        last_tab = self.prefs.last_tab
        self.set_family(families()[0].name)

        g, s = self.prefs.layout()
        self._initial_size()
        self._layout_restored = False
        if g is not None:
            self.restoreGeometry(g)
            # Qt places a restored frame a few pixels off under some window managers (5 px low
            # under openbox): once framed, the window is moved back onto the screen
            self._initial_wanted, self._initial_full_height = self.size(), False
        if s is not None:
            self._layout_restored = bool(self.restoreState(s))
        self.tm.changed.connect(self._restyle)
        self._restyle()
        self._update_buttons()
        self.current_spec()
        self._select_view(last_tab if last_tab in self._tab_keys else "loss")
        self._set_state("ready")

    # ==================================================================================
    # building
    # ==================================================================================
    def _build_central(self) -> None:
        from seqlab.ui.views.loss_view import LossView

        self.loss_view = LossView(theme=self.tm)
        self.loss_view.runRenamed.connect(self._on_run_renamed)
        self.loss_view.runRemoved.connect(self._on_run_removed)
        self.loss_view.saveRequested.connect(lambda rid: self.save_run_dialog(int(rid)))
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tab_fit = FittingTabs(self.tabs, self.tm)
        self._tab_keys: list[str] = []
        self.tabs.currentChanged.connect(self._on_tab)
        self._below = QVBoxLayout()
        self._below.setContentsMargins(0, 0, 0, 0)
        self.notice = NoticeStrip()
        central = QWidget()
        cl = QVBoxLayout(central)
        cl.setContentsMargins(2, 2, 2, 2)
        cl.setSpacing(2)
        cl.addWidget(self.tabs, 1)
        cl.addLayout(self._below)
        cl.addWidget(self.notice)
        self.setCentralWidget(central)

    def _make_dock(self, key: str, title: str, panel: QWidget) -> QDockWidget:
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
        panel.message.connect(lambda t, text: self.show_message(t, text, QMessageBox.Warning))
        panel.changed.connect(self._on_spec_changed)
        panel.changed.connect(self._refit_soon)
        dock.toggleViewAction().toggled.connect(lambda _on: self._sync_panels_action())
        return dock

    def set_family(self, name: str) -> None:
        """Show the workspace (panels and views) of family `name`; each family's workspace is
        built once and kept, so its runs survive switching back and forth."""
        if self.workspace is not None and self.workspace.family.name == name:
            return
        fam = get_family(name)
        for key, dock in list(self.docks.items()):
            self.removeDockWidget(dock)
            dock.hide()
            # restoreState() finds docks by name among all the window's children: a hidden
            # family's dock of the same name took the layout (leaving presentation mode brought
            # back the recurrent Model panel over a GAN's, and the GAN's stayed hidden). Only
            # the shown family's docks carry the names.
            dock.setObjectName("")
        ws = self._workspaces.get(name)
        if ws is None:
            ws = load_workspace_class(fam)(fam, self.bridge, self.tm, self.prefs,
                                           lambda *a: self.governor.budget(self, *a), self)
            ws.runs = self.runs
            ws.message.connect(lambda t, text: self.show_message(t, text, QMessageBox.Warning))
            ws.status_note.connect(self.show_status_note)
            self._workspaces[name] = ws
            ws._docks = {key: self._make_dock(key, title, panel) for key, title, panel in ws.panels()}
        self.workspace = ws
        box = getattr(self, "family_box", None)
        if box is not None and box.currentData() != name:     # a lesson or run folder chose it
            box.blockSignals(True)
            box.setCurrentIndex(max(0, box.findData(name)))
            box.blockSignals(False)
        self.docks = {**ws._docks, "train": self._train_dock}
        # the Training panel shows only the train fields this family's training reads
        self.training_panel.set_unused_fields(fam.unused_train_fields)
        # an empty Loss view says what this family's runs will draw (a GAN: J_D and J_G)
        self.loss_view.set_family_curves(fam.loss_curves)
        for key, dock in self.docks.items():
            dock.setObjectName(f"dock-{key}")
            self.addDockWidget(Qt.LeftDockWidgetArea, dock)
            dock.show()
        self.setCorner(Qt.BottomLeftCorner, Qt.LeftDockWidgetArea)
        self.setCorner(Qt.TopLeftCorner, Qt.LeftDockWidgetArea)
        self.resizeDocks(list(self.docks.values()), [370] * len(self.docks), Qt.Horizontal)
        self.tabs.blockSignals(True)
        while self.tabs.count():
            self.tabs.removeTab(0)
        self._tab_keys = ["loss"]
        self.tabs.addTab(self.loss_view, "Loss")
        for key, (title, page) in ws.views().items():
            self.tabs.addTab(page, title)
            self._tab_keys.append(key)
        self.tabs.blockSignals(False)
        self.tab_fit.refit()
        self._rebuild_views_menu()
        if hasattr(self, "act_import_csv"):
            importer = getattr(ws, "import_csv_action", lambda: None)()
            self.act_import_csv.setVisible(importer is not None)
        self._on_tab(self.tabs.currentIndex())

    # -- views -------------------------------------------------------------------------
    @property
    def views(self) -> dict[str, QWidget]:
        """Every view of the current workspace by key, the Loss view first."""
        return {"loss": self.loss_view, **{k: getattr(self.workspace, k, page)
                                           for k, (_t, page) in self.workspace.views().items()}}

    @property
    def timeline(self):
        """The current workspace's animation through time (None when it has none)."""
        return getattr(self.workspace, "timeline", None)

    def view_title(self, key: str) -> str:
        return "Loss" if key == "loss" else self.workspace.views().get(key, (key, None))[0]

    def view_widget(self, key: str) -> QWidget:
        return self.views[key]

    def view_page(self, key: str) -> QWidget:
        """The whole tab of a view (its plots with their controls), as exported."""
        return self.loss_view if key == "loss" else self.workspace.views()[key][1]

    def current_view(self) -> str:
        i = self.tabs.currentIndex()
        return self._tab_keys[i] if 0 <= i < len(self._tab_keys) else "loss"

    def _select_view(self, key: str) -> None:
        if key in self._tab_keys:
            self.tabs.setCurrentIndex(self._tab_keys.index(key))
        self._on_tab(self.tabs.currentIndex())

    def _on_tab(self, _i: int) -> None:
        key = self.current_view()
        self._size_only_current_page()
        below = self.workspace.below_view(key) if self.workspace else None
        for i in range(self._below.count()):
            w = self._below.itemAt(i).widget()
            if w is not None and w is not below:
                w.setVisible(False)
        if below is not None:
            if self._below.indexOf(below) < 0:
                self._below.addWidget(below)
            below.setVisible(True)
        self.workspace.on_view_shown(key)
        self._update_demand()
        self._show_view_notes(key)
        if not self._closing:
            self.prefs.last_tab = key

    def _size_only_current_page(self) -> None:
        """Only the view shown may set the window's minimum size. A tab widget takes the
        largest minimum of all its pages, so a hidden view's (laid out for presentation type,
        or for another screen) kept the window taller than a 720-line screen, and a window
        manager then neither made it full screen nor gave back its normal frame."""
        current = self.tabs.currentWidget()
        for i in range(self.tabs.count()):
            page = self.tabs.widget(i)
            if not hasattr(page, "_own_size_policy"):
                page._own_size_policy = page.sizePolicy()
            page.setSizePolicy(page._own_size_policy if page is current
                               else QSizePolicy(QSizePolicy.Ignored, QSizePolicy.Ignored))

    def _update_demand(self) -> None:
        visible = self.isVisible() and not self.isMinimized()
        self.bridge.set_demand(self.workspace.demand(self.current_view()) if visible else set())

    def _animate(self, what: str) -> None:
        tl = self.timeline
        if tl is not None:
            getattr(tl, what)()

    def _build_status(self) -> None:
        from PySide6.QtCore import QTimer

        sb = self.statusBar()
        self.status_state = QLabel()
        f = self.status_state.font()
        f.setBold(True)
        self.status_state.setFont(f)
        self.status_note = QLabel()
        self.status_note.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Preferred)
        self._note_timer = QTimer(self)
        self._note_timer.setSingleShot(True)
        self._note_timer.timeout.connect(lambda: self.status_note.setText(""))
        self.status_progress = QLabel()
        self.status_speed = QLabel()
        self.status_device = QLabel()
        self.status_metrics = QLabel()
        # every part permanent: a note never hides the state ("Paused" stays readable)
        sb.addPermanentWidget(self.status_state, 0)
        sb.addPermanentWidget(self.status_note, 1)
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
        b.snapshot.connect(self._on_snapshot)
        b.paused.connect(self._on_paused)
        b.finished.connect(self._on_finished)
        b.failed.connect(self._on_failed)
        b.opened.connect(self._on_opened)
        b.saved.connect(self._on_saved)
        b.notice.connect(lambda text: self.show_message("SeqLab", text, QMessageBox.Warning))

    # ==================================================================================
    # window events
    # ==================================================================================
    def changeEvent(self, ev) -> None:  # noqa: N802 (Qt's name)
        super().changeEvent(ev)
        if ev.type() == QEvent.WindowStateChange:
            self._update_demand()

    def showEvent(self, ev) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(ev)
        self._update_demand()
        if not getattr(self, "_fitted", False):
            self._fitted = True
            from PySide6.QtCore import QTimer

            # a layout saved on another screen (or size) can leave a panel scrolling beside a
            # blank gap: re-share the column then; a layout that fits is kept as it was
            QTimer.singleShot(0, self.fit_panels if not self._layout_restored else self._refit_if_scrolling)
            QTimer.singleShot(300, self, self._fit_frame_to_screen)

    def closeEvent(self, ev) -> None:  # noqa: N802 (Qt's name)
        # closed by the person (the window manager's close button): ask about unsaved runs;
        # a close from code (tests, --screenshot) or after File > Quit asked already does not
        if ev.spontaneous() and not getattr(self, "_confirmed_quit", False) and not self.confirm_quit():
            ev.ignore()
            return
        self._closing = True
        self._queue = []
        self.prefs.save_layout(*self.normal_layout())
        if self.tm.presentation:
            self.toggle_presentation(False)
        for ws in self._workspaces.values():
            ws.shutdown()
        self.prefs.sync()
        self.bridge.shutdown()
        super().closeEvent(ev)


__all__ = ["MainWindow", "NoticeStrip", "LOSS_NOTES", "load_workspace_class"]
