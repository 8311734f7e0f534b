"""The built-in lessons are data: valid experiments, views that exist, a few notes each.

These tests import neither Qt nor torch: ``seqlab lessons`` lists the catalogue without them.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from seqlab.core.spec import ExperimentSpec
from seqlab.core import lesson as lesson_module
from seqlab.core.registry import get_lesson
from seqlab.families.recurrent.lessons import DEFAULT_LESSON, LESSONS, VIEWS

REQUIRED = ("lstm-sine", "vanishing-gradient", "gru-vs-lstm", "bidirectional")


def test_the_required_lessons_exist_and_the_default_is_lstm_on_sine():
    assert set(REQUIRED) <= set(LESSONS)
    assert DEFAULT_LESSON == "lstm-sine"
    first = LESSONS[DEFAULT_LESSON].specs()[0][1]
    assert (first.model.cell, first.data.name) == ("lstm", "sine")


@pytest.mark.parametrize("name", list(LESSONS))
def test_each_lesson_is_complete(name):
    lesson = LESSONS[name]
    assert lesson.name == name and lesson.title and lesson.summary
    specs = lesson.specs()
    assert specs, "a lesson has at least one experiment"
    for label, spec in specs:
        assert isinstance(spec, ExperimentSpec) and label
        assert ExperimentSpec.from_json(spec.to_json()) == spec
        # a lesson must end by itself (a classroom cannot wait for 100,000 epochs)
        assert spec.train.max_steps is not None or spec.train.epochs <= 200
    assert 3 <= len(lesson.notice) <= 5
    notes = lesson.notes(specs)                       # the numbers filled in, none left over
    assert len(notes) == len(lesson.notice) and not any("{" in n for n in notes)
    assert lesson.views and set(lesson.views) <= set(VIEWS)
    assert len(set(lesson.views)) == len(lesson.views)


def test_comparison_lessons_compare_what_their_titles_say():
    cells = [s.model.cell for _, s in LESSONS["vanishing-gradient"].specs()]
    assert cells == ["rnn", "lstm"]
    rnn, lstm = [s for _, s in LESSONS["vanishing-gradient"].specs()]
    assert rnn.data == lstm.data, "both see the same data"
    assert lstm.model.forget_bias not in (None, 0.0), "the LSTM starts out remembering"
    assert rnn.model.cell == "rnn" and rnn.data.lag >= 60, "a lag a vanilla RNN cannot bridge"
    assert {s.model.cell for _, s in LESSONS["gru-vs-lstm"].specs()} == {"gru", "lstm"}
    assert [s.model.bidirectional for _, s in LESSONS["bidirectional"].specs()] == [False, True]


def test_a_lesson_reads_its_example_files_when_they_exist(tmp_path, monkeypatch):
    folder = tmp_path / "examples" / "vanishing-gradient"
    folder.mkdir(parents=True)
    for cell in ("rnn", "lstm"):
        d = {"name": f"tuned-{cell}", "data": {"name": "memory", "lag": 45, "samples": 500},
             "model": {"cell": cell, "hidden_size": 24, "task": "many-to-one",
                       **({"forget_bias": 2.0} if cell == "lstm" else {})},
             "train": {"max_steps": 300}}
        (folder / f"{cell}.json").write_text(json.dumps(d), encoding="utf-8")
    monkeypatch.setattr(lesson_module, "_roots", lambda: [tmp_path])
    specs = LESSONS["vanishing-gradient"].specs()
    assert [s.name for _, s in specs] == ["tuned-rnn", "tuned-lstm"]
    assert all(s.data.lag == 45 for _, s in specs)
    # a broken file does not break the lesson: its built-in copy is used
    (folder / "rnn.json").write_text("{not json", encoding="utf-8")
    specs = LESSONS["vanishing-gradient"].specs()
    assert specs[0][1].model.cell == "rnn" and specs[0][1].name != "tuned-rnn"


def test_seqlab_lessons_lists_them_without_qt_or_torch():
    code = ("import sys; from seqlab.cli import main; main(['lessons']);"
            "print('HEAVY', [m for m in ('torch', 'PySide6') if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    for name in REQUIRED:
        assert name in out
    assert "HEAVY []" in out


def test_unknown_lesson_names_the_ones_there_are():
    with pytest.raises(KeyError) as e:
        get_lesson("no-such")
    assert "lstm-sine" in str(e.value)
