"""The window's commands: actions with their shortcuts, the tool bar and the menus; keys that
animate the views through time except where a focused field uses them."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import (
    QAbstractButton, QAbstractItemView, QAbstractSpinBox, QApplication, QComboBox, QLabel, QLineEdit,
    QPlainTextEdit, QStyle, QTextEdit, QToolBar, QWidget,
)

from seqlab.core.registry import families, lessons


class Commands:
    """Mixin of MainWindow."""

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
        self.act_pause = A("Pause", self.toggle_pause, "Ctrl+P", "Pause or resume training (Ctrl+P)")
        self.act_pause.setIcon(st.standardIcon(QStyle.SP_MediaPause))
        self.act_step = A("Step", self.step_once, "Ctrl+T", "Pause and train exactly one step (Ctrl+T)")
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
        self.act_import_csv = A("Import CSV data…", lambda: (getattr(self.workspace, "import_csv_action",
                                                                      lambda: None)() or (lambda: None))(),
                                None, "Use your own CSV file as the data set")
        self.act_export_png = A("Export view as PNG…", lambda: self.export_dialog("png"), None,
                                "Save the current view as a PNG image")
        self.act_export_svg = A("Export view as SVG…", lambda: self.export_dialog("svg"), None,
                                "Save the current view's main plot as an SVG drawing")
        self.act_export_csv = A("Export curves as CSV…", lambda: self.export_dialog("csv"), None,
                                "Save the numbers behind the current view as a CSV file")
        self.act_quit = A("Quit", self.quit_asking, QKeySequence.Quit, "Close SeqLab (asks about unsaved runs)")
        self.act_reset_lesson = A("Reset to the lesson's values", self.reset_lesson, None,
                                  "Put the lesson's own settings back in every panel")
        self.act_reset_lesson.setEnabled(False)
        self.act_present = A("Presentation mode", self.toggle_presentation, "F11",
                             "Full screen, large type and thick lines, high-contrast light theme", checkable=True)
        self.act_light = A("Light theme (high contrast)", lambda: self.set_theme("light"), None,
                           "Black on white: best on a projector", checkable=True)
        self.act_dark = A("Dark theme", lambda: self.set_theme("dark"), None, "Light on dark", checkable=True)
        self.act_panels = A("Panels", lambda: self.set_panels_visible(None), "F9",
                            "Show or hide the panels (F9)", checkable=True)
        self.act_panels.setChecked(True)
        self.act_reset_layout = A("Reset layout", self.reset_layout, None,
                                  "Put every panel back in the left column, at the first window size")
        grp = QActionGroup(self)
        grp.addAction(self.act_light)
        grp.addAction(self.act_dark)
        self.act_play = A("Play / pause animation", lambda: self._animate("toggle"), "Space",
                          "Animate the views through time")
        self.act_prev_t = A("Previous time step", lambda: self._animate("step_back"), "Left", "One time step back")
        self.act_next_t = A("Next time step", lambda: self._animate("step_forward"), "Right", "One time step on")
        for a in (self.act_play, self.act_prev_t, self.act_next_t):
            a.setShortcutContext(Qt.WindowShortcut)
        # ... but not while the focus is in a field that uses those keys itself (see eventFilter).
        # The filter sits on the focus widget alone: on the whole application it would run
        # Python (and take the interpreter lock from training) for each of the hundreds of
        # events a second the window handles while it trains.
        QApplication.instance().focusChanged.connect(self._follow_focus)

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

    def _follow_focus(self, old: QWidget | None, new: QWidget | None) -> None:
        for w, install in ((old, False), (new, True)):
            if w is None:
                continue
            try:
                if install:
                    if w.window() is self:
                        w.installEventFilter(self)
                else:
                    w.removeEventFilter(self)
            except RuntimeError:          # the widget was deleted meanwhile
                pass

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
        for lesson in lessons().values():
            self.lesson_box.addItem(lesson.title, lesson.name)
        self.lesson_box.activated.connect(self._on_lesson_box)
        self.lesson_box.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
        self.lesson_box.setMinimumContentsLength(self.LESSON_CHARS)
        # a lesson's title is shown whole where the row has room (see _fit_toolbar)
        self.lesson_box.currentTextChanged.connect(lambda _t: self._fit_toolbar())
        tb.addWidget(QLabel(" Lesson "))
        tb.addWidget(self.lesson_box)
        if len(families()) > 1:         # a family chooser only where there is a choice
            self.family_box = QComboBox()
            self.family_box.setToolTip("The kind of network to build")
            self.family_box.setSizeAdjustPolicy(QComboBox.AdjustToContents)   # names never clipped
            for fam in families():
                self.family_box.addItem(fam.title or fam.name, fam.name)
            self.family_box.activated.connect(lambda _i: self._choose_family(self.family_box.currentData()))
            self._family_action = tb.addWidget(self.family_box)
        tb.addSeparator()
        for a in (self.act_start, self.act_pause, self.act_step, self.act_stop):
            tb.addAction(a)
        tb.addSeparator()
        tb.addAction(self.act_panels)
        # A tool bar row of its own: as the menu bar's corner widget it was pushed onto a
        # second menu-bar line that the window never showed (the buttons were invisible).
        self.addToolBar(Qt.TopToolBarArea, tb)
        self.toolbar = tb

    #: the lesson box's width in characters, and the least it gives up to keep the run buttons
    LESSON_CHARS, LESSON_CHARS_MIN = 34, 16

    def _fit_toolbar(self) -> None:
        """Keep Start / Pause / Step / Stop on the tool bar, never behind its » menu, and the
        lesson's whole title in its box where there is room. Where the row is too narrow
        (presentation type on a 1280-px projector) the run buttons drop their words first
        (the media icons and tooltips stay), then a lesson's family box goes (the lesson
        chose the family), and only then the lesson box narrows."""
        if not hasattr(self, "toolbar") or getattr(self, "_fitting_toolbar", False):
            return
        self._fitting_toolbar = True
        try:
            self._fit_toolbar_now()
        finally:
            self._fitting_toolbar = False

    def _fit_toolbar_now(self) -> None:
        tb = self.toolbar
        room = self.width() - 2 * tb.style().pixelMetric(QStyle.PM_ToolBarHandleExtent) - 16
        runs = [tb.widgetForAction(a) for a in (self.act_start, self.act_pause, self.act_step, self.act_stop)]
        box = self.lesson_box
        char = max(1, box.fontMetrics().horizontalAdvance("x"))
        title = -(-box.fontMetrics().horizontalAdvance(box.currentText()) // char) + 1
        box.setMinimumContentsLength(max(self.LESSON_CHARS, title))
        for b in runs:
            b.setToolButtonStyle(Qt.ToolButtonTextBesideIcon)
        family = getattr(self, "_family_action", None)
        if family is not None:
            family.setVisible(True)
        if self._toolbar_width() <= room:
            return
        for b in runs:
            b.setToolButtonStyle(Qt.ToolButtonIconOnly)
        if family is not None and self.lesson is not None and self._toolbar_width() > room:
            family.setVisible(False)
        over = self._toolbar_width() - room
        if over > 0:
            chars = max(self.LESSON_CHARS, title) - -(-over // char)
            box.setMinimumContentsLength(max(self.LESSON_CHARS_MIN, chars))

    def _toolbar_width(self) -> int:
        """The width the tool bar's items ask for (its own size hint lags behind a change)."""
        tb = self.toolbar
        items = [tb.widgetForAction(a) for a in tb.actions() if a.isVisible()]
        spacing = tb.layout().spacing() if tb.layout() is not None else 0
        return sum(w.sizeHint().width() + spacing for w in items if w is not None)

    def _rebuild_views_menu(self) -> None:
        """View > Show view: one entry per tab of the current workspace, Ctrl+1 ... Ctrl+9."""
        if not hasattr(self, "views_menu"):
            return
        for a in getattr(self, "_view_actions", []):
            self.removeAction(a)
        self.views_menu.clear()
        self._view_actions = []
        for i, key in enumerate(self._tab_keys):
            a = self.views_menu.addAction(self.view_title(key), lambda k=key: self._select_view(k))
            if i < 9:
                a.setShortcut(QKeySequence(f"Ctrl+{i + 1}"))
                self.addAction(a)
            self._view_actions.append(a)

    def _choose_family(self, name: str) -> None:
        self.open_free_lab()
        self.set_family(name)

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
        for a in (self.act_present, self.act_panels, self.act_reset_layout, None, self.act_light, self.act_dark, None,
                  self.act_play, self.act_prev_t, self.act_next_t):
            m.addSeparator() if a is None else m.addAction(a)
        self.views_menu = m.addMenu("Show view")
        m = mb.addMenu("&Lessons")
        for lesson in lessons().values():
            m.addAction(lesson.title, lambda n=lesson.name: self.open_lesson(n))
        m.addSeparator()
        m.addAction(self.act_reset_lesson)
        m = mb.addMenu("&Help")
        m.addAction("Keyboard shortcuts", self._show_shortcuts)
        m.addAction("About SeqLab", self._show_about)


__all__ = ["Commands"]
