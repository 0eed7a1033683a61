"""`pruneproof conform MODULE:FUNCTION`, run as a subprocess on a tiny user module."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest

USER_MODULE = textwrap.dedent('''
    import numpy as np
    from pruneproof.verify.paths import scores
    from pruneproof.verify.paths.buggy import float32_synflow_scores

    def synflow(weights, rng):
        return scores(weights, "synflow")

    def buggy(weights, rng):
        return float32_synflow_scores(weights, rng)

    def wrong_shapes(weights, rng):
        return [np.ones(3) for _ in weights]

    NOT_CALLABLE = 3
''')


@pytest.fixture(scope="module")
def user_dir(tmp_path_factory):
    d = tmp_path_factory.mktemp("user")
    (d / "user_pruner.py").write_text(USER_MODULE)
    (d / "broken_pruner.py").write_text("raise RuntimeError('boom at import')\n")
    return d


def _conform(user_dir, *args):
    env = {**os.environ, "PYTHONPATH": str(user_dir)}
    return subprocess.run([sys.executable, "-m", "pruneproof.verify.cli", "conform", *args],
                          capture_output=True, text=True, env=env, cwd=user_dir, timeout=300)


def test_conform_passes_on_synflow(user_dir):
    r = _conform(user_dir, "user_pruner:synflow", "--claims-conservation", "--json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["passed"] is True
    props = {p["name"]: p for p in out["properties"]}
    assert props["conservation"]["required"] and props["conservation"]["passed"]


def test_conform_fails_on_buggy_scorer_with_counterexample(user_dir):
    r = _conform(user_dir, "user_pruner:buggy")
    assert r.returncode == 1, r.stderr
    assert "FAIL finite_deep" in r.stdout
    assert "counterexample (finite_deep)" in r.stdout


def test_conform_json_is_strict(user_dir):
    r = _conform(user_dir, "user_pruner:buggy", "--json", "--seed", "3")
    assert r.returncode == 1
    out = json.loads(r.stdout, parse_constant=lambda c: pytest.fail(f"non-strict JSON {c}"))
    assert out["seed"] == 3 and out["passed"] is False


def test_conform_wrong_shapes_fail(user_dir):
    r = _conform(user_dir, "user_pruner:wrong_shapes")
    assert r.returncode == 1
    assert "shapes" in r.stdout


@pytest.mark.parametrize("target, message", [
    ("no_such_module_xyz:f", "cannot import module"),
    ("broken_pruner:f", "cannot import module"),
    ("user_pruner:missing", "has no attribute"),
    ("user_pruner:NOT_CALLABLE", "not callable"),
    ("user_pruner", "expected MODULE:FUNCTION"),
])
def test_conform_bad_usage(user_dir, target, message):
    r = _conform(user_dir, target)
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], r.stderr
