"""Linear-algebra internals shared by :mod:`.quadratic` and :mod:`.minlip` (no public API)."""
from __future__ import annotations

import contextlib
from dataclasses import dataclass

import numpy as np

from ._checks import labels, sphere_points, symmetric_basis_array

#: A linear system Φc = y counts as solvable when ‖y − Φc*‖ <= FEASIBILITY_RTOL·max(1, ‖y‖)
#: for the least-squares solution c*.
FEASIBILITY_RTOL = 1e-9


def _design(X: np.ndarray, B: np.ndarray) -> np.ndarray:
    n, d = X.shape
    XX = (X[:, :, None] * X[:, None, :]).reshape(n, d * d)
    return XX @ B.reshape(B.shape[0], d * d).T


def _validate_problem(X, y, basis):
    X = sphere_points(X)
    y = labels(y, X.shape[0])
    B = symmetric_basis_array(basis, X.shape[1])
    return X, y, B


@dataclass(frozen=True)
class _Affine:
    """The solution set {c : Φc = y}: min-norm point c0, rank r, orthonormal row-space basis V
    (p × r, so the null-space projector is I − VVᵀ), pseudo-inverse pieces, relative residual."""
    c0: np.ndarray
    rank: int
    V: np.ndarray
    U: np.ndarray
    s: np.ndarray
    residual: float
    feasible: bool

    def project(self, w: np.ndarray) -> np.ndarray:
        """Orthogonal projection of w onto null(Φ)."""
        return w - self.V @ (self.V.T @ w)

    def correct(self, c: np.ndarray, Phi: np.ndarray, y: np.ndarray) -> np.ndarray:
        """The nearest point of {Φc = y} to c (exact up to rounding when feasible)."""
        r = Phi @ c - y
        return c - self.V @ ((self.U.T @ r) / self.s)


def _affine(Phi: np.ndarray, y: np.ndarray) -> _Affine:
    n, p = Phi.shape
    U, s, Vt = np.linalg.svd(Phi, full_matrices=False)
    tol = (s[0] if s.size else 0.0) * max(n, p) * np.finfo(float).eps
    r = int(np.sum(s > tol))
    U, s, V = U[:, :r], s[:r], Vt[:r].T
    coef = U.T @ y
    c0 = V @ (coef / s)
    resid = float(np.linalg.norm(y - U @ coef))
    rel = resid / max(1.0, float(np.linalg.norm(y)))
    return _Affine(c0, r, V, U, s, rel, rel <= FEASIBILITY_RTOL)



def eigenvalues(A: np.ndarray) -> np.ndarray:
    """Ascending eigenvalues of a symmetric matrix via ``numpy.linalg.eigh`` (the path that also
    computes eigenvectors).

    Not ``eigvalsh``: its eigenvalues-only LAPACK path (dsterf, which works with squared
    off-diagonals) returned ±1.50013819 instead of ±1.5 for
    [[0, 1.16e-160, 0], [1.16e-160, 0, 1.5], [0, 1.5, 0]] (the squares are subnormal) with the
    OpenBLAS shipped with numpy 2.4 -- found by hypothesis; ``eigh`` gives ±1.5."""
    return np.linalg.eigh(0.5 * (A + A.T))[0]


def _lip(A: np.ndarray) -> float:
    """λmax − λmin of an (already validated) symmetric matrix."""
    lam = eigenvalues(A)
    return float(lam[-1] - lam[0])


def blas_single_thread():
    """Context limiting BLAS/LAPACK to one thread when ``threadpoolctl`` is installed (optional).

    Small dense eigendecompositions (80 × 80) run ~12× slower under multi-threaded OpenBLAS on
    2 cores (14 ms vs 1.2 ms measured), which dominates the first-order heuristic.  Without
    threadpoolctl this is a no-op (results are identical, only slower)."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:                                   # pragma: no cover - optional
        return contextlib.nullcontext()
    return threadpool_limits(1, user_api="blas")
