"""Worked examples of the paths claims (``pruneproof explain CLAIM``): one small seeded ReLU net,
the claim's constant or expression evaluated, and the two sides computed independently (forward
pass or backprop against path enumeration or a one-pass formula)."""
from __future__ import annotations

import numpy as np
from scipy import optimize

from ..core.examples import example_row, register_example
from .experiments import (
    CONSERVING,
    compression_trial,
    conservation_trial,
    ntk_trial,
    output_trial,
    synflow_trial,
    trace_trial,
)
from .experiments_ntk import scheme_probabilities
from .network import random_network
from .ntk_sketch import enumerated_error, ingredients, ntk_problem

SIZES = [3, 4, 3, 2]
NET = f"ReLU net with layer sizes {SIZES} (He-normal weights), 5 Gaussian inputs"


def _config(sizes=SIZES):
    return {"sizes": list(sizes), "activation": "relu", "n": 5, "net_seed": 0}


def _proportion(lhs, rhs) -> float:
    """Least-squares factor k with lhs ~ k rhs: what the identity's constant is measured as."""
    lhs, rhs = np.ravel(lhs).astype(float), np.ravel(rhs).astype(float)
    return float(lhs @ rhs / (rhs @ rhs))


@register_example("path-output-identity")
def _output(claim, rng):
    r = output_trial(_config(), rng)
    return {"instance": f"{NET}; {r['paths']} paths",
            "rows": [example_row("ratio", claim, "==", claim.numeric("ratio")(),
                                 _proportion(r["f"], r["path_sum"]), "exact",
                                 "f(x) (forward pass) / J_pi(x) pi (path enumeration)")]}


@register_example("ntk-path-decomposition")
def _ntk(claim, rng):
    r = ntk_trial(_config(), rng)
    return {"instance": f"{NET}; Pi has rank {r['pi_rank']} <= {r['params']} parameters",
            "rows": [example_row("ratio", claim, "==", claim.numeric("ratio")(),
                                 _proportion(r["theta"], r["path_form"]), "exact",
                                 "NTK J J^T (backprop) / J_pi Pi J_pi^T (path kernel)")]}


@register_example("path-kernel-trace")
def _trace(claim, rng):
    r = trace_trial(_config(), rng)
    return {"instance": NET,
            "rows": [example_row("trace", claim, "==", claim.numeric("trace")(),
                                 r["trace_enumerated"] / r["one_pass"], "exact",
                                 "tr Pi (enumerated) / sum_e dR2/du_e (one pass)"),
                     example_row("euler", claim, "==", claim.numeric("euler")(L=r["L"], R2=r["R2"]),
                                 r["euler_sum"], "exact", "sum_e u_e dR2/du_e (Euler sum)")]}


@register_example("synflow-path-norm")
def _synflow(claim, rng):
    r = synflow_trial(_config(), rng)
    drops, scores = np.asarray(r["drops"]), np.asarray(r["scores"])
    return {"instance": f"{NET}; every one of the {len(drops)} edges zeroed in turn",
            "rows": [example_row("norm", claim, "==", claim.numeric("norm")(),
                                 r["R_SF"] / r["l1_enumerated"], "exact",
                                 "R_SF (one pass) / ||pi||_1 (enumerated)"),
                     example_row("drop", claim, "==", claim.numeric("drop")(),
                                 _proportion(drops, scores), "exact",
                                 "drop of R_SF when edge e is zeroed / SynFlow score S(e)")]}


@register_example("synflow-conservation")
def _conservation(claim, rng):
    r = conservation_trial(_config(), rng)["synflow"]
    totals = np.asarray(r["layer_totals"])
    return {"instance": f"{NET}; SynFlow scores of every edge",
            "rows": [example_row("neuron", claim, "==", claim.numeric("neuron")(),
                                 _proportion(r["incoming"], r["outgoing"]), "exact",
                                 "incoming score / outgoing score of each hidden neuron"),
                     example_row("layer_total", claim, "==",
                                 claim.numeric("layer_total")(k=r["k"], R=r["R"]),
                                 float(totals.mean()), "exact",
                                 f"each layer's total score (all {len(totals)} layers; spread "
                                 f"{float(np.ptp(totals)):.2g})")],
            "notes": [f"Methods that conserve: {', '.join(CONSERVING)}; magnitude does not."]}


@register_example("max-critical-compression")
def _compression(claim, rng):
    sizes = [3, 4, 2]
    r = compression_trial(_config(sizes), rng)
    kept = r["methods"]["synflow"]["kept"]
    return {"instance": f"ReLU net with layer sizes {sizes}: N = {r['N']} weights, L = {r['L']} "
                        f"layers; SynFlow removes one weight at a time, re-scoring after each, "
                        f"until the next removal would empty a layer",
            "rows": [example_row("rho_max", claim, "==", claim.numeric("rho_max")(N=r["N"],
                                                                                 L=r["L"]),
                                 r["N"] / kept, "exact", "critical compression N / kept")]}


@register_example("ntk-sketch-score")
def _ntk_sketch(claim, rng):
    sizes, c = [2, 2, 2], 2
    w = random_network(sizes, rng)
    X = rng.standard_normal((2, sizes[0]))
    J, theta = ntk_problem(w, X)
    base = ingredients(J, theta)
    a, S, G = base["a"], base["S"], base["G"]
    p_mag = scheme_probabilities(w, X, "magnitude")
    err_mag, Q, _ = enumerated_error(J, theta, p_mag, c)
    err_opt, _, _ = enumerated_error(J, theta, a / S, c)
    # the minimiser of the exact error over the simplex, found numerically (softmax coordinates)
    live = a > 0
    res = optimize.minimize(lambda t: np.sum(a[live] ** 2 / np.exp(t - np.logaddexp.reduce(t))),
                            np.zeros(int(live.sum())), method="BFGS", options={"gtol": 1e-10})
    p_best = np.exp(res.x - np.logaddexp.reduce(res.x))
    i = int(np.argmax(a[live]))
    q = "E||J theta - J D theta||^2 (all P^c index tuples, rational arithmetic)"
    return {"instance": f"ReLU net {sizes} (He-normal), 2 Gaussian inputs: J is "
                        f"{J.shape[0]}x{J.shape[1]}; c = {c} draws ({J.shape[1]}^{c} tuples "
                        f"enumerated)",
            "rows": [example_row("exact", claim, "==",
                                 claim.numeric("exact")(Q=float(Q), G=G, c=c), float(err_mag),
                                 "exact", q + " at magnitude p"),
                     example_row("optimal", claim, "==",
                                 claim.numeric("optimal")(S=S, G=G, c=c), float(err_opt),
                                 "exact", q + " at p_i = a_i / S"),
                     example_row("keep", claim, "==", claim.numeric("keep")(a=a[live][i], S=S),
                                 float(p_best[i]), "fitted",
                                 "largest coordinate of the numerical minimiser of the exact "
                                 "error over the simplex (BFGS)")]}
