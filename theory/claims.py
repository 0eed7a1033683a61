"""The claim registry: small declarative records of what pruneproof checks.

A :class:`Claim` carries its id, statement (LaTeX and plain text), assumptions, source and
evidence tag, the declared domains of its parameters, and the sympy expressions of its bound or
identity.  Numeric functions used by :mod:`verify` are generated from those expressions with
:func:`sympy.lambdify` (:meth:`Claim.numeric`), never retyped: one source of truth.

Two kinds of claim exist:

* ``theorem`` -- a derived identity or bound; its status is verified / refuted / inconclusive;
* ``hypothesis`` -- an empirical statement the toolkit tests; its status is
  supported / not supported / inconclusive, and is a finding, never a failure of the run.

None of the seed papers' full texts were available; every statement is restated or *derived
here* (see each claim's ``source``), never a quotation.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Callable, Mapping

import sympy

EVIDENCE_TAGS = ("read", "secondary", "recalled", "derived", "pilot")

#: Roles of registered expressions (``Claim.roles[name]``); they say what a route compares with
#: the expression and how ``pruneproof power`` perturbs it:
#:
#: * ``upper-bound`` -- the quantity is <= the expression (mutants: x (1 - s), factors dropped);
#: * ``lower-bound`` -- the quantity is >= the expression (mutants: x (1 + s), factors dropped);
#: * ``exact`` -- an identity / equality (mutants: x (1 +- s));
#: * ``rate`` -- a predicted rate or slope, two-sided: the fitted slope's interval must contain
#:   it (mutants: shifted by +-s relative);
#: * ``rate-upper`` / ``rate-lower`` -- one-sided rates: the true slope is at most / at least it;
#: * ``definition`` -- a named sub-expression of another registered expression (e.g. DKM's eta),
#:   evaluated by routes through the expression that contains it and never compared on its own.
ROLES = ("upper-bound", "lower-bound", "exact", "rate", "rate-upper", "rate-lower", "definition")
COMPARED_ROLES = tuple(r for r in ROLES if r != "definition")
THEOREM = "theorem"
HYPOTHESIS = "hypothesis"
KINDS = (THEOREM, HYPOTHESIS)

#: How a hypothesis tested per regime is decided, declared with the claim before data (one
#: aggregator applies it, :func:`pruneproof.verify.core.verdicts.hypothesis_verdict`):
#: ``forall`` -- the statement holds in every regime tested; ``exists`` -- in at least one;
#: ``pooled`` -- one test on data pooled over regimes.
QUANTIFIERS = ("forall", "exists", "pooled")


@dataclass(frozen=True)
class Parameter:
    """A declared parameter domain: ``low <= value <= high`` (open ends via ``*_open``)."""

    name: str
    symbol: str
    description: str
    low: float | None = None
    high: float | None = None
    low_open: bool = False
    high_open: bool = False
    integer: bool = False

    def describe(self) -> str:
        lo = "-inf" if self.low is None else f"{self.low:g}"
        hi = "inf" if self.high is None else f"{self.high:g}"
        left = "(" if (self.low_open or self.low is None) else "["
        right = ")" if (self.high_open or self.high is None) else "]"
        kind = "integer in " if self.integer else ""
        return f"{self.name} {kind}{left}{lo}, {hi}{right}"

    def contains(self, value: float) -> bool:
        if value != value:  # NaN
            return False
        if self.integer and float(value) != int(value):
            return False
        if self.low is not None and (value < self.low or (self.low_open and value == self.low)):
            return False
        if self.high is not None and (value > self.high or (self.high_open and value == self.high)):
            return False
        return True

    def validate(self, value: float) -> float:
        """Return ``value`` or raise ``ValueError`` naming the parameter and its valid range."""
        if not isinstance(value, (int, float)) and not hasattr(value, "__float__"):
            raise TypeError(f"{self.name} must be a number, got {type(value).__name__}")
        if not self.contains(float(value)):
            raise ValueError(f"{self.name} must be {self.describe()}, got {value!r}")
        return value


@dataclass(frozen=True)
class Claim:
    """One checkable statement.

    ``expressions`` maps names (e.g. ``"bound"``, ``"exact"``) to sympy expressions; ``derivation``
    is a zero-argument callable returning a :class:`theory.derivation.Derivation` whose every step
    sympy checks.
    """

    id: str
    title: str
    kind: str
    source: str
    evidence: str
    statement_latex: str
    statement_text: str
    assumptions: tuple[str, ...]
    parameters: tuple[Parameter, ...] = ()
    expressions: Mapping[str, sympy.Expr] = field(default_factory=dict)
    derivation: Callable[[], object] | None = None
    spec_ref: str = ""
    figures: tuple[str, ...] = ()
    roles: Mapping[str, str] = field(default_factory=dict)
    #: hypotheses only: ``forall``, ``exists`` or ``pooled`` (see :data:`QUANTIFIERS`)
    quantifier: str = ""
    #: hypotheses only: the decision rule per regime (test, level, thresholds, fit range, what
    #: makes a regime underpowered), declared with the claim before data; routes read their
    #: thresholds from ``expressions`` (role ``definition``) where they are numbers
    decision_rule: str = ""
    #: empty for a registered claim; a description ("bound x 0.5") for a perturbed copy made by
    #: :meth:`mutate` (``pruneproof power``)
    mutation: str = ""

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"claim {self.id!r}: kind must be one of {KINDS}, got {self.kind!r}")
        if not self.id or self.id != self.id.lower() or " " in self.id or "_" in self.id:
            raise ValueError(f"claim id must be kebab-case, got {self.id!r}")
        tags = tuple(t.strip(" []") for t in self.evidence.replace(",", "/").split("/"))
        if not tags or any(t not in EVIDENCE_TAGS for t in tags):
            raise ValueError(f"claim {self.id!r}: evidence must be tags from {EVIDENCE_TAGS} "
                             f"(joined by '/'), got {self.evidence!r}")
        object.__setattr__(self, "evidence", " / ".join(tags))
        if self.kind == HYPOTHESIS and self.quantifier not in QUANTIFIERS:
            raise ValueError(f"hypothesis {self.id!r} must declare its quantifier, one of "
                             f"{QUANTIFIERS}, got {self.quantifier!r}")
        if self.kind == THEOREM and self.quantifier:
            raise ValueError(f"theorem {self.id!r} takes no quantifier")
        missing = sorted(set(self.expressions) - set(self.roles))
        extra = sorted(set(self.roles) - set(self.expressions))
        if missing or extra:
            raise ValueError(f"claim {self.id!r}: every expression needs a role in roles "
                             f"(missing {missing}, unknown {extra})")
        bad = {k: v for k, v in self.roles.items() if v not in ROLES}
        if bad:
            raise ValueError(f"claim {self.id!r}: roles must be among {ROLES}, got {bad}")

    def mutate(self, name: str, expression: sympy.Expr, description: str) -> "Claim":
        """A copy of this claim whose expression ``name`` is replaced (same id, same routes):
        what ``pruneproof power`` checks to see whether the routes notice a false statement."""
        if name not in self.expressions:
            raise KeyError(f"claim {self.id!r} has no expression {name!r}")
        expressions = dict(self.expressions)
        expressions[name] = expression
        return replace(self, expressions=expressions, mutation=description)

    def role(self, name: str) -> str:
        return self.roles[name]

    @property
    def is_theorem(self) -> bool:
        return self.kind == THEOREM

    def parameter(self, name: str) -> Parameter:
        for p in self.parameters:
            if p.name == name:
                return p
        raise KeyError(f"claim {self.id!r} has no parameter {name!r}")

    @cached_property
    def _numeric(self) -> dict:
        return {}

    def numeric(self, name: str) -> Callable[..., float]:
        """A numpy function of the expression ``name``, called with keyword arguments named
        after its free symbols (generated by :func:`sympy.lambdify`, cached)."""
        if name not in self._numeric:
            expr = self.expressions[name]
            args = sorted(expr.free_symbols, key=lambda s: s.name)
            fn = sympy.lambdify(args, expr, "numpy")
            names = [a.name for a in args]

            def call(**kwargs):
                missing = set(names) - set(kwargs)
                if missing:
                    raise TypeError(f"{self.id}.{name} needs {sorted(missing)}")
                return fn(*(kwargs[n] for n in names))

            call.__doc__ = f"{self.id}: {name} = {expr}"
            self._numeric[name] = call
        return self._numeric[name]


_REGISTRY: dict[str, Claim] = {}


def register(claim: Claim) -> Claim:
    """Add ``claim`` to the registry (ids are unique)."""
    if claim.id in _REGISTRY and _REGISTRY[claim.id] is not claim:
        raise ValueError(f"duplicate claim id {claim.id!r}")
    _REGISTRY[claim.id] = claim
    return claim


def all_claims() -> list[Claim]:
    """Every registered claim, in registration order."""
    return list(_REGISTRY.values())


def get_claim(claim_id: str) -> Claim:
    """The claim with this id; ``ValueError`` listing the valid ids otherwise."""
    try:
        return _REGISTRY[claim_id]
    except KeyError:
        raise ValueError(
            f"unknown claim id {claim_id!r}; valid ids: {', '.join(_REGISTRY)}"
        ) from None
