"""Confidence intervals and the decision rules that turn them into verdicts.

Decision rules (``spec/README``, "What verified means"):

* an upper bound on a mean holds when the CI's *lower* end is <= the bound (refuted if it is above);
  it is *verified* when even the upper end is <= the bound, inconclusive when the bound lies inside;
* an identity E = exact holds when the CI covers ``exact``;
* a rate holds when the fitted slope's CI contains the predicted slope.

Every interval comes from scipy (``stats.t``, ``stats.bootstrap``, ``stats.binomtest``).
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
from scipy import stats


@dataclass(frozen=True)
class Interval:
    estimate: float
    low: float
    high: float
    level: float
    n: int
    method: str

    def covers(self, value: float) -> bool:
        return self.low <= value <= self.high

    def as_dict(self) -> dict:
        return asdict(self)


def _finite_sample(x, name: str = "sample") -> np.ndarray:
    x = np.asarray(x, dtype=float).ravel()
    if x.size < 2:
        raise ValueError(f"{name} needs at least 2 values, got {x.size}")
    if not np.all(np.isfinite(x)):
        raise ValueError(f"{name} contains NaN or inf")
    return x


def mean_ci(x, level: float = 0.99) -> Interval:
    """Student-t interval for the mean (CLT; trials are i.i.d.)."""
    x = _finite_sample(x)
    m, se = float(x.mean()), float(x.std(ddof=1) / np.sqrt(x.size))
    if se == 0.0:
        return Interval(m, m, m, level, x.size, "t (zero variance)")
    lo, hi = stats.t.interval(level, x.size - 1, loc=m, scale=se)
    return Interval(m, float(lo), float(hi), level, x.size, "t")


def bootstrap_ci(x, statistic=np.median, level: float = 0.95, rng=None,
                 n_resamples: int = 2000) -> Interval:
    """Percentile-BCa bootstrap CI of ``statistic`` (scipy.stats.bootstrap)."""
    x = _finite_sample(x)
    rng = np.random.default_rng(rng)
    est = float(statistic(x))
    if np.all(x == x[0]):
        return Interval(est, est, est, level, x.size, "bootstrap (constant)")
    res = stats.bootstrap((x,), statistic, confidence_level=level, n_resamples=n_resamples,
                          rng=rng, method="percentile", vectorized=False)
    return Interval(est, float(res.confidence_interval.low), float(res.confidence_interval.high),
                    level, x.size, "bootstrap-percentile")


def proportion_ci(successes: int, trials: int, level: float = 0.99) -> Interval:
    """Clopper-Pearson (exact) interval for a binomial proportion."""
    if trials < 1:
        raise ValueError(f"trials must be >= 1, got {trials}")
    res = stats.binomtest(int(successes), int(trials))
    ci = res.proportion_ci(confidence_level=level, method="exact")
    return Interval(successes / trials, float(ci.low), float(ci.high), level, trials,
                    "clopper-pearson")


def upper_bound_verdict(ci: Interval, bound: float) -> str:
    """verified / refuted / inconclusive for the claim ``E[X] <= bound`` given a CI of E[X]."""
    if not np.isfinite(bound):
        return "inconclusive"
    if ci.low > bound:
        return "refuted"
    return "verified" if ci.high <= bound else "inconclusive"


def lower_bound_verdict(ci: Interval, bound: float) -> str:
    """verified / refuted / inconclusive for the claim ``E[X] >= bound`` given a CI of E[X]."""
    if not np.isfinite(bound):
        return "inconclusive"
    if ci.high < bound:
        return "refuted"
    return "verified" if ci.low >= bound else "inconclusive"


@dataclass(frozen=True)
class SlopeFit:
    slope: float
    intercept: float
    ci_low: float
    ci_high: float
    level: float
    r2: float
    method: str

    def contains(self, value: float) -> bool:
        return self.ci_low <= value <= self.ci_high

    def as_dict(self) -> dict:
        return asdict(self)


def fit_slope(x, groups, level: float = 0.95, rng=None, n_resamples: int = 2000,
              statistic=np.median, log_x: bool = False) -> SlopeFit:
    """Slope of ``log10(statistic(group))`` against ``x`` (or ``log10 x`` if ``log_x``), with a CI
    from a bootstrap over the instances inside each group (resampled independently per x).

    ``groups`` is a list of 1-D arrays (the per-instance values at each x, all > 0).
    """
    x = np.asarray(x, dtype=float)
    if len(groups) != x.size or x.size < 2:
        raise ValueError("need one group per x and at least two x values")
    groups = [np.asarray(g, dtype=float) for g in groups]
    for g in groups:
        if g.size < 1 or np.any(~np.isfinite(g)) or np.any(g <= 0):
            raise ValueError("each group must be non-empty, finite and positive")
    rng = np.random.default_rng(rng)
    xx = np.log10(x) if log_x else x

    def slope_of(stat_values):
        y = np.log10(stat_values)
        return np.polyfit(xx, y, 1)

    point = slope_of(np.array([statistic(g) for g in groups]))
    slopes = np.empty(n_resamples)
    for b in range(n_resamples):
        stat_values = np.array([statistic(g[rng.integers(0, g.size, g.size)]) for g in groups])
        slopes[b] = slope_of(stat_values)[0]
    alpha = 1 - level
    lo, hi = np.quantile(slopes, [alpha / 2, 1 - alpha / 2])
    y = np.log10([statistic(g) for g in groups])
    resid = y - np.polyval(point, xx)
    r2 = 1 - float(resid @ resid) / max(float(((y - y.mean()) ** 2).sum()), 1e-300)
    return SlopeFit(float(point[0]), float(point[1]), float(lo), float(hi), level, r2,
                    "bootstrap over instances, log10 of " + getattr(statistic, "__name__", "stat"))


def quantile_ci(x, q: float, level: float = 0.95) -> Interval:
    """Distribution-free CI for the ``q``-quantile from order statistics (binomial ranks)."""
    x = np.sort(_finite_sample(x))
    if not 0 < q < 1:
        raise ValueError(f"q must be in (0, 1), got {q}")
    n = x.size
    alpha = 1 - level
    lo_rank = int(stats.binom.ppf(alpha / 2, n, q))          # 0-based order statistic
    hi_rank = int(stats.binom.ppf(1 - alpha / 2, n, q))
    lo = x[max(lo_rank - 1, 0)]
    hi = x[min(hi_rank, n - 1)]
    return Interval(float(np.quantile(x, q)), float(lo), float(hi), level, n, "order-statistic")
