"""Linear models f(x) = wᵀx for the sketching perspective on pruning (``spec/sketching.md`` §2).

Everything here is a small pure function of arrays plus one ``rng`` argument (SPEC 7):

* **data**: X ∈ R^{n×d} (rows = samples, columns X^{(i)} = features) from declared generators --
  ``isotropic`` Gaussian, ``anisotropic`` (feature scales log-uniform over a ratio), ``correlated``
  (AR(1) across features, unit marginals), ``heavy-tailed`` (Student-t, unit variance) -- and targets
  y = X w_teacher + noise;
* **training** of least squares L(w) = (1/2n)‖Xw − y‖² from w₀: the closed-form limit of gradient
  descent w* = w₀ + X⁺(y − Xw₀) and finite-step GD w_{t+1} = w_t − (η/n)Xᵀ(Xw_t − y) with a validated
  step size 0 < η < 2/λ_max(XᵀX/n); both optionally restricted to a mask (the sparse model);
* **init schemes with a laziness knob** (``movement``): the teacher is placed at
  w₀ + movement·|w₀|⊙u, u ~ U[−1, 1]^d, so coordinate-wise |w_teacher − w₀| ≤ movement·|w₀|;
  fewer GD steps is the other knob;
* **masks**: the DKM sketch with rescaling D = diag(count/(c p)) (sampling with
  :mod:`verify.sketch`), and binary masks without rescaling: top-k by score and *sampled* masks
  (k distinct indices drawn ∝ score by Gumbel-top-k, sampling indices, ties broken at random)
  and the binary DKM mask (draws with replacement until k distinct indices);
* **scores**: random, magnitude |w|, sketch-optimal |w_i|‖X^{(i)}‖, a data-free surrogate
  |w_i|‖Z^{(i)}‖ with Z a fresh standard Gaussian matrix of the same shape (no access to X), and
  the biased surrogate |w_i|‖X^{(i)}‖exp(σξ_i) of spec §9.5.

Source: the setting is *derived here* (``spec/sketching.md`` §2, §8 [derived]); the seed paper's
(Bar & Giryes, arXiv 2305.17559) exact setting was not available and is reconstructed, not quoted.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

FEATURE_KINDS = ("isotropic", "anisotropic", "correlated", "heavy-tailed")


INIT_SCHEMES = ("gaussian", "bounded", "sparse")


TEACHERS = ("near-init", "independent")


def _positive_int(value, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{name} must be an integer >= 1, got {value!r}")
    return int(value)


def _finite_real(value, name: str, low: float, high: float, low_open=False, high_open=False):
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__}") from None
    bad = (not np.isfinite(v) and not (np.isinf(high) and v == np.inf and not high_open)) \
        or v < low or v > high or (low_open and v == low) or (high_open and v == high)
    if bad:
        lb, rb = ("(" if low_open else "["), (")" if high_open else "]")
        raise ValueError(f"{name} must be in {lb}{low:g}, {high:g}{rb}, got {value!r}")
    return v


def check_features(X, name: str = "X") -> np.ndarray:
    """``X`` as a finite float64 matrix of shape (n, d), n, d >= 1; ValueError otherwise."""
    X = np.asarray(X, dtype=float)
    if X.ndim != 2 or X.shape[0] < 1 or X.shape[1] < 1:
        raise ValueError(f"{name} must be a 2-D array of shape (n, d) with n, d >= 1, "
                         f"got shape {X.shape}")
    if not np.all(np.isfinite(X)):
        raise ValueError(f"{name} must be finite: every entry a real number in (-inf, inf), "
                         f"found {int(np.sum(~np.isfinite(X)))} NaN/inf entries")
    return X


def check_vector(v, length: int, name: str) -> np.ndarray:
    """``v`` as a finite float64 vector of the given length; ValueError otherwise."""
    v = np.asarray(v, dtype=float)
    if v.ndim != 1 or v.size != length:
        raise ValueError(f"{name} must be a vector of length {length}, got shape {v.shape}")
    if not np.all(np.isfinite(v)):
        raise ValueError(f"{name} must be finite (entries in (-inf, inf)), found NaN/inf")
    return v


def feature_scales(d: int, ratio: float, rng=None) -> np.ndarray:
    """Per-feature scales s_i = exp(U_i), U_i ~ U[−½ log r, ½ log r] (log-uniform, geometric mean
    1, max/min ≤ r = ``ratio``); ``ratio == 1`` gives all ones."""
    d = _positive_int(d, "d")
    r = _finite_real(ratio, "ratio", 1.0, np.inf, high_open=True)
    rng = np.random.default_rng(rng)
    half = 0.5 * np.log(r)
    return np.exp(rng.uniform(-half, half, size=d))


def make_features(n: int, d: int, kind: str = "isotropic", *, ratio: float = 1.0,
                  rho: float = 0.5, df: float = 3.0, rng=None) -> np.ndarray:
    """A data matrix X ∈ R^{n×d}.

    * ``isotropic``: X_{ji} ~ N(0, 1);
    * ``anisotropic``: X_{ji} ~ N(0, s_i²) with s log-uniform over ``ratio`` (:func:`feature_scales`);
    * ``correlated``: rows are AR(1) across features, Corr(X_{ji}, X_{jk}) = ρ^{|i−k|}, unit variance;
    * ``heavy-tailed``: X_{ji} = t_ν/sqrt(ν/(ν−2)) (Student-t with ν = ``df`` > 2, unit variance).

    ``ratio`` > 1 also rescales the columns of the other kinds (so anisotropy and correlation or
    heavy tails combine); ``anisotropic`` with ``ratio == 1`` equals ``isotropic``.
    """
    n, d = _positive_int(n, "n"), _positive_int(d, "d")
    if kind not in FEATURE_KINDS:
        raise ValueError(f"kind must be one of {FEATURE_KINDS}, got {kind!r}")
    _finite_real(ratio, "ratio", 1.0, np.inf, high_open=True)
    rng = np.random.default_rng(rng)
    if kind in ("isotropic", "anisotropic"):
        X = rng.standard_normal((n, d))
    elif kind == "correlated":
        rho = _finite_real(rho, "rho", -1.0, 1.0, low_open=True, high_open=True)
        Z = rng.standard_normal((n, d))
        X = np.empty_like(Z)
        X[:, 0] = Z[:, 0]
        tail = np.sqrt(1.0 - rho * rho)
        for i in range(1, d):
            X[:, i] = rho * X[:, i - 1] + tail * Z[:, i]
    else:
        df = _finite_real(df, "df", 2.0, np.inf, low_open=True, high_open=True)
        X = rng.standard_t(df, size=(n, d)) / np.sqrt(df / (df - 2.0))
    if ratio != 1.0:
        X = X * feature_scales(d, ratio, rng)
    return X


def init_weights(d: int, scheme: str = "gaussian", *, scale: float = 1.0,
                 zero_fraction: float = 0.1, rng=None) -> np.ndarray:
    """Initial weights w₀ ∈ R^d.

    * ``gaussian``: w₀ ~ N(0, scale²·I/d);
    * ``bounded``: |w₀,i| ~ U[0.5, 1.5]·scale/sqrt(d) with a random sign (bounded away from 0, so
      that coordinate-wise laziness is controllable);
    * ``sparse``: gaussian with a fraction ``zero_fraction`` of exact zeros (adversarial: β₀ = 0).
    """
    d = _positive_int(d, "d")
    if scheme not in INIT_SCHEMES:
        raise ValueError(f"scheme must be one of {INIT_SCHEMES}, got {scheme!r}")
    scale = _finite_real(scale, "scale", 0.0, np.inf, low_open=True, high_open=True)
    rng = np.random.default_rng(rng)
    if scheme == "bounded":
        mag = rng.uniform(0.5, 1.5, size=d)
        return scale / np.sqrt(d) * mag * rng.choice([-1.0, 1.0], size=d)
    w = scale / np.sqrt(d) * rng.standard_normal(d)
    if scheme == "sparse":
        z = _finite_real(zero_fraction, "zero_fraction", 0.0, 1.0, high_open=True)
        w[rng.permutation(d)[:int(round(z * d))]] = 0.0
    return w


@dataclass(frozen=True)
class LinearProblem:
    """A least-squares problem with its init: train (X, y), test (X_test, y_test), w₀, teacher."""

    X: np.ndarray
    y: np.ndarray
    w0: np.ndarray
    w_teacher: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray

    @property
    def n(self) -> int:
        return self.X.shape[0]

    @property
    def d(self) -> int:
        return self.X.shape[1]


def make_problem(n: int, d: int, *, features: str = "isotropic", ratio: float = 1.0,
                 rho: float = 0.5, df: float = 3.0, init: str = "gaussian",
                 init_scale: float = 1.0, teacher: str = "near-init", movement: float = 0.1,
                 noise: float = 0.0, n_test: int | None = None, rng=None) -> LinearProblem:
    """A teacher-student least-squares problem with a laziness knob.

    The teacher is ``near-init``: w_teacher = w₀ + movement·|w₀|⊙u, u ~ U[−1, 1]^d (so
    |w_teacher,i − w₀,i| ≤ movement·|w₀,i|), or ``independent``: w_teacher ~ N(0, I/d) independent
    of w₀ (the non-lazy regime).  Targets y = X w_teacher + noise·N(0, I).  The test set has the
    same feature distribution *and* the same per-feature scales (generated jointly, then split).
    Over-parameterised when d > n, under-parameterised when d < n.
    """
    n, d = _positive_int(n, "n"), _positive_int(d, "d")
    n_test = n if n_test is None else _positive_int(n_test, "n_test")
    if teacher not in TEACHERS:
        raise ValueError(f"teacher must be one of {TEACHERS}, got {teacher!r}")
    movement = _finite_real(movement, "movement", 0.0, np.inf, high_open=True)
    noise = _finite_real(noise, "noise", 0.0, np.inf, high_open=True)
    rng = np.random.default_rng(rng)
    X_all = make_features(n + n_test, d, features, ratio=ratio, rho=rho, df=df, rng=rng)
    w0 = init_weights(d, init, scale=init_scale, rng=rng)
    if teacher == "near-init":
        w_teacher = w0 + movement * np.abs(w0) * rng.uniform(-1.0, 1.0, size=d)
    else:
        w_teacher = rng.standard_normal(d) / np.sqrt(d)
    y_all = X_all @ w_teacher + noise * rng.standard_normal(n + n_test)
    return LinearProblem(X_all[:n], y_all[:n], w0, w_teacher, X_all[n:], y_all[n:])


def lambda_max(X) -> float:
    """λ_max(XᵀX/n), the largest eigenvalue of the Hessian of L(w) = (1/2n)‖Xw − y‖²."""
    X = check_features(X)
    return float(np.linalg.norm(X, 2) ** 2 / X.shape[0])


def check_step_size(step_size, X) -> float:
    """Validate a GD step size: 0 < η < 2/λ_max(XᵀX/n) (GD on least squares diverges otherwise).

    ValueError ("singular/unstable step size") naming the valid range."""
    lam = lambda_max(X)
    if lam <= 0.0:
        raise ValueError("singular step size: X is all zeros, so λ_max(XᵀX/n) = 0 and no step "
                         "size is defined; X must have a non-zero entry")
    try:
        eta = float(step_size)
    except (TypeError, ValueError):
        raise TypeError(f"step_size must be a real number, got {type(step_size).__name__}") \
            from None
    limit = 2.0 / lam
    if not np.isfinite(eta) or eta <= 0.0 or eta >= limit:
        raise ValueError(f"singular/unstable step size: step_size must be in (0, 2/λ_max) = "
                         f"(0, {limit:.6g}) for this X, got {step_size!r}")
    return eta


def default_step_size(X) -> float:
    """η = 1/λ_max(XᵀX/n), half the stability limit; ValueError if X = 0 (singular)."""
    lam = lambda_max(X)
    if lam <= 0.0:
        raise ValueError("singular step size: X is all zeros, so λ_max(XᵀX/n) = 0 and no step "
                         "size is defined; X must have a non-zero entry")
    return 1.0 / lam


def _support(mask, d: int) -> np.ndarray:
    if mask is None:
        return np.arange(d)
    m = np.asarray(mask)
    if m.shape != (d,):
        raise ValueError(f"mask must be a vector of length d = {d}, got shape {m.shape}")
    if m.dtype != bool:
        if not np.all((m == 0) | (m == 1)):
            raise ValueError("mask must be binary (entries in {0, 1})")
        m = m.astype(bool)
    return np.flatnonzero(m)


def train_closed_form(X, y, w0, mask=None) -> np.ndarray:
    """The limit of GD on least squares from w₀ (restricted to ``mask`` if given):

    .. math:: w^* = w_0 + X_S^+ (y - X w_0)\\quad\\text{on } S,\\qquad w^*_i = w_{0,i} = 0 \\text{ off } S

    where S is the support of the mask and the model is m⊙w (so off-support weights are 0).
    Without a mask: w* = w₀ + X⁺(y − Xw₀) = (I − P)w₀ + X⁺y, P = X⁺X [derived, spec §2].
    """
    X = check_features(X)
    n, d = X.shape
    y = check_vector(y, n, "y")
    w0 = check_vector(w0, d, "w0")
    S = _support(mask, d)
    w = np.zeros(d)
    if S.size == 0:
        return w
    XS = X[:, S]
    residual = y - XS @ w0[S]
    w[S] = w0[S] + min_norm_lstsq(XS, residual)
    return w


def min_norm_lstsq(A, b) -> np.ndarray:
    """The minimum-norm least-squares solution A⁺b (what ``np.linalg.lstsq`` returns), by a
    Householder QR of A (k ≤ n) or of Aᵀ (k > n, the LQ form A⁺ = Q R^{-T}) -- about 3× faster
    than the SVD solver for the sparse retraining of the lottery-ticket protocol, and backward
    stable (no normal equations).  Falls back to the SVD solver when A is (numerically) rank
    deficient: min|R_ii| ≤ max(n, k)·ε·max|R_ii|, or a non-finite result."""
    from scipy.linalg import solve_triangular

    A = np.asarray(A, dtype=float)
    n, k = A.shape
    wide = k > n
    Q, R = np.linalg.qr(A.T if wide else A)
    diag = np.abs(np.diag(R))
    if diag.size and diag.min() > max(n, k) * np.finfo(float).eps * diag.max():
        with np.errstate(all="ignore"):
            if wide:
                x = Q @ solve_triangular(R, b, trans="T", check_finite=False)
            else:
                x = solve_triangular(R, Q.T @ b, check_finite=False)
        if np.all(np.isfinite(x)):
            return x
    return np.linalg.lstsq(A, b, rcond=None)[0]


def train_gd(X, y, w0, steps: int, step_size: float | None = None, mask=None) -> np.ndarray:
    """``steps`` of full-batch GD on (1/2n)‖X(m⊙w) − y‖² from m⊙w₀:
    w_{t+1} = w_t − (η/n) m⊙Xᵀ(Xw_t − y), with η validated by :func:`check_step_size`
    (default η = 1/λ_max(XᵀX/n)).  ``steps = 0`` returns m⊙w₀."""
    X = check_features(X)
    n, d = X.shape
    y = check_vector(y, n, "y")
    w0 = check_vector(w0, d, "w0")
    if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)) or steps < 0:
        raise ValueError(f"steps must be an integer >= 0, got {steps!r}")
    S = _support(mask, d)
    w = np.zeros(d)
    if S.size == 0:
        return w
    XS = X[:, S]
    eta = check_step_size(default_step_size(X) if step_size is None else step_size, X)
    v = w0[S].copy()
    for _ in range(int(steps)):
        v -= (eta / n) * (XS.T @ (XS @ v - y))
    w[S] = v
    return w


def relative_movement(w0, w) -> float:
    """ε = max_i |w_i − w₀,i| / |w₀,i| (coordinate-wise laziness; inf if some w₀,i = 0 moved,
    coordinates with w₀,i = w_i = 0 ignored)."""
    w0, w = np.asarray(w0, float), np.asarray(w, float)
    delta = np.abs(w - w0)
    base = np.abs(w0)
    moved = delta > 0
    if np.any(moved & (base == 0)):
        return float("inf")
    ratio = np.divide(delta, base, out=np.zeros_like(delta), where=base > 0)
    return float(ratio.max(initial=0.0))


def relative_norm_movement(w0, w) -> float:
    """‖w − w₀‖ / ‖w₀‖ (inf when w₀ = 0 and w ≠ 0, 0 when both vanish)."""
    num, den = float(np.linalg.norm(np.asarray(w) - w0)), float(np.linalg.norm(w0))
    if den == 0:
        return 0.0 if num == 0 else float("inf")
    return num / den
