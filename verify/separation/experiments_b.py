"""Configs and trials of the architecture-B kink-exclusion bound (claim
``neuron-pruning-lower-bound-b``, :mod:`.bounds_b`).

The trials record only claim-independent ingredients -- the nets, every subset's exact error
(enumerated widths) or the certified sandwich (larger widths) -- and the route evaluates the bound
of the claim object it receives on them.  :func:`neuron_net` regenerates the exact net of a
certified neuron-pruning record (same task stream as :func:`.experiments.neuron_trial`), so the
figure can draw the bound on the very nets whose optima it shows.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..core.budgets import pick, preset_table
from ..core.engine import config_hash, task_seed, trial
from ..core.prefetch import register_prefetch
from .bounds import kink_gap_exact_numeric, kink_gaps
from .bounds_b import b_lower_bound
from .certify import certify_neuron_pruning
from .circle import circle_error, circle_grid, random_network, random_target
from .experiments import NEURON, _neuron_instance, _neuron_records, neuron_trial
from .milp import lp_relaxation_bound_a
from .search import local_search
from .weight_pruning import weight_pruning_error


@dataclass(frozen=True)
class KinkBBudget:
    """``sizes`` enumerated widths (every subset's exact error), ``per_size`` nets each;
    ``certified`` widths with a certified sandwich, ``per_certified`` nets each; ``windows``
    random single-kink windows; adversarial ``restarts`` x ``maxfev`` at width ``search_n``."""

    sizes: tuple = (2, 3, 4, 6)
    per_size: int = 4
    certified: tuple = (12,)
    per_certified: int = 2
    windows: int = 200
    search_n: int = 3
    restarts: int = 1
    maxfev: int = 150


KINK_B = preset_table(KinkBBudget, {
    "smoke": KinkBBudget(),
    "default": KinkBBudget(sizes=(2, 3, 4, 6, 8), per_size=6, certified=(12, 16),
                           per_certified=4, windows=1000, restarts=2, maxfev=300),
    "paper": KinkBBudget(sizes=(2, 3, 4, 6, 8, 10), per_size=10, certified=(12, 16, 24),
                         per_certified=10, windows=5000, search_n=4, restarts=6, maxfev=600)})

#: ||w|| of the instances: log-uniform in this range (a factor ||w|| dropped or added shows only
#: when ||w|| != 1)
W_NORM_RANGE = (0.3, 2.0)


#: draws of an enumerated instance until some nonempty subset beats the empty one
MAX_DRAWS = 50


def _instance(n: int, rng: np.random.Generator):
    """Gaussian units; output weights scaled with ||w|| (else a small ||w|| or a large one makes
    the empty subset optimal, where the checks cannot fail)."""
    U, v = random_network(n, 2, "gaussian", rng)
    scale = math.exp(rng.uniform(math.log(W_NORM_RANGE[0]), math.log(W_NORM_RANGE[1])))
    return U, v * scale, random_target(2, rng) * scale


def _subset_errors(U, v, w) -> list[float]:
    n = U.shape[0]
    return [circle_error(U, v, w, [i for i in range(n) if mask >> i & 1], "B")
            for mask in range(1 << n)]


@trial("separation:kink-exclusion-instance")
def kink_exclusion_instance_trial(config: dict, rng: np.random.Generator) -> dict:
    """One Gaussian net (||w|| log-uniform in :data:`W_NORM_RANGE`, output weights scaled with
    it): with ``enumerate`` the exact architecture-B error of every subset (bit i of the index =
    unit i; redrawn, up to :data:`MAX_DRAWS` times, until a nonempty subset beats the empty
    one -- ``draws`` records how many), else the certified sandwich of the optimum (constraint
    generation, gap <= 1 %)."""
    n = config["n"]
    U, v, w = _instance(n, rng)
    rec = {"n": n}
    if config["enumerate"]:
        for draws in range(1, MAX_DRAWS + 1):
            errors = _subset_errors(U, v, w)
            if min(errors) < errors[0] * (1 - 1e-6):
                break
            U, v, w = _instance(n, rng)
        rec.update(errors=errors, optimum=min(errors), lower=min(errors), draws=draws)
    else:
        r = certify_neuron_pruning(U, v, w, "B", rng=rng)
        rec.update(optimum=r.upper, lower=r.lower, status=r.status)
    rec.update(U=U.tolist(), v=v.tolist(), w=w.tolist())
    return rec


def cut_off_unit_nets() -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Fixed adversarial nets (found by the internal review): a unit aligned with the target plus
    a unit with a large negative output weight whose kink sits just inside the target's own kink,
    where the output ReLU cuts it off -- it costs almost nothing although its kink cost *outside*
    R_t would be large, so a wrong arc R_t (e.g. the whole half-circle) is caught."""
    nets = []
    for w_norm in (1.0, 0.5):
        for eps in (0.05, 0.2):
            U = np.array([[1.0, 0.0], [math.cos(math.pi - eps), math.sin(math.pi - eps)]])
            nets.append((U, np.array([w_norm, -10.0]), np.array([w_norm, 0.0])))
    return nets


def kink_exclusion_instances(ctx) -> list[dict]:
    b = pick(KINK_B, ctx.budget)
    configs = [{"n": n, "instance": i, "enumerate": True}
               for n in b.sizes for i in range(b.per_size)]
    configs += [{"n": n, "instance": i, "enumerate": False}
                for n in b.certified for i in range(b.per_certified)]
    return ctx.runner.run(kink_exclusion_instance_trial, configs, "kink exclusion (B)")


def neuron_net(root_seed: int, n: int, instance: int):
    """The net of :func:`.experiments.neuron_trial`'s record (n, instance) under ``root_seed``."""
    chash = config_hash(neuron_trial, {"n": n, "instance": instance})
    return _neuron_instance(n, np.random.default_rng(task_seed(root_seed, chash)))


@trial("separation:kink-exclusion-on-neuron-nets")
def kink_exclusion_neuron_trial(config: dict, rng: np.random.Generator) -> dict:
    """The registered claim's kink-exclusion bound on the net of neuron-pruning record
    (``n``, ``instance``) (for the figure; routes evaluate the claim they are given)."""
    U, v, w = neuron_net(config["root_seed"], config["n"], config["instance"])
    return {"n": config["n"], "instance": config["instance"],
            "kink_exclusion_b": b_lower_bound(U, v, w).bound}


def kink_exclusion_on_neuron_nets(ctx) -> list[dict]:
    b = pick(NEURON, ctx.budget)
    configs = [{"n": n, "instance": i, "root_seed": ctx.runner.root_seed}
               for n in b.ns for i in range(b.instances)]
    return ctx.runner.run(kink_exclusion_neuron_trial, configs, "kink exclusion on neuron nets")


@dataclass(frozen=True)
class SandwichBudget:
    """Widths beyond the certified range (``ns``, ``instances`` nets each): a cheap *sandwich*
    of the neuron-pruning optimum -- upper: exact error of the best subset found by local search
    (``restarts`` on a ``grid``-point circle grid); lower: the kink-exclusion bound (B), the
    larger of the three-point kink-gap bound and the grid LP relaxation (A) -- and weight
    pruning on the same net.  Chosen after timing pilots on 2 cores: node-limited constraint
    generation (1000 nodes, 4 rounds) took 5-70 s per instance at n = 48-128, the restricted
    MILP 1-12 s, this sandwich about 2 s; certification to 1 % at n = 96 took 55 s (B) and hit
    the 120 s safety net (A), at n = 128 both hit it (gaps 29-35 %)."""

    ns: tuple = (32, 48)
    instances: int = 2
    grid: int = 256
    restarts: int = 5


SANDWICH = preset_table(SandwichBudget, {
    "smoke": SandwichBudget(),
    # the widths above each budget's certified range (NEURON.ns), so no width has both
    "default": SandwichBudget(ns=(64, 96, 128), instances=20, grid=1024, restarts=20),
    "paper": SandwichBudget(ns=(192, 256), instances=30, grid=1024, restarts=40)})

#: ``weight_beats_neuron`` value when the kink-exclusion bound exceeds the weight-pruning error
KINK_EXCLUSION_CERTIFICATE = "kink-exclusion"


@trial("separation:neuron-sandwich")
def neuron_sandwich_trial(config: dict, rng: np.random.Generator) -> dict:
    """One net (law of :func:`.experiments.neuron_trial`): sandwiches of the neuron-pruning
    optimum for A and B (see :class:`SandwichBudget`) and the block weight-pruning error; weight
    pruning is certified better than every neuron-pruned subnetwork (B) when its error is below
    the kink-exclusion bound (the registered claim's, as in every figure)."""
    n = config["n"]
    U, v, w = _neuron_instance(n, rng)
    grid = circle_grid(U, v, w, config["grid"])
    rec = {"n": n, "architecture": "B"}
    for a in ("A", "B"):
        x = local_search(grid, a, rng, restarts=config["restarts"])
        rec[f"upper_{a}"] = circle_error(U, v, w, np.flatnonzero(x > 0.5), a)
    d1, d2 = kink_gaps(U, w)
    rec["lower_A"] = max(kink_gap_exact_numeric(w_norm=float(np.linalg.norm(w)), delta_1=d1,
                                                delta_2=d2), lp_relaxation_bound_a(grid))
    rec["lower_B"] = b_lower_bound(U, v, w).bound
    rec["weight_sup"] = weight_pruning_error(U, v, w)["sup_error"]
    rec["weight_beats_neuron"] = (KINK_EXCLUSION_CERTIFICATE if rec["weight_sup"] < rec["lower_B"]
                                  else "not-certified")
    return rec


def neuron_sandwiches(ctx) -> list[dict]:
    b = pick(SANDWICH, ctx.budget)
    configs = [{"n": n, "instance": i, "grid": b.grid, "restarts": b.restarts}
               for n in b.ns for i in range(b.instances)]
    return ctx.runner.run(neuron_sandwich_trial, configs, "neuron-pruning sandwiches",
                          stream_keys=("n", "instance"))


# trial sets shared by several claims / figure tables: computed over the whole pool first
register_prefetch(("neuron-pruning-inverse-n", "neuron-pruning-lower-bound", "separation",
                   "neuron-pruning-scaling", "neuron-lower-bound"), _neuron_records)
register_prefetch(("neuron-pruning-lower-bound-b",), kink_exclusion_instances)
register_prefetch(("separation", "neuron-pruning-scaling"), neuron_sandwiches)
register_prefetch(("separation", "neuron-pruning-scaling"), kink_exclusion_on_neuron_nets)
