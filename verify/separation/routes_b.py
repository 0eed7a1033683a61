"""Exact route of ``neuron-pruning-lower-bound-b`` (architecture B kink exclusion, d = 2).

Independent checks, all reading the kink cost and the arc R_t from the claim object given:

0. **arc** -- the claim's arc half-width against the target itself: ||w|| cos(alpha_t) = t
   (a definition, so the power harness does not perturb it; this check and the fixed
   adversarial nets below catch a wrong arc);

1. **windows** -- the kink cost against the exact distance of one kink c sigma(-sin s) from
   span{cos s, sin s} on [-d1, d2], sandwiched rigorously: a grid LP (lower) and the exact sup of
   the LP's residual (upper, piecewise sinusoid).  A cost above the upper end is a false
   statement.  Includes symmetric, lopsided and near-pi windows (tight instances).
2. **enumeration** -- on every subset S of small nets (redrawn until a nonempty subset beats the
   empty one) and of fixed adversarial nets (a unit cut off by the output ReLU just inside the
   target's kink): the exclusion lemma err(S) >= the cost of each unit of S with a kink in
   R_err(S), and the bound <= the enumerated optimum;
3. **certified** -- the bound <= the certified optimum (upper end) of larger nets; and a seeded
   adversarial search (Nelder-Mead over the units' angles and output weights) maximising
   cost / error over all subsets.
Refuted iff any check finds a violation (relative tolerance ``EXACT_TOL``)."""
from __future__ import annotations

import math

import numpy as np
from pruneproof.theory.claims import Claim
from scipy.optimize import linprog, minimize

from ..core.budgets import pick
from ..core.verdicts import REFUTED, VERIFIED, CheckContext, RouteResult, route
from .bounds_b import b_lower_bound, kink_costs
from .circle import SOLVER_TOLERANCE, _arc_abs_max
from .experiments_b import (
    KINK_B,
    _subset_errors,
    cut_off_unit_nets,
    kink_exclusion_instances,
)

#: relative tolerance of "error >= bound"
EXACT_TOL = 1e-9
#: seed of the random windows and of the adversarial starts
WINDOW_SEED, SEARCH_SEED = 29, 31


def window_distance(c: float, d1: float, d2: float, points: int = 400) -> tuple[float, float]:
    """(lower, upper) on dist_inf(c sigma(-sin s), span{cos s, sin s}) over [-d1, d2]: the LP on
    ``points`` grid angles (plus 0) minus the solver tolerance, and the exact sup of that LP's
    residual (-a cos s - (b + c) sin s on [-d1, 0], -a cos s - b sin s on [0, d2])."""
    s = np.union1d(np.linspace(-d1, d2, points), [0.0])
    g = c * np.maximum(-np.sin(s), 0.0)
    A = np.column_stack([np.cos(s), np.sin(s), -np.ones_like(s)])
    res = linprog([0, 0, 1], A_ub=np.vstack([A, -A * [1, 1, -1]]), b_ub=np.concatenate([g, -g]),
                  bounds=[(None, None), (None, None), (0, None)], method="highs")
    a, b = res.x[0], res.x[1]
    upper = float(np.max(_arc_abs_max(np.array([-a, -a]), np.array([-(b + c), -b]),
                                      np.array([-d1, 0.0]), np.array([0.0, d2]))))
    return max(float(res.fun) - SOLVER_TOLERANCE, 0.0), upper


def _windows(budget: str) -> list[tuple[float, float, float]]:
    b = pick(KINK_B, budget)
    rng = np.random.default_rng(WINDOW_SEED)
    rows = [(1.0, 0.3, 0.3), (0.7, 0.05, 1.2), (2.0, 1.5, 1.5), (0.2, 0.01, 0.01), (1.0, 3.0, 0.1)]
    for _ in range(b.windows):
        total = rng.uniform(1e-3, math.pi)
        u = rng.uniform(0.02, 0.98)
        rows.append((math.exp(rng.uniform(math.log(0.05), math.log(3.0))), total * u,
                     total * (1 - u)))
    return rows


def _window_check(cost_fn, budget: str) -> dict:
    worst, bad, rows = 0.0, 0, _windows(budget)
    for c, d1, d2 in rows:
        _, upper = window_distance(c, d1, d2)
        r = float(cost_fn(c=c, delta_1=d1, delta_2=d2)) / upper
        bad += r > 1 + EXACT_TOL
        worst = max(worst, r)
    return {"windows": len(rows), "violations": int(bad), "max_cost_over_distance": worst}


def _lemma_ratio(U, v, w, errors, claim) -> float:
    """max over subsets S (0 < err < ||w||) and units i of S of cost_i(err) / err."""
    n, w_norm, worst = U.shape[0], float(np.linalg.norm(w)), 0.0
    for mask, e in enumerate(errors):
        if mask == 0 or not 0.0 < e < w_norm:
            continue
        cost = kink_costs(U, v, w, e, claim)
        members = [i for i in range(n) if mask >> i & 1]
        worst = max(worst, float(np.max(cost[members])) / e)
    return worst


def _adversarial(claim: Claim, budget: str) -> dict:
    b = pick(KINK_B, budget)
    n, rng = b.search_n, np.random.default_rng(SEARCH_SEED)
    best = {"ratio": 0.0, "evaluations": 0}

    def ratio(p):
        U = np.column_stack([np.cos(p[:n]), np.sin(p[:n])])
        v, w = p[n:], np.array([1.0, 0.0])
        errors = _subset_errors(U, v, w)
        best["evaluations"] += 1
        r = _lemma_ratio(U, v, w, errors, claim)
        best["ratio"] = max(best["ratio"], r)
        return r

    for _ in range(b.restarts):
        # start: unit 0 near the target (so that subsets beat the empty one), the rest anywhere
        ang = np.r_[rng.normal(0.0, 0.2), rng.uniform(-math.pi, math.pi, n - 1)]
        p0 = np.r_[ang, rng.uniform(0.7, 1.3), rng.uniform(-1.0, 1.0, n - 1)]
        minimize(lambda p: -ratio(p), p0, method="Nelder-Mead", options={"maxfev": b.maxfev})
    return best


def _arc_check(claim: Claim) -> dict:
    """The claim's arc R_t against the target: at alpha = arc_half_width(t, ||w||) the target
    ||w|| cos(alpha) equals t, and alpha lies in (0, pi/2) (exact to 1e-12 relative)."""
    fn = claim.numeric("arc_half_width")
    bad, cases = 0, 0
    for w_norm in (0.3, 1.0, 2.5):
        for frac in (1e-4, 0.01, 0.2, 0.5, 0.9, 0.999):
            t = frac * w_norm
            with np.errstate(invalid="ignore"):
                alpha = float(fn(t=t, w_norm=w_norm))
            cases += 1
            ok = 0.0 < alpha < math.pi / 2 and abs(w_norm * math.cos(alpha) - t) <= 1e-12 * w_norm
            bad += not ok
    return {"violations": bad, "cases": cases}


@route("neuron-pruning-lower-bound-b", "exact")
def _kink_exclusion_exact(claim: Claim, ctx: CheckContext) -> RouteResult:
    cost_fn = claim.numeric("kink_cost")
    windows = _window_check(cost_fn, ctx.budget)
    arc = _arc_check(claim)
    if arc["violations"]:
        return RouteResult("exact", REFUTED,
                           f"the claim's arc R_t does not end where the target equals t "
                           f"({arc['violations']} of {arc['cases']} levels)",
                           {"violations": arc["violations"], "arc": arc})
    lemma, bound_ratio, viol, rows = 0.0, 0.0, 0, []
    fixed = [{"n": 2, "U": U, "v": v, "w": w, "errors": _subset_errors(U, v, w)}
             for U, v, w in cut_off_unit_nets()]
    for rec in kink_exclusion_instances(ctx) + [
            {**r, "optimum": min(r["errors"]), "fixed": True} for r in fixed]:
        U, v, w = (np.asarray(rec[k], dtype=float) for k in ("U", "v", "w"))
        lb = b_lower_bound(U, v, w, claim).bound
        ratio = lb / rec["optimum"] if rec["optimum"] > 0 else (math.inf if lb > 0 else 0.0)
        viol += ratio > 1 + EXACT_TOL
        bound_ratio = max(bound_ratio, ratio)
        row = {"n": rec["n"], "bound": lb, "optimum": rec["optimum"], "ratio": ratio}
        if "errors" in rec:
            row["lemma_ratio"] = _lemma_ratio(U, v, w, rec["errors"], claim)
            viol += row["lemma_ratio"] > 1 + EXACT_TOL
            lemma = max(lemma, row["lemma_ratio"])
        rows.append(row)
    search = _adversarial(claim, ctx.budget)
    viol += search["ratio"] > 1 + EXACT_TOL
    viol += windows["violations"]
    trivial = sum(r.get("lemma_ratio") == 0.0 for r in rows)
    text = (f"{viol} violation(s): arc R_t ends where the target equals t "
            f"({arc['violations']} violation(s) on {arc['cases']} levels); "
            f"kink cost / exact window distance <= "
            f"{windows['max_cost_over_distance']:.4f} on {windows['windows']} windows; exclusion "
            f"lemma cost/error <= {lemma:.3f} over every subset of {sum('lemma_ratio' in r for r in rows)} "
            f"enumerated nets, {search['ratio']:.3f} by adversarial search "
            f"({search['evaluations']} nets); bound / optimum <= {bound_ratio:.3f} on "
            f"{len(rows)} nets (enumerated, fixed adversarial and certified; on {trivial} "
            f"enumerated net(s) no subset uses a unit with a kink inside its R_t)")
    return RouteResult("exact", REFUTED if viol else VERIFIED, text,
                       {"violations": int(viol), "arc": arc, "windows": windows,
                        "instances": rows, "trivial_nets": trivial,
                        "max_lemma_ratio": lemma, "max_bound_ratio": bound_ratio,
                        "adversarial": search})
