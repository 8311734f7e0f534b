"""The speech family's workspace: the recurrent workspace (Hidden state, Gates, Gradients and
their timeline, imported by subclassing) with speech panels and four pages of its own:
Microphone (device, level, overflows, waveform, spectrogram, MFCC), Record, Live and Confusion.

Live listening is a job of the window's one worker bridge (``bridge.submit_job``): it runs on
the training thread and its ``live`` / ``live_trace`` snapshots come back through the
bridge's ``snapshot`` signal under the job's id, which this workspace listens for.
"""

from __future__ import annotations

from typing import Any

from seqlab.families.recurrent.ui.workspace import NOTES as RECURRENT_NOTES
from seqlab.families.recurrent.ui.workspace import RecurrentWorkspace

TITLES = {"microphone": "Microphone", "record": "Record", "live": "Live", "confusion": "Confusion",
          "gates": "Gates", "hidden": "Hidden state", "gradients": "Gradients"}

NOTES = {
    "microphone": ["The waveform is the raw signal; the log-mel spectrogram is its energy in 40 mel bands every "
                   "10 ms (fixed levels, −80..0 dB); the MFCCs are a DCT of each spectrogram column: what the "
                   "network reads.",
                   "Speak so the level meter reaches about −20 dBFS. <b>overflows</b> counts audio lost."],
    "record": ["Each clip is one second after the countdown. Record 10 or more per word, in different voices "
               "and distances, and a few seconds of background noise.",
               "Play back and delete bad takes; <b>Use this folder</b> switches the Data panel to your recordings."],
    "live": ["The bars are the class probabilities of the last second of audio, smoothed over ~0.1 s; a word is "
             "reported when its bar rises through the dashed threshold.",
             "Below, the LSTM's gates on the same second, the newest frame on the right: watch the input gate "
             "open while you speak."],
    "confusion": ["Rows: the word said; columns: the word heard. Clips are spoken by voices never heard in "
                  "training. Click a cell off the diagonal to hear its mistakes."],
    **{k: RECURRENT_NOTES[k] for k in ("gates", "hidden", "gradients")},
}


class SpeechWorkspace(RecurrentWorkspace):
    def __init__(self, *args, **kw):
        super().__init__(*args, **kw)
        from .confusion_view import ConfusionView
        from .live_page import LivePage
        from .microphone import MicrophonePage
        from .panels import SpeechDataPanel, SpeechModelPanel
        from .record_page import RecordPage

        tm = self.tm
        self.view_notes = NOTES
        self.data_panel = SpeechDataPanel(theme=tm)
        self.model_panel = SpeechModelPanel(theme=tm)
        for p in (self.data_panel, self.model_panel):
            p.changed.connect(self.changed)
            p.message.connect(self.message)
            p.changed.connect(self._update_io)
        self.microphone = MicrophonePage(tm)
        self.record = RecordPage(tm, self.microphone)
        self.record.use_folder.connect(self._use_folder)
        self.live = LivePage(tm)
        self.live.listen_requested.connect(self._listen)
        self.confusion = ConfusionView(tm)
        self._views = {"confusion": (TITLES["confusion"], self.confusion), "live": (TITLES["live"], self.live),
                       "microphone": (TITLES["microphone"], self.microphone),
                       "record": (TITLES["record"], self.record),
                       "gates": (TITLES["gates"], self.gates), "hidden": (TITLES["hidden"], self.hidden),
                       "gradients": (TITLES["gradients"], self.grad_page)}
        self._job: int | None = None
        self.bridge.snapshot.connect(self._on_job_snapshot)
        self.bridge.job_started.connect(self._on_job_started)
        self.bridge.job_ended.connect(self._on_job_ended)
        self._confusion_budget = self.budget(0.02, 0.5, 3.0, self._draw_confusion)
        self._confusion: dict | None = None
        self._update_io()

    # -- layout -------------------------------------------------------------------------
    def demand(self, view: str) -> set[str]:
        if view == "confusion":
            return {"confusion"}
        return super().demand(view)

    def on_view_shown(self, view: str) -> None:
        super().on_view_shown(view)
        if hasattr(self, "live"):
            self.live.settings.want_trace = view == "live"

    def import_csv_action(self):
        return None                                   # no CSV import: the Record page imports folders

    def _update_io(self) -> None:
        if not hasattr(self, "microphone"):          # the recurrent base calls this before our panels exist
            return
        d = self.data_panel.values()
        n_features = int(d.get("n_mfcc", 13)) * (1 + int(d.get("deltas", 0)))
        words = d.get("words") or ([] if d.get("name") == "wav-folder" else [None] * 18)
        n_classes = max(2, len(words) + bool(d.get("silence")) + bool(d.get("unknown")))
        self.model_panel.set_io(n_features, n_classes)

    def _use_folder(self, folder: str, report: str) -> None:
        if folder:
            self.data_panel.use_folder(folder)
            self.message.emit("Your recordings", report)
        else:
            self.message.emit("Your recordings cannot be used", report)

    # -- live listening: a job of the worker bridge ----------------------------------------
    def _listen(self, on: bool) -> None:
        if not on:
            if self._job is not None:
                self.bridge.stop_jobs(self._job)
            return
        if self.microphone.capture is None and not self.microphone.start():
            self.live.set_listening(False, "The microphone cannot be opened: " + self.microphone.status.text())
            return
        from .live_job import listen_job

        self._job = self.bridge.submit_job(listen_job(self.microphone.capture, self.live.settings), "listen")
        waiting = " (it starts when training ends)" if self.bridge.running else ""
        self.live.set_listening(True, "Listening" + waiting + "… say one of the words.")

    def _on_job_started(self, job_id: int, label: str) -> None:
        if job_id == self._job:
            self.live.set_listening(True, "Listening… say one of the words.")

    def _on_job_ended(self, job_id: int, message: str) -> None:
        if job_id != self._job:
            return
        self._job = None
        self.live.set_listening(False, f"Stopped listening: {message}" if message else "Stopped listening.")

    def _on_job_snapshot(self, run_id: int, kind: str, payload: Any) -> None:
        if run_id != self._job:
            return
        if kind == "live":
            self.live.show_live(payload)
        elif kind == "live_trace":
            self.live.show_trace(payload)

    # -- training snapshots ----------------------------------------------------------------
    def on_snapshot(self, run_id: int, kind: str, payload: Any) -> None:
        if kind == "confusion":
            self._confusion = payload
            self._confusion_budget.request()
        else:
            super().on_snapshot(run_id, kind, payload)

    def _draw_confusion(self) -> None:
        if self._confusion is not None:
            self.confusion.set_confusion(self._confusion)

    def flush(self) -> None:
        super().flush()
        self._confusion_budget.flush()

    def shutdown(self) -> None:
        if self._job is not None:
            self.bridge.stop_jobs(self._job)
        self.microphone.shutdown()
        super().shutdown()


__all__ = ["SpeechWorkspace"]
