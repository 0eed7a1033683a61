"""Checking claims: each claim has one or more *routes* (symbolic, exact, Monte Carlo) that must
agree.

A route is a function ``route(ctx: CheckContext) -> RouteResult`` registered with
``@route("claim-id", "symbolic")``.  A claim's status combines its routes:

* theorem: ``refuted`` if any route is refuted; ``verified`` if every route is verified;
  ``inconclusive`` otherwise (or if it has no route at all);
* hypothesis: ``supported`` / ``not supported`` if the routes agree on it, else ``inconclusive``.
"""
from __future__ import annotations

import time
import traceback
from dataclasses import dataclass, field
from typing import Callable

from pruneproof.theory.claims import Claim, get_claim

from .budgets import validate_budget
from .engine import Runner

VERIFIED, REFUTED, INCONCLUSIVE = "verified", "refuted", "inconclusive"
SUPPORTED, NOT_SUPPORTED, UNDERPOWERED = "supported", "not supported", "underpowered"
THEOREM_STATUSES = (VERIFIED, REFUTED, INCONCLUSIVE)
HYPOTHESIS_STATUSES = (SUPPORTED, NOT_SUPPORTED, UNDERPOWERED, INCONCLUSIVE)

@dataclass
class RouteResult:
    """One route's verdict with its evidence (JSON-able: numbers, strings, lists)."""

    route: str
    status: str
    summary: str
    evidence: dict = field(default_factory=dict)
    seconds: float = 0.0

    def as_dict(self) -> dict:
        return {"route": self.route, "status": self.status, "summary": self.summary,
                "seconds": round(self.seconds, 3), **self.evidence}


@dataclass
class ClaimResult:
    claim: Claim
    status: str
    routes: list[RouteResult]

    def as_dict(self) -> dict:
        c = self.claim
        return {"id": c.id, "kind": c.kind, "title": c.title, "status": self.status,
                "source": c.source, "evidence_tag": c.evidence,
                "statement": c.statement_text, "assumptions": list(c.assumptions),
                "routes": [r.as_dict() for r in self.routes]}


@dataclass
class CheckContext:
    """What a route needs: the budget name and the engine runner."""

    budget: str
    runner: Runner

    def __post_init__(self):
        validate_budget(self.budget)


_ROUTES: dict[str, list[tuple[str, Callable[[CheckContext], RouteResult]]]] = {}


def route(claim_id: str, name: str):
    """Decorator registering ``fn(ctx) -> RouteResult`` as route ``name`` of ``claim_id``."""
    def decorate(fn):
        _ROUTES.setdefault(claim_id, []).append((name, fn))
        return fn
    return decorate


def load_plugins() -> None:
    """Import every topic (registers claims, routes, figures and benchmarks)."""
    from .registry import load_topics
    load_topics()


def routes_for(claim_id: str) -> list[tuple[str, Callable]]:
    load_plugins()
    get_claim(claim_id)
    return list(_ROUTES.get(claim_id, []))


def theorem_verdict(verdicts) -> str:
    """refuted if any verdict is refuted, verified if all are verified, else inconclusive."""
    verdicts = list(verdicts)
    if REFUTED in verdicts:
        return REFUTED
    return VERIFIED if verdicts and set(verdicts) == {VERIFIED} else INCONCLUSIVE


def hypothesis_verdict(regime_verdicts, quantifier: str) -> str:
    """The one aggregator of a hypothesis tested per regime, applying its declared quantifier.

    * ``forall``: not supported if some regime is not supported; supported if every regime is;
    * ``exists``: supported if some regime is supported; not supported if every regime is not;
    * ``pooled``: the single pooled verdict.

    Otherwise (undecided regimes and no decisive one) the budget was too small to decide:
    ``underpowered``, never a verdict fixed before the data."""
    from pruneproof.theory.claims import QUANTIFIERS
    verdicts = list(regime_verdicts)
    if quantifier not in QUANTIFIERS:
        raise ValueError(f"quantifier must be one of {QUANTIFIERS}, got {quantifier!r}")
    if not verdicts:
        return UNDERPOWERED
    if quantifier == "pooled" and len(verdicts) != 1:
        raise ValueError(f"a pooled hypothesis has one verdict, got {len(verdicts)}")
    decisive, opposite = (NOT_SUPPORTED, SUPPORTED) if quantifier == "forall" else \
        (SUPPORTED, NOT_SUPPORTED)
    if decisive in verdicts:
        return decisive
    if all(v == opposite for v in verdicts):
        return opposite
    return UNDERPOWERED


def combine(claim: Claim, results: list[RouteResult]) -> str:
    statuses = {r.status for r in results}
    if claim.is_theorem:
        return theorem_verdict(statuses)
    if statuses == {SUPPORTED}:
        return SUPPORTED
    if statuses == {NOT_SUPPORTED}:
        return NOT_SUPPORTED
    if statuses == {UNDERPOWERED}:
        return UNDERPOWERED
    return INCONCLUSIVE


def resolve_claim(claim) -> Claim:
    """A :class:`Claim` from an id or a Claim (a perturbed copy keeps its id and its routes)."""
    load_plugins()
    if isinstance(claim, Claim):
        get_claim(claim.id)  # its routes are those of the registered claim with that id
        return claim
    if isinstance(claim, str):
        return get_claim(claim)
    raise TypeError(f"claim must be a claim id or a Claim, got {type(claim).__name__}")


def check_claim(claim, ctx: CheckContext, skip: tuple[str, ...] = ()) -> ClaimResult:
    """Run every route of ``claim`` (an id or a :class:`Claim`; each route receives the claim
    object and takes what it compares against from ``claim.expressions``), except the routes
    named in ``skip``.  A route that raises is reported as inconclusive with the error (a crash is
    never a pass)."""
    claim = resolve_claim(claim)
    results = []
    for name, fn in routes_for(claim.id):
        if name in skip:
            continue
        start = time.perf_counter()
        try:
            result = fn(claim, ctx)
        except Exception as exc:  # noqa: BLE001 - reported, never swallowed silently
            result = RouteResult(name, INCONCLUSIVE, f"route crashed: {exc!r}",
                                 {"traceback": traceback.format_exc(limit=5)})
        result.seconds = time.perf_counter() - start
        allowed = THEOREM_STATUSES if claim.is_theorem else HYPOTHESIS_STATUSES
        if result.status not in allowed:
            raise ValueError(f"route {claim.id}/{name} returned status {result.status!r}, "
                             f"expected one of {allowed}")
        results.append(result)
    return ClaimResult(claim, combine(claim, results), results)


def symbolic_route(claim: Claim, ctx: CheckContext | None = None) -> RouteResult:
    """The symbolic route shared by every claim with a derivation: each step checked by sympy
    (``theory.derivation.check_step``).

    verified if every step that is not a premise is proved and every conclusion reaches the
    claim's own registered expression; refuted if a step has a counterexample; inconclusive if
    sympy could not decide a step, if a concluding step derives something other than the claim's
    expression, or if the derivation concludes none of them.  Premises are listed, never counted
    as proved."""
    from pruneproof.theory.derivation import (
        PREMISE,
        PROVED,
        check_derivation,
        conclusions,
    )
    from pruneproof.theory.derivation import REFUTED as STEP_REFUTED
    if claim.derivation is None:
        return RouteResult("symbolic", INCONCLUSIVE, "no derivation registered")
    derivation = claim.derivation()
    checks = check_derivation(derivation)
    outcomes = [c.outcome for c in checks]
    reached = conclusions(derivation, claim.expressions)
    compared = [n for n, r in claim.roles.items() if r != "definition"]
    differs = sorted(n for n, v in reached.items() if v == "differs")
    assumed = sorted(n for n, v in reached.items() if v == "assumed")
    derived = sorted(n for n, v in reached.items() if v == "reached")
    proved_steps = [o for o in outcomes if o != PREMISE]
    if STEP_REFUTED in outcomes:
        status = REFUTED
    elif proved_steps and all(o == PROVED for o in proved_steps) and derived and not differs:
        status = VERIFIED
    else:
        status = INCONCLUSIVE
    if not claim.is_theorem:  # a hypothesis' derivation supports, it cannot settle the finding
        status = {VERIFIED: SUPPORTED, REFUTED: NOT_SUPPORTED}.get(status, INCONCLUSIVE)
    premises = outcomes.count(PREMISE)
    not_derived = sorted(n for n in compared if n not in reached)
    summary = (f"{outcomes.count(PROVED)}/{len(checks) - premises} derivation steps proved by "
               f"sympy" + (f", {premises} premise(s) assumed" if premises else "")
               + f"; derives {derived}")
    if assumed:
        summary += f"; assumed (premises, not derived): {assumed}"
    if differs:
        summary += f"; derives something other than the claim's {differs}"
    if not_derived:
        summary += f"; not derived symbolically: {not_derived}"
    return RouteResult("symbolic", status, summary,
                       {"steps": [{"step": c.step.description, "outcome": c.outcome,
                                   "detail": c.detail} for c in checks],
                        "conclusions": reached, "premises": premises})
