"""Neuron-pruning optima and upper bounds: local search, restricted-candidate
large-neighbourhood MILP search (``spec/separation.md`` §5.7) and :func:`best_neuron_subset`, which
combines the certified MILPs of :mod:`.milp` with these searches."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .bounds import best_neuron_subset_d1, brute_force_best, kink_arc_lp_bound
from .circle import (
    SOLVER_TOLERANCE,
    CircleGrid,
    _check_architecture,
    _check_norm,
    _polar,
    circle_error,
    circle_grid,
    grid_error,
    grid_output,
    validate_network,
)
from .milp import (
    FULL_NODE_LIMIT,
    SAFETY_TIME_LIMIT,
    _check_node_limit,
    bisection_architecture_b,
    lp_relaxation_bound_a,
    milp_architecture_a,
)


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
        h = grid_output(grid, x)
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
    near = [int(i) for i in np.argsort(_line_gap(alpha - theta_w), kind="stable")]
    if architecture == "A" or n < 2:
        return np.array(near, dtype=int)
    gap = _line_gap(alpha[:, None] - alpha[None, :])
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


def _line_gap(delta):
    """Angle between two lines (directions mod pi) differing by ``delta``: in [0, pi/2].  By
    ``np.mod`` (exact) and one subtraction, machine-independent (``np.angle(np.exp(2j ...))``, used
    before, goes through SIMD ``exp`` kernels that differ between CPUs and flipped rankings)."""
    d = np.mod(delta, np.pi)
    return np.minimum(d, np.pi - d)


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
