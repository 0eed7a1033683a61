r"""Pruning as sketching of the NTK feature map, and two hypotheses on the path kernel (spec
sketching §7, spec paths §6.7).  Registered from :mod:`pruneproof.theory.paths`.

**ntk-sketch-score** (derived here; DKM 2006 Lemma 4 recalled and re-derived in
:mod:`pruneproof.theory.amm`).  For the linearised model :math:`f_{lin}(\theta) = f(\theta_0) +
J(\theta - \theta_0)` with :math:`J = \partial f(X)/\partial\theta` (all n inputs and k outputs
stacked, one column :math:`J_i` per parameter), the network's own contribution :math:`J\theta =
\sum_i \theta_i J_i` is the matrix product :math:`AB` with :math:`A = J`, :math:`B = \theta`.  A
randomised pruning that keeps parameter i with multiplicity :math:`m_i` out of c i.i.d. draws from
p and rescales it, :math:`D = \mathrm{diag}(m_i/(c p_i))`, is exactly the DKM sketch
:math:`J D \theta`.  Hence, with :math:`a_i = |\theta_i|\,\|J_i\|_2` (the ``ntk-sketch`` score),

* :math:`\mathbb{E}\|J\theta - JD\theta\|^2 = (Q - G)/c`, :math:`Q = \sum_i a_i^2/p_i`,
  :math:`G = \|J\theta\|^2`;
* the sketch-optimal keep-probabilities are :math:`p^*_i = a_i / S`, :math:`S = \sum_i a_i`,
  with minimum :math:`(S^2 - G)/c`.
"""
from __future__ import annotations

import sympy as sp

from .claims import HYPOTHESIS, THEOREM, Claim, Parameter, register
from .derivation import Derivation, Step

c = sp.Symbol("c", positive=True, integer=True)      # number of i.i.d. draws
Q = sp.Symbol("Q", positive=True)                    # sum_i theta_i^2 ||J_i||^2 / p_i
G = sp.Symbol("G", nonnegative=True)                 # ||J theta||^2
S = sp.Symbol("S", positive=True)                    # sum_i |theta_i| ||J_i||
a = sp.Symbol("a", nonnegative=True)                 # a_i = |theta_i| ||J_i|| of one parameter

NTK_SKETCH_ERROR = (Q - G) / c
NTK_SKETCH_OPTIMAL = (S**2 - G) / c
NTK_SKETCH_KEEP = a / S

P_C = Parameter("c", "c", "number of i.i.d. parameter draws (with replacement)", 1, None,
                integer=True)
SOURCE_NTK = ("derived here: pruning-as-sketching (spec sketching §7) applied to the NTK feature "
              "map; DKM 2006 Lemma 4 [recalled], re-derived step by step")

_n = 3
_J = sp.Matrix(2, _n, lambda i, j: sp.Symbol(f"J{i}{j}", real=True))
_th = sp.Matrix(_n, 1, lambda i, j: sp.Symbol(f"t{i}", real=True))
_p = [sp.Symbol(f"p{i}", positive=True) for i in range(_n)]
_a = [sp.Symbol(f"a{i}", positive=True) for i in range(_n)]


def _frob2(M) -> sp.Expr:
    return sum(e**2 for e in M)


def _derive() -> Derivation:
    one_draw = sum((_p[i] * _J[:, i] * _th[i] / _p[i] for i in range(_n)), sp.zeros(2, 1))
    second = sum(_p[i] * _frob2(_J[:, i] * _th[i] / _p[i]) for i in range(_n))
    norms = sum(_th[i] ** 2 * _frob2(_J[:, i]) / _p[i] for i in range(_n))
    S_ = sum(_a)
    Q_ = sum(_a[i] ** 2 / _p[i] for i in range(_n))
    witness = sum((_a[i] * _p[j] - _a[j] * _p[i]) ** 2 / (_p[i] * _p[j])
                  for i in range(_n) for j in range(i + 1, _n))
    pstar = [_a[i] / S_ for i in range(_n)]
    q_star = sum(_a[i] ** 2 / pstar[i] for i in range(_n))
    lam, p = sp.Symbol("lambda", positive=True), sp.Symbol("p", positive=True)
    return Derivation("ntk-sketch-score", "Pruning theta sketches J theta (symbolic 2 x 3 J)", (
        Step("One draw i ~ p kept and rescaled, Z = J_i theta_i / p_i, has E Z = sum_i J_i theta_i "
             "= J theta: pruning-with-rescaling is the DKM sketch of A = J, B = theta",
             one_draw, _J * _th, justification="p_i cancels; column expansion of J theta"),
        Step("Second moment of one draw: E||Z||^2 = sum_i theta_i^2 ||J_i||^2 / p_i = Q",
             second, norms, justification="||J_i theta_i||^2 = theta_i^2 ||J_i||^2"),
        Step("Mean of c i.i.d. draws with E Z = J theta: E||J D theta - J theta||^2 = "
             "(c Q + c(c-1) G)/c^2 - 2G + G = (Q - G)/c",
             (c * Q + c * (c - 1) * G) / c**2 - 2 * G + G, NTK_SKETCH_ERROR,
             justification="independence: E<Z_s, Z_t> = ||J theta||^2 for s != t",
             concludes="exact"),
        Step("Cauchy-Schwarz (Lagrange form) with sum p = 1: Q >= S^2, a_i = |theta_i| ||J_i|| "
             "(symbolic n = 3)", S_**2, Q_ * sum(_p), "<=", witness,
             "Q sum p - S^2 = sum_{i<j} (a_i p_j - a_j p_i)^2 / (p_i p_j)"),
        Step("Stationarity of Q + lambda (sum p - 1) in p_i: p_i = a_i / sqrt(lambda); sum p = 1 "
             "gives sqrt(lambda) = S, so p*_i = a_i / S: keep-probability proportional to the "
             "ntk-sketch score |theta_i| ||J_i||",
             sp.Subs(a / sp.sqrt(lam), lam, S**2), NTK_SKETCH_KEEP, concludes="keep"),
        Step("p* solves the stationarity equation -a^2/p^2 + lambda = 0 at lambda = S^2",
             sp.diff(a**2 / p + lam * p, p).subs({p: NTK_SKETCH_KEEP, lam: S**2}), sp.Integer(0)),
        Step("At p*, Q = S^2, so the minimum is (S^2 - G)/c (symbolic n = 3, a_3 = S - a_1 - a_2)",
             ((q_star - G) / c).subs(_a[2], S - _a[0] - _a[1]), NTK_SKETCH_OPTIMAL,
             concludes="optimal"),
    ))


NTK_SKETCH = register(Claim(
    id="ntk-sketch-score", title="Pruning sketches J theta: the ntk-sketch score is sketch-optimal",
    kind=THEOREM, source=SOURCE_NTK, evidence="derived",
    statement_latex=r"\mathbb{E}\|J\theta - JD\theta\|^2 = \frac1c\Big(\sum_i \frac{\theta_i^2"
                    r"\|J_i\|^2}{p_i} - \|J\theta\|^2\Big),\ p^*_i = \frac{|\theta_i|\|J_i\|}"
                    r"{\sum_j|\theta_j|\|J_j\|},\ \min_p \mathbb{E} = \frac{S^2 - \|J\theta\|^2}{c}",
    statement_text="With J = df(X)/dtheta (linearised model), keeping c i.i.d. parameter draws "
                   "from p rescaled by 1/(c p_i) sketches J theta with exact expected squared "
                   "error (Q - G)/c, Q = sum_i theta_i^2 ||J_i||^2 / p_i, G = ||J theta||^2; the "
                   "optimal keep-probability is p*_i = a_i / S with a_i = |theta_i| ||J_i|| (the "
                   "ntk-sketch score), S = sum_i a_i, and the minimum error is (S^2 - G)/c.",
    assumptions=(("bias-free ReLU (or identity) MLP, inputs away from the kinks, J the exact "
                  "parameter Jacobian at theta (the linearised model f(theta0) + J(theta - "
                  "theta0))"),
                 ("indices drawn i.i.d. from p with replacement, p_i > 0 wherever a_i > 0; kept "
                  "parameters rescaled by (multiplicity)/(c p_i)"),
                 ("masking theta (not theta - theta0): the sketched quantity is J theta, which "
                  "for a bias-free homogeneous net equals L f(X) (Euler)")),
    parameters=(P_C,),
    expressions={"exact": NTK_SKETCH_ERROR, "keep": NTK_SKETCH_KEEP,
                 "optimal": NTK_SKETCH_OPTIMAL},
    roles={"exact": "exact", "keep": "exact", "optimal": "exact"},
    derivation=_derive, spec_ref="sketching.md §7; paths.md §2",
    figures=("path-kernel",)))

# ------------------------------------------------------------------------------- hypotheses
RHO_MIN = sp.Symbol("rho_min", real=True)
SURROGATE_THRESHOLD = sp.Rational(1, 2)
CONVERGENCE_THRESHOLD = sp.Rational(3, 10)
#: false-failure level of the single pooled t-interval of each hypothesis below
HYPOTHESIS_ALPHA = sp.Rational(1, 1000)

SYNFLOW_SURROGATE = register(Claim(
    id="synflow-sketch-surrogate", kind=HYPOTHESIS, quantifier="pooled",
    title="SynFlow (data-free) ranks parameters like the sketch-optimal ntk-sketch score",
    source="hypothesis tested here (spec sketching §7: SynFlow as a data-free surrogate of the "
           "sketch-optimal score, SNIP as its label-dependent version) [derived]",
    evidence="derived",
    statement_latex=r"\overline{\rho_S}(\mathrm{SynFlow}, |\theta|\|J\|) \ge 1/2",
    statement_text="Pooled over He-initialised bias-free ReLU MLPs with Gaussian inputs, the mean "
                   "per-net Spearman rank correlation between SynFlow and the ntk-sketch score "
                   "|theta_i| ||J_i|| is at least rho_min = 1/2. Decided on the (1 - 1e-3) "
                   "t-interval of the mean: supported if its lower end >= 1/2, not supported if its "
                   "upper end < 1/2, else underpowered. SNIP's correlation, the DKM error ratio "
                   "E(p ∝ score)/E(p*) and the top-k masks' error on J theta are reported for both "
                   "(not part of the verdict).",
    assumptions=(("architectures and data fixed before the data were seen: MLPs [16, 64, 64, 4], "
                  "[8, 32, 32, 32, 2], [32, 128, 16, 8], n = 32 Gaussian inputs, teacher-free "
                  "Gaussian targets for SNIP"), "threshold 1/2 and quantifier declared in advance"),
    expressions={"rho_min": SURROGATE_THRESHOLD, "alpha": HYPOTHESIS_ALPHA},
    roles={"rho_min": "definition", "alpha": "definition"},
    decision_rule=("Pooled over nets (one test): x_j = Spearman rank correlation between the "
                   "SynFlow score and the ntk-sketch score |theta_i| ||J_i||_2 over all "
                   "parameters of net j (J on the n = 32 inputs); two-sided Student t-interval "
                   "of mean(x) at level 1 - alpha, alpha = 1e-3 (no Bonferroni factor: one "
                   "interval); supported iff its lower end >= rho_min = 1/2; not supported iff "
                   "its upper end < rho_min; otherwise (or fewer than 2 nets) underpowered. "
                   "Nets: the declared architectures cycled, 6 at smoke. SNIP's correlation, "
                   "DKM error ratios and top-k mask errors are reported, not decided."),
    spec_ref="sketching.md §7", figures=()))

PATH_KERNEL_CONVERGENCE = register(Claim(
    id="path-kernel-predicts-convergence", kind=HYPOTHESIS, quantifier="pooled",
    title="tr Pi at initialisation rank-predicts early loss decay across masks",
    source="hypothesis tested here (spec paths §6.7; Gebhart et al. 2021 claim Pi predicts "
           "convergence from the architecture alone [read: abstract])",
    evidence="pilot",
    statement_latex=r"\overline{\rho_S}(\mathrm{tr}\,\Pi(m\odot\theta_0),\ r_m) \ge 3/10",
    statement_text="Across masks of equal density on the same net (random masks with varied "
                   "layer allocation and the masks of random, magnitude, SNIP, SynFlow, SynFlow-L2 "
                   "(A, B, C) and ntk-sketch), the Spearman rank correlation between tr Pi of the "
                   "masked net at initialisation and its early loss-decay rate r_m (slope of -log "
                   "loss over the first steps of small-step full-batch GD on MSE with teacher "
                   "labels) has pooled mean >= rho_min = 3/10: supported if the (1 - 1e-3) "
                   "t-interval of the mean over nets lies above 3/10, not supported if below, else "
                   "underpowered. lambda_max(Theta) is reported the same way (not part of the "
                   "verdict).",
    assumptions=(("MLP [8, 32, 32, 1] bias-free ReLU, He init, density 0.3, n = 32 Gaussian "
                  "inputs, teacher labels from a dense net of the same architecture"),
                 ("full-batch GD on L = ||f - y||^2 / (2n) with one step size per net, eta = 0.5 / "
                 "lambda_max(Theta_dense / n) of the dense net at init (the same for every mask "
                 "of that net), 50 steps; rate = least-squares slope of -log L over steps 0..50"), "threshold 3/10 and quantifier declared in advance"),
    expressions={"rho_min": CONVERGENCE_THRESHOLD, "alpha": HYPOTHESIS_ALPHA},
    roles={"rho_min": "definition", "alpha": "definition"},
    decision_rule=("Pooled over nets (one test): x_j = Spearman rank correlation, across the "
                   "masks of net j (all at density 0.3, including disconnected masks with "
                   "tr Pi = 0), between tr Pi of the masked net at init and its decay rate r_m "
                   "(least-squares slope of -log loss over GD steps 0..50, eta = 0.5 / "
                   "lambda_max(Theta_dense / n)); two-sided Student t-interval of mean(x) at "
                   "level 1 - alpha, alpha = 1e-3 (one interval); supported iff its lower end >= "
                   "rho_min = 3/10; not supported iff its upper end < rho_min; otherwise (or "
                   "fewer than 2 nets) underpowered. lambda_max(Theta) and the connected-masks-"
                   "only correlation are reported with the same interval, not decided."),
    spec_ref="paths.md §1.4, §6.7", figures=("path-kernel-convergence",)))
