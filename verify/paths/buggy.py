"""Deliberately buggy re-creations of the reference-code defects of spec paths 5.2, so that tests can
show :func:`.conformance.conformance` catches each one. NOT for use in experiments.

Each function has the signature of the correct component it stands in for:

* :func:`threshold_prune_mask` for :func:`.masks.prune_mask` -- bug 1, ``score <= threshold``
  over-prunes on ties (likely cause of Synaptic-Flow issue #12);
* :func:`noop_shuffle_masks` for :func:`.masks.shuffle_masks` -- bug 2, the shuffle rebinds a
  local name and changes nothing;
* :func:`float32_synflow_scores` for a ``score_fn`` -- bug 3, float32 products without rescaling
  overflow in deep nets;
* :func:`unmasked_prune_round` for :func:`.masks.prune_round` -- bug 4, the loop ignores the
  current mask, so pruned weights can come back (e.g. when live GraSP scores are negative).
"""
from __future__ import annotations

import numpy as np

from .masks import prune_mask


def threshold_prune_mask(scores, density, rng=None, scope: str = "global") -> list[np.ndarray]:
    """Reference masking (spec paths 5.1): ``k = int((1 - density) * N)``; ``threshold`` = the k-th
    smallest score; prune every score ``<= threshold`` (globally, or per tensor for "layer").
    ``rng`` is ignored. Over-prunes whenever scores tie at the threshold."""
    s = [np.asarray(a, dtype=np.float64) for a in scores]

    def keep(values: np.ndarray) -> np.ndarray:
        k = int((1.0 - density) * values.size)
        if k < 1:
            return np.ones(values.size, dtype=bool)
        threshold = np.partition(values, k - 1)[k - 1]
        return values > threshold

    if scope == "layer":
        return [keep(a.ravel()).reshape(a.shape) for a in s]
    flat = keep(np.concatenate([a.ravel() for a in s]))
    out, start = [], 0
    for a in s:
        out.append(flat[start:start + a.size].reshape(a.shape))
        start += a.size
    return out


def noop_shuffle_masks(masks, rng=None) -> list[np.ndarray]:
    """The reference shuffle: permutes a local copy and rebinds the loop name, so the returned
    masks are the inputs, unchanged."""
    rng = np.random.default_rng(rng)
    for mask in masks:
        shape = np.shape(mask)
        perm = rng.permutation(np.size(mask))
        mask = np.asarray(mask).reshape(-1)[perm].reshape(shape)  # noqa: F841 -- the bug
    return masks


def float32_synflow_scores(weights, rng=None) -> list[np.ndarray]:
    """SynFlow as in the reference code: float32, one all-ones pass on :math:`|\\theta|`, no
    rescaling. Overflows to inf (then NaN) once :math:`1^T\\prod_l|W^{[l]}|1` exceeds ~3e38."""
    mats = [np.abs(np.asarray(W)).astype(np.float32) for W in weights]
    with np.errstate(over="ignore", invalid="ignore"):
        fwd = [np.ones(mats[0].shape[1], dtype=np.float32)]
        for M in mats:
            fwd.append(M @ fwd[-1])
        b, out = np.ones(mats[-1].shape[0], dtype=np.float32), [None] * len(mats)
        for l in range(len(mats) - 1, -1, -1):
            out[l] = (b[:, None] * mats[l] * fwd[l][None, :]).astype(np.float64)
            b = mats[l].T @ b
    return out


def unmasked_prune_round(scores, mask, density, rng=None, scope: str = "global",
                         mask_fn=prune_mask) -> list[np.ndarray]:
    """A pruning round that ignores the current mask (the reference loop never excludes pruned
    weights): any weight whose score beats a live one is kept again."""
    return [np.asarray(a, dtype=bool) for a in mask_fn(scores, density, rng, scope=scope)]
