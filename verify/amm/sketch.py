r"""Sampling the DKM sketch fast, exactly enumerating it, and random AMM instances.

The fast path never forms CR.  With :math:`s_t = 1/(c\,p_{i_t})` and the Gram–Hadamard matrix
:math:`G = (A^\top A) \circ (B B^\top)` (so :math:`G_{kj} = \langle A^{(k)}B_{(k)}, A^{(j)}B_{(j)}
\rangle_F`),

.. math::
    \|AB - CR\|_F^2 = \sum_{s,t} s_s s_t G_{i_s i_t} - 2\sum_t s_t h_{i_t} + \mathbf 1^\top G
    \mathbf 1, \qquad h = G\mathbf 1,

a quadratic form over the :math:`c` sampled indices (its symmetric off-diagonal half is gathered
once, as flat indices into ``G``): per-trial cost :math:`O(c^2)`, independent of ``m`` and ``p``.  Indices are sampled, never probability values (ties are handled correctly).  The
one-time precompute costs :math:`O((m+p)n^2)` and is shared by every ``(p, c)`` of a sweep through
:class:`AmmSketcher`.

Rounding: the expansion subtracts terms of size ~``||AB||_F^2``, so errors below
~1e-13 ``||AB||_F^2`` are not resolved (negative round-off is clipped to 0).
"""
from __future__ import annotations

import itertools
from fractions import Fraction

import numpy as np
import sympy

from . import numerics as amm

_CHUNK_ENTRIES = 4_000_000  # gathered G entries per chunk (~32 MB)


def _validate_trials(trials) -> int:
    if isinstance(trials, bool) or not isinstance(trials, (int, np.integer)) or trials < 1:
        raise ValueError(f"trials must be an integer >= 1, got {trials!r}")
    return int(trials)


def sample_indices(p, c: int, trials: int, rng=None) -> np.ndarray:
    """``trials x c`` i.i.d. index draws from ``p`` (with replacement).  Samples indices through the
    inverse CDF, so tied probabilities are drawn equally often."""
    rng = np.random.default_rng(rng)
    p = np.asarray(p, dtype=float)
    cdf = np.cumsum(p)
    cdf /= cdf[-1]
    u = rng.random((_validate_trials(trials), amm.validate_c(c)))
    idx = np.searchsorted(cdf, u, side="right")
    return np.minimum(idx, p.size - 1)


class AmmSketcher:
    """Precomputes ``G = (AᵀA)∘(BBᵀ)`` once for ``(A, B)``; :meth:`errors` then samples
    ``||AB - CR||_F^2`` for any ``(p, c)`` at O(c²) per trial."""

    def __init__(self, A, B):
        self.A, self.B = amm.validate_factors(A, B)
        self.gram = (self.A.T @ self.A) * (self.B @ self.B.T)
        self.h = self.gram.sum(axis=1)
        self.total = float(self.h.sum())  # = ||AB||_F^2

    def errors(self, p, c: int, trials: int, rng=None) -> np.ndarray:
        """``trials`` sampled values of ``||AB - CR||_F^2`` (float64 array)."""
        rng = np.random.default_rng(rng)
        p = amm.validate_probabilities(p, self.A, self.B)
        c = amm.validate_c(c)
        trials = _validate_trials(trials)
        out = np.empty(trials)
        n = self.h.size
        flat, diag = self.gram.ravel(), np.ascontiguousarray(np.diag(self.gram))
        upper, lower = np.triu_indices(c, 1)  # off-diagonal pairs s < t, counted twice below
        chunk = max(1, _CHUNK_ENTRIES // max(1, upper.size))
        for start in range(0, trials, chunk):
            stop = min(trials, start + chunk)
            idx = sample_indices(p, c, stop - start, rng)
            s = 1.0 / (c * p[idx])
            pair_index = idx[:, upper] * n
            pair_index += idx[:, lower]
            quad = 2.0 * np.einsum("tk,tk->t", s[:, upper] * s[:, lower], flat[pair_index])
            quad += np.einsum("ts,ts->t", s * s, diag[idx])
            lin = np.einsum("ts,ts->t", s, self.h[idx])
            out[start:stop] = quad - 2.0 * lin + self.total
        return np.maximum(out, 0.0)

    def bilinear(self, p, c: int, trials: int, u, v, rng=None) -> np.ndarray:
        """``trials`` sampled values of ``uᵀ CR v`` (unbiased for ``uᵀ AB v``), O(c) per trial."""
        rng = np.random.default_rng(rng)
        p = amm.validate_probabilities(p, self.A, self.B)
        au = np.asarray(u, dtype=float) @ self.A
        bv = self.B @ np.asarray(v, dtype=float)
        idx = sample_indices(p, amm.validate_c(c), trials, rng)
        return np.sum(au[idx] * bv[idx] / (c * p[idx]), axis=1)


def amm_errors(A, B, p, c, trials, rng=None) -> np.ndarray:
    """``trials`` sampled values of ``||AB - CR||_F^2`` for the DKM sketch (fast path; see the
    module docstring)."""
    return AmmSketcher(A, B).errors(p, c, trials, rng)


def amm_errors_naive(A, B, p, c, trials, rng=None) -> np.ndarray:
    """Reference: form ``C`` and ``R`` and multiply, once per trial (the naive way).  Uses the
    same index stream as :func:`amm_errors` for equal seeds."""
    rng = np.random.default_rng(rng)
    A, B = amm.validate_factors(A, B)
    p = amm.validate_probabilities(p, A, B)
    c = amm.validate_c(c)
    AB = A @ B
    idx_all = sample_indices(p, c, trials, rng)
    out = np.empty(idx_all.shape[0])
    for t, idx in enumerate(idx_all):
        scale = 1.0 / np.sqrt(c * p[idx])
        C = A[:, idx] * scale
        R = B[idx, :] * scale[:, None]
        out[t] = np.linalg.norm(AB - C @ R) ** 2
    return out


def sketch_matrix(A, B, p, c, rng=None) -> np.ndarray:
    """One sketch ``CR`` (for users who want the matrix itself)."""
    rng = np.random.default_rng(rng)
    A, B = amm.validate_factors(A, B)
    p = amm.validate_probabilities(p, A, B)
    idx = sample_indices(p, c, 1, rng)[0]
    scale = 1.0 / (amm.validate_c(c) * p[idx])
    return (A[:, idx] * scale) @ B[idx, :]


# ---------------------------------------------------------------------------------------------
# Exact enumeration (rational arithmetic)

def _fractions(M) -> list:
    return [[Fraction(x) for x in row] for row in np.atleast_2d(M).tolist()]


def enumerate_sketch(A, B, p, c):
    """Every one of the ``n**c`` index tuples with its exact probability, in rational arithmetic.

    ``A``, ``B`` and ``p`` are converted exactly (``Fraction(float)``); ``p`` should be given as
    dyadic-exact floats or ``Fraction`` for an exact normalisation.  Returns
    ``(mean_CR, expected_sq_error, outcomes)`` where ``outcomes`` is a list of
    ``(probability, squared_error)`` pairs — all ``Fraction``.
    """
    A, B = amm.validate_factors(A, B)
    c = amm.validate_c(c)
    n = A.shape[1]
    pf = [Fraction(x) for x in np.asarray(p, dtype=object).tolist()]
    if len(pf) != n or sum(pf) != 1 or any(x < 0 for x in pf):
        raise ValueError("p must be n non-negative rationals summing exactly to 1")
    if n**c > 200_000:
        raise ValueError(f"n**c = {n**c} tuples is too many to enumerate (limit 200000)")
    Af, Bf = _fractions(A), _fractions(B)
    m, q = len(Af), len(Bf[0])
    AB = [[sum(Af[i][k] * Bf[k][j] for k in range(n)) for j in range(q)] for i in range(m)]
    support = [k for k in range(n) if pf[k] > 0]
    outer = {k: [[Af[i][k] * Bf[k][j] / pf[k] for j in range(q)] for i in range(m)]
             for k in support}
    mean = [[Fraction(0)] * q for _ in range(m)]
    expected = Fraction(0)
    outcomes = []
    for tup in itertools.product(support, repeat=c):
        prob = Fraction(1)
        for k in tup:
            prob *= pf[k]
        CR = [[sum(outer[k][i][j] for k in tup) / c for j in range(q)] for i in range(m)]
        err = sum((AB[i][j] - CR[i][j]) ** 2 for i in range(m) for j in range(q))
        for i in range(m):
            for j in range(q):
                mean[i][j] += prob * CR[i][j]
        expected += prob * err
        outcomes.append((prob, err))
    return mean, expected, outcomes


def exact_formula_fraction(A, B, p, c) -> Fraction:
    """The claim ``amm-exact-variance``'s sympy expression evaluated in rational arithmetic, with
    Q = sum_k a_k^2/p_k and G = ||AB||_F^2 computed exactly (a_k^2 = |A^(k)|^2 |B_(k)|^2 is
    rational even when a_k is not)."""
    A, B = amm.validate_factors(A, B)
    Af, Bf = _fractions(A), _fractions(B)
    n = A.shape[1]
    pf = [Fraction(x) for x in np.asarray(p, dtype=object).tolist()]
    colA = [sum(Af[i][k] ** 2 for i in range(len(Af))) for k in range(n)]
    rowB = [sum(x ** 2 for x in Bf[k]) for k in range(n)]
    AB2 = sum(sum(Af[i][k] * Bf[k][j] for k in range(n)) ** 2
              for i in range(len(Af)) for j in range(len(Bf[0])))
    Q = sum(colA[k] * rowB[k] / pf[k] for k in range(n) if pf[k] > 0)
    expr = amm.AMM_EXACT_VARIANCE.expressions["exact"]
    symbols = {sym.name: sym for sym in expr.free_symbols}
    value = sympy.Rational(expr.subs({symbols["Q"]: sympy.Rational(Q.numerator, Q.denominator),
                                      symbols["G"]: sympy.Rational(AB2.numerator, AB2.denominator),
                                      symbols["c"]: amm.validate_c(c)}))
    return Fraction(int(value.p), int(value.q))


# ---------------------------------------------------------------------------------------------
# Random instances from declared domains

INSTANCE_KINDS = ("gaussian", "anisotropic", "heavy-tailed", "zero-columns", "low-rank")


def random_instance(kind: str, m: int, n: int, q: int, rng=None) -> tuple[np.ndarray, np.ndarray]:
    """A random ``(A, B)`` pair of shapes ``(m, n)``, ``(n, q)``.

    * ``gaussian``: i.i.d. N(0, 1);
    * ``anisotropic``: columns of A and rows of B scaled by log-uniform factors over [1e-2, 1e2];
    * ``heavy-tailed``: Student-t (2.5 degrees of freedom) entries and Pareto column scales;
    * ``zero-columns``: gaussian with a quarter of the columns of A set to zero;
    * ``low-rank``: rank-2 A and B (strongly aligned outer products, ``||AB||_F`` large).
    """
    rng = np.random.default_rng(rng)
    for name, value in (("m", m), ("n", n), ("q", q)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
            raise ValueError(f"{name} must be an integer >= 1, got {value!r}")
    if kind == "gaussian":
        return rng.standard_normal((m, n)), rng.standard_normal((n, q))
    if kind == "anisotropic":
        sa = 10 ** rng.uniform(-2, 2, n)
        sb = 10 ** rng.uniform(-2, 2, n)
        return rng.standard_normal((m, n)) * sa, rng.standard_normal((n, q)) * sb[:, None]
    if kind == "heavy-tailed":
        sa = rng.pareto(1.5, n) + 1
        return rng.standard_t(2.5, (m, n)) * sa, rng.standard_t(2.5, (n, q))
    if kind == "zero-columns":
        A = rng.standard_normal((m, n))
        A[:, rng.permutation(n)[: max(1, n // 4)]] = 0.0
        if not np.any(A):
            A[:, 0] = 1.0
        return A, rng.standard_normal((n, q))
    if kind == "low-rank":
        r = min(2, m, n, q)
        return (rng.standard_normal((m, r)) @ rng.standard_normal((r, n)),
                rng.standard_normal((n, r)) @ rng.standard_normal((r, q)))
    raise ValueError(f"kind must be one of {INSTANCE_KINDS}, got {kind!r}")


PROBABILITY_SCHEMES = ("optimal", "beta", "uniform", "dirichlet", "ties")


def probabilities(scheme: str, A, B, beta: float = 0.5, rng=None) -> np.ndarray:
    """Sampling probabilities of a named scheme, always satisfying the support assumption:
    ``optimal`` (p*), ``beta`` (beta p* + (1-beta) uniform), ``uniform``, ``dirichlet``
    (random, Dirichlet(1) mixed 10 % with uniform), ``ties`` (p* rounded to 4 levels, so many
    indices share one probability)."""
    A, B = amm.validate_factors(A, B)
    n = A.shape[1]
    if scheme == "optimal":
        return amm.optimal_probabilities(A, B)
    if scheme == "beta":
        return amm.beta_mixture(A, B, beta)
    if scheme == "uniform":
        return np.full(n, 1.0 / n)
    if scheme == "dirichlet":
        rng = np.random.default_rng(rng)
        return 0.9 * rng.dirichlet(np.ones(n)) + 0.1 / n
    if scheme == "ties":
        pstar = amm.optimal_probabilities(A, B)
        levels = np.ceil(4 * pstar / pstar.max())  # 0 stays 0 only if p* is 0
        levels = np.where(levels == 0, 1, levels)
        return levels / levels.sum()
    raise ValueError(f"scheme must be one of {PROBABILITY_SCHEMES}, got {scheme!r}")
