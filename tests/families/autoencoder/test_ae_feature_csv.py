"""A user's CSV of feature rows: read exactly, and every bad file gets one message naming the cell."""

import numpy as np
import pytest

from seqlab.core.errors import DataError
from seqlab.families.autoencoder.data.feature_csv import (
    fit_standardiser, read_feature_csv, read_series_windows, split_rows)


def _csv(tmp_path, text, name="rows.csv", encoding="utf-8"):
    p = tmp_path / name
    p.write_text(text, encoding=encoding)
    return p


def test_rows_columns_and_text_labels(tmp_path):
    p = _csv(tmp_path, "a,b,kind,c\n1,2.5,cat,3\n4,-5e-1,dog,6\n7,8,cat,9\n")
    t = read_feature_csv(p, label_column="kind")
    assert t.x.dtype == np.float32 and t.x.shape == (3, 3)
    assert np.array_equal(t.x, np.array([[1, 2.5, 3], [4, -0.5, 6], [7, 8, 9]], np.float32))
    assert t.columns == ["a", "b", "c"]
    assert t.label_names == ["cat", "dog"] and t.labels.tolist() == [0, 1, 0]
    assert t.labels.dtype == np.int64 and t.lines.tolist() == [2, 3, 4]


def test_numeric_labels_sort_as_numbers(tmp_path):
    p = _csv(tmp_path, "x,y\n1,10\n2,2\n3,10\n4,0\n")
    t = read_feature_csv(p, label_column="y")
    assert t.label_names == ["0", "2", "10"] and t.labels.tolist() == [2, 1, 2, 0]


def test_without_label_column_every_column_is_a_feature(tmp_path):
    t = read_feature_csv(_csv(tmp_path, "x;y\n1,5;2\n3;4\n"))   # ';' file, decimal comma
    assert t.labels is None and t.label_names is None
    assert np.array_equal(t.x, np.array([[1.5, 2], [3, 4]], np.float32))


@pytest.mark.parametrize("text,label,words", [
    ("", None, r"rows\.csv: the file is empty"),
    ("1,2\n3,4\n", None, r"rows\.csv, line 1: the first row must be a header"),
    ("a,b\n", None, r"rows\.csv, line 1: the file has a header but no rows"),
    ("a,b\n1,2\n3\n", None, r"rows\.csv, line 3: the row has 1 cells but the header has 2"),
    ("a,b\n1,2\n3,4,5\n", None, r"rows\.csv, line 3: the row has 3 cells but the header has 2"),
    ("a,b\n1,2,\n", None, r"line 2: .*separator at the end"),
    ("a,b\n1,2\n\n3,4\n", None, r"line 3: the row is empty"),
    ("a,b\n1,2\n3,nan\n", None, r"rows\.csv, line 3, column 'b': 'nan' is not a finite number"),
    ("a,b\n1,2\n3,inf\n", None, r"line 3, column 'b': 'inf' is not a finite number"),
    ("a,b\n1,2\n3,4x\n4,5\n", None, r"rows\.csv, line 3, column 'b': '4x' is not a number"),
    ("a,b\n1,\n", None, r"line 2, column 'b': the cell is empty"),
    ("name,town\nann,rome\nbob,oslo\n", None, r"line 1: no column holds numbers"),
    ("a,name\n1,ann\n2,bob\n", None, r"line 2, column 'name': 'ann' is not a number.*label column"),
    ("a,b\n1,2\n", "kind", r"line 1: no column 'kind'; the columns are 'a', 'b'"),
    ("a,kind\n1,cat\n2,\n", "kind", r"line 3, column 'kind': the label is empty"),
    ("kind\ncat\n", "kind", r"the label column is the only column"),
    ("a,a\n1,2\n", None, r"line 1 \(the header\): two columns are named 'a'"),
    ("a,,b\n1,2,3\n", None, r"column 2 has no name"),
])
def test_each_bad_file_gets_one_message_naming_the_place(tmp_path, text, label, words):
    with pytest.raises(DataError, match=words) as e:
        read_feature_csv(_csv(tmp_path, text), label_column=label)
    assert e.value.path.endswith("rows.csv")


def test_error_carries_line_and_column_for_the_window(tmp_path):
    with pytest.raises(DataError) as e:
        read_feature_csv(_csv(tmp_path, "a,b\n1,2\n3,x\n"))
    assert (e.value.line, e.value.column) == (3, "b")


def test_not_utf8_and_missing_file(tmp_path):
    p = tmp_path / "latin.csv"
    p.write_bytes("a,b\n1,caf\xe9\n".encode("latin-1"))
    with pytest.raises(DataError, match=r"latin\.csv, line 2.*not UTF-8"):
        read_feature_csv(p)
    with pytest.raises(DataError, match="no such file"):
        read_feature_csv(tmp_path / "nope.csv")


def test_standardise_with_training_statistics_only(tmp_path):
    rng = np.random.default_rng(0)
    x = np.column_stack([rng.normal(5, 2, 200), rng.normal(-3, 0.1, 200), np.full(200, 7.0)])
    train, val, test = split_rows(len(x), seed=1)
    assert sorted(np.concatenate([train, val, test]).tolist()) == list(range(200))
    assert (len(train), len(val), len(test)) == (140, 30, 30)
    s = fit_standardiser(x[train])
    z = s.apply(x[train])
    assert z.dtype == np.float32
    assert np.allclose(z[:, :2].mean(0), 0, atol=1e-5) and np.allclose(z[:, :2].std(0), 1, atol=1e-4)
    assert np.all(z[:, 2] == 0)                                 # a constant column is not divided by 0
    assert np.allclose(s.mean, x[train].mean(0))                # training rows only
    assert not np.allclose(s.mean, x.mean(0))
    assert np.allclose(s.invert(s.apply(x[val])), x[val], atol=1e-4)
    with pytest.raises(DataError, match="3 features"):
        s.apply(x[:, :2])
    with pytest.raises(DataError, match="training rows"):
        fit_standardiser(np.zeros((0, 3)))


def test_split_is_seeded():
    assert all(np.array_equal(a, b) for a, b in zip(split_rows(50, 3), split_rows(50, 3)))
    assert not np.array_equal(split_rows(50, 3)[0], split_rows(50, 4)[0])
    with pytest.raises(DataError, match="none for training"):
        split_rows(2, val_fraction=0.5, test_fraction=0.5)


def test_series_windows_use_the_series_reader(tmp_path):
    p = _csv(tmp_path, "t,temp\n" + "".join(f"{i},{i * 0.5}\n" for i in range(10)), "s.csv")
    w = read_series_windows(p, "temp", length=4, stride=3)
    assert w.x.shape == (3, 4) and w.starts.tolist() == [0, 3, 6]
    assert np.array_equal(w.x[1], np.array([1.5, 2.0, 2.5, 3.0], np.float32))
    assert w.column == "temp" and w.lines[0] == 2
    with pytest.raises(DataError, match=r"s\.csv, column 'temp': 10 values are fewer than one window of 20"):
        read_series_windows(p, "temp", length=20)
    bad = _csv(tmp_path, "temp\n1\nabc\n", "b.csv")
    with pytest.raises(DataError, match=r"b\.csv, line 3, column 'temp': 'abc' is not a number"):
        read_series_windows(bad, length=2)
