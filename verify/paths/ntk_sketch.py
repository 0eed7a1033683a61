r"""Pruning as sketching of the NTK feature map (claim ``ntk-sketch-score``, spec sketching §7).

With :math:`J = \partial f(X)/\partial\theta` (shape ``(n*k, P)``, :func:`.network.param_jacobian`)
the quantity a pruning of :math:`\theta` sketches is :math:`J\theta = AB` with :math:`A = J`,
:math:`B = \theta` (a column).  Sampling, exact enumeration and the DKM ingredients come from the
amm topic's numerics (:mod:`pruneproof.verify.amm.sketch`); this module only maps a network onto
them.  Nothing here reads a registered claim.
"""
from __future__ import annotations

from fractions import Fraction

import numpy as np

from ..amm.sketch import AmmSketcher, enumerate_sketch
from .network import flatten, param_jacobian, validate_inputs, validate_weights


def ntk_problem(weights, X, activation: str = "relu") -> tuple[np.ndarray, np.ndarray]:
    """``(J, theta)``: the parameter Jacobian (rows: (input, output) pairs; columns in
    :func:`.network.flatten` order) and the flat parameter vector."""
    w = validate_weights(weights)
    X = validate_inputs(X, w[0].shape[1])
    return param_jacobian(w, X, activation), flatten(w)


def ingredients(J, theta, p=None) -> dict:
    """Claim-independent scalars: a_i = |theta_i| ||J_i||, S = sum a, G = ||J theta||^2 and (given
    p) Q = sum_{a_i > 0} a_i^2 / p_i."""
    J, theta = np.asarray(J, float), np.asarray(theta, float)
    a = np.abs(theta) * np.linalg.norm(J, axis=0)
    out = {"a": a, "S": float(a.sum()), "G": float(np.linalg.norm(J @ theta) ** 2)}
    if p is not None:
        p = np.asarray(p, float)
        live = a > 0
        out["Q"] = float(np.sum(a[live] ** 2 / p[live]))
    return out


def exact_fractions(p) -> list[Fraction]:
    """``p`` as rationals summing exactly to 1 (each float converted exactly, then normalised)."""
    pf = [Fraction(float(x)) for x in np.asarray(p, float)]
    total = sum(pf)
    if total <= 0 or any(x < 0 for x in pf):
        raise ValueError("p must be nonnegative with a positive sum")
    return [x / total for x in pf]


def enumerated_error(J, theta, p, c: int) -> tuple[Fraction, Fraction, Fraction]:
    """``(E||J theta - J D theta||^2, Q, G)`` in exact rational arithmetic over all P^c index
    tuples (``p`` converted by :func:`exact_fractions`; J and theta exactly as floats)."""
    pf = exact_fractions(p)
    J, theta = np.asarray(J, float), np.asarray(theta, float)
    _, expected, _ = enumerate_sketch(J, theta[:, None], np.array(pf, dtype=object), c)
    Jf = [[Fraction(x) for x in row] for row in J.tolist()]
    tf = [Fraction(x) for x in theta.tolist()]
    col2 = [sum(row[i] ** 2 for row in Jf) for i in range(len(tf))]
    Q = sum(tf[i] ** 2 * col2[i] / pf[i] for i in range(len(tf)) if pf[i] > 0 and col2[i] * tf[i])
    G = sum(sum(row[i] * tf[i] for i in range(len(tf))) ** 2 for row in Jf)
    return expected, Q, G


def expected_error_direct(J, theta, p, c: int) -> float:
    """E||J theta - J D theta||^2 from the definition of one draw Z = J_i theta_i / p_i (float):
    (sum_i p_i ||Z_i||^2 - ||J theta||^2) / c, the Z_i formed explicitly."""
    J, theta, p = np.asarray(J, float), np.asarray(theta, float), np.asarray(p, float)
    second = sum(p[i] * np.linalg.norm(J[:, i] * theta[i] / p[i]) ** 2
                 for i in range(p.size) if p[i] > 0)
    return float((second - np.linalg.norm(J @ theta) ** 2) / c)


def sampled_errors(J, theta, p, c: int, trials: int, rng=None) -> np.ndarray:
    """``trials`` sampled ||J theta - J D theta||^2 (the amm topic's fast sketcher)."""
    return AmmSketcher(np.asarray(J, float), np.asarray(theta, float)[:, None]).errors(
        p, c, trials, rng)


def mask_error(J, theta, mask) -> float:
    """Relative error of a deterministic mask on J theta: ||J((1 - m) theta)||^2 / ||J theta||^2."""
    J, theta = np.asarray(J, float), np.asarray(theta, float)
    m = np.asarray(mask, bool).ravel()
    return float(np.linalg.norm(J @ (theta * ~m)) ** 2 / np.linalg.norm(J @ theta) ** 2)
