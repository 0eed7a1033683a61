"""The robustness topic as claims: registration, symbolic routes, route verdicts at smoke, bad
inputs, negative controls through claim.mutate, and the power goal (slow)."""
import numpy as np
import pytest
import pruneproof.theory.robustness as T
import pruneproof.verify.robustness as R
from pruneproof.theory.exceptions import LOOSE
from pruneproof.verify.core.engine import Runner
from pruneproof.verify.core.power import measure_power
from pruneproof.verify.core.verdicts import (REFUTED, VERIFIED, CheckContext,
                                             check_claim, resolve_claim, symbolic_route)
from pruneproof.verify.robustness.certify import (binary_code_design, expected_max_normal,
                                                  lipschitz_upper_certificate)

THEOREMS = ("quadratic-form-lipschitz", "finite-class-noise-correlation",
            "sparse-law-of-robustness", "mask-information-bounds")


@pytest.fixture(scope="module")
def ctx(tmp_path_factory):
    return CheckContext("smoke", Runner(cache_dir=tmp_path_factory.mktemp("rob"), progress=False))


def test_public_api():
    assert set(R.__all__) == {"quadratic_lipschitz", "min_lipschitz_interpolator",
                              "bs_lipschitz_bound", "sparse_lipschitz_bound"}


@pytest.mark.parametrize("claim_id", THEOREMS)
def test_symbolic_routes_verified(claim_id):
    assert symbolic_route(resolve_claim(claim_id)).status == VERIFIED


def test_sparse_law_labelled_derived_here():
    assert "derived here" in T.SPARSE_LAW.source and "NOT" in T.SPARSE_LAW.source


@pytest.mark.parametrize("claim_id", ("quadratic-form-lipschitz", "mask-information-bounds",
                                      "finite-class-noise-correlation"))
def test_true_claims_verified(claim_id, ctx):
    result = check_claim(claim_id, ctx)
    assert result.status == VERIFIED, [(r.route, r.status, r.summary) for r in result.routes]


def test_sparse_law_not_refuted(ctx):
    assert check_claim("sparse-law-of-robustness", ctx).status != REFUTED


@pytest.mark.parametrize("factor", (0.9, 1.1, 1.001))
def test_quadratic_exact_refutes_scaled_formula(factor, ctx):
    claim = resolve_claim("quadratic-form-lipschitz")
    mutant = claim.mutate("lip", claim.expressions["lip"] * factor, f"x {factor}")
    assert check_claim(mutant, ctx, skip=("symbolic", "monte-carlo")).status == REFUTED


def test_quadratic_wrong_formula_refuted(ctx):
    claim = resolve_claim("quadratic-form-lipschitz")
    mutant = claim.mutate("lip", T.lam_max - T.lam_min / 2, "lam_max - lam_min/2")
    assert check_claim(mutant, ctx, skip=("symbolic",)).status == REFUTED


def test_mask_information_half_bound_refuted(ctx):
    claim = resolve_claim("mask-information-bounds")
    for name in ("kspar", "kspar_simple", "layer_counts", "best_of_m"):
        mutant = claim.mutate(name, claim.expressions[name] / 2, "half")
        assert check_claim(mutant, ctx, skip=("symbolic",)).status == REFUTED, name


def test_certificate_and_helpers():
    A = np.diag([3.0, -1.0, 0.5])
    assert abs(lipschitz_upper_certificate(A) - 4.0) < 1e-12
    assert abs(expected_max_normal(2) - 1 / np.sqrt(np.pi)) < 1e-9
    D = binary_code_design(3)
    assert D.shape == (3, 8) and len({tuple(c) for c in D.T}) == 8


@pytest.mark.parametrize("bad", [np.array([[1.0, 2.0], [0.0, 1.0]]), np.ones((2, 3))])
def test_bad_matrix_rejected(bad):
    with pytest.raises(ValueError):
        R.quadratic_lipschitz(bad)
    with pytest.raises(ValueError):
        lipschitz_upper_certificate(bad)


def test_bad_bound_inputs_rejected():
    with pytest.raises(ValueError):
        R.bs_lipschitz_bound(10, 5, 0.5, 0.5, 0.1, 1, 1, 1)      # p < 1
    with pytest.raises(ValueError):
        R.bs_lipschitz_bound(0, 5, 2, 0.5, 0.1, 1, 1, 1)        # n < 1
    with pytest.raises(ValueError):
        R.sparse_lipschitz_bound(10, 5, 0, 2, 1.5, 1, 1, 1)     # eps outside (0, 1)
    with pytest.raises(ValueError):
        R.bs_lipschitz_bound(10, 5, 2, 0.5, 1.0, 1, 1, 1)       # delta outside (0, 1)


def test_exceptions_documented_with_slack():
    for key, (kinds, text) in LOOSE.items():
        if key[0] in THEOREMS:
            assert kinds and "slack" in text.lower() or "max" in text.lower()


@pytest.mark.slow
@pytest.mark.parametrize("claim_id", THEOREMS)
def test_power_goal_met_at_smoke(claim_id, ctx):
    result = measure_power(claim_id, ctx)
    assert result.goal_met, [r.as_dict() for r in result.missed]
