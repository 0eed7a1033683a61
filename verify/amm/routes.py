"""Routes of the DKM approximate-matrix-multiplication claims: symbolic, exact enumeration in
rational arithmetic, and Monte Carlo.

Statistical routes control the family-wise false-failure probability at ``ALPHA`` = 1e-3 per
route (Bonferroni over the instances a route checks)."""
from __future__ import annotations

from fractions import Fraction

import numpy as np
from pruneproof.theory.claims import Claim
from scipy import optimize

from ..core import stats
from ..core.verdicts import (
    INCONCLUSIVE,
    REFUTED,
    VERIFIED,
    CheckContext,
    RouteResult,
    route,
    symbolic_route,
    theorem_verdict,
)
from . import numerics as amm
from .experiments import ALPHA, _label, _mc_records, _t_interval, instance
from .sketch import (
    enumerate_sketch,
    exact_formula_fraction,
    probabilities,
    random_instance,
)


def _exact_cases() -> list[tuple]:
    rng = np.random.default_rng(20060101)
    cases = []
    dyadic = {2: [Fraction(1, 4), Fraction(3, 4)], 3: [Fraction(1, 2), Fraction(1, 4), Fraction(1, 4)],
              4: [Fraction(1, 8), Fraction(3, 8), Fraction(1, 4), Fraction(1, 4)]}
    for n, c in ((2, 1), (2, 3), (3, 2), (3, 4), (4, 3)):
        A = np.round(rng.standard_normal((2, n)) * 8) / 8
        B = np.round(rng.standard_normal((n, 2)) * 8) / 8
        if n == 4:
            A[:, 1] = 0.0  # a zero column: its probability may still be positive
        cases.append((A, B, dyadic[n], c))
    return cases


def _status_all(ok: list[bool]) -> str:
    return VERIFIED if all(ok) else REFUTED


for _claim in ("amm-unbiased", "amm-exact-variance", "amm-optimal-probabilities", "amm-beta-bound",
               "amm-high-probability"):
    route(_claim, "symbolic")(symbolic_route)


@route("amm-unbiased", "exact")
def _unbiased_exact(claim: Claim, ctx: CheckContext) -> RouteResult:
    ok, rows = [], []
    for A, B, p, c in _exact_cases():
        mean, _, outcomes = enumerate_sketch(A, B, p, c)
        AB = [[sum(Fraction(A[i, k]) * Fraction(B[k, j]) for k in range(A.shape[1]))
               for j in range(B.shape[1])] for i in range(A.shape[0])]
        ok.append(mean == AB)
        rows.append({"n": A.shape[1], "c": c, "tuples": len(outcomes), "equal": mean == AB})
    return RouteResult("exact", _status_all(ok),
                       f"E[CR] == AB in rational arithmetic on {sum(ok)}/{len(ok)} enumerated cases "
                       f"(all n^c index tuples)", {"cases": rows})


@route("amm-unbiased", "monte-carlo")
def _unbiased_mc(claim: Claim, ctx: CheckContext) -> RouteResult:
    records = _mc_records(ctx, probes=3)
    k = sum(len(r["probes"]) for _, r in records)
    level = 1 - ALPHA / k
    rows, ok = [], []
    for cfg, r in records:
        for probe in r["probes"]:
            ci = _t_interval(probe["mean"], probe["sd"], r["n"], level)
            ok.append(ci.covers(probe["truth"]))
            rows.append({"case": _label(cfg), "truth": probe["truth"], "ci": [ci.low, ci.high]})
    return RouteResult("monte-carlo", _status_all(ok),
                       f"{sum(ok)}/{len(ok)} CIs of u^T CR v cover u^T AB v "
                       f"(family-wise false-failure probability {ALPHA:g})",
                       {"trials": records[0][1]["n"], "checks": rows, "alpha": ALPHA})


@route("amm-exact-variance", "exact")
def _variance_exact(claim: Claim, ctx: CheckContext) -> RouteResult:
    ok, rows = [], []
    for A, B, p, c in _exact_cases():
        _, expected, outcomes = enumerate_sketch(A, B, p, c)
        formula = exact_formula_fraction(A, B, p, c)
        ok.append(expected == formula)
        rows.append({"n": A.shape[1], "c": c, "enumerated": str(expected), "formula": str(formula)})
    return RouteResult("exact", _status_all(ok),
                       f"enumerated E||AB-CR||_F^2 equals the formula exactly on {sum(ok)}/{len(ok)} "
                       f"cases", {"cases": rows})


@route("amm-exact-variance", "monte-carlo")
def _variance_mc(claim: Claim, ctx: CheckContext) -> RouteResult:
    records = _mc_records(ctx)
    level = 1 - ALPHA / len(records)
    rows, ok = [], []
    for cfg, r in records:
        ci = _t_interval(r["mean"], r["sd"], r["n"], level)
        ok.append(ci.covers(r["exact"]))
        rows.append({"case": _label(cfg), "exact": r["exact"], "mc_mean": r["mean"],
                     "ci": [ci.low, ci.high], "covers": ci.covers(r["exact"])})
    return RouteResult("monte-carlo", _status_all(ok),
                       f"{sum(ok)}/{len(ok)} CIs ({level:.5f} each) cover the exact expectation "
                       f"(family-wise false-failure probability {ALPHA:g})",
                       {"trials": records[0][1]["n"], "checks": rows, "alpha": ALPHA})


def _simplex_minimum(A, B, c) -> float:
    """min over the probability simplex of the exact error, by a numerical solver (SLSQP on p with
    the equality constraint sum p = 1) -- a route independent of the closed form p*."""
    a = amm.importance(A, B)
    a = a[a > 0]
    scale = a.sum()
    a_hat = a / scale                      # normalised so the minimum of sum a^2/p is 1
    G = float(np.linalg.norm(A @ B) ** 2)

    res = optimize.minimize(
        lambda p: np.sum(a_hat**2 / p), np.full(a.size, 1 / a.size),
        jac=lambda p: -(a_hat**2) / p**2, method="SLSQP",
        bounds=[(1e-12, 1.0)] * a.size,
        constraints=[{"type": "eq", "fun": lambda p: p.sum() - 1, "jac": lambda p: np.ones_like(p)}],
        options={"ftol": 1e-14, "maxiter": 1000})
    return float((res.fun * scale**2 - G) / c)


@route("amm-optimal-probabilities", "exact")
def _optimal_exact(claim: Claim, ctx: CheckContext) -> RouteResult:
    rng = np.random.default_rng(4)
    ok, rows = [], []
    for kind in ("gaussian", "anisotropic", "heavy-tailed", "zero-columns"):
        A, B = random_instance(kind, 6, 12, 5, rng)
        c = 3
        closed = amm.optimal_error(A, B, c)
        solver = _simplex_minimum(A, B, c)
        random_ps = [probabilities("dirichlet", A, B, rng=rng) for _ in range(200)]
        beaten = min(amm.expected_error(A, B, p, c) for p in random_ps)
        bound = float(amm.AMM_OPTIMAL.numeric("bound")(FA2=np.linalg.norm(A) ** 2,
                                                       FB2=np.linalg.norm(B) ** 2, c=c))
        exact_pstar = amm.expected_error(A, B, amm.optimal_probabilities(A, B), c)
        good = (abs(solver - closed) <= 1e-6 * max(closed, 1e-300) + 1e-9 * bound
                and closed <= beaten * (1 + 1e-12) and closed <= bound * (1 + 1e-12)
                and abs(exact_pstar - closed) <= 1e-9 * max(closed, 1.0))
        ok.append(good)
        rows.append({"kind": kind, "closed_form_min": closed, "solver_min": solver,
                     "best_of_200_random_p": beaten, "frobenius_bound": bound})
    return RouteResult("exact", _status_all(ok),
                       f"closed-form minimum equals a numerical simplex minimiser, beats 200 random p "
                       f"and is <= ||A||_F^2||B||_F^2/c on {sum(ok)}/{len(ok)} instances",
                       {"instances": rows})


@route("amm-optimal-probabilities", "monte-carlo")
def _optimal_mc(claim: Claim, ctx: CheckContext) -> RouteResult:
    records = [(cfg, r) for cfg, r in _mc_records(ctx) if cfg["scheme"] == "optimal"]
    level = 1 - ALPHA / len(records)
    rows, ok = [], []
    for cfg, r in records:
        ci = _t_interval(r["mean"], r["sd"], r["n"], level)
        A, B, _ = instance(cfg)
        closed = amm.optimal_error(A, B, cfg["c"])
        ok.append(ci.covers(closed))
        rows.append({"case": _label(cfg), "closed_form_min": closed, "ci": [ci.low, ci.high]})
    return RouteResult("monte-carlo", _status_all(ok),
                       f"{sum(ok)}/{len(ok)} Monte Carlo CIs at p* cover (S^2 - ||AB||^2)/c "
                       f"(family-wise false-failure probability {ALPHA:g})",
                       {"checks": rows, "alpha": ALPHA})


@route("amm-beta-bound", "exact")
def _beta_exact(claim: Claim, ctx: CheckContext) -> RouteResult:
    """Adversarial beta-nearly-optimal p: p = beta p* plus all remaining mass on one index (the
    worst case of the termwise step), over every index and several beta."""
    rng = np.random.default_rng(5)
    ok, worst = [], 0.0
    for kind in ("gaussian", "anisotropic", "heavy-tailed", "zero-columns", "low-rank"):
        A, B = random_instance(kind, 5, 8, 4, rng)
        pstar = amm.optimal_probabilities(A, B)
        for b in (1.0, 0.5, 0.1, 0.01):
            for j in range(pstar.size):
                p = b * pstar
                p[j] += 1 - b
                ratio = amm.expected_error(A, B, p, 2) / amm.beta_bound(A, B, 2, b)
                worst = max(worst, ratio)
                ok.append(ratio <= 1 + 1e-12)
    return RouteResult("exact", _status_all(ok),
                       f"exact error / bound <= 1 on {sum(ok)}/{len(ok)} adversarial "
                       f"beta-nearly-optimal p (worst ratio {worst:.3g})",
                       {"worst_ratio": worst, "cases": len(ok)})


@route("amm-beta-bound", "monte-carlo")
def _beta_mc(claim: Claim, ctx: CheckContext) -> RouteResult:
    records = _mc_records(ctx)
    level = 1 - ALPHA / len(records)
    rows, verdicts = [], []
    for cfg, r in records:
        ci = _t_interval(r["mean"], r["sd"], r["n"], level)
        verdict = stats.upper_bound_verdict(ci, r["bound"])
        verdicts.append(verdict)
        rows.append({"case": _label(cfg), "beta": r["beta"], "bound": r["bound"],
                     "ci": [ci.low, ci.high], "ratio_bound_over_mean": r["bound"] / r["mean"],
                     "verdict": verdict})
    status = theorem_verdict(verdicts)
    slack = [row["ratio_bound_over_mean"] for row in rows]
    return RouteResult("monte-carlo", status,
                       f"{verdicts.count(VERIFIED)}/{len(verdicts)} CI upper ends below the bound; "
                       f"bound/mean from {min(slack):.3g} to {max(slack):.3g}",
                       {"checks": rows, "alpha": ALPHA})


HP_DELTAS = (0.2, 0.05, 0.01)


def _hp_cases() -> list[tuple]:
    """The enumeration cases plus larger-c ones (n = 2, c = 10, 12) with beta-boundary p, where
    the bound is least slack."""
    cases = [(A, B, [float(x) for x in p], c) for A, B, p, c in _exact_cases()]
    rng = np.random.default_rng(15)
    for c in (10, 12):
        A = np.round(rng.standard_normal((2, 2)) * 8) / 8 + 0.125
        B = np.round(rng.standard_normal((2, 2)) * 8) / 8 + 0.125
        pstar = amm.optimal_probabilities(A, B)
        p = 0.25 * pstar
        p[int(np.argmax(pstar))] += 0.75      # beta = 0.25, all slack on the likeliest index
        cases.append((A, B, list(p), c))
    return cases


def _exact_quantile(outcomes, level: float) -> float:
    """Smallest F with P(||AB - CR||_F <= F) >= level, from the exact outcome distribution."""
    mass = Fraction(0)
    for prob, err in sorted(outcomes, key=lambda o: o[1]):
        mass += prob
        if mass >= Fraction(level):
            return float(err) ** 0.5
    return float(sorted(outcomes, key=lambda o: o[1])[-1][1]) ** 0.5


@route("amm-high-probability", "exact")
def _hp_exact(claim: Claim, ctx: CheckContext) -> RouteResult:
    ok, rows = [], []
    for A, B, p, c in _hp_cases():
        exact_p = [Fraction(x) for x in p]
        exact_p = [x / sum(exact_p) for x in exact_p]
        _, _, outcomes = enumerate_sketch(A, B, exact_p, c)
        beta = amm.near_optimality(np.array(p), A, B)
        for delta in HP_DELTAS:
            bound = amm.high_probability_bound(A, B, c, beta, delta)
            mass = sum(prob for prob, err in outcomes if float(err) ** 0.5 <= bound)
            quantile = _exact_quantile(outcomes, 1 - delta)
            ok.append(mass >= 1 - Fraction(delta))
            rows.append({"n": A.shape[1], "c": c, "beta": beta, "delta": delta,
                         "P(F <= bound)": float(mass), "exact_quantile": quantile,
                         "bound": bound, "slack": bound / quantile if quantile > 0 else np.inf})
    slack = min(r["slack"] for r in rows)
    return RouteResult("exact", _status_all(ok),
                       f"exact P(F <= bound) >= 1 - delta on {sum(ok)}/{len(ok)} enumerated cases; "
                       f"the bound exceeds the exact (1 - delta)-quantile by >= {slack:.3g}x (a "
                       f"bound smaller by more than that factor would be refuted)",
                       {"cases": rows, "min_slack": slack})


@route("amm-high-probability", "monte-carlo")
def _hp_mc(claim: Claim, ctx: CheckContext) -> RouteResult:
    records = _mc_records(ctx, schemes=("optimal", "beta", "uniform"), deltas=HP_DELTAS)
    k = len(records) * len(HP_DELTAS)
    rows, verdicts = [], []
    for cfg, r in records:
        for tail in r["tail"]:
            ci = stats.proportion_ci(tail["exceed"], r["n"], level=1 - 2 * ALPHA / k)
            verdict = (REFUTED if ci.low > tail["delta"] else
                       VERIFIED if ci.high <= tail["delta"] else INCONCLUSIVE)
            verdicts.append(verdict)
            rows.append({"case": _label(cfg), "delta": tail["delta"], "exceed": tail["exceed"],
                         "rate_ci": [ci.low, ci.high], "quantile": tail["quantile"],
                         "bound": tail["bound"], "slack": tail["bound"] / tail["quantile"]})
    status = theorem_verdict(verdicts)
    return RouteResult("monte-carlo", status,
                       f"{verdicts.count(VERIFIED)}/{len(verdicts)} exceedance-rate CIs below delta; "
                       f"bound / empirical quantile >= {min(r['slack'] for r in rows):.3g}",
                       {"checks": rows, "alpha": ALPHA})
