"""The recurrent family's workspace: Data and Model panels; Hidden state, Gates, Gradients and
Predictions views; the timeline and sample chooser under the trace views.

The shell shows it while a recurrent experiment is chosen (``seqlab.ui.workspace``). Live
data arrives as snapshots: ``trace`` (every gate and state of one sequence) for the hidden
state and gates views, ``predictions``, and the ``gradients`` records the family publishes.
Each is drawn within a share of the GUI thread's time (the shell's redraw budget).
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QSizePolicy, QSpinBox, QVBoxLayout, QWidget

from seqlab.ui.workspace import Workspace

TRACE_VIEWS = ("hidden", "gates")
TITLES = {"hidden": "Hidden state", "gates": "Gates", "gradients": "Gradients", "predictions": "Predictions"}
MAX_GRADIENT_RECORDS = 2000      # per run, kept for the Gradients view (thinned beyond)

NOTES = {
    "hidden": ["Rows are hidden units, columns are time steps of one validation sequence: "
               "h<sub>t</sub> = tanh(W<sub>hh</sub> h<sub>t−1</sub> + W<sub>xh</sub> x<sub>t</sub> + b). "
               "Blue is negative, red positive.",
               "Press <b>Space</b> to animate, <b>←/→</b> to step through time; choose another sequence "
               "with <b>Sample</b>."],
    "gates": ["Each heatmap is one gate over units × time. Sigmoid gates run 0 (closed, dark) to 1 "
              "(open, bright); click a cell to see its equation with the live numbers.",
              "LSTM: c<sub>t</sub> = f<sub>t</sub> ⊙ c<sub>t−1</sub> + i<sub>t</sub> ⊙ c̃<sub>t</sub>, "
              "h<sub>t</sub> = o<sub>t</sub> ⊙ tanh(c<sub>t</sub>). GRU (course symbols): "
              "h<sub>t</sub> = u<sub>t</sub> ⊙ c̃<sub>t</sub> + (1 − u<sub>t</sub>) ⊙ h<sub>t−1</sub>, where u = 1 − z of PyTorch."],
    "gradients": ["‖∂L/∂h<sub>t</sub>‖ over time steps t (across) and training steps (down), on a log "
                  "colour scale. Fading towards t = 1 is a vanishing gradient; growing, an exploding one.",
                  "Turn on clipping in the Training panel (it applies at once) and watch the norm "
                  "before and after clipping."],
    "predictions": ["What the network predicts on validation data. For a series: one-step predictions "
                    "see the true past; the free-running forecast feeds on its own outputs.",
                    "For classes: the probability of each class; the outlined bar is the right answer."],
}


class RecurrentWorkspace(Workspace):
    def __init__(self, *args, **kw):
        super().__init__(*args, **kw)
        from seqlab.families.recurrent.ui.panels.data_panel import DataPanel
        from seqlab.families.recurrent.ui.panels.model_panel import ModelPanel
        from seqlab.families.recurrent.ui.views.gates_view import GatesView
        from seqlab.families.recurrent.ui.views.gradients_view import GradientsView
        from seqlab.families.recurrent.ui.views.hidden_state_view import HiddenStateView
        from seqlab.families.recurrent.ui.views.predictions_view import PredictionsView
        from seqlab.ui.widgets.timeline import TimelineScrubber

        tm = self.tm
        self.view_notes = NOTES
        self.data_panel = DataPanel(theme=tm)
        self.model_panel = ModelPanel(theme=tm)
        for p in (self.data_panel, self.model_panel):
            p.changed.connect(self.changed)
            p.message.connect(self.message)
        self.data_panel.tasks_changed.connect(self.model_panel.set_allowed_tasks)
        self.data_panel.changed.connect(self._update_io)
        self.model_panel.changed.connect(self._update_io)
        self.model_panel.set_allowed_tasks(self.data_panel.supported_tasks())

        self.timeline = TimelineScrubber(theme=tm)
        if prefs_speed := getattr(self.prefs, "animation_speed", None):
            self.timeline.set_speed(prefs_speed)
        self.hidden = HiddenStateView(timeline=self.timeline, theme=tm)
        self.gates = GatesView(timeline=self.timeline, theme=tm)
        self.gradients = GradientsView(theme=tm)
        self.predictions = PredictionsView(theme=tm)
        self.hidden.selectionChanged.connect(lambda u, t: self.gates.set_unit(u))
        self.gates.selectionChanged.connect(lambda u, t: self.hidden.set_unit(u))

        # gradients: which run's records are shown (the runs of a lesson are compared this way)
        self.grad_page = QWidget()
        gl = QVBoxLayout(self.grad_page)
        gl.setContentsMargins(0, 0, 0, 0)
        gl.setSpacing(2)
        bar = QHBoxLayout()
        bar.setContentsMargins(6, 2, 6, 0)
        self.grad_run_box = QComboBox()
        self.grad_run_box.setToolTip("Show the gradients through time of an earlier run, to compare")
        self.grad_run_box.activated.connect(lambda _i: self.show_gradients_of(self.grad_run_box.currentData()))
        bar.addWidget(QLabel("Gradients of run"))
        bar.addWidget(self.grad_run_box)
        bar.addStretch(1)
        bar.addWidget(self.gradients.parts)      # Through time / Norms, where the view is short
        gl.addLayout(bar)
        gl.addWidget(self.gradients, 1)

        # the timeline row under the trace views, with the sample chooser
        self.sample_spin = QSpinBox()
        self.sample_spin.setRange(1, 1)
        self.sample_spin.setToolTip("Which validation sequence the hidden-state and gate views trace")
        self.sample_spin.valueChanged.connect(lambda v: self.bridge.select_sample(v - 1))
        self.sample_info = QLabel("")
        self.sample_info.setTextFormat(Qt.RichText)
        # it must not widen the row (that would squeeze the panels); its tooltip repeats it
        self.sample_info.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Preferred)
        self.sample_info.setMinimumWidth(120)
        self.sample_info.hide()
        self.time_row = QWidget()
        tl = QHBoxLayout(self.time_row)
        tl.setContentsMargins(0, 0, 4, 0)
        tl.addWidget(self.timeline, 3)
        self.sample_label = QLabel("Sample")
        self.sample_label.setToolTip(self.sample_spin.toolTip())
        self.sample_spin.setProperty("base_tip", self.sample_spin.toolTip())
        tl.addWidget(self.sample_label)
        tl.addWidget(self.sample_spin)
        tl.addWidget(self.sample_info, 1)
        self.time_row.installEventFilter(self)

        self._views = {"hidden": (TITLES["hidden"], self.hidden), "gates": (TITLES["gates"], self.gates),
                       "gradients": (TITLES["gradients"], self.grad_page),
                       "predictions": (TITLES["predictions"], self.predictions)}
        self._grads: dict[int, list] = {}          # run id -> gradient records
        self._shown_grad_run: int | None = None
        self._pending_grads: list = []
        self._trace: dict | None = None
        self._trace_dirty: set[str] = set()
        self._predictions: dict | None = None
        self._current_view = ""
        self._trace_budget = self.budget(0.05, 0.05, 2.0, self._draw_trace)
        self._pred_budget = self.budget(0.03, 0.25, 3.0, self._draw_predictions)
        self._grad_budget = self.budget(0.03, 0.10, 2.0, self._draw_gradients)
        self._update_io()

    # -- layout -------------------------------------------------------------------------
    def panels(self):
        return [("data", "Data", self.data_panel), ("model", "Model", self.model_panel)]

    def views(self):
        return self._views

    def below_view(self, view: str):
        return self.time_row if view in TRACE_VIEWS else None

    def demand(self, view: str) -> set[str]:
        return {"trace"} if view in TRACE_VIEWS else {"predictions"} if view == "predictions" else set()

    def on_view_shown(self, view: str) -> None:
        self._current_view = view
        self._apply_trace()

    def import_csv_action(self):
        return self.data_panel.choose_csv

    def _update_io(self) -> None:
        """Input/output sizes for the parameter count, from the data set's rules (no data built)."""
        from seqlab.core.errors import DataError
        from seqlab.families.recurrent.data import io_sizes
        from seqlab.families.recurrent.spec import DataSpec

        try:
            d = self.data_panel.values()
            ds = DataSpec(**{k: v for k, v in d.items() if k in DataSpec().__dict__})
            self.model_panel.set_io(*io_sizes(ds, self.model_panel.values().get("task", "many-to-many")))
        except (DataError, TypeError, ValueError):
            pass

    # -- runs ---------------------------------------------------------------------------
    def on_run_started(self, run_id: int, info: dict) -> None:
        self.predictions.reset()
        self._grads[run_id] = []
        self._add_grad_run(run_id, info.get("label", ""))
        self.show_gradients_of(run_id)
        n_val = int(info.get("n_val") or 0)
        self.sample_spin.blockSignals(True)
        self.sample_spin.setRange(1, max(1, n_val))
        self.sample_spin.blockSignals(False)

    def set_clipping(self, norm: float | None) -> None:
        self.gradients.set_clip_norm(norm)

    def on_rows(self, run_id: int, rows: list) -> None:
        if self._shown_grad_run == run_id:
            self.gradients.add_rows(rows)

    def on_opened(self, run_id: int, label: str, d: dict) -> None:
        from seqlab.families.recurrent.callbacks import records_from_files

        self._grads[run_id] = records_from_files(d.get("files", {}))
        self._add_grad_run(run_id, label)
        self.show_gradients_of(run_id)

    def on_run_removed(self, run_id: int) -> None:
        self._grads.pop(run_id, None)
        i = self.grad_run_box.findData(run_id)
        if i >= 0:
            self.grad_run_box.removeItem(i)

    def on_run_renamed(self, run_id: int, label: str) -> None:
        i = self.grad_run_box.findData(run_id)
        if i >= 0:
            self.grad_run_box.setItemText(i, f"{i + 1}: {label}")

    def on_snapshot(self, run_id: int, kind: str, payload: Any) -> None:
        if kind == "gradients":
            recs = self._grads.setdefault(run_id, [])
            recs.append(payload)
            if len(recs) > MAX_GRADIENT_RECORDS:
                from seqlab.core.bounded import thin

                self._grads[run_id] = thin(recs)
            if run_id == self._shown_grad_run:
                self._pending_grads.append(payload)
                self._grad_budget.request()
        elif kind == "trace":
            self._trace = payload
            self._trace_dirty = set(TRACE_VIEWS)
            self._trace_budget.request()
        elif kind == "predictions":
            self._predictions = payload
            self._pred_budget.request()

    def flush(self) -> None:
        """Draw what is pending now (a single step, a run's end)."""
        for b in (self._trace_budget, self._pred_budget, self._grad_budget):
            b.flush()

    # -- gradients ------------------------------------------------------------------------
    def _add_grad_run(self, rid: int, label: str) -> None:
        self.grad_run_box.addItem(f"{self.grad_run_box.count() + 1}: {label}", rid)
        while self.grad_run_box.count() > 12:
            self.grad_run_box.removeItem(0)

    def show_gradients_of(self, rid: int | None) -> None:
        """Show one run's gradient records and norms (runs of a lesson can be compared)."""
        gv = self.gradients
        self._shown_grad_run = rid
        self._pending_grads = []
        gv.reset()
        for rec in self._grads.get(rid, []):
            gv.add_record(rec["step"], rec["gtt"], rec.get("param_norms"))
        gv.add_rows(self.runs.rows(rid) if self.runs is not None else [])
        i = self.grad_run_box.findData(rid)
        if i >= 0:
            self.grad_run_box.setCurrentIndex(i)

    def _draw_gradients(self) -> None:
        recs, self._pending_grads = self._pending_grads, []
        for rec in recs:
            self.gradients.add_record(rec["step"], rec["gtt"], rec.get("param_norms"))
        if recs and self._current_view == "gradients" and self.grad_page.isVisible():
            self.grad_page.repaint()

    # -- traces and predictions ---------------------------------------------------------
    def _draw_trace(self) -> None:
        tr = self._trace
        if tr is None:
            return
        self._apply_trace()
        n = int(tr.get("n_samples") or 1)
        if self.sample_spin.maximum() != n:
            self.sample_spin.blockSignals(True)
            self.sample_spin.setRange(1, max(1, n))
            self.sample_spin.blockSignals(False)
        self._update_sample_info(tr)
        view = self._views.get(self._current_view, (None, None))[1]
        if self._current_view in TRACE_VIEWS and view.isVisible():
            view.repaint()
        # no use computing traces faster than they can be drawn
        self.bridge.demand.min_interval["trace"] = self._trace_budget.interval

    def _apply_trace(self) -> None:
        key = self._current_view
        tr = self._trace
        if tr is None or key not in self._trace_dirty:
            return
        self._trace_dirty.discard(key)
        try:
            self._views[key][1].set_trace(tr["states"], tr["x"], tr["cell"], tr["num_layers"], tr["bidirectional"],
                                          weights=tr.get("weights"), nonlinearity=tr.get("nonlinearity", "tanh"))
        except ValueError as e:
            self.status_note.emit(f"This trace cannot be shown: {e}")

    def _update_sample_info(self, tr: dict) -> None:
        y, pred = tr.get("y"), tr.get("pred")
        names = tr.get("class_names")
        text = ""
        try:
            if names and np.ndim(y) == 0 and pred is not None:
                p = np.asarray(pred).ravel()
                k = int(np.argmax(p))
                ok = "✓" if k == int(y) else "✗"
                text = f"target <b>{names[int(y)]}</b> · predicted <b>{names[k]}</b> ({p[k]:.0%}) {ok}"
        except (IndexError, TypeError, ValueError):
            text = ""
        self.sample_info.setText(text)
        self.sample_info.setToolTip(text)
        # room for it only when there is something to say: empty, it took a quarter of the
        # row and squeezed the time slider to a dot in presentation type at 1280 px
        self._sample_text = text
        self._fit_sample_info()

    def _fit_sample_info(self) -> None:
        """Show the sample's answer beside the chooser only where it fits whole and leaves the
        time slider room to drag (presentation type at 1280 px: "target G · predic" and a
        slider of a few pixels); its tooltip and the Sample box's keep it otherwise."""
        text = getattr(self, "_sample_text", "")
        self.sample_spin.setToolTip(self.sample_spin.property("base_tip") + (f"\n{_plain(text)}" if text else ""))
        if not text:
            self.sample_info.setVisible(False)
            return
        need = self.sample_info.fontMetrics().horizontalAdvance(_plain(text)) + 16
        row = self.time_row
        used = sum(w.sizeHint().width() for w in (self.sample_label, self.sample_spin))
        slider_room = round(160 * self.tm.scale)
        spare = row.width() - self.timeline.minimumSizeHint().width() - slider_room - used - 24
        self.sample_info.setVisible(need <= spare)

    def eventFilter(self, obj, ev) -> bool:  # noqa: N802 (Qt's name)
        if obj is self.time_row and ev.type() == QEvent.Resize:
            self._fit_sample_info()
        return False     # a plain False: PySide6 6.12 mishandles returning super()'s bool

    def _draw_predictions(self) -> None:
        if self._predictions is not None:
            self.predictions.set_predictions(self._predictions)
            if self._current_view == "predictions" and self.predictions.isVisible():
                self.predictions.repaint()

    # -- export ---------------------------------------------------------------------------
    def curves(self, view: str) -> dict[str, Any]:
        if view in ("gradients", "predictions"):
            w = self.gradients if view == "gradients" else self.predictions
            return w.curves() if hasattr(w, "curves") else {}
        tr = self._trace
        if tr is None:
            return {}
        names = ["h"] if view == "hidden" else list(tr["states"])
        out: dict[str, np.ndarray] = {"t": np.arange(1, tr["states"]["h"].shape[1] + 1)}
        for name in names:
            a = tr["states"][name]
            for r in range(a.shape[0]):
                for u in range(a.shape[2]):
                    out[f"{name} row{r} unit{u + 1}"] = a[r, :, u]
        return out

    def export_targets(self, view: str) -> dict[str, Any]:
        w = self.gradients if view == "gradients" else self._views.get(view, (None, None))[1]
        return w.export_targets() if w is not None and hasattr(w, "export_targets") else {}

    def restyle(self) -> None:
        err = "#ff7070" if self.tm.theme.dark else "#b00000"
        for p in (self.data_panel, self.model_panel):
            p.set_error_color(err)

    def shutdown(self) -> None:
        self.timeline.pause()
        if self.prefs is not None:
            self.prefs.animation_speed = self.timeline.speed()


def _plain(html_text: str) -> str:
    return re.sub(r"<[^>]+>", "", html_text)


__all__ = ["RecurrentWorkspace", "TRACE_VIEWS", "NOTES"]
