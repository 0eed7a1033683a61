"""Claims of the paths topic (issue 8): every theorem verified at smoke by all its routes, the
power goal met at smoke, negative controls, and the figures build and plot."""
import pruneproof.theory.paths
import pruneproof.verify.paths  # noqa: F401 - registers routes, figures and benchmarks
import pytest
from pruneproof.theory.paths import R2
from pruneproof.verify.core.engine import Runner
from pruneproof.verify.core.power import measure_power
from pruneproof.verify.core.verdicts import (
    REFUTED,
    VERIFIED,
    CheckContext,
    check_claim,
    resolve_claim,
)

PATHS_THEOREMS = ("path-output-identity", "ntk-path-decomposition", "path-kernel-trace",
                  "synflow-path-norm", "synflow-conservation", "max-critical-compression")


@pytest.fixture(scope="module")
def ctx(tmp_path_factory):
    return CheckContext("smoke", Runner(cache_dir=tmp_path_factory.mktemp("paths-claims"),
                                        progress=False))


@pytest.mark.parametrize("claim_id", PATHS_THEOREMS)
def test_theorem_verified_by_every_route(claim_id, ctx):
    result = check_claim(claim_id, ctx)
    assert {r.route for r in result.routes} == {"symbolic", "exact", "monte-carlo"}
    assert result.status == VERIFIED, [(r.route, r.status, r.summary) for r in result.routes]


@pytest.mark.slow
@pytest.mark.parametrize("claim_id", PATHS_THEOREMS)
def test_power_goal_met_at_smoke(claim_id, ctx):
    result = measure_power(claim_id, ctx)
    assert result.goal_met, [r.as_dict() for r in result.missed]


def test_dropping_the_euler_factor_is_refuted(ctx):
    claim = resolve_claim("path-kernel-trace")
    mutant = claim.mutate("euler", R2, "euler without factor L")
    result = check_claim(mutant, ctx, skip=("symbolic",))
    assert {r.route: r.status for r in result.routes} == {"exact": REFUTED,
                                                         "monte-carlo": REFUTED}


def test_symbolic_route_inconclusive_for_a_wrong_formula(ctx):
    claim = resolve_claim("max-critical-compression")
    mutant = claim.mutate("rho_max", claim.expressions["rho_max"] * 2, "rho_max x 2")
    result = check_claim(mutant, ctx)
    statuses = {r.route: r.status for r in result.routes}
    assert statuses["symbolic"] != VERIFIED and statuses["exact"] == REFUTED


def test_negative_controls_fail_conservation_and_magnitude_collapses_early(ctx):
    result = check_claim("synflow-conservation", ctx, skip=("symbolic",))
    for r in result.routes:
        assert r.evidence["controls_fail"] and r.evidence["conserving_ok"]
        for method in ("magnitude", "synflow-l2-author-code", "synflow-l2-third-party"):
            assert r.evidence["methods"][method]["min_neuron"] > 1e-6
    comp = check_claim("max-critical-compression", ctx, skip=("symbolic",))
    assert any(net["magnitude_collapsed_early"] for r in comp.routes
               for net in r.evidence["nets"])


@pytest.mark.parametrize("name", ["layer-collapse", "synflow-conservation"])
def test_figure_builds_and_plots(name, ctx, tmp_path):
    from pruneproof.verify.core.figures import get_figure, render
    spec = get_figure(name)
    table = spec.build(ctx)
    paths = render(spec, table, tmp_path)
    assert all(p.exists() and p.stat().st_size > 0 for p in paths)


def test_layer_collapse_figure_shows_single_shot_collapse_and_iterative_survival(ctx):
    from pruneproof.verify.core.figures import get_figure
    table = get_figure("layer-collapse").build(ctx)
    collapsed = {m: bool(any(c for mm, c in zip(table["method"], table["collapsed"]) if mm == m))
                 for m in set(table["method"])}
    assert collapsed["synflow"] and collapsed["magnitude"]
    assert not collapsed["synflow-iterative"]


def test_single_shot_collapse_hypothesis_is_supported_on_every_seed(ctx):
    """At the seeded smoke budget (3 seeds) every seed has single-shot SynFlow emptying a layer
    below rho_max on the claim's grid and iterative SynFlow keeping every layer."""
    from pruneproof.verify.core.verdicts import SUPPORTED
    claim = resolve_claim("single-shot-collapse")
    assert claim.quantifier == "forall" and not claim.is_theorem
    assert "forall" in claim.decision_rule.lower() or "every seed" in claim.decision_rule
    result = check_claim(claim, ctx)
    assert result.status == SUPPORTED
    route = result.routes[0]
    assert route.evidence["alphas"] == [0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 3.75]
    seeds = route.evidence["seeds"]
    assert [s["seed"] for s in seeds] == [100, 101, 102]
    for s in seeds:
        assert s["verdict"] == SUPPORTED and s["iterative_survives"]
        assert 10 ** s["single_shot_first_collapse_alpha"] < s["rho_max"] == 5760.0
        assert any(s["emptied_layers"])


def test_single_shot_collapse_rule_can_say_not_supported(ctx):
    """Negative control: single-shot SynFlow first empties a layer at alpha = 1 (10x) on every
    smoke seed; with rho_max declared 1000x smaller (5.76 = 10^0.76) only alpha = 0.5 lies below
    it, no layer is emptied there, and the same rule says not supported."""
    from pruneproof.verify.core.verdicts import NOT_SUPPORTED
    claim = resolve_claim("single-shot-collapse")
    mutant = claim.mutate("rho_max", claim.expressions["rho_max"] / 1000, "rho_max / 1000")
    result = check_claim(mutant, ctx)
    assert result.status == NOT_SUPPORTED
    assert all(s["single_shot_first_collapse_alpha"] is None
               for s in result.routes[0].evidence["seeds"])


def test_euler_depth_dependent_mutant_is_refuted(ctx):
    """Euler's L R_2 is checked at depths L = 2, 3, 4, 6, 7: a mutant equal to L R_2 at L = 2, 3, 4
    (L (1 + (L-2)(L-3)(L-4)/L^3) R_2) differs at L = 6, 7 and must be refuted by the exact route."""
    from pruneproof.theory.paths import L
    claim = resolve_claim("path-kernel-trace")
    wrong = L * (1 + (L - 2) * (L - 3) * (L - 4) / L**3) * R2
    for depth in (2, 3, 4):
        assert float(wrong.subs({L: depth, R2: 1})) == depth
    result = check_claim(claim.mutate("euler", wrong, "depth-dependent Euler"), ctx,
                         skip=("symbolic",))
    statuses = {r.route: r.status for r in result.routes}
    assert statuses["exact"] == REFUTED
    exact = next(r for r in check_claim(claim, ctx, skip=("symbolic",)).routes
                 if r.route == "exact")
    assert len(exact.evidence["depths"]) >= 3 and max(exact.evidence["depths"]) >= 6
