"""Routes of the separation claims (``spec/separation.md``): the symbolic routes, the kink-gap
lower bound (exact and Monte Carlo) and the neuron-pruning exponent hypothesis; the three
exponential-rate theorems are in :mod:`.routes_rates`.

Every bound, exact value, rate and predicted slope a route compares against is evaluated from the
claim object it receives (``claim.numeric``); records hold only claim-independent ingredients.
Every statistical route has family-wise false-failure probability ``ALPHA`` (:mod:`.rates`),
split by Bonferroni over the fits / widths it tests; critical values come from scipy.stats."""
from __future__ import annotations

import math

import numpy as np
from pruneproof.theory.claims import Claim
from scipy import stats as sps

from ..core.budgets import pick
from ..core.verdicts import (
    INCONCLUSIVE,
    NOT_SUPPORTED,
    REFUTED,
    SUPPORTED,
    VERIFIED,
    CheckContext,
    RouteResult,
    hypothesis_verdict,
    route,
    symbolic_route,
)
from .adversarial import adversarial_search, random_instances
from .bounds import kink_arc_lp_bound
from .circle import random_network, random_target
from .experiments import (
    CLAIMS,
    KINK_MC,
    NEURON,
    _median_groups,
    _neuron_records,
    certification_stats,
    certified_crossover,
    safety_net_hits,
    sample_kink_gaps,
    weight_beats_neuron_fractions,
)
from .rates import ALPHA, alpha_text, slope_fit

#: relative float tolerance of "optimum >= bound" (exact circle evaluator; brute force)
EXACT_TOL = 1e-9


for _claim in CLAIMS:
    if _claim == "neuron-pruning-inverse-n":
        continue  # its derivation (slope of the *lower bound*) cannot settle the hypothesis
    route(_claim, "symbolic")(symbolic_route)


@route("neuron-pruning-lower-bound", "exact")
def _kink_exact(claim: Claim, ctx: CheckContext) -> RouteResult:
    """Both lower bounds of the claim (``bound``, ``exact_three_point``), evaluated on the kink
    gaps and ||w|| of: enumerated small nets (certified optimum, ||w|| varied), the architecture-A
    MILP records (achieved errors: upper bounds on the optimum), and a seeded adversarial search
    maximising bound / optimum.  Refuted iff some optimum (or achieved error) is below a bound."""
    names = [n for n, r in claim.roles.items() if r == "lower-bound"]
    fns = {name: claim.numeric(name) for name in names}
    rows = random_instances(ctx.budget)
    rows += [{"n": r["n"], "w_norm": r["w_norm"], "delta_1": r["delta_1"],
              "delta_2": r["delta_2"], "optimum": r["error"], "milp": True}
             for r in _neuron_records(ctx, ("A",))]
    out, viol = {}, 0
    for name, fn in fns.items():
        ratios = [float(fn(w_norm=r["w_norm"], delta_1=r["delta_1"], delta_2=r["delta_2"]))
                  / r["optimum"] if r["optimum"] > 0 else math.inf for r in rows]
        bad = sum(x > 1 + EXACT_TOL for x in ratios)
        search = adversarial_search(fn, ctx.budget)
        bad += search["ratio"] > 1 + EXACT_TOL
        viol += bad
        out[name] = {"violations": int(bad), "max_ratio_instances": float(max(ratios)),
                     "max_ratio_search": search["ratio"], "search_instance": search["row"],
                     "search_evaluations": search["evaluations"]}
    lp_rows = []  # evidence: the grid LP distance on the kink-free arc vs the three-point value
    rng = np.random.default_rng(13)
    for n in (3, 5):
        U, v = random_network(n, 2, "gaussian", rng)
        w = random_target(2, rng)
        lp_rows.append({"n": n, "arc_lp": kink_arc_lp_bound(U, v, w, points=300)})
    text = "; ".join(f"{k}: max bound/optimum {v['max_ratio_instances']:.3f} on {len(rows)} "
                     f"instances, {v['max_ratio_search']:.3f} by adversarial search "
                     f"({v['search_evaluations']} nets)" for k, v in out.items())
    return RouteResult("exact", REFUTED if viol else VERIFIED,
                       f"optimum >= claim's lower bounds ({viol} violation(s)) -- {text}",
                       {"instances": len(rows), "violations": int(viol), "tightness": out,
                        "enumerated": rows[:8], "arc_lp": lp_rows})


@route("neuron-pruning-lower-bound", "monte-carlo")
def _kink_mc(claim: Claim, ctx: CheckContext) -> RouteResult:
    """E[bound] over Gaussian nets (||w|| = 1) = the claim's mean_exact, at every width n >= 2:
    mean of the claim's bound on sampled kink gaps, z-interval at level 1 - ALPHA/k."""
    kmc = pick(KINK_MC, ctx.budget)
    n_max, m = kmc.n_max, kmc.samples
    ns = [n for n in (2, 4, 8, 16, 32, 64) if n <= n_max]
    bound, exact = claim.numeric("bound"), claim.numeric("mean_exact")
    z = float(sps.norm.ppf(1 - ALPHA / (2 * len(ns))))
    rows, ok = [], True
    for n in ns:
        d1, d2 = sample_kink_gaps(n, m, np.random.default_rng([17, n]))
        lb = np.asarray(bound(w_norm=1.0, delta_1=d1, delta_2=d2), dtype=float)
        mean, se = float(lb.mean()), float(lb.std(ddof=1) / math.sqrt(m))
        target = float(exact(n=n, w_norm=1.0))
        covered = abs(mean - target) <= z * se
        ok &= covered
        rows.append({"n": n, "mean": mean, "se": se, "mean_exact": target,
                     "relative_halfwidth": z * se / target, "covered": bool(covered)})
    return RouteResult("monte-carlo", VERIFIED if ok else REFUTED,
                       f"E[bound] {'=' if ok else '!='} mean_exact at n = {ns} ({m} nets each; "
                       f"z = {z:.3f}, relative half-widths "
                       f"{', '.join(format(r['relative_halfwidth'], '.3f') for r in rows)}); "
                       f"false-failure probability <= {ALPHA:g}",
                       {"rows": rows, "alpha": ALPHA, "z": z})


@route("neuron-pruning-inverse-n", "monte-carlo")
def _inverse_n(claim: Claim, ctx: CheckContext) -> RouteResult:
    """Exponent of the certified neuron-pruning optimum; the rule is the claim's
    ``decision_rule`` (fit widths: the budget's ``fit_ns``; maximum CI width: the claim's
    ``max_ci_width``)."""
    budget = pick(NEURON, ctx.budget)
    all_recs = _neuron_records(ctx)
    fit_ns = set(budget.fit_ns)
    target = float(claim.numeric("slope")())
    level = 1 - ALPHA / 4
    recs = [r for r in all_recs if r["n"] in fit_ns]
    max_width = float(claim.numeric("max_ci_width")())
    out, verdicts = {"rule": claim.decision_rule, "alpha": ALPHA, "max_ci_width": max_width,
                     "certification": certification_stats(all_recs)}, []
    for a in ("A", "B"):
        ns, ub = _median_groups(recs, "error", a)
        _, lb = _median_groups(recs, "lower", a)
        fit_ub = slope_fit(ns, ub, level=level, seed=3, log_x=True)
        positive = all(np.all(g > 0) for g in lb)
        fit_lb = slope_fit(ns, lb, level=level, seed=4, log_x=True) if positive else None
        ok = fit_ub.contains(target) and fit_lb is not None and fit_lb.contains(target)
        informative = fit_ub.ci_high - fit_ub.ci_low <= max_width
        verdicts.append((SUPPORTED if ok else NOT_SUPPORTED) if informative else INCONCLUSIVE)
        nopt = [g * n for g, n in zip(ub, ns)]
        logk = slope_fit([math.log(n) for n in ns], nopt, level=level, seed=5, log_x=True)
        out[a] = {"ns": ns, "upper_fit": fit_ub.as_dict(),
                  "lower_fit": None if fit_lb is None else fit_lb.as_dict(),
                  "log_factor_fit": logk.as_dict(),
                  "certified": sum(r["status"] == "certified" for r in recs
                                   if r["architecture"] == a),
                  "instances": sum(r["architecture"] == a for r in recs),
                  "median_n_times_optimum": [float(np.median(g) * n) for g, n in zip(ub, ns)],
                  "verdict": verdicts[-1]}
    fractions = weight_beats_neuron_fractions(all_recs)
    out["weight_beats_neuron_certified"] = {
        "rows": fractions, "crossover": certified_crossover(fractions),
        "note": "not in the verdict: per net, weight pruning (same net) certified better than "
                "every neuron-pruned subnetwork (certified lower bound above the weight-pruning "
                "error, or an infeasible feasibility MILP at t = that error)"}
    hits = safety_net_hits(all_recs)
    out["safety_net_hits"] = hits
    status = hypothesis_verdict(verdicts, claim.quantifier)
    parts = []
    for a in ("A", "B"):
        o = out[a]
        u, k = o["upper_fit"], o["log_factor_fit"]
        low = f"{o['lower_fit']['slope']:.3f}" if o["lower_fit"] else "n/a"
        parts.append(f"{a}: exponent {u['slope']:.3f} [{u['ci_low']:.3f}, {u['ci_high']:.3f}] "
                     f"(lower end {low}), log factor k {k['slope']:.2f} [{k['ci_low']:.2f}, "
                     f"{k['ci_high']:.2f}], {o['certified']}/{o['instances']} certified -> "
                     f"{o['verdict']}")
    warn = f"; WARNING: {hits} record(s) hit the wall-clock safety net" if hits else ""
    return RouteResult("monte-carlo", status,
                       f"log-log slope of the median certified optimum over n = "
                       f"{sorted(fit_ns)} vs the claim's {target:g}, quantifier "
                       f"{claim.quantifier!r}: {status} -- {'; '.join(parts)}; "
                       f"{alpha_text(4)}{warn}", out)
