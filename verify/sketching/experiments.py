"""Experiments of the sketching topic (pruning linear models, ``spec/sketching.md`` §4-§9):
budgets, frozen configs and the trial functions (DKM sketch of Xw per problem and target, β_X
concentration, mask protocols for the randomized-masks hypothesis, error ratios).

Every trial is a pure ``trial(config, rng) -> record``; the engine keys its random stream by the
trial's stable id and config, so reruns are identical whatever the executor.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..amm.sketch import AmmSketcher
from ..core import stats
from ..core.budgets import pick, preset_table
from ..core.engine import trial
from ..core.verdicts import CheckContext
from . import bounds as T
from . import linear as L
from . import masks as M

ALPHA = 1e-3


NAN = float("nan")


@dataclass(frozen=True)
class SketchMcBudget:
    """Monte Carlo of the DKM sketch of Xw (routes of the theorems; shape and instances also
    used by the exact routes and the data-independence figure)."""
    trials: int = 3000
    shape: tuple = (30, 60)
    instances: int = 1
    ratios: tuple = (1.0, 10.0, 100.0)     # anisotropies of the data-independence MC route


SKETCH_MC = preset_table(SketchMcBudget, {
    "smoke": SketchMcBudget(),
    "default": SketchMcBudget(trials=20000, shape=(40, 120), instances=2,
                              ratios=(1.0, 3.0, 10.0, 100.0)),
    "paper": SketchMcBudget(trials=200000, shape=(100, 400), instances=5,
                            ratios=(1.0, 2.0, 5.0, 10.0, 30.0, 100.0, 1000.0))})


def problem(config: dict, rng) -> L.LinearProblem:
    """The :class:`verify.linear.LinearProblem` of a config (keys mirror ``make_problem``)."""
    keys = ("features", "ratio", "rho", "df", "init", "init_scale", "teacher", "movement",
            "noise", "n_test")
    return L.make_problem(config["n"], config["d"], rng=rng,
                          **{k: config[k] for k in keys if k in config})


def trained_weights(pb: L.LinearProblem, steps) -> np.ndarray:
    """w*: the GD limit (``steps`` None) or ``steps`` of GD with η = 1/λ_max."""
    if steps is None:
        return L.train_closed_form(pb.X, pb.y, pb.w0)
    return L.train_gd(pb.X, pb.y, pb.w0, int(steps))


TARGET_CLAIM = {"optimal": T.PAS, "uniform": T.PAS, "magnitude": T.DATA, "data-free": T.DATA,
                "init": T.INIT, "init-data-free": T.COMB}


def _targets(config: dict, pb: L.LinearProblem):
    """(w, p): the sketched weights and the sampling probabilities of ``config['target']``."""
    target = config["target"]
    X = pb.X
    if config.get("weights", "trained") == "init":
        w = pb.w0
    else:
        w = trained_weights(pb, config.get("steps"))
    if target == "optimal":
        return w, T.optimal_probabilities(X, w)
    if target in ("magnitude", "data-free"):
        return w, T.data_free_probabilities(w)
    if target == "uniform":
        return w, np.full(w.size, 1.0 / w.size)
    if target == "init":
        return w, T.optimal_probabilities(X, pb.w0)
    if target == "init-data-free":
        return w, T.data_free_probabilities(pb.w0)
    raise ValueError(f"unknown target {target!r}")


@trial("verify.checks.sketching:sketch_trial")
def sketch_trial(config: dict, rng: np.random.Generator) -> dict:
    """Monte Carlo of the rescaled DKM sketch of Xw for one problem instance and target.

    Records only claim-independent ingredients: the parts of the instance (feature norms ``a``,
    sketched weights ``w``, init weights ``w0``, ``N = ‖Xw‖²``), the sampling probabilities
    ``p``, the coordinate-wise movement ε, the exact Lemma-4 expectation of the sketch computed by
    the amm topic's DKM formula (an independent reference, ``reference_exact``), and ``trials``
    sampled values of ‖Xw − XDw‖² (Gram-Hadamard sampler of verify.amm.sketch) summarised by
    their mean with a t-interval at ``level``, median and quantiles.  Routes evaluate the
    claim they check on these ingredients (:func:`evaluate`)."""
    from ..amm import numerics as amm
    pb = problem(config, rng)
    w, p = _targets(config, pb)
    X, c = pb.X, config["c"]
    P = T.parts(X, w, pb.w0)
    active = np.asarray(P["a"]) * np.abs(w) > 0
    supported = not np.any(active & (p <= 0))
    record = P | {"p": p.tolist(), "eps": L.relative_movement(pb.w0, w),
                  "expected_support": M.expected_support(p, c), "sampled": False,
                  "reference_exact": amm.expected_error(X, w, p, c) if supported else None}
    if not supported:  # support assumption fails: uninformative, nothing to sample
        return record
    errors = AmmSketcher(X, w[:, None]).errors(p, c, config["trials"], rng)
    ci = stats.mean_ci(errors, level=config["level"])
    q = np.quantile(errors, [0.05, 0.25, 0.5, 0.75, 0.95])
    return record | {"sampled": True, "mean": ci.estimate, "ci_low": ci.low, "ci_high": ci.high,
                     "q05": q[0], "q25": q[1], "median": q[2], "q75": q[3], "q95": q[4],
                     "trials": int(errors.size), "errors_max": float(np.max(errors)),
                     "kurtosis_proxy": float(np.max(errors) / max(errors.sum(), 1e-300))}


def evaluate(config: dict, rec: dict, claim=None) -> dict:
    """The claim's expressions evaluated on a :func:`sketch_trial` record: ``exact`` (the
    claim's exact expectation of this sketch), ``bound`` (inf = uninformative or none) and, by
    claim, ``optimal_exact``, ``beta_bound``, ``lazy_bound``, ``beta0``, ``beta_x``.  ``claim``
    defaults to the registered claim of the config's target."""
    target, c = config["target"], config["c"]
    cid = claim.id if claim is not None else TARGET_CLAIM[target]
    out = {"beta0": T.beta_init_parts(rec), "beta_x": T.beta_x_parts(rec)}
    if cid == T.PAS:
        out["exact"] = T.sketch_exact_parts(rec, rec["p"], c, claim)
        beta_p = T.near_optimality_parts(rec, rec["p"], claim)
        out["beta_bound"] = T.beta_bound_parts(rec, beta_p, c, claim)
        out["bound"] = out["beta_bound"]
        if target == "optimal":
            out["optimal_exact"] = T.optimal_exact_parts(rec, c, claim)
            out["bound"] = min(out["bound"], T.frobenius_bound_parts(rec, c, claim))
    elif cid == T.INIT:
        out["beta0"] = T.beta_init_parts(rec, claim)
        out["exact"] = T.init_exact_parts(rec, c, claim)
        out["bound"] = T.init_bound_parts(rec, c, claim)
        out["lazy_bound"] = T.lazy_bound_parts(rec, min(rec["eps"], 1e300), c, claim)
        out["optimal_exact"] = T.optimal_exact_parts(rec, c)
    elif cid == T.DATA:
        out["beta_x"] = T.beta_x_parts(rec, claim)
        out["exact"] = T.data_free_exact_parts(rec, c, claim)
        out["bound"] = T.data_free_bound_parts(rec, c, claim)
    elif cid == T.COMB:
        out["exact"] = T.combined_exact_parts(rec, c, claim)
        out["bound"] = T.combined_bound_parts(rec, c, claim)
        out["optimal_exact"] = T.optimal_exact_parts(rec, c)
    else:
        raise ValueError(f"no sketch evaluation for claim {cid!r}")
    return out


def _cfg(budget: str, **kw) -> dict:
    n, d = pick(SKETCH_MC, budget).shape
    base = {"n": n, "d": d, "trials": pick(SKETCH_MC, budget).trials}
    return base | kw


def _level(k: int) -> float:
    return 1.0 - ALPHA / max(k, 1)


def _run(ctx: CheckContext, configs: list[dict], label: str) -> list[dict]:
    level = _level(len(configs))
    configs = [c | {"level": level} for c in configs]
    return ctx.runner.run(sketch_trial, configs, label)


def _label(cfg: dict) -> str:
    keys = ("features", "ratio", "init", "teacher", "movement", "steps", "target", "c", "n", "d",
            "instance")
    return ", ".join(f"{k}={cfg[k]}" for k in keys if k in cfg and cfg[k] is not None)


#: regimes of the init-mask experiments (declared before any result was seen)
INIT_REGIMES = {
    "lazy-under": {"n": 80, "d": 40, "init": "bounded", "teacher": "near-init",
                   "movement": 0.3, "noise": 0.0},
    "lazy-over": {"n": 40, "d": 80, "init": "bounded", "teacher": "near-init",
                  "movement": 0.3, "noise": 0.01},
    "gd-5-steps": {"n": 40, "d": 80, "init": "gaussian", "teacher": "independent",
                   "steps": 5, "noise": 0.01},
    "non-lazy": {"n": 40, "d": 80, "init": "gaussian", "teacher": "independent", "noise": 0.01},
}


def _init_configs(budget: str, target: str, ratio: float = 1.0) -> list[dict]:
    return [_cfg(budget, **regime, regime=name, features="anisotropic", ratio=ratio,
                 target=target, c=c, instance=i)
            for name, regime in INIT_REGIMES.items() for c in (8, 32)
            for i in range(pick(SKETCH_MC, budget).instances)]


@dataclass(frozen=True)
class ConcentrationBudget:
    """β_X concentration of i.i.d. features against n (figure; the old finite-n rate fit)."""
    ns: tuple = (50, 200, 800, 3200)
    instances: int = 8


CONC = preset_table(ConcentrationBudget, {
    "smoke": ConcentrationBudget(),
    "default": ConcentrationBudget(ns=(50, 100, 200, 400, 800, 1600, 3200), instances=50),
    "paper": ConcentrationBudget(ns=(50, 100, 200, 400, 800, 1600, 3200, 6400, 12800),
                                 instances=100)})


@trial("verify.checks.sketching:beta_x_trial")
def beta_x_trial(config: dict, rng: np.random.Generator) -> dict:
    """Extreme feature norms (min, max) of ``instances`` fresh n×d feature matrices of the given
    kind (β_X = a_min/a_max is evaluated by the route, from the claim)."""
    norms = [M.feature_norms(L.make_features(config["n"], config["d"], config["features"],
                                             rng=rng)) for _ in range(config["instances"])]
    return {"a_min": [float(a.min()) for a in norms], "a_max": [float(a.max()) for a in norms]}


def concentration(ctx: CheckContext, d: int = 200, features: str = "isotropic") -> list[dict]:
    configs = [{"n": n, "d": d, "features": features,
                "instances": pick(CONC, ctx.budget).instances} for n in pick(CONC, ctx.budget).ns]
    return [cfg | rec for cfg, rec in zip(configs, ctx.runner.run(beta_x_trial, configs,
                                                                   "beta_x concentration"))]


@dataclass(frozen=True)
class RateBudget:
    """The MC side of the β_X rate check of ``data-independence``: 1 − β_X of ``instances``
    isotropic Gaussian X ∈ R^{n×d} at every (n, d), compared with its exact law."""
    ns: tuple = (50, 200, 800)
    ds: tuple = (10, 50, 400)
    instances: int = 200


RATE_MC = preset_table(RateBudget, {
    "smoke": RateBudget(),
    "default": RateBudget(ns=(50, 200, 800, 3200), instances=250),
    "paper": RateBudget(ns=(50, 200, 800, 3200, 12800), instances=1000)})


def rate_samples(ctx: CheckContext) -> list[dict]:
    """Extreme feature norms of isotropic Gaussian X at every (n, d) of ``RATE_MC``."""
    b = pick(RATE_MC, ctx.budget)
    configs = [{"n": n, "d": d, "features": "isotropic", "instances": b.instances}
               for d in b.ds for n in b.ns]
    return [cfg | rec for cfg, rec in zip(configs, ctx.runner.run(beta_x_trial, configs,
                                                                   "beta_x vs exact law"))]


@dataclass(frozen=True)
class HypBudget:
    """The randomized-masks hypothesis test (and the randomized-vs-topk figure's shape/draws)."""
    shape: tuple = (50, 200)
    instances: int = 5
    draws: int = 5


HYP = preset_table(HypBudget, {
    "smoke": HypBudget(),
    "default": HypBudget(shape=(100, 400), instances=40, draws=20),
    "paper": HypBudget(shape=(200, 1000), instances=50, draws=40)})


HYP_RATIOS = (1.0, 100.0)


HYP_KEEP = (0.5, 0.1)


PROTOCOLS = ("init-mask-on-w*", "lottery-ticket")


#: fixed problem family of the hypothesis test (declared before any result was seen)
HYP_PROBLEM = {"init": "gaussian", "teacher": "near-init", "movement": 1.0, "noise": 0.1}


#: the non-lazy family (teacher independent of w0, so w* is far from w0; declared in advance)
HYP_PROBLEM_INDEPENDENT = {"init": "gaussian", "teacher": "independent", "noise": 0.1}


HYP_FAMILIES = {"near-init": HYP_PROBLEM, "independent": HYP_PROBLEM_INDEPENDENT}


#: spec §9.5 (C5) biased-surrogate log-noise levels σ
HYP_SIGMAS = (0.0, 0.5, 1.0)


SURROGATE_PREFIX = "surrogate-sigma="


#: The regime grid, declared in full BEFORE any of blocks B and C was run (block A is the
#: originally registered grid, kept unchanged so its cached records are reused as they were).
#: Every block is crossed with both protocols.
HYP_GRID = (
    {"block": "A: registered grid", "families": ("near-init",), "ratios": HYP_RATIOS,
     "scores": ("magnitude", "data-free"), "keep": HYP_KEEP, "samplers": ("sampled",)},
    {"block": "B: biased surrogate (spec 9.5)", "families": ("near-init", "independent"),
     "ratios": (10.0,), "scores": tuple(f"{SURROGATE_PREFIX}{s:g}" for s in HYP_SIGMAS),
     "keep": (0.5, 0.1, 0.05), "samplers": ("sampled", "dkm-binary")},
    {"block": "C: non-lazy family", "families": ("independent",), "ratios": HYP_RATIOS,
     "scores": ("magnitude", "data-free"), "keep": HYP_KEEP, "samplers": ("sampled",)},
)


def surrogate_sigma(score_kind: str):
    """σ of a ``surrogate-sigma=<σ>`` score kind, None for the other kinds."""
    if score_kind.startswith(SURROGATE_PREFIX):
        return float(score_kind[len(SURROGATE_PREFIX):])
    return None


def init_scores(score_kind: str, pb: L.LinearProblem, rng, xi) -> np.ndarray:
    """Scores at init: :func:`verify.linear.score` kinds, or the biased surrogate of spec §9.5
    |w0_i|·‖X^{(i)}‖·exp(σ ξ_i) (one ξ per instance shared by all σ)."""
    sigma = surrogate_sigma(score_kind)
    if sigma is None:
        return M.score(score_kind, pb.w0, pb.X, rng=rng)
    return M.biased_surrogate_score(pb.w0, pb.X, sigma, xi)


MASK_SAMPLERS = {"sampled": M.sampled_mask, "dkm-binary": M.dkm_binary_mask}


@trial("verify.checks.sketching:mask_trial")
def mask_trial(config: dict, rng: np.random.Generator) -> dict:
    """Relative test error ‖X_test(w* − w_pruned)‖²/‖X_test w*‖² of binary masks on one instance.

    For every score in ``config['scores']`` and kept fraction in ``config['keep']``: the top-k
    mask and ``draws`` masks of each sampler in ``config['masks']`` (default: Gumbel-top-k
    ``sampled``; ``dkm-binary``: with replacement until k distinct), under protocol (i) m⊙w* and
    (ii) retraining from m⊙w0 (closed-form GD limit on the support).  Scores use init weights
    only.  A config with a ``surrogate-sigma=σ`` score draws ξ ~ N(0, I_d) once, first."""
    pb = problem(config, rng)
    w_star = L.train_closed_form(pb.X, pb.y, pb.w0)
    Xt = pb.X_test
    samplers = config.get("masks", ["sampled"])
    xi = (rng.standard_normal(pb.d) if any(surrogate_sigma(s) is not None
                                           for s in config["scores"]) else None)
    rows = []
    for score_kind in config["scores"]:
        s = init_scores(score_kind, pb, rng, xi)
        for keep in config["keep"]:
            k = M.keep_count(pb.d, 1.0 - keep)
            masks = {"top-k": [M.topk_mask(s, k)]}
            for sampler in samplers:
                masks[sampler] = [MASK_SAMPLERS[sampler](s, k, rng)
                                  for _ in range(config["draws"])]
            for mask_kind, ms in masks.items():
                err_i = [M.relative_error(Xt, w_star, M.prune_after_training(w_star, m))
                         for m in ms]
                err_ii = [M.relative_error(Xt, w_star, M.lottery_ticket(pb.X, pb.y, pb.w0, m))
                          for m in ms]
                for protocol, errs in zip(PROTOCOLS, (err_i, err_ii)):
                    rows.append({"score": score_kind, "keep": keep, "mask": mask_kind,
                                 "protocol": protocol, "error": float(np.mean(errs)),
                                 "error_sd": float(np.std(errs))})
    return {"rows": rows}


def _block_configs(block: dict, budget: str) -> list[dict]:
    n, d = pick(HYP, budget).shape
    configs = []
    for family in block["families"]:
        for ratio in block["ratios"]:
            for i in range(pick(HYP, budget).instances):
                cfg = {"n": n, "d": d, "features": "anisotropic", "ratio": ratio,
                       **HYP_FAMILIES[family], "scores": list(block["scores"]),
                       "keep": list(block["keep"]), "draws": pick(HYP, budget).draws,
                       "instance": i}
                if list(block["samplers"]) != ["sampled"]:  # block A's configs stay as they were
                    cfg["masks"] = list(block["samplers"])
                configs.append(cfg)
    return configs


def hypothesis_records(ctx: CheckContext) -> list[tuple[str, str, dict, dict]]:
    """(block, family, config, record) for every instance of every block of ``HYP_GRID``."""
    out = []
    for block in HYP_GRID:
        configs = _block_configs(block, ctx.budget)
        families = [f for f in block["families"] for _ in block["ratios"]
                    for _ in range(pick(HYP, ctx.budget).instances)]
        records = ctx.runner.run(mask_trial, configs, f"randomized-masks {block['block'][0]}")
        out += [(block["block"], fam, cfg, rec)
                for fam, cfg, rec in zip(families, configs, records)]
    return out


@trial("verify.figures.sketching:ratio_trial")
def ratio_trial(config: dict, rng: np.random.Generator) -> dict:
    """Exact E_q/E_p* (c cancels), 1/β_X and the sharp ratio bound on one anisotropic instance."""
    X = L.make_features(config["n"], config["d"], "anisotropic", ratio=config["ratio"], rng=rng)
    w = L.init_weights(config["d"], "gaussian", rng=rng)
    ratio = T.data_free_exact_error(X, w, 1) / T.optimal_exact_error(X, w, 1)
    return {"error_ratio": ratio, "inv_beta_x": 1.0 / T.beta_data(X),
            "ratio_bound": T.data_free_ratio_bound(X, w)}
