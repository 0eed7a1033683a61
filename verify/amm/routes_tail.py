"""Routes of ``amm-high-probability`` (DKM eq. 15 and the McDiarmid refinement derived here):
exact enumeration over the whole delta domain, a seeded adversarial search, and Monte Carlo.

Every bound is taken from the claim object the route receives (``claim.numeric(name)``), for each
upper-bound expression of the claim (``bound`` and ``bound_mcdiarmid``).  The statistical route
controls the family-wise false-failure probability at ``ALPHA`` = 1e-3 (Bonferroni over every
(instance, delta, bound) it checks)."""
from __future__ import annotations

from fractions import Fraction
from functools import cache

import numpy as np
from pruneproof.theory.claims import Claim

from ..core import stats
from ..core.verdicts import (
    INCONCLUSIVE,
    REFUTED,
    VERIFIED,
    CheckContext,
    RouteResult,
    route,
    theorem_verdict,
)
from . import counts, tight
from . import numerics as amm
from .experiments import ALPHA, _label, _mc_records, exceedances

HP_DELTAS = (0.5, 0.2, 0.05, 0.01)


def _bounds(claim: Claim) -> list[str]:
    return [n for n, r in claim.roles.items() if r == "upper-bound"]


def _hp_cases() -> list[tuple]:
    """(label, A, B, p, c): small random dyadic cases, beta-boundary p with larger c, the
    identity instances (deterministic error at c = 1, near-tight as delta -> 1) at unequal factor
    scales, and the beta-tight instances (error 2/beta w.p. beta at c = 1)."""
    cases = []
    rng = np.random.default_rng(20060101)
    dyadic = {2: [0.25, 0.75], 3: [0.5, 0.25, 0.25], 4: [0.125, 0.375, 0.25, 0.25]}
    for n, c in ((2, 1), (2, 3), (3, 2), (3, 4), (4, 3)):
        A = np.round(rng.standard_normal((2, n)) * 8) / 8
        B = np.round(rng.standard_normal((n, 2)) * 8) / 8
        cases.append((f"random n={n}", A, B, dyadic[n], c))
    rng = np.random.default_rng(15)
    for c in (6, 10):
        A = np.round(rng.standard_normal((2, 2)) * 8) / 8 + 0.125
        B = np.round(rng.standard_normal((2, 2)) * 8) / 8 + 0.125
        pstar = amm.optimal_probabilities(A, B)
        p = 0.25 * pstar
        p[int(np.argmax(pstar))] += 0.75
        cases.append((f"beta-boundary c={c}", A, B, list(p), c))
    for n in (10, 20):
        for s in (1.0, 10.0, 0.1):
            A, B, p = tight.identity(n, s)
            cases.append((f"identity n={n} s={s:g}", A, B, [float(x) for x in p], 1))
    for b in (Fraction(1, 2), Fraction(1, 64), Fraction(1, 1024)):
        for c in (1, 2):
            A, B, p = tight.beta_tight(1.0, 1.0, b)
            cases.append((f"beta-tight beta={b} c={c}", A, B, [float(x) for x in p], c))
    return cases


SIGN_BETAS = (Fraction(1), Fraction(1, 2), Fraction(1, 8))
SIGN_CS = (10, 50, 200)


@cache
def _sign_law(kind: str, index: int, beta: Fraction, c: int):
    """Exact law of F (atoms, tails) and the ingredients of one sign instance (claim-independent,
    cached in-process: mutants of the same claim reuse it)."""
    if kind == "two-column":
        A, B, p = tight.two_column(tight.SIGN_PAIRS[index], beta)
    else:
        A, B, p = tight.beta_tight(1.0, 1.0, beta)
    atoms, tails = counts.scalar_tails(A, B, p, c)
    return atoms, tails, tight.ingredients(A, B, np.asarray([float(x) for x in p]))


def _sign_cases() -> list[tuple]:
    """(label, kind, index, beta, c): the two-column sign instances (binomial law: three column
    scalings, p = (beta/2, 1 - beta/2)) and the three-column beta-tight instance (trinomial law,
    p = (beta/2, beta/2, 1 - beta)), at c in SIGN_CS."""
    cases = []
    for beta in SIGN_BETAS:
        for c in SIGN_CS:
            for i, pair in enumerate(tight.SIGN_PAIRS):
                cases.append((f"sign A={list(pair[0])} B={list(pair[1])} beta={beta} c={c}",
                              "two-column", i, beta, c))
            if beta < 1:
                cases.append((f"beta-tight trinomial beta={beta} c={c}", "three-column", 0, beta,
                               c))
    return cases


def _bound_of_delta(claim: Claim, name: str, ing: dict, c: int):
    fn = claim.numeric(name)
    return lambda d: fn(FA2=ing["FA2"], FB2=ing["FB2"], beta=min(ing["beta"], 1.0), c=c,
                        delta=d)


def _hp_search(claim: Claim, name: str, seed: int) -> tuple[float, dict]:
    def objective(A, B, z, zb, w):
        c = 1 + int(abs(w[0]) * 3) % 3
        p = tight.beta_p(A, B, z, zb)
        p = p / p.sum()
        ing = tight.ingredients(A, B, p)
        probs, F = tight.float_outcomes(A, B, p, c)
        return tight.worst_delta_ratio(probs, F, _bound_of_delta(claim, name, ing, c))[0]
    return tight.adversarial_search(objective, 2, 3, 2, 1, seed=seed, maxiter=150)


@route("amm-high-probability", "exact")
def _hp_exact(claim: Claim, ctx: CheckContext) -> RouteResult:
    """For every enumerated case and every upper bound of the claim, the whole delta domain is
    scanned: for a discrete F the statement P(F <= b(delta)) >= 1 - delta is hardest just below
    delta = P(F >= f) for each atom f (see :func:`tight.worst_delta_ratio`); then a seeded
    adversarial search over (A, B, p, beta, c) maximises the same worst ratio."""
    ok, rows = [], []
    tightness = {}
    for label, A, B, p, c in _hp_cases():
        probs, F = tight.float_outcomes(A, B, p, c)
        ing = tight.ingredients(A, B, np.asarray(p))
        for name in _bounds(claim):
            ratio, delta, violated = tight.worst_delta_ratio(
                probs, F, _bound_of_delta(claim, name, ing, c))
            ok.append(not violated)
            tightness[name] = max(tightness.get(name, 0.0), ratio)
            rows.append({"case": label, "c": c, "beta": ing["beta"], "bound": name,
                         "worst_quantile_over_bound": ratio, "at_delta": delta,
                         "violated": violated})
    bands = {name: [0.0] * len(counts.DELTA_BANDS) for name in _bounds(claim)}
    for label, kind, index, beta, c in _sign_cases():
        atoms, tails, ing = _sign_law(kind, index, beta, c)
        for name in _bounds(claim):
            per_band = counts.delta_bands(atoms, tails, _bound_of_delta(claim, name, ing, c))
            violated = any(b["violated"] for b in per_band)
            ok.append(not violated)
            bands[name] = [max(x, b["ratio"]) for x, b in zip(bands[name], per_band)]
            tightness[name] = max(tightness[name], *(b["ratio"] for b in per_band))
            rows.append({"case": label, "c": c, "beta": ing["beta"], "bound": name,
                         "bands": per_band, "violated": violated,
                         "worst_quantile_over_bound": max(b["ratio"] for b in per_band)})
    searches = {}
    for i, name in enumerate(_bounds(claim)):
        found, where = _hp_search(claim, name, seed=30 + i)
        searches[name] = {"ratio": found, **where}
        ok.append(found <= 1 + 1e-9)
        tightness[name] = max(tightness[name], found)
    failed = sorted({r["case"] + " / " + r["bound"] for r in rows if r["violated"]})
    status = VERIFIED if all(ok) else REFUTED
    band_text = "; ".join(
        f"{name}: " + ", ".join(f"delta in ({lo:g}, {hi:g}] {v:.3g}"
                                for (lo, hi), v in zip(counts.DELTA_BANDS, vals))
        for name, vals in bands.items())
    return RouteResult("exact", status,
                       f"exact P(F <= bound) >= 1 - delta over the whole delta domain on "
                       f"{sum(ok)}/{len(ok)} (case, bound) checks incl. adversarial searches and "
                       f"the sign instances (exact binomial/trinomial laws, c in {SIGN_CS}); "
                       f"tightness max (1-delta)-quantile / bound: "
                       + ", ".join(f"{k} {v:.4g}" for k, v in tightness.items())
                       + f"; on the sign instances per delta band: {band_text}"
                       + (f"; violated on {failed[:6]}" if failed else ""),
                       {"cases": rows, "tightness": tightness, "sign_bands": bands,
                        "searches": searches})


@route("amm-high-probability", "monte-carlo")
def _hp_mc(claim: Claim, ctx: CheckContext) -> RouteResult:
    records = _mc_records(ctx, schemes=("optimal", "beta", "uniform"), deltas=HP_DELTAS)
    names = _bounds(claim)
    k = len(records) * len(HP_DELTAS) * len(names)
    level = 1 - 2 * ALPHA / k
    rows, verdicts = [], []
    for cfg, r in records:
        for delta in HP_DELTAS:
            for name in names:
                b = float(_bound_of_delta(claim, name, r, r["c"])(delta))
                low, high = exceedances(r, b)
                lo_ci = stats.proportion_ci(low, r["n"], level=level)
                hi_ci = stats.proportion_ci(high, r["n"], level=level)
                verdict = (REFUTED if lo_ci.low > delta else
                           VERIFIED if hi_ci.high <= delta else INCONCLUSIVE)
                verdicts.append(verdict)
                rows.append({"case": _label(cfg), "delta": delta, "bound": name, "value": b,
                             "exceed": [low, high], "rate_ci": [lo_ci.low, hi_ci.high],
                             "verdict": verdict})
    return RouteResult("monte-carlo", theorem_verdict(verdicts),
                       f"{verdicts.count(VERIFIED)}/{len(verdicts)} exceedance-rate CIs below delta "
                       f"for {names} (family-wise false-failure probability {ALPHA:g})",
                       {"checks": rows, "alpha": ALPHA})
