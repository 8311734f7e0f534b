"""How each run's curves are drawn on the Loss view.

A run has four plot items: training and validation loss on the loss plot, training and
validation accuracy on the accuracy plot. The latest run is drawn bold and opaque; earlier
runs stay on the axes, faded and thinner, so an RNN, an LSTM and a GRU trained one after
another can be compared, and the legend names the latest run's two curves and each earlier
run once (or, where the plot is small, each run once: the caption says which line is which). Validation points carry markers until there are so many that they would hide the
training line.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from seqlab.ui.theme import ThemeManager, draw_as_segments
from seqlab.ui.views.loss_runs import LossRun

__all__ = ["MAX_MARKERS", "make_curves", "draw_curves", "style_curves", "remove_curves", "legend_texts"]

#: a validation curve with more points than this is drawn without markers (they would hide the training line)
MAX_MARKERS = 40

_FADED_ALPHA = 140        # of 255: earlier runs step back yet stay visible on a projector
_FADED_WIDTH = 0.65       # times the theme's line width


def make_curves(run: LossRun, loss_plot: pg.PlotItem, acc_plot: pg.PlotItem) -> None:
    """Give ``run`` its four plot items (``run.items``), added to the plots."""
    def item(plot: pg.PlotItem, **kw) -> pg.PlotDataItem:
        it = pg.PlotDataItem(**kw)
        it.setDownsampling(auto=True, method="peak")   # long runs stay cheap to redraw
        it.setClipToView(True)
        plot.addItem(it)
        return it

    run.items["train"] = draw_as_segments(item(loss_plot))      # noisy and solid; validation is dashed
    run.items["val"] = item(loss_plot, symbol="o")
    run.items["train_acc"] = draw_as_segments(item(acc_plot))
    run.items["val_acc"] = item(acc_plot, symbol="o")
    run.drawn = None            # the series' versions the items show (none yet)


def draw_curves(run: LossRun) -> bool:
    """Push the run's kept data into its items; True when a visible validation curve is too
    dense for markers (the caption then says 'dashed' rather than 'dashed with dots').

    A run whose points have not changed since it was last drawn (every finished run while
    another trains) is left as it is: a teacher's ten kept runs cost no more than one."""
    versions = (run.train.version, run.val.version, run.train_acc.version, run.val_acc.version)
    if run.drawn != versions:
        run.drawn = versions
        run.items["train"].setData(run.train.x, run.train.y)
        run.items["val"].setData(run.val.x, run.val.y)
        run.items["train_acc"].setData(run.train_acc.x, run.train_acc.y)
        run.items["val_acc"].setData(run.val_acc.x, run.val_acc.y)
    dense = False
    for key, series in (("val", run.val), ("val_acc", run.val_acc)):
        many = len(series) > MAX_MARKERS
        dense |= many and run.visible
        run.items[key].setSymbol(None if many else "o")
    return dense


def legend_texts(run: LossRun, current: bool, compact: bool = False) -> dict[str, str]:
    """The legend's entries for ``run``, by item: the latest run's two curves and each earlier
    run once, or (``compact``) every run once, by its name alone."""
    if not run.visible:
        return {}
    if compact:
        return {"train": run.label}
    if current:
        return {"train": f"{run.label} — training", "val": f"{run.label} — validation"}
    return {"train": f"{run.label} (earlier run)"}


def style_curves(run: LossRun, tm: ThemeManager, current: bool, legend: pg.LegendItem,
                 compact: bool = False) -> None:
    """Pens of one run (bold and opaque when ``current``, else faded and thin) and its
    legend entries (see :func:`legend_texts`)."""
    color = QColor(tm.series_color(run.color))
    if not current:
        color.setAlpha(_FADED_ALPHA)
    width = tm.width("line") * (1.0 if current else _FADED_WIDTH)
    width = max(width, 1.0)
    train = pg.mkPen(color, width=width)
    val = pg.mkPen(color, width=width, style=Qt.DashLine)
    sym = (8 if current else 5) * tm.scale
    for key, pen in (("train", train), ("train_acc", train), ("val", val), ("val_acc", val)):
        it = run.items[key]
        it.setPen(pen)
        if key.startswith("val"):
            it.setSymbolPen(pg.mkPen(color, width=1))
            it.setSymbolBrush(color)
            it.setSymbolSize(sym)
        it.setZValue(10 if current else 0)
    legend.removeItem(run.items["train"])
    legend.removeItem(run.items["val"])
    for key, text in legend_texts(run, current, compact).items():
        legend.addItem(run.items[key], text)


def remove_curves(run: LossRun, loss_plot: pg.PlotItem, acc_plot: pg.PlotItem, legend: pg.LegendItem) -> None:
    """Take the run's items off the plots and the legend."""
    for key, it in run.items.items():
        (acc_plot if "acc" in key else loss_plot).removeItem(it)
        legend.removeItem(it)
