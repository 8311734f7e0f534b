"""The GAN family's workspace: Data and Model panels; views of the plane (D's heatmap, real
and generated points, G's gradient), the GAN's metrics, mode coverage and generated images;
a label chooser under the plane and image views for conditional GANs.

Live data: ``plane`` and ``images`` snapshots (computed only while their view is visible),
``health`` records the family publishes at each evaluation (coverage and the collapse
warning), and the logged rows (d_loss, g_loss, d_real, d_fake).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QSizePolicy, QWidget

from seqlab.ui.workspace import Workspace

# short enough for every tab title to stay whole in presentation type on a 1600-px screen beside
# the panel column ("Generator and discriminator" pushed "Generated images" under scroll arrows);
# the views' notes and the picture in the Model panel say which is G and which D
TITLES = {"plane": "G and D", "metrics": "GAN metrics", "coverage": "Mode coverage",
          "images": "Generated images"}

LOSS_NOTE = ("A GAN has no single loss that falls: J<sub>D</sub> and J<sub>G</sub> fight (at the equilibrium "
             "J<sub>D</sub> = 2 ln 2 ≈ 1.39). What D says of real and generated points is in <b>GAN metrics</b>.")

NOTES = {
    "plane": ["Background: D(x), the discriminator's probability that a point is real (fixed scale 0-1). "
              "Small light dots: real data; orange diamonds: G(z) for a fixed batch of noise z.",
              "Arrows: −∂J<sub>G</sub>/∂x, where the generator's loss pushes each sample: up D's slope. "
              "Short arrows mean a vanishing gradient (try the minimax loss against a confident D)."],
    "metrics": ["J<sub>D</sub> = −mean log D(x) − mean log(1 − D(G(z))) and J<sub>G</sub> fight: "
                "neither falls steadily. At the equilibrium D(x) = D(G(z)) = ½ and J<sub>D</sub> = 2 ln 2.",
                "D(x) near 1 with D(G(z)) near 0 for long: D wins and G learns nothing (status line)."],
    "coverage": ["How many modes of the ring or grid hold at least a tenth of their fair share of "
                 "generated samples, and the share of samples farther than 3 std from every mode.",
                 "Mode collapse is a low count that stays low; the status line says so."],
    "images": ["Images from a FIXED batch of noise: the same z every frame, so each picture changes only "
               "because G learns. A conditional GAN's row y is the digit it was asked for.",
               "Choose a digit under the view: 16 noise vectors, one label."],
}


class GanWorkspace(Workspace):
    def __init__(self, *args, **kw):
        super().__init__(*args, **kw)
        from seqlab.families.gan.ui.panels.data_panel import GanDataPanel
        from seqlab.families.gan.ui.panels.model_panel import GanModelPanel
        from seqlab.families.gan.ui.views.coverage_view import CoverageView
        from seqlab.families.gan.ui.views.images_view import ImagesView
        from seqlab.families.gan.ui.views.metrics_view import MetricsView
        from seqlab.families.gan.ui.views.plane_view import PlaneView

        tm = self.tm
        self.view_notes = NOTES
        self.data_panel = GanDataPanel(theme=tm)
        self.model_panel = GanModelPanel(theme=tm)
        for p in (self.data_panel, self.model_panel):
            p.changed.connect(self.changed)
            p.message.connect(self.message)
        self.data_panel.output_changed.connect(self.model_panel.set_output)
        self.data_panel.output_changed.connect(self._on_output)
        self.model_panel.live.connect(self._on_live)

        self.plane = PlaneView(theme=tm)
        self.metrics = MetricsView(theme=tm)
        self.coverage = CoverageView(theme=tm)
        self.images = ImagesView(theme=tm)
        self._views = {"plane": (TITLES["plane"], self.plane), "metrics": (TITLES["metrics"], self.metrics),
                       "coverage": (TITLES["coverage"], self.coverage), "images": (TITLES["images"], self.images)}
        self.data_panel.on_controls_changed()      # the views learn whether G makes points or images

        # The shell's Loss tab draws J_D and J_G (the family's ``loss_curves``), which fight;
        # neither falls when it works: a line under it says what to read there instead
        self.loss_note = QLabel(LOSS_NOTE)
        self.loss_note.setWordWrap(True)
        self.loss_note.setTextFormat(Qt.RichText)
        self.loss_note.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Preferred)
        self.loss_note.setContentsMargins(6, 2, 6, 2)

        self.label_row = QWidget()
        row = QHBoxLayout(self.label_row)
        row.setContentsMargins(6, 0, 6, 0)
        self.label_caption = QLabel("Label")
        self.label_box = QComboBox()
        self.label_box.setToolTip("The class a conditional GAN is asked to generate (and D is shown for)")
        self.label_box.activated.connect(lambda _i: self.bridge.set_request(label=int(self.label_box.currentData())))
        row.addWidget(self.label_caption)
        row.addWidget(self.label_box)
        row.addStretch(1)

        self._current_run: int | None = None
        self._current_view = ""
        self._status = "ok"
        self._plane_snap: dict | None = None
        self._images_snap: dict | None = None
        self._plane_budget = self.budget(0.05, 1 / 30, 1.0, self._draw_plane)
        self._images_budget = self.budget(0.03, 0.2, 2.0, self._draw_images)
        self._health: list[dict] = []
        self._health_budget = self.budget(0.02, 0.25, 2.0, self._draw_health)

    # -- layout -------------------------------------------------------------------------
    def panels(self):
        return [("data", "Data", self.data_panel), ("model", "Model", self.model_panel)]

    def views(self):
        return self._views

    def below_view(self, view: str):
        if view == "loss":
            return self.loss_note
        # only a conditional GAN is given a label
        conditional = self.model_panel.conditional.isChecked()
        return self.label_row if view in ("plane", "images") and conditional else None

    def _on_output(self, out: str) -> None:
        """What G makes ("2": points on a plane; "8x8" ...: images): the plane and image views
        draw, or say there is nothing of theirs to draw."""
        kind = "plane" if out == "2" else "image"
        self.plane.set_data_kind(kind)
        self.images.set_data_kind(kind)

    def demand(self, view: str) -> set[str]:
        return {view} if view in ("plane", "images") else set()

    def on_view_shown(self, view: str) -> None:
        self._current_view = view

    # -- live controls ----------------------------------------------------------------------
    def _on_live(self, name: str, value: Any) -> None:
        if self.bridge is not None and self.bridge.running:
            self.bridge.set_control(name, value)
            shown = {"d_only": "D only", "g_only": "G only"}.get(value, value)
            self.status_note.emit(f"{name.replace('_', ' ')} is now {shown}")

    # -- runs ---------------------------------------------------------------------------
    def _set_labels(self, info: dict) -> None:
        names = info.get("class_names") or []
        cur = self.label_box.currentData()
        self.label_box.clear()
        for i, n in enumerate(names):
            self.label_box.addItem(str(n), i)
        if cur is not None and 0 <= int(cur) < len(names):
            self.label_box.setCurrentIndex(int(cur))
        cond = bool((info.get("spec") or {}).get("model", {}).get("conditional"))
        self.label_box.setEnabled(cond)
        self.label_caption.setText("Digit" if info.get("kind") == "image" else "Label")
        self.label_row.setToolTip("" if cond else "Only a conditional GAN is given a label")

    def on_run_started(self, run_id: int, info: dict) -> None:
        self._current_run = run_id
        self._status = "ok"
        self._health = []
        self.metrics.reset()
        self._plane_snap = None         # a snapshot of the last run, not drawn yet, never will be
        self.plane.clear()
        self.coverage.start_run(run_id, info.get("label", ""), info.get("modes"))
        self._set_labels(info)
        if info.get("kind"):
            self._on_output("2" if info["kind"] == "plane" else "image")

    def on_rows(self, run_id: int, rows: list) -> None:
        if run_id == self._current_run:
            self.metrics.add_rows(rows)

    def on_opened(self, run_id: int, label: str, d: dict) -> None:
        from seqlab.families.gan.health import history_from_files

        info = d.get("info") or {}
        self._current_run = run_id
        # the plane of the run opened comes as a snapshot (when the view is shown); until then
        # the view says so rather than showing the last run's
        self._plane_snap = None
        self.plane.clear()
        self.metrics.set_rows(d.get("metrics") or [])
        self.coverage.start_run(run_id, label, info.get("modes"), history_from_files(d.get("files") or {}))
        self._set_labels({**info, "spec": d["spec"].to_dict() if hasattr(d.get("spec"), "to_dict") else {}})

    def on_run_removed(self, run_id: int) -> None:
        if run_id in self.coverage.runs:
            self.coverage._remove(run_id)

    def on_snapshot(self, run_id: int, kind: str, payload: Any) -> None:
        if run_id != self._current_run:
            return
        if kind == "plane":
            self._plane_snap = payload
            self._plane_budget.request()
        elif kind == "images":
            self._images_snap = payload
            self._images_budget.request()
        elif kind == "health":
            # every evaluation sends one; they are drawn together within the budget
            self._health.append(payload)
            self._health_budget.request()
            status = payload.get("status", "ok")
            if status != self._status:
                self._status = status
                if payload.get("short"):
                    self.status_note.emit(payload["short"])

    def flush(self) -> None:
        for b in (self._plane_budget, self._images_budget, self._health_budget):
            b.flush()

    def _draw_health(self) -> None:
        pending, self._health = self._health, []
        if not pending or self._current_run is None:
            return
        records = [r for p in pending for r in (p.get("history") or [])]
        last = pending[-1]
        self.coverage.add(self._current_run, records, last.get("modes_total"), last.get("status"),
                          last.get("message", ""))

    def _draw_plane(self) -> None:
        s = self._plane_snap
        if s is not None:
            self.plane.set_snapshot(s)
            if self._current_view == "plane" and self.plane.isVisible():
                self.plane.graphics.viewport().repaint()

    def _draw_images(self) -> None:
        s = self._images_snap
        if s is not None:
            self.images.set_snapshot(s)
            if self._current_view == "images" and self.images.isVisible():
                self.images.graphics.viewport().repaint()

    # -- export / style -------------------------------------------------------------------
    def restyle(self) -> None:
        err = "#ff7070" if self.tm.theme.dark else "#b00000"
        for p in (self.data_panel, self.model_panel):
            p.set_error_color(err)
        for v in (self.plane, self.metrics, self.coverage, self.images):
            v.restyle()
        self.loss_note.setFont(self.tm.font("small" if not self.tm.presentation else "body"))
        self.loss_note.setStyleSheet(f"color: {self.tm.theme.muted};")
        self.data_panel.canvas.restyle()
        self.model_panel.picture.update()


__all__ = ["GanWorkspace", "TITLES", "NOTES"]
