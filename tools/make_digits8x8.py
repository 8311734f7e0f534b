"""Make seqlab/resources/digits/digits8x8.npz from the copy of the UCI 8x8 digits in scikit-learn.

Run once by a maintainer (scikit-learn is needed here only, never at run time):

    python tools/make_digits8x8.py [path/to/digits.csv.gz] [output.npz]

Without a path it reads ``sklearn/datasets/data/digits.csv.gz`` of the installed
scikit-learn. The file holds 1,797 rows of 64 pixel values (0-16) and the digit as the last
column. The output holds ``images`` uint8 [1797, 8, 8] (0-16) and ``labels`` uint8 [1797],
written to a temporary file first and then moved into place.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "seqlab" / "resources" / "digits" / "digits8x8.npz"


def sklearn_digits_csv() -> Path:
    import sklearn  # only this maintainer script needs scikit-learn

    return Path(sklearn.__file__).resolve().parent / "datasets" / "data" / "digits.csv.gz"


def convert(src: Path, out: Path) -> None:
    with gzip.open(src, "rt") as f:
        table = np.loadtxt(f, delimiter=",")
    if table.shape != (1797, 65):
        sys.exit(f"{src}: expected 1797 rows of 65 numbers, got {table.shape}")
    if not np.array_equal(table, np.round(table)) or table.min() < 0 or table[:, :64].max() > 16:
        sys.exit(f"{src}: pixel values must be whole numbers 0-16")
    images = table[:, :64].astype(np.uint8).reshape(-1, 8, 8)
    labels = table[:, 64].astype(np.uint8)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp.npz")
    np.savez_compressed(tmp, images=images, labels=labels)
    os.replace(tmp, out)
    digest = hashlib.sha256(src.read_bytes()).hexdigest()
    print(f"{out}: {len(images)} images, {out.stat().st_size} bytes (source sha256 {digest})")


if __name__ == "__main__":
    src = Path(sys.argv[1]) if len(sys.argv) > 1 else sklearn_digits_csv()
    out = Path(sys.argv[2]) if len(sys.argv) > 2 else DEFAULT_OUT
    convert(src, out)
