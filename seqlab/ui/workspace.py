"""A family's workspace: the panels and views the shell shows while that family is chosen.

The shell (``main_window.py`` and ``ui/shell/``) owns what every family shares: the run
controls, the Training panel, the Loss view, the notice strip, files, presentation mode and
the status bar. A family's ``Family.workspace`` names a :class:`Workspace` subclass that
supplies the rest (napari's layer-to-controls registry; Orange's widget metadata):

- ``panels()``: its spec panels (``data``, ``model``), each a ``SpecPanel``;
- ``views()``: its views by key, with titles, and ``view_notes`` (what to notice in each);
- ``demand(view)``: the snapshot kinds a view draws (the worker computes only those);
- ``on_snapshot(run_id, kind, payload)``: live data arrives (draw it within a budget);
- ``on_run_started`` / ``on_rows`` / ``on_opened``: the generic run events it cares about;
- ``curves(view)`` / ``export_targets(view)``: the numbers and plots behind a view, for export.

The shell never reaches into a workspace's widgets, and the workspace never into the
worker: it asks the bridge for snapshots by kind and sample.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget


class Workspace(QObject):
    """Base class: a workspace with no panels and no views of its own."""

    changed = Signal()               # a panel value changed
    message = Signal(str, str)       # title, text: a message for the shell to show
    status_note = Signal(str)        # a short note for the status bar

    def __init__(self, family: Any, bridge: Any, theme: Any, prefs: Any, budget: Any,
                 parent: QObject | None = None):
        super().__init__(parent)
        self.family = family          # the Family (its name, label(), sections ...)
        self.bridge = bridge          # the WorkerBridge (set_demand, select_sample ...)
        self.tm = theme
        self.prefs = prefs
        self.budget = budget          # make(share, min_s, max_s, fn) -> a RedrawBudget
        self.runs = None              # the shell's RunStore: every run's logged rows, held once
        self.view_notes: dict[str, list[str]] = {}

    # -- what the shell lays out --------------------------------------------------------
    def panels(self) -> list[tuple[str, str, QWidget]]:
        """(key, title, SpecPanel) for the family's sections, in the order shown."""
        return []

    def views(self) -> dict[str, tuple[str, QWidget]]:
        """Views by key: (tab title, widget)."""
        return {}

    def below_view(self, view: str) -> QWidget | None:
        """A row shown under the view (a timeline), or None."""
        return None

    # -- the spec -----------------------------------------------------------------------
    def section_values(self) -> dict[str, dict]:
        return {k: p.values() for k, _t, p in self.panels()}

    def set_sections(self, spec: Any) -> None:
        d = spec.to_dict()
        for key, _title, panel in self.panels():
            panel.set_values(d[key])

    def panel_for(self, path: str):
        """The panel that edits the field at `path` ('model.hidden_size'), or None."""
        head = path.split(".", 1)[0]
        return next((p for k, _t, p in self.panels() if k == head), None)

    # -- live data ----------------------------------------------------------------------
    def demand(self, view: str) -> set[str]:
        """The snapshot kinds `view` draws while it is visible."""
        return set()

    def on_run_started(self, run_id: int, info: dict) -> None: ...
    def on_rows(self, run_id: int, rows: list) -> None: ...
    def on_validation(self, run_id: int, metrics: dict) -> None: ...   # {'step', 'epoch', 'val_loss', ...}
    def on_snapshot(self, run_id: int, kind: str, payload: Any) -> None: ...
    def on_opened(self, run_id: int, label: str, d: dict) -> None: ...
    def on_run_removed(self, run_id: int) -> None: ...
    def on_run_renamed(self, run_id: int, label: str) -> None: ...
    def on_view_shown(self, view: str) -> None: ...
    def set_clipping(self, norm: float | None) -> None: ...

    def flush(self) -> None:
        """Draw what is pending now, whatever the budget (a single step, a run's end)."""

    # -- export -------------------------------------------------------------------------
    def curves(self, view: str) -> dict[str, Any]:
        """Columns of numbers behind `view` (name -> 1-D array), for CSV export."""
        w = self.views().get(view, (None, None))[1]
        return w.curves() if w is not None and hasattr(w, "curves") else {}

    def export_targets(self, view: str) -> dict[str, Any]:
        w = self.views().get(view, (None, None))[1]
        return w.export_targets() if w is not None and hasattr(w, "export_targets") else {}

    def restyle(self) -> None: ...

    def shutdown(self) -> None:
        """The window closes: stop animations, keep preferences."""


__all__ = ["Workspace"]
