"""Symbolic route: every registered derivation proves, and the checker can fail."""
import pruneproof.theory  # noqa: F401 - registers the claims
import pytest
import sympy as sp
from pruneproof.theory.claims import all_claims
from pruneproof.theory.derivation import PREMISE, PROVED, REFUTED, Step, check_step

DERIVED = [c.id for c in all_claims() if c.derivation is not None]


@pytest.mark.parametrize("claim_id", DERIVED)
def test_every_step_of_every_derivation_is_proved_or_a_premise_and_it_concludes(claim_id):
    """Every step sympy checks is proved (premises are listed, never proofs); at least one step
    concludes a registered expression, and every conclusion *is* that expression."""
    from pruneproof.theory.claims import get_claim
    from pruneproof.theory.derivation import check_derivation, conclusions
    claim = get_claim(claim_id)
    derivation = claim.derivation()
    checks = check_derivation(derivation)
    assert checks, f"{claim_id} has an empty derivation"
    failed = [(c.step.description, c.outcome, c.detail) for c in checks
              if c.outcome not in (PROVED, PREMISE)]
    assert not failed
    assert any(c.outcome == PROVED for c in checks), f"{claim_id}: nothing is proved"
    reached = conclusions(derivation, claim.expressions)
    assert set(reached.values()) <= {"reached", "assumed"}, reached
    if claim.is_theorem:   # a hypothesis' derivation motivates it; a theorem's must derive
        assert "reached" in reached.values(), \
            f"{claim_id}: the derivation derives no registered expression (only premises)"


x, y = sp.symbols("x y", positive=True)


def test_a_false_identity_is_refuted_with_a_counterexample():
    result = check_step(Step("wrong", (x + y) ** 2, x**2 + y**2))
    assert result.outcome == REFUTED and "counterexample" in result.detail


def test_a_false_inequality_is_refuted():
    assert check_step(Step("wrong", x + y, x, "<=")).outcome == REFUTED


def test_a_wrong_witness_does_not_prove():
    # x^2 + y^2 >= 2xy is true, but (x + y)^2 is not the gap: the witness check must not pass it
    # and the numeric search finds no counterexample, so the step is at most undecided or proved
    # by sympy's own sign analysis -- never "proved through the witness".
    result = check_step(Step("amgm", 2 * x * y, x**2 + y**2, "<=", witness=(x + y) ** 2))
    assert "witness" not in result.detail


def test_matrix_identity_steps_are_checked_entrywise():
    M = sp.Matrix([[x, y], [y, x]])
    expanded = sp.Matrix([[x**2 + 2 * x * y + y**2, y], [y, x]])
    assert check_step(Step("ok", sp.Matrix([[(x + y) ** 2, y], [y, x]]), expanded)).outcome \
        == PROVED
    assert check_step(Step("bad", M * 2, M)).outcome == REFUTED
