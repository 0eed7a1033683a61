"""Neuron-pruning evaluators and solvers: exact circle evaluator vs dense grid, MILP vs brute
force, kink-gap bounds, bad input."""
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pruneproof.verify.separation.bounds import (
    brute_force_best,
    kink_arc_lp_bound,
    kink_gap_bound,
    kink_gaps,
)
from pruneproof.verify.separation.circle import (
    circle_error,
    dense_grid_error,
    random_network,
    random_target,
)
from pruneproof.verify.separation.search import best_neuron_subset, solve_neuron_pruning


@pytest.mark.parametrize("architecture", ["A", "B"])
@pytest.mark.parametrize("norm", ["sup", "L2"])
def test_circle_evaluator_equals_dense_grid(architecture, norm):
    rng = np.random.default_rng(1)
    for _ in range(6):
        U, v = random_network(7, 2, "gaussian", rng)
        w = random_target(2, rng) * 1.3
        s = np.flatnonzero(rng.random(7) < 0.6)
        exact = circle_error(U, v, w, s, architecture, norm)
        dense = dense_grid_error(U, v, w, s, architecture, norm, points=100_000)
        if norm == "sup":  # a grid under-estimates the sup by at most Lipschitz * spacing
            assert dense <= exact + 1e-12
            assert exact - dense <= 10 * np.abs(v).sum() * np.abs(U).max() * (2 * math.pi / 1e5)
        else:
            assert exact == pytest.approx(dense, rel=1e-6, abs=1e-9)


@pytest.mark.parametrize("architecture", ["A", "B"])
def test_milp_optimum_equals_brute_force(architecture):
    rng = np.random.default_rng(7)
    for n in (8, 10):
        U, v = random_network(n, 2, "gaussian", rng)
        w = random_target(2, rng)
        err, lower, subset = best_neuron_subset(U, v, w, architecture, grid_points=512, rng=0)
        brute, _ = brute_force_best(U, v, w, architecture)
        assert lower <= brute + 1e-9                     # certified lower bound
        assert err >= brute - 1e-12                      # exact error of a real subset
        assert err == pytest.approx(brute, rel=2e-3, abs=1e-6)
        assert err == pytest.approx(circle_error(U, v, w, subset, architecture), abs=1e-15)


def test_restricted_path_is_an_upper_bound():
    rng = np.random.default_rng(3)
    U, v = random_network(12, 2, "gaussian", rng)
    w = random_target(2, rng)
    full = solve_neuron_pruning(U, v, w, "A", grid_points=512, rng=0)
    restricted = solve_neuron_pruning(U, v, w, "A", full_max_n=4, restricted_k=8,
                                      grid_points=512, rng=0)
    assert restricted.status == "bounds"
    assert restricted.error >= full.lower - 1e-9
    assert restricted.lower <= full.error + 1e-9


@pytest.mark.parametrize("architecture", ["A", "B"])
def test_node_limited_solve_is_reported_as_bound(architecture):
    """A node limit of 1 stops this instance's full solve (seed 7): a bracket, never "optimal";
    the unlimited solve is optimal and its optimum lies in the bracket."""
    rng = np.random.default_rng(7)
    U, v = random_network(40, 2, "gaussian", rng)
    w = random_target(2, rng)
    limited = solve_neuron_pruning(U, v, w, architecture, grid_points=256, node_limit=1, rng=0)
    full = solve_neuron_pruning(U, v, w, architecture, grid_points=256, rng=0)
    assert limited.status == "node_limit"
    assert full.status == "optimal"
    assert limited.lower <= full.lower + 1e-9 <= limited.error + 2e-9


@pytest.mark.parametrize("full_max_n", [48, 0])
def test_wall_clock_safety_net_is_reported(full_max_n):
    """If the per-MILP wall-clock safety net is hit, the status says so (never silently)."""
    rng = np.random.default_rng(4)
    U, v = random_network(40, 2, "gaussian", rng)
    w = random_target(2, rng)
    r = solve_neuron_pruning(U, v, w, "B", grid_points=256, full_max_n=full_max_n,
                             time_limit=1e-6, rng=0)
    assert r.status == "time_limit"
    assert r.lower <= r.error


def _same_result(a, b):
    assert a.error == b.error and a.lower == b.lower and a.status == b.status
    assert np.array_equal(a.subset, b.subset)
    assert {k: v for k, v in a.details.items() if "seconds" not in k} == \
        {k: v for k, v in b.details.items() if "seconds" not in k}


def test_restricted_solver_is_deterministic():
    """Two runs of the restricted search on one instance (B, n = 48, every work limit in play:
    neighbourhood MILPs, node-limited polish step, certificate MILP) give bit-identical results,
    the second one under CPU load from a busy thread: no wall-clock limit decides anything."""
    import threading
    rng = np.random.default_rng(21)
    U, v = random_network(48, 2, "gaussian", rng)
    w = random_target(2, rng)
    kwargs = dict(full_max_n=0, grid_points=256, restricted_k=16, restricted_node_limit=50,
                  polish_steps=2, rng=3)
    first = solve_neuron_pruning(U, v, w, "B", **kwargs)
    stop = threading.Event()

    def burn():
        while not stop.is_set():
            np.linalg.svd(np.ones((200, 200)))

    load = threading.Thread(target=burn)
    load.start()
    try:
        second = solve_neuron_pruning(U, v, w, "B", **kwargs)
    finally:
        stop.set()
        load.join()
    assert first.status == "bounds"
    _same_result(first, second)


def test_full_solver_is_deterministic():
    rng = np.random.default_rng(22)
    U, v = random_network(16, 2, "gaussian", rng)
    w = random_target(2, rng)
    for arch in ("A", "B"):
        a, b = (solve_neuron_pruning(U, v, w, arch, grid_points=256, rng=5) for _ in range(2))
        assert a.status == "optimal"
        _same_result(a, b)


def test_work_limits_reject_bad_values():
    U, v = random_network(4, 2, "gaussian", 0)
    w = random_target(2, 0)
    for bad in (0, -3, 2.5, True):
        with pytest.raises(ValueError, match="node_limit"):
            solve_neuron_pruning(U, v, w, "B", node_limit=bad)
    from pruneproof.verify.separation.circle import circle_grid
    from pruneproof.verify.separation.milp import bisection_architecture_b
    grid = circle_grid(U, v, w, 64)
    with pytest.raises(ValueError, match="max_steps"):
        bisection_architecture_b(grid, max_steps=-1)
    with pytest.raises(ValueError, match="start_fraction"):
        bisection_architecture_b(grid, start_fraction=1.0)


@settings(max_examples=15, deadline=None)
@given(st.integers(1, 7), st.integers(0, 10_000), st.floats(0.2, 3.0))
def test_kink_gap_bound_below_exact_optimum(n, seed, scale):
    """Property over the declared domain: LB_A <= OPT (enumeration, architecture A)."""
    rng = np.random.default_rng(seed)
    U, v = random_network(n, 2, "gaussian", rng)
    w = random_target(2, rng) * scale
    opt, _ = brute_force_best(U, v, w, "A")
    lb = kink_gap_bound(U, w)
    assert lb <= opt * (1 + 1e-9)
    assert kink_arc_lp_bound(U, v, w, points=200) >= lb - 3e-7


def test_kink_gaps_sum_to_at_most_pi():
    rng = np.random.default_rng(0)
    U, _ = random_network(5, 2, "gaussian", rng)
    d1, d2 = kink_gaps(U, np.array([1.0, 0.0]))
    assert 0 < d1 and 0 < d2 and d1 + d2 <= math.pi + 1e-12
    d1, d2 = kink_gaps(U[:1], np.array([1.0, 0.0]))
    assert d1 + d2 == pytest.approx(math.pi)


def test_d1_is_subset_sum_and_architecture_b_default():
    rng = np.random.default_rng(2)
    U, v = random_network(10, 1, "gaussian", rng)
    err, lower, subset = best_neuron_subset(U, v, np.array([0.7]))
    assert err == lower


@pytest.mark.parametrize("kwargs, word", [
    (dict(U=np.zeros((0, 2)), v=np.zeros(0), w=np.ones(2)), "n >= 1"),
    (dict(U=np.zeros((3, 0)), v=np.zeros(3), w=np.zeros(0)), "d >= 1"),
    (dict(U=np.ones((3, 2)), v=np.ones(3), w=np.zeros(2)), r"\|\|w\|\|"),
    (dict(U=np.full((3, 2), np.nan), v=np.ones(3), w=np.ones(2)), "U must be finite"),
    (dict(U=np.ones((3, 2)), v=np.array([1, np.nan, 1.0]), w=np.ones(2)), "v must be finite"),
])
def test_bad_input(kwargs, word):
    with pytest.raises(ValueError, match=word):
        best_neuron_subset(**kwargs)


def test_unknown_architecture_and_norm():
    U, v = random_network(3, 2, rng=0)
    with pytest.raises(ValueError, match="architecture"):
        best_neuron_subset(U, v, np.ones(2), architecture="C")
    with pytest.raises(ValueError, match="norm"):
        best_neuron_subset(U, v, np.ones(2), norm="L1")
    with pytest.raises(ValueError, match="n must"):
        random_network(0, 2, rng=0)
    with pytest.raises(ValueError, match="d must"):
        random_network(3, 0, rng=0)
    with pytest.raises(ValueError, match="inner"):
        random_network(3, 2, inner="cauchy", rng=0)


def test_architecture_option_changes_the_result():
    rng = np.random.default_rng(9)
    U, v = random_network(6, 2, rng=rng)
    w = random_target(2, rng)
    s = np.arange(6)
    assert circle_error(U, v, w, s, "A") != circle_error(U, v, w, s, "B") or \
        np.all(np.maximum(0, 0) == 0)


def test_candidate_ranking_is_a_permutation_and_puts_cancelling_pairs_first():
    """A planted kink-cancelling pair (antipodal units, opposite amplitudes) is ranked in the first
    few units for B; the ranking is a permutation of all units for A and B."""
    from pruneproof.verify.separation.search import (
        candidate_ranking,
        restricted_candidates,
    )
    rng = np.random.default_rng(5)
    U, v = random_network(30, 2, "gaussian", rng)
    w = random_target(2, rng)
    U[7] = -U[3] * 1.0                      # antipodal direction, same norm
    v[7] = -v[3]                            # c_7 = -c_3: c sigma(t) - c sigma(-t) = c t
    for arch in ("A", "B"):
        r = candidate_ranking(U, v, w, arch)
        assert sorted(r.tolist()) == list(range(30))
    top = candidate_ranking(U, v, w, "B")[:3].tolist()
    assert 3 in top and 7 in top
    assert restricted_candidates(U, v, w, k=5, architecture="B").size == 5
    with pytest.raises(ValueError, match="k must be"):
        restricted_candidates(U, v, w, k=0)


def test_restricted_search_is_an_upper_bound_and_matches_brute_force_often():
    """B, n = 9: the restricted search (forced by full_max_n=0) never beats the enumerated optimum
    and its subset's error is exact; its certified lower end never exceeds the optimum."""
    rng = np.random.default_rng(6)
    for _ in range(3):
        U, v = random_network(9, 2, "gaussian", rng)
        w = random_target(2, rng)
        opt, _ = brute_force_best(U, v, w, "B")
        r = solve_neuron_pruning(U, v, w, "B", full_max_n=0, restricted_k=5,
                                 restricted_node_limit=50, grid_points=256, rng=1)
        assert r.status == "bounds" and r.method == "restricted-lns"
        assert r.error >= opt - 1e-12
        assert r.error == pytest.approx(circle_error(U, v, w, r.subset, "B"))
        assert r.lower <= opt + 1e-6


def test_bisection_rejects_unknown_limit_mode():
    from pruneproof.verify.separation.circle import circle_grid
    from pruneproof.verify.separation.milp import bisection_architecture_b
    U, v = random_network(4, 2, "gaussian", 0)
    with pytest.raises(ValueError, match="on_limit"):
        bisection_architecture_b(circle_grid(U, v, random_target(2, 0), 64), on_limit="later")
