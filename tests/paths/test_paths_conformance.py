"""Conformance: our methods pass; each reference-code bug of spec paths 5.2 is caught."""
import dataclasses

import numpy as np
import pytest

from pruneproof.verify.paths.buggy import (float32_synflow_scores, noop_shuffle_masks,
                                           threshold_prune_mask, unmasked_prune_round)
from pruneproof.verify.paths.conformance import (METHOD_CLAIMS, ConformanceReport,
                                                 PropertyResult, conformance,
                                                 method_conformance)
from pruneproof.verify.paths.scores import make_score_fn

REQUIRED_ALWAYS = {"exact_counts", "monotone_support", "finite_deep", "shuffle"}


@pytest.mark.parametrize("key", sorted(METHOD_CLAIMS))
def test_our_methods_pass_with_their_claims(key):
    method, _, variant = key.partition("/")
    report = method_conformance(method, l2_variant=variant or None)
    assert report.passed, str(report)
    claims = METHOD_CLAIMS[key]
    for prop, flag in (("conservation", "claims_conservation"), ("rescaling", "claims_rescaling"),
                       ("positive_deep", "claims_positive")):
        assert report[prop].required == claims.get(flag, False)
        if claims.get(flag):
            assert report[prop].passed


@pytest.mark.parametrize("key", ["magnitude", "synflow-l2/author-code", "synflow-l2/third-party"])
def test_non_conserved_methods_fail_when_they_claim_conservation(key):
    method, _, variant = key.partition("/")
    report = method_conformance(method, l2_variant=variant or None, claims_conservation=True)
    assert not report.passed
    assert [p.name for p in report.failures()] == ["conservation"]
    assert report["conservation"].counterexample["violation"] > 0.1


def test_threshold_tie_bug_is_caught():
    report = conformance(make_score_fn("synflow"), mask_fn=threshold_prune_mask)
    assert not report.passed
    bad = report["exact_counts"]
    assert not bad.passed and bad.counterexample["kept"] != bad.counterexample["expected"]


def test_noop_shuffle_bug_is_caught():
    report = conformance(make_score_fn("synflow"), shuffle_fn=noop_shuffle_masks)
    assert [p.name for p in report.failures()] == ["shuffle"]
    assert "identical" in report["shuffle"].detail


def test_float32_overflow_bug_is_caught():
    report = conformance(float32_synflow_scores, claims_positive=True)
    assert {p.name for p in report.failures()} == {"finite_deep", "positive_deep"}
    # the same scorer is fine on shallow nets: the defect is the missing rescaling
    assert report["exact_counts"].passed and report["monotone_support"].passed


def test_revival_bug_is_caught_with_signed_scores():
    report = method_conformance("grasp", round_fn=unmasked_prune_round)
    assert [p.name for p in report.failures()] == ["monotone_support"]
    assert report["monotone_support"].counterexample["revived"] > 0


def test_report_structure_and_crash_handling():
    report = method_conformance("synflow")
    assert isinstance(report, ConformanceReport)
    assert {p.name for p in report.properties if p.required} >= REQUIRED_ALWAYS
    prop = report["exact_counts"]
    assert isinstance(prop, PropertyResult)
    with pytest.raises(dataclasses.FrozenInstanceError):
        prop.passed = False
    with pytest.raises(KeyError, match="no property"):
        report["nope"]
    assert "PASS" in str(report)

    def wrong_shapes(weights, rng):
        return [np.ones(3)]
    crashed = conformance(wrong_shapes)
    assert not crashed.passed
    assert "raised ValueError: score_fn returned shapes" in crashed["exact_counts"].detail


def test_conformance_is_reproducible_and_accepts_weights():
    a = method_conformance("random", rng=3)
    b = method_conformance("random", rng=3)
    assert a == b
    w = [np.random.default_rng(0).standard_normal(s) for s in [(16, 8), (12, 16), (4, 12)]]
    report = conformance(make_score_fn("synflow"), weights=w, claims_conservation=True,
                         claims_rescaling=True, claims_positive=True, deep_depth=51)
    assert report.passed, str(report)
    with pytest.raises(ValueError, match="method must be one of"):
        method_conformance("synflow-l2")
