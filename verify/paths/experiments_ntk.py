"""Experiments of the paths topic's sketching claims: ``ntk-sketch-score`` (Monte Carlo sketches of
J theta), ``synflow-sketch-surrogate`` and ``path-kernel-predicts-convergence`` (one trial per
net), with their budgets as frozen dataclasses.  Trials record claim-independent ingredients only.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats as sps

from ..core.budgets import preset_table
from ..core.engine import trial
from .kernel import path_kernel_trace
from .masks import prune_mask
from .network import (
    apply_masks,
    flatten,
    forward,
    loss_gradient,
    param_jacobian,
    random_network,
)
from .ntk_sketch import ingredients, mask_error, ntk_problem, sampled_errors
from .scores import scores

#: family-wise false-failure probability of every statistical route of these claims
ALPHA = 1e-3


@dataclass(frozen=True)
class NtkSketchBudget:
    """Monte Carlo of ``ntk-sketch-score``: random nets, draws c, sampled sketches per case."""
    nets: int = 4
    cs: tuple = (4, 16)
    trials: int = 4000


NTK_MC = preset_table(NtkSketchBudget, {
    "smoke": NtkSketchBudget(),
    "default": NtkSketchBudget(nets=20, trials=20000),
    "paper": NtkSketchBudget(nets=100, cs=(4, 16, 64), trials=100000)})

#: sampling schemes of the Monte Carlo route (p proportional to the named score; uniform)
SCHEMES = ("ntk-sketch", "magnitude", "uniform")
NTK_ARCHS = ([3, 4, 3, 2], [2, 3, 2], [4, 3, 3, 2], [5, 4, 3])


def scheme_probabilities(weights, X, scheme: str) -> np.ndarray:
    """p over the flat parameters: proportional to the method's scores (:func:`.scores.scores`),
    or uniform."""
    if scheme == "uniform":
        return np.full(sum(W.size for W in weights), 1.0 / sum(W.size for W in weights))
    s = flatten(scores(weights, scheme, X=X))
    return s / s.sum()


def ntk_mc_configs(budget: str) -> list[dict]:
    b = NTK_MC[budget]
    return [{"sizes": NTK_ARCHS[i % len(NTK_ARCHS)], "n": 3, "net_seed": 500 + i, "c": c,
             "trials": b.trials} for i in range(b.nets) for c in b.cs]


@trial("pruneproof.verify.paths.experiments_ntk:ntk_sketch_trial")
def ntk_sketch_trial(config: dict, rng: np.random.Generator) -> dict:
    """Per scheme: the mean and sd of ``trials`` sampled ||J theta - J D theta||^2 and Q(p); and
    S, G, c of the net."""
    net_rng = np.random.default_rng(config["net_seed"])
    w = random_network(config["sizes"], net_rng)
    X = net_rng.standard_normal((config["n"], config["sizes"][0]))
    J, theta = ntk_problem(w, X)
    base = ingredients(J, theta)
    out = {"S": base["S"], "G": base["G"], "c": config["c"], "schemes": {}}
    for scheme in SCHEMES:
        p = scheme_probabilities(w, X, scheme)
        e = sampled_errors(J, theta, p, config["c"], config["trials"], rng)
        out["schemes"][scheme] = {"mean": float(e.mean()), "sd": float(e.std(ddof=1)),
                                  "n": int(e.size), "Q": ingredients(J, theta, p)["Q"]}
    return out


# ---------------------------------------------------------------- synflow-sketch-surrogate
@dataclass(frozen=True)
class SurrogateBudget:
    nets: int = 6


SURROGATE = preset_table(SurrogateBudget, {"smoke": SurrogateBudget(),
                                           "default": SurrogateBudget(nets=30),
                                           "paper": SurrogateBudget(nets=90)})
SURROGATE_ARCHS = ([16, 64, 64, 4], [8, 32, 32, 32, 2], [32, 128, 16, 8])
SURROGATE_METHODS = ("synflow", "snip", "magnitude")
SURROGATE_DENSITY = 0.1


def surrogate_configs(budget: str) -> list[dict]:
    return [{"sizes": SURROGATE_ARCHS[i % len(SURROGATE_ARCHS)], "n": 32, "net_seed": 700 + i,
             "density": SURROGATE_DENSITY} for i in range(SURROGATE[budget].nets)]


@trial("pruneproof.verify.paths.experiments_ntk:surrogate_trial")
def surrogate_trial(config: dict, rng: np.random.Generator) -> dict:
    """Per method: Spearman correlation with the ntk-sketch score, the DKM error ratio
    E(p ∝ score)/E(p*) (c-free: (Q - G)/(S^2 - G)), and the relative error on J theta of its
    top-k mask at ``density`` (the ntk-sketch mask's too)."""
    net_rng = np.random.default_rng(config["net_seed"])
    w = random_network(config["sizes"], net_rng)
    X = net_rng.standard_normal((config["n"], config["sizes"][0]))
    y = net_rng.standard_normal((config["n"], config["sizes"][-1]))
    J, theta = ntk_problem(w, X)
    ref = flatten(scores(w, "ntk-sketch", X=X))
    base = ingredients(J, theta)
    opt = base["S"] ** 2 - base["G"]
    out = {"params": int(theta.size), "ntk_mask_error": mask_error(
        J, theta, flatten(prune_mask(scores(w, "ntk-sketch", X=X), config["density"], rng)))}
    for method in SURROGATE_METHODS:
        s_list = scores(w, method, X=X, y=y)
        s = flatten(s_list)
        q = ingredients(J, theta, s / s.sum())["Q"]
        out[method] = {"spearman": float(sps.spearmanr(s, ref)[0]),
                       "dkm_ratio": float((q - base["G"]) / opt),
                       "mask_error": mask_error(J, theta, flatten(prune_mask(
                           s_list, config["density"], rng)))}
    return out


# ------------------------------------------------------------ path-kernel-predicts-convergence
@dataclass(frozen=True)
class ConvergenceBudget:
    nets: int = 4
    random_masks: int = 8


CONVERGENCE = preset_table(ConvergenceBudget, {
    "smoke": ConvergenceBudget(), "default": ConvergenceBudget(nets=20, random_masks=16),
    "paper": ConvergenceBudget(nets=60, random_masks=24)})
CONV_SIZES = [8, 32, 32, 1]
CONV_DENSITY = 0.3
CONV_STEPS = 50
CONV_ETA_FACTOR = 0.5
CONV_METHODS = (("random", None), ("magnitude", None), ("snip", None), ("synflow", None),
                ("synflow-l2", "author-code"), ("synflow-l2", "third-party"),
                ("synflow-l2", "saliency"), ("ntk-sketch", None))


def convergence_configs(budget: str) -> list[dict]:
    b = CONVERGENCE[budget]
    return [{"sizes": CONV_SIZES, "n": 32, "net_seed": 900 + i, "density": CONV_DENSITY,
             "steps": CONV_STEPS, "random_masks": b.random_masks} for i in range(b.nets)]


def _decay_rate(w, mask, X, y, eta: float, steps: int) -> tuple[float, list[float]]:
    """Full-batch GD on the masked net (pruned weights frozen at 0); the least-squares slope of
    -log L over steps 0..steps, and the losses."""
    v = apply_masks(w, mask)
    losses = []
    for _ in range(steps + 1):
        loss, grads = loss_gradient(v, X, y)
        losses.append(float(loss))
        v = [W - eta * G * m for W, G, m in zip(v, grads, mask)]
    t = np.arange(steps + 1)
    return float(-np.polyfit(t, np.log(np.maximum(losses, 1e-300)), 1)[0]), losses


@trial("pruneproof.verify.paths.experiments_ntk:convergence_trial")
def convergence_trial(config: dict, rng: np.random.Generator) -> dict:
    """Per mask (method masks and random masks with varied layer allocation, all at the same
    density): tr Pi and lambda_max(Theta) of the masked net at init, and its early decay rate."""
    net_rng = np.random.default_rng(config["net_seed"])
    sizes = config["sizes"]
    w = random_network(sizes, net_rng)
    X = net_rng.standard_normal((config["n"], sizes[0]))
    y = forward(random_network(sizes, net_rng), X)
    J = param_jacobian(w, X)
    eta = CONV_ETA_FACTOR / float(np.linalg.eigvalsh(J @ J.T / config["n"]).max())
    masks = []
    for method, variant in CONV_METHODS:
        s = scores(w, method, X=X, y=y, rng=rng, l2_variant=variant)
        masks.append((method + (f"/{variant}" if variant else ""), prune_mask(
            s, config["density"], rng)))
    for j in range(config["random_masks"]):
        offsets = rng.normal(0.0, 0.5, len(w))
        s = [rng.random(W.shape) + o for W, o in zip(w, offsets)]
        masks.append((f"random-allocation-{j}", prune_mask(s, config["density"], rng)))
    rows = []
    for label, mask in masks:
        v = apply_masks(w, mask)
        Jm = param_jacobian(v, X) * flatten([m.astype(float) for m in mask])[None, :]
        rate, losses = _decay_rate(w, mask, X, y, eta, config["steps"])
        rows.append({"mask": label, "trace": path_kernel_trace(v),
                     "lambda_max": float(np.linalg.eigvalsh(Jm @ Jm.T).max()), "rate": rate,
                     "loss0": losses[0], "loss_end": losses[-1],
                     "layer_fractions": [float(m.mean()) for m in mask]})
    return {"eta": eta, "masks": rows}
