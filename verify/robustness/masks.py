r"""Mask constructions of spec E2–E4 for the quadratic model, over the P = d(d+1)/2 canonical
basis directions of :func:`.quadratic.symmetric_basis` (coordinate j ↔ matrix entry
:func:`.quadratic.basis_index_pairs` [j]).  Every function returns a boolean mask of length P
with exactly k ones (ties broken towards the lower index -- never by a ``score >= threshold``
rule, which keeps more than k on ties; style.md §4.4), except where stated.

Inputs: the design ``Phi`` (n × P) = :func:`.quadratic.design_matrix` (X, basis), labels ``y``,
and where needed an initialisation ``a0`` (:func:`draw_init`, N(0, I/P), independent of the data)
or the ``basis``.  Every stochastic function takes one ``rng`` (``numpy.random.default_rng``).

Information content (spec §2.4, §4, derived here): random, magnitude-at-init and data-free
masks are independent of D (I = 0); best-of-M has I <= log M; every k-sparse mask has
I <= log C(P, k) (magnitude after training, IMP-lite, SNIP at init, top-k supermask); a
layerwise-shuffled mask depends on D only through its group counts (I <= Σ log(P_ℓ + 1)).
Caveat (E4): in this linear-in-parameters model one gradient at init carries most of the label
information, so SNIP is informative and shuffle-sensitive here -- not Frankle's deep-net finding.
"""
from __future__ import annotations

import numpy as np

from ._checks import boolean_mask, integer, labels, real, symmetric_basis_array
from ._linalg import _lip, blas_single_thread

__all__ = ["top_k_mask", "inverted_mask", "draw_init", "masked_fit", "mask_lipschitz",
           "random_mask", "magnitude_at_init_mask", "data_free_scores", "data_free_mask",
           "best_of_m_mask", "supermask_scores", "topk_supermask", "magnitude_scores",
           "magnitude_after_training_mask", "imp_lite_mask", "snip_scores", "snip_mask",
           "basis_groups", "shuffled_mask", "reinitialise"]


def _design(Phi, y=None):
    Phi = np.asarray(Phi, dtype=float)
    if Phi.ndim != 2 or Phi.shape[0] < 1 or Phi.shape[1] < 1 or not np.all(np.isfinite(Phi)):
        raise ValueError(f"Phi must be a finite 2-D (n, P) array, got shape {Phi.shape}")
    return Phi if y is None else (Phi, labels(y, Phi.shape[0]))


def _init(a0, P: int) -> np.ndarray:
    a0 = np.asarray(a0, dtype=float)
    if a0.shape != (P,) or not np.all(np.isfinite(a0)):
        raise ValueError(f"a0 must be a finite vector of length P = {P}, got shape {a0.shape}")
    return a0


def top_k_mask(scores, k: int) -> np.ndarray:
    """Exactly k True at the k largest scores; ties go to the lower index (stable sort)."""
    s = np.asarray(scores, dtype=float)
    if s.ndim != 1 or s.size == 0 or np.any(np.isnan(s)):
        raise ValueError("scores must be a non-empty 1-D array without NaN")
    k = integer(k, "k", 0, s.size)
    mask = np.zeros(s.size, bool)
    mask[np.argsort(-s, kind="stable")[:k]] = True
    return mask


def inverted_mask(scores, k: int) -> np.ndarray:
    """Score inversion (Frankle et al. ablation): keep the k *lowest* scores (ties → lower
    index)."""
    s = np.asarray(scores, dtype=float)
    if s.ndim != 1 or s.size == 0 or np.any(np.isnan(s)):
        raise ValueError("scores must be a non-empty 1-D array without NaN")
    k = integer(k, "k", 0, s.size)
    mask = np.zeros(s.size, bool)
    mask[np.argsort(s, kind="stable")[:k]] = True
    return mask


def draw_init(P: int, rng=None) -> np.ndarray:
    """An initialisation a0 ~ N(0, I/P) (spec E3), independent of the data."""
    P = integer(P, "P", 1)
    return np.random.default_rng(rng).standard_normal(P) / np.sqrt(P)


def masked_fit(Phi, y, mask, a0=None) -> np.ndarray:
    r"""Coefficients a (length P, zero off the mask) minimising :math:`\|a - a_0\|_2` subject to
    :math:`\Phi a = y` and supp(a) ⊆ mask (least squares when not solvable):
    :math:`a_m = a_{0,m} + \Phi_m^+(y - \Phi_m a_{0,m})`.  With ``a0=None`` this is the
    min-norm (min-Frobenius) fit on the mask, which does not depend on any initialisation."""
    Phi, y = _design(Phi, y)
    P = Phi.shape[1]
    mask = boolean_mask(mask, P)
    base = np.zeros(P) if a0 is None else _init(a0, P) * mask
    a = base.copy()
    if mask.any():
        Pm = Phi[:, mask]
        a[mask] = base[mask] + np.linalg.lstsq(Pm, y - Pm @ base[mask], rcond=None)[0]
    return a


def mask_lipschitz(a, basis) -> float:
    """Exact Lip = λmax − λmin of Σ_j a_j B_j (the quadratic model's Lipschitz constant)."""
    B = symmetric_basis_array(basis)
    a = np.asarray(a, dtype=float)
    if a.shape != (B.shape[0],):
        raise ValueError(f"a must have length {B.shape[0]}, got {a.shape}")
    return _mask_lip(a, B)


def _mask_lip(a: np.ndarray, B: np.ndarray) -> float:
    nz = np.flatnonzero(a)
    return _lip(np.tensordot(a[nz], B[nz], axes=1)) if nz.size else 0.0


def _min_norm_on(Phi: np.ndarray, y: np.ndarray, mask: np.ndarray) -> np.ndarray:
    a = np.zeros(Phi.shape[1])
    a[mask] = np.linalg.lstsq(Phi[:, mask], y, rcond=None)[0]
    return a


def random_mask(P: int, k: int, rng=None) -> np.ndarray:
    """Uniformly random k-subset of the P coordinates (I(m; D) = 0)."""
    P = integer(P, "P", 1)
    k = integer(k, "k", 0, P)
    mask = np.zeros(P, bool)
    mask[np.random.default_rng(rng).choice(P, size=k, replace=False)] = True
    return mask


def magnitude_at_init_mask(a0, k: int) -> np.ndarray:
    """Top-k |a0| (magnitude at init; I = 0 when a0 is independent of D).  With i.i.d. a0 this
    is distributed exactly as :func:`random_mask`."""
    a0 = np.asarray(a0, dtype=float)
    return top_k_mask(np.abs(_init(a0, a0.size)), k)


def data_free_scores(basis, a0) -> np.ndarray:
    r"""SynFlow-like data-free scores :math:`|a_{0,j}|\sqrt{E_\mu[\phi_j(x)^2]}` with
    :math:`\phi_j(x) = x^\top B_j x` and μ uniform on the sphere, exactly:
    :math:`E[(x^\top Bx)^2] = (\mathrm{tr}(B)^2 + 2\|B\|_F^2)/(d(d+2))` (fourth moments of the
    sphere, derived here).  Uses the population, not the sample: I(m; D) = 0."""
    B = symmetric_basis_array(basis)
    d = B.shape[1]
    a0 = _init(a0, B.shape[0])
    tr = np.trace(B, axis1=1, axis2=2)
    second = (tr ** 2 + 2.0 * np.sum(B * B, axis=(1, 2))) / (d * (d + 2.0))
    return np.abs(a0) * np.sqrt(second)


def data_free_mask(basis, a0, k: int) -> np.ndarray:
    """Top-k :func:`data_free_scores` (I = 0)."""
    return top_k_mask(data_free_scores(basis, a0), k)


def best_of_m_mask(Phi, y, basis, k: int, M: int, rng=None) -> np.ndarray:
    """Best of M data-free random k-masks: the candidate whose min-norm fit on the mask has the
    smallest exact Lipschitz constant (first candidate wins ties).  The candidates do not see D;
    the selection reveals at most the index, so I(m; D) <= log M (spec §4, E3)."""
    Phi, y = _design(Phi, y)
    B = symmetric_basis_array(basis)
    P = Phi.shape[1]
    if B.shape[0] != P:
        raise ValueError(f"basis must hold P = {P} matrices to match Phi, got {B.shape[0]}")
    k = integer(k, "k", 1, P)
    M = integer(M, "M", 1)
    rng = np.random.default_rng(rng)
    best, best_lip = None, np.inf
    with blas_single_thread():
        for _ in range(M):
            cand = random_mask(P, k, rng)
            lip = _mask_lip(_min_norm_on(Phi, y, cand), B)
            if lip < best_lip:
                best, best_lip = cand, lip
    return best


def supermask_scores(Phi, y, a0) -> np.ndarray:
    """(1/n) Σ_i y_i a0_j Φ_ij: correlation of each frozen weighted feature with the labels
    (spec E2b); data dependent."""
    Phi, y = _design(Phi, y)
    return _init(a0, Phi.shape[1]) * (Phi.T @ y) / Phi.shape[0]


def topk_supermask(Phi, y, a0, k: int) -> np.ndarray:
    """Top-k supermask on frozen weights a0, fit to (noise) labels: top-k
    :func:`supermask_scores`.  Only I(m; D | a0) counts (spec §2.4), <= log C(P, k)."""
    return top_k_mask(supermask_scores(Phi, y, a0), k)


def magnitude_scores(Phi, y) -> np.ndarray:
    """|a_dense| for the dense min-norm fit a_dense = Φ⁺y ("after training")."""
    Phi, y = _design(Phi, y)
    return np.abs(np.linalg.lstsq(Phi, y, rcond=None)[0])


def magnitude_after_training_mask(Phi, y, k: int) -> np.ndarray:
    """Magnitude after training: dense min-norm fit, keep the top-k |a| (refit with
    :func:`masked_fit`).  Deterministic given D; I <= log C(P, k)."""
    return top_k_mask(magnitude_scores(Phi, y), k)


def imp_lite_mask(Phi, y, k: int, rate: float = 0.2) -> np.ndarray:
    """IMP-lite: starting from the dense mask, repeatedly fit the min-norm interpolator on the
    current mask and prune the fraction ``rate`` (rounded down, at least one) of its smallest
    |a| among the kept coordinates, never going below k; stop at exactly k."""
    Phi, y = _design(Phi, y)
    P = Phi.shape[1]
    k = integer(k, "k", 0, P)
    rate = real(rate, "rate", low=0.0, high=1.0, low_open=True, high_open=True)
    mask = np.ones(P, bool)
    while mask.sum() > k:
        kept = int(mask.sum())
        target = max(k, kept - max(1, int(np.floor(rate * kept))))
        a = _min_norm_on(Phi, y, mask)
        mask = top_k_mask(np.where(mask, np.abs(a), -np.inf), target)
    return mask


def snip_scores(Phi, y, a0) -> np.ndarray:
    r"""SNIP at init: :math:`|a_0 \odot \Phi^\top(\Phi a_0 - y)|`, the connection sensitivity of
    the loss ½‖Φa − y‖² at a0 (one gradient; data dependent)."""
    Phi, y = _design(Phi, y)
    a0 = _init(a0, Phi.shape[1])
    return np.abs(a0 * (Phi.T @ (Phi @ a0 - y)))


def snip_mask(Phi, y, a0, k: int) -> np.ndarray:
    """Top-k :func:`snip_scores`.  I(m; D) <= log C(P, k); not small a priori (spec §2.4)."""
    return top_k_mask(snip_scores(Phi, y, a0), k)


def basis_groups(d: int, kind: str = "diagonal", block: int = 1) -> np.ndarray:
    """Integer group labels ("layers") of the P canonical coordinates (spec E4):
    ``"diagonal"`` → 0 for diagonal entries (i = j), 1 for off-diagonal;
    ``"rows"`` → ⌊i / block⌋ for the entry (i, j), i <= j (row blocks of the upper triangle)."""
    d = integer(d, "d", 1)
    block = integer(block, "block", 1)
    i, j = np.triu_indices(d)
    if kind == "diagonal":
        return (i != j).astype(int)
    if kind == "rows":
        return i // block
    raise ValueError(f"kind must be 'diagonal' or 'rows', got {kind!r}")


def shuffled_mask(mask, groups, rng=None) -> np.ndarray:
    """Layerwise shuffling (Frankle et al.): within each group, the same number of kept
    coordinates at uniformly random positions.  The result depends on the input mask only
    through its per-group counts (I <= Σ_ℓ log(P_ℓ + 1))."""
    groups = np.asarray(groups)
    if groups.ndim != 1:
        raise ValueError(f"groups must be a 1-D array of labels, got shape {groups.shape}")
    mask = boolean_mask(mask, groups.size)
    rng = np.random.default_rng(rng)
    out = np.zeros_like(mask)
    for g in np.unique(groups):
        idx = np.flatnonzero(groups == g)
        out[rng.choice(idx, size=int(mask[idx].sum()), replace=False)] = True
    return out


def reinitialise(mask, a0, rng=None) -> np.ndarray:
    """Reinitialisation ablation: a new init equal to a0 off the mask and freshly drawn
    N(0, 1/P) on the mask; the **mask itself is unchanged** (returned init only).  Meaningful
    only for fits relative to the init (:func:`masked_fit` with ``a0``); a min-norm fit on the
    mask does not depend on the init, so reinit cannot change it (spec E4)."""
    a0 = np.asarray(a0, dtype=float)
    P = a0.size
    a0 = _init(a0, P)
    mask = boolean_mask(mask, P)
    new = a0.copy()
    new[mask] = np.random.default_rng(rng).standard_normal(int(mask.sum())) / np.sqrt(P)
    return new
