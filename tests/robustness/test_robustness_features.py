"""Random-feature models: exact sphere mean, min-norm interpolation, and the two Lipschitz bounds
(spec §4) against cases whose Lipschitz constant is known exactly."""
import numpy as np
import pytest

from pruneproof.verify.robustness.features import (feature_lipschitz_bounds, feature_matrix,
                                                   min_norm_feature_interpolator,
                                                   random_feature_weights, relu_sphere_mean)


def sphere(rng, n, d):
    X = rng.standard_normal((n, d))
    return X / np.linalg.norm(X, axis=1, keepdims=True)


@pytest.mark.parametrize("d", [2, 3, 10])
def test_relu_sphere_mean_matches_monte_carlo(d):
    rng = np.random.default_rng(d)
    W = random_feature_weights(3, d, rng)
    vals = np.maximum(sphere(rng, 200000, d) @ W.T, 0)
    se = vals.std(0) / np.sqrt(len(vals))
    assert np.all(np.abs(vals.mean(0) - relu_sphere_mean(W)) < 5 * se)   # 5 SE, fixed seed


def test_centring_shifts_features_by_their_mean():
    rng = np.random.default_rng(0)
    X, W = sphere(rng, 4, 5), random_feature_weights(6, 5, rng)
    assert np.allclose(feature_matrix(X, W) - feature_matrix(X, W, centred=True),
                       relu_sphere_mean(W))


def test_min_norm_interpolator():
    rng = np.random.default_rng(1)
    X, y = sphere(rng, 8, 5), rng.choice([-1.0, 1.0], 8)
    W = random_feature_weights(40, 5, rng)
    fit = min_norm_feature_interpolator(X, y, W)
    Phi = feature_matrix(X, W)
    assert fit.interpolates and np.allclose(Phi @ fit.a, y, atol=1e-10)
    assert np.allclose(fit.a, np.linalg.pinv(Phi) @ y, atol=1e-10)
    assert not min_norm_feature_interpolator(X, y, W[:3]).interpolates


def test_single_feature_bounds_meet():
    """f = a relu(wᵀx): Lip on the sphere = |a|‖w‖ = ‖W‖_op‖a‖ (slope |a|‖(I − xxᵀ)w‖ → |a|‖w‖
    as x → w⊥ with wᵀx > 0)."""
    W, a = np.array([[1.0, -2.0, 0.5]]), np.array([-1.5])
    res = feature_lipschitz_bounds(W, a, rng=0, samples=4000)
    assert res.upper == pytest.approx(1.5 * np.linalg.norm(W))
    assert 0.999 * res.upper <= res.lower <= res.upper * (1 + 1e-9)


def test_linear_combination_recovers_exact_lipschitz():
    """relu(t) − relu(−t) = t, so features (w, −w) with weights (a, −a) make f(x) = aΣ wᵀx linear;
    its Lipschitz constant on the sphere is ‖v‖ with v = Σ a_j w_j, while ‖W‖‖a‖ is larger."""
    rng = np.random.default_rng(2)
    V = rng.standard_normal((3, 6))
    W, coeff = np.vstack([V, -V]), rng.standard_normal(3)
    a = np.concatenate([coeff, -coeff])
    exact = np.linalg.norm(coeff @ V)
    res = feature_lipschitz_bounds(W, a, rng=3, samples=2000)
    assert res.lower == pytest.approx(exact, rel=1e-6)
    assert res.upper > 1.2 * exact


def test_pair_attains_lower_and_seed_reproduces():
    rng = np.random.default_rng(4)
    W, a = random_feature_weights(30, 4, rng), rng.standard_normal(30)
    res = feature_lipschitz_bounds(W, a, rng=5, samples=3000)
    x, xp = res.pair
    f = lambda z: np.maximum(W @ z, 0) @ a                       # noqa: E731
    assert np.allclose(np.linalg.norm(res.pair, axis=1), 1.0)
    assert abs(f(x) - f(xp)) / np.linalg.norm(x - xp) == pytest.approx(res.lower, rel=1e-9)
    assert res.lower <= res.upper
    again = feature_lipschitz_bounds(W, a, rng=5, samples=3000)
    assert again.lower == res.lower
    # the ascent can only raise the sampled value
    no_ascent = feature_lipschitz_bounds(W, a, rng=5, samples=3000, ascent_steps=0)
    assert no_ascent.lower <= res.lower


@pytest.mark.parametrize("kwargs, match", [({"a": np.ones(3)}, "length p"),
                                           ({"samples": 0}, "samples"),
                                           ({"pair_step": 0.0}, "pair_step")])
def test_bounds_validate_inputs(kwargs, match):
    W = np.ones((2, 3))
    args = dict(W=W, a=np.ones(2), rng=0)
    args.update(kwargs)
    with pytest.raises(ValueError, match=match):
        feature_lipschitz_bounds(**args)


def test_feature_matrix_validates_inputs():
    with pytest.raises(ValueError, match="columns"):
        feature_matrix(np.eye(3), np.ones((2, 4)))
    with pytest.raises(ValueError, match="unit norm"):
        feature_matrix(2 * np.eye(3), np.ones((2, 3)))
