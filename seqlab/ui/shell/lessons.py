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
        self._refit_soon()

    def open_free_lab(self) -> None:
        self.lesson = None
        self._lesson_specs, self._lesson_first = [], None
        self.lesson_box.setCurrentIndex(0)
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
        if self.lesson is None or self._lesson_first is None:
            return False
        now = ExperimentSpec.from_dict({**self.spec_dict(), "name": self._lesson_first.get("name", "")}).to_dict()
        first = ExperimentSpec.from_dict(self._lesson_first).to_dict()
        return now == first


__all__ = ["LessonControl"]
