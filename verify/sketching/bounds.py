"""The sketching claims' closed forms as numpy functions (lambdified from the registered sympy
expressions of :mod:`pruneproof.theory.sketching`; nothing is retyped): optimal, init-mask,
data-free and combined probabilities, exact DKM errors (Lemma 4) and β-bounds (Theorem 1 eq. 14).
"""
from __future__ import annotations

import numpy as np
from pruneproof.theory.claims import get_claim
from pruneproof.theory.sketching import CLAIM_IDS, UNINFORMATIVE  # noqa: F401 - re-exported


def _feature_norms(X) -> np.ndarray:
    X = np.asarray(X, dtype=float)
    if X.ndim != 2 or not np.all(np.isfinite(X)):
        raise ValueError("X must be a finite 2-D array of shape (n, d)")
    return np.linalg.norm(X, axis=0)


def _vec(v, d: int, name: str) -> np.ndarray:
    v = np.asarray(v, dtype=float)
    if v.shape != (d,) or not np.all(np.isfinite(v)):
        raise ValueError(f"{name} must be a finite vector of length {d}")
    return v


def _c(cc) -> int:
    if isinstance(cc, bool) or not isinstance(cc, (int, np.integer)) or cc < 1:
        raise ValueError(f"c must be an integer >= 1, got {cc!r}")
    return int(cc)


def _unit(v) -> tuple[np.ndarray, float]:
    """(v / max|v|, max|v|): every quantity here is homogeneous in X and in w, so evaluating on
    max-normalised inputs and scaling back avoids spurious underflow/overflow (e.g. 1e-200
    weights) without changing the formula."""
    scale = float(np.max(np.abs(v), initial=0.0))
    return (np.asarray(v, float) / scale, scale) if scale > 0 else (np.asarray(v, float), 1.0)


def _num(claim_id: str, name: str):
    return get_claim(claim_id).numeric(name)


def _norm_sq(X, v) -> float:
    return float(np.sum((np.asarray(X, float) @ v) ** 2))


def _bound(claim_id: str, name: str, beta_value: float, **kwargs) -> float:
    """Evaluate a β-bound; β ≤ 0 (or not finite) gives inf = uninformative, never an error."""
    if not np.isfinite(beta_value) or beta_value <= 0:
        return float("inf")
    return float(_num(claim_id, name)(**kwargs))


def describe_bound(value: float) -> str:
    """A bound's value as text: "uninformative" when it is infinite."""
    return UNINFORMATIVE if not np.isfinite(value) else f"{value:.6g}"


def optimal_probabilities(X, w) -> np.ndarray:
    """p*_i = ‖X^(i)‖|w_i| / Σ_j ‖X^(j)‖|w_j| (uniform if every term vanishes)."""
    a_ = _feature_norms(X)
    w_ = _vec(w, a_.size, "w")
    s = np.asarray(_num("pruning-as-sketching", "optimal_score")(a=a_, w=w_), float) * np.ones(
        a_.size)
    total = s.sum()
    return s / total if total > 0 else np.full(a_.size, 1.0 / a_.size)


def exact_sketch_error(X, w, p, c) -> float:
    """E‖Xw − XDw‖² = (1/c)[Σ_i ‖X^(i)‖²w_i²/p_i − ‖Xw‖²] (Lemma 4 with A = X, B = w).

    inf when the support assumption fails (p_i = 0 with ‖X^(i)‖|w_i| > 0: the estimator is biased
    and the formula does not apply)."""
    _feature_norms(X)
    X, sx = _unit(X)
    w, sw = _unit(_vec(w, X.shape[1], "w"))
    return _exact_sketch_error(X, w, p, c) * (sx * sw) ** 2


def _exact_sketch_error(X, w, p, c) -> float:
    a_ = _feature_norms(X)
    w_, p_ = _vec(w, a_.size, "w"), _vec(p, a_.size, "p")
    if np.any(p_ < 0):
        raise ValueError("p must be >= 0")
    active = a_ * np.abs(w_) > 0
    if np.any(active & (p_ <= 0)):
        return float("inf")
    term = _num("pruning-as-sketching", "term")
    total = float(np.sum(term(a=a_[active], w=w_[active], p=p_[active])))
    return float(_num("pruning-as-sketching", "exact")(T=total, N=_norm_sq(X, w_), c=_c(c)))


def optimal_exact_error(X, w, c) -> float:
    """(1/c)[(Σ_i‖X^(i)‖|w_i|)² − ‖Xw‖²], the exact error at p*."""
    _feature_norms(X)
    X, sx = _unit(X)
    w_, sw = _unit(_vec(w, X.shape[1], "w"))
    a_ = _feature_norms(X)
    s = float(np.sum(_num("pruning-as-sketching", "optimal_score")(a=a_, w=w_)))
    value = float(_num("pruning-as-sketching", "optimal_exact")(S=s, N=_norm_sq(X, w_), c=_c(c)))
    return value * (sx * sw) ** 2


def frobenius_bound(X, w, c) -> float:
    """‖X‖_F²‖w‖²/c."""
    X = np.asarray(X, float)
    return float(_num("pruning-as-sketching", "bound")(F2=float(np.sum(X * X)),
                                                      W2=float(np.dot(w, w)), c=_c(c)))


def beta_init(X, w0, w_star) -> float:
    """β0 = min_i p⁽⁰⁾_i / p*_i(w*) = min_i (|w0_i|/|w*_i|)(S*/S0) over i with ‖X^(i)‖|w*_i| > 0.

    0.0 (uninformative) when some such i has w0_i = 0 or S0 = 0; 1.0 when w* has no active
    coordinate (the error is then 0 for every p)."""
    _feature_norms(X)
    X, _ = _unit(X)
    a_ = _feature_norms(X)
    w0_, _ = _unit(_vec(w0, a_.size, "w0"))
    ws_, _ = _unit(_vec(w_star, a_.size, "w_star"))
    active = a_ * np.abs(ws_) > 0
    if not np.any(active):
        return 1.0
    s0 = float(np.sum(_num("init-mask-end-of-training", "score")(a=a_, w0=w0_)))
    if s0 <= 0 or np.any(w0_[active] == 0):
        return 0.0
    s_star = float(np.sum(_num("pruning-as-sketching", "optimal_score")(a=a_, w=ws_)))
    ratios = _num("init-mask-end-of-training", "ratio")(w0=w0_[active], ws=ws_[active], S=s_star,
                                                       S0=s0)
    return float(np.min(ratios))


def init_mask_exact_error(X, w0, w_star, c) -> float:
    """(1/c)[S0 Σ_i ‖X^(i)‖ w*_i²/|w0_i| − ‖Xw*‖²]; inf when β0 = 0 (support fails)."""
    _feature_norms(X)
    X, sx = _unit(X)
    a_ = _feature_norms(X)
    w0_, _ = _unit(_vec(w0, a_.size, "w0"))
    ws_, sw = _unit(_vec(w_star, a_.size, "w_star"))
    return _init_exact(X, a_, w0_, ws_, c) * (sx * sw) ** 2


def _init_exact(X, a_, w0_, ws_, c) -> float:
    active = a_ * np.abs(ws_) > 0
    if np.any(active & (w0_ == 0)):
        return float("inf")
    s0 = float(np.sum(_num("init-mask-end-of-training", "score")(a=a_, w0=w0_)))
    if s0 <= 0:
        return float("inf") if np.any(active) else 0.0
    total = float(np.sum(_num("init-mask-end-of-training", "term")(
        a=a_[active], ws=ws_[active], w0=w0_[active])))
    return float(_num("init-mask-end-of-training", "exact")(S0=s0, T=total, N=_norm_sq(X, ws_),
                                                           c=_c(c)))


def init_mask_bound(X, w0, w_star, c) -> float:
    """‖X‖_F²‖w*‖²/(β0 c); inf (uninformative) when β0 = 0."""
    X = np.asarray(X, float)
    b0 = beta_init(X, w0, w_star)
    return _bound("init-mask-end-of-training", "bound", b0, F2=float(np.sum(X * X)),
                  W2=float(np.dot(w_star, w_star)), beta0=b0, c=_c(c))


def lazy_beta(eps_value: float) -> float:
    """(1−ε)/(1+ε) for ε ∈ [0, 1); 0.0 (uninformative) for ε ≥ 1 or inf."""
    if not np.isfinite(eps_value) or eps_value >= 1:
        return 0.0
    if eps_value < 0:
        raise ValueError(f"eps must be in [0, 1), got {eps_value!r}")
    return float(_num("init-mask-end-of-training", "lazy_beta")(eps=eps_value))


def lazy_bound(X, w_star, eps_value: float, c) -> float:
    """‖X‖_F²‖w*‖²(1+ε)/((1−ε)c); inf (uninformative) for ε ≥ 1."""
    X = np.asarray(X, float)
    lb = lazy_beta(eps_value)
    return _bound("init-mask-end-of-training", "lazy_bound", lb, F2=float(np.sum(X * X)),
                  W2=float(np.dot(w_star, w_star)), eps=float(eps_value), c=_c(c))


def beta_data(X) -> float:
    """β_X = min_j‖X^(j)‖ / max_j‖X^(j)‖ (0.0 = uninformative if a feature vanishes)."""
    a_ = _feature_norms(X)
    if a_.max() <= 0:
        return 0.0
    return float(_num("data-independence", "beta_x")(a_min=a_.min(), a_max=a_.max()))


def data_free_probabilities(w) -> np.ndarray:
    """q_i = |w_i|/‖w‖₁ (uniform if w = 0)."""
    w_ = np.abs(np.asarray(w, float))
    total = w_.sum()
    return w_ / total if total > 0 else np.full(w_.size, 1.0 / w_.size)


def data_free_exact_error(X, w, c) -> float:
    """(1/c)[‖w‖₁ Σ_i ‖X^(i)‖²|w_i| − ‖Xw‖²]."""
    _feature_norms(X)
    X, sx = _unit(X)
    a_ = _feature_norms(X)
    w_, sw = _unit(_vec(w, a_.size, "w"))
    total = float(np.sum(_num("data-independence", "term")(a=a_, w=w_)))
    value = float(_num("data-independence", "exact")(W1=float(np.sum(np.abs(w_))), T=total,
                                                    N=_norm_sq(X, w_), c=_c(c)))
    return value * (sx * sw) ** 2


def data_free_bound(X, w, c) -> float:
    """‖X‖_F²‖w‖²/(β_X c); inf (uninformative) when β_X = 0."""
    X = np.asarray(X, float)
    bx = beta_data(X)
    return _bound("data-independence", "bound", bx, F2=float(np.sum(X * X)),
                  W2=float(np.dot(w, w)), beta_x=bx, c=_c(c))


def data_free_ratio_bound(X, w) -> float:
    """(S²/β_X − N)/(S² − N) ≥ E_q/E_p*: the sharp bound on the ratio of the data-free to the
    optimal exact error (≥ 1/β_X; inf when E_p* = 0 or β_X = 0)."""
    _feature_norms(X)
    X, _ = _unit(X)
    a_ = _feature_norms(X)
    w_, _ = _unit(_vec(w, a_.size, "w"))
    bx = beta_data(X)
    s = float(np.sum(_num("pruning-as-sketching", "optimal_score")(a=a_, w=w_)))
    n_ = _norm_sq(X, w_)
    if bx <= 0 or s * s - n_ <= 1e-12 * s * s:
        return float("inf")
    return float(_num("data-independence", "ratio_bound")(S=s, N=n_, beta_x=bx))


def beta_x_rate(n, d) -> float:
    """sqrt(log d / n), the predicted order of 1 − β_X for i.i.d. sub-Gaussian features."""
    return float(_num("data-independence", "rate")(n=n, d=d))


def init_data_free_exact_error(X, w0, w_star, c) -> float:
    """(1/c)[‖w0‖₁ Σ_i ‖X^(i)‖² w*_i²/|w0_i| − ‖Xw*‖²]; inf when a moving coordinate has w0_i = 0."""
    _feature_norms(X)
    X, sx = _unit(X)
    a_ = _feature_norms(X)
    w0_, _ = _unit(_vec(w0, a_.size, "w0"))
    ws_, sw = _unit(_vec(w_star, a_.size, "w_star"))
    active = a_ * np.abs(ws_) > 0
    if np.any(active & (w0_ == 0)):
        return float("inf")
    total = float(np.sum(_num("init-and-data-free", "term")(a=a_[active], ws=ws_[active],
                                                            w0=w0_[active])))
    value = float(_num("init-and-data-free", "exact")(W01=float(np.sum(np.abs(w0_))), T=total,
                                                     N=_norm_sq(X, ws_), c=_c(c)))
    return value * (sx * sw) ** 2


def init_data_free_bound(X, w0, w_star, c) -> float:
    """‖X‖_F²‖w*‖²/(β0 β_X c); inf (uninformative) when β0·β_X = 0."""
    X = np.asarray(X, float)
    b0, bx = beta_init(X, w0, w_star), beta_data(X)
    return _bound("init-and-data-free", "bound", b0 * bx, F2=float(np.sum(X * X)),
                  W2=float(np.dot(w_star, w_star)), beta0=b0, beta_x=bx, c=_c(c))


def init_data_free_beta(X, w0, w_star) -> float:
    """min_i q⁽⁰⁾_i / p*_i(w*) computed directly (for checking it is ≥ β0·β_X)."""
    _feature_norms(X)
    X, _ = _unit(X)
    a_ = _feature_norms(X)
    w0_, _ = _unit(_vec(w0, a_.size, "w0"))
    ws_, _ = _unit(_vec(w_star, a_.size, "w_star"))
    active = a_ * np.abs(ws_) > 0
    if not np.any(active):
        return 1.0
    q = data_free_probabilities(w0_)
    pstar = optimal_probabilities(X, ws_)
    return float(np.min(q[active] / pstar[active]))
