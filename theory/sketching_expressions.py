"""Symbols and expressions of the sketching claims (the one place each formula is written);
:mod:`pruneproof.theory.sketching` registers the claims built from them.  Derived here from DKM
2006 (Lemma 4, Theorem 1 eq. 14, recalled); not quoted from Bar & Giryes."""
from __future__ import annotations

import sympy as sp

# --------------------------------------------------------------------------------------------
# symbols
# --------------------------------------------------------------------------------------------
c = sp.Symbol("c", positive=True, integer=True)
a = sp.Symbol("a", positive=True)              # one feature norm ‖X^{(i)}‖
w = sp.Symbol("w", real=True)                  # one weight
w0 = sp.Symbol("w0", real=True)                # one init weight
ws = sp.Symbol("ws", real=True)                # one end-of-training weight w*_i
p = sp.Symbol("p", positive=True)              # one sampling probability
T = sp.Symbol("T", nonnegative=True)           # Σ_i term_i
N = sp.Symbol("N", nonnegative=True)           # ‖Xw‖²
S = sp.Symbol("S", positive=True)              # Σ a_i |w_i| (of the weights being sketched)
S0 = sp.Symbol("S0", positive=True)            # Σ a_i |w0_i|
F2 = sp.Symbol("F2", positive=True)            # ‖X‖_F²
W2 = sp.Symbol("W2", positive=True)            # ‖w‖²
W1 = sp.Symbol("W1", positive=True)            # ‖w‖₁
W01 = sp.Symbol("W01", positive=True)          # ‖w0‖₁
beta = sp.Symbol("beta", positive=True)
beta0 = sp.Symbol("beta0", positive=True)
beta_x = sp.Symbol("beta_x", positive=True)
eps = sp.Symbol("eps", nonnegative=True)
a_min = sp.Symbol("a_min", positive=True)
a_max = sp.Symbol("a_max", positive=True)
n_sym = sp.Symbol("n", positive=True)
d_sym = sp.Symbol("d", positive=True)
E_sym = sp.Symbol("E", nonnegative=True)

# --------------------------------------------------------------------------------------------
# expressions (the one place each formula is written)
# --------------------------------------------------------------------------------------------
LEMMA4_TERM = a**2 * w**2 / p                      # DKM Lemma 4 term |A^(k)|²|B_(k)|²/p_k
LEMMA4_EXACT = (T - N) / c                          # E‖Xw − XDw‖² = (1/c)[Σ term − ‖Xw‖²]
OPTIMAL_SCORE = a * sp.Abs(w)                       # p*_i ∝ ‖X^(i)‖|w_i|
OPTIMAL_EXACT = (S**2 - N) / c                      # value at p*
FROBENIUS_BOUND = F2 * W2 / c                       # ≤ ‖X‖_F²‖w‖²/c
BETA_BOUND = F2 * W2 / (beta * c)                   # Theorem 1 (14)

INIT_TERM = a * ws**2 / sp.Abs(w0)                  # Lemma-4 term at p⁽⁰⁾, divided by S0
INIT_SCORE = a * sp.Abs(w0)                         # p⁽⁰⁾_i ∝ ‖X^(i)‖|w0_i|
INIT_EXACT = (S0 * T - N) / c
INIT_RATIO = (sp.Abs(w0) / sp.Abs(ws)) * (S / S0)   # p⁽⁰⁾_i / p*_i(w*); β0 = min_i
INIT_BOUND = F2 * W2 / (beta0 * c)
LAZY_BETA = (1 - eps) / (1 + eps)
LAZY_BOUND = F2 * W2 * (1 + eps) / ((1 - eps) * c)

DATA_FREE_TERM = a**2 * sp.Abs(w)                   # Lemma-4 term at q = |w|/‖w‖₁, over W1
DATA_FREE_EXACT = (W1 * T - N) / c
BETA_X = a_min / a_max
DATA_FREE_BOUND = F2 * W2 / (beta_x * c)
DATA_FREE_EXACT_UPPER = a_max**2 * W1**2 / c
DATA_FREE_RATIO_BOUND = (S**2 / beta_x - N) / (S**2 - N)  # E_q / E_p* ≤ this (sharp form)
BETA_X_HALF_RANGE = (1 - beta_x) / (1 + beta_x)       # u = (a_max − a_min)/(a_max + a_min)
BETA_X_RATE = sp.sqrt(sp.log(d_sym) / n_sym)        # 1 − β_X = O(sqrt(log d / n))
RATE_SLOPE_N = sp.Rational(-1, 2)                   # its log-log slope in n (compared)

COMBINED_TERM = a**2 * ws**2 / sp.Abs(w0)           # Lemma-4 term at q⁽⁰⁾ = |w0|/‖w0‖₁, over W01
COMBINED_EXACT = (W01 * T - N) / c
COMBINED_BETA = beta0 * beta_x
COMBINED_BOUND = F2 * W2 / (beta0 * beta_x * c)

RELATIVE_ERROR = E_sym / N                          # ‖X(w − w_pruned)‖²/‖Xw‖²
HYPOTHESIS_ALPHA = sp.Rational(1, 1000)             # randomized-masks: family-wise level
