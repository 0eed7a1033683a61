"""Near-tight AMM instances and seeded adversarial searches (numerics room: imports only
:mod:`.numerics`, :mod:`.counts` and :mod:`.sketch`).

Everything here is claim-independent: the bound being searched against is passed in as a
function (the route takes it from the claim object it received), and the "truth" is computed from
the definitions -- exact enumeration of every index tuple, or the second moment of one draw.

Tight instances (derived here):

* ``beta_tight(s, t, beta)``: A = [s, s, 0] (1 x 3), B = [t, -t, 0]^T, p = (beta/2, beta/2, 1-beta).
  Then ||AB||_F = 0, (sum_k a_k)^2 = ||A||_F^2 ||B||_F^2 and sum_k a_k^2/p_k = S^2/beta, so
  E||AB - CR||_F^2 = ||A||_F^2 ||B||_F^2/(beta c) exactly: the beta-bound (eq. 14) and, at
  beta = 1, the Frobenius bound of Lemma 4 hold with equality.  p is beta-nearly optimal
  (p_k = beta p*_k on the support, the rest of the mass on an index with a_k = 0).
* ``identity(n, s)``: A = s I_n, B = I_n / s, uniform p = p*, beta = 1.  With c = 1 the error is
  deterministic, ||AB - CR||_F = sqrt(n(n-1)), while the high-probability bound tends to
  ||A||_F ||B||_F = n as delta -> 1: ratio sqrt(1 - 1/n) (0.95 at n = 10).
"""
from __future__ import annotations

import itertools
from fractions import Fraction

import numpy as np
from scipy import optimize

from . import numerics as amm
from .counts import delta_bands, probabilities_to_tails


def ingredients(A, B, p) -> dict:
    """Claim-independent scalars of an instance: FA2 = ||A||_F^2, FB2 = ||B||_F^2,
    S = sum_k a_k, Q = sum_k a_k^2/p_k (over a_k > 0), G = ||AB||_F^2, beta = min p_k/p*_k."""
    A, B = amm.validate_factors(A, B)
    p = amm.validate_probabilities(p, A, B)
    a = amm.importance(A, B)
    mask = a > 0
    return {"FA2": float(np.linalg.norm(A) ** 2), "FB2": float(np.linalg.norm(B) ** 2),
            "S": float(a.sum()), "Q": float(np.sum(a[mask] ** 2 / p[mask])),
            "G": float(np.linalg.norm(A @ B) ** 2), "beta": amm.near_optimality(p, A, B)}


def direct_expected_error(A, B, p, c) -> float:
    """E||AB - CR||_F^2 from the definitions: CR is the mean of c i.i.d. draws Z = A^(i)B_(i)/p_i
    with E Z = AB, so the expectation is (E||Z||_F^2 - ||AB||_F^2)/c, with E||Z||_F^2 =
    sum_k p_k ||Z_k||_F^2 computed from the outer products Z_k themselves."""
    A, B = amm.validate_factors(A, B)
    p = amm.validate_probabilities(p, A, B)
    second = sum(p[k] * np.linalg.norm(np.outer(A[:, k], B[k, :]) / p[k]) ** 2
                 for k in range(p.size) if p[k] > 0)
    return float(max(second - np.linalg.norm(A @ B) ** 2, 0.0) / amm.validate_c(c))


def float_outcomes(A, B, p, c) -> tuple[np.ndarray, np.ndarray]:
    """All n^c index tuples in floating point: (probabilities, F = ||AB - CR||_F)."""
    A, B = np.asarray(A, float), np.asarray(B, float)
    p = np.asarray(p, float)
    support = np.flatnonzero(p > 0)
    Z = np.stack([np.outer(A[:, k], B[k, :]) / p[k] for k in support])
    tuples = np.array(list(itertools.product(range(support.size), repeat=c)))
    CR = Z[tuples].mean(axis=1)
    F = np.linalg.norm((CR - A @ B).reshape(len(tuples), -1), axis=1)
    return np.prod(p[support][tuples], axis=1), F


def worst_delta_ratio(probs, F, bound_of_delta) -> tuple[float, float, bool]:
    """Scan every delta that can matter for a discrete F (see :func:`.counts.delta_bands`, one
    band (0, 1)): returns (max_j f_j / b(delta_j), its delta, violated?) -- the worst
    (1 - delta)-quantile / bound over the delta domain.  Tails are summed from the top."""
    atoms, tails = probabilities_to_tails(probs, F)
    band = delta_bands(atoms, tails, bound_of_delta, bands=((0.0, 1.0),))[0]
    return band["ratio"], band["delta"], band["violated"]


def exact_outcomes(A, B, p, c):
    """Rational enumeration: list of (probability, squared error) Fractions (see sketch)."""
    from .sketch import enumerate_sketch
    return enumerate_sketch(A, B, [Fraction(x) for x in p], c)


def beta_tight(s: float, t: float, beta: Fraction):
    A = np.array([[s, s, 0.0]])
    B = np.array([[t], [-t], [0.0]])
    p = [beta / 2, beta / 2, 1 - beta]
    return A, B, p


def identity(n: int, s: float = 1.0):
    return s * np.eye(n), np.eye(n) / s, [Fraction(1, n)] * n


def _instance_from(x, m, n, q):
    A = x[: m * n].reshape(m, n)
    B = x[m * n: m * n + n * q].reshape(n, q)
    return A, B


def _beta_p(A, B, z, zb):
    """A beta-nearly-optimal p: beta p* + (1 - beta) softmax(z), beta = sigmoid(zb) in (0, 1]."""
    b = 1 / (1 + np.exp(-zb))
    w = np.exp(z - z.max())
    return b * amm.optimal_probabilities(A, B) + (1 - b) * w / w.sum()


def adversarial_search(objective_of, m: int, n: int, q: int, extra: int, seed: int,
                       starts: int = 2, maxiter: int = 150) -> tuple[float, dict]:
    """Seeded Nelder-Mead maximisation of ``objective_of(A, B, z, zb, w) -> ratio`` over the
    entries of A (m x n), B (n x q), the slack distribution z (n), the beta logit zb and
    ``extra`` further parameters w.  Returns (best ratio, where)."""
    rng = np.random.default_rng(seed)
    size = m * n + n * q + n + 1 + extra
    best, where = -np.inf, {}

    def neg(x):
        A, B = _instance_from(x, m, n, q)
        if not np.any(amm.importance(A, B)):
            return 0.0
        z, zb, w = x[m * n + n * q: m * n + n * q + n], x[size - extra - 1], x[size - extra:]
        try:
            value = objective_of(A, B, z, zb, w)
        except (ValueError, ArithmeticError, FloatingPointError):
            return 0.0
        return -value if np.isfinite(value) else 0.0

    for _ in range(starts):
        res = optimize.minimize(neg, rng.standard_normal(size), method="Nelder-Mead",
                                options={"maxiter": maxiter, "xatol": 1e-6, "fatol": 1e-9})
        if -res.fun > best:
            best = -res.fun
            A, B = _instance_from(res.x, m, n, q)
            where = {"A": A.round(4).tolist(), "B": B.round(4).tolist(),
                     "params": res.x[m * n + n * q:].round(4).tolist()}
    return float(best), where


beta_p = _beta_p


# Two-column sign instances (derived here): A = [u1, u2], B = [v1, v2]^T with u1 v1 = -u2 v2, so
# AB = 0, a_1 = a_2 and p* = (1/2, 1/2); with p = (beta/2, 1 - beta/2) (beta-nearly optimal) the
# error c F = |n_1 u1 v1/p_1 + (c - n_1) u2 v2/p_2| is a function of n_1 ~ Binomial(c, beta/2):
# at beta = 1 a Rademacher sum, where McDiarmid's tail is attained to leading order as delta -> 0.
SIGN_PAIRS = (((1.0, 1.0), (1.0, -1.0)), ((4.0, 4.0), (0.5, -0.5)), ((2.0, 1.0), (1.0, -2.0)))


def two_column(pair, beta: Fraction):
    (u1, u2), (v1, v2) = pair
    return np.array([[u1, u2]]), np.array([[v1], [v2]]), [beta / 2, 1 - beta / 2]
