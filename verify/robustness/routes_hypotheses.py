"""Routes of the robustness hypotheses (E1 slope, E2a bits, E3 mask ordering and envelope, E4
shuffling); each applies the rule declared with the claim (``Claim.decision_rule``; thresholds,
tolerances and the level ``alpha`` read from the claim's ``definition`` expressions) and its
quantifier through :func:`core.verdicts.hypothesis_verdict`; false-failure probability alpha
(Bonferroni over regimes / cases)."""
from __future__ import annotations

import numpy as np
from pruneproof.theory.claims import Claim

from ..core import stats
from ..core.verdicts import (
    NOT_SUPPORTED,
    SUPPORTED,
    UNDERPOWERED,
    CheckContext,
    RouteResult,
    hypothesis_verdict,
    route,
)
from .bounds import kspar_information_bound
from .certify import expected_max_normal
from .experiments import (
    SANITY_DEPENDENT,
    SANITY_FREE,
    bits_configs,
    bits_trial,
    law_configs,
    law_trial,
    mask_configs,
    mask_trial,
    sanity_configs,
    sanity_trial,
)


def _alpha(claim: Claim) -> float:
    return float(claim.numeric("alpha")())


def law_regime_verdict(fit, slope: float, max_width: float) -> str:
    """E1's declared rule for one regime: not supported if the CI excludes the slope; supported if
    it contains it and is at most ``max_width`` wide; otherwise underpowered."""
    if not fit.contains(slope):
        return NOT_SUPPORTED
    return SUPPORTED if fit.ci_high - fit.ci_low <= max_width else UNDERPOWERED


@route("law-of-robustness-slope", "monte-carlo")
def _law(claim: Claim, ctx: CheckContext) -> RouteResult:
    slope = float(claim.numeric("slope")())
    max_width, alpha = float(claim.numeric("max_ci_width")()), _alpha(claim)
    recs = ctx.runner.run(law_trial, law_configs(ctx.budget), "law of robustness")
    regimes = sorted({(r["n"], r["d"]) for r in recs})
    level = 1 - alpha / len(regimes)
    verdicts, out = [], {}
    for n, d in regimes:
        sel = [r for r in recs if (r["n"], r["d"]) == (n, d) and r["p"] <= n * d]
        ps = sorted({r["p"] for r in sel})
        groups = [[r["lip"] for r in sel if r["p"] == p] for p in ps]
        fit = stats.fit_slope(ps, groups, level=level, rng=17, log_x=True)
        certified = sum(r["optimal"] for r in sel)
        v = law_regime_verdict(fit, slope, max_width)
        verdicts.append(v)
        out[f"n={n},d={d}"] = {"ps": ps, "fit": fit.as_dict(), "certified": certified,
                               "instances": len(sel), "verdict": v}
    status = hypothesis_verdict(verdicts, claim.quantifier)
    text = "; ".join(f"{k}: slope {v['fit']['slope']:.3f} [{v['fit']['ci_low']:.3f}, "
                     f"{v['fit']['ci_high']:.3f}] width "
                     f"{v['fit']['ci_high'] - v['fit']['ci_low']:.3f} ({v['verdict']})"
                     for k, v in out.items())
    return RouteResult("monte-carlo", status,
                       f"quantifier {claim.quantifier!r}: {status}; log-log slope of the median "
                       f"certified min Lip vs p on 2n <= p <= nd against {slope:g}, CI width at "
                       f"most {max_width:g} (declared in wave 3 after the smoke widths had been "
                       f"seen) -- {text} (false-failure probability {alpha:g})",
                       {"regimes": out, "max_ci_width": max_width})


@route("bits-buy-noise-fitting", "monte-carlo")
def _bits(claim: Claim, ctx: CheckContext) -> RouteResult:
    target = float(claim.numeric("ratio")())
    tol, frac = float(claim.numeric("tolerance")()), float(claim.numeric("logM_fraction")())
    alpha = _alpha(claim)
    recs = ctx.runner.run(bits_trial, bits_configs(ctx.budget), "best of M")
    ds = sorted({r["d"] for r in recs})
    cases = [(d, b) for d in ds for b in range(1, len(recs[0]["T"])) if b * np.log(2) <= d * frac]
    level = 1 - alpha / max(len(cases), 1)
    verdicts, rows = [], []
    for d, b in cases:
        E = expected_max_normal(2 ** b)
        x = np.array([r["T"][b] for r in recs if r["d"] == d]) / E
        ci = stats.mean_ci(x, level)
        lo, hi = target * (1 - tol), target * (1 + tol)
        v = SUPPORTED if lo <= ci.low and ci.high <= hi else (
            NOT_SUPPORTED if ci.high < lo or ci.low > hi else UNDERPOWERED)
        verdicts.append(v)
        rows.append({"d": d, "M": 2 ** b, "E_max": E, "mean_ratio": ci.estimate,
                     "ci": [ci.low, ci.high], "verdict": v})
    status = hypothesis_verdict(verdicts, claim.quantifier)
    return RouteResult("monte-carlo", status,
                       f"quantifier {claim.quantifier!r}: {status}; {verdicts.count(SUPPORTED)}/"
                       f"{len(rows)} (d, M) cases with mean T_M/E[max of M normals] CI inside "
                       f"[{1 - tol:g}, {1 + tol:g}] x {target:g} (log M <= {frac:g} d); ratios "
                       f"{min(r['mean_ratio'] for r in rows):.3f}..{max(r['mean_ratio'] for r in rows):.3f}"
                       f" (false-failure probability {alpha:g})", {"cases": rows})


def _ci_verdict(ci, supported: bool, refuted: bool) -> str:
    return SUPPORTED if supported else (NOT_SUPPORTED if refuted else UNDERPOWERED)


@route("data-dependent-masks-fit-noise", "monte-carlo")
def _masks(claim: Claim, ctx: CheckContext) -> RouteResult:
    """(a) paired ordering magnitude/SNIP vs random at k <= P/2 (t-CI of the mean log ratio,
    Bonferroni over the ordering cases); (b) every instance above the claim's envelope evaluated
    at p_eff = k + (information upper bound of the method)."""
    envelope = claim.numeric("envelope")
    C, k_frac, alpha = float(claim.numeric("C")()), float(claim.numeric("k_fraction")()), \
        _alpha(claim)
    recs = ctx.runner.run(mask_trial, mask_configs(ctx.budget, test=True), "mask ordering")
    ks = sorted({r["k"] for r in recs})
    P = recs[0]["P"]
    order_cases = [(m, k) for m in ("magnitude", "snip") for k in ks if k <= k_frac * P]
    level = 1 - alpha / max(len(order_cases), 1)
    verdicts, order, env = [], [], []
    for m, k in order_cases:
        x = np.log([r[m] / r["random"] for r in recs if r["k"] == k])
        ci = stats.mean_ci(x, level)
        v = _ci_verdict(ci, ci.high < 0, ci.low > 0)
        verdicts.append(v)
        order.append({"method": m, "k": k, "mean_log_ratio": ci.estimate,
                      "ci": [ci.low, ci.high], "seeds": len(x), "verdict": v})
    Ms = [int(key[len("best_of_"):]) for key in recs[0] if key.startswith("best_of_")]
    methods = [("random", lambda k: 0.0)] + \
        [(f"best_of_{M}", lambda k, M=M: float(np.log(M))) for M in Ms] + \
        [(m, lambda k: float(kspar_information_bound(P, k))) for m in ("magnitude", "snip")]
    for m, info in methods:
        for k in ks:
            sel = [r for r in recs if r["k"] == k]
            bound = float(envelope(n=sel[0]["n"], d=sel[0]["d"], k=k, I=info(k), C=C))
            ratios = [r[m] / bound for r in sel]
            v = SUPPORTED if min(ratios) >= 1 else NOT_SUPPORTED
            verdicts.append(v)
            env.append({"method": m, "k": k, "I_bound": info(k), "envelope": bound,
                        "min_ratio": min(ratios), "median_lip": float(np.median(
                            [r[m] for r in sel])), "verdict": v})
    status = hypothesis_verdict(verdicts, claim.quantifier)
    osum = ", ".join(f"{c['method']}@k={c['k']}: {np.exp(c['mean_log_ratio']):.2f}x "
                     f"({c['verdict']})" for c in order)
    return RouteResult("monte-carlo", status,
                       f"quantifier {claim.quantifier!r}: {status}; ordering (geometric-mean "
                       f"Lip ratio method/random, {len(recs) // len(ks)} data sets): {osum}; "
                       f"envelope: {sum(c['verdict'] == SUPPORTED for c in env)}/{len(env)} "
                       f"(method, k) cases with every instance above it (smallest Lip/envelope "
                       f"{min(c['min_ratio'] for c in env):.2f}; C = {C:g}; ordering at k <= "
                       f"{k_frac:g} P) (false-failure probability {alpha:g} for the ordering)",
                       {"ordering": order, "envelope": env})


def shuffle_case_verdict(ci, dependent: bool, delta: float) -> str:
    """The declared rule of shuffle-erases-mask-information for one case, on the t-CI of the
    mean log ratio: one-sided (at least the random level, within delta) for data-dependent
    masks; two-sided equivalence within delta for data-free masks."""
    if dependent:
        return _ci_verdict(ci, ci.low >= -delta, ci.high < -delta)
    return _ci_verdict(ci, -delta <= ci.low and ci.high <= delta,
                       ci.high < -delta or ci.low > delta)


@route("shuffle-erases-mask-information", "monte-carlo")
def _shuffle(claim: Claim, ctx: CheckContext) -> RouteResult:
    delta, alpha = float(claim.numeric("tolerance")()), _alpha(claim)
    recs = ctx.runner.run(sanity_trial, sanity_configs(ctx.budget), "sanity checks")
    ks = sorted({r["k"] for r in recs})
    cases = [(m, k) for k in ks for m in SANITY_DEPENDENT + SANITY_FREE]
    level = 1 - alpha / len(cases)
    verdicts, rows = [], []
    for m, k in cases:
        sel = [r for r in recs if r["k"] == k]
        ref = "random_level" if m in SANITY_DEPENDENT else f"{m}:original"
        ci = stats.mean_ci([r[f"{m}:shuffled"] - r[ref] for r in sel], level)
        v = shuffle_case_verdict(ci, m in SANITY_DEPENDENT, delta)
        verdicts.append(v)
        rows.append({"method": m, "k": k, "against": ref, "mean_log_ratio": ci.estimate,
                     "ci": [ci.low, ci.high], "original_vs_random": float(np.mean(
                         [r[f"{m}:original"] - r["random_level"] for r in sel])),
                     "seeds": len(sel), "verdict": v})
    status = hypothesis_verdict(verdicts, claim.quantifier)
    text = ", ".join(f"{c['method']}@k={c['k']}: {np.exp(c['mean_log_ratio']):.2f}x vs "
                     f"{'random' if c['against'] == 'random_level' else 'original'} "
                     f"({c['verdict']})" for c in rows)
    return RouteResult("monte-carlo", status,
                       f"quantifier {claim.quantifier!r}: {status}; shuffled / reference "
                       f"(geometric mean, delta = {delta:.3f}): {text} (false-failure "
                       f"probability {alpha:g})", {"cases": rows})
