"""The linear baseline: PCA with as many components as the autoencoder's latent size.

PCA is the best *linear* autoencoder: projecting onto the top-k principal directions of the
training data and back gives the least squared reconstruction error any rank-k linear map
can. So an autoencoder of latent size k that beats it has learnt something non-linear.
Fitted with numpy's SVD on the (flattened) clean training inputs. Numpy only.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class PCA:
    mean: np.ndarray            # float32 [D]
    components: np.ndarray      # float32 [k, D], orthonormal rows, largest variance first
    explained: np.ndarray       # float32 [k]: share of the training variance each component holds

    @property
    def k(self) -> int:
        return len(self.components)

    def encode(self, x: np.ndarray) -> np.ndarray:
        return (x.reshape(len(x), -1) - self.mean) @ self.components.T

    def decode(self, z: np.ndarray, shape: tuple[int, ...] | None = None) -> np.ndarray:
        out = (z @ self.components + self.mean).astype(np.float32)
        return out.reshape(len(z), *shape) if shape else out

    def reconstruct(self, x: np.ndarray) -> np.ndarray:
        return self.decode(self.encode(x), x.shape[1:])

    def errors(self, x_in: np.ndarray, target: np.ndarray | None = None) -> np.ndarray:
        """Each sample's mean squared reconstruction error (of `target`, default `x_in`)."""
        target = x_in if target is None else target
        diff = self.reconstruct(x_in).reshape(len(x_in), -1) - target.reshape(len(target), -1)
        return (diff ** 2).mean(axis=1)


def fit_pca(x: np.ndarray, k: int) -> PCA:
    """PCA of rows `x` ([n, ...], flattened) keeping `k` components (at most min(n, D))."""
    flat = np.asarray(x, np.float64).reshape(len(x), -1)
    mean = flat.mean(axis=0)
    _u, s, vt = np.linalg.svd(flat - mean, full_matrices=False)
    k = int(min(k, vt.shape[0]))
    var = s ** 2
    explained = var[:k] / var.sum() if var.sum() > 0 else np.zeros(k)
    return PCA(mean.astype(np.float32), vt[:k].astype(np.float32), explained.astype(np.float32))


def project_2d(z: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Points `z` [n, d] in 2-D: as they are when d <= 2 (padded with zeros for d = 1), else
    onto their top two principal directions. Returns (points [n, 2], mean [d], basis [2, d]),
    so a 2-D point p maps back to the code mean + p @ basis."""
    z = np.asarray(z, np.float64)
    d = z.shape[1]
    if d <= 2:
        basis = np.eye(2, d)
        return (z @ basis.T).astype(np.float32), np.zeros(d, np.float32), basis.astype(np.float32)
    p = fit_pca(z, 2)
    return p.encode(z.astype(np.float32)).astype(np.float32), p.mean, p.components


__all__ = ["PCA", "fit_pca", "project_2d"]
