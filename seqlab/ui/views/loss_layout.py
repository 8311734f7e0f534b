"""How the Loss view shares its room (a mixin of :class:`~seqlab.ui.views.loss_view.LossView`).

The run table stands beside the plots where there is room for all its columns and plots twice
as wide, else below them, as tall as its rows (a third of the view at most, less where the
plots would become unreadable: it scrolls). With accuracy logged, the accuracy plot stands
under the loss plot, sharing its step axis, where both can be read; on a wide, short view
(presentation type on a 720-line projector) the two stand side by side. The accuracy axis
keeps room for its 0 and 1, and the legend keeps clear of the curves: in a free corner, else
in a row under the plot, with one entry a run where the plot is small.
"""

from __future__ import annotations

import re

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetricsF
from PySide6.QtWidgets import QBoxLayout

from seqlab.ui.views.loss_curves import legend_texts, loss_items
from seqlab.ui.views.loss_parts import SpacedAxis, place_legend, place_line_label

__all__ = ["LossArrangement", "SIDE_MIN_W", "LOSS_OVER_ACC", "LEGEND_BELOW"]

#: the least width of each plot when loss and accuracy stand side by side (times the type scale)
SIDE_MIN_W = 360
#: stacked, the loss plot's data area is at least this many times the accuracy plot's least
LOSS_OVER_ACC = 1.6
#: the most of the loss plot's height a legend row under it may take
LEGEND_BELOW = 0.35
_QT_MAX = 16777215
_TAG = re.compile(r"<[^>]+>")


def _axis_room(ax) -> float:
    """The width a vertical axis needs for the tick labels of its current range and its title."""
    vb = ax.linkedView()
    if vb is None or vb.height() <= 0:
        return 0.0
    lo, hi = vb.viewRange()[1]
    fm = QFontMetricsF(ax.style.get("tickFont") or ax.font())
    text = 0.0
    for spacing, values in ax.tickValues(lo, hi, vb.height()):
        for label in ax.tickStrings(values, ax.autoSIPrefixScale * ax.scale, spacing):
            text = max(text, fm.horizontalAdvance(label))
    label_w = ax.label.boundingRect().height() * 0.8 if ax.label.isVisible() else 0.0
    return text + ax.style["tickTextOffset"][0] + max(0, ax.style["tickLength"]) + label_w + 2


class LossArrangement:
    """The Loss view's layout and legend placement; the view provides the widgets
    (``splitter``, ``table``, ``loss_plot``, ``acc_plot``, ``legend`` ...)."""

    def _arrange(self) -> None:
        """The table beside the plots when there is room for all its columns and plots twice
        as wide, otherwise below them (a 1280 x 720 projector), as tall as its rows up to a
        third of the view, and shorter still (it scrolls) where the plots would be unreadable."""
        need_w, need_h = self.table.needed_size()
        total_w, total_h = self.splitter.width(), self.splitter.height()
        if total_w <= 0 or total_h <= 0:
            return
        gap = self.splitter.handleWidth()
        if total_w >= 3 * need_w:
            if self.splitter.orientation() != Qt.Horizontal:
                self.splitter.setOrientation(Qt.Horizontal)
            self.table.setMaximumHeight(need_h)
            self.splitter.setSizes([total_w - need_w, need_w])
            self._arrange_plots(total_w - need_w - gap, total_h)
            return
        if self.splitter.orientation() != Qt.Vertical:
            self.splitter.setOrientation(Qt.Vertical)
        self.table.setMaximumHeight(_QT_MAX)
        th = min(need_h, int(total_h * 0.35))
        least = self._arrange_plots(total_w, total_h - th - gap)
        if total_h - th - gap < least:
            th = max(total_h - gap - least, self.table.needed_size(rows=1)[1])
            self._arrange_plots(total_w, total_h - th - gap)
        self.splitter.setSizes([total_h - th, th])

    def _chrome(self) -> dict[str, float]:
        """Heights in pixels, from the theme's type: a plot's title, an axis of numbers, one
        of numbers and its label, and the least data height that shows accuracy readably
        (its axis label whole, 0, 0.5 and 1 apart)."""
        tm = self._tm
        line = lambda role: QFontMetricsF(tm.font(role)).height()   # noqa: E731
        ticks = line("tick") + 12 * tm.scale
        label = QFontMetricsF(tm.font("label")).horizontalAdvance("accuracy") + 14 * tm.scale
        return {"title": line("title") * 1.35 + 4, "ticks": ticks, "axis": ticks + line("label"),
                "acc": max(label, 3.4 * SpacedAxis.GAP * line("tick"))}

    def _arrange_plots(self, w: int, h: int) -> int:
        """Accuracy under the loss plot (sharing its step axis, so the loss plot drops its
        own axis title) or, where that leaves either unreadable and the view is wide, side
        by side. Returns the least height the plots need."""
        least = self._share_plots(w, h)
        self._align_axes()
        return least

    def _share_plots(self, w: int, h: int) -> int:
        c = self._chrome()
        if not self._has_acc:
            self._set_side(False, stacked=False)
            return int(c["title"] + c["axis"] + LOSS_OVER_ACC * c["acc"])
        room = h - c["title"] - c["ticks"] - c["axis"] - 2
        side = room < (1 + LOSS_OVER_ACC) * c["acc"] and w >= 2 * SIDE_MIN_W * self._tm.scale
        self._set_side(side, stacked=not side)
        if side:
            self._plots_box.setStretch(0, 1)
            self._plots_box.setStretch(1, 1)
            return int(c["title"] + c["axis"] + c["acc"])
        acc = max(c["acc"], 0.25 * room) + c["axis"]
        self._plots_box.setStretch(0, max(1, int(h - acc)))
        self._plots_box.setStretch(1, max(1, int(acc)))
        return int(c["title"] + c["ticks"] + c["axis"] + (1 + LOSS_OVER_ACC) * c["acc"] + 2)

    def _set_side(self, side: bool, stacked: bool) -> None:
        if side != self._side:
            self._side = side
            self._plots_box.setDirection(QBoxLayout.LeftToRight if side else QBoxLayout.TopToBottom)
            self._align_axes()
        tm = self._tm
        # beside the loss plot, the accuracy plot has a title of its own, level with it
        title = ("Accuracy (higher is better)" if side else None, tm.theme.text, tm.font_pt("title"))
        if title != self._acc_title:
            self._acc_title = title
            self.acc_plot.setTitle(title[0], color=title[1], size=f"{title[2]:.1f}pt", bold=True)
        # under it, the accuracy plot's step axis serves both
        ax = self.loss_plot.getAxis("bottom")
        if ax.label.isVisible() == stacked:
            ax.showLabel(not stacked)

    def is_side_by_side(self) -> bool:
        """True where the accuracy plot stands beside the loss plot (else under it)."""
        return self._side

    def _align_axes(self, *_args) -> None:
        """Stacked, the two plots' value axes are as wide as the wider one's labels need, so
        their data areas line up (the loss plot's '0.01' made it wider than the '0.5' under it)."""
        axes = (self.loss_plot.getAxis("left"), self.acc_plot.getAxis("left"))
        if self._side or not self._has_acc:
            for ax in axes:
                if ax.fixedWidth is not None:
                    ax.setWidth(None)
            return
        w = max(_axis_room(ax) for ax in axes)
        for ax in axes:
            if ax.fixedWidth is None or abs(ax.fixedWidth - w) > 0.5:
                ax.setWidth(w)

    def _fit_acc_range(self, *_args) -> None:
        """0 to 1 with room at both ends for half a line of tick text: pyqtgraph leaves out a
        tick label that would stick out of the plot, so '0' and '1' were never written."""
        h = self.acc_plot.getViewBox().height()
        if h <= 0:
            return
        line = self.acc_plot.getAxis("left").tick_line()
        pad = min(0.25, max(0.02, (0.45 * line + 2) / h))
        self.acc_plot.getViewBox().setLimits(yMin=-pad - 0.01, yMax=1 + pad + 0.01)
        self.acc_plot.setYRange(-pad, 1 + pad, padding=0)

    def _place_legend(self) -> None:
        """The legend in a corner free of curves, else in a row under the plot; on a plot too
        small for every entry (beside the accuracy plot on a 720-line projector), one entry
        a run, the caption saying which line is which."""
        compact = self._legend_too_big()
        if compact != self._compact:
            self._compact = compact
            self.restyle_runs()
        curves = [it for r in self._runs.values() for it in loss_items(r)]
        place_line_label(self.baseline_line, self.loss_plot, curves)     # before the legend, which avoids it
        place_legend(self.legend, self.loss_plot, curves, avoid=[self.baseline_line.label],
                     lines=[self.baseline_line], margin=self.legend.margin, below=LEGEND_BELOW)

    def _legend_too_big(self) -> bool:
        """The full legend (each curve of the latest run, each earlier run) would take more
        than half the plot's width or a fifth of its area."""
        latest = self.current_run()
        texts = [t for rid, r in self._runs.items() for t in legend_texts(r, rid == latest).values()]
        vb = self.loss_plot.getViewBox()
        if not texts or vb.width() <= 0:
            return self._compact
        fm = QFontMetricsF(self._tm.font("label"))
        # measured as shown: a curve's name may be rich text (J<sub>D</sub> is two letters)
        w = max(fm.horizontalAdvance(_TAG.sub("", t)) for t in texts) + 50
        h = len(texts) * fm.height() * 1.45 + 18
        box_h = vb.height() + (self.legend.height() + self.legend.margin if self.legend.below else 0)
        return w > 0.5 * vb.width() or w * h > 0.2 * vb.width() * box_h
