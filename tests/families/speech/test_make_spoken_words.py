"""The corpus generator: speaker splits and the synthesis of one clip (when espeak-ng is installed)."""

import importlib.util
import shutil
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

_SCRIPT = Path(__file__).resolve().parents[3] / "tools" / "make_spoken_words.py"


@pytest.fixture(scope="module")
def gen():
    spec = importlib.util.spec_from_file_location("make_spoken_words", _SCRIPT)
    mod = importlib.util.module_from_spec(spec)
    sys.modules["make_spoken_words"] = mod
    spec.loader.exec_module(mod)
    return mod


def test_each_accent_has_one_test_and_one_validation_speaker(gen):
    speakers = gen.speakers()
    assert len({s.name for s in speakers}) == len(speakers) == len(gen.ACCENTS) * len(gen.VARIANTS)
    for _, accent in gen.ACCENTS:
        splits = Counter(s.split for s in speakers if s.name.startswith(accent + "+"))
        assert splits["test"] == 1 and splits["val"] == 1
    test_variants = {s.name.split("+")[1] for s in speakers if s.split == "test"}
    assert len(test_variants) == len(gen.ACCENTS)          # held-out speakers differ in timbre too


def test_plan_is_deterministic_in_the_seed(gen):
    assert gen.plan(3) == gen.plan(3)
    assert gen.plan(3) != gen.plan(4)
    words = Counter(w for _, w, _, _ in gen.plan(3))
    assert all(words[k] == len(gen.speakers()) for k in gen.KEYWORDS)


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")
def test_one_synthesised_clip_is_trimmed_16k_and_at_most_a_second(gen, tmp_path):
    y = gen.synthesise("seven", "gmw/en-US+f2", 130, 50, tmp_path)
    assert y.dtype == np.float32 and 0.2 * 16000 < y.size <= 16000
    assert np.abs(y).max() == pytest.approx(gen.PEAK, rel=1e-3)
    assert np.abs(y[:40]).max() < 0.1 and np.abs(y[-40:]).max() < 0.1    # faded edges, no clicks
