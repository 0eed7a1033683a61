"""Verification power of the sketching theorems at the smoke budget: every mutant the goal
requires (s = 0.5 perturbations of bounds, every perturbed exact value, dropped factors whose
removal makes the statement false) is refuted by a non-symbolic route, unless it is a documented
exception of ``theory/exceptions.py``."""
import pytest
from pruneproof.theory import sketching as TS

THEOREMS = [c for c in TS.CLAIM_IDS if c != "randomized-masks"]


@pytest.mark.slow
@pytest.mark.parametrize("claim_id", THEOREMS)
def test_power_goal_met_at_smoke(claim_id, smoke_ctx):
    from pruneproof.verify.core.power import measure_power
    result = measure_power(claim_id, smoke_ctx)
    assert result.goal_met, [r.as_dict() for r in result.missed]
    if claim_id == "data-independence":
        # the rate mutants (rate_slope_n x (1 ± s), s = 0.5, 0.25, 0.1) are refuted by the exact
        # asymptotic check of the rate route (non-symbolic)
        rate = [r for r in result.results if r.mutant.expression == "rate_slope_n"]
        assert len(rate) == 6 and all("rate" in r.refuted_by for r in rate), \
            [r.as_dict() for r in rate]


@pytest.mark.parametrize("claim_id,name,factor", [
    ("data-independence", "bound", 0.5),            # X = I10, w = ±1: exact 22.5 > 12.5
    ("init-mask-end-of-training", "bound", 0.75),   # X = I10, w* = w0 = ±1: 22.5 > 18.75
])
def test_known_false_statements_are_refuted(claim_id, name, factor, smoke_ctx):
    from pruneproof.theory.claims import get_claim
    from pruneproof.verify.core.verdicts import check_claim
    claim = get_claim(claim_id)
    bad = claim.mutate(name, claim.expressions[name] * factor, f"{name} x {factor}")
    result = check_claim(bad, smoke_ctx, skip=("symbolic", "monte-carlo"))
    assert result.status == "refuted"      # by the exact route alone (tight instance X = I10)


def test_beta_x_dropped_from_combined_bound_is_refuted(smoke_ctx):
    from pruneproof.theory.claims import get_claim
    from pruneproof.verify.core.verdicts import check_claim
    claim = get_claim("init-and-data-free")
    bad = claim.mutate("bound", TS.F2 * TS.W2 / (TS.beta0 * TS.c), "beta_x dropped")
    assert check_claim(bad, smoke_ctx, skip=("symbolic", "monte-carlo")).status == "refuted"


@pytest.mark.parametrize("expr,false", [
    (TS.F2 * TS.W2 * (1 + TS.eps) / TS.c, True),          # 1/(1-eps) dropped: false (2.77)
    (TS.F2 * TS.W2 / ((1 - TS.eps) * TS.c), False),       # (1+eps) dropped: held everywhere
])
def test_lazy_bound_dropped_factors(expr, false, smoke_ctx):
    from pruneproof.theory.claims import get_claim
    from pruneproof.theory.exceptions import is_exception
    from pruneproof.verify.core.verdicts import check_claim
    bad = get_claim("init-mask-end-of-training").mutate("lazy_bound", expr, "dropped")
    status = check_claim(bad, smoke_ctx, skip=("symbolic", "monte-carlo")).status
    assert status == ("refuted" if false else "verified")
    assert is_exception("init-mask-end-of-training", "lazy_bound", "drop-factor")
