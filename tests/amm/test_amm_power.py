"""Verification power of the AMM claims at the smoke budget: every mutant the goal requires
(s = 0.5 scalings of bounds, every exact-value scaling incl. s = 0.1, every dropped factor whose
removal makes the statement false) is refuted by a non-symbolic route; plus negative controls."""
import pytest
from pruneproof.theory.amm import ETA
from pruneproof.verify.core.engine import Runner
from pruneproof.verify.core.power import measure_power
from pruneproof.verify.core.verdicts import (
    VERIFIED,
    CheckContext,
    check_claim,
    resolve_claim,
)

AMM_THEOREMS = ("amm-unbiased", "amm-exact-variance", "amm-optimal-probabilities",
                "amm-beta-bound", "amm-high-probability")


@pytest.fixture(scope="module")
def ctx(tmp_path_factory):
    return CheckContext("smoke", Runner(cache_dir=tmp_path_factory.mktemp("amm-power"),
                                        progress=False))


@pytest.mark.slow
@pytest.mark.parametrize("claim_id", AMM_THEOREMS)
def test_power_goal_met_at_smoke(claim_id, ctx):
    result = measure_power(claim_id, ctx)
    assert result.goal_met, [r.as_dict() for r in result.missed]


@pytest.mark.parametrize("claim_id", AMM_THEOREMS)
def test_true_claims_verified_by_every_route(claim_id, ctx):
    result = check_claim(claim_id, ctx)
    assert result.status == VERIFIED, [(r.route, r.status, r.summary) for r in result.routes]


def test_high_probability_bound_is_near_tight_as_delta_tends_to_one(ctx):
    """The identity instance (A = B = I_n, c = 1) has deterministic error sqrt(n(n-1)); a bound
    5 % too small is refuted by exact enumeration (delta close to 1)."""
    claim = resolve_claim("amm-high-probability")
    mutant = claim.mutate("bound", claim.expressions["bound"] * 0.95, "bound x 0.95")
    result = check_claim(mutant, ctx, skip=("symbolic", "monte-carlo"))
    assert result.status == "refuted"


def test_dropping_eta_is_refuted_by_the_exact_route(ctx):
    claim = resolve_claim("amm-high-probability")
    mutant = claim.mutate("bound", claim.expressions["bound"] / ETA, "bound without eta")
    result = check_claim(mutant, ctx, skip=("symbolic", "monte-carlo"))
    assert result.status == "refuted"
