"""Meet-in-the-middle subset sum against brute force, coverage error, bad input."""
import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pruneproof.verify.separation.subsetsum import (
    best_subset_sum,
    brute_force_subset_sum,
    coverage_error,
    exact_subset_error,
    subset_sums,
)


def _naive(values, target):
    best = abs(target)
    for r in range(1, len(values) + 1):
        for comb in itertools.combinations(range(len(values)), r):
            best = min(best, abs(math.fsum([values[i] for i in comb] + [-target])))
    return best


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(-1, 1, allow_nan=False), min_size=1, max_size=12),
       st.floats(-4, 4, allow_nan=False))
def test_mitm_equals_exhaustive_on_drawn_instances(values, target):
    err, subset = best_subset_sum(values, target)
    assert err == pytest.approx(_naive(values, target), abs=1e-14)
    assert err == exact_subset_error(values, subset, target)


@pytest.mark.parametrize("n", [1, 2, 7, 13, 20])
def test_mitm_equals_brute_force_random(n):
    rng = np.random.default_rng(n)
    for _ in range(5):
        x, z = rng.uniform(-1, 1, n), rng.uniform(-2, 2)
        assert best_subset_sum(x, z)[0] == pytest.approx(brute_force_subset_sum(x, z)[0],
                                                         abs=1e-14)


def test_ties_duplicates_zeros_negative_targets():
    cases = [([0.5, 0.5, 0.5, -0.5], 0.75), ([0.0, 0.0, 0.0], -0.3), ([0.25] * 9, 1.0),
             ([0.125, -0.125, 0.25, -0.25, 0.0, 0.5], -0.375), ([1.0, -1.0], 0.0),
             ([-0.3, -0.6, 0.1], -0.9)]
    for values, target in cases:
        err, subset = best_subset_sum(values, target)
        assert err == pytest.approx(_naive(values, target), abs=1e-15)
        assert err == pytest.approx(abs(sum(values[i] for i in subset) - target), abs=1e-15)
    # dyadic items are exact in the fixed-point grid: error exactly 0
    assert best_subset_sum([0.125, -0.125, 0.25, -0.25, 0.0, 0.5], -0.375)[0] == 0.0


def test_subset_sums_ordering_is_bitmask():
    s = subset_sums([1.0, 10.0, 100.0])
    assert list(s) == [0, 1, 10, 11, 100, 101, 110, 111]


def test_coverage_matches_dense_scan():
    rng = np.random.default_rng(5)
    x = rng.uniform(-1, 1, 8)
    sums = np.sort(subset_sums(x))
    zs = np.linspace(-1, 1, 200001)
    dense = np.max(np.min(np.abs(zs[:, None] - sums[None, :]), axis=1))
    cov = coverage_error(x)
    assert dense <= cov + 1e-12
    assert cov - dense < 1e-5


@pytest.mark.parametrize("values, target, word", [([], 0.0, "values"), ([np.nan, 1.0], 0.0, "values"),
                                                  ([1.0, 2.0], np.nan, "target"),
                                                  ([[1.0]], 0.0, "values")])
def test_bad_input(values, target, word):
    with pytest.raises(ValueError, match=word):
        best_subset_sum(values, target)


def test_too_many_items_rejected():
    with pytest.raises(ValueError, match="n <="):
        best_subset_sum(np.zeros(57), 0.0)
