"""DKM approximate matrix multiplication: validation and the claims' closed forms as numpy
functions (each evaluates the registered sympy expression through
:meth:`pruneproof.theory.claims.Claim.numeric`; nothing is retyped).

The closed-form helpers (:func:`expected_error`, :func:`beta_bound`, :func:`high_probability_bound`
...) read the *registered* claims: they are for users, tests and figures.  Routes never use them:
a route evaluates the claim object it receives on claim-independent ingredients
(:func:`pruneproof.verify.amm.tight.ingredients`).

Formulas, assumptions and sources: :mod:`pruneproof.theory.amm` (DKM 2006, recalled; re-derived
there step by step).
"""
from __future__ import annotations

import numpy as np
from pruneproof.theory.amm import (
    AMM_BETA,
    AMM_EXACT_VARIANCE,
    AMM_HP,
    AMM_OPTIMAL,
    P_BETA,
    P_DELTA,
)


def _as_matrix(M, name: str) -> np.ndarray:
    if isinstance(M, (str, bytes)) or M is None:
        raise TypeError(f"{name} must be a real array, got {type(M).__name__}")
    M = np.asarray(M, dtype=float)
    if M.ndim == 1:
        M = M[:, None] if name == "B" else M[None, :]
    if M.ndim != 2 or M.size == 0:
        raise ValueError(f"{name} must be a non-empty 1-D or 2-D array, got shape {M.shape}")
    if not np.all(np.isfinite(M)):
        raise ValueError(f"{name} contains NaN or inf")
    return M


def validate_factors(A, B) -> tuple[np.ndarray, np.ndarray]:
    """``A`` (m x n) and ``B`` (n x p) as float arrays (a 1-D ``B`` is a column vector)."""
    A, B = _as_matrix(A, "A"), _as_matrix(B, "B")
    if A.shape[1] != B.shape[0]:
        raise ValueError(f"shape mismatch: A is {A.shape}, B is {B.shape}; A.shape[1] must equal "
                         f"B.shape[0]")
    return A, B


def validate_c(c_value) -> int:
    if isinstance(c_value, bool) or not isinstance(c_value, (int, np.integer)):
        raise TypeError(f"c must be an integer >= 1, got {c_value!r}")
    if c_value < 1:
        raise ValueError(f"c must be an integer >= 1, got {c_value}")
    return int(c_value)


def validate_beta(b) -> float:
    return float(P_BETA.validate(b))


def validate_delta(d) -> float:
    return float(P_DELTA.validate(d))


def importance(A, B) -> np.ndarray:
    """a_k = |A^(k)| |B_(k)| (column norm of A times row norm of B)."""
    A, B = validate_factors(A, B)
    return np.linalg.norm(A, axis=0) * np.linalg.norm(B, axis=1)


def validate_probabilities(p, A, B, atol: float = 1e-9) -> np.ndarray:
    """``p`` as an array, checked: length n, finite, >= 0, sums to 1, and > 0 wherever
    a_k = |A^(k)||B_(k)| > 0 (the support assumption; otherwise the sketch is biased)."""
    A, B = validate_factors(A, B)
    p = np.asarray(p, dtype=float)
    n = A.shape[1]
    if p.shape != (n,):
        raise ValueError(f"p must have shape ({n},) to match A and B, got {p.shape}")
    if not np.all(np.isfinite(p)):
        raise ValueError("p contains NaN or inf")
    if np.any(p < 0):
        raise ValueError(f"p must be >= 0; smallest entry is {p.min():g}")
    if abs(p.sum() - 1.0) > atol:
        raise ValueError(f"p must sum to 1, sums to {p.sum():.12g}")
    a = importance(A, B)
    bad = (p == 0) & (a > 0)
    if np.any(bad):
        raise ValueError(f"p is zero at index {int(np.flatnonzero(bad)[0])} where "
                         f"|A^(k)||B_(k)| > 0: the sketch would be biased")
    return p


def optimal_probabilities(A, B) -> np.ndarray:
    """p*_k = a_k / sum_j a_j with a_k = |A^(k)||B_(k)| (DKM Lemma 4, eq. 12)."""
    a = importance(A, B)
    total = a.sum()
    if total == 0:
        raise ValueError("A and B have no index k with |A^(k)||B_(k)| > 0: AB = 0 and every p is "
                         "optimal")
    return a / total


def beta_mixture(A, B, beta_value: float) -> np.ndarray:
    """p_beta = beta p* + (1 - beta) uniform: exactly beta-nearly optimal (spec C2)."""
    b = validate_beta(beta_value)
    pstar = optimal_probabilities(A, B)
    return b * pstar + (1 - b) / pstar.size


def near_optimality(p, A, B) -> float:
    """The largest beta with p_k >= beta p*_k for all k: min_k p_k / p*_k over p*_k > 0."""
    p = validate_probabilities(p, A, B)
    pstar = optimal_probabilities(A, B)
    mask = pstar > 0
    return float(min(1.0, np.min(p[mask] / pstar[mask])))


def _scalars(A, B, p):
    A, B = validate_factors(A, B)
    p = validate_probabilities(p, A, B)
    a = importance(A, B)
    mask = a > 0
    return {"Q": float(np.sum(a[mask] ** 2 / p[mask])),
            "G": float(np.linalg.norm(A @ B) ** 2),
            "S": float(a.sum()),
            "FA2": float(np.linalg.norm(A) ** 2),
            "FB2": float(np.linalg.norm(B) ** 2)}


def _round_off_to_zero(value: float, scale: float, name: str) -> float:
    """An expectation of a square is >= 0: a negative value within float round-off of the terms'
    scale is 0; a larger negative value means the formula is wrong and is raised, never hidden."""
    if value >= 0:
        return value
    if value >= -1e-12 * scale:
        return 0.0
    raise ArithmeticError(f"{name} evaluated to {value:.6g} < 0 (scale {scale:.3g}): the claim's "
                          f"expression is inconsistent")


def expected_error(A, B, p, c) -> float:
    """Exact E||AB - CR||_F^2 (claim ``amm-exact-variance``), evaluated from its sympy expression."""
    s = _scalars(A, B, p)
    value = float(AMM_EXACT_VARIANCE.numeric("exact")(Q=s["Q"], G=s["G"], c=validate_c(c)))
    return _round_off_to_zero(value, s["Q"] + s["G"], "expected_error")


def optimal_error(A, B, c) -> float:
    """min_p E||AB - CR||_F^2 = (S^2 - ||AB||_F^2)/c (claim ``amm-optimal-probabilities``)."""
    s = _scalars(A, B, optimal_probabilities(A, B))
    value = float(AMM_OPTIMAL.numeric("optimal")(S=s["S"], G=s["G"], c=validate_c(c)))
    return _round_off_to_zero(value, s["S"] ** 2 + s["G"], "optimal_error")


def beta_bound(A, B, c, beta_value) -> float:
    """||A||_F^2 ||B||_F^2 / (beta c) (claim ``amm-beta-bound``)."""
    A, B = validate_factors(A, B)
    return float(AMM_BETA.numeric("bound")(FA2=float(np.linalg.norm(A) ** 2),
                                            FB2=float(np.linalg.norm(B) ** 2),
                                            beta=validate_beta(beta_value), c=validate_c(c)))


def eta(beta_value, delta_value) -> float:
    """eta = 1 + sqrt((8/beta) log(1/delta)) (claim ``amm-high-probability``)."""
    return float(AMM_HP.numeric("eta")(beta=validate_beta(beta_value),
                                       delta=validate_delta(delta_value)))


def high_probability_bound(A, B, c, beta_value, delta_value, refined: bool = False) -> float:
    """Bound on ||AB - CR||_F holding w.p. >= 1 - delta; ``refined`` uses McDiarmid's eta'."""
    A, B = validate_factors(A, B)
    key = "bound_mcdiarmid" if refined else "bound"
    return float(AMM_HP.numeric(key)(FA2=float(np.linalg.norm(A) ** 2),
                                      FB2=float(np.linalg.norm(B) ** 2),
                                      beta=validate_beta(beta_value),
                                      delta=validate_delta(delta_value), c=validate_c(c)))
