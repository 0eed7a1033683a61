"""Neuron pruning of a random bias-free two-layer ReLU net: exact evaluators, certified bounds.

Setting (``spec/separation.md`` §2, a *reconstruction* [derived] -- the seed paper's full text was
not available):

* target :math:`f(x) = \\sigma(w \\cdot x)`, :math:`\\sigma(t) = \\max(t, 0)`, :math:`w \\ne 0`;
* random net: hidden units :math:`u_i \\in \\mathbb R^d` (i.i.d. U[-1,1]^d or N(0, I_d)), output
  weights :math:`v_i \\sim U[-1,1]`, features :math:`\\varphi_i(x) = v_i \\sigma(u_i \\cdot x)`;
* architecture ``"A"`` (linear output) :math:`N_S = h_S = \\sum_{i \\in S} \\varphi_i`;
  architecture ``"B"`` (output ReLU) :math:`N_S = \\sigma(h_S)`;
* neuron pruning chooses :math:`S \\subseteq [n]`; error ``"sup"``
  :math:`E_\\infty = \\sup_{\\|x\\| = 1} |N_S - f|` (= the sup over the unit ball, by 1-homogeneity)
  or ``"L2"`` :math:`E_2 = (\\mathbb E_{x \\sim \\mathrm{Unif}(S^{d-1})} (N_S - f)^2)^{1/2}`.

Methods (``spec/separation.md`` §5), all for d = 2 unless stated:

* :func:`circle_error` -- the **exact** error of a given subset: between consecutive kinks every
  function is a sinusoid :math:`a\\cos\\theta + b\\sin\\theta`, whose max modulus on an arc is
  :math:`\\sqrt{a^2+b^2}` if its phase (mod :math:`\\pi`) falls in the arc, else the larger endpoint
  value; for B the arcs are first split at the zeros of :math:`h_S` [derived].  The L2 error
  integrates the squared sinusoids in closed form.
* :func:`milp_architecture_a` -- grid MILP (``scipy.optimize.milp``, HiGHS) on a uniform grid plus
  every kink angle: its proven optimum / dual bound is a **certified lower bound** on the true
  optimum (the grid is a subset of the circle); the exact error of its incumbent is an **upper
  bound**.  A node-limited solve is reported as a bound, never as an optimum.  Every MILP is
  bounded by a deterministic node limit and every bisection by a step count (see
  :data:`SAFETY_TIME_LIMIT`): results do not depend on machine load or executor.
* :func:`bisection_architecture_b` -- bisection on t with a feasibility MILP (§5.6):
  :math:`|\\sigma(h) - F| \\le t \\iff h \\le F + t` and (:math:`F \\le t` or :math:`h \\ge F - t`).
  Infeasible t are certified lower bounds; feasible incumbents give upper bounds.
* :func:`local_search`, :func:`restricted_candidates`, :func:`candidate_ranking` -- upper bounds
  for larger n (a restricted-candidate large-neighbourhood MILP search, §5.7).
* :func:`kink_gap_bound` -- per-instance lower bound for architecture A (§4.3)
  :math:`\\|w\\| \\delta_1 \\delta_2 / (2(\\delta_1 + \\delta_2))`; :func:`lp_relaxation_bound_a`.
* :func:`brute_force_best` -- exhaustive enumeration (small n), the test reference.
* d = 1: neuron pruning is two independent subset sums (§4.2), solved exactly by
  :func:`verify.subsetsum.best_subset_sum`.

Every function taking randomness has one ``rng`` argument normalised by
``numpy.random.default_rng``.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

ARCHITECTURES = ("A", "B")


NORMS = ("sup", "L2")


INNER_LAWS = ("uniform", "gaussian")


TWO_PI = 2.0 * math.pi


KINK_OFFSET = 1e-9


#: MILP feasibility tolerance of HiGHS (absolute); certified bounds hold up to this slack.
SOLVER_TOLERANCE = 1e-7


# --- Portable elementary functions -------------------------------------------------------------
# numpy's transcendental ufuncs are not the same function on every machine: ``np.arctan2`` and
# ``np.exp`` switch to SIMD (SVML-style) kernels on AVX-512 CPUs, ``np.cos``/``np.sin``/``np.hypot``
# call the platform libm (glibc picks FMA variants by CPU), and ``@``/``np.linalg.norm`` go
# through the OpenBLAS kernel chosen for the CPU (FMA or not, different summation orders).  A
# last-bit difference in a grid matrix is enough to change HiGHS' path under a node limit (the
# restricted-search upper bound at n = 96 moved 23 % at its lower quartile between machines).
# Everything that feeds a decision is therefore computed below from IEEE-754 basic operations
# only (+, -, *, /, sqrt, rint, comparisons: correctly rounded, one ufunc call per operation, so
# no FMA contraction) in a fixed order -- bit-identical on every IEEE-754 machine.  The
# polynomials are fdlibm's (Sun Microsystems, freely distributable); accuracy <= ~1 ulp.

_PIO2_1 = 1.57079632673412561417e+00     # first 33 bits of pi/2 (k * _PIO2_1 exact, |k| < 2^20)
_PIO2_2 = 6.07710050630396597660e-11     # next 33 bits
_PIO2_2T = 2.02226624879595063154e-21    # pi/2 - (_PIO2_1 + _PIO2_2)
_INVPIO2 = 6.36619772367581382433e-01
_S = (-1.66666666666666324348e-01, 8.33333333332248946124e-03, -1.98412698298579493134e-04,
      2.75573137070700676789e-06, -2.50507602534068634195e-08, 1.58969099521155010221e-10)
_C = (4.16666666666666019037e-02, -1.38888888888741095749e-03, 2.48015872894767294178e-05,
      -2.75573143513906633035e-07, 2.08757232129817482790e-09, -1.13596475577881948265e-11)
_ATANHI = np.array([4.63647609000806093515e-01, 7.85398163397448278999e-01,
                    9.82793723247329054082e-01, 1.57079632679489655800e+00])
_ATANLO = np.array([2.26987774529616870924e-17, 3.06161699786838301793e-17,
                    1.39033110312309984516e-17, 6.12323399573676603587e-17])
_AT = (3.33333333333329318027e-01, -1.99999999998764832476e-01, 1.42857142725034663711e-01,
       -1.11111104054623557880e-01, 9.09088713343650656196e-02, -7.69187620504482999495e-02,
       6.66107313738753120669e-02, -5.83357013379057348645e-02, 4.97687799461593236017e-02,
       -3.65315727442169155270e-02, 1.62858201153657823623e-02)
_PI = 3.1415926535897931160e+00
_PI_LO = 1.2246467991473531772e-16


def _kernel_sin(r):
    z = r * r
    poly = _S[1] + z * (_S[2] + z * (_S[3] + z * (_S[4] + z * _S[5])))
    return r + (z * r) * (_S[0] + z * poly)


def _kernel_cos(r):
    z = r * r
    poly = z * (_C[0] + z * (_C[1] + z * (_C[2] + z * (_C[3] + z * (_C[4] + z * _C[5])))))
    # fdlibm: for 0.3 <= |r| <= 0.78125 subtract qx = |r|/4 (low 32 bits cleared) exactly first
    q = np.abs(r) * 0.25
    q = (q.view(np.uint64) & np.uint64(0xFFFFFFFF00000000)).view(np.float64)
    q = np.where(np.abs(r) < 0.3, 0.0, np.where(np.abs(r) > 0.78125, 0.28125, q))
    return (1.0 - q) - ((0.5 * z - q) - z * poly)


def det_sincos(theta) -> tuple[np.ndarray, np.ndarray]:
    """(sin, cos) of ``theta`` (|theta| < ~1e5) from basic IEEE operations only: bit-identical on
    every machine (unlike ``np.sin``/``np.cos``, which use the platform libm)."""
    x = np.asarray(theta, dtype=np.float64)
    k = np.rint(x * _INVPIO2)
    r = ((x - k * _PIO2_1) - k * _PIO2_2) - k * _PIO2_2T
    ks, kc = _kernel_sin(r), _kernel_cos(r)
    quadrant = np.mod(k, 4.0)
    odd = (quadrant == 1.0) | (quadrant == 3.0)
    sin = np.where(odd, kc, ks)
    cos = np.where(odd, ks, kc)
    sin = np.where(quadrant >= 2.0, -sin, sin)
    cos = np.where((quadrant == 1.0) | (quadrant == 2.0), -cos, cos)
    return sin, cos


def det_cos(theta) -> np.ndarray:
    return det_sincos(theta)[1]


_ATAN_C = np.array([0.0, 0.5, 1.0])
_ATAN_HI = np.array([0.0, _ATANHI[0], _ATANHI[1]])
_ATAN_LO = np.array([0.0, _ATANLO[0], _ATANLO[1]])
_PIO2_HI, _PIO2_LO = _ATANHI[3], _ATANLO[3]


def det_arctan2(y, x) -> np.ndarray:
    """``arctan2(y, x)`` in [-pi, pi] from basic IEEE operations only: bit-identical on every
    machine, unlike ``np.arctan2`` (SIMD kernels on AVX-512 CPUs).  fdlibm's atan kernel on
    t = min(|x|, |y|) / max(|x|, |y|) in [0, 1] (argument reduction at 7/16 and 11/16), then the
    octant / quadrant by pi/2 - a, pi - a with fdlibm's two-part constants; <= ~1.5 ulp."""
    y = np.asarray(y, dtype=np.float64)
    x = np.asarray(x, dtype=np.float64)
    ay, ax = np.abs(y), np.abs(x)
    swap = ax < ay
    num = np.where(swap, ax, ay)
    den = np.where(swap, ay, ax)
    t = num / np.where(den == 0.0, 1.0, den)
    bucket = (t >= 0.4375).astype(np.intp) + (t >= 0.6875)
    c = _ATAN_C[bucket]
    xr = np.where(bucket == 0, t, (t - c) / (1.0 + c * t))
    z = xr * xr
    w = z * z
    s1 = z * (_AT[0] + w * (_AT[2] + w * (_AT[4] + w * (_AT[6] + w * (_AT[8] + w * _AT[10])))))
    s2 = w * (_AT[1] + w * (_AT[3] + w * (_AT[5] + w * (_AT[7] + w * _AT[9]))))
    poly = xr * (s1 + s2)
    a = np.where(bucket == 0, xr - poly, _ATAN_HI[bucket] - ((poly - _ATAN_LO[bucket]) - xr))
    a = np.where(swap, _PIO2_HI - (a - _PIO2_LO), a)
    a = np.where(np.signbit(x) & ((x != 0.0) | (y == 0.0)), _PI - (a - _PI_LO), a)
    return np.where(np.signbit(y), -a, a)


def det_hypot(a, b) -> np.ndarray:
    """sqrt(a^2 + b^2) by basic IEEE operations (no libm ``hypot``, no FMA); |a|, |b| << 1e150."""
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    return np.sqrt(a * a + b * b)


def det_norm(x) -> float:
    """Euclidean norm, machine-independent: ``math.fsum`` of the squares (exactly rounded) and a
    correctly rounded square root (``np.linalg.norm`` uses BLAS, kernel-dependent)."""
    x = np.asarray(x, dtype=np.float64).ravel()
    return math.sqrt(math.fsum((x * x).tolist()))


def det_rowsum(A) -> np.ndarray:
    """Row sums of a 2-D array in a fixed (left-to-right) order: no BLAS, no SIMD reassociation."""
    A = np.asarray(A, dtype=np.float64)
    if A.shape[1] == 0:
        return np.zeros(A.shape[0])
    return np.add.accumulate(A, axis=1)[:, -1].copy()


def det_matvec(A, x) -> np.ndarray:
    """``A @ x`` summed left to right (fixed order, no BLAS); exact column selection when ``x`` is
    0/1 (the subsets of neuron pruning)."""
    A = np.asarray(A, dtype=np.float64)
    x = np.asarray(x, dtype=np.float64)
    if np.all((x == 0.0) | (x == 1.0)):
        return det_rowsum(A[:, x == 1.0])
    return det_rowsum(A * x[None, :])


def _check_architecture(architecture: str) -> str:
    if architecture not in ARCHITECTURES:
        raise ValueError(f"architecture must be one of {ARCHITECTURES}, got {architecture!r}")
    return architecture


def _check_norm(norm: str) -> str:
    if norm not in NORMS:
        raise ValueError(f"norm must be one of {NORMS}, got {norm!r}")
    return norm


def validate_network(U, v, w) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Arrays ``U`` (n, d), ``v`` (n,), ``w`` (d,) as float, or ``ValueError`` naming the argument:
    n >= 1, d >= 1, all finite, ``||w|| > 0``."""
    U = np.asarray(U, dtype=float)
    v = np.asarray(v, dtype=float)
    w = np.asarray(w, dtype=float)
    if U.ndim != 2:
        raise ValueError(f"U must be a 2-D array (n units, d inputs), got shape {U.shape}")
    n, d = U.shape
    if n < 1:
        raise ValueError(f"U must have n >= 1 hidden units, got n = {n}")
    if d < 1:
        raise ValueError(f"U must have d >= 1 input dimensions, got d = {d}")
    if v.shape != (n,):
        raise ValueError(f"v must have shape ({n},) (one output weight per unit), got {v.shape}")
    if w.shape != (d,):
        raise ValueError(f"w must have shape ({d},) (the target's input dimension), got {w.shape}")
    for name, arr in (("U", U), ("v", v), ("w", w)):
        if not np.all(np.isfinite(arr)):
            raise ValueError(f"{name} must be finite (no NaN or inf weights)")
    if not det_norm(w) > 0:
        raise ValueError("w must have ||w|| > 0 (a non-zero target neuron)")
    return U, v, w


def _check_subset(subset, n: int) -> np.ndarray:
    s = np.unique(np.asarray(subset, dtype=int).ravel())
    if s.size and (s[0] < 0 or s[-1] >= n):
        raise ValueError(f"subset indices must lie in [0, {n - 1}], got {subset!r}")
    return s


def random_network(n: int, d: int = 2, inner: str = "gaussian", rng=None):
    """A random bias-free two-layer ReLU net: ``U`` (n, d) with i.i.d. U[-1,1] (``"uniform"``) or
    N(0, 1) (``"gaussian"``) entries, and output weights ``v`` ~ U[-1, 1]."""
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"n must be an integer >= 1, got {n!r}")
    if isinstance(d, bool) or not isinstance(d, (int, np.integer)) or d < 1:
        raise ValueError(f"d must be an integer >= 1, got {d!r}")
    if inner not in INNER_LAWS:
        raise ValueError(f"inner must be one of {INNER_LAWS}, got {inner!r}")
    rng = np.random.default_rng(rng)
    if inner == "uniform":
        U = rng.uniform(-1.0, 1.0, size=(n, d))
    else:
        U = rng.standard_normal(size=(n, d))
    v = rng.uniform(-1.0, 1.0, size=n)
    return U, v


def random_target(d: int = 2, rng=None, where: str = "sphere") -> np.ndarray:
    """A target ``w`` uniform on the unit sphere (``"sphere"``, ||w|| = 1) or in the unit ball
    (``"ball"``, the Pensia-style targets)."""
    if isinstance(d, bool) or not isinstance(d, (int, np.integer)) or d < 1:
        raise ValueError(f"d must be an integer >= 1, got {d!r}")
    if where not in ("sphere", "ball"):
        raise ValueError(f"where must be 'sphere' or 'ball', got {where!r}")
    rng = np.random.default_rng(rng)
    g = rng.standard_normal(d)
    g /= det_norm(g)
    if where == "ball":
        u = rng.uniform()
        g *= math.sqrt(u) if d == 2 else u ** (1.0 / d)
    return g


def _polar(U, v, w):
    angles = det_arctan2(np.append(U[:, 1], w[1]), np.append(U[:, 0], w[0]))
    amp = v * det_hypot(U[:, 0], U[:, 1])
    return angles[:-1], amp, float(angles[-1]), float(det_hypot(w[0], w[1]))


def _arcs(breaks: np.ndarray):
    b = np.unique(np.mod(breaks, TWO_PI))
    starts = b
    ends = np.append(b[1:], b[0] + TWO_PI)
    return starts, ends


def _cos_positive(delta) -> np.ndarray:
    """cos(delta) > 0, decided by exact angle arithmetic (np.mod) instead of a cosine."""
    m = np.mod(np.asarray(delta, dtype=np.float64) + math.pi / 2, TWO_PI)
    return (m > 0.0) & (m < math.pi)


def _sinusoid_coefficients(theta: np.ndarray, alpha: np.ndarray, ca: np.ndarray, sa: np.ndarray):
    """(a, b) with sum_i amp_i sigma(cos(theta - alpha_i)) = a cos theta + b sin theta near each
    theta (the active set is read at theta itself); ``ca``, ``sa`` = amp cos(alpha), amp
    sin(alpha) = v u_1, v u_2.  Sums in a fixed order (machine-independent)."""
    if alpha.size == 0:
        return np.zeros_like(theta), np.zeros_like(theta)
    active = _cos_positive(theta[:, None] - alpha[None, :])
    a = det_rowsum(np.where(active, ca[None, :], 0.0))
    b = det_rowsum(np.where(active, sa[None, :], 0.0))
    return a, b


def _arc_abs_max(A, B, t0, t1):
    """max |A cos t + B sin t| over [t0, t1] (vectorised; t1 - t0 < 2 pi)."""
    r = det_hypot(A, B)
    phase = det_arctan2(B, A)
    k = np.ceil((t0 - phase) / math.pi)
    interior = phase + k * math.pi <= t1
    m = t0.size
    s, c = det_sincos(np.concatenate([t0, t1]))
    ends = np.maximum(np.abs(A * c[:m] + B * s[:m]), np.abs(A * c[m:] + B * s[m:]))
    return np.where(interior, np.maximum(r, ends), ends)


def _arc_square_integral(A, B, t0, t1):
    """integral over [t0, t1] of (A cos t + B sin t)^2 (closed form)."""
    m = t0.size
    s = det_sincos(np.concatenate([t0, t1, 2 * t0, 2 * t1]))[0]

    def prim(t, s1, s2):
        return A * A * (t / 2 + s2 / 4) + B * B * (t / 2 - s2 / 4) + A * B * (s1 * s1)
    return prim(t1, s[m:2 * m], s[3 * m:]) - prim(t0, s[:m], s[2 * m:3 * m])


def _difference_pieces(U, v, w, subset, architecture):
    """Arcs [t0, t1] of the circle and sinusoid coefficients (A, B) of N_S - f on each."""
    alpha, _, theta_w, _ = _polar(U, v, w)
    alpha_s = alpha[subset]
    ca, sa = v[subset] * U[subset, 0], v[subset] * U[subset, 1]
    breaks = np.concatenate([alpha_s + math.pi / 2, alpha_s - math.pi / 2,
                             [theta_w + math.pi / 2, theta_w - math.pi / 2]])
    t0, t1 = _arcs(breaks)
    mid = 0.5 * (t0 + t1)
    if architecture == "B":
        ah, bh = _sinusoid_coefficients(mid, alpha_s, ca, sa)
        phase = det_arctan2(bh, ah)
        nonzero = (ah != 0.0) | (bh != 0.0)
        zeros = []
        for shift in (math.pi / 2, -math.pi / 2):
            z = phase + shift
            z = t0 + np.mod(z - t0, TWO_PI)
            keep = (z > t0) & (z < t1) & nonzero
            zeros.append(z[keep])
        t0, t1 = _arcs(np.concatenate([breaks, *zeros]))
        mid = 0.5 * (t0 + t1)
    ah, bh = _sinusoid_coefficients(mid, alpha_s, ca, sa)
    if architecture == "B":
        s_mid, c_mid = det_sincos(mid)
        positive = ah * c_mid + bh * s_mid > 0
        ah, bh = np.where(positive, ah, 0.0), np.where(positive, bh, 0.0)
    target_on = _cos_positive(mid - theta_w)
    A = ah - np.where(target_on, w[0], 0.0)
    B = bh - np.where(target_on, w[1], 0.0)
    return t0, t1, A, B


def circle_error(U, v, w, subset, architecture: str = "B", norm: str = "sup") -> float:
    """Exact error of the neuron-pruned net ``S = subset`` (d = 2).

    .. math::  E_\\infty = \\max_{\\text{arcs}} \\max_{\\theta \\in \\text{arc}}
               |a \\cos\\theta + b \\sin\\theta|, \\qquad
               E_2^2 = \\frac{1}{2\\pi} \\sum_{\\text{arcs}} \\int (a\\cos\\theta+b\\sin\\theta)^2

    Arcs are delimited by the kinks of the features in S and of the target (for B also by the zeros
    of :math:`h_S`), on which :math:`N_S - f` is one sinusoid.  [derived] (spec §5.3)
    """
    U, v, w = validate_network(U, v, w)
    _check_architecture(architecture)
    _check_norm(norm)
    if U.shape[1] != 2:
        raise ValueError(f"circle_error needs d = 2 (U of shape (n, 2)), got d = {U.shape[1]}")
    s = _check_subset(subset, U.shape[0])
    t0, t1, A, B = _difference_pieces(U, v, w, s, architecture)
    if norm == "sup":
        return float(np.max(_arc_abs_max(A, B, t0, t1)))
    total = math.fsum(_arc_square_integral(A, B, t0, t1).tolist())
    return float(math.sqrt(max(total, 0.0) / TWO_PI))


def network_output(U, v, subset, X, architecture: str = "B") -> np.ndarray:
    """:math:`N_S(x)` at the rows of ``X`` (any d) -- the plain definition, for dense checks."""
    U = np.asarray(U, dtype=float)
    s = _check_subset(subset, U.shape[0])
    h = det_rowsum(np.maximum(_det_inner(np.asarray(X, dtype=float), U[s]), 0.0)
                   * np.asarray(v, dtype=float)[s][None, :])
    return np.maximum(h, 0.0) if _check_architecture(architecture) == "B" else h


def dense_grid_error(U, v, w, subset, architecture: str = "B", norm: str = "sup",
                     points: int = 200_000) -> float:
    """The error on ``points`` uniform angles (d = 2): the naive reference for
    :func:`circle_error` (a lower estimate of the sup; a Riemann sum for L2)."""
    U, v, w = validate_network(U, v, w)
    theta = np.linspace(0.0, TWO_PI, points, endpoint=False)
    sin, cos = det_sincos(theta)
    X = np.column_stack([cos, sin])
    diff = network_output(U, v, subset, X, architecture) - np.maximum(_det_inner(X, w), 0.0)
    if _check_norm(norm) == "sup":
        return float(np.max(np.abs(diff)))
    return float(math.sqrt(math.fsum((diff * diff).tolist()) / diff.size))


@dataclass(frozen=True)
class CircleGrid:
    """Angles ``theta`` (M,), features ``Phi[m, i] = v_i sigma(u_i . x(theta_m))``, target ``F``."""

    theta: np.ndarray
    Phi: np.ndarray
    F: np.ndarray


def circle_grid(U, v, w, points: int = 1024) -> CircleGrid:
    """Uniform grid of ``points`` angles plus every kink angle (features and target) offset by
    +-1e-9 and the target's peak (spec §5.2).  Any grid is a subset of the circle, so a grid
    optimum is a lower bound on the true optimum."""
    U, v, w = validate_network(U, v, w)
    if isinstance(points, bool) or not isinstance(points, (int, np.integer)) or points < 4:
        raise ValueError(f"points must be an integer >= 4, got {points!r}")
    alpha, amp, theta_w, _ = _polar(U, v, w)
    kinks = np.concatenate([alpha + math.pi / 2, alpha - math.pi / 2,
                            [theta_w + math.pi / 2, theta_w - math.pi / 2]])
    theta = np.concatenate([np.linspace(0, TWO_PI, int(points), endpoint=False),
                            kinks - KINK_OFFSET, kinks + KINK_OFFSET, kinks, [theta_w]])
    theta = np.unique(np.mod(theta, TWO_PI))
    sin, cos = det_sincos(theta)
    X = np.column_stack([cos, sin])
    Phi = np.maximum(_det_inner(X, U), 0.0) * v[None, :]
    F = np.maximum(_det_inner(X, w), 0.0)
    return CircleGrid(theta, Phi, F)


def _det_inner(X, U):
    """``X @ U.T`` (or ``X @ w`` for 1-D ``U``) as explicit products summed over the d inputs in
    order: no BLAS (whose kernel -- FMA or not -- depends on the CPU)."""
    X = np.asarray(X, dtype=np.float64)
    U = np.asarray(U, dtype=np.float64)
    vector = U.ndim == 1
    U2 = U[None, :] if vector else U
    out = X[:, 0][:, None] * U2[:, 0][None, :]
    for j in range(1, X.shape[1]):
        out = out + X[:, j][:, None] * U2[:, j][None, :]
    return out[:, 0] if vector else out


def grid_output(grid: CircleGrid, x) -> np.ndarray:
    """:math:`h = \\Phi x` on the grid, summed in a fixed order (machine-independent)."""
    return det_matvec(grid.Phi, x)


def grid_error(grid: CircleGrid, x, architecture: str) -> float:
    h = grid_output(grid, x)
    if architecture == "B":
        h = np.maximum(h, 0.0)
    return float(np.max(np.abs(h - grid.F)))
