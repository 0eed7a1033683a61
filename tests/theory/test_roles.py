"""Claim roles, premises and conclusions: every expression declares a role; a derivation's
concluding step must reach the registered expression itself; premises are never proofs."""
import pytest
import sympy

from pruneproof.theory import all_claims, get_claim
from pruneproof.theory.claims import ROLES, THEOREM, Claim
from pruneproof.theory.derivation import (PREMISE, PROVED, Derivation, Step, check_step,
                                          conclusions)

x = sympy.Symbol("x", positive=True)


def _claim(**kw):
    base = dict(id="toy-claim", title="t", kind=THEOREM, source="s", evidence="derived",
                statement_latex="", statement_text="", assumptions=())
    return Claim(**(base | kw))


def test_every_registered_expression_has_a_known_role():
    for claim in all_claims():
        assert set(claim.roles) == set(claim.expressions), claim.id
        assert set(claim.roles.values()) <= set(ROLES), claim.id


def test_a_claim_without_roles_or_with_an_unknown_role_is_rejected():
    with pytest.raises(ValueError, match="role"):
        _claim(expressions={"bound": x})
    with pytest.raises(ValueError, match="roles must be among"):
        _claim(expressions={"bound": x}, roles={"bound": "upper"})


def test_premises_and_restatements_are_never_proved():
    assert check_step(Step("assumed", x, x + 1, "<=", premise=True)).outcome == PREMISE
    assert check_step(Step("restates", x**2, x**2)).outcome == PREMISE
    assert check_step(Step("real", (x + 1) ** 2, x**2 + 2 * x + 1)).outcome == PROVED


def test_conclusions_compare_structurally_with_the_registered_expression():
    d = Derivation("toy", "toy", (Step("ends", (x + 1) ** 2 - 2 * x - 1, x**2, concludes="bound"),))
    assert conclusions(d, {"bound": x**2}) == {"bound": "reached"}
    assert conclusions(d, {"bound": x**2 / 2}) == {"bound": "differs"}
    premise = Derivation("toy", "toy", (Step("assumed", x, x**2, "<=", premise=True,
                                             concludes="bound"),))
    assert conclusions(premise, {"bound": x**2}) == {"bound": "assumed"}


def test_the_symbolic_route_does_not_verify_a_mutated_expression():
    from pruneproof.verify.core.verdicts import VERIFIED, symbolic_route
    claim = get_claim("amm-exact-variance")
    assert symbolic_route(claim).status == VERIFIED
    mutant = claim.mutate("exact", claim.expressions["exact"] * 2, "exact x 2")
    result = symbolic_route(mutant)
    assert result.status != VERIFIED
    assert "other than" in result.summary
