"""Pruning-at-initialisation scores as path quantities, and conservation diagnostics.

Every score is a list of arrays shaped like ``weights`` (conventions: :mod:`.network`); larger
means "keep". The path forms and conservation statements are DERIVED HERE (chain rule,
multilinearity of path products, Euler's theorem for positively homogeneous functions), not quoted
from Tanaka et al. 2020 (SynFlow, arXiv 2006.05467) or Gebhart et al. 2021 (arXiv 2101.10552),
whose full texts were not available. Assumptions: bias-free, positively homogeneous activation
(ReLU), data away from the ReLU kinks.

Synaptic saliency of a scalar :math:`R(\\pi(\\theta))`: :math:`S_R(e) = \\theta_e\\,\\partial R/
\\partial\\theta_e = \\sum_{p\\ni e}\\pi_p\\,\\partial R/\\partial\\pi_p`. For such a score the
incoming total of every hidden neuron equals its outgoing total (neuron-wise conservation), hence
every layer of a fully connected net has the same total (:func:`neuron_conservation`,
:func:`layer_totals`).

**Scale of SynFlow-type scores.** ``synflow``, ``synflow-l2`` and ``synflow-dist`` are computed in
the log domain with per-layer rescaling (:func:`.kernel.log_flow`) and returned NORMALISED SO THAT
THE LARGEST SCORE OF THE NETWORK IS 1: ``returned = exact / exp(M)`` with one common factor
:math:`M = \\max_e \\log S(e)` for the whole network, where the exact log scores are
:func:`log_scores`. Rankings, ratios, conservation and equality of layer totals are therefore
unaffected; :func:`synflow_scores_exact` gives the unscaled scores for small nets. All other methods
are returned on their natural scale.
"""
from __future__ import annotations

import math

import numpy as np

from .kernel import log_flow, log_saliency
from .network import (
    jacobian_column_norms,
    loss_gradient,
    loss_hvp,
    validate_inputs,
    validate_targets,
    validate_weights,
)

METHODS = ("random", "magnitude", "snip", "grasp", "synflow", "synflow-l2", "synflow-dist",
           "ntk-sketch")
L2_VARIANTS = ("author-code", "third-party", "saliency")
SYNFLOW_METHODS = ("synflow", "synflow-l2", "synflow-dist")
#: Data each method needs (``X`` inputs, ``y`` targets).
NEEDS = {"snip": ("X", "y"), "grasp": ("X", "y"), "synflow-dist": ("X",), "ntk-sketch": ("X",)}


def _check_method(method: str, l2_variant) -> str | None:
    if method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(METHODS)}, got {method!r}")
    if method != "synflow-l2":
        if l2_variant is not None:
            raise ValueError(f"l2_variant applies only to method 'synflow-l2', got "
                             f"l2_variant={l2_variant!r} with method {method!r}")
        return None
    variant = l2_variant.replace("_", "-") if isinstance(l2_variant, str) else l2_variant
    if variant not in L2_VARIANTS:
        raise ValueError(f"method 'synflow-l2' needs l2_variant, one of {', '.join(L2_VARIANTS)} "
                         f"(the paper's own formula was not read; spec paths 4.1), got {l2_variant!r}")
    return variant


def _check_data(method: str, X, y) -> None:
    need = NEEDS.get(method, ())
    missing = [name for name, v in (("X", X), ("y", y)) if name in need and v is None]
    if missing:
        raise ValueError(f"method {method!r} needs {' and '.join(missing)} "
                         f"({', '.join(need)} required), got None")


# ----------------------------------------------------------------------- SynFlow family, exact

def log_scores(weights, method: str = "synflow", *, X=None, l2_variant=None) -> list[np.ndarray]:
    """Exact, unscaled natural-log scores of a SynFlow-type method (``-inf`` where the score is 0),
    computed with per-layer rescaling so they never overflow:

    * ``synflow``: :math:`\\log S_{SF}(e)`, :math:`S_{SF}(e) = |\\theta_e|\\,\\partial R_{SF}/\\partial
      |\\theta_e| = \\sum_{p\\ni e}|\\pi_p|`, :math:`R_{SF} = 1^T|W^{[L]}|\\cdots|W^{[1]}|1 = \\|\\pi\\|_1`;
    * ``synflow-dist``: :math:`|\\theta_e\\,\\partial R/\\partial\\theta_e|` with
      :math:`R = 1^T f(\\bar x; |\\theta|)` and :math:`\\bar x` = ``X.mean(axis=0)`` (the ReLU net is
      run, as in the authors' code); for :math:`\\bar x \\ge 0`,
      :math:`S(e) = \\sum_{p\\ni e}|\\pi_p|\\bar x_{i_0(p)}`, positive and conserved. Negative
      entries of :math:`\\bar x` break these identities (a negative control);
    * ``synflow-l2`` (spec paths 4.1; ``l2_variant`` required):
      ``author-code`` (A) :math:`|\\theta_e|\\sum_{p\\ni e}|\\pi_p|` -- not a saliency, not conserved;
      ``third-party`` (B) :math:`\\sum_{p\\ni e}\\pi_p^2/|\\theta_e| = |\\theta_e|\\,\\partial R_2/
      \\partial u_e` -- not conserved; ``saliency`` (C) :math:`\\theta_e\\,\\partial R_2/\\partial
      \\theta_e = 2\\sum_{p\\ni e}\\pi_p^2` -- conserved, twice the drop of :math:`\\|\\pi\\|_2^2`
      when e alone is removed. Here :math:`R_2 = \\|\\pi\\|_2^2` and :math:`u = \\theta^{\\circ2}`."""
    if method not in SYNFLOW_METHODS:
        raise ValueError(f"log_scores supports {', '.join(SYNFLOW_METHODS)}, got {method!r}")
    variant = _check_method(method, l2_variant)
    w = validate_weights(weights)
    if method == "synflow-dist":
        _check_data(method, X, None)
        xbar = validate_inputs(X, w[0].shape[1]).mean(axis=0)
        mats = [np.abs(W) for W in w]
        return log_saliency(mats, log_flow(mats, xbar, relu=True))
    if method == "synflow" or variant == "author-code":
        mats = [np.abs(W) for W in w]
        logs = log_saliency(mats, log_flow(mats))
        if method == "synflow":
            return logs
        with np.errstate(divide="ignore"):
            return [s + np.log(M) for s, M in zip(logs, mats)]
    mats = [W * W for W in w]
    flow = log_flow(mats)
    if variant == "saliency":
        return [math.log(2.0) + s for s in log_saliency(mats, flow)]
    with np.errstate(divide="ignore"):   # (B): |theta| * dR2/du, no division by theta
        return [flow.log_backward[l + 1][:, None] + np.log(np.abs(W)) + flow.log_forward[l][None, :]
                for l, W in enumerate(w)]


def normalise_log_scores(logs: list[np.ndarray]) -> tuple[list[np.ndarray], float]:
    """``(exp(logs - M), M)`` with :math:`M` the largest log score (largest returned score = 1);
    all zeros and ``M = -inf`` when every score is 0."""
    top = max(float(np.max(s)) for s in logs)
    if not np.isfinite(top):
        return [np.zeros_like(s) for s in logs], top
    return [np.exp(s - top) for s in logs], top


def synflow_scores_exact(weights, x0=None) -> list[np.ndarray]:
    """Unscaled SynFlow scores :math:`S(e) = \\sum_{p\\ni e}|\\pi_p|\\,x_{0,i_0(p)}` (default
    :math:`x_0 = 1`) by the closed form :math:`[1^T\\prod_{k>l}|W^{[k]}|]_a\\,|W^{[l]}_{ab}|\\,
    [\\prod_{k<l}|W^{[k]}|x_0]_b`, in plain float64 products: meant for small nets and conservation
    checks (may overflow for very deep nets; use :func:`log_scores` there). ``x0`` must be >= 0."""
    w = validate_weights(weights)
    f = np.ones(w[0].shape[1]) if x0 is None else np.asarray(x0, dtype=np.float64)
    if f.shape != (w[0].shape[1],) or np.any(f < 0) or not np.all(np.isfinite(f)):
        raise ValueError(f"x0 must be a finite nonnegative vector of length {w[0].shape[1]}")
    fwd = [f]
    for W in w:
        fwd.append(np.abs(W) @ fwd[-1])
    b, out = np.ones(w[-1].shape[0]), [None] * len(w)
    for l in range(len(w) - 1, -1, -1):
        out[l] = b[:, None] * np.abs(w[l]) * fwd[l][None, :]
        b = np.abs(w[l]).T @ b
    return out


# --------------------------------------------------------------------------------- front door

def scores(weights, method: str, *, X=None, y=None, rng=None, l2_variant=None) -> list[np.ndarray]:
    """Scores of ``method`` for every weight, shaped like ``weights`` (keep the largest).

    * ``random``: i.i.d. :math:`N(0, 1)` from ``rng`` (ignores the weights);
    * ``magnitude``: :math:`|\\theta_e|`;
    * ``snip``: :math:`|\\theta_e\\,\\partial L/\\partial\\theta_e|`, path form
      :math:`|\\sum_{p\\ni e}\\pi_p g_p|` (equals the reference code's :math:`|\\partial L/\\partial
      m|` at mask = 1);
    * ``grasp``: :math:`\\theta_e (Hg)_e` with :math:`g = \\nabla L`, signed, largest kept
      (i.e. the weights with the largest :math:`-\\theta\\odot Hg` are removed); no temperature
      and no normalisation (both leave the ranking unchanged for this loss);
    * ``synflow``, ``synflow-l2`` (with ``l2_variant``), ``synflow-dist``: see :func:`log_scores`;
      returned normalised so that the network's largest score is 1;
    * ``ntk-sketch``: :math:`|\\theta_e|\\,\\|\\partial f(X)/\\partial\\theta_e\\|_2` over all n inputs
      and k outputs (spec sketching 7: the sketch-optimal probabilities of the linearised model).

    The loss of ``snip``/``grasp`` is half the mean squared error
    :math:`L = \\frac{1}{2n}\\sum_{i=1}^n\\|f(x_i) - y_i\\|_2^2` (mean over the n inputs, squared
    error summed over the k outputs); ``X`` has shape ``(n, d_0)``, ``y`` shape ``(n, k)``.
    ``rng`` is used by ``random`` only (normalised with ``np.random.default_rng``).
    ``ValueError`` for an unknown method or variant, or missing ``X``/``y``."""
    variant = _check_method(method, l2_variant)
    _check_data(method, X, y)
    w = validate_weights(weights)
    if method == "random":
        rng = np.random.default_rng(rng)
        return [rng.standard_normal(W.shape) for W in w]
    if method == "magnitude":
        return [np.abs(W) for W in w]
    if method in SYNFLOW_METHODS:
        return normalise_log_scores(log_scores(w, method, X=X, l2_variant=variant))[0]
    X = validate_inputs(X, w[0].shape[1])
    if method == "ntk-sketch":
        return [np.abs(W) * N for W, N in zip(w, jacobian_column_norms(w, X))]
    y = validate_targets(y, X.shape[0], w[-1].shape[0])
    grads = loss_gradient(w, X, y)[1]
    if method == "snip":
        return [np.abs(W * G) for W, G in zip(w, grads)]
    return [W * Hg for W, Hg in zip(w, loss_hvp(w, X, y, grads))]


def make_score_fn(method: str, *, X=None, y=None, l2_variant=None):
    """``score_fn(weights, rng=None)`` for :func:`scores` with the data bound (the interface of
    :func:`.masks.iterative_prune` and :func:`.conformance.conformance`). Validates eagerly."""
    _check_method(method, l2_variant)
    _check_data(method, X, y)

    def score_fn(weights, rng=None):
        return scores(weights, method, X=X, y=y, rng=rng, l2_variant=l2_variant)
    score_fn.__name__ = f"scores_{method}" + (f"_{l2_variant}" if l2_variant else "")
    return score_fn


# ------------------------------------------------------------------------------ conservation

def _check_scores(weights, score_list) -> tuple[list[np.ndarray], list[np.ndarray]]:
    w = validate_weights(weights)
    s = [np.asarray(a, dtype=np.float64) for a in score_list]
    if [a.shape for a in s] != [a.shape for a in w]:
        raise ValueError(f"score_list shapes {[a.shape for a in s]} differ from weights shapes "
                         f"{[a.shape for a in w]}")
    return w, s


def neuron_conservation(weights, score_list) -> list[tuple[np.ndarray, np.ndarray]]:
    """For every hidden layer l = 1..L-1, ``(incoming, outgoing)`` score totals of its neurons:
    ``incoming[a] = score_list[l-1][a, :].sum()``, ``outgoing[a] = score_list[l][:, a].sum()``.
    Equal for every synaptic saliency of a positively homogeneous net (derived here: both sides
    equal :math:`z_a\\,\\partial R/\\partial z_a`)."""
    _, s = _check_scores(weights, score_list)
    return [(s[l - 1].sum(axis=1), s[l].sum(axis=0)) for l in range(1, len(s))]


def conservation_violation(weights, score_list) -> float:
    """:math:`\\max_a |in_a - out_a| / \\max_a \\max(|in_a|, |out_a|)` over all hidden neurons
    (0 for a conserved score; 0 when there is no hidden layer or every total is 0)."""
    pairs = neuron_conservation(weights, score_list)
    if not pairs:
        return 0.0
    diff = max(float(np.max(np.abs(i - o))) for i, o in pairs)
    scale = max(float(max(np.max(np.abs(i)), np.max(np.abs(o)))) for i, o in pairs)
    return diff / scale if scale > 0 else 0.0


def layer_totals(score_list) -> np.ndarray:
    """Total score of each layer, shape ``(L,)`` (all equal for a conserved score)."""
    return np.array([float(np.sum(a)) for a in score_list])
