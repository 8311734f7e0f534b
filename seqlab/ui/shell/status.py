"""The status bar and messages: what is running, how fast, on which device; message boxes
that do not block training."""

from __future__ import annotations

import math
import re

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QStyle


def _fmt(v: float | None, digits: int = 4) -> str:
    if v is None or not isinstance(v, (int, float)) or not math.isfinite(v):
        return "–"
    return f"{v:.{digits}g}"


#: why a run ended, as the status bar says it
STOP_REASONS = {"completed": "all epochs done", "max_steps": "reached Max steps",
                "early_stopping": "early stopping (no improvement)", "stopped": "stopped"}


class StatusReport:
    """Mixin of MainWindow."""

    def _set_state(self, state: str, detail: str = "") -> None:
        self._state = state
        torch_note = "" if self.bridge.torch_info else " (PyTorch is loading in the background)"
        text = {
            "ready": "Ready: press Start (Ctrl+Enter)" + torch_note,
            "invalid": "Cannot start: a value in the panels needs fixing",
            "starting": f"Preparing {detail}: building the data and the model…",
            "training": f"Training {detail}",
            "paused": f"Paused: {detail} (Step trains one step, Resume goes on)",
            "stopping": "Stopping…",
            "stopped": "Stopped: the model and its curves are kept (Ctrl+S saves them)",
            "finished": f"Finished: {STOP_REASONS.get(detail, detail.replace('_', ' '))}. Ctrl+S saves the run",
            "diverged": "Diverged: see the message; lower the learning rate or turn on clipping",
            "failed": "Could not train: see the message",
            "opening": f"Opening {detail}…",
            "opened": f"Opened {detail}: Start continues training from its weights",
        }.get(state, state)
        self._state_text = text
        self._update_status()

    def _fit_state_text(self) -> None:
        """The state in as many words as the status bar has room for: in presentation type on
        a 1280-px screen "Stopped: the model and its curves are kept (Ctrl+S saves them)" was
        cut mid-word; the hints in brackets go first, then the sentence after the first one,
        then all but the state's name (the whole text stays in the tooltip)."""
        full = getattr(self, "_state_text", "")
        lab = self.status_state
        others = sum(w.sizeHint().width() + 8 for w in (self.status_progress, self.status_speed,
                                                        self.status_device, self.status_metrics)
                     if w.text())
        room = self.statusBar().width() - others - 32
        fm = lab.fontMetrics()
        no_hints = re.sub(r" \([^)]*\)", "", full)
        for text in (full, no_hints, no_hints.split(". ")[0], no_hints.split(": ")[0]):
            if fm.horizontalAdvance(text) <= room:
                break
        else:
            text = fm.elidedText(text, Qt.ElideRight, max(room, 40))
        lab.setText(text)
        lab.setToolTip(full if text != full else "")

    def state(self) -> str:
        return self._state

    def _update_status(self) -> None:
        s = self._status
        if not hasattr(self, "status_progress"):
            return
        if s.get("step") is not None and self._state not in ("ready",):
            if s.get("epochs_done") is not None:    # ended: the whole epochs, as summary.json counts them
                n = s["epochs_done"]
                self.status_progress.setText(f"step {s.get('step', 0):,} · {n:,} epoch{'' if n == 1 else 's'} done")
            else:                                   # running: the epoch in progress
                self.status_progress.setText(f"step {s.get('step', 0):,} · epoch {s.get('epoch', 0) + 1:,}")
        else:
            self.status_progress.setText("")
        sps = s.get("sps")
        if isinstance(sps, (int, float)) and sps:
            self.status_speed.setText(f"{sps:,.0f} step{'' if round(sps) == 1 else 's'}/s")
        else:
            self.status_speed.setText("")
        dev = s.get("device") or ""
        self.status_device.setText(("GPU " + dev) if dev.startswith("cuda") else dev.upper())
        parts = []
        if s.get("val_loss") is not None:
            parts.append(f"val loss {_fmt(s['val_loss'])}")
        if s.get("val_acc") is not None:
            parts.append(f"val acc {s['val_acc']:.2f}")
        self.status_metrics.setText(" · ".join(parts))
        self._fit_state_text()

    def show_status_note(self, text: str, ms: int = 6000) -> None:
        """A note beside the state (never over it: "Paused" stays readable) for `ms` ms."""
        self.status_note.setText(text)
        self.status_note.setToolTip(text)
        self._note_timer.start(ms)

    def status_note_text(self) -> str:
        return self.status_note.text()

    def show_message(self, title: str, text: str, icon=QMessageBox.Information) -> None:
        """A message box that does not block the window (training and views go on)."""
        self.last_message = (title, text)
        self.message_shown.emit(title, text)
        box = QMessageBox(icon, title, text, QMessageBox.Ok, self)
        box.setAttribute(Qt.WA_DeleteOnClose)
        box.setWindowModality(Qt.WindowModal)
        box.setTextInteractionFlags(Qt.TextSelectableByMouse)
        box.open()

    def _update_buttons(self) -> None:
        running = self.bridge.running
        self.act_start.setEnabled(True)
        self.act_start.setToolTip("Start again from new weights (Ctrl+Enter stops)" if running
                                  else "Build the model and start training (Ctrl+Enter)")
        self.act_pause.setEnabled(running)
        self.act_step.setEnabled(running)
        self.act_stop.setEnabled(running)
        st = self.style()
        if self._paused:
            self.act_pause.setText("Resume")
            self.act_pause.setIcon(st.standardIcon(QStyle.SP_MediaPlay))
        else:
            self.act_pause.setText("Pause")
            self.act_pause.setIcon(st.standardIcon(QStyle.SP_MediaPause))

    def _show_shortcuts(self) -> None:
        self.show_message("Keyboard shortcuts", "\n".join([
            "Ctrl+Enter   start / stop training",
            "Ctrl+P       pause / resume",
            "Ctrl+T       train one step",
            "Ctrl+1 … 9   show the first … ninth view",
            "Space        play / pause the animation through time",
            "← / →        one time step back / on",
            "F11          presentation mode (full screen, large type)",
            "F9           show / hide the panels",
            "Ctrl+S       save the run folder",
            "Ctrl+O       open a run folder",
        ]))

    def _show_about(self) -> None:
        from seqlab import __version__

        self.show_message("About SeqLab", f"SeqLab {__version__}: watch recurrent networks learn.")


__all__ = ["StatusReport"]
