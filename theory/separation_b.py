r"""Architecture B (output ReLU), d = 2: a per-instance lower bound on the neuron-pruning optimum by
**kink exclusion** (issue 10) -- derived here, not a quotation of the seed paper (whose full text
was not available; setting reconstructed in ``spec/separation.md`` §2).

Why the architecture-A kink-gap argument does not carry over: with an output ReLU the pruned net
σ(h_S) can vanish where the target vanishes, so it can create the target's own kink; near the
target's kink nothing forces an error.  What still works is the region where the target is
*large*: on the arc

.. math::  R_t = \{\theta : F(\theta) > t\} = (\theta_w - \alpha_t,\ \theta_w + \alpha_t),
           \qquad \alpha_t = \arccos(t/\|w\|),

a subnetwork with sup error s <= t has h_S >= F - s > 0, so σ(h_S) = h_S there and it behaves
like architecture A.  On R_t the target is one sinusoid (no kink), so the only obstructions are
the kinks of the *used* units: a unit i with a kink κ_i in R_t contributes c_i σ(-sin(θ - κ_i))
(c_i = v_i‖u_i‖, up to a sinusoid), and on the window W_i = [κ_i - δ_1, κ_i + δ_2] free of every
other unit's kinks and inside R_t, h_S - F is a sinusoid plus that one kink.  The three-point
(Chebyshev alternation) functional of the architecture-A bound then gives

.. math::  s \;\ge\; \frac{|c_i|}{\cot\frac{\delta_1}{2} + \cot\frac{\delta_2}{2}}
           \qquad\text{(the unit's kink cost)}.

**Consequences** (per instance, any law of the units):

1. *Exclusion*: a subnetwork with error <= t uses no unit whose kink cost at level t exceeds t.
2. *Bound*: let LP_t be the smallest sup error on R_t of Σ x_i φ_i over x in [0,1]^n with the
   excluded units fixed at 0 (a linear program; on a finite grid of R_t it is smaller still).
   If LP_t > t then OPT_B > t.  So OPT_B >= max{t in T : LP_t > t} for any finite level set T.

Measured strength (not part of the theorem): close to the optimum at n <= 10, but its median
decays about like n^{-2} (n² · bound ≈ 19-27 for n = 32…256 on Gaussian nets), not like the n^{-1}
of the optimum: at error levels ~1/n almost every unit's kink cost is below the level, so
exclusion removes nothing and the LP relaxation over the rest is as weak as architecture B's LP.
It does **not** prove Ω(1/ε) for architecture B; that stays empirical (neuron-pruning-inverse-n).
"""
from __future__ import annotations

import sympy as sp

from .claims import THEOREM, Claim, Parameter, register
from .derivation import Derivation, Step
from .separation import (
    _NET,
    _SIGMA,
    P_DELTA1,
    P_DELTA2,
    P_W,
    SETTING,
    delta_1,
    delta_2,
    w_norm,
)

c_abs = sp.Symbol("c", positive=True)        # |c_i| = |v_i| ||u_i||, the unit's kink amplitude
level = sp.Symbol("t", positive=True)         # error level t < ||w||

#: the kink cost of one unit on its window (three-point bound with amplitude |c| for ||w||)
KINK_COST = c_abs / (sp.cot(delta_1 / 2) + sp.cot(delta_2 / 2))
#: half-width of the arc R_t where the target exceeds t
ARC_HALF_WIDTH = sp.acos(level / w_norm)

P_C = Parameter("c", "|c_i|", "kink amplitude |v_i| ||u_i|| of a unit", 0, None, low_open=True)
P_T = Parameter("t", "t", "error level, 0 < t < ||w||", 0, None, low_open=True)


def _derive_kink_exclusion() -> Derivation:
    s_err, r, e = (sp.Symbol(x, nonnegative=True) for x in ("s", "r", "e"))
    a = sp.Symbol("a", positive=True)
    y = sp.Symbol("y", real=True)
    lam0, lam1, lam2 = sp.sin(delta_2), -sp.sin(delta_1 + delta_2), sp.sin(delta_1)
    t1, t2 = sp.Symbol("t_1", positive=True), sp.Symbol("t_2", positive=True)
    sin_h = lambda t: 2 * t / (1 + t**2)
    cos_h = lambda t: (1 - t**2) / (1 + t**2)
    three_point = c_abs * sin_h(t1) * sin_h(t2) / (
        sin_h(t1) + sin_h(t2) + sin_h(t1) * cos_h(t2) + cos_h(t1) * sin_h(t2))
    return Derivation("neuron-pruning-lower-bound-b", "Kink exclusion (architecture B, d = 2)", (
        Step("Arc where the target exceeds t (definition, R_t = (theta_w - alpha_t, theta_w + "
             "alpha_t)): at its ends F(theta_w +- alpha_t) = ||w|| cos alpha_t = t",
             sp.Mul(w_norm, sp.cos(ARC_HALF_WIDTH, evaluate=False), evaluate=False), level),
        Step("On R_t write F = t + a (a > 0); error s <= t (t = s + r, r >= 0) forces "
             "h = F - s + e (e >= 0), so sigma(h) = h there: architecture B is architecture A "
             "on R_t", sp.Max(sp.Add(s_err + r, a, -s_err, e, evaluate=False), 0, evaluate=False),
             a + r + e),
        Step("A unit with a kink kappa in a window of width < pi: sigma(-y) = sigma(y) - y, so "
             "c sigma(cos(theta - theta_i)) = c sigma(-sin(theta - kappa)) is, up to a "
             "sinusoid, the same kink whichever side is active",
             sp.piecewise_fold(sp.Max(-y, 0) - sp.Max(y, 0) + y).rewrite(sp.Piecewise),
             sp.Integer(0)),
        Step("On the window [kappa - d1, kappa + d2] free of other kinks and inside R_t, h - F is a "
             "sinusoid plus c sigma(-sin s); L(g) = sin d2 g(-d1) - sin(d1 + d2) g(0) + sin d1 "
             "g(d2) annihilates cos ...", lam0 * sp.cos(-delta_1) + lam1 + lam2 * sp.cos(delta_2),
             sp.Integer(0)),
        Step("... and sin", sp.Add(lam0 * sp.sin(-delta_1), lam2 * sp.sin(delta_2),
                                   evaluate=False), sp.Integer(0)),
        Step("L(c sigma(-sin s)) = c sin d1 sin d2 (only s = -d1 is active), and "
             "sup|g| >= |L(g)| / (|lambda_0| + |lambda_1| + |lambda_2|) with the sum sin d1 + "
             "sin d2 + sin(d1 + d2) for d1 + d2 <= pi [the inequality is argued in prose, as for "
             "architecture A; sympy checks only L]", lam0 * c_abs * sp.sin(delta_1),
             c_abs * sp.sin(delta_1) * sp.sin(delta_2), premise=True),
        Step("Half-angle form t_i = tan(delta_i/2): c sin d1 sin d2 / (sin d1 + sin d2 + "
             "sin(d1 + d2)) = c / (1/t1 + 1/t2)", three_point, c_abs / (1 / t1 + 1 / t2)),
        Step("... at t_i = tan(delta_i/2): the kink cost of the unit",
             (c_abs / (1 / t1 + 1 / t2)).subs({t1: sp.tan(delta_1 / 2), t2: sp.tan(delta_2 / 2)}),
             KINK_COST, concludes="kink_cost"),
    ), notes=(
        "Exclusion: any subnetwork with sup error s <= t uses no unit whose kink (in R_t) has "
        "kink cost > t, since s >= kink cost.  Bound: with those units fixed at 0, the LP "
        "relaxation on (a finite grid of) R_t is <= s; so LP_t > t certifies OPT_B > t, for each "
        "level t separately [derived here].",
        "The window must avoid the kinks of *every* other unit (used or not) and stay in the "
        "closure of R_t; two units with the same kink (duplicate or antipodal units) give a "
        "zero-width window and cost 0.",))


NEURON_LB_B = register(Claim(
    id="neuron-pruning-lower-bound-b",
    title="Neuron pruning (architecture B, d = 2): kink-exclusion lower bound (per instance)",
    kind=THEOREM,
    source="derived here (kink exclusion on the arc where the target exceeds the error level, "
           "with the three-point bound of neuron-pruning-lower-bound; issue 10); " + SETTING,
    evidence="derived",
    statement_latex=r"\mathrm{err}(S)\le t \Rightarrow \forall i\in S,\ \kappa_i\in R_t:\ "
                    r"\frac{|c_i|}{\cot\frac{\delta_1}{2}+\cot\frac{\delta_2}{2}} \le t,\quad "
                    r"R_t=\{|\theta-\theta_w|<\arccos(t/\|w\|)\};\ "
                    r"\mathrm{LP}_t>t \Rightarrow \mathrm{OPT}_B>t",
    statement_text="In architecture B (output ReLU), d = 2, let R_t be the arc of half-width "
                   "arccos(t/||w||) around the target direction, where the target exceeds t.  A "
                   "neuron-pruned subnetwork with sup error <= t uses no unit i with a kink in "
                   "R_t whose kink cost |c_i|/(cot(d1/2) + cot(d2/2)) exceeds t (c_i = v_i||u_i||; "
                   "d1, d2 the distances from the kink to the nearest kink of any other unit or "
                   "to the ends of R_t).  Hence if the LP relaxation on R_t over the remaining "
                   "units has value > t, the optimum exceeds t.  Per instance, any law of the "
                   "units.  Measured, not proved: the bound decays about like n^-2, so it does "
                   "not show Omega(1/eps) for B.",
    assumptions=(_SIGMA, _NET, "architecture B (output ReLU)", "d = 2",
                 "error: sup over the unit circle", "per instance: any law of the units",
                 "0 < t < ||w||"),
    parameters=(P_C, P_DELTA1, P_DELTA2, P_W, P_T),
    expressions={"kink_cost": KINK_COST, "arc_half_width": ARC_HALF_WIDTH},
    roles={"kink_cost": "lower-bound", "arc_half_width": "definition"},
    derivation=_derive_kink_exclusion, spec_ref="separation.md §4.4, §5.8",
    figures=("separation", "neuron-pruning-scaling"),
))
