r"""Closed-form bounds of the robustness topic as plain numpy functions (spec
``no_free_prune.md`` §1.4, §1.5, §2.3, §2.4, §4), with the spec's exact constants.

Status of each formula (spec evidence tags):

* Bubeck–Sellke Theorems 2 and 3 -- **[read]** in B&S (NeurIPS version), constants as the spec
  quotes them (§1.4, §1.5).
* The sparse law (Proposition A / Corollary A', spec §2.3) -- **derived here**, from B&S's
  Lemma 2.1 and Theorem 2 plus a standard information lemma (kl(a‖b) >= a log(1/b) − log 2).  It
  is **not** No Free Prune's theorem: the full NFP text was not available, and its constants,
  probability form and log factors are unknown (spec "Source status").
* Mask-information bounds (§2.4, §4) -- derived here (standard counting / Fano).

Units: natural logarithms and nats everywhere, except :func:`fano_information_lower` (bits, as
the spec states it).  Inputs may be numpy arrays (elementwise, broadcasting); a scalar call
returns a float.  Every function validates its domain and raises ``ValueError`` naming the
argument.  (These will later be lambdified from sympy; for now they are hand-written.)
"""
from __future__ import annotations

import numpy as np
from scipy.special import gammaln

from ._checks import real

__all__ = ["bs_lipschitz_bound", "bs_sample_size_condition", "sparse_lipschitz_bound",
           "sparse_probability_bound", "sparse_sample_size_condition", "finite_class_tail",
           "effective_information", "effective_parameters", "scale_free_statistic",
           "scale_free_bound", "kspar_information_bound", "kspar_information_simple",
           "layer_count_information_bound", "best_of_m_information_bound",
           "fano_information_lower"]

LOG2 = float(np.log(2.0))


def _out(x):
    x = np.asarray(x, dtype=float)
    return float(x) if x.ndim == 0 else x


def _net_log(eps, W, J):
    """log(60WJ/ε), the per-parameter log covering number of B&S Theorem 3's proof (an
    ε/(6J)-net of a diameter-W set has at most (60WJ/ε)^p points).  Requires 60WJ/ε >= 1 (else
    the stated net-size bound is below 1 and the formula is not the theorem's)."""
    val = np.log(60.0 * np.asarray(W) * np.asarray(J) / np.asarray(eps))
    if np.any(val < 0):
        raise ValueError("W, J, eps must satisfy 60*W*J/eps >= 1 (net-size bound (60WJ/eps)^p "
                         "below 1 otherwise)")
    return val


def _common(n, d, eps, c, W, J):
    n = real(n, "n", low=1.0)
    d = real(d, "d", low=1.0)
    eps = real(eps, "eps", low=0.0, high=1.0, low_open=True, high_open=True)
    c = real(c, "c", low=0.0, low_open=True)
    W = real(W, "W", low=0.0, low_open=True)
    J = real(J, "J", low=0.0, low_open=True)
    return n, d, eps, c, W, J


def bs_lipschitz_bound(n, d, p, eps, delta, c, W, J):
    r"""Right-hand side of Bubeck–Sellke Theorem 3 (spec §1.5, [read], exact constants):

    .. math:: L_{BS} = \frac{\varepsilon}{2^9\sqrt c}
        \sqrt{\frac{nd}{p\log(60WJ\varepsilon^{-1}) + \log(4/\delta)}} .

    Statement: if ε, δ ∈ (0, 1), F = {f_w : w ∈ 𝒲 ⊂ R^p} with diam(𝒲) <= W and
    ‖f_{w1} − f_{w2}‖∞ <= J‖w1 − w2‖, μ a k-component mixture of c-isoperimetric measures with
    8⁴k log(8k/δ) <= nε² (:func:`bs_sample_size_condition`), and σ² > 0, then w.p. >= 1 − δ every
    f ∈ F with (1/n)Σ(f(x_i) − y_i)² <= σ² − ε has Lip(f) >= L_BS.  The sample-size condition is
    *not* enforced here (the experiments' n is far below it; the value is used for slopes).

    Args: n >= 1, d >= 1, p >= 1, eps ∈ (0,1), delta ∈ (0,1), c > 0, W > 0, J > 0 with
    60WJ/ε >= 1.
    """
    n, d, eps, c, W, J = _common(n, d, eps, c, W, J)
    p = real(p, "p", low=1.0)
    delta = real(delta, "delta", low=0.0, high=1.0, low_open=True, high_open=True)
    denom = p * _net_log(eps, W, J) + np.log(4.0 / delta)
    return _out(eps / (2.0 ** 9 * np.sqrt(c)) * np.sqrt(n * d / denom))


def bs_sample_size_condition(n, eps, delta, k: int = 1):
    """B&S Theorem 3's assumption 8⁴·k·log(8k/δ) <= nε² (spec §1.5); True/False (array ok)."""
    n = real(n, "n", low=1.0)
    eps = real(eps, "eps", low=0.0, high=1.0, low_open=True, high_open=True)
    delta = real(delta, "delta", low=0.0, high=1.0, low_open=True, high_open=True)
    k = real(k, "k", low=1.0)
    res = 8.0 ** 4 * k * np.log(8.0 * k / delta) <= n * eps ** 2
    return bool(res) if np.ndim(res) == 0 else res


def effective_information(mask_information, expected_support, eps, W, J):
    r"""I' := I(M; D) + E|M|·log(60WJ/ε), in nats (spec §2.2 [derived]): "which weights" plus
    "their values" (chain rule over an ε/(6J)-net inside each mask).

    Args: mask_information >= 0 (nats), expected_support >= 0, eps ∈ (0, 1), W, J > 0,
    60WJ/ε >= 1."""
    info = real(mask_information, "mask_information", low=0.0)
    supp = real(expected_support, "expected_support", low=0.0)
    eps = real(eps, "eps", low=0.0, high=1.0, low_open=True, high_open=True)
    W = real(W, "W", low=0.0, low_open=True)
    J = real(J, "J", low=0.0, low_open=True)
    return _out(info + supp * _net_log(eps, W, J))


def effective_parameters(expected_support, mask_information):
    """NFP's p_eff = E‖m‖₁ + I(m; D) (spec §2.2 [secondary]; I in nats here -- NFP's unit is
    unknown, §6).  Unweighted, parameter units; >= the weighted form E|M| + I/log(60WJ/ε)."""
    supp = real(expected_support, "expected_support", low=0.0)
    info = real(mask_information, "mask_information", low=0.0)
    return _out(supp + info)


def sparse_lipschitz_bound(n, d, mask_information, expected_support, eps, c, W, J):
    r"""Corollary A' of spec §2.3 -- **derived here** from B&S Lemma 2.1 and Theorem 2 plus an
    information lemma; not No Free Prune's theorem (whose exact form is unknown):

    .. math:: L^\star = \frac{\varepsilon}{2^7\sqrt c}
        \sqrt{\frac{nd}{4I(M;D) + 4\,\mathbb E|M|\log(60WJ/\varepsilon) + 5\log 2}} .

    Assumptions: B&S Theorem 3's setting with one mixture component (μ c-isoperimetric on R^d,
    y ∈ [−1, 1], σ² > 0, diam 𝒲 <= W, J-Lipschitz sup-norm parametrisation, functions clipped to
    [−1, 1]); Ŵ = A(D, ξ) with ξ independent of D; M ⊇ supp(Ŵ); I(M; D) in **nats**.
    Conclusion: if P(fit below σ² − ε and Lip <= L) >= 1/2 and n >= 2¹¹ log 16 / ε²
    (:func:`sparse_sample_size_condition`, not enforced here), then L >= L*.

    Dense case (M = all ones, I = 0, E|M| = p) versus :func:`bs_lipschitz_bound`:
    (L*/L_BS)² = 16 (pℓ + log(4/δ)) / (4pℓ + 5 log 2) with ℓ = log(60WJ/ε), → 4 as p → ∞ (the
    two statements differ in probability form: 1/2-success vs 1 − δ).

    Args: n >= 1, d >= 1, mask_information >= 0 (nats), expected_support >= 0, eps ∈ (0, 1),
    c > 0, W > 0, J > 0 with 60WJ/ε >= 1.
    """
    n, d, eps, c, W, J = _common(n, d, eps, c, W, J)
    Ip = effective_information(mask_information, expected_support, eps, W, J)
    return _out(eps / (2.0 ** 7 * np.sqrt(c)) * np.sqrt(n * d / (4.0 * Ip + 5.0 * LOG2)))


def sparse_probability_bound(n, d, L, mask_information, expected_support, eps, c, W, J):
    r"""Proposition A of spec §2.3 (**derived here**, not NFP's text): with
    X := ε²nd/(2¹⁴cL²),

    .. math:: P(E) \le 4e^{-n\varepsilon^2/2^{11}} + \frac{I' + \log 2}{X - \log 2},

    E = {fit below σ² − ε and Lip(f_Ŵ) <= L}, I' from :func:`effective_information`.  Returned
    as inf where X <= log 2 (the information lemma is vacuous there).  Not clipped to 1."""
    n, d, eps, c, W, J = _common(n, d, eps, c, W, J)
    L = real(L, "L", low=0.0, low_open=True)
    Ip = effective_information(mask_information, expected_support, eps, W, J)
    X = eps ** 2 * n * d / (2.0 ** 14 * c * L ** 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        info = np.where(X > LOG2, (Ip + LOG2) / (X - LOG2), np.inf)
    return _out(4.0 * np.exp(-n * eps ** 2 / 2.0 ** 11) + info)


def sparse_sample_size_condition(n, eps):
    """Corollary A' assumption n >= 2¹¹·log 16 / ε² (makes Proposition A's data term <= 1/4)."""
    n = real(n, "n", low=1.0)
    eps = real(eps, "eps", low=0.0, high=1.0, low_open=True, high_open=True)
    res = n >= 2.0 ** 11 * np.log(16.0) / eps ** 2
    return bool(res) if np.ndim(res) == 0 else res


def finite_class_tail(t, n, d, c, L):
    r"""The per-function term of Bubeck–Sellke Theorem 2 (spec §1.4, [read]) at fitting margin
    t (Theorem 2's ε), i.e. its union-bound term with |F| = 1:

    .. math:: q(t) = 2\exp\!\big(-t^2 n d / (8^4 c L^2)\big).

    Meaning (spec §1.4 "Mechanism"): for one fixed f with Lip(f) <= L (clipped to [−1, 1]),
    P((1/n)Σ_i (f(x_i) − Ef) z_i >= t/6) <= q(t).  Theorem 2 multiplies it by |F|.

    Args: t > 0, n >= 1, d >= 1, c > 0, L > 0.
    """
    t = real(t, "t", low=0.0, low_open=True)
    n = real(n, "n", low=1.0)
    d = real(d, "d", low=1.0)
    c = real(c, "c", low=0.0, low_open=True)
    L = real(L, "L", low=0.0, low_open=True)
    return _out(2.0 * np.exp(-t ** 2 * n * d / (8.0 ** 4 * c * L ** 2)))


def scale_free_statistic(eps, n, d, L):
    r"""S := ε²nd/L² (spec §4).  Corollary A' (derived here) gives S <= 2¹⁴c(4I' + 5 log 2)
    (:func:`scale_free_bound`); compare slopes and orderings, never absolute levels.

    Args: eps ∈ (0, 1] (a measured fitting margin σ² − MSE), n >= 1, d >= 1, L > 0."""
    eps = real(eps, "eps", low=0.0, high=1.0, low_open=True)
    n = real(n, "n", low=1.0)
    d = real(d, "d", low=1.0)
    L = real(L, "L", low=0.0, low_open=True)
    return _out(eps ** 2 * n * d / L ** 2)


def scale_free_bound(mask_information, expected_support, eps, c, W, J):
    """2¹⁴·c·(4I' + 5 log 2), the Corollary A' ceiling on :func:`scale_free_statistic` (derived
    here; spec §4).  Arguments as :func:`effective_information` plus c > 0."""
    c = real(c, "c", low=0.0, low_open=True)
    Ip = effective_information(mask_information, expected_support, eps, W, J)
    return _out(2.0 ** 14 * c * (4.0 * Ip + 5.0 * LOG2))


def _P_k(P, k):
    P = real(P, "P", low=1.0)
    k = real(k, "k", low=0.0)
    if np.any(np.asarray(k) > np.asarray(P)):
        raise ValueError(f"k must be in [0, P], got k = {k}, P = {P}")
    return P, k


def kspar_information_bound(P, k):
    r"""I(m; D) <= H(m) <= log C(P, k) nats for any k-sparse mask among P coordinates
    (spec §2.4 [derived]; counting).  Computed as lgamma(P+1) − lgamma(k+1) − lgamma(P−k+1).

    Args: P >= 1, 0 <= k <= P (integers, arrays ok)."""
    P, k = _P_k(P, k)
    return _out(gammaln(np.asarray(P) + 1) - gammaln(np.asarray(k) + 1)
                - gammaln(np.asarray(P) - np.asarray(k) + 1))


def kspar_information_simple(P, k):
    r"""k·log(eP/k) >= log C(P, k) (spec §2.4; the standard bound C(P,k) <= (eP/k)^k), with the
    value 0 at k = 0.  Args: P >= 1, 0 <= k <= P."""
    P, k = _P_k(P, k)
    k_arr, P_arr = np.asarray(k, float), np.asarray(P, float)
    with np.errstate(divide="ignore", invalid="ignore"):
        val = np.where(k_arr > 0, k_arr * (1.0 + np.log(P_arr / np.where(k_arr > 0, k_arr, 1.0))),
                       0.0)
    return _out(val)


def layer_count_information_bound(P_layers):
    r"""Σ_ℓ log(P_ℓ + 1) nats: the information of a mask that depends on the data only through
    its per-layer (per-group) counts, e.g. after layerwise shuffling (spec §2.4, §3 [derived]):
    each count takes at most P_ℓ + 1 values.

    Args: P_layers: non-empty sequence of group sizes >= 0."""
    P_layers = np.atleast_1d(real(P_layers, "P_layers", low=0.0))
    if P_layers.ndim != 1:
        raise ValueError(f"P_layers must be a 1-D sequence, got shape {P_layers.shape}")
    return float(np.sum(np.log1p(P_layers)))


def best_of_m_information_bound(M):
    """log M nats: selecting one of M data-free candidates with the data reveals at most
    H(index) <= log M (spec §4 [derived]).  Args: M >= 1."""
    M = real(M, "M", low=1.0)
    return _out(np.log(M))


def fano_information_lower(n, e):
    r"""Fano lower bound, in **bits** (spec §4, rigorous):

    .. math:: I(m; y \mid X, W_0) \ge n\,(1 - h_2(e)),

    for n i.i.d. uniform ±1 labels and a predictor that is a function of the mask (and X, W0)
    with *expected* training error rate e (Fano per label, then concavity of h₂).  Convert to
    nats with ``* ln 2``.

    Args: n >= 1, e ∈ [0, 1]."""
    n = real(n, "n", low=1.0)
    e = np.asarray(real(e, "e", low=0.0, high=1.0), float)
    with np.errstate(divide="ignore", invalid="ignore"):
        h = -(np.where(e > 0, e * np.log2(np.where(e > 0, e, 1.0)), 0.0)
              + np.where(e < 1, (1 - e) * np.log2(np.where(e < 1, 1 - e, 1.0)), 0.0))
    return _out(n * (1.0 - h))
