"""One aggregator per rule: theorem verdicts, hypotheses by their declared quantifier (with
"underpowered" when the budget cannot decide), and check_claim on a modified Claim object."""
import pytest

from pruneproof.theory import get_claim
from pruneproof.verify.core.verdicts import (INCONCLUSIVE, NOT_SUPPORTED, SUPPORTED,
                                             UNDERPOWERED, hypothesis_verdict, resolve_claim)

S, N, I = SUPPORTED, NOT_SUPPORTED, INCONCLUSIVE


@pytest.mark.parametrize("verdicts, quantifier, expected", [
    ([S, S], "forall", S), ([S, N, I], "forall", N), ([S, I], "forall", UNDERPOWERED),
    ([N, N], "exists", N), ([N, S, I], "exists", S), ([N, I], "exists", UNDERPOWERED),
    ([S], "pooled", S), ([N], "pooled", N), ([I], "pooled", UNDERPOWERED),
    ([], "forall", UNDERPOWERED),
])
def test_hypothesis_verdict_applies_the_declared_quantifier(verdicts, quantifier, expected):
    assert hypothesis_verdict(verdicts, quantifier) == expected


def test_hypothesis_verdict_rejects_unknown_quantifiers_and_pooled_lists():
    with pytest.raises(ValueError, match="quantifier"):
        hypothesis_verdict([S], "most")
    with pytest.raises(ValueError, match="pooled"):
        hypothesis_verdict([S, S], "pooled")


def test_every_hypothesis_declares_a_quantifier_and_theorems_none():
    from pruneproof.theory import all_claims
    from pruneproof.theory.claims import QUANTIFIERS
    for claim in all_claims():
        if claim.is_theorem:
            assert claim.quantifier == ""
        else:
            assert claim.quantifier in QUANTIFIERS


def test_resolve_claim_accepts_ids_and_modified_claims_but_not_other_types():
    claim = get_claim("amm-beta-bound")
    assert resolve_claim("amm-beta-bound") is claim
    mutant = claim.mutate("bound", claim.expressions["bound"] / 2, "bound x 0.5")
    assert resolve_claim(mutant) is mutant
    assert mutant.id == claim.id and mutant.mutation == "bound x 0.5"
    assert mutant.expressions["bound"] != claim.expressions["bound"]
    assert claim.expressions["bound"] == mutant.expressions["bound"] * 2  # original untouched
    with pytest.raises(TypeError, match="claim"):
        resolve_claim(3)
    with pytest.raises(ValueError, match="unknown claim"):
        resolve_claim("no-such-claim")
