"""Benchmark functions of the paths topic run at the smoke budget and report a ratio."""
import math

import pytest

from pruneproof.verify.paths.bench import bench_iterative_synflow, bench_synflow_deep, bench_trace


@pytest.mark.parametrize("fn", [bench_trace, bench_synflow_deep, bench_iterative_synflow])
def test_bench_smoke_returns_ratio(fn):
    out = fn("smoke")
    assert isinstance(out, dict) and math.isfinite(out["ratio"]) and out["ratio"] > 0


def test_bench_facts_at_smoke_budget():
    assert bench_trace("smoke")["relative_difference"] < 1e-12
    assert bench_synflow_deep("smoke")["all_finite_positive"]
    it = bench_iterative_synflow("smoke")
    assert not it["iterative_collapsed"] and it["single_shot_collapsed"]
    with pytest.raises(ValueError, match="budget must be one of smoke, default, paper"):
        bench_trace("huge")
