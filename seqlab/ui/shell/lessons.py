"""Lessons in the window: the Lesson box, filling the panels, "what to notice" per view."""

from __future__ import annotations

from seqlab.core.registry import lessons
from seqlab.core.spec import ExperimentSpec


class LessonControl:
    """Mixin of MainWindow."""

    def _on_lesson_box(self, _i: int) -> None:
        name = self.lesson_box.currentData()
        if name is None:
            self.open_free_lab()
        else:
            self.open_lesson(name)

    def open_lesson(self, name: str) -> None:
        """Fill the panels from a lesson, open its first view and show its notes."""
        lesson = lessons()[name]
        self._changed_banner = False
        self.lesson = lesson
        self._lesson_specs = lesson.specs()
        self._lesson_first = self._lesson_specs[0][1].to_dict()
        self.set_spec(self._lesson_specs[0][1])
        self.lesson_box.setCurrentIndex(self.lesson_box.findData(name))
        self.setWindowTitle(f"SeqLab — {lesson.title}")
        self.notice.set_banner("")
        self.notice.set_steps(lesson.notes(self._lesson_specs), "What to notice")
        self._select_view(lesson.views[0])
        self.prefs.store.setValue("lesson/last", name)
        self.act_reset_lesson.setEnabled(False)
        self._refit_soon()

    def open_free_lab(self) -> None:
        if self.lesson is not None:
            self.lesson_box.setItemText(self.lesson_box.findData(self.lesson.name), self.lesson.title)
        self.lesson = None
        self._lesson_specs, self._lesson_first = [], None
        self._changed_banner = False
        self.notice.set_banner("")
        self.lesson_box.setCurrentIndex(0)
        self.act_reset_lesson.setEnabled(False)
        self.setWindowTitle("SeqLab")
        self._show_view_notes(self.current_view())

    def _show_view_notes(self, key: str) -> None:
        title = self.view_title(key)
        if self.lesson is None:
            notes = self.LOSS_NOTES if key == "loss" else self.workspace.view_notes.get(key, [])
            self.notice.set_steps(notes, f"{title}: what to notice")
            return
        # a lesson step about this view ("Open <b>Gates</b> ...") comes forward when it opens
        tag = f"<b>{title}</b>"
        for i, text in enumerate(self.notice.steps()):
            if tag in text and i != self.notice.current():
                self.notice.show_step(i)
                break

    def _lesson_unchanged(self) -> bool:
        """The panels hold the lesson's first experiment, as the lesson set it."""
        return self._lesson_match() == 0

    def _lesson_match(self) -> int | None:
        """Which of the lesson's experiments the panels hold (None: none, or no lesson)."""
        if self.lesson is None or not self._lesson_specs:
            return None
        try:
            now = ExperimentSpec.from_dict(self.spec_dict()).to_dict()
        except ValueError:
            return None
        for i, (_label, spec) in enumerate(self._lesson_specs):
            if {**now, "name": spec.name} == spec.to_dict():
                return i
        return None

    def follow_panels(self) -> None:
        """Title, Lesson box and notes follow what the panels build: when they no longer hold
        the lesson's experiment, say so (its notes describe the lesson's model)."""
        if self.lesson is None:
            spec = self.current_spec()
            self.setWindowTitle("SeqLab" + (f" — {self.workspace.family.label(spec)}" if spec else ""))
            return
        i = self.lesson_box.findData(self.lesson.name)
        match = self._lesson_match()
        if match is not None:
            self.setWindowTitle(f"SeqLab — {self.lesson.title}")
            self.lesson_box.setItemText(i, self.lesson.title)
            if self._changed_banner:
                self._changed_banner = False
                self.notice.set_banner("")
            self.act_reset_lesson.setEnabled(False)
            return
        spec = self.current_spec()
        built = self.workspace.family.label(spec) if spec is not None else "your changes"
        self.setWindowTitle(f"SeqLab — {built} (changed from the lesson)")
        self.lesson_box.setItemText(i, f"{self.lesson.title} (changed)")
        self.act_reset_lesson.setEnabled(True)
        if not self._changed_banner:
            self._changed_banner = True
            self.notice.set_banner(
                f"You changed the lesson's settings: these notes describe {self._lesson_specs[0][0]}. "
                f"Lessons ▸ Reset to the lesson's values brings them back.")

    def reset_lesson(self) -> None:
        """Put the lesson's own values back in every panel."""
        if self.lesson is not None and self._lesson_specs:
            self.set_spec(self._lesson_specs[0][1])
            self.follow_panels()


__all__ = ["LessonControl"]
