"""Worked examples of the sketching claims (``pruneproof explain CLAIM``): a small seeded linear
model, the claim's expressions evaluated on it (through :mod:`.bounds` with ``claim=``), and the
exact expected error of the pruning sketch X D w, enumerated over all index tuples in rational
arithmetic (DKM with A = X, B = w)."""
from __future__ import annotations

from fractions import Fraction

import numpy as np

from ..amm.sketch import enumerate_sketch
from ..core.examples import example_row, register_example
from . import bounds as T
from .linear import make_features, relative_movement

N_ROWS, D, C = 8, 4, 3   # X is N_ROWS x D; c = 3 draws: 4^3 = 64 index tuples enumerated


def _features(rng, ratio: float = 3.0) -> np.ndarray:
    return make_features(N_ROWS, D, "anisotropic", ratio=ratio, rng=rng)


def _dyadic(p) -> list[Fraction]:
    q = [Fraction(round(float(x) * 2**40), 2**40) for x in p]
    q[-1] = 1 - sum(q[:-1])
    return q


def _enumerated(X, w, p) -> tuple[float, np.ndarray]:
    """(exact E||Xw - X D w||^2, the exact-arithmetic p used) by enumeration."""
    q = _dyadic(p)
    _, err, _ = enumerate_sketch(X, np.asarray(w, float)[:, None], q, C)
    return float(err), np.array([float(x) for x in q])


def _text(what: str) -> str:
    return (f"X {N_ROWS}x{D} anisotropic Gaussian features (column scales up to 3x apart); "
            f"{what}; c = {C} draws (all {D}^{C} = {D ** C} index tuples enumerated exactly)")


@register_example("pruning-as-sketching")
def _pruning(claim, rng):
    X, w = _features(rng), rng.standard_normal(D)
    p_star = T.optimal_probabilities(X, w, claim=claim)
    p = 0.5 * p_star + 0.5 / D
    err, p = _enumerated(X, w, p)
    err_star, p_star = _enumerated(X, w, p_star)
    q = "E||Xw - X D w||^2"
    return {"instance": _text("Gaussian weights w; p = 0.5 p* + 0.5 uniform (rows exact, "
                              "beta_bound) and p* (optimal_exact, bound)"),
            "rows": [example_row("exact", claim, "==", T.exact_sketch_error(X, w, p, C, claim),
                                 err, "exact", q),
                     example_row("beta_bound", claim, "<=", T.beta_bound(X, w, p, C, claim),
                                 err, "exact", q),
                     example_row("optimal_exact", claim, "==",
                                 T.optimal_exact_error(X, w, C, claim), err_star, "exact",
                                 q + " at p*"),
                     example_row("bound", claim, "<=", T.frobenius_bound(X, w, C, claim),
                                 err_star, "exact", q + " at p*")]}


def _lazy_pair(rng, eps: float = 0.3):
    w0 = rng.standard_normal(D)
    w_star = w0 * (1 + rng.uniform(-eps, eps, D))   # every coordinate moves by < eps |w0_i|
    return w0, w_star


@register_example("init-mask-end-of-training")
def _init_mask(claim, rng):
    X = _features(rng)
    w0, w_star = _lazy_pair(rng)
    a = np.linalg.norm(X, axis=0)
    err, _ = _enumerated(X, w_star, a * np.abs(w0) / np.sum(a * np.abs(w0)))
    eps = relative_movement(w0, w_star)
    q = "E||Xw* - X D0 w*||^2"
    return {"instance": _text(f"init w0 Gaussian, end-of-training w* = w0 moved coordinate-wise "
                              f"by eps = {eps:.3f}; p0 proportional to |w0_i| ||X^(i)||"),
            "rows": [example_row("exact", claim, "==",
                                 T.init_mask_exact_error(X, w0, w_star, C, claim), err, "exact",
                                 q),
                     example_row("bound", claim, "<=",
                                 T.init_mask_bound(X, w0, w_star, C, claim), err, "exact", q),
                     example_row("lazy_beta", claim, ">=", T.lazy_beta(eps, claim),
                                 T.beta_init(X, w0, w_star, claim), "exact",
                                 "beta0 = min_i p0_i / p*_i(w*)"),
                     example_row("lazy_bound", claim, "<=", T.lazy_bound(X, w_star, eps, C, claim),
                                 err, "exact", q)]}


@register_example("data-independence")
def _data_free(claim, rng):
    X, w = _features(rng), rng.standard_normal(D)
    q_free = T.data_free_probabilities(w)
    err, q_exact = _enumerated(X, w, q_free)
    a = np.linalg.norm(X, axis=0) * np.abs(w)
    err_star, _ = _enumerated(X, w, a / a.sum())   # p* computed directly
    q = "E||Xw - X D w||^2 at q = |w|/||w||_1"
    return {"instance": _text("Gaussian weights w; data-free q_i = |w_i| / ||w||_1"),
            "rows": [example_row("exact", claim, "==", T.data_free_exact_error(X, w, C, claim),
                                 err, "exact", q),
                     example_row("bound", claim, "<=", T.data_free_bound(X, w, C, claim), err,
                                 "exact", q),
                     example_row("exact_upper", claim, "<=",
                                 T.data_free_exact_upper(X, w, C, claim), err, "exact", q),
                     example_row("beta_x", claim, ">=", T.beta_data(X, claim),
                                 T.near_optimality(X, w, q_exact), "exact",
                                 "min_i q_i / p*_i"),
                     example_row("ratio_bound", claim, "<=", T.data_free_ratio_bound(X, w, claim),
                                 err / err_star, "exact", "E_q / E_p* (both enumerated)")],
            "notes": ["rate_slope_n (1 - beta_X ~ sqrt(log d / n)) is a rate over many widths: "
                      "see the data-independence figure and the Monte Carlo route."]}


@register_example("init-and-data-free")
def _init_data_free(claim, rng):
    X = _features(rng)
    w0, w_star = _lazy_pair(rng)
    err, _ = _enumerated(X, w_star, np.abs(w0) / np.abs(w0).sum())
    beta0, beta_x = T.beta_init(X, w0, w_star), T.beta_data(X)
    q = "E||Xw* - X D w*||^2 at q0 = |w0|/||w0||_1"
    return {"instance": _text("init w0 Gaussian, w* = w0 moved by < 30% per coordinate; "
                              "data-free init probabilities q0_i = |w0_i| / ||w0||_1"),
            "rows": [example_row("exact", claim, "==",
                                 T.init_data_free_exact_error(X, w0, w_star, C, claim), err,
                                 "exact", q),
                     example_row("beta", claim, ">=",
                                 claim.numeric("beta")(beta0=beta0, beta_x=beta_x),
                                 T.init_data_free_beta(X, w0, w_star), "exact",
                                 "min_i q0_i / p*_i(w*)"),
                     example_row("bound", claim, "<=",
                                 T.init_data_free_bound(X, w0, w_star, C, claim), err, "exact",
                                 q)]}
