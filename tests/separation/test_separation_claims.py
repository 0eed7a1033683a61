"""The separation claims: registered, every derivation step proved, numeric expressions agree with
direct formulas, and the claims' statements are honest about sources."""
import math

import numpy as np
import pruneproof.theory  # noqa: F401
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pruneproof.theory import separation as th
from pruneproof.theory.claims import HYPOTHESIS, THEOREM, get_claim
from pruneproof.theory.derivation import PREMISE, PROVED, check_derivation

IDS = ["subset-sum-exponential", "weight-pruning-logarithmic", "neuron-pruning-lower-bound",
       "neuron-pruning-lower-bound-b", "neuron-pruning-inverse-n", "d1-control"]


@pytest.mark.parametrize("claim_id", IDS)
def test_every_derivation_step_proves(claim_id):
    claim = get_claim(claim_id)
    outcomes = [c.outcome for c in check_derivation(claim.derivation())]
    assert outcomes and all(o in (PROVED, PREMISE) for o in outcomes), outcomes
    assert outcomes.count(PROVED) >= 1


def test_kinds_and_sources():
    assert get_claim("neuron-pruning-inverse-n").kind == HYPOTHESIS
    for cid in IDS:
        c = get_claim(cid)
        assert "derived here" in c.source
        if cid != "neuron-pruning-inverse-n":
            assert c.kind == THEOREM
    assert "not proved here" in get_claim("neuron-pruning-lower-bound").statement_text
    assert "does not show Omega(1/eps)" in get_claim("neuron-pruning-lower-bound-b").statement_text


@settings(max_examples=40, deadline=None)
@given(st.floats(1e-3, 3.0), st.floats(1e-3, 3.0), st.floats(0.1, 5.0))
def test_exact_three_point_bound_dominates_first_order(d1, d2, wn):
    if d1 + d2 > math.pi:
        d2 = math.pi - d1
        if d2 <= 0:
            return
    lb = th.NEURON_LB.numeric("bound")(w_norm=wn, delta_1=d1, delta_2=d2)
    exact = th.NEURON_LB.numeric("exact_three_point")(w_norm=wn, delta_1=d1, delta_2=d2)
    assert lb == pytest.approx(wn * d1 * d2 / (2 * (d1 + d2)))
    assert exact >= lb * (1 - 1e-12)


def test_expectations_and_slopes():
    mean_exact = th.NEURON_LB.numeric("mean_exact")
    assert mean_exact(n=9, w_norm=1.0) == pytest.approx(math.pi / 60)
    assert th.NEURON_LB.numeric("mean")(n=10, w_norm=2.0) == pytest.approx(math.pi / 30)
    assert float(th.SUBSET_SUM_SLOPE) == pytest.approx(-math.log10(2))
    assert th.WEIGHT_PRUNING.numeric("slope")(d=2) == pytest.approx(-math.log10(2) / 4)
    mu = th.SUBSET_SUM.numeric("mean")(n=20.0, z=0.5)
    assert mu == pytest.approx(math.sqrt(math.pi * 20 / 3) * math.exp(0.75 / 20) / 2**21)


def test_expected_kink_bound_monte_carlo():
    """Seeded MC (20000 draws, n = 8): mean of LB_A within 4 standard errors of pi/(6(n+1));
    false-failure probability < 1e-4."""
    from pruneproof.verify.separation.experiments import sample_kink_gaps
    d1, d2 = sample_kink_gaps(8, 20000, np.random.default_rng(0))
    lb = th.NEURON_LB.numeric("bound")(w_norm=1.0, delta_1=d1, delta_2=d2)
    assert abs(lb.mean() - math.pi / 54) <= 4 * lb.std(ddof=1) / math.sqrt(lb.size)


def test_one_poisson_fit_rule_for_all_three_rate_routes():
    """>= 12 expected items per subset sum: n (subset sum), n/2 (d = 1), n/(2d) (weight pruning)."""
    from pruneproof.verify.separation import experiments as sep_exp
    ns = list(range(4, 130, 4))
    assert min(sep_exp.poisson_fit_ns(ns, sep_exp.items_subset_sum)) == 12
    assert min(sep_exp.poisson_fit_ns(ns, sep_exp.items_d1)) == 24
    assert min(sep_exp.poisson_fit_ns(ns, sep_exp.items_weight)) == 48
    assert "12" in sep_exp.FIT_RULE and "after a pilot" in sep_exp.FIT_RULE


def test_rate_routes_record_the_fit_rule(tmp_path):
    """The three exponential-rate routes (smoke) report the shared rule and fit only n obeying it."""
    from pruneproof.verify.core.engine import Runner
    from pruneproof.verify.core.verdicts import CheckContext
    from pruneproof.verify.separation import experiments as sep_exp
    from pruneproof.verify.separation import routes_rates as sep_routes
    ctx = CheckContext("smoke", Runner(cache_dir=tmp_path, progress=False))
    for fn, items, cid in ((sep_routes._subset_rate, sep_exp.items_subset_sum,
                            "subset-sum-exponential"),
                           (sep_routes._d1_rate, sep_exp.items_d1, "d1-control")):
        ev = fn(get_claim(cid), ctx).evidence
        assert ev["fit_rule"] == sep_exp.FIT_RULE
        assert all(items(n) >= sep_exp.POISSON_MIN_ITEMS for n in ev["ns"])
        assert all(items(n) < sep_exp.POISSON_MIN_ITEMS for n in ev["not_fitted"])
    ev = sep_routes._weight_rate(get_claim("weight-pruning-logarithmic"), ctx).evidence
    assert ev["fit_rule"] == sep_exp.FIT_RULE
    assert [ev[f]["d"] for f in ("pensia", "headline", "pensia-d3", "pensia-d4", "pensia-d6")] \
        == [2, 2, 3, 4, 6]
    for fit in ("pensia", "headline", "pensia-d3", "pensia-d4", "pensia-d6"):
        d = ev[fit]["d"]
        assert all(sep_exp.items_weight(n, d) >= sep_exp.POISSON_MIN_ITEMS for n in ev[fit]["ns"])


def test_certified_separation_is_sound_on_small_nets():
    """Whenever weight pruning is certified better than every neuron-pruned subnet of the same
    net, the enumerated neuron-pruning optimum (architecture B, n = 8) indeed exceeds the
    weight-pruning error; fractions and the crossover follow their definitions."""
    from pruneproof.verify.separation import experiments as sep_exp
    from pruneproof.verify.separation.bounds import brute_force_best
    from pruneproof.verify.separation.circle import random_network, random_target
    from pruneproof.verify.separation.weight_pruning import weight_pruning_error
    rng = np.random.default_rng(8)
    seen = set()
    for _ in range(8):
        U, v = random_network(8, 2, "gaussian", rng)
        w = random_target(2, rng)
        wp = weight_pruning_error(U, v, w)["sup_error"]
        cert = sep_exp._certify_weight_beats_neuron(U, v, w, 0.0, wp, 256, 200)
        seen.add(cert)
        opt, _ = brute_force_best(U, v, w, "B")
        if cert in sep_exp.CERTIFIED_BETTER:
            assert opt > wp
    assert "milp-infeasible" in seen  # seed 8: one net is certified by the MILP (not vacuous)
    recs = [{"architecture": "B", "n": n, "weight_beats_neuron": c}
            for n, c in ((8, "no"), (8, "sandwich"), (16, "milp-infeasible"), (16, "no"),
                         (32, "milp-infeasible"), (32, "node_limit"))]
    rows = sep_exp.weight_beats_neuron_fractions(recs)
    assert [r["fraction"] for r in rows] == [0.5, 0.5, 0.5]
    assert rows[2]["undecided"] == 1
    assert sep_exp.certified_crossover(rows) == 8.0
    assert sep_exp.certified_crossover([{"n": 8, "fraction": 0.6}, {"n": 16, "fraction": 0.4}]) is None


def test_neuron_trial_is_deterministic_and_uses_no_wall_clock_limit():
    """The certified separation trial (B, n = 24) run twice with the same stream gives identical
    records apart from the measured seconds; its config names only deterministic work limits
    (nodes, rounds), and no record hit the wall-clock safety net."""
    from pruneproof.verify.separation import experiments as sep_exp
    config = {"n": 24, "architecture": "B", "instance": 0, "grid": 256, "node_limit": 5_000,
              "rounds": 6, "rel_gap": 0.01}
    a, b = (sep_exp.neuron_trial(config, np.random.default_rng(7)) for _ in range(2))
    a.pop("seconds"), b.pop("seconds")
    assert a == b
    assert a["status"] in ("certified", "bounds") and sep_exp.safety_net_hits([a]) == 0
    assert a["lower"] <= a["error"] and (a["status"] != "certified" or a["gap"] <= 0.01)
    assert not any("time" in key for key in config)
    assert sep_exp.safety_net_hits([{**a, "status": "time_limit"}]) == 1
