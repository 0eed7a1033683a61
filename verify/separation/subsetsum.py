"""Random subset sum: exact best-subset error by meet-in-the-middle, coverage error, brute force.

The random subset-sum problem (RSSP) asks, for items :math:`X_1..X_n` and a target :math:`z`, for

.. math::  E_n(z) = \\min_{S \\subseteq [n]} \\Big| \\sum_{i \\in S} X_i - z \\Big| ,

and its *coverage* error :math:`\\varepsilon_n = \\sup_{z \\in [-1, 1]} E_n(z)`.  Lueker (1998)
[recalled] shows that for i.i.d. U[-1,1] items :math:`n = O(\\log 1/\\varepsilon)` suffices for
:math:`\\varepsilon_n \\le \\varepsilon` w.h.p.; the heuristic law of the optimum (``spec/separation.md``
§3.1, [derived]) is :math:`E_n(z) \\approx \\mathrm{Exp}(\\mu_n(z))` with
:math:`\\mu_n(z) = \\sqrt{\\pi n / 3}\\, e^{3 z^2 / n} / 2^{n+1}`.

Exactness and the arithmetic used (``spec/separation.md`` §5.1):

* :func:`best_subset_sum` enumerates the :math:`2^{\\lceil n/2 \\rceil}` and :math:`2^{\\lfloor n/2
  \\rfloor}` subset sums of the two halves, sorts the right ones and binary-searches
  ``target - left`` (numpy ``searchsorted``): :math:`O(2^{n/2} n)` time.
* Sums are formed in **int64 fixed point**: every item and the target are rounded to a multiple of
  :math:`2^{-k}`, with :math:`k` the largest integer such that :math:`\\sum_i |X_i| + |z|` stays below
  :math:`2^{61-k}` ... i.e. every partial sum fits in int64 exactly.  For items in [-1, 1] and
  n <= 64 this is a resolution of :math:`2^{-55}` or finer.  The search is therefore **exact for the
  rounded instance** (no float cancellation: float64 sums of ~n items stop resolving errors below
  ~1e-15, which typical optima reach near n ~ 46-50).  Rounding moves any subset sum by at most
  :math:`(n+1) 2^{-k-1}` (about 1e-15 at n = 46), so the chosen subset is optimal up to that
  additive slack; its reported error is recomputed from the original float64 items with
  :func:`math.fsum` (correctly rounded).  For items that are multiples of :math:`2^{-k}` (e.g.
  dyadic test data) the result is exactly optimal.
* Memory is :math:`O(2^{n/2})`; left sums are processed in chunks.  n is capped at
  :data:`MAX_ITEMS` = 56 (about 2 x 2^28 int64 = 4 GiB; n = 48 takes ~10 s).
"""
from __future__ import annotations

import math

import numpy as np

#: Largest n accepted by :func:`best_subset_sum` (memory ~ 2^(n/2) int64 per half).
MAX_ITEMS = 56
#: Largest n accepted by the full enumerations (brute force, coverage).
MAX_ENUMERATION_ITEMS = 26
_CHUNK = 1 << 20


def _validate_values(values, name: str = "values", max_items: int | None = None) -> np.ndarray:
    x = np.asarray(values, dtype=float)
    if x.ndim != 1:
        raise ValueError(f"{name} must be a 1-D array of items, got shape {x.shape}")
    if x.size < 1:
        raise ValueError(f"{name} must contain n >= 1 items, got n = 0")
    if max_items is not None and x.size > max_items:
        raise ValueError(f"{name} must contain n <= {max_items} items here, got n = {x.size}")
    if not np.all(np.isfinite(x)):
        raise ValueError(f"{name} must be finite (no NaN or inf)")
    return x


def _validate_target(target, name: str = "target") -> float:
    try:
        z = float(target)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a real number, got {type(target).__name__}") from None
    if not math.isfinite(z):
        raise ValueError(f"{name} must be finite, got {target!r}")
    return z


def subset_sums(values) -> np.ndarray:
    """All :math:`2^n` subset sums (float64); entry ``m`` is the sum over the bits set in ``m``
    (bit ``j`` <-> item ``j``).  Doubling: ``s -> concat(s, s + x_j)``."""
    x = _validate_values(values, max_items=MAX_ENUMERATION_ITEMS)
    return _doubling(x)


def _doubling(x: np.ndarray) -> np.ndarray:
    sums = np.zeros(1, dtype=x.dtype)
    for item in x:
        sums = np.concatenate([sums, sums + item])
    return sums


def _mask_to_indices(mask: int, offset: int = 0) -> list[int]:
    out, j = [], 0
    while mask:
        if mask & 1:
            out.append(offset + j)
        mask >>= 1
        j += 1
    return out


def exact_subset_error(values, subset, target) -> float:
    """:math:`|\\sum_{i\\in S} X_i - z|` correctly rounded (``math.fsum``) -- the reference used to
    report every error."""
    x = np.asarray(values, dtype=float)
    idx = np.asarray(subset, dtype=int)
    return abs(math.fsum([*x[idx].tolist(), -float(target)]))


def _fixed_point_scale(x: np.ndarray, z: float) -> int:
    total = float(np.abs(x).sum()) + abs(z)
    # every partial sum and z - (left sum) is bounded by `total` (+ rounding): keep it < 2^61
    exponent = math.frexp(max(total, 1e-300))[1]  # total < 2^exponent
    return min(61 - exponent, 1000)


def best_subset_sum(values, target) -> tuple[float, np.ndarray]:
    """Best subset-sum error by meet-in-the-middle.

    .. math::  E = \\min_{S} |\\sum_{i \\in S} X_i - z|

    Parameters
    ----------
    values : array_like, shape (n,), 1 <= n <= 56, finite
    target : float, finite

    Returns
    -------
    error : float
        :math:`|\\sum_S X_i - z|` of the chosen subset, correctly rounded from the float64 inputs.
    subset : numpy.ndarray of int
        The chosen indices (sorted; empty = the empty subset).

    Exact for items on the fixed-point grid :math:`2^{-k}` (see the module docstring); otherwise
    optimal up to an additive :math:`(n+1)2^{-k-1}` (~1e-15 for n = 46 items in [-1, 1]).
    Cost :math:`O(2^{n/2} n)`.  Source: Horowitz & Sahni (1974) meet-in-the-middle [recalled].
    """
    x = _validate_values(values, max_items=MAX_ITEMS)
    z = _validate_target(target)
    n = x.size
    k = _fixed_point_scale(x, z)
    scale = math.ldexp(1.0, k)
    xi = np.rint(x * scale).astype(np.int64)
    zi = int(round(z * scale))
    half = n // 2
    left_items, right_items = xi[:half], xi[half:]
    left = _doubling(left_items) if half else np.zeros(1, dtype=np.int64)
    right = _doubling(right_items)
    order = np.argsort(right, kind="stable")
    right_sorted = right[order]
    best_err, best_pair = None, (0, 0)
    for start in range(0, left.size, _CHUNK):
        chunk = left[start:start + _CHUNK]
        need = zi - chunk
        pos = np.searchsorted(right_sorted, need)
        lo = np.clip(pos - 1, 0, right_sorted.size - 1)
        hi = np.clip(pos, 0, right_sorted.size - 1)
        err_lo = np.abs(need - right_sorted[lo])
        err_hi = np.abs(need - right_sorted[hi])
        use_hi = err_hi < err_lo
        err = np.where(use_hi, err_hi, err_lo)
        j = int(np.argmin(err))
        if best_err is None or int(err[j]) < best_err:
            best_err = int(err[j])
            r = int(hi[j] if use_hi[j] else lo[j])
            best_pair = (start + j, int(order[r]))
    subset = np.array(sorted(_mask_to_indices(best_pair[0]) +
                             _mask_to_indices(best_pair[1], offset=half)), dtype=int)
    return exact_subset_error(x, subset, z), subset


def brute_force_subset_sum(values, target) -> tuple[float, np.ndarray]:
    """Reference: enumerate all :math:`2^n` subsets (n <= 26); same return as
    :func:`best_subset_sum`.  The minimum is taken over float64 doubling sums and the winner's error
    recomputed with ``math.fsum``."""
    x = _validate_values(values, max_items=MAX_ENUMERATION_ITEMS)
    z = _validate_target(target)
    low_n = min(x.size, 16)
    low = _doubling(x[:low_n])
    high = _doubling(x[low_n:]) if x.size > low_n else np.zeros(1)
    best, best_mask = np.inf, 0
    for h, hs in enumerate(high):
        err = np.abs(low + (hs - z))
        j = int(np.argmin(err))
        if err[j] < best:
            best, best_mask = float(err[j]), j | (h << low_n)
    subset = np.array(_mask_to_indices(best_mask), dtype=int)
    return exact_subset_error(x, subset, z), subset


def brute_force_error(values, target) -> float:
    """Only the error of :func:`brute_force_subset_sum` (the naive baseline of the benchmark)."""
    return brute_force_subset_sum(values, target)[0]


def coverage_error(values, low: float = -1.0, high: float = 1.0) -> float:
    """Coverage error :math:`\\sup_{z \\in [low, high]} \\min_S |\\sum_S X_i - z|` (n <= 26).

    Exact up to float64 rounding of the sums: the sup of the distance to a finite sorted set over an
    interval is attained at an endpoint or at the midpoint of two consecutive sums inside it.
    """
    x = _validate_values(values, max_items=MAX_ENUMERATION_ITEMS)
    lo, hi = _validate_target(low, "low"), _validate_target(high, "high")
    if not lo < hi:
        raise ValueError(f"low must be < high, got low={low!r}, high={high!r}")
    sums = np.sort(_doubling(x))
    candidates = [_distance_to_sorted(sums, lo), _distance_to_sorted(sums, hi)]
    mids = 0.5 * (sums[:-1] + sums[1:])
    inside = (mids >= lo) & (mids <= hi)
    if np.any(inside):
        candidates.append(float(np.max(0.5 * (sums[1:] - sums[:-1])[inside])))
    return float(max(candidates))


def _distance_to_sorted(sorted_values: np.ndarray, z: float) -> float:
    pos = int(np.searchsorted(sorted_values, z))
    best = np.inf
    for p in (pos - 1, pos):
        if 0 <= p < sorted_values.size:
            best = min(best, abs(float(sorted_values[p]) - z))
    return float(best)


def random_items(n: int, rng=None) -> np.ndarray:
    """n i.i.d. U[-1, 1] items (the RSSP law of Lueker's theorem)."""
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"n must be an integer >= 1, got {n!r}")
    rng = np.random.default_rng(rng)
    return rng.uniform(-1.0, 1.0, size=int(n))
