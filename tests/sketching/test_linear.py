"""Tests of verify.linear: generators, training, laziness knob, masks, scores, bad inputs.

Statistical tests use fixed seeds; each states its false-failure probability (the chance that a
*correct* implementation fails the check for a random seed)."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pruneproof.verify.amm.sketch import sample_indices
from pruneproof.verify.sketching import linear as L
from pruneproof.verify.sketching import masks as M
from scipy import stats

# ------------------------------------------------------------------------------------- data

@pytest.mark.parametrize("kind", L.FEATURE_KINDS)
def test_generators_shape_finite_and_seeded(kind):
    X1 = L.make_features(30, 12, kind, ratio=5.0, rng=3)
    X2 = L.make_features(30, 12, kind, ratio=5.0, rng=3)
    X3 = L.make_features(30, 12, kind, ratio=5.0, rng=4)
    assert X1.shape == (30, 12) and np.all(np.isfinite(X1))
    np.testing.assert_array_equal(X1, X2)
    assert not np.array_equal(X1, X3)


@given(ratio=st.floats(1.0, 1e4), d=st.integers(1, 50), seed=st.integers(0, 2**32 - 1))
@settings(max_examples=40, deadline=None)
def test_feature_scales_within_ratio(ratio, d, seed):
    s = L.feature_scales(d, ratio, rng=seed)
    assert np.all(s > 0) and s.max() / s.min() <= ratio * (1 + 1e-12)


def test_generator_moments():
    """Sample moments against the declared law; tolerances are > 6 standard errors, so the
    false-failure probability is < 1e-8 per check (the seed is fixed anyway)."""
    X = L.make_features(20000, 4, "correlated", rho=0.6, rng=0)
    corr = np.corrcoef(X.T)
    assert abs(corr[0, 1] - 0.6) < 0.03 and abs(corr[0, 2] - 0.36) < 0.03
    assert np.allclose(X.var(axis=0), 1.0, atol=0.06)
    H = L.make_features(200000, 2, "heavy-tailed", df=5.0, rng=1)
    assert np.allclose(H.var(axis=0), 1.0, atol=0.08)
    assert stats.kurtosis(H[:, 0]) > 2.0  # heavier than Gaussian (population excess kurtosis 6)


@pytest.mark.parametrize("kwargs, word", [
    ({"kind": "gaussianish"}, "kind"), ({"ratio": 0.5}, "ratio"), ({"ratio": np.nan}, "ratio"),
    ({"kind": "correlated", "rho": 1.0}, "rho"), ({"kind": "heavy-tailed", "df": 2.0}, "df"),
])
def test_generator_bad_inputs(kwargs, word):
    with pytest.raises(ValueError, match=word):
        L.make_features(5, 3, **kwargs)
    with pytest.raises(ValueError, match="n must be"):
        L.make_features(0, 3)


# --------------------------------------------------------------------------------- training

@pytest.mark.parametrize("n, d", [(20, 60), (60, 20)])  # over- and under-parameterised
def test_closed_form_is_gd_limit_and_moves_in_rowspace(n, d):
    pb = L.make_problem(n, d, teacher="independent", noise=0.1, rng=0)
    ws = L.train_closed_form(pb.X, pb.y, pb.w0)
    wg = L.train_gd(pb.X, pb.y, pb.w0, steps=4000)
    np.testing.assert_allclose(wg, ws, rtol=0, atol=1e-8)
    # w* - w0 lies in rowspace(X): the projection onto the row space leaves it unchanged
    P = np.linalg.pinv(pb.X) @ pb.X
    np.testing.assert_allclose(P @ (ws - pb.w0), ws - pb.w0, atol=1e-10)
    if d > n:  # interpolation
        np.testing.assert_allclose(pb.X @ ws, pb.y, atol=1e-9)
    else:      # ordinary least squares, independent of w0
        np.testing.assert_allclose(ws, np.linalg.lstsq(pb.X, pb.y, rcond=None)[0], atol=1e-10)


def test_masked_training_keeps_support_and_matches_gd():
    pb = L.make_problem(30, 50, rng=1)
    mask = M.topk_mask(np.abs(pb.w0), 20)
    wc = M.lottery_ticket(pb.X, pb.y, pb.w0, mask)
    wg = M.lottery_ticket(pb.X, pb.y, pb.w0, mask, steps=6000)
    assert np.all(wc[~mask] == 0) and np.all(wg[~mask] == 0)
    np.testing.assert_allclose(wg, wc, atol=1e-7)
    np.testing.assert_array_equal(L.train_gd(pb.X, pb.y, pb.w0, 0, mask=mask),
                                  np.where(mask, pb.w0, 0))


def test_step_size_validation():
    pb = L.make_problem(10, 5, rng=2)
    lam = L.lambda_max(pb.X)
    with pytest.raises(ValueError, match="unstable step size.*step_size must be in"):
        L.train_gd(pb.X, pb.y, pb.w0, 10, step_size=2.0 / lam)
    for bad in (0.0, -1.0, np.inf, np.nan):
        with pytest.raises(ValueError, match="step size"):
            L.check_step_size(bad, pb.X)
    with pytest.raises(ValueError, match="singular"):
        L.train_gd(np.zeros((4, 3)), np.zeros(4), np.zeros(3), 5)
    assert L.check_step_size(1.9 / lam, pb.X) == pytest.approx(1.9 / lam)


def test_nan_in_X_is_rejected():
    X = np.ones((4, 3))
    X[1, 2] = np.nan
    for fn in (lambda: L.train_closed_form(X, np.zeros(4), np.zeros(3)),
               lambda: M.feature_norms(X),
               lambda: M.score("sketch-optimal", np.ones(3), X)):
        with pytest.raises(ValueError, match="X must be finite"):
            fn()


@given(movement=st.floats(0.0, 0.99), seed=st.integers(0, 2**32 - 1),
       init=st.sampled_from(["gaussian", "bounded"]))
@settings(max_examples=25, deadline=None)
def test_laziness_knob_bounds_coordinatewise_movement(movement, seed, init):
    """Under-parameterised, noise-free: w* = w_teacher, so |w*_i − w0_i| ≤ movement·|w0_i|."""
    pb = L.make_problem(40, 8, init=init, movement=movement, rng=seed)
    ws = L.train_closed_form(pb.X, pb.y, pb.w0)
    assert L.relative_movement(pb.w0, ws) <= movement * (1 + 1e-6) + 1e-9


def test_fewer_gd_steps_move_less():
    pb = L.make_problem(30, 80, teacher="independent", rng=3)
    moves = [L.relative_norm_movement(pb.w0, L.train_gd(pb.X, pb.y, pb.w0, t))
             for t in (0, 1, 5, 25, 200)]
    assert moves[0] == 0 and np.all(np.diff(moves) >= -1e-12)


def test_relative_movement_edge_cases():
    assert L.relative_movement([0.0, 1.0], [0.0, 1.5]) == pytest.approx(0.5)
    assert L.relative_movement([0.0, 1.0], [0.1, 1.0]) == np.inf


# ------------------------------------------------------------------------------------ masks

@given(d=st.integers(1, 40), data=st.data())
@settings(max_examples=50, deadline=None)
def test_masks_keep_exactly_k(d, data):
    k = data.draw(st.integers(1, d))
    scores = np.asarray(data.draw(st.lists(st.sampled_from([0.0, 1.0, 2.0, 3.5]), min_size=d,
                                           max_size=d)))
    if scores.sum() == 0:
        scores[0] = 1.0
    seed = data.draw(st.integers(0, 2**32 - 1))
    for mask in (M.topk_mask(scores, k), M.sampled_mask(scores, k, rng=seed),
                 M.dkm_binary_mask(scores, k, rng=seed)):
        assert mask.dtype == bool and mask.sum() == k
    top = M.topk_mask(scores, k)
    assert scores[top].min() >= scores[~top].max(initial=-np.inf)
    # sampled masks prefer positive scores: zero-score indices only once positives run out
    n_pos = int(np.sum(scores > 0))
    for sm in (M.sampled_mask(scores, k, rng=seed), M.dkm_binary_mask(scores, k, rng=seed)):
        assert np.sum(sm & (scores > 0)) == min(k, n_pos)


def test_bad_mask_inputs():
    with pytest.raises(ValueError, match=r"k must be an integer in \[1, d\]"):
        M.topk_mask(np.ones(5), 6)
    with pytest.raises(ValueError, match=r"k must be"):
        M.sampled_mask(np.ones(5), 0)
    for bad in (1.0, -0.1, np.nan, 1.5):
        with pytest.raises(ValueError, match=r"sparsity must be in \[0, 1\)"):
            M.keep_count(10, bad)
    with pytest.raises(ValueError, match="scores must be finite and >= 0"):
        M.topk_mask(np.array([1.0, -1.0]), 1)
    assert M.keep_count(10, 0.0) == 10 and M.keep_count(10, 0.95) == 1 and M.keep_count(10, 0.5) == 5


def _inclusion_probabilities(scores, k):
    """Exact inclusion probabilities of sequential sampling without replacement (enumeration)."""
    import itertools
    d = len(scores)
    incl = np.zeros(d)
    for seq in itertools.permutations(range(d), k):
        prob, left = 1.0, float(np.sum(scores))
        for i in seq:
            prob *= scores[i] / left
            left -= scores[i]
        incl[list(seq)] += prob
    return incl


def test_gumbel_topk_matches_sequential_sampling_with_ties():
    """Inclusion frequencies of Gumbel-top-k = sequential sampling ∝ score without replacement,
    including *tied* scores (indices are sampled, never values).  Each of the 5 checks uses a
    Clopper-Pearson 99.9 % interval: false-failure probability <= 0.5 %."""
    from pruneproof.verify.core.stats import proportion_ci
    scores = np.array([1.0, 1.0, 3.0, 0.5, 1.0])
    exact = _inclusion_probabilities(scores, 2)
    rng = np.random.default_rng(11)
    trials = 20000
    counts = np.zeros(5)
    for _ in range(trials):
        counts += M.sampled_mask(scores, 2, rng)
    for i in range(5):
        assert proportion_ci(int(counts[i]), trials, level=0.999).covers(exact[i])
    # the tied scores 0, 1, 4 have the same exact probability
    assert exact[0] == pytest.approx(exact[1]) == pytest.approx(exact[4])


def test_dkm_binary_mask_matches_sequential_sampling_with_ties():
    """Draws with replacement until k distinct indices = sequential sampling without replacement
    (derived: the next new index is ∝ score on the unseen ones).  Inclusion frequencies against
    the exact enumeration, tied scores included; 5 Clopper-Pearson 99.9 % intervals:
    false-failure probability <= 0.5 %."""
    from pruneproof.verify.core.stats import proportion_ci
    scores = np.array([1.0, 1.0, 3.0, 0.5, 1.0])
    exact = _inclusion_probabilities(scores, 3)
    rng = np.random.default_rng(12)
    trials = 20000
    counts = np.zeros(5)
    for _ in range(trials):
        counts += M.dkm_binary_mask(scores, 3, rng)
    for i in range(5):
        assert proportion_ci(int(counts[i]), trials, level=0.999).covers(exact[i])


def test_dkm_binary_mask_bad_inputs_and_draw_limit():
    with pytest.raises(ValueError, match=r"k must be an integer in \[1, d\]"):
        M.dkm_binary_mask(np.ones(4), 5)
    with pytest.raises(ValueError, match="scores must be finite and >= 0"):
        M.dkm_binary_mask(np.array([1.0, np.nan]), 1)
    skewed = np.array([1.0] + [1e-12] * 9)             # the 2nd distinct index is ~1e11 draws away
    with pytest.raises(ValueError, match="max_draws"):
        M.dkm_binary_mask(skewed, 2, rng=0, max_draws=1000)


def test_biased_surrogate_score():
    rng = np.random.default_rng(3)
    X, w, xi = rng.standard_normal((9, 6)) * np.arange(1, 7), rng.standard_normal(6), \
        rng.standard_normal(6)
    np.testing.assert_allclose(M.biased_surrogate_score(w, X, 0.0, xi), M.score("sketch-optimal", w, X),
                               rtol=1e-15)
    np.testing.assert_allclose(M.biased_surrogate_score(w, X, 0.5, xi),
                               np.abs(w) * np.linalg.norm(X, axis=0) * np.exp(0.5 * xi), rtol=1e-14)
    with pytest.raises(ValueError, match=r"sigma must be in \[0, inf\)"):
        M.biased_surrogate_score(w, X, -1.0, xi)
    with pytest.raises(ValueError, match="xi must be"):
        M.biased_surrogate_score(w, X, 1.0, xi[:3])


@given(n=st.integers(1, 30), k=st.integers(1, 30), seed=st.integers(0, 2**32 - 1),
       deficient=st.booleans())
@settings(max_examples=40, deadline=None)
def test_min_norm_lstsq_is_the_pseudoinverse_solution(n, k, seed, deficient):
    """The QR/LQ solver returns A⁺b (= numpy's SVD lstsq) for tall, wide, square and
    rank-deficient A (duplicated column -> SVD fallback), with column scales over 4 decades."""
    rng = np.random.default_rng(seed)
    A = rng.standard_normal((n, k)) * 10.0 ** rng.uniform(-2, 2, k)
    if deficient and k > 1:
        A[:, -1] = A[:, 0]
    b = rng.standard_normal(n)
    ref = np.linalg.lstsq(A, b, rcond=None)[0]
    got = L.min_norm_lstsq(A, b)
    # both solve the same least-squares problem: compare fitted values and the solution
    np.testing.assert_allclose(A @ got, A @ ref, rtol=1e-7, atol=1e-7 * np.linalg.norm(b))
    np.testing.assert_allclose(got, ref, rtol=1e-6, atol=1e-6 * np.abs(ref).max())


def test_sketch_diagonal_is_dkm_cr_and_unbiased():
    rng = np.random.default_rng(5)
    X, w = rng.standard_normal((6, 8)), rng.standard_normal(8)
    p = np.array([1, 1, 2, 2, 1, 1, 4, 4], float)
    p /= p.sum()
    D = M.sketch_diagonal(p, 7, rng=np.random.default_rng(9))
    idx = sample_indices(p, 7, 1, np.random.default_rng(9))[0]
    CR = sum(X[:, i] * w[i] / (7 * p[i]) for i in idx)
    np.testing.assert_allclose(X @ (D * w), CR, rtol=1e-12)
    # E[D] = I: mean over 4000 sketches, 6 standard errors tolerance (false failure < 1e-7)
    Ds = np.array([M.sketch_diagonal(p, 7, rng) for _ in range(4000)])
    se = Ds.std(axis=0) / np.sqrt(4000)
    assert np.all(np.abs(Ds.mean(axis=0) - 1.0) < 6 * se)
    # expected support formula vs the empirical number of distinct indices
    nnz = (Ds > 0).sum(axis=1)
    assert abs(nnz.mean() - M.expected_support(p, 7)) < 6 * nnz.std() / np.sqrt(4000)
    assert M.expected_support(p, 7) <= 7


def test_scores():
    rng = np.random.default_rng(0)
    X, w = rng.standard_normal((10, 6)) * np.arange(1, 7), rng.standard_normal(6)
    np.testing.assert_allclose(M.score("sketch-optimal", w, X), np.abs(w) * np.linalg.norm(X, axis=0))
    np.testing.assert_array_equal(M.score("magnitude", w), np.abs(w))
    # the data-free surrogate uses X's shape only
    np.testing.assert_array_equal(M.score("data-free", w, X, rng=1), M.score("data-free", w, 2 * X, rng=1))
    r = M.score("random", w, rng=2)
    assert np.all((r >= 0) & (r < 1))
    with pytest.raises(ValueError, match="kind"):
        M.score("snip", w, X)
    with pytest.raises(ValueError, match="needs X"):
        M.score("sketch-optimal", w)


def test_protocol_metrics():
    pb = L.make_problem(20, 10, rng=4)
    ws = L.train_closed_form(pb.X, pb.y, pb.w0)
    full = np.ones(10, bool)
    assert M.relative_error(pb.X_test, ws, M.prune_after_training(ws, full)) == 0
    assert M.relative_error(pb.X_test, ws, np.zeros(10)) == pytest.approx(1.0)
    np.testing.assert_allclose(M.lottery_ticket(pb.X, pb.y, pb.w0, full), ws, atol=1e-10)
