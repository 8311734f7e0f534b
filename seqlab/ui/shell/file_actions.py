"""Files: save and open run folders, open and save experiment JSON, export a view."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox

from seqlab.core.spec import ExperimentSpec, SpecError


class FileActions:
    """Mixin of MainWindow."""

    # -- run folders ------------------------------------------------------------------------
    def save_run_dialog(self, run_id: int | None = None) -> None:
        """Save a run as a folder: `run_id`, else the run chosen in the Loss table, else the latest."""
        if run_id is None:
            chosen = self.loss_view.selected_run()
            run_id = int(chosen) if chosen is not None else self._current_run
        if not self.bridge.has_worker() or run_id is None:
            self.show_message("Nothing to save yet", "Press Start to train a model first; then save it "
                              "as a run folder (weights, curves and gradients).", QMessageBox.Information)
            return
        run = self.runs.get(run_id)
        spec = run.spec if run else None
        name = (getattr(spec, "name", "") or (self.workspace.family.label(spec) if spec is not None else "")
                or "seqlab") + "-run"
        name = "".join(c if c.isalnum() or c in "-_." else "-" for c in name.replace("×", "x")).strip("-")
        path, _ = QFileDialog.getSaveFileName(self, "Save the run as a folder", str(Path(self.prefs.last_folder) / name),
                                              "Run folder (*)")
        if path:
            self.prefs.last_folder = str(Path(path).parent)
            self.save_run(path, run_id)

    def save_run(self, path: str, run_id: int | None = None) -> None:
        """Write a run (the latest by default; weights, curves, the family's files) as a run
        folder, atomically."""
        self.show_status_note(f"Saving {path} …")
        self.bridge.save(path, run_id)

    def _on_saved(self, path: str, run_id: int = -1) -> None:
        self.last_saved = path
        run = self.runs.get(run_id)
        if run is not None:
            run.saved_to = path
        self.show_status_note(f"Saved the run folder {path}")

    def _on_run_renamed(self, run_id: str, label: str) -> None:
        run = self.runs.get(int(run_id))
        if run is not None:
            run.label = label
        self.workspace.on_run_renamed(int(run_id), label)

    def _on_run_removed(self, run_id: str) -> None:
        rid = int(run_id)
        self.runs.remove(rid)
        for ws in self._workspaces.values():
            ws.on_run_removed(rid)
        self.bridge.forget(rid)

    def unsaved_runs(self) -> list[str]:
        """Labels of runs trained here, with at least one step, not saved since."""
        out = []
        for rid in self.runs.ids():
            run = self.runs.get(rid)
            if run.kind == "train" and run.saved_to is None and run.summary and run.summary.get("steps", 0) > 0:
                out.append(run.label)
        return out

    def confirm_quit(self) -> bool:
        """Ask before unsaved runs are lost; True when the window may close."""
        unsaved = self.unsaved_runs()
        if not unsaved:
            return True
        names = "\n".join(f"• {n}" for n in unsaved[:8]) + ("\n…" if len(unsaved) > 8 else "")
        box = QMessageBox(QMessageBox.Question, "Quit SeqLab?",
                          f"{len(unsaved)} run{'s are' if len(unsaved) > 1 else ' is'} not saved:\n{names}\n\n"
                          "Quit anyway, or cancel and save them (File ▸ Save run folder, or right-click a "
                          "run in the Loss table)?", QMessageBox.Discard | QMessageBox.Cancel, self)
        box.button(QMessageBox.Discard).setText("Quit without saving")
        box.setDefaultButton(QMessageBox.Cancel)
        return box.exec() == QMessageBox.Discard

    def quit_asking(self) -> None:
        """File ▸ Quit: ask about unsaved runs first."""
        if self.confirm_quit():
            self._confirmed_quit = True
            self.close()

    def open_run_dialog(self) -> None:
        path = QFileDialog.getExistingDirectory(self, "Open a run folder", self.prefs.last_folder)
        if path:
            self.prefs.last_folder = str(Path(path).parent)
            self.open_run(path)

    def open_run(self, path: str) -> int:
        """Open a run folder: its curves and files come back, its weights can be probed and
        trained further (Start continues from them while the panels are unchanged)."""
        self._queue = []
        rid = self.bridge.open_run(path)
        self.runs.add(rid, Path(path).name, kind="open")
        self._current_run = rid
        self._set_state("opening", Path(path).name)
        return rid

    def _on_opened(self, rid: int, d: dict) -> None:
        spec: ExperimentSpec = d["spec"]
        run = self.runs.get(rid) or self.runs.add(rid, Path(d["path"]).name, kind="open")
        run.spec, run.info, run.summary = spec, d["info"], d["summary"]
        label = f"{Path(d['path']).name} (opened)"
        self.open_free_lab()                          # the lesson's step counter starts afresh too
        self.set_spec(spec)
        self._opened_spec = spec.to_dict()
        from seqlab.core.run_folder import split_validations

        rows, validations = split_validations(d["metrics"], d["summary"].get("format", ""))
        lv = self.loss_view
        lv.start_run(str(rid), label, dict(d["info"]), self._loss_curves(spec))
        label = run.label = lv.run_label(str(rid))
        lv.add_rows(str(rid), [{k: v for k, v in r.items() if not k.startswith("val_")} for r in rows])
        for v in validations:
            lv.add_validation(str(rid), v["step"], v)
        lv.finish_run(str(rid), d["summary"])         # its state as saved: finished, stopped ...
        run.rows, run.validations = rows, validations
        self.workspace.on_opened(rid, label, d)
        self.setWindowTitle(f"SeqLab — {Path(d['path']).name}")
        self._set_state("opened", Path(d["path"]).name)
        if d.get("data_error"):
            self.show_message("The run's data could not be rebuilt",
                              f"The curves and weights are loaded, but the data is not, so the model cannot "
                              f"be probed:\n\n{d['data_error']}", QMessageBox.Warning)
        self._update_buttons()

    # -- experiments --------------------------------------------------------------------------
    def open_experiment_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open an experiment", self.prefs.last_folder,
                                              "Experiment JSON (*.json);;All files (*)")
        if path:
            self.open_experiment(path)

    def open_experiment(self, path: str) -> bool:
        try:
            spec = ExperimentSpec.load(path)
        except SpecError as e:
            self.show_message("Cannot open this experiment", str(e), QMessageBox.Warning)
            return False
        self.open_free_lab()
        self.set_spec(spec)
        return True

    def save_experiment_dialog(self) -> None:
        spec = self.current_spec()
        if spec is None:
            self.show_message("Cannot save", "Fix the highlighted value first:\n\n" + self._errors_text(),
                              QMessageBox.Warning)
            return
        path, _ = QFileDialog.getSaveFileName(self, "Save the experiment", str(Path(self.prefs.last_folder) / "experiment.json"),
                                              "Experiment JSON (*.json)")
        if not path:
            return
        from seqlab.core.run_folder import write_text_atomic

        try:
            write_text_atomic(Path(path), spec.to_json())
            self.show_status_note(f"Saved {path}")
        except OSError as e:
            self.show_message("Cannot save", f"{path}: {e}", QMessageBox.Warning)

    # -- export -------------------------------------------------------------------------------
    def export_dialog(self, kind: str) -> None:
        key = self.current_view()
        filt = {"png": "PNG image (*.png)", "svg": "SVG drawing (*.svg)", "csv": "CSV file (*.csv)"}[kind]
        default = str(Path(self.prefs.last_folder) / f"seqlab-{key}.{kind}")
        path, _ = QFileDialog.getSaveFileName(self, f"Export the {self.view_title(key)} view", default, filt)
        if path:
            self.prefs.last_folder = str(Path(path).parent)
            self.export_view(kind, path)

    def export_view(self, kind: str, path: str, key: str | None = None, width: int | None = None) -> str | None:
        """Export a view (the current one by default) as 'png' (``width`` pixels wide; slides
        size by default), 'svg' (every plot and drawing of the view) or 'csv' (one column set
        per run); returns the path written, or None after showing why it could not be."""
        from seqlab.ui.views import export

        key = key or self.current_view()
        view = self.view_page(key)
        title = self.view_title(key)
        run = self.runs.get(self._current_run)
        caption = f"SeqLab · {title} · {run.label}" if run is not None else f"SeqLab · {title}"
        try:
            export.check_extension(kind, path)
            if kind == "png":
                out = export.export_widget_png(view, path, width=width or export.SLIDE_WIDTH, caption=caption)
            elif kind == "svg":
                out = export.export_widget_svg(view, path, caption=caption)
            else:
                cols = self.loss_view.curves() if key == "loss" else self.workspace.curves(key)
                if not cols:
                    raise OSError(f"the {title} view has no numbers yet; start a run first")
                out = export.export_curves_csv(path, cols)
        except OSError as e:
            self.show_message("Cannot export", str(e), QMessageBox.Warning)
            return None
        self.show_status_note(f"Exported the {title} view as {kind.upper()} to {out}")
        return out


__all__ = ["FileActions"]
