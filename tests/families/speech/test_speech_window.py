"""The speech workspace in the window: train, the confusion matrix, live listening as a job of
the worker bridge (fed by a fake microphone), and a lab without PortAudio."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from seqlab.ui.widgets import refcount_guard  # noqa: E402

refcount_guard.install()

from seqlab.audio.capture import MicrophoneCapture  # noqa: E402
from seqlab.audio.fake_stream import FakeStreamFactory  # noqa: E402
from seqlab.families.speech.data.spoken_words import load_spoken_words  # noqa: E402
from seqlab.ui.main_window import MainWindow  # noqa: E402
from seqlab.ui.settings import Preferences, open_settings  # noqa: E402
from seqlab.ui.theme import ThemeManager  # noqa: E402
from seqlab.ui.worker import WorkerBridge, running_threads  # noqa: E402


@pytest.fixture
def window(qtbot, tmp_path, monkeypatch):
    path = tmp_path / "settings.ini"
    monkeypatch.setenv("SEQLAB_SETTINGS", str(path))
    w = MainWindow(prefs=Preferences(open_settings(path)), theme=ThemeManager())
    qtbot.addWidget(w)
    w.open_lesson("speech-digits")
    w.resize(1280, 720)
    w.show()
    qtbot.waitExposed(w)
    yield w
    w.close()
    assert not running_threads(), "a training thread outlived its window"


def train_three_words(qtbot, w):
    ws = w.workspace
    ws.data_panel.words.setText("yes, no, seven")
    ws.data_panel.words.textEdited.emit("yes, no, seven")
    ws.data_panel.copies.setValue(4)
    ws.model_panel.hidden.setValue(32)
    w.training_panel.epochs.setValue(12)
    w.training_panel.lr.setText("0.01")
    w.training_panel.batch_size.setValue(32)
    w.act_start.trigger()
    qtbot.waitUntil(lambda: w.bridge.running, timeout=20_000)
    qtbot.waitUntil(lambda: not w.bridge.running, timeout=120_000)


def show(w, key):
    w.tabs.setCurrentIndex(w._tab_keys.index(key))


def test_train_then_confusion_then_listen_live(qtbot, window):
    w = window
    ws = w.workspace
    assert type(ws).__name__ == "SpeechWorkspace"
    assert {"live", "record", "microphone", "confusion", "gates"} <= set(ws.views())
    train_three_words(qtbot, w)
    show(w, "confusion")
    qtbot.waitUntil(lambda: ws.confusion.table.rowCount() == 4, timeout=20_000)
    assert "accuracy" in ws.confusion.title.text()

    # a fake microphone stands in for PortAudio; the job on the worker thread reads it
    fac = FakeStreamFactory()
    cap = MicrophoneCapture(samplerate=16000, stream_factory=fac)
    cap.start()
    ws.microphone.capture = cap
    show(w, "live")
    ws.live.listen_button.click()
    qtbot.waitUntil(lambda: ws._job is not None and "Listening" in ws.live.status.text(), timeout=10_000)
    d = load_spoken_words("test", augment=False, include_silence=False)
    clip = d.clips[np.flatnonzero(d.labels == d.class_names.index("seven"))[2]]
    audio = np.concatenate([np.zeros(4800, np.float32), clip, np.zeros(16000, np.float32)])
    for s in range(0, len(audio), 320):
        fac.stream.feed(audio[s:s + 320])
        qtbot.wait(5)
    qtbot.waitUntil(lambda: ws.live.log.count() >= 1, timeout=10_000)
    assert "seven" in ws.live.log.item(0).text()
    assert ws.live.bars.opts["height"] is not None and len(ws.live.bars.opts["height"]) == 4
    qtbot.waitUntil(lambda: ws.live.gates.data() is not None, timeout=10_000)   # gates on the live window
    assert "latency p95" in ws.live.stats.text()
    ws.live.listen_button.click()                                                 # Stop
    qtbot.waitUntil(lambda: ws._job is None, timeout=10_000)
    assert "Stopped listening" in ws.live.status.text()
    ws.microphone.stop()


def test_without_portaudio_the_speech_page_says_why_and_the_lab_trains(qtbot, tmp_path, monkeypatch):
    from seqlab.audio import devices

    def missing():
        raise OSError("cannot load library 'libportaudio.so.2'")
    monkeypatch.setattr(devices, "_import_sounddevice", missing)
    path = tmp_path / "settings.ini"
    monkeypatch.setenv("SEQLAB_SETTINGS", str(path))
    w = MainWindow(prefs=Preferences(open_settings(path)), theme=ThemeManager())
    qtbot.addWidget(w)
    w.open_lesson("speech-digits")
    w.show()
    ws = w.workspace
    assert "PortAudio library is not installed" in ws.microphone.status.text()
    assert not ws.microphone.start_button.isEnabled()
    ws.live.listen_button.click()
    assert "cannot be opened" in ws.live.status.text() and not ws.live.listen_button.isChecked()
    w.open_lesson("lstm-sine")                       # the rest of the lab works
    w.training_panel.epochs.setValue(1)
    w.act_start.trigger()
    qtbot.waitUntil(lambda: not w.bridge.running and len(w.runs.rows(w.bridge._next_id)) > 0, timeout=60_000)
    w.close()
    assert not running_threads()


def test_a_family_job_runs_on_the_worker_emits_snapshots_and_gives_way_to_training(qtbot):
    b = WorkerBridge()
    got, ended = [], []
    b.snapshot.connect(lambda rid, kind, p: got.append((rid, kind, p)))
    b.job_ended.connect(lambda jid, msg: ended.append((jid, msg)))

    def job(ctx):
        n = 0
        while not ctx.cancelled.is_set():
            ctx.emit("tick", {"n": n})
            n += 1
            ctx.serve()
            ctx.cancelled.wait(0.01)
    jid = b.submit_job(job, "ticks")
    qtbot.waitUntil(lambda: len(got) >= 3, timeout=10_000)
    assert all(rid == jid and kind == "tick" for rid, kind, _ in got)
    assert b.job_running(jid)
    from seqlab.core.spec import ExperimentSpec
    spec = ExperimentSpec.from_dict({"data": {"name": "sine", "seq_len": 8, "samples": 64},
                                     "model": {"hidden_size": 4}, "train": {"epochs": 1}})
    rid = b.start(spec)                                   # training takes the thread: the job ends
    qtbot.waitUntil(lambda: ended == [(jid, "")], timeout=10_000)
    assert rid != jid
    qtbot.waitUntil(lambda: not b.running, timeout=30_000)

    def failing(ctx):
        raise RuntimeError("no model to listen with")
    jid2 = b.submit_job(failing)
    qtbot.waitUntil(lambda: len(ended) == 2, timeout=10_000)
    assert ended[1] == (jid2, "no model to listen with")
    assert b.shutdown(3000) and not running_threads()


@pytest.mark.parametrize("lesson", ["speech-digits", "speech-record"])
def test_speech_lessons_need_no_scrolling_at_1280x720(qtbot, window, lesson):
    from PySide6.QtWidgets import QScrollArea
    window.open_lesson(lesson)
    qtbot.wait(300)
    assert window.workspace.views()[window._tab_keys[1]] is not None
    for key, dock in window.docks.items():
        scroll: QScrollArea = dock.widget()
        assert not scroll.verticalScrollBar().isVisible(), f"the {key} panel scrolls at 1280x720"


def test_record_a_clip_with_a_countdown_then_use_the_folder(qtbot, window, tmp_path):
    ws = window.workspace
    fac = FakeStreamFactory()
    cap = MicrophoneCapture(samplerate=16000, stream_factory=fac)
    cap.start()
    ws.microphone.capture = cap
    rec = ws.record
    rec.folder.setText(str(tmp_path / "mine"))
    rec.labels.setText("yes, no")
    rec.per_label.setValue(1)
    rec.start_session()
    assert "say “yes” in 3" in rec.prompt.text() and not rec.record_button.isEnabled()
    tone = (0.3 * np.sin(np.arange(16000) * 2 * np.pi * 300 / 16000)).astype(np.float32)
    end = __import__("time").monotonic() + 12
    while rec._queue or not rec.record_button.isEnabled():
        fac.stream.feed(tone[:1600])            # 100 ms of "voice" every 100 ms
        qtbot.wait(100)
        assert __import__("time").monotonic() < end, rec.prompt.text()
    files = sorted(p.relative_to(tmp_path / "mine").as_posix() for p in (tmp_path / "mine").rglob("*.wav"))
    assert files == ["no/001.wav", "yes/001.wav"]
    assert rec.clips.count() == 2 and "Done" in rec.prompt.text()
    from seqlab.audio.wavfile import read_wav
    x, rate = read_wav(tmp_path / "mine" / "yes" / "001.wav")
    assert rate == 16000 and 16000 <= len(x) <= 19200 and np.abs(x).max() > 0.2
    rec.clips.setCurrentRow(0)
    rec.delete_selected()
    assert rec.clips.count() == 1
    got = []
    ws.message.connect(lambda title, text: got.append((title, text)))
    rec.import_folder()
    assert ws.data_panel.values()["name"] == "wav-folder" and ws.data_panel.values()["path"] == str(tmp_path / "mine")
    assert got and "files read" in got[0][1] and "only one label" in got[0][1]
