"""Worked examples of the separation claims (``pruneproof explain CLAIM``): small seeded
instances, the claim's expression evaluated on them, and the exact optimum (subset sums, exact
circle error) or the slope fitted to exact optima over a few widths."""
from __future__ import annotations

import numpy as np

from ..core.examples import example_row, register_example
from .bounds import best_neuron_subset_d1, brute_force_best, kink_gaps
from .circle import random_network, random_target
from .experiments import D1_TARGET, SUBSET_TARGET_RANGE
from .rates import predicted_slope
from .subsetsum import best_subset_sum, random_items
from .weight_pruning import weight_pruning_error


def _fit(ns, medians) -> float:
    return float(np.polyfit(np.asarray(ns, float), np.log10(medians), 1)[0])


def _rate_rows(claim, ns, medians, targets, **slope_args):
    fitted = _fit(ns, medians)
    predicted, _ = predicted_slope(claim, ns, targets, **slope_args)
    slope = float(claim.numeric("slope")(**slope_args))
    return [example_row("slope", claim, "~", predicted, fitted, "fitted",
                        "semi-log slope of the median error; claimed here: the finite-n "
                        "(Poisson-median) slope implied by the claim's rate"),
            example_row("slope", claim, "~", slope, fitted, "fitted",
                        "semi-log slope of the median error (vs the claim's asymptotic rate)")]


@register_example("subset-sum-exponential")
def _subset(claim, rng):
    ns, k = (12, 14, 16, 18), 40
    medians = [float(np.median([best_subset_sum(random_items(n, rng),
                                                float(rng.uniform(*SUBSET_TARGET_RANGE)))[0]
                                for _ in range(k)])) for n in ns]
    return {"instance": f"x_1..x_n ~ U[-1, 1], target z ~ U[-1, 1]; exact best subset-sum "
                        f"error (meet in the middle), median of {k} instances at n = {ns}",
            "rows": _rate_rows(claim, ns, medians, SUBSET_TARGET_RANGE),
            "notes": ["A smoke-sized fit: the Monte Carlo route fits more instances with a "
                      "bootstrap confidence interval."]}


@register_example("weight-pruning-logarithmic")
def _weight(claim, rng):
    ns, k, d = (48, 56, 64), 12, 2
    medians = []
    for n in ns:
        errs = []
        for _ in range(k):
            U, v = random_network(n, d, "uniform", rng)
            errs.append(weight_pruning_error(U, v, random_target(d, rng, "ball"))["sup_error"])
        medians.append(float(np.median(errs)))
    from .experiments import PENSIA_LAW, target_coordinates
    return {"instance": f"one ReLU neuron in d = 2 approximated by pruning the weights of a width-n "
                        f"net (U[-1, 1] units, w uniform in the unit ball); exact sup error on the "
                        f"circle, median of {k} nets at n = {ns}",
            "rows": _rate_rows(claim, ns, medians, target_coordinates(PENSIA_LAW, d), d=d),
            "notes": ["A smoke-sized fit with few nets: expect scatter around the prediction."]}


@register_example("neuron-pruning-lower-bound")
def _kink(claim, rng):
    n = 8
    U, v = random_network(n, 2, "gaussian", rng)
    w = random_target(2, rng)
    optimum = float(brute_force_best(U, v, w, "A")[0])
    d1, d2 = kink_gaps(U, w)
    args = dict(w_norm=float(np.linalg.norm(w)), delta_1=d1, delta_2=d2)
    q = "best neuron-pruning sup error (all 2^8 subsets, exact circle error)"
    return {"instance": f"n = {n} Gaussian ReLU units in d = 2, architecture A, target ||w|| = 1; "
                        f"kink gaps delta_1 = {d1:.4f}, delta_2 = {d2:.4f}",
            "rows": [example_row(name, claim, ">=", claim.numeric(name)(**args), optimum, "exact",
                                 q) for name in ("bound", "exact_three_point")]}


@register_example("neuron-pruning-lower-bound-b")
def _kink_exclusion(claim, rng):
    from .bounds_b import b_lower_bound, kink_costs
    n = 8
    for _ in range(50):  # the first net whose optimal subset uses a unit with a kink in R_OPT
        U, v = random_network(n, 2, "gaussian", rng)
        w = random_target(2, rng)
        optimum, subset = brute_force_best(U, v, w, "B")
        if not 0 < optimum < 1 or subset.size == 0:
            continue
        cost = kink_costs(U, v, w, optimum, claim)[subset]
        if cost.max() > 0:
            break
    unit = int(subset[int(np.argmax(cost))])
    bound = b_lower_bound(U, v, w, claim).bound
    return {"instance": f"n = {n} Gaussian ReLU units in d = 2, architecture B (output ReLU), "
                        f"||w|| = 1; optimal subset {subset.tolist()} (all 2^8 subsets, exact "
                        f"circle error), error level t = OPT = {optimum:.4f}",
            "rows": [example_row("kink_cost", claim, ">=", float(cost.max()), optimum, "exact",
                                 f"sup error of the optimal subset, which uses unit {unit} "
                                 f"(kink inside R_t)")],
            "notes": [f"The kink-exclusion lower bound on this net (largest certified level) is "
                      f"{bound:.4f} <= OPT = {optimum:.4f}."]}


@register_example("d1-control")
def _d1(claim, rng):
    ns, k = (24, 28, 32), 20
    medians = []
    for n in ns:
        errs = []
        for _ in range(k):
            U, v = random_network(n, 1, "gaussian", rng)
            w = np.array([D1_TARGET if rng.random() < 0.5 else -D1_TARGET])
            errs.append(best_neuron_subset_d1(U, v, w, "B")[0])
        medians.append(float(np.median(errs)))
    return {"instance": f"d = 1 control: n Gaussian units, target w = +-1; exact neuron-pruning "
                        f"optimum (subset sums), median of {k} nets at n = {ns}",
            "rows": _rate_rows(claim, ns, medians, (D1_TARGET, D1_TARGET)),
            "notes": ["A smoke-sized fit: the Monte Carlo route fits more instances."]}
