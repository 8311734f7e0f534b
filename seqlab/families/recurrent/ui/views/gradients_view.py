"""Gradients through time: how strongly the loss depends on the hidden state at each t.

Four plots and a caption:

* a heatmap, training step (y) x time step t (x), coloured by log10 ||dL/dh_t||; a colour
  bar labelled in powers of ten.  A vanilla RNN's rows fade by orders of magnitude towards
  t = 1 (vanishing gradients); an LSTM with a high forget-gate bias keeps them level;
* the latest record as a curve over t on a logarithmic axis;
* the total gradient norm before and after clipping, over training steps;
* the latest per-parameter gradient norms as bars on a logarithmic axis (param_norms.py).

The values come from the probe's unrolled graph (the fused cuDNN / oneDNN modules do not
expose the gradient flowing back through h_{t+1}), which the caption says.  Time steps are
shown 1..T, as the course writes them and as the other views do.

Memory is bounded: the heatmap keeps at most :attr:`GradientsView.MAX_RECORDS` rows; when
full it keeps every other row and from then on takes every other record (the stride doubles),
so rows stay evenly spaced in training steps and the step axis stays true.
"""

from __future__ import annotations

import math
from typing import Any, Iterable, Mapping

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt, QTimer
from PySide6.QtWidgets import QBoxLayout, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from seqlab.families.recurrent.ui.views.log_rows import LogRows
from seqlab.families.recurrent.ui.views.param_norms import ParamNormsPlot
from seqlab.families.recurrent.ui.views.part_switch import PartSwitch
from seqlab.ui.theme import (
    ThemeManager, colormap, style_colorbar, style_plot, theme_manager,
)
from seqlab.ui.views.loss_view import (
    BoundedSeries, PowerAxis, finite_float, fit_legend, label_fill, make_legend, place_legend, place_line_label,
    powers_of_ten, quiet_axes, style_legend,
)

__all__ = ["GradientsView", "DEFAULT_MEASURE", "powers_of_ten"]

_LogRows = LogRows   # its earlier name

#: What the records measure, as the caption and titles say it.
DEFAULT_MEASURE = "‖∂L/∂h_t‖, first layer, on 8 validation sequences"

_MAX_DECADES = 12  # a colour range wider than this would leave no contrast where it matters
#: below this height (times the type scale) the plots take turns in pairs and the caption says
#: only what the gradients do now (the explanation is its tooltip; the notes say it too)
_SHORT_BELOW = 400


def _sci(v: float) -> str:
    """A factor as 4.2×10⁵ (or plain for 0.01..1000)."""
    if not math.isfinite(v) or v <= 0:
        return str(v)
    if 0.01 <= v < 1000:
        return f"{v:.3g}"
    e = math.floor(math.log10(v))
    m = v / 10 ** e
    return f"{m:.2g}×{powers_of_ten(e)}"


class GradientsView(QWidget):
    """Gradients through time, total gradient norm around clipping, per-parameter norms.

    Feed it :meth:`add_record` (a record of ||dL/dh_t|| over t, with per-parameter norms)
    and :meth:`add_rows` (metric rows carrying ``grad_norm`` and ``grad_norm_clipped``).
    """

    #: Heatmap rows kept at most (memory stays flat on long runs).
    MAX_RECORDS = 400

    def __init__(self, parent: QWidget | None = None, *, theme: ThemeManager | None = None,
                 measure: str = DEFAULT_MEASURE, max_records: int | None = None):
        super().__init__(parent)
        self._tm = theme or theme_manager()
        self._measure = measure
        self._rows = LogRows(max_records or self.MAX_RECORDS)
        self._levels: tuple[float, float] | None = None
        self._latest: tuple[int, np.ndarray] | None = None
        self._params: dict[str, float] = {}
        self._clip_norm: float | None = None
        self._before = BoundedSeries(20_000, reduce="max")
        self._after = BoundedSeries(20_000, reduce="max")
        self._dirty = False

        # heatmap: training step (y) x time step (x)
        self.heatmap_widget = pg.PlotWidget()
        self.heatmap_plot: pg.PlotItem = self.heatmap_widget.getPlotItem()
        self.heatmap_plot.setMenuEnabled(False)
        self.heatmap_plot.getViewBox().setDefaultPadding(0.0)
        self.heatmap_image = pg.ImageItem(axisOrder="row-major")  # image[record, t]
        self.heatmap_plot.addItem(self.heatmap_image)
        self.colorbar = pg.ColorBarItem(values=(-4, 0), colorMap=colormap("gate"),
                                        interactive=False, colorMapMenu=False, width=18)
        self.colorbar.setImageItem(self.heatmap_image, insert_in=self.heatmap_plot)
        self.heatmap_widget.scene().sigMouseMoved.connect(self._on_hover)

        # the latest record over t, log y
        self.latest_widget = pg.PlotWidget(axisItems={"left": PowerAxis("left")})
        self.latest_plot: pg.PlotItem = self.latest_widget.getPlotItem()
        self.latest_plot.setMenuEnabled(False)
        self.latest_plot.showGrid(x=True, y=True, alpha=0.3)
        self.latest_plot.setLogMode(x=False, y=True)
        self.latest_curve = pg.PlotDataItem(symbol="o")
        self.latest_plot.addItem(self.latest_curve)

        # total gradient norm before / after clipping, log y
        self.clip_widget = pg.PlotWidget(axisItems={"left": PowerAxis("left")})
        self.clip_plot: pg.PlotItem = self.clip_widget.getPlotItem()
        self.clip_plot.setMenuEnabled(False)
        self.clip_plot.showGrid(x=True, y=True, alpha=0.3)
        self.clip_plot.setLogMode(x=False, y=True)
        # one short row where the plot is wide; in a corner free of the curves, else under the plot
        self.clip_legend = make_legend(self.clip_plot, colCount=2)
        self._legend_timer = QTimer(self)       # the plot was resized (or shown): place it again
        self._legend_timer.setSingleShot(True)
        self._legend_timer.timeout.connect(self._place_clip_legend)
        self.clip_plot.getViewBox().sigResized.connect(self._legend_timer.start)
        self.before_curve = pg.PlotDataItem()
        self.after_curve = pg.PlotDataItem()
        for c in (self.before_curve, self.after_curve):
            c.setDownsampling(auto=True, method="peak")
            c.setClipToView(True)
            self.clip_plot.addItem(c)
        self.clip_legend.addItem(self.before_curve, "before clipping")
        self.clip_legend.addItem(self.after_curve, "after clipping")
        self.clip_line = pg.InfiniteLine(angle=0, movable=False, label="clip threshold",
                                         labelOpts={"position": 0.97, "anchors": [(1, 0), (1, 1)]})
        self.clip_line.hide()
        self.clip_plot.addItem(self.clip_line, ignoreBounds=True)

        # per-parameter gradient norms, horizontal bars on a log axis
        self.param_widget = ParamNormsPlot(self._tm)
        self.param_plot: pg.PlotItem = self.param_widget.plot
        self.param_bars = self.param_widget.bars

        for p in (self.heatmap_plot, self.latest_plot, self.clip_plot):
            quiet_axes(p)

        self.caption = QLabel()
        self.caption.setWordWrap(True)
        self.caption.setTextFormat(Qt.RichText)
        self.caption.setSizePolicy(QSizePolicy.Preferred, QSizePolicy.Minimum)

        # Two independent columns: the parameter list may need height that the heatmap,
        # in the other column, should not have to give up.
        left, right = QVBoxLayout(), QVBoxLayout()
        for col in (left, right):
            col.setContentsMargins(0, 0, 0, 0)
            col.setSpacing(4)
        left.addWidget(self.heatmap_widget, 3)
        left.addWidget(self.latest_widget, 2)
        right.addWidget(self.clip_widget, 3)
        right.addWidget(self.param_widget, 2)
        grid = QHBoxLayout()
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(4)
        grid.addLayout(left, 3)
        grid.addLayout(right, 2)
        self._left, self._right, self._grid = left, right, grid
        self._short = False
        # where the view is short, the two pairs of plots take turns: these buttons choose
        # (the owner places them, e.g. beside its run chooser; shown only when short)
        self._part = "time"
        self.parts = PartSwitch((
            ("time", "Through time", "‖∂L/∂h_t‖ over time steps: the heatmap and the latest record"),
            ("norms", "Norms", "The total gradient norm around clipping, and each parameter's")))
        self.parts.chosen.connect(self.show_part)
        self.parts.hide()
        lay = QVBoxLayout(self)
        lay.setContentsMargins(2, 2, 2, 2)
        lay.addLayout(grid, 1)
        lay.addWidget(self.caption)

        self._tm.changed.connect(self.restyle)
        self.restyle()
        self._update_caption()

    # --- data ---------------------------------------------------------------------------
    def reset(self) -> None:
        """Forget every record and row (a new run)."""
        self._rows.clear()
        self._levels = None
        self._latest = None
        self._params = {}
        self._before.clear()
        self._after.clear()
        self._changed()

    def add_record(self, step: int, gtt: np.ndarray,
                   param_norms: Mapping[str, float] | None = None) -> None:
        """A gradients-through-time record: ``gtt[t]`` = ||dL/dh_t|| for t = 0..T-1 at
        training ``step``, and the per-parameter gradient norms at that step."""
        g = np.asarray(gtt, np.float64).ravel()
        if g.size == 0:
            return
        self._latest = (int(step), g.astype(np.float32))
        with np.errstate(divide="ignore", invalid="ignore"):
            logs = np.where((g > 0) & np.isfinite(g), np.log10(np.where(g > 0, g, 1.0)), np.nan)
        width_changed = self._rows.n and self._rows.width != g.size
        if width_changed:
            self._levels = None
        if self._rows.add(float(step), logs.astype(np.float32)):
            self._widen_levels(logs)
        if param_norms:
            self._params = {str(k): float(v) for k, v in param_norms.items()}
        self._changed()

    def add_rows(self, rows: Iterable[Mapping[str, Any]]) -> None:
        """Metric rows: ``grad_norm`` (before clipping) and ``grad_norm_clipped`` (after)."""
        bx, by, ax, ay = [], [], [], []
        for row in rows:
            try:
                step = float(row["step"])
            except (KeyError, TypeError, ValueError):
                continue
            b, a = finite_float(row.get("grad_norm")), finite_float(row.get("grad_norm_clipped"))
            if b is not None:
                bx.append(step)
                by.append(b)
            if a is not None:
                ax.append(step)
                ay.append(a)
        if bx:
            self._before.extend(bx, by)
        if ax:
            self._after.extend(ax, ay)
        if bx or ax:
            self._changed()

    def set_clip_norm(self, value: float | None) -> None:
        """Draw the clipping threshold (``None``: clipping is off, no line)."""
        self._clip_norm = float(value) if value and value > 0 else None
        if self._clip_norm is None:
            self.clip_line.hide()
        else:
            self.clip_line.setValue(math.log10(self._clip_norm))  # the axis is log10
            self.clip_line.show()

    def set_measure(self, text: str) -> None:
        """Say what the records measure (e.g. '‖∂L/∂x_t‖, input gradient')."""
        self._measure = text
        self.restyle()
        self._update_caption()

    # --- what the plots hold, for tests and export ----------------------------------------
    def heatmap_data(self) -> np.ndarray:
        """log10 of the kept records, [records, T], oldest first."""
        return self._rows.image()

    def heatmap_steps(self) -> np.ndarray:
        """The training step of each kept heatmap row."""
        return self._rows.steps[: self._rows.n]

    def colour_levels(self) -> tuple[float, float] | None:
        """The colour range in log10 units (whole decades)."""
        return self._levels

    def latest(self) -> tuple[int, np.ndarray] | None:
        """The latest record: (step, ||dL/dh_t|| over t)."""
        return self._latest

    def param_norms(self) -> dict[str, float]:
        return dict(self._params)

    def export_targets(self) -> dict[str, pg.PlotItem]:
        return {"gradients through time": self.heatmap_plot, "latest record": self.latest_plot,
                "gradient norm and clipping": self.clip_plot,
                "per-parameter gradient norms": self.param_plot}

    def curves(self) -> dict[str, np.ndarray]:
        out: dict[str, np.ndarray] = {
            "step": self._before.x.copy(), "grad norm before clipping": self._before.y.copy(),
            "step (after clipping)": self._after.x.copy(),
            "grad norm after clipping": self._after.y.copy(),
        }
        if self._latest is not None:
            out["t"] = np.arange(1, self._latest[1].size + 1)
            out[f"latest dL/dh_t (step {self._latest[0]})"] = self._latest[1].astype(np.float64)
        return out

    # --- drawing ------------------------------------------------------------------------
    def refresh(self) -> None:
        """Push the kept data into the plot items now."""
        self._dirty = False
        img = self._rows.image()
        if img.size:
            n, T = img.shape
            lo, hi = self._levels or (-1.0, 0.0)
            self.heatmap_image.setImage(img, autoLevels=False, levels=(lo, hi))
            steps = self.heatmap_steps()
            d = (steps[-1] - steps[0]) / (n - 1) if n > 1 and steps[-1] > steps[0] else 1.0
            self.heatmap_image.setRect(QRectF(0.5, steps[0] - d / 2, T, n * d))
            self.heatmap_plot.setRange(xRange=(0.5, T + 0.5),
                                       yRange=(steps[0] - d / 2, steps[0] - d / 2 + n * d), padding=0)
        else:
            self.heatmap_image.clear()
        if self._latest is not None:
            step, g = self._latest
            with np.errstate(divide="ignore", invalid="ignore"):
                y = np.where(g > 0, g, np.nan)
            self.latest_curve.setData(np.arange(1, g.size + 1), y)
            self.latest_plot.setTitle(self._latest_title(step), **self._title_opts())
        else:
            self.latest_curve.setData([], [])
            self.latest_plot.setTitle(self._latest_title(None), **self._title_opts())
        self.before_curve.setData(self._before.x, self._before.y)
        self.after_curve.setData(self._after.x, self._after.y)
        self._place_clip_legend()
        self._draw_params()
        self._update_caption()

    def _place_clip_legend(self) -> None:
        """'before / after clipping' where it covers neither curve nor the threshold: in a free
        corner, else in a row under the plot (the curve zig-zags through every corner); the
        threshold's label slides along its line off the curves first."""
        curves = [self.before_curve, self.after_curve]
        fit_legend(self.clip_legend, self.clip_plot.getViewBox().width(), 2, 430 * self._tm.scale)
        place_line_label(self.clip_line, self.clip_plot, curves)
        place_legend(self.clip_legend, self.clip_plot, curves, avoid=[self.clip_line.label],
                     lines=[self.clip_line], margin=self.clip_legend.margin, below=0.3)

    def showEvent(self, ev) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(ev)
        if self._dirty:
            self.refresh()

    def _changed(self) -> None:
        self._dirty = True
        if self.isVisible():
            self.refresh()

    def _widen_levels(self, logs: np.ndarray) -> None:
        """Colour levels in whole decades that only ever widen (the same colour keeps
        meaning the same value), at most :data:`_MAX_DECADES` wide."""
        fin = logs[np.isfinite(logs)]
        if fin.size == 0:
            return
        lo, hi = math.floor(float(fin.min())), math.ceil(float(fin.max()))
        if hi == lo:
            hi = lo + 1
        if self._levels is not None:
            lo, hi = min(lo, self._levels[0]), max(hi, self._levels[1])
        lo = max(lo, hi - _MAX_DECADES)
        if (lo, hi) != self._levels:
            self._levels = (float(lo), float(hi))
            self.colorbar.setLevels((lo, hi))
            self._colorbar_ticks()

    def resizeEvent(self, ev) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(ev)
        self._set_short(self.height() < _SHORT_BELOW * self._tm.scale)
        self._colorbar_ticks()
        self._update_caption()

    def _set_short(self, short: bool) -> None:
        """Short (presentation type on a 720-line projector): the plots through time and the
        norms take turns (the Through time / Norms buttons), each pair side by side at the
        whole height, and the caption gives the news only. Two rows of two left each plot a
        strip under its title and axis; four in a row cut their axes and colour bar."""
        if short == self._short or self.height() < 50:
            return
        self._short = short
        d = QBoxLayout.LeftToRight if short else QBoxLayout.TopToBottom
        self._left.setDirection(d)
        self._right.setDirection(d)
        self._right.setStretch(0, 1 if short else 3)
        self._right.setStretch(1, 1 if short else 2)
        self._style_colorbar()
        self._show_part()

    def show_part(self, part: str) -> None:
        """Short: show the plots 'time' (through time) or 'norms' (total and per parameter)."""
        self.parts.set_part(part)
        self._part = part
        self._show_part()

    def part(self) -> str:
        """What shows: 'both' (all four plots), else 'time' or 'norms'."""
        return self._part if self._short else "both"

    def _show_part(self) -> None:
        self.parts.setVisible(self._short)
        time_on = not self._short or self._part == "time"
        norms_on = not self._short or self._part == "norms"
        for w in (self.heatmap_widget, self.latest_widget):
            w.setVisible(time_on)
        for w in (self.clip_widget, self.param_widget):
            w.setVisible(norms_on)
        self._grid.setStretch(0, 3 if time_on else 0)
        self._grid.setStretch(1, 2 if norms_on else 0)

    def is_short(self) -> bool:
        """True where the plots take turns in pairs (see :meth:`_set_short`)."""
        return self._short

    def _colorbar_ticks(self) -> None:
        """A label on every decade, or every 2nd or 3rd when the bar is too short for all."""
        lo, hi = self._levels or (-4.0, 0.0)
        span = max(int(hi - lo), 1)
        bar_px = self.colorbar.axis.geometry().height()
        if bar_px < 20:  # not laid out yet: guess from the view's height
            bar_px = max(self.height() * 0.45 - 60, 80)
        label_px = self._tm.font_pt("small") * 96 / 72 * 1.6
        every = max(1, math.ceil(span * label_px / bar_px))
        ticks = [(float(k), powers_of_ten(k)) for k in range(int(lo), int(hi) + 1)
                 if (k - int(hi)) % every == 0]
        self.colorbar.axis.setTicks([ticks, []])

    def _draw_params(self) -> None:
        self.param_widget.set_norms(self._params)

    def _latest_title(self, step: int | None) -> str:
        if step is None:
            return "Latest record"
        return f"Latest record, step {step:,}"

    def _title_opts(self) -> dict:
        return {"color": self._tm.theme.text, "size": f"{self._tm.font_pt('title'):.1f}pt",
                "bold": True}

    def _update_caption(self) -> None:
        t = self._tm.theme
        lines = [
            f"<b>Colour and curve:</b> {self._measure}, i.e. how much the loss changes with "
            "the hidden state at step t. Fading by orders of magnitude towards t = 1 is "
            "<b>vanishing gradients</b>: early inputs barely affect learning. Clipping caps "
            "the total norm when it explodes.",
        ]
        short = self._short
        if self._latest is not None:
            step, g = self._latest
            first, last = float(g[0]), float(g[-1])
            if g.size > 1 and first > 0 and last > 0 and math.isfinite(first) and math.isfinite(last):
                r = first / last
                how = "shrinks" if r < 1 else "grows"
                f = 1 / r if r < 1 else r
                lines.append(f"<b>Now (step {step:,}):</b> from t = {g.size} back to t = 1 the "
                             f"gradient {how} by a factor of <b>{_sci(f)}</b>.")
        self.caption.setToolTip(lines[0])
        if short and len(lines) > 1:
            lines = lines[1:]     # short (presentation type on a 720-line screen): the news only
        self.caption.setText(f"<span style='color:{t.text}'>" + "<br>".join(lines) + "</span>")

    def _on_hover(self, scene_pos) -> None:
        vb = self.heatmap_plot.getViewBox()
        img = self._rows.image()
        if not img.size or not vb.sceneBoundingRect().contains(scene_pos):
            self.heatmap_widget.setToolTip("")
            return
        p = vb.mapSceneToView(scene_pos)
        t = int(round(p.x())) - 1
        steps = self.heatmap_steps()
        r = int(np.argmin(np.abs(steps - p.y())))
        if 0 <= t < img.shape[1]:
            v = img[r, t]
            val = "—" if not np.isfinite(v) else f"{10 ** float(v):.3g}"
            self.heatmap_widget.setToolTip(f"step {int(steps[r]):,}, t = {t + 1}: {val}")

    # --- style --------------------------------------------------------------------------
    def _style_colorbar(self) -> None:
        # short, the pairs stand side by side: the colour bar's title stood beside the latest
        # record's same axis title, so it goes (and a restyle must not bring it back)
        style_colorbar(self.colorbar, self._tm, "" if self._short else "‖∂L/∂h_t‖")
        self.colorbar.axis.setWidth(round(62 * self._tm.scale))  # room for 10⁻¹⁰ and the label

    def restyle(self) -> None:
        """Re-read fonts, colours and pen widths from the theme manager."""
        tm = self._tm
        for w in (self.heatmap_widget, self.latest_widget, self.clip_widget, self.param_widget):
            w.setBackground(tm.theme.base)
        style_plot(self.heatmap_plot, tm, title="Gradients through time",
                   labels={"left": "training step", "bottom": "time step t"})
        self._style_colorbar()
        # the colour bar's title ends the left column, the total norm's axis title starts the
        # right one: in presentation type 4 px between them read as one word
        self._grid.setSpacing(round(12 * tm.scale))
        self._colorbar_ticks()
        style_plot(self.latest_plot, tm, title=self._latest_title(
            self._latest[0] if self._latest else None),
            labels={"left": "‖∂L/∂h_t‖", "bottom": "time step t"})
        style_plot(self.clip_plot, tm, title="Total gradient norm",
                   labels={"left": "‖∇L‖", "bottom": "training step"})
        self.param_widget.restyle()
        lw = tm.width("line")
        self.latest_curve.setPen(pg.mkPen(tm.series_color(0), width=lw))
        self.latest_curve.setSymbolPen(pg.mkPen(tm.series_color(0), width=1))
        self.latest_curve.setSymbolBrush(tm.series_color(0))
        self.latest_curve.setSymbolSize(6 * tm.scale)
        self.before_curve.setPen(pg.mkPen(tm.series_color(1), width=lw))
        self.after_curve.setPen(pg.mkPen(tm.series_color(0), width=lw, style=Qt.DashLine))
        self.after_curve.setZValue(5)
        self.clip_line.setPen(tm.pen("text", "axis", style=Qt.DotLine))
        self.clip_line.label.setColor(tm.color("text"))
        self.clip_line.label.setFont(tm.font("small"))
        self.clip_line.label.fill = pg.mkBrush(label_fill(tm))   # legible over the curves
        style_legend(self.clip_legend, tm)
        self.clip_legend.margin = 10 * tm.scale
        self.caption.setFont(tm.font("body"))
        self.parts.set_font(tm.font("body", bold=True))
        self._update_caption()
        self._draw_params()
