"""Rate fits of the separation routes: one false-failure level, slope CIs at that level, and the
finite-n slope predicted *from the claim object* (``spec/separation.md`` §3.1, §7).

* :data:`ALPHA` -- the family-wise false-failure probability of every statistical separation
  route.  A route that fits ``k`` slopes (or tests ``k`` widths) uses level ``1 - ALPHA/k`` for
  each (Bonferroni).  A slope fit across n is *one* test (its CI is a bootstrap over the
  instances of every width at once), so multiplicity across n is handled by the fit itself.
* :func:`slope_fit` -- least-squares slope of log10(median) with a percentile-bootstrap CI over
  instances, vectorised so that the extreme quantiles needed at level 1 - ALPHA/k rest on enough
  resamples (:data:`RESAMPLES`: >= 16 resamples in each tail for k <= 3).
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
#: bootstrap resamples of a slope fit (vectorised; level 1 - ALPHA/3 leaves >= 16 per tail)
RESAMPLES = 100_000
_CHUNK = 10_000


def slope_fit(x, groups, level: float, seed: int, log_x: bool = False) -> SlopeFit:
    """Slope of log10(median(group)) against x (or log10 x) with a percentile bootstrap CI over
    the instances of each group (resampled independently per x), :data:`RESAMPLES` resamples."""
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
    slopes = []
    for start in range(0, RESAMPLES, _CHUNK):
        b = min(_CHUNK, RESAMPLES - start)
        ys = np.empty((b, len(groups)))
        for j, g in enumerate(groups):
            idx = rng.integers(0, g.size, size=(b, g.size))
            ys[:, j] = np.log10(np.median(g[idx], axis=1))
        slopes.append(ys @ weights)
    slopes = np.concatenate(slopes)
    alpha = 1 - level
    lo, hi = np.quantile(slopes, [alpha / 2, 1 - alpha / 2])
    resid = y - (intercept + slope * xx)
    r2 = 1 - float(resid @ resid) / max(float(((y - y.mean()) ** 2).sum()), 1e-300)
    return SlopeFit(slope, intercept, float(lo), float(hi), level, r2,
                    f"percentile bootstrap over instances ({RESAMPLES} resamples), log10 of "
                    "median")


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
