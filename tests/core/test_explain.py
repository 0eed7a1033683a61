"""`pruneproof explain CLAIM`: derivation then one worked example (claim's expression evaluated,
exact or simulated value, ratio); every theorem of every topic has one."""
from __future__ import annotations

import json
import math

import pytest
from pruneproof.theory.claims import get_claim
from pruneproof.verify.cli import main
from pruneproof.verify.core.examples import example_ids, run_example
from pruneproof.verify.core.html import claim_topic
from pruneproof.verify.core.verdicts import load_plugins



def _theorems():
    from pruneproof.theory.claims import all_claims
    from pruneproof.verify import TOPICS
    load_plugins()
    theorems = [c.id for c in all_claims() if c.is_theorem]
    assert {claim_topic(t) for t in theorems} >= set(TOPICS) >= {"robustness"}
    return theorems


def test_every_theorem_of_every_topic_has_an_example():
    missing = sorted(set(_theorems()) - set(example_ids()))
    assert not missing, missing


@pytest.mark.parametrize("claim_id", ["amm-beta-bound", "pruning-as-sketching",
                                      "neuron-pruning-lower-bound",
                                      "neuron-pruning-lower-bound-b", "synflow-conservation",
                                      "ntk-sketch-score", "quadratic-form-lipschitz",
                                      "finite-class-noise-correlation",
                                      "sparse-law-of-robustness", "mask-information-bounds"])
def test_examples_agree_with_the_claims(claim_id):
    ex = run_example(claim_id, seed=0)
    for row in ex["rows"]:
        assert math.isfinite(row["claimed"]) and math.isfinite(row["observed"])
        if row["relation"] == "==":
            assert row["ratio"] == pytest.approx(1, rel=1e-6)
        elif row["relation"] == "<=":
            assert row["ratio"] <= 1 + 1e-9
        elif row["relation"] == ">=":
            assert row["ratio"] >= 1 - 1e-9


def test_example_reads_the_claim_it_is_given():
    claim = get_claim("amm-beta-bound")
    halved = claim.mutate("bound", claim.expressions["bound"] / 2, "bound x 0.5")
    a, b = run_example(claim)["rows"][0], run_example(halved)["rows"][0]
    assert b["claimed"] == pytest.approx(a["claimed"] / 2) and b["observed"] == a["observed"]


def test_explain_prints_derivation_then_example(capsys):
    assert main(["explain", "amm-exact-variance"]) == 0
    out = capsys.readouterr().out
    assert out.index("Step 1.") < out.index("Worked example") and "ratio observed / claimed" in out


def test_explain_json(capsys):
    assert main(["explain", "path-kernel-trace", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["derivation"] and data["example"]["rows"][0]["ratio"] == pytest.approx(1)
