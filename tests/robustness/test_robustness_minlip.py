"""Min-Lipschitz interpolation: certified SDP (cvxpy + Clarabel), independent routes on tiny
cases, honest statuses, and the smoothed heuristic (spec E1)."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.linalg import null_space
from scipy.optimize import minimize_scalar

from pruneproof.verify.robustness.quadratic import (design_matrix, dual_lower_bound,
                                                    min_frobenius_interpolator,
                                                    min_lipschitz_interpolator,
                                                    quadratic_lipschitz,
                                                    smoothed_lipschitz_heuristic,
                                                    symmetric_basis)


def instance(seed, n, d, p):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d))
    X /= np.linalg.norm(X, axis=1, keepdims=True)
    return X, rng.choice([-1.0, 1.0], n), symmetric_basis(d, p, rng=rng)


def interpolation_error(X, y, A):
    return float(np.max(np.abs(np.einsum("ij,jk,ik->i", X, A, X) - y)))


@pytest.fixture(scope="module")
def solved():
    X, y, B = instance(0, 5, 6, 14)
    return X, y, B, min_lipschitz_interpolator(X, y, B)


def test_sdp_interpolates_certified_and_beats_min_frobenius(solved):
    X, y, B, res = solved
    A, lip, gap = res                                        # tuple unpacking
    assert res.status == "optimal" and res.optimal
    assert interpolation_error(X, y, A) <= 1e-7
    assert 0 <= gap <= 1e-6 and res.lower <= lip
    assert lip == pytest.approx(quadratic_lipschitz(A), rel=1e-14)
    # A lies in span(basis): its coordinates reproduce it
    assert np.allclose(np.tensordot(res.coef, B, axes=1), A, atol=1e-12)
    assert lip <= min_frobenius_interpolator(X, y, B).lip + 1e-9


def test_independent_route_one_dimensional_null_space():
    """p = n + 1: the feasible set is a line A0 + tN; Lip along it is convex in t, minimised by
    bounded Brent (scipy) to 1e-10 -- no cvxpy involved."""
    n, d = 5, 4
    X, y, B = instance(1, n, d, n + 1)
    Phi = design_matrix(X, B)
    c0 = np.linalg.lstsq(Phi, y, rcond=None)[0]
    N = null_space(Phi)[:, 0]
    lip = lambda t: quadratic_lipschitz(np.tensordot(c0 + t * N, B, axes=1))  # noqa: E731
    ref = minimize_scalar(lip, bounds=(-100, 100), method="bounded",
                          options={"xatol": 1e-11}).fun
    res = min_lipschitz_interpolator(X, y, B)
    assert res.optimal
    assert res.lip == pytest.approx(ref, rel=2e-6)
    assert res.lower <= ref + 1e-9


def test_independent_route_d2_closed_form():
    """d = 2, full space: Lip([[a,b],[b,c]]) = ‖(a − c, 2b)‖, so the minimum over an affine set is a
    least-norm problem solved by numpy alone."""
    X, y, _ = instance(2, 1, 2, 1)
    B = symmetric_basis(2)                                    # canonical: c = (a, √2 b, c)
    Phi = design_matrix(X, B)
    Lmap = np.array([[1.0, 0.0, -1.0], [0.0, np.sqrt(2.0), 0.0]])   # c -> (a − c, 2b)
    c0 = np.linalg.lstsq(Phi, y, rcond=None)[0]
    N = null_space(Phi)
    z = np.linalg.lstsq(Lmap @ N, -Lmap @ c0, rcond=None)[0]
    ref = np.linalg.norm(Lmap @ (c0 + N @ z))
    res = min_lipschitz_interpolator(X, y, B)
    assert res.optimal and res.lip == pytest.approx(ref, rel=1e-6, abs=1e-9)


def test_full_space_matches_reduced_dual_formulation():
    """Second formulation (p = P): Lip* = max yᵀν s.t. Σν = 0, ‖Σ ν_i x_i x_iᵀ‖_* <= 2 (derived
    in minlip's docstring with V = Sym(d)), solved as its own cvxpy problem."""
    import cvxpy as cp
    X, y, B = instance(3, 4, 5, 15)
    nu = cp.Variable(4)
    M = sum(nu[i] * np.outer(X[i], X[i]) for i in range(4))
    dual = cp.Problem(cp.Maximize(y @ nu), [cp.sum(nu) == 0, cp.normNuc(M) <= 2])
    dual.solve(solver="CLARABEL")
    res = min_lipschitz_interpolator(X, y, B)
    assert res.status == "optimal" and res.method.endswith("matrix")
    assert res.lip == pytest.approx(dual.value, rel=1e-6)


@settings(max_examples=15)
@given(seed=st.integers(0, 10 ** 6))
def test_any_dual_direction_gives_a_valid_lower_bound(solved, seed):
    X, y, B, res = solved
    M0 = np.random.default_rng(seed).standard_normal((6, 6))
    bound = dual_lower_bound(M0 + M0.T, X, y, B)
    assert 0.0 <= bound <= res.lip * (1 + 1e-9)


def test_infeasible_reports_status_and_never_optimal():
    X, y, B = instance(4, 6, 4, 3)                            # p < n: no interpolator
    for res in (min_lipschitz_interpolator(X, y, B), smoothed_lipschitz_heuristic(X, y, B)):
        A, lip, gap = res
        assert res.status == "infeasible" and not res.optimal
        assert A is None and lip == np.inf and gap == np.inf and res.residual > 1e-3
    assert dual_lower_bound(np.eye(4), X, y, B) == np.inf


def test_unique_interpolator_needs_no_solver():
    X, y, B = instance(5, 5, 4, 5)                            # p = n: exactly one interpolator
    res = min_lipschitz_interpolator(X, y, B)
    fro = min_frobenius_interpolator(X, y, B)
    assert res.status == "unique" and res.optimal and res.gap == 0.0
    assert res.lip == pytest.approx(fro.lip, rel=1e-12)


def test_solver_stopped_early_is_not_called_optimal(solved):
    X, y, B, best = solved
    res = min_lipschitz_interpolator(X, y, B, max_iter=2)
    assert not res.optimal and res.status != "optimal" and res.gap > 1e-6
    assert interpolation_error(X, y, res.A) <= 1e-7            # still a feasible point
    assert res.lip >= best.lower - 1e-9 and res.lower <= best.lip + 1e-9


def test_optimal_flag_is_the_certificate_not_the_solver_status(solved):
    X, y, B, best = solved
    # solver tolerances left at 1e-8 (solver_options override), certificate demanded at 1e-14
    strict = min_lipschitz_interpolator(X, y, B, tol=1e-14,
                                        solver_options={"tol_gap_rel": 1e-8, "tol_gap_abs": 1e-8})
    assert strict.status == "optimal" and strict.gap > 1e-14 and not strict.optimal


def test_heuristic_is_feasible_and_certified_against_the_sdp(solved):
    X, y, B, best = solved
    h = smoothed_lipschitz_heuristic(X, y, B)
    assert h.method == "smoothed-lbfgs" and h.status.startswith("heuristic")
    assert interpolation_error(X, y, h.A) <= 1e-7
    assert best.lower - 1e-9 <= h.lip <= best.lip + 2 * np.log(6) / 320 + 1e-9
    assert h.lower <= best.lip + 1e-9 and 0 <= h.gap < 1
    # a single small beta is a worse smoothing: the option changes the result
    coarse = smoothed_lipschitz_heuristic(X, y, B, betas=(1.0,))
    assert coarse.lip > h.lip


@pytest.mark.parametrize("kwargs, match", [({"tol": 0.0}, "tol"), ({"tol": 1.0}, "tol"),
                                           ({"max_iter": 0}, "max_iter")])
def test_sdp_arguments_validated(kwargs, match):
    X, y, B = instance(6, 3, 3, 4)
    with pytest.raises(ValueError, match=match):
        min_lipschitz_interpolator(X, y, B, **kwargs)


@pytest.mark.parametrize("kwargs, match", [({"betas": (5.0, 1.0)}, "increasing"),
                                           ({"betas": (-1.0,)}, "betas"),
                                           ({"maxiter": 0}, "maxiter")])
def test_heuristic_arguments_validated(kwargs, match):
    X, y, B = instance(6, 3, 3, 4)
    with pytest.raises(ValueError, match=match):
        smoothed_lipschitz_heuristic(X, y, B, **kwargs)


def test_sdp_rejects_non_unit_rows():
    X, y, B = instance(7, 3, 3, 5)
    with pytest.raises(ValueError, match="unit norm"):
        min_lipschitz_interpolator(1.5 * X, y, B)
