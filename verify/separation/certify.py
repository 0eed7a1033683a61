"""Certified neuron-pruning optima at scale (d = 2, sup norm): constraint generation for the
semi-infinite problem  min_S sup_theta |N_S(theta) - f(theta)|  (issue 10).

Loop (deterministic work: a fixed round count, a HiGHS node limit per MILP):

1. an upper bound ``hi`` and incumbent from local search on a fine grid, scored by the exact
   evaluator :func:`.circle.circle_error`;
2. a MILP over a *finite* angle set Theta (start: a coarse uniform grid, the target's kinks
   +-1e-9 and peak).  Theta is a subset of the circle, so the MILP's dual bound is a valid
   **lower bound** on the circle optimum (fewer constraints), up to the HiGHS feasibility
   tolerance :data:`.circle.SOLVER_TOLERANCE` (subtracted);
3. the MILP incumbent is scored exactly on the circle (an **upper bound**); the worst angles of
   its error function (the arg-max of every violating arc, :func:`worst_angles`) join Theta;
4. stop when (hi - lo) <= ``rel_gap`` * hi ("certified"), else repeat.  A run that stops short
   reports its sandwich (status "bounds"), never an optimum.

The MILP is restricted to t in [lo, hi] (a valid lower bound lo, an achieved error hi), which
both prunes and makes architecture B a *single* MILP (no bisection) [derived]: with F >= 0,
|sigma(h) - F| <= t  iff  h <= F + t  and (F <= t or h >= F - t).  For angles with F <= lo the
disjunction holds for every feasible t (dropped); with F > hi it forces h >= F - t; only the
angles with lo < F <= hi (a thin band around the target's kinks once the gap is small) need a
binary y: h + t + M y >= F, t >= F y, M = F + sum_i max(-Phi_i, 0).  Every optimal (x*, t*)
of the circle problem gives the feasible point (x*, max(e_Theta(x*), lo)), so the MILP optimum
is <= t*: a valid lower bound.
"""
from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp

from .bounds import kink_arc_lp_bound
from .circle import (
    KINK_OFFSET,
    SOLVER_TOLERANCE,
    TWO_PI,
    _check_architecture,
    _det_inner,
    _difference_pieces,
    _polar,
    circle_error,
    circle_grid,
    det_arctan2,
    det_sincos,
    validate_network,
)
from .milp import (
    SAFETY_TIME_LIMIT,
    _check_node_limit,
    _milp_options,
    _node_count,
    _status_name,
)
from .search import local_search

#: HiGHS MIP relative gap of each constraint-generation MILP, as a fraction of the requested
#: certification gap (its dual bound is what certifies; half the gap leaves the other half for
#: the difference between the Theta-optimum and the circle error of its incumbent)
MILP_GAP_FRACTION = 0.5


@dataclass
class CertifiedResult:
    """``lower`` certified lower bound (MILP dual bound on a subset of the circle minus the solver
    tolerance), ``upper`` the exact error of ``subset``; ``status`` "certified" (relative gap <=
    the requested one) or "bounds" (stopped short: a sandwich only) or "time_limit" (the
    wall-clock safety net was hit: a sandwich, possibly not reproducible)."""

    lower: float
    upper: float
    subset: np.ndarray
    status: str
    rounds: int
    angles: int
    nodes: int
    seconds: float
    details: dict = field(default_factory=dict)

    @property
    def gap(self) -> float:
        return (self.upper - self.lower) / self.upper if self.upper > 0 else 0.0


def worst_angles(U, v, w, subset, architecture: str, above: float, k: int) -> np.ndarray:
    """Arg-max angles of |N_S - f| on every arc of the exact piecewise-sinusoid decomposition
    whose maximum exceeds ``above``; the ``k`` largest (by value)."""
    t0, t1, A, B = _difference_pieces(U, v, w, np.asarray(subset, dtype=int), architecture)
    phase = det_arctan2(B, A)
    kk = np.ceil((t0 - phase) / math.pi)
    inner = phase + kk * math.pi
    interior = inner <= t1
    m = t0.size
    s, c = det_sincos(np.concatenate([t0, t1, np.where(interior, inner, t0)]))
    val = np.abs(A[None, :] * c.reshape(3, m) + B[None, :] * s.reshape(3, m))
    val[2] = np.where(interior, val[2], -1.0)
    j = np.argmax(val, axis=0)
    loc = np.choose(j, [t0 + KINK_OFFSET, t1 - KINK_OFFSET, inner])
    best = val[j, np.arange(m)]
    keep = np.flatnonzero(best > above)
    order = keep[np.argsort(-best[keep], kind="stable")][:k]
    return np.mod(loc[order], TWO_PI)


def _rows(U, v, w, theta):
    sin, cos = det_sincos(theta)
    X = np.column_stack([cos, sin])
    return np.maximum(_det_inner(X, U), 0.0) * v[None, :], np.maximum(_det_inner(X, w), 0.0)


def theta_milp(Phi, F, architecture, lo, hi, node_limit, time_limit, rel_gap):
    """min t over x in {0,1}^n, t in [lo, hi] with |N(Phi x) - F| <= t on the given rows (see
    the module docstring for B).  Returns (dual bound, x or None, status, nodes)."""
    M, n = Phi.shape
    ones = np.ones((M, 1))
    rows, lb, ub = [], [], []
    rows.append(np.hstack([Phi, -ones]))                   # h - t <= F
    lb.append(np.full(M, -np.inf))
    ub.append(F)
    nbin = 0
    if architecture == "A":
        rows.append(np.hstack([Phi, ones]))                # h + t >= F
        lb.append(F)
        ub.append(np.full(M, np.inf))
    else:
        forced = F > hi
        amb = np.flatnonzero((F > lo) & (F <= hi))
        nbin = amb.size
        if forced.any():
            rows.append(np.hstack([Phi[forced], ones[forced]]))
            lb.append(F[forced])
            ub.append(np.full(int(forced.sum()), np.inf))
    A = np.vstack(rows)
    A = np.hstack([A, np.zeros((A.shape[0], nbin))])
    lb, ub = np.concatenate(lb), np.concatenate(ub)
    if nbin:
        big = F[amb] + np.maximum(-Phi[amb], 0.0).sum(axis=1) + hi
        Y = np.zeros((nbin, n + 1 + nbin))
        Y[:, :n] = Phi[amb]
        Y[:, n] = 1.0
        Y[np.arange(nbin), n + 1 + np.arange(nbin)] = big
        Z = np.zeros((nbin, n + 1 + nbin))
        Z[:, n] = 1.0
        Z[np.arange(nbin), n + 1 + np.arange(nbin)] = -F[amb]
        A = np.vstack([A, Y, Z])
        lb = np.concatenate([lb, F[amb], np.zeros(nbin)])
        ub = np.concatenate([ub, np.full(nbin, np.inf), np.full(nbin, np.inf)])
    c = np.zeros(n + 1 + nbin)
    c[n] = 1.0
    integrality = np.r_[np.ones(n), 0.0, np.ones(nbin)]
    low = np.r_[np.zeros(n), lo, np.zeros(nbin)]
    high = np.r_[np.ones(n), hi, np.ones(nbin)]
    res = milp(c, constraints=LinearConstraint(A, lb, ub), integrality=integrality,
               bounds=Bounds(low, high),
               options=_milp_options(node_limit, time_limit, mip_rel_gap=rel_gap))
    status = _status_name(res)
    dual = getattr(res, "mip_dual_bound", None)
    if status == "infeasible":
        # the incumbent (error hi) is feasible by construction, so "infeasible" is a numerical
        # artefact of a near-empty t range: no information, keep the bound we had
        bound = lo
    elif dual is not None and np.isfinite(dual):
        bound = float(dual)
    else:
        bound = float(res.fun) if status == "optimal" else lo
    x = None if res.x is None else np.rint(res.x[:n])
    return max(bound, lo), x, status, _node_count(res)


def certify_neuron_pruning(U, v, w, architecture: str = "A", rel_gap: float = 0.01,
                           max_rounds: int = 30, node_limit: int | None = 20_000,
                           start_points: int = 96, search_points: int = 512,
                           add_per_round: int = 64, restarts: int = 10, rng=None,
                           time_limit: float = SAFETY_TIME_LIMIT) -> CertifiedResult:
    """Constraint generation (module docstring) -> :class:`CertifiedResult`.  Deterministic work:
    at most ``max_rounds`` MILPs of at most ``node_limit`` nodes each."""
    U, v, w = validate_network(U, v, w)
    _check_architecture(architecture)
    _check_node_limit(node_limit)
    if U.shape[1] != 2:
        raise ValueError("certify_neuron_pruning needs d = 2")
    start = time.perf_counter()
    rng = np.random.default_rng(rng)
    fine = circle_grid(U, v, w, search_points)
    x = local_search(fine, architecture, rng, restarts=restarts)
    best_s = np.flatnonzero(x > 0.5)
    hi = circle_error(U, v, w, best_s, architecture)
    lo = 0.0
    if architecture == "A":
        lo = kink_arc_lp_bound(U, v, w, points=200)
    _, _, theta_w, _ = _polar(U, v, w)
    theta = np.concatenate([np.linspace(0.0, TWO_PI, start_points, endpoint=False),
                            [theta_w], theta_w + np.array([-1, 1])[:, None] * math.pi / 2
                            + np.array([-KINK_OFFSET, KINK_OFFSET])[None, :]], axis=None)
    seed = worst_angles(U, v, w, best_s, architecture, above=0.0, k=add_per_round)
    theta = np.unique(np.mod(np.concatenate([theta, seed]), TWO_PI))
    Phi, F = _rows(U, v, w, theta)
    rounds, nodes, statuses = 0, 0, []
    while rounds < max_rounds and hi - lo > rel_gap * hi:
        bound, xm, status, used = theta_milp(Phi, F, architecture, lo, hi, node_limit,
                                             time_limit, MILP_GAP_FRACTION * rel_gap)
        rounds += 1
        nodes += used
        statuses.append(status)
        lo = max(lo, min(bound - SOLVER_TOLERANCE, hi))
        if xm is None:
            break
        s = np.flatnonzero(xm > 0.5)
        err = circle_error(U, v, w, s, architecture)
        if err < hi:
            hi, best_s = err, s
        if hi - lo <= rel_gap * hi:
            break
        new = worst_angles(U, v, w, s, architecture, above=max(lo, bound), k=add_per_round)
        new = np.setdiff1d(new, theta)
        if new.size == 0:
            break  # no violated angle left (solver tolerance): nothing to add
        theta = np.concatenate([theta, new])
        P2, F2 = _rows(U, v, w, new)
        Phi, F = np.vstack([Phi, P2]), np.concatenate([F, F2])
    lo = min(lo, hi)
    ok = hi - lo <= rel_gap * hi
    status = "time_limit" if "time_limit" in statuses else ("certified" if ok else "bounds")
    return CertifiedResult(lo, hi, best_s, status, rounds, int(theta.size), nodes,
                           time.perf_counter() - start,
                           {"milp_statuses": statuses, "rel_gap": rel_gap})
