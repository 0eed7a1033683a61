"""The min-Lipschitz benchmark runs (smoke budget) and reports certified gaps and ratios."""
import pytest

from pruneproof.verify.robustness.bench import BENCH_SIZES, bench_min_lipschitz


def test_smoke_benchmark_reports_certified_sdp_and_ratios():
    out = bench_min_lipschitz("smoke")
    (case,) = out["cases"]
    assert (case["n"], case["d"], case["p"]) == (10, 40, 40)
    assert out["target"] == 1e-6 and out["met"] is True
    assert case["sdp_gap"] <= 1e-6 and case["sdp_certified"]
    # the heuristic is feasible but not certified to the target; both gaps are reported
    assert case["heuristic_lip"] >= case["sdp_lower"] - 1e-9
    assert case["heuristic_gap_vs_sdp_lower"] >= 0 and case["heuristic_gap"] >= 0
    assert out["ratio"] == case["time_ratio"] > 0


def test_budgets():
    assert BENCH_SIZES["default"][:2] == (10, 80) and BENCH_SIZES["paper"][2][-1] == 3240
    with pytest.raises(ValueError, match="budget"):
        bench_min_lipschitz("huge")
