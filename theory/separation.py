r"""Neuron pruning versus weight pruning: the exponential separation (claims, expressions,
derivations).

Setting (``spec/separation.md`` §2) -- **reconstructed**: the seed paper (Ferré, Giroire,
Mallmann-Trenn, Natale, "Structured vs. Unstructured Pruning: An Exponential Gap", arXiv 2603.02234)
was not available in full; only its abstracts.  Approximate :math:`f(x) = \sigma(w\cdot x)` by
pruning a random bias-free two-layer ReLU net :math:`\sum_i v_i \sigma(u_i\cdot x)` (architecture A)
or :math:`\sigma(\sum_i v_i\sigma(u_i\cdot x))` (architecture B), error = sup over the unit sphere.

Every bound here is **derived here** from first principles (Lueker 1998 and Da Cunha et al. 2022
for random subset sums, Pensia et al. 2020's block construction -- all *recalled*, constants
unverified; the kink-gap argument is elementary and derived here), and checked step by step by
sympy.  Nothing is a quotation of the paper.

Numeric functions used by :mod:`verify` come from these sympy expressions via
:meth:`theory.claims.Claim.numeric` (e.g. :func:`kink_gap_bound_numeric`).
"""
from __future__ import annotations

import sympy as sp

from .claims import HYPOTHESIS, THEOREM, Claim, Parameter, register
from .derivation import Derivation, Step

SETTING = ("setting of Ferré, Giroire, Mallmann-Trenn & Natale (arXiv 2603.02234) reconstructed "
           "from its abstracts, not quoted")

# --------------------------------------------------------------------------------- symbols
n = sp.Symbol("n", positive=True)                   # width (number of hidden units / items)
k = sp.Symbol("k", positive=True)                   # items of one subset sum
d = sp.Symbol("d", positive=True, integer=True)     # input dimension
z = sp.Symbol("z", real=True)                       # subset-sum target
w_norm = sp.Symbol("w_norm", positive=True)         # ||w||
delta_1 = sp.Symbol("delta_1", positive=True)       # kink gaps (mod pi)
delta_2 = sp.Symbol("delta_2", positive=True)
a_1 = sp.Symbol("a_1", positive=True)              # max(|e+_1|, |e-_1|) (weight pruning, d = 2)
a_2 = sp.Symbol("a_2", positive=True)              # max(|e+_2|, |e-_2|)
LOG10_2 = sp.log(2) / sp.log(10)

# --------------------------------------------------------------------------------- expressions
#: Poisson heuristic mean of the best subset-sum error, X_i ~ U[-1,1] (spec §3.1) [derived]
POISSON_MEAN = sp.sqrt(sp.pi * n / 3) * sp.exp(3 * z**2 / n) / 2**(n + 1)
POISSON_MEDIAN = sp.log(2) * POISSON_MEAN
#: the same law for one subset sum of k items (weight pruning and d = 1 consist of such sums: the
#: routes read the number of items per unit of n that a claim's rate implies from it)
ITEM_MEAN = POISSON_MEAN.subs(n, k)
#: predicted semi-log slopes (decades per unit of n)
SUBSET_SUM_SLOPE = -LOG10_2
WEIGHT_PRUNING_SLOPE = -LOG10_2 / (2 * d)
D1_SLOPE = -LOG10_2 / 2
#: kink-gap bound (first order) and its exact three-point form (spec §4.3) [derived]
KINK_GAP_BOUND = w_norm * delta_1 * delta_2 / (2 * (delta_1 + delta_2))
KINK_GAP_EXACT = w_norm / (sp.cot(delta_1 / 2) + sp.cot(delta_2 / 2))
#: expectations of the kink-gap bound: exact for n uniform kinks mod pi, and the Exp(pi/n) limit
KINK_GAP_MEAN_EXACT = sp.pi * w_norm / (6 * (n + 1))
KINK_GAP_MEAN = sp.pi * w_norm / (6 * n)
#: the hypothesis' predicted log-log slope
INVERSE_N_SLOPE = sp.Integer(-1)
#: weight pruning's l2 bound on the sup error of the block construction, d = 2 (the dimension
#: with an exact sphere evaluator; the statement holds for every d) [derived]
WEIGHT_L2_BOUND = sp.sqrt(a_1**2 + a_2**2)
#: decision thresholds declared with the claims (role ``definition``; read by the routes):
#: a theorem's rate fit whose CI is wider than MAX_REL_CI_WIDTH x |predicted slope| cannot tell
#: the rate from a 50 % error of it -> inconclusive (declared before the runs of wave 3)
MAX_REL_CI_WIDTH = sp.Rational(1, 2)
#: the hypothesis' log-log CI wider than this cannot discriminate -1 from 0 or -2 -> inconclusive
INVERSE_N_MAX_CI_WIDTH = sp.Rational(4, 5)

P_N = Parameter("n", "n", "width (hidden units) or number of items", 1, None, integer=True)
P_D = Parameter("d", "d", "input dimension", 1, None, integer=True)
P_Z = Parameter("z", "z", "subset-sum target", -1, 1)
P_W = Parameter("w_norm", r"\|w\|", "target norm", 0, None, low_open=True)
P_DELTA1 = Parameter("delta_1", r"\delta_1", "clockwise kink gap (mod pi)", 0, 3.141592653589793,
                     low_open=True)
P_A1 = Parameter("a_1", "a_1", "max(|e+_1|, |e-_1|): worst block error of coordinate 1", 0,
                 None, low_open=True)
P_A2 = Parameter("a_2", "a_2", "max(|e+_2|, |e-_2|): worst block error of coordinate 2", 0,
                 None, low_open=True)
P_DELTA2 = Parameter("delta_2", r"\delta_2", "counter-clockwise kink gap (mod pi)", 0,
                     3.141592653589793, low_open=True)

_SIGMA = "sigma(t) = max(t, 0)"
_NET = ("random bias-free two-layer ReLU net: u_i i.i.d. (N(0, I_d) or U[-1,1]^d), "
        "v_i ~ U[-1,1] i.i.d.")


def _relu(t, evaluate=True):
    return sp.Max(0, t, evaluate=evaluate)


# --------------------------------------------------------------------------------- derivations


def _derive_subset_sum() -> Derivation:
    x, e, lam = sp.Symbol("x", real=True), sp.Symbol("e", positive=True), \
        sp.Symbol("lambda", positive=True)
    var_one = sp.Rational(1, 2) * sp.Integral(x**2 / 2, (x, -1, 1))  # E[(B X)^2], B~Bern(1/2)
    density = sp.sqrt(3 / (sp.pi * n)) * sp.exp(-3 * z**2 / n)
    gauss = sp.exp(-z**2 / (2 * (n / 6))) / sp.sqrt(2 * sp.pi * n / 6)
    mean_exp = sp.Integral(sp.exp(-2 * lam * e), (e, 0, sp.oo))  # E = int P(E > e) de
    slope = sp.diff(sp.log(POISSON_MEAN.subs(z, 0), 10), n)
    gauss = gauss.subs(n, 6 * sp.Symbol("V", positive=True)).subs(sp.Symbol("V", positive=True),
                                                                     n * var_one)
    return Derivation("subset-sum-exponential", "Random subset sum: Poisson heuristic and rate", (
        Step("A random-subset item B X (B ~ Bernoulli(1/2), X ~ U[-1,1]) has mean 0 and variance "
             "E[B X^2] = 1/6, so a random subset sum is ~ N(0, n/6) (CLT)", var_one,
             sp.Rational(1, 6)),
        Step("Its density at z is the N(0, n/6) density sqrt(3/(pi n)) exp(-3 z^2/n)", gauss,
             density),
        Step("Premise (heuristic): the 2^n subset sums near z form a Poisson cloud of intensity "
             "lambda = 2^n p_n(z), so P(E_n > e) = exp(-2 lambda e)", sp.Symbol("P_tail"),
             sp.exp(-2 * lam * e), premise=True),
        Step("Hence E[E_n] = int_0^oo exp(-2 lambda e) de = 1/(2 lambda)", mean_exp,
             1 / (2 * lam)),
        Step("Hence mu_n(z) = 1/(2 * 2^n p_n(z)) = sqrt(pi n/3) e^{3z^2/n} / 2^{n+1}",
             1 / (2 * 2**n * density), POISSON_MEAN),
        Step("Semi-log slope d/dn log10 mu_n(0) = -log10 2 + 1/(2 n ln 10): -> -log10 2 "
             "(-0.301 decades per item)", slope, -LOG10_2 + 1 / (2 * n * sp.log(10))),
        Step("limit of the slope as n -> oo", sp.Limit(slope, n, sp.oo), SUBSET_SUM_SLOPE,
             concludes="slope"),
    ), notes=("Heuristic mean (Poisson approximation of the 2^n sums) [derived]; the theorem that "
              "n = O(log 1/eps) items suffice is Lueker (1998) [recalled], elementary proof in Da "
              "Cunha et al. (2022) [recalled].",))


def _derive_weight_pruning() -> Derivation:
    xp, xn = sp.Symbol("x_p", positive=True), sp.Symbol("x_n", negative=True)
    wj, ep, em = sp.symbols("w_j e_plus e_minus", real=True)
    A, B = wj + ep, -wj + em
    u_pos, v = sp.Symbol("u", positive=True), sp.Symbol("v", real=True)
    a1, a2, b1, b2 = sp.symbols("a1 a2 b1 b2", real=True)
    p_, q_ = sp.Symbol("p", positive=True), sp.Symbol("q", positive=True)
    items = n / (2 * d)
    slope = sp.Derivative(sp.log(2**(-items)) / sp.log(10), n)
    return Derivation("weight-pruning-logarithmic", "Weight pruning: block construction", (
        Step("A unit keeping only input j with u > 0: v sigma(u x) = v u sigma(x) (x > 0)",
             v * _relu(u_pos * xp), v * u_pos * _relu(xp, False)),
        Step("... and with u < 0 (u = -|u|): v sigma(-|u| x) = v |u| sigma(-x) (x < 0)",
             v * _relu(-u_pos * xn, False), v * u_pos * _relu(-xn, False)),
        Step("Block j with subset sums A_j = w_j + e+_j, B_j = -w_j + e-_j: for x_j > 0, "
             "A sigma(x) + B sigma(-x) - w x = e+ x", A * _relu(xp) + B * _relu(-xp) - wj * xp,
             ep * xp),
        Step("... and for x_j < 0 it equals e- |x_j| (the identity w x = sigma(wx) - sigma(-wx))",
             A * _relu(xn) + B * _relu(-xn) - wj * xn, -em * xn),
        Step("Cauchy-Schwarz (d = 2 shown): |sum_j e_j |x_j||^2 <= ||e||^2 ||x||^2, so sigma "
             "1-Lipschitz gives E_inf(B) <= ||(max(|e+_j|, |e-_j|))_j||_2",
             (a1 * b1 + a2 * b2)**2, (a1**2 + a2**2) * (b1**2 + b2**2), "<=",
             (a1 * b2 - a2 * b1)**2, "Lagrange's identity"),
        Step("Premise (argued above): at x = (p, q)/||(p, q)|| in the quadrant where each "
             "coordinate's worst block error acts, |h_S(x) - w x| <= (a_1 p + a_2 q)/||(p, q)||, "
             "a_j = max(|e+_j|, |e-_j|), and the output ReLU is 1-Lipschitz",
             sp.Symbol("E_inf_B"), (a_1 * p_ + a_2 * q_) / sp.sqrt(p_**2 + q_**2), "<=",
             premise=True),
        Step("Cauchy-Schwarz on the circle: (a_1 p + a_2 q)/||(p, q)|| <= sqrt(a_1^2 + a_2^2), "
             "gap = (a_1 q - a_2 p)^2 / (||(p,q)|| (||a|| ||(p,q)|| + a_1 p + a_2 q)) >= 0: the "
             "stated bound (d = 2)", (a_1 * p_ + a_2 * q_) / sp.sqrt(p_**2 + q_**2),
             WEIGHT_L2_BOUND, "<=",
             (a_1 * q_ - a_2 * p_)**2 / (sp.sqrt(p_**2 + q_**2) * (a_1 * p_ + a_2 * q_ + sp.sqrt(
                 a_1**2 + a_2**2) * sp.sqrt(p_**2 + q_**2))), concludes="bound"),
        Step("Premise (Lueker / Poisson heuristic, subset-sum-exponential): each of the 2d subset "
             "sums has ~n/(2d) items and error ~2^{-n/(2d)} up to poly(n)",
             sp.Symbol("E_block"), 2**(-items), premise=True),
        Step("Given that rate: semi-log slope d/dn log10 2^{-n/(2d)} = -log10(2)/(2d)", slope,
             WEIGHT_PRUNING_SLOPE, concludes="slope"),
    ), notes=("Pensia et al. (NeurIPS 2020) single-link lemma [recalled]; block construction and "
              "rate derived here.  Achievable error = upper bound on the optimal weight pruning.",))


def _derive_kink_gap() -> Derivation:
    s1, s2 = sp.sin(delta_1), sp.sin(delta_2)
    lam0, lam1, lam2 = s2, -sp.sin(delta_1 + delta_2), s1
    F0 = w_norm * sp.sin(delta_1)             # F(kappa - delta_1) = ||w|| sigma(sin delta_1)
    t1, t2 = sp.Symbol("t_1", positive=True), sp.Symbol("t_2", positive=True)

    def sin_h(t):
        return 2 * t / (1 + t**2)

    def cos_h(t):
        return (1 - t**2) / (1 + t**2)

    three_point = w_norm * sin_h(t1) * sin_h(t2) / (
        sin_h(t1) + sin_h(t2) + sin_h(t1) * cos_h(t2) + cos_h(t1) * sin_h(t2))
    t = sp.Symbol("t", positive=True)
    g1, g2 = sp.Symbol("g_1", nonnegative=True), sp.Symbol("g_2", nonnegative=True)
    h1, h2 = sp.Symbol("h_1", positive=True), sp.Symbol("h_2", positive=True)  # delta_i / 2
    lb_t = w_norm / (1 / (h1 + g1) + 1 / (h2 + g2))
    lb_h = w_norm / (1 / h1 + 1 / h2)
    witness = sp.factor(sp.simplify(lb_t - lb_h))
    S, U = sp.Symbol("S", positive=True), sp.Symbol("U", positive=True)
    m = sp.Symbol("m", positive=True, integer=True)   # m = n - 2 >= 0 handled via n = m + 2
    dens = (m + 2) * (m + 1) / sp.pi**2 * (1 - S / sp.pi)**m
    exact_mean = sp.integrate(sp.integrate(w_norm / 2 * S * U * (1 - U) * dens * S, (U, 0, 1)),
                              (S, 0, sp.pi))
    r = n / sp.pi
    e1, e2 = sp.Symbol("e_1", positive=True), sp.Symbol("e_2", positive=True)
    exp_mean = sp.integrate(sp.integrate(
        w_norm / 2 * e1 * e2 / (e1 + e2) * r**2 * sp.exp(-r * (e1 + e2)), (e1, 0, sp.oo)),
        (e2, 0, sp.oo))
    return Derivation("neuron-pruning-lower-bound", "Kink-gap lower bound (architecture A, d = 2)", (
        Step("On the kink-free arc I = [kappa - delta_1, kappa + delta_2] every N_S is a sinusoid "
             "a cos s + b sin s; the functional L = sin(d2) g(-d1) - sin(d1+d2) g(0) + sin(d1) "
             "g(d2) annihilates cos ...", lam0 * sp.cos(-delta_1) + lam1 * sp.cos(0)
             + lam2 * sp.cos(delta_2), sp.Integer(0)),
        Step("... and sin", sp.Add(lam0 * sp.sin(-delta_1), lam1 * sp.sin(0),
                                   lam2 * sp.sin(delta_2), evaluate=False), sp.Integer(0)),
        Step("With F(kappa + s) = ||w|| sigma(-sin s): F(-d1) = ||w|| sin d1, F(0) = F(d2) = 0, so "
             "L(F - N_S) = L(F) = ||w|| sin d1 sin d2, and sup|F - N_S| >= |L(F)| / sum|lambda| "
             "with sum|lambda| = sin d1 + sin d2 + sin(d1 + d2) (d1 + d2 <= pi) [argued in prose; "
             "sympy checks only L(F)]", lam0 * F0, w_norm * s1 * s2, premise=True),
        Step("Half-angle form t_i = tan(delta_i/2): ||w|| sin d1 sin d2 / (sin d1 + sin d2 + "
             "sin(d1+d2)) = ||w|| / (1/t1 + 1/t2) = ||w|| / (cot(d1/2) + cot(d2/2))", three_point,
             w_norm / (1 / t1 + 1 / t2)),
        Step("... at t_i = tan(delta_i/2) this is the stated exact three-point bound",
             (w_norm / (1 / t1 + 1 / t2)).subs({t1: sp.tan(delta_1 / 2), t2: sp.tan(delta_2 / 2)}),
             KINK_GAP_EXACT, concludes="exact_three_point"),
        Step("tan y >= y: d/dt (t - atan t) = t^2/(1+t^2) ...", sp.diff(t - sp.atan(t), t),
             t**2 / (1 + t**2)),
        Step("... which is >= 0, and t - atan t = 0 at t = 0, so atan t <= t, i.e. "
             "tan(delta/2) >= delta/2", t**2 / (1 + t**2), sp.Integer(0), ">="),
        Step("With t_i = delta_i/2 + g_i (g_i >= 0): ||w||/(1/t1 + 1/t2) >= ||w||/(2/d1 + 2/d2) = "
             "||w|| d1 d2 / (2 (d1 + d2)) = LB_A", lb_t, lb_h, ">=", witness),
        Step("LB_A at h_i = delta_i/2 is the stated bound", lb_h.subs({h1: delta_1 / 2,
                                                                     h2: delta_2 / 2}),
             KINK_GAP_BOUND, concludes="bound"),
        Step("Symmetric case: first-order value ||w|| delta / 4 (chord-kink half gap of the best "
             "affine fit of sigma(-t) on [-delta, delta])",
             sp.Subs(KINK_GAP_BOUND, delta_2, delta_1), w_norm * delta_1 / 4),
        Step("Exact expectation: n i.i.d. uniform kinks mod pi, (delta_1, delta_2) has density "
             "n(n-1)/pi^2 (1 - (d1+d2)/pi)^{n-2}; with S = d1 + d2, d1 = S U (Jacobian S): "
             "E[LB_A] = pi ||w|| / (6 (n + 1)) (here n = m + 2)", exact_mean,
             KINK_GAP_MEAN_EXACT.subs(n, m + 2)),
        Step("... i.e. with m = n - 2 (n >= 2 units), the stated exact expectation",
             exact_mean.subs(m, n - 2), KINK_GAP_MEAN_EXACT, concludes="mean_exact"),
        Step("Exp(mean pi/n) limit: delta_1, delta_2 i.i.d. Exp, E[||w|| d1 d2/(2(d1+d2))] = "
             "pi ||w|| / (6 n) (= E[(d1+d2) U (1-U)] ||w||/2)", exp_mean, KINK_GAP_MEAN,
             concludes="mean"),
    ), notes=("Hence OPT_inf >= ||w||/(cot(d1/2) + cot(d2/2)) >= LB_A for every subset S and every "
              "law of the units; E[OPT_inf] >= E[LB_A] = pi||w||/(6(n+1)) for rotation-invariant "
              "units (e.g. Gaussian), ~ pi||w||/(6n).",
              "The three-point functional is the Chebyshev alternation certificate for the 2-D "
              "Haar space span{cos, sin} [derived here].",))


def _derive_inverse_n() -> Derivation:
    return Derivation("neuron-pruning-inverse-n", "Heuristic: optimum ~ 1/n", (
        Step("log-log slope of the lower bound pi/(6n): d log10(LB)/d log10(n) = -1",
             sp.Derivative(sp.log(KINK_GAP_MEAN), n) * n,
             INVERSE_N_SLOPE),
    ), notes=("That the optimum itself scales like 1/n (up to log factors) is a derived heuristic "
              "(spec §4.3 item 7, §4.4), not a theorem: it is the hypothesis under test.",))


def _derive_d1() -> Derivation:
    xp, xn = sp.Symbol("x_p", positive=True), sp.Symbol("x_n", negative=True)
    up, un = sp.Symbol("u_p", positive=True), sp.Symbol("u_n", positive=True)  # |u|
    vp, vn = sp.symbols("v_p v_n", real=True)
    net = lambda x: vp * _relu(up * x, False) + vn * _relu(-un * x, False)  # noqa: E731
    return Derivation("d1-control", "d = 1: neuron pruning is a subset sum", (
        Step("x > 0: v_p sigma(u_p x) + v_n sigma(-|u_n| x) = (v_p u_p) sigma(x) + (v_n |u_n|) "
             "sigma(-x)", net(xp), vp * up * _relu(xp, False) + vn * un * _relu(-xp, False)),
        Step("x < 0: the same decomposition", net(xn),
             vp * up * _relu(xn, False) + vn * un * _relu(-xn, False)),
        Step("Premise (Lueker / Poisson heuristic, subset-sum-exponential): N_S(+1) = "
             "sum_{S, u>0} v_i u_i and N_S(-1) = sum_{S, u<0} v_i |u_i| are two independent "
             "subset sums over ~n/2 items each, with error ~2^{-n/2} up to poly(n)",
             sp.Symbol("E_d1"), 2**(-n / 2), premise=True),
        Step("Given that rate: semi-log slope d/dn log10 2^{-n/2} = -log10(2)/2",
             sp.Derivative(sp.log(2**(-n / 2)), n) / sp.log(10), D1_SLOPE, concludes="slope"),
    ))


# --------------------------------------------------------------------------------- claims

SUBSET_SUM = register(Claim(
    id="subset-sum-exponential",
    title="Random subset sum: the best error decays exponentially (n = O(log 1/eps))",
    kind=THEOREM,
    source="Lueker 1998 (Random Struct. Algorithms 12(1)) and Da Cunha et al. 2022 (arXiv "
           "2204.13929) [recalled]; Poisson heuristic and rate derived here (derived here)",
    evidence="derived",
    statement_latex=r"E_n = \min_S|\sum_{i\in S}X_i - z| \approx \mathrm{Exp}(\mu_n(z)),\ "
                    r"\mu_n(z)=\sqrt{\pi n/3}\,e^{3z^2/n}/2^{n+1};\ \log_{10}\mathrm{med}E_n "
                    r"\text{ has slope } -\log_{10}2 \text{ per item}",
    statement_text="For X_i, z i.i.d. U[-1,1], the best subset-sum error E_n decays like 2^{-n} "
                   "up to a sqrt(n) factor: semi-log slope -log10(2) = -0.301 decades per item; so "
                   "n = O(log 1/eps) items reach eps.",
    assumptions=("X_1..X_n i.i.d. U[-1,1], target z ~ U[-1,1] independent",
                 "the Poisson-cloud law of the optimum is a heuristic; the rate is Lueker's theorem"),
    parameters=(P_N, P_Z),
    expressions={"mean": POISSON_MEAN, "median": POISSON_MEDIAN, "slope": SUBSET_SUM_SLOPE,
                 "max_rel_ci_width": MAX_REL_CI_WIDTH},
    roles={"mean": "definition", "median": "definition", "slope": "rate",
           "max_rel_ci_width": "definition"},
    derivation=_derive_subset_sum, spec_ref="separation.md §3.1, §6 E1",
    figures=("subset-sum-rate", "separation"),
))

WEIGHT_PRUNING = register(Claim(
    id="weight-pruning-logarithmic",
    title="Weight pruning reaches eps with O(d log 1/eps) hidden units (architecture B)",
    kind=THEOREM,
    source="Pensia et al. 2020 (NeurIPS, arXiv 2006.07990) single-link lemma [recalled]; block "
           "construction and rate derived here (derived here); " + SETTING,
    evidence="derived",
    statement_latex=r"\mathrm{OPT}^{\rm weight}_\infty \le \|(\max(|e^+_j|,|e^-_j|))_j\|_2 "
                    r"\approx 2^{-n/(2d)}\mathrm{poly}(n);\ \text{slope } -\log_{10}2/(2d)",
    statement_text="Weight pruning (architecture B, Pensia-style blocks: each unit keeps one input, "
                   "2d independent subset sums) achieves sup error <= ||(max(|e+_j|,|e-_j|))_j||_2 "
                   "(registered for d = 2 as bound = sqrt(a_1^2 + a_2^2), a_j = max(|e+_j|, "
                   "|e-_j|)), "
                   "decaying at semi-log slope -log10(2)/(2d) per hidden unit: n = O(d log(d/eps)).",
    assumptions=(_SIGMA, _NET + " (U[-1,1] as in Pensia et al.)", "architecture B (output ReLU)",
                 "target w in the unit ball", "error: sup over the unit sphere (= ball)",
                 "the rate is law-agnostic (items v|u_j| with a density at 0): the monte-carlo "
                 "route also checks N(0, I_d) units with ||w|| = 1, the law of the separation "
                 "figure"),
    parameters=(P_N, P_D, P_A1, P_A2),
    expressions={"slope": WEIGHT_PRUNING_SLOPE, "item_mean": ITEM_MEAN,
                 "bound": WEIGHT_L2_BOUND, "max_rel_ci_width": MAX_REL_CI_WIDTH},
    roles={"slope": "rate", "item_mean": "definition", "bound": "upper-bound",
           "max_rel_ci_width": "definition"},
    derivation=_derive_weight_pruning, spec_ref="separation.md §4.1, §6 E2",
    figures=("separation", "separation-d3"),
))

NEURON_LB = register(Claim(
    id="neuron-pruning-lower-bound",
    title="Neuron pruning (architecture A, d = 2): kink-gap lower bound, Omega(1/eps) in "
          "expectation",
    kind=THEOREM,
    source="derived here (elementary kink-gap / three-point alternation argument, spec §4.3); " +
           SETTING,
    evidence="derived",
    statement_latex=r"\forall S:\ \sup_{\|x\|=1}|N_S-f| \ge \frac{\|w\|}{\cot\frac{\delta_1}{2}"
                    r"+\cot\frac{\delta_2}{2}} \ge \frac{\|w\|\delta_1\delta_2}{2(\delta_1+\delta_2)},"
                    r"\quad \mathbb{E}[\cdot] = \frac{\pi\|w\|}{6(n+1)} \sim \frac{\pi\|w\|}{6n}",
    statement_text="In architecture A (linear output), d = 2, every neuron-pruned subnetwork has sup "
                   "error >= ||w|| d1 d2 / (2(d1 + d2)), d1, d2 the kink gaps (mod pi) around the "
                   "target's kink over all n features; for rotation-invariant units its expectation "
                   "is pi||w||/(6(n+1)) ~ pi||w||/(6n), so n = Omega(1/eps).  For architecture B "
                   "(where weight pruning succeeds and the separation is presumably stated) this "
                   "argument fails and Omega(1/eps) is not proved here: the per-instance "
                   "kink-exclusion bound (neuron-pruning-lower-bound-b) holds but decays faster "
                   "(measured ~n^-2), and the certified optimum is the evidence (see "
                   "neuron-pruning-inverse-n).",
    assumptions=(_SIGMA, _NET, "architecture A (linear output)", "d = 2",
                 "expectation: rotation-invariant units (Gaussian); the per-instance bound holds "
                 "for any law", "error: sup over the unit circle"),
    parameters=(P_W, P_DELTA1, P_DELTA2, P_N),
    expressions={"bound": KINK_GAP_BOUND, "exact_three_point": KINK_GAP_EXACT,
                 "mean_exact": KINK_GAP_MEAN_EXACT, "mean": KINK_GAP_MEAN},
    roles={"bound": "lower-bound", "exact_three_point": "lower-bound", "mean_exact": "exact",
           "mean": "definition"},
    derivation=_derive_kink_gap, spec_ref="separation.md §4.3, §5.8, §6 E3",
    figures=("neuron-lower-bound", "separation"),
))

INVERSE_N = register(Claim(
    id="neuron-pruning-inverse-n",
    title="Hypothesis: the neuron-pruning optimum scales like 1/n (architectures A and B, d = 2)",
    kind=HYPOTHESIS,
    source="derived heuristic (spec §4.3 item 7, §4.4), derived here; " + SETTING,
    evidence="derived",
    statement_latex=r"\mathrm{med}\ \mathrm{OPT}_\infty(n) \asymp n^{-1}\ (\text{up to log "
                    r"factors}):\ \text{log-log slope} \approx -1",
    statement_text="The median neuron-pruning optimum (sup error, d = 2, Gaussian units) has "
                   "log-log slope -1 in n (up to log factors), for architecture A and for "
                   "architecture B.  The Omega(1/eps) statement is only a lower bound (proved here "
                   "for A only); that the optimum attains this rate is the hypothesis.",
    assumptions=(_SIGMA, _NET + " (Gaussian u)", "d = 2", "||w|| = 1, w uniform on the circle",
                 "sup error; the optimum sandwiched by certified grid-MILP lower bounds and exact "
                 "upper bounds"),
    parameters=(P_N,),
    expressions={"slope": INVERSE_N_SLOPE, "reference": KINK_GAP_MEAN,
                 "max_ci_width": INVERSE_N_MAX_CI_WIDTH},
    roles={"slope": "rate", "reference": "definition", "max_ci_width": "definition"},
    quantifier="forall",
    decision_rule=(
        "Per architecture (A and B): least-squares slope of log10(median certified value) "
        "against log10 n over exactly the budget's fit widths, declared before any certified "
        "run -- smoke n in {8, 12, 16, 24}, default {16, 24, 32, 48}, paper {16, 24, 32, 48, 64, "
        "96, 128} -- with a percentile-bootstrap CI over nets at level 1 - 0.001/4 (Bonferroni: two "
        "architectures x the two ends of the certified sandwich: the upper end = exact error of "
        "the best subset found, the lower end = certified lower bound).  A regime is supported "
        "iff both CIs contain the claim's slope; underpowered (inconclusive) if the upper CI is "
        "wider than the claim's max_ci_width (0.8 in log10/log10, which cannot discriminate -1 "
        "from 0 or -2); else not supported.  Quantifier forall over A and B.  Not in the "
        "verdict: the log factor k of OPT ~ C n^-1 log^k n.  Disclosure: the default fit range "
        "was reduced from [16, 64] to [16, 32] after certification timings (n = 48: 26 s, n = 64: "
        "up to 195 s per instance, an older certifier) and architecture-A medians to n = 48 had "
        "been seen; it became [16, 48] after the current certifier was timed on the default nets "
        "(n = 48: median 1.5 s, all certified; n = 64: up to 131 s and stopping short); n >= 64 "
        "is certified at the paper budget."),
    derivation=_derive_inverse_n, spec_ref="separation.md §4.3-4.4, §6 E3",
    figures=("separation",),
))

D1_CONTROL = register(Claim(
    id="d1-control",
    title="d = 1 control: neuron pruning is a subset sum (exponential, no separation)",
    kind=THEOREM,
    source="derived here (spec §2.1 item 2, §4.2); " + SETTING,
    evidence="derived",
    statement_latex=r"N_S(x) = \Big(\sum_{S,u_i>0}v_iu_i\Big)\sigma(x)+\Big(\sum_{S,u_i<0}"
                    r"v_i|u_i|\Big)\sigma(-x);\ \text{slope } -\log_{10}2/2",
    statement_text="In d = 1 a neuron-pruned net equals A sigma(x) + B sigma(-x) with A, B two "
                   "independent subset sums over ~n/2 items, so the optimum decays exponentially "
                   "(semi-log slope -log10(2)/2 per unit): the separation needs d >= 2.",
    assumptions=(_SIGMA, _NET, "d = 1", "architectures A and B (same optimum)"),
    parameters=(P_N,),
    expressions={"slope": D1_SLOPE, "item_mean": ITEM_MEAN,
                 "max_rel_ci_width": MAX_REL_CI_WIDTH},
    roles={"slope": "rate", "item_mean": "definition", "max_rel_ci_width": "definition"},
    derivation=_derive_d1, spec_ref="separation.md §4.2, §6 E5",
))
