"""Bias-free feed-forward networks: validation, forward pass, backprop Jacobians and loss derivatives.

Convention (used by every module of this topic):

* ``weights`` is a list of 2-D float arrays; ``weights[l]`` is :math:`W^{[l+1]}` with shape
  ``(d_{l+1}, d_l)``, so the network has :math:`L` = ``len(weights)`` layers and layer sizes
  :math:`d_0, \\dots, d_L`;
* :math:`f(x) = W^{[L]}\\varphi(W^{[L-1]}\\cdots\\varphi(W^{[1]}x))`, no biases; :math:`\\varphi` is
  ReLU (``activation="relu"``, with :math:`\\varphi'(0) := 0`) or the identity
  (``activation="identity"``). Both are positively homogeneous, :math:`\\varphi(z) = \\varphi'(z)z`;
* inputs ``X`` have shape ``(n, d_0)``; outputs ``f(X)`` have shape ``(n, k)`` with :math:`k = d_L`;
* parameters are flattened layer by layer, each ``weights[l]`` in C order (``W.ravel()``); the
  parameter count is :math:`P = \\sum_l d_l d_{l-1}`;
* stacked outputs are indexed ``i * k + j`` (input ``i``, output ``j``), i.e. ``f(X).ravel()``.

Derivatives are exact almost everywhere: they hold away from the kinks of ReLU (every
pre-activation nonzero; see :func:`min_abs_preactivation`). Everything is float64 numpy; the
backprop formulas are the chain rule, derived here.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np

ACTIVATIONS = ("relu", "identity")


# ----------------------------------------------------------------------------------- validation

def validate_weights(weights, name: str = "weights") -> list[np.ndarray]:
    """Check and convert a weight list; returns float64 arrays (no copy when already float64).

    Raises ``TypeError`` (not a list/tuple of real arrays) or ``ValueError`` (empty list, non-2-D
    or empty layer, NaN/inf, consecutive shapes that do not chain), naming the argument."""
    if isinstance(weights, np.ndarray) or not isinstance(weights, (list, tuple)):
        raise TypeError(f"{name} must be a list of 2-D arrays (weights[l] of shape (d_(l+1), d_l)),"
                        f" got {type(weights).__name__}")
    if len(weights) == 0:
        raise ValueError(f"{name} must contain at least one layer, got an empty list")
    out: list[np.ndarray] = []
    for l, w in enumerate(weights):
        try:
            a = np.asarray(w)
        except ValueError as exc:  # ragged nested lists
            raise ValueError(f"{name}[{l}] is ragged (rows of different lengths): {exc}") from None
        if a.dtype == object or not (np.issubdtype(a.dtype, np.integer)
                                     or np.issubdtype(a.dtype, np.floating)
                                     or a.dtype == bool):
            raise TypeError(f"{name}[{l}] must hold real numbers, got dtype {a.dtype}")
        a = np.asarray(a, dtype=np.float64)
        if a.ndim != 2:
            raise ValueError(f"{name}[{l}] must be 2-D with shape (d_{l + 1}, d_{l}), "
                             f"got shape {a.shape}")
        if a.size == 0:
            raise ValueError(f"{name}[{l}] has an empty dimension, shape {a.shape}")
        bad = ~np.isfinite(a)
        if bad.any():
            idx = tuple(int(i) for i in np.argwhere(bad)[0])
            raise ValueError(f"{name}[{l}] contains NaN or inf (first at index {idx})")
        if out and a.shape[1] != out[-1].shape[0]:
            raise ValueError(f"{name}[{l}] has {a.shape[1]} columns but {name}[{l - 1}] has "
                             f"{out[-1].shape[0]} rows; weights[l] must have shape (d_(l+1), d_l)")
        out.append(a)
    return out


def validate_inputs(X, d0: int, name: str = "X") -> np.ndarray:
    """``X`` as a finite float64 array of shape ``(n, d0)``, n >= 1; ``ValueError`` naming ``name``."""
    if X is None:
        raise ValueError(f"{name} is required (an array of shape (n, {d0}))")
    try:
        a = np.asarray(X, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name} must be a real array of shape (n, {d0}): {exc}") from None
    if a.ndim != 2 or a.shape[1] != d0 or a.shape[0] == 0:
        raise ValueError(f"{name} must have shape (n, {d0}) with n >= 1, got shape {a.shape}")
    if not np.all(np.isfinite(a)):
        raise ValueError(f"{name} contains NaN or inf")
    return a


def validate_targets(y, n: int, k: int, name: str = "y") -> np.ndarray:
    """Targets as a finite float64 array of shape ``(n, k)`` (a length-n vector is accepted when
    k = 1)."""
    if y is None:
        raise ValueError(f"{name} is required (an array of shape ({n}, {k}))")
    a = np.asarray(y, dtype=np.float64)
    if a.ndim == 1 and k == 1:
        a = a[:, None]
    if a.shape != (n, k):
        raise ValueError(f"{name} must have shape ({n}, {k}), got shape {a.shape}")
    if not np.all(np.isfinite(a)):
        raise ValueError(f"{name} contains NaN or inf")
    return a


def _check_activation(activation: str) -> str:
    if activation not in ACTIVATIONS:
        raise ValueError(f"activation must be one of {', '.join(ACTIVATIONS)}, got {activation!r}")
    return activation


# ------------------------------------------------------------------------------------ utilities

def layer_sizes(weights) -> list[int]:
    """``[d_0, d_1, ..., d_L]``."""
    w = validate_weights(weights)
    return [w[0].shape[1]] + [a.shape[0] for a in w]


def num_params(weights) -> int:
    """:math:`P = \\sum_l d_l d_{l-1}`."""
    return int(sum(a.size for a in validate_weights(weights)))


def flatten(arrays: Sequence[np.ndarray]) -> np.ndarray:
    """Concatenate arrays layer by layer, each in C order (the parameter order used here)."""
    return np.concatenate([np.asarray(a, dtype=np.float64).ravel() for a in arrays])


def unflatten(vector, like: Sequence[np.ndarray]) -> list[np.ndarray]:
    """Inverse of :func:`flatten` for arrays shaped like ``like``."""
    vector = np.asarray(vector)
    total = sum(a.size for a in like)
    if vector.shape != (total,):
        raise ValueError(f"vector must have shape ({total},), got {vector.shape}")
    out, start = [], 0
    for a in like:
        out.append(vector[start:start + a.size].reshape(a.shape))
        start += a.size
    return out


def random_network(sizes: Sequence[int], rng=None, scale: float = 2.0) -> list[np.ndarray]:
    """He-normal bias-free network: ``weights[l] ~ N(0, scale / d_l)`` i.i.d., shape
    ``(sizes[l+1], sizes[l])``. ``rng`` is normalised with ``np.random.default_rng``."""
    sizes = [int(s) for s in sizes]
    if len(sizes) < 2 or min(sizes) < 1:
        raise ValueError(f"sizes must list >= 2 positive layer widths, got {sizes}")
    rng = np.random.default_rng(rng)
    return [rng.standard_normal((sizes[l + 1], sizes[l])) * np.sqrt(scale / sizes[l])
            for l in range(len(sizes) - 1)]


def apply_masks(weights, masks) -> list[np.ndarray]:
    """:math:`\\theta \\odot m` layer by layer (masks are bool or 0/1 arrays shaped like weights)."""
    w = validate_weights(weights)
    if len(masks) != len(w):
        raise ValueError(f"masks has {len(masks)} layers, weights has {len(w)}")
    out = []
    for l, (a, m) in enumerate(zip(w, masks)):
        m = np.asarray(m)
        if m.shape != a.shape:
            raise ValueError(f"masks[{l}] has shape {m.shape}, weights[{l}] has {a.shape}")
        out.append(np.where(m.astype(bool), a, 0.0))
    return out


# ------------------------------------------------------------------------------- forward pass

def _act(z: np.ndarray, activation: str) -> tuple[np.ndarray, np.ndarray]:
    """(phi(z), phi'(z)) with phi'(0) = 0 for ReLU."""
    if activation == "identity":
        return z, np.ones_like(z)
    slope = (z > 0).astype(np.float64)
    return z * slope, slope


def forward_cache(weights, X, activation: str = "relu"):
    """Forward pass keeping intermediates.

    Returns ``(hs, zs, slopes)``: ``hs[l]`` = :math:`h_l` for l = 0..L-1 (``hs[0] = X``),
    ``zs[l]`` = pre-activation :math:`z_{l+1} = h_l W^{[l+1]T}` for l = 0..L-1 (``zs[-1]`` is the
    output), ``slopes[l]`` = :math:`\\varphi'(z_{l+1})` for the L-1 hidden layers."""
    w = validate_weights(weights)
    X = validate_inputs(X, w[0].shape[1])
    _check_activation(activation)
    hs, zs, slopes = [X], [], []
    for l, W in enumerate(w):
        z = hs[-1] @ W.T
        zs.append(z)
        if l < len(w) - 1:
            h, s = _act(z, activation)
            hs.append(h)
            slopes.append(s)
    return hs, zs, slopes


def forward(weights, X, activation: str = "relu") -> np.ndarray:
    """:math:`f(X)`, shape ``(n, k)``."""
    return forward_cache(weights, X, activation)[1][-1]


def min_abs_preactivation(weights, X, activation: str = "relu") -> float:
    """:math:`\\min |z|` over hidden pre-activations (``inf`` for L = 1): the distance from the
    ReLU kinks, where the a.e. identities of this topic could fail."""
    zs = forward_cache(weights, X, activation)[1][:-1]
    return float(min((np.abs(z).min() for z in zs), default=np.inf))


# --------------------------------------------------------------------------------- backprop

def output_deltas(weights, X, activation: str = "relu"):
    """Per-output backprop signals: ``deltas[l][i, j, a]`` = :math:`\\partial f_j(x_i)/\\partial
    z_{l+1,a}` (shape ``(n, k, d_{l+1})``), together with ``hs`` from :func:`forward_cache`.

    Chain rule (derived here): :math:`\\delta_L = I_k`,
    :math:`\\delta_{l-1} = (\\delta_l W^{[l]}) \\odot \\varphi'(z_{l-1})`."""
    w = validate_weights(weights)
    hs, _, slopes = forward_cache(w, X, activation)
    n, k = hs[0].shape[0], w[-1].shape[0]
    delta = np.broadcast_to(np.eye(k), (n, k, k))
    deltas = [delta]
    for l in range(len(w) - 1, 0, -1):
        delta = (delta @ w[l]) * slopes[l - 1][:, None, :]
        deltas.append(delta)
    return deltas[::-1], hs


def param_jacobian(weights, X, activation: str = "relu") -> np.ndarray:
    """Parameter Jacobian :math:`J_{(i,j),e} = \\partial f_j(x_i)/\\partial\\theta_e` by backprop,
    shape ``(n*k, P)``: rows ``i*k + j``, columns in :func:`flatten` order.

    For layer l: :math:`\\partial f_j(x_i)/\\partial W^{[l]}_{ab} = \\delta_l[i,j,a]\\,h_{l-1}[i,b]`."""
    deltas, hs = output_deltas(weights, X, activation)
    n, k = hs[0].shape[0], deltas[-1].shape[1]
    blocks = [(d[:, :, :, None] * h[:, None, None, :]).reshape(n * k, -1)
              for d, h in zip(deltas, hs)]
    return np.concatenate(blocks, axis=1)


def jacobian_column_norms(weights, X, activation: str = "relu") -> list[np.ndarray]:
    """:math:`\\|\\partial f(X)/\\partial\\theta_e\\|_2` over all n inputs and k outputs, shaped like
    ``weights``, without forming the Jacobian: for layer l,
    :math:`\\sum_{i,j}\\delta_l[i,j,a]^2 h_{l-1}[i,b]^2 = (D^{\\circ 2}_l)^T H^{\\circ 2}_{l-1}` with
    :math:`D^{\\circ 2}_l[i,a] = \\sum_j \\delta_l[i,j,a]^2`."""
    deltas, hs = output_deltas(weights, X, activation)
    return [np.sqrt((d ** 2).sum(axis=1).T @ (h ** 2)) for d, h in zip(deltas, hs)]


# ------------------------------------------------------------------ loss and its derivatives

def _loss_derivatives(weights, X, y, tangent, activation):
    """Loss, gradient and (when ``tangent`` is given) Hessian-vector product by forward-over-reverse
    differentiation of backprop. phi'' = 0 away from kinks, so the slopes carry no tangent."""
    w = validate_weights(weights)
    X = validate_inputs(X, w[0].shape[1])
    n, k = X.shape[0], w[-1].shape[0]
    y = validate_targets(y, n, k)
    _check_activation(activation)
    t = [np.zeros_like(a) for a in w] if tangent is None else validate_weights(tangent, "tangent")
    if [a.shape for a in t] != [a.shape for a in w]:
        raise ValueError("tangent must have the same shapes as weights")
    h, hd = X, np.zeros_like(X)
    hs, hds, slopes = [h], [hd], []
    for l, (W, T) in enumerate(zip(w, t)):
        z, zd = h @ W.T, hd @ W.T + h @ T.T
        if l < len(w) - 1:
            h, s = _act(z, activation)
            hd = zd * s
            hs.append(h)
            hds.append(hd)
            slopes.append(s)
    resid = z - y
    loss = 0.5 * float(np.sum(resid ** 2)) / n
    delta, deltad = resid / n, zd / n
    grads, hvps = [None] * len(w), [None] * len(w)
    for l in range(len(w) - 1, -1, -1):
        grads[l] = delta.T @ hs[l]
        hvps[l] = deltad.T @ hs[l] + delta.T @ hds[l]
        if l > 0:
            delta, deltad = ((delta @ w[l]) * slopes[l - 1],
                             (deltad @ w[l] + delta @ t[l]) * slopes[l - 1])
    return loss, grads, hvps


def loss_gradient(weights, X, y, activation: str = "relu"):
    """``(L, grads)`` for :math:`L(\\theta) = \\frac{1}{2n}\\sum_{i=1}^n \\|f(x_i) - y_i\\|_2^2`
    (half the mean over inputs of the squared error summed over outputs)."""
    loss, grads, _ = _loss_derivatives(weights, X, y, None, activation)
    return loss, grads


def loss_hvp(weights, X, y, vector, activation: str = "relu") -> list[np.ndarray]:
    """Hessian-vector product :math:`H v` of the loss of :func:`loss_gradient` (exact a.e.;
    includes the residual-times-curvature term, since f is multilinear in the layers)."""
    return _loss_derivatives(weights, X, y, vector, activation)[2]
