"""Masks (spec paths 3, 5.2; check 6.5): exact counts under ties, determinism, iteration without
revival or collapse, shuffling, and diagnostics."""
import numpy as np
import pytest
from hypothesis import given, strategies as st

from pruneproof.verify.paths.buggy import threshold_prune_mask
from pruneproof.verify.paths.kernel import path_norm_l1
from pruneproof.verify.paths.masks import (
    alive_units, compression, has_path, iterative_prune, kept_count, layer_collapse,
    max_compression, prune_mask, prune_round, schedule_densities, shuffle_masks)
from pruneproof.verify.paths.network import apply_masks, random_network
from pruneproof.verify.paths.scores import scores

SPEC_65 = [64, 256, 8, 256, 10]

tied_scores_st = st.lists(
    st.lists(st.sampled_from([0.0, 0.0, 1.0, 2.0, -np.inf]), min_size=1, max_size=30),
    min_size=1, max_size=4)


def _as_layers(lists):
    return [np.array(v).reshape(1, -1) for v in lists]


@given(tied_scores_st, st.floats(0.001, 1.0), st.integers(0, 2 ** 32 - 1),
       st.sampled_from(["global", "layer"]))
def test_prune_mask_keeps_exact_count_under_ties(lists, density, seed, scope):
    s = _as_layers(lists)
    m = prune_mask(s, density, seed, scope=scope)
    assert [a.shape for a in m] == [a.shape for a in s] and all(a.dtype == bool for a in m)
    if scope == "global":
        assert sum(int(a.sum()) for a in m) == kept_count(density, sum(a.size for a in s))
    else:
        assert [int(a.sum()) for a in m] == [kept_count(density, a.size) for a in s]
    # the kept entries are a top set: no dropped score beats a kept one (within each group)
    groups = [(np.concatenate([a.ravel() for a in s]), np.concatenate([a.ravel() for a in m]))] \
        if scope == "global" else [(a.ravel(), b.ravel()) for a, b in zip(s, m)]
    for values, keep in groups:
        if keep.any() and (~keep).any():
            assert values[keep].min() >= values[~keep].max()
    # deterministic given rng
    again = prune_mask(s, density, seed, scope=scope)
    assert all(np.array_equal(a, b) for a, b in zip(m, again))


def test_ties_are_broken_by_rng():
    s = [np.zeros((10, 10))]
    masks = {tuple(prune_mask(s, 0.5, seed)[0].ravel()) for seed in range(5)}
    assert len(masks) == 5
    counts = np.zeros(100)
    for seed in range(400):
        counts += prune_mask(s, 0.5, seed)[0].ravel()
    # each index kept ~ Binomial(400, 1/2) times (sd 10): outside (120, 280) for any of the 100
    # indices with probability < 1e-12 under a fair tie-break (seeds are fixed anyway)
    assert 120 < counts.min() and counts.max() < 280


def test_threshold_rule_over_prunes_on_ties_but_ours_does_not():
    s = [np.array([[0.0, 0.0, 0.0, 1.0, 2.0, 3.0, 0.0, 0.0, 5.0, 6.0]])]
    assert int(threshold_prune_mask(s, 0.8)[0].sum()) == 5      # asked for 8
    assert int(prune_mask(s, 0.8, 0)[0].sum()) == 8


def test_kept_count_rounding_and_density_errors():
    assert kept_count(0.5, 5) == 3 and kept_count(0.1, 23040) == 2304 and kept_count(1.0, 7) == 7
    for bad in (0.0, -0.1, 1.5, float("nan")):
        with pytest.raises(ValueError, match="density must be in"):
            prune_mask([np.ones((2, 2))], bad, 0)
    with pytest.raises(TypeError, match="density must be a real number"):
        prune_mask([np.ones((2, 2))], "0.5", 0)
    with pytest.raises(ValueError, match="scores contains NaN"):
        prune_mask([np.array([[np.nan, 1.0]])], 0.5, 0)
    with pytest.raises(ValueError, match="scope must be one of global, layer"):
        prune_mask([np.ones((2, 2))], 0.5, 0, scope="local")
    with pytest.raises(TypeError, match="scores must be a non-empty list"):
        prune_mask(np.ones((2, 2)), 0.5, 0)


def test_prune_round_never_revives_and_refuses_growth():
    mask = [np.array([[True, False, True, False]])]
    new = prune_round([np.array([[1.0, 9.0, 2.0, 9.0]])], mask, 0.25, 0)
    assert new[0].tolist() == [[False, False, True, False]]
    with pytest.raises(ValueError, match="only 2 are alive"):
        prune_round([np.ones((1, 4))], mask, 0.75, 0)


def test_schedules():
    np.testing.assert_allclose(schedule_densities(0.01, 4), 0.01 ** (np.arange(1, 5) / 4))
    np.testing.assert_allclose(schedule_densities(0.2, 4, "linear"), [0.8, 0.6, 0.4, 0.2])
    with pytest.raises(ValueError, match="schedule must be one of exponential, linear"):
        schedule_densities(0.2, 4, "cosine")
    with pytest.raises(ValueError, match="rounds must be an integer >= 1"):
        schedule_densities(0.2, 0)


def test_iterative_synflow_avoids_collapse_where_single_shot_collapses():
    """Spec 6.5 net: single-shot SynFlow empties the largest (64x256) layer at rho = 10^1.25
    (pilot: from 10^1.0); 10-round iterative SynFlow keeps every layer up to rho = 10^2.5."""
    w = random_network(SPEC_65, 0)
    single = iterative_prune(w, "synflow", 10 ** -1.25, rounds=1, rng=0)
    assert layer_collapse(single) and int(single[0].sum()) == 0
    for alpha in (1.25, 2.5):
        m, history = iterative_prune(w, "synflow", 10 ** -alpha, rounds=10, rng=0,
                                     return_history=True)
        assert not layer_collapse(m) and has_path(m)
        assert path_norm_l1(apply_masks(w, m)) > 0
        assert compression(m) == pytest.approx(10 ** alpha, rel=0.01)
        for before, after in zip(history, history[1:]):
            assert all(np.all(b <= a) for a, b in zip(before, after))


def test_iterative_prune_is_deterministic_and_accepts_callables():
    w = random_network([6, 8, 4], 1)
    a = iterative_prune(w, "random", 0.2, rounds=3, rng=5)
    b = iterative_prune(w, "random", 0.2, rounds=3, rng=5)
    assert all(np.array_equal(x, y) for x, y in zip(a, b))
    c = iterative_prune(w, lambda ww, rng: scores(ww, "magnitude"), 0.2, rounds=3, rng=5)
    d = iterative_prune(w, "magnitude", 0.2, rounds=3, rng=5)
    assert all(np.array_equal(x, y) for x, y in zip(c, d))
    lin = iterative_prune(w, "synflow", 0.2, rounds=3, schedule="linear", rng=5, scope="layer")
    assert [int(m.sum()) for m in lin] == [kept_count(0.2, W.size) for W in w]


def test_theorem_3_one_removal_per_round_reaches_rho_max():
    """Positive, conserved score re-scored after every single removal: no layer empties before
    every layer is down to one weight (spec 3.6, derived)."""
    w = random_network([3, 4, 3, 2], 2)
    N, L = sum(W.size for W in w), len(w)
    mask, rng = [np.ones(W.shape, dtype=bool) for W in w], np.random.default_rng(0)
    for keep in range(N - 1, L - 1, -1):
        s = scores(apply_masks(w, mask), "synflow")
        mask = prune_round(s, mask, keep / N, rng)
        assert sum(int(m.sum()) for m in mask) == keep
        assert not layer_collapse(mask)
    assert [int(m.sum()) for m in mask] == [1] * L
    assert compression(mask) == max_compression(w) == N / L


def test_shuffle_masks_keeps_counts_changes_masks_and_is_seeded():
    w = random_network(SPEC_65, 0)
    masks = prune_mask(scores(w, "synflow"), 0.05, 0, scope="layer")
    original = [m.copy() for m in masks]
    a, b = shuffle_masks(masks, 3), shuffle_masks(masks, 3)
    assert all(np.array_equal(m, o) for m, o in zip(masks, original))   # inputs untouched
    for m, x, y in zip(masks, a, b):
        assert int(x.sum()) == int(m.sum()) and np.array_equal(x, y)
        if 0 < m.sum() < m.size:
            assert not np.array_equal(x, m)
    assert not np.array_equal(shuffle_masks(masks, 4)[0], a[0])


def test_diagnostics():
    w = random_network(SPEC_65, 0)
    assert sum(W.size for W in w) == 23040 and max_compression(w) == 5760.0
    full = [np.ones(W.shape, dtype=bool) for W in w]
    assert compression(full) == 1.0 and not layer_collapse(full) and has_path(full)
    assert alive_units(full) == [256, 8, 256]
    cut = [m.copy() for m in full]
    cut[1][:] = False
    assert layer_collapse(cut) and not has_path(cut) and alive_units(cut) == [0, 0, 0]
    # no layer empty, but no path either: unit 0 of layer 1 feeds nothing that reaches the output
    broken = [np.zeros(W.shape, dtype=bool) for W in w]
    broken[0][0, 0] = True
    broken[1][0, 1] = True
    broken[2][:, 0] = True
    broken[3][:, :] = True
    assert not layer_collapse(broken) and not has_path(broken)
    assert compression([np.zeros((2, 2), dtype=bool)]) == np.inf
