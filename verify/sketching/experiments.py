"""Experiments of the sketching topic (pruning linear models, ``spec/sketching.md`` §4-§9):
budgets, frozen configs and the trial functions (DKM sketch of Xw per problem and target, β_X
concentration, mask protocols for the randomized-masks hypothesis, error ratios).

Every trial is a pure ``trial(config, rng) -> record``; the engine keys its random stream by the
trial's stable id and config, so reruns are identical whatever the executor.
"""
from __future__ import annotations

import numpy as np

from ..amm.sketch import AmmSketcher
from ..core import stats
from ..core.budgets import pick
from ..core.engine import trial
from ..core.verdicts import CheckContext
from . import bounds as T
from . import linear as L
from . import masks as M

ALPHA = 1e-3


NAN = float("nan")


MARKOV_DELTA = 0.05


MC_TRIALS = {"smoke": 3000, "default": 20000, "paper": 200000}


MC_SHAPE = {"smoke": (30, 60), "default": (40, 120), "paper": (100, 400)}


INSTANCES = {"smoke": 1, "default": 2, "paper": 5}


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


def _targets(config: dict, pb: L.LinearProblem):
    """(w, p, exact, bound) for the sketch target named in ``config['target']``."""
    target = config["target"]
    X = pb.X
    if config.get("weights", "trained") == "init":
        w = pb.w0
    else:
        w = trained_weights(pb, config.get("steps"))
    if target == "optimal":
        p = T.optimal_probabilities(X, w)
        return w, p, T.optimal_exact_error(X, w, config["c"]), T.frobenius_bound(X, w, config["c"])
    if target == "magnitude" or target == "data-free":
        p = T.data_free_probabilities(w)
        return w, p, T.data_free_exact_error(X, w, config["c"]), T.data_free_bound(X, w,
                                                                                   config["c"])
    if target == "uniform":
        p = np.full(w.size, 1.0 / w.size)
        return w, p, T.exact_sketch_error(X, w, p, config["c"]), float("inf")
    if target == "init":
        p = T.optimal_probabilities(X, pb.w0)
        return w, p, T.init_mask_exact_error(X, pb.w0, w, config["c"]), T.init_mask_bound(
            X, pb.w0, w, config["c"])
    if target == "init-data-free":
        p = T.data_free_probabilities(pb.w0)
        return w, p, T.init_data_free_exact_error(X, pb.w0, w, config["c"]), \
            T.init_data_free_bound(X, pb.w0, w, config["c"])
    raise ValueError(f"unknown target {target!r}")


@trial("verify.checks.sketching:sketch_trial")
def sketch_trial(config: dict, rng: np.random.Generator) -> dict:
    """Monte Carlo of the rescaled DKM sketch of Xw for one problem instance and target.

    Samples ``trials`` values of ‖Xw − XDw‖² with the Gram-Hadamard sampler of verify.sketch
    (:class:`verify.sketch.AmmSketcher`, A = X, B = w as a column) and returns the exact
    expectation, the bound, the MC mean with a t-interval at ``level``, median and quantiles, the
    Markov exceedance count of bound/δ, β0, β_X, the coordinate-wise movement ε and ‖Xw‖²."""
    pb = problem(config, rng)
    w, p, exact, bound = _targets(config, pb)
    X, c = pb.X, config["c"]
    norm = float(np.sum((X @ w) ** 2))
    record = {"exact": exact, "bound": bound, "norm": norm,
              "beta0": T.beta_init(X, pb.w0, w), "beta_x": T.beta_data(X),
              "eps": L.relative_movement(pb.w0, w), "expected_support": M.expected_support(p, c),
              "lazy_bound": T.lazy_bound(X, w, min(L.relative_movement(pb.w0, w), 1e300), c),
              "optimal_exact": T.optimal_exact_error(X, w, c)}
    if not np.isfinite(exact):  # support assumption fails: uninformative, nothing to sample
        return record | {"sampled": False}
    errors = AmmSketcher(X, w[:, None]).errors(p, c, config["trials"], rng)
    ci = stats.mean_ci(errors, level=config["level"])
    q = np.quantile(errors, [0.05, 0.25, 0.5, 0.75, 0.95])
    markov = int(np.sum(errors >= bound / MARKOV_DELTA)) if np.isfinite(bound) else 0
    return record | {"sampled": True, "mean": ci.estimate, "ci_low": ci.low, "ci_high": ci.high,
                     "q05": q[0], "q25": q[1], "median": q[2], "q75": q[3], "q95": q[4],
                     "trials": int(errors.size), "markov_exceed": markov,
                     "kurtosis_proxy": float(np.max(errors) / max(errors.sum(), 1e-300))}


def _cfg(budget: str, **kw) -> dict:
    n, d = pick(MC_SHAPE, budget)
    base = {"n": n, "d": d, "trials": pick(MC_TRIALS, budget)}
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
            for i in range(pick(INSTANCES, budget))]


RATIOS = {"smoke": (1.0, 10.0, 100.0), "default": (1.0, 3.0, 10.0, 100.0),
          "paper": (1.0, 2.0, 5.0, 10.0, 30.0, 100.0, 1000.0)}


CONC_NS = {"smoke": (50, 200, 800, 3200), "default": (50, 100, 200, 400, 800, 1600, 3200),
           "paper": (50, 100, 200, 400, 800, 1600, 3200, 6400, 12800)}


CONC_INSTANCES = {"smoke": 8, "default": 50, "paper": 100}


@trial("verify.checks.sketching:beta_x_trial")
def beta_x_trial(config: dict, rng: np.random.Generator) -> dict:
    """β_X of ``instances`` fresh n×d feature matrices of the given kind."""
    values = [T.beta_data(L.make_features(config["n"], config["d"], config["features"], rng=rng))
              for _ in range(config["instances"])]
    return {"beta_x": values, "rate": T.beta_x_rate(config["n"], config["d"])}


def concentration(ctx: CheckContext, d: int = 200, features: str = "isotropic") -> list[dict]:
    configs = [{"n": n, "d": d, "features": features,
                "instances": pick(CONC_INSTANCES, ctx.budget)} for n in pick(CONC_NS, ctx.budget)]
    return [cfg | rec for cfg, rec in zip(configs, ctx.runner.run(beta_x_trial, configs,
                                                                   "beta_x concentration"))]


HYP_SHAPE = {"smoke": (50, 200), "default": (100, 400), "paper": (200, 1000)}


HYP_INSTANCES = {"smoke": 5, "default": 40, "paper": 50}


HYP_DRAWS = {"smoke": 5, "default": 20, "paper": 40}


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
    n, d = pick(HYP_SHAPE, budget)
    configs = []
    for family in block["families"]:
        for ratio in block["ratios"]:
            for i in range(pick(HYP_INSTANCES, budget)):
                cfg = {"n": n, "d": d, "features": "anisotropic", "ratio": ratio,
                       **HYP_FAMILIES[family], "scores": list(block["scores"]),
                       "keep": list(block["keep"]), "draws": pick(HYP_DRAWS, budget),
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
                    for _ in range(pick(HYP_INSTANCES, ctx.budget))]
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
