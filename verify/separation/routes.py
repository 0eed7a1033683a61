"""Routes of the separation claims (``spec/separation.md``): exact solvers against brute force
and the claims' bounds, and rate fits with bootstrap slope CIs.

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
from .bounds import best_neuron_subset_d1, d1_error, kink_arc_lp_bound
from .circle import random_network, random_target
from .experiments import (
    CLAIMS,
    D1,
    D1_TARGET,
    FIT_RULE,
    HEADLINE_LAW,
    KINK_MC,
    MAX_CI_WIDTH,
    NEURON,
    PENSIA_LAW,
    SUBSET_TARGET_RANGE,
    _median_groups,
    _neuron_records,
    _run_chunked,
    _subset_records,
    _weight_records,
    certification_stats,
    certified_crossover,
    d1_trial,
    items_d1,
    items_subset_sum,
    items_weight,
    poisson_fit_ns,
    safety_net_hits,
    sample_kink_gaps,
    target_coordinates,
    weight_beats_neuron_fractions,
)
from .rates import ALPHA, predicted_slope, slope_fit
from .subsetsum import best_subset_sum, brute_force_subset_sum
from .weight_pruning import weight_pruning_error

#: relative float tolerance of "optimum >= bound" (exact circle evaluator; brute force)
EXACT_TOL = 1e-9


def _d1_records(ctx):
    budget = pick(D1, ctx.budget)
    return _run_chunked(ctx, d1_trial, [{"n": n, "instances": budget.instances}
                                        for n in budget.ns], ("errors",),
                        "d = 1 control")


def _rate_evidence(fit, predicted, items_per_unit, ns, skipped, asymptote) -> dict:
    return {"fit": fit.as_dict(), "predicted": predicted, "ns": ns, "not_fitted": skipped,
            "claim_slope": asymptote, "claim_items_per_unit": items_per_unit,
            "contains_prediction": bool(np.isfinite(predicted) and fit.contains(predicted))}


def _alpha_text(k: int) -> str:
    return (f"false-failure probability <= {ALPHA:g} (Bonferroni: {k} CI(s) at level "
            f"{1 - ALPHA / k:.5g})")


for _claim in CLAIMS:
    if _claim == "neuron-pruning-inverse-n":
        continue  # its derivation (slope of the *lower bound*) cannot settle the hypothesis
    route(_claim, "symbolic")(symbolic_route)


@route("subset-sum-exponential", "exact")
def _subset_exact(claim: Claim, ctx: CheckContext) -> RouteResult:
    rng = np.random.default_rng(11)
    count, worst = 0, 0.0
    for n in (1, 2, 3, 5, 8, 11, 14, 17, 20)[: (6 if ctx.budget == "smoke" else 9)]:
        for _ in range(8):
            x = rng.uniform(-1, 1, n)
            if n > 3 and rng.random() < 0.3:
                x[: n // 2] = np.round(x[: n // 2], 1)  # ties / duplicates
            z = float(rng.uniform(-3, 3))
            worst = max(worst, abs(best_subset_sum(x, z)[0] - brute_force_subset_sum(x, z)[0]))
            count += 1
    status = VERIFIED if worst <= 1e-12 else REFUTED
    return RouteResult("exact", status, f"meet-in-the-middle = brute force on {count} instances "
                       f"(max |difference| {worst:.2g}); the solver behind the rate route, it does "
                       "not test the rate", {"instances": count, "max_diff": worst})


@route("subset-sum-exponential", "monte-carlo")
def _subset_rate(claim: Claim, ctx: CheckContext) -> RouteResult:
    all_recs = [r for r in _subset_records(ctx) if r["best"]]
    fit_ns = poisson_fit_ns([r["n"] for r in all_recs], items_subset_sum)
    recs = [r for r in all_recs if r["n"] in fit_ns]
    ns = [r["n"] for r in recs]
    fit = slope_fit(ns, [r["best"] for r in recs], level=1 - ALPHA, seed=1)
    slope = float(claim.numeric("slope")())
    predicted, per_unit = predicted_slope(claim, ns, SUBSET_TARGET_RANGE)
    ev = _rate_evidence(fit, predicted, per_unit, ns,
                        [r["n"] for r in all_recs if r["n"] not in fit_ns], slope)
    status = VERIFIED if ev["contains_prediction"] else REFUTED
    return RouteResult("monte-carlo", status,
                       f"semi-log slope of median best error (n >= {min(ns)}) {fit.slope:.4f} "
                       f"[{fit.ci_low:.4f}, {fit.ci_high:.4f}] vs predicted {predicted:.4f} "
                       f"(finite-n Poisson median at the claim's {per_unit:.3g} items per unit; "
                       f"claim's slope {slope:.4f}); {_alpha_text(1)}",
                       {**ev, "fit_rule": FIT_RULE, "alpha": ALPHA,
                        "instances": len(recs[0]["best"])})


@route("weight-pruning-logarithmic", "exact")
def _weight_exact(claim: Claim, ctx: CheckContext) -> RouteResult:
    rng = np.random.default_rng(12)
    viol, count = 0, 0
    for n in (4, 8, 16, 32, 64):
        for _ in range(6):
            U, v = random_network(n, 2, "uniform", rng)
            w = random_target(2, rng, "ball")
            r = weight_pruning_error(U, v, w)
            viol += r["sup_error"] > r["l2_bound"] * (1 + 1e-9) + 1e-15
            count += 1
    status = VERIFIED if viol == 0 else REFUTED
    return RouteResult("exact", status, f"exact circle sup error <= ||e||_2 bound on {count - viol}"
                       f"/{count} instances (the construction behind the rate; it does not test "
                       "the rate)", {"instances": count, "violations": int(viol)})


#: the fits of the weight-pruning rate route: (name, law, d, bootstrap seed)
WEIGHT_FITS = (("pensia", PENSIA_LAW, 2, 2), ("headline", HEADLINE_LAW, 2, 6),
               ("pensia-d3", PENSIA_LAW, 3, 8))


@route("weight-pruning-logarithmic", "monte-carlo")
def _weight_rate(claim: Claim, ctx: CheckContext) -> RouteResult:
    """Three fits, each must contain its prediction: Pensia's law (U[-1,1] units, w in the ball;
    the claim's setting) at d = 2 and d = 3, and the headline law shared with neuron pruning
    (Gaussian units, ||w|| = 1) at d = 2."""
    k = len(WEIGHT_FITS)
    evidence, parts, ok = {"fit_rule": FIT_RULE, "alpha": ALPHA}, [], True
    for name, law, d, seed in WEIGHT_FITS:
        all_recs = _weight_records(ctx, law, d)
        fit_ns = poisson_fit_ns([r["n"] for r in all_recs], lambda n, d=d: items_weight(n, d))
        recs = [r for r in all_recs if r["n"] in fit_ns]
        ns = [r["n"] for r in recs]
        fit = slope_fit(ns, [r["sup"] for r in recs], level=1 - ALPHA / k, seed=seed)
        slope = float(claim.numeric("slope")(d=d))
        predicted, per_unit = predicted_slope(claim, ns, target_coordinates(law, d), d=d)
        ev = _rate_evidence(fit, predicted, per_unit, ns,
                            [r["n"] for r in all_recs if r["n"] not in fit_ns], slope)
        ok &= ev["contains_prediction"]
        evidence[name] = {"law": law, "d": d, **ev}
        parts.append(f"d = {d}, {law['inner']} units, w in {law['target']} (n {min(ns)}-"
                     f"{max(ns)}): {fit.slope:.4f} [{fit.ci_low:.4f}, {fit.ci_high:.4f}] vs "
                     f"{predicted:.4f} (claim's slope {slope:.4f})")
    status = VERIFIED if ok else REFUTED
    return RouteResult("monte-carlo", status,
                       "semi-log slope of median error (exact sup for d = 2, l2 bound for d = 3) "
                       "vs the finite-n prediction of the claim's rate -- " + "; ".join(parts)
                       + f"; {_alpha_text(k)}", evidence)


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


#: The exponent rule of ``neuron-pruning-inverse-n``, declared before any certified run (issue
#: 10): per architecture, the least-squares slope of log10(median certified value) against
#: log10(n) over exactly the budget's ``fit_ns`` (default: n in [16, 64]), with a percentile
#: bootstrap CI over nets at level 1 - ALPHA/4 (two architectures x the two ends of the
#: sandwich: the upper end = exact error of the best subset, the lower end = certified lower
#: bound).  Per architecture: SUPPORTED iff both CIs contain the claim's slope; INCONCLUSIVE if
#: the upper CI is wider than MAX_CI_WIDTH; else NOT_SUPPORTED.  The claim's quantifier
#: ("forall": A and B) aggregates them (core.verdicts.hypothesis_verdict).  Evidence, not in the
#: verdict: the log factor k of OPT ~ C n^-1 log^k n, as the slope of log10(median n OPT)
#: against log10(log n) over the same widths (CI at the same level).
EXPONENT_RULE = ("slope of log10(median certified optimum) vs log10 n over the budget's fit_ns "
                 "(declared before running), bootstrap CI over nets at 1 - ALPHA/4 for the "
                 "upper and lower ends; supported iff both CIs contain the claim's slope; "
                 "inconclusive if the CI is wider than 0.8; forall over A and B.  Disclosure: the "
                 "default fit range was reduced from [16, 64] to [16, 32] after certification "
                 "timings (n = 48: 26 s, n = 64: up to 195 s per instance) and architecture-A "
                 "medians to n = 48 had been seen; n >= 48 is certified at the paper budget")


@route("neuron-pruning-inverse-n", "monte-carlo")
def _inverse_n(claim: Claim, ctx: CheckContext) -> RouteResult:
    """Exponent of the certified neuron-pruning optimum (rule: :data:`EXPONENT_RULE`)."""
    budget = pick(NEURON, ctx.budget)
    all_recs = _neuron_records(ctx)
    fit_ns = set(budget.fit_ns)
    target = float(claim.numeric("slope")())
    level = 1 - ALPHA / 4
    recs = [r for r in all_recs if r["n"] in fit_ns]
    out, verdicts = {"rule": EXPONENT_RULE, "alpha": ALPHA,
                     "certification": certification_stats(all_recs)}, []
    for a in ("A", "B"):
        ns, ub = _median_groups(recs, "error", a)
        _, lb = _median_groups(recs, "lower", a)
        fit_ub = slope_fit(ns, ub, level=level, seed=3, log_x=True)
        positive = all(np.all(g > 0) for g in lb)
        fit_lb = slope_fit(ns, lb, level=level, seed=4, log_x=True) if positive else None
        ok = fit_ub.contains(target) and fit_lb is not None and fit_lb.contains(target)
        informative = fit_ub.ci_high - fit_ub.ci_low <= MAX_CI_WIDTH
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
                       f"{_alpha_text(4)}{warn}", out)


@route("d1-control", "exact")
def _d1_exact(claim: Claim, ctx: CheckContext) -> RouteResult:
    rng = np.random.default_rng(14)
    worst, count = 0.0, 0
    for n in (1, 2, 4, 6, 8, 10):
        for _ in range(4):
            U, v = random_network(n, 1, "gaussian", rng)
            w = np.array([rng.uniform(-2, 2)])
            for arch in ("A", "B"):
                e, _, s = best_neuron_subset_d1(U, v, w, arch)
                brute = min(d1_error(U, v, w, [i for i in range(n) if m >> i & 1], arch)
                            for m in range(1 << n))
                worst = max(worst, abs(e - brute), abs(d1_error(U, v, w, s, arch) - e))
                count += 1
    return RouteResult("exact", VERIFIED if worst <= 1e-12 else REFUTED,
                       f"subset-sum decomposition = enumeration over all subsets on {count} "
                       f"cases (max diff {worst:.2g}); the solver behind the rate route",
                       {"cases": count, "max_diff": worst})


@route("d1-control", "monte-carlo")
def _d1_rate(claim: Claim, ctx: CheckContext) -> RouteResult:
    all_recs = _d1_records(ctx)
    fit_ns = poisson_fit_ns([r["n"] for r in all_recs], items_d1)
    recs = [r for r in all_recs if r["n"] in fit_ns]
    ns = [r["n"] for r in recs]
    fit = slope_fit(ns, [r["errors"] for r in recs], level=1 - ALPHA, seed=5)
    slope = float(claim.numeric("slope")())
    predicted, per_unit = predicted_slope(claim, ns, (D1_TARGET, D1_TARGET))
    ev = _rate_evidence(fit, predicted, per_unit, ns,
                        [r["n"] for r in all_recs if r["n"] not in fit_ns], slope)
    status = VERIFIED if ev["contains_prediction"] else REFUTED
    return RouteResult("monte-carlo", status,
                       f"semi-log slope (n >= {min(ns)}) {fit.slope:.4f} [{fit.ci_low:.4f}, "
                       f"{fit.ci_high:.4f}] vs predicted {predicted:.4f} (finite-n Poisson median "
                       f"at the claim's {per_unit:.3g} items per unit; claim's slope "
                       f"{slope:.4f}); {_alpha_text(1)}",
                       {**ev, "fit_rule": FIT_RULE, "alpha": ALPHA})
