r"""Drineas–Kannan–Mahoney (2006) approximate matrix multiplication (AMM), as claims.

Setting.  :math:`A \in \mathbb{R}^{m\times n}`, :math:`B \in \mathbb{R}^{n\times p}`; draw
:math:`c` indices :math:`i_1..i_c` i.i.d. with probabilities :math:`p` (with replacement) and form

.. math::  CR = \frac1c \sum_{t=1}^{c} \frac{A^{(i_t)} B_{(i_t)}}{p_{i_t}} .

Write :math:`a_k = |A^{(k)}|\,|B_{(k)}|` (column norm of A times row norm of B),
:math:`S = \sum_k a_k`, :math:`Q = \sum_k a_k^2/p_k` and :math:`G = \|AB\|_F^2`.

Source: DKM, "Fast Monte Carlo Algorithms for Matrices I", SIAM J. Comput. 36(1), 2006, Lemmas 3-4
and Theorem 1 — *recalled* (constants unverified against the paper); every step is re-derived here
and checked by sympy (:func:`derivation`).  Spec: ``sketching.md`` §3 (SK-1 .. SK-4).

The numeric functions below (:func:`expected_error`, :func:`beta_bound`, :func:`eta`, ...) evaluate
the claims' sympy expressions through :meth:`theory.claims.Claim.numeric`; nothing is retyped.
"""
from __future__ import annotations

import sympy as sp

from .claims import HYPOTHESIS, THEOREM, Claim, Parameter, register  # noqa: F401
from .derivation import Derivation, Step

SOURCE_DKM = ("Drineas, Kannan & Mahoney 2006 (SIAM J. Comput. 36(1)), {which} [recalled]; "
              "re-derived here step by step (derived here), not quoted")

# ---------------------------------------------------------------------------------------------
# Scalar symbols shared by the expressions
c = sp.Symbol("c", positive=True, integer=True)
Q = sp.Symbol("Q", positive=True)            # sum_k a_k^2 / p_k
G = sp.Symbol("G", nonnegative=True)         # ||AB||_F^2
S = sp.Symbol("S", nonnegative=True)         # sum_k |A^(k)| |B_(k)|
FA2 = sp.Symbol("FA2", nonnegative=True)     # ||A||_F^2
FB2 = sp.Symbol("FB2", nonnegative=True)     # ||B||_F^2
beta = sp.Symbol("beta", positive=True)
delta = sp.Symbol("delta", positive=True)

EXACT_ERROR = (Q - G) / c
OPTIMAL_ERROR = (S**2 - G) / c
FROBENIUS_BOUND = FA2 * FB2 / c
BETA_BOUND = FA2 * FB2 / (beta * c)
ETA = 1 + sp.sqrt(8 / beta * sp.log(1 / delta))
ETA_MCDIARMID = 1 + sp.sqrt(2 / beta * sp.log(1 / delta))
HP_BOUND = ETA * sp.sqrt(FA2 * FB2) / sp.sqrt(beta * c)          # bound on ||AB - CR||_F
HP_BOUND_MCDIARMID = ETA_MCDIARMID * sp.sqrt(FA2 * FB2) / sp.sqrt(beta * c)
MEAN_PROBE = sp.Symbol("M", real=True)       # u^T AB v for fixed probe vectors u, v
UNBIASED_MEAN = MEAN_PROBE                   # E[u^T CR v] (claim amm-unbiased)
_CS_GAP = sp.Symbol("e", nonnegative=True)   # ||A||_F^2 ||B||_F^2 - S^2 >= 0 (Cauchy-Schwarz)

P_C = Parameter("c", "c", "number of index draws", 1, None, integer=True)
P_BETA = Parameter("beta", r"\beta", "near-optimality factor", 0, 1, low_open=True)
P_DELTA = Parameter("delta", r"\delta", "failure probability", 0, 1, low_open=True, high_open=True)
P_PROB = Parameter("p_k", "p_k", "sampling probabilities (sum to 1; > 0 where a_k > 0)", 0, 1)

_COMMON_ASSUMPTIONS = (
    "A in R^{m x n}, B in R^{n x p} real and finite; n >= 1, c >= 1",
    "indices i_1..i_c drawn i.i.d. from p, with replacement",
    "p_k >= 0, sum_k p_k = 1, and p_k > 0 wherever |A^(k)| |B_(k)| > 0 (else the estimator is "
    "biased)",
)

# ---------------------------------------------------------------------------------------------
# Small fully symbolic instance used by the vector steps (n = 3 indices, m = p = 2):
# the scalar steps are general; the vector steps are proved for this symbolic size and
# say so.
_N = 3
_A = sp.Matrix(2, _N, lambda i, k: sp.Symbol(f"A{i}{k}", real=True))
_B = sp.Matrix(_N, 2, lambda k, j: sp.Symbol(f"B{k}{j}", real=True))
_p = [sp.Symbol(f"p{k}", positive=True) for k in range(_N)]
_x = [sp.Symbol(f"x{k}", nonnegative=True) for k in range(_N)]   # column norms of A
_y = [sp.Symbol(f"y{k}", nonnegative=True) for k in range(_N)]   # row norms of B
_a = [sp.Symbol(f"a{k}", positive=True) for k in range(_N)]      # a_k = x_k y_k


def _outer(k):
    return _A[:, k] * _B[k, :]


def _frob2(M):
    return sum(e**2 for e in M)


def _lagrange_cs(x, y):
    """Lagrange's identity witness: sum_{i<j} (x_i y_j - x_j y_i)^2 >= 0."""
    return sum((x[i] * y[j] - x[j] * y[i]) ** 2 for i in range(len(x)) for j in range(i + 1, len(x)))


def _derive_unbiased() -> Derivation:
    t = sp.Symbol("t", integer=True, positive=True)
    one_draw = sp.Matrix(2, 2, lambda i, j: sp.Add(*[
        sp.Mul(_p[k], _outer(k)[i, j], sp.Pow(_p[k], -1), evaluate=False) for k in range(_N)],
        evaluate=False))  # kept unevaluated: sympy would cancel p_k on construction
    return Derivation("amm-unbiased", "DKM Lemma 3: the sketch CR is unbiased", (
        Step("One draw Z = A^(i)B_(i)/p_i has E[Z] = sum_k p_k A^(k)B_(k)/p_k = AB "
             "(symbolic 2x3 times 3x2 instance, every entry)", one_draw, _A * _B,
             justification="p_k cancels; AB = sum_k A^(k) B_(k) (column-row expansion)"),
        Step("By linearity, every probe u^T Z_t v of draw t has mean u^T AB v =: M (previous step); "
             "CR is the mean of c i.i.d. draws, so E[u^T CR v] = (1/c) sum_{t=1}^c M = M (any c)",
             sp.Sum(MEAN_PROBE, (t, 1, c)) / c, UNBIASED_MEAN,
             justification="linearity of expectation", concludes="mean"),
    ))


def _derive_variance() -> Derivation:
    second_moment = sum(_p[k] * _frob2(_outer(k) / _p[k]) for k in range(_N))
    norms = sum(_frob2(_A[:, k]) * _frob2(_B[k, :]) / _p[k] for k in range(_N))
    return Derivation("amm-exact-variance", "DKM Lemma 4: exact expected squared error", (
        Step("Second moment of one draw: s2 = E||Z||_F^2 = sum_k p_k ||A^(k)B_(k)||_F^2 / p_k^2 = "
             "sum_k |A^(k)|^2 |B_(k)|^2 / p_k = Q (symbolic n = 3 instance)", second_moment, norms,
             justification="||a b^T||_F^2 = ||a||^2 ||b||^2"),
        Step("Mean of c i.i.d. draws Z_t with E Z_t = AB: E||mean - AB||^2 = E||mean||^2 "
             "- 2 E<mean, AB> + ||AB||^2 with E||mean||^2 = (c s2 + c(c-1) ||AB||^2)/c^2; "
             "with s2 = Q and ||AB||_F^2 = G this is (Q - G)/c",
             (c * Q + c * (c - 1) * G) / c**2 - 2 * G + G, EXACT_ERROR,
             justification="independence: E<Z_s, Z_t> = ||AB||^2 for s != t", concludes="exact"),
    ))


def _derive_optimal() -> Derivation:
    S_ = sum(_a)
    Q_ = sum(_a[k] ** 2 / _p[k] for k in range(_N))
    witness = sum((_a[i] * _p[j] - _a[j] * _p[i]) ** 2 / (_p[i] * _p[j])
                  for i in range(_N) for j in range(i + 1, _N))
    pstar = [_a[k] / S_ for k in range(_N)]
    Q_star = sum(_a[k] ** 2 / pstar[k] for k in range(_N))
    S_xy = sum(_x[k] * _y[k] for k in range(_N))
    FA2_, FB2_ = sum(v**2 for v in _x), sum(v**2 for v in _y)
    return Derivation("amm-optimal-probabilities", "DKM Lemma 4: optimal probabilities", (
        Step("Cauchy-Schwarz (Lagrange form): Q * sum_k p_k >= S^2 for all p > 0, so with "
             "sum p = 1, Q >= S^2 (symbolic n = 3)", S_**2, Q_ * sum(_p), "<=", witness,
             "Q sum p - S^2 = sum_{i<j} (a_i p_j - a_j p_i)^2 / (p_i p_j)"),
        Step("Equality at p*_k = a_k / S, so min_p E||AB-CR||_F^2 = (Q(p*) - G)/c = (S^2 - G)/c "
             "(symbolic n = 3, a_3 written as S - a_1 - a_2)",
             ((Q_star - G) / c).subs(_a[2], S - _a[0] - _a[1]), OPTIMAL_ERROR,
             concludes="optimal"),
        Step("Cauchy-Schwarz: e := ||A||_F^2 ||B||_F^2 - S^2 >= 0 (symbolic n = 3, "
             "S = sum_k x_k y_k)", S_xy**2, FA2_ * FB2_, "<=", _lagrange_cs(_x, _y),
             "Lagrange's identity; ||A||_F^2 = sum_k |A^(k)|^2, ||B||_F^2 = sum_k |B_(k)|^2"),
        Step("Hence, with S^2 = ||A||_F^2 ||B||_F^2 - e (e >= 0) and G >= 0: (S^2 - G)/c <= "
             "||A||_F^2 ||B||_F^2 / c", (FA2 * FB2 - _CS_GAP - G) / c, FROBENIUS_BOUND, "<=",
             (_CS_GAP + G) / c, concludes="bound"),
    ))


def _derive_beta() -> Derivation:
    a, g, S_ = sp.Symbol("a", positive=True), sp.Symbol("g", nonnegative=True), \
        sp.Symbol("S", positive=True)
    p_k = (beta * a + g) / S_  # beta-condition: p_k >= beta a_k / S with slack g >= 0
    gap_witness = a * S_ * g / (beta * (beta * a + g))
    return Derivation("amm-beta-bound", "DKM Theorem 1 (eq. 14): beta-nearly-optimal p", (
        Step("Termwise, under p_k = (beta a_k + g_k)/S with g_k >= 0 (the beta-condition): "
             "a_k^2 / p_k <= a_k S / beta", a**2 / p_k, a * S_ / beta, "<=", gap_witness),
        Step("Summing a_k S/beta over k gives Q <= S^2/beta; so E = (Q - G)/c <= (S^2/beta - G)/c "
             "<= S^2/(beta c)", (S**2 / beta - G) / c, S**2 / (beta * c), "<=", G / c),
        Step("Cauchy-Schwarz: e := ||A||_F^2 ||B||_F^2 - S^2 >= 0 (symbolic n = 3 norms x_k, y_k)",
             sum(_x[k] * _y[k] for k in range(_N)) ** 2,
             sum(v**2 for v in _x) * sum(v**2 for v in _y), "<=", _lagrange_cs(_x, _y),
             "Lagrange's identity"),
        Step("Hence, with S^2 = ||A||_F^2 ||B||_F^2 - e (e >= 0): S^2/(beta c) <= "
             "||A||_F^2 ||B||_F^2/(beta c)", (FA2 * FB2 - _CS_GAP) / (beta * c), BETA_BOUND, "<=",
             _CS_GAP / (beta * c), concludes="bound"),
    ))


def _derive_hp() -> Derivation:
    a, g, S_ = sp.Symbol("a", positive=True), sp.Symbol("g", nonnegative=True), \
        sp.Symbol("S", positive=True)
    T = sp.sqrt(FA2 * FB2)          # Cauchy-Schwarz: S <= T
    lam_sym, P_sym = sp.Symbol("lambda", nonnegative=True), sp.Symbol("P", nonnegative=True)
    p_k = (beta * a + g) / S_
    Delta = 2 * S_ / (beta * c)
    Delta_T = 2 * T / (beta * c)
    return Derivation("amm-high-probability", "DKM Theorem 1 (eq. 15): high probability", (
        Step("Bounded differences: replacing one index moves CR (hence F = ||AB - CR||_F) by at "
             "most (2/c) max_k a_k/p_k <= 2S/(beta c) =: Delta", (2 / c) * a / p_k, Delta, "<=",
             2 * S_ * g / (beta * c * (beta * a + g))),
        Step("Cauchy-Schwarz: S^2 <= ||A||_F^2 ||B||_F^2 (symbolic n = 3), so Delta <= "
             "2 sqrt(||A||_F^2 ||B||_F^2)/(beta c) and, by eq. 14, E F <= sqrt(E F^2) <= "
             "sqrt(||A||_F^2 ||B||_F^2/(beta c)) (Jensen)",
             sum(_x[k] * _y[k] for k in range(_N)) ** 2,
             sum(v**2 for v in _x) * sum(v**2 for v in _y), "<=", _lagrange_cs(_x, _y)),
        Step("Azuma-Hoeffding for the Doob martingale of F with increments <= Delta [recalled]: "
             "P(F - EF >= lambda) <= exp(-lambda^2 / (2 c Delta^2))", P_sym,
             sp.exp(-lam_sym**2 / (2 * c * Delta**2)), "<=", premise=True),
        Step("Set the bound exp(-lambda^2/(2 c Delta^2)) to delta: lambda = Delta sqrt(2 c "
             "log(1/delta)).  So w.p. >= 1 - delta, F <= EF + lambda <= sqrt(||A||^2||B||^2/(beta c)) + "
             "Delta_T sqrt(2c log(1/delta)) = eta ||A||_F ||B||_F / sqrt(beta c)",
             T / sp.sqrt(beta * c) + Delta_T * sp.sqrt(2 * c * sp.log(1 / delta)), HP_BOUND,
             concludes="bound"),
        Step("McDiarmid's inequality [recalled]: P(F - EF >= lambda) <= exp(-2 lambda^2 / "
             "(c Delta^2))", P_sym, sp.exp(-2 * lam_sym**2 / (c * Delta**2)), "<=", premise=True),
        Step("With lambda = Delta sqrt(c log(1/delta)/2): F <= sqrt(||A||^2||B||^2/(beta c)) + "
             "Delta_T sqrt(c log(1/delta)/2) = eta' ||A||_F ||B||_F / sqrt(beta c), eta' = 1 + "
             "sqrt((2/beta) log(1/delta)) (derived here; offered as a refinement)",
             T / sp.sqrt(beta * c) + Delta_T * sp.sqrt(c * sp.log(1 / delta) / 2),
             HP_BOUND_MCDIARMID, concludes="bound_mcdiarmid"),
    ), notes=("Confidence that DKM state (15) for the squared norm: medium-high [recalled].",))


AMM_UNBIASED = register(Claim(
    id="amm-unbiased", title="The DKM sketch CR is unbiased", kind=THEOREM,
    source=SOURCE_DKM.format(which="Lemma 3"), evidence="recalled",
    statement_latex=r"\mathbb{E}[CR] = AB",
    statement_text="E[CR] = AB for every p satisfying the support assumption and every c >= 1 "
                   "(equivalently E[u^T CR v] = M := u^T AB v for all probes u, v).",
    assumptions=_COMMON_ASSUMPTIONS, parameters=(P_C, P_PROB),
    expressions={"mean": UNBIASED_MEAN}, roles={"mean": "exact"},
    derivation=_derive_unbiased, spec_ref="sketching.md §3.2 (SK-1)", figures=("amm-rate",),
))

AMM_EXACT_VARIANCE = register(Claim(
    id="amm-exact-variance", title="Exact expected squared Frobenius error of the DKM sketch",
    kind=THEOREM, source=SOURCE_DKM.format(which="Lemma 4"), evidence="recalled",
    statement_latex=r"\mathbb{E}\|AB-CR\|_F^2 = \frac1c\Big(\sum_k \frac{|A^{(k)}|^2|B_{(k)}|^2}"
                    r"{p_k} - \|AB\|_F^2\Big)",
    statement_text="E||AB - CR||_F^2 = (1/c)(sum_k |A^(k)|^2 |B_(k)|^2 / p_k - ||AB||_F^2).",
    assumptions=_COMMON_ASSUMPTIONS, parameters=(P_C, P_PROB),
    expressions={"exact": EXACT_ERROR}, roles={"exact": "exact"}, derivation=_derive_variance,
    spec_ref="sketching.md §3.3 (SK-2)", figures=("amm-rate",),
))

AMM_OPTIMAL = register(Claim(
    id="amm-optimal-probabilities", title="Optimal sampling probabilities p* ∝ |A^(k)||B_(k)|",
    kind=THEOREM, source=SOURCE_DKM.format(which="Lemma 4, eq. 12"), evidence="recalled",
    statement_latex=r"p^*_k = \frac{|A^{(k)}||B_{(k)}|}{\sum_j |A^{(j)}||B_{(j)}|},\quad "
                    r"\min_p \mathbb{E}\|AB-CR\|_F^2 = \frac1c\Big(\big(\sum_k|A^{(k)}||B_{(k)}|"
                    r"\big)^2-\|AB\|_F^2\Big) \le \frac{\|A\|_F^2\|B\|_F^2}{c}",
    statement_text="p*_k proportional to |A^(k)||B_(k)| minimises the expected error; the minimum is "
                   "(1/c)((sum_k |A^(k)||B_(k)|)^2 - ||AB||_F^2) <= ||A||_F^2 ||B||_F^2 / c.",
    assumptions=_COMMON_ASSUMPTIONS + ("at least one a_k > 0 (AB-sketch not identically zero)",),
    parameters=(P_C,), expressions={"optimal": OPTIMAL_ERROR, "bound": FROBENIUS_BOUND},
    roles={"optimal": "exact", "bound": "upper-bound"},
    derivation=_derive_optimal, spec_ref="sketching.md §3.3 (SK-2)", figures=("amm-rate",),
))

AMM_BETA = register(Claim(
    id="amm-beta-bound", title="β-nearly-optimal probabilities: expectation bound", kind=THEOREM,
    source=SOURCE_DKM.format(which="Theorem 1, eq. 14"), evidence="recalled",
    statement_latex=r"p_k \ge \beta p^*_k\ \forall k \Rightarrow \mathbb{E}\|AB-CR\|_F^2 \le "
                    r"\frac{\|A\|_F^2\|B\|_F^2}{\beta c}",
    statement_text="If p_k >= beta p*_k for all k (0 < beta <= 1), then E||AB - CR||_F^2 <= "
                   "||A||_F^2 ||B||_F^2 / (beta c).",
    assumptions=_COMMON_ASSUMPTIONS + ("0 < beta <= 1 and p_k >= beta p*_k for every k",),
    parameters=(P_C, P_BETA), expressions={"bound": BETA_BOUND}, roles={"bound": "upper-bound"},
    derivation=_derive_beta, spec_ref="sketching.md §3.4 (SK-3)", figures=("amm-rate",),
))

AMM_HP = register(Claim(
    id="amm-high-probability", title="β-nearly-optimal probabilities: high-probability bound",
    kind=THEOREM, source=SOURCE_DKM.format(which="Theorem 1, eq. 15"), evidence="recalled",
    statement_latex=r"\Pr\Big(\|AB-CR\|_F \le \frac{\eta\|A\|_F\|B\|_F}{\sqrt{\beta c}}\Big) \ge "
                    r"1-\delta,\quad \eta = 1+\sqrt{(8/\beta)\log(1/\delta)}",
    statement_text="With eta = 1 + sqrt((8/beta) log(1/delta)), P(||AB - CR||_F <= eta ||A||_F "
                   "||B||_F / sqrt(beta c)) >= 1 - delta.",
    assumptions=_COMMON_ASSUMPTIONS + ("0 < beta <= 1, p_k >= beta p*_k for every k",
                                       "0 < delta < 1"),
    parameters=(P_C, P_BETA, P_DELTA),
    expressions={"eta": ETA, "bound": HP_BOUND, "eta_mcdiarmid": ETA_MCDIARMID,
                 "bound_mcdiarmid": HP_BOUND_MCDIARMID},
    roles={"eta": "definition", "bound": "upper-bound", "eta_mcdiarmid": "definition",
           "bound_mcdiarmid": "upper-bound"},
    derivation=_derive_hp, spec_ref="sketching.md §3.4 (SK-4)", figures=("amm-tail",),
))
