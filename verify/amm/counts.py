r"""Exact AMM quantities at large ``c`` through multinomial counts (numerics room: imports only
:mod:`.numerics`; claim-independent, everything from the definitions).

CR depends on the index tuple only through the counts :math:`n_k = \#\{t: i_t = k\}`,
:math:`CR = \frac1c\sum_k n_k Z_k` with :math:`Z_k = A^{(k)}B_{(k)}/p_k`, and the counts are
multinomial(c, p).  So

* :func:`count_enumeration` sums over the :math:`\binom{c+n-1}{n-1}` count vectors instead of the
  :math:`n^c` tuples (exact rationals): E[CR] and E||AB - CR||_F^2 at c = 16, 64 with n = 3;
* :func:`moment_expected_error` uses only the multinomial moments
  :math:`E n_k = c p_k`, :math:`E n_k n_l = c(c-1)p_k p_l + c p_k [k = l]` (exact rationals, any c);
* :func:`scalar_tails` gives the exact law of F = |AB - CR| for a 1 x n times n x 1 instance
  (n = 2: a binomial, n = 3: a trinomial) as distinct atoms with exact tail probabilities
  P(F >= f), computed in integer arithmetic (so tails down to ~1e-300 are exact to double
  precision, unlike 1 - cumsum);
* :func:`delta_bands` scans the whole delta domain of a statement P(F <= b(delta)) >= 1 - delta
  band by band.
"""
from __future__ import annotations

import math
from fractions import Fraction

import numpy as np

from . import numerics as amm

DELTA_BANDS = ((0.0, 0.05), (0.05, 0.5), (0.5, 1.0))


def compositions(c: int, n: int):
    """Every count vector (n_1..n_n) of non-negative integers summing to c."""
    if n == 1:
        yield (c,)
        return
    for first in range(c + 1):
        for rest in compositions(c - first, n - 1):
            yield (first,) + rest


def _rational_instance(A, B, p):
    A, B = amm.validate_factors(A, B)
    pf = [Fraction(x) for x in np.asarray(p, dtype=object).tolist()]
    if len(pf) != A.shape[1] or sum(pf) != 1 or any(x < 0 for x in pf):
        raise ValueError("p must be n non-negative rationals summing exactly to 1")
    Af = [[Fraction(x) for x in row] for row in A.tolist()]
    Bf = [[Fraction(x) for x in row] for row in B.tolist()]
    n, m, q = len(pf), len(Af), len(Bf[0])
    AB = [Fraction(sum(Af[i][k] * Bf[k][j] for k in range(n))) for i in range(m) for j in range(q)]
    support = [k for k in range(n) if pf[k] > 0]
    Z = {k: [Af[i][k] * Bf[k][j] / pf[k] for i in range(m) for j in range(q)] for k in support}
    return pf, AB, support, Z


def count_enumeration(A, B, p, c: int) -> tuple[list, Fraction]:
    """(E[CR] flattened row-major, E||AB - CR||_F^2), exact, by summing over count vectors."""
    pf, AB, support, Z = _rational_instance(A, B, p)
    c = amm.validate_c(c)
    size = len(AB)
    mean = [Fraction(0)] * size
    expected = Fraction(0)
    for counts in compositions(c, len(support)):
        prob = Fraction(math.factorial(c))
        for k, nk in zip(support, counts):
            prob *= Fraction(pf[k]) ** nk / math.factorial(nk)
        CR = [sum(nk * Z[k][e] for k, nk in zip(support, counts)) / c for e in range(size)]
        for e in range(size):
            mean[e] += prob * CR[e]
        expected += prob * sum((AB[e] - CR[e]) ** 2 for e in range(size))
    return mean, expected


def moment_expected_error(A, B, p, c: int) -> Fraction:
    """E||AB - CR||_F^2 exactly from the first two multinomial moments of the counts."""
    pf, AB, support, Z = _rational_instance(A, B, p)
    c = amm.validate_c(c)
    size = len(AB)
    dot = {(k, l): sum(Z[k][e] * Z[l][e] for e in range(size)) for k in support for l in support}
    second = sum((c * (c - 1) * pf[k] * pf[l] + (c * pf[k] if k == l else 0)) * dot[k, l]
                 for k in support for l in support) / c**2          # E||CR||^2
    cross = sum(pf[k] * Z[k][e] * AB[e] for k in support for e in range(size))   # E<CR, AB>
    return second - 2 * cross + sum(x * x for x in AB)


def scalar_tails(A, B, p, c: int) -> tuple[np.ndarray, np.ndarray]:
    """Exact law of F = |AB - CR| for a 1 x n by n x 1 instance: (distinct atoms f ascending,
    P(F >= f)), both float; the probabilities are summed as integers over a common denominator."""
    pf, AB, support, Z = _rational_instance(A, B, p)
    if len(AB) != 1:
        raise ValueError("scalar_tails needs a 1 x n by n x 1 instance")
    c = amm.validate_c(c)
    den = math.lcm(*(x.denominator for x in pf))
    nums = [int(pf[k] * den) for k in support]
    weights: dict[Fraction, int] = {}
    for counts in compositions(c, len(support)):
        w = math.factorial(c)
        for nk in counts:
            w //= math.factorial(nk)
        for num, nk in zip(nums, counts):
            w *= num**nk
        f = abs(AB[0] - sum(nk * Z[k][0] for k, nk in zip(support, counts)) / c)
        weights[f] = weights.get(f, 0) + w
    total = den**c
    atoms = sorted(weights)
    tails, acc = [], 0
    for f in reversed(atoms):
        acc += weights[f]
        tails.append(Fraction(acc, total))
    return np.array([float(f) for f in atoms]), np.array([float(t) for t in reversed(tails)])


def delta_bands(atoms, tails, bound_of_delta, bands=DELTA_BANDS) -> list[dict]:
    """For a discrete F with atoms f_j and tails t_j = P(F >= f_j): the statement
    P(F <= b(delta)) >= 1 - delta fails at delta iff b(delta) < f_j for some j with t_j > delta.
    As b decreases in delta, the hardest delta of band (lo, hi] for atom j (t_j > lo) is
    min(hi, t_j) (just below t_j when t_j <= hi).  Returns per band: the worst ratio
    f_j / b(delta) (= the worst (1-delta)-quantile / bound over the band), its delta, violated?"""
    atoms, tails = np.asarray(atoms, float), np.asarray(tails, float)
    out = []
    for lo, hi in bands:
        keep = (tails > lo) & (atoms > 0)
        if not np.any(keep):
            out.append({"band": [lo, hi], "ratio": 0.0, "delta": None, "violated": False})
            continue
        deltas = np.clip(np.minimum(hi, tails[keep] * (1 - 1e-9)), 1e-300, 1 - 1e-15)
        deltas = np.where(deltas > lo, deltas, np.nextafter(lo, 1.0))
        bounds = np.broadcast_to(np.asarray(bound_of_delta(deltas), float), deltas.shape)
        ratios = atoms[keep] / np.where(bounds > 0, bounds, 1e-300)
        j = int(np.argmax(ratios))
        out.append({"band": [lo, hi], "ratio": float(ratios[j]), "delta": float(deltas[j]),
                    "violated": bool(np.any(atoms[keep] > bounds * (1 + 1e-12)))})
    return out


def probabilities_to_tails(probs, F) -> tuple[np.ndarray, np.ndarray]:
    """Distinct atoms (ascending) and P(F >= f) from per-outcome (probability, F) arrays; the
    tails are summed from the top (no 1 - cumsum cancellation)."""
    order = np.argsort(F, kind="stable")
    F, probs = np.asarray(F)[order], np.asarray(probs, float)[order]
    _, first = np.unique(np.round(F, 12), return_index=True)
    tail_all = np.cumsum(probs[::-1])[::-1]
    return F[first], tail_all[first]
