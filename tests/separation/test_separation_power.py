"""Verification power of the separation theorems at the smoke budget: every s = 0.5 mutant of a
bound or rate, every dropped factor whose removal makes the statement false, and every perturbed
exact value (s = 0.1 too) is refuted by a non-symbolic route (``verify.core.power``)."""
import pytest
from pruneproof.verify.core.engine import Runner
from pruneproof.verify.core.power import measure_power
from pruneproof.verify.core.verdicts import REFUTED, CheckContext, check_claim

THEOREMS = ("subset-sum-exponential", "weight-pruning-logarithmic",
            "neuron-pruning-lower-bound", "neuron-pruning-lower-bound-b", "d1-control")


@pytest.fixture(scope="module")
def ctx(tmp_path_factory):
    return CheckContext("smoke", Runner(cache_dir=tmp_path_factory.mktemp("sep-power"),
                                        progress=False))


@pytest.mark.slow
@pytest.mark.parametrize("claim_id", THEOREMS)
def test_power_goal_met_at_smoke(claim_id, ctx):
    result = measure_power(claim_id, ctx)
    assert result.goal_met, [m.as_dict() for m in result.missed]
    # the registered claim itself is not refuted by any route
    assert all(r.status != REFUTED for r in check_claim(claim_id, ctx).routes)


@pytest.mark.slow
def test_kink_bound_without_w_norm_needs_varied_norms(ctx):
    """Negative control: with the factor ||w|| dropped, the exact route (instances with
    ||w|| != 1) refutes the bound; the registered bound is verified by it."""
    from pruneproof.theory import separation as th
    from pruneproof.theory.claims import get_claim
    from pruneproof.verify.separation import routes
    claim = get_claim("neuron-pruning-lower-bound")
    dropped = claim.mutate("bound", claim.expressions["bound"].subs(th.w_norm, 1),
                           "bound without ||w||")
    assert routes._kink_exact(dropped, ctx).status == REFUTED
    assert routes._kink_exact(claim, ctx).status != REFUTED
