"""seqlab.families.recurrent.data: shapes, seeding, preparation (split, normalisation) and CSV errors."""

from __future__ import annotations

import math
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from seqlab.families.recurrent.data import (DataError, SequenceData, build_dataset, preview, read_csv_columns,
                                  read_csv_series, supported_tasks)
from seqlab.families.recurrent.data.base import MAX_VALUES
from seqlab.families.recurrent.data.memory import N_DISTRACTORS
from seqlab.families.recurrent.data.series import data_file, sunspots
from seqlab.families.recurrent.spec import DataSpec

SMALL = dict(samples=200, seq_len=20)


def spec(**kw) -> DataSpec:
    return DataSpec(**{**SMALL, **kw})


def splits(d: SequenceData):
    return [(d.x_train, d.y_train), (d.x_val, d.y_val), (d.x_test, d.y_test)]


# --- shapes and dtypes ----------------------------------------------------------------------

CASES = [
    ("sine", "many-to-many", {}), ("sine", "many-to-one", {}), ("sine", "one-to-many", {}),
    ("sine", "one-to-one", {"seq_len": 1}), ("adding", "many-to-one", {}),
    ("memory", "many-to-one", {"lag": 7, "n_symbols": 5}),
    ("sunspots", "many-to-many", {}), ("sunspots", "many-to-one", {}),
]


@pytest.mark.parametrize("name,task,extra", CASES)
def test_shapes_and_dtypes(name, task, extra):
    d = build_dataset(spec(name=name, **extra), task)
    assert (d.name, d.task) == (name, task)
    T = extra["lag"] + 2 if name == "memory" else spec(**extra).seq_len
    for x, y in splits(d):
        assert x.dtype == np.float32 and x.ndim == 3 and x.flags.c_contiguous
        assert x.shape[2] == d.input_size and len(x) == len(y)
        if task == "one-to-many":
            assert x.shape[1] == 1
        else:
            assert x.shape[1] == T
        if d.kind == "classification":
            assert y.dtype == np.int64 and y.shape == (len(x),)
            assert y.min(initial=0) >= 0 and y.max(initial=0) < d.n_classes
        else:
            assert y.dtype == np.float32
            if task in ("many-to-many", "one-to-many"):
                assert y.shape == (len(x), d.out_len, d.output_size)
            else:
                assert y.shape == (len(x), d.output_size)
        assert np.isfinite(x).all()
    assert d.out_len == (T if task in ("many-to-many", "one-to-many") else 1)
    assert d.target_mean.shape == d.target_std.shape == (d.output_size,)
    assert math.isfinite(d.baseline_loss) and d.baseline_loss > 0
    assert d.description and len(d.description) < 600
    assert d.feature_names is None or len(d.feature_names) == d.input_size
    if d.kind == "classification":
        assert d.output_size == d.n_classes == len(d.class_names)
        assert d.chance_accuracy == pytest.approx(1 / d.n_classes)
        assert d.baseline_loss == pytest.approx(math.log(d.n_classes))
    else:
        assert d.n_classes is None and d.chance_accuracy is None
    if name in ("sine", "adding", "memory"):
        n = sum(len(x) for x, _ in splits(d))
        assert n == 200 and (len(d.x_train), len(d.x_val), len(d.x_test)) == (140, 30, 30)


def test_supported_tasks_and_unsupported_message():
    assert set(supported_tasks("sine")) == {"one-to-one", "one-to-many", "many-to-one", "many-to-many"}
    assert supported_tasks("memory") == ("many-to-one",)
    assert supported_tasks("adding") == ("many-to-one",)
    assert set(supported_tasks("sunspots")) == set(supported_tasks("csv")) == {"many-to-many", "many-to-one"}
    with pytest.raises(DataError) as e:
        build_dataset(spec(name="memory"), "many-to-many")
    assert str(e.value) == "data 'memory' supports only model.task 'many-to-one', got 'many-to-many'"
    with pytest.raises(DataError, match="'many-to-many' or 'many-to-one', got 'one-to-many'"):
        build_dataset(spec(name="sunspots"), "one-to-many")
    with pytest.raises(DataError, match="data.name must be one of"):
        supported_tasks("mnist")
    assert issubclass(DataError, ValueError)


def test_bad_spec_values_are_data_errors():
    with pytest.raises(DataError, match="data.seq_len must be 1"):
        build_dataset(spec(name="sine", seq_len=5), "one-to-one")
    with pytest.raises(DataError, match=r"data.samples must be an integer from 8"):
        build_dataset(spec(samples=3), "many-to-many")
    with pytest.raises(DataError, match="at least 10% for training"):
        build_dataset(spec(val_fraction=0.5, test_fraction=0.45), "many-to-many")
    with pytest.raises(DataError, match="model.task must be one of"):
        build_dataset(spec(), "seq2seq")
    with pytest.raises(DataError, match="at least 2"):
        build_dataset(spec(name="adding", seq_len=1), "many-to-one")
    with pytest.raises(DataError, match="lower data.samples or data.seq_len"):
        build_dataset(DataSpec(name="sine", samples=1_000_000, seq_len=5000), "many-to-many")
    assert MAX_VALUES >= 2000 * 101 * 2


# --- seeding ---------------------------------------------------------------------------------

@pytest.mark.parametrize("name,task,extra", CASES)
def test_same_seed_same_arrays_other_seed_other_arrays(name, task, extra):
    a = build_dataset(spec(name=name, seed=3, **extra), task)
    b = build_dataset(spec(name=name, seed=3, **extra), task)
    for (xa, ya), (xb, yb) in zip(splits(a), splits(b)):
        np.testing.assert_array_equal(xa, xb)
        np.testing.assert_array_equal(ya, yb)
    if name != "sunspots":   # a real series does not depend on the seed
        c = build_dataset(spec(name=name, seed=4, **extra), task)
        assert not np.array_equal(a.x_train, c.x_train)


def test_samples_do_not_depend_on_how_many_are_drawn():
    """Sample i is the same whatever data.samples is, which is what makes preview cheap."""
    p = preview(DataSpec(name="adding", seq_len=30, samples=1_000_000, seed=5), n=4)
    d = build_dataset(DataSpec(name="adding", seq_len=30, samples=600, seed=5, val_fraction=0,
                               test_fraction=0), "many-to-one")
    np.testing.assert_array_equal(p.x, d.x_train[:4])
    np.testing.assert_allclose(p.targets, d.y_train[:4, 0])


def test_preview_is_cheap_and_raw():
    t = time.perf_counter()
    for name in ("sine", "adding", "memory"):
        p = preview(DataSpec(name=name, samples=1_000_000, seq_len=2000, lag=2000), n=3)
        assert len(p.x) == 3 and p.x.dtype == np.float32 and len(p.feature_names) == p.x.shape[2]
    assert time.perf_counter() - t < 2.0
    s = preview(DataSpec(name="sunspots", seq_len=10), n=2)
    np.testing.assert_allclose(s.series, sunspots(), rtol=1e-6)
    assert s.x.shape == (2, 10, 1) and s.split_index[0] < s.split_index[1] < len(s.series)
    with pytest.raises(DataError):
        preview(DataSpec(name="sine"), n=0)


def test_generation_is_fast():
    build_dataset(DataSpec(name="sine", samples=200, seq_len=10), "many-to-many")   # warm up
    for name, task in (("sine", "many-to-many"), ("adding", "many-to-one"), ("memory", "many-to-one")):
        t = time.perf_counter()
        build_dataset(DataSpec(name=name, samples=2000, seq_len=100, lag=98), task)
        assert time.perf_counter() - t < 0.5, name


# --- preparation -----------------------------------------------------------------------------

@pytest.mark.parametrize("task", ["many-to-many", "many-to-one", "one-to-many"])
def test_sine_normalised_with_training_statistics(task):
    d = build_dataset(DataSpec(name="sine", samples=600, seq_len=40, noise=0.1), task)
    value = d.x_train[..., 0]
    if task != "one-to-many":
        assert abs(value.mean()) < 0.05 and abs(value.std() - 1) < 0.05
    # targets share the inputs' scale (predictions can be fed back); one value per sample
    # (many-to-one) is only 420 numbers, so its mean wanders more
    tol = 0.2 if task == "many-to-one" else 0.05
    assert abs(d.y_train.mean()) < tol and abs(d.y_train.std() - 1) < tol
    if task == "one-to-many":   # every input feature is scaled by the training split alone
        flat = d.x_train[:, 0, :]
        np.testing.assert_allclose(flat[:, 1:].mean(0), 0, atol=1e-4)
        np.testing.assert_allclose(flat[:, 1:].std(0), 1, atol=1e-3)
    # validation is transformed with the same statistics, not re-normalised on its own
    assert not np.isclose(d.x_val[..., 0].mean(), 0, atol=1e-7)


def test_sine_next_step_targets_are_the_shifted_inputs():
    d = build_dataset(DataSpec(name="sine", samples=50, seq_len=30), "many-to-many")
    np.testing.assert_array_equal(d.x_train[:, 1:, 0], d.y_train[:, :-1, 0])
    m = build_dataset(DataSpec(name="sine", samples=50, seq_len=30), "many-to-one")
    np.testing.assert_array_equal(m.x_train, d.x_train)
    np.testing.assert_array_equal(m.y_train[:, 0], d.y_train[:, -1, 0])
    np.testing.assert_array_equal(d.target_mean, m.target_mean)


def test_sine_one_to_many_input_describes_the_wave():
    d = build_dataset(DataSpec(name="sine", samples=200, seq_len=30, noise=0), "one-to-many")
    np.testing.assert_allclose(d.x_train[:, 0, 0], d.y_train[:, 0, 0], atol=1e-6)   # first value
    # different inputs, different waves; the parameters are not constant
    assert np.unique(d.x_train[:, 0, 1:].round(4), axis=0).shape[0] == len(d.x_train)


def test_sunspots_chronological_split_has_no_leak():
    T = 12
    d = build_dataset(DataSpec(name="sunspots", seq_len=T), "many-to-many")
    raw = sunspots()
    assert len(raw) == 309 and raw[0] == 5 and raw[-1] == pytest.approx(2.9)
    a, b = d.split_index
    assert 0 < a < b < len(raw) == len(d.series)
    train = raw[:a]
    assert d.target_mean[0] == pytest.approx(train.mean(), rel=1e-6)
    assert d.target_std[0] == pytest.approx(train.std(), rel=1e-6)
    np.testing.assert_allclose(d.series, (raw - train.mean()) / train.std(), rtol=1e-5, atol=1e-5)
    assert abs(d.series[:a].mean()) < 1e-5 and abs(d.series[:a].std() - 1) < 1e-5
    # every window (inputs and targets) lies wholly inside its own part, in time order
    for (x, y), (lo, hi) in zip(splits(d), [(0, a), (a, b), (b, len(raw))]):
        assert len(x) == (hi - lo) - T
        full = np.concatenate([x[:, :, 0], y[:, -1:, 0]], axis=1)
        expect = np.lib.stride_tricks.sliding_window_view(d.series[lo:hi], T + 1)
        np.testing.assert_array_equal(full, expect)
    one = build_dataset(DataSpec(name="sunspots", seq_len=T), "many-to-one")
    np.testing.assert_array_equal(one.y_val[:, 0], d.y_val[:, -1, 0])


def test_sunspots_too_long_window_says_what_to_do():
    with pytest.raises(DataError) as e:
        build_dataset(DataSpec(name="sunspots", seq_len=50), "many-to-one")
    msg = str(e.value)
    assert "data 'sunspots'" in msg and "has 309" in msg and "at most 45" in msg


def test_memory_label_is_the_first_symbol_and_distractors_stay_apart():
    k, lag = 6, 9
    d = build_dataset(DataSpec(name="memory", n_symbols=k, lag=lag, samples=300, seq_len=500), "many-to-one")
    for x, y in splits(d):
        assert x.shape[1:] == (lag + 2, k + N_DISTRACTORS + 1)
        assert set(np.unique(x)) <= {0.0, 1.0}
        assert (x.sum(axis=2) == 1).all()                             # exactly one channel per step
        np.testing.assert_array_equal(x[:, 0, :k].argmax(1), y)       # label = symbol at step 0
        assert (x[:, 0, k:] == 0).all()
        assert (x[:, 1:, :k] == 0).all()                              # distractors never use symbols
        assert (x[:, 1:lag + 1, k:k + N_DISTRACTORS].sum(2) == 1).all()
        assert (x[:, -1, -1] == 1).all() and (x[:, :-1, -1] == 0).all()   # recall marker last
    assert set(np.unique(d.y_train)) == set(range(k))
    assert "seq_len is not used" in d.description


def test_adding_target_is_the_sum_of_the_marked_values():
    T = 17
    d = build_dataset(DataSpec(name="adding", seq_len=T, samples=400), "many-to-one")
    for x, y in splits(d):
        marks = x[:, :, 1]
        assert (marks.sum(1) == 2).all()
        assert (marks[:, :T // 2].sum(1) == 1).all() and (marks[:, T // 2:].sum(1) == 1).all()
        np.testing.assert_allclose((x[:, :, 0] * marks).sum(1), y[:, 0], rtol=1e-6)
        assert ((x[:, :, 0] >= 0) & (x[:, :, 0] <= 1)).all()
    big = build_dataset(DataSpec(name="adding", seq_len=10, samples=20000), "many-to-one")
    assert big.baseline_loss == pytest.approx(1 / 6, abs=0.01)
    assert "0.167" in big.description


# --- CSV ------------------------------------------------------------------------------------

def write(tmp_path: Path, text: str | bytes, name: str = "data.csv") -> Path:
    p = tmp_path / name
    p.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return p


def csv_spec(path, column=None, seq_len=3, **kw):
    return DataSpec(name="csv", path=str(path), column=column, seq_len=seq_len, **kw)


def rows(n, f=lambda i: f"{i}.5"):
    return "".join(f"{f(i)}\n" for i in range(n))


def test_csv_reads_a_column_like_a_series(tmp_path):
    body = "".join(f"2020-01-{i + 1:02d},{math.sin(i / 3):.6f},{i}\n" for i in range(40))
    p = write(tmp_path, "date,temp,count\n" + body)
    assert read_csv_columns(p) == ["date", "temp", "count"]
    d = build_dataset(csv_spec(p, "temp", seq_len=5), "many-to-many")
    assert d.name == "csv" and d.x_train.shape[1:] == (5, 1) and d.split_index == (28, 34)
    raw = np.array([float(f"{math.sin(i / 3):.6f}") for i in range(40)])
    np.testing.assert_allclose(d.denormalise(d.series), raw, atol=1e-5)
    assert "'temp'" in d.description
    # semicolons and decimal commas, a BOM, CRLF line ends and trailing blank lines
    p2 = write(tmp_path, "\ufeffwhen;level\r\n" + "".join(f"d{i};{i},25\r\n" for i in range(20)) + "\r\n\r\n",
               "euro.csv")
    s = read_csv_series(p2)
    assert s.column == "level" and s.values[3] == 3.25 and s.lines[0] == 2 and len(s.values) == 20


def err(path, column=None, seq_len=3) -> str:
    with pytest.raises(DataError) as e:
        build_dataset(csv_spec(path, column, seq_len), "many-to-one")
    return str(e.value)


@pytest.mark.parametrize("body,line,problem", [
    ("abc", 17, "'abc' is not a number"),
    ("", 17, "the cell is empty"),
    ("NaN", 17, "'NaN' is not a finite number"),
    ("inf", 17, "'inf' is not a finite number"),
    ("-Infinity", 17, "is not a finite number"),
])
def test_csv_bad_cell_names_file_line_and_column(tmp_path, body, line, problem):
    lines = [f"{i},{i}.5" for i in range(1, 40)]
    lines[line - 2] = f"{line - 1},{body}"
    p = write(tmp_path, "day,temp\n" + "\n".join(lines) + "\n")
    msg = err(p, "temp")
    assert msg == f"{p}, line {line}, column 'temp': " + msg.split(": ", 1)[1]
    assert problem in msg
    assert "data.csv" in msg and f"line {line}" in msg and "column 'temp'" in msg


def test_csv_short_row_and_blank_line_in_the_middle(tmp_path):
    p = write(tmp_path, "day,temp\n" + rows(10, lambda i: f"{i},{i}") + "11\n" + rows(10, lambda i: f"{i},{i}"))
    msg = err(p, "temp")
    assert "data.csv, line 12, column 'temp'" in msg and "the header has 2 columns" in msg
    p = write(tmp_path, "temp\n" + rows(10) + "\n" + rows(10))
    msg = err(p)
    assert "data.csv, line 12, column 'temp'" in msg and "empty" in msg


def test_csv_file_level_errors(tmp_path):
    assert "the file is empty" in err(write(tmp_path, ""))
    assert "the file is empty" in err(write(tmp_path, "\n  \n"))
    assert "no such file" in err(tmp_path / "missing.csv")
    msg = err(write(tmp_path, rows(30)))
    assert "data.csv, line 1" in msg and "header" in msg
    msg = err(write(tmp_path, "a,b\n1,2\n"), "temp")
    assert msg.startswith(f"{tmp_path / 'data.csv'}, line 1: no column 'temp'") and "'a', 'b'" in msg
    msg = err(write(tmp_path, "year,a,b\n" + rows(30, lambda i: f"{i},{i},{i}")))
    assert "several columns hold numbers ('year', 'a', 'b')" in msg and "data.column" in msg
    msg = err(write(tmp_path, "year,a\n"))
    assert "data.csv, line 1" in msg and "no rows" in msg


def test_csv_picks_the_only_numeric_column_and_reports_its_typos(tmp_path):
    p = write(tmp_path, "date,temp\n" + rows(30, lambda i: f"d{i},{'oops' if i == 20 else i}"))
    assert "data.csv, line 22, column 'temp': 'oops' is not a number" in err(p)
    p = write(tmp_path, "date,temp\n" + rows(30, lambda i: f"d{i},{i}"))
    assert build_dataset(csv_spec(p), "many-to-one").x_train.shape[1:] == (3, 1)


def test_csv_too_few_rows(tmp_path):
    p = write(tmp_path, "temp\n" + rows(5))
    msg = err(p, "temp", seq_len=10)
    assert "data.csv" in msg and "column 'temp'" in msg and "lines 2-6" in msg
    assert "needs at least" in msg and "has 5" in msg
    need = int(msg.split("needs at least ")[1].split()[0])
    rows_ok = write(tmp_path, "temp\n" + rows(need), "ok.csv")
    build_dataset(csv_spec(rows_ok, "temp", seq_len=10), "many-to-one")
    short = write(tmp_path, "temp\n" + rows(need - 1), "short.csv")
    with pytest.raises(DataError, match="needs at least"):
        build_dataset(csv_spec(short, "temp", seq_len=10), "many-to-one")


def test_csv_unreadable_encoding(tmp_path):
    data = b"day,temp\n" + b"".join(b"%d,%d\n" % (i, i) for i in range(1, 8)) + b"8,12\xe9\n9,1\n"
    msg = err(write(tmp_path, data))
    assert "data.csv, line 9, column 'temp'" in msg and "UTF-8" in msg
    utf16 = ("temp\n" + rows(30)).encode("utf-16")
    assert len(read_csv_series(write(tmp_path, utf16, "u16.csv")).values) == 30


def test_csv_error_carries_where():
    with tempfile.TemporaryDirectory() as tmp:
        p = write(Path(tmp), "day,temp\n1,2\n2,x\n")
        with pytest.raises(DataError) as e:
            read_csv_series(p, "temp")
        assert (e.value.path, e.value.line, e.value.column) == (str(p), 3, "temp")


finite = st.floats(allow_nan=False, allow_infinity=False, width=64, min_value=-1e12, max_value=1e12)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(values=st.lists(st.lists(finite, min_size=1, max_size=3), min_size=1, max_size=30).filter(
           lambda rs: len({len(r) for r in rs}) == 1),
       delimiter=st.sampled_from([",", ";", "\t"]), crlf=st.booleans(), pick=st.integers(0, 2))
def test_csv_numbers_round_trip(values, delimiter, crlf, pick):
    width = len(values[0])
    names = [f"col{j}" for j in range(width)]
    end = "\r\n" if crlf else "\n"
    text = delimiter.join(names) + end + "".join(delimiter.join(repr(v) for v in r) + end for r in values)
    column = names[pick % width]
    with tempfile.TemporaryDirectory() as tmp:
        p = Path(tmp) / "numbers.csv"
        p.write_text(text, encoding="utf-8", newline="")
        assert read_csv_columns(p) == names
        s = read_csv_series(p, column)
        np.testing.assert_array_equal(s.values, [r[pick % width] for r in values])
        np.testing.assert_array_equal(s.lines, np.arange(2, len(values) + 2))
        if len(values) >= 8:
            d = build_dataset(DataSpec(name="csv", path=str(p), column=column, seq_len=1,
                                       val_fraction=0.1, test_fraction=0.1), "many-to-many")
            raw = np.asarray([r[pick % width] for r in values])
            scale = max(1.0, float(np.abs(raw).max()))
            np.testing.assert_allclose(d.denormalise(d.series.astype(np.float64)), raw,
                                       atol=1e-5 * scale)


# --- resources and layering ------------------------------------------------------------------

def test_sunspots_ship_with_their_source():
    f = data_file("sunspots.csv")
    source = f.with_name("sunspots.SOURCE.md").read_text(encoding="utf-8")
    assert "public domain" in source.lower() and "statsmodels" in source


def test_datasets_import_neither_torch_nor_qt():
    code = ("import sys, seqlab.families.recurrent.data as d; "
            "bad = [m for m in sys.modules if m.split('.')[0] in ('torch', 'PySide6', 'PyQt5', 'PyQt6', 'pyqtgraph')]; "
            "print(bad); sys.exit(1 if bad else 0)")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[3])}
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert r.returncode == 0, r.stdout + r.stderr
