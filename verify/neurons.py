"""Neuron pruning of a random bias-free two-layer ReLU net: exact evaluators, certified bounds.

Setting (``spec/separation.md`` §2, a *reconstruction* [derived] -- the seed paper's full text was
not available):

* target :math:`f(x) = \\sigma(w \\cdot x)`, :math:`\\sigma(t) = \\max(t, 0)`, :math:`w \\ne 0`;
* random net: hidden units :math:`u_i \\in \\mathbb R^d` (i.i.d. U[-1,1]^d or N(0, I_d)), output
  weights :math:`v_i \\sim U[-1,1]`, features :math:`\\varphi_i(x) = v_i \\sigma(u_i \\cdot x)`;
* architecture ``"A"`` (linear output) :math:`N_S = h_S = \\sum_{i \\in S} \\varphi_i`;
  architecture ``"B"`` (output ReLU) :math:`N_S = \\sigma(h_S)`;
* neuron pruning chooses :math:`S \\subseteq [n]`; error ``"sup"``
  :math:`E_\\infty = \\sup_{\\|x\\| = 1} |N_S - f|` (= the sup over the unit ball, by 1-homogeneity)
  or ``"L2"`` :math:`E_2 = (\\mathbb E_{x \\sim \\mathrm{Unif}(S^{d-1})} (N_S - f)^2)^{1/2}`.

Methods (``spec/separation.md`` §5), all for d = 2 unless stated:

* :func:`circle_error` -- the **exact** error of a given subset: between consecutive kinks every
  function is a sinusoid :math:`a\\cos\\theta + b\\sin\\theta`, whose max modulus on an arc is
  :math:`\\sqrt{a^2+b^2}` if its phase (mod :math:`\\pi`) falls in the arc, else the larger endpoint
  value; for B the arcs are first split at the zeros of :math:`h_S` [derived].  The L2 error
  integrates the squared sinusoids in closed form.
* :func:`milp_architecture_a` -- grid MILP (``scipy.optimize.milp``, HiGHS) on a uniform grid plus
  every kink angle: its proven optimum / dual bound is a **certified lower bound** on the true
  optimum (the grid is a subset of the circle); the exact error of its incumbent is an **upper
  bound**.  A node-limited solve is reported as a bound, never as an optimum.  Every MILP is
  bounded by a deterministic node limit and every bisection by a step count (see
  :data:`SAFETY_TIME_LIMIT`): results do not depend on machine load or executor.
* :func:`bisection_architecture_b` -- bisection on t with a feasibility MILP (§5.6):
  :math:`|\\sigma(h) - F| \\le t \\iff h \\le F + t` and (:math:`F \\le t` or :math:`h \\ge F - t`).
  Infeasible t are certified lower bounds; feasible incumbents give upper bounds.
* :func:`local_search`, :func:`restricted_candidates`, :func:`candidate_ranking` -- upper bounds
  for larger n (a restricted-candidate large-neighbourhood MILP search, §5.7).
* :func:`kink_gap_bound` -- per-instance lower bound for architecture A (§4.3)
  :math:`\\|w\\| \\delta_1 \\delta_2 / (2(\\delta_1 + \\delta_2))`; :func:`lp_relaxation_bound_a`.
* :func:`brute_force_best` -- exhaustive enumeration (small n), the test reference.
* d = 1: neuron pruning is two independent subset sums (§4.2), solved exactly by
  :func:`verify.subsetsum.best_subset_sum`.

Every function taking randomness has one ``rng`` argument normalised by
``numpy.random.default_rng``.
"""
from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, linprog, milp

from .subsetsum import best_subset_sum

ARCHITECTURES = ("A", "B")
NORMS = ("sup", "L2")
INNER_LAWS = ("uniform", "gaussian")
TWO_PI = 2.0 * math.pi
KINK_OFFSET = 1e-9
#: MILP feasibility tolerance of HiGHS (absolute); certified bounds hold up to this slack.
SOLVER_TOLERANCE = 1e-7


# ----------------------------------------------------------------------------- validation


def _check_architecture(architecture: str) -> str:
    if architecture not in ARCHITECTURES:
        raise ValueError(f"architecture must be one of {ARCHITECTURES}, got {architecture!r}")
    return architecture


def _check_norm(norm: str) -> str:
    if norm not in NORMS:
        raise ValueError(f"norm must be one of {NORMS}, got {norm!r}")
    return norm


def validate_network(U, v, w) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Arrays ``U`` (n, d), ``v`` (n,), ``w`` (d,) as float, or ``ValueError`` naming the argument:
    n >= 1, d >= 1, all finite, ``||w|| > 0``."""
    U = np.asarray(U, dtype=float)
    v = np.asarray(v, dtype=float)
    w = np.asarray(w, dtype=float)
    if U.ndim != 2:
        raise ValueError(f"U must be a 2-D array (n units, d inputs), got shape {U.shape}")
    n, d = U.shape
    if n < 1:
        raise ValueError(f"U must have n >= 1 hidden units, got n = {n}")
    if d < 1:
        raise ValueError(f"U must have d >= 1 input dimensions, got d = {d}")
    if v.shape != (n,):
        raise ValueError(f"v must have shape ({n},) (one output weight per unit), got {v.shape}")
    if w.shape != (d,):
        raise ValueError(f"w must have shape ({d},) (the target's input dimension), got {w.shape}")
    for name, arr in (("U", U), ("v", v), ("w", w)):
        if not np.all(np.isfinite(arr)):
            raise ValueError(f"{name} must be finite (no NaN or inf weights)")
    if not np.linalg.norm(w) > 0:
        raise ValueError("w must have ||w|| > 0 (a non-zero target neuron)")
    return U, v, w


def _check_subset(subset, n: int) -> np.ndarray:
    s = np.unique(np.asarray(subset, dtype=int).ravel())
    if s.size and (s[0] < 0 or s[-1] >= n):
        raise ValueError(f"subset indices must lie in [0, {n - 1}], got {subset!r}")
    return s


# ----------------------------------------------------------------------------- instances


def random_network(n: int, d: int = 2, inner: str = "gaussian", rng=None):
    """A random bias-free two-layer ReLU net: ``U`` (n, d) with i.i.d. U[-1,1] (``"uniform"``) or
    N(0, 1) (``"gaussian"``) entries, and output weights ``v`` ~ U[-1, 1]."""
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"n must be an integer >= 1, got {n!r}")
    if isinstance(d, bool) or not isinstance(d, (int, np.integer)) or d < 1:
        raise ValueError(f"d must be an integer >= 1, got {d!r}")
    if inner not in INNER_LAWS:
        raise ValueError(f"inner must be one of {INNER_LAWS}, got {inner!r}")
    rng = np.random.default_rng(rng)
    if inner == "uniform":
        U = rng.uniform(-1.0, 1.0, size=(n, d))
    else:
        U = rng.standard_normal(size=(n, d))
    v = rng.uniform(-1.0, 1.0, size=n)
    return U, v


def random_target(d: int = 2, rng=None, where: str = "sphere") -> np.ndarray:
    """A target ``w`` uniform on the unit sphere (``"sphere"``, ||w|| = 1) or in the unit ball
    (``"ball"``, the Pensia-style targets)."""
    if isinstance(d, bool) or not isinstance(d, (int, np.integer)) or d < 1:
        raise ValueError(f"d must be an integer >= 1, got {d!r}")
    if where not in ("sphere", "ball"):
        raise ValueError(f"where must be 'sphere' or 'ball', got {where!r}")
    rng = np.random.default_rng(rng)
    g = rng.standard_normal(d)
    g /= np.linalg.norm(g)
    if where == "ball":
        g *= rng.uniform() ** (1.0 / d)
    return g


# ----------------------------------------------------------------------------- circle algebra


def _polar(U, v, w):
    alpha = np.arctan2(U[:, 1], U[:, 0])
    amp = v * np.hypot(U[:, 0], U[:, 1])
    return alpha, amp, math.atan2(w[1], w[0]), float(np.hypot(w[0], w[1]))


def _arcs(breaks: np.ndarray):
    b = np.unique(np.mod(breaks, TWO_PI))
    starts = b
    ends = np.append(b[1:], b[0] + TWO_PI)
    return starts, ends


def _sinusoid_coefficients(theta: np.ndarray, alpha: np.ndarray, amp: np.ndarray):
    """(a, b) with sum_i amp_i sigma(cos(theta - alpha_i)) = a cos theta + b sin theta near each
    theta (the active set is read at theta itself)."""
    if alpha.size == 0:
        return np.zeros_like(theta), np.zeros_like(theta)
    active = np.cos(theta[:, None] - alpha[None, :]) > 0
    a = active @ (amp * np.cos(alpha))
    b = active @ (amp * np.sin(alpha))
    return a, b


def _arc_abs_max(A, B, t0, t1):
    """max |A cos t + B sin t| over [t0, t1] (vectorised; t1 - t0 < 2 pi)."""
    r = np.hypot(A, B)
    phase = np.arctan2(B, A)
    k = np.ceil((t0 - phase) / math.pi)
    interior = phase + k * math.pi <= t1
    ends = np.maximum(np.abs(A * np.cos(t0) + B * np.sin(t0)),
                      np.abs(A * np.cos(t1) + B * np.sin(t1)))
    return np.where(interior, np.maximum(r, ends), ends)


def _arc_square_integral(A, B, t0, t1):
    """integral over [t0, t1] of (A cos t + B sin t)^2 (closed form)."""
    def prim(t):
        return (A * A * (t / 2 + np.sin(2 * t) / 4) + B * B * (t / 2 - np.sin(2 * t) / 4)
                + A * B * np.sin(t) ** 2)
    return prim(t1) - prim(t0)


def _difference_pieces(U, v, w, subset, architecture):
    """Arcs [t0, t1] of the circle and sinusoid coefficients (A, B) of N_S - f on each."""
    alpha, amp, theta_w, _ = _polar(U, v, w)
    alpha_s, amp_s = alpha[subset], amp[subset]
    breaks = np.concatenate([alpha_s + math.pi / 2, alpha_s - math.pi / 2,
                             [theta_w + math.pi / 2, theta_w - math.pi / 2]])
    t0, t1 = _arcs(breaks)
    mid = 0.5 * (t0 + t1)
    if architecture == "B":
        ah, bh = _sinusoid_coefficients(mid, alpha_s, amp_s)
        phase = np.arctan2(bh, ah)
        zeros = []
        for shift in (math.pi / 2, -math.pi / 2):
            z = phase + shift
            z = t0 + np.mod(z - t0, TWO_PI)
            keep = (z > t0) & (z < t1) & (np.hypot(ah, bh) > 0)
            zeros.append(z[keep])
        t0, t1 = _arcs(np.concatenate([breaks, *zeros]))
        mid = 0.5 * (t0 + t1)
    ah, bh = _sinusoid_coefficients(mid, alpha_s, amp_s)
    if architecture == "B":
        positive = ah * np.cos(mid) + bh * np.sin(mid) > 0
        ah, bh = np.where(positive, ah, 0.0), np.where(positive, bh, 0.0)
    target_on = np.cos(mid - theta_w) > 0
    A = ah - np.where(target_on, w[0], 0.0)
    B = bh - np.where(target_on, w[1], 0.0)
    return t0, t1, A, B


def circle_error(U, v, w, subset, architecture: str = "B", norm: str = "sup") -> float:
    """Exact error of the neuron-pruned net ``S = subset`` (d = 2).

    .. math::  E_\\infty = \\max_{\\text{arcs}} \\max_{\\theta \\in \\text{arc}}
               |a \\cos\\theta + b \\sin\\theta|, \\qquad
               E_2^2 = \\frac{1}{2\\pi} \\sum_{\\text{arcs}} \\int (a\\cos\\theta+b\\sin\\theta)^2

    Arcs are delimited by the kinks of the features in S and of the target (for B also by the zeros
    of :math:`h_S`), on which :math:`N_S - f` is one sinusoid.  [derived] (spec §5.3)
    """
    U, v, w = validate_network(U, v, w)
    _check_architecture(architecture)
    _check_norm(norm)
    if U.shape[1] != 2:
        raise ValueError(f"circle_error needs d = 2 (U of shape (n, 2)), got d = {U.shape[1]}")
    s = _check_subset(subset, U.shape[0])
    t0, t1, A, B = _difference_pieces(U, v, w, s, architecture)
    if norm == "sup":
        return float(np.max(_arc_abs_max(A, B, t0, t1)))
    return float(math.sqrt(max(np.sum(_arc_square_integral(A, B, t0, t1)), 0.0) / TWO_PI))


def network_output(U, v, subset, X, architecture: str = "B") -> np.ndarray:
    """:math:`N_S(x)` at the rows of ``X`` (any d) -- the plain definition, for dense checks."""
    U = np.asarray(U, dtype=float)
    s = _check_subset(subset, U.shape[0])
    h = np.maximum(np.asarray(X, dtype=float) @ U[s].T, 0.0) @ np.asarray(v, dtype=float)[s]
    return np.maximum(h, 0.0) if _check_architecture(architecture) == "B" else h


def dense_grid_error(U, v, w, subset, architecture: str = "B", norm: str = "sup",
                     points: int = 200_000) -> float:
    """The error on ``points`` uniform angles (d = 2): the naive reference for
    :func:`circle_error` (a lower estimate of the sup; a Riemann sum for L2)."""
    U, v, w = validate_network(U, v, w)
    theta = np.linspace(0.0, TWO_PI, points, endpoint=False)
    X = np.column_stack([np.cos(theta), np.sin(theta)])
    diff = network_output(U, v, subset, X, architecture) - np.maximum(X @ w, 0.0)
    if _check_norm(norm) == "sup":
        return float(np.max(np.abs(diff)))
    return float(np.sqrt(np.mean(diff ** 2)))


# ----------------------------------------------------------------------------- grid and MILPs


@dataclass(frozen=True)
class CircleGrid:
    """Angles ``theta`` (M,), features ``Phi[m, i] = v_i sigma(u_i . x(theta_m))``, target ``F``."""

    theta: np.ndarray
    Phi: np.ndarray
    F: np.ndarray


def circle_grid(U, v, w, points: int = 1024) -> CircleGrid:
    """Uniform grid of ``points`` angles plus every kink angle (features and target) offset by
    +-1e-9 and the target's peak (spec §5.2).  Any grid is a subset of the circle, so a grid
    optimum is a lower bound on the true optimum."""
    U, v, w = validate_network(U, v, w)
    if isinstance(points, bool) or not isinstance(points, (int, np.integer)) or points < 4:
        raise ValueError(f"points must be an integer >= 4, got {points!r}")
    alpha, amp, theta_w, _ = _polar(U, v, w)
    kinks = np.concatenate([alpha + math.pi / 2, alpha - math.pi / 2,
                            [theta_w + math.pi / 2, theta_w - math.pi / 2]])
    theta = np.concatenate([np.linspace(0, TWO_PI, int(points), endpoint=False),
                            kinks - KINK_OFFSET, kinks + KINK_OFFSET, kinks, [theta_w]])
    theta = np.unique(np.mod(theta, TWO_PI))
    X = np.column_stack([np.cos(theta), np.sin(theta)])
    Phi = np.maximum(X @ U.T, 0.0) * v[None, :]
    F = np.maximum(X @ w, 0.0)
    return CircleGrid(theta, Phi, F)


def grid_error(grid: CircleGrid, x, architecture: str) -> float:
    h = grid.Phi @ np.asarray(x, dtype=float)
    if architecture == "B":
        h = np.maximum(h, 0.0)
    return float(np.max(np.abs(h - grid.F)))


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


# ----------------------------------------------------------------------------- heuristics


def local_search(grid: CircleGrid, architecture: str, rng=None, restarts: int = 20,
                 starts=(), max_moves: int = 400) -> np.ndarray:
    """Best-improvement 1-flip local search on the grid error from the given ``starts`` (plus
    the empty set, the greedy set and ``restarts`` random perturbations of the best so far).  An
    *upper-bound* heuristic: score the result with :func:`circle_error`."""
    rng = np.random.default_rng(rng)
    M, n = grid.Phi.shape
    relu = architecture == "B"

    def descend(x):
        x = x.copy()
        h = grid.Phi @ x
        cur = _score(h, grid.F, relu)
        for _ in range(max_moves):
            sign = 1.0 - 2.0 * x
            cand = h[:, None] + grid.Phi * sign[None, :]
            if relu:
                cand = np.maximum(cand, 0.0)
            scores = np.max(np.abs(cand - grid.F[:, None]), axis=0)
            j = int(np.argmin(scores))
            if scores[j] >= cur - 1e-15:
                break
            h = h + grid.Phi[:, j] * sign[j]
            x[j] = 1.0 - x[j]
            cur = float(scores[j])
        return x, cur

    best_x, best = descend(np.zeros(n))
    for s in starts:
        x, val = descend(np.asarray(s, dtype=float))
        if val < best:
            best_x, best = x, val
    for _ in range(restarts):
        x0 = best_x.copy()
        flip = rng.random(n) < max(2.0 / n, 0.1)
        x0[flip] = 1.0 - x0[flip]
        x, val = descend(x0)
        if val < best:
            best_x, best = x, val
    return best_x


def _score(h, F, relu):
    if relu:
        h = np.maximum(h, 0.0)
    return float(np.max(np.abs(h - F)))


def candidate_ranking(U, v, w, architecture: str = "B") -> np.ndarray:
    r"""All units ranked for the restricted-candidate search (spec §5.7, refined here [derived]).

    * Units whose direction is nearest to +-w (angle distance mod pi): their kinks sit at the
      target's kink.
    * For B (interleaved with the above): *kink-cancelling pairs* -- two units whose directions agree
      mod pi (coincident or antipodal) have their kinks on the same line, and the slope jump there
      is :math:`c_i + c_j` (amplitudes :math:`c = v\|u\|`), so a pair with :math:`c_j \approx -c_i`
      is kink-free up to :math:`|c_i + c_j| + \min(|c_i|, |c_j|)\,\Delta` (e.g.
      :math:`c\sigma(t) - c\sigma(-t) = ct`); pairs are ranked by that residual.  [pilot] in the
      exact B optima at n = 32-48 most used units belong to such pairs, which the angle-only rule
      (1.5-2.5x worse, spec §5.7) misses.
    """
    U, v, w = validate_network(U, v, w)
    _check_architecture(architecture)
    alpha, amp, theta_w, _ = _polar(U, v, w)
    n = alpha.size
    near = [int(i) for i in np.argsort(np.abs(np.angle(np.exp(2j * (alpha - theta_w)))) / 2,
                                       kind="stable")]
    if architecture == "A" or n < 2:
        return np.array(near, dtype=int)
    gap = np.abs(np.angle(np.exp(2j * (alpha[:, None] - alpha[None, :])))) / 2
    residual = (np.abs(amp[:, None] + amp[None, :])
                + np.minimum(np.abs(amp[:, None]), np.abs(amp[None, :])) * gap)
    residual[np.tril_indices(n)] = np.inf
    pairs = np.argsort(residual, axis=None, kind="stable")
    ranked: list[int] = []
    seen: set[int] = set()
    near_iter = iter(near)
    for flat in pairs:
        i, j = divmod(int(flat), n)
        if not np.isfinite(residual[i, j]) or len(seen) == n:
            break
        for unit in (next(near_iter, None), i, j):  # one nearest unit per pair
            if unit is not None and unit not in seen:
                seen.add(unit)
                ranked.append(unit)
    ranked.extend(i for i in near if i not in seen)
    return np.array(ranked, dtype=int)


def restricted_candidates(U, v, w, k: int = 24, architecture: str = "B",
                          lp_support=None) -> np.ndarray:
    """Up to ``k`` candidate units (spec §5.7): the support of the LP solution if given, then the
    top of :func:`candidate_ranking` (nearest to +-w; for B also kink-cancelling pairs)."""
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 1:
        raise ValueError(f"k must be an integer >= 1, got {k!r}")
    chosen: list[int] = [] if lp_support is None else [int(i) for i in lp_support]
    for i in candidate_ranking(U, v, w, architecture):
        if len(chosen) >= k:
            break
        if int(i) not in chosen:
            chosen.append(int(i))
    return np.array(sorted(set(chosen[:k])), dtype=int)


# ----------------------------------------------------------------------------- lower bounds


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
    from theory.separation import kink_gap_bound_numeric
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


# ----------------------------------------------------------------------------- exact small n


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


# ----------------------------------------------------------------------------- the solver


@dataclass
class NeuronPruningResult:
    """A certified sandwich ``lower <= OPT <= error`` with how it was obtained."""

    error: float
    lower: float
    subset: np.ndarray
    method: str
    status: str
    details: dict = field(default_factory=dict)


#: restricted search defaults: node limit per MILP and bisection steps of the final full-grid
#: "polish" bisection (the expensive part: each step is a MILP over all n units whose HiGHS root
#: node alone -- not bounded by the node limit -- takes ~0.1-6 s at n = 48-128 on this machine;
#: steps near the incumbent are the cheap and productive ones)
RESTRICTED_NODE_LIMIT = 200
#: large-neighbourhood rounds of the restricted search (each a small MILP over <= ~k units)
RESTRICTED_ROUNDS = 3
#: bisection steps of each neighbourhood MILP (B): brackets the small problem to ~0.4 %
RESTRICTED_BISECTION_STEPS = 8
POLISH_STEPS = 1
#: the polish bisection starts in [f hi, hi] (f = this), i.e. its first t is 3/4 of the
#: incumbent's grid error: within a budget of 1-2 steps the plain first step at t = hi/2 mostly
#: hits the node limit after a root node of seconds (pilot at n = 48-128)
POLISH_START_FRACTION = 0.5


def solve_neuron_pruning(U, v, w, architecture: str = "B", norm: str = "sup", *,
                         full_max_n: int = 48, grid_points: int = 1024,
                         node_limit: int = FULL_NODE_LIMIT, restricted_k: int = 24,
                         restricted_node_limit: int = RESTRICTED_NODE_LIMIT,
                         polish_steps: int = POLISH_STEPS,
                         restricted_rounds: int = RESTRICTED_ROUNDS,
                         time_limit: float = SAFETY_TIME_LIMIT, rng=None) -> NeuronPruningResult:
    """Neuron pruning with an honest sandwich (see the module docstring).

    * d = 1: exact (subset sums).
    * d = 2, sup, n <= ``full_max_n``: full grid MILP (A) or bisection MILP (B, <= 16 steps);
      local search seeds the upper bound.  ``status`` is "optimal" (grid problem solved: lower =
      grid optimum) or "node_limit"/"max_steps" (a bracket only; each MILP has at most
      ``node_limit`` branch-and-bound nodes).
    * d = 2, sup, larger n: restricted-candidate large-neighbourhood MILP search + local search
      (an upper bound, see :func:`_solve_restricted`: ``restricted_rounds`` neighbourhood
      MILPs limited to ``restricted_node_limit`` nodes each, then ``polish_steps`` full-grid
      bisection steps); lower bound = max(kink-gap, LP
      relaxation) for A, for B only what infeasible steps of the full bisection certify (often 0)
      -- status "bounds".  ``full_max_n=0`` forces this path (used to validate it against the
      full optimum where both run).
    * d = 2, L2: exhaustive enumeration for n <= 14 (exact); otherwise local search with the
      trivial lower bound 0.

    All work limits are deterministic (node limits, step and iteration counts), so the result
    does not depend on machine load.  ``time_limit`` is only a per-MILP wall-clock safety net:
    if it is ever hit, ``status`` is "time_limit" (a bracket, possibly not reproducible).
    """
    U, v, w = validate_network(U, v, w)
    _check_architecture(architecture)
    _check_norm(norm)
    _check_node_limit(node_limit)
    _check_node_limit(restricted_node_limit)
    n, d = U.shape
    rng = np.random.default_rng(rng)
    if d == 1:
        e, lb, s = best_neuron_subset_d1(U, v, w, architecture, norm)
        return NeuronPruningResult(e, lb, s, "subset-sum", "optimal")
    if d != 2:
        raise ValueError(f"d must be 1 or 2 for the exact neuron-pruning solver, got d = {d}")
    if norm == "L2":
        if n <= 14:
            e, s = brute_force_best(U, v, w, architecture, "L2", max_n=14)
            return NeuronPruningResult(e, e, s, "enumeration", "optimal")
        grid = circle_grid(U, v, w, grid_points)
        x = local_search(grid, architecture, rng)
        s = np.flatnonzero(x > 0.5)
        return NeuronPruningResult(circle_error(U, v, w, s, architecture, "L2"), 0.0, s,
                                   "local-search", "bounds")
    grid = circle_grid(U, v, w, grid_points)
    if n <= full_max_n:
        return _solve_full(U, v, w, grid, architecture, node_limit, time_limit, rng)
    return _solve_restricted(U, v, w, grid, architecture, restricted_k, restricted_node_limit,
                             polish_steps, restricted_rounds, time_limit, rng)


def _subset_of(x) -> np.ndarray:
    return np.flatnonzero(np.asarray(x) > 0.5)


def _solve_full(U, v, w, grid, architecture, node_limit, time_limit, rng) -> NeuronPruningResult:
    ls = local_search(grid, architecture, rng, restarts=10)
    ls_subset = _subset_of(ls)
    best_err = circle_error(U, v, w, ls_subset, architecture)
    best_subset = ls_subset
    if architecture == "A":
        out = milp_architecture_a(grid, node_limit=node_limit, time_limit=time_limit)
        lower, status, extra = out.lower, out.status, {"mip_gap": out.gap, "nodes": out.nodes,
                                                        "milp_seconds": out.seconds}
        candidates = [] if out.x is None else [_subset_of(out.x)]
    else:
        out = bisection_architecture_b(grid, upper_x=ls, step_node_limit=node_limit,
                                       time_limit=time_limit)
        lower, status, extra = out.lower, out.status, {"steps": out.steps, "nodes": out.nodes,
                                                        "milp_seconds": out.seconds}
        candidates = [_subset_of(out.x)]
    for s in candidates:
        e = circle_error(U, v, w, s, architecture)
        if e < best_err:
            best_err, best_subset = e, s
    lower = min(max(lower - SOLVER_TOLERANCE, 0.0), best_err)
    extra["local_search_error"] = circle_error(U, v, w, ls_subset, architecture)
    return NeuronPruningResult(best_err, lower, best_subset,
                               "grid-milp" if architecture == "A" else "bisection-milp",
                               status, extra)


def _restricted_milp(grid, cand, architecture, x_start, node_limit, time_limit):
    """Solve the problem restricted to the units ``cand`` (warm-started for B) -> (full 0/1 x,
    status, nodes)."""
    sub = CircleGrid(grid.theta, grid.Phi[:, cand], grid.F)
    if architecture == "A":
        out = milp_architecture_a(sub, node_limit=node_limit, time_limit=time_limit)
    else:
        out = bisection_architecture_b(sub, upper_x=x_start[cand], step_node_limit=node_limit,
                                       max_steps=RESTRICTED_BISECTION_STEPS,
                                       time_limit=time_limit)
    if out.x is None:
        return None, out.status, out.nodes
    full = np.zeros(grid.Phi.shape[1])
    full[cand[np.asarray(out.x) > 0.5]] = 1.0
    return full, out.status, out.nodes


def _solve_restricted(U, v, w, grid, architecture, k, node_limit, polish_steps, rounds,
                      time_limit, rng) -> NeuronPruningResult:
    """Upper bounds for larger n (spec §5.7): local search, then ``rounds`` rounds of a
    large-neighbourhood search -- an exact MILP over the incumbent's units plus the next
    unexplored units of :func:`candidate_ranking` (about ``k`` in all), polished by local search on
    the full grid -- and, for B, ``polish_steps`` steps of a bisection MILP over all units
    warm-started at the incumbent (its infeasible steps, if any, are *certified* lower bounds).
    Every candidate is scored by the exact evaluator.  Status "bounds": never an optimum
    ("time_limit" if the per-MILP wall-clock safety net was ever hit).  All work is
    deterministic: every MILP is limited to ``node_limit`` branch-and-bound nodes."""
    n = grid.Phi.shape[1]
    lower = 0.0
    if architecture == "A":
        lower = max(kink_arc_lp_bound(U, v, w), lp_relaxation_bound_a(grid))
    ranking = [int(i) for i in candidate_ranking(U, v, w, architecture)]
    x = local_search(grid, architecture, rng, restarts=5)
    best = grid_error(grid, x, architecture)
    ls_subset = _subset_of(x)
    pointer, statuses, nodes = 0, [], 0
    for _ in range(rounds):
        support = [int(i) for i in _subset_of(x)]
        extra: list[int] = []
        want = max(k - len(support), max(k // 3, 1))
        tried = 0
        while len(extra) < want and tried < n:
            unit = ranking[pointer % n]
            pointer += 1
            tried += 1
            if unit not in support and unit not in extra:
                extra.append(unit)
        cand = np.array(sorted(set(support + extra)), dtype=int)
        xr, status, used = _restricted_milp(grid, cand, architecture, x, node_limit, time_limit)
        statuses.append(status)
        nodes += used
        if xr is None:
            continue
        xr = local_search(grid, architecture, rng, restarts=2, starts=[xr])
        err = grid_error(grid, xr, architecture)
        if err < best - 1e-15:
            best, x = err, xr
    extra_details = {"candidates": int(k), "restricted_status": statuses,
                     "local_search_error": circle_error(U, v, w, ls_subset, architecture)}
    subsets = [ls_subset, _subset_of(x)]
    safety_hit = "time_limit" in statuses
    if architecture == "B":
        out = bisection_architecture_b(grid, upper_x=x, step_node_limit=node_limit,
                                       max_steps=polish_steps, on_limit="raise",
                                       start_fraction=POLISH_START_FRACTION,
                                       time_limit=time_limit)
        subsets.append(_subset_of(out.x))
        lower = max(out.lower - SOLVER_TOLERANCE, 0.0)
        nodes += out.nodes
        safety_hit |= out.status == "time_limit"
        extra_details["polish_status"] = out.status
        extra_details["polish_steps"] = out.steps
        extra_details["lns_error"] = circle_error(U, v, w, _subset_of(x), architecture)
    extra_details["nodes"] = nodes
    errs = [circle_error(U, v, w, s, architecture) for s in subsets]
    j = int(np.argmin(errs))
    return NeuronPruningResult(errs[j], min(lower, errs[j]), subsets[j], "restricted-lns",
                               "time_limit" if safety_hit else "bounds", extra_details)


def best_neuron_subset(U, v, w, architecture: str = "B", norm: str = "sup", **options):
    """Public API: ``(error, lower_bound, subset)`` for neuron pruning of the net (U, v) towards
    :math:`\\sigma(w \\cdot x)`: ``error`` is the exact error of ``subset`` (an upper bound on the
    optimum), ``lower_bound`` a certified lower bound; they coincide (up to the grid/solver
    tolerance) when the problem was solved to optimality.  See :func:`solve_neuron_pruning`."""
    r = solve_neuron_pruning(U, v, w, architecture, norm, **options)
    return r.error, r.lower, r.subset
