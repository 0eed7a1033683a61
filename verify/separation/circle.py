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
from dataclasses import dataclass

import numpy as np

ARCHITECTURES = ("A", "B")


NORMS = ("sup", "L2")


INNER_LAWS = ("uniform", "gaussian")


TWO_PI = 2.0 * math.pi


KINK_OFFSET = 1e-9


#: MILP feasibility tolerance of HiGHS (absolute); certified bounds hold up to this slack.
SOLVER_TOLERANCE = 1e-7


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
