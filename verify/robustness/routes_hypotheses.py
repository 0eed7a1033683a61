"""Routes of the robustness hypotheses (E1 slope, E2a bits); each decided by the claim's declared
quantifier through :func:`core.verdicts.hypothesis_verdict`; false-failure probability ALPHA
(Bonferroni over regimes / cases)."""
from __future__ import annotations

import numpy as np
from pruneproof.theory.claims import Claim

from ..core import stats
from ..core.verdicts import (INCONCLUSIVE, NOT_SUPPORTED, SUPPORTED, CheckContext, RouteResult,
                             hypothesis_verdict, route)
from .certify import expected_max_normal
from .experiments import ALPHA, bits_configs, bits_trial, law_configs, law_trial

BITS_TOL = 0.15   # declared with the claim: mean T_M / E_M within [0.85, 1.15]


@route("law-of-robustness-slope", "monte-carlo")
def _law(claim: Claim, ctx: CheckContext) -> RouteResult:
    slope = float(claim.numeric("slope")())
    recs = ctx.runner.run(law_trial, law_configs(ctx.budget), "law of robustness")
    regimes = sorted({(r["n"], r["d"]) for r in recs})
    level = 1 - ALPHA / len(regimes)
    verdicts, out = [], {}
    for n, d in regimes:
        sel = [r for r in recs if (r["n"], r["d"]) == (n, d) and r["p"] <= n * d]
        ps = sorted({r["p"] for r in sel})
        groups = [[r["lip"] for r in sel if r["p"] == p] for p in ps]
        fit = stats.fit_slope(ps, groups, level=level, rng=17, log_x=True)
        certified = sum(r["optimal"] for r in sel)
        v = SUPPORTED if fit.contains(slope) else NOT_SUPPORTED
        verdicts.append(v)
        out[f"n={n},d={d}"] = {"ps": ps, "fit": fit.as_dict(), "certified": certified,
                               "instances": len(sel), "verdict": v}
    status = hypothesis_verdict(verdicts, claim.quantifier)
    text = "; ".join(f"{k}: slope {v['fit']['slope']:.3f} [{v['fit']['ci_low']:.3f}, "
                     f"{v['fit']['ci_high']:.3f}]" for k, v in out.items())
    return RouteResult("monte-carlo", status,
                       f"quantifier {claim.quantifier!r}: {status}; log-log slope of the median "
                       f"certified min Lip vs p on 2n <= p <= nd against {slope:g} -- {text} "
                       f"(false-failure probability {ALPHA:g})", {"regimes": out})


@route("bits-buy-noise-fitting", "monte-carlo")
def _bits(claim: Claim, ctx: CheckContext) -> RouteResult:
    target = float(claim.numeric("ratio")())
    recs = ctx.runner.run(bits_trial, bits_configs(ctx.budget), "best of M")
    ds = sorted({r["d"] for r in recs})
    cases = [(d, b) for d in ds for b in range(1, len(recs[0]["T"])) if b * np.log(2) <= d / 4]
    level = 1 - ALPHA / max(len(cases), 1)
    verdicts, rows = [], []
    for d, b in cases:
        E = expected_max_normal(2 ** b)
        x = np.array([r["T"][b] for r in recs if r["d"] == d]) / E
        ci = stats.mean_ci(x, level)
        lo, hi = target * (1 - BITS_TOL), target * (1 + BITS_TOL)
        v = SUPPORTED if lo <= ci.low and ci.high <= hi else (
            NOT_SUPPORTED if ci.high < lo or ci.low > hi else INCONCLUSIVE)
        verdicts.append(v)
        rows.append({"d": d, "M": 2 ** b, "E_max": E, "mean_ratio": ci.estimate,
                     "ci": [ci.low, ci.high], "verdict": v})
    status = hypothesis_verdict(verdicts, claim.quantifier)
    return RouteResult("monte-carlo", status,
                       f"quantifier {claim.quantifier!r}: {status}; {verdicts.count(SUPPORTED)}/"
                       f"{len(rows)} (d, M) cases with mean T_M/E[max of M normals] CI inside "
                       f"[{1 - BITS_TOL:g}, {1 + BITS_TOL:g}] x {target:g}; ratios "
                       f"{min(r['mean_ratio'] for r in rows):.3f}..{max(r['mean_ratio'] for r in rows):.3f}"
                       f" (false-failure probability {ALPHA:g})", {"cases": rows})
