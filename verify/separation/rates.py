"""Rate fits of the separation routes: one false-failure level, slope CIs at that level, and the
finite-n slope predicted *from the claim object* (``spec/separation.md`` §3.1, §7).

* :data:`ALPHA` -- the family-wise false-failure probability of every statistical separation
  route.  A route that fits ``k`` slopes (or tests ``k`` widths) uses level ``1 - ALPHA/k`` for
  each (Bonferroni).  A slope fit across n is *one* test (its CI is a bootstrap over the
  instances of every width at once), so multiplicity across n is handled by the fit itself.
* :func:`slope_fit` -- least-squares slope of log10(median) with a percentile-bootstrap CI over
  instances, vectorised so that the extreme quantiles needed at level 1 - ALPHA/k rest on enough
  resamples (:data:`RESAMPLES`: >= 16 resamples in each tail for k <= 3; with
  ``order_statistics``, :func:`resamples_for`: >= 16 in each tail at any k).
* :func:`width_verdict` -- a theorem's rate route: refuted if a CI excludes its prediction,
  inconclusive if a CI is wider than the claim's ``max_rel_ci_width`` x |prediction|, else
  verified.
* :func:`implied_items` / :func:`predicted_slope` -- the claim's rate (decades per unit of n)
  divided by the per-item rate of its Poisson-heuristic law (the asymptotic slope of its
  ``mean`` / ``item_mean`` expression) gives the number of items per subset sum the claim
  implies per unit of n (1 for subset sums, 1/2 in d = 1, 1/(2d) for weight pruning); the
  predicted finite-n slope is the least-squares slope of the Poisson median at that item count
  over the fitted widths.  A mutated rate therefore changes the prediction.
"""
from __future__ import annotations

import math
from functools import cache

import numpy as np
import sympy as sp

from ..core.stats import SlopeFit

#: family-wise false-failure probability of each statistical separation route
ALPHA = 1e-3
#: bootstrap resamples of a slope fit (vectorised): at least RESAMPLES, and at least
#: MIN_TAIL resamples beyond each end of the CI (e.g. 160 000 at level 1 - ALPHA/5)
RESAMPLES = 100_000
MIN_TAIL = 16
_CHUNK = 10_000


def resamples_for(level: float) -> int:
    """Bootstrap resamples used at ``level``: max(RESAMPLES, MIN_TAIL / tail probability)."""
    return max(RESAMPLES, math.ceil(2 * MIN_TAIL / (1 - level)))


def alpha_text(k: int) -> str:
    """The false-failure statement of a route testing ``k`` CIs (Bonferroni)."""
    return (f"false-failure probability <= {ALPHA:g} (Bonferroni: {k} CI(s) at level "
            f"{1 - ALPHA / k:.5g})")


def width_verdict(fits_and_predictions, max_rel_width: float) -> tuple[str, list]:
    """The decision rule of a theorem's rate route over its fits [(fit, predicted slope)]:
    "refuted" if some CI excludes its prediction; else "inconclusive" if some CI is wider than
    ``max_rel_width`` x |predicted slope| (too little power to tell the rate from a 50 % error);
    else "verified".  Also returns the relative widths."""
    rel = [(f.ci_high - f.ci_low) / abs(p) if np.isfinite(p) and p != 0 else math.inf
           for f, p in fits_and_predictions]
    if not all(np.isfinite(p) and f.contains(p) for f, p in fits_and_predictions):
        return "refuted", rel
    return ("inconclusive" if max(rel) > max_rel_width else "verified"), rel


def _bootstrap_medians(g: np.ndarray, b: int, rng) -> np.ndarray:
    """``b`` medians of resamples (with replacement) of ``g``, drawn exactly without forming the
    resamples: the k-th smallest of N i.i.d. uniform indices is floor(N U_(k)), U_(k) ~ Beta(k,
    N - k + 1) (the k-th order statistic of N uniforms), and U_(k+1) = U_(k) + (1 - U_(k))
    Beta(1, N - k); numpy's median of an even sample averages those two."""
    gs, n = np.sort(g), g.size
    k = (n + 1) // 2
    u1 = rng.beta(k, n - k + 1, size=b)
    first = gs[np.minimum((n * u1).astype(np.int64), n - 1)]
    if n % 2:
        return first
    u2 = u1 + (1 - u1) * rng.beta(1, n - k, size=b)
    return 0.5 * (first + gs[np.minimum((n * u2).astype(np.int64), n - 1)])


def slope_fit(x, groups, level: float, seed: int, log_x: bool = False,
              order_statistics: bool = False) -> SlopeFit:
    """Slope of log10(median(group)) against x (or log10 x) with a percentile bootstrap CI over
    the instances of each group (resampled independently per x), :data:`RESAMPLES` resamples.

    With ``order_statistics`` the resampled medians are drawn exactly from their law
    (:func:`_bootstrap_medians`: the same bootstrap, O(1) per resample instead of O(N)) and
    :func:`resamples_for` (>= :data:`MIN_TAIL` per tail) resamples are used; the default keeps
    the resample-forming bootstrap of the committed figures and routes (same seeds, same
    numbers)."""
    x = np.asarray(x, dtype=float)
    groups = [np.asarray(g, dtype=float) for g in groups]
    if len(groups) != x.size or x.size < 2:
        raise ValueError("need one group per x and at least two x values")
    for g in groups:
        if g.size < 1 or not np.all(np.isfinite(g)) or np.any(g <= 0):
            raise ValueError("each group must be non-empty, finite and positive")
    xx = np.log10(x) if log_x else x
    xc = xx - xx.mean()
    weights = xc / float(xc @ xc)              # slope = weights @ y (least squares)
    y = np.log10([np.median(g) for g in groups])
    slope = float(weights @ y)
    intercept = float(y.mean() - slope * xx.mean())
    rng = np.random.default_rng(seed)
    if order_statistics:
        total = resamples_for(level)
        ys = np.column_stack([np.log10(_bootstrap_medians(g, total, rng)) for g in groups])
        return _fit_from_slopes(ys @ weights, slope, intercept, xx, y, level, total,
                                "exact order-statistic draws of resampled medians")
    slopes, total = [], RESAMPLES
    for start in range(0, total, _CHUNK):
        b = min(_CHUNK, total - start)
        ys = np.empty((b, len(groups)))
        for j, g in enumerate(groups):
            idx = rng.integers(0, g.size, size=(b, g.size))
            ys[:, j] = np.log10(np.median(g[idx], axis=1))
        slopes.append(ys @ weights)
    return _fit_from_slopes(np.concatenate(slopes), slope, intercept, xx, y, level, total, "")


def _fit_from_slopes(slopes, slope, intercept, xx, y, level, total, how) -> SlopeFit:
    alpha = 1 - level
    lo, hi = np.quantile(slopes, [alpha / 2, 1 - alpha / 2])
    resid = y - (intercept + slope * xx)
    r2 = 1 - float(resid @ resid) / max(float(((y - y.mean()) ** 2).sum()), 1e-300)
    return SlopeFit(slope, intercept, float(lo), float(hi), level, r2,
                    f"percentile bootstrap over instances ({total} resamples"
                    f"{'; ' + how if how else ''}), log10 of median")


@cache
def _per_item_slope(mean_expr: sp.Expr) -> float:
    """Asymptotic semi-log slope (decades per item) of a Poisson-heuristic mean expression in its
    item-count symbol (``n`` or ``k``), at z = 0."""
    items = [s for s in mean_expr.free_symbols if s.name in ("n", "k")]
    if len(items) != 1:
        raise ValueError(f"cannot find the item-count symbol of {mean_expr}")
    (t,) = items
    zs = [s for s in mean_expr.free_symbols if s.name == "z"]
    expr = mean_expr.subs({s: 0 for s in zs})
    return float(sp.limit(sp.diff(sp.log(expr, 10), t), t, sp.oo))


def item_law(claim):
    """(name, expression) of the claim's Poisson-heuristic law of one subset sum."""
    for name in ("item_mean", "mean"):
        if name in claim.expressions and claim.roles.get(name) == "definition":
            return name, claim.expressions[name]
    raise KeyError(f"claim {claim.id!r} has no Poisson-heuristic definition (item_mean / mean)")


def implied_items(claim, **slope_args) -> float:
    """Items per subset sum per unit of n implied by the claim's rate ``slope``."""
    _, law = item_law(claim)
    return float(claim.numeric("slope")(**slope_args)) / _per_item_slope(law)


def poisson_median(claim, items: float, targets) -> float:
    """Median of the claim's Poisson-heuristic law at ``items`` items, mixed over the targets z:
    a pair (z_low, z_high) means z ~ U[z_low, z_high], an array the empirical law of its values
    (bisection on the mixture CDF)."""
    name, law = item_law(claim)
    mean = claim.numeric(name)
    item_symbol = next(s.name for s in law.free_symbols if s.name in ("n", "k"))
    zs = (np.linspace(targets[0], targets[1], 401) if isinstance(targets, tuple)
          else np.asarray(targets, dtype=float))
    mu = np.broadcast_to(mean(**{item_symbol: float(items), "z": zs}), zs.shape)
    lo, hi = 1e-3 * mu.min(), 50 * mu.max()
    for _ in range(200):
        m = math.sqrt(lo * hi)
        if np.mean(1 - np.exp(-m / mu)) < 0.5:
            lo = m
        else:
            hi = m
    return math.sqrt(lo * hi)


def predicted_slope(claim, ns, targets, **slope_args) -> tuple[float, float]:
    """(finite-n predicted slope over ``ns``, items per unit implied by the claim's rate)."""
    c = implied_items(claim, **slope_args)
    if c <= 0:
        return float("nan"), c
    y = [math.log10(poisson_median(claim, c * n, targets)) for n in ns]
    return float(np.polyfit(np.asarray(ns, float), y, 1)[0]), c
