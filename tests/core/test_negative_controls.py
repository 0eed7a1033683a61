"""Negative controls: each check must be able to fail.  A wrong formula or a bound that is too
small must come out refuted (never verified); and the separation theorems, which the suite
otherwise only exercises, must come out verified at the smoke budget.

These are deterministic (fixed seeds, serial runner, no cache)."""
import pytest
from pruneproof.theory import amm as TA
from pruneproof.verify.amm import numerics as amm
from pruneproof.verify.core.engine import Runner
from pruneproof.verify.core.verdicts import CheckContext, check_claim, load_plugins

load_plugins()


def _routes(claim_id):
    result = check_claim(claim_id, CheckContext("smoke", Runner(cache_dir=None, progress=False)))
    return result.status, {r.route: r.status for r in result.routes}


@pytest.fixture
def wrong_variance_formula(monkeypatch):
    """amm-exact-variance with the sign of its expression flipped."""
    claim = TA.AMM_EXACT_VARIANCE
    claim._numeric.clear()
    monkeypatch.setitem(claim.expressions, "exact", -TA.EXACT_ERROR)
    yield
    claim._numeric.clear()


def test_a_wrong_variance_formula_is_refuted(wrong_variance_formula):
    status, routes = _routes("amm-exact-variance")
    assert status == "refuted"
    assert routes["exact"] == "refuted"
    assert routes["monte-carlo"] != "verified"


def test_wrong_variance_formula_is_not_hidden_by_clipping(wrong_variance_formula):
    import numpy as np
    A, B = np.eye(2), np.eye(2)
    with pytest.raises(ArithmeticError, match="inconsistent"):
        amm.expected_error(A, B, [0.25, 0.75], 2)


@pytest.mark.parametrize("claim_id,function,factor", [
    ("amm-high-probability", "high_probability_bound", 0.1),
    ("amm-beta-bound", "beta_bound", 0.01),
])
def test_a_too_small_bound_is_refuted(monkeypatch, claim_id, function, factor):
    original = getattr(amm, function)
    monkeypatch.setattr(amm, function, lambda *a, **k: factor * original(*a, **k))
    status, routes = _routes(claim_id)
    assert status == "refuted"
    assert routes["exact"] == "refuted" and routes["monte-carlo"] == "refuted"


@pytest.mark.parametrize("claim_id", ["subset-sum-exponential", "weight-pruning-logarithmic",
                                      "neuron-pruning-lower-bound", "d1-control"])
def test_separation_theorems_are_verified_at_smoke(claim_id):
    """Fixed seeds make this deterministic; with fresh seeds each rate route (95 % slope CIs)
    would fail by chance with probability about 5 % (10 % for the two-law weight-pruning route)."""
    status, routes = _routes(claim_id)
    assert status == "verified", routes
