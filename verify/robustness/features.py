r"""Random-feature models on the unit sphere (spec §4 "Random features", E1 contrast, E2b).

Model: :math:`f(x) = \sum_{j \le p} a_j\,\psi(w_j^\top x)` with frozen weights
:math:`W = (w_1, \dots, w_p)^\top` (rows i.i.d. :math:`N(0, I_d)`, :func:`random_feature_weights`)
and ReLU :math:`\psi(t) = \max(t, 0)`, optionally centred by its exact population mean under the
uniform measure on :math:`S^{d-1}`.

Lipschitz constant, chord metric on the sphere as in :mod:`.quadratic`.  Two bounds, always
returned together (spec §4: a sampled supremum is only a lower bound):

* upper :math:`\|W\|_{op}\|a\|_2` -- for any 1-Lipschitz ψ,
  :math:`|f(x) - f(x')| \le \|a\|_2\|\psi(Wx) - \psi(Wx')\|_2 \le \|a\|_2\|W\|_{op}\|x - x'\|`
  on all of :math:`\mathbb R^d`, hence on the sphere;
* lower: the largest ratio :math:`|f(x) - f(x')|/\|x - x'\|` over evaluated pairs -- sampled
  points, ascent on the tangential slope, pairs along the tangential gradient.

R1 (Bombari et al.): the min-norm random-feature interpolator is never robust -- its Lip
plateaus rather than following sqrt(nd/p); never present that curve as "the law" (spec E1).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import gammaln

from ._checks import integer, labels, real, sphere_points
from ._linalg import FEASIBILITY_RTOL

__all__ = ["random_feature_weights", "relu_sphere_mean", "feature_matrix",
           "min_norm_feature_interpolator", "FeatureFit", "feature_lipschitz_bounds",
           "FeatureLipschitz"]


def random_feature_weights(p: int, d: int, rng=None) -> np.ndarray:
    """Frozen first-layer weights W of shape (p, d), entries i.i.d. N(0, 1)."""
    p, d = integer(p, "p", 1), integer(d, "d", 1)
    return np.random.default_rng(rng).standard_normal((p, d))


def _weights(W, d: int | None = None) -> np.ndarray:
    W = np.asarray(W, dtype=float)
    if W.ndim != 2 or W.shape[0] < 1 or W.shape[1] < 1 or not np.all(np.isfinite(W)):
        raise ValueError(f"W must be a finite 2-D array of shape (p, d), got shape {W.shape}")
    if d is not None and W.shape[1] != d:
        raise ValueError(f"W must have {d} columns to match X, got {W.shape[1]}")
    return W


def relu_sphere_mean(W) -> np.ndarray:
    r""":math:`E_x[\max(w_j^\top x, 0)]` for x uniform on :math:`S^{d-1}`, exactly:
    :math:`\|w_j\|\,\Gamma(d/2) / (2\sqrt\pi\,\Gamma((d+1)/2))` (half of
    :math:`\|w\|E|x_1|`; derived here from the density of :math:`x_1`)."""
    W = _weights(W)
    d = W.shape[1]
    m1 = np.exp(gammaln(d / 2) - gammaln((d + 1) / 2)) / np.sqrt(np.pi)
    return 0.5 * m1 * np.linalg.norm(W, axis=1)


def feature_matrix(X, W, *, centred: bool = False) -> np.ndarray:
    """Φ (n × p) with Φ_ij = ψ(w_jᵀx_i), ψ = ReLU, minus :func:`relu_sphere_mean` when
    ``centred`` (centring shifts f by a constant and leaves its Lipschitz constant unchanged)."""
    X = sphere_points(X)
    W = _weights(W, X.shape[1])
    Phi = np.maximum(X @ W.T, 0.0)
    return Phi - relu_sphere_mean(W) if centred else Phi


@dataclass(frozen=True, eq=False)
class FeatureFit:
    """``a`` output weights, ``residual`` ‖Φa − y‖/max(1, ‖y‖), ``interpolates``."""
    a: np.ndarray
    residual: float
    interpolates: bool


def min_norm_feature_interpolator(X, y, W, *, centred: bool = False) -> FeatureFit:
    r"""Minimum-norm output weights :math:`a = \Phi^+ y` (the least-squares solution of least
    norm; an interpolator when Φ has rank n, which holds generically for p >= n)."""
    X = sphere_points(X)
    y = labels(y, X.shape[0])
    Phi = feature_matrix(X, W, centred=centred)
    a = np.linalg.lstsq(Phi, y, rcond=None)[0]
    res = float(np.linalg.norm(Phi @ a - y)) / max(1.0, float(np.linalg.norm(y)))
    return FeatureFit(a, res, res <= FEASIBILITY_RTOL)


@dataclass(frozen=True, eq=False)
class FeatureLipschitz:
    """``lower`` <= Lip(f) <= ``upper`` on the sphere (chord metric); ``pair`` = the (2, d) pair
    of sphere points attaining ``lower``."""
    lower: float
    upper: float
    pair: np.ndarray


def _f(x, W, a):
    return np.maximum(x @ W.T, 0.0) @ a


def _slopes(x, W, a):
    """Tangential gradient (I − xxᵀ)Wᵀ(a ⊙ 1[Wx > 0]) row-wise (a subgradient at kinks)."""
    v = ((x @ W.T) > 0) * a @ W
    return v - np.einsum("ij,ij->i", v, x)[:, None] * x, v


def _ratios(x, xp, W, a):
    num = np.abs((np.maximum(x @ W.T, 0.0) - np.maximum(xp @ W.T, 0.0)) @ a)
    den = np.linalg.norm(x - xp, axis=1)
    return np.divide(num, den, out=np.zeros_like(num), where=den > 0)


def feature_lipschitz_bounds(W, a, rng=None, *, samples: int = 10_000, ascent_steps: int = 100,
                             starts: int = 16, pair_step: float = 1e-6, batch: int = 2048
                             ) -> FeatureLipschitz:
    r"""Both bounds on Lip(f) over :math:`S^{d-1}` for
    :math:`f = \sum_j a_j\,\mathrm{relu}(w_j^\top x)` (centring does not change Lip).

    upper = :math:`\|W\|_{op}\|a\|_2` (module docstring).  lower = max over evaluated pairs:

    1. ``samples`` uniform points; at each, the pair :math:`x_\pm = \cos s\,x \pm \sin s\,u` with u
       the unit tangential gradient (s = ``pair_step``) -- inside one linear piece its ratio
       equals the tangential slope;
    2. the ``starts`` points of largest tangential slope run ``ascent_steps`` of ascent on the
       squared slope :math:`h = \|v\|^2 - (v^\top x)^2`, :math:`v = W^\top(a \odot 1[Wx > 0])`
       (projected gradient :math:`-2(v^\top x)(I - xx^\top)v`, retraction by normalisation,
       accepting only increases of the true h), then their pairs are evaluated too.

    Every candidate is a true ratio of function values, so ``lower`` is a lower bound up to
    rounding (~1e-9 relative at the default s).
    """
    W = _weights(W)
    a = np.asarray(a, dtype=float)
    if a.shape != (W.shape[0],) or not np.all(np.isfinite(a)):
        raise ValueError(f"a must be a finite vector of length p = {W.shape[0]}, got {a.shape}")
    samples = integer(samples, "samples", 1)
    ascent_steps = integer(ascent_steps, "ascent_steps", 0)
    starts = integer(starts, "starts", 1)
    batch = integer(batch, "batch", 1)
    s = real(pair_step, "pair_step", low=0.0, high=0.1, low_open=True)
    rng = np.random.default_rng(rng)
    d = W.shape[1]
    upper = float(np.linalg.norm(W, 2) * np.linalg.norm(a))
    if d == 1:                     # S^0 = {−1, +1}: one pair, chord 2
        x = np.array([[1.0], [-1.0]])
        return FeatureLipschitz(float(_ratios(x[:1], x[1:], W, a)[0]), upper, x)

    def pairs(x):
        T, _ = _slopes(x, W, a)
        nrm = np.linalg.norm(T, axis=1, keepdims=True)
        u = np.divide(T, nrm, out=np.zeros_like(T), where=nrm > 0)
        xp, xm = np.cos(s) * x + np.sin(s) * u, np.cos(s) * x - np.sin(s) * u
        return _ratios(xp, xm, W, a), xp, xm, np.einsum("ij,ij->i", T, T)

    best, best_pair = -1.0, None
    pool_x, pool_h = [], []
    for lo in range(0, samples, batch):
        g = rng.standard_normal((min(batch, samples - lo), d))
        x = g / np.linalg.norm(g, axis=1, keepdims=True)
        r, xp, xm, h = pairs(x)
        i = int(np.argmax(r))
        if r[i] > best:
            best, best_pair = float(r[i]), np.stack([xp[i], xm[i]])
        keep = np.argsort(-h, kind="stable")[:starts]
        pool_x.append(x[keep])
        pool_h.append(h[keep])
    px, ph = np.concatenate(pool_x), np.concatenate(pool_h)
    x = px[np.argsort(-ph, kind="stable")[:starts]].copy()
    T, v = _slopes(x, W, a)
    h = np.einsum("ij,ij->i", T, T)
    eta = 0.5 / np.maximum(np.einsum("ij,ij->i", v, v), 1e-300)
    for _ in range(ascent_steps):
        g = -2.0 * np.einsum("ij,ij->i", v, x)[:, None] * T
        cand = x + eta[:, None] * g
        cand /= np.linalg.norm(cand, axis=1, keepdims=True)
        Tc, vc = _slopes(cand, W, a)
        hc = np.einsum("ij,ij->i", Tc, Tc)
        up = hc > h
        x[up], T[up], v[up], h[up] = cand[up], Tc[up], vc[up], hc[up]
        eta = np.where(up, 1.5 * eta, 0.5 * eta)
    r, xp, xm, _ = pairs(x)
    i = int(np.argmax(r))
    if r[i] > best:
        best, best_pair = float(r[i]), np.stack([xp[i], xm[i]])
    return FeatureLipschitz(max(best, 0.0), upper, best_pair)
