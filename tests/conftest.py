"""Shared test configuration.

Hypothesis runs derandomised (``derandomize=True``) so that CI is reproducible; every property test
draws its parameters from declared domains.  Statistical tests use fixed seeds and state their
false-failure probability next to the assertion.
"""
import os

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile("ci", derandomize=True, deadline=None, max_examples=40,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", deadline=None, max_examples=40,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture
def runner(tmp_path):
    """A serial engine runner with a private cache."""
    from pruneproof.verify.core.engine import Runner
    return Runner(cache_dir=tmp_path / "cache", root_seed=12345, progress=False)


@pytest.fixture
def smoke_ctx(tmp_path):
    from pruneproof.verify.core.engine import Runner
    from pruneproof.verify.core.verdicts import CheckContext, load_plugins
    load_plugins()
    return CheckContext("smoke", Runner(cache_dir=tmp_path / "cache", progress=False))
