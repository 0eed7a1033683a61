"""Constraint-generation certification (issue 10): certified optima equal brute-force enumeration
(n <= 14, random nets including duplicate and antipodal units) and agree with the full fine-grid
MILP where both run; a run stopped short reports a sandwich, never an optimum."""
import numpy as np
import pytest
from pruneproof.verify.separation.bounds import brute_force_best
from pruneproof.verify.separation.certify import certify_neuron_pruning, worst_angles
from pruneproof.verify.separation.circle import (
    circle_error,
    circle_grid,
    dense_grid_error,
    random_network,
    random_target,
)
from pruneproof.verify.separation.milp import bisection_architecture_b, milp_architecture_a


def _net(n, seed, kind):
    rng = np.random.default_rng([n, seed])
    U, v = random_network(n, 2, "gaussian", rng)
    w = random_target(2, rng)
    if kind == "duplicate":        # two units identical, one a positive multiple of another
        U[1], v[1] = U[0], v[0]
        U[3] = 2.5 * U[2]
    elif kind == "antipodal":      # kink-cancelling pairs: u_j = -u_i, v_j = -v_i (and a near one)
        U[1], v[1] = -U[0], -v[0]
        U[3], v[3] = -0.7 * U[2], v[2]
    return U, v, w


@pytest.mark.parametrize("architecture", ["A", "B"])
@pytest.mark.parametrize("kind", ["random", "duplicate", "antipodal"])
@pytest.mark.parametrize("n,seed", [(6, 0), (9, 1), (12, 2), (14, 3)])
def test_certified_equals_brute_force(architecture, kind, n, seed):
    if n == 14 and kind != "random":
        pytest.skip("n = 14 enumeration once per architecture is enough")
    U, v, w = _net(n, seed, kind)
    r = certify_neuron_pruning(U, v, w, architecture, rel_gap=0.01, rng=0)
    best, _ = brute_force_best(U, v, w, architecture, max_n=14)
    assert r.status == "certified"
    assert r.lower <= best + 1e-9 <= r.upper + 2e-9          # the sandwich holds
    assert r.upper <= best / (1 - 0.01) + 1e-12                # within the certified gap
    assert abs(circle_error(U, v, w, r.subset, architecture) - r.upper) <= 1e-12


@pytest.mark.parametrize("architecture", ["A", "B"])
@pytest.mark.parametrize("seed", [0, 1])
def test_constraint_generation_agrees_with_full_grid_milp(architecture, seed):
    """n = 20: the certified sandwich and the fine-grid (1024 points + kinks) full MILP /
    bisection sandwich overlap, and both certified lower bounds are below both exact errors."""
    U, v, w = _net(20, 10 + seed, "random")
    r = certify_neuron_pruning(U, v, w, architecture, rel_gap=0.01, rng=0)
    grid = circle_grid(U, v, w, 1024)
    if architecture == "A":
        out = milp_architecture_a(grid)
        full_lower, x = out.lower, out.x
    else:
        out = bisection_architecture_b(grid, rel_tol=1e-4)
        full_lower, x = out.lower, out.x
    full_upper = circle_error(U, v, w, np.flatnonzero(x > 0.5), architecture)
    assert r.status == "certified" and out.status == "optimal"
    assert r.lower <= full_upper + 1e-9 and full_lower <= r.upper + 1e-9
    assert abs(r.upper - full_upper) <= 0.011 * full_upper


def test_stopped_short_is_a_sandwich_not_an_optimum():
    U, v, w = _net(40, 0, "random")
    r = certify_neuron_pruning(U, v, w, "A", rel_gap=1e-6, max_rounds=1, node_limit=10, rng=0)
    assert r.status == "bounds" and r.lower <= r.upper and r.gap > 1e-6


def test_worst_angles_locate_the_sup():
    U, v, w = _net(10, 5, "random")
    for arch in ("A", "B"):
        s = np.arange(0, 10, 2)
        theta = worst_angles(U, v, w, s, arch, above=0.0, k=1)
        err = circle_error(U, v, w, s, arch)
        X = np.column_stack([np.cos(theta), np.sin(theta)])
        h = (np.maximum(X @ U[s].T, 0) * v[s]).sum(axis=1)
        h = np.maximum(h, 0) if arch == "B" else h
        assert abs(abs(h - np.maximum(X @ w, 0))[0] - err) <= 1e-9
        assert err >= dense_grid_error(U, v, w, s, arch, points=20000) - 1e-12
