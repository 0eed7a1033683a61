"""Closed-form bounds (spec §1.4, §1.5, §2.3, §2.4, §4): values against hand-typed formulas,
monotonicity, the dense-case relation between the derived sparse law and B&S Theorem 3, and
input validation."""
import math

import numpy as np
import pytest

from pruneproof.verify.robustness import bounds as b

BASE = dict(n=1e6, d=80, p=3240, eps=0.5, delta=0.1, c=1.0, W=10.0, J=1.0)
SPARSE = dict(n=1e6, d=80, mask_information=50.0, expected_support=40.0, eps=0.5, c=1.0, W=10.0,
              J=1.0)


def test_bs_theorem3_value():
    n, d, p, eps, delta, c, W, J = BASE.values()
    expected = eps / (512 * math.sqrt(c)) * math.sqrt(
        n * d / (p * math.log(60 * W * J / eps) + math.log(4 / delta)))
    assert b.bs_lipschitz_bound(**BASE) == pytest.approx(expected, rel=1e-14)


def test_sparse_corollary_value():
    n, d, info, k, eps, c, W, J = SPARSE.values()
    expected = eps / (128 * math.sqrt(c)) * math.sqrt(
        n * d / (4 * info + 4 * k * math.log(60 * W * J / eps) + 5 * math.log(2)))
    assert b.sparse_lipschitz_bound(**SPARSE) == pytest.approx(expected, rel=1e-14)


@pytest.mark.parametrize("name, up", [("n", True), ("d", True), ("p", False), ("eps", True),
                                      ("delta", True), ("c", False), ("W", False),
                                      ("J", False)])
def test_bs_monotone(name, up):
    lo, hi = dict(BASE), dict(BASE)
    hi[name] = BASE[name] * (1.5 if name not in ("eps", "delta") else 1.6)
    assert (b.bs_lipschitz_bound(**hi) > b.bs_lipschitz_bound(**lo)) == up


@pytest.mark.parametrize("name, up", [("n", True), ("d", True), ("mask_information", False),
                                      ("expected_support", False), ("eps", True), ("c", False),
                                      ("W", False), ("J", False)])
def test_sparse_monotone(name, up):
    lo, hi = dict(SPARSE), dict(SPARSE)
    hi[name] = SPARSE[name] * 1.5
    assert (b.sparse_lipschitz_bound(**hi) > b.sparse_lipschitz_bound(**lo)) == up


@pytest.mark.parametrize("p", [1, 40, 3240, 1e12])
def test_dense_case_equals_theorem3_up_to_the_stated_constants(p):
    """M = all ones, I = 0, E|M| = p: (L*/L_BS)² = 16 (pℓ + log(4/δ)) / (4pℓ + 5 log 2)."""
    kw = dict(BASE, p=p)
    ell = math.log(60 * kw["W"] * kw["J"] / kw["eps"])
    dense = b.sparse_lipschitz_bound(kw["n"], kw["d"], 0.0, p, kw["eps"], kw["c"], kw["W"],
                                     kw["J"])
    ratio2 = (dense / b.bs_lipschitz_bound(**kw)) ** 2
    assert ratio2 == pytest.approx(16 * (p * ell + math.log(4 / kw["delta"]))
                                   / (4 * p * ell + 5 * math.log(2)), rel=1e-12)
    if p == 1e12:
        assert ratio2 == pytest.approx(4.0, rel=1e-9)


def test_proposition_a_and_corollary_agree():
    """At L = L*, X = 4I' + 5 log 2 so the information term is exactly 1/4; below L* it is < 1/4
    and (with n >= 2¹¹ log 16/ε²) the success-probability bound is < 1/2 -- Corollary A'."""
    kw = dict(SPARSE)
    assert b.sparse_sample_size_condition(kw["n"], kw["eps"])
    L_star = b.sparse_lipschitz_bound(**kw)
    args = (kw["n"], kw["d"])
    rest = (kw["mask_information"], kw["expected_support"], kw["eps"], kw["c"], kw["W"], kw["J"])
    data = 4 * math.exp(-kw["n"] * kw["eps"] ** 2 / 2 ** 11)
    assert b.sparse_probability_bound(*args, L_star, *rest) - data == pytest.approx(0.25,
                                                                                   rel=1e-12)
    assert b.sparse_probability_bound(*args, 0.99 * L_star, *rest) < 0.5
    assert b.sparse_probability_bound(*args, 1e3 * L_star, *rest) == np.inf   # vacuous regime


def test_scale_free_statistic_at_the_corollary_equals_its_ceiling():
    kw = dict(SPARSE)
    L_star = b.sparse_lipschitz_bound(**kw)
    S = b.scale_free_statistic(kw["eps"], kw["n"], kw["d"], L_star)
    ceiling = b.scale_free_bound(kw["mask_information"], kw["expected_support"], kw["eps"],
                                 kw["c"], kw["W"], kw["J"])
    assert S == pytest.approx(ceiling, rel=1e-12)
    assert b.scale_free_statistic(0.5, 10, 80, 2.0) == pytest.approx(0.25 * 800 / 4)


def test_effective_information_and_parameters():
    info, k = 12.0, 40.0
    ell = math.log(60 * 10 / 0.5)
    assert b.effective_information(info, k, 0.5, 10, 1) == pytest.approx(info + k * ell)
    assert b.effective_parameters(k, info) == k + info
    # weighted form in parameter units is below the unweighted sum (ℓ >= 1)
    assert k + info / ell <= b.effective_parameters(k, info)


def test_finite_class_tail():
    assert b.finite_class_tail(0.5, 100, 80, 1.0, 2.0) == pytest.approx(
        2 * math.exp(-0.25 * 8000 / (4096 * 4)))
    assert b.finite_class_tail(0.5, 200, 80, 1.0, 2.0) < b.finite_class_tail(0.5, 100, 80, 1, 2)
    assert b.finite_class_tail(0.5, 100, 80, 1.0, 4.0) > b.finite_class_tail(0.5, 100, 80, 1, 2)


@pytest.mark.parametrize("P, k", [(10, 0), (10, 3), (50, 25), (3240, 40), (1, 1)])
def test_kspar_information(P, k):
    exact = b.kspar_information_bound(P, k)
    assert exact == pytest.approx(math.log(math.comb(P, k)), abs=1e-9)
    assert b.kspar_information_simple(P, k) >= exact - 1e-12
    assert exact == pytest.approx(b.kspar_information_bound(P, P - k), abs=1e-9)


@pytest.mark.parametrize("frac, per_weight", [(0.1, 3.30), (0.01, 5.61)])
def test_kspar_per_kept_weight_matches_spec(frac, per_weight):
    P = 100000
    k = int(frac * P)
    assert b.kspar_information_simple(P, k) / k == pytest.approx(per_weight, abs=0.01)


def test_layer_count_best_of_m_and_fano():
    assert b.layer_count_information_bound([3, 0, 7]) == pytest.approx(math.log(4) + math.log(8))
    assert b.best_of_m_information_bound(1) == 0.0
    assert b.best_of_m_information_bound(2 ** 16) == pytest.approx(16 * math.log(2))
    assert b.fano_information_lower(200, 0.0) == 200.0
    assert b.fano_information_lower(200, 0.5) == pytest.approx(0.0, abs=1e-12)
    assert b.fano_information_lower(200, 0.2) == pytest.approx(b.fano_information_lower(200, 0.8))
    h = -(0.33 * math.log2(0.33) + 0.67 * math.log2(0.67))
    assert b.fano_information_lower(200, 0.33) == pytest.approx(200 * (1 - h))
    es = np.linspace(0, 0.5, 11)
    assert np.all(np.diff(b.fano_information_lower(200, es)) < 0)


def test_arrays_broadcast_elementwise():
    ns = np.array([1e3, 1e4, 1e5])
    vec = b.bs_lipschitz_bound(ns, 80, 100, 0.5, 0.1, 1.0, 10.0, 1.0)
    assert isinstance(vec, np.ndarray) and vec.shape == (3,)
    assert np.allclose(vec, [b.bs_lipschitz_bound(n, 80, 100, 0.5, 0.1, 1.0, 10.0, 1.0)
                             for n in ns])
    assert isinstance(b.bs_lipschitz_bound(**BASE), float)


def test_sample_size_conditions():
    assert not b.bs_sample_size_condition(200, 0.5, 0.1)
    assert b.bs_sample_size_condition(4096 * math.log(80) / 0.25 + 1, 0.5, 0.1)
    assert not b.sparse_sample_size_condition(200, 0.5)


@pytest.mark.parametrize("fn, kwargs, match", [
    (b.bs_lipschitz_bound, dict(BASE, eps=0.0), "eps"),
    (b.bs_lipschitz_bound, dict(BASE, eps=1.0), "eps"),
    (b.bs_lipschitz_bound, dict(BASE, delta=1.0), "delta"),
    (b.bs_lipschitz_bound, dict(BASE, n=0.5), "n must"),
    (b.bs_lipschitz_bound, dict(BASE, p=0), "p must"),
    (b.bs_lipschitz_bound, dict(BASE, c=0.0), "c must"),
    (b.bs_lipschitz_bound, dict(BASE, W=-1.0), "W must"),
    (b.bs_lipschitz_bound, dict(BASE, W=1e-3, J=1e-3), "60"),
    (b.bs_lipschitz_bound, dict(BASE, n=float("nan")), "n must"),
    (b.sparse_lipschitz_bound, dict(SPARSE, mask_information=-1.0), "mask_information"),
    (b.sparse_lipschitz_bound, dict(SPARSE, expected_support=-1.0), "expected_support"),
    (b.kspar_information_bound, dict(P=5, k=6), "k must"),
    (b.best_of_m_information_bound, dict(M=0), "M must"),
    (b.fano_information_lower, dict(n=10, e=1.5), "e must"),
    (b.scale_free_statistic, dict(eps=0.5, n=10, d=80, L=0.0), "L must"),
    (b.layer_count_information_bound, dict(P_layers=[3, -1]), "P_layers"),
])
def test_bad_inputs_raise_naming_the_argument(fn, kwargs, match):
    with pytest.raises(ValueError, match=match):
        fn(**kwargs)
