"""The spec editor: the panels' values as one experiment, errors shown beside their field.

The family's panels edit ``data`` and ``model``, the shell's Training panel ``train``. A
spec that cannot be built raises ``SpecError`` with ``path`` (``model.dropout``): the
message goes to the panel of that section, not found by parsing the text.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer

from seqlab.core.spec import ExperimentSpec, SpecError


class SpecEditor:
    """Mixin of MainWindow."""

    def _spec_panels(self) -> list:
        return [p for _k, _t, p in self.workspace.panels()] + [self.training_panel]

    def spec_dict(self) -> dict:
        return {"family": self.workspace.family.name, **self.workspace.section_values(),
                "train": self.training_panel.values()}

    def current_spec(self) -> ExperimentSpec | None:
        """The experiment the panels describe, or None (the panels show what is wrong)."""
        panels = self._spec_panels()
        for p in panels:
            p.set_cross_error("")
        if any(p.field_errors() for p in panels):
            return None
        try:
            d = self.spec_dict()
            match = self._lesson_match()
            if match is not None:          # the lesson's own experiment keeps its name
                d["name"] = self._lesson_specs[match][1].name
            return ExperimentSpec.from_dict(d)
        except SpecError as e:
            self._route_error(e)
            return None

    def _route_error(self, e: SpecError) -> None:
        path = e.path or ""
        panel = self.training_panel if path.startswith("train") else self.workspace.panel_for(path)
        (panel or self.training_panel).set_cross_error(str(e))

    def set_spec(self, spec: ExperimentSpec) -> None:
        """Fill every panel from a spec (showing its family's workspace)."""
        self.set_family(spec.family)
        self.workspace.set_sections(spec)
        self.training_panel.set_values(spec.to_dict()["train"])
        self.current_spec()

    def _errors_text(self) -> str:
        return "\n".join(t for p in self._spec_panels() for t in [p.error_text()] if t)

    def _on_spec_changed(self) -> None:
        """Cross-field checks shown inline, once the person pauses typing."""
        if not hasattr(self, "_check_timer"):
            self._check_timer = QTimer(self)
            self._check_timer.setSingleShot(True)
            self._check_timer.setInterval(200)
            self._check_timer.timeout.connect(self.follow_panels)
        self._check_timer.start()


__all__ = ["SpecEditor"]
