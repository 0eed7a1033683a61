"""Path formalism (spec paths 1, checks 6.1-6.2): f = J_pi pi, Theta = J_pi Pi J_pi^T, properties
of Pi, the one-pass trace and Euler's identity. All identities are derived here."""
import numpy as np
import pytest
from hypothesis import given, strategies as st

from pruneproof.verify.paths.kernel import (
    MAX_PATHS, euler_sum, log_flow, log_path_norm, num_paths, path_activations, path_indices,
    path_kernel, path_kernel_trace, path_norm_l1, path_norm_l1_gradient, path_norm_sq,
    path_parameter_jacobian, path_values, squared_weight_gradient, ntk)
from pruneproof.verify.paths.network import (flatten, forward, min_abs_preactivation,
                                             num_params, param_jacobian, random_network,
                                             unflatten)

sizes_st = st.lists(st.integers(1, 4), min_size=2, max_size=5)
seed_st = st.integers(0, 2 ** 32 - 1)


def _net_and_data(sizes, seed, n=3):
    rng = np.random.default_rng(seed)
    return random_network(sizes, rng), rng.standard_normal((n, sizes[0]))


def test_spec_61_net_output_and_ntk_identities():
    w, X = _net_and_data([3, 4, 3, 2], 0, n=5)
    assert min_abs_preactivation(w, X) > 1e-6
    assert num_paths(w) == 72 and num_params(w) == 30
    pi, Pi = path_kernel(w)
    Jpi = path_activations(w, X)
    assert Jpi.shape == (10, 72)
    assert np.max(np.abs(forward(w, X).ravel() - Jpi @ pi)) < 1e-14
    theta = ntk(w, X)
    assert np.max(np.abs(theta - Jpi @ Pi @ Jpi.T)) <= 1e-10 * np.abs(theta).max()


@pytest.mark.parametrize("activation", ["relu", "identity"])
@given(sizes=sizes_st, seed=seed_st, n=st.integers(1, 4))
def test_output_is_path_sum_and_ntk_factorises(activation, sizes, seed, n):
    w, X = _net_and_data(sizes, seed, n)
    if activation == "relu" and min_abs_preactivation(w, X) < 1e-6:
        return  # a.e. identities: skip draws at a kink
    pi, Pi = path_kernel(w)
    Jpi = path_activations(w, X, activation)
    f = forward(w, X, activation).ravel()
    assert np.max(np.abs(f - Jpi @ pi)) <= 1e-12 * max(1.0, np.abs(f).max())
    theta = ntk(w, X, activation)
    assert np.max(np.abs(theta - Jpi @ Pi @ Jpi.T)) <= 1e-10 * max(np.abs(theta).max(), 1e-300)


@given(sizes_st, seed_st)
def test_path_kernel_properties(sizes, seed):
    w, _ = _net_and_data(sizes, seed)
    pi, Pi = path_kernel(w)
    assert np.allclose(Pi, Pi.T, rtol=0, atol=1e-14 * max(1.0, np.abs(Pi).max()))
    eig = np.linalg.eigvalsh(Pi)
    assert eig.min() >= -1e-12 * max(1.0, eig.max())
    assert np.linalg.matrix_rank(Pi) <= num_params(w)
    # entry formula and edge-disjointness
    idx = path_indices(w)
    edges = [{(l, idx[p, l + 1], idx[p, l]) for l in range(len(w))} for p in range(len(pi))]
    rng = np.random.default_rng(seed)
    for p, q in rng.integers(0, len(pi), size=(20, 2)):
        shared = edges[p] & edges[q]
        expected = sum(pi[p] * pi[q] / w[l][a, b] ** 2 for l, a, b in shared)
        assert Pi[p, q] == pytest.approx(expected, rel=1e-10, abs=1e-300)
        if not shared:
            assert Pi[p, q] == 0.0


def test_path_parameter_jacobian_is_derivative_of_path_values():
    w, _ = _net_and_data([2, 3, 2, 2], 5)
    J, theta, eps = path_parameter_jacobian(w), flatten(w), 1e-6
    fd = np.stack([(path_values(unflatten(theta + eps * e, w))
                    - path_values(unflatten(theta - eps * e, w))) / (2 * eps)
                   for e in np.eye(theta.size)], axis=1)
    np.testing.assert_allclose(J, fd, atol=1e-8)
    # exact at zero weights (no division by theta)
    w[1][0, 0] = 0.0
    assert np.all(np.isfinite(path_parameter_jacobian(w)))


@given(sizes_st, seed_st)
def test_one_pass_trace_equals_enumerated_trace(sizes, seed):
    w, _ = _net_and_data(sizes, seed)
    pi, Pi = path_kernel(w)
    assert path_kernel_trace(w) == pytest.approx(np.trace(Pi), rel=1e-12)
    assert path_norm_sq(w) == pytest.approx(np.sum(pi ** 2), rel=1e-12)
    assert path_norm_l1(w) == pytest.approx(np.sum(np.abs(pi)), rel=1e-12)
    # Euler: every path has L edges
    assert euler_sum(w) == pytest.approx(len(w) * np.sum(pi ** 2), rel=1e-12)
    # trace is sign-invariant (and data-free by construction)
    signs = [np.where(np.random.default_rng(seed).random(W.shape) < 0.5, -1.0, 1.0) * W for W in w]
    assert path_kernel_trace(signs) == pytest.approx(path_kernel_trace(w), rel=1e-12)


def test_trace_is_sum_of_squared_weight_gradient_and_synflow_identity():
    w, _ = _net_and_data([3, 5, 4, 2], 9)
    assert path_kernel_trace(w) == pytest.approx(sum(G.sum() for G in squared_weight_gradient(w)),
                                                 rel=1e-13)
    # 1^T Pi(|theta|) 1 = ||grad R_SF||^2 at |theta|
    _, Pi_abs = path_kernel([np.abs(W) for W in w])
    grad = flatten(path_norm_l1_gradient(w))
    assert Pi_abs.sum() == pytest.approx(grad @ grad, rel=1e-12)


def test_spec_62_trace_scaling_pass_is_linear_in_params():
    """The one-pass trace only needs matrix-vector products: it runs on a net whose Pi could not
    be stored (10^40 paths)."""
    w = random_network([100] * 21, 0)
    assert num_paths(w) > 10 ** 40
    assert np.isfinite(path_kernel_trace(w))
    with pytest.raises(ValueError, match="MAX_PATHS"):
        path_kernel(w)


def test_enumeration_limit_is_stated():
    w = random_network([MAX_PATHS + 1, 1], 0)
    for fn in (path_kernel, path_values, path_indices):
        with pytest.raises(ValueError, match=f"above MAX_PATHS = {MAX_PATHS}"):
            fn(w)


def test_log_flow_matches_plain_products_and_survives_depth():
    w, _ = _net_and_data([3, 4, 3, 2], 1)
    assert np.exp(log_path_norm(w)) == pytest.approx(path_norm_l1(w), rel=1e-13)
    assert np.exp(log_path_norm(w, 2.0)) == pytest.approx(path_norm_sq(w), rel=1e-13)
    deep = random_network([128] * 301, 0)
    with np.errstate(over="ignore"):
        assert path_norm_l1(deep) == np.inf               # plain float64 overflows
    logR = log_path_norm(deep)
    assert np.isfinite(logR) and logR > np.log(np.finfo(float).max)
    flow = log_flow([np.abs(W) for W in deep])
    assert all(np.all(np.isfinite(v)) for v in flow.log_forward + flow.log_backward)


def test_ntk_equals_jacobian_gram():
    w, X = _net_and_data([4, 6, 3], 2, n=4)
    J = param_jacobian(w, X)
    np.testing.assert_allclose(ntk(w, X), J @ J.T, rtol=1e-14)
