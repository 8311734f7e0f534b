"""Mode coverage over training: how many modes of a 2-D mixture hold generated samples, and
the share of samples far from every mode, as big numbers and as curves per run.

Mode collapse is seen as a number (few modes covered), not only as a picture. Earlier runs
of a lesson stay, faded, for comparison (the collapse lesson's bad run and its fix).
On data without modes to count (digits), the same two plots show what each evaluation
measures there instead: the distance of G's samples to the real ones (MMD) and their spread
against the data's (a collapsed G's spread falls towards 0), so the view is never empty axes.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

from seqlab.ui.theme import ThemeManager, style_plot, theme_manager
from seqlab.ui.views.loss_view import quiet_axes, style_legend

MAX_RUNS = 6
#: what the two plots show: (record key, title, axis label) for the upper and the lower one
MODES_PLOTS = (("modes", "Modes holding generated samples", "modes"),
               ("far_share", "Share of samples far from every mode (> 3 std)", "share"))
DISTANCE_PLOTS = (("mmd", "Distance of G's samples to real ones (MMD, lower is closer)", "MMD"),
                  ("spread", "Spread of G's samples (1 = the data's; a collapse falls to 0)", "spread"))


class CoverageView(QWidget):
    def __init__(self, parent: QWidget | None = None, *, theme: ThemeManager | None = None):
        super().__init__(parent)
        self.tm = theme or theme_manager()
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        self.figure = QLabel("Modes covered: — (press Start; counted on the ring and the grid)", self)
        self.figure.setTextFormat(Qt.RichText)
        self.figure.setAlignment(Qt.AlignCenter)
        self.figure.setWordWrap(True)
        # a long warning must wrap, never widen the window
        self.figure.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Preferred)
        lay.addWidget(self.figure)
        self.graphics = pg.GraphicsLayoutWidget(parent=self)
        lay.addWidget(self.graphics, 1)
        self.modes_plot = self.graphics.addPlot(row=0, col=0)
        self.far_plot = self.graphics.addPlot(row=1, col=0)
        self.far_plot.setXLink(self.modes_plot)
        self.far_plot.setYRange(0, 1, padding=0.02)
        for p in (self.modes_plot, self.far_plot):
            p.setMenuEnabled(False)
            p.hideButtons()
            p.enableAutoRange(y=False)
            quiet_axes(p)
        self.plots = MODES_PLOTS        # or DISTANCE_PLOTS, as the current run's data has modes
        self.legend = self.modes_plot.addLegend(offset=(-8, -8))
        self.runs: dict[int, dict[str, Any]] = {}     # run id -> label, history, items
        self.current: int | None = None
        self.status = ""
        self.restyle()

    # -- runs --------------------------------------------------------------------------------
    def start_run(self, rid: int, label: str, modes_total: int | None, history=()) -> None:
        if rid in self.runs:
            return
        while len(self.runs) >= MAX_RUNS:
            self._remove(next(iter(self.runs)))
        modes = self.modes_plot.plot([], [], name=label, symbol="o", symbolSize=5)
        far = self.far_plot.plot([], [])
        self.runs[rid] = {"label": label, "history": [], "modes": modes, "far": far, "total": modes_total}
        self.current = rid
        self.status = ""
        self._set_plots(MODES_PLOTS if modes_total else DISTANCE_PLOTS)
        if modes_total:
            self.modes_plot.setYRange(0, modes_total + 0.5, padding=0)
        self.add(rid, list(history), modes_total)
        self._restyle_runs()

    def _set_plots(self, plots) -> None:
        """Modes and far share, or MMD and spread: titles, axes and ranges to match."""
        if plots is self.plots:
            return
        self.plots = plots
        modes = plots is MODES_PLOTS
        self.modes_plot.enableAutoRange(y=not modes)
        self.far_plot.enableAutoRange(y=not modes)
        if modes:
            self.far_plot.setYRange(0, 1, padding=0.02)
        self.restyle()

    def _remove(self, rid: int) -> None:
        run = self.runs.pop(rid)
        self.modes_plot.removeItem(run["modes"])
        self.far_plot.removeItem(run["far"])
        self.legend.removeItem(run["modes"])

    def add(self, rid: int, records: list[dict[str, float]], modes_total: int | None = None,
            status: str | None = None, message: str = "") -> None:
        run = self.runs.get(rid)
        if run is None:
            return
        if modes_total:
            run["total"] = modes_total
        h = run["history"]
        for r in records:
            if h and h[-1]["step"] == r["step"]:
                h[-1] = r
            else:
                h.append(r)
        if status is not None and rid == self.current:
            self.status = message if status != "ok" else ""
        steps = np.array([r["step"] for r in h], float)
        (upper, *_), (lower, *_) = MODES_PLOTS if run["total"] else DISTANCE_PLOTS
        run["modes"].setData(steps, np.array([r.get(upper, np.nan) for r in h], float))
        run["far"].setData(steps, np.array([r.get(lower, np.nan) for r in h], float))
        if rid == self.current:
            self._show_figure(run)

    def _show_figure(self, run) -> None:
        h = run["history"]
        if not h:
            return
        last = h[-1]
        big = f"font-size: {self.tm.font_pt('big') * 1.5:.0f}pt; font-weight: bold"
        if run["total"] and "modes" in last:
            text = (f"<span style='{big}'>{int(last['modes'])} of {run['total']}</span> modes covered · "
                    f"<span style='{big}'>{last.get('far_share', float('nan')):.0%}</span> of samples far "
                    f"from every mode · step {int(last['step']):,}")
        else:
            text = (f"No modes to count on this data set: generated spread "
                    f"{last.get('spread', float('nan')):.2f} × the data's · MMD {last.get('mmd', float('nan')):.4f} "
                    f"· step {int(last['step']):,}")
        if self.status:
            warn = "#ff7070" if self.tm.theme.dark else "#b00000"
            text += f"<br><span style='color:{warn}; font-weight: bold'>{self.status}</span>"
        self.figure.setText(text)

    def reset(self) -> None:
        for rid in list(self.runs):
            self._remove(rid)
        self.current = None
        self.figure.setText("Modes covered: —")

    # -- style --------------------------------------------------------------------------------
    def restyle(self) -> None:
        tm = self.tm
        self.graphics.setBackground(tm.theme.base)
        (_k, t0, y0), (_k1, t1, y1) = self.plots
        style_plot(self.modes_plot, tm, title=t0, labels={"left": y0})
        style_plot(self.far_plot, tm, title=t1, labels={"left": y1, "bottom": "step"})
        self.figure.setFont(tm.font("body"))
        style_legend(self.legend, tm)
        self._restyle_runs()

    def _restyle_runs(self) -> None:
        tm = self.tm
        current = self.runs.get(self.current)
        for i, (rid, run) in enumerate(self.runs.items()):
            # the plots show one measure: runs measured the other way (another data set) step back
            same = current is None or bool(run["total"]) == bool(current["total"])
            for key in ("modes", "far"):
                run[key].setVisible(same)
            c = tm.series_color(i)
            if rid != self.current:
                c.setAlpha(110)
            w = tm.width("line") * (1.4 if rid == self.current else 1.0)
            for key in ("modes", "far"):
                pen = pg.mkPen(c, width=w)
                pen.setCosmetic(True)
                run[key].setPen(pen)
            run["modes"].setSymbolBrush(pg.mkBrush(c))
            run["modes"].setSymbolPen(pg.mkPen(None))

    def curves(self) -> dict[str, np.ndarray]:
        out = {}
        for rid, run in self.runs.items():
            h = run["history"]
            out[f"run {rid} step"] = np.array([r["step"] for r in h])
            for key, *_ in (MODES_PLOTS if run["total"] else DISTANCE_PLOTS):
                out[f"run {rid} {key.replace('_', ' ')}"] = np.array([r.get(key, np.nan) for r in h])
        return out

    def export_targets(self) -> dict[str, Any]:
        return {"modes": self.modes_plot, "far share": self.far_plot}


__all__ = ["CoverageView"]
