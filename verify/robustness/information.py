r"""Entropy and mutual information for the mask-information quantities of spec §2.4 and §4.

* Exact values for small discrete joint distributions: from a probability table
  (:func:`entropy`, :func:`mutual_information`, :func:`conditional_mutual_information`) or by
  enumerating every data set of a finite data-generating process and every value of the
  algorithm's own randomness (:func:`enumerated_information`).
* Plug-in estimates (heuristic, spec §4): :func:`plugin_entropy` with the Miller–Madow
  correction, the subadditive per-coordinate estimate :func:`coordinatewise_entropy` of H(m) for
  masks that are deterministic given D (then I(m; D) = H(m) <= Σ_j h(p_j)), and a bootstrap band
  (:func:`bootstrap_band`, ``scipy.stats.bootstrap`` with an ``rng``).  Plug-in entropies are
  biased low; never use them for masks with their own randomness, where H(m) >> I(m; D).

All values are in nats (natural logarithms) unless a function says otherwise.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np

__all__ = ["entropy", "mutual_information", "conditional_mutual_information",
           "enumerated_information", "EnumeratedInformation", "all_sign_vectors",
           "plugin_entropy", "coordinatewise_entropy", "bootstrap_band", "BootstrapBand"]

#: a probability table must sum to 1 within this absolute tolerance
PROB_ATOL = 1e-9


def _table(p, name: str, ndim: int | None = None) -> np.ndarray:
    p = np.asarray(p, dtype=float)
    if ndim is not None and p.ndim != ndim:
        raise ValueError(f"{name} must be a {ndim}-D probability table, got shape {p.shape}")
    if p.size == 0 or not np.all(np.isfinite(p)) or np.any(p < 0):
        raise ValueError(f"{name} must be non-empty, finite and non-negative")
    total = float(p.sum())
    if abs(total - 1.0) > PROB_ATOL:
        raise ValueError(f"{name} must sum to 1 (within {PROB_ATOL:g}), got {total!r}")
    return p


def _h(p: np.ndarray) -> float:
    p = p[p > 0]
    return float(-np.sum(p * np.log(p)))


def entropy(probs) -> float:
    """Shannon entropy −Σ p log p (nats) of a probability table of any shape (0 log 0 = 0)."""
    return _h(_table(probs, "probs").ravel())


def mutual_information(joint) -> float:
    r"""I(A; B) = Σ p(a,b) log[p(a,b) / (p(a)p(b))] (nats) of a 2-D joint table p[a, b].

    Computed from the ratio form (not H(A)+H(B)−H(A,B)), so independent tables give 0 up to
    rounding; the value is clamped at 0 against rounding."""
    p = _table(joint, "joint", 2)
    pa, pb = p.sum(1, keepdims=True), p.sum(0, keepdims=True)
    nz = p > 0
    val = float(np.sum(p[nz] * np.log(p[nz] / (pa * pb)[nz])))
    return max(val, 0.0)


def conditional_mutual_information(joint) -> float:
    r"""I(A; B | C) = Σ p(a,b,c) log[p(a,b,c) p(c) / (p(a,c) p(b,c))] (nats) of a 3-D table
    p[a, b, c] (e.g. I(m; y | X) for the Fano check of spec §4)."""
    p = _table(joint, "joint", 3)
    pc = p.sum((0, 1), keepdims=True)
    pac, pbc = p.sum(1, keepdims=True), p.sum(0, keepdims=True)
    nz = p > 0
    val = float(np.sum(p[nz] * np.log((p * pc)[nz] / (pac * pbc)[nz])))
    return max(val, 0.0)


def all_sign_vectors(n: int) -> np.ndarray:
    """All 2^n vectors of {−1, +1}^n as a (2^n, n) float array (for exhaustive enumeration of
    uniform ±1 labels; n <= 20)."""
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or not 1 <= n <= 20:
        raise ValueError(f"n must be an integer in [1, 20], got {n!r}")
    return np.array(list(itertools.product((-1.0, 1.0), repeat=int(n))))


@dataclass(frozen=True, eq=False)
class EnumeratedInformation:
    """Result of :func:`enumerated_information`: ``information`` I(M; D), ``entropy`` H(M),
    ``conditional_entropy`` H(M | D) (0 for deterministic algorithms), the ``joint`` table
    p[D index, outcome index] and the distinct ``outcomes`` (arrays, in first-seen order)."""
    information: float
    entropy: float
    conditional_entropy: float
    joint: np.ndarray
    outcomes: list


def _probs(weights, m: int, name: str) -> np.ndarray:
    if weights is None:
        return np.full(m, 1.0 / m)
    w = _table(weights, name, 1)
    if w.shape != (m,):
        raise ValueError(f"{name} must have length {m}, got {w.shape}")
    return w


def enumerated_information(datasets: Sequence, algorithm: Callable, *, weights=None,
                           xis: Sequence | None = None, xi_weights=None
                           ) -> EnumeratedInformation:
    r"""Exact I(M; D) for a finite data-generating process, by enumeration.

    Every data set :math:`D_i` (with probability ``weights[i]``, default uniform) and, for
    randomised algorithms, every value :math:`\xi_j` of the algorithm's own randomness (independent
    of D, probability ``xi_weights[j]``) is run through ``algorithm(D)`` or ``algorithm(D, xi)``;
    outputs (arrays, e.g. boolean masks) are compared exactly.  The joint table
    p(D_i, m) = w_i Σ_j v_j 1[A(D_i, ξ_j) = m] gives I(M; D) exactly (up to rounding).
    """
    datasets = list(datasets)
    if not datasets:
        raise ValueError("datasets must be a non-empty sequence")
    w = _probs(weights, len(datasets), "weights")
    if xis is None:
        if xi_weights is not None:
            raise ValueError("xi_weights given without xis")
        runs = [((), 1.0)]
    else:
        xis = list(xis)
        if not xis:
            raise ValueError("xis must be non-empty when given")
        probs = _probs(xi_weights, len(xis), "xi_weights")
        runs = [((xi,), float(v)) for xi, v in zip(xis, probs, strict=True)]
    keys: dict = {}
    outcomes: list = []
    rows = []
    for D in datasets:
        row: dict = {}
        for args, v in runs:
            out = np.asarray(algorithm(D, *args))
            key = (out.shape, out.dtype.str, out.tobytes())
            if key not in keys:
                keys[key] = len(outcomes)
                outcomes.append(out.copy())
            row[keys[key]] = row.get(keys[key], 0.0) + v
        rows.append(row)
    joint = np.zeros((len(datasets), len(outcomes)))
    for i, row in enumerate(rows):
        for j, v in row.items():
            joint[i, j] = w[i] * v
    joint /= joint.sum()
    H_M = _h(joint.sum(0))
    H_M_given_D = float(sum(w[i] * _h(joint[i] / joint[i].sum()) for i in range(len(w))
                            if joint[i].sum() > 0))
    return EnumeratedInformation(mutual_information(joint), H_M, H_M_given_D, joint, outcomes)


def plugin_entropy(counts, correction: str = "miller-madow") -> float:
    r"""Plug-in entropy (nats) of a histogram of counts, :math:`\hat H = -\sum_k (c_k/N)
    \log(c_k/N)`, plus the Miller–Madow correction :math:`(K - 1)/(2N)` (K = number of non-empty
    cells) when ``correction="miller-madow"``; ``correction="none"`` gives the raw plug-in value.
    Heuristic (biased low without correction; the correction removes the O(1/N) bias term).

    Args: counts: non-negative integer counts, total N >= 1."""
    c = np.asarray(counts, dtype=float)
    if c.ndim != 1 or c.size == 0 or not np.all(np.isfinite(c)) or np.any(c < 0) \
            or np.any(c != np.round(c)):
        raise ValueError("counts must be a non-empty 1-D array of non-negative integers")
    N = float(c.sum())
    if N < 1:
        raise ValueError("counts must have a positive total")
    if correction not in ("miller-madow", "none"):
        raise ValueError(f"correction must be 'miller-madow' or 'none', got {correction!r}")
    H = _h(c / N)
    if correction == "miller-madow":
        H += (np.count_nonzero(c) - 1) / (2.0 * N)
    return float(H)


def coordinatewise_entropy(masks, correction: str = "miller-madow") -> float:
    r"""Σ_j ĥ(p̂_j): the subadditive plug-in estimate of H(m) (nats) from R masks (rows) drawn on
    R resampled data sets, with p̂_j the frequency of m_j = 1 (spec §4).  For masks that are
    deterministic given D, I(m; D) = H(m) <= Σ_j h(p_j).  Heuristic: biased low (use
    :func:`bootstrap_band`); meaningless for masks with their own randomness.

    Args: masks: (R, P) boolean or 0/1, R >= 2 recommended (spec: R >= 200)."""
    m = np.asarray(masks)
    if m.ndim != 2 or m.shape[0] < 1 or m.shape[1] < 1:
        raise ValueError(f"masks must be a 2-D (R, P) array, got shape {m.shape}")
    if m.dtype != bool and not np.all(np.isin(m, (0, 1))):
        raise ValueError("masks must be boolean (or 0/1)")
    R = m.shape[0]
    ones = m.astype(bool).sum(0)
    return float(sum(plugin_entropy([R - int(k), int(k)], correction) for k in ones))


@dataclass(frozen=True)
class BootstrapBand:
    """A bootstrap confidence band: the statistic on the full data, the interval and the
    bootstrap standard error."""
    estimate: float
    low: float
    high: float
    standard_error: float


def bootstrap_band(data, statistic: Callable, rng=None, *, confidence: float = 0.95,
                   n_resamples: int = 999, method: str = "percentile") -> BootstrapBand:
    """Bootstrap band for ``statistic(data)`` resampling the rows (first axis) of ``data`` with
    ``scipy.stats.bootstrap(..., rng=rng)`` (rows are resampled jointly, so a statistic of whole
    rows such as :func:`coordinatewise_entropy` keeps its dependence structure).

    Args: data: array with >= 2 rows; statistic: array -> float; rng: anything
    ``numpy.random.default_rng`` accepts; confidence in (0, 1); n_resamples >= 1; method as in
    scipy ("percentile", "basic", "BCa")."""
    from scipy.stats import bootstrap

    data = np.asarray(data)
    if data.ndim < 1 or data.shape[0] < 2:
        raise ValueError(f"data must have at least 2 rows, got shape {data.shape}")
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be in (0, 1), got {confidence!r}")
    if isinstance(n_resamples, bool) or not isinstance(n_resamples, int) or n_resamples < 1:
        raise ValueError(f"n_resamples must be an integer >= 1, got {n_resamples!r}")
    rng = np.random.default_rng(rng)
    idx = np.arange(data.shape[0])
    res = bootstrap((idx,), lambda i: statistic(data[np.asarray(i, int)]), vectorized=False,
                    confidence_level=confidence, n_resamples=n_resamples, method=method, rng=rng)
    ci = res.confidence_interval
    return BootstrapBand(float(statistic(data)), float(ci.low), float(ci.high),
                         float(res.standard_error))
