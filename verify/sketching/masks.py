"""Scores and masks for pruning a linear model (``spec/sketching.md`` §4, §8): magnitude,
sketch-optimal, data-free and random scores, biased surrogates, top-k and sampled binary masks
(Gumbel-top-k, DKM-binary), the rescaled DKM sketch, and the two protocols (init mask applied to
w*, lottery ticket).  Every stochastic function takes one ``rng``."""
from __future__ import annotations

import numpy as np

from .linear import (
    _finite_real,
    _positive_int,
    check_features,
    check_vector,
    train_closed_form,
    train_gd,
)

SCORE_KINDS = ("random", "magnitude", "sketch-optimal", "data-free")


def check_scores(scores) -> np.ndarray:
    """Non-negative finite scores with at least one positive entry."""
    s = np.asarray(scores, dtype=float)
    if s.ndim != 1 or s.size < 1:
        raise ValueError(f"scores must be a non-empty vector, got shape {s.shape}")
    if not np.all(np.isfinite(s)) or np.any(s < 0):
        raise ValueError("scores must be finite and >= 0, i.e. in [0, inf)")
    return s


def check_k(k, d: int) -> int:
    """The number of kept coordinates: an integer in [1, d]."""
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or not 1 <= k <= d:
        raise ValueError(f"k must be an integer in [1, d] = [1, {d}], got {k!r}")
    return int(k)


def keep_count(d: int, sparsity: float) -> int:
    """k = ceil((1 − sparsity)·d) kept coordinates for a ``sparsity`` (fraction removed) in [0, 1).

    Always at least one coordinate survives."""
    d = _positive_int(d, "d")
    s = _finite_real(sparsity, "sparsity", 0.0, 1.0, high_open=True)
    return max(1, int(np.ceil((1.0 - s) * d - 1e-9)))


def feature_norms(X) -> np.ndarray:
    """‖X^{(i)}‖, the Euclidean norm of every feature column."""
    return np.linalg.norm(check_features(X), axis=0)


def score(kind: str, w, X=None, *, rng=None) -> np.ndarray:
    """Pruning scores S_i ≥ 0 of the weights ``w``.

    * ``random``: S_i ~ U(0, 1) (data- and weight-free);
    * ``magnitude``: |w_i| (data-free; sketch-optimal when the features are standardised);
    * ``sketch-optimal``: |w_i|·‖X^{(i)}‖ (DKM p* for A = X, B = w; spec §4) -- needs X;
    * ``data-free``: |w_i|·‖Z^{(i)}‖ with Z ~ N(0, 1)^{n×d} drawn fresh (a data-free surrogate of
      the feature norms with the right sampling noise; spec §9.4 item 4) -- uses only X's shape.
    """
    if kind not in SCORE_KINDS:
        raise ValueError(f"kind must be one of {SCORE_KINDS}, got {kind!r}")
    w = np.asarray(w, dtype=float)
    if w.ndim != 1 or not np.all(np.isfinite(w)):
        raise ValueError("w must be a finite vector")
    rng = np.random.default_rng(rng)
    if kind == "random":
        return rng.uniform(0.0, 1.0, size=w.size)
    if kind == "magnitude":
        return np.abs(w)
    if X is None:
        raise ValueError(f"score {kind!r} needs X (its shape for 'data-free')")
    X = check_features(X)
    if X.shape[1] != w.size:
        raise ValueError(f"X must have d = {w.size} columns, got {X.shape[1]}")
    if kind == "sketch-optimal":
        return np.abs(w) * feature_norms(X)
    Z = rng.standard_normal(X.shape)
    return np.abs(w) * np.linalg.norm(Z, axis=0)


def biased_surrogate_score(w, X, sigma: float, xi) -> np.ndarray:
    """The biased surrogate of spec §9.5 (C5): S_i = |w_i|·‖X^{(i)}‖·exp(σ ξ_i).

    It models a data-free surrogate of the feature norms whose logarithm is off by σ ξ_i
    (ξ ~ N(0, 1) drawn once per instance and passed in, so one ξ serves every σ and every mask
    of that instance); σ = 0 is the exact sketch-optimal score |w_i|‖X^{(i)}‖ (DKM p*, spec §4).
    Source: spec §9.5 [derived]; the seed paper's surrogate is not known."""
    w = np.asarray(w, dtype=float)
    if w.ndim != 1 or not np.all(np.isfinite(w)):
        raise ValueError("w must be a finite vector")
    X = check_features(X)
    if X.shape[1] != w.size:
        raise ValueError(f"X must have d = {w.size} columns, got {X.shape[1]}")
    sigma = _finite_real(sigma, "sigma", 0.0, np.inf, high_open=True)
    xi = check_vector(xi, w.size, "xi")
    return np.abs(w) * feature_norms(X) * np.exp(sigma * xi)


def probabilities(scores) -> np.ndarray:
    """p_i = S_i / Σ_j S_j (ValueError if all scores vanish)."""
    s = check_scores(scores)
    total = s.sum()
    if total <= 0:
        raise ValueError("scores must have a positive entry to define probabilities")
    return s / total


def topk_mask(scores, k: int) -> np.ndarray:
    """Binary mask keeping exactly the k largest scores (ties broken by the lower index: a stable
    sort, never a ``score >= threshold`` rule that can keep more than k)."""
    s = check_scores(scores)
    k = check_k(k, s.size)
    keep = np.argsort(-s, kind="stable")[:k]
    mask = np.zeros(s.size, dtype=bool)
    mask[keep] = True
    return mask


def sampled_mask(scores, k: int, rng=None) -> np.ndarray:
    """Binary mask of k *distinct indices* drawn sequentially without replacement with
    probability ∝ score (Gumbel-top-k: keep the k largest log S_i + G_i, G_i i.i.d. Gumbel).

    Indices are sampled, never values, so tied scores are exchangeable.  Zero-score indices are
    drawn (uniformly at random) only when fewer than k scores are positive."""
    s = check_scores(scores)
    k = check_k(k, s.size)
    rng = np.random.default_rng(rng)
    with np.errstate(divide="ignore"):
        keys = np.log(s) + rng.gumbel(size=s.size)
    tiebreak = rng.uniform(size=s.size)
    order = np.lexsort((tiebreak, -keys))  # primary: key descending; -inf keys last, random order
    mask = np.zeros(s.size, dtype=bool)
    mask[order[:k]] = True
    return mask


def dkm_binary_mask(scores, k: int, rng=None, max_draws: int = 1 << 24) -> np.ndarray:
    """Binary DKM mask (spec §8 step 3(a)): draw indices i.i.d. ∝ score *with replacement*
    (:func:`verify.sketch.sample_indices`) until k distinct indices are kept; no
    rescaling.

    In distribution this equals :func:`sampled_mask` [derived]: given the draws so far, the next
    *new* index is distributed ∝ score on the unseen indices, which is sequential sampling
    without replacement.  It is a second, independent implementation (used as a cross-check).
    Zero-score indices are never drawn; if fewer than k scores are positive the rest is filled
    uniformly at random from the zero-score indices (as in :func:`sampled_mask`).  ValueError if
    ``max_draws`` draws do not reach k distinct indices."""
    from ..amm.sketch import sample_indices  # the DKM index sampler

    s = check_scores(scores)
    k = check_k(k, s.size)
    rng = np.random.default_rng(rng)
    max_draws = _positive_int(max_draws, "max_draws")
    positive = s > 0
    target = min(k, int(positive.sum()))
    mask = np.zeros(s.size, dtype=bool)
    kept, drawn, batch = 0, 0, max(2 * target, 16)
    p = s / s.sum()
    while kept < target:
        if drawn >= max_draws:
            raise ValueError(f"dkm_binary_mask: {max_draws} draws kept only {kept} < k = {k} "
                             f"distinct indices; max_draws must be larger for these scores")
        idx = np.asarray(sample_indices(p, batch, 1, rng)[0])
        drawn += batch
        _, first = np.unique(idx, return_index=True)
        new = idx[np.sort(first)]                     # first appearances, in draw order
        new = new[~mask[new]][:target - kept]
        mask[new] = True
        kept += new.size
        batch = min(2 * batch, 1 << 20)
    if kept < k:                                      # fewer positive scores than k
        zeros = np.flatnonzero(~positive)
        mask[rng.permutation(zeros)[:k - kept]] = True
    return mask


def sketch_diagonal(p, c: int, rng=None) -> np.ndarray:
    """The DKM sketch of Xw as a diagonal: draw c indices i.i.d. from p (with replacement) and set
    d_i = #{t : i_t = i}/(c p_i), so that XDw = CR (spec §2, §3.1).  Sampling is delegated to
    :func:`verify.sketch.sample_indices` (one implementation of DKM sampling in the project;
    indices are sampled, never probability values)."""
    from ..amm.sketch import sample_indices  # the DKM index sampler

    p = np.asarray(p, dtype=float)
    c = _positive_int(c, "c")
    idx = np.asarray(sample_indices(p, c, 1, rng)[0])
    counts = np.bincount(idx, minlength=p.size).astype(float)
    diag = np.zeros(p.size)
    np.divide(counts, c * p, out=diag, where=counts > 0)
    return diag


def expected_support(p, c: int) -> float:
    """E nnz(D) = Σ_i [1 − (1 − p_i)^c] ≤ c, the expected number of distinct kept indices."""
    p = np.asarray(p, dtype=float)
    return float(np.sum(-np.expm1(c * np.log1p(-np.minimum(p, 1.0 - 1e-300)))))


def prediction_error(X, w, w_pruned) -> float:
    """‖Xw − Xw_pruned‖², the squared prediction error of the pruned model against w."""
    return float(np.sum((np.asarray(X) @ (np.asarray(w) - np.asarray(w_pruned))) ** 2))


def relative_error(X, w_reference, w_pruned) -> float:
    """‖X(w_ref − w_pruned)‖² / ‖X w_ref‖² (inf if the reference predicts 0 and w_pruned does not)."""
    num = prediction_error(X, w_reference, w_pruned)
    den = float(np.sum((np.asarray(X) @ np.asarray(w_reference)) ** 2))
    if den == 0:
        return 0.0 if num == 0 else float("inf")
    return num / den


def prune_after_training(w_star, mask) -> np.ndarray:
    """Protocol (i): the init mask applied to the end-of-training weights, m⊙w*."""
    return np.where(np.asarray(mask, bool), w_star, 0.0)


def lottery_ticket(X, y, w0, mask, steps: int | None = None, step_size: float | None = None):
    """Protocol (ii): prune at init and train the sparse model from its masked init m⊙w₀
    (closed-form limit when ``steps`` is None, else ``steps`` of GD)."""
    if steps is None:
        return train_closed_form(X, y, w0, mask=mask)
    return train_gd(X, y, w0, steps, step_size=step_size, mask=mask)
