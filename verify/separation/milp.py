"""Certified MILP bounds for neuron pruning on the circle (d = 2): the grid MILP of
architecture A, the bisection feasibility MILP of architecture B (``spec/separation.md`` §5.6) and
the LP relaxation bound.  Every MILP runs under a deterministic HiGHS node limit; a node-limited
solve is a bound, never an optimum (see :mod:`.circle` for the setting)."""
from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, linprog, milp

from .circle import SOLVER_TOLERANCE, CircleGrid, grid_error

#: Work limits.  Every MILP is bounded by a deterministic HiGHS node limit (``node_limit`` of
#: ``scipy.optimize.milp``, i.e. HiGHS ``mip_max_nodes``) and every bisection by a step count, so a
#: result never depends on machine load, worker count or executor.  A generous wall-clock limit
#: remains per MILP only as a safety net; if it is ever hit the outcome's status says
#: "time_limit" (and such a result may not be reproducible).  Note: HiGHS' root node (presolve,
#: cuts, root heuristics) is not counted by the node limit; it is deterministic but not bounded
#: by it -- its cost is controlled by how many MILPs are solved (step counts).
SAFETY_TIME_LIMIT = 120.0


#: node limit of a full solve (n <= full_max_n) -- far above what those solves need
FULL_NODE_LIMIT = 100_000


#: HiGHS reports a reached node limit as model status 16 ("Solution limit reached"); scipy maps
#: it to its status 4 ("other")
_HIGHS_NODE_LIMIT_STATUS = "HiGHS Status 16"


#: outcome statuses that mean "a limit stopped the solver" (the result is a bound)
LIMIT_STATUSES = ("node_limit", "time_limit")


@dataclass
class MilpOutcome:
    """A grid MILP's result: ``lower`` certified (grid bound), ``x`` the incumbent (or None),
    ``status`` one of "optimal", "node_limit" (deterministic work limit reached: a bound),
    "time_limit" (the wall-clock safety net was hit: a bound, possibly not reproducible),
    "infeasible", "failed"; ``gap`` the MIP gap, ``nodes`` HiGHS' branch-and-bound node count."""

    lower: float
    x: np.ndarray | None
    status: str
    gap: float
    seconds: float
    nodes: int = 0


def _status_name(res) -> str:
    if res.status == 4 and _HIGHS_NODE_LIMIT_STATUS in str(getattr(res, "message", "")):
        return "node_limit"
    return {0: "optimal", 1: "time_limit", 2: "infeasible"}.get(res.status, "failed")


def _check_node_limit(node_limit) -> int | None:
    if node_limit is None:
        return None
    if isinstance(node_limit, bool) or not isinstance(node_limit, (int, np.integer)) \
            or node_limit < 1:
        raise ValueError(f"node_limit must be an integer >= 1 or None, got {node_limit!r}")
    return int(node_limit)


def _milp_options(node_limit, time_limit, **extra) -> dict:
    options = {"time_limit": float(time_limit), "presolve": True, **extra}
    node_limit = _check_node_limit(node_limit)
    if node_limit is not None:
        options["node_limit"] = node_limit
    return options


def _node_count(res) -> int:
    nodes = getattr(res, "mip_node_count", None)
    return int(nodes) if nodes is not None else 0


def milp_architecture_a(grid: CircleGrid, node_limit: int | None = FULL_NODE_LIMIT,
                        rel_gap: float = 1e-6,
                        time_limit: float = SAFETY_TIME_LIMIT) -> MilpOutcome:
    """min t s.t. -t <= Phi x - F <= t, x in {0,1}^n (spec §5.5).  ``lower`` is HiGHS' dual bound
    (= the grid optimum when ``status == "optimal"``) -- a certified lower bound on the continuum
    optimum up to :data:`SOLVER_TOLERANCE`.  ``node_limit`` is the deterministic work limit,
    ``time_limit`` only a safety net (see :data:`SAFETY_TIME_LIMIT`)."""
    M, n = grid.Phi.shape
    c = np.zeros(n + 1)
    c[-1] = 1.0
    ones = np.ones((M, 1))
    A = np.vstack([np.hstack([grid.Phi, -ones]), np.hstack([-grid.Phi, -ones])])
    ub = np.concatenate([grid.F, -grid.F])
    start = time.perf_counter()
    res = milp(c, constraints=LinearConstraint(A, -np.inf, ub),
               integrality=np.r_[np.ones(n), 0.0],
               bounds=Bounds(np.zeros(n + 1), np.r_[np.ones(n), np.inf]),
               options=_milp_options(node_limit, time_limit, mip_rel_gap=rel_gap))
    seconds = time.perf_counter() - start
    status = _status_name(res)
    x = None if res.x is None else np.rint(res.x[:n])
    dual = getattr(res, "mip_dual_bound", None)
    if status == "optimal":
        lower = float(dual) if dual is not None and np.isfinite(dual) else float(res.fun)
    else:
        lower = float(dual) if dual is not None and np.isfinite(dual) else 0.0
    gap = float(res.mip_gap) if getattr(res, "mip_gap", None) is not None else float("nan")
    return MilpOutcome(max(lower, 0.0), x, status, gap, seconds, _node_count(res))


def feasibility_milp_b(grid: CircleGrid, t: float, node_limit: int | None = None,
                       time_limit: float = SAFETY_TIME_LIMIT):
    """Is there x in {0,1}^n with |sigma(Phi x) - F| <= t on the grid?  (spec §5.6)
    Returns ("feasible", x), ("infeasible", None) or ("node_limit"/"time_limit"/"failed", None)
    (undecided).  ``node_limit`` is the deterministic work limit, ``time_limit`` only a safety
    net (a solution found before either limit still counts as "feasible")."""
    return _feasibility_milp_b(grid, t, node_limit, time_limit)[:2]


def _feasibility_milp_b(grid, t, node_limit, time_limit):
    M, n = grid.Phi.shape
    upper = LinearConstraint(grid.Phi, -np.inf, grid.F + t)
    need = grid.F > t
    cons = [upper]
    if np.any(need):
        cons.append(LinearConstraint(grid.Phi[need], grid.F[need] - t, np.inf))
    res = milp(np.zeros(n), constraints=cons, integrality=np.ones(n),
               bounds=Bounds(np.zeros(n), np.ones(n)),
               options=_milp_options(node_limit, time_limit))
    status = _status_name(res)
    nodes = _node_count(res)
    if res.x is not None and status in ("optimal",) + LIMIT_STATUSES:
        return "feasible", np.rint(res.x), nodes, status == "time_limit"
    return status, None, nodes, status == "time_limit"


@dataclass
class BisectionOutcome:
    """``lower`` certified (infeasible steps), ``x`` the incumbent; ``status`` "optimal"
    (bracket closed to ``rel_tol``), "max_steps" (step budget spent), "node_limit" (a step hit its
    node limit: a bracket only) or "time_limit" (a step hit the wall-clock safety net: a bracket,
    possibly not reproducible -- takes precedence); ``nodes`` the total branch-and-bound nodes."""

    lower: float
    x: np.ndarray
    status: str
    steps: int
    seconds: float
    nodes: int = 0


def bisection_architecture_b(grid: CircleGrid, upper_x=None, lower: float = 0.0,
                             step_node_limit: int | None = None, max_steps: int = 16,
                             rel_tol: float = 1e-3, on_limit: str = "stop",
                             start_fraction: float = 0.0,
                             time_limit: float = SAFETY_TIME_LIMIT) -> BisectionOutcome:
    """Bisection on t with :func:`feasibility_milp_b` (spec §5.6).  Infeasible t are certified
    lower bounds; a step stopped by its node limit (or, as a safety net, by ``time_limit`` per
    step) without a solution makes the bracket a bound, not an optimum: with ``on_limit="stop"``
    the search stops there, with ``"raise"`` it retries an easier t half-way up to the incumbent
    (an upper-bound search; the lower end stays certified).  With ``start_fraction`` = f > 0 the
    first t is taken in [f hi, hi] instead of [lo, hi] (an upper-bound search starting near the
    incumbent, where steps are cheap; ``lower`` still only comes from infeasible steps).  The work
    is deterministic: at most ``max_steps`` MILPs of at most ``step_node_limit`` nodes each."""
    if not 0.0 <= start_fraction < 1.0:
        raise ValueError(f"start_fraction must be in [0, 1), got {start_fraction!r}")
    if on_limit not in ("stop", "raise"):
        raise ValueError(f"on_limit must be 'stop' or 'raise', got {on_limit!r}")
    if isinstance(max_steps, bool) or not isinstance(max_steps, (int, np.integer)) \
            or max_steps < 0:
        raise ValueError(f"max_steps must be an integer >= 0, got {max_steps!r}")
    _check_node_limit(step_node_limit)
    n = grid.Phi.shape[1]
    x_best = np.zeros(n) if upper_x is None else np.asarray(upper_x, dtype=float)
    hi = grid_error(grid, x_best, "B")
    lo = max(float(lower), 0.0)
    status, steps, nodes, safety_hit = "optimal", 0, 0, False
    start = time.perf_counter()
    floor = max(lo, start_fraction * hi)  # t values below this are not tried
    while hi - lo > rel_tol * hi and steps < max_steps:
        base = max(lo, floor)
        if base > lo and hi - base <= rel_tol * hi:
            break  # on_limit="raise": nothing easier left to try
        t = 0.5 * (base + hi)
        outcome, x, step_nodes, hit = _feasibility_milp_b(grid, t, step_node_limit, time_limit)
        steps += 1
        nodes += step_nodes
        safety_hit |= hit
        if outcome == "feasible":
            err = grid_error(grid, x, "B")
            if err < hi:
                hi, x_best = err, x
            else:  # solver tolerance: accept t as the new bracket end
                hi = t
        elif outcome == "infeasible":
            lo = t
        else:
            status = "node_limit"
            if on_limit == "stop":
                break
            floor = t
    if status == "optimal" and hi - lo > rel_tol * hi:
        status = "max_steps"
    if safety_hit:
        status = "time_limit"
    return BisectionOutcome(lo, x_best, status, steps, time.perf_counter() - start, nodes)


def lp_relaxation_bound_a(grid: CircleGrid) -> float:
    """min t s.t. -t <= Phi x - F <= t, x in [0,1]^n: a lower bound for architecture A (spec §5.8)."""
    M, n = grid.Phi.shape
    c = np.r_[np.zeros(n), 1.0]
    ones = np.ones((M, 1))
    A = np.vstack([np.hstack([grid.Phi, -ones]), np.hstack([-grid.Phi, -ones])])
    res = linprog(c, A_ub=A, b_ub=np.concatenate([grid.F, -grid.F]),
                  bounds=[(0, 1)] * n + [(0, None)], method="highs")
    if res.status != 0:
        return 0.0
    return max(float(res.fun) - SOLVER_TOLERANCE, 0.0)
