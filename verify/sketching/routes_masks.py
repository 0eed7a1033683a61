"""The ``randomized-masks`` hypothesis route (``spec/sketching.md`` §8, §9.5): sampled versus
top-k masks per regime, decided by the pre-declared rule."""
from __future__ import annotations

from pruneproof.theory.claims import Claim

from ..core import stats
from ..core.budgets import pick
from ..core.verdicts import (
    INCONCLUSIVE,
    NOT_SUPPORTED,
    SUPPORTED,
    CheckContext,
    RouteResult,
    hypothesis_verdict,
    route,
)
from .experiments import (
    HYP,
    HYP_FAMILIES,
    HYP_GRID,
    HYP_SIGMAS,
    NAN,
    PROTOCOLS,
    SURROGATE_PREFIX,
    hypothesis_records,
    surrogate_sigma,
)

#: the rule is declared with the claim (``Claim.decision_rule``, theory/sketching_texts.py); the
#: route reads it and its level ``alpha`` from the claim it receives


def regime_verdict(deltas, level: float):
    """The pre-declared rule on paired differences Δ = sampled − top-k: (verdict, interval)."""
    ci = stats.mean_ci(deltas, level=level)
    v = SUPPORTED if ci.high < 0 else NOT_SUPPORTED if ci.low > 0 else INCONCLUSIVE
    return v, ci


def _score_label(score_kind: str) -> str:
    sigma = surrogate_sigma(score_kind)
    return score_kind if sigma is None else f"surrogate σ={sigma:g}"


@route("randomized-masks", "monte-carlo")
def _randomized_mc(claim: Claim, ctx: CheckContext) -> RouteResult:
    """Per regime (block × problem family × anisotropy × score × kept fraction × protocol ×
    sampler, grid ``HYP_GRID``): the paired difference Δ = mean error of sampled masks − error of
    the top-k mask over instances, t-interval at 1 − alpha/#regimes (alpha: the claim's expression).  supported: CI < 0; not
    supported: CI > 0; else inconclusive.  Overall: the claim's quantifier through
    :func:`hypothesis_verdict` (``claim.decision_rule``)."""
    regimes, sampler_gap = {}, {}
    for block, family, cfg, rec in hypothesis_records(ctx):
        by = {}
        for row in rec["rows"]:
            key = (block, family, cfg["ratio"], row["score"], row["keep"], row["protocol"])
            by.setdefault(key, {})[row["mask"]] = row["error"]
        for key, errs in by.items():
            for sampler in (m for m in errs if m != "top-k"):
                regimes.setdefault(key + (sampler,), []).append(errs[sampler] - errs["top-k"])
            if "dkm-binary" in errs:   # diagnostic: the two samplers are equal in distribution
                sampler_gap.setdefault(key, []).append(errs["dkm-binary"] - errs["sampled"])
    alpha = float(claim.numeric("alpha")())
    level = 1.0 - alpha / max(len(regimes), 1)
    order = {b["block"]: j for j, b in enumerate(HYP_GRID)}
    verdicts, rows = [], []
    for key in sorted(regimes, key=lambda k: (order[k[0]],) + k[1:]):
        block, family, ratio, score_kind, keep, protocol, sampler = key
        v, ci = regime_verdict(regimes[key], level)
        verdicts.append(v)
        rows.append({"block": block[0], "family": family, "ratio": ratio,
                     "score": _score_label(score_kind), "keep": keep, "protocol": protocol,
                     "sampler": sampler, "mean_delta_sampled_minus_topk": ci.estimate,
                     "ci": [ci.low, ci.high], "instances": len(regimes[key]), "verdict": v})
    counts = {v: verdicts.count(v) for v in (SUPPORTED, NOT_SUPPORTED, INCONCLUSIVE)}
    overall = hypothesis_verdict(verdicts, claim.quantifier)
    groups = _group_summary(rows)
    gap_rows = []
    for key, gaps in sorted(sampler_gap.items(), key=lambda kv: (order[kv[0][0]],) + kv[0][1:]):
        ci = stats.mean_ci(gaps, level=level)
        gap_rows.append({"family": key[1], "score": _score_label(key[3]), "keep": key[4],
                         "protocol": key[5], "mean_dkm_minus_gumbel": ci.estimate,
                         "ci": [ci.low, ci.high], "covers_0": bool(ci.low <= 0 <= ci.high)})
    summary = (f"quantifier {claim.quantifier!r} (declared with the claim): {overall}; per regime: {counts[SUPPORTED]} supported, {counts[NOT_SUPPORTED]} not "
               f"supported, {counts[INCONCLUSIVE]} inconclusive (of {len(verdicts)}; Δ = sampled − "
               f"top-k relative test error, CI level {level:.6f}); "
               + _blocks_text(rows) + "; " + _sigma_trend_text(rows)
               + f"; DKM-binary vs Gumbel-top-k sampler: CI of the difference covers 0 in "
                 f"{sum(r['covers_0'] for r in gap_rows)}/{len(gap_rows)} (equal in distribution)")
    grid = [{"block": b["block"], "families": ", ".join(b["families"]),
             "ratios": ", ".join(f"{r:g}" for r in b["ratios"]),
             "scores": ", ".join(_score_label(x) for x in b["scores"]),
             "keep": ", ".join(f"{x:g}" for x in b["keep"]), "protocols": ", ".join(PROTOCOLS),
             "samplers": ", ".join(b["samplers"])} for b in HYP_GRID]
    return RouteResult("monte-carlo", overall, summary,
                       {"decision_rule": claim.decision_rule, "family_false_failure": alpha,
                        "regimes_count": len(verdicts), "ci_level_each": level,
                        "shape": list(pick(HYP, ctx.budget).shape),
                        "instances_per_regime": pick(HYP, ctx.budget).instances,
                        "mask_draws_per_instance": pick(HYP, ctx.budget).draws,
                        "summary_by_group": groups, "regime_grid": grid, "regimes": rows,
                        "sampler_check_dkm_minus_gumbel": gap_rows,
                        "problem_families": {k: v for k, v in HYP_FAMILIES.items()}})


def _blocks_text(rows: list[dict]) -> str:
    """'block A (…): S/NS/I counts' for every block, and where sampling won (if anywhere)."""
    parts = []
    for b in HYP_GRID:
        vs = [r["verdict"] for r in rows if r["block"] == b["block"][0]]
        parts.append(f"{b['block']}: {vs.count(SUPPORTED)}/{vs.count(NOT_SUPPORTED)}/"
                     f"{vs.count(INCONCLUSIVE)}")
    won = sorted({f"{r['family']} {r['score']} r={r['ratio']:g} keep={r['keep']:g} "
                  f"{r['protocol']}" for r in rows if r["verdict"] == SUPPORTED})
    where = ("sampled masks beat top-k only in: " + "; ".join(won)) if won else \
        "sampled masks beat top-k in no regime"
    return "supported/not supported/inconclusive by block: " + ", ".join(parts) + "; " + where


def _sigma_trend_text(rows: list[dict], keep: float = 0.1) -> str:
    """Mean Δ against the surrogate noise σ (block B, Gumbel sampler, kept fraction ``keep``)."""
    parts = []
    for family in HYP_GRID[1]["families"]:
        for protocol, tag in zip(PROTOCOLS, ("(i)", "(ii)")):
            ds = [next((r["mean_delta_sampled_minus_topk"] for r in rows
                        if r["block"] == "B" and r["family"] == family and r["keep"] == keep
                        and r["protocol"] == protocol and r["sampler"] == "sampled"
                        and r["score"] == _score_label(f"{SURROGATE_PREFIX}{sig:g}")), NAN)
                  for sig in HYP_SIGMAS]
            parts.append(f"{family} {tag} " + "/".join(f"{d:+.3f}" for d in ds))
    return (f"biased surrogate, mean Δ at σ = {'/'.join(f'{x:g}' for x in HYP_SIGMAS)} "
            f"(keep {keep:g}): " + ", ".join(parts))


def _group_summary(rows: list[dict]) -> list[dict]:
    """Verdict counts per (block, family, score) and protocol (S = supported, NS = not
    supported, I = inconclusive), over anisotropies, kept fractions and samplers."""
    groups: dict = {}
    for r in rows:
        key = (r["block"], r["family"], r["score"])
        g = groups.setdefault(key, {"ratios": set(), "keep": set(), PROTOCOLS[0]: [],
                                    PROTOCOLS[1]: [], "deltas": []})
        g["ratios"].add(r["ratio"])
        g["keep"].add(r["keep"])
        g[r["protocol"]].append(r["verdict"])
        g["deltas"].append(r["mean_delta_sampled_minus_topk"])

    def fmt(vs):
        return (f"S {vs.count(SUPPORTED)} / NS {vs.count(NOT_SUPPORTED)} / "
                f"I {vs.count(INCONCLUSIVE)}")

    out = []
    for (block, family, score_kind), g in groups.items():
        out.append({"block": block, "family": family, "score": score_kind,
                    "ratios": "r=" + ",".join(f"{x:g}" for x in sorted(g["ratios"])),
                    "keep": ",".join(f"{x:g}" for x in sorted(g["keep"], reverse=True)),
                    "(i) init mask on w*": fmt(g[PROTOCOLS[0]]),
                    "(ii) lottery ticket": fmt(g[PROTOCOLS[1]]),
                    "mean_delta_range": [min(g["deltas"]), max(g["deltas"])],
                    "supported": any(v == SUPPORTED for p in PROTOCOLS for v in g[p])})
    return out
