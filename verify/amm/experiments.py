"""Experiments of the AMM topic: instance configs per budget and the Monte Carlo trial
(``amm_trial``: sampled ||AB - CR||_F^2, tail quantiles and bilinear probes on one instance).

Statistical routes control the family-wise false-failure probability at ``ALPHA`` = 1e-3 per
route (Bonferroni over the instances a route checks).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..core import stats
from ..core.budgets import preset_table, validate_budget
from ..core.engine import trial
from ..core.verdicts import CheckContext
from .sketch import AmmSketcher, probabilities, random_instance
from .tight import ingredients

ALPHA = 1e-3


ALL_KINDS = ("gaussian", "anisotropic", "heavy-tailed", "zero-columns", "low-rank")
SCHEMES = ("optimal", "beta", "uniform", "dirichlet", "ties")


@dataclass(frozen=True)
class McBudget:
    """What the Monte Carlo routes cost: ``instances`` random instances of each of ``kinds`` with
    A, B of ``shape`` = (m, n, p), each sketched ``trials`` times at every c in ``cs``."""

    shape: tuple[int, int, int] = (20, 40, 10)
    kinds: tuple[str, ...] = ALL_KINDS[:4]
    instances: int = 1
    trials: int = 4000
    cs: tuple[int, ...] = (5,)


MC = preset_table(McBudget, {
    "smoke": McBudget(),
    "default": McBudget(shape=(30, 120, 20), kinds=ALL_KINDS, instances=2, trials=20000,
                        cs=(4, 16)),
    "paper": McBudget(shape=(60, 400, 40), kinds=ALL_KINDS, instances=5, trials=200000,
                      cs=(2, 8, 32, 128)),
})


def instance(config: dict):
    """``(A, B, p)`` of an instance config (deterministic in ``config['instance_seed']``)."""
    rng = np.random.default_rng(config["instance_seed"])
    A, B = random_instance(config["kind"], *config["shape"], rng=rng)
    p = probabilities(config["scheme"], A, B, beta=config.get("beta", 0.5), rng=rng)
    return A, B, p


def instance_configs(budget: str, schemes=SCHEMES) -> list[dict]:
    b = MC[validate_budget(budget)]
    return [{"kind": kind, "shape": list(b.shape), "instance_seed": 1000 * i + k,
             "scheme": scheme, "beta": 0.5}
            for k, kind in enumerate(b.kinds) for i in range(b.instances)
            for scheme in schemes]


FULL_SAMPLE_MAX = 50_000   # store every sorted F up to this many trials, else a rank grid
GRID_POINTS = 20_000


def _order_statistics(F: np.ndarray) -> dict:
    """Sorted F = ||AB - CR||_F: every value when there are at most FULL_SAMPLE_MAX, else the
    order statistics at GRID_POINTS evenly spaced ranks plus the top 1 % in full (enough to
    bracket the exceedance count of ANY threshold, see :func:`exceedances`)."""
    F = np.sort(F)
    n = F.size
    if n <= FULL_SAMPLE_MAX:
        ranks = np.arange(n)
    else:
        grid = np.unique(np.linspace(0, n - 1, GRID_POINTS).astype(int))
        ranks = np.unique(np.concatenate([grid, np.arange(n - max(1, n // 100), n)]))
    return {"ranks": ranks.tolist() if n > FULL_SAMPLE_MAX else None,
            "values": F[ranks].tolist()}


def exceedances(record: dict, threshold: float) -> tuple[int, int]:
    """(lower, upper) bounds on #{trials: F > threshold} from the stored order statistics
    (equal when the full sample is stored)."""
    n = record["n"]
    values = np.asarray(record["F_order"]["values"])
    ranks = record["F_order"]["ranks"]
    j = int(np.searchsorted(values, threshold, side="right"))  # stored values <= threshold
    if ranks is None:
        return n - j, n - j
    ranks = np.asarray(ranks)
    # F_(ranks[j-1]) <= threshold < F_(ranks[j]): the count of F <= threshold is in
    # [ranks[j-1] + 1, ranks[j]]
    low_le = ranks[j - 1] + 1 if j > 0 else 0
    high_le = ranks[j] if j < ranks.size else n
    return int(n - high_le), int(n - low_le)


@trial("verify.checks.amm:amm_trial")
def amm_trial(config: dict, rng: np.random.Generator) -> dict:
    """Sample ``config['trials']`` errors ``||AB - CR||_F^2`` and record claim-independent
    ingredients only: the instance's scalars (FA2, FB2, S, Q, G, beta), the sample mean and sd,
    the sorted F = ||AB - CR||_F (or its order statistics on a fine rank grid), empirical
    (1 - delta)-quantiles with order-statistic CIs, and optional bilinear probes ``u^T CR v``.
    No bound is evaluated here: routes evaluate the claim they check on these ingredients."""
    A, B, p = instance(config)
    sketcher = AmmSketcher(A, B)
    errors = sketcher.errors(p, config["c"], config["trials"], rng)
    F = np.sqrt(errors)
    record = {"mean": float(errors.mean()), "sd": float(errors.std(ddof=1)), "n": errors.size,
              "median": float(np.median(errors)), "c": config["c"], **ingredients(A, B, p),
              "F_order": _order_statistics(F), "tail": []}
    for delta in config.get("deltas", []):
        ci = stats.quantile_ci(F, 1 - delta, level=0.95)
        record["tail"].append({"delta": delta, "quantile": ci.estimate, "q_low": ci.low,
                               "q_high": ci.high})
    probes = []
    probe_rng = np.random.default_rng(config["instance_seed"] + 7)
    for _ in range(config.get("probes", 0)):
        u = probe_rng.standard_normal(A.shape[0])
        v = probe_rng.standard_normal(B.shape[1])
        est = sketcher.bilinear(p, config["c"], config["trials"], u, v, rng)
        probes.append({"mean": float(est.mean()), "sd": float(est.std(ddof=1)),
                       "truth": float(u @ A @ B @ v)})
    record["probes"] = probes
    return record


def _t_interval(mean: float, sd: float, n: int, level: float) -> stats.Interval:
    from scipy.stats import t
    half = t.ppf(0.5 + level / 2, n - 1) * sd / np.sqrt(n)
    return stats.Interval(mean, mean - half, mean + half, level, n, "t")


def _mc_records(ctx: CheckContext, schemes=SCHEMES, probes: int = 0, deltas=()) -> list[tuple]:
    b = MC[ctx.budget]
    configs = [dict(cfg, c=c, trials=b.trials, probes=probes, deltas=list(deltas))
               for cfg in instance_configs(ctx.budget, schemes) for c in b.cs]
    return list(zip(configs, ctx.runner.run(amm_trial, configs, "amm Monte Carlo")))


def _label(cfg: dict) -> str:
    return f"{cfg['kind']}/{cfg['scheme']}/seed{cfg['instance_seed']}/c={cfg['c']}"
