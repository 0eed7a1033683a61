"""Step-by-step symbolic derivations, each step checked by sympy.

A :class:`Step` asserts ``lhs == rhs``, ``lhs <= rhs`` or ``lhs >= rhs``.  It is checked as follows:

* equality: ``sympy.simplify(lhs - rhs) == 0`` proves it;
* inequality: the gap ``g = rhs - lhs`` (or ``lhs - rhs`` for ``>=``) is proved non-negative either
  through an explicit ``witness`` (an expression sympy can see is non-negative, with
  ``simplify(g - witness) == 0``) or because sympy decides ``simplify(g).is_nonnegative``.

When sympy cannot decide, the step is evaluated numerically at seeded points drawn from the
symbols' assumptions: a violation is a *counterexample* (the step is refuted); otherwise the step
is *undecided* (inconclusive, never silently "proved").

A step marked ``premise=True`` -- an assumption, or an argument made in prose that sympy does not
check -- is shown as a **premise** and never counted as proved; so is a step whose two sides are
the same expression (it restates its conclusion).  A step with ``concludes="name"`` ends the
derivation of the claim's registered expression ``name``: its right-hand side must *be* that
expression (structural equality), so the symbolic route proves what the other routes test.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import sympy

PROVED = "proved"
REFUTED = "refuted"
UNDECIDED = "undecided"
PREMISE = "premise"
RELATIONS = ("==", "<=", ">=")


@dataclass(frozen=True)
class Step:
    description: str
    lhs: sympy.Expr
    rhs: sympy.Expr
    relation: str = "=="
    witness: sympy.Expr | None = None
    justification: str = ""
    premise: bool = False
    concludes: str | None = None

    def __post_init__(self):
        if self.relation not in RELATIONS:
            raise ValueError(f"relation must be one of {RELATIONS}, got {self.relation!r}")


@dataclass(frozen=True)
class Derivation:
    claim_id: str
    title: str
    steps: tuple[Step, ...]
    notes: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class StepCheck:
    step: Step
    outcome: str
    detail: str


def _gap(step: Step) -> sympy.Expr:
    if step.relation == "==":
        return step.lhs - step.rhs
    if step.relation == "<=":
        return step.rhs - step.lhs
    return step.lhs - step.rhs


def _sample_value(symbol: sympy.Symbol, rng: np.random.Generator):
    if symbol.is_integer:
        low = 1 if symbol.is_positive else (0 if symbol.is_nonnegative else -5)
        return sympy.Integer(int(rng.integers(low, 7)))
    if symbol.is_positive or symbol.is_nonnegative:
        return sympy.Rational(int(rng.integers(1, 400)), 97)
    return sympy.Rational(int(rng.integers(-400, 400)), 97)


def _numeric_search(gap: sympy.Expr, equality: bool, points: int = 24, seed: int = 0):
    """Evaluate ``gap`` at seeded rational points; return a counterexample dict or ``None``."""
    rng = np.random.default_rng(seed)
    symbols = sorted(gap.free_symbols, key=lambda s: s.name)
    for _ in range(points):
        subs = {s: _sample_value(s, rng) for s in symbols}
        try:
            value = complex(sympy.N(gap.subs(subs), 30))
        except (TypeError, ValueError, ZeroDivisionError):
            continue
        if not np.isfinite(value.real) or abs(value.imag) > 1e-20:
            continue
        bad = abs(value.real) > 1e-20 if equality else value.real < -1e-20
        if bad:
            return {str(k): str(v) for k, v in subs.items()} | {"gap": f"{value.real:.6g}"}
    return None


def check_step(step: Step) -> StepCheck:
    """Check one step; see the module docstring for what each outcome means."""
    if step.premise:
        return StepCheck(step, PREMISE, "premise: assumed (or argued in prose), not proved by sympy")
    if _same(step.lhs, step.rhs):
        return StepCheck(step, PREMISE, "restates its conclusion (both sides are the same "
                                        "expression): a premise, not a proof")
    gap = _gap(step)
    if isinstance(gap, sympy.MatrixBase):
        if step.relation != "==":
            raise ValueError("matrix steps must be equalities")
        entries = [sympy.simplify(e) for e in gap]
        if all(e == 0 for e in entries):
            return StepCheck(step, PROVED, "simplify(lhs - rhs) == 0 entrywise")
        gap = sum(e**2 for e in entries)
    simplified = sympy.simplify(gap)
    if step.relation == "==":
        if simplified == 0:
            return StepCheck(step, PROVED, "simplify(lhs - rhs) == 0")
    else:
        if step.witness is not None:
            if step.witness.is_nonnegative and sympy.simplify(gap - step.witness) == 0:
                return StepCheck(step, PROVED, f"gap == witness {step.witness} >= 0")
        elif simplified.is_nonnegative:
            return StepCheck(step, PROVED, "simplify(gap).is_nonnegative")
    counterexample = _numeric_search(gap, equality=step.relation == "==")
    if counterexample is not None:
        return StepCheck(step, REFUTED, f"counterexample {counterexample}")
    return StepCheck(step, UNDECIDED, f"sympy could not decide; gap simplifies to {simplified}")


def _same(a, b) -> bool:
    try:
        return bool(a == b)
    except Exception:  # noqa: BLE001 - matrices of different shapes etc.
        return False


def conclusions(derivation: Derivation, expressions) -> dict:
    """For each expression name concluded by a step: ``"reached"`` if that step's right-hand side
    is structurally the registered expression and the step is not a premise, ``"assumed"`` if it
    is a premise (or restates itself: an assumption is never a derivation), ``"differs"`` if its
    right-hand side is not the registered expression.  Names no step concludes are absent."""
    out = {}
    for step in derivation.steps:
        if step.concludes is not None:
            target = expressions.get(step.concludes)
            if target is None or not _same(step.rhs, target):
                out[step.concludes] = "differs"
            elif step.premise or _same(step.lhs, step.rhs):
                out.setdefault(step.concludes, "assumed")
            else:
                out[step.concludes] = "reached"
    return out


def check_derivation(derivation: Derivation) -> list[StepCheck]:
    return [check_step(s) for s in derivation.steps]


def render(derivation: Derivation, checks: list[StepCheck] | None = None) -> str:
    """Readable text of a derivation (for ``pruneproof explain``)."""
    lines = [derivation.title, "=" * len(derivation.title)]
    for i, step in enumerate(derivation.steps, 1):
        rel = {"==": "=", "<=": "<=", ">=": ">="}[step.relation]
        lines.append(f"\nStep {i}. {step.description}")
        lines.append("    " + sympy.pretty(step.lhs, use_unicode=False).replace("\n", "\n    "))
        lines.append(f"  {rel}")
        lines.append("    " + sympy.pretty(step.rhs, use_unicode=False).replace("\n", "\n    "))
        if step.justification:
            lines.append(f"  because: {step.justification}")
        if step.concludes:
            lines.append(f"  concludes the registered expression {step.concludes!r}")
        if checks is not None:
            lines.append(f"  [{checks[i - 1].outcome}] {checks[i - 1].detail}")
    for note in derivation.notes:
        lines.append(f"\nNote: {note}")
    return "\n".join(lines)
