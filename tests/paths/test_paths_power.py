"""Verification power of the paths topic's theorems at the smoke budget: every must-refute mutant
is refuted by a non-symbolic route."""
from __future__ import annotations

import pytest
from pruneproof.verify.core.engine import Runner
from pruneproof.verify.core.power import measure_power
from pruneproof.verify.core.verdicts import CheckContext, load_plugins

load_plugins()
THEOREMS = ("path-output-identity", "ntk-path-decomposition", "path-kernel-trace",
            "synflow-path-norm", "synflow-conservation", "max-critical-compression",
            "ntk-sketch-score")


@pytest.mark.slow
@pytest.mark.parametrize("claim_id", THEOREMS)
def test_power_goal_met(claim_id, tmp_path_factory):
    cache = tmp_path_factory.getbasetemp() / "paths-power-cache"
    ctx = CheckContext("smoke", Runner(cache_dir=cache, progress=False))
    result = measure_power(claim_id, ctx)
    assert result.goal_met, result.summary()
