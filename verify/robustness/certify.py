r"""Independent certificates and small exact constructions for the robustness routes (no claim
is read here).

* :func:`lipschitz_upper_certificate` -- an eigensolver-free **upper** bound on Lip(x^T A x) on
  the sphere: for any t, σ with σI ± (A − tI) positive definite (Cholesky succeeds),
  |f(x) − f(x')| = |(x − x')^T (A − tI)(x + x')| <= σ |x − x'| |x + x'| <= 2σ |x − x'|.
  With hi, lo such that hi·I − A and A − lo·I are positive definite, t = (hi + lo)/2 and
  σ = (hi − lo)/2 give Lip <= hi − lo.  Bisection brackets hi, lo to ~1e-14 relative.
* :func:`expected_max_normal` -- E[max of M standard normals] by quadrature.
* Tight mask-information constructions on all-sign data (:func:`binary_code_design`).
"""
from __future__ import annotations

import numpy as np
from scipy import integrate, stats

from ._checks import integer, symmetric_matrix

__all__ = ["lipschitz_upper_certificate", "expected_max_normal", "binary_code_design",
           "sphere_rows"]


def _pd(S: np.ndarray) -> bool:
    try:
        np.linalg.cholesky(S)
        return True
    except np.linalg.LinAlgError:
        return False


def _upper_eig(A: np.ndarray, steps: int = 200) -> float:
    """The smallest found h with hI − A positive definite (Cholesky), by bisection from the
    Gershgorin bound; a certified upper bound on λmax(A)."""
    d = A.shape[0]
    eye = np.eye(d)
    off = np.abs(A).sum(1) - np.abs(np.diag(A))
    scale = max(float(np.max(np.abs(A).sum(1))), 1e-300)
    hi = float(np.max(np.diag(A) + off)) + 1e-12 * scale
    while not _pd(hi * eye - A):
        hi += 1e-9 * scale
    lo = float(np.min(np.diag(A)))              # a Rayleigh quotient <= λmax
    for _ in range(steps):
        if hi - lo <= 4 * np.finfo(float).eps * scale:
            break
        mid = 0.5 * (lo + hi)
        if _pd(mid * eye - A):
            hi = mid
        else:
            lo = mid
    return hi


def lipschitz_upper_certificate(A) -> float:
    """Certified upper bound hi − lo on the Lipschitz constant of x^T A x on the unit sphere
    (chord metric), from Cholesky factorisations only (module docstring)."""
    A = symmetric_matrix(A)
    if A.shape[0] == 1:
        return 0.0
    A = A - (np.trace(A) / A.shape[0]) * np.eye(A.shape[0])
    return float(_upper_eig(A) + _upper_eig(-A))


def expected_max_normal(M: int) -> float:
    r""":math:`E\max_{j\le M} g_j` for i.i.d. standard normals: ∫ x·M φ(x) Φ(x)^{M−1} dx."""
    M = integer(M, "M", 1)
    if M == 1:
        return 0.0
    f = lambda x: x * M * stats.norm.pdf(x) * np.exp((M - 1) * stats.norm.logcdf(x))  # noqa
    val, _ = integrate.quad(f, -12, 12, limit=200, epsabs=1e-11)
    return float(val)


def binary_code_design(n: int) -> np.ndarray:
    """(n, 2^n) ±1 matrix whose column j is the binary code of j: for y ∈ {±1}^n the score
    y^T column_j is maximal (= n) exactly at the column equal to y, so top-1 of the scores is a
    bijection of the data (the tight case of I <= log C(P, 1) = log P, P = 2^n)."""
    n = integer(n, "n", 1, 12)
    j = np.arange(2 ** n)
    bits = (j[None, :] >> np.arange(n)[::-1, None]) & 1
    return np.where(bits == 1, 1.0, -1.0)


def sphere_rows(rng, shape) -> np.ndarray:
    """Uniform points of the unit sphere along the last axis."""
    g = rng.standard_normal(shape)
    return g / np.linalg.norm(g, axis=-1, keepdims=True)
