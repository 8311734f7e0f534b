"""What the hidden-state and gates views share: a theme, a timeline (their own or one shared
between views), a "Layer" chooser with a line of information beside it, and the layout that
puts that row above the view's body and the view's own timeline below it."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from seqlab.families.recurrent.ui.views.trace_data import TraceData
from seqlab.ui.theme import ThemeManager, theme_manager
from seqlab.ui.widgets.timeline import TimelineScrubber


class TraceView(QWidget):
    """Base of the views that draw one probed sequence through time."""

    selectionChanged = Signal(int, int)  # unit, t (0-based), after a click

    def __init__(self, parent: QWidget | None, *, timeline: TimelineScrubber | None,
                 theme: ThemeManager | None, layer_tip: str, info: str = ""):
        super().__init__(parent)
        self._tm = theme or theme_manager()
        self._data: TraceData | None = None
        self._unit = 0
        self._own_timeline = timeline is None
        self.timeline = timeline or TimelineScrubber(self, theme=self._tm)
        self.timeline.timeChanged.connect(self._on_time)
        self._layer_label = QLabel("Layer", self)
        self.layer_box = QComboBox(self)
        self.layer_box.setToolTip(layer_tip)
        self.layer_box.currentIndexChanged.connect(self._on_layer_box)
        self._info = QLabel(info, self)
        # a hint, cut where the row is short of room: its natural width (wider still in
        # presentation type) made the view, and so the window, wider than a 1280-px screen
        self._info.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Preferred)
        self._info.setToolTip(info)
        self._top = QHBoxLayout()
        self._top.addWidget(self._layer_label)
        self._top.addWidget(self.layer_box)
        self._top.addSpacing(16)
        self._top.addWidget(self._info, 1)

    def _finish_layout(self, body) -> None:
        """Lay out: the Layer row, the body (a layout or a widget, stretched), the own timeline."""
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addLayout(self._top)
        if isinstance(body, QWidget):
            lay.addWidget(body, 1)
        else:
            lay.addLayout(body, 1)
        if self._own_timeline:
            lay.addWidget(self.timeline)
        self._tm.changed.connect(self.restyle)

    # -- what subclasses provide ---------------------------------------------------------
    def _on_time(self, t: int) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def _on_layer_box(self, i: int) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def restyle(self) -> None:  # pragma: no cover - overridden
        raise NotImplementedError


__all__ = ["TraceView"]
