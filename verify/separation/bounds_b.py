"""Architecture B (output ReLU), d = 2: the kink-exclusion lower bound on the neuron-pruning
optimum (claim ``neuron-pruning-lower-bound-b``, :mod:`pruneproof.theory.separation_b`; derived
here).

For an error level 0 < t < ||w||, R_t = (theta_w - alpha_t, theta_w + alpha_t) with
alpha_t = arccos(t/||w||) is the arc where the target exceeds t.  A unit whose kink kappa lies in
R_t has the **kink cost** |c_i| / (cot(d1/2) + cot(d2/2)) (c_i = v_i ||u_i||; d1, d2 the distances
from kappa to the nearest kink of any other unit, clamped to the ends of R_t): every subnetwork
with error <= t that uses it has error >= its cost.  So a subnetwork with error <= t avoids every
unit whose cost exceeds t, and the LP relaxation on a grid of R_t over the other units is <= t.
:func:`b_lower_bound` returns the largest tested level t whose LP value exceeds t: a certified
lower bound on OPT_B (each level is an independent certificate, so any set of levels is valid).

The kink cost and alpha_t are evaluated from the claim object handed in (default: the registered
claim), so a route checking a perturbed claim bounds with the perturbed expression.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from pruneproof.theory.claims import Claim, get_claim
from scipy.optimize import linprog

from .circle import SOLVER_TOLERANCE, _det_inner, _polar, det_sincos, validate_network

#: a unit is excluded at level t only if its cost exceeds t by this relative margin (the costs are
#: computed from float angles)
EXCLUSION_MARGIN = 1e-9


@dataclass(frozen=True)
class KinkWindows:
    """Units with a kink inside R_t (``units``), their kink amplitude |c_i| and the window sides
    (d1, d2); ``alpha`` the half-width of R_t, ``kinks`` the kink angles relative to theta_w."""

    alpha: float
    units: np.ndarray
    amplitude: np.ndarray
    delta_1: np.ndarray
    delta_2: np.ndarray
    kinks: np.ndarray


@dataclass(frozen=True)
class BLowerBound:
    """``bound`` the certified lower bound (0 if no level certifies); ``level_tests`` one row per
    tested level: (t, LP value on R_t, excluded units)."""

    bound: float
    level_tests: tuple


def _claim(claim: Claim | None) -> Claim:
    return get_claim("neuron-pruning-lower-bound-b") if claim is None else claim


def _check_level(t, w_norm: float) -> float:
    if isinstance(t, bool) or not isinstance(t, (int, float, np.floating, np.integer)):
        raise TypeError(f"t must be a real number, got {type(t).__name__}")
    if not 0.0 < float(t) < w_norm:
        raise ValueError(f"t must be in (0, ||w||) = (0, {w_norm:g}), got {t!r}")
    return float(t)


def _arc(claim: Claim | None, t: float, w_norm: float) -> float:
    """The claim's arc half-width alpha_t (must be a number in (0, pi/2])."""
    with np.errstate(invalid="ignore"):
        alpha = float(_claim(claim).numeric("arc_half_width")(t=t, w_norm=w_norm))
    if not 0.0 < alpha <= math.pi / 2:
        raise ValueError(f"the claim's arc_half_width at t = {t:g}, ||w|| = {w_norm:g} is "
                         f"{alpha!r}, not in (0, pi/2]")
    return alpha


def kink_windows(U, v, w, t: float, claim: Claim | None = None) -> KinkWindows:
    """The kink windows of the units with a kink in R_t (module docstring)."""
    U, v, w = validate_network(U, v, w)
    if U.shape[1] != 2:
        raise ValueError("the kink-exclusion bound needs d = 2")
    alpha_u, amp, theta_w, w_norm = _polar(U, v, w)
    t = _check_level(t, w_norm)
    alpha = _arc(claim, t, w_norm)
    n = alpha_u.size
    kinks = np.concatenate([alpha_u + math.pi / 2, alpha_u - math.pi / 2])
    rel = np.mod(kinks - theta_w + math.pi, 2 * math.pi) - math.pi     # in [-pi, pi)
    owner = np.concatenate([np.arange(n), np.arange(n)])
    order = np.argsort(rel, kind="stable")
    r, o = rel[order], owner[order]
    inside = np.flatnonzero(np.abs(r) < alpha)
    # neighbours in sorted order are other units' kinks (a unit's two kinks are pi apart, and
    # R_t is shorter than pi); windows are clamped to the closure of R_t
    left = np.where(inside > 0, r[inside] - r[np.maximum(inside - 1, 0)], np.inf)
    right = np.where(inside < r.size - 1, r[np.minimum(inside + 1, r.size - 1)] - r[inside],
                     np.inf)
    d1 = np.minimum(left, r[inside] + alpha)
    d2 = np.minimum(right, alpha - r[inside])
    units = o[inside]
    return KinkWindows(alpha, units, np.abs(amp[units]), d1, d2, r[inside])


def kink_costs(U, v, w, t: float, claim: Claim | None = None) -> np.ndarray:
    """Per unit, the claim's kink cost at level t (0 for units without a kink in R_t)."""
    win = kink_windows(U, v, w, t, claim)
    fn = _claim(claim).numeric("kink_cost")
    cost = np.zeros(np.asarray(U).shape[0])
    if win.units.size:
        with np.errstate(divide="ignore", invalid="ignore"):
            val = np.asarray(fn(c=win.amplitude, delta_1=win.delta_1, delta_2=win.delta_2),
                             dtype=float) * np.ones(win.units.size)
        val = np.where((win.delta_1 > 0) & (win.delta_2 > 0) & np.isfinite(val), val, 0.0)
        cost[win.units] = val
    return cost


def arc_lp_value(U, v, w, alpha: float, allowed, points: int = 256) -> float:
    """min over x in [0,1]^allowed of max over a grid of [theta_w - alpha, theta_w + alpha] (the
    ends, ``points`` uniform angles and every unit's kink inside) of |Phi x - F|: the LP
    relaxation of architecture A on the arc (a lower bound on it: fewer constraints), minus the
    solver tolerance."""
    U, v, w = validate_network(U, v, w)
    alpha_u, _, theta_w, _ = _polar(U, v, w)
    rel = np.mod(np.concatenate([alpha_u + math.pi / 2, alpha_u - math.pi / 2]) - theta_w
                 + math.pi, 2 * math.pi) - math.pi
    s = np.union1d(np.linspace(-alpha, alpha, points), rel[np.abs(rel) < alpha])
    sin, cos = det_sincos(theta_w + s)
    X = np.column_stack([cos, sin])
    F = np.maximum(_det_inner(X, w), 0.0)
    allowed = np.asarray(allowed, dtype=int)
    Phi = np.maximum(_det_inner(X, U[allowed]), 0.0) * v[allowed][None, :]
    k, m = allowed.size, s.size
    if k == 0:
        return float(np.max(F)) - SOLVER_TOLERANCE
    ones = np.ones((m, 1))
    A = np.vstack([np.hstack([Phi, -ones]), np.hstack([-Phi, -ones])])
    c = np.zeros(k + 1)
    c[-1] = 1.0
    res = linprog(c, A_ub=A, b_ub=np.concatenate([F, -F]), bounds=[(0, 1)] * k + [(0, None)],
                  method="highs")
    if res.status != 0:
        return 0.0  # no certificate from this level
    return float(res.fun) - SOLVER_TOLERANCE


def level_certifies(U, v, w, t: float, claim: Claim | None = None, points: int = 256):
    """(certified, LP value, excluded units): does level t certify OPT_B > t?"""
    cost = kink_costs(U, v, w, t, claim)
    excluded = np.flatnonzero(cost > t * (1.0 + EXCLUSION_MARGIN))
    allowed = np.setdiff1d(np.arange(cost.size), excluded)
    alpha = _arc(claim, t, float(np.linalg.norm(w)))
    value = arc_lp_value(U, v, w, alpha, allowed, points)
    return value > t, value, excluded


def b_lower_bound(U, v, w, claim: Claim | None = None, levels: int = 40, refine: int = 8,
                  points: int = 256) -> BLowerBound:
    """Largest certified level among ``levels`` geometric levels in [1e-5, 0.999] ||w|| and
    ``refine`` bisection steps between the largest certified level and the next one above it."""
    U, v, w = validate_network(U, v, w)
    for name, value, low in (("levels", levels, 2), ("refine", refine, 0), ("points", points, 4)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < low:
            raise ValueError(f"{name} must be an integer >= {low}, got {value!r}")
    w_norm = float(np.linalg.norm(w))
    grid = w_norm * np.geomspace(1e-5, 0.999, levels)
    tests, best, above = [], 0.0, None
    for t in grid:
        ok, value, excluded = level_certifies(U, v, w, float(t), claim, points)
        tests.append((float(t), value, excluded.size))
        if ok:
            best, above = float(t), None
        elif above is None and best > 0:
            above = float(t)
    if best > 0:
        lo, hi = best, above if above is not None else w_norm * 0.9999
        for _ in range(refine):
            mid = math.sqrt(lo * hi)
            ok, value, excluded = level_certifies(U, v, w, mid, claim, points)
            tests.append((mid, value, excluded.size))
            lo, hi = (mid, hi) if ok else (lo, mid)
        best = lo
    return BLowerBound(best, tuple(tests))
