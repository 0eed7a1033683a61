"""The sketching claims' closed forms as numpy functions (lambdified from the sympy expressions of
:mod:`pruneproof.theory.sketching`; nothing is retyped): optimal, init-mask, data-free and
combined probabilities, exact DKM errors (Lemma 4) and β-bounds (Theorem 1 eq. 14).

Every helper takes an optional ``claim``: the :class:`~pruneproof.theory.claims.Claim` whose
expressions it evaluates (default: the registered claim).  Routes pass the claim object they
receive, so a perturbed copy (``pruneproof power``) is evaluated, never the registered one.

Two levels: X-level helpers (``X``, weights) normalise their inputs and reduce them to the
claim-independent *parts* -- feature norms ``a``, the weights, ``N = ‖Xw‖²`` -- and the
``*_parts`` helpers evaluate a claim's expression on those parts (what Monte Carlo routes do on
the parts recorded by cached trials).
"""
from __future__ import annotations

import numpy as np
from pruneproof.theory.claims import get_claim
from pruneproof.theory.sketching import CLAIM_IDS, UNINFORMATIVE  # noqa: F401 - re-exported

PAS, INIT, DATA, COMB = CLAIM_IDS[:4]


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
    weights) without changing the formula -- for the registered claim; a perturbed claim is
    evaluated on the raw inputs (its expression need not be homogeneous)."""
    scale = float(np.max(np.abs(v), initial=0.0))
    return (np.asarray(v, float) / scale, scale) if scale > 0 else (np.asarray(v, float), 1.0)


def _claim(claim_id: str, claim=None):
    if claim is None:
        return get_claim(claim_id)
    if claim.id != claim_id:
        raise ValueError(f"expected a {claim_id!r} claim, got {claim.id!r}")
    return claim


def _num(claim_id: str, name: str, claim=None):
    return _claim(claim_id, claim).numeric(name)


def _scaled(claim) -> bool:
    """Normalise inputs only for the registered claim (see :func:`_unit`)."""
    return claim is None or not claim.mutation


def _norm_sq(X, v) -> float:
    return float(np.sum((np.asarray(X, float) @ v) ** 2))


def _inf_unless(beta_value: float, fn, **kwargs) -> float:
    """Evaluate a β-bound; β ≤ 0 (or not finite) gives inf = uninformative, never an error."""
    if not np.isfinite(beta_value) or beta_value <= 0:
        return float("inf")
    return float(fn(**kwargs))


def describe_bound(value: float) -> str:
    """A bound's value as text: "uninformative" when it is infinite."""
    return UNINFORMATIVE if not np.isfinite(value) else f"{value:.6g}"


def parts(X, w, w0=None) -> dict:
    """The claim-independent parts of an instance: feature norms ``a``, weights ``w`` (sketched),
    ``w0`` (init; default w) and ``N = ‖Xw‖²`` (plain lists/floats: JSON-able for the cache)."""
    a_ = _feature_norms(X)
    w_ = _vec(w, a_.size, "w")
    w0_ = w_ if w0 is None else _vec(w0, a_.size, "w0")
    return {"a": a_.tolist(), "w": w_.tolist(), "w0": w0_.tolist(), "N": _norm_sq(X, w_)}


def _times(value: float, k: float) -> float:
    """value x scale**2, keeping inf (uninformative) as inf even if the scale underflows."""
    return value * k if np.isfinite(value) else value


def _arr(P, key):
    return np.asarray(P[key], float)


# ------------------------------------------------------------------ parts level (any claim)

def optimal_probabilities_parts(a_, w_, claim=None) -> np.ndarray:
    s = np.asarray(_num(PAS, "optimal_score", claim)(a=a_, w=w_), float) * np.ones(a_.size)
    total = s.sum()
    return s / total if total > 0 else np.full(a_.size, 1.0 / a_.size)


def sketch_exact_parts(P, p, c, claim=None) -> float:
    """Lemma 4 for any p; inf when the support assumption fails."""
    a_, w_, p_ = _arr(P, "a"), _arr(P, "w"), np.asarray(p, float)
    active = a_ * np.abs(w_) > 0
    if np.any(active & (p_ <= 0)):
        return float("inf")
    total = float(np.sum(_num(PAS, "term", claim)(a=a_[active], w=w_[active], p=p_[active])))
    return float(_num(PAS, "exact", claim)(T=total, N=P["N"], c=c))


def optimal_exact_parts(P, c, claim=None) -> float:
    a_, w_ = _arr(P, "a"), _arr(P, "w")
    s = float(np.sum(_num(PAS, "optimal_score", claim)(a=a_, w=w_)))
    return float(_num(PAS, "optimal_exact", claim)(S=s, N=P["N"], c=c))


def frobenius_bound_parts(P, c, claim=None) -> float:
    a_, w_ = _arr(P, "a"), _arr(P, "w")
    return float(_num(PAS, "bound", claim)(F2=float(a_ @ a_), W2=float(w_ @ w_), c=c))


def near_optimality_parts(P, p, claim=None) -> float:
    """β = min_i p_i/p*_i over the active coordinates (p* from the claim's optimal score)."""
    a_, w_, p_ = _arr(P, "a"), _arr(P, "w"), np.asarray(p, float)
    active = a_ * np.abs(w_) > 0
    if not np.any(active):
        return 1.0
    pstar = optimal_probabilities_parts(a_, w_, claim)
    return float(np.min(p_[active] / pstar[active]))


def beta_bound_parts(P, beta_value, c, claim=None) -> float:
    a_, w_ = _arr(P, "a"), _arr(P, "w")
    return _inf_unless(beta_value, _num(PAS, "beta_bound", claim), F2=float(a_ @ a_),
                       W2=float(w_ @ w_), beta=beta_value, c=c)


def beta_init_parts(P, claim=None) -> float:
    """β0 = min_i p⁽⁰⁾_i/p*_i(w*) (the claim's ``ratio`` and ``score``); 0 when a moving
    coordinate has a zero init weight; 1 when w* has no active coordinate."""
    a_, w0_, ws_ = _arr(P, "a"), _arr(P, "w0"), _arr(P, "w")
    active = a_ * np.abs(ws_) > 0
    if not np.any(active):
        return 1.0
    score = _num(INIT, "score", claim)
    s0 = float(np.sum(score(a=a_, w0=w0_)))
    if s0 <= 0 or np.any(w0_[active] == 0):
        return 0.0
    s_star = float(np.sum(score(a=a_, w0=ws_)))
    ratios = _num(INIT, "ratio", claim)(w0=w0_[active], ws=ws_[active], S=s_star, S0=s0)
    return float(np.min(ratios))


def init_exact_parts(P, c, claim=None) -> float:
    a_, w0_, ws_ = _arr(P, "a"), _arr(P, "w0"), _arr(P, "w")
    active = a_ * np.abs(ws_) > 0
    if np.any(active & (w0_ == 0)):
        return float("inf")
    s0 = float(np.sum(_num(INIT, "score", claim)(a=a_, w0=w0_)))
    if s0 <= 0:
        return float("inf") if np.any(active) else 0.0
    total = float(np.sum(_num(INIT, "term", claim)(a=a_[active], ws=ws_[active],
                                                    w0=w0_[active])))
    return float(_num(INIT, "exact", claim)(S0=s0, T=total, N=P["N"], c=c))


def init_bound_parts(P, c, claim=None, beta0_value=None) -> float:
    a_, ws_ = _arr(P, "a"), _arr(P, "w")
    b0 = beta_init_parts(P, claim) if beta0_value is None else beta0_value
    return _inf_unless(b0, _num(INIT, "bound", claim), F2=float(a_ @ a_), W2=float(ws_ @ ws_),
                       beta0=b0, c=c)


def lazy_beta_value(eps_value: float, claim=None) -> float:
    """(1−ε)/(1+ε) (the claim's ``lazy_beta``) for ε ∈ [0, 1); 0.0 (uninformative) for ε ≥ 1."""
    if not np.isfinite(eps_value) or eps_value >= 1:
        return 0.0
    if eps_value < 0:
        raise ValueError(f"eps must be in [0, 1), got {eps_value!r}")
    return float(_num(INIT, "lazy_beta", claim)(eps=eps_value))


def lazy_bound_parts(P, eps_value, c, claim=None) -> float:
    a_, ws_ = _arr(P, "a"), _arr(P, "w")
    if not np.isfinite(eps_value) or eps_value >= 1:
        return float("inf")
    return float(_num(INIT, "lazy_bound", claim)(F2=float(a_ @ a_), W2=float(ws_ @ ws_),
                                                  eps=float(eps_value), c=c))


def beta_x_parts(P, claim=None) -> float:
    a_ = _arr(P, "a")
    if a_.max() <= 0:
        return 0.0
    return float(_num(DATA, "beta_x", claim)(a_min=a_.min(), a_max=a_.max()))


def data_free_exact_parts(P, c, claim=None) -> float:
    a_, w_ = _arr(P, "a"), _arr(P, "w")
    total = float(np.sum(_num(DATA, "term", claim)(a=a_, w=w_)))
    return float(_num(DATA, "exact", claim)(W1=float(np.sum(np.abs(w_))), T=total, N=P["N"],
                                            c=c))


def data_free_bound_parts(P, c, claim=None) -> float:
    a_, w_ = _arr(P, "a"), _arr(P, "w")
    bx = beta_x_parts(P, claim)
    return _inf_unless(bx, _num(DATA, "bound", claim), F2=float(a_ @ a_), W2=float(w_ @ w_),
                       beta_x=bx, c=c)


def data_free_upper_parts(P, c, claim=None) -> float:
    a_, w_ = _arr(P, "a"), _arr(P, "w")
    return float(_num(DATA, "exact_upper", claim)(a_max=a_.max(), W1=float(np.sum(np.abs(w_))),
                                                  c=c))


def data_free_ratio_bound_parts(P, claim=None) -> float:
    a_, w_ = _arr(P, "a"), _arr(P, "w")
    bx = beta_x_parts(P, claim)
    s = float(np.sum(a_ * np.abs(w_)))
    if bx <= 0 or s * s - P["N"] <= 1e-12 * s * s:
        return float("inf")
    return float(_num(DATA, "ratio_bound", claim)(S=s, N=P["N"], beta_x=bx))


def combined_exact_parts(P, c, claim=None) -> float:
    a_, w0_, ws_ = _arr(P, "a"), _arr(P, "w0"), _arr(P, "w")
    active = a_ * np.abs(ws_) > 0
    if np.any(active & (w0_ == 0)):
        return float("inf")
    total = float(np.sum(_num(COMB, "term", claim)(a=a_[active], ws=ws_[active],
                                                    w0=w0_[active])))
    return float(_num(COMB, "exact", claim)(W01=float(np.sum(np.abs(w0_))), T=total, N=P["N"],
                                            c=c))


def combined_betas(P) -> tuple[float, float]:
    """(β0, β_X): ingredients of the combined claim, from the registered definitions."""
    return beta_init_parts(P), beta_x_parts(P)


def combined_beta_parts(P, claim=None) -> float:
    """The claim's ``beta`` (β0·β_X) evaluated on the ingredients."""
    b0, bx = combined_betas(P)
    return float(_num(COMB, "beta", claim)(beta0=b0, beta_x=bx))


def combined_bound_parts(P, c, claim=None) -> float:
    a_, ws_ = _arr(P, "a"), _arr(P, "w")
    b0, bx = combined_betas(P)
    return _inf_unless(b0 * bx, _num(COMB, "bound", claim), F2=float(a_ @ a_),
                       W2=float(ws_ @ ws_), beta0=b0, beta_x=bx, c=c)


def direct_combined_beta_parts(P) -> float:
    """min_i q⁽⁰⁾_i/p*_i(w*) computed directly (no claim expression)."""
    a_, w0_, ws_ = _arr(P, "a"), _arr(P, "w0"), _arr(P, "w")
    active = a_ * np.abs(ws_) > 0
    if not np.any(active):
        return 1.0
    q = data_free_probabilities(w0_)
    g = a_ * np.abs(ws_)
    pstar = g / g.sum()
    return float(np.min(q[active] / pstar[active]))


# ------------------------------------------------------------------------------ X level

def _P(X, w, w0=None, claim=None):
    """(parts, squared scale) of normalised inputs (raw inputs for a perturbed claim)."""
    _feature_norms(X)
    if _scaled(claim):
        X, sx = _unit(X)
        w, sw = _unit(_vec(w, X.shape[1], "w"))
        w0 = None if w0 is None else _unit(_vec(w0, X.shape[1], "w0"))[0]
        return parts(X, w, w0), (sx * sw) ** 2
    return parts(X, w, w0), 1.0


def optimal_probabilities(X, w, claim=None) -> np.ndarray:
    """p*_i = ‖X^(i)‖|w_i| / Σ_j ‖X^(j)‖|w_j| (uniform if every term vanishes)."""
    a_ = _feature_norms(X)
    return optimal_probabilities_parts(a_, _vec(w, a_.size, "w"), claim)


def exact_sketch_error(X, w, p, c, claim=None) -> float:
    """E‖Xw − XDw‖² = (1/c)[Σ_i ‖X^(i)‖²w_i²/p_i − ‖Xw‖²] (Lemma 4 with A = X, B = w); inf when
    the support assumption fails (p_i = 0 with ‖X^(i)‖|w_i| > 0)."""
    P, k = _P(X, w, claim=claim)
    p_ = _vec(p, len(P["a"]), "p")
    if np.any(p_ < 0):
        raise ValueError("p must be >= 0")
    return _times(sketch_exact_parts(P, p_, _c(c), claim), k)


def optimal_exact_error(X, w, c, claim=None) -> float:
    """(1/c)[(Σ_i‖X^(i)‖|w_i|)² − ‖Xw‖²], the exact error at p*."""
    P, k = _P(X, w, claim=claim)
    return _times(optimal_exact_parts(P, _c(c), claim), k)


def frobenius_bound(X, w, c, claim=None) -> float:
    """‖X‖_F²‖w‖²/c."""
    P, k = _P(X, w, claim=claim)
    return _times(frobenius_bound_parts(P, _c(c), claim), k)


def near_optimality(X, w, p, claim=None) -> float:
    """β = min_i p_i/p*_i (the largest β for which p is β-nearly optimal)."""
    P, _ = _P(X, w, claim=claim)
    return near_optimality_parts(P, _vec(p, len(P["a"]), "p"), claim)


def beta_bound(X, w, p, c, claim=None) -> float:
    """‖X‖_F²‖w‖²/(βc) with β = min_i p_i/p*_i."""
    P, k = _P(X, w, claim=claim)
    b = near_optimality_parts(P, _vec(p, len(P["a"]), "p"), claim)
    return _times(beta_bound_parts(P, b, _c(c), claim), k)


def beta_init(X, w0, w_star, claim=None) -> float:
    """β0 = min_i p⁽⁰⁾_i / p*_i(w*) = min_i (|w0_i|/|w*_i|)(S*/S0) over i with ‖X^(i)‖|w*_i| > 0.

    0.0 (uninformative) when some such i has w0_i = 0 or S0 = 0; 1.0 when w* has no active
    coordinate (the error is then 0 for every p)."""
    _feature_norms(X)
    X, _ = _unit(X)
    a_ = _feature_norms(X)
    w0_, _ = _unit(_vec(w0, a_.size, "w0"))
    ws_, _ = _unit(_vec(w_star, a_.size, "w_star"))
    return beta_init_parts({"a": a_, "w0": w0_, "w": ws_, "N": 0.0}, claim)


def init_mask_exact_error(X, w0, w_star, c, claim=None) -> float:
    """(1/c)[S0 Σ_i ‖X^(i)‖ w*_i²/|w0_i| − ‖Xw*‖²]; inf when β0 = 0 (support fails)."""
    P, k = _P(X, w_star, w0, claim)
    return _times(init_exact_parts(P, _c(c), claim), k)


def init_mask_bound(X, w0, w_star, c, claim=None) -> float:
    """‖X‖_F²‖w*‖²/(β0 c); inf (uninformative) when β0 = 0."""
    P, k = _P(X, w_star, w0, claim)
    return _times(init_bound_parts(P, _c(c), claim, beta_init(X, w0, w_star, claim)), k)


def lazy_beta(eps_value: float, claim=None) -> float:
    """(1−ε)/(1+ε) for ε ∈ [0, 1); 0.0 (uninformative) for ε ≥ 1 or inf."""
    return lazy_beta_value(eps_value, claim)


def lazy_bound(X, w_star, eps_value: float, c, claim=None) -> float:
    """‖X‖_F²‖w*‖²(1+ε)/((1−ε)c); inf (uninformative) for ε ≥ 1."""
    P, k = _P(X, w_star, claim=claim)
    return _times(lazy_bound_parts(P, eps_value, _c(c), claim), k)


def beta_data(X, claim=None) -> float:
    """β_X = min_j‖X^(j)‖ / max_j‖X^(j)‖ (0.0 = uninformative if a feature vanishes)."""
    a_ = _feature_norms(X)
    if _scaled(claim) and a_.max() > 0:
        a_ = a_ / a_.max()
    return beta_x_parts({"a": a_}, claim)


def data_free_probabilities(w) -> np.ndarray:
    """q_i = |w_i|/‖w‖₁ (uniform if w = 0)."""
    w_ = np.abs(np.asarray(w, float))
    total = w_.sum()
    return w_ / total if total > 0 else np.full(w_.size, 1.0 / w_.size)


def data_free_exact_error(X, w, c, claim=None) -> float:
    """(1/c)[‖w‖₁ Σ_i ‖X^(i)‖²|w_i| − ‖Xw‖²]."""
    P, k = _P(X, w, claim=claim)
    return _times(data_free_exact_parts(P, _c(c), claim), k)


def data_free_bound(X, w, c, claim=None) -> float:
    """‖X‖_F²‖w‖²/(β_X c); inf (uninformative) when β_X = 0."""
    P, k = _P(X, w, claim=claim)
    return _times(data_free_bound_parts(P, _c(c), claim), k)


def data_free_exact_upper(X, w, c, claim=None) -> float:
    """(1/c) max_i‖X^(i)‖² ‖w‖₁²."""
    P, k = _P(X, w, claim=claim)
    return _times(data_free_upper_parts(P, _c(c), claim), k)


def data_free_ratio_bound(X, w, claim=None) -> float:
    """(S²/β_X − N)/(S² − N) ≥ E_q/E_p*: the sharp bound on the ratio of the data-free to the
    optimal exact error (≥ 1/β_X; inf when E_p* = 0 or β_X = 0)."""
    P, _ = _P(X, w, claim=claim)
    return data_free_ratio_bound_parts(P, claim)


def beta_x_rate(n, d, claim=None) -> float:
    """sqrt(log d / n), the predicted order of 1 − β_X for i.i.d. sub-Gaussian features."""
    return float(_num(DATA, "rate", claim)(n=n, d=d))


def init_data_free_exact_error(X, w0, w_star, c, claim=None) -> float:
    """(1/c)[‖w0‖₁ Σ_i ‖X^(i)‖² w*_i²/|w0_i| − ‖Xw*‖²]; inf when a moving coordinate has
    w0_i = 0."""
    P, k = _P(X, w_star, w0, claim)
    return _times(combined_exact_parts(P, _c(c), claim), k)


def init_data_free_bound(X, w0, w_star, c, claim=None) -> float:
    """‖X‖_F²‖w*‖²/(β0 β_X c); inf (uninformative) when β0·β_X = 0."""
    P, k = _P(X, w_star, w0, claim)
    return _times(combined_bound_parts(P, _c(c), claim), k)


def init_data_free_beta(X, w0, w_star) -> float:
    """min_i q⁽⁰⁾_i / p*_i(w*) computed directly (for checking it is ≥ β0·β_X)."""
    P, _ = _P(X, w_star, w0)
    return direct_combined_beta_parts(P)
