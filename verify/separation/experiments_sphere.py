"""Configs and trial of the d = 3 extension (``spec/separation.md`` §6 E6, :mod:`.sphere`): per
net, the certified lower bound and the dense-grid estimate of the neuron-pruning optimum for
architectures A and B, and weight pruning's rigorous upper bound on the same net."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..core.budgets import pick, preset_table
from ..core.engine import trial
from ..core.prefetch import register_prefetch
from .circle import random_network, random_target
from .sphere import sphere_neuron_bounds
from .weight_pruning import weight_pruning_error


@dataclass(frozen=True)
class SphereBudget:
    """``ns`` widths, ``instances`` nets per width (Gaussian units, w uniform on S²); per net the
    point-set constraint generation of :func:`.sphere.sphere_neuron_bounds` with ``points``
    Fibonacci points, ``dense`` evaluation points, ``rounds`` MILPs of at most ``nodes`` nodes."""

    ns: tuple = (6, 8, 12)
    instances: int = 2
    points: int = 600
    dense: int = 5000
    rounds: int = 2
    nodes: int = 2000


SPHERE = preset_table(SphereBudget, {
    "smoke": SphereBudget(),
    "default": SphereBudget(ns=(8, 12, 16, 24, 32), instances=10, points=2000, dense=20000,
                            rounds=4, nodes=5000),
    "paper": SphereBudget(ns=(8, 12, 16, 24, 32, 48, 64, 96), instances=20, points=4000,
                          dense=40000, rounds=6, nodes=50000)})


@trial("separation:sphere-d3")
def sphere_trial(config: dict, rng: np.random.Generator) -> dict:
    """One d = 3 net: neuron-pruning bounds (A and B) and the weight-pruning l2 bound."""
    n = config["n"]
    U, v = random_network(n, 3, "gaussian", rng)
    w = random_target(3, rng)
    rec = {"n": n, "weight_bound": weight_pruning_error(U, v, w, exact=False)["l2_bound"]}
    for a in ("A", "B"):
        r = sphere_neuron_bounds(U, v, w, a, points=config["points"],
                                 dense_points=config["dense"], rounds=config["rounds"],
                                 node_limit=config["nodes"], rng=rng)
        rec.update({f"lower_{a}": r.lower, f"estimate_{a}": r.estimate, f"status_{a}": r.status})
    rec["weight_certified_better"] = bool(rec["weight_bound"] < rec["lower_B"])
    return rec


def sphere_records(ctx) -> list[dict]:
    b = pick(SPHERE, ctx.budget)
    configs = [{"n": n, "instance": i, "points": b.points, "dense": b.dense, "rounds": b.rounds,
                "nodes": b.nodes} for n in b.ns for i in range(b.instances)]
    return ctx.runner.run(sphere_trial, configs, "neuron pruning on S^2",
                          stream_keys=("n", "instance"))


register_prefetch(("separation-d3",), sphere_records)
