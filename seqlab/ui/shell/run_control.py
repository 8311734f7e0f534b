"""Run control: Start / Pause / Step / Stop, a lesson's runs one after another, and the
worker bridge's generic signals turned into curves, status and workspace updates."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

from seqlab.core.registry import get_family


class RunControl:
    """Mixin of MainWindow (it uses the window's bridge, runs, views, workspace and status)."""

    def start_training(self) -> bool:
        """Start training what the panels describe (a lesson with several experiments runs them
        one after another). False, with the reason shown, when the panels hold an error."""
        spec = self.current_spec()
        if spec is None:
            self._set_state("invalid")
            self.show_message("Cannot start", "Fix the highlighted value first:\n\n" + self._errors_text(),
                              QMessageBox.Warning)
            return False
        if self._lesson_unchanged():
            self._queue = list(self._lesson_specs)      # with the lesson's own labels
        else:
            self._queue = [(self.workspace.family.label(spec), spec)]
        self.notice.set_banner("")
        self._start_next()
        return True

    def _start_next(self) -> None:
        if not self._queue:
            return
        label, spec = self._queue.pop(0)
        if self.lesson is not None and any(s is spec for _, s in self._lesson_specs):
            # show the lesson's current experiment in the panels (it is what runs)
            self.set_spec(spec)
        from_loaded = self._opened_spec is not None and self._same_model(spec)
        rid = self.bridge.start(spec, label=label + (" (continued)" if from_loaded else ""),
                                start_from_loaded=from_loaded)
        self._current_run = rid
        self.runs.add(rid, label, spec)
        self._paused = False
        self._set_state("starting", label)
        self._update_buttons()

    def _same_model(self, spec) -> bool:
        o = self._opened_spec
        d = spec.to_dict()
        return o is not None and o["model"] == d["model"] and o["data"] == d["data"] and o["family"] == d["family"]

    def stop_training(self) -> None:
        """Stop the run in progress (and any lesson runs queued after it)."""
        self._queue = []
        if self.bridge.running:
            self.bridge.stop()
            self._set_state("stopping")

    def start_or_stop(self) -> None:
        if self.bridge.running:
            self.stop_training()
        else:
            self.start_training()

    def toggle_pause(self) -> None:
        if not self.bridge.running:
            return
        if self._paused:
            self.bridge.resume()
        else:
            self.bridge.pause()

    def step_once(self) -> None:
        if self.bridge.running:
            self.bridge.step_once()
        else:
            self.show_status_note("Start a run first; Step then trains one step at a time.")

    def is_running(self) -> bool:
        return self.bridge.running

    def _on_lr_live(self, lr: float) -> None:
        if self.bridge.running:
            self.bridge.set_lr(lr)
            self.show_status_note(f"Learning rate is now {lr:g}")

    def _on_clipping_live(self, norm, value) -> None:
        self.workspace.set_clipping(norm)
        if self.bridge.running:
            self.bridge.set_clipping(norm, value)
            what = f"by norm at {norm:g}" if norm else f"by value at {value:g}" if value else "off"
            self.show_status_note(f"Gradient clipping is now {what}")

    # -- worker signals ------------------------------------------------------------------
    def _on_ready(self, info: dict) -> None:
        self.training_panel.set_devices(bool(info.get("cuda")), info.get("gpu"), info.get("error"))
        if info.get("error"):
            self.show_message("PyTorch is not available", info["error"], QMessageBox.Critical)
        if self._state == "ready":
            self._set_state("ready")

    def _on_started(self, rid: int, info: dict) -> None:
        run = self.runs.get(rid) or self.runs.add(rid, info.get("label", ""))
        run.info = info
        label = info.get("label") or run.label
        self.loss_view.start_run(str(rid), label, info, self._loss_curves(run.spec))
        label = run.label = self.loss_view.run_label(str(rid))     # told apart from a namesake
        self.workspace.on_run_started(rid, {**info, "label": label})
        self._status.update(device=info.get("device", ""), step=0, epoch=0, sps=None, val_loss=None, val_acc=None,
                            epochs_done=None)
        clip = self.training_panel.clipping()
        self.workspace.set_clipping(clip[0] if clip else None)
        self._set_state("training", info.get("label", ""))
        if info.get("note"):
            self.show_status_note(info["note"])
        self.run_started.emit(rid)

    def _loss_curves(self, spec) -> tuple:
        """What the Loss view draws for a run of ``spec`` (its family's ``loss_curves``)."""
        fam = get_family(spec.family) if spec is not None else self.workspace.family
        return fam.loss_curves

    def _on_rows(self, rid: int, rows: list) -> None:
        if rid not in self.runs:
            return
        self.runs.add_rows(rid, rows)
        self._pending_rows.setdefault(rid, []).extend(rows)
        self._curve_budget.request()

    def _on_validation(self, rid: int, metrics: dict) -> None:
        self.runs.add_validation(rid, metrics)
        self._pending_val.append((rid, metrics))
        self._curve_budget.request()

    def _on_snapshot(self, rid: int, kind: str, payload) -> None:
        if rid in self.runs:
            self.workspace.on_snapshot(rid, kind, payload)
            if self._paused:
                self.workspace.flush()     # a single step: show its result at once

    def _flush_curves(self) -> None:
        """Put what arrived since the last redraw into the loss curves, the workspace and the status bar."""
        rows, self._pending_rows = self._pending_rows, {}
        vals, self._pending_val = self._pending_val, []
        lv = self.loss_view
        with lv.batched():
            for rid, batch in rows.items():
                lv.add_rows(str(rid), batch)
                self.workspace.on_rows(rid, batch)
                if rid == self._current_run and batch:
                    last = batch[-1]
                    self._status.update(step=int(last.get("step", 0)), epoch=int(last.get("epoch", 0)),
                                        sps=last.get("steps_per_s"), lr=last.get("lr"))
            for rid, m in vals:
                lv.add_validation(str(rid), m.get("step", 0), m)
                self.workspace.on_validation(rid, m)
                if rid == self._current_run:
                    self._status.update(val_loss=m.get("val_loss"), val_acc=m.get("val_acc"))
        self._update_status()
        if rows or vals:
            self._repaint_current()

    def _repaint_current(self) -> None:
        page = self.tabs.currentWidget()
        if page is not None and page.isVisible():
            page.repaint()

    def _on_paused(self, rid: int, paused: bool, step: int = -1) -> None:
        if rid != self._current_run:
            return
        self._paused = paused
        self._curve_budget.flush()
        if paused and step >= 0:
            self._status["step"] = step
            self._update_status()
        run = self.runs.get(rid)
        self._set_state("paused" if paused else "training", run.label if run else "")
        self._update_buttons()

    def _on_finished(self, rid: int, summary: dict) -> None:
        self._curve_budget.flush()
        self.workspace.flush()
        self.loss_view.finish_run(str(rid), summary)
        run = self.runs.get(rid)
        if run is not None:
            run.summary = summary
        self.run_finished.emit(rid, summary)
        if rid != self._current_run:
            return
        reason = summary.get("stop_reason")
        self._paused = False
        if summary.get("steps_per_s"):
            self._status["sps"] = summary["steps_per_s"]
        if "epochs" in summary:
            self._status["epochs_done"] = int(summary["epochs"])
        if "steps" in summary:
            self._status["step"] = int(summary["steps"])
        if "final_val_loss" in summary:
            self._status["val_loss"] = summary["final_val_loss"]
        if "final_val_acc" in summary:
            self._status["val_acc"] = summary["final_val_acc"]
        if reason == "diverged":
            self._queue = []
            msg = summary.get("message") or "Training diverged."
            self.notice.set_banner(msg)
            self._set_state("diverged")
            self.show_message("Training diverged", msg, QMessageBox.Warning)
        elif reason == "stopped":
            self._queue = []
            self._set_state("stopped")
        else:
            if summary.get("message"):
                self.show_status_note(summary["message"])
            if self._queue:
                self._start_next()
                return
            self._set_state("finished", reason or "")
        self._update_buttons()
        self._update_status()

    def _on_failed(self, rid: int, text: str) -> None:
        self._queue = []
        if rid == self._current_run:
            self.loss_view.finish_run(str(rid), {"stop_reason": "stopped"})
            self._set_state("failed")
            self._update_buttons()
        run = self.runs.get(rid)
        title = "Cannot open this run folder" if run is not None and run.kind == "open" else "Training could not start"
        self.show_message(title, text, QMessageBox.Warning)


__all__ = ["RunControl"]
