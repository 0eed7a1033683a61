r"""The quadratic-form model on the unit sphere (spec ``no_free_prune.md`` §4 and E1/E3).

Model.  For a symmetric :math:`A \in \mathrm{Sym}(d)`, :math:`f_A(x) = x^\top A x` on
:math:`S^{d-1}`.  A *p-dimensional model class* is :math:`\{\sum_j c_j B_j\}` for a
Frobenius-orthonormal stack ``basis`` = :math:`(B_1, \dots, B_p)` (:func:`symmetric_basis`).  With
orthonormal :math:`B_j`, :math:`|f_{A}(x) - f_{A'}(x)| \le \|A - A'\|_{op} \le \|c - c'\|_2`, so the
parametrisation has J = 1 (spec §4), and :math:`\|A\|_F = \|c\|_2`.

Lipschitz notion used throughout: Euclidean (chord) distance of the ambient :math:`\mathbb R^d`,
restricted to pairs of points of the sphere,

.. math:: \mathrm{Lip}(f) = \sup_{x \ne x' \in S^{d-1}} |f(x) - f(x')| / \|x - x'\|_2 .

Exact value for quadratic forms [derived here, spec §4]:
:math:`\mathrm{Lip}(f_A) = \lambda_{\max}(A) - \lambda_{\min}(A)`.

* Upper bound.  For symmetric A, :math:`f(x) - f(x') = (x - x')^\top A (x + x')` (expand), and
  :math:`u = x - x' \perp v = x + x'` because :math:`\|x\| = \|x'\|`.  For :math:`u \perp v`,
  :math:`u^\top A v = u^\top (A - tI) v` for every t; at :math:`t = (\lambda_1 + \lambda_d)/2`,
  :math:`\|A - tI\|_{op} = (\lambda_1 - \lambda_d)/2`.  With :math:`\|x + x'\| \le 2` this gives
  :math:`|f(x) - f(x')| \le (\lambda_1 - \lambda_d)\|x - x'\|`.
* Attained as a limit.  With eigenvectors :math:`u_1, u_d`, :math:`x_0 = (u_1 + u_d)/\sqrt 2`,
  :math:`w = (u_1 - u_d)/\sqrt 2` and :math:`x_\pm = \cos s\, x_0 \pm \sin s\, w`,
  :math:`|f(x_+) - f(x_-)| / \|x_+ - x_-\| = (\lambda_1 - \lambda_d)\cos s`, which tends to
  :math:`\lambda_1 - \lambda_d` as s → 0.
  For distinct points :math:`\|x + x'\| < 2`, so the supremum is **not attained by any pair**: a
  pair-based estimate is strictly below it.  (The supremum equals the largest tangential gradient
  norm :math:`2\|(I - xx^\top)Ax\|`; the geodesic metric gives the same value.)

The min-Lipschitz SDP, its certificate and the smoothed heuristic are in :mod:`.minlip` and are
re-exported here.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._checks import integer, sphere_points, symmetric_basis_array, symmetric_matrix
from ._linalg import FEASIBILITY_RTOL, _affine, _design, _lip, _validate_problem
from .minlip import (LipschitzFit, dual_lower_bound, min_lipschitz_interpolator,
                     smoothed_lipschitz_heuristic)

__all__ = ["quadratic_lipschitz", "sphere_lipschitz_lower", "symmetric_basis",
           "basis_index_pairs", "design_matrix", "min_frobenius_interpolator", "FrobeniusFit",
           "min_lipschitz_interpolator", "smoothed_lipschitz_heuristic", "dual_lower_bound",
           "LipschitzFit", "FEASIBILITY_RTOL"]


def quadratic_lipschitz(A) -> float:
    r"""Exact Lipschitz constant of :math:`f_A(x) = x^\top A x` on the unit sphere (chord metric):

    .. math:: \mathrm{Lip}(f_A) = \lambda_{\max}(A) - \lambda_{\min}(A)

    (derived here, see the module docstring; spec §4 [derived, exact]).  Computed from
    ``numpy.linalg.eigh`` (exact eigenvalues, never sampling; spec E1 pitfalls; not ``eigvalsh``,
    whose eigenvalues-only LAPACK path is inaccurate when squared entries are subnormal).

    Args:
        A: square symmetric finite matrix; symmetric means
            :math:`|A_{ij} - A_{ji}| \le 10^{-10}\max(1, \max|A|)` (then (A + Aᵀ)/2 is used).

    Raises:
        ValueError: non-square, non-symmetric beyond the tolerance, NaN/inf or empty input.
    """
    return _lip(symmetric_matrix(A))


def _unit_rows(rng, m: int, d: int) -> np.ndarray:
    g = rng.standard_normal((m, d))
    return g / np.linalg.norm(g, axis=1, keepdims=True)


def _pair_ratio(A: np.ndarray, x: np.ndarray, xp: np.ndarray) -> np.ndarray:
    """|f(x) − f(x')| / ‖x − x'‖ row-wise, with the difference evaluated through the exact identity
    f(x) − f(x') = (x − x')ᵀA(x + x') (symmetric A), which avoids cancellation."""
    u, v = x - xp, x + xp
    num = np.abs(np.einsum("ij,ij->i", u @ A, v))
    den = np.linalg.norm(u, axis=1)
    return np.divide(num, den, out=np.zeros_like(num), where=den > 0)


def _tangential(A: np.ndarray, x: np.ndarray):
    """(Ax, xᵀAx, (I − xxᵀ)Ax) row-wise; the tangential gradient of f_A is 2(I − xxᵀ)Ax."""
    Ax = x @ A
    q = np.einsum("ij,ij->i", x, Ax)
    return Ax, q, Ax - q[:, None] * x


def sphere_lipschitz_lower(A, rng=None, samples: int = 4096, ascent_steps: int = 300,
                           starts: int = 8, pair_step: float = 1e-5, refine: bool = True
                           ) -> float:
    r"""A sampled-plus-ascent **lower bound** on :math:`\mathrm{Lip}(f_A)` over the unit sphere
    (chord metric), computed without eigenvalues -- an independent route to
    :func:`quadratic_lipschitz`.

    Every candidate is an evaluated ratio :math:`|f(x) - f(x')|/\|x - x'\|` of an actual pair of
    sphere points, so the result is a lower bound up to floating-point rounding (absolute error
    ~ eps·(λmax − λmin)/s ≈ 1e-11·Lip at the default s; A is shifted by tr(A)/d first, which
    changes no difference on the sphere and keeps this error relative to the spread):

    1. ``samples`` independent uniform pairs (a dense sampled supremum; weak on its own);
    2. ``samples`` uniform points ranked by the squared tangential slope
       :math:`h(x) = \|(I - xx^\top)Ax\|^2 = x^\top A^2 x - (x^\top A x)^2`; the best ``starts``
       run ``ascent_steps`` of Riemannian gradient ascent on h (gradient
       :math:`2A^2x - 4(x^\top Ax)Ax`, projected on the tangent space, retraction by
       normalisation, adaptive step: accept only increases);
    3. each ascent point x gives the pair :math:`x_\pm = \cos s\,x \pm \sin s\,w` with w the unit
       tangential gradient and s = ``pair_step``, whose ratio is
       :math:`2\cos s\,|x^\top A w|`;
    4. (``refine=True``) an eigensolver-free polish: bisection on the definiteness of
       :math:`\sigma I \mp A` (Cholesky succeeds iff positive definite) brackets
       :math:`\lambda_{\max}` and :math:`\lambda_{\min}` to ~1e-15·‖A‖ (starting from a sampled
       Rayleigh quotient and the Gershgorin bound), inverse iteration at the bracket end gives
       near-extreme unit vectors :math:`v_1, v_d`, and the pair built from
       :math:`x_0 = (v_1 + v_d)/\sqrt 2`, :math:`w = (v_1 - v_d)/\sqrt 2` is evaluated.

    The ascent maximiser has :math:`2\sqrt{h} = \lambda_{\max} - \lambda_{\min}`, but plain
    gradient ascent converges only like O(1/steps) in value when the extreme eigenvalues are
    nearly degenerate (hypothesis found a 5 × 5 case 1e-6 short after 300 steps); step 4 meets
    the exact value up to the factor :math:`\cos s` (1 − 5e-11 at the default s) regardless.
    See the module docstring for why no pair attains it exactly.

    Args:
        A: symmetric matrix (validated as in :func:`quadratic_lipschitz`).
        rng: anything ``numpy.random.default_rng`` accepts.
        samples, ascent_steps, starts: work parameters (integers >= 1; ``ascent_steps`` >= 0).
        pair_step: the half-angle s in (0, 0.1].
        refine: run step 4 (default True).
    """
    A = symmetric_matrix(A)
    samples = integer(samples, "samples", 1)
    ascent_steps = integer(ascent_steps, "ascent_steps", 0)
    starts = integer(starts, "starts", 1)
    if not (isinstance(pair_step, (int, float)) and 0 < pair_step <= 0.1):
        raise ValueError(f"pair_step must be in (0, 0.1], got {pair_step!r}")
    rng = np.random.default_rng(rng)
    d = A.shape[0]
    if d == 1:                       # S^0 = {−1, +1} and f(1) = f(−1): every ratio is 0
        return 0.0
    # f_{A − tI} = f_A − t on the sphere: same differences, less rounding (a point that is unit
    # only up to 1e-16 would otherwise add t·(‖x‖² − ‖x'‖²) to a difference of order s·Lip)
    A = A - (np.trace(A) / d) * np.eye(d)
    amax = float(np.max(np.abs(A)))
    if amax == 0.0:                  # a multiple of the identity: f is constant on the sphere
        return 0.0
    return amax * _lower_scaled(A / amax, rng, samples, ascent_steps, starts, float(pair_step),
                                refine)


def _lower_scaled(A, rng, samples, ascent_steps, starts, s, refine) -> float:
    """:func:`sphere_lipschitz_lower` on a centred matrix with max|A_ij| = 1 (scale-free steps)."""
    d = A.shape[0]
    x, xp = _unit_rows(rng, samples, d), _unit_rows(rng, samples, d)
    best = float(np.max(_pair_ratio(A, x, xp)))
    scale = float(np.sum(A * A))
    _, _, T = _tangential(A, x)
    x = x[np.argsort(-np.einsum("ij,ij->i", T, T), kind="stable")[:starts]].copy()
    A2 = A @ A

    def h_and_grad(z):
        Az, q, Tz = _tangential(A, z)
        h = np.einsum("ij,ij->i", Tz, Tz)
        g = 2.0 * (z @ A2) - 4.0 * q[:, None] * Az
        g -= np.einsum("ij,ij->i", g, z)[:, None] * z
        return h, g

    h, g = h_and_grad(x)
    eta = np.full(len(x), 0.25 / scale)
    for _ in range(ascent_steps):
        cand = x + eta[:, None] * g
        cand /= np.linalg.norm(cand, axis=1, keepdims=True)
        hc, gc = h_and_grad(cand)
        up = hc > h
        x[up], h[up], g[up] = cand[up], hc[up], gc[up]
        eta = np.where(up, 1.5 * eta, 0.5 * eta)
        eta = np.maximum(eta, 1e-300)
    _, _, T = _tangential(A, x)
    norms = np.linalg.norm(T, axis=1)
    ok = norms > 0
    w, xs = T[ok] / norms[ok, None], x[ok]
    if refine:
        q = np.einsum("ij,ij->i", x, x @ A)
        v1 = _extreme_vector(A, float(np.max(q)), rng)
        vd = _extreme_vector(-A, float(np.max(-q)), rng)
        vd = vd - (vd @ v1) * v1
        if np.linalg.norm(vd) > 0.5:
            vd /= np.linalg.norm(vd)
            xs = np.vstack([xs, (v1 + vd) / np.sqrt(2.0)])
            w = np.vstack([w, (v1 - vd) / np.sqrt(2.0)])
    if not len(xs):
        return best
    w = w - np.einsum("ij,ij->i", w, xs)[:, None] * xs      # exact tangent up to rounding
    w /= np.linalg.norm(w, axis=1, keepdims=True)
    xp, xm = np.cos(s) * xs + np.sin(s) * w, np.cos(s) * xs - np.sin(s) * w
    xp /= np.linalg.norm(xp, axis=1, keepdims=True)
    xm /= np.linalg.norm(xm, axis=1, keepdims=True)
    return max(best, float(np.max(_pair_ratio(A, xp, xm))))


def _extreme_vector(S: np.ndarray, lo: float, rng) -> np.ndarray:
    """A unit vector whose Rayleigh quotient is λmax(S) up to ~1e-15·‖S‖, without an
    eigensolver: bisection on "σI − S is positive definite" (Cholesky), from lo <= λmax (a
    Rayleigh quotient) and the Gershgorin bound hi >= λmax, then inverse iteration at σ just
    above the bracket."""
    d = S.shape[0]
    off = np.abs(S).sum(1) - np.abs(np.diag(S))
    hi = float(np.max(np.diag(S) + off))
    scale = max(1.0, float(np.max(np.abs(S).sum(1))))
    lo, eye = min(lo, hi), np.eye(d)

    def chol(sig):
        try:
            return np.linalg.cholesky(sig * eye - S)
        except np.linalg.LinAlgError:
            return None

    for _ in range(200):
        if hi - lo <= 8 * np.finfo(float).eps * scale:
            break
        mid = 0.5 * (lo + hi)
        if chol(mid) is None:
            lo = mid
        else:
            hi = mid
    margin = 8 * np.finfo(float).eps * scale
    L = chol(hi + margin)
    while L is None:
        margin *= 4
        L = chol(hi + margin)
    v = rng.standard_normal(d)
    for _ in range(4):
        v = np.linalg.solve(L.T, np.linalg.solve(L, v))
        v /= np.linalg.norm(v)
    return v


def basis_index_pairs(d: int) -> np.ndarray:
    """The (P, 2) index pairs (i, j), i <= j, of the canonical basis of :func:`symmetric_basis`,
    in its order: the upper triangle row by row, (0,0), (0,1), ..., (0,d−1), (1,1), ... -- the
    same order as ``numpy.triu_indices(d)`` and as half-vectorisation."""
    d = integer(d, "d", 1)
    return np.stack(np.triu_indices(d), axis=1)


def _unsvec_columns(Q: np.ndarray, d: int) -> np.ndarray:
    """Columns of Q (P × p) in half-vectorised coordinates with √2-scaled off-diagonals → (p, d, d)
    symmetric matrices.  The map is a Frobenius isometry."""
    i, j = np.triu_indices(d)
    scale = np.where(i == j, 1.0, 1.0 / np.sqrt(2.0))
    out = np.zeros((Q.shape[1], d, d))
    vals = (Q * scale[:, None]).T
    out[:, i, j] = vals
    out[:, j, i] = vals
    return out


def symmetric_basis(d: int, p: int | None = None, *, rng=None, kind: str | None = None):
    r"""A (p, d, d) stack of symmetric, Frobenius-orthonormal matrices spanning a p-dimensional
    subspace of Sym(d) (dimension P = d(d+1)/2).

    ``kind``:

    * ``"canonical"`` (default when ``rng`` is None): the first p matrices of the canonical basis
      :math:`E_{ii}` (i = j) and :math:`(E_{ij} + E_{ji})/\sqrt 2` (i < j), ordered as
      :func:`basis_index_pairs` (upper triangle row by row).  Its coordinates are the matrix
      entries (off-diagonals scaled by √2), the "basis directions" that masks select (E3/E4).
    * ``"subspace"`` (default when ``rng`` is given): a Haar-random p-dimensional subspace --
      QR of a P × p standard Gaussian in half-vectorised coordinates (√2-scaled off-diagonals),
      signs fixed by diag(R) > 0, mapped back to matrices (spec E1).
    * ``"subset"``: p distinct canonical matrices chosen uniformly at random (kept in canonical
      order).

    Args:
        d: dimension >= 1.  p: in [1, P]; None means P.
        rng: anything ``numpy.random.default_rng`` accepts; required by the random kinds and
            rejected by ``"canonical"``.
    """
    d = integer(d, "d", 1)
    P = d * (d + 1) // 2
    p = P if p is None else integer(p, "p", 1, P)
    if kind is None:
        kind = "canonical" if rng is None else "subspace"
    if kind not in ("canonical", "subspace", "subset"):
        raise ValueError(f"kind must be 'canonical', 'subspace' or 'subset', got {kind!r}")
    if kind == "canonical":
        if rng is not None:
            raise ValueError("kind='canonical' is deterministic; pass rng=None")
        return _unsvec_columns(np.eye(P)[:, :p], d)
    if rng is None:
        raise ValueError(f"kind={kind!r} needs an rng")
    rng = np.random.default_rng(rng)
    if kind == "subset":
        cols = np.sort(rng.choice(P, size=p, replace=False))
        return _unsvec_columns(np.eye(P)[:, cols], d)
    Q, R = np.linalg.qr(rng.standard_normal((P, p)))
    Q = Q * np.where(np.diag(R) < 0, -1.0, 1.0)
    return _unsvec_columns(Q, d)


def design_matrix(X, basis) -> np.ndarray:
    r"""Φ (n × p) with :math:`\Phi_{ij} = x_i^\top B_j x_i = \langle B_j, x_i x_i^\top\rangle`, so
    that the interpolation constraints read Φc = y.  X rows must be unit vectors."""
    X = sphere_points(X)
    B = symmetric_basis_array(basis, X.shape[1])
    return _design(X, B)


@dataclass(frozen=True, eq=False)
class FrobeniusFit:
    """Result of :func:`min_frobenius_interpolator`.

    Attributes: ``A`` the fitted matrix, ``coef`` its coordinates c (A = Σ c_j B_j),
    ``lip`` = λmax(A) − λmin(A), ``residual`` = ‖Φc − y‖ / max(1, ‖y‖), ``interpolates`` whether
    the residual is <= :data:`FEASIBILITY_RTOL` (otherwise A is the min-norm least-squares fit).
    """
    A: np.ndarray
    coef: np.ndarray
    lip: float
    residual: float
    interpolates: bool


def min_frobenius_interpolator(X, y, basis) -> FrobeniusFit:
    r"""Minimum-Frobenius-norm interpolator in span(basis) (spec E1/E3 "least squares"):

    .. math:: c^\star = \Phi^{+} y, \qquad A = \textstyle\sum_j c^\star_j B_j,

    which minimises :math:`\|A\|_F = \|c\|_2` (orthonormal basis) subject to
    :math:`\langle A, x_i x_i^\top\rangle = y_i`.  When no interpolator exists (e.g. p < n) the
    result is the min-norm least-squares fit and ``interpolates`` is False.

    Args:
        X: (n, d) with unit-norm rows (not normalised silently; tolerance 1e-8).
        y: length-n finite labels.
        basis: (p, d, d) symmetric Frobenius-orthonormal stack, 1 <= p <= d(d+1)/2.
    """
    X, y, B = _validate_problem(X, y, basis)
    Phi = _design(X, B)
    aff = _affine(Phi, y)
    A = np.tensordot(aff.c0, B, axes=1)
    A = 0.5 * (A + A.T)
    return FrobeniusFit(A, aff.c0, quadratic_lipschitz(A), aff.residual, aff.feasible)


