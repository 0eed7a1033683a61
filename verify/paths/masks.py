"""Masks: exact-count top-k pruning, iterative pruning, shuffling and collapse diagnostics.

A mask is a list of bool arrays shaped like ``weights`` (True = kept). Design rules (spec paths
3.7 and 5.2):

* exactly :func:`kept_count` entries are kept -- ties are broken by a random permutation drawn
  from ``rng``, never by a ``score <= threshold`` rule, which over-prunes on ties;
* iteration never revives a pruned weight (pruned weights score ``-inf`` in :func:`prune_round`);
* the mask function and the round function are parameters, so a buggy one can be injected and
  caught (see :mod:`.conformance`).

Every stochastic function takes one ``rng``, normalised once with ``np.random.default_rng``.
"""
from __future__ import annotations

import math

import numpy as np

from .network import apply_masks, validate_weights
from .scores import make_score_fn

SCOPES = ("global", "layer")
SCHEDULES = ("exponential", "linear")


# -------------------------------------------------------------------------------- validation

def _check_density(density, name: str = "density") -> float:
    if isinstance(density, bool) or not isinstance(density, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name} must be a real number in (0, 1], got {type(density).__name__}")
    if not (0.0 < float(density) <= 1.0):
        raise ValueError(f"{name} must be in (0, 1], got {density!r}")
    return float(density)


def _check_scope(scope: str) -> str:
    if scope not in SCOPES:
        raise ValueError(f"scope must be one of {', '.join(SCOPES)}, got {scope!r}")
    return scope


def _as_arrays(arrays, name: str, dtype) -> list[np.ndarray]:
    if isinstance(arrays, np.ndarray) or not isinstance(arrays, (list, tuple)) or not arrays:
        raise TypeError(f"{name} must be a non-empty list of arrays (one per layer)")
    if dtype is bool:
        for l, a in enumerate(arrays):
            raw = np.asarray(a)
            if raw.dtype.kind not in "biuf":
                raise TypeError(f"{name}[{l}] must be a boolean or 0/1 array, got dtype "
                                f"{raw.dtype}")
            if raw.dtype.kind != "b" and not np.isin(raw, (0, 1)).all():
                raise ValueError(f"{name}[{l}] must contain only 0/1 (or booleans)")
    out = [np.asarray(a, dtype=dtype) for a in arrays]
    if dtype is np.float64 and any(np.isnan(a).any() for a in out):
        raise ValueError(f"{name} contains NaN")
    return out


def kept_count(density: float, n: int) -> int:
    """Entries kept out of ``n`` at ``density``: :math:`\\lfloor \\text{density}\\cdot n + 1/2
    \\rfloor` (round half up; may be 0 for density < 1/(2n))."""
    return int(math.floor(_check_density(density) * int(n) + 0.5))


# --------------------------------------------------------------------------------- masking

def _top_k(values: np.ndarray, k: int, rng: np.random.Generator) -> np.ndarray:
    """Bool vector keeping the k largest values; ties broken by a random permutation."""
    perm = rng.permutation(values.size)
    order = perm[np.argsort(-values[perm], kind="stable")]
    keep = np.zeros(values.size, dtype=bool)
    keep[order[:k]] = True
    return keep


def prune_mask(scores, density, rng=None, scope: str = "global") -> list[np.ndarray]:
    """Keep exactly ``kept_count(density, N)`` of the N weights with the largest scores
    (``scope="global"``), or ``kept_count(density, N_l)`` in every layer (``scope="layer"``).

    Ties (including zeros and ``-inf``) are broken uniformly at random by ``rng``; the result is
    deterministic given ``rng``. ``NaN`` scores raise ``ValueError``."""
    s = _as_arrays(scores, "scores", np.float64)
    _check_density(density)
    rng = np.random.default_rng(rng)
    if _check_scope(scope) == "layer":
        return [_top_k(a.ravel(), kept_count(density, a.size), rng).reshape(a.shape) for a in s]
    flat = np.concatenate([a.ravel() for a in s])
    keep = _top_k(flat, kept_count(density, flat.size), rng)
    out, start = [], 0
    for a in s:
        out.append(keep[start:start + a.size].reshape(a.shape))
        start += a.size
    return out


def prune_round(scores, mask, density, rng=None, scope: str = "global",
                mask_fn=prune_mask) -> list[np.ndarray]:
    """One round of iterative pruning: pruned weights score ``-inf``, then
    ``mask_fn(scores, density, rng, scope=scope)``. ``ValueError`` if ``density`` asks for more
    weights than are alive (a pruned weight would have to come back)."""
    s = _as_arrays(scores, "scores", np.float64)
    m = _as_arrays(mask, "mask", bool)
    if [a.shape for a in s] != [a.shape for a in m]:
        raise ValueError("scores and mask must have the same shapes")
    groups = [(a.size, int(b.sum())) for a, b in zip(s, m)] if _check_scope(scope) == "layer" \
        else [(sum(a.size for a in s), int(sum(b.sum() for b in m)))]
    for size, alive in groups:
        if kept_count(density, size) > alive:
            raise ValueError(f"density {density} keeps {kept_count(density, size)} of {size} "
                             f"weights but only {alive} are alive")
    masked = [np.where(b, a, -np.inf) for a, b in zip(s, m)]
    return [np.asarray(a, dtype=bool) for a in mask_fn(masked, density, rng, scope=scope)]


def schedule_densities(density, rounds: int, schedule: str = "exponential") -> np.ndarray:
    """Density after round r = 1..rounds: ``density**(r/rounds)`` (exponential) or
    ``1 - (1 - density) * r / rounds`` (linear), as in the reference code (spec paths 3.7)."""
    _check_density(density)
    if isinstance(rounds, bool) or not isinstance(rounds, (int, np.integer)) or rounds < 1:
        raise ValueError(f"rounds must be an integer >= 1, got {rounds!r}")
    if schedule not in SCHEDULES:
        raise ValueError(f"schedule must be one of {', '.join(SCHEDULES)}, got {schedule!r}")
    r = np.arange(1, rounds + 1) / rounds
    d = density ** r if schedule == "exponential" else 1.0 - (1.0 - density) * r
    d[-1] = density
    return d


def iterative_prune(weights, method, density, rounds: int = 100, schedule: str = "exponential",
                    rng=None, X=None, y=None, *, scope: str = "global", l2_variant=None,
                    mask_fn=prune_mask, return_history: bool = False):
    """Iterative pruning (spec paths 3.7, Algorithm 1 with exact counts): for each density of
    :func:`schedule_densities`, re-score the masked net :math:`\\theta\\odot m` and keep exactly
    ``kept_count`` of the live weights (:func:`prune_round`). ``rounds=1`` is single-shot.

    ``method`` is a name of :func:`.scores.scores` (with ``X``, ``y``, ``l2_variant``) or a
    callable ``score_fn(weights, rng)``. One ``rng`` drives scoring and tie-breaking. Returns the
    final masks, or ``(masks, history)`` with the mask after every round."""
    w = validate_weights(weights)
    score_fn = method if callable(method) else make_score_fn(method, X=X, y=y,
                                                              l2_variant=l2_variant)
    densities = schedule_densities(density, rounds, schedule)
    rng = np.random.default_rng(rng)
    mask = [np.ones(W.shape, dtype=bool) for W in w]
    history = []
    for d in densities:
        mask = prune_round(score_fn(apply_masks(w, mask), rng), mask, float(d), rng, scope,
                           mask_fn)
        history.append(mask)
    return (mask, history) if return_history else mask


def shuffle_masks(masks, rng=None) -> list[np.ndarray]:
    """New masks with each layer's entries randomly permuted (per-layer counts kept): the
    layer-wise-density ablation. The inputs are not modified."""
    m = _as_arrays(masks, "masks", bool)
    rng = np.random.default_rng(rng)
    return [a.ravel()[rng.permutation(a.size)].reshape(a.shape) for a in m]


# ------------------------------------------------------------------------------ diagnostics

def compression(masks) -> float:
    """Compression ratio :math:`\\rho = N / \\#\\text{kept}` (``inf`` when nothing is kept)."""
    m = _as_arrays(masks, "masks", bool)
    kept = sum(int(a.sum()) for a in m)
    return sum(a.size for a in m) / kept if kept else math.inf


def layer_collapse(masks) -> bool:
    """True if some layer keeps no weight (then no input-output path survives)."""
    return any(not a.any() for a in _as_arrays(masks, "masks", bool))


def has_path(masks) -> bool:
    """True iff some input-output path has all its weights kept, i.e. :math:`R_{SF}(m) > 0` for
    nonzero weights (stricter than ``not layer_collapse``)."""
    v = np.ones(_as_arrays(masks, "masks", bool)[0].shape[1], dtype=bool)
    for a in _as_arrays(masks, "masks", bool):
        v = (a.astype(np.int64) @ v.astype(np.int64)) > 0
    return bool(v.any())


def alive_units(masks) -> list[int]:
    """For every hidden layer, the number of units lying on at least one kept input-output path."""
    m = _as_arrays(masks, "masks", bool)
    fwd = [np.ones(m[0].shape[1], dtype=bool)]
    for a in m:
        fwd.append((a.astype(np.int64) @ fwd[-1]) > 0)
    bwd = [np.ones(m[-1].shape[0], dtype=bool)]
    for a in m[::-1]:
        bwd.append((a.T.astype(np.int64) @ bwd[-1]) > 0)
    bwd = bwd[::-1]
    return [int((fwd[l] & bwd[l]).sum()) for l in range(1, len(m))]


def max_compression(weights) -> float:
    """:math:`\\rho_{max} = N / L` (spec paths 3.1): N = number of weights (all prunable, no biases),
    L = number of layers; the compression at which every layer keeps exactly one weight, the
    largest one without layer collapse. Accepts weights or masks (only shapes are used)."""
    m = _as_arrays(weights, "weights", np.float64)
    return sum(a.size for a in m) / len(m)
