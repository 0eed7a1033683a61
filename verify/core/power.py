"""Measured verification power: which false versions of a theorem do its routes refute?

"Verified" is only worth the wrong statements it would have caught.  :func:`mutants` builds
perturbed copies of a claim from the roles of its expressions (``Claim.roles``):

* ``upper-bound`` -- the expression times (1 - s), s in :data:`SCALES`, and each multiplicative
  factor dropped in turn;
* ``lower-bound`` -- the expression times (1 + s), and each factor dropped in turn;
* ``exact`` -- the expression times (1 + s) and (1 - s);
* ``rate`` / ``rate-upper`` / ``rate-lower`` -- shifted by +-s relative (times (1 +- s));
* ``definition`` -- not perturbed (it is compared only inside the expressions that contain it).

Each mutant is checked through the same routes as the claim (``check_claim`` on the modified
:class:`~pruneproof.theory.claims.Claim`; the symbolic route is skipped: its derivation concludes
the registered expression, so it can only report a mutant as "not what was derived").  A mutant
is *detected* when some non-symbolic route refutes it.  The claim's **power** is the smallest
detected relative perturbation.

The goal (enforced by the tests at the smoke budget): every s = 0.5 mutant, every dropped factor
whose removal makes the statement false, and every perturbed exact value (s = 0.1 too) is refuted
by at least one non-symbolic route -- unless it is a documented exception
(:data:`pruneproof.theory.exceptions.LOOSE`), listed with its measured slack.

Which dropped factors make the statement false is decided from the factor, not from the data:
for an upper bound, dropping a factor f that sympy proves <= 1 on the symbols' assumptions only
loosens the bound (e.g. 1/c with c a positive integer), so it is not required to be refuted;
every other dropped factor is (likewise >= 1 for lower bounds).
"""
from __future__ import annotations

from dataclasses import dataclass

import sympy

from pruneproof.theory.claims import Claim

from .verdicts import REFUTED, CheckContext, check_claim, resolve_claim

SCALES = (0.5, 0.25, 0.1)
GOAL_SCALE = 0.5
BOUND_ROLES = ("upper-bound", "lower-bound")
RATE_ROLES = ("rate", "rate-upper", "rate-lower")


@dataclass(frozen=True)
class Mutant:
    """A perturbed copy of a claim and what the goal expects of the routes."""

    claim: Claim
    expression: str
    kind: str          # "scale", "shift" or "drop-factor"
    s: float | None    # relative size of the perturbation (None for a dropped factor)
    description: str
    must_refute: bool  # part of the power goal


def _factors(expr: sympy.Expr) -> list[sympy.Expr]:
    """The multiplicative factors of ``expr`` (numeric coefficient included, -1 excluded)."""
    if not isinstance(expr, sympy.Mul):
        return []
    return [f for f in expr.args if f != -1]


def _domain_samples(parameter) -> list[float]:
    """Points of a declared parameter domain (ends, interior, large values)."""
    low = parameter.low if parameter.low is not None else -1e6
    high = parameter.high if parameter.high is not None else 1e6
    points = [low, high, (low + high) / 2, low + 1e-9, high - 1e-9]
    points += [x for x in (1e-6, 1e-3, 0.1, 0.5, 0.9, 0.999, 1.0, 2.0, 3.0, 10.0, 1e3)
               if low <= x <= high]
    return [x for x in points if parameter.contains(x)]


def _drop_makes_false(factor: sympy.Expr, role: str, claim: Claim) -> bool:
    """Dropping ``factor`` from an upper bound gives bound/factor: a loosening when factor <= 1
    everywhere (then not required to be refuted); likewise factor >= 1 for a lower bound.
    "Everywhere" is proved by sympy on the symbols' assumptions, or checked on a grid of the
    claim's declared parameter domains when every symbol of the factor has one; otherwise the
    drop is required to be refuted."""
    gap = (1 - factor) if role == "upper-bound" else (factor - 1)
    try:
        if sympy.simplify(gap).is_nonnegative:
            return False
    except Exception:  # noqa: BLE001 - undecidable symbolically: try the domains
        pass
    symbols = sorted(gap.free_symbols, key=lambda s: s.name)
    domains = {p.name: p for p in claim.parameters}
    if not symbols or any(s.name not in domains for s in symbols):
        return True
    import itertools
    fn = sympy.lambdify(symbols, gap, "math")
    for point in itertools.product(*(_domain_samples(domains[s.name]) for s in symbols)):
        try:
            value = float(fn(*point))
        except (ValueError, ZeroDivisionError, OverflowError):
            continue
        if value < -1e-12:
            return True
    return False


def mutants(claim: Claim) -> list[Mutant]:
    """Every perturbed copy of ``claim`` that :mod:`power` checks (see the module docstring)."""
    from pruneproof.theory.exceptions import is_exception

    out: list[Mutant] = []
    for name, role in claim.roles.items():
        expr = claim.expressions[name]
        if role == "definition":
            continue
        if role in BOUND_ROLES:
            sign = -1 if role == "upper-bound" else 1
            for s in SCALES:
                factor = sympy.Rational(1) + sign * sympy.nsimplify(s)
                out.append(Mutant(claim.mutate(name, expr * factor, f"{name} x {float(factor):g}"),
                                  name, "scale", s, f"{name} x {float(factor):g}",
                                  s >= GOAL_SCALE and not is_exception(claim.id, name, "scale")))
            for f in _factors(expr):
                dropped = sympy.Mul(*[g for g in expr.args if g is not f])
                desc = f"{name} without factor {sympy.sstr(f)}"
                out.append(Mutant(claim.mutate(name, dropped, desc), name, "drop-factor", None,
                                  desc, _drop_makes_false(f, role, claim)
                                  and not is_exception(claim.id, name, "drop-factor")))
        elif role == "exact":
            for s in SCALES:
                for sign in (1, -1):
                    factor = sympy.Rational(1) + sign * sympy.nsimplify(s)
                    desc = f"{name} x {float(factor):g}"
                    out.append(Mutant(claim.mutate(name, expr * factor, desc), name, "scale", s,
                                      desc, not is_exception(claim.id, name, "scale")))
        elif role in RATE_ROLES:
            for s in SCALES:
                for sign in (1, -1):
                    factor = sympy.Rational(1) + sign * sympy.nsimplify(s)
                    desc = f"{name} shifted by {sign * s:+g} relative"
                    out.append(Mutant(claim.mutate(name, expr * factor, desc), name, "shift", s,
                                      desc, s >= GOAL_SCALE
                                      and not is_exception(claim.id, name, "shift")))
    return out


@dataclass
class MutantResult:
    mutant: Mutant
    status: str
    refuted_by: list[str]
    seconds: float

    @property
    def detected(self) -> bool:
        return bool(self.refuted_by)

    def as_dict(self) -> dict:
        m = self.mutant
        return {"mutant": m.description, "expression": m.expression, "kind": m.kind, "s": m.s,
                "must_refute": m.must_refute, "status": self.status,
                "refuted_by": self.refuted_by, "detected": self.detected,
                "seconds": round(self.seconds, 3)}


@dataclass
class PowerResult:
    claim: Claim
    results: list[MutantResult]

    @property
    def missed(self) -> list[MutantResult]:
        """Mutants the goal requires to be refuted that no non-symbolic route refuted."""
        return [r for r in self.results if r.mutant.must_refute and not r.detected]

    @property
    def goal_met(self) -> bool:
        return not self.missed

    def power(self) -> dict:
        """Per expression: the smallest relative perturbation detected (None if none was)."""
        out: dict[str, float | None] = {}
        for r in self.results:
            name = r.mutant.expression
            out.setdefault(name, None)
            if r.detected and r.mutant.s is not None:
                out[name] = r.mutant.s if out[name] is None else min(out[name], r.mutant.s)
        return out

    def by_route(self) -> dict:
        """Per route: how many mutants it refuted."""
        counts: dict[str, int] = {}
        for r in self.results:
            for route_name in r.refuted_by:
                counts[route_name] = counts.get(route_name, 0) + 1
        return counts

    def summary(self) -> str:
        detected = sum(r.detected for r in self.results)
        power = ", ".join(f"{k}: {'none' if v is None else f'{v:g}'}"
                          for k, v in self.power().items())
        goal = "goal met" if self.goal_met else \
            f"goal NOT met ({len(self.missed)} required mutant(s) not refuted)"
        return (f"{detected}/{len(self.results)} mutants refuted; smallest detected "
                f"perturbation: {power or 'n/a'}; {goal}")

    def as_dict(self) -> dict:
        return {"id": self.claim.id, "summary": self.summary(), "goal_met": self.goal_met,
                "power": self.power(), "by_route": self.by_route(),
                "mutants": [r.as_dict() for r in self.results]}


def measure_power(claim, ctx: CheckContext) -> PowerResult:
    """Check every mutant of ``claim`` (an id or a Claim) by its non-symbolic routes."""
    import time
    claim = resolve_claim(claim)
    results = []
    for mutant in mutants(claim):
        start = time.perf_counter()
        checked = check_claim(mutant.claim, ctx, skip=("symbolic",))
        refuted_by = [r.route for r in checked.routes if r.status == REFUTED]
        results.append(MutantResult(mutant, checked.status, refuted_by,
                                    time.perf_counter() - start))
    return PowerResult(claim, results)


def code_digest() -> str:
    """SHA-256 (16 hex digits) of every source file of :mod:`pruneproof` (theory and verify):
    a power measurement is current only for the code it was measured on."""
    import hashlib
    from pathlib import Path

    import pruneproof.theory
    import pruneproof.verify
    digest = hashlib.sha256()
    for package in (pruneproof.theory, pruneproof.verify):
        root = Path(package.__file__).parent
        for path in sorted(root.rglob("*.py")):
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def power_entries(results: list, budget: str, seed: int) -> dict:
    """``power.json`` entries (by claim id) for ``results``, stamped with the code digest."""
    digest = code_digest()
    return {r.claim.id: r.as_dict() | {"budget": budget, "seed": seed, "code": digest}
            for r in results}


def load_power(path) -> dict:
    """The entries of a ``power.json`` (empty if absent or unreadable), each marked
    ``current`` when measured on this exact code."""
    import json
    from pathlib import Path
    try:
        claims = json.loads(Path(path).read_text()).get("claims", {})
    except (FileNotFoundError, json.JSONDecodeError, AttributeError):
        return {}
    if not isinstance(claims, dict):
        return {}
    digest = code_digest()
    return {cid: dict(entry, current=entry.get("code") == digest) for cid, entry in claims.items()}


def merge_power(path, entries: dict) -> None:
    """Merge ``entries`` into ``power.json`` (by claim id), written atomically."""
    import json
    from pathlib import Path

    from .engine import atomic_write_text
    try:
        claims = json.loads(Path(path).read_text()).get("claims", {})
        claims = claims if isinstance(claims, dict) else {}
    except (FileNotFoundError, json.JSONDecodeError, AttributeError):
        claims = {}
    claims.update(entries)
    atomic_write_text(Path(path), json.dumps({"claims": dict(sorted(claims.items()))},
                                             indent=1, default=str) + "\n")
