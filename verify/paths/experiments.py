"""Experiments of the paths topic: random small nets per budget and the trials of each claim.

Every trial records claim-independent ingredients only (both sides of an identity, computed by
independent code paths: enumeration of paths vs one-pass / backprop quantities); routes evaluate the
claim's registered expression on them.  All arithmetic is float64; inputs are Gaussian and every
record carries ``min_abs_z`` (the smallest |pre-activation|) so routes can assert the nets are away
from the ReLU kinks (> 1e-6).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..core.budgets import preset_table
from ..core.engine import trial
from .kernel import (
    euler_sum,
    num_paths,
    path_activations,
    path_kernel,
    path_kernel_trace,
    path_norm_l1,
    path_norm_sq,
    path_values,
    squared_weight_gradient,
)
from .masks import layer_collapse, prune_mask
from .network import (
    forward,
    min_abs_preactivation,
    num_params,
    param_jacobian,
    random_network,
)
from .scores import neuron_conservation, scores, synflow_scores_exact


@dataclass(frozen=True)
class McBudget:
    """Random nets per Monte Carlo route of the identity claims."""
    nets: int = 12


MC = preset_table(McBudget, {"smoke": McBudget(), "default": McBudget(nets=100),
                             "paper": McBudget(nets=500)})
#: Architectures (enumerable: <= MAX_PATHS paths) cycled through by the Monte Carlo routes.
ARCHS = ([3, 4, 3, 2], [2, 3, 2], [4, 3, 3, 2], [2, 2, 2, 2, 2], [5, 4, 3])
#: Fixed nets of the exact routes (spec 6.1 net first), relu and identity.
#: Depths L = 2, 3, 4, 6, 7 (the deep nets make a depth-dependent mutant of Euler's L R_2 that
#: agrees with L at L = 2, 3, 4 visible; review finding).
EXACT_CASES = (([3, 4, 3, 2], "relu", 0), ([3, 4, 3, 2], "identity", 1), ([2, 5, 3], "relu", 2),
               ([4, 3, 3, 3, 2], "relu", 3), ([2, 3, 2, 2, 2, 2, 2], "relu", 4),
               ([2, 2, 2, 2, 2, 2, 2, 2], "identity", 5))
#: Tiny nets of Theorem 3 (every single removal re-scored).
TINY = ([3, 4, 2], [2, 3, 3, 2], [4, 5, 3, 2], [3, 2, 4, 2])
CONSERVING = ("synflow", "synflow-l2-saliency", "synflow-dist")
CONTROLS = ("magnitude", "synflow-l2-author-code", "synflow-l2-third-party")


def mc_configs(budget: str, **extra) -> list[dict]:
    return [{"sizes": ARCHS[i % len(ARCHS)], "activation": "relu", "n": 5, "net_seed": i, **extra}
            for i in range(MC[budget].nets)]


def exact_configs(**extra) -> list[dict]:
    return [{"sizes": list(s), "activation": a, "n": 5, "net_seed": 10_000 + i, **extra}
            for s, a, i in EXACT_CASES]


KINK = 1e-6


def _net(config: dict, rng: np.random.Generator):
    """A random He-normal net and Gaussian inputs, both redrawn (up to 100 times) until every
    pre-activation is farther than KINK from the ReLU kink (the claims' assumption; a narrow net
    can be structurally dead, z = 0 for every input)."""
    for _ in range(100):
        w = random_network(config["sizes"], rng)
        X = rng.standard_normal((config["n"], config["sizes"][0]))
        if min_abs_preactivation(w, X, config.get("activation", "relu")) > KINK:
            break
    return w, X


def run_direct(fn, configs: list[dict]) -> list[dict]:
    """Run a trial on fixed configs with rng seeded by ``net_seed`` (the exact routes' nets)."""
    return [fn(cfg, np.random.default_rng(cfg["net_seed"])) for cfg in configs]


@trial("pruneproof.verify.paths.experiments:output_trial")
def output_trial(config: dict, rng: np.random.Generator) -> dict:
    """f(X) by the forward pass and J_pi pi by path enumeration (both flattened)."""
    w, X = _net(config, rng)
    act = config["activation"]
    return {"f": forward(w, X, act).ravel().tolist(),
            "path_sum": (path_activations(w, X, act) @ path_values(w)).tolist(),
            "min_abs_z": min_abs_preactivation(w, X, act), "paths": num_paths(w)}


@trial("pruneproof.verify.paths.experiments:ntk_trial")
def ntk_trial(config: dict, rng: np.random.Generator) -> dict:
    """Backprop NTK J_theta J_theta^T vs J_pi Pi J_pi^T; spectrum facts of Pi."""
    w, X = _net(config, rng)
    act = config["activation"]
    J = param_jacobian(w, X, act)
    Jpi = path_activations(w, X, act)
    _, Pi = path_kernel(w)
    eig = np.linalg.eigvalsh(Pi)
    return {"theta": (J @ J.T).tolist(), "path_form": (Jpi @ Pi @ Jpi.T).tolist(),
            "pi_min_eig": float(eig.min()), "pi_max_eig": float(eig.max()),
            "pi_rank": int(np.linalg.matrix_rank(Pi)), "params": num_params(w),
            "min_abs_z": min_abs_preactivation(w, X, act)}


@trial("pruneproof.verify.paths.experiments:trace_trial")
def trace_trial(config: dict, rng: np.random.Generator) -> dict:
    """tr Pi by enumeration, sum_e dR2/du_e in one pass, sum_e u_e dR2/du_e, R2 and L."""
    w, _ = _net(config, rng)
    return {"trace_enumerated": float(np.trace(path_kernel(w)[1])),
            "one_pass": float(sum(G.sum() for G in squared_weight_gradient(w))),
            "one_pass_fn": path_kernel_trace(w), "euler_sum": euler_sum(w),
            "R2": path_norm_sq(w), "R2_enumerated": float(np.sum(path_values(w) ** 2)),
            "L": len(w)}


@trial("pruneproof.verify.paths.experiments:synflow_trial")
def synflow_trial(config: dict, rng: np.random.Generator) -> dict:
    """R_SF (one pass), ||pi||_1 (enumeration); per edge, the drop of R_SF when it alone is
    zeroed (recomputed) and its SynFlow score (closed form)."""
    w, _ = _net(config, rng)
    R = path_norm_l1(w)
    S = synflow_scores_exact(w)
    drops, score = [], []
    for l, W in enumerate(w):
        for idx in np.ndindex(W.shape):
            v = [a.copy() for a in w]
            v[l][idx] = 0.0
            drops.append(R - path_norm_l1(v))
            score.append(float(S[l][idx]))
    return {"R_SF": R, "l1_enumerated": float(np.abs(path_values(w)).sum()), "drops": drops,
            "scores": score}


def method_scores(w, method: str, xbar=None):
    """Unscaled scores and (objective R, degree k) of the conserving methods; (None, None) for
    the negative controls."""
    if method == "synflow":
        return synflow_scores_exact(w), path_norm_l1(w), 1
    if method == "synflow-dist":
        Rd = float(forward([np.abs(W) for W in w], xbar[None, :], "relu").sum())
        return synflow_scores_exact(w, xbar), Rd, 1
    if method == "synflow-l2-saliency":
        return [2 * W * W * G for W, G in zip(w, squared_weight_gradient(w))], path_norm_sq(w), 2
    if method == "magnitude":
        return [np.abs(W) for W in w], None, None
    if method == "synflow-l2-author-code":
        return [np.abs(W) * S for W, S in zip(w, synflow_scores_exact(w))], None, None
    if method == "synflow-l2-third-party":
        return [np.abs(W) * G for W, G in zip(w, squared_weight_gradient(w))], None, None
    raise ValueError(f"unknown method {method!r}")


@trial("pruneproof.verify.paths.experiments:conservation_trial")
def conservation_trial(config: dict, rng: np.random.Generator) -> dict:
    """Per method: incoming and outgoing totals of every hidden neuron, every layer's total, and
    (conserving methods) the objective R and its per-layer degree k.  SynFlow-Dist uses the mean
    of nonnegative inputs (uniform on [0, 1], like unnormalised images)."""
    w, _ = _net(config, rng)
    xbar = rng.uniform(0.0, 1.0, size=(16, config["sizes"][0])).mean(axis=0)
    out = {}
    for method in CONSERVING + CONTROLS:
        s, Robj, deg = method_scores(w, method, xbar)
        pairs = neuron_conservation(w, s)
        out[method] = {"incoming": np.concatenate([i for i, _ in pairs]).tolist(),
                       "outgoing": np.concatenate([o for _, o in pairs]).tolist(),
                       "layer_totals": [float(a.sum()) for a in s], "R": Robj, "k": deg}
    return out


def critical_removal(w, method: str, xbar=None) -> dict:
    """Remove the live weight of smallest score one at a time, re-scoring the masked net after
    every removal (ties broken by lowest flat index), until the next removal would empty a layer
    or every layer has one survivor.  Returns the kept count at that point and whether the stop
    was forced by a would-be collapse while another layer still had >= 2 survivors."""
    mask = [np.ones(W.shape, dtype=bool) for W in w]
    while True:
        live = [int(m.sum()) for m in mask]
        if all(c == 1 for c in live):
            return {"kept": sum(live), "collapse": False, "per_layer": live}
        masked = [W * m for W, m in zip(w, mask)]
        s = method_scores(masked, method, xbar)[0]
        flat = np.concatenate([np.where(m, a, np.inf).ravel() for a, m in zip(s, mask)])
        j = int(np.argmin(flat))
        offsets = np.cumsum([0] + [m.size for m in mask])
        l = int(np.searchsorted(offsets, j, side="right") - 1)
        if live[l] == 1:
            return {"kept": sum(live), "collapse": True, "per_layer": live}
        mask[l].ravel()[j - offsets[l]] = False


@trial("pruneproof.verify.paths.experiments:compression_trial")
def compression_trial(config: dict, rng: np.random.Generator) -> dict:
    """Theorem 3 on a tiny net: N, L and the kept count of one-at-a-time re-scored removal, for
    the conserving methods and the magnitude control."""
    w, _ = _net(config, rng)
    xbar = rng.uniform(0.0, 1.0, size=(16, config["sizes"][0])).mean(axis=0)
    return {"N": num_params(w), "L": len(w),
            "methods": {m: critical_removal(w, m, xbar) for m in CONSERVING + ("magnitude",)}}


@dataclass(frozen=True)
class TinyBudget:
    """Tiny nets of Theorem 3's Monte Carlo route."""
    nets: int = 8


TINY_BUDGET = preset_table(TinyBudget, {"smoke": TinyBudget(), "default": TinyBudget(nets=40),
                                        "paper": TinyBudget(nets=200)})


def tiny_configs(budget: str) -> list[dict]:
    return [{"sizes": TINY[i % len(TINY)], "activation": "relu", "n": 1, "net_seed": i}
            for i in range(TINY_BUDGET[budget].nets)]


# --------------------------------------------------------------------- figure: layer collapse
SPEC_65 = [64, 256, 8, 256, 10]
COLLAPSE_METHODS = ("random", "magnitude", "snip", "grasp", "synflow", "synflow-iterative")


@dataclass(frozen=True)
class CollapseBudget:
    """Figure layer-collapse: the alpha grid (rho = 10^alpha) and iterative SynFlow's rounds."""
    alphas: tuple = (0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 3.75)
    rounds: int = 20


_FINE_ALPHAS = tuple(np.round(np.arange(0.5, 3.76, 0.25), 2))
COLLAPSE = preset_table(CollapseBudget, {
    "smoke": CollapseBudget(), "default": CollapseBudget(alphas=_FINE_ALPHAS, rounds=100),
    "paper": CollapseBudget(alphas=_FINE_ALPHAS, rounds=100)})


@trial("pruneproof.verify.paths.experiments:layer_collapse_trial")
def layer_collapse_trial(config: dict, rng: np.random.Generator) -> dict:
    """Remaining fraction per layer of one method at compression 10^alpha on the spec 6.5 net."""
    from .masks import iterative_prune
    net_rng = np.random.default_rng(config["net_seed"])
    w = random_network(config["sizes"], net_rng)
    X = net_rng.standard_normal((16, config["sizes"][0]))
    y = net_rng.standard_normal((16, config["sizes"][-1]))
    density = 10.0 ** (-config["alpha"])
    method = config["method"]
    if method == "synflow-iterative":
        mask = iterative_prune(w, "synflow", density, rounds=config["rounds"], rng=rng)
    else:
        mask = prune_mask(scores(w, method, X=X, y=y, rng=rng), density, rng)
    return {"fractions": [float(m.mean()) for m in mask], "kept": [int(m.sum()) for m in mask],
            "collapsed": layer_collapse(mask)}


@dataclass(frozen=True)
class CollapseSeedsBudget:
    """Seeds of the single-shot-collapse hypothesis."""
    seeds: int = 3


HYPOTHESIS_SEEDS = preset_table(CollapseSeedsBudget, {
    "smoke": CollapseSeedsBudget(), "default": CollapseSeedsBudget(seeds=10),
    "paper": CollapseSeedsBudget(seeds=30)})
# the hypothesis's alpha grid and iterative SynFlow's rounds are declared with the claim
# (theory.paths, single-shot-collapse: alpha_min, alpha_max, alpha_step, rounds)


@trial("pruneproof.verify.paths.experiments:collapse_seed_trial")
def collapse_seed_trial(config: dict, rng: np.random.Generator) -> dict:
    """One seed of the spec 6.5 net: per alpha of the grid, whether single-shot SynFlow empties a
    layer (and which layers), and whether iterative SynFlow does."""
    from .masks import iterative_prune
    w = random_network(config["sizes"], np.random.default_rng(config["net_seed"]))
    s = scores(w, "synflow")
    rows = []
    for alpha in config["alphas"]:
        density = 10.0 ** (-alpha)
        one = prune_mask(s, density, rng)
        it = iterative_prune(w, "synflow", density, rounds=config["rounds"], rng=rng) \
            if alpha == max(config["alphas"]) else None
        rows.append({"alpha": alpha, "single_shot_empty": [int(not m.any()) for m in one],
                     "iterative_collapsed": None if it is None else layer_collapse(it)})
    return {"N": num_params(w), "L": len(w), "rows": rows}
