"""Per-instance lower bounds (the kink gap of architecture A, ``spec/separation.md`` §4.3, and an
LP bound on the kink arc), the brute-force reference for small n, and the d = 1 case (two
independent subset sums, §4.2)."""
from __future__ import annotations

import math

import numpy as np
from pruneproof.theory.separation import NEURON_LB
from scipy.optimize import linprog

from .circle import (
    SOLVER_TOLERANCE,
    _check_architecture,
    _check_norm,
    circle_error,
    network_output,
    validate_network,
)
from .subsetsum import best_subset_sum


def kink_gaps(U, w) -> tuple[float, float]:
    """(delta_1, delta_2): distances (mod pi) from the target's kink to the nearest feature kink
    clockwise / counter-clockwise, over **all** n features (spec §4.3; d = 2)."""
    U = np.asarray(U, dtype=float)
    w = np.asarray(w, dtype=float)
    alpha = np.arctan2(U[:, 1], U[:, 0])
    theta_w = math.atan2(w[1], w[0])
    offset = np.mod(alpha - theta_w, math.pi)  # feature kinks relative to the target's, mod pi
    ccw = float(np.min(offset)) if offset.size else math.pi
    cw = float(np.min(np.mod(-offset, math.pi)))
    return cw, ccw


def kink_gap_bound(U, w) -> float:
    """Per-instance first-order kink-gap bound for architecture A, d = 2 (spec §4.3, [derived]):

    .. math::  LB_A = \\frac{\\|w\\| \\delta_1 \\delta_2}{2(\\delta_1 + \\delta_2)}

    (from ``theory.separation``'s claim ``neuron-pruning-lower-bound``)."""
    d1, d2 = kink_gaps(U, w)
    return float(kink_gap_bound_numeric(w_norm=float(np.linalg.norm(w)), delta_1=d1, delta_2=d2))


def kink_arc_lp_bound(U, v, w, points: int = 400) -> float:
    """dist_inf(F|_I, span{cos, sin}|_I) on ``points`` grid angles of the kink-free arc
    I = (kappa - delta_1, kappa + delta_2) (a 3-variable LP; grid => certified lower bound on every
    architecture-A subnetwork's sup error, up to LP tolerance) [derived]."""
    U, v, w = validate_network(U, v, w)
    d1, d2 = kink_gaps(U, w)
    theta_w = math.atan2(w[1], w[0])
    best = float("inf")
    for kappa in (theta_w + math.pi / 2, theta_w - math.pi / 2):
        # around each target kink the arc sides are (d1, d2) or mirrored; take both orientations
        for lo, hi in ((d1, d2), (d2, d1)):
            s = np.union1d(np.linspace(-lo, hi, points), [0.0])  # the kink itself
            theta = kappa + s
            F = np.maximum(w[0] * np.cos(theta) + w[1] * np.sin(theta), 0.0)
            A = np.column_stack([np.cos(theta), np.sin(theta), -np.ones_like(theta)])
            res = linprog([0, 0, 1], A_ub=np.vstack([A, -A * [1, 1, -1]]),
                          b_ub=np.concatenate([F, -F]),
                          bounds=[(None, None), (None, None), (0, None)], method="highs")
            if res.status == 0:
                best = min(best, float(res.fun))
    return max(best - SOLVER_TOLERANCE, 0.0) if np.isfinite(best) else 0.0


def brute_force_best(U, v, w, architecture: str = "B", norm: str = "sup", max_n: int = 16):
    """Enumerate all 2^n subsets with :func:`circle_error` (d = 2) -> (error, subset)."""
    U, v, w = validate_network(U, v, w)
    n = U.shape[0]
    if n > max_n:
        raise ValueError(f"brute force needs n <= {max_n}, got n = {n}")
    best, best_s = float("inf"), np.zeros(0, dtype=int)
    for mask in range(1 << n):
        s = np.array([i for i in range(n) if mask >> i & 1], dtype=int)
        e = circle_error(U, v, w, s, architecture, norm)
        if e < best:
            best, best_s = e, s
    return best, best_s


def best_neuron_subset_d1(U, v, w, architecture: str = "B", norm: str = "sup"):
    """d = 1 (spec §2.1 item 2, §4.2): with P = {u_i > 0}, N = {u_i < 0},
    :math:`h_S(x) = (\\sum_{S\\cap P} v_i u_i)\\sigma(x) + (\\sum_{S\\cap N} v_i|u_i|)\\sigma(-x)`, so the
    errors at x = +1 and x = -1 are two independent subset sums (targets sigma(w), sigma(-w)); for
    B the same subsets are optimal (|sigma(a) - f| >= min(|a - f|, f) with f >= 0).  Exact by
    meet-in-the-middle.  Returns (error, error, subset)."""
    U, v, w = validate_network(U, v, w)
    _check_architecture(architecture)
    _check_norm(norm)
    u = U[:, 0]
    parts, errors = [], []
    for side, f in ((u > 0, max(w[0], 0.0)), (u < 0, max(-w[0], 0.0))):
        idx = np.flatnonzero(side)
        if idx.size == 0:
            errors.append(f)
            continue
        err, sel = best_subset_sum(v[idx] * np.abs(u[idx]), f)
        errors.append(err)
        parts.append(idx[sel])
    subset = np.sort(np.concatenate(parts)) if parts else np.zeros(0, dtype=int)
    e = max(errors) if norm == "sup" else math.sqrt(0.5 * (errors[0] ** 2 + errors[1] ** 2))
    return float(e), float(e), subset


def d1_error(U, v, w, subset, architecture: str = "B", norm: str = "sup") -> float:
    """Exact error in d = 1 (the sphere is {-1, +1})."""
    U, v, w = validate_network(U, v, w)
    X = np.array([[1.0], [-1.0]])
    diff = network_output(U, v, subset, X, _check_architecture(architecture)) - np.maximum(X @ w, 0)
    return float(np.max(np.abs(diff))) if _check_norm(norm) == "sup" else float(
        np.sqrt(np.mean(diff ** 2)))


def kink_gap_bound_numeric(*, w_norm: float, delta_1: float, delta_2: float) -> float:
    """LB_A = ||w|| d1 d2 / (2 (d1 + d2)) (lambdified from the claim's expression)."""
    return NEURON_LB.numeric("bound")(w_norm=w_norm, delta_1=delta_1, delta_2=delta_2)


def kink_gap_exact_numeric(*, w_norm: float, delta_1: float, delta_2: float) -> float:
    """||w|| / (cot(d1/2) + cot(d2/2)) -- the exact three-point bound (>= LB_A)."""
    return NEURON_LB.numeric("exact_three_point")(w_norm=w_norm, delta_1=delta_1, delta_2=delta_2)
