"""Hidden states through time: h of one layer as a units x time heatmap, with the input.

For a bidirectional layer the forward states (reading t = 1 .. T) and the backward states
(reading t = T .. 1) are shown one above the other, and beside them their concatenation
[h→ ; h←], which is what the next layer or the readout reads at each step.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QLabel, QWidget

from seqlab.families.recurrent.ui.views.trace_view import TraceView
from seqlab.ui.theme import ThemeManager
from seqlab.ui.views.heatmap import Heatmap
from seqlab.families.recurrent.ui.views.input_strip import MAX_LINES, InputStrip
from seqlab.families.recurrent.ui.views.trace_data import TraceData, nice_ceil
from seqlab.ui.widgets.timeline import TimelineScrubber

__all__ = ["HiddenStateView"]


class HiddenStateView(TraceView):
    """Heatmap of h (units x time) for a chosen layer, the input x below, and a timeline.

    Pass ``timeline`` to share one scrubber between views (the view then does not show its
    own); otherwise the view makes and shows one, available as :attr:`timeline`.
    """

    def __init__(self, parent: QWidget | None = None, *,
                 timeline: TimelineScrubber | None = None,
                 theme: ThemeManager | None = None):
        super().__init__(parent, timeline=timeline, theme=theme,
                         layer_tip="Which stacked layer's hidden states to show")
        self._layer = 0
        self._h_range = 1.0
        self._info.setTextInteractionFlags(Qt.TextSelectableByMouse)

        mk = dict(levels=(-1.0, 1.0), cmap="signed", theme=self._tm)
        self.forward = Heatmap("h  hidden state", label="h value", **mk)
        self.backward = Heatmap("← backward h", label="h value", **mk)
        self.concat = Heatmap("[h→ ; h←]", label="h value", **mk)
        self.input_strip = InputStrip(theme=self._tm)
        self.input_map = Heatmap("input x", levels=(-1.0, 1.0), cmap="signed",
                                 label="x value", ylabel="feature", theme=self._tm)
        for hm in (self.forward, self.backward, self.concat, self.input_map):
            hm.cellClicked.connect(lambda u, t, hm=hm: self._on_click(hm, u, t))
        # the input under them says "time step t" on the same, aligned axis: once is enough
        for hm in (self.forward, self.backward):
            hm.set_axis_labels(left=True, bottom=False)
        self._concat_note = QLabel(self)
        self._concat_note.setWordWrap(True)
        self._concat_note.setAlignment(Qt.AlignLeft | Qt.AlignTop)

        grid = QGridLayout()
        grid.setSpacing(4)
        grid.addWidget(self.forward, 0, 0)
        grid.addWidget(self.backward, 1, 0)
        grid.addWidget(self.concat, 0, 1, 2, 1)
        grid.addWidget(self.input_strip, 2, 0)
        grid.addWidget(self.input_map, 2, 0)
        grid.addWidget(self._concat_note, 2, 1)
        grid.setRowStretch(0, 3)
        grid.setRowStretch(1, 3)
        grid.setRowStretch(2, 2)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        self._grid = grid

        self._finish_layout(grid)

        self.forward.plot.getViewBox().sigResized.connect(self._align_input)
        self._apply_layout()
        self.restyle()

    # --- public API ---------------------------------------------------------------------
    def set_trace(self, trace: dict[str, np.ndarray], x: np.ndarray, cell: str,
                  num_layers: int, bidirectional: bool, *, weights=None,
                  nonlinearity: str = "tanh") -> None:
        """Show a new trace; keeps the layer, unit and time when they are still valid."""
        td = TraceData.build(trace, x, cell, num_layers, bidirectional, weights, nonlinearity)
        old = self._data
        structure_changed = (old is None or old.num_layers != td.num_layers
                             or old.bidirectional != td.bidirectional or old.cell != td.cell)
        self._data = td
        if td.nonlinearity == "relu" and td.cell == "rnn":
            # relu states are unbounded: a round range that only grows, so colours keep
            # their meaning from one trace to the next
            self._h_range = max(self._h_range if not structure_changed else 1.0,
                                td.signed_range("h"))
        else:
            self._h_range = 1.0
        if structure_changed:
            self.layer_box.blockSignals(True)
            self.layer_box.clear()
            for k in range(td.num_layers):
                extra = " (input side)" if k == 0 and td.num_layers > 1 else (
                    " (top)" if k == td.num_layers - 1 and td.num_layers > 1 else "")
                self.layer_box.addItem(f"{k + 1} of {td.num_layers}{extra}", k)
            self._layer = min(self._layer, td.num_layers - 1)
            self.layer_box.setCurrentIndex(self._layer)
            self.layer_box.blockSignals(False)
            self._apply_layout()
        self._unit = min(self._unit, td.H - 1)
        self._info.setText(f"{td.cell.upper()} · {td.H} units · {td.T} steps"
                           + (" · bidirectional" if td.bidirectional else ""))
        self._info.setToolTip(self._info.text())
        self._fill()
        self.timeline.set_length(td.T)
        self._on_time(self.timeline.time())

    def set_time(self, t: int) -> None:
        """Go to time index ``t`` (0-based); moves every cursor and the shared timeline."""
        self.timeline.set_time(t)

    def time(self) -> int:
        return self.timeline.time()

    def set_layer(self, layer: int) -> None:
        """Show stacked layer ``layer`` (0-based)."""
        self.layer_box.setCurrentIndex(int(layer))

    def layer(self) -> int:
        return self._layer

    def set_unit(self, unit: int) -> None:
        """Mark unit ``unit`` (0-based) in every heatmap."""
        if self._data is None:
            return
        self._unit = min(max(0, int(unit)), self._data.H - 1)
        self._mark_unit()

    def unit(self) -> int:
        return self._unit

    def data(self) -> TraceData | None:
        return self._data

    # --- internals ----------------------------------------------------------------------
    def _fill(self) -> None:
        td = self._data
        if td is None:
            return
        lv = (-self._h_range, self._h_range)
        fwd = td.row(self._layer, 0)
        top = self._layer == td.num_layers - 1
        reader = "the readout" if top else f"layer {self._layer + 2}"
        if td.bidirectional:
            bwd = td.row(self._layer, 1)
            self.forward.set_title(f"h→  forward (reads t = 1 … {td.T})")
            self.backward.set_title(f"h←  backward (reads t = {td.T} … 1)")
            self.backward.set_levels(lv)
            self.backward.set_data(td.trace["h"][bwd])
            both = np.concatenate([td.trace["h"][fwd], td.trace["h"][bwd]], axis=1)
            self.concat.set_title(f"[h→ ; h←]  what {reader} reads")
            self.concat.set_levels(lv)
            self.concat.set_data(both)
            self.concat.set_separators([td.H])
            self._concat_note.setText(
                f"At every step {reader} reads both directions stacked: units 1–{td.H} "
                f"are the forward state h→, units {td.H + 1}–{2 * td.H} the backward state h←.")
        else:
            self.forward.set_title(f"h  hidden state, layer {self._layer + 1}")
        self.forward.set_levels(lv)
        self.forward.set_data(td.trace["h"][fwd])
        F = td.x.shape[1]
        if F > MAX_LINES:
            m = float(np.nanmax(np.abs(td.x))) if td.x.size else 1.0
            r = nice_ceil(m)
            self.input_map.set_levels((-r, r) if float(np.nanmin(td.x)) < 0 else (0.0, r))
            self.input_map.set_left_digits(len(str(td.H)))  # its time axis under h's
            self.input_map.set_data(td.x)
            self.input_map.set_title(f"input x ({F} features)")
        else:
            self.input_strip.set_data(td.x)
        self.input_map.setVisible(F > MAX_LINES)
        self.input_strip.setVisible(0 < F <= MAX_LINES)
        self._align_colorbars()
        self._mark_unit()

    def _align_colorbars(self) -> None:
        column = (self.forward, self.backward, self.input_map)
        w = max(hm.natural_colorbar_width() for hm in column)
        for hm in column:
            hm.set_colorbar_min_width(w)

    def _apply_layout(self) -> None:
        bi = self._data is not None and self._data.bidirectional
        self.backward.setVisible(bi)
        self.concat.setVisible(bi)
        self._concat_note.setVisible(bi)
        self._grid.setColumnStretch(1, 1 if bi else 0)
        self._grid.setRowStretch(1, 3 if bi else 0)  # no empty band where h← would be

    def _mark_unit(self) -> None:
        td = self._data
        if td is None:
            return
        u = self._unit
        self.forward.set_unit(u)
        self.backward.set_unit(u)
        self.concat.set_unit(u)

    def _on_time(self, t: int) -> None:
        if self._data is None:
            return
        for hm in (self.forward, self.backward, self.concat, self.input_map):
            hm.set_time(t)
        self.input_strip.set_time(t)

    def _on_click(self, hm: Heatmap, unit: int, t: int) -> None:
        if self._data is None:
            return
        if hm is not self.input_map:
            self.set_unit(unit % self._data.H)
        self.set_time(t)
        self.selectionChanged.emit(self._unit, t)

    def _on_layer_box(self, idx: int) -> None:
        if idx < 0:
            return
        self._layer = idx
        self._fill()

    def _align_input(self, *_):
        vb = self.forward.plot.getViewBox().sceneBoundingRect()
        w = self.forward.view.width()
        self.input_strip.align_to(vb.left(), w - vb.right())

    def restyle(self) -> None:
        tm = self._tm
        for w in (self._layer_label, self.layer_box, self._info):
            w.setFont(tm.font("body"))
        self._layer_label.setFont(tm.font("body", bold=True))
        self._concat_note.setFont(tm.font("body"))
        self._info.setStyleSheet(f"color: {tm.theme.muted};")
        self._align_colorbars()
        self._concat_note.setStyleSheet(f"color: {tm.theme.text};")
        # the input's line plot keeps room for its title, readable ticks and its time axis: in
        # presentation type at 720 lines it was a 25-px strip with its ticks on each other ...
        self.input_strip.setMinimumHeight(round(125 * tm.scale))
        self.input_map.setMinimumHeight(round(100 * tm.scale))
        # ... and in that type the states above it leave the time steps' numbers to it (the
        # same, aligned axis just below): the room goes to the images
        for hm in (self.forward, self.backward):
            hm.plot.getAxis("bottom").setStyle(showValues=not tm.presentation)
