"""Network helpers: validation errors name the argument; backprop agrees with finite differences."""
import numpy as np
import pytest
from hypothesis import given, strategies as st

from pruneproof.verify.paths.network import (
    flatten, forward, jacobian_column_norms, layer_sizes, loss_gradient, loss_hvp,
    min_abs_preactivation, num_params, param_jacobian, random_network, unflatten,
    validate_inputs, validate_weights)

sizes_st = st.lists(st.integers(1, 4), min_size=2, max_size=5)
seed_st = st.integers(0, 2 ** 32 - 1)


def _fd_jacobian(w, X, eps=1e-6):
    theta = flatten(w)
    cols = []
    for e in np.eye(theta.size):
        plus = forward(unflatten(theta + eps * e, w), X).ravel()
        minus = forward(unflatten(theta - eps * e, w), X).ravel()
        cols.append((plus - minus) / (2 * eps))
    return np.stack(cols, axis=1)


@pytest.mark.parametrize("bad, exc, match", [
    ([], ValueError, "empty"),
    (np.ones((2, 2)), TypeError, "list of 2-D arrays"),
    ("abc", TypeError, "weights"),
    ([np.ones((2, 3)), np.ones((2, 3))], ValueError, r"weights\[1\] has 3 columns"),
    ([np.ones(3)], ValueError, r"weights\[0\] must be 2-D"),
    ([np.ones((2, 3)), [[1.0, 2.0], [3.0]]], ValueError, r"weights\[1\] is ragged"),
    ([np.array([[1.0, np.nan]])], ValueError, r"weights\[0\] contains NaN or inf"),
    ([np.array([[1.0, np.inf]])], ValueError, r"weights\[0\] contains NaN or inf"),
    ([np.ones((0, 3))], ValueError, "empty dimension"),
    ([np.array([["a"]])], TypeError, r"weights\[0\] must hold real numbers"),
])
def test_validate_weights_errors_name_the_argument(bad, exc, match):
    with pytest.raises(exc, match=match):
        validate_weights(bad)


def test_validate_inputs_errors():
    with pytest.raises(ValueError, match=r"X must have shape \(n, 3\)"):
        validate_inputs(np.ones((4, 2)), 3)
    with pytest.raises(ValueError, match="X contains NaN"):
        validate_inputs(np.full((1, 3), np.nan), 3)
    with pytest.raises(ValueError, match="X is required"):
        validate_inputs(None, 3)
    w = random_network([3, 2], 0)
    with pytest.raises(ValueError, match=r"y must have shape \(4, 2\)"):
        loss_gradient(w, np.ones((4, 3)), np.ones((4, 3)))


def test_shapes_and_sizes():
    w = random_network([3, 4, 3, 2], 0)
    assert layer_sizes(w) == [3, 4, 3, 2]
    assert num_params(w) == 3 * 4 + 4 * 3 + 3 * 2 == 30
    X = np.random.default_rng(1).standard_normal((5, 3))
    assert forward(w, X).shape == (5, 2)
    assert param_jacobian(w, X).shape == (10, 30)
    assert [a.shape for a in unflatten(flatten(w), w)] == [a.shape for a in w]


def test_random_network_is_seeded():
    a, b = random_network([3, 5, 2], 7), random_network([3, 5, 2], 7)
    assert all(np.array_equal(x, y) for x, y in zip(a, b))
    c = random_network([3, 5, 2], 8)
    assert not np.array_equal(a[0], c[0])


@given(sizes_st, seed_st)
def test_param_jacobian_matches_finite_differences(sizes, seed):
    rng = np.random.default_rng(seed)
    w = random_network(sizes, rng)
    X = rng.standard_normal((3, sizes[0]))
    if min_abs_preactivation(w, X) < 1e-4:   # central differences must not straddle a kink
        return
    J = param_jacobian(w, X)
    assert np.max(np.abs(J - _fd_jacobian(w, X))) <= 1e-6 * max(1.0, np.abs(J).max())


def test_jacobian_column_norms_match_jacobian():
    rng = np.random.default_rng(3)
    w = random_network([5, 7, 6, 3], rng)
    X = rng.standard_normal((4, 5))
    norms = flatten(jacobian_column_norms(w, X))
    np.testing.assert_allclose(norms, np.linalg.norm(param_jacobian(w, X), axis=0), rtol=1e-12,
                               atol=1e-14)


def test_loss_gradient_and_hvp_match_finite_differences():
    rng = np.random.default_rng(5)
    w = random_network([4, 6, 5, 3], rng)
    X, y = rng.standard_normal((6, 4)), rng.standard_normal((6, 3))
    assert min_abs_preactivation(w, X) > 1e-4
    theta, eps = flatten(w), 1e-6
    loss, grads = loss_gradient(w, X, y)
    resid = forward(w, X) - y
    assert loss == pytest.approx(0.5 * np.sum(resid ** 2) / 6, rel=1e-14)
    fd = [(loss_gradient(unflatten(theta + eps * e, w), X, y)[0]
           - loss_gradient(unflatten(theta - eps * e, w), X, y)[0]) / (2 * eps)
          for e in np.eye(theta.size)]
    np.testing.assert_allclose(flatten(grads), fd, atol=1e-8)
    v = [rng.standard_normal(a.shape) for a in w]
    hv = flatten(loss_hvp(w, X, y, v))
    g = lambda t: flatten(loss_gradient(unflatten(t, w), X, y)[1])  # noqa: E731
    fd_hv = (g(theta + eps * flatten(v)) - g(theta - eps * flatten(v))) / (2 * eps)
    np.testing.assert_allclose(hv, fd_hv, atol=1e-7 * max(1.0, np.abs(hv).max()))
