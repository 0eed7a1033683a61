"""Routes of the paths claims: symbolic (sympy derivations on small symbolic nets), exact (fixed
float64 nets, including the spec 6.1 net with ReLU and identity activations) and Monte Carlo
(many random nets from the seeded engine).

Every comparison evaluates the claim's registered expression (``claim.numeric``) on the trial's
ingredients and passes iff ``max |lhs - value| <= REL_TOL * max |lhs|`` with REL_TOL = 1e-10
(float64 rounding of these small nets is ~1e-15); records with a pre-activation closer than 1e-6 to
a ReLU kink fail the route (assumption violated).  All routes here are deterministic: no
statistical false-failure probability is involved.
"""
from __future__ import annotations

import numpy as np
from pruneproof.theory.claims import Claim
from pruneproof.theory.paths import COEFFICIENT_LIMITATION, REL_TOL

from ..core.verdicts import (
    REFUTED,
    VERIFIED,
    CheckContext,
    RouteResult,
    route,
    symbolic_route,
)
from .experiments import (
    CONSERVING,
    CONTROLS,
    KINK,
    compression_trial,
    conservation_trial,
    exact_configs,
    mc_configs,
    ntk_trial,
    output_trial,
    run_direct,
    synflow_trial,
    tiny_configs,
    trace_trial,
)

CONTROL_MIN_VIOLATION = 1e-6   # a negative control "fails conservation" above this relative gap

CLAIMS = ("path-output-identity", "ntk-path-decomposition", "path-kernel-trace",
          "synflow-path-norm", "synflow-conservation", "max-critical-compression")
for _claim in CLAIMS:
    route(_claim, "symbolic")(symbolic_route)


def rel_error(lhs, value) -> float:
    lhs, value = np.asarray(lhs, dtype=float), np.asarray(value, dtype=float)
    scale = float(np.max(np.abs(lhs))) if lhs.size else 0.0
    return float(np.max(np.abs(lhs - value)) / scale) if scale > 0 else float(np.max(np.abs(value)))


def _records(ctx: CheckContext, fn, exact: bool, label: str, configs=None, **extra):
    if exact:
        return run_direct(fn, exact_configs(**extra))
    return ctx.runner.run(fn, configs if configs is not None else mc_configs(ctx.budget, **extra),
                          label)


def _result(name: str, errors: list[float], what: str, evidence: dict,
            extra_ok: bool = True) -> RouteResult:
    """Every route of this module compares at least one coefficient identity (registered as 1):
    its summary carries :data:`COEFFICIENT_LIMITATION`."""
    worst = max(errors) if errors else float("nan")
    ok = bool(errors) and worst <= REL_TOL and extra_ok
    return RouteResult(name, VERIFIED if ok else REFUTED,
                       f"{what}: worst relative error {worst:.2e} over {len(errors)} nets "
                       f"(tolerance {REL_TOL:g}, float64); {COEFFICIENT_LIMITATION}",
                       {"worst": worst, **evidence})


def _kinks_ok(records) -> bool:
    return all(r["min_abs_z"] > KINK for r in records)


# ------------------------------------------------------------------------- path-output-identity
def _output(claim: Claim, ctx: CheckContext, exact: bool) -> RouteResult:
    name = "exact" if exact else "monte-carlo"
    recs = _records(ctx, output_trial, exact, "paths output identity")
    c = float(claim.numeric("ratio")())
    errors = [rel_error(r["f"], c * np.asarray(r["path_sum"])) for r in recs]
    return _result(name, errors, "f = ratio * J_pi pi", {"min_abs_z": min(r["min_abs_z"] for r in recs)},
                   _kinks_ok(recs))


route("path-output-identity", "exact")(lambda claim, ctx: _output(claim, ctx, True))
route("path-output-identity", "monte-carlo")(lambda claim, ctx: _output(claim, ctx, False))


# ----------------------------------------------------------------------- ntk-path-decomposition
def _ntk(claim: Claim, ctx: CheckContext, exact: bool) -> RouteResult:
    name = "exact" if exact else "monte-carlo"
    recs = _records(ctx, ntk_trial, exact, "paths NTK decomposition")
    c = float(claim.numeric("ratio")())
    errors = [rel_error(r["theta"], c * np.asarray(r["path_form"])) for r in recs]
    psd = all(r["pi_min_eig"] >= -1e-12 * r["pi_max_eig"] for r in recs)
    rank = all(r["pi_rank"] <= r["params"] for r in recs)
    return _result(name, errors, f"Theta = ratio * J_pi Pi J_pi^T (backprop NTK); Pi PSD: {psd}; "
                   f"rank Pi <= #params: {rank}",
                   {"psd": psd, "rank_ok": rank,
                    "ranks": [[r["pi_rank"], r["params"]] for r in recs]},
                   psd and rank and _kinks_ok(recs))


route("ntk-path-decomposition", "exact")(lambda claim, ctx: _ntk(claim, ctx, True))
route("ntk-path-decomposition", "monte-carlo")(lambda claim, ctx: _ntk(claim, ctx, False))


# ---------------------------------------------------------------------------- path-kernel-trace
def _trace(claim: Claim, ctx: CheckContext, exact: bool) -> RouteResult:
    name = "exact" if exact else "monte-carlo"
    recs = _records(ctx, trace_trial, exact, "paths trace")
    c = float(claim.numeric("trace")())
    euler = claim.numeric("euler")
    trace_err = [rel_error(r["trace_enumerated"], c * r["one_pass"]) for r in recs]
    depths = sorted({int(r["L"]) for r in recs})
    euler_err = [rel_error(r["euler_sum"], euler(L=r["L"], R2=r["R2"])) for r in recs]
    consistent = all(rel_error(r["R2_enumerated"], r["R2"]) <= REL_TOL
                     and rel_error(r["one_pass_fn"], r["one_pass"]) <= REL_TOL for r in recs)
    return _result(name, [max(a, b) for a, b in zip(trace_err, euler_err)],
                   "tr Pi (enumerated) = trace * sum_e dR2/du_e (one pass) and "
                   f"sum_e u_e dR2/du_e = euler(L, R2) at depths L = {depths}",
                   {"worst_trace": max(trace_err), "worst_euler": max(euler_err), "depths": depths,
                    "one_pass_consistent": consistent}, consistent)


route("path-kernel-trace", "exact")(lambda claim, ctx: _trace(claim, ctx, True))
route("path-kernel-trace", "monte-carlo")(lambda claim, ctx: _trace(claim, ctx, False))


# ---------------------------------------------------------------------------- synflow-path-norm
def _synflow(claim: Claim, ctx: CheckContext, exact: bool) -> RouteResult:
    name = "exact" if exact else "monte-carlo"
    recs = _records(ctx, synflow_trial, exact, "paths synflow norm")
    cn, cd = float(claim.numeric("norm")()), float(claim.numeric("drop")())
    norm_err = [rel_error(r["R_SF"], cn * r["l1_enumerated"]) for r in recs]
    # drops are compared on the scale of R_SF (each drop is a difference of two R_SF values)
    drop_err = [float(np.max(np.abs(np.asarray(r["drops"]) - cd * np.asarray(r["scores"]))))
                / r["R_SF"] for r in recs]
    return _result(name, [max(a, b) for a, b in zip(norm_err, drop_err)],
                   "R_SF = norm * ||pi||_1 and R_SF drop on zeroing e = drop * S_SF(e) (every edge; "
                   "drop errors relative to R_SF)",
                   {"worst_norm": max(norm_err), "worst_drop": max(drop_err),
                    "edges_checked": sum(len(r["drops"]) for r in recs)})


route("synflow-path-norm", "exact")(lambda claim, ctx: _synflow(claim, ctx, True))
route("synflow-path-norm", "monte-carlo")(lambda claim, ctx: _synflow(claim, ctx, False))


# ------------------------------------------------------------------------- synflow-conservation
def conservation_table(claim: Claim, recs) -> dict:
    """Per method: worst neuron-wise violation |in - neuron * out| / max|in, out| and (conserving
    methods) worst layer-total error against layer_total(k, R)."""
    c = float(claim.numeric("neuron")())
    total = claim.numeric("layer_total")
    out = {}
    for method in CONSERVING + CONTROLS:
        neuron, layer = [], []
        for r in recs:
            m = r[method]
            i, o = np.asarray(m["incoming"]), np.asarray(m["outgoing"])
            neuron.append(float(np.max(np.abs(i - c * o)) / max(np.max(np.abs(i)), np.max(np.abs(o)))))
            if m["R"] is not None:
                layer.append(rel_error(m["layer_totals"], np.full(len(m["layer_totals"]),
                                                                  total(k=m["k"], R=m["R"]))))
        out[method] = {"worst_neuron": max(neuron), "min_neuron": min(neuron),
                       "worst_layer_total": max(layer) if layer else None}
    return out


def _conservation(claim: Claim, ctx: CheckContext, exact: bool) -> RouteResult:
    name = "exact" if exact else "monte-carlo"
    recs = _records(ctx, conservation_trial, exact, "paths conservation")
    table = conservation_table(claim, recs)
    conserving_ok = all(table[m]["worst_neuron"] <= REL_TOL and table[m]["worst_layer_total"]
                        <= REL_TOL for m in CONSERVING)
    controls_fail = all(table[m]["min_neuron"] > CONTROL_MIN_VIOLATION for m in CONTROLS)
    ok = conserving_ok and controls_fail
    worst = max(max(table[m]["worst_neuron"], table[m]["worst_layer_total"]) for m in CONSERVING)
    return RouteResult(name, VERIFIED if ok else REFUTED,
                       f"conserving methods {CONSERVING}: worst relative error {worst:.2e} over "
                       f"{len(recs)} nets (tolerance {REL_TOL:g}); negative controls {CONTROLS} "
                       f"violate neuron-wise conservation on every net (min relative gap "
                       f"{min(table[m]['min_neuron'] for m in CONTROLS):.3g} > "
                       f"{CONTROL_MIN_VIOLATION:g}): {controls_fail}; neuron-wise: "
                       f"{COEFFICIENT_LIMITATION}",
                       {"methods": table, "conserving_ok": conserving_ok,
                        "controls_fail": controls_fail})


route("synflow-conservation", "exact")(lambda claim, ctx: _conservation(claim, ctx, True))
route("synflow-conservation", "monte-carlo")(lambda claim, ctx: _conservation(claim, ctx, False))


# --------------------------------------------------------------------- max-critical-compression
def _compression(claim: Claim, ctx: CheckContext, exact: bool) -> RouteResult:
    name = "exact" if exact else "monte-carlo"
    configs = tiny_configs(ctx.budget)
    if exact:
        recs = run_direct(compression_trial, [dict(c, net_seed=10_000 + c["net_seed"])
                                              for c in configs[:4]])
    else:
        recs = ctx.runner.run(compression_trial, configs, "paths critical compression")
    rho_max = claim.numeric("rho_max")
    errors, rows = [], []
    for r in recs:
        predicted = float(rho_max(N=r["N"], L=r["L"]))
        for method in CONSERVING:
            m = r["methods"][method]
            errors.append(abs(r["N"] / m["kept"] - predicted) / predicted)
        mag = r["methods"]["magnitude"]
        rows.append({"N": r["N"], "L": r["L"], "rho_max_claim": predicted,
                     **{f"rho_cr_{m}": r["N"] / r["methods"][m]["kept"] for m in CONSERVING},
                     "rho_cr_magnitude": r["N"] / mag["kept"],
                     "magnitude_collapsed_early": mag["collapse"]})
    worst = max(errors)
    ok = worst <= 1e-12 and all(not r["methods"][m]["collapse"] for r in recs for m in CONSERVING)
    return RouteResult(name, VERIFIED if ok else REFUTED,
                       f"one-at-a-time re-scored removal ({', '.join(CONSERVING)}) reaches "
                       f"rho_cr = N/kept; worst relative gap to rho_max(N, L) {worst:.2e} over "
                       f"{len(recs)} tiny nets; magnitude (control) collapsed early on "
                       f"{sum(x['magnitude_collapsed_early'] for x in rows)}/{len(rows)}",
                       {"nets": rows})


route("max-critical-compression", "exact")(lambda claim, ctx: _compression(claim, ctx, True))
route("max-critical-compression", "monte-carlo")(
    lambda claim, ctx: _compression(claim, ctx, False))


# ------------------------------------------------------------------ single-shot-collapse (hyp.)
def collapse_grid(claim: Claim) -> list[float]:
    """alpha_min, alpha_min + alpha_step, ... below alpha_max, then alpha_max (from the claim)."""
    lo, hi = float(claim.numeric("alpha_min")()), float(claim.numeric("alpha_max")())
    step = float(claim.numeric("alpha_step")())
    n = int(np.floor((hi - lo) / step + 1e-9))
    grid = [lo + i * step for i in range(n + 1) if lo + i * step < hi - 1e-12]
    return grid + [hi]


@route("single-shot-collapse", "monte-carlo")
def _single_shot_collapse(claim: Claim, ctx: CheckContext) -> RouteResult:
    from ..core.verdicts import NOT_SUPPORTED, SUPPORTED, hypothesis_verdict
    from .experiments import HYPOTHESIS_SEEDS, SPEC_65, collapse_seed_trial
    alphas = collapse_grid(claim)                      # the grid the claim declares
    rounds = int(claim.numeric("rounds")())
    configs = [{"sizes": SPEC_65, "net_seed": 100 + i, "alphas": alphas,
                "rounds": rounds} for i in range(HYPOTHESIS_SEEDS[ctx.budget].seeds)]
    records = ctx.runner.run(collapse_seed_trial, configs, "paths single-shot collapse")
    regimes, rows = [], []
    for cfg, r in zip(configs, records):
        rho_max = float(claim.numeric("rho_max")(N=r["N"], L=r["L"]))
        below = [x for x in r["rows"] if 10.0 ** x["alpha"] < rho_max]
        first = next((x for x in below if any(x["single_shot_empty"])), None)
        iterative_ok = all(x["iterative_collapsed"] is False for x in below
                           if x["iterative_collapsed"] is not None)
        regimes.append(SUPPORTED if first is not None and iterative_ok else NOT_SUPPORTED)
        rows.append({"seed": cfg["net_seed"], "rho_max": rho_max,
                     "single_shot_first_collapse_alpha": None if first is None else first["alpha"],
                     "emptied_layers": None if first is None else first["single_shot_empty"],
                     "iterative_survives": iterative_ok, "verdict": regimes[-1]})
    status = hypothesis_verdict(regimes, claim.quantifier)
    return RouteResult("monte-carlo", status,
                       f"{regimes.count(SUPPORTED)}/{len(regimes)} seeds: single-shot SynFlow "
                       f"empties a layer below rho_max and iterative SynFlow "
                       f"({configs[0]['rounds']} rounds) keeps every layer at 10^{alphas[-1]:g} "
                       f"(deterministic per seed; quantifier {claim.quantifier}; rule declared "
                       f"with the claim)", {"seeds": rows, "alphas": alphas})
