"""The claim registry: declarations are complete, honest about their source, and their numeric
functions come from the sympy expressions."""
import math
import re

import numpy as np
import pruneproof.theory  # noqa: F401
import pytest
from pruneproof.theory.claims import Parameter, all_claims, get_claim
from pruneproof.verify.core.verdicts import routes_for

CLAIMS = all_claims()


def test_registry_is_populated_and_ids_are_kebab_case():
    assert len(CLAIMS) >= 5
    for c in CLAIMS:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", c.id), c.id


@pytest.mark.parametrize("claim", CLAIMS, ids=lambda c: c.id)
def test_claim_declares_statement_source_assumptions_and_routes(claim):
    assert claim.title and claim.statement_text and claim.statement_latex
    assert claim.assumptions
    source = claim.source.lower()
    if claim.is_theorem:
        assert "derived here" in source, "every theorem must say it is derived here"
    else:
        assert "derived here" in source or "tested here" in source, \
            "every hypothesis must say it is derived or tested here"
    assert set(claim.evidence.split(" / ")) <= {"read", "secondary", "recalled", "derived", "pilot"}
    assert routes_for(claim.id), f"{claim.id} has no checking route"


def test_unknown_claim_id_names_the_valid_ids():
    with pytest.raises(ValueError, match="unknown claim id 'nope'.*amm-unbiased"):
        get_claim("nope")


def test_numeric_functions_are_lambdified_from_the_expressions():
    claim = get_claim("amm-high-probability")
    eta = claim.numeric("eta")(beta=0.5, delta=0.1)
    symbols = {s.name: s for s in claim.expressions["eta"].free_symbols}
    exact = claim.expressions["eta"].subs({symbols["beta"]: 0.5, symbols["delta"]: 0.1})
    assert math.isclose(eta, float(exact))
    assert math.isclose(eta, 1 + math.sqrt(16 * math.log(10)))
    with pytest.raises(TypeError, match="needs"):
        claim.numeric("eta")(beta=0.5)


def test_parameter_domains_validate_with_clear_messages():
    p = Parameter("beta", "b", "factor", 0, 1, low_open=True)
    assert p.validate(1.0) == 1.0
    for bad in (0.0, -1, 1.5, float("nan")):
        with pytest.raises(ValueError, match=r"beta must be beta \(0, 1\]"):
            p.validate(bad)
    with pytest.raises(TypeError, match="beta must be a number"):
        p.validate("x")
    assert np.isclose(Parameter("c", "c", "", 1, None, integer=True).validate(3), 3)
    with pytest.raises(ValueError):
        Parameter("c", "c", "", 1, None, integer=True).validate(2.5)


@pytest.mark.parametrize("claim", [c for c in CLAIMS if not c.is_theorem], ids=lambda c: c.id)
def test_every_hypothesis_declares_its_decision_rule_with_the_claim(claim):
    """The rule that decides a hypothesis lives in the claim (declared before data), not only in
    route code."""
    assert claim.quantifier
    assert len(claim.decision_rule) > 40, f"{claim.id}: decision_rule missing or too short"
