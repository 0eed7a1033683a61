"""Wave-3 decision rules of the separation routes: the declared maximum CI width of the theorems'
rate routes (inconclusive above it), the solver routes as preconditions (a broken solver makes the
claim inconclusive, never verified), the d-dependence of weight pruning (reviewer mutants), the
exact order-statistic bootstrap, and the hypothesis' rule declared with its claim."""
import math

import numpy as np
import pytest
import sympy as sp
from pruneproof.theory import separation as th
from pruneproof.theory.claims import get_claim
from pruneproof.verify.core.engine import Runner
from pruneproof.verify.core.stats import SlopeFit
from pruneproof.verify.core.verdicts import (
    INCONCLUSIVE,
    REFUTED,
    VERIFIED,
    CheckContext,
    check_claim,
)
from pruneproof.verify.separation import experiments as sep_exp
from pruneproof.verify.separation import rates
from pruneproof.verify.separation import routes_rates as rr


@pytest.fixture(scope="module")
def ctx(tmp_path_factory):
    return CheckContext("smoke", Runner(cache_dir=tmp_path_factory.mktemp("sep-rules"),
                                        progress=False))


def _fit(lo, hi):
    return SlopeFit((lo + hi) / 2, 0.0, lo, hi, 0.999, 1.0, "")


def test_width_verdict_refutes_then_declares_underpowered():
    assert rates.width_verdict([(_fit(-1.2, -0.8), -1.0)], 0.5)[0] == VERIFIED
    assert rates.width_verdict([(_fit(-1.4, -0.8), -1.0)], 0.5)[0] == INCONCLUSIVE
    # a CI excluding the prediction refutes, however wide
    assert rates.width_verdict([(_fit(-3.0, -1.1), -1.0)], 0.5)[0] == REFUTED
    status, rel = rates.width_verdict([(_fit(-1.1, -0.9), -1.0), (_fit(-0.7, -0.3), -0.5)], 0.5)
    assert status == INCONCLUSIVE and rel == pytest.approx([0.2, 0.8])


def test_thresholds_are_claim_definitions():
    for cid in ("subset-sum-exponential", "weight-pruning-logarithmic", "d1-control"):
        c = get_claim(cid)
        assert c.roles["max_rel_ci_width"] == "definition"
        assert float(c.numeric("max_rel_ci_width")()) == 0.5
    h = get_claim("neuron-pruning-inverse-n")
    assert h.roles["max_ci_width"] == "definition" and float(h.numeric("max_ci_width")()) == 0.8


def test_inverse_n_rule_lives_in_the_claim_and_matches_the_budgets():
    rule = get_claim("neuron-pruning-inverse-n").decision_rule
    for budget in ("smoke", "default", "paper"):
        fit_ns = sep_exp.NEURON[budget].fit_ns
        assert "{" + ", ".join(map(str, fit_ns)) + "}" in rule, budget
    assert "0.8" in rule and "1 - 0.001/4" in rule and "forall" in rule.lower()
    assert "Disclosure" in rule


@pytest.mark.parametrize("n", [7, 8, 41])
def test_order_statistic_bootstrap_has_the_law_of_resampled_medians(n):
    g = np.random.default_rng(n).exponential(size=n)
    fast = rates._bootstrap_medians(g, 200_000, np.random.default_rng(1))
    slow = np.median(g[np.random.default_rng(2).integers(0, n, (200_000, n))], axis=1)
    # same CDF at every point of the (discrete) support: |difference| <= 0.01 (binomial s.e. of
    # each empirical CDF <= 0.0011, so a chance failure is practically impossible)
    support = np.unique(np.concatenate([fast, slow]))
    cdf_fast = np.searchsorted(np.sort(fast), support, side="right") / fast.size
    cdf_slow = np.searchsorted(np.sort(slow), support, side="right") / slow.size
    assert np.max(np.abs(cdf_fast - cdf_slow)) <= 0.01
    assert rates.resamples_for(1 - 1e-3 / 5) >= 16 / (1e-3 / 10)


def test_empty_block_reports_its_signed_error():
    from pruneproof.verify.separation.weight_pruning import block_weight_pruning
    wp = block_weight_pruning(np.array([[1.0, 0.0], [0.0, 1.0]]), np.zeros(2),
                              np.array([0.6, 0.8]))
    # sums 0 aiming at w_j (positive side, e+ = 0 - w_j) and at -w_j (no units: e- = 0 + w_j)
    assert np.allclose(wp.e_plus, [-0.6, -0.8]) and np.allclose(wp.e_minus, [0.6, 0.8])


@pytest.mark.slow
@pytest.mark.parametrize("claim_id, fn", [("subset-sum-exponential", "best_subset_sum"),
                                          ("d1-control", "best_neuron_subset_d1")])
def test_a_broken_solver_makes_the_claim_inconclusive(claim_id, fn, ctx, monkeypatch):
    """The solver route tests the solver, not the claim: when the solver disagrees with brute
    force the route (and so the claim) is inconclusive -- never verified, never refuted."""
    real = getattr(rr, fn)

    def broken(*args, **kwargs):
        out = real(*args, **kwargs)
        return (out[0] + 1e-3, *out[1:])

    monkeypatch.setattr(rr, fn, broken)
    from pruneproof.verify.core.verdicts import routes_for
    solver = dict(routes_for(claim_id))["solver"]
    result = solver(get_claim(claim_id), ctx)
    assert result.status == INCONCLUSIVE and "does not test" in result.summary


@pytest.mark.slow
def test_weight_pruning_d_dependence_mutants_are_refuted(ctx):
    """Reviewer mutants of the weight-pruning rate that agree with -log10(2)/(2d) at d = 2 (and
    3) are refuted by the d = 4, 6 fits; the registered claim is verified at smoke."""
    claim = get_claim("weight-pruning-logarithmic")
    d, L = th.d, th.LOG10_2
    assert check_claim(claim, ctx, skip=("symbolic",)).status == VERIFIED
    for wrong in (-L / d**2, -L / (d + 2), -L / (d**2 - 3 * d + 6)):
        mutant = claim.mutate("slope", wrong, str(wrong))
        assert rr._weight_rate(mutant, ctx).status == REFUTED, wrong
    evidence = rr._weight_rate(claim, ctx).evidence
    assert max(evidence["relative_ci_widths"]) <= evidence["max_rel_ci_width"]


@pytest.mark.slow
def test_weight_bound_is_tight_and_its_half_is_refuted(ctx):
    claim = get_claim("weight-pruning-logarithmic")
    r = rr._weight_exact(claim, ctx)
    assert r.status == VERIFIED and r.evidence["tightness"]["tight_family"] == pytest.approx(1)
    half = claim.mutate("bound", claim.expressions["bound"] * sp.Rational(1, 2), "bound x 0.5")
    assert rr._weight_exact(half, ctx).status == REFUTED


@pytest.mark.slow
def test_inverse_n_reads_its_max_ci_width_from_the_claim(ctx):
    """At smoke both architectures' CIs are wider than 0.8 (underpowered); a claim declaring a
    huge maximum width makes the same data decisive -- the route reads the claim's threshold."""
    from pruneproof.verify.separation import routes
    claim = get_claim("neuron-pruning-inverse-n")
    assert routes._inverse_n(claim, ctx).status == "underpowered"
    wide = claim.mutate("max_ci_width", sp.Integer(100), "max_ci_width 100")
    assert routes._inverse_n(wide, ctx).status in ("supported", "not supported")
    assert math.isclose(routes._inverse_n(wide, ctx).evidence["max_ci_width"], 100)
