"""The speech family: spec sections, training through the engine, the run folder, listening."""

import json
import subprocess
import sys

import numpy as np
import pytest
import torch

from seqlab.audio.capture import MicrophoneCapture
from seqlab.audio.fake_stream import FakeStreamFactory
from seqlab.cli import main
from seqlab.core.errors import SpecError
from seqlab.core.registry import get_family
from seqlab.core.spec import ExperimentSpec
from seqlab.families.speech.data.spoken_words import load_spoken_words
from seqlab.families.speech.live import LiveRecogniser
from seqlab.families.speech.recogniser import load_recogniser
from tests.fixtures.speech_run import WORDS, cli_env


def spec_of(**sections):
    d = {"family": "speech", "data": {"name": "spoken-words"}, "model": {}, "train": {}}
    for k, v in sections.items():
        d[k] = {**d[k], **v}
    return ExperimentSpec.from_dict(d)


def test_defaults_are_the_course_speech_front_end_and_the_recurrent_model_section():
    s = spec_of()
    assert (s.data.window_ms, s.data.hop_ms, s.data.n_mels, s.data.n_mfcc) == (25.0, 10.0, 40, 13)
    assert s.model.task == "many-to-one" and s.model.cell == "lstm" and s.model.hidden_size == 64
    from seqlab.families.recurrent.spec import ModelSpec as RecurrentModelSpec
    assert isinstance(s.model, RecurrentModelSpec)           # the recurrent section, imported
    assert s.to_dict()["family"] == "speech"


@pytest.mark.parametrize("sections, path", [
    ({"model": {"task": "many-to-many"}}, "model.task"),
    ({"model": {"cell": "transformer"}}, "model.cell"),
    ({"data": {"name": "wav-folder"}}, "data.path"),
    ({"data": {"hop_ms": 30, "window_ms": 20}}, "data.hop_ms"),
    ({"data": {"n_mfcc": 30, "n_mels": 20}}, "data.n_mfcc"),
    ({"data": {"words": "yes"}}, "data.words"),
    ({"data": {"words": ["yes", "yes"]}}, "data.words"),
    ({"data": {"colour": 3}}, "data.colour"),
])
def test_bad_fields_are_named(sections, path):
    with pytest.raises(SpecError) as e:
        spec_of(**sections)
    assert e.value.path == path


def test_unknown_word_is_a_data_error_naming_the_field():
    from seqlab.core.errors import DataError
    with pytest.raises(DataError, match="data.words: 'banana'"):
        get_family("speech").build(spec_of(data={"words": ["yes", "banana"]}))


def test_a_word_subset_keeps_those_words_and_silence_with_held_out_voices():
    t = get_family("speech").build(spec_of(data={"words": ["yes", "no"], "copies": 1}))
    assert t.data.class_names == ["yes", "no", "_silence_"]
    assert t.data.x_train.shape[1:] == (101, 13)               # 1 s at 10 ms hops, 13 MFCCs
    assert set(np.unique(t.data.y_val)) == {0, 1, 2}
    # normalised with training statistics only
    flat = t.data.x_train.reshape(-1, 13)
    assert np.allclose(flat.mean(0), 0, atol=1e-3) and np.allclose(flat.std(0), 1, atol=1e-2)


def test_trained_run_folder_holds_front_end_confusion_and_gradients(speech_run):
    files = {p.name for p in speech_run.iterdir()}
    assert {"model.safetensors", "confusion.json", "grad_through_time.npy", "metrics.csv"} <= files
    summary = json.loads((speech_run / "summary.json").read_text())
    assert summary["final_test_acc"] > 0.85                    # held-out voices, 3 words + silence
    conf = json.loads((speech_run / "confusion.json").read_text())
    m = np.array(conf["matrix"])
    assert conf["class_names"] == WORDS + ["_silence_"] and m.shape == (4, 4)
    assert np.trace(m) / m.sum() == pytest.approx(summary["final_test_acc"], abs=1e-6)
    from safetensors.torch import load_file
    names = set(load_file(str(speech_run / "model.safetensors")))
    assert "features.mean" in names and "features.mfcc.dct" in names and "model.rnn.weight_hh_l0" in names


def test_reopened_run_predicts_what_it_predicted(speech_run):
    rec = load_recogniser(speech_run)
    t = get_family("speech").restore(__import__("seqlab.core.run_folder", fromlist=["load_run"]).load_run(speech_run))
    clips = torch.as_tensor(t.clips.clips["test"][:8])
    with torch.no_grad():
        a = rec.probabilities(rec.frontend(clips))
        b = torch.softmax(t.model(torch.as_tensor(t.data.x_test[:8])), -1)
    assert torch.allclose(a, b, atol=1e-5)


def _stream_words(live, fac, clips, gap=0.6):
    for clip in clips:
        audio = np.concatenate([clip, np.zeros(int(gap * 16000), np.float32)])
        for s in range(0, len(audio), 320):          # 20 ms blocks, polled like the listen loop
            fac.stream.feed(audio[s:s + 320])
            live.poll()


@pytest.fixture
def one_thread():
    """One compute thread, as `seqlab listen` and the window's worker use (spinning OpenMP
    threads on a busy 2-core machine add hundreds of ms to a 0.3 ms network)."""
    n = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(n)


def test_live_recogniser_reports_spoken_words_in_order_with_times(speech_run, one_thread):
    rec = load_recogniser(speech_run)
    fac = FakeStreamFactory()
    live = LiveRecogniser(rec, MicrophoneCapture(samplerate=16000, stream_factory=fac), threshold=0.7)
    live.start()
    d = load_spoken_words("test", augment=False, include_silence=False)
    said = []
    for w in ["seven", "yes", "no", "no", "yes"]:
        said.append(d.clips[np.flatnonzero(d.labels == d.class_names.index(w))[3]])
    _stream_words(live, fac, said)
    words = [x.word for x in live.detections]
    assert words == ["seven", "yes", "no", "no", "yes"]
    times = [x.time for x in live.detections]
    assert all(b - a > 0.8 for a, b in zip(times, times[1:]))   # one per word, 1.6 s apart
    assert all(x.prob >= 0.7 for x in live.detections)
    assert live.overflows == {"input_overflows": 0, "overflow_samples": 0}
    stats = live.latency_stats()
    # every block is timed; the median is robust to a machine shared with other work (the p95
    # target is measured by bench/bench_speech.py and the end-to-end listen test)
    assert stats["blocks"] == len(live.latencies) > 300 and stats["p50_ms"] < 50


def test_live_recogniser_resamples_a_44k_microphone(speech_run):
    from seqlab.audio.resample import resample
    rec = load_recogniser(speech_run)
    fac = FakeStreamFactory(default_samplerate=44100, accepted_rates=(44100,))
    live = LiveRecogniser(rec, MicrophoneCapture(samplerate=16000, stream_factory=fac))
    live.start()
    assert live.capture.samplerate == 44100
    d = load_spoken_words("test", augment=False, include_silence=False)
    clip = d.clips[np.flatnonzero(d.labels == d.class_names.index("seven"))[0]]
    audio = resample(np.concatenate([clip, np.zeros(9600, np.float32)]), 16000, 44100)
    for s in range(0, len(audio), 882):
        fac.stream.feed(audio[s:s + 882])
        live.poll()
    assert [x.word for x in live.detections] == ["seven"]


def test_live_trace_has_every_gate_frame_by_frame(speech_run):
    rec = load_recogniser(speech_run)
    fac = FakeStreamFactory()
    live = LiveRecogniser(rec, MicrophoneCapture(samplerate=16000, stream_factory=fac))
    live.start()
    fac.stream.feed(np.random.default_rng(0).normal(0, 0.05, 16000).astype(np.float32))
    live.poll()
    tr = live.trace()
    for gate in ("h", "c", "i", "f", "g", "o"):
        assert tr["states"][gate].shape[-2:] == (101, 32)
    assert abs(tr["pred"].sum() - 1) < 1e-5


def test_silence_is_never_reported(speech_run):
    rec = load_recogniser(speech_run)
    fac = FakeStreamFactory()
    live = LiveRecogniser(rec, MicrophoneCapture(samplerate=16000, stream_factory=fac))
    live.start()
    noise = np.random.default_rng(1).normal(0, 0.003, 16000 * 4).astype(np.float32)
    for s in range(0, len(noise), 320):
        fac.stream.feed(noise[s:s + 320])
        live.poll()
    assert live.detections == []


def _listen(*args):
    return subprocess.run([sys.executable, "-m", "seqlab", "listen", *args], env=cli_env(), capture_output=True,
                          text=True, timeout=60)


def test_listen_refuses_a_run_of_another_family(tmp_path, small_spec, capsys):
    out = tmp_path / "rnn"
    spec = tmp_path / "rnn.json"
    spec.write_text(small_spec().to_json())
    assert main(["train", str(spec), "--out", str(out), "--max-steps", "2"]) == 0
    capsys.readouterr()
    assert main(["listen", str(out), "--seconds", "1"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "not a speech run" in err[0] and "recurrent" in err[0]


def test_listen_names_a_missing_run_folder(tmp_path, capsys):
    assert main(["listen", str(tmp_path / "nothing"), "--seconds", "1"]) == 2
    assert "no such run folder" in capsys.readouterr().err


def test_listen_without_portaudio_says_so_in_one_line(speech_run, monkeypatch, capsys):
    from seqlab.audio import devices

    def broken():
        raise OSError("PortAudio library not found")
    monkeypatch.setattr(devices, "_import_sounddevice", broken)
    assert main(["listen", str(speech_run), "--seconds", "1"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "PortAudio library is not installed" in err[0]


def test_listen_with_an_unknown_device_lists_the_inputs(speech_run, monkeypatch, capsys):
    from seqlab.audio import devices
    monkeypatch.setattr(devices, "list_input_devices",
                        lambda: [devices.InputDevice(0, "Built-in Microphone", 1, 48000.0, True)])
    assert main(["listen", str(speech_run), "--device", "usb headset", "--seconds", "1"]) == 2
    err = capsys.readouterr().err
    assert "No input device is called 'usb headset'" in err and "0: Built-in Microphone" in err
