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


def _mutant_routes(claim_id, name, factor):
    """Check a perturbed copy of the claim (same id, same routes): the routes read the claim
    object they are given, so a wrong expression is what they compare against."""
    from pruneproof.theory import get_claim
    claim = get_claim(claim_id)
    mutant = claim.mutate(name, claim.expressions[name] * factor, f"{name} x {factor}")
    result = check_claim(mutant, CheckContext("smoke", Runner(cache_dir=None, progress=False)))
    return result.status, {r.route: r.status for r in result.routes}


def test_a_wrong_variance_formula_is_refuted():
    """amm-exact-variance with the sign of its expression flipped."""
    status, routes = _mutant_routes("amm-exact-variance", "exact", -1)
    assert status == "refuted"
    assert routes["exact"] == "refuted"
    assert routes["monte-carlo"] != "verified"
    assert routes["symbolic"] != "verified"   # the derivation concludes the true expression


def test_wrong_variance_formula_is_not_hidden_by_clipping(monkeypatch):
    """The numeric helper evaluates the registered expression and never clips a negative value."""
    import numpy as np
    claim = TA.AMM_EXACT_VARIANCE
    claim._numeric.clear()
    monkeypatch.setitem(claim.expressions, "exact", -TA.EXACT_ERROR)
    try:
        with pytest.raises(ArithmeticError, match="inconsistent"):
            amm.expected_error(np.eye(2), np.eye(2), [0.25, 0.75], 2)
    finally:
        claim._numeric.clear()


@pytest.mark.parametrize("claim_id,factor", [
    ("amm-high-probability", 0.1),
    ("amm-beta-bound", 0.01),
])
def test_a_too_small_bound_is_refuted(claim_id, factor):
    status, routes = _mutant_routes(claim_id, "bound", factor)
    assert status == "refuted"
    assert routes["exact"] == "refuted" and routes["monte-carlo"] == "refuted"


@pytest.mark.parametrize("claim_id", ["subset-sum-exponential", "weight-pruning-logarithmic",
                                      "neuron-pruning-lower-bound",
                                      "neuron-pruning-lower-bound-b", "d1-control"])
def test_separation_theorems_are_verified_at_smoke(claim_id):
    """Fixed seeds make this deterministic; with fresh seeds each rate route (95 % slope CIs)
    would fail by chance with probability about 5 % (10 % for the two-law weight-pruning route)."""
    status, routes = _routes(claim_id)
    assert status == "verified", routes
