"""d = 3 (``spec/separation.md`` §6 E6; issue 10): neuron pruning on the sphere S², where no exact
sup evaluator exists here -- so only the *lower* side is certified.

* **Point set.** A Fibonacci set of ``points`` directions plus ``circle_points`` on the target's
  great circle w·x = 0 (its kink set) and on the two circles w·x = ±``CIRCLE_OFFSET``.  Any point
  set is a subset of the sphere, so a point-set optimum is <= the sphere optimum.
* **Certified lower bound.** The constraint-generation MILP of :mod:`.certify`
  (:func:`.certify.theta_milp`) on the point set, with t in [0, hi] (hi = the point-set error of a
  local-search incumbent) and a deterministic node limit: its dual bound minus the solver
  tolerance is a lower bound on the point-set optimum, hence on OPT (a stopped-short solve still
  gives a valid, weaker bound).
* **Estimate, not a bound.** The incumbent's error on a 4x denser Fibonacci set: the error of the
  best subnetwork found, measured on a grid (its true sup may be larger).

Weight pruning's block construction gives a rigorous *upper* bound in every d (its l2 bound,
:mod:`.weight_pruning`), so "weight-pruning bound < neuron-pruning lower bound" certifies, per
net, that weight pruning beats every neuron-pruned subnetwork.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .certify import theta_milp
from .circle import (
    SOLVER_TOLERANCE,
    CircleGrid,
    _check_architecture,
    _det_inner,
    det_norm,
    grid_output,
    validate_network,
)
from .milp import SAFETY_TIME_LIMIT, _check_node_limit
from .search import local_search

#: offset of the two extra circles around the target's kink circle
CIRCLE_OFFSET = 1e-3
GOLDEN_ANGLE = math.pi * (3.0 - math.sqrt(5.0))


@dataclass(frozen=True)
class SphereBounds:
    """``lower`` certified lower bound on OPT (point-set MILP dual bound minus the solver
    tolerance); ``estimate`` the best found subnetwork's error on a dense grid (not a bound);
    ``status`` of the MILP ("optimal" or "node_limit": a weaker but valid lower bound)."""

    lower: float
    estimate: float
    subset: np.ndarray
    status: str
    points: int


def fibonacci_sphere(points: int) -> np.ndarray:
    """``points`` near-uniform unit vectors in R^3 (Fibonacci lattice), shape (points, 3)."""
    if isinstance(points, bool) or not isinstance(points, (int, np.integer)) or points < 2:
        raise ValueError(f"points must be an integer >= 2, got {points!r}")
    k = np.arange(points, dtype=float)
    z = 1.0 - (2.0 * k + 1.0) / points
    r = np.sqrt(np.maximum(1.0 - z * z, 0.0))
    phi = k * GOLDEN_ANGLE
    return np.column_stack([r * np.cos(phi), r * np.sin(phi), z])


def target_circles(w, circle_points: int) -> np.ndarray:
    """Points on the great circle w·x = 0 and on w·x = +-CIRCLE_OFFSET (unit vectors)."""
    w = np.asarray(w, dtype=float) / det_norm(w)
    a = np.cross(w, [1.0, 0.0, 0.0] if abs(w[0]) < 0.9 else [0.0, 1.0, 0.0])
    a /= det_norm(a)
    b = np.cross(w, a)
    t = np.linspace(0.0, 2 * math.pi, circle_points, endpoint=False)
    ring = np.cos(t)[:, None] * a[None, :] + np.sin(t)[:, None] * b[None, :]
    out = [ring]
    for h in (CIRCLE_OFFSET, -CIRCLE_OFFSET):
        out.append(math.sqrt(1 - h * h) * ring + h * w[None, :])
    return np.vstack(out)


def sphere_grid(U, v, w, X) -> CircleGrid:
    """Features and target on the unit vectors ``X`` (the ``theta`` field holds row indices)."""
    Phi = np.maximum(_det_inner(X, U), 0.0) * v[None, :]
    return CircleGrid(np.arange(X.shape[0], dtype=float), Phi, np.maximum(_det_inner(X, w), 0.0))


def _grid_error(grid: CircleGrid, x, architecture: str) -> np.ndarray:
    """|N - f| at every point (fixed-order sums, like :func:`.circle.grid_error`)."""
    h = grid_output(grid, x)
    return np.abs((np.maximum(h, 0.0) if architecture == "B" else h) - grid.F)


def sphere_neuron_bounds(U, v, w, architecture: str = "B", points: int = 2000,
                         circle_points: int = 240, dense_points: int = 20000, rounds: int = 4,
                         add_per_round: int = 200, node_limit: int | None = 5000,
                         restarts: int = 10, rng=None) -> SphereBounds:
    """Certified lower bound and dense-grid estimate of the neuron-pruning optimum in d = 3, by
    constraint generation on point sets: after each MILP the ``add_per_round`` worst points of a
    dense Fibonacci set (for the MILP's incumbent) join the point set (``rounds`` MILPs)."""
    U, v, w = validate_network(U, v, w)
    _check_architecture(architecture)
    _check_node_limit(node_limit)
    if U.shape[1] != 3:
        raise ValueError(f"sphere_neuron_bounds needs d = 3, got d = {U.shape[1]}")
    X = np.vstack([fibonacci_sphere(points), target_circles(w, circle_points)])
    grid = sphere_grid(U, v, w, X)
    dense = sphere_grid(U, v, w, fibonacci_sphere(dense_points))
    x = local_search(grid, architecture, np.random.default_rng(rng), restarts=restarts)
    best_x = x
    estimate = max(float(np.max(_grid_error(dense, x, architecture))),
                   float(np.max(_grid_error(grid, x, architecture))))
    lower, statuses = 0.0, []
    for _ in range(rounds):
        hi = max(float(np.max(_grid_error(grid, best_x, architecture))), lower)
        bound, xm, status, _ = theta_milp(grid.Phi, grid.F, architecture, lower, hi, node_limit,
                                          SAFETY_TIME_LIMIT, 1e-4)
        statuses.append(status)
        lower = max(lower, min(bound, hi) - SOLVER_TOLERANCE)
        if xm is None or hi - lower <= 1e-6 * hi:
            break
        err = _grid_error(dense, xm, architecture)
        value = max(float(np.max(err)), float(np.max(_grid_error(grid, xm, architecture))))
        if value < estimate:
            best_x, estimate = xm, value
        worst = np.argsort(-err, kind="stable")[:add_per_round]
        worst = worst[err[worst] > lower]
        if worst.size == 0:
            break
        grid = CircleGrid(np.arange(grid.F.size + worst.size, dtype=float),
                          np.vstack([grid.Phi, dense.Phi[worst]]),
                          np.concatenate([grid.F, dense.F[worst]]))
    # "infeasible" only on a near-empty t range (the incumbent is feasible): no information
    status = "optimal" if all(x in ("optimal", "infeasible") for x in statuses) else "node_limit"
    return SphereBounds(max(lower, 0.0), estimate, np.flatnonzero(best_x > 0.5), status,
                        int(grid.F.size))
