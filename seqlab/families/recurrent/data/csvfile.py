"""Reading one numeric column of a user's CSV file, with messages that point at the cell.

Uses the standard ``csv`` module (no pandas). The file must be UTF-8 (a BOM is fine) or
UTF-16 with a BOM, and its first non-blank row must be a header naming the columns. The
delimiter is whichever of ``,`` ``;`` and tab the header uses most (comma when none); with
``;`` or tab, a decimal comma (``3,14``) is read as a decimal point. Blank rows at the end
are ignored; anywhere else a missing value is an error, as are text, NaN and infinity,
because silently dropping or filling them would change the series the student studies.

Every error names the file, and where it has one the 1-based line of the file and the
column: ``data.csv, line 17, column 'temp': 'abc' is not a number``.
"""

from __future__ import annotations

import codecs
import csv
import io
import math
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .base import DataError

_DELIMITERS = (",", ";", "\t")
_DECIMAL_COMMA = re.compile(r"[+-]?\d*,\d+(?:[eE][+-]?\d+)?|[+-]?\d+,\d*(?:[eE][+-]?\d+)?")


@dataclass
class CsvSeries:
    values: np.ndarray      # float64 [L]
    column: str             # the header name of the column read
    lines: np.ndarray       # int [L]: the 1-based line of the file each value came from
    path: str


@dataclass
class _Table:
    shown: str
    delimiter: str
    header_line: int
    header: list[str]
    rows: list[tuple[int, list[str]]]     # (line, cells), trailing blank rows removed


# --- reading the text ----------------------------------------------------------------------

def _read_text(path: str | Path) -> tuple[str, str]:
    shown = str(path)
    p = Path(path)
    try:
        raw = p.read_bytes()
    except FileNotFoundError:
        raise DataError(f"{shown}: no such file", path=shown) from None
    except IsADirectoryError:
        raise DataError(f"{shown}: is a folder, not a CSV file", path=shown) from None
    except OSError as e:
        raise DataError(f"{shown}: cannot read it ({e.strerror or e})", path=shown) from None
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return shown, raw.decode("utf-16")
        except UnicodeDecodeError:
            raise DataError(f"{shown}: starts like UTF-16 text but cannot be read as it; save it "
                            "as CSV UTF-8", path=shown) from None
    try:
        return shown, raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise _encoding_error(shown, raw, e) from None


def _encoding_error(shown: str, raw: bytes, e: UnicodeDecodeError) -> DataError:
    line = raw.count(b"\n", 0, e.start) + 1
    start = raw.rfind(b"\n", 0, e.start) + 1
    end = raw.find(b"\n", e.start)
    bad_line = raw[start:end if end >= 0 else len(raw)].decode("utf-8", "replace").rstrip("\r")
    text = raw.decode("utf-8-sig", "replace")
    header_line, header = _first_row(text)
    where = f"{shown}, line {line}"
    column = None
    if header is not None and line > header_line:
        delimiter = _guess_delimiter(text.splitlines()[header_line - 1])
        cells = next(csv.reader([bad_line], delimiter=delimiter), [])
        j = next((i for i, c in enumerate(cells) if "\ufffd" in c), None)
        if j is not None:
            column = header[j] if j < len(header) else f"#{j + 1}"
            where += f", column {column!r}"
    elif line == header_line:
        where += " (the header)"
    return DataError(
        f"{where}: byte 0x{raw[e.start]:02x} is not UTF-8 text, so the file cannot be read; "
        "save it as 'CSV UTF-8' (a spreadsheet's Save As offers it)",
        path=shown, line=line, column=column)


def _first_row(text: str) -> tuple[int, list[str] | None]:
    for i, line in enumerate(text.splitlines(), 1):
        if line.strip():
            delimiter = _guess_delimiter(line)
            return i, [c.strip() for c in next(csv.reader([line], delimiter=delimiter))]
    return 0, None


def _guess_delimiter(header: str) -> str:
    counts = [header.count(d) for d in _DELIMITERS]
    return _DELIMITERS[counts.index(max(counts))] if max(counts) else ","


def _table(path: str | Path) -> _Table:
    shown, text = _read_text(path)
    if not text.strip():
        raise DataError(f"{shown}: the file is empty; it needs a header row naming the columns "
                        "and then one row per time step", path=shown)
    first = next(line for line in text.splitlines() if line.strip())
    delimiter = _guess_delimiter(first)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header_line, header, rows = 0, None, []
    try:
        for cells in reader:
            if header is None:
                if not any(c.strip() for c in cells):
                    continue
                header_line, header = reader.line_num, [c.strip() for c in cells]
            else:
                rows.append((reader.line_num, cells))
    except csv.Error as e:
        line = reader.line_num
        raise DataError(f"{shown}, line {line}: not valid CSV ({e})", path=shown, line=line) from None
    while rows and not any(c.strip() for c in rows[-1][1]):
        rows.pop()
    if all(_number(c, delimiter) is not None for c in header if c):
        cells = ", ".join(repr(c) for c in header[:4]) + (", ..." if len(header) > 4 else "")
        raise DataError(f"{shown}, line {header_line}: the first row must be a header naming the "
                        f"columns, but it holds numbers ({cells}); add a first line such as 'value'",
                        path=shown, line=header_line)
    return _Table(shown, delimiter, header_line, header, rows)


def _number(cell: str, delimiter: str) -> float | None:
    s = cell.strip()
    if delimiter != "," and _DECIMAL_COMMA.fullmatch(s):
        s = s.replace(",", ".")
    try:
        return float(s)
    except ValueError:
        return None


# --- public --------------------------------------------------------------------------------

def read_csv_columns(path: str | Path) -> list[str]:
    """The column names in the header of a CSV file (for the column picker)."""
    return list(_table(path).header)


def read_csv_series(path: str | Path, column: str | None = None) -> CsvSeries:
    """One numeric column of a CSV file, every cell checked.

    ``column`` is a header name; when None, the file's only column, or its only column that
    holds numbers, is used (several numeric columns: an error naming them).
    """
    t = _table(path)
    j = _pick_column(t, column)
    name = t.header[j]
    values = np.empty(len(t.rows), np.float64)
    lines = np.empty(len(t.rows), np.int64)
    for i, (line, cells) in enumerate(t.rows):
        where = f"{t.shown}, line {line}, column {name!r}"
        if j >= len(cells):
            if not any(c.strip() for c in cells):
                problem = "the row is empty; every row needs a number (delete the blank line)"
            else:
                problem = f"the row has {len(cells)} cells but the header has {len(t.header)} columns"
            raise DataError(f"{where}: {problem}", path=t.shown, line=line, column=name)
        cell = cells[j]
        v = _number(cell, t.delimiter)
        if not cell.strip():
            problem = "the cell is empty; every row needs a number (fill it in or delete the row)"
        elif v is None:
            problem = f"{cell.strip()!r} is not a number"
            if t.delimiter == "," and _DECIMAL_COMMA.fullmatch(cell.strip()):
                problem += " (write decimals with a point, 3.14, or separate the columns with ';')"
        elif not math.isfinite(v):
            problem = f"{cell.strip()!r} is not a finite number (NaN or infinity); fill it in or delete the row"
        else:
            values[i], lines[i] = v, line
            continue
        raise DataError(f"{where}: {problem}", path=t.shown, line=line, column=name)
    return CsvSeries(values=values, column=name, lines=lines, path=t.shown)


def _pick_column(t: _Table, column: str | None) -> int:
    names = t.header
    listed = ", ".join(repr(c) for c in names)
    if column is not None:
        if column in names:
            return names.index(column)
        loose = [i for i, c in enumerate(names) if c.casefold() == column.strip().casefold()]
        if len(loose) == 1:
            return loose[0]
        raise DataError(f"{t.shown}, line {t.header_line}: no column {column!r}; the columns are {listed}",
                        path=t.shown, line=t.header_line, column=column)
    if len(names) == 1:
        return 0
    if not t.rows:
        raise DataError(f"{t.shown}, line {t.header_line}: the file has a header ({listed}) but no rows "
                        "of numbers under it", path=t.shown, line=t.header_line)
    numeric = [j for j in range(len(names)) if _mostly_numbers(t, j)]
    if len(numeric) == 1:
        return numeric[0]
    if numeric:
        which = ", ".join(repr(names[j]) for j in numeric)
        raise DataError(f"{t.shown}, line {t.header_line}: several columns hold numbers ({which}); "
                        "set data.column to the one with your series", path=t.shown, line=t.header_line)
    raise DataError(f"{t.shown}, line {t.header_line}: no column holds numbers (the columns are {listed}); "
                    "set data.column to the one with your series", path=t.shown, line=t.header_line)


def _mostly_numbers(t: _Table, j: int) -> bool:
    """More than half the rows have a number in column j (so one typo does not hide it)."""
    good = sum(1 for _, cells in t.rows if j < len(cells) and _number(cells[j], t.delimiter) is not None)
    return good * 2 > len(t.rows)
