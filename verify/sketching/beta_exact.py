"""Exact (non-Monte-Carlo) distribution of β_X = min_i ‖X^{(i)}‖ / max_i ‖X^{(i)}‖ for isotropic
Gaussian features X ∈ R^{n×d} (X_{ji} ~ N(0, 1) i.i.d.), by one-dimensional quadrature.

The squared feature norms Y_i = ‖X^{(i)}‖² are i.i.d. χ²_n (cdf F, pdf f), and β_X² = R =
min_i Y_i / max_i Y_i.  Conditioning on the maximum M = x (density d f(x) F(x)^{d−1}), the other
d − 1 norms are i.i.d. with cdf F(·)/F(x) on [0, x], and R > t iff all of them exceed t·x:

    P(R > t) = d ∫_0^∞ f(x) [F(x) − F(t x)]^{d−1} dx
             = ∫_0^1 (1 − F(t x_v)/F(x_v))^{d−1} dv,   x_v = F^{-1}(v^{1/d})

(substituting v = F(x)^d, the cdf of the maximum).  The second form integrates a bounded smooth
function over (0, 1); it is evaluated by composite Gauss-Legendre quadrature with vectorised
regularised incomplete gamma functions (cross-checked against ``scipy.integrate.quad`` on the
first form in the tests).  1 − β_X = 1 − sqrt(R) is a decreasing function of R, so its median is
1 − sqrt(median R); the median is found by root finding on the exact cdf.

Everything here is claim-independent: it is the distribution of the claim's quantity under the
declared premise (i.i.d. isotropic Gaussian features), not a formula of the claim.
"""
from __future__ import annotations

from functools import lru_cache
from itertools import pairwise

import numpy as np
from scipy import integrate, optimize, special, stats

#: composite Gauss-Legendre rule on (0, 1): panels graded geometrically towards both ends (the
#: integrand has integrable endpoint singularities in its derivatives: v^{1/d} at 0, the χ² upper
#: quantile at 1); agreement with ``quad`` to ~1e-13 is tested
TAIL_PANELS, MID_PANELS, NODES = 16, 16, 32


@lru_cache(maxsize=1)
def _rule() -> tuple[np.ndarray, np.ndarray]:
    x, w = np.polynomial.legendre.leggauss(NODES)
    tails = np.logspace(-16, -1, TAIL_PANELS)
    edges = np.unique(np.concatenate([[0.0], tails, np.linspace(0.1, 0.9, MID_PANELS),
                                      1.0 - tails[::-1], [1.0]]))
    nodes = np.concatenate([(a + b) / 2 + (b - a) / 2 * x for a, b in pairwise(edges)])
    weights = np.concatenate([(b - a) / 2 * w for a, b in pairwise(edges)])
    return nodes, weights


def _conditional_gap(t: float, n: float, v: np.ndarray, d: int) -> np.ndarray:
    """1 − F(t x_v)/F(x_v) = [F(x_v) − F(t x_v)]/F(x_v), x_v = F^{-1}(v^{1/d}), without
    cancellation (upper tails where x_v is above the mean)."""
    half = n / 2.0
    upper = -np.expm1(np.log(v) / d)                 # 1 − v^{1/d} = P(Y > x_v)
    lower = 1.0 - upper                              # F(x_v)
    y = special.gammainccinv(half, upper)            # x_v / 2
    ty = t * y
    above = y > half
    diff = np.where(above, special.gammaincc(half, ty) - upper,
                    lower - special.gammainc(half, ty))
    return np.clip(diff / lower, 0.0, 1.0)


def ratio_sf(t: float, n: float, d: int) -> float:
    """P(R > t), R = min/max of d i.i.d. χ²_n (= β_X² for isotropic Gaussian X ∈ R^{n×d})."""
    if t <= 0:
        return 1.0
    if t >= 1:
        return 0.0
    if d == 1:
        return 1.0
    v, w = _rule()
    return float(np.sum(w * _conditional_gap(t, n, v, d) ** (d - 1)))


def ratio_sf_quad(t: float, n: float, d: int) -> float:
    """The same probability by ``scipy.integrate.quad`` on the first form
    d ∫ f(x) [F(x) − F(t x)]^{d−1} dx (slow; an independent cross-check)."""
    dist = stats.chi2(n)
    lo, hi = dist.ppf(1e-14), dist.isf(1e-16 / d)

    def integrand(x):
        diff = dist.sf(t * x) - dist.sf(x) if x > n else dist.cdf(x) - dist.cdf(t * x)
        return d * dist.pdf(x) * max(diff, 0.0) ** (d - 1)

    val, _ = integrate.quad(integrand, lo, hi, points=[n, dist.isf(1.0 / d)], limit=400,
                            epsabs=1e-13, epsrel=1e-10)
    return float(val)


def gap_cdf(g: float, n: float, d: int) -> float:
    """P(1 − β_X ≤ g) = P(R ≥ (1 − g)²) (R continuous)."""
    return ratio_sf((1.0 - g) ** 2, n, d)


def gap_quantile(q: float, n: float, d: int) -> float:
    """The q-quantile of 1 − β_X (exact, by Brent's method on ``gap_cdf`` in log g)."""
    if d == 1:
        return 0.0
    def f(lg):
        return gap_cdf(float(np.exp(lg)), n, d) - q

    lo, hi = np.log(1e-12), np.log(1.0 - 1e-12)
    return float(np.exp(optimize.brentq(f, lo, hi, xtol=1e-12, rtol=1e-13, maxiter=200)))


@lru_cache(maxsize=4096)
def gap_median(n: float, d: int) -> float:
    """median(1 − β_X) for isotropic Gaussian X ∈ R^{n×d}, exact."""
    return gap_quantile(0.5, n, d)


def local_slope(n: int, d: int, factor: float = 1.1) -> float:
    """d log median(1 − β_X) / d log n at n, by the central difference between the exact medians
    at the integers round(n/factor) and round(n·factor)."""
    n1, n2 = max(round(n / factor), 1), round(n * factor)
    return float((np.log(gap_median(n2, d)) - np.log(gap_median(n1, d)))
                 / (np.log(n2) - np.log(n1)))


def gap_sample(n: int, d: int, size: int, rng) -> np.ndarray:
    """Draws of 1 − β_X from the exact law of the squared norms (χ²_n), for tests only."""
    y = rng.chisquare(n, size=(size, d))
    return 1.0 - np.sqrt(y.min(axis=1) / y.max(axis=1))
