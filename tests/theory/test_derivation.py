"""Symbolic route: every registered derivation proves, and the checker can fail."""
import pruneproof.theory  # noqa: F401 - registers the claims
import pytest
import sympy as sp
from pruneproof.theory.claims import all_claims
from pruneproof.theory.derivation import PROVED, REFUTED, Step, check_step

DERIVED = [c.id for c in all_claims() if c.derivation is not None]


@pytest.mark.parametrize("claim_id", DERIVED)
def test_every_step_of_every_derivation_is_proved(claim_id):
    from pruneproof.theory.claims import get_claim
    from pruneproof.theory.derivation import check_derivation
    checks = check_derivation(get_claim(claim_id).derivation())
    assert checks, f"{claim_id} has an empty derivation"
    failed = [(c.step.description, c.outcome, c.detail) for c in checks if c.outcome != PROVED]
    assert not failed


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
    assert check_step(Step("ok", M * 2, M + M)).outcome == PROVED
    assert check_step(Step("bad", M * 2, M)).outcome == REFUTED
