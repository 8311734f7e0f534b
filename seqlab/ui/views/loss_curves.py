"""How each run's curves are drawn on the Loss view.

A run has a plot item for each curve its family draws (``Family.loss_curves``: training and
validation loss by default, a GAN's J_D and J_G) on the loss plot, and training and validation
accuracy on the accuracy plot. A run keeps one colour; its curves differ by line style. The
latest run is drawn bold and opaque; earlier runs stay on the axes, faded and thinner, so an
RNN, an LSTM and a GRU trained one after another can be compared, and the legend names the
latest run's curves and each earlier run once (or, where the plot is small, each run once: the
caption says which line is which). Validation points carry markers until there are so many
that they would hide the training line.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from seqlab.ui.theme import ThemeManager, draw_as_segments
from seqlab.ui.views.loss_runs import LossRun, curve_key

__all__ = ["MAX_MARKERS", "ACC_KEYS", "make_curves", "draw_curves", "style_curves", "remove_curves",
           "legend_texts", "loss_items", "caption"]

#: a validation curve with more points than this is drawn without markers (they would hide the training line)
MAX_MARKERS = 40

_FADED_ALPHA = 140        # of 255: earlier runs step back yet stay visible on a projector
_FADED_WIDTH = 0.65       # times the theme's line width


#: the pen of each ``LossCurve.style``
_PEN_STYLES = {"solid": Qt.SolidLine, "dashed": Qt.DashLine, "dotted": Qt.DotLine}
#: accuracy items (on the accuracy plot), by key
ACC_KEYS = ("train_acc", "val_acc")


def loss_items(run: LossRun) -> list[pg.PlotDataItem]:
    """The run's items on the loss plot, in its curves' order."""
    return [run.items[curve_key(c)] for c in run.curves]


def make_curves(run: LossRun, loss_plot: pg.PlotItem, acc_plot: pg.PlotItem) -> None:
    """Give ``run`` its plot items (``run.items``): one per curve of its family on the loss
    plot, training and validation accuracy on the accuracy plot."""
    def item(plot: pg.PlotItem, **kw) -> pg.PlotDataItem:
        it = pg.PlotDataItem(**kw)
        it.setDownsampling(auto=True, method="peak")   # long runs stay cheap to redraw
        it.setClipToView(True)
        plot.addItem(it)
        return it

    for c in run.curves:
        if c.validation:
            run.items[curve_key(c)] = item(loss_plot, symbol="o")
        else:
            it = item(loss_plot)
            # noisy and solid: painted as segments (a dashed pen would lose its dashes so)
            run.items[curve_key(c)] = draw_as_segments(it) if c.style == "solid" else it
    run.items["train_acc"] = draw_as_segments(item(acc_plot))
    run.items["val_acc"] = item(acc_plot, symbol="o")
    run.drawn = None            # the series' versions the items show (none yet)


def draw_curves(run: LossRun) -> bool:
    """Push the run's kept data into its items; True when a visible validation curve is too
    dense for markers (the caption then says 'dashed' rather than 'dashed with dots').

    A run whose points have not changed since it was last drawn (every finished run while
    another trains) is left as it is: a teacher's ten kept runs cost no more than one."""
    pairs = [(curve_key(c), run.series[c.metric]) for c in run.curves]
    pairs += [("train_acc", run.train_acc), ("val_acc", run.val_acc)]
    versions = tuple(s.version for _k, s in pairs)
    if run.drawn != versions:
        run.drawn = versions
        for key, s in pairs:
            run.items[key].setData(s.x, s.y)
    dense = False
    marked = [(curve_key(c), run.series[c.metric]) for c in run.curves if c.validation]
    for key, series in marked + [("val_acc", run.val_acc)]:
        many = len(series) > MAX_MARKERS
        dense |= many and run.visible
        run.items[key].setSymbol(None if many else "o")
    return dense


def caption(curves, dense: bool) -> str:
    """The line over the plot saying which line is which ('solid: training loss   dashed with
    dots: validation loss') for ``curves`` (``LossCurve``s, repeats allowed); curves of one
    style are named together. Rich text where a name is."""
    parts: dict[str, list[str]] = {}
    for c in curves:
        word = c.style + (" with dots" if c.validation and not dense else "")
        names = parts.setdefault(word, [])
        if (c.caption or c.name) not in names:
            names.append(c.caption or c.name)
    texts = [f"{word}: {', '.join(names)}" for word, names in parts.items()]
    rich = any("<" in t for t in texts)
    return ("&nbsp;&nbsp; " if rich else "   ").join(texts)


def legend_texts(run: LossRun, current: bool, compact: bool = False) -> dict[str, str]:
    """The legend's entries for ``run``, by item: the latest run's curves and each earlier
    run once, or (``compact``) every run once, by its name alone."""
    if not run.visible or not run.curves:
        return {}
    first = curve_key(run.curves[0])
    if compact:
        return {first: run.label}
    if current:
        return {curve_key(c): f"{run.label} — {c.name}" for c in run.curves}
    return {first: f"{run.label} (earlier run)"}


def style_curves(run: LossRun, tm: ThemeManager, current: bool, legend: pg.LegendItem,
                 compact: bool = False) -> None:
    """Pens of one run (bold and opaque when ``current``, else faded and thin) and its
    legend entries (see :func:`legend_texts`)."""
    color = QColor(tm.series_color(run.color))
    if not current:
        color.setAlpha(_FADED_ALPHA)
    width = tm.width("line") * (1.0 if current else _FADED_WIDTH)
    width = max(width, 1.0)
    sym = (8 if current else 5) * tm.scale
    styles = [(curve_key(c), _PEN_STYLES.get(c.style, Qt.SolidLine), c.validation) for c in run.curves]
    styles += [("train_acc", Qt.SolidLine, False), ("val_acc", Qt.DashLine, True)]
    for key, style, marked in styles:
        it = run.items[key]
        it.setPen(pg.mkPen(color, width=width, style=style))
        if marked:
            it.setSymbolPen(pg.mkPen(color, width=1))
            it.setSymbolBrush(color)
            it.setSymbolSize(sym)
        it.setZValue(10 if current else 0)
    for it in loss_items(run):
        legend.removeItem(it)
    for key, text in legend_texts(run, current, compact).items():
        legend.addItem(run.items[key], text)


def remove_curves(run: LossRun, loss_plot: pg.PlotItem, acc_plot: pg.PlotItem, legend: pg.LegendItem) -> None:
    """Take the run's items off the plots and the legend."""
    for key, it in run.items.items():
        (acc_plot if key in ACC_KEYS else loss_plot).removeItem(it)
        legend.removeItem(it)
