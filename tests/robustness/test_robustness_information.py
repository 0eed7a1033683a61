"""Exact entropy / mutual information of small tables and enumerations; plug-in estimates and
bootstrap bands (spec §4 "MI bounds for masks")."""
import math

import numpy as np
import pytest

from pruneproof.verify.robustness.information import (all_sign_vectors, bootstrap_band,
                                                      conditional_mutual_information,
                                                      coordinatewise_entropy, entropy,
                                                      enumerated_information,
                                                      mutual_information, plugin_entropy)


def test_entropy_of_uniform_and_point_mass():
    assert entropy(np.full(8, 1 / 8)) == pytest.approx(math.log(8))
    assert entropy([1.0, 0.0, 0.0]) == 0.0


def test_independent_table_has_zero_information():
    rng = np.random.default_rng(0)
    pa, pb = rng.dirichlet(np.ones(5)), rng.dirichlet(np.ones(7))
    assert mutual_information(np.outer(pa, pb)) == pytest.approx(0.0, abs=1e-14)


def test_deterministic_table_has_information_equal_to_entropy():
    rng = np.random.default_rng(1)
    pa = rng.dirichlet(np.ones(6))
    f = np.array([2, 0, 2, 1, 3, 0])                        # B = f(A)
    joint = np.zeros((6, 4))
    joint[np.arange(6), f] = pa
    assert mutual_information(joint) == pytest.approx(entropy(joint.sum(0)), rel=1e-12)
    # a bijection gives H(A); the table is symmetric under transposition
    assert mutual_information(np.diag(pa)) == pytest.approx(entropy(pa), rel=1e-12)
    assert mutual_information(joint.T) == pytest.approx(mutual_information(joint), rel=1e-12)


def test_binary_symmetric_channel():
    e = 0.11
    joint = 0.5 * np.array([[1 - e, e], [e, 1 - e]])
    h = -(e * math.log(e) + (1 - e) * math.log(1 - e))
    assert mutual_information(joint) == pytest.approx(math.log(2) - h, rel=1e-12)


def test_conditional_information_chain_rule():
    joint = np.random.default_rng(2).dirichlet(np.ones(3 * 4 * 2)).reshape(3, 4, 2)
    I_a_bc = mutual_information(joint.reshape(3, 8))
    I_a_c = mutual_information(joint.sum(1))
    assert I_a_bc == pytest.approx(I_a_c + conditional_mutual_information(joint), rel=1e-10)


def test_enumeration_identity_constant_and_private_randomness():
    ys = all_sign_vectors(3)
    assert ys.shape == (8, 3)
    ident = enumerated_information(ys, lambda y: y > 0)
    assert ident.information == pytest.approx(3 * math.log(2)) and ident.conditional_entropy == 0
    assert enumerated_information(ys, lambda y: np.zeros(3, bool)).information == 0.0
    # a mask drawn from the algorithm's own randomness: H(M) = log 2 but I(M; D) = 0 -- why the
    # plug-in H(m) must never be used for such masks (spec §4)
    own = enumerated_information(ys, lambda y, xi: np.array([xi]), xis=[0, 1])
    assert own.entropy == pytest.approx(math.log(2)) and own.information == pytest.approx(0.0)


def test_enumeration_weights_and_data_dependence():
    ys = all_sign_vectors(2)
    w = np.array([0.1, 0.2, 0.3, 0.4])
    first = enumerated_information(ys, lambda y: y[:1] > 0, weights=w)
    p1 = w[ys[:, 0] > 0].sum()
    assert first.information == pytest.approx(-(p1 * math.log(p1) + (1 - p1) * math.log(1 - p1)))


def test_plugin_entropy_and_miller_madow():
    counts = [5, 3, 2, 0]
    raw = -sum(c / 10 * math.log(c / 10) for c in counts if c)
    assert plugin_entropy(counts, correction="none") == pytest.approx(raw)
    assert plugin_entropy(counts) == pytest.approx(raw + (3 - 1) / 20)
    with pytest.raises(ValueError, match="correction"):
        plugin_entropy(counts, correction="jackknife")
    with pytest.raises(ValueError, match="counts"):
        plugin_entropy([1.5, 2])
    with pytest.raises(ValueError, match="counts"):
        plugin_entropy([-1, 2])


def test_coordinatewise_entropy_upper_bounds_joint_for_dependent_coordinates():
    rng = np.random.default_rng(3)
    col = rng.random(400) < 0.5
    masks = np.stack([col, col, col], axis=1)             # three identical coordinates
    joint_H = plugin_entropy(np.bincount(col.astype(int)), correction="none")
    est = coordinatewise_entropy(masks, correction="none")
    assert est == pytest.approx(3 * joint_H) and est >= joint_H


def test_bootstrap_band_reproducible_and_ordered():
    rng = np.random.default_rng(4)
    masks = rng.random((200, 5)) < 0.3
    band = bootstrap_band(masks, coordinatewise_entropy, rng=7, n_resamples=200)
    again = bootstrap_band(masks, coordinatewise_entropy, rng=7, n_resamples=200)
    other = bootstrap_band(masks, coordinatewise_entropy, rng=8, n_resamples=200)
    assert band == again and band != other
    assert band.low <= band.estimate <= band.high and band.standard_error > 0
    with pytest.raises(ValueError, match="confidence"):
        bootstrap_band(masks, coordinatewise_entropy, rng=1, confidence=1.5)


@pytest.mark.parametrize("bad, match", [(np.array([[0.5, 0.6]]), "sum to 1"),
                                        (np.array([[1.5, -0.5]]), "non-negative"),
                                        (np.array([0.5, 0.5]), "2-D")])
def test_tables_validated(bad, match):
    with pytest.raises(ValueError, match=match):
        mutual_information(bad)
