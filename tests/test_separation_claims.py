"""The separation claims: registered, every derivation step proved, numeric expressions agree with
direct formulas, and the claims' statements are honest about sources."""
import math

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import theory  # noqa: F401
from theory import separation as th
from theory.claims import HYPOTHESIS, THEOREM, get_claim
from theory.derivation import PROVED, check_derivation

IDS = ["subset-sum-exponential", "weight-pruning-logarithmic", "neuron-pruning-lower-bound",
       "neuron-pruning-inverse-n", "d1-control"]


@pytest.mark.parametrize("claim_id", IDS)
def test_every_derivation_step_proves(claim_id):
    claim = get_claim(claim_id)
    outcomes = [c.outcome for c in check_derivation(claim.derivation())]
    assert outcomes and all(o == PROVED for o in outcomes), outcomes


def test_kinds_and_sources():
    assert get_claim("neuron-pruning-inverse-n").kind == HYPOTHESIS
    for cid in IDS:
        c = get_claim(cid)
        assert "derived here" in c.source
        if cid != "neuron-pruning-inverse-n":
            assert c.kind == THEOREM
    assert "no proof is known here" in get_claim("neuron-pruning-lower-bound").statement_text


@settings(max_examples=40, deadline=None)
@given(st.floats(1e-3, 3.0), st.floats(1e-3, 3.0), st.floats(0.1, 5.0))
def test_exact_three_point_bound_dominates_first_order(d1, d2, wn):
    if d1 + d2 > math.pi:
        d2 = math.pi - d1
        if d2 <= 0:
            return
    lb = th.kink_gap_bound_numeric(w_norm=wn, delta_1=d1, delta_2=d2)
    exact = th.kink_gap_exact_numeric(w_norm=wn, delta_1=d1, delta_2=d2)
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
    from verify.checks.separation import kink_mc_trial
    r = kink_mc_trial({"n": 8, "samples": 20000}, np.random.default_rng(0))
    assert abs(r["mean"] - math.pi / 54) <= 4 * r["sd"] / math.sqrt(r["m"])
