"""Classroom display: presentation mode (F11), the panel column (F9), themes, and sharing the
panel column's height so nothing scrolls at 1280x720."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

#: in presentation mode, a screen narrower than this starts with the panels hidden (F9 shows them)
PRESENTATION_PANELS_MIN_WIDTH = 1600


class Presentation:
    """Mixin of MainWindow."""

    def resizeEvent(self, ev) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(ev)
        if hasattr(self, "notice") and hasattr(self, "tm"):
            s = self.tm.scale
            cap = max(int(64 * s), int(self.height() / 7))
            self.notice.setMaximumHeight(min(int(120 * s), cap))
            self.notice.set_fonts(getattr(self.notice, "_fonts", []))
        if hasattr(self, "toolbar"):
            self._fit_toolbar()
        if hasattr(self, "status_state"):
            self._fit_state_text()

    def reset_layout(self) -> None:
        """View > Reset layout: every panel back in the left column, shown and stacked, the
        window at its first size; the saved layout is replaced at the next close."""
        if self.tm.presentation:
            self.toggle_presentation(False)
        for dock in self.docks.values():
            dock.setFloating(False)
            self.addDockWidget(Qt.LeftDockWidgetArea, dock)
            dock.show()
        self.resizeDocks(list(self.docks.values()), [370] * len(self.docks), Qt.Horizontal)
        self.showNormal()
        self._initial_size()
        self._sync_panels_action()
        QTimer.singleShot(0, self.fit_panels)
        self.show_status_note("Layout reset: the panels are back in the left column")

    def _main_dock(self):
        """The dock raised first when the panels are tabs (the family's model panel, if any)."""
        return self.docks.get("model") or next(iter(self.docks.values()))

    def set_theme(self, name: str) -> None:
        self.tm.set_theme(name)
        if not self.tm.presentation:
            self.prefs.theme = name

    def toggle_presentation(self, on: bool | None = None) -> None:
        """F11: full screen, large type, thick lines, the high-contrast light theme; again to leave."""
        on = (not self.tm.presentation) if on is None else bool(on)
        if on and not self.tm.presentation:
            # what leaving (or quitting while presenting) puts back: the normal window's own
            # geometry and docks, taken before anything changes
            self._pre_presentation = (self.tm.theme.name, self.saveState(), self.isMaximized(),
                                      self.saveGeometry())
            self._pre_presentation_rect = self.geometry()
            # the panels share one column as tabs: at presentation size they do not fit stacked
            docks = list(self.docks.values())
            for a, b in zip(docks, docks[1:]):
                self.tabifyDockWidget(a, b)
            self._main_dock().raise_()
            # on a small projector (1280x720) even a quarter-screen column cramps the views: the
            # panels start hidden there (F9 / View > Panels shows them). Hidden before the type
            # grows: under a window manager a window whose minimum outgrows the screen is not
            # made full screen, and its transient size became the "normal" one
            full = self.screen().geometry().width() if self.screen() else self.width()
            if full < PRESENTATION_PANELS_MIN_WIDTH:
                self.set_panels_visible(False)
            self.tm.set(theme="light", presentation=True)
            self.showFullScreen()
            self.resizeDocks([self._main_dock()], [self.presentation_column_width()], Qt.Horizontal)
        elif not on and self.tm.presentation:
            theme, state, maxed, geometry = self._pre_presentation or ("light", None, False, None)
            rect = getattr(self, "_pre_presentation_rect", None)
            self.tm.set(theme=theme, presentation=False)
            if maxed:
                self.showMaximized()
            else:
                self.showNormal()
                if rect is not None:
                    self.setGeometry(rect)
            if state is not None:
                self.restoreState(state)
            else:
                self.set_panels_visible(True)
            if rect is not None and not maxed:
                # a window manager leaves full screen when it gets to it, and may hand back
                # the size the window had while the type grew: once it has, put ours back.
                # (the window's own rectangle, not restoreGeometry(): that placed the frame
                # where the full-screen window had none, 5 px lower under openbox)
                QTimer.singleShot(300, self, lambda: self._restore_normal_geometry(rect))
        self.act_present.setChecked(self.tm.presentation)
        self._sync_panels_action()

    def presentation_column_width(self, screen_width: int | None = None) -> int:
        """The panel column's width in presentation mode: the centre view gets most of the
        screen, the panels a quarter of it, but never less than the widest panel needs with
        its words whole (the GAN's Model panel, in presentation type, on a 1600-px screen),
        up to a third of the screen."""
        if screen_width is None:
            screen_width = (self.screen().availableGeometry() if self.screen() else self.geometry()).width()
        need = 0
        for dock in self.docks.values():
            scroll = dock.widget()
            # the dock's frame and the scroll area's around the panel
            need = max(need, scroll.widget().minimumSizeHint().width() + 2 * scroll.frameWidth() + 4)
        return max(int(0.25 * screen_width), int(290 * self.tm.scale), min(need, screen_width // 3))

    def _refit_after_restyle(self) -> None:
        """A theme or type change moves the panels' needs (presentation type, a style sheet's
        padding): in presentation mode the column takes the width they now need; stacked
        panels are re-shared if one now scrolls."""
        if self.tm.presentation and self.isVisible() and self.panels_visible():
            # full screen by now: the window's width is the screen's
            self.resizeDocks([self._main_dock()], [self.presentation_column_width(self.width())], Qt.Horizontal)
        self._refit_if_scrolling()

    def _restore_normal_geometry(self, rect) -> None:
        if not self.tm.presentation and not self.isFullScreen() and not self.isMaximized():
            if self.geometry() != rect:
                self.setGeometry(rect)
            QTimer.singleShot(0, self, self._refit_if_scrolling)

    def normal_layout(self):
        """(geometry, dock state) of the normal window: while presenting, the ones it had before,
        so that quitting in presentation mode never saves the full-screen layout as the next
        start's (that left the Data panel with a blank gap and the others scrolling)."""
        if self.tm.presentation and self._pre_presentation is not None:
            _theme, state, _maxed, geometry = self._pre_presentation
            if geometry is not None and state is not None:
                return geometry, state
        return self.saveGeometry(), self.saveState()

    def panels_visible(self) -> bool:
        return any(not d.isHidden() for d in self.docks.values())

    def set_panels_visible(self, on: bool | None = None) -> None:
        """F9: hide the panel column (the views get the whole width) or show it again;
        None toggles."""
        on = (not self.panels_visible()) if on is None else bool(on)
        for dock in self.docks.values():
            dock.setVisible(on)
        if on and self.tm.presentation:
            self._main_dock().raise_()
        self._sync_panels_action()

    def _sync_panels_action(self) -> None:
        if hasattr(self, "act_panels"):
            self.act_panels.setChecked(self.panels_visible())

    def _initial_size(self) -> None:
        """90% of the screen, at least 1280x720 where the screen has room, never larger than
        the screen's free area (the status bar stays on screen on a 1280x720 display), centred."""
        screen = QApplication.primaryScreen()
        if screen is None:
            self.resize(1280, 720)
            return
        avail = screen.availableGeometry()
        frame = 32            # a title bar the window manager adds above the window's own area
        w = min(avail.width(), max(1280, int(avail.width() * 0.9)))
        h = min(avail.height() - frame, max(720, int(avail.height() * 0.9)))
        self.resize(w, h)
        self._initial_wanted = self.size()
        self._initial_full_height = h == avail.height() - frame
        self.move(avail.x() + (avail.width() - w) // 2, avail.y() + max(0, (avail.height() - h - frame) // 2))

    def _fit_frame_to_screen(self) -> None:
        """Once the window manager has framed the window: size and move it so that the frame
        lies on the screen (a 1280-px window got a 1282-px frame, and coming back from full
        screen Qt moved it to make it fit), using the whole height where the first size took
        all of it but a guessed title bar (each pixel counts for the panels at 720 lines)."""
        if self.isFullScreen() or self.isMaximized() or self.screen() is None \
                or self.size() != getattr(self, "_initial_wanted", None):
            return      # sized by the person (or a test), not by _initial_size: theirs to keep
        avail = self.screen().availableGeometry()
        frame, inner = self.frameGeometry(), self.geometry()
        dw, dh = max(0, frame.width() - avail.width()), max(0, frame.height() - avail.height())
        if getattr(self, "_initial_full_height", False):
            dh = frame.height() - avail.height()   # the screen's whole height: the frame was a guess
        if dw or dh:
            self.resize(inner.width() - dw, inner.height() - dh)
            frame = self.frameGeometry()
            self._refit_soon()
        x = min(max(frame.x(), avail.x()), avail.x() + avail.width() - frame.width())
        y = min(max(frame.y(), avail.y()), avail.y() + avail.height() - frame.height())
        if (x, y) != (frame.x(), frame.y()):
            self.move(x, y)

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
            # too short for every panel whole (1280x720 under a window manager's title bar):
            # the first ones whole and the last (the Training panel's advanced rows) scrolls;
            # left to the dock state, two panels scrolled beside a blank gap
            last = avail - sum(mins[:-1])
            if last >= chrome[-1] + 60:
                self.resizeDocks(docks, mins[:-1] + [last], Qt.Vertical)
            return False
        extra = avail - sum(mins)
        want = [h - m for h, m in zip(hints, mins)]
        total = sum(want) or 1
        sizes = [m + min(w, extra * w // total) for m, w in zip(mins, want)]
        sizes[-1] += avail - sum(sizes)
        self.resizeDocks(docks, sizes, Qt.Vertical)
        return True

    def _restyle(self) -> None:
        t = self.tm.theme
        self.act_light.setChecked(t.name == "light")
        self.act_dark.setChecked(t.name == "dark")
        s = self.tm.scale
        err = "#ff7070" if t.dark else "#b00000"     # red that reads on the theme's background
        self.training_panel.set_error_color(err)
        self.workspace.restyle()
        self.notice.error_color = err
        self.notice.show_step(self.notice.current())
        for dock in self.docks.values():
            # the views must not squeeze the panels narrower than their controls
            # (in presentation mode the panels are tabs in a narrower column: the view gets the room)
            dock.setMinimumWidth(int((290 if self.tm.presentation else 350) * s))
            dock.setStyleSheet(
                f"QDockWidget {{ font-weight: bold; font-size: {self.tm.font_pt('body'):.1f}pt; }}"
                f"QDockWidget::title {{ background: {t.button}; padding: 0px {int(6 * s)}px; }}")
        self.notice.setStyleSheet(
            f"#noticeStrip {{ background: {t.base}; border: 1px solid {t.grid}; border-radius: 4px; }}")
        # the notes' text in the equation type, smaller (down to the body type) where a step
        # would not fit the capped strip: three lines in presentation type at 720 were cut
        big, body = self.tm.font("equation"), self.tm.font("body")
        fonts = [big]
        for k in (1, 2, 3):
            f = self.tm.font("equation")
            f.setPointSizeF(big.pointSizeF() + (body.pointSizeF() - big.pointSizeF()) * k / 3)
            fonts.append(f)
        self.notice.set_fonts(fonts)
        self.notice.title.setFont(self.tm.font("title", bold=True))
        # the notes never take more than a seventh of the window's height: on a 720-line
        # projector in presentation mode they crushed the views (the Gates heatmaps)
        cap = max(int(64 * s), int(self.height() / 7)) if self.height() > 0 else int(120 * s)
        self.notice.setMaximumHeight(min(int(120 * s), cap))
        self.notice.setMinimumHeight(min(int(64 * s), cap))
        big = self.tm.font("body", bold=True)
        self.status_state.setFont(big)
        for w in (self.status_progress, self.status_speed, self.status_device, self.status_metrics):
            w.setFont(self.tm.font("body"))
        self.toolbar.setIconSize(self._icon_size())
        self._fit_toolbar()
        self._update_status()
        # once the panels have measured their words in the new type (see SpecPanel.changeEvent)
        QTimer.singleShot(0, self, self._refit_after_restyle)

    def _icon_size(self):
        from PySide6.QtCore import QSize

        px = int(20 * self.tm.scale)
        return QSize(px, px)


__all__ = ["Presentation", "PRESENTATION_PANELS_MIN_WIDTH"]
