"""Anomaly detection by reconstruction error, with a threshold the person drags.

Top: the histogram of the validation windows' reconstruction errors, normal and anomalous
windows in two colours, and the threshold (a draggable dashed line, placed first by the
family's rule: the 99th percentile of the normal windows' errors), on a log axis. Below: the
validation signal, the stretches of flagged windows shaded, and the true anomalies as a bar
under it (data without a signal, such as digits, has only the histogram, of samples). Under
both: precision, recall and F1 at the threshold, recomputed as it moves. Before the first
errors arrive the view says what it will show instead of drawing axes with nothing on them.
The errors come from the training thread; everything that depends on the threshold is
computed here (a few hundred windows: well under a millisecond).
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

from seqlab.families.autoencoder.anomaly import flagged_spans, scores
from seqlab.ui.theme import ThemeManager, draw_as_segments, style_plot, theme_manager
from seqlab.ui.views.loss_parts import style_legend
from seqlab.ui.widgets.placeholder import Placeholder

ENVELOPE_BINS = 2000      # slices of the signal drawn (about one per pixel of a wide screen)
BINS = 40
WAITING = ("Press <b>Start</b>: once the autoencoder has been validated, this view shows how badly it "
           "rebuilds each validation window or sample (normal and anomalous ones apart, where the data says "
           "which), with a threshold to drag.")


def envelope(y: np.ndarray, bins: int = ENVELOPE_BINS) -> tuple[np.ndarray, np.ndarray]:
    """(x, y) of a long series as the least and greatest value of each of ``bins`` equal
    slices of it, in turn: what a plot a few thousand pixels wide can show of it. The
    18,000-sample signal and its shaded spans were repainted in full (about 90 ms) at each
    redraw of the histogram above them; no spike and no flagged span is lost."""
    y = np.asarray(y, np.float64)
    n = len(y)
    if n <= 2 * bins:
        return np.arange(n, dtype=np.float64), y
    k = -(-n // bins)                                      # samples per slice
    m = -(-n // k)                                         # slices (at most bins)
    padded = np.concatenate([y, np.full(k * m - n, y[-1])]).reshape(m, k)
    lo_hi = np.stack([padded.min(1), padded.max(1)], 1).reshape(-1)
    start = np.arange(m, dtype=np.float64) * k
    x = np.stack([start, np.minimum(start + k - 1, n - 1)], 1).reshape(-1)
    return x, lo_hi


def span_mask(length: int, spans: list[tuple[int, int]]) -> np.ndarray:
    m = np.zeros(length, np.float32)
    for s, e in spans:
        m[max(0, s):min(length, e)] = 1
    return m


class AnomalyView(QWidget):
    def __init__(self, parent: QWidget | None = None, *, theme: ThemeManager | None = None):
        super().__init__(parent)
        self._tm = theme or theme_manager()
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        self.glw = pg.GraphicsLayoutWidget()
        self.stack = Placeholder(self.glw, WAITING, self)
        self.stack.show_content(False)          # until the first errors arrive
        self.waiting = self.stack.message
        lay.addWidget(self.stack, 1)
        self.hist = self.glw.addPlot(row=0, col=0)
        self.hist.addLegend(offset=(-4, 4))
        self.normal_bars = pg.PlotDataItem([], [], stepMode="center", fillLevel=0, name="normal windows")
        self.odd_bars = pg.PlotDataItem([], [], stepMode="center", fillLevel=0, name="anomalous windows")
        self.hist.addItem(self.normal_bars)
        self.hist.addItem(self.odd_bars)
        self.threshold_line = pg.InfiniteLine(angle=90, movable=True)
        self.threshold_line.sigPositionChanged.connect(lambda _l: self._update_threshold())
        self.hist.addItem(self.threshold_line)
        self.stats = QLabel(self)
        self.stats.setTextFormat(Qt.RichText)
        self.stats.setAlignment(Qt.AlignCenter)
        # the figures wrap in a narrow view: unwrapped, presentation type made the window wider than
        # a 1280-pixel screen
        self.stats.setWordWrap(True)
        self.stats.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Preferred)
        lay.addWidget(self.stats)
        self.signal_plot = self.glw.addPlot(row=1, col=0)
        self.glw.ci.layout.setRowStretchFactor(0, 3)
        self.glw.ci.layout.setRowStretchFactor(1, 2)
        self.flag_fill = pg.PlotDataItem([], [], fillLevel=0, name="flagged")
        self.truth_fill = pg.PlotDataItem([], [], fillLevel=0)
        self.signal_curve = draw_as_segments(pg.PlotDataItem([], []))
        for it in (self.flag_fill, self.truth_fill, self.signal_curve):
            self.signal_plot.addItem(it)
        self.errors: np.ndarray | None = None
        self.labels: np.ndarray | None = None
        self.starts = None
        self.window = 0
        self.signal: np.ndarray | None = None
        self.figures: dict = {}
        self._placed = False
        self._what = "windows"       # what each error belongs to: "windows" of a series, or "samples"
        self.anomaly = False         # the labels say which windows are anomalous
        self._tm.changed.connect(self.restyle)
        self.restyle()

    # -- data -------------------------------------------------------------------------------
    def reset(self) -> None:
        self._placed = False
        self.errors = None
        self.stack.show_content(False)
        self.stats.setText("")

    def has_errors(self) -> bool:
        return self.errors is not None

    def set_errors(self, d: dict) -> None:
        """Validation errors (``ae``), labels, and the signal with window starts when it has one."""
        self.errors = np.asarray(d["ae"], np.float64)
        self.labels = np.asarray(d["labels"]) if d.get("labels") is not None else None
        # labels mean normal (0) / anomalous (1) only on anomaly data: a digit's label is no score
        self.anomaly = bool(d.get("anomaly")) and self.labels is not None
        self.hist.legend.setVisible(self.anomaly)
        self.stack.show_content(True)
        series = d.get("signal") is not None or self.signal is not None and d.get("anomaly")
        self._show_signal(bool(series))
        what = "windows" if series else "samples"
        if what != self._what:
            self._what = what
            self._style_hist()
        if d.get("signal") is not None and (self.signal is None or len(self.signal) != len(d["signal"])
                                            or not np.array_equal(self.signal, d["signal"])):
            # the signal is the same in every snapshot of a run: drawn once (18,000 points)
            self.signal = np.asarray(d["signal"])
            self.starts = np.asarray(d["starts"])
            self.window = int(d["window"])
            self._draw_signal(d.get("signal_labels"))
        # log10 of the error: normal windows' small errors and anomalies' large ones both show
        logs = np.log10(np.maximum(self.errors, 1e-12))
        lo, hi = (float(np.percentile(logs, 0.5)), float(np.max(logs))) if len(logs) else (0.0, 1.0)
        edges = np.linspace(lo - 0.05, hi + 0.05, BINS + 1)
        logs = np.clip(logs, edges[0], edges[-1])
        if self.labels is not None and d.get("anomaly"):
            self.normal_bars.setData(edges, np.histogram(logs[self.labels == 0], edges)[0])
            self.odd_bars.setData(edges, np.histogram(logs[self.labels == 1], edges)[0])
        else:
            self.normal_bars.setData(edges, np.histogram(logs, edges)[0])
            self.odd_bars.setData(edges, np.zeros(BINS))
        if not self._placed:
            # the family's rule where it gives one; otherwise (digits) the same rule on every
            # error: left at 1 the line stretched the axis far past the bars
            thr = d.get("threshold")
            self.set_threshold(float(thr) if thr is not None else float(np.percentile(self.errors, 99)))
            self._placed = True
        else:
            self._update_threshold()

    def _show_signal(self, on: bool) -> None:
        """The signal's row, or (data without a signal) the whole height for the histogram: a
        hidden plot keeps its row in the layout unless the row is closed too."""
        self.signal_plot.setVisible(on)
        self.signal_plot.setMaximumHeight(16_777_215 if on else 0)
        self.glw.ci.layout.setRowStretchFactor(1, 2 if on else 0)

    def _draw_signal(self, truth) -> None:
        sig = self.signal
        self.signal_curve.setData(*envelope(sig))
        lo = float(np.min(sig)) - 0.3
        self._fill_base = lo
        if truth is not None:
            t = np.asarray(truth, np.float32)
            self.truth_fill.setData(*envelope(lo - 1.2 + 0.9 * t), fillLevel=lo - 1.2)
        style_plot(self.signal_plot, self._tm, title="validation signal: shaded = flagged windows; "
                   "bar underneath = true anomalies", labels={"bottom": "sample"})

    def set_threshold(self, value: float) -> None:
        """Place the threshold at error `value` (the line lives on the log10 axis)."""
        self.threshold_line.setValue(float(np.log10(max(value, 1e-12))))
        self._update_threshold()

    def threshold(self) -> float:
        return float(10 ** self.threshold_line.value())

    def _update_threshold(self) -> None:
        if self.errors is None:
            return
        thr = self.threshold()
        flagged = self.errors > thr
        if self.anomaly:
            f = self.figures = scores(self.errors, self.labels, thr)
            self.stats.setText(f"threshold <b>{thr:.3g}</b> · flagged <b>{f['flagged']}</b> of {len(self.errors)} "
                               f"{self._what} · precision <b>{f['precision']:.2f}</b> · "
                               f"recall <b>{f['recall']:.2f}</b> · F1 <b>{f['f1']:.2f}</b>")
        else:
            self.figures = {"flagged": int(flagged.sum())}
            self.stats.setText(f"threshold <b>{thr:.3g}</b> · flagged <b>{int(flagged.sum())}</b> of "
                               f"{len(self.errors)} {self._what} (no anomaly labels to score them)")
        if self.signal is not None and self.starts is not None:
            mask = span_mask(len(self.signal), flagged_spans(self.starts, self.window, flagged))
            top = float(np.max(self.signal)) + 0.2
            base = getattr(self, "_fill_base", 0.0)
            self.flag_fill.setData(*envelope(np.where(mask > 0, top, base)), fillLevel=base)

    def _style_hist(self) -> None:
        one = self._what[:-1]
        style_plot(self.hist, self._tm, title=f"reconstruction error of each validation {one}",
                   labels={"bottom": "log₁₀ of the mean squared error", "left": self._what})
        self.normal_bars.opts["name"] = f"normal {self._what}"
        self.odd_bars.opts["name"] = f"anomalous {self._what}"
        legend = self.hist.legend
        for item, label in legend.items:
            label.setText(item.item.opts.get("name", label.text))
        style_legend(legend, self._tm)

    def restyle(self) -> None:
        tm = self._tm
        self.glw.setBackground(tm.theme.base)
        self._style_hist()
        style_plot(self.signal_plot, tm)
        c0, c1 = QColorA(tm.series_color(0), 150), QColorA(tm.series_color(1), 170)
        self.normal_bars.setPen(pg.mkPen(tm.series_color(0), width=1))
        self.normal_bars.setBrush(pg.mkBrush(c0))
        self.odd_bars.setPen(pg.mkPen(tm.series_color(1), width=1))
        self.odd_bars.setBrush(pg.mkBrush(c1))
        self.threshold_line.setPen(pg.mkPen(tm.color("text"), width=tm.width("cursor"), style=Qt.DashLine))
        self.threshold_line.setHoverPen(pg.mkPen(tm.color("accent"), width=tm.width("cursor") * 1.5))
        self.signal_curve.setPen(pg.mkPen(tm.color("text"), width=tm.width("line") * 0.6))
        self.flag_fill.setPen(pg.mkPen(None))
        self.flag_fill.setBrush(pg.mkBrush(QColorA(tm.series_color(1), 70)))
        self.truth_fill.setPen(pg.mkPen(None))
        self.truth_fill.setBrush(pg.mkBrush(tm.series_color(3)))
        self.stats.setFont(tm.font("label"))
        self.stack.restyle(tm)

    def curves(self) -> dict:
        if self.errors is None:
            return {}
        out = {self._what[:-1]: np.arange(len(self.errors)), "error": self.errors}
        if self.anomaly:
            out["anomalous"] = self.labels
        out["flagged"] = (self.errors > self.threshold()).astype(int)
        return out


def QColorA(c, alpha: int):  # noqa: N802 - a QColor with alpha, like Qt's constructors
    from PySide6.QtGui import QColor

    out = QColor(c)
    out.setAlpha(alpha)
    return out


__all__ = ["AnomalyView", "span_mask"]
