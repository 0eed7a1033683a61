"""ntk-sketch-score numerics and routes; the two sketching/convergence hypotheses at smoke."""
from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
import sympy
from pruneproof.theory.claims import get_claim
from pruneproof.verify.core.engine import Runner
from pruneproof.verify.core.verdicts import (
    NOT_SUPPORTED,
    SUPPORTED,
    UNDERPOWERED,
    VERIFIED,
    CheckContext,
    check_claim,
    load_plugins,
)
from pruneproof.verify.paths.network import flatten, random_network
from pruneproof.verify.paths.ntk_sketch import (
    enumerated_error,
    exact_fractions,
    expected_error_direct,
    ingredients,
    mask_error,
    ntk_problem,
    sampled_errors,
)
from pruneproof.verify.paths.scores import scores

load_plugins()


@pytest.fixture(scope="module")
def ctx(tmp_path_factory):
    return CheckContext("smoke", Runner(cache_dir=tmp_path_factory.mktemp("ntk"), progress=False))


@pytest.fixture(scope="module")
def tiny():
    rng = np.random.default_rng(3)
    w = random_network([2, 3, 2], rng)
    X = rng.standard_normal((2, 2))
    return w, X, *ntk_problem(w, X)


def test_exact_fractions_sum_to_one():
    pf = exact_fractions([0.1, 0.2, 0.3])
    assert sum(pf) == 1 and all(isinstance(x, Fraction) for x in pf)
    with pytest.raises(ValueError):
        exact_fractions([-0.5, 1.5])


def test_enumeration_matches_direct_and_sampling(tiny):
    _, _, J, theta = tiny
    p = np.full(theta.size, 1 / theta.size)
    E, Q, G = enumerated_error(J, theta, p, 2)
    assert E == (Q - G) / 2
    assert float(E) == pytest.approx(expected_error_direct(J, theta, p, 2), rel=1e-12)
    s = sampled_errors(J, theta, p, 2, 40000, 0)
    assert abs(s.mean() - float(E)) < 6 * s.std() / np.sqrt(s.size)


def test_ntk_sketch_score_is_the_sketch_optimum(tiny):
    """p proportional to the ntk-sketch score attains (S^2 - G)/c; SynFlow, SNIP, magnitude don't."""
    w, X, J, theta = tiny
    base = ingredients(J, theta)
    opt = (base["S"] ** 2 - base["G"]) / 3
    s = flatten(scores(w, "ntk-sketch", X=X))
    assert expected_error_direct(J, theta, s / s.sum(), 3) == pytest.approx(opt, rel=1e-10)
    y = np.ones((2, 2))
    for method in ("synflow", "snip", "magnitude"):
        t = flatten(scores(w, method, X=X, y=y))
        assert expected_error_direct(J, theta, t / t.sum(), 3) > opt * (1 + 1e-6)


def test_mask_error(tiny):
    _, _, J, theta = tiny
    assert mask_error(J, theta, np.ones(theta.size, bool)) == 0.0
    assert mask_error(J, theta, np.zeros(theta.size, bool)) == pytest.approx(1.0)


def test_theorem_verified_with_tightness(ctx):
    r = check_claim("ntk-sketch-score", ctx)
    assert r.status == VERIFIED, [x.summary for x in r.routes]
    exact = next(x for x in r.routes if x.route == "exact")
    lo, hi = exact.evidence["tightness"]
    assert lo == pytest.approx(1.0, abs=1e-6) and hi == pytest.approx(1.0, abs=1e-6)


def test_wrong_keep_probability_refuted(ctx):
    from pruneproof.theory.paths_ntk import S, a
    claim = get_claim("ntk-sketch-score").mutate("keep", a**2 / S**2, "keep ∝ score^2")
    r = check_claim(claim, ctx, skip=("symbolic",))
    assert r.status == "refuted"


@pytest.mark.parametrize("cid,key,lo", [("synflow-sketch-surrogate", "synflow_ci", 0.5),
                                         ("path-kernel-predicts-convergence", "trace_ci", 0.3)])
def test_hypotheses_supported_at_the_seeded_smoke_budget(cid, key, lo, ctx):
    """Both pooled hypotheses are supported at smoke: the (1 - 1e-3) interval's lower end clears
    the claim's rho_min (declared with the claim, read via claim.numeric)."""
    claim = get_claim(cid)
    assert claim.quantifier == "pooled" and "rho_min" in claim.decision_rule
    assert float(claim.numeric("rho_min")()) == lo and float(claim.numeric("alpha")()) == 1e-3
    r = check_claim(cid, ctx)
    assert r.status == SUPPORTED
    ci = r.routes[-1].evidence[key]
    assert ci["level"] == pytest.approx(1 - 1e-3) and ci["ci"][0] >= lo


@pytest.mark.parametrize("cid", ["synflow-sketch-surrogate", "path-kernel-predicts-convergence"])
def test_hypothesis_rule_can_fail(cid, ctx):
    """Negative controls of the declared rule on the same records: rho_min = 1 cannot be
    cleared unless every net's correlation is 1 (not supported or underpowered, never supported),
    and rho_min = 1.1 (above every attainable mean) is not supported."""
    claim = get_claim(cid)
    assert check_claim(claim.mutate("rho_min", sympy.Integer(1), "rho_min = 1"),
                       ctx).status in (NOT_SUPPORTED, UNDERPOWERED)
    assert check_claim(claim.mutate("rho_min", sympy.Rational(11, 10), "rho_min = 1.1"),
                       ctx).status == NOT_SUPPORTED
