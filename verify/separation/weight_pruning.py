"""Weight pruning of the random two-layer net by the Pensia-style block construction (an
*achievable* error, hence an upper bound on the optimal weight pruning).

Construction (``spec/separation.md`` §4.1, [derived] from Pensia et al. (NeurIPS 2020) single-link
lemma [recalled]):

1. units are split into d blocks (unit i -> block i mod d); a unit in block j keeps only input j, so
   :math:`v_i \\sigma(u_{ij} x_j) = v_i u_{ij} \\sigma(x_j)` if :math:`u_{ij} > 0` and
   :math:`v_i |u_{ij}| \\sigma(-x_j)` otherwise;
2. 2d independent subset sums (exact meet-in-the-middle): over :math:`P_j = \\{u_{ij} > 0\\}`,
   :math:`A_j = \\sum v_i u_{ij} \\approx w_j`; over :math:`N_j`, :math:`B_j = \\sum v_i |u_{ij}|
   \\approx -w_j` (the identity :math:`w x = \\sigma(wx) - \\sigma(-wx)`);
3. :math:`h_S(x) - w \\cdot x = \\sum_j e_j^{\\mathrm{sign}(x_j)} |x_j|`, so for architecture B
   (1-Lipschitz output ReLU) :math:`E_\\infty \\le \\|(\\max(|e_j^+|, |e_j^-|))_j\\|_2`.

Each block sum uses about n/(2d) items, so the error decays like :math:`2^{-n/(2d)}` up to poly(n):
n = O(d log(d/eps)).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .circle import circle_error, det_norm, validate_network
from .subsetsum import MAX_ITEMS, best_subset_sum


@dataclass(frozen=True)
class WeightPruning:
    """The pruned net: ``U_masked`` (n, d) keeps one entry per kept unit, ``kept`` the kept units
    (all other output weights masked), the per-coordinate errors ``e_plus``, ``e_minus``."""

    U_masked: np.ndarray
    kept: np.ndarray
    e_plus: np.ndarray
    e_minus: np.ndarray

    @property
    def l2_bound(self) -> float:
        """:math:`\\|(\\max(|e_j^+|, |e_j^-|))_j\\|_2` -- bounds the sup error over the unit ball."""
        return det_norm(np.maximum(np.abs(self.e_plus), np.abs(self.e_minus)))


def _block_subset_sum(values: np.ndarray, target: float):
    if values.size == 0:  # the empty sum: signed error 0 - target
        return abs(target), np.zeros(0, dtype=int), -target
    if values.size > MAX_ITEMS:
        raise ValueError(f"a block has {values.size} > {MAX_ITEMS} items: n too large for exact "
                         f"meet-in-the-middle (use n <= {2 * MAX_ITEMS} per input dimension)")
    err, sel = best_subset_sum(values, target)
    signed = math.fsum([*values[sel].tolist(), -target])  # correctly rounded, as ``err``
    return err, sel, signed


def block_weight_pruning(U, v, w) -> WeightPruning:
    """The block construction above (any d)."""
    U, v, w = validate_network(U, v, w)
    n, d = U.shape
    block = np.arange(n) % d
    U_masked = np.zeros_like(U)
    kept: list[int] = []
    e_plus, e_minus = np.zeros(d), np.zeros(d)
    for j in range(d):
        units = np.flatnonzero(block == j)
        u = U[units, j]
        for side, target, store in ((u > 0, w[j], e_plus), (u < 0, -w[j], e_minus)):
            idx = units[side]
            _, sel, signed = _block_subset_sum(v[idx] * np.abs(U[idx, j]), target)
            store[j] = signed
            chosen = idx[sel]
            U_masked[chosen, j] = U[chosen, j]
            kept.extend(int(i) for i in chosen)
    return WeightPruning(U_masked, np.array(sorted(kept), dtype=int), e_plus, e_minus)


def weight_pruning_error(U, v, w, exact: bool = True) -> dict:
    """Achievable weight-pruning error (architecture B): the ``l2_bound`` of §4.1, the
    per-coordinate worst block errors ``worst`` = (max(|e+_j|, |e-_j|))_j and, for d = 2 with
    ``exact``, the exact sup error of the pruned net on the circle."""
    wp = block_weight_pruning(U, v, w)
    out = {"l2_bound": wp.l2_bound, "kept": int(wp.kept.size),
           "worst": np.maximum(np.abs(wp.e_plus), np.abs(wp.e_minus)).tolist()}
    if exact and np.asarray(U).shape[1] == 2:
        if wp.kept.size:
            err = circle_error(wp.U_masked[wp.kept], np.asarray(v, float)[wp.kept], w,
                               np.arange(wp.kept.size), "B", "sup")
        else:
            err = det_norm(w)
        out["sup_error"] = err
    return out
