"""A user's CSV file as autoencoder data: rows of features, or windows of one series.

Feature rows: the first non-blank row is a header naming the columns; every other column
than the optional label column must hold a number in every row. The file is read by the
lab's CSV reader (``seqlab.families.recurrent.data.csvfile``: encodings, delimiter and decimal-comma
detection, header detection), so both kinds of file follow the same rules and every error
names the file, the 1-based line and the column:
``sensors.csv, line 17, column 'temp': 'abc' is not a number``.

Series: ``read_series_windows`` reads one numeric column with the same reader
``read_csv_series`` and cuts it into fixed-length windows.

``split_rows`` splits rows at random (seeded) and ``fit_standardiser`` learns each
feature's mean and spread on the training rows only, to be applied unchanged to the rest.
Numpy only.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from seqlab.core.errors import DataError
from seqlab.families.recurrent.data.base import mean_std, part_sizes
# The table reader and cell parser are private to csvfile; imported, not copied, so a fix
# there (encodings, delimiters, decimal commas, header detection) applies here too.
from seqlab.families.recurrent.data.csvfile import _number, _pick_column, _table, read_csv_series


@dataclass
class FeatureTable:
    x: np.ndarray                   # float32 [n, features]
    labels: np.ndarray | None       # int64 [n]: index into label_names; None without a label column
    label_names: list[str] | None   # the distinct labels, sorted (numerically when all are numbers)
    columns: list[str]              # the feature columns' header names, in file order
    lines: np.ndarray               # int64 [n]: the 1-based line of the file each row came from
    path: str


def read_feature_csv(path: str | Path, label_column: str | None = None) -> FeatureTable:
    """Every row of a CSV file as a feature vector, each cell checked.

    `label_column` names a column holding each row's class (text or numbers); all other
    columns are features and must be numbers. Raises DataError naming the file, line and
    column of the first problem: an empty file, no header, a ragged row, an empty cell,
    text or NaN where a number belongs, or no numeric column at all.
    """
    t = _table(path)
    _check_header(t)
    if not t.rows:
        raise DataError(f"{t.shown}, line {t.header_line}: the file has a header but no rows under it",
                        path=t.shown, line=t.header_line)
    label_j = _pick_column(t, label_column) if label_column is not None else None
    feature_js = [j for j in range(len(t.header)) if j != label_j]
    for line, cells in t.rows:
        _check_row_length(t, line, cells)
    _check_numeric_columns(t, feature_js, label_j)

    x = np.empty((len(t.rows), len(feature_js)), np.float64)
    lines = np.empty(len(t.rows), np.int64)
    for i, (line, cells) in enumerate(t.rows):
        lines[i] = line
        for k, j in enumerate(feature_js):
            x[i, k] = _cell_number(t, line, j, cells[j])
    labels = names = None
    if label_j is not None:
        labels, names = _encode_labels(t, label_j)
    return FeatureTable(x.astype(np.float32), labels, names, [t.header[j] for j in feature_js],
                        lines, t.shown)


def _check_header(t) -> None:
    seen: dict[str, int] = {}
    for j, name in enumerate(t.header):
        where = f"{t.shown}, line {t.header_line} (the header)"
        if not name:
            raise DataError(f"{where}: column {j + 1} has no name; every column needs one",
                            path=t.shown, line=t.header_line)
        if name in seen:
            raise DataError(f"{where}: two columns are named {name!r} (columns {seen[name] + 1} and "
                            f"{j + 1}); give each column its own name", path=t.shown,
                            line=t.header_line, column=name)
        seen[name] = j


def _check_row_length(t, line: int, cells: list[str]) -> None:
    if len(cells) == len(t.header):
        return
    where = f"{t.shown}, line {line}"
    if not any(c.strip() for c in cells):
        problem = "the row is empty; delete the blank line"
    elif len(cells) > len(t.header) and not any(c.strip() for c in cells[len(t.header):]):
        problem = (f"the row has {len(cells)} cells but the header has {len(t.header)} columns "
                   "(a separator at the end of the line?)")
    else:
        problem = f"the row has {len(cells)} cells but the header has {len(t.header)} columns"
    raise DataError(f"{where}: {problem}", path=t.shown, line=line)


def _check_numeric_columns(t, feature_js: list[int], label_j: int | None) -> None:
    """Every feature column holds numbers; name the first text cell of a column that does not."""
    listed = ", ".join(repr(c) for c in t.header)
    if not feature_js:
        raise DataError(f"{t.shown}, line {t.header_line}: the label column is the only column; "
                        "feature rows need at least one numeric column", path=t.shown, line=t.header_line)
    numeric = [j for j in feature_js if not _holds_text(t, j)]
    if not numeric:
        raise DataError(f"{t.shown}, line {t.header_line}: no column holds numbers (the columns are "
                        f"{listed}); feature rows need numeric columns", path=t.shown, line=t.header_line)
    for j in feature_js:
        if j in numeric:
            continue
        name = t.header[j]
        line, cell = next((ln, c[j]) for ln, c in t.rows
                          if c[j].strip() and _number(c[j], t.delimiter) is None)
        hint = "" if label_j is not None else " or read it as the label column"
        raise DataError(f"{t.shown}, line {line}, column {name!r}: {cell.strip()!r} is not a number, and "
                        f"column {name!r} holds text in most rows; remove the column{hint}",
                        path=t.shown, line=line, column=name)


def _holds_text(t, j: int) -> bool:
    """Most filled cells of column j are not numbers (empty cells are reported on their own)."""
    filled = [c[j] for _, c in t.rows if c[j].strip()]
    return sum(_number(c, t.delimiter) is None for c in filled) * 2 > len(filled)


def _cell_number(t, line: int, j: int, cell: str) -> float:
    v = _number(cell, t.delimiter)
    if v is not None and math.isfinite(v):
        return v
    if not cell.strip():
        problem = "the cell is empty; every row needs a number in every column (fill it in or delete the row)"
    elif v is None:
        problem = f"{cell.strip()!r} is not a number"
    else:
        problem = f"{cell.strip()!r} is not a finite number (NaN or infinity); fill it in or delete the row"
    name = t.header[j]
    raise DataError(f"{t.shown}, line {line}, column {name!r}: {problem}", path=t.shown, line=line, column=name)


def _encode_labels(t, j: int) -> tuple[np.ndarray, list[str]]:
    name = t.header[j]
    raw = []
    for line, cells in t.rows:
        value = cells[j].strip()
        if not value:
            raise DataError(f"{t.shown}, line {line}, column {name!r}: the label is empty; every row "
                            "needs one", path=t.shown, line=line, column=name)
        raw.append(value)
    numbers = [_number(v, t.delimiter) for v in raw]
    if all(v is not None and math.isfinite(v) for v in numbers):
        # Numeric labels sort as numbers (2 before 10) and print without a trailing .0.
        texts = [f"{v:g}" for v in numbers]
        names = [f"{v:g}" for v in sorted(set(numbers))]
    else:
        texts, names = raw, sorted(set(raw))
    index = {n: i for i, n in enumerate(names)}
    return np.array([index[v] for v in texts], np.int64), names


# --- splitting and standardising ------------------------------------------------------------

@dataclass(frozen=True)
class Standardiser:
    """Per-feature mean and standard deviation learnt on training rows (constant columns: std 1)."""

    mean: np.ndarray    # float64 [features]
    std: np.ndarray

    def apply(self, x: np.ndarray) -> np.ndarray:
        """Standardised float32 copy of rows `x` [n, features]."""
        x = np.asarray(x, dtype=np.float64)
        if x.ndim != 2 or x.shape[1] != len(self.mean):
            raise DataError(f"rows must have {len(self.mean)} features, got shape {list(x.shape)}")
        return ((x - self.mean) / self.std).astype(np.float32)

    def invert(self, z: np.ndarray) -> np.ndarray:
        """Standardised rows back in the file's own units (float32)."""
        return (np.asarray(z, dtype=np.float64) * self.std + self.mean).astype(np.float32)


def fit_standardiser(x_train: np.ndarray) -> Standardiser:
    """Learn each feature's mean and spread on the training rows `x_train` [n, features]."""
    x_train = np.asarray(x_train, dtype=np.float64)
    if x_train.ndim != 2 or len(x_train) == 0:
        raise DataError(f"standardising needs training rows [n >= 1, features], got shape {list(x_train.shape)}")
    mean, std = mean_std(x_train, axis=0)
    return Standardiser(mean, std)


def split_rows(n: int, seed: int = 0, val_fraction: float = 0.15,
               test_fraction: float = 0.15) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Seeded random (train, val, test) row indices, each in file order; sizes round half up."""
    for name, f in (("val_fraction", val_fraction), ("test_fraction", test_fraction)):
        if isinstance(f, bool) or not isinstance(f, (int, float)) or not 0 <= f < 1:
            raise DataError(f"{name} must be a number from 0 up to (not including) 1, got {f!r}")
    n_train, n_val, n_test = part_sizes(n, val_fraction, test_fraction)
    if n_train < 1:
        raise DataError(f"{n} rows leave none for training; add rows or lower val_fraction / test_fraction")
    perm = np.random.default_rng([seed, 0xFEA7]).permutation(n)
    return np.sort(perm[n_val + n_test:]), np.sort(perm[:n_val]), np.sort(perm[n_val:n_val + n_test])


# --- a series as windows --------------------------------------------------------------------

@dataclass
class SeriesWindows:
    x: np.ndarray           # float32 [n, length], raw values
    starts: np.ndarray      # int64 [n]: index in the series of each window's first value
    series: np.ndarray      # float64 [L]: the whole column
    lines: np.ndarray       # int64 [L]: the file line of each value
    column: str
    path: str


def read_series_windows(path: str | Path, column: str | None = None, length: int = 50,
                        stride: int | None = None) -> SeriesWindows:
    """One numeric column of a CSV file (read by ``read_csv_series``) cut into windows.

    Windows hold `length` consecutive values, `stride` apart (default `length`: no overlap).
    """
    if isinstance(length, bool) or not isinstance(length, (int, np.integer)) or length < 2:
        raise DataError(f"window length must be a whole number >= 2, got {length!r}")
    stride = length if stride is None else stride
    if isinstance(stride, bool) or not isinstance(stride, (int, np.integer)) or stride < 1:
        raise DataError(f"window stride must be a whole number >= 1, got {stride!r}")
    s = read_csv_series(path, column)
    if len(s.values) < length:
        raise DataError(f"{s.path}, column {s.column!r}: {len(s.values)} values are fewer than one "
                        f"window of {length}; use shorter windows or a longer series", path=s.path,
                        column=s.column)
    starts = np.arange(0, len(s.values) - length + 1, stride, dtype=np.int64)
    x = s.values[starts[:, None] + np.arange(length)].astype(np.float32)
    return SeriesWindows(x, starts, s.values, s.lines, s.column, s.path)
