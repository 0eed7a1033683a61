"""Paths, the Path Kernel and path norms of bias-free networks (conventions: :mod:`.network`).

A path :math:`p = (i_0, \\dots, i_L)` picks one unit per layer; there are :math:`|P| = \\prod_l d_l`
of them, enumerated in C order over ``(i_0, ..., i_L)`` (``i_0`` slowest), see
:func:`path_indices`. Its value is :math:`\\pi_p = \\prod_l W^{[l]}_{i_l i_{l-1}}` (multilinear in
:math:`\\theta`); its activation is :math:`a_p(x) = \\prod_{0<l<L} 1[z_{l,i_l}(x) > 0]`.

Identities, all DERIVED HERE from the chain rule, the multilinearity of path products and Euler's
theorem for homogeneous functions -- not quoted from Gebhart et al. 2021 (arXiv 2101.10552) or
Tanaka et al. 2020 (arXiv 2006.05467), whose full texts were not available. Assumptions: bias-free,
positively homogeneous activation (ReLU or identity), inputs away from the ReLU kinks.

* :math:`f(X) = J_\\pi \\pi` with :math:`J_\\pi` from :func:`path_activations`;
* :math:`\\Theta(X, X) = J_\\theta J_\\theta^T = J_\\pi \\Pi J_\\pi^T`, where
  :math:`\\Pi = J^\\pi_\\theta (J^\\pi_\\theta)^T` and :math:`(J^\\pi_\\theta)_{pe} = 1[e\\in p]
  \\prod_{e'\\in p, e'\\ne e}\\theta_{e'}` (the "product of the other edges", computed without
  dividing by :math:`\\theta_e`). :math:`\\Pi` is PSD, data-free, rank :math:`\\le P`, and
  :math:`\\Pi_{pp'} = 0` when p and p' share no edge;
* :math:`R_2 = \\sum_p \\pi_p^2 = 1^T (W^{[L]\\circ 2}\\cdots W^{[1]\\circ 2}) 1` and, with
  :math:`u = \\theta^{\\circ 2}`, :math:`\\mathrm{tr}\\,\\Pi = \\sum_e \\partial R_2/\\partial u_e`
  and :math:`\\sum_e u_e\\,\\partial R_2/\\partial u_e = L R_2` (Euler: R_2 is homogeneous of degree
  1 in each layer's u, degree L overall).

Trace convention: weights only (no biases, no BatchNorm), i.e. PHEW's convention, not the authors'
code's "square everything" convention (which also counts bias-rooted paths).

Enumeration routines refuse nets with more than :data:`MAX_PATHS` paths.
"""
from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from .network import (
    _check_activation,
    forward_cache,
    param_jacobian,
    validate_inputs,
    validate_weights,
)

#: Largest number of paths the enumeration routines accept (Pi is MAX_PATHS^2 float64, 128 MiB).
MAX_PATHS = 4096


# ------------------------------------------------------------------------------- enumeration

def num_paths(weights) -> int:
    """:math:`|P| = \\prod_{l=0}^L d_l` (exact Python int)."""
    w = validate_weights(weights)
    return math.prod([w[0].shape[1]] + [a.shape[0] for a in w])


def _enumerable(weights, what: str) -> list[np.ndarray]:
    w = validate_weights(weights)
    count = num_paths(w)
    if count > MAX_PATHS:
        sizes = [w[0].shape[1]] + [a.shape[0] for a in w]
        raise ValueError(f"{what} enumerates all {count} paths of a net with layer sizes {sizes}, "
                         f"above MAX_PATHS = {MAX_PATHS}; use the one-pass quantities "
                         "(path_kernel_trace, path_norm_sq, path_norm_l1) for large nets")
    return w


def path_indices(weights) -> np.ndarray:
    """Unit indices of every path, shape ``(|P|, L+1)``; row p is :math:`(i_0, \\dots, i_L)`."""
    w = _enumerable(weights, "path_indices")
    sizes = [w[0].shape[1]] + [a.shape[0] for a in w]
    return np.indices(sizes).reshape(len(sizes), -1).T


def _edge_values(w, idx) -> np.ndarray:
    """``E[p, l]`` = the weight of path p's edge in layer l+1."""
    return np.stack([W[idx[:, l + 1], idx[:, l]] for l, W in enumerate(w)], axis=1)


def path_values(weights) -> np.ndarray:
    """:math:`\\pi`, shape ``(|P|,)``."""
    w = _enumerable(weights, "path_values")
    return _edge_values(w, path_indices(w)).prod(axis=1)


def path_parameter_jacobian(weights) -> np.ndarray:
    """:math:`J^\\pi_\\theta`, shape ``(|P|, P)`` (columns in parameter order): entry (p, e) is the
    product of the other L-1 weights on p if e lies on p, else 0. Exact at zero weights."""
    w = _enumerable(weights, "path_parameter_jacobian")
    idx = path_indices(w)
    E = _edge_values(w, idx)
    ones = np.ones((E.shape[0], 1))
    before = np.cumprod(np.hstack([ones, E[:, :-1]]), axis=1)              # prod_{m<l} E_m
    after = np.cumprod(np.hstack([ones, E[:, :0:-1]]), axis=1)[:, ::-1]    # prod_{m>l} E_m
    others = before * after
    J = np.zeros((E.shape[0], sum(a.size for a in w)))
    rows, offset = np.arange(E.shape[0]), 0
    for l, W in enumerate(w):
        J[rows, offset + idx[:, l + 1] * W.shape[1] + idx[:, l]] = others[:, l]
        offset += W.size
    return J


def path_kernel(weights) -> tuple[np.ndarray, np.ndarray]:
    """``(pi, Pi)``: path values, shape ``(|P|,)``, and the Path Kernel
    :math:`\\Pi = J^\\pi_\\theta (J^\\pi_\\theta)^T`, i.e.
    :math:`\\Pi_{pp'} = \\sum_\\theta \\partial\\pi_p/\\partial\\theta\\,\\partial\\pi_{p'}/\\partial\\theta`,
    shape ``(|P|, |P|)``, by enumeration. ``ValueError`` above :data:`MAX_PATHS` paths."""
    w = _enumerable(weights, "path_kernel")
    J = path_parameter_jacobian(w)
    return path_values(w), J @ J.T


def path_activations(weights, X, activation: str = "relu") -> np.ndarray:
    """Path activation matrix :math:`J_\\pi`, shape ``(n*k, |P|)``:
    ``J[i*k + j, p]`` = :math:`1[i_L(p) = j]\\,a_p(x_i)\\,x_{i, i_0(p)}`, so that
    ``forward(weights, X).ravel() == J @ path_values(weights)``. Depends on the weights only
    through the activation pattern."""
    w = _enumerable(weights, "path_activations")
    X = validate_inputs(X, w[0].shape[1])
    _check_activation(activation)
    _, _, slopes = forward_cache(w, X, activation)
    idx = path_indices(w)
    n, k, L = X.shape[0], w[-1].shape[0], len(w)
    A = X[:, idx[:, 0]].copy()                                    # (n, |P|)
    for l in range(1, L):
        A *= slopes[l - 1][:, idx[:, l]]
    J = np.zeros((n, k, idx.shape[0]))
    J[:, idx[:, L], np.arange(idx.shape[0])] = A
    return J.reshape(n * k, -1)


def ntk(weights, X, activation: str = "relu") -> np.ndarray:
    """Empirical NTK :math:`\\Theta(X, X) = J_\\theta J_\\theta^T`, shape ``(n*k, n*k)``, from the
    backprop parameter Jacobian (no paths involved)."""
    J = param_jacobian(weights, X, activation)
    return J @ J.T


# ------------------------------------------------------------------------ one-pass path norms

def _vectors(mats):
    """Forward :math:`f_l = M_l\\cdots M_1 1` (l = 0..L) and backward
    :math:`b_l = M_{l+1}^T\\cdots M_L^T 1` (l = 0..L) vectors of a product of matrices."""
    fwd = [np.ones(mats[0].shape[1])]
    for M in mats:
        fwd.append(M @ fwd[-1])
    bwd = [np.ones(mats[-1].shape[0])]
    for M in mats[::-1]:
        bwd.append(M.T @ bwd[-1])
    return fwd, bwd[::-1]


def _outer_gradients(mats):
    """:math:`\\partial(1^T M_L\\cdots M_1 1)/\\partial M_l = b_l f_{l-1}^T` for every layer."""
    fwd, bwd = _vectors(mats)
    return [np.outer(bwd[l + 1], fwd[l]) for l in range(len(mats))]


def path_norm_sq(weights) -> float:
    """:math:`R_2 = \\|\\pi\\|_2^2 = 1^T (W^{[L]\\circ 2}\\cdots W^{[1]\\circ 2}) 1`, one pass,
    O(P). Overflows to inf for very deep nets; see :func:`log_path_norm`."""
    v = np.ones(validate_weights(weights)[0].shape[1])
    for W in validate_weights(weights):
        v = (W * W) @ v
    return float(v.sum())


def path_norm_l1(weights) -> float:
    """:math:`R_{SF} = \\|\\pi\\|_1 = 1^T (|W^{[L]}|\\cdots|W^{[1]}|) 1` (the SynFlow objective)."""
    v = np.ones(validate_weights(weights)[0].shape[1])
    for W in validate_weights(weights):
        v = np.abs(W) @ v
    return float(v.sum())


def squared_weight_gradient(weights) -> list[np.ndarray]:
    """:math:`\\partial R_2/\\partial u` with :math:`u = \\theta^{\\circ 2}`, shaped like ``weights``:
    :math:`\\partial R_2/\\partial u^{[l]}_{ab} = b_l[a] f_{l-1}[b]` (sum over paths through the
    edge of the squared values of its other edges)."""
    return _outer_gradients([W * W for W in validate_weights(weights)])


def path_norm_l1_gradient(weights) -> list[np.ndarray]:
    """:math:`\\partial R_{SF}/\\partial|\\theta|`, shaped like ``weights``."""
    return _outer_gradients([np.abs(W) for W in validate_weights(weights)])


def path_kernel_trace(weights) -> float:
    """:math:`\\mathrm{tr}\\,\\Pi = \\sum_e \\partial R_2/\\partial u_e
    = \\sum_l (1^T b_l)(1^T f_{l-1})` in ONE squared-weight pass (matrix-vector products only,
    O(P) time and O(max_l d_l) extra memory).

    Derivation (here): :math:`\\Pi_{pp} = \\sum_{e\\in p}(\\pi_p/\\theta_e)^2`, and summing over p
    gives :math:`\\sum_e \\sum_{p\\ni e}\\prod_{e'\\in p\\setminus e}u_{e'} = \\sum_e
    \\partial R_2/\\partial u_e`. Weights-only convention (no biases)."""
    fwd, bwd = _vectors([W * W for W in validate_weights(weights)])
    return float(sum(bwd[l + 1].sum() * fwd[l].sum() for l in range(len(fwd) - 1)))


def euler_sum(weights) -> float:
    """:math:`\\sum_e u_e\\,\\partial R_2/\\partial u_e`, which equals :math:`L\\cdot R_2` by
    Euler's theorem (every path has exactly L edges)."""
    w = validate_weights(weights)
    return float(sum(np.sum(W * W * G) for W, G in zip(w, squared_weight_gradient(w))))


# --------------------------------------------------------------------- log-domain path flows

class Flow(NamedTuple):
    """Result of :func:`log_flow`. ``log_forward[l]`` = :math:`\\log|v_l|` (l = 0..L),
    ``log_backward[l]`` = :math:`\\log|\\partial R/\\partial z_l|` (l = 0..L, with
    ``log_backward[0]`` the input gradient); ``log_abs_R`` and ``sign_R`` give
    :math:`R = \\mathrm{sign}\\cdot e^{\\log|R|}`."""
    log_forward: list
    log_backward: list
    log_abs_R: float
    sign_R: float


def _normalise(v: np.ndarray, log_scale: float) -> tuple[np.ndarray, float]:
    m = float(np.max(np.abs(v))) if v.size else 0.0
    return (v / m, log_scale + math.log(m)) if m > 0 else (v, log_scale)


def _log_abs(v: np.ndarray, log_scale: float) -> np.ndarray:
    with np.errstate(divide="ignore"):
        return np.log(np.abs(v)) + log_scale


def log_flow(mats, x0=None, relu: bool = False) -> Flow:
    """Propagate :math:`v_0 = x_0` (default all ones), :math:`v_l = \\varphi(M_l v_{l-1})`
    (:math:`\\varphi` = ReLU on hidden layers if ``relu`` else identity; none on the output) and
    :math:`R = 1^T v_L`, rescaling every vector to unit max-norm and carrying the log scales, so
    nothing overflows at any depth. The synaptic saliency of edge (l, a, b) is then
    :math:`M_l[a,b]\\,\\partial R/\\partial M_l[a,b] = \\delta_l[a] M_l[a,b] v_{l-1}[b]`, whose log is
    ``log_backward[l][a] + log M_l[a,b] + log_forward[l-1][b]`` (see :func:`log_saliency`).

    Every positive per-layer normalisation commutes with ReLU (positive homogeneity), so the
    rescaled flow is exact up to float rounding."""
    mats = [np.asarray(M, dtype=np.float64) for M in mats]
    v = np.ones(mats[0].shape[1]) if x0 is None else np.asarray(x0, dtype=np.float64).ravel()
    if v.shape != (mats[0].shape[1],) or not np.all(np.isfinite(v)):
        raise ValueError(f"x0 must be a finite vector of length {mats[0].shape[1]}")
    v, s = _normalise(v, 0.0)
    log_fwd, slopes = [_log_abs(v, s)], []
    for l, M in enumerate(mats):
        z = M @ v
        if relu and l < len(mats) - 1:
            slopes.append((z > 0).astype(np.float64))
            z = z * slopes[-1]
        v, s = _normalise(z, s)
        log_fwd.append(_log_abs(v, s))
    total = float(v.sum())
    log_abs_R = _log_abs(np.array(total), s).item()
    d, t = _normalise(np.ones(mats[-1].shape[0]), 0.0)
    log_bwd = [_log_abs(d, t)]
    for l in range(len(mats) - 1, -1, -1):
        d = mats[l].T @ d
        if relu and l > 0:
            d = d * slopes[l - 1]
        d, t = _normalise(d, t)
        log_bwd.append(_log_abs(d, t))
    return Flow(log_fwd, log_bwd[::-1], log_abs_R, float(np.sign(total)))


def log_saliency(mats, flow: Flow) -> list[np.ndarray]:
    """:math:`\\log|M_l[a,b]\\,\\partial R/\\partial M_l[a,b]|` for every layer, from a
    :class:`Flow` of the same ``mats`` (``-inf`` where the saliency is exactly 0)."""
    with np.errstate(divide="ignore"):
        return [flow.log_backward[l + 1][:, None] + np.log(np.abs(M)) + flow.log_forward[l][None, :]
                for l, M in enumerate(mats)]


def log_path_norm(weights, power: float = 1.0) -> float:
    """:math:`\\log \\sum_p |\\pi_p|^q` (q = ``power`` > 0) without overflow at any depth."""
    if not power > 0:
        raise ValueError(f"power must be > 0, got {power}")
    return log_flow([np.abs(W) ** power for W in validate_weights(weights)]).log_abs_R
