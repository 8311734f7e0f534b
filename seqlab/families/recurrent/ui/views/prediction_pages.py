"""The layouts of the Predictions view, one page each: how each kind of prediction is drawn.

* :class:`SeriesPage`: the true series, the one-step predictions and the free-running
  forecast, a dashed line where free running begins;
* :class:`ScatterPage`: predicted against true with the y = x diagonal, and the selected
  sample's input sequence beside it;
* :class:`SequencePage`: true and predicted outputs through time for one sample;
* :class:`ClassPage`: one sample's class probabilities as bars, the true class outlined.

A page draws data prepared by ``prediction_data.py`` and knows nothing of the controls
around it: :meth:`Page.show_data` draws what holds for every sample, :meth:`Page.draw_sample`
what depends on the sample chosen and returns the read-out line; :attr:`Page.caption` says in
a sentence what is drawn. The view switches between pages and owns the sample chooser.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QHBoxLayout, QWidget

from seqlab.families.recurrent.ui.views.prediction_data import fmt_value, series_readout
from seqlab.ui.theme import ThemeManager, style_plot, text_color_on
from seqlab.ui.views.loss_view import quiet_axes, style_legend

__all__ = ["Page", "SeriesPage", "ScatterPage", "SequencePage", "ClassPage", "MAX_LINES"]

MAX_LINES = 6  # channels drawn in the sequence layout and input plot (more would be unreadable)


def _plot() -> tuple[pg.PlotWidget, pg.PlotItem]:
    w = pg.PlotWidget()
    p = w.getPlotItem()
    p.setMenuEnabled(False)
    p.showGrid(x=True, y=True, alpha=0.25)
    quiet_axes(p)
    return w, p


def _title_opts(tm: ThemeManager) -> dict:
    return {"color": tm.theme.text, "size": f"{tm.font_pt('title'):.1f}pt", "bold": True}


def _headroom(plot: pg.PlotItem, arrays, x_range: tuple[float, float]) -> None:
    """Fit the data with a free band along the top for the one-row legend, unless the
    person has zoomed or panned (then their view stays)."""
    vb = plot.getViewBox()
    if getattr(vb, "_seqlab_user_range", False):
        return
    vals = [np.asarray(a, np.float64).ravel() for a in arrays]
    vals = np.concatenate([v[np.isfinite(v)] for v in vals] or [np.zeros(0)])
    if vals.size == 0:
        plot.enableAutoRange()
        return
    lo, hi = float(vals.min()), float(vals.max())
    r = hi - lo or max(abs(hi), 1.0)
    plot.setRange(xRange=x_range, yRange=(lo - 0.05 * r, hi + 0.28 * r), padding=0.02)
    if not getattr(vb, "_seqlab_watch", False):
        vb._seqlab_watch = True
        vb.sigRangeChangedManually.connect(lambda *_: setattr(vb, "_seqlab_user_range", True))


class Page:
    """One layout: its widget (a page of the view's stack) and how it draws its data."""

    caption = ""            # what is drawn, in a sentence (rich text)
    per_sample = True       # it shows one sample at a time (the view's sample chooser)

    def __init__(self, tm: ThemeManager):
        self.tm = tm
        self.widget: QWidget
        self.data: dict[str, Any] = {}

    def show_data(self, data: dict[str, Any]) -> None:
        """Keep ``data`` (from ``prediction_data``) and draw what holds for every sample."""
        self.data = data

    def samples(self) -> tuple[int, np.ndarray | None]:
        """How many samples there are, and those predicted wrong (None: no such notion)."""
        return 1, None

    def draw_sample(self, i: int) -> str:
        """Draw sample ``i``; returns the read-out (rich text)."""
        return ""

    def reset(self) -> None:
        """Forget the data (a new run); a new run fits its data again."""
        self.data = {}

    def restyle(self) -> None:
        """Pens and fonts from the theme (a drawn sample is redrawn by the view)."""

    def export_targets(self) -> dict[str, pg.PlotItem]:
        return {}

    def curves(self, i: int) -> dict[str, np.ndarray]:
        return {}


class SeriesPage(Page):
    caption = ("<b>One-step:</b> each prediction sees the true past. "
               "<b>Free running:</b> right of the dashed line the model feeds on its "
               "own predictions, so its errors add up.")
    per_sample = False

    def __init__(self, tm: ThemeManager):
        super().__init__(tm)
        self.series_widget, self.series_plot = _plot()
        self.widget = self.series_widget
        # one row of legend along the top, over headroom kept free of data (see _headroom)
        self.series_legend = self.series_plot.addLegend(offset=(10, 5), colCount=3)
        self.truth_curve = pg.PlotDataItem()
        self.one_step_curve = pg.PlotDataItem()
        self.free_curve = pg.PlotDataItem()
        for c in (self.truth_curve, self.one_step_curve, self.free_curve):
            c.setDownsampling(auto=True, method="peak")
            c.setClipToView(True)
            self.series_plot.addItem(c)
        self.series_legend.addItem(self.truth_curve, "true series")
        self.series_legend.addItem(self.one_step_curve, "one-step prediction")
        self.series_legend.addItem(self.free_curve, "free-running forecast")
        self.t0_line = pg.InfiniteLine(angle=90, movable=False, label="free running →",
                                       labelOpts={"position": 0.96, "anchors": [(0, 0), (0, 0)]})
        self.series_plot.addItem(self.t0_line, ignoreBounds=True)
        self.title = "Forecast"

    def show_data(self, s: dict[str, Any]) -> None:
        super().show_data(s)
        symbol = "o" if len(s["true"]) < 3 else None  # a single point would be invisible as a line
        self.truth_curve.setData(s["x_true"], s["true"], symbol=symbol)
        self.one_step_curve.setData(s["x_one"], s["one"], symbol=symbol)
        self.free_curve.setData(s["x_free"], s["free"], symbol=symbol)
        self.t0_line.setValue(s["t0"])
        self.t0_line.setVisible(len(s["free"]) > 0)
        self.title = s["title"]
        self.series_plot.setTitle(self.title, **_title_opts(self.tm))
        _headroom(self.series_plot, [s["true"], s["one"], s["free"]], s["x_range"])

    def draw_sample(self, i: int) -> str:
        return series_readout(self.data)

    def reset(self) -> None:
        super().reset()
        self.series_plot.getViewBox()._seqlab_user_range = False

    def restyle(self) -> None:
        tm = self.tm
        lw = tm.width("line")
        self.series_widget.setBackground(tm.theme.base)
        style_plot(self.series_plot, tm, title=self.title, labels={"left": "value", "bottom": "time step"})
        self.truth_curve.setPen(pg.mkPen(tm.color("text"), width=lw))
        self.one_step_curve.setPen(pg.mkPen(tm.series_color(0), width=lw))
        self.free_curve.setPen(pg.mkPen(tm.series_color(1), width=lw * 1.25, style=Qt.DashLine))
        self.t0_line.setPen(tm.pen("muted", "axis", style=Qt.DashLine))
        self.t0_line.label.setColor(tm.color("text"))
        self.t0_line.label.setFont(tm.font("label"))
        style_legend(self.series_legend, tm)

    def export_targets(self) -> dict[str, pg.PlotItem]:
        return {"series": self.series_plot}

    def curves(self, i: int) -> dict[str, np.ndarray]:
        s = self.data
        return {"t": s["x_true"], "true": s["true"], "t (one-step)": s["x_one"],
                "one-step prediction": s["one"], "t (free running)": s["x_free"],
                "free-running forecast": s["free"]}


class ScatterPage(Page):
    caption = ("Each dot is one validation sample: its true value across, the "
               "model's prediction up. Dots on the diagonal are perfect.")

    def __init__(self, tm: ThemeManager):
        super().__init__(tm)
        self.scatter_widget, self.scatter_plot = _plot()
        self.scatter = pg.ScatterPlotItem()
        self.scatter_pick = pg.ScatterPlotItem()
        self.diagonal = pg.PlotDataItem()
        self.scatter_plot.addItem(self.diagonal)
        self.scatter_plot.addItem(self.scatter)
        self.scatter_plot.addItem(self.scatter_pick)
        self.scatter_legend = self.scatter_plot.addLegend(offset=(10, 10))
        self.scatter_legend.addItem(self.scatter, "samples")
        self.scatter_legend.addItem(self.diagonal, "perfect: predicted = true")
        self.inputs_widget, self.inputs_plot = _plot()
        self.input_curves: list[pg.PlotDataItem] = []
        self.widget = QWidget()
        pl = QHBoxLayout(self.widget)
        pl.setContentsMargins(0, 0, 0, 0)
        pl.addWidget(self.scatter_widget, 3)
        pl.addWidget(self.inputs_widget, 2)

    def show_data(self, s: dict[str, Any]) -> None:
        super().show_data(s)
        self.scatter.setData(*s["points"])
        self.diagonal.setData(s["diagonal"], s["diagonal"])
        self.scatter_plot.enableAutoRange()
        self.inputs_widget.setVisible(s["x"] is not None)

    def samples(self) -> tuple[int, np.ndarray | None]:
        return len(self.data["pred"]), None

    def draw_sample(self, i: int) -> str:
        s = self.data
        i = min(i, len(s["pred"]) - 1)
        self.scatter_pick.setData(s["y"][i], s["pred"][i])
        x = s["x"]
        readout = s["text"]
        if x is not None:
            xi = x[i]
            while len(self.input_curves) < min(xi.shape[1], MAX_LINES):
                c = pg.PlotDataItem()
                self.inputs_plot.addItem(c)
                self.input_curves.append(c)
            tm = self.tm
            for k, c in enumerate(self.input_curves):
                if k < xi.shape[1]:
                    c.setData(np.arange(1, xi.shape[0] + 1), xi[:, k])
                    c.setPen(pg.mkPen(tm.series_color(k + 2), width=tm.width("line")))
                    c.show()
                else:
                    c.hide()
            self.inputs_plot.setTitle(f"Inputs of sample {i + 1}", **_title_opts(tm))
            readout += (f" · sample {i + 1}: true <b>{fmt_value(s['y'][i])}</b>, "
                        f"predicted <b>{fmt_value(s['pred'][i])}</b>")
        return readout

    def restyle(self) -> None:
        tm = self.tm
        for w in (self.scatter_widget, self.inputs_widget):
            w.setBackground(tm.theme.base)
        style_plot(self.scatter_plot, tm, title="Predicted against true",
                   labels={"left": "predicted", "bottom": "true"})
        style_plot(self.inputs_plot, tm, title="Inputs of the selected sample",
                   labels={"left": "input", "bottom": "time step t"})
        self.scatter.setPen(pg.mkPen(tm.series_color(0), width=1))
        c = QColor(tm.series_color(0))
        c.setAlpha(150)
        self.scatter.setBrush(pg.mkBrush(c))
        self.scatter.setSize(7 * tm.scale)
        self.scatter_pick.setPen(pg.mkPen(tm.series_color(1), width=tm.width("line") * 1.5))
        self.scatter_pick.setBrush(pg.mkBrush(None))
        self.scatter_pick.setSize(18 * tm.scale)
        self.diagonal.setPen(tm.pen("text", "axis", style=Qt.DashLine))
        style_legend(self.scatter_legend, tm)

    def export_targets(self) -> dict[str, pg.PlotItem]:
        return {"predicted vs true": self.scatter_plot, "inputs": self.inputs_plot}

    def curves(self, i: int) -> dict[str, np.ndarray]:
        return {"true": self.data["y"].ravel(), "predicted": self.data["pred"].ravel()}


class SequencePage(Page):
    caption = ("Solid: the true output at each time step. Dashed: the model's "
               "prediction at the same step.")

    def __init__(self, tm: ThemeManager):
        super().__init__(tm)
        self.sequence_widget, self.sequence_plot = _plot()
        self.widget = self.sequence_widget
        self.sequence_legend = self.sequence_plot.addLegend(offset=(10, 5), colCount=4)
        self.seq_true: list[pg.PlotDataItem] = []
        self.seq_pred: list[pg.PlotDataItem] = []
        for _ in range(MAX_LINES):
            a, b = pg.PlotDataItem(), pg.PlotDataItem()
            self.sequence_plot.addItem(a)
            self.sequence_plot.addItem(b)
            self.seq_true.append(a)
            self.seq_pred.append(b)

    def samples(self) -> tuple[int, np.ndarray | None]:
        return self.data["pred"].shape[0], None

    def _sample(self, i: int) -> tuple[np.ndarray, np.ndarray]:
        i = min(i, self.data["pred"].shape[0] - 1)
        return self.data["pred"][i], self.data["y"][i]

    def draw_sample(self, i: int) -> str:
        pred, y = self._sample(i)
        T, O = y.shape
        t = np.arange(1, T + 1)
        tm = self.tm
        self.sequence_legend.clear()
        for k in range(MAX_LINES):
            a, b = self.seq_true[k], self.seq_pred[k]
            if k < O:
                col = tm.series_color(k)
                a.setData(t, y[:, k], symbol="o" if T < 3 else None)
                b.setData(t, pred[:, k], symbol="o" if T < 3 else None)
                a.setPen(pg.mkPen(tm.color("text") if O == 1 else col, width=tm.width("line")))
                b.setPen(pg.mkPen(tm.series_color(0) if O == 1 else col,
                                  width=tm.width("line"), style=Qt.DashLine))
                a.show()
                b.show()
                suffix = "" if O == 1 else f" {k + 1}"
                self.sequence_legend.addItem(a, f"true{suffix}")
                self.sequence_legend.addItem(b, f"predicted{suffix}")
            else:
                a.hide()
                b.hide()
        style_legend(self.sequence_legend, tm)
        _headroom(self.sequence_plot, [y[:, :MAX_LINES], pred[:, :MAX_LINES]], (1, max(T, 2)))
        err = np.abs(pred - y)
        text = f"mean error <b>{np.nanmean(err):.3g}</b>" if err.size else ""
        if O > MAX_LINES:
            text += f" · first {MAX_LINES} of {O} outputs drawn"
        return text

    def reset(self) -> None:
        super().reset()
        self.sequence_plot.getViewBox()._seqlab_user_range = False

    def restyle(self) -> None:
        tm = self.tm
        self.sequence_widget.setBackground(tm.theme.base)
        style_plot(self.sequence_plot, tm, title="Outputs through time",
                   labels={"left": "output", "bottom": "time step t"})
        style_legend(self.sequence_legend, tm)

    def export_targets(self) -> dict[str, pg.PlotItem]:
        return {"sequence": self.sequence_plot}

    def curves(self, i: int) -> dict[str, np.ndarray]:
        pred, y = self._sample(i)
        out: dict[str, np.ndarray] = {"t": np.arange(1, y.shape[0] + 1)}
        for k in range(y.shape[1]):
            out[f"true {k + 1}"] = y[:, k]
            out[f"predicted {k + 1}"] = pred[:, k]
        return out


class ClassPage(Page):
    caption = ("Bars: the probabilities the model gives each class for this sample "
               "(they add up to 1). The outlined bar is the true class.")

    def __init__(self, tm: ThemeManager):
        super().__init__(tm)
        self.class_widget, self.class_plot = _plot()
        self.widget = self.class_widget
        self.class_plot.setMouseEnabled(x=False, y=False)
        self.class_plot.showGrid(x=True, y=False, alpha=0.3)
        self.class_plot.invertY(True)  # first class at the top, as in a list
        self.class_plot.getAxis("bottom").setZValue(-100)  # grid lines behind the bars
        self.class_bars = pg.BarGraphItem(x0=[], y=[], width=[], height=0.7)
        self.class_plot.addItem(self.class_bars)
        self.class_texts: list[pg.TextItem] = []

    def show_data(self, c: dict[str, Any]) -> None:
        super().show_data(c)
        names = c["names"]
        self.class_plot.getAxis("left").setTicks([[(k, n) for k, n in enumerate(names)]])
        self.class_plot.setRange(xRange=(0, 1.02), yRange=(-0.6, len(names) - 0.4), padding=0)

    def samples(self) -> tuple[int, np.ndarray | None]:
        return len(self.data["probs"]), self.data["wrong"]

    def draw_sample(self, i: int) -> str:
        c = self.data
        i = min(i, len(c["probs"]) - 1)
        p = c["probs"][i]
        C = len(p)
        true = int(c["y"][i]) if c["y"] is not None and 0 <= c["y"][i] < C else None
        c["true"] = true
        tm = self.tm
        other = QColor(tm.series_color(0))
        hit = QColor(tm.series_color(1))
        brushes = [pg.mkBrush(hit if k == true else other) for k in range(C)]
        pens = [tm.pen("text", "line") if k == true else pg.mkPen(None) for k in range(C)]
        vals = np.nan_to_num(p, nan=0.0)
        self.class_bars.setOpts(x0=np.zeros(C), y=np.arange(C, dtype=float), width=vals,
                                height=0.7, brushes=brushes, pens=pens)
        while len(self.class_texts) < C:
            t = pg.TextItem(anchor=(0, 0.5))
            self.class_plot.addItem(t)
            self.class_texts.append(t)
        pk = int(c["pred"][i])
        for k, t in enumerate(self.class_texts):
            if k < C:
                marks = (["true class"] if k == true else []) + (["predicted"] if k == pk else [])
                text = f"{vals[k]:.0%}" + (f"  ◀ {', '.join(marks)}" if marks else "")
                t.setText(text)
                t.setFont(tm.font("label", bold=k == true))
                if vals[k] > 0.55:  # inside the bar, in the colour that reads on it
                    t.setAnchor((1, 0.5))
                    t.setColor(text_color_on(hit if k == true else other))
                    t.setPos(float(vals[k]) - 0.015, k)
                else:
                    t.setAnchor((0, 0.5))
                    t.setColor(tm.color("text"))
                    t.setPos(float(vals[k]) + 0.015, k)
                t.show()
            else:
                t.hide()
        names = c["names"]
        parts = []
        if c["acc"] is not None:  # the number that matters most comes first
            parts.append(f"accuracy <b>{c['acc']:.1%}</b> on {len(c['probs']):,} samples")
        this = f"sample {i + 1}: predicted <b>{names[pk]}</b> ({vals[pk]:.0%})"
        if true is not None:
            this += f", true <b>{names[true]}</b> " + ("<b>✓ right</b>" if pk == true else "<b>✗ wrong</b>")
        parts.append(this)
        return " · ".join(parts)

    def restyle(self) -> None:
        tm = self.tm
        self.class_widget.setBackground(tm.theme.base)
        style_plot(self.class_plot, tm, title="Class probabilities", labels={"left": "", "bottom": "probability"})
        self.class_plot.getAxis("left").setTickFont(tm.font("label", bold=True))  # class names

    def export_targets(self) -> dict[str, pg.PlotItem]:
        return {"class probabilities": self.class_plot}

    def curves(self, i: int) -> dict[str, np.ndarray]:
        return {"class": np.arange(self.data["probs"].shape[1]), "probability": self.data["probs"][i]}
