"""Live speech lab: accuracy on held-out voices, block-to-prediction latency, input overflows.

1. Accuracy: trains examples/speech-digits.json (the default model: LSTM 64, 18 words +
   silence, about 95 s on a 2-core CPU) through the engine, or reads --run RUN_DIR, and
   prints validation and test accuracy (speakers never heard in training).
2. Live, with views open: the real window (offscreen) opens the run, listens through the
   worker bridge's job for --seconds (default 60) while the Live page (bars, log, gates
   animating) and the Microphone page (waveform, spectrogram, MFCC at 30 Hz) take turns
   on screen every 5 s. Audio comes from the virtual microphone (a private PulseAudio null
   sink as PortAudio's default input, words played into it on a loop) when PulseAudio can
   be started, else from the fake stream fed in real time by a thread (--mic fake). Prints
   latency from a block's arrival (stamped in the PortAudio callback) to the prediction
   that includes it (p50 / p95 / max; target p95 <= 50 ms) and input overflows (target 0).

    python bench/bench_speech.py [--run RUN_DIR] [--seconds 60] [--mic virtual|fake]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests" / "audio"))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np  # noqa: E402


def train(out: Path) -> dict:
    from seqlab.core.experiment_run import ExperimentRun
    from seqlab.core.spec import ExperimentSpec

    spec = ExperimentSpec.load(REPO / "examples" / "speech-digits.json")
    t0 = time.perf_counter()
    run = ExperimentRun(spec, device="cpu")
    summary = run.run()
    run.save(out)
    summary["train_seconds"] = time.perf_counter() - t0
    return summary


def words_audio() -> np.ndarray:
    """Test-split clips (held-out voices) of a few words, with silence between, on a loop."""
    from seqlab.families.speech.data.spoken_words import load_spoken_words

    d = load_spoken_words("test", augment=False, include_silence=False)
    rng = np.random.default_rng(0)
    pieces = []
    for i in rng.choice(len(d.clips), 12, replace=False):
        pieces += [d.clips[i], np.zeros(8000, np.float32)]
    x = np.concatenate(pieces)
    return (x + rng.normal(0, 0.003, x.size)).astype(np.float32)


def start_audio(mode: str, tmp: Path):
    """Returns (capture factory kwargs, stopper, description)."""
    audio = words_audio()
    if mode == "virtual":
        try:
            from speech import write_wav
            from virtual_mic import VirtualMic, VirtualMicUnavailable

            mic = VirtualMic()
            os.environ.update(mic.start())
        except (ImportError, VirtualMicUnavailable, OSError) as e:
            print(f"virtual microphone unavailable ({e}); using the fake stream", file=sys.stderr)
            return start_audio("fake", tmp)
        wav = tmp / "words.wav"
        write_wav(wav, audio, 16000)
        stop = threading.Event()

        def loop():
            while not stop.is_set():
                p = mic.play(wav)
                while p.poll() is None and not stop.is_set():
                    time.sleep(0.05)
                p.terminate()

        th = threading.Thread(target=loop, daemon=True)
        th.start()

        def stopper():
            stop.set()
            th.join(5)
            mic.stop()
        return {}, stopper, "virtual microphone (PulseAudio null sink -> PortAudio)"

    from seqlab.audio.fake_stream import FakeStreamFactory

    fac = FakeStreamFactory()
    stop = threading.Event()

    def feed():        # PortAudio's thread, in real time: one 20 ms block every 20 ms
        while not fac.streams:
            time.sleep(0.01)
        t_next, i = time.perf_counter(), 0
        while not stop.is_set():
            fac.stream.feed(audio[i:i + 320] if i + 320 <= len(audio) else np.zeros(320, np.float32))
            i = (i + 320) % (len(audio) - 320)
            t_next += 0.02
            time.sleep(max(0.0, t_next - time.perf_counter()))

    th = threading.Thread(target=feed, daemon=True)
    th.start()

    def stopper():
        stop.set()
        th.join(5)
    return {"stream_factory": fac}, stopper, "fake stream fed in real time by a thread"


def live(run_dir: Path, seconds: float, mode: str) -> dict:
    tmp = Path(tempfile.mkdtemp(prefix="bench-speech-"))
    cap_kw, stopper, source = start_audio(mode, tmp)
    from PySide6.QtWidgets import QApplication

    from seqlab.audio.capture import MicrophoneCapture
    from seqlab.ui.main_window import MainWindow
    from seqlab.ui.settings import Preferences, open_settings
    from seqlab.ui.theme import ThemeManager
    from seqlab.ui.widgets import refcount_guard

    refcount_guard.install()
    app = QApplication.instance() or QApplication([])
    w = MainWindow(prefs=Preferences(open_settings(str(tmp / "s.ini"))), theme=ThemeManager())
    w.open_lesson("speech-digits")
    w.resize(1280, 720)
    w.show()
    ws = w.workspace

    def wait(cond, t):
        end = time.perf_counter() + t
        while not cond() and time.perf_counter() < end:
            app.processEvents()
            time.sleep(0.005)

    w.bridge.open_run(str(run_dir))
    wait(lambda: w.bridge.current_run_id is None, 60)
    cap = MicrophoneCapture(samplerate=16000, **cap_kw)
    cap.start()
    ws.microphone.capture = cap
    ws.microphone.timer.start()
    last = {}
    w.bridge.snapshot.connect(lambda rid, kind, p: last.update(p) if kind == "live" else None)
    tabs = [w._tab_keys.index("live"), w._tab_keys.index("microphone")]
    w.tabs.setCurrentIndex(tabs[0])
    ws.live.listen_button.click()
    wait(lambda: "Listening…" in ws.live.status.text(), 10)
    t0 = time.perf_counter()
    k = 0
    while time.perf_counter() - t0 < seconds:
        if time.perf_counter() - t0 > 5 * (k + 1):
            k += 1
            w.tabs.setCurrentIndex(tabs[k % 2])
        app.processEvents()
        time.sleep(0.002)
    words = ws.live.log.count()
    ws.live.listen_button.click()
    wait(lambda: ws._job is None, 5)
    ws.microphone.stop()
    w.close()
    stopper()
    return {"source": source, "seconds": seconds, "latency": last.get("latency", {}),
            "input_overflows": last.get("input_overflows"), "overflow_samples": last.get("overflow_samples"),
            "detections": words, "capture_rate": cap.samplerate}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--run", type=Path, help="a trained speech run folder (default: train the example)")
    ap.add_argument("--seconds", type=float, default=60.0)
    ap.add_argument("--mic", choices=("virtual", "fake"), default="virtual")
    args = ap.parse_args()
    import torch

    torch.set_num_threads(1)
    if args.run is None:
        args.run = Path(tempfile.mkdtemp(prefix="bench-speech-run-")) / "run"
        s = train(args.run)
        print(f"accuracy: trained examples/speech-digits.json in {s['train_seconds']:.0f} s ({s['steps']} steps); "
              f"held-out voices: val acc {s['final_val_acc']:.3f}, test acc {s['final_test_acc']:.3f}")
    else:
        s = json.loads((args.run / "summary.json").read_text())
        print(f"accuracy of {args.run}: val acc {s.get('final_val_acc', float('nan')):.3f}, "
              f"test acc {s.get('final_test_acc', float('nan')):.3f} (held-out voices)")
    r = live(args.run, args.seconds, args.mic)
    lat = r["latency"]
    print(f"live ({r['source']}, {r['seconds']:.0f} s, views open): {lat.get('blocks', 0)} blocks, latency "
          f"p50 {lat.get('p50_ms', float('nan')):.1f} ms, p95 {lat.get('p95_ms', float('nan')):.1f} ms, "
          f"max {lat.get('max_ms', float('nan')):.1f} ms (target p95 <= 50); input overflows "
          f"{r['input_overflows']} blocks, {r['overflow_samples']} samples lost (target 0); "
          f"{r['detections']} words detected")
    print(json.dumps(r))


if __name__ == "__main__":
    main()
