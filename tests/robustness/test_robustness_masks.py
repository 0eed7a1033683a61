"""Mask constructions of spec E2–E4 on the quadratic model's canonical coordinates."""
import math

import numpy as np
import pytest

from pruneproof.verify.robustness import masks as M
from pruneproof.verify.robustness.bounds import kspar_information_bound
from pruneproof.verify.robustness.information import all_sign_vectors, enumerated_information
from pruneproof.verify.robustness.quadratic import design_matrix, symmetric_basis

D, N, K = 6, 4, 8
B = symmetric_basis(D)
P = B.shape[0]                                                # 21


def problem(seed, n=N, d=D):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d))
    X /= np.linalg.norm(X, axis=1, keepdims=True)
    basis = B if d == D else symmetric_basis(d)
    return design_matrix(X, basis), rng.choice([-1.0, 1.0], n), M.draw_init(basis.shape[0], rng)


def builders(Phi, y, a0, rng):
    return {
        "random": M.random_mask(P, K, rng),
        "magnitude_at_init": M.magnitude_at_init_mask(a0, K),
        "data_free": M.data_free_mask(B, a0, K),
        "best_of_m": M.best_of_m_mask(Phi, y, B, K, 8, rng),
        "supermask": M.topk_supermask(Phi, y, a0, K),
        "magnitude_after_training": M.magnitude_after_training_mask(Phi, y, K),
        "imp_lite": M.imp_lite_mask(Phi, y, K),
        "snip": M.snip_mask(Phi, y, a0, K),
        "inverted_snip": M.inverted_mask(M.snip_scores(Phi, y, a0), K),
        "shuffled": M.shuffled_mask(M.snip_mask(Phi, y, a0, K), M.basis_groups(D), rng),
    }


def test_every_construction_returns_exactly_k_booleans():
    Phi, y, a0 = problem(0)
    for name, mask in builders(Phi, y, a0, np.random.default_rng(1)).items():
        assert mask.dtype == bool and mask.shape == (P,) and mask.sum() == K, name


def test_top_k_ties_and_inversion():
    assert np.flatnonzero(M.top_k_mask(np.zeros(6), 2)).tolist() == [0, 1]
    s = np.array([3.0, 1.0, 1.0, 2.0, 1.0])
    assert np.flatnonzero(M.top_k_mask(s, 3)).tolist() == [0, 1, 3]   # exactly k despite ties
    assert np.flatnonzero(M.inverted_mask(s, 2)).tolist() == [1, 2]
    with pytest.raises(ValueError, match=r"k must be an integer in \[0, 5\]"):
        M.top_k_mask(s, 6)


def test_random_masks_follow_the_rng():
    assert np.array_equal(M.random_mask(P, K, 3), M.random_mask(P, K, 3))
    assert not np.array_equal(M.random_mask(P, K, 3), M.random_mask(P, K, 4))


def test_shuffle_keeps_group_counts_and_moves_positions():
    groups = M.basis_groups(D, "rows", 2)
    mask = M.top_k_mask(np.arange(P, 0, -1.0), K)
    shuf = M.shuffled_mask(mask, groups, 0)
    for g in np.unique(groups):
        assert shuf[groups == g].sum() == mask[groups == g].sum()
    assert not np.array_equal(shuf, mask)
    diag = M.basis_groups(D, "diagonal")
    assert diag.sum() == P - D and set(np.flatnonzero(diag == 0)) == {0, 6, 11, 15, 18, 20}


def test_reinit_changes_only_fits_relative_to_init():
    Phi, y, a0 = problem(2)
    mask = M.magnitude_after_training_mask(Phi, y, K)
    new = M.reinitialise(mask, a0, 5)
    assert np.array_equal(new[~mask], a0[~mask]) and not np.allclose(new[mask], a0[mask])
    assert np.allclose(M.masked_fit(Phi, y, mask), M.masked_fit(Phi, y, mask))
    rel_old, rel_new = M.masked_fit(Phi, y, mask, a0), M.masked_fit(Phi, y, mask, new)
    assert not np.allclose(rel_old, rel_new)
    for a in (rel_old, rel_new, M.masked_fit(Phi, y, mask)):
        assert np.allclose(Phi @ a, y) and not np.any(a[~mask])


def test_magnitude_and_imp_definitions():
    Phi, y, _ = problem(3)
    dense = np.linalg.pinv(Phi) @ y
    assert np.array_equal(M.magnitude_after_training_mask(Phi, y, K),
                          M.top_k_mask(np.abs(dense), K))
    # one IMP round that prunes straight to k is magnitude pruning; the rate matters otherwise
    one_shot = M.imp_lite_mask(Phi, y, K, rate=0.99)
    assert np.array_equal(one_shot, M.magnitude_after_training_mask(Phi, y, K))
    assert not np.array_equal(M.imp_lite_mask(Phi, y, K, rate=0.1), one_shot)


def test_snip_scores_are_weight_times_loss_gradient():
    Phi, y, a0 = problem(4)
    loss = lambda a: 0.5 * np.sum((Phi @ a - y) ** 2)          # noqa: E731
    h = 1e-6
    grad = np.array([(loss(a0 + h * e) - loss(a0 - h * e)) / (2 * h) for e in np.eye(P)])
    assert np.allclose(M.snip_scores(Phi, y, a0), np.abs(a0 * grad), atol=1e-8)


def test_supermask_uses_the_labels():
    Phi, y, a0 = problem(5)
    assert np.array_equal(M.topk_supermask(Phi, -y, a0, K),
                          M.inverted_mask(M.supermask_scores(Phi, y, a0), K))


def test_data_free_scores_match_sphere_moments():
    rng = np.random.default_rng(6)
    X = rng.standard_normal((200000, D))
    X /= np.linalg.norm(X, axis=1, keepdims=True)
    feats = np.einsum("ni,kij,nj->nk", X, B[[0, 1]], X)
    mc = np.sqrt(np.mean(feats ** 2, axis=0))
    assert np.allclose(M.data_free_scores(B, np.ones(P))[[0, 1]], mc, rtol=0.01)


def test_best_of_m_never_worse_than_its_first_candidate():
    Phi, y, _ = problem(7)
    lip = lambda m: M.mask_lipschitz(M.masked_fit(Phi, y, m), B)   # noqa: E731
    one = M.best_of_m_mask(Phi, y, B, K, 1, 11)
    assert np.array_equal(one, M.random_mask(P, K, 11))
    assert lip(M.best_of_m_mask(Phi, y, B, K, 16, 11)) <= lip(one)


def test_supermask_information_by_enumeration():
    """I(m; y | X, a0) of the top-k supermask, exactly over all 2^n label vectors: = H(m), and
    below both log C(P, k) and n log 2 (spec §2.4); a random mask carries none."""
    rng = np.random.default_rng(8)
    X = rng.standard_normal((N, D))
    X /= np.linalg.norm(X, axis=1, keepdims=True)
    Phi, a0 = design_matrix(X, B), M.draw_init(P, rng)
    res = enumerated_information(all_sign_vectors(N), lambda y: M.topk_supermask(Phi, y, a0, K))
    assert res.information == pytest.approx(res.entropy) and res.information > 0
    assert res.information <= min(kspar_information_bound(P, K), N * math.log(2)) + 1e-12
    rand = enumerated_information(all_sign_vectors(N), lambda y, s: M.random_mask(P, K, s),
                                  xis=range(4))
    assert rand.information == pytest.approx(0.0, abs=1e-12)


def test_e3_ordering_data_dependent_masks_fit_more_robustly():
    """Spec E3/E4 pilot orderings at a small size (d = 20, n = 10, k = 40; 5 fixed seeds): median
    Lip of the refit is magnitude < SNIP < random, and shuffling magnitude masks within row
    blocks loses the advantage."""
    d, n, k = 20, 10, 40
    basis = symmetric_basis(d)
    groups = M.basis_groups(d, "rows", 5)
    lips = {"random": [], "magnitude": [], "snip": [], "shuffled": []}
    for seed in range(5):
        Phi, y, a0 = problem(100 + seed, n, d)
        rng = np.random.default_rng(seed)
        mag = M.magnitude_after_training_mask(Phi, y, k)
        for name, mask in (("random", M.random_mask(basis.shape[0], k, rng)),
                           ("magnitude", mag), ("snip", M.snip_mask(Phi, y, a0, k)),
                           ("shuffled", M.shuffled_mask(mag, groups, rng))):
            lips[name].append(M.mask_lipschitz(M.masked_fit(Phi, y, mask), basis))
    med = {key: np.median(v) for key, v in lips.items()}
    assert med["magnitude"] < med["snip"] < med["random"]
    assert med["shuffled"] > 1.3 * med["magnitude"]


@pytest.mark.parametrize("call, match", [
    (lambda Phi, y, a0: M.random_mask(P, P + 1, 0), "k must"),
    (lambda Phi, y, a0: M.snip_mask(Phi, y, a0[:-1], K), "a0 must"),
    (lambda Phi, y, a0: M.masked_fit(Phi, y[:-1], np.ones(P, bool)), "y must"),
    (lambda Phi, y, a0: M.masked_fit(Phi, y, np.full(P, 2)), "mask must"),
    (lambda Phi, y, a0: M.imp_lite_mask(Phi, y, K, rate=1.0), "rate"),
    (lambda Phi, y, a0: M.best_of_m_mask(Phi, y, B, K, 0, 0), "M must"),
    (lambda Phi, y, a0: M.basis_groups(D, "columns"), "kind"),
    (lambda Phi, y, a0: M.shuffled_mask(np.ones(P, bool), np.zeros(P - 1), 0), "mask must"),
])
def test_bad_inputs(call, match):
    Phi, y, a0 = problem(9)
    with pytest.raises(ValueError, match=match):
        call(Phi, y, a0)
