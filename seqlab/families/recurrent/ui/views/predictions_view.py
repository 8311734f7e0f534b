"""What the model predicts, laid out for the kind of task.

:meth:`PredictionsView.set_predictions` takes the dict the worker sends after a validation
and picks a layout:

* ``series`` — regression on one long series (``series_true``, ``one_step``,
  ``free_running``, ``t0``): the truth, the one-step-ahead predictions (each sees the true
  past) and the free-running forecast (the model fed its own outputs from ``t0``, marked by
  a vertical line), so a student sees errors compound once the model is on its own;
* ``scatter`` — regression on independent sequences (``pred`` and ``y`` shaped [N, O],
  e.g. the adding problem): predicted against true with the y = x diagonal, and, when the
  inputs ``x`` [N, T, F] come along, the selected sample's input sequence;
* ``sequence`` — many-to-many regression on a sequence (``pred`` and ``y`` [T, O], or
  [N, T, O] with a sample chooser): true and predicted lines per output;
* ``classification`` — ``probs`` [N, C] (softmax) and labels ``y`` [N]: the selected
  sample's class probabilities as bars, the true class highlighted, and the accuracy.

Anything it cannot show becomes a one-line message in the view, never an exception.
"""

from __future__ import annotations

from typing import Any, Mapping

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QHBoxLayout, QLabel, QPushButton, QSizePolicy, QSpinBox, QStackedWidget, QVBoxLayout,
    QWidget,
)

from seqlab.ui.theme import ThemeManager, style_plot, text_color_on, theme_manager
from seqlab.ui.views.loss_view import fit_legend, quiet_axes, style_legend

__all__ = ["PredictionsView", "MODES"]

#: The layouts, by name.
MODES = ("empty", "series", "scatter", "sequence", "classification")

_MAX_LINES = 6  # output channels drawn in the sequence layout (more would be unreadable)
_EMPTY_TEXT = "Predictions appear here after the first validation."


def _arr(d: Mapping[str, Any], key: str, dtype=np.float64) -> np.ndarray | None:
    v = d.get(key)
    if v is None:
        return None
    a = np.asarray(v, dtype=dtype)
    return a


def _plot(title_axes: bool = True) -> tuple[pg.PlotWidget, pg.PlotItem]:
    w = pg.PlotWidget()
    p = w.getPlotItem()
    p.setMenuEnabled(False)
    p.showGrid(x=True, y=True, alpha=0.25)
    quiet_axes(p)
    return w, p


class PredictionsView(QWidget):
    """Predictions of the latest validation, in the layout their kind and task call for."""

    def __init__(self, parent: QWidget | None = None, *, theme: ThemeManager | None = None):
        super().__init__(parent)
        self._tm = theme or theme_manager()
        self._mode = "empty"
        self._data: dict[str, Any] = {}
        self._cls: dict[str, Any] = {}
        self._seq: dict[str, Any] = {}
        self._scatter: dict[str, Any] = {}
        self._series: dict[str, Any] = {}

        # shared controls: sample chooser and a read-out
        self.sample_label = QLabel("Sample")
        self.sample_spin = QSpinBox()
        self.sample_spin.setMinimum(1)
        self.sample_spin.setMaximum(1)
        self.sample_spin.setToolTip("Which validation sample to show")
        self.sample_spin.valueChanged.connect(self._on_sample)
        self.of_label = QLabel("")
        self.next_wrong = QPushButton("Next mistake ▶")
        self.next_wrong.setToolTip("Jump to the next sample the model gets wrong")
        self.next_wrong.clicked.connect(self.show_next_mistake)
        self.readout = QLabel("")
        self.readout.setTextFormat(Qt.RichText)
        self.readout.setWordWrap(True)  # in presentation mode it may need two lines
        self.readout.setMinimumWidth(50)
        bar = QHBoxLayout()
        bar.setContentsMargins(4, 0, 4, 0)
        for w in (self.sample_label, self.sample_spin, self.of_label, self.next_wrong):
            bar.addWidget(w)
        bar.addSpacing(16)
        bar.addWidget(self.readout, 1)
        self.controls = QWidget()
        self.controls.setLayout(bar)

        self.stack = QStackedWidget()
        self._pages: dict[str, QWidget] = {}

        # empty
        self.message = QLabel(_EMPTY_TEXT)
        self.message.setAlignment(Qt.AlignCenter)
        self.message.setWordWrap(True)
        self._add_page("empty", self.message)

        # series
        self.series_widget, self.series_plot = _plot()
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
        self._add_page("series", self.series_widget)

        # scatter (+ the selected sample's inputs)
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
        page = QWidget()
        pl = QHBoxLayout(page)
        pl.setContentsMargins(0, 0, 0, 0)
        pl.addWidget(self.scatter_widget, 3)
        pl.addWidget(self.inputs_widget, 2)
        self._add_page("scatter", page)

        # sequence (many-to-many)
        self.sequence_widget, self.sequence_plot = _plot()
        self.sequence_legend = self.sequence_plot.addLegend(offset=(10, 5), colCount=4)
        self.seq_true: list[pg.PlotDataItem] = []
        self.seq_pred: list[pg.PlotDataItem] = []
        for _ in range(_MAX_LINES):
            a, b = pg.PlotDataItem(), pg.PlotDataItem()
            self.sequence_plot.addItem(a)
            self.sequence_plot.addItem(b)
            self.seq_true.append(a)
            self.seq_pred.append(b)
        self._add_page("sequence", self.sequence_widget)

        # classification
        self.class_widget, self.class_plot = _plot()
        self.class_plot.setMouseEnabled(x=False, y=False)
        self.class_plot.showGrid(x=True, y=False, alpha=0.3)
        self.class_plot.invertY(True)  # first class at the top, as in a list
        self.class_plot.getAxis("bottom").setZValue(-100)  # grid lines behind the bars
        self.class_bars = pg.BarGraphItem(x0=[], y=[], width=[], height=0.7)
        self.class_plot.addItem(self.class_bars)
        self.class_texts: list[pg.TextItem] = []
        self._add_page("classification", self.class_widget)

        self.caption = QLabel("")
        self.caption.setWordWrap(True)
        self.caption.setTextFormat(Qt.RichText)
        self.caption.setSizePolicy(QSizePolicy.Preferred, QSizePolicy.Minimum)

        lay = QVBoxLayout(self)
        lay.setContentsMargins(2, 2, 2, 2)
        lay.addWidget(self.controls)
        lay.addWidget(self.stack, 1)
        lay.addWidget(self.caption)

        self._tm.changed.connect(self.restyle)
        self.restyle()
        self._show("empty")

    # --- public -------------------------------------------------------------------------
    def set_predictions(self, d: Mapping[str, Any] | None) -> None:
        """Show a predictions dict (see the module docstring); unknown or malformed input
        shows a message instead."""
        self._data = dict(d or {})
        if not self._data:
            self.reset()
            return
        try:
            mode = self._choose_mode(self._data)
            getattr(self, f"_set_{mode}")(self._data)
        except (ValueError, TypeError, IndexError, KeyError) as e:
            self._show_message(f"These predictions cannot be shown: {e}")

    def reset(self) -> None:
        """Back to the empty view (a new run)."""
        self._data = {}
        self._cls, self._seq, self._scatter, self._series = {}, {}, {}, {}
        for p in (self.series_plot, self.sequence_plot):  # a new run fits its data again
            p.getViewBox()._seqlab_user_range = False
        self._show_message(_EMPTY_TEXT)

    def mode(self) -> str:
        """The layout shown: one of :data:`MODES`."""
        return self._mode

    def sample(self) -> int:
        """The selected sample (0-based)."""
        return self.sample_spin.value() - 1

    def set_sample(self, i: int) -> None:
        """Select sample ``i`` (0-based, clipped to the samples there are)."""
        self.sample_spin.setValue(int(i) + 1)

    def true_class(self) -> int | None:
        """The true class of the selected sample (classification), or None."""
        return self._cls.get("true")

    def accuracy(self) -> float | None:
        """Accuracy over the samples shown (classification), or None."""
        return self._cls.get("acc")

    def show_next_mistake(self) -> None:
        """Select the next misclassified sample after the current one (wrapping)."""
        wrong = self._cls.get("wrong")
        if wrong is None or not len(wrong):
            return
        i = self.sample()
        later = wrong[wrong > i]
        self.set_sample(int(later[0] if len(later) else wrong[0]))

    def export_targets(self) -> dict[str, pg.PlotItem]:
        return {
            "series": {"series": self.series_plot},
            "scatter": {"predicted vs true": self.scatter_plot, "inputs": self.inputs_plot},
            "sequence": {"sequence": self.sequence_plot},
            "classification": {"class probabilities": self.class_plot},
        }.get(self._mode, {})

    def curves(self) -> dict[str, np.ndarray]:
        m = self._mode
        if m == "series":
            s = self._series
            return {"t": s["x_true"], "true": s["true"], "t (one-step)": s["x_one"],
                    "one-step prediction": s["one"], "t (free running)": s["x_free"],
                    "free-running forecast": s["free"]}
        if m == "scatter":
            return {"true": self._scatter["y"].ravel(), "predicted": self._scatter["pred"].ravel()}
        if m == "sequence":
            pred, y = self._seq_sample()
            out: dict[str, np.ndarray] = {"t": np.arange(1, y.shape[0] + 1)}
            for k in range(y.shape[1]):
                out[f"true {k + 1}"] = y[:, k]
                out[f"predicted {k + 1}"] = pred[:, k]
            return out
        if m == "classification":
            c = self._cls
            i = self.sample()
            return {"class": np.arange(c["probs"].shape[1]), "probability": c["probs"][i]}
        return {}

    # --- layouts ------------------------------------------------------------------------
    @staticmethod
    def _choose_mode(d: Mapping[str, Any]) -> str:
        kind = str(d.get("kind", "")).lower()
        if kind == "classification" or ("probs" in d and kind != "regression"):
            return "classification"
        if "series_true" in d:
            return "series"
        if "pred" in d and "y" in d:
            pred = np.asarray(d["pred"])
            task = str(d.get("task", "")).lower()
            if pred.ndim == 3 or task in ("many-to-many", "one-to-many"):
                return "sequence"
            return "scatter"
        raise ValueError("no series_true, pred/y or probs in the data" if d else "no data")

    def _set_series(self, d: Mapping[str, Any]) -> None:
        true = _arr(d, "series_true").ravel()
        one = _arr(d, "one_step")
        free = _arr(d, "free_running")
        one = np.zeros(0) if one is None else one.ravel()
        free = np.zeros(0) if free is None else free.ravel()
        mean, std = d.get("target_mean"), d.get("target_std")
        if mean is not None and std is not None:
            m, s = float(np.ravel(mean)[0]), float(np.ravel(std)[0])
            true, one, free = true * s + m, one * s + m, free * s + m
        n = len(true)
        # one_step[i] predicts series_true[i]; a shorter one ends where the series ends
        x_one = np.arange(n - len(one), n) if len(one) <= n else np.arange(len(one))
        t0 = int(d.get("t0", n - len(free) if len(free) <= n else 0))
        x_free = np.arange(t0, t0 + len(free))
        off = int(d.get("t_offset") or 0)  # where the shown stretch starts in the whole series
        x_true, x_one, x_free = np.arange(n) + off, x_one + off, x_free + off
        self._series = {"x_true": x_true, "true": true, "x_one": x_one, "one": one,
                        "x_free": x_free, "free": free, "t0": t0 + off}
        symbol = "o" if n < 3 else None  # a single point would be invisible as a line
        self.truth_curve.setData(x_true, true, symbol=symbol)
        self.one_step_curve.setData(x_one, one, symbol=symbol)
        self.free_curve.setData(x_free, free, symbol=symbol)
        self.t0_line.setValue(t0 + off)
        self.t0_line.setVisible(len(free) > 0)
        self._series_title = str(d.get("label") or "Forecast")
        self.series_plot.setTitle(self._series_title, **self._title_opts())
        last = max(x_true[-1] if n else off, x_free[-1] if len(free) else off, off + 1)
        _headroom(self.series_plot, [true, one, free], (off, last))
        self._show("series")
        self._set_readout(self._series_readout())
        self._set_caption("<b>One-step:</b> each prediction sees the true past. "
                          "<b>Free running:</b> right of the dashed line the model feeds on its "
                          "own predictions, so its errors add up.")

    def _series_readout(self) -> str:
        s = self._series
        parts = []
        if len(s["one"]):
            x = s["x_one"]
            ok = (x >= 0) & (x < len(s["true"]))
            if ok.any():
                err = np.mean(np.abs(s["one"][ok] - s["true"][x[ok]]))
                parts.append(f"one-step mean error <b>{err:.3g}</b>")
        if len(s["free"]):
            x = s["x_free"]
            ok = (x >= 0) & (x < len(s["true"]))
            if ok.any():
                err = np.mean(np.abs(s["free"][ok] - s["true"][x[ok]]))
                parts.append(f"free-running mean error <b>{err:.3g}</b>")
        return " · ".join(parts)

    def _set_scatter(self, d: Mapping[str, Any]) -> None:
        pred = np.atleast_1d(_arr(d, "pred"))
        y = np.atleast_1d(_arr(d, "y"))
        if pred.size != y.size:
            raise ValueError(f"pred has {pred.size} values but y has {y.size}")
        if pred.ndim == 1:
            pred, y = pred[:, None], y.reshape(-1, 1)
        pred = pred.reshape(len(pred), -1)
        y = y.reshape(pred.shape)
        x = d.get("x", d.get("inputs"))
        x = None if x is None else np.asarray(x, np.float64)
        if x is not None and (x.ndim not in (2, 3) or len(x) != len(pred)):
            x = None
        if x is not None and x.ndim == 2:
            x = x[:, :, None]
        self._scatter = {"pred": pred, "y": y, "x": x}
        ok = np.isfinite(pred) & np.isfinite(y)
        self.scatter.setData(y[ok].ravel(), pred[ok].ravel())
        if ok.any():
            lo = float(min(y[ok].min(), pred[ok].min()))
            hi = float(max(y[ok].max(), pred[ok].max()))
            pad = 0.05 * (hi - lo or 1.0)
            self.diagonal.setData([lo - pad, hi + pad], [lo - pad, hi + pad])
            err = pred[ok] - y[ok]
            ss_tot = float(np.sum((y[ok] - y[ok].mean()) ** 2))
            r2 = 1 - float(np.sum(err ** 2)) / ss_tot if ss_tot > 0 else float("nan")
            text = f"{ok.sum():,} predictions · mean error <b>{np.mean(np.abs(err)):.3g}</b>"
            if np.isfinite(r2):
                text += f" · R² <b>{r2:.3f}</b>"
        else:
            self.diagonal.setData([], [])
            text = "no finite predictions"
        self.scatter_plot.enableAutoRange()
        self.inputs_widget.setVisible(x is not None)
        self._set_samples(len(pred), wrong=None)
        self._show("scatter")
        self._scatter["text"] = text
        self._draw_scatter_sample()
        self._set_caption("Each dot is one validation sample: its true value across, the "
                          "model's prediction up. Dots on the diagonal are perfect.")

    def _draw_scatter_sample(self) -> None:
        s = self._scatter
        i = min(self.sample(), len(s["pred"]) - 1)
        self.scatter_pick.setData(s["y"][i], s["pred"][i])
        x = s["x"]
        readout = s["text"]
        if x is not None:
            xi = x[i]
            self._ensure_input_curves(xi.shape[1])
            tm = self._tm
            for k, c in enumerate(self.input_curves):
                if k < xi.shape[1]:
                    c.setData(np.arange(1, xi.shape[0] + 1), xi[:, k])
                    c.setPen(pg.mkPen(tm.series_color(k + 2), width=tm.width("line")))
                    c.show()
                else:
                    c.hide()
            self.inputs_plot.setTitle(f"Inputs of sample {i + 1}", **self._title_opts())
            readout += (f" · sample {i + 1}: true <b>{_num(s['y'][i])}</b>, "
                        f"predicted <b>{_num(s['pred'][i])}</b>")
        self._set_readout(readout)

    def _ensure_input_curves(self, n: int) -> None:
        while len(self.input_curves) < min(n, _MAX_LINES):
            c = pg.PlotDataItem()
            self.inputs_plot.addItem(c)
            self.input_curves.append(c)

    def _set_sequence(self, d: Mapping[str, Any]) -> None:
        pred = _arr(d, "pred")
        y = _arr(d, "y")
        if pred.size != y.size:
            raise ValueError(f"pred has {pred.size} values but y has {y.size}")
        if pred.ndim == 1:
            pred = pred[:, None]
        if pred.ndim == 2:
            pred = pred[None]
        pred = pred.reshape(pred.shape[0], pred.shape[1], -1)
        y = y.reshape(pred.shape)
        mean, std = d.get("target_mean"), d.get("target_std")
        if mean is not None and std is not None:
            pred = pred * np.asarray(std, np.float64) + np.asarray(mean, np.float64)
            y = y * np.asarray(std, np.float64) + np.asarray(mean, np.float64)
        self._seq = {"pred": pred, "y": y}
        self._set_samples(pred.shape[0], wrong=None)
        self._show("sequence")
        self._draw_sequence()
        self._set_caption("Solid: the true output at each time step. Dashed: the model's "
                          "prediction at the same step.")

    def _seq_sample(self) -> tuple[np.ndarray, np.ndarray]:
        i = min(self.sample(), self._seq["pred"].shape[0] - 1)
        return self._seq["pred"][i], self._seq["y"][i]

    def _draw_sequence(self) -> None:
        pred, y = self._seq_sample()
        T, O = y.shape
        t = np.arange(1, T + 1)
        tm = self._tm
        self.sequence_legend.clear()
        for k in range(_MAX_LINES):
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
        _headroom(self.sequence_plot, [y[:, :_MAX_LINES], pred[:, :_MAX_LINES]], (1, max(T, 2)))
        err = np.abs(pred - y)
        text = f"mean error <b>{np.nanmean(err):.3g}</b>" if err.size else ""
        if O > _MAX_LINES:
            text += f" · first {_MAX_LINES} of {O} outputs drawn"
        self._set_readout(text)

    def _set_classification(self, d: Mapping[str, Any]) -> None:
        probs = _arr(d, "probs")
        if probs is None:
            raise ValueError("no probs")
        if probs.ndim == 1:
            probs = probs[None]
        probs = probs.reshape(-1, probs.shape[-1])
        N, C = probs.shape
        if N == 0 or C == 0:
            raise ValueError("no samples")
        y = d.get("y")
        y = None if y is None else np.asarray(y).ravel()
        if y is not None and y.size != N:
            y = None
        if y is not None:
            y = y.astype(np.int64)
        names = [str(n) for n in (d.get("class_names") or [])]
        if len(names) != C:
            names = [f"class {k}" for k in range(C)]
        pred = np.argmax(np.nan_to_num(probs, nan=-1.0), axis=1)
        acc = float(np.mean(pred == y)) if y is not None else None
        wrong = np.flatnonzero(pred != y) if y is not None else np.zeros(0, np.int64)
        self._cls = {"probs": probs, "y": y, "names": names, "pred": pred, "acc": acc,
                     "wrong": wrong, "true": None}
        self.class_plot.getAxis("left").setTicks([[(k, n) for k, n in enumerate(names)]])
        self.class_plot.setRange(xRange=(0, 1.02), yRange=(-0.6, C - 0.4), padding=0)
        self._set_samples(N, wrong=wrong)
        self._show("classification")
        self._draw_class_sample()
        self._set_caption("Bars: the probabilities the model gives each class for this sample "
                          "(they add up to 1). The outlined bar is the true class.")

    def _draw_class_sample(self) -> None:
        c = self._cls
        i = min(self.sample(), len(c["probs"]) - 1)
        p = c["probs"][i]
        C = len(p)
        true = int(c["y"][i]) if c["y"] is not None and 0 <= c["y"][i] < C else None
        c["true"] = true
        tm = self._tm
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
        self._set_readout(" · ".join(parts))

    def resizeEvent(self, ev) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(ev)
        s = self._tm.scale
        fit_legend(self.series_legend, self.width(), 3, 760 * s)
        fit_legend(self.sequence_legend, self.width(), 4, 760 * s)

    # --- helpers ------------------------------------------------------------------------
    def _add_page(self, name: str, w: QWidget) -> None:
        self._pages[name] = w
        self.stack.addWidget(w)

    def _show(self, mode: str) -> None:
        self._mode = mode
        self.stack.setCurrentWidget(self._pages[mode])
        if mode in ("empty", "series"):
            self.controls.setVisible(mode == "series")
            for w in (self.sample_label, self.sample_spin, self.of_label, self.next_wrong):
                w.setVisible(False)

    def _show_message(self, text: str) -> None:
        self.message.setText(text)
        self._set_readout("")
        self._set_caption("")
        self._show("empty")

    def _set_samples(self, n: int, wrong: np.ndarray | None) -> None:
        self.controls.setVisible(True)
        many = n > 1
        for w in (self.sample_label, self.sample_spin, self.of_label):
            w.setVisible(many)
        self.next_wrong.setVisible(wrong is not None and many)
        self.next_wrong.setEnabled(wrong is not None and len(wrong) > 0)
        self.of_label.setText(f"of {n:,}")
        self.sample_spin.blockSignals(True)
        self.sample_spin.setMaximum(max(1, n))
        self.sample_spin.blockSignals(False)

    def _on_sample(self, _value: int) -> None:
        if self._mode == "classification" and self._cls:
            self._draw_class_sample()
        elif self._mode == "sequence" and self._seq:
            self._draw_sequence()
        elif self._mode == "scatter" and self._scatter:
            self._draw_scatter_sample()

    def _set_readout(self, html: str) -> None:
        self.readout.setText(html)

    def _set_caption(self, html: str) -> None:
        self.caption.setText(html)
        self.caption.setVisible(bool(html))

    def _title_opts(self) -> dict:
        return {"color": self._tm.theme.text, "size": f"{self._tm.font_pt('title'):.1f}pt",
                "bold": True}

    # --- style --------------------------------------------------------------------------
    def restyle(self) -> None:
        """Re-read fonts, colours and pen widths from the theme manager."""
        tm = self._tm
        lw = tm.width("line")
        for w in (self.series_widget, self.scatter_widget, self.inputs_widget,
                  self.sequence_widget, self.class_widget):
            w.setBackground(tm.theme.base)
        style_plot(self.series_plot, tm, title=getattr(self, "_series_title", "Forecast"),
                   labels={"left": "value", "bottom": "time step"})
        style_plot(self.scatter_plot, tm, title="Predicted against true",
                   labels={"left": "predicted", "bottom": "true"})
        style_plot(self.inputs_plot, tm, title="Inputs of the selected sample",
                   labels={"left": "input", "bottom": "time step t"})
        style_plot(self.sequence_plot, tm, title="Outputs through time",
                   labels={"left": "output", "bottom": "time step t"})
        style_plot(self.class_plot, tm, title="Class probabilities",
                   labels={"left": "", "bottom": "probability"})
        self.class_plot.getAxis("left").setTickFont(tm.font("label", bold=True))  # class names
        self.truth_curve.setPen(pg.mkPen(tm.color("text"), width=lw))
        self.one_step_curve.setPen(pg.mkPen(tm.series_color(0), width=lw))
        self.free_curve.setPen(pg.mkPen(tm.series_color(1), width=lw * 1.25, style=Qt.DashLine))
        self.t0_line.setPen(tm.pen("muted", "axis", style=Qt.DashLine))
        self.t0_line.label.setColor(tm.color("text"))
        self.t0_line.label.setFont(tm.font("label"))
        self.scatter.setPen(pg.mkPen(tm.series_color(0), width=1))
        c = QColor(tm.series_color(0))
        c.setAlpha(150)
        self.scatter.setBrush(pg.mkBrush(c))
        self.scatter.setSize(7 * tm.scale)
        self.scatter_pick.setPen(pg.mkPen(tm.series_color(1), width=lw * 1.5))
        self.scatter_pick.setBrush(pg.mkBrush(None))
        self.scatter_pick.setSize(18 * tm.scale)
        self.diagonal.setPen(tm.pen("text", "axis", style=Qt.DashLine))
        for lg in (self.series_legend, self.scatter_legend, self.sequence_legend):
            style_legend(lg, tm)
        body = tm.font("body")
        for w in (self.sample_label, self.sample_spin, self.of_label, self.next_wrong,
                  self.readout, self.caption):
            w.setFont(body)
        self.message.setFont(tm.font("big"))
        self.message.setStyleSheet(f"color: {tm.theme.muted};")
        # redraw what depends on colours
        if self._mode == "classification" and self._cls:
            self._draw_class_sample()
        elif self._mode == "sequence" and self._seq:
            self._draw_sequence()
        elif self._mode == "scatter" and self._scatter:
            self._draw_scatter_sample()


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


def _num(v) -> str:
    a = np.ravel(v)
    if a.size == 1:
        return f"{float(a[0]):.3g}"
    return "[" + ", ".join(f"{float(x):.3g}" for x in a[:4]) + (", …]" if a.size > 4 else "]")
