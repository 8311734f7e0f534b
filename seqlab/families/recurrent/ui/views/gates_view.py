"""Gates through time: one heatmap per gate (units x time) for a chosen layer and direction,
and the live cell diagram of the selected unit at the current step.

Where the view is short (presentation type on a 1280x720 projector), or narrow in presentation
type, the heatmaps and the cell take turns, switched by the Heatmaps / Cell buttons (a click on a heatmap opens the cell):
side by side, the six heatmaps got 3.6 % of the window and the equations scrolled.

LSTM: f, i, c~ (candidate, PyTorch's g), o, the cell state c and h.  GRU, in the course's
symbols: r, u (= 1 - z, PyTorch's z) and c~ (PyTorch's n), and h.  RNN: h.  Sigmoid gates
use fixed levels 0..1, tanh values -1..1, and the unbounded cell state a round symmetric
range that only grows while the same kind of model is shown, so a colour keeps its meaning.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QGridLayout, QSplitter, QWidget

from seqlab.families.recurrent.ui.views.trace_view import TraceView
from seqlab.ui.theme import ThemeManager
from seqlab.families.recurrent.ui.views.cell_diagram import CellDiagram
from seqlab.families.recurrent.ui.views.part_switch import PartSwitch
from seqlab.ui.views.heatmap import Heatmap
from seqlab.families.recurrent.cells import SHOWN, SYMBOLS
from seqlab.families.recurrent.ui.views.trace_data import TraceData
from seqlab.ui.widgets.timeline import TimelineScrubber

__all__ = ["GatesView", "SHOWN"]

_SLOTS = 6

_LABELS = {"gate": "gate value", "signed": "value"}

#: below this height (times the type scale) the heatmaps and the cell take turns; the normal
#: window at 1280x720 (about 470 px) keeps them side by side, presentation type there does not
COMPACT_BELOW = 420
#: in presentation type they take turns in a view narrower than this too (times the scale):
#: beside the panels on a 1920x1080 projector each heatmap was a 110-px stamp
COMPACT_NARROWER = 1000


class GatesView(TraceView):
    """Gate heatmaps for one layer/direction, the cell diagram, and one shared timeline.

    Click a heatmap cell to select that unit and step.  ``selectionChanged(unit, t)`` is
    emitted after a click.  Pass ``timeline`` to share a scrubber between views.
    """

    def __init__(self, parent: QWidget | None = None, *,
                 timeline: TimelineScrubber | None = None,
                 theme: ThemeManager | None = None):
        super().__init__(parent, timeline=timeline, theme=theme,
                         layer_tip="Which layer (and direction) to show",
                         info="Click a cell to explain that unit at that step")
        self._row = 0
        self._c_range = 1.0
        self._cols = 0

        # a fixed set of heatmap slots, re-labelled when the cell type changes
        self._keys: tuple[str, ...] = ()
        self._grid_host = QWidget(self)
        self._grid = QGridLayout(self._grid_host)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setSpacing(4)
        self._grid_host.installEventFilter(self)
        # children of the grid from the start: a parentless widget shown would become a
        # window of its own, and reparenting it later would hide it
        self._slots = [Heatmap(parent=self._grid_host, theme=self._tm) for _ in range(_SLOTS)]
        for hm in self._slots:
            hm.cellClicked.connect(self._on_click)
            # a little less than a heatmap's own minimum: three rows of them must not make
            # the window taller than a 720-line screen before the view can turn compact
            hm.setMinimumSize(140, 80)
            hm.hide()

        self.diagram = CellDiagram(theme=self._tm)
        self.diagram.titleChanged.connect(self._on_cell_title)
        self._hint = self._info.text()
        self._split = QSplitter(Qt.Horizontal, self)
        self._split.addWidget(self._grid_host)
        self._split.addWidget(self.diagram)
        self._split.setStretchFactor(0, 1)
        self._split.setStretchFactor(1, 1)
        self._split.setChildrenCollapsible(False)
        self._split_sized = False

        # compact: the heatmaps or the cell, chosen here (shown only where they take turns)
        self._compact = False
        self._part = "heatmaps"
        self._parts = PartSwitch((("heatmaps", "Heatmaps", "The gates of every unit through time"),
                                  ("cell", "Cell", "The selected unit's cell with its equations")), self)
        self._parts.chosen.connect(self.show_part)
        self._parts.hide()
        self._top.addWidget(self._parts)

        self._finish_layout(self._split)

        self.setFocusPolicy(Qt.StrongFocus)
        self.restyle()

    # --- public API ---------------------------------------------------------------------
    @property
    def heatmaps(self) -> dict[str, Heatmap]:
        """The heatmaps shown, by course symbol ('f', 'i', 'g', 'o', 'c' / 'r', 'u', 'n',
        'h' / 'h')."""
        return {k: self._slots[i] for i, k in enumerate(self._keys)}

    def set_trace(self, trace: dict[str, np.ndarray], x: np.ndarray, cell: str,
                  num_layers: int, bidirectional: bool, *, weights=None,
                  nonlinearity: str = "tanh") -> None:
        """Show a new trace; keeps the layer, unit and time when they are still valid."""
        td = TraceData.build(trace, x, cell, num_layers, bidirectional, weights, nonlinearity)
        old = self._data
        structure_changed = (old is None or old.cell != td.cell
                             or old.num_layers != td.num_layers
                             or old.bidirectional != td.bidirectional)
        self._data = td
        if td.cell == "lstm":
            r = td.signed_range("c")
            self._c_range = r if structure_changed else max(self._c_range, r)
        if structure_changed:
            self.layer_box.blockSignals(True)
            self.layer_box.clear()
            for k in range(td.rows):
                self.layer_box.addItem(td.row_name(k).capitalize(), k)
            self._row = min(self._row, td.rows - 1)
            self.layer_box.setCurrentIndex(self._row)
            self.layer_box.blockSignals(False)
            self._layer_label.setText("Layer / direction" if td.bidirectional else "Layer")
            self._configure_slots(td.cell)
        self._unit = min(self._unit, td.H - 1)
        self._fill()
        self.timeline.set_length(td.T)
        self.diagram.set_data(td, c_range=self._c_range)
        self._on_time(self.timeline.time())

    def set_time(self, t: int) -> None:
        """Go to time index ``t`` (0-based): moves the cursors, the timeline and the cell."""
        self.timeline.set_time(t)

    def time(self) -> int:
        return self.timeline.time()

    def set_unit(self, unit: int) -> None:
        """Select unit ``unit`` (0-based): marks it in every heatmap and draws its cell."""
        if self._data is None:
            return
        self._unit = min(max(0, int(unit)), self._data.H - 1)
        for hm in self.heatmaps.values():
            hm.set_unit(self._unit)
        self.diagram.set_selection(unit=self._unit)

    def unit(self) -> int:
        return self._unit

    def set_row(self, row: int) -> None:
        """Show trace row ``row`` (= layer * directions + direction)."""
        self.layer_box.setCurrentIndex(int(row))

    def set_layer(self, layer: int, direction: int = 0) -> None:
        """Show ``layer`` (0-based), direction 0 forward / 1 backward."""
        if self._data is not None:
            self.set_row(self._data.row(layer, direction))

    def row(self) -> int:
        return self._row

    def compact(self) -> bool:
        """True where the heatmaps and the cell take turns (the view is too short for both)."""
        return self._compact

    def show_part(self, part: str) -> None:
        """Compact: show the 'heatmaps' or the 'cell' (side by side both always show)."""
        self._parts.set_part(part)
        self._part = part
        self._apply_compact()

    def part(self) -> str:
        """What shows: 'both' side by side, else 'heatmaps' or 'cell'."""
        return self._part if self._compact else "both"

    def data(self) -> TraceData | None:
        return self._data

    # --- internals ----------------------------------------------------------------------
    def _configure_slots(self, cell: str) -> None:
        self._keys = SHOWN[cell]
        for i, hm in enumerate(self._slots):
            if i < len(self._keys):
                k = self._keys[i]
                title, kind, levels = SYMBOLS[k]
                if k == "c":
                    levels = (-self._c_range, self._c_range)
                # compact: no colour-bar title (the heatmap's own title and the 0..1 / -1..1
                # ticks say it), the room goes to the image
                hm.set_levels(levels, cmap=kind, label="" if self._compact else _LABELS[kind])
                hm.colorbar.axis.showLabel(not self._compact)   # an empty label still took a line
                hm.set_title(title)
        self._cols = 0
        self._reflow(force=True)
        for i, hm in enumerate(self._slots):
            hm.setVisible(i < len(self._keys))

    def _fill(self) -> None:
        td = self._data
        if td is None:
            return
        for k, hm in self.heatmaps.items():
            if k == "c" and hm.levels() != (-self._c_range, self._c_range):
                hm.set_levels((-self._c_range, self._c_range))
            hm.set_data(td.series(k, self._row))
            hm.set_unit(self._unit)
        self.diagram.set_selection(row=self._row, unit=self._unit)

    def _reflow(self, force: bool = False) -> None:
        """Lay the heatmaps out in the grid (columns x rows) that gives each image the most
        room; a one-column stack of six squeezed strips helps nobody."""
        n = len(self._keys)
        if n == 0:
            return
        width, height = self._grid_host.width(), self._grid_host.height()
        if width < 100 or height < 100:
            # not laid out yet: assume two columns, so that a transient one-column layout
            # cannot demand a window taller than the screen
            cols = min(n, 2)
        else:
            s = self._tm.scale
            over_w, over_h = 125 * s, 70 * s  # axes, colour bar, title: not image
            best = None
            for c in range(1, n + 1):
                r = -(-n // c)
                if c > 1 and r * c - n >= c:  # a whole empty row or column
                    continue
                pw = width / c - over_w
                ph = height / r - over_h
                # an image reads best around 1.6:1 (time is long); score its usable size
                score = min(pw, 1.6 * ph) - 0.001 * c
                if best is None or score > best[0]:
                    best = (score, c)
            cols = best[1]
        if cols == self._cols and not force:
            return
        self._cols = cols
        for hm in self._slots:
            self._grid.removeWidget(hm)
        rows = (n + cols - 1) // cols
        for i, k in enumerate(self._keys):
            r, c = divmod(i, cols)
            self._grid.addWidget(self._slots[i], r, c)
            # axis titles once: 'unit' on the first column, 'time step t' on the last row
            last_in_col = r == rows - 1 or i + cols >= n
            self._slots[i].set_axis_labels(left=c == 0, bottom=last_in_col)

    def _update_compact(self) -> None:
        if self.height() < 100:
            return              # not laid out yet
        s = self._tm.scale
        compact = self.height() < COMPACT_BELOW * s or (s > 1 and self.width() < COMPACT_NARROWER * s)
        if compact != self._compact:
            self._compact = compact
            self._apply_compact()
            if self._keys:
                self._configure_slots(self._data.cell if self._data is not None else "lstm")

    def _apply_compact(self) -> None:
        self._parts.setVisible(self._compact)
        cell = self._compact and self._part == "cell"
        self._grid_host.setVisible(not cell)
        self.diagram.setVisible(cell or not self._compact)
        # the cell alone: its title takes the place of the (then useless) click hint, and
        # the line it had goes to the equations
        self.diagram.set_title_shown(not cell)
        self._style_info()
        self._reflow(force=True)

    def _on_cell_title(self, text: str) -> None:
        if self.part() == "cell":
            self._info.setText(text)

    def _style_info(self) -> None:
        tm = self._tm
        cell = self.part() == "cell"
        self._info.setText(self.diagram.title_text() if cell else self._hint)
        self._info.setFont(tm.font("title", bold=True) if cell else tm.font("body"))
        self._info.setStyleSheet(f"color: {tm.theme.text if cell else tm.theme.muted};")

    def resizeEvent(self, ev) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(ev)
        self._update_compact()
        if not self._split_sized and self.width() > 200:
            # first real size: heatmaps and cell share the width evenly
            w = self._split.width()
            self._split.setSizes([round(0.45 * w), w - round(0.45 * w)])
            self._split_sized = True
        self._reflow()

    def showEvent(self, ev) -> None:  # noqa: N802 (Qt override)
        # restyled or resized while another view was shown: lay out for the size it has now
        super().showEvent(ev)
        self._update_compact()
        self._reflow()

    def eventFilter(self, obj, ev) -> bool:  # noqa: N802 (Qt override)
        if obj is self._grid_host and ev.type() == QEvent.Resize:
            self._reflow()
        # a plain False, not super().eventFilter(): returning that bool through PySide6
        # 6.12 corrupts the refcount of False and crashes the interpreter at exit
        return False

    def keyPressEvent(self, ev) -> None:  # noqa: N802 (Qt override)
        """Up/Down choose the unit; Left/Right step through time."""
        k = ev.key()
        if k == Qt.Key_Up:
            self.set_unit(self._unit - 1)
        elif k == Qt.Key_Down:
            self.set_unit(self._unit + 1)
        elif k == Qt.Key_Left:
            self.timeline.step_back()
        elif k == Qt.Key_Right:
            self.timeline.step_forward()
        else:
            super().keyPressEvent(ev)
            return
        ev.accept()

    def _on_time(self, t: int) -> None:
        if self._data is None:
            return
        for hm in self.heatmaps.values():
            hm.set_time(t)
        self.diagram.set_selection(t=t)

    def _on_click(self, unit: int, t: int) -> None:
        self.set_unit(unit)
        self.set_time(t)
        if self._compact:
            self.show_part("cell")       # the click asks for that cell's explanation
        self.setFocus(Qt.MouseFocusReason)
        self.selectionChanged.emit(self._unit, t)

    def _on_layer_box(self, idx: int) -> None:
        if idx < 0:
            return
        self._row = idx
        self._fill()

    def restyle(self) -> None:
        tm = self._tm
        self._layer_label.setFont(tm.font("body", bold=True))
        self.layer_box.setFont(tm.font("body"))
        self._style_info()
        self._parts.set_font(tm.font("body", bold=True))
        self._update_compact()
        self._reflow(force=True)
