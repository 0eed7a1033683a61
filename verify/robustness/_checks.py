"""Input validation shared by the robustness modules.

Every check raises :class:`ValueError` naming the argument, the valid range and the value received
(style.md §4.1).  Tolerances are module constants so that docstrings can quote them.
"""
from __future__ import annotations

import numbers

import numpy as np

#: |A_ij - A_ji| <= SYMMETRY_RTOL * max(1, max|A|) is accepted as symmetric.
SYMMETRY_RTOL = 1e-10
#: | ||x_i|| - 1 | <= UNIT_NORM_ATOL is accepted as a point of the unit sphere.
UNIT_NORM_ATOL = 1e-8
#: max |<B_j, B_k> - delta_jk| <= ORTHONORMAL_ATOL is accepted as Frobenius-orthonormal.
ORTHONORMAL_ATOL = 1e-8


def integer(value, name: str, low: int = 1, high: int | None = None) -> int:
    """``value`` as an int in ``[low, high]`` (``high=None``: no upper limit); bools rejected."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValueError(f"{name} must be an integer in {_range(low, high)}, got {value!r}")
    value = int(value)
    if value < low or (high is not None and value > high):
        raise ValueError(f"{name} must be an integer in {_range(low, high)}, got {value}")
    return value


def _range(low, high) -> str:
    return f"[{low}, {high}]" if high is not None else f"[{low}, inf)"


def real(value, name: str, *, low=None, high=None, low_open=False, high_open=False):
    """``value`` as a finite float array (scalars stay 0-d) inside the stated interval.

    Works elementwise, so the bounds accept numpy arrays (broadcasting is the caller's business).
    """
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a real number, got {value!r}") from None
    lo = "(" if low_open else "["
    hi = ")" if high_open else "]"
    interval = f"{lo}{'-inf' if low is None else low}, {'inf' if high is None else high}{hi}"
    if arr.size == 0 or not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite and in {interval}, got {value!r}")
    bad = np.zeros(arr.shape, bool)
    if low is not None:
        bad |= (arr <= low) if low_open else (arr < low)
    if high is not None:
        bad |= (arr >= high) if high_open else (arr > high)
    if np.any(bad):
        shown = arr if arr.ndim == 0 else arr[bad][:3]
        raise ValueError(f"{name} must be in {interval}, got {shown}")
    return arr if arr.ndim else float(arr)


def symmetric_matrix(A, name: str = "A") -> np.ndarray:
    """A finite, square, symmetric float matrix (tolerance :data:`SYMMETRY_RTOL`), returned
    exactly symmetrised as (A + Aᵀ)/2."""
    A = np.asarray(A, dtype=float)
    if A.ndim != 2 or A.shape[0] != A.shape[1] or A.shape[0] == 0:
        raise ValueError(f"{name} must be a non-empty square 2-D array, got shape {A.shape}")
    if not np.all(np.isfinite(A)):
        raise ValueError(f"{name} must be finite (no NaN or inf)")
    scale = max(1.0, float(np.max(np.abs(A))))
    asym = float(np.max(np.abs(A - A.T)))
    if asym > SYMMETRY_RTOL * scale:
        raise ValueError(f"{name} must be symmetric: max|{name} - {name}ᵀ| = {asym:.3g} exceeds "
                         f"{SYMMETRY_RTOL:g} * max(1, max|{name}|) = {SYMMETRY_RTOL * scale:.3g}")
    return 0.5 * (A + A.T)


def sphere_points(X, name: str = "X") -> np.ndarray:
    """A finite (n, d) array whose rows have unit Euclidean norm (tolerance
    :data:`UNIT_NORM_ATOL`).  Rows are *not* normalised silently: the caller must do it."""
    X = np.asarray(X, dtype=float)
    if X.ndim != 2 or X.shape[0] < 1 or X.shape[1] < 1:
        raise ValueError(f"{name} must be a 2-D array of shape (n, d) with n, d >= 1, "
                         f"got shape {X.shape}")
    if not np.all(np.isfinite(X)):
        raise ValueError(f"{name} must be finite (no NaN or inf)")
    dev = float(np.max(np.abs(np.linalg.norm(X, axis=1) - 1.0)))
    if dev > UNIT_NORM_ATOL:
        raise ValueError(f"rows of {name} must have unit norm (| ||x_i|| - 1 | <= "
                         f"{UNIT_NORM_ATOL:g}), worst deviation {dev:.3g}; normalise with "
                         f"X / np.linalg.norm(X, axis=1, keepdims=True)")
    return X


def labels(y, n: int, name: str = "y") -> np.ndarray:
    y = np.asarray(y, dtype=float)
    if y.shape != (n,):
        raise ValueError(f"{name} must have shape ({n},) to match X, got {y.shape}")
    if not np.all(np.isfinite(y)):
        raise ValueError(f"{name} must be finite (no NaN or inf)")
    return y


def symmetric_basis_array(basis, d: int | None = None, name: str = "basis") -> np.ndarray:
    """A (p, d, d) stack of symmetric matrices, 1 <= p <= d(d+1)/2, Frobenius-orthonormal.

    Orthonormality is checked exactly (Gram matrix) when p²d² <= 4e8, otherwise on four fixed
    deterministic probe vectors, max ‖(G - I)v‖/‖v‖ <= tol (G the Gram matrix; a fixed local
    generator draws the probes, so the check is reproducible; it misses a deviation only if the
    probes happen to be orthogonal to it)."""
    B = np.asarray(basis, dtype=float)
    if B.ndim != 3 or B.shape[1] != B.shape[2] or B.shape[1] < 1:
        raise ValueError(f"{name} must have shape (p, d, d), got {B.shape}")
    p, dd = B.shape[0], B.shape[1]
    if d is not None and dd != d:
        raise ValueError(f"{name} must have shape (p, {d}, {d}) to match X, got {B.shape}")
    P = dd * (dd + 1) // 2
    if not 1 <= p <= P:
        raise ValueError(f"{name} must hold p in [1, {P}] matrices (P = d(d+1)/2 for d = {dd}), "
                         f"got p = {p}")
    if not np.all(np.isfinite(B)):
        raise ValueError(f"{name} must be finite (no NaN or inf)")
    scale = max(1.0, float(np.max(np.abs(B))))
    asym = float(np.max(np.abs(B - B.transpose(0, 2, 1))))
    if asym > SYMMETRY_RTOL * scale:
        raise ValueError(f"every matrix of {name} must be symmetric, max asymmetry {asym:.3g}")
    flat = B.reshape(p, dd * dd)
    if p * p * dd * dd <= 4e8:
        dev = float(np.max(np.abs(flat @ flat.T - np.eye(p))))
    else:
        v = np.random.default_rng(20240201).standard_normal((p, 4))
        dev = float(np.max(np.linalg.norm(flat @ (flat.T @ v) - v, axis=0)
                           / np.linalg.norm(v, axis=0)))
    if dev > ORTHONORMAL_ATOL:
        raise ValueError(f"{name} must be Frobenius-orthonormal (max|<B_j,B_k> - delta_jk| <= "
                         f"{ORTHONORMAL_ATOL:g}), deviation {dev:.3g}")
    return B


def boolean_mask(mask, P: int, name: str = "mask") -> np.ndarray:
    m = np.asarray(mask)
    if m.shape != (P,):
        raise ValueError(f"{name} must have shape ({P},), got {m.shape}")
    if m.dtype != bool:
        if not np.all(np.isin(m, (0, 1))):
            raise ValueError(f"{name} must be boolean (or 0/1)")
        m = m.astype(bool)
    return m
