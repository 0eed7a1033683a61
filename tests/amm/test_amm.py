"""DKM approximate matrix multiplication: properties over declared domains, exact enumeration,
seeded Monte Carlo, and bad inputs."""
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pruneproof.verify.amm import numerics as amm
from pruneproof.verify.amm.sketch import (
    AmmSketcher,
    amm_errors,
    amm_errors_naive,
    enumerate_sketch,
    exact_formula_fraction,
    probabilities,
    random_instance,
    sample_indices,
)
from scipy import stats

KINDS = ("gaussian", "anisotropic", "heavy-tailed", "zero-columns", "low-rank")
SCHEMES = ("optimal", "beta", "uniform", "dirichlet", "ties")

# Declared domains of the property tests
shapes = st.tuples(st.integers(1, 6), st.integers(1, 12), st.integers(1, 6))
kinds = st.sampled_from(KINDS)
schemes = st.sampled_from(SCHEMES)
cs = st.integers(1, 50)
betas = st.floats(0.01, 1.0)
seeds = st.integers(0, 2**32 - 1)


@given(shapes, kinds, schemes, cs, seeds)
def test_exact_error_is_nonnegative_and_minimised_by_pstar(shape, kind, scheme, c, seed):
    rng = np.random.default_rng(seed)
    A, B = random_instance(kind, *shape, rng=rng)
    if not np.any(amm.importance(A, B)):
        return
    p = probabilities(scheme, A, B, rng=rng)
    e, e_star = amm.expected_error(A, B, p, c), amm.optimal_error(A, B, c)
    scale = np.linalg.norm(A) ** 2 * np.linalg.norm(B) ** 2
    assert e >= 0 and e_star >= 0
    assert e_star <= e + 1e-9 * scale
    assert e_star <= scale / c * (1 + 1e-12)


@given(shapes, kinds, betas, cs, seeds)
def test_beta_bound_holds_for_every_beta_nearly_optimal_p(shape, kind, beta, c, seed):
    rng = np.random.default_rng(seed)
    A, B = random_instance(kind, *shape, rng=rng)
    if not np.any(amm.importance(A, B)):
        return
    pstar = amm.optimal_probabilities(A, B)
    j = int(rng.integers(pstar.size))
    p = beta * pstar
    p[j] += 1 - beta                          # the adversarial beta-nearly-optimal p
    assert amm.near_optimality(p, A, B) >= beta * (1 - 1e-9)
    assert amm.expected_error(A, B, p, c) <= amm.beta_bound(A, B, c, beta) * (1 + 1e-12)


@given(st.integers(1, 3), st.integers(1, 3), seeds)
@settings(max_examples=15)
def test_enumeration_equals_the_formula_in_rational_arithmetic(n, c, seed):
    rng = np.random.default_rng(seed)
    A = np.round(rng.standard_normal((2, n)) * 4) / 4
    B = np.round(rng.standard_normal((n, 2)) * 4) / 4
    weights = rng.integers(1, 5, n)
    p = [Fraction(int(w), int(weights.sum())) for w in weights]
    mean, expected, outcomes = enumerate_sketch(A, B, p, c)
    assert sum(prob for prob, _ in outcomes) == 1
    assert expected == exact_formula_fraction(A, B, p, c)
    AB = [[sum(Fraction(A[i, k]) * Fraction(B[k, j]) for k in range(n)) for j in range(2)]
          for i in range(2)]
    assert mean == AB


@given(shapes, kinds, schemes, st.integers(1, 12), seeds)
@settings(max_examples=25)
def test_fast_errors_equal_the_naive_c_times_r_loop(shape, kind, scheme, c, seed):
    rng = np.random.default_rng(seed)
    A, B = random_instance(kind, *shape, rng=rng)
    if not np.any(amm.importance(A, B)):
        return
    p = probabilities(scheme, A, B, rng=rng)
    fast = amm_errors(A, B, p, c, 30, rng=seed)
    naive = amm_errors_naive(A, B, p, c, 30, rng=seed)
    scale = np.linalg.norm(A @ B) ** 2 + np.max(naive)
    np.testing.assert_allclose(fast, naive, rtol=1e-7, atol=1e-9 * scale)


def test_tied_probabilities_are_sampled_equally():
    """Indices with equal p are drawn equally often (the tie bug of spec/style.md §4.4).
    Chi-square goodness of fit at alpha = 1e-4 (false-failure probability 1e-4; fixed seed)."""
    p = np.array([0.25, 0.25, 0.125, 0.125, 0.125, 0.125])
    draws = sample_indices(p, 10, 20000, rng=7).ravel()
    counts = np.bincount(draws, minlength=p.size)
    assert stats.chisquare(counts, p * draws.size).pvalue > 1e-4


def test_monte_carlo_mean_covers_the_exact_expectation():
    """99.99% t-interval around 40,000 sampled errors covers the exact expectation on 4 fixed
    instances: false-failure probability <= 4e-4 (CLT; fixed seeds)."""
    rng = np.random.default_rng(3)
    for kind in ("gaussian", "anisotropic", "zero-columns", "low-rank"):
        A, B = random_instance(kind, 15, 40, 10, rng)
        p = probabilities("beta", A, B, beta=0.3)
        err = amm_errors(A, B, p, 8, 40000, rng)
        half = stats.t.ppf(1 - 5e-5, err.size - 1) * err.std(ddof=1) / np.sqrt(err.size)
        assert abs(err.mean() - amm.expected_error(A, B, p, 8)) <= half


def test_same_seed_same_samples_and_sweeps_reuse_the_precompute():
    rng = np.random.default_rng(0)
    A, B = random_instance("gaussian", 5, 9, 4, rng)
    p = amm.optimal_probabilities(A, B)
    sk = AmmSketcher(A, B)
    np.testing.assert_array_equal(sk.errors(p, 4, 100, 1), amm_errors(A, B, p, 4, 100, 1))
    assert not np.array_equal(sk.errors(p, 4, 100, 1), sk.errors(p, 4, 100, 2))


def test_optimal_probabilities_known_case():
    A = np.array([[3.0, 0.0, 1.0]])          # column norms 3, 0, 1
    B = np.array([[1.0], [5.0], [2.0]])      # row norms 1, 5, 2
    np.testing.assert_allclose(amm.optimal_probabilities(A, B), [0.6, 0.0, 0.4])


# ---------------------------------------------------------------------------------------------
# Bad input gets a clear error

A0, B0 = np.ones((2, 3)), np.ones((3, 2))
P0 = np.full(3, 1 / 3)


@pytest.mark.parametrize("A,B,p,c,match", [
    (np.array([[np.nan, 1, 1]]), B0, P0, 2, "A contains NaN or inf"),
    (A0, np.full((3, 2), np.inf), P0, 2, "B contains NaN or inf"),
    (A0, np.ones((4, 2)), P0, 2, "shape mismatch"),
    (A0, B0, P0, 0, "c must be an integer >= 1"),
    (A0, B0, np.array([0.5, 0.75, -0.25]), 2, "p must be >= 0"),
    (A0, B0, np.array([0.5, 0.25, 0.2]), 2, "p must sum to 1"),
    (A0, B0, np.array([0.5, 0.5, 0.0]), 2, "p is zero at index 2"),
    (A0, B0, np.full(4, 0.25), 2, r"p must have shape \(3,\)"),
    (A0, B0, np.array([np.nan, 0.5, 0.5]), 2, "p contains NaN"),
])
def test_bad_amm_inputs_raise_value_errors_naming_the_argument(A, B, p, c, match):
    with pytest.raises(ValueError, match=match):
        amm.expected_error(A, B, p, c)
    with pytest.raises(ValueError, match=match):
        amm_errors(A, B, p, c, 10, rng=0)


def test_c_must_be_an_integer():
    with pytest.raises(TypeError, match="c must be an integer"):
        amm.expected_error(A0, B0, P0, 2.5)


@pytest.mark.parametrize("beta", [0.0, -0.1, 1.01, float("nan")])
def test_beta_outside_unit_interval(beta):
    with pytest.raises(ValueError, match=r"beta must be"):
        amm.beta_bound(A0, B0, 2, beta)


@pytest.mark.parametrize("delta", [0.0, 1.0, -0.5, 2.0])
def test_delta_outside_open_unit_interval(delta):
    with pytest.raises(ValueError, match=r"delta must be"):
        amm.high_probability_bound(A0, B0, 2, 0.5, delta)


def test_trials_must_be_positive():
    with pytest.raises(ValueError, match="trials must be an integer >= 1"):
        amm_errors(A0, B0, P0, 2, 0, rng=0)


def test_zero_product_has_no_optimal_probabilities():
    with pytest.raises(ValueError, match="no index k"):
        amm.optimal_probabilities(np.zeros((2, 3)), B0)


@given(st.integers(2, 3), st.integers(1, 3), betas, st.floats(0.01, 0.9), seeds)
@settings(max_examples=20)
def test_high_probability_bound_holds_exactly_on_enumerated_cases(n, c, beta, delta, seed):
    rng = np.random.default_rng(seed)
    A = np.round(rng.standard_normal((2, n)) * 4) / 4 + 0.25
    B = np.round(rng.standard_normal((n, 2)) * 4) / 4 + 0.25
    pstar = amm.optimal_probabilities(A, B)
    p = beta * pstar
    p[int(rng.integers(n))] += 1 - beta
    bound = amm.high_probability_bound(A, B, c, beta, delta)
    exact_p = [Fraction(x) for x in p]
    exact_p = [x / sum(exact_p) for x in exact_p]   # exact normalisation of the float p
    _, _, outcomes = enumerate_sketch(A, B, exact_p, c)
    mass = sum(float(prob) for prob, err in outcomes if float(err) ** 0.5 <= bound)
    assert mass >= 1 - delta - 1e-12
