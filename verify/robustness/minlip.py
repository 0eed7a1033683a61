r"""Minimum-Lipschitz interpolation of quadratic forms on the sphere (spec E1), with a duality
certificate computed here rather than read from a solver status.

Problem (convex; spec E1 "Min-Lipschitz").  For unit :math:`x_i`, labels :math:`y_i` and a
Frobenius-orthonormal basis :math:`B_1..B_p` of a subspace :math:`V \subseteq \mathrm{Sym}(d)`,

.. math::
    \mathrm{Lip}^\star = \min\ t_1 - t_2 \ \text{ s.t. }\ t_2 I \preceq A \preceq t_1 I,\quad
    A = \textstyle\sum_j c_j B_j,\quad \langle A, x_i x_i^\top\rangle = y_i ,

whose value is :math:`\min \lambda_{\max}(A) - \lambda_{\min}(A)` = the minimal Lipschitz constant
(chord metric, :mod:`.quadratic`) over interpolating forms of the class.

Certificate [derived here].  Let :math:`X_i = x_ix_i^\top`.  For every symmetric M with
:math:`\mathrm{tr} M = 0` and :math:`M - \sum_i \nu_i X_i \in V^\perp`, and every feasible A,

.. math::
    y^\top\nu = \langle M, A\rangle = \langle M, A - sI\rangle \le \|M\|_*\,\|A - sI\|_{op}
    = \|M\|_*\,\mathrm{Lip}(A)/2 \quad (s = (\lambda_{\max} + \lambda_{\min})/2),

so :math:`\mathrm{Lip}^\star \ge 2y^\top\nu/\|M\|_*` (weak duality; equality at a dual optimum
since Slater holds whenever the system is feasible).  Given any approximate dual direction
:math:`M_0 = Z_1 - Z_2` (the solver's PSD multipliers, or the heuristic's softmax matrices), we
project it onto :math:`T \cap \{\mathrm{tr} = 0\}`, :math:`T = \mathrm{span}(X_i) + V^\perp`, and
solve for ν by least squares (:func:`dual_lower_bound`).  The primal value is the exact
eigenvalue spread of the returned A after an exact projection onto the interpolation constraints.
The relative gap is (upper − lower)/upper, with lower clamped at 0 (Lip >= 0); it is computed
here from these two numbers, never taken from the solver status.
"""
from __future__ import annotations

import time
import warnings
from dataclasses import dataclass

import numpy as np
from scipy.optimize import minimize
from scipy.special import logsumexp, softmax

from ._checks import real, symmetric_matrix
from ._linalg import (FEASIBILITY_RTOL, _affine, _design, _lip, _validate_problem,
                      blas_single_thread, eigenvalues)

__all__ = ["LipschitzFit", "min_lipschitz_interpolator", "smoothed_lipschitz_heuristic",
           "dual_lower_bound"]


@dataclass(frozen=True, eq=False)
class LipschitzFit:
    """Result of :func:`min_lipschitz_interpolator` / :func:`smoothed_lipschitz_heuristic`.

    Unpacks as ``A, lip, gap = result``.

    Attributes:
        A: the interpolating matrix (None when the system has no interpolator).
        lip: λmax(A) − λmin(A), exact eigenvalues (inf when infeasible).
        gap: certified relative gap (lip − lower)/lip (0 when lip = 0; inf when infeasible).
        status: the solver's status string verbatim (``"optimal"``, ``"optimal_inaccurate"``,
            ``"user_limit"``, ...), or ``"infeasible"`` (no interpolator: least-squares residual
            above tolerance; the solver is not called), ``"unique"`` (Φ has full column rank:
            exactly one interpolator, gap 0 without a solver), ``"solver_error"`` (the
            min-Frobenius interpolator is returned as a feasible point, lower = 0), or
            ``"heuristic"`` / ``"heuristic_maxiter"``.
        optimal: True iff gap <= tol and the interpolation residual <= FEASIBILITY_RTOL -- i.e.
            certified by the computation here, whatever the status string says.
        lower: certified lower bound on the class's minimal Lipschitz constant.
        coef: coordinates c of A in the basis.
        residual: ‖Φc − y‖ / max(1, ‖y‖) of the returned coefficients.
        method: ``"sdp:<SOLVER>:<form>"`` or ``"smoothed-lbfgs"``.
        seconds: wall time of the call.
    """
    A: np.ndarray | None
    lip: float
    gap: float
    status: str
    optimal: bool
    lower: float
    coef: np.ndarray | None
    residual: float
    method: str
    seconds: float

    def __iter__(self):
        return iter((self.A, self.lip, self.gap))


def _relgap(upper: float, lower: float) -> float:
    lower = max(lower, 0.0)
    if upper <= 0.0:
        return 0.0
    return (upper - lower) / upper


def _certificate(M0: np.ndarray, Bflat: np.ndarray, aff, y: np.ndarray, d: int) -> float:
    """2yᵀν/‖M‖_* for the projection M of M0 onto span(X_i) + V⊥ intersected with tr = 0."""
    if not np.all(np.isfinite(M0)):
        return 0.0

    def to_T(v):
        return v - Bflat.T @ aff.project(Bflat @ v)

    m = to_T(0.5 * (M0 + M0.T).ravel())
    e = to_T(np.eye(d).ravel())
    ee = float(e @ e)
    if ee > 1e-20 * d:
        m = m - (float(e @ m) / ee) * e
    rhs = Bflat @ m                                    # = Φᵀν for the ν we want
    nu = aff.U @ ((aff.V.T @ rhs) / aff.s) if aff.rank else np.zeros_like(y)
    M = m.reshape(d, d)
    nuc = float(np.sum(np.abs(eigenvalues(M))))
    if nuc <= 0.0:
        return 0.0
    return max(0.0, 2.0 * float(y @ nu) / nuc)


def dual_lower_bound(M0, X, y, basis) -> float:
    r"""Certified lower bound :math:`2y^\top\nu/\|M\|_*` on the minimal Lipschitz constant of an
    interpolating form in span(basis), from any symmetric d × d direction ``M0`` (see the module
    docstring for the derivation).  Valid for every M0 (a poor M0 gives a weak bound, clamped at
    0); tight for the optimal dual :math:`Z_1 - Z_2`.  Returns inf when no interpolator exists."""
    X, y, B = _validate_problem(X, y, basis)
    d = X.shape[1]
    M0 = symmetric_matrix(M0, "M0")
    if M0.shape != (d, d):
        raise ValueError(f"M0 must have shape ({d}, {d}), got {M0.shape}")
    aff = _affine(_design(X, B), y)
    if not aff.feasible:
        return float("inf")
    return _certificate(M0, B.reshape(B.shape[0], d * d), aff, y, d)


def _trivial(aff, B, t0, method):
    """Results that need no optimisation: infeasible or unique interpolator."""
    if not aff.feasible:
        return LipschitzFit(None, float("inf"), float("inf"), "infeasible", False, float("inf"),
                            None, aff.residual, method, time.perf_counter() - t0)
    if aff.rank == B.shape[0]:
        A = np.tensordot(aff.c0, B, axes=1)
        lip = _lip(A)
        return LipschitzFit(A, lip, 0.0, "unique", aff.residual <= FEASIBILITY_RTOL, lip,
                            aff.c0, aff.residual, method, time.perf_counter() - t0)
    return None


def min_lipschitz_interpolator(X, y, basis, *, solver: str = "CLARABEL", tol: float = 1e-6,
                               max_iter: int = 200, solver_options: dict | None = None
                               ) -> LipschitzFit:
    r"""Minimum-Lipschitz interpolator in span(basis) by the SDP of the module docstring, solved
    with cvxpy + Clarabel and certified here.

    Formulation passed to cvxpy: variables (c, t1, t2) and the LMIs
    :math:`t_1I - \sum_j c_jB_j \succeq 0`, :math:`\sum_j c_jB_j - t_2I \succeq 0` with Φc = y
    ("coefficients" form, Clarabel equilibration off -- with it on Clarabel stops at iteration 1
    with NumericalError on these dense LMIs); when p = d(d+1)/2 the span is all of Sym(d) and a
    symmetric matrix variable is used instead ("matrix" form).  Clarabel defaults here:
    ``direct_solve_method="faer"`` (≈20× faster than qdldl on the dense PSD blocks),
    ``tol_gap_rel = tol_gap_abs = min(1e-8, tol/10)``; ``solver_options`` overrides them.

    The returned coefficients are projected exactly onto {Φc = y}; ``lip`` is the exact spread of
    the resulting A; ``lower`` comes from :func:`dual_lower_bound` applied to the solver's PSD
    multipliers :math:`Z_1 - Z_2`; ``optimal`` means the certified relative gap is <= ``tol``.

    Args:
        X: (n, d) with unit-norm rows (tolerance 1e-8; not normalised silently).
        y: length-n finite labels.
        basis: (p, d, d) symmetric, Frobenius-orthonormal, 1 <= p <= d(d+1)/2.
        solver: a cvxpy solver name; Clarabel-specific options are only set for "CLARABEL".
        tol: target certified relative gap, in (0, 1).
        max_iter: solver iteration limit (Clarabel), >= 1.
        solver_options: extra keyword arguments for ``Problem.solve``.

    Returns:
        :class:`LipschitzFit` (unpacks as ``A, lip, gap``).
    """
    import cvxpy as cp

    t0 = time.perf_counter()
    X, y, B = _validate_problem(X, y, basis)
    tol = real(tol, "tol", low=0.0, high=1.0, low_open=True, high_open=True)
    if isinstance(max_iter, bool) or not isinstance(max_iter, int) or max_iter < 1:
        raise ValueError(f"max_iter must be an integer >= 1, got {max_iter!r}")
    n, d = X.shape
    p, P = B.shape[0], d * (d + 1) // 2
    Phi = _design(X, B)
    aff = _affine(Phi, y)
    form = "matrix" if p == P else "coefficients"
    method = f"sdp:{solver}:{form}"
    done = _trivial(aff, B, t0, method)
    if done is not None:
        return done
    Bflat = B.reshape(p, d * d)
    t1, t2, eye = cp.Variable(), cp.Variable(), np.eye(d)
    if form == "matrix":
        Avar = cp.Variable((d, d), symmetric=True)
        XX = (X[:, :, None] * X[:, None, :]).reshape(n, d * d)
        cons = [t1 * eye - Avar >> 0, Avar - t2 * eye >> 0, XX @ cp.vec(Avar, order="C") == y]
    else:
        cvar = cp.Variable(p)
        Aexpr = cp.reshape(Bflat.T @ cvar, (d, d), order="C")
        cons = [t1 * eye - Aexpr >> 0, Aexpr - t2 * eye >> 0, Phi @ cvar == y]
    problem = cp.Problem(cp.Minimize(t1 - t2), cons)
    opts: dict = {}
    if solver.upper() == "CLARABEL":
        opts = {"direct_solve_method": "faer", "max_iter": max_iter,
                "tol_gap_rel": min(1e-8, tol / 10), "tol_gap_abs": min(1e-8, tol / 10)}
        if form == "coefficients":
            opts["equilibrate_enable"] = False
    opts.update(solver_options or {})
    try:
        with warnings.catch_warnings(), blas_single_thread():
            warnings.simplefilter("ignore")       # the status string carries the information
            problem.solve(solver=solver, **opts)
        status = str(problem.status)
    except cp.error.SolverError:
        status = "solver_error"
    if form == "matrix":
        raw = None if Avar.value is None else Bflat @ np.asarray(Avar.value).ravel()
    else:
        raw = cvar.value
    lower = 0.0
    if raw is None or not np.all(np.isfinite(raw)):
        c = aff.c0                                  # a feasible point; no certificate
        status = status if status != "optimal" else "no_solution"
    else:
        c = aff.correct(np.asarray(raw, float), Phi, y)
        Z1, Z2 = cons[0].dual_value, cons[1].dual_value
        if Z1 is not None and Z2 is not None:
            lower = _certificate(np.asarray(Z1) - np.asarray(Z2), Bflat, aff, y, d)
    A = np.tensordot(c, B, axes=1)
    A = 0.5 * (A + A.T)
    lip = _lip(A)
    residual = float(np.linalg.norm(Phi @ c - y)) / max(1.0, float(np.linalg.norm(y)))
    gap = _relgap(lip, lower)
    return LipschitzFit(A, lip, gap, status, bool(gap <= tol and residual <= FEASIBILITY_RTOL),
                        max(lower, 0.0), c, residual, method, time.perf_counter() - t0)


def smoothed_lipschitz_heuristic(X, y, basis, *, betas=(5.0, 20.0, 80.0, 320.0),
                                 maxiter: int = 500, tol: float = 1e-6) -> LipschitzFit:
    r"""The smoothed first-order heuristic of spec E1 (what its pilot used): minimise

    .. math::
        F_\beta(A) = \beta^{-1}\log\mathrm{tr}\,e^{\beta A}
        + \beta^{-1}\log\mathrm{tr}\,e^{-\beta A}, \qquad
        \nabla F_\beta = U(\mathrm{softmax}(\beta\lambda)
        - \mathrm{softmax}(-\beta\lambda))U^\top,

    over the interpolating set :math:`c = c_0 + (I - \Phi^+\Phi)w` (:math:`c_0` the
    min-Frobenius interpolator, the starting point), with L-BFGS-B, continuation over ``betas``
    (warm starts).  :math:`\lambda_{\max}-\lambda_{\min} \le F_\beta
    \le \lambda_{\max}-\lambda_{\min} + 2\log(d)/\beta`, so an exact minimiser of
    :math:`F_\beta` is within :math:`2\log(d)/\beta` of the optimum (0.027 at d = 80,
    β = 320).

    Certified like the SDP: ``lip`` is the exact spread of the best iterate (over stages);
    ``lower`` is the best :func:`dual_lower_bound` of the softmax directions
    :math:`\nabla F_\beta` over stages (each is a trace-zero difference of two trace-one PSD
    matrices, an approximate dual).  Deterministic (no randomness).

    Args:
        X, y, basis: as :func:`min_lipschitz_interpolator`.
        betas: increasing positive smoothing parameters.
        maxiter: L-BFGS-B iterations per stage, >= 1.
        tol: the certified relative gap that counts as ``optimal``.
    """
    t0 = time.perf_counter()
    X, y, B = _validate_problem(X, y, basis)
    tol = real(tol, "tol", low=0.0, high=1.0, low_open=True, high_open=True)
    betas = np.atleast_1d(real(betas, "betas", low=0.0, low_open=True))
    if betas.ndim != 1 or np.any(np.diff(betas) <= 0):
        raise ValueError(f"betas must be a strictly increasing 1-D sequence, got {betas}")
    if isinstance(maxiter, bool) or not isinstance(maxiter, int) or maxiter < 1:
        raise ValueError(f"maxiter must be an integer >= 1, got {maxiter!r}")
    n, d = X.shape
    p = B.shape[0]
    Phi = _design(X, B)
    aff = _affine(Phi, y)
    done = _trivial(aff, B, t0, "smoothed-lbfgs")
    if done is not None:
        return done
    Bflat = B.reshape(p, d * d)

    def matrix(w):
        A = ((aff.c0 + aff.project(w)) @ Bflat).reshape(d, d)
        return 0.5 * (A + A.T)

    def fun(w, beta):
        lam, U = np.linalg.eigh(matrix(w))
        F = (logsumexp(beta * lam) + logsumexp(-beta * lam)) / beta
        G = (U * (softmax(beta * lam) - softmax(-beta * lam))) @ U.T
        return F, aff.project(Bflat @ G.ravel())

    w = np.zeros(p)
    best_c, best_lip = aff.c0, _lip(matrix(w))
    with blas_single_thread():
        best_c, best_lip, lower, converged = _continuation(
            fun, w, betas, maxiter, aff, Phi, y, Bflat, d, best_c, best_lip)
    A = np.tensordot(best_c, B, axes=1)
    A = 0.5 * (A + A.T)
    residual = float(np.linalg.norm(Phi @ best_c - y)) / max(1.0, float(np.linalg.norm(y)))
    gap = _relgap(best_lip, lower)
    return LipschitzFit(A, best_lip, gap, "heuristic" if converged else "heuristic_maxiter",
                        bool(gap <= tol and residual <= FEASIBILITY_RTOL), lower, best_c,
                        residual, "smoothed-lbfgs", time.perf_counter() - t0)


def _continuation(fun, w, betas, maxiter, aff, Phi, y, Bflat, d, best_c, best_lip):
    """L-BFGS-B stages over increasing β (warm starts); the best exact spread and the best
    certificate over stages."""
    lower, converged = 0.0, True
    for beta in betas:
        res = minimize(fun, w, args=(float(beta),), jac=True, method="L-BFGS-B",
                       options={"maxiter": maxiter, "gtol": 1e-10, "ftol": 1e-15})
        converged &= bool(res.nit < maxiter)
        w = res.x
        c = aff.correct(aff.c0 + aff.project(w), Phi, y)
        A = (c @ Bflat).reshape(d, d)
        lip = _lip(A)
        if lip < best_lip:
            best_c, best_lip = c, lip
        lam, U = np.linalg.eigh(0.5 * (A + A.T))
        G = (U * (softmax(beta * lam) - softmax(-beta * lam))) @ U.T
        lower = max(lower, _certificate(G, Bflat, aff, y, d))
    return best_c, best_lip, lower, converged
