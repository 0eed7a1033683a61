"""Worked examples of the amm claims (``pruneproof explain CLAIM``): a small seeded instance, the
claim's expression evaluated on it, and the exact (enumerated, rational arithmetic) or simulated
value it speaks about."""
from __future__ import annotations

from fractions import Fraction

import numpy as np

from ..core.examples import example_row, register_example
from .numerics import _scalars, beta_mixture, optimal_probabilities
from .sketch import amm_errors, enumerate_sketch

M, N, P, C = 3, 5, 2, 2   # A is M x N, B is N x P; c = 2 draws: 25 index tuples enumerated


def _instance(rng):
    return rng.standard_normal((M, N)), rng.standard_normal((N, P))


def _dyadic(p: np.ndarray) -> list[Fraction]:
    """p rounded to multiples of 2^-40 and renormalised exactly (enumeration needs exact p)."""
    q = [Fraction(round(float(x) * 2**40), 2**40) for x in p]
    q[-1] = 1 - sum(q[:-1])
    return q


def _text(p_name: str, extra: str = "") -> str:
    return (f"A {M}x{N}, B {N}x{P} standard Gaussian; p = {p_name}; c = {C} draws "
            f"(all {N}^{C} = {N ** C} index tuples enumerated in rational arithmetic){extra}")


@register_example("amm-unbiased")
def _unbiased(claim, rng):
    A, B = _instance(rng)
    u, v = rng.standard_normal(M), rng.standard_normal(P)
    q = _dyadic(beta_mixture(A, B, 0.5))
    mean_cr, _, _ = enumerate_sketch(A, B, q, C)
    observed = sum(Fraction(float(u[i])) * mean_cr[i][j] * Fraction(float(v[j]))
                   for i in range(M) for j in range(P))
    claimed = claim.numeric("mean")(M=float(u @ A @ B @ v))
    return {"instance": _text("0.5 p* + 0.5 uniform", "; Gaussian probes u, v"),
            "rows": [example_row("mean", claim, "==", claimed, float(observed), "exact",
                                 "E[u^T CR v]")]}


@register_example("amm-exact-variance")
def _variance(claim, rng):
    A, B = _instance(rng)
    q = _dyadic(beta_mixture(A, B, 0.5))
    _, err, _ = enumerate_sketch(A, B, q, C)
    s = _scalars(A, B, np.array([float(x) for x in q]))
    claimed = claim.numeric("exact")(Q=s["Q"], G=s["G"], c=C)
    return {"instance": _text("0.5 p* + 0.5 uniform"),
            "rows": [example_row("exact", claim, "==", claimed, float(err), "exact",
                                 "E||AB - CR||_F^2")]}


@register_example("amm-optimal-probabilities")
def _optimal(claim, rng):
    A, B = _instance(rng)
    q = _dyadic(optimal_probabilities(A, B))
    _, err, _ = enumerate_sketch(A, B, q, C)
    s = _scalars(A, B, np.array([float(x) for x in q]))
    return {"instance": _text("p* (proportional to |A^(k)| |B_(k)|)"),
            "rows": [example_row("optimal", claim, "==", claim.numeric("optimal")(
                                     S=s["S"], G=s["G"], c=C), float(err), "exact",
                                 "E||AB - CR||_F^2 at p*"),
                     example_row("bound", claim, "<=", claim.numeric("bound")(
                                     FA2=s["FA2"], FB2=s["FB2"], c=C), float(err), "exact",
                                 "E||AB - CR||_F^2 at p*")],
            "notes": ["p* is rounded to multiples of 2^-40 so that the enumeration is exact."]}


@register_example("amm-beta-bound")
def _beta(claim, rng):
    A, B = _instance(rng)
    beta = 0.5
    q = _dyadic(beta_mixture(A, B, beta))
    _, err, _ = enumerate_sketch(A, B, q, C)
    s = _scalars(A, B, np.array([float(x) for x in q]))
    claimed = claim.numeric("bound")(FA2=s["FA2"], FB2=s["FB2"], beta=beta, c=C)
    return {"instance": _text("0.5 p* + 0.5 uniform (beta = 0.5 nearly optimal)"),
            "rows": [example_row("bound", claim, "<=", claimed, float(err), "exact",
                                 "E||AB - CR||_F^2")]}


@register_example("amm-high-probability")
def _high_probability(claim, rng):
    A, B = rng.standard_normal((10, 40)), rng.standard_normal((40, 8))
    beta, delta, c, trials = 0.5, 0.1, 10, 20_000
    p = beta_mixture(A, B, beta)
    errors = np.sqrt(amm_errors(A, B, p, c, trials, rng))
    quantile = float(np.quantile(errors, 1 - delta))
    s = _scalars(A, B, p)
    args = dict(FA2=s["FA2"], FB2=s["FB2"], beta=beta, c=c, delta=delta)
    return {"instance": f"A 10x40, B 40x8 standard Gaussian; p = 0.5 p* + 0.5 uniform "
                        f"(beta = 0.5); c = {c}; delta = {delta}; {trials} simulated sketches",
            "rows": [example_row(name, claim, "<=", claim.numeric(name)(**args), quantile,
                                 "simulated", f"(1 - delta)-quantile of ||AB - CR||_F")
                     for name in ("bound", "bound_mcdiarmid")]}


