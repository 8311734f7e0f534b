"""The speech family's lessons: data only (``seqlab.core.lesson``), cheap to import."""

from __future__ import annotations

from typing import Any

from seqlab.core.lesson import Experiment, Lesson

#: Views a lesson of this family can open, by key (the speech workspace's tabs).
VIEWS = ("loss", "confusion", "live", "gates", "hidden", "gradients", "microphone", "record")


def facts(spec) -> dict[str, Any]:
    d, m = spec.data, spec.model
    words = d.words or ["the 18 built-in words"]
    return {"words": ", ".join(words), "hidden": m.hidden_size, "n_mfcc": d.n_mfcc, "n_mels": d.n_mels,
            "hop": f"{d.hop_ms:g}", "window": f"{d.window_ms:g}", "frames": int(1000 // d.hop_ms) + 1}


_TRAIN = {"optimizer": "adam", "lr": 0.005, "batch_size": 64, "epochs": 60, "clip_norm": 1.0, "seed": 0,
          "log_every": 10, "gtt_every": 100, "eval_every": 50}

SPEECH_DIGITS = Lesson(
    name="speech-digits",
    title="An LSTM hears spoken words",
    summary="An LSTM reads the MFCC frames of one-second clips of spoken digits and commands (70 synthetic "
            "voices) and learns to name the word; then it listens to your microphone.",
    experiments=(Experiment("LSTM on spoken words", {
        "family": "speech", "name": "speech-digits",
        "data": {"name": "spoken-words", "copies": 3},
        "model": {"cell": "lstm", "hidden_size": 64, "task": "many-to-one"},
        "train": _TRAIN,
    }, file="examples/speech-digits.json"),),
    views=("loss", "confusion", "gates", "live", "microphone", "gradients"),
    facts=facts,
    notice=(
        "Each clip is one second of audio cut into {frames} frames ({window} ms windows every {hop} ms); each frame "
        "is {n_mfcc} MFCCs (a DCT of the log energy in {n_mels} mel bands). The LSTM reads the frames one by one "
        "and answers after the last: a <b>many-to-one</b> RNN.",
        "Press <b>Start</b>. Validation and test clips are spoken by <b>voices never heard in training</b>, "
        "so val acc measures whether it learned the words, not the speakers.",
        "Open <b>Confusion</b>: rows are the words said, columns the words heard. Click a cell off the "
        "diagonal to hear the clips it got wrong.",
        "Open <b>Gates</b>: during the word the input gate i<sub>t</sub> opens and the cell state "
        "c<sub>t</sub> changes; in the silence around it the forget gate f<sub>t</sub> keeps what was heard.",
        "Open <b>Live</b> and press <b>Listen</b>: say a word. The bars are the class probabilities of the "
        "last second; the gates below animate on your voice.",
    ),
)

SPEECH_RECORD = Lesson(
    name="speech-record",
    title="Record your own words",
    summary="Record a few clips of your own words, train an LSTM on them and let it recognise you live.",
    experiments=(Experiment("LSTM on your recordings", {
        "family": "speech", "name": "speech-record",
        "data": {"name": "spoken-words", "words": ["yes", "no", "up", "down"], "copies": 3},
        "model": {"cell": "lstm", "hidden_size": 48, "task": "many-to-one"},
        "train": {**_TRAIN, "epochs": 80},
    }),),
    views=("record", "microphone", "loss", "confusion", "live", "gates"),
    facts=facts,
    notice=(
        "Open <b>Record</b>: choose a folder, pick or type your words (a background-noise class is added), "
        "and record 10 or more clips of each: a countdown starts each one-second clip.",
        "Press <b>Use this folder</b>: the Data panel switches to your recordings (data.name = wav-folder) and "
        "shows what the import converted or skipped. Until then the lesson trains on built-in {words}.",
        "Press <b>Start</b>: with a few dozen clips training takes seconds. The validation clips are "
        "recordings the network never trained on.",
        "Open <b>Live</b>, press <b>Listen</b> and say your words. Raise the threshold if it hears words in "
        "the noise; lower it if it misses you.",
    ),
)

LESSONS: dict[str, Lesson] = {l.name: l for l in (SPEECH_DIGITS, SPEECH_RECORD)}

__all__ = ["LESSONS", "VIEWS", "facts"]
