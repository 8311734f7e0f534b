"""The data an autoencoder run trains on, built from the spec's ``data`` section.

Every set comes out the same way: float32 inputs per split shaped ``[n, *input_shape]``
(``(H, W)`` images in [0, 1], ``(T,)`` standardised windows, ``(F,)`` standardised feature
rows), labels for validation and test when the set has them (the digit; 1 for an anomalous
heartbeat window; a CSV's label column), and what the views need to draw the source
(the heartbeat's validation stretch with its labelled samples). Numpy only.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from seqlab.core.errors import DataError

from .digits import load_digits
from .feature_csv import fit_standardiser, read_feature_csv, read_series_windows, split_rows
from .heartbeat import heartbeat_dataset


@dataclass
class AEData:
    name: str
    kind: str                           # 'image', 'series' or 'features'
    x_train: np.ndarray
    x_val: np.ndarray
    x_test: np.ndarray
    y_val: np.ndarray | None            # int64 labels of validation samples, or None
    y_test: np.ndarray | None
    label_names: list[str] | None       # names of the labels ('0'..'9', 'normal'/'anomaly' ...)
    anomaly: bool = False               # labels mean "anomalous" (1) against "normal" (0)
    value_range: tuple[float, float] | None = None   # images: (0, 1); the rest is standardised
    description: str = ""
    #: the validation stretch of a series, for highlighting windows on it (heartbeat, csv-series)
    val_signal: np.ndarray | None = None       # float32 [L], standardised like the windows
    val_signal_labels: np.ndarray | None = None  # int64 [L]: 1 inside an anomaly (heartbeat)
    val_starts: np.ndarray | None = None       # int64 [n_val]: first sample of each window in val_signal
    extra: dict = field(default_factory=dict)

    @property
    def input_shape(self) -> tuple[int, ...]:
        return tuple(self.x_train.shape[1:])

    @property
    def input_size(self) -> int:
        return int(np.prod(self.input_shape))

    def split(self, name: str) -> tuple[np.ndarray, np.ndarray | None]:
        if name == "train":
            return self.x_train, None
        if name == "val":
            return self.x_val, self.y_val
        if name == "test":
            return self.x_test, self.y_test
        raise DataError(f"split must be 'train', 'val' or 'test', got {name!r}")


def build_data(d) -> AEData:
    """The data of spec section `d` (an autoencoder ``DataSpec``)."""
    if d.name in ("digits8x8", "digits28"):
        return _digits(d)
    if d.name == "heartbeat":
        return _heartbeat(d)
    if d.name == "csv-features":
        return _csv_features(d)
    if d.name == "csv-series":
        return _csv_series(d)
    raise DataError(f"data.name {d.name!r} is not an autoencoder data set")


def _digits(d) -> AEData:
    kind = "8x8" if d.name == "digits8x8" else "28x28"
    parts = {s: load_digits(kind, s, d.seed, d.val_fraction, d.test_fraction) for s in ("train", "val", "test")}
    n = {s: len(p.images) for s, p in parts.items()}
    return AEData(d.name, "image", parts["train"].images, parts["val"].images, parts["test"].images,
                  parts["val"].labels, parts["test"].labels, parts["train"].class_names, value_range=(0.0, 1.0),
                  description=f"{sum(n.values()):,} handwritten digits {kind} ({n['train']:,} train, "
                              f"{n['val']:,} validation, {n['test']:,} test)")


def _heartbeat(d) -> AEData:
    hb = heartbeat_dataset(length=d.window, val_fraction=d.val_fraction, test_fraction=d.test_fraction,
                           seed=d.seed, duration_s=d.duration_s, anomaly_rate=d.anomaly_rate)
    lo, hi = hb.split_index
    sig = ((hb.heartbeat.signal[lo:hi] - hb.mean) / hb.std).astype(np.float32)
    return AEData("heartbeat", "series", hb.x_train, hb.x_val, hb.x_test, hb.y_val, hb.y_test,
                  ["normal", "anomaly"], anomaly=True, val_signal=sig,
                  val_signal_labels=hb.heartbeat.labels[lo:hi].copy(), val_starts=hb.val.starts - lo,
                  description=f"heartbeat windows of {d.window} samples: {len(hb.x_train):,} normal for "
                              f"training, {len(hb.x_val):,} validation ({int(hb.y_val.sum())} anomalous), "
                              f"{len(hb.x_test):,} test ({int(hb.y_test.sum())} anomalous)",
                  extra={"sample_rate": hb.heartbeat.sample_rate})


def _csv_features(d) -> AEData:
    t = read_feature_csv(d.path, d.label_column)
    tr, va, te = split_rows(len(t.x), d.seed, d.val_fraction, d.test_fraction)
    st = fit_standardiser(t.x[tr])
    lab = (lambda idx: t.labels[idx].copy()) if t.labels is not None else (lambda idx: None)  # noqa: E731
    return AEData("csv-features", "features", st.apply(t.x[tr]), st.apply(t.x[va]), st.apply(t.x[te]),
                  lab(va), lab(te), t.label_names,
                  description=f"{len(t.x):,} rows of {len(t.columns)} features from {t.path}",
                  extra={"columns": t.columns})


def _csv_series(d) -> AEData:
    w = read_series_windows(d.path, d.column, d.window, max(1, d.window // 2))
    n = len(w.x)
    if n < 3:
        raise DataError(f"{w.path}, column {w.column!r}: {len(w.series)} values give {n} windows of "
                        f"{d.window}; use shorter windows or a longer series", path=w.path, column=w.column)
    n_val = int(round(n * d.val_fraction))
    n_test = int(round(n * d.test_fraction))
    n_train = n - n_val - n_test
    if n_train < 1:
        raise DataError(f"{w.path}: {n} windows leave none for training; lower data.val_fraction / "
                        "data.test_fraction or use shorter windows", path=w.path)
    mean = float(w.x[:n_train].mean())
    std = float(w.x[:n_train].std()) or 1.0
    z = ((w.x - mean) / std).astype(np.float32)
    lo = int(w.starts[n_train]) if n_val else 0
    hi = int(w.starts[n_train + n_val - 1] + d.window) if n_val else 0
    return AEData("csv-series", "series", z[:n_train], z[n_train:n_train + n_val], z[n_train + n_val:],
                  None, None, None, val_signal=((w.series[lo:hi] - mean) / std).astype(np.float32),
                  val_starts=w.starts[n_train:n_train + n_val] - lo,
                  description=f"{n:,} windows of {d.window} values of column {w.column!r} from {w.path}")


__all__ = ["AEData", "build_data"]
