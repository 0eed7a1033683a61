"""Architecture B kink-exclusion bound (claim ``neuron-pruning-lower-bound-b``): the derivation,
the numerics against exhaustive enumeration (including duplicate and antipodal units), the
route's negative controls, and bad input.  Deterministic (fixed seeds; no statistical test)."""
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pruneproof.theory.claims import get_claim
from pruneproof.theory.derivation import PREMISE, PROVED, check_derivation, conclusions
from pruneproof.verify.core.engine import Runner
from pruneproof.verify.core.verdicts import REFUTED, VERIFIED, CheckContext
from pruneproof.verify.separation import routes_b
from pruneproof.verify.separation.bounds import brute_force_best, kink_gaps
from pruneproof.verify.separation.bounds_b import (
    b_lower_bound,
    kink_costs,
    kink_windows,
)
from pruneproof.verify.separation.circle import (
    circle_error,
    random_network,
    random_target,
)

CLAIM = get_claim("neuron-pruning-lower-bound-b")
P = {p.name: p for p in CLAIM.parameters}


def test_derivation_reaches_the_kink_cost_and_marks_its_premise():
    checks = check_derivation(CLAIM.derivation())
    outcomes = [c.outcome for c in checks]
    assert set(outcomes) <= {PROVED, PREMISE} and outcomes.count(PREMISE) == 1
    assert conclusions(CLAIM.derivation(), CLAIM.expressions) == {"kink_cost": "reached"}
    assert "derived here" in CLAIM.source


@settings(max_examples=60, deadline=None)
@given(st.floats(P["c"].low + 1e-3, 5.0), st.floats(1e-3, math.pi - 1e-3),
       st.floats(0.02, 0.98))
def test_kink_cost_equals_the_exact_window_distance(c, total, share):
    """Property over the declared domains (c > 0, delta_i in (0, pi), d1 + d2 <= pi): the kink
    cost lies inside the rigorous sandwich of the single-kink distance, up to LP tolerance."""
    d1, d2 = total * share, total * (1 - share)
    lower, upper = routes_b.window_distance(c, d1, d2)
    cost = float(CLAIM.numeric("kink_cost")(c=c, delta_1=d1, delta_2=d2))
    assert lower - 1e-9 <= cost <= upper * (1 + 1e-9)


def _nets(seed, n, count):
    rng = np.random.default_rng(seed)
    out = []
    for k in range(count):
        U, v = random_network(n, 2, "gaussian", rng)
        if k % 3 == 1:
            U[1], v[1] = U[0], -v[0] * 0.5          # duplicate direction
        elif k % 3 == 2:
            U[1] = -2.0 * U[0]                      # antipodal unit: the same kinks
        out.append((U, v, random_target(2, rng) * rng.uniform(0.5, 1.5)))
    return out


@pytest.mark.parametrize("n", [3, 5, 7])
def test_exclusion_lemma_and_bound_against_enumeration(n):
    for U, v, w in _nets(n, n, 6):
        w_norm = float(np.linalg.norm(w))
        errors = [circle_error(U, v, w, [i for i in range(n) if m >> i & 1], "B")
                  for m in range(1 << n)]
        for mask, e in enumerate(errors):
            if 0 < e < w_norm:
                cost = kink_costs(U, v, w, e)
                members = [i for i in range(n) if mask >> i & 1]
                assert np.all(cost[members] <= e * (1 + 1e-9))
        optimum = brute_force_best(U, v, w, "B")[0]
        assert optimum == pytest.approx(min(errors))
        assert 0 <= b_lower_bound(U, v, w).bound <= optimum * (1 + 1e-9)


def test_duplicate_and_antipodal_units_cost_nothing():
    U = np.array([[1.0, 0.3], [1.0, 0.3], [-2.0, -0.6], [0.2, 1.0]])
    v = np.array([0.5, -0.4, 0.7, 0.9])
    w = np.array([0.0, 1.0])
    cost = kink_costs(U, v, w, 0.1)
    assert np.all(cost[:3] <= 1e-12) and cost[3] > 1e-3   # equal kinks up to float rounding


def test_windows_stay_inside_the_arc():
    U, v = random_network(20, 2, "gaussian", 4)
    w = random_target(2, 5)
    win = kink_windows(U, v, w, 0.3)
    assert win.alpha == pytest.approx(math.acos(0.3))
    assert np.all(np.abs(win.kinks) < win.alpha)
    assert np.all(win.kinks - win.delta_1 >= -win.alpha - 1e-12)
    assert np.all(win.kinks + win.delta_2 <= win.alpha + 1e-12)


def test_bound_is_tight_on_some_small_nets():
    """The bound is not vacuous: within 1 % of the enumerated optimum on some net of width 4."""
    ratios = [b_lower_bound(U, v, w).bound / brute_force_best(U, v, w, "B")[0]
              for U, v, w in _nets(11, 4, 6)]
    assert max(ratios) > 0.99 and max(ratios) <= 1 + 1e-9


@pytest.fixture(scope="module")
def ctx(tmp_path_factory):
    return CheckContext("smoke", Runner(cache_dir=tmp_path_factory.mktemp("kink-b"),
                                        progress=False))


def test_route_verifies_the_claim_and_refutes_a_10_percent_larger_cost(ctx):
    assert routes_b._kink_exclusion_exact(CLAIM, ctx).status == VERIFIED
    bigger = CLAIM.mutate("kink_cost", CLAIM.expressions["kink_cost"] * 1.1, "x 1.1")
    result = routes_b._kink_exclusion_exact(bigger, ctx)
    assert result.status == REFUTED
    assert result.evidence["windows"]["violations"] > 0


def test_route_refutes_the_first_order_gap_form_for_large_windows(ctx):
    """c d1 d2 / (2 (d1 + d2)) is smaller than the kink cost, hence true: not refuted; its
    double is false on wide windows and refuted."""
    from pruneproof.theory import separation as th
    c = get_claim("neuron-pruning-lower-bound-b")
    sym = [s for s in c.expressions["kink_cost"].free_symbols if s.name == "c"][0]
    first = sym * th.delta_1 * th.delta_2 / (2 * (th.delta_1 + th.delta_2))
    assert routes_b._kink_exclusion_exact(c.mutate("kink_cost", first, "first order"),
                                          ctx).status == VERIFIED
    assert routes_b._kink_exclusion_exact(c.mutate("kink_cost", 2 * first, "2 x first order"),
                                          ctx).status == REFUTED


@pytest.mark.parametrize("t", [0.0, -0.1, 1.0, 2.0])
def test_levels_outside_the_arc_range_are_rejected(t):
    U, v = random_network(4, 2, "gaussian", 0)
    with pytest.raises(ValueError, match="t must be in"):
        kink_costs(U, v, np.array([1.0, 0.0]), t)


def test_bad_input_is_named():
    U, v = random_network(4, 2, "gaussian", 0)
    w = np.array([1.0, 0.0])
    with pytest.raises(TypeError, match="t must be a real number"):
        kink_costs(U, v, w, "0.1")
    with pytest.raises(ValueError, match="levels must be an integer"):
        b_lower_bound(U, v, w, levels=1)
    with pytest.raises(ValueError, match="d = 2"):
        kink_costs(np.ones((3, 3)), np.ones(3), np.ones(3) / 3, 0.1)


def test_figure_nets_are_the_certified_records_nets(ctx):
    from pruneproof.verify.separation.experiments import _neuron_records
    from pruneproof.verify.separation.experiments_b import neuron_net
    rec = _neuron_records(ctx, ("B",))[0]
    U, v, w = neuron_net(ctx.runner.root_seed, rec["n"], 0)
    assert kink_gaps(U, w) == (rec["delta_1"], rec["delta_2"])


def test_sandwich_trial_brackets_the_enumerated_optimum():
    from pruneproof.verify.separation.experiments import (
        CERTIFIED_BETTER,
        _neuron_instance,
    )
    from pruneproof.verify.separation.experiments_b import (
        KINK_EXCLUSION_CERTIFICATE,
        neuron_sandwich_trial,
    )
    config = {"n": 9, "instance": 0, "grid": 256, "restarts": 3}
    rec = neuron_sandwich_trial(config, np.random.default_rng(5))
    U, v, w = _neuron_instance(9, np.random.default_rng(5))   # the trial's net (first draws)
    for a in ("A", "B"):
        optimum = brute_force_best(U, v, w, a)[0]
        assert rec[f"lower_{a}"] <= optimum * (1 + 1e-9) <= rec[f"upper_{a}"] * (1 + 2e-9)
    certified = rec["weight_beats_neuron"] == KINK_EXCLUSION_CERTIFICATE
    assert certified == (rec["weight_sup"] < rec["lower_B"])
    assert KINK_EXCLUSION_CERTIFICATE in CERTIFIED_BETTER


@pytest.mark.parametrize("budget", ["smoke", "default", "paper"])
def test_sandwich_widths_lie_above_the_certified_widths(budget):
    from pruneproof.verify.core.budgets import pick
    from pruneproof.verify.separation.experiments import NEURON
    from pruneproof.verify.separation.experiments_b import SANDWICH
    assert min(pick(SANDWICH, budget).ns) > max(pick(NEURON, budget).ns)


@pytest.mark.parametrize("arc", ["pi/2", "acos(t)", "1.02 acos(t/||w||)"])
def test_a_wrong_arc_is_refuted(arc, ctx):
    """Found by the internal review: the arc is a definition (not perturbed by the power
    harness), so the route checks it against the target and on fixed cut-off-unit nets."""
    import sympy as sp
    from pruneproof.theory import separation_b as tb
    expr = {"pi/2": sp.pi / 2 + 0 * tb.level, "acos(t)": sp.acos(tb.level),
            "1.02 acos(t/||w||)": sp.Rational(102, 100) * tb.ARC_HALF_WIDTH}[arc]
    assert routes_b._kink_exclusion_exact(CLAIM.mutate("arc_half_width", expr, arc),
                                          ctx).status == REFUTED


def test_the_cut_off_unit_nets_alone_catch_the_half_circle_arc(monkeypatch):
    """Without the direct arc check, the whole half-circle as R_t violates the exclusion lemma
    on the fixed nets (a unit cut off by the output ReLU just inside the target's kink)."""
    import sympy as sp
    from pruneproof.theory import separation_b as tb
    from pruneproof.verify.separation.experiments_b import (
        _subset_errors,
        cut_off_unit_nets,
    )
    wrong = CLAIM.mutate("arc_half_width", sp.pi / 2 + 0 * tb.level, "half circle")
    ratios = [routes_b._lemma_ratio(U, v, w, _subset_errors(U, v, w), wrong)
              for U, v, w in cut_off_unit_nets()]
    right = [routes_b._lemma_ratio(U, v, w, _subset_errors(U, v, w), CLAIM)
             for U, v, w in cut_off_unit_nets()]
    assert max(ratios) > 1 and max(right) <= 1 + 1e-9
