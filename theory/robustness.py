r"""The law of robustness and its sparse extension ("No Free Prune"), as claims
(``spec/no_free_prune.md``).

Source status (spec, "read this first"): the full text of No Free Prune (Kumar, Luo, Sellke 2024)
was **not** available.  Bubeck–Sellke (NeurIPS 2021) was read in full.  The sparse law registered
here (Proposition A / Corollary A', spec §2.3) is **derived here** from B–S Lemma 2.1 and
Theorem 2 plus a standard information lemma; it is *not* NFP's theorem, whose constants,
probability form and log factors are unknown.  Every claim built on it says so.

Logs are natural; information is in nats.
"""
from __future__ import annotations

import sympy as sp

from .claims import HYPOTHESIS, THEOREM, Claim, Parameter, register
from .derivation import Derivation, Step

DERIVED = ("derived here (spec no_free_prune.md §2.3) from Bubeck-Sellke Lemma 2.1 and Theorem 2 "
           "plus an information lemma; NOT the No Free Prune paper's theorem (its full text was "
           "not available; its constants and probability form are unknown)")

# ----------------------------------------------------------------------------------- symbols
lam_max = sp.Symbol("lam_max", real=True)
lam_min = sp.Symbol("lam_min", real=True)
n = sp.Symbol("n", positive=True, integer=True)
d = sp.Symbol("d", positive=True, integer=True)
c = sp.Symbol("c", positive=True)
L = sp.Symbol("L", positive=True)
tau = sp.Symbol("tau", positive=True)
eps = sp.Symbol("eps", positive=True)
delta = sp.Symbol("delta", positive=True)
W = sp.Symbol("W", positive=True)
J = sp.Symbol("J", positive=True)
I = sp.Symbol("I", nonnegative=True)           # I(M; D), nats
S = sp.Symbol("S", nonnegative=True)           # E|M|
p = sp.Symbol("p", positive=True, integer=True)
P = sp.Symbol("P", positive=True, integer=True)
k = sp.Symbol("k", positive=True, integer=True)
M = sp.Symbol("M", positive=True, integer=True)
P1 = sp.Symbol("P1", nonnegative=True, integer=True)
P2 = sp.Symbol("P2", nonnegative=True, integer=True)

# ------------------------------------------------------------------------- registered values
LIP_QUADRATIC = lam_max - lam_min
#: B-S Theorem 2's per-function term written at the correlation threshold tau = eps/6:
#: 2 exp(-eps^2 n d / (8^4 c L^2)) = 2 exp(-tau^2 n d / (K c L^2)) with K = 8^4 / 36.
K_TAIL = sp.Rational(8**4, 36)
TAIL = 2 * sp.exp(-tau**2 * n * d / (K_TAIL * c * L**2))
NET_LOG = sp.log(60 * W * J / eps)
I_EFF = I + S * NET_LOG                                               # I' (spec §2.2)
X_SPARSE = eps**2 * n * d / (2**14 * c * L**2)
PROB_BOUND = 4 * sp.exp(-n * eps**2 / 2**11) + (I_EFF + sp.log(2)) / (X_SPARSE - sp.log(2))
LIP_STAR = eps / (2**7 * sp.sqrt(c)) * sp.sqrt(n * d / (4 * I + 4 * S * NET_LOG + 5 * sp.log(2)))
BS_BOUND = eps / (2**9 * sp.sqrt(c)) * sp.sqrt(n * d / (p * NET_LOG + sp.log(4 / delta)))
KSPAR = sp.log(sp.binomial(P, k))
KSPAR_SIMPLE = k * sp.log(sp.E * P / k)
LAYER_COUNTS = sp.log(P1 + 1) + sp.log(P2 + 1)
BEST_OF_M = sp.log(M)
LAW_SLOPE = sp.Rational(-1, 2)
MAX_NORMALS_RATIO = sp.Integer(1)   # T_M / E[max of M standard normals]
#: family-wise false-failure level of every robustness hypothesis (Bonferroni over its cases)
HYP_ALPHA = sp.Rational(1, 1000)
#: E1: a regime's slope CI wider than this is underpowered (declared in wave 3, after the smoke
#: widths 0.42 / 0.61 had been seen; half-width 1/4 = half the predicted exponent)
LAW_MAX_CI_WIDTH = sp.Rational(1, 2)
#: E2a: relative tolerance on mean T_M / E_M, and the regime restriction log M <= d * fraction
BITS_TOL = sp.Rational(3, 20)
BITS_LOGM_FRACTION = sp.Rational(1, 4)

P_N = Parameter("n", "n", "sample size", 1, None, integer=True)
P_D = Parameter("d", "d", "input dimension", 1, None, integer=True)
P_C = Parameter("c", "c", "isoperimetry constant", 0, None, low_open=True)
P_L = Parameter("L", "L", "Lipschitz constant", 0, None, low_open=True)
P_TAU = Parameter("tau", r"\tau", "correlation threshold", 0, None, low_open=True)
P_EPS = Parameter("eps", r"\varepsilon", "fitting margin", 0, 1, low_open=True, high_open=True)
P_DELTA = Parameter("delta", r"\delta", "failure probability", 0, 1, low_open=True,
                    high_open=True)
P_I = Parameter("I", "I", "mask information I(M; D) in nats", 0, None)
P_S = Parameter("S", r"\mathbb E|M|", "expected mask support", 0, None)
P_P = Parameter("P", "P", "number of maskable coordinates", 1, None, integer=True)
P_K = Parameter("k", "k", "mask size (1 <= k <= P)", 1, None, integer=True)
P_M = Parameter("M", "M", "number of data-free candidates", 1, None, integer=True)


# ------------------------------------------------------------------------------ derivations
def _derive_quadratic() -> Derivation:
    """2x2 symbolic case in the eigenbasis of A (A = diag(l1, l2), no loss of generality: f_A is
    invariant under the rotation that diagonalises A)."""
    x1, x2, y1, y2 = sp.symbols("x1 x2 y1 y2", real=True)
    A = sp.Matrix([[lam_max, 0], [0, lam_min]])
    x, xp = sp.Matrix([x1, x2]), sp.Matrix([y1, y2])
    f = lambda v: (v.T * A * v)[0]                      # noqa: E731
    a, b, kk = sp.symbols("a b k", real=True)
    u, v = sp.Matrix([a, b]), kk * sp.Matrix([-b, a])   # every v ⊥ u in 2-D
    r = sp.Symbol("r", nonnegative=True)                # |x + x'| = 2/(1 + r) <= 2
    s = sp.Symbol("s", positive=True)
    x0, w = sp.Matrix([1, 1]) / sp.sqrt(2), sp.Matrix([1, -1]) / sp.sqrt(2)
    xplus, xminus = sp.cos(s) * x0 + sp.sin(s) * w, sp.cos(s) * x0 - sp.sin(s) * w
    ratio = (f(xplus) - f(xminus)) / (2 * sp.sin(s))
    return Derivation("quadratic-form-lipschitz", "Lip(x^T A x) on the sphere = lam_max - lam_min", (
        Step("f(x) - f(x') = (x - x')^T A (x + x') for symmetric A (2x2 symbolic)",
             f(x) - f(xp), ((x - xp).T * A * (x + xp))[0]),
        Step("(x - x') . (x + x') = |x|^2 - |x'|^2, which is 0 on the sphere: u ⊥ v",
             ((x - xp).T * (x + xp))[0], x1**2 + x2**2 - y1**2 - y2**2),
        Step("for u ⊥ v: (u^T A v)^2 <= ((lam_max - lam_min)/2)^2 |u|^2 |v|^2 (u = (a, b), "
             "v = k(-b, a))", ((u.T * A * v)[0]) ** 2,
             (lam_max - lam_min) ** 2 / 4 * (a**2 + b**2) * (kk**2 * (a**2 + b**2)), "<=",
             kk**2 * (lam_max - lam_min) ** 2 * (a**2 - b**2) ** 2 / 4),
        Step("with |v| = |x + x'| = 2/(1 + r) <= 2: ratio^2 <= (lam_max - lam_min)^2, i.e. "
             "Lip <= lam_max - lam_min", (lam_max - lam_min) ** 2 / 4 * (2 / (1 + r)) ** 2,
             (lam_max - lam_min) ** 2, "<=",
             (lam_max - lam_min) ** 2 * r * (r + 2) / (1 + r) ** 2),
        Step("|x+ - x-|^2 = 4 sin^2 s for x± = cos s x0 ± sin s w (x0, w orthonormal)",
             ((xplus - xminus).T * (xplus - xminus))[0], 4 * sp.sin(s) ** 2),
        Step("the pair ratio along x± is (lam_max - lam_min) cos s", ratio,
             (lam_max - lam_min) * sp.cos(s)),
        Step("sup over pairs >= lim_{s->0} (lam_max - lam_min) cos s (limit evaluated by sympy)",
             sp.Limit(sp.simplify(ratio), s, 0), LIP_QUADRATIC, concludes="lip"),
    ), notes=("The upper step is in squared form; the general-d argument (spec §4) reduces to "
              "the plane of u and v.",))


def _derive_tail() -> Derivation:
    a = tau**2 * n * d / (c * L**2)
    return Derivation("finite-class-noise-correlation", "B-S Theorem 2, per-function term", (
        Step("c-isoperimetry and |z| <= 2 (premise, B-S): (f(x) - Ef) z sqrt(d/c)/L is mean-zero "
             "4-subgaussian; B-S Prop. 1.2: n^{-1/2} sum is 18*4 = 72-subgaussian, so "
             "P(mean >= tau) <= 2 exp(-tau^2 n d/(72 c L^2))", sp.Symbol("Pr", positive=True),
             2 * sp.exp(-a / 72), "<=", premise=True),
        Step("B-S loosen 36 * 72 = 2592 to 8^4 = 4096 (exponent comparison)", -a / 72,
             -a / K_TAIL, "<=", a * (1 / sp.Integer(72) - 1 / K_TAIL)),
        Step("written at Theorem 2's margin eps = 6 tau: 2 exp(-eps^2 n d/(8^4 c L^2)) is the "
             "registered tail", 2 * sp.exp(-(sp.UnevaluatedExpr(6) * tau) ** 2 * n * d
                                           / (8**4 * c * L**2)), TAIL,
             concludes="tail"),
    ))


def _derive_sparse() -> Derivation:
    a, q = sp.Symbol("a", positive=True), sp.Symbol("q", positive=True)
    Ip = sp.Symbol("Iprime", nonnegative=True)
    Xs = sp.Symbol("X", positive=True)
    g = sp.Symbol("g", nonnegative=True)
    ell = sp.Symbol("ell", positive=True)
    dl = sp.Symbol("dl", positive=True)                 # log(4/delta)
    return Derivation("sparse-law-of-robustness", "Proposition A / Corollary A' (derived here)", (
        Step("information lemma (premise: data processing + kl(a||b) >= a log(1/b) - h(a), "
             "h(a) <= log 2): I(Z; D) >= a log(1/q) - log 2 when b <= q", Ip,
             a * sp.log(1 / q) - sp.log(2), ">=", premise=True),
        Step("rearranged: a <= (I(Z; D) + log 2)/log(1/q) (log(1/q) > 0)",
             a, (Ip + sp.log(2)) / sp.log(1 / q), "<=", premise=True),
        Step("log(1/q) for q = 2 exp(-X), X = eps^2 n d/(2^14 c L^2): log(1/q) = X - log 2",
             sp.log(1 / (2 * sp.exp(-Xs))), Xs - sp.log(2)),
        Step("chain rule (premise): I(Z; D) = I(M; D) + I(w; D | M) <= I + E|M| log(60WJ/eps) "
             "(net of size (60WJ/eps)^|M| inside each mask)", Ip, I_EFF, "<=", premise=True),
        Step("Proposition A: B-S Lemma 2.1's data-only term 4exp(-n eps^2/2^11) plus the "
             "information lemma at q = 2exp(-X) with I(Z; D) <= I'",
             4 * sp.exp(-n * eps**2 / 2**11)
             + (I_EFF + sp.log(2)) / sp.log(1 / (2 * sp.exp(-X_SPARSE))),
             PROB_BOUND, concludes="prob_bound"),
        Step("rearrange: 1/4 <= (I' + log 2)/(X - log 2) with X > log 2 gives X <= 4 I' + 5 log 2 "
             "(X - log 2 <= 4 I' + 4 log 2)", Xs - sp.log(2) + 0 * g,
             4 * (Ip + sp.log(2)), "<=", premise=True),
        Step("solve X = eps^2 n d/(2^14 c L^2) <= 4 I' + 5 log 2 for L (X decreases in L): "
             "L >= the positive root (sympy.solve) = L*, I' = I + E|M| log(60WJ/eps)",
             max(sp.solve(sp.Eq(X_SPARSE, 4 * I_EFF + 5 * sp.log(2)), L),
                 key=lambda r: r.could_extract_minus_sign() is False),
             LIP_STAR, concludes="lip_bound"),
        Step("the sparse bound at L* is the boundary: X(L*) = 4 I' + 5 log 2",
             X_SPARSE.subs(L, LIP_STAR), 4 * I_EFF + 5 * sp.log(2)),
        Step("dense case (I = 0, E|M| = p) against B-S Theorem 3: (L*/L_BS)^2 = "
             "16 (p ell + log(4/delta))/(4 p ell + 5 log 2), ell = log(60WJ/eps)",
             ((LIP_STAR / BS_BOUND) ** 2).subs({I: 0, S: p}).subs(NET_LOG, ell)
             .subs(sp.log(4 / delta), dl),
             16 * (p * ell + dl) / (4 * p * ell + 5 * sp.log(2))),
        Step("dense case up to constants: (L*/L_BS)^2 -> 4 as p -> oo",
             sp.Limit(16 * (p * ell + dl) / (4 * p * ell + 5 * sp.log(2)), p, sp.oo),
             sp.Integer(4)),
    ), notes=("Derived here; not NFP's theorem.  Premises are argued in the spec §2.3 proof "
              "sketch (data-only event of B-S Lemma 2.1, net inside each mask).",))


def _derive_information() -> Derivation:
    PP = sp.Symbol("PP", positive=True, integer=True)
    return Derivation("mask-information-bounds", "Mask information bounds", (
        Step("I(m; D) <= H(m) <= log |support of m| (premise: standard)",
             sp.Symbol("Im", nonnegative=True), KSPAR, "<=", premise=True),
        Step("a k-sparse mask among P takes at most C(P, k) values: log C(P, k)",
             sp.log(sp.factorial(P) / (sp.factorial(k) * sp.factorial(P - k))), KSPAR,
             concludes="kspar"),
        Step("k = 1: log C(P, 1) = log P <= 1 * log(e P / 1)", sp.log(PP),
             KSPAR_SIMPLE.subs({k: 1, P: PP}), "<=", sp.Integer(1)),
        Step("C(P, k) <= P^k/k! and k! >= (k/e)^k (premises) give log C(P, k) <= k log(eP/k)",
             sp.Symbol("logC", nonnegative=True), KSPAR_SIMPLE, "<=", premise=True),
        Step("k log(eP/k) = k + k log(P/k)", k + k * sp.log(P / k), KSPAR_SIMPLE,
             concludes="kspar_simple"),
        Step("a mask determined by per-group counts (c1, c2) takes <= (P1 + 1)(P2 + 1) values",
             sp.log((P1 + 1) * (P2 + 1)), LAYER_COUNTS, concludes="layer_counts"),
        Step("H(index) <= log M; log M = M-fold uniform entropy",
             -M * (1 / M) * sp.log(1 / M), BEST_OF_M, concludes="best_of_m"),
    ))


# ------------------------------------------------------------------------------------ claims
QUADRATIC = register(Claim(
    id="quadratic-form-lipschitz", title="Lipschitz constant of x^T A x on the unit sphere",
    kind=THEOREM, source="derived here (spec no_free_prune.md §4)", evidence="derived",
    statement_latex=r"\mathrm{Lip}_{S^{d-1}}(x^\top Ax) = \lambda_{\max}(A) - \lambda_{\min}(A)",
    statement_text="For symmetric A, sup over distinct x, x' on the unit sphere of "
                   "|x^T A x - x'^T A x'| / |x - x'| equals lam_max(A) - lam_min(A) (chord "
                   "metric; a supremum, not attained by any pair).",
    assumptions=("A real symmetric d x d, d >= 2", "chord (Euclidean) metric on S^{d-1}"),
    expressions={"lip": LIP_QUADRATIC}, roles={"lip": "exact"}, derivation=_derive_quadratic,
    spec_ref="no_free_prune.md §4", figures=("law-of-robustness",)))

TAIL_CLAIM = register(Claim(
    id="finite-class-noise-correlation",
    title="Bubeck-Sellke Theorem 2: per-function noise-correlation tail", kind=THEOREM,
    source="Bubeck & Sellke 2021, Theorem 2 and its proof mechanism [read] (spec §1.4); the "
           "per-function tail is re-derived here from sub-Gaussian concentration (isoperimetry "
           "and B-S Proposition 1.2 enter as premises), not quoted",
    evidence="read",
    statement_latex=r"\Pr\Big(\frac1n\sum_i (f(x_i)-\mathbb Ef) z_i \ge \tau\Big) \le "
                    r"2\exp\Big(-\frac{\tau^2 nd}{K c L^2}\Big),\ K = 8^4/36",
    statement_text="For a fixed L-Lipschitz f (clipped to [-1, 1]), c-isoperimetric inputs and "
                   "noise z = y - E[y|x] with y in [-1, 1]: P((1/n) sum (f(x_i) - Ef) z_i >= tau) "
                   "<= 2 exp(-tau^2 n d/(K c L^2)), K = 8^4/36 (Theorem 2 at eps = 6 tau); over "
                   "M fixed candidates the union bound multiplies by M.",
    assumptions=("x_i i.i.d. c-isoperimetric on R^d; here: uniform on S^{d-1} with c = 1 "
                 "[recalled: c ~ 1-2]", "y in [-1, 1], z_i = y_i - E[y|x_i]",
                 "f fixed before the data, Lip(f) <= L"),
    parameters=(P_N, P_D, P_C, P_L, P_TAU),
    expressions={"tail": TAIL}, roles={"tail": "upper-bound"}, derivation=_derive_tail,
    spec_ref="no_free_prune.md §1.3-1.4", figures=("noise-fitting-bits",)))

SPARSE_LAW = register(Claim(
    id="sparse-law-of-robustness", title="Sparse law of robustness (Proposition A / Corollary A', "
    "derived here)", kind=THEOREM, source=DERIVED, evidence="derived",
    statement_latex=r"P(E) \le 4e^{-n\varepsilon^2/2^{11}} + \frac{I' + \log 2}{X - \log 2};\ "
                    r"P(E) \ge \tfrac12 \Rightarrow L \ge \frac{\varepsilon}{2^7\sqrt c}"
                    r"\sqrt{\frac{nd}{4I + 4\mathbb E|M|\log(60WJ/\varepsilon) + 5\log 2}}",
    statement_text="(Derived here, not NFP's theorem.) For any algorithm with mask M, "
                   "E = {fit below sigma^2 - eps and Lip <= L}: P(E) <= 4exp(-n eps^2/2^11) + "
                   "(I' + log 2)/(X - log 2), I' = I(M;D) + E|M| log(60WJ/eps), "
                   "X = eps^2 n d/(2^14 c L^2); if P(E) >= 1/2 and n >= 2^11 log 16/eps^2 then "
                   "L >= L*.",
    assumptions=("B-S Theorem 3 setting, one mixture component, sigma^2 > 0",
                 "diam(W) <= W, sup-norm J-Lipschitz parametrisation, f clipped to [-1, 1]",
                 "algorithm randomness independent of D; I(M; D) in nats",
                 "Corollary A': P(E) >= 1/2 and n >= 2^11 log 16 / eps^2"),
    parameters=(P_N, P_D, P_C, P_L, P_EPS, P_I, P_S),
    expressions={"prob_bound": PROB_BOUND, "lip_bound": LIP_STAR},
    roles={"prob_bound": "upper-bound", "lip_bound": "lower-bound"},
    derivation=_derive_sparse, spec_ref="no_free_prune.md §2.3",
    figures=("mask-information", "law-of-robustness")))

MASK_INFO = register(Claim(
    id="mask-information-bounds", title="Information a mask can carry about the data",
    kind=THEOREM, source="derived here (spec no_free_prune.md §2.4, §4; counting)",
    evidence="derived",
    statement_latex=r"I=0 \text{ (data-free)};\ I \le \log\binom Pk \le k\log\frac{eP}{k};\ "
                    r"I \le \sum_\ell \log(P_\ell+1);\ I \le \log M",
    statement_text="Data-free masks: I(m; D) = 0. k-sparse masks: I <= log C(P, k) <= "
                   "k log(eP/k). Masks depending on D only through per-group counts: "
                   "I <= sum_l log(P_l + 1) (two groups registered). Best of M data-free "
                   "candidates: I <= log M.",
    assumptions=("masks over P coordinates; nats",),
    parameters=(P_P, P_K, P_M),
    expressions={"kspar": KSPAR, "kspar_simple": KSPAR_SIMPLE, "layer_counts": LAYER_COUNTS,
                 "best_of_m": BEST_OF_M},
    roles={"kspar": "upper-bound", "kspar_simple": "upper-bound",
           "layer_counts": "upper-bound", "best_of_m": "upper-bound"},
    derivation=_derive_information, spec_ref="no_free_prune.md §2.4, §4",
    figures=("mask-information",)))

LAW_SLOPE_CLAIM = register(Claim(
    id="law-of-robustness-slope", title="E1: min Lipschitz of interpolators ~ sqrt(nd/p)",
    kind=HYPOTHESIS, quantifier="forall",
    source="hypothesis tested here (B-S Theorem 1 [read]; spec E1 [pilot])",
    evidence="read / pilot",
    statement_latex=r"\min_{f \in F_p,\ f(x_i)=y_i}\mathrm{Lip}(f) \propto \sqrt{nd/p},\ "
                    r"n \lesssim p \lesssim nd",
    statement_text="For every (n, d) tested (forall), the median certified minimal Lipschitz "
                   "constant of interpolating quadratic forms in a random p-dim class has "
                   "log-log slope -1/2 in p on the grid 2n <= p <= nd: the bootstrap slope CI "
                   "(Bonferroni level 1 - 1e-3/#regimes) contains -1/2 and is at most 1/2 wide "
                   "(a wider CI containing -1/2 leaves the regime underpowered).",
    assumptions=("x uniform on S^{d-1}, y uniform +-1", "certified SDP minimum (gap <= 1e-6)"),
    expressions={"slope": LAW_SLOPE, "max_ci_width": LAW_MAX_CI_WIDTH, "alpha": HYP_ALPHA},
    roles={"slope": "rate", "max_ci_width": "definition", "alpha": "definition"},
    decision_rule=("Per regime (n, d): instances at p on the grid geomspace(2n, nd) (rounded, "
                   "p <= nd), seeds per p set by the budget; y = log10 median certified min Lip "
                   "per p, least-squares slope in log10 p, CI = percentile bootstrap over "
                   "instances (2000 resamples, seed 17) at level 1 - alpha/#regimes, alpha = "
                   "1e-3 (Bonferroni). A regime is not supported iff its CI excludes slope = "
                   "-1/2; supported iff its CI contains -1/2 AND its width <= max_ci_width = 1/2 "
                   "(half-width 1/4, half the predicted exponent); otherwise (CI contains -1/2 "
                   "but is wider) underpowered. Quantifier forall: not supported if any regime "
                   "is, supported if all are, else underpowered. (The width limit was added in "
                   "wave 3 after the smoke CIs had been seen.)"),
    spec_ref="no_free_prune.md E1", figures=("law-of-robustness",)))

BITS_CLAIM = register(Claim(
    id="bits-buy-noise-fitting", title="E2: best of M buys noise correlation E[max of M normals]",
    kind=HYPOTHESIS, quantifier="forall",
    source="hypothesis tested here (spec E2a [pilot])", evidence="pilot",
    statement_latex=r"T_M := \max_{j\le M}\langle f_j - \mathbb Ef_j, y\rangle_n\sqrt{nd}/L "
                    r"\approx \mathbb E\max_{j \le M} g_j",
    statement_text="For every (d, M) tested with log M <= d/4 (forall), the mean of T_M over "
                   "seeds is within 15 % of E[max of M standard normals]: the t-CI (Bonferroni "
                   "1 - 1e-3/#cases) of mean T_M / E_M lies inside [0.85, 1.15] -> supported; "
                   "entirely outside -> not supported.",
    assumptions=("linear candidates v^T x, |v| = L, v uniform, x uniform on S^{d-1}, "
                 "y uniform +-1",),
    expressions={"ratio": MAX_NORMALS_RATIO, "tolerance": BITS_TOL,
                 "logM_fraction": BITS_LOGM_FRACTION, "alpha": HYP_ALPHA},
    roles={"ratio": "exact", "tolerance": "definition", "logM_fraction": "definition",
           "alpha": "definition"},
    decision_rule=("Cases: every tested d and M = 2^b, b >= 1, with log M <= logM_fraction * d "
                   "(logM_fraction = 1/4). Per case, x_s = T_M / E[max of M standard normals] "
                   "over seeds; two-sided Student t-interval of mean(x) at level 1 - "
                   "alpha/#cases, alpha = 1e-3 (Bonferroni); supported iff the interval lies "
                   "inside [ratio (1 - tolerance), ratio (1 + tolerance)] = [0.85, 1.15]; not "
                   "supported iff it lies entirely outside that band; otherwise underpowered. "
                   "Quantifier forall: not supported if any case is, supported if all are, else "
                   "underpowered."),
    spec_ref="no_free_prune.md E2a", figures=("noise-fitting-bits",)))

C_ENV = sp.Symbol("C", positive=True)               # the envelope's constant
ENVELOPE = C_ENV * sp.sqrt(n * d / (k + I))         # C sqrt(nd/p_eff), p_eff = k + I
ENVELOPE_C = sp.Integer(1)                          # C = 1, declared before the data
ORDER_K_FRACTION = sp.Rational(1, 2)                # ordering tested at k <= P/2
SHUFFLE_TOL = sp.log(sp.Rational(6, 5))             # delta: a factor 1.2 on Lip

MASKS_CLAIM = register(Claim(
    id="data-dependent-masks-fit-noise",
    title="E3: data-dependent masks fit noise more smoothly, within the p_eff envelope",
    kind=HYPOTHESIS, quantifier="forall",
    source="hypothesis tested here (spec E3 [pilot]; information reading derived here, not NFP's "
           "theorem)", evidence="pilot",
    statement_latex=r"\mathrm{Lip}(\text{data-dependent}) < \mathrm{Lip}(\text{random})"
                    r"\ \text{at equal } k;\quad \mathrm{Lip} \ge \sqrt{nd/(k + I)}",
    statement_text="Quadratic forms on the P = d(d+1)/2 canonical coordinates, min-norm fit "
                   "of n noise labels on a k-mask, exact Lip = lam_max - lam_min. For every "
                   "case (forall): (a) ordering, for magnitude-after-training and SNIP masks and "
                   "every tested k <= P/2: the t-CI (level 1 - 1e-3/#ordering cases) of the mean "
                   "over data sets of log(Lip_method / Lip_random) (same data set) lies below 0 "
                   "-> supported, above 0 -> not supported; (b) envelope, for every method "
                   "(random I = 0, best of M I <= log M, magnitude and SNIP I <= log C(P, k)) and "
                   "every tested k: every instance has Lip >= C sqrt(nd/(k + I)) with C = 1 and I "
                   "the information upper bound (p_eff at the top of its x bar) -> supported; "
                   "one instance below -> not supported. Otherwise underpowered.",
    assumptions=("x uniform on S^{d-1}, y uniform +-1 (pure noise), n < k",
                 "C = 1 declared before the data (spec E1 levels ~2-3 sqrt(nd/p) for the "
                 "class-optimal interpolator; a min-norm fit on a mask is never smoother)",
                 "k <= P/2 for the ordering: as k -> P every mask tends to the dense one",
                 "only orderings and envelopes are constrained (spec E3 caveat); the absolute "
                 "Corollary A' bound is 10^2-10^4 lower"),
    expressions={"envelope": ENVELOPE, "C": ENVELOPE_C, "k_fraction": ORDER_K_FRACTION,
                 "alpha": HYP_ALPHA},
    roles={"envelope": "lower-bound", "C": "definition", "k_fraction": "definition",
           "alpha": "definition"},
    decision_rule=("(a) Ordering cases: method in {magnitude after training, SNIP} x every tested "
                   "k <= k_fraction * P (k_fraction = 1/2, P = d(d+1)/2); per case x = "
                   "log(Lip_method / Lip_random) on the same data set, over data sets; two-sided "
                   "Student t-interval of mean(x) at level 1 - alpha/#ordering cases, alpha = "
                   "1e-3 (Bonferroni); supported iff its upper end < 0, not supported iff its "
                   "lower end > 0, else underpowered. (b) Envelope cases: every method (random "
                   "I = 0, best of M I = log M, magnitude and SNIP I = log C(P, k)) x every "
                   "tested k: supported iff every instance has Lip >= envelope = C sqrt(nd/(k + "
                   "I)) with C = 1, not supported if one instance is below (deterministic, no "
                   "error level). Quantifier forall over (a) and (b): not supported if any case "
                   "is, supported if all are, else underpowered."),
    spec_ref="no_free_prune.md E3", figures=("mask-information",)))

SHUFFLE_CLAIM = register(Claim(
    id="shuffle-erases-mask-information",
    title="E4: layerwise shuffling sends data-dependent masks to the random level",
    kind=HYPOTHESIS, quantifier="forall",
    source="hypothesis tested here (Frankle et al. 2021 sanity checks [read abstract]; spec E4 "
           "[pilot]; information reading derived here)", evidence="pilot",
    statement_latex=r"\overline{\log\mathrm{Lip}}(\mathrm{shuffle}(m)) \ge "
                    r"\overline{\log\mathrm{Lip}}(\text{random}) - \delta\ (m \text{ data-"
                    r"dependent});\ |\overline{\log\mathrm{Lip}}(\mathrm{shuffle}(m)) - "
                    r"\overline{\log\mathrm{Lip}}(m)| \le \delta\ (m \text{ data-free}),\ "
                    r"\delta = \log 1.2",
    statement_text="Same quadratic model; groups ('layers') = diagonal vs off-diagonal entries; "
                   "shuffling redraws the kept positions uniformly within each group (I <= "
                   "sum_l log(P_l + 1) after shuffling). Per data set, logLip = mean over R "
                   "masks (R inits; R shuffles) of log Lip of the min-norm fit. For every k "
                   "tested and every method (forall), with t-CIs at level 1 - 1e-3/#cases of "
                   "the mean over data sets: data-dependent (magnitude after training, SNIP): "
                   "x = logLip(shuffled) - logLip(random k-mask), CI low >= -delta -> supported, "
                   "CI high < -delta -> not supported; data-free (random, magnitude at init, "
                   "SynFlow-like population scores): x = logLip(shuffled) - logLip(original), "
                   "CI inside [-delta, delta] -> supported, disjoint from it -> not supported; "
                   "delta = log 1.2. Otherwise underpowered.",
    assumptions=("x uniform on S^{d-1}, y uniform +-1; min-norm fits on the mask",
                 "one-sided for data-dependent masks: after shuffling the law forbids staying "
                 "below the random level, but per-group counts may raise Lip above it",
                 "caveat (spec E4): in this linear-in-parameters model one gradient at init "
                 "carries most of the label information (grad L(a0) ~ -Phi^T y), so SNIP is "
                 "informative and shuffle-sensitive HERE; this does NOT replicate Frankle et "
                 "al.'s deep-net finding that PaI masks survive shuffling",
                 "reinitialisation cannot change a min-norm fit (it does not depend on the "
                 "init): reinit is shown in the sanity-checks figure for fits relative to the "
                 "init only and is not tested"),
    expressions={"tolerance": SHUFFLE_TOL, "alpha": HYP_ALPHA},
    roles={"tolerance": "definition", "alpha": "definition"},
    decision_rule=("Cases: every tested k x every method (data-dependent: magnitude after "
                   "training, SNIP; data-free: random, magnitude at init, SynFlow-like "
                   "population scores). Per data set, logLip = mean over R masks of log Lip of the "
                   "min-norm fit; x = logLip(shuffled) - logLip(random k-mask) for data-dependent "
                   "methods, logLip(shuffled) - logLip(original) for data-free ones; two-sided "
                   "Student t-interval of mean(x) over data sets at level 1 - alpha/#cases, alpha "
                   "= 1e-3 (Bonferroni); delta = tolerance = log 1.2. Data-dependent: supported "
                   "iff CI low >= -delta, not supported iff CI high < -delta; data-free: "
                   "supported iff the CI lies inside [-delta, delta], not supported iff it is "
                   "disjoint from it; otherwise underpowered. Quantifier forall: not supported "
                   "if any case is, supported if all are, else underpowered."),
    spec_ref="no_free_prune.md E4, §3", figures=("sanity-checks",)))
