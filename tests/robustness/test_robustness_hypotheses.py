"""Issue 9 remainder: the E3 / E4 hypotheses (declared quantifier, decision rules, negative
controls) and the noise-fitting-bits / sanity-checks figures at smoke."""
import numpy as np
import pruneproof.verify.robustness  # noqa: F401 - registers claims, routes and figures
import pytest
from pruneproof.theory.claims import get_claim
from pruneproof.verify.core import stats
from pruneproof.verify.core.engine import Runner
from pruneproof.verify.core.figures import get_figure
from pruneproof.verify.core.verdicts import (
    NOT_SUPPORTED,
    SUPPORTED,
    CheckContext,
    check_claim,
)
from pruneproof.verify.robustness.certify import expected_max_normal
from pruneproof.verify.robustness.experiments import (
    SANITY_DEPENDENT,
    sanity_configs,
    sanity_trial,
)
from pruneproof.verify.robustness.routes_hypotheses import shuffle_case_verdict

NEW = ("data-dependent-masks-fit-noise", "shuffle-erases-mask-information")


@pytest.fixture(scope="module")
def ctx(tmp_path_factory):
    return CheckContext("smoke", Runner(cache_dir=tmp_path_factory.mktemp("rob-h"),
                                        progress=False))


@pytest.mark.parametrize("claim_id", NEW)
def test_quantifier_declared_in_the_claim(claim_id):
    claim = get_claim(claim_id)
    assert claim.quantifier == "forall" and "(forall)" in claim.statement_text


def test_e4_states_the_linear_model_caveat():
    text = " ".join(get_claim("shuffle-erases-mask-information").assumptions)
    assert "linear" in text and "does NOT replicate" in text and "reinit" in text


def test_expected_max_normal_closed_forms():
    assert abs(expected_max_normal(3) - 1.5 / np.sqrt(np.pi)) < 1e-9
    assert abs(expected_max_normal(4) - 1.0293753730039641) < 1e-9   # tabulated E max of 4


def test_masks_hypothesis_supported_and_envelope_bites(ctx):
    claim = get_claim("data-dependent-masks-fit-noise")
    assert check_claim(claim, ctx).status == SUPPORTED
    mutant = claim.mutate("envelope", claim.expressions["envelope"] * 3, "C = 3")
    assert check_claim(mutant, ctx).status == NOT_SUPPORTED


@pytest.mark.slow
def test_shuffle_hypothesis_supported_at_smoke(ctx):
    assert check_claim("shuffle-erases-mask-information", ctx).status == SUPPORTED


def test_shuffle_rule_rejects_unshuffled_data_dependent_masks(ctx):
    """Negative control: the declared rule applied to the ORIGINAL (unshuffled) data-dependent
    masks against the random level says not supported -- they sit far below it."""
    recs = ctx.runner.run(sanity_trial, sanity_configs("smoke"), "sanity checks")
    delta = float(get_claim("shuffle-erases-mask-information").numeric("tolerance")())
    for m in SANITY_DEPENDENT:
        for k in sorted({r["k"] for r in recs}):
            x = [r[f"{m}:original"] - r["random_level"] for r in recs if r["k"] == k]
            ci = stats.mean_ci(x, 1 - 1e-3 / 10)
            assert shuffle_case_verdict(ci, True, delta) == NOT_SUPPORTED, (m, k)


def test_shuffle_rule_edges():
    ci = stats.Interval(0.0, -0.1, 0.1, 0.99, 10, "t")
    assert shuffle_case_verdict(ci, True, 0.18) == SUPPORTED
    assert shuffle_case_verdict(ci, False, 0.18) == SUPPORTED
    far = stats.Interval(0.5, 0.3, 0.7, 0.99, 10, "t")
    assert shuffle_case_verdict(far, False, 0.18) == NOT_SUPPORTED
    assert shuffle_case_verdict(far, True, 0.18) == SUPPORTED        # above random is allowed


def test_noise_fitting_bits_table(ctx):
    t = get_figure("noise-fitting-bits").build(ctx)
    assert len({(a, b, c) for a, b, c in zip(t["n"], t["d"], t["L"])}) >= 4
    for M, E in zip(t["M"], t["E_max_normal"]):
        assert E == expected_max_normal(int(M))
    big = t["M"] >= 64
    assert np.all(t["E_max_normal"][big] < t["sqrt_2_log_M"][big])


def test_sanity_checks_table(ctx):
    t = get_figure("sanity-checks").build(ctx)
    mn = t["fit"] == "min-norm"
    for m in SANITY_DEPENDENT:
        s = mn & (t["method"] == m)
        orig = t["lip"][s & (t["variant"] == "original")]
        assert np.all(orig < t["lip"][s & (t["variant"] == "shuffled")])
        assert np.all(orig < t["lip"][s & (t["variant"] == "inverted")])


# --------------------------------------------------- wave 3: decision rules declared with the claims
def test_law_regime_rule_has_a_declared_width_limit():
    """E1's per-regime rule: CI excluding -1/2 -> not supported; containing it and at most
    max_ci_width (= 1/2, from the claim) wide -> supported; wider -> underpowered."""
    from pruneproof.verify.core.verdicts import UNDERPOWERED
    from pruneproof.verify.robustness.routes_hypotheses import law_regime_verdict
    claim = get_claim("law-of-robustness-slope")
    width = float(claim.numeric("max_ci_width")())
    assert width == 0.5 and "max_ci_width" in claim.decision_rule

    class Fit:
        def __init__(self, lo, hi):
            self.ci_low, self.ci_high = lo, hi

        def contains(self, v):
            return self.ci_low <= v <= self.ci_high
    assert law_regime_verdict(Fit(-0.7, -0.3), -0.5, width) == SUPPORTED
    assert law_regime_verdict(Fit(-1.5, 0.5), -0.5, width) == UNDERPOWERED   # wide: not support
    assert law_regime_verdict(Fit(-0.9, -0.6), -0.5, width) == NOT_SUPPORTED


def test_law_slope_underpowered_at_smoke_because_of_the_width_limit(ctx):
    """At smoke (seeds 5, 5 points) regime n=6, d=10 has a CI of width ~0.61 > 1/2 containing -1/2:
    underpowered; n=5, d=12 (width ~0.42) supported. Without the limit (width 1) both support."""
    import sympy as sp
    from pruneproof.verify.core.verdicts import UNDERPOWERED
    claim = get_claim("law-of-robustness-slope")
    r = check_claim(claim, ctx)
    regimes = r.routes[0].evidence["regimes"]
    assert {k: v["verdict"] for k, v in regimes.items()} == {"n=5,d=12": SUPPORTED,
                                                             "n=6,d=10": UNDERPOWERED}
    assert r.status == UNDERPOWERED
    assert check_claim(claim.mutate("max_ci_width", sp.Integer(1), "no width limit"),
                       ctx).status == SUPPORTED


def test_bits_thresholds_come_from_the_claim(ctx):
    """E2a at smoke: all 13 (d, M) cases underpowered (20 seeds: CIs wider than the +-15 % band);
    with a declared tolerance of 1/2 seven cases become supported -- the route reads the band
    from the claim."""
    import sympy as sp
    from pruneproof.verify.core.verdicts import UNDERPOWERED
    claim = get_claim("bits-buy-noise-fitting")
    assert float(claim.numeric("tolerance")()) == 0.15
    assert float(claim.numeric("logM_fraction")()) == 0.25
    r = check_claim(claim, ctx)
    cases = r.routes[0].evidence["cases"]
    assert r.status == UNDERPOWERED and len(cases) == 13
    assert all(c["verdict"] == UNDERPOWERED for c in cases)
    wide = check_claim(claim.mutate("tolerance", sp.Rational(1, 2), "tolerance 1/2"), ctx)
    assert sum(c["verdict"] == SUPPORTED for c in wide.routes[0].evidence["cases"]) == 7


def test_masks_envelope_constant_is_read_from_the_claim(ctx):
    import sympy as sp
    claim = get_claim("data-dependent-masks-fit-noise")
    assert float(claim.numeric("C")()) == 1 and float(claim.numeric("k_fraction")()) == 0.5
    assert check_claim(claim.mutate("C", sp.Integer(3), "C = 3"), ctx).status == NOT_SUPPORTED
    order = check_claim(claim, ctx).routes[0].evidence["ordering"]
    assert len(order) == 8 and all(c["verdict"] == SUPPORTED for c in order)   # k <= P/2 = 232.5
