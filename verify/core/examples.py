"""Worked examples for ``pruneproof explain CLAIM``: one small seeded instance per claim, the
claim's own expression evaluated on it (``claim.numeric``), the exact or simulated value it
speaks about, and their ratio.  For teaching, not checking (the routes check).

Each topic registers its examples in its own package (core names no topic)::

    @register_example("amm-beta-bound")
    def _beta(claim, rng):
        ...
        return {"instance": "A 6x8, B 8x5 Gaussian; c = 4, beta = 0.5",
                "rows": [example_row("bound", claim, "<=", claimed, observed, "exact")]}

``fn(claim, rng)`` receives the claim object (a perturbed copy evaluates *its* expressions) and a
seeded ``numpy.random.Generator``; it returns ``instance`` (text) and ``rows``, each made by
:func:`example_row`.
"""
from __future__ import annotations

import math
from typing import Callable

import numpy as np

_EXAMPLES: dict[str, Callable] = {}

#: how the observed value of a row was obtained
OBSERVED_KINDS = ("exact", "simulated", "fitted")
_RELATION_WORDS = {"<=": "the quantity is at most the claim's expression",
                   ">=": "the quantity is at least the claim's expression",
                   "==": "the quantity equals the claim's expression",
                   "~": "the fitted rate should match the claim's rate"}


def register_example(claim_id: str):
    """Decorator registering ``fn(claim, rng) -> dict`` as the worked example of ``claim_id``."""
    def decorate(fn):
        if claim_id in _EXAMPLES and _EXAMPLES[claim_id] is not fn:
            raise ValueError(f"duplicate example for claim {claim_id!r}")
        _EXAMPLES[claim_id] = fn
        return fn
    return decorate


def has_example(claim_id: str) -> bool:
    from .registry import load_topics
    load_topics()
    return claim_id in _EXAMPLES


def example_ids() -> list[str]:
    from .registry import load_topics
    load_topics()
    return list(_EXAMPLES)


def example_row(name: str, claim, relation: str, claimed: float, observed: float,
                observed_kind: str, quantity: str = "") -> dict:
    """One line of a worked example: the claim's expression ``name`` evaluated (``claimed``)
    against the ``observed`` value (``observed_kind``: exact, simulated or fitted)."""
    if relation not in _RELATION_WORDS:
        raise ValueError(f"relation must be one of {tuple(_RELATION_WORDS)}, got {relation!r}")
    if observed_kind not in OBSERVED_KINDS:
        raise ValueError(f"observed_kind must be one of {OBSERVED_KINDS}, got {observed_kind!r}")
    claimed, observed = float(claimed), float(observed)
    ratio = observed / claimed if claimed != 0 else (1.0 if observed == 0 else math.inf)
    return {"expression": name, "expression_text": str(claim.expressions[name]),
            "role": claim.roles[name], "relation": relation, "quantity": quantity,
            "claimed": claimed, "observed": observed, "observed_kind": observed_kind,
            "ratio": ratio}


def run_example(claim, seed: int = 0) -> dict | None:
    """The worked example of ``claim`` (an id or a Claim) on a generator seeded with ``seed``;
    ``None`` when the claim has none."""
    from pruneproof.theory.claims import Claim, get_claim
    from .registry import load_topics
    load_topics()
    claim = claim if isinstance(claim, Claim) else get_claim(claim)
    fn = _EXAMPLES.get(claim.id)
    if fn is None:
        return None
    out = dict(fn(claim, np.random.default_rng(seed)))
    if "instance" not in out or not out.get("rows"):
        raise ValueError(f"example of {claim.id!r} must return 'instance' and non-empty 'rows'")
    return {"claim": claim.id, "seed": seed, **out}


def _num(x: float) -> str:
    return f"{x:.6g}" if math.isfinite(x) else str(x)


def format_example(example: dict | None) -> str:
    """Readable text of a worked example (``pruneproof explain``)."""
    if example is None:
        return "Worked example: none registered for this claim."
    lines = [f"Worked example (seed {example['seed']})", "-" * 24,
             f"Instance: {example['instance']}"]
    for r in example["rows"]:
        what = r["quantity"] or "the quantity"
        lines += ["",
                  f"  {r['expression']} ({r['role']}) = {r['expression_text']}",
                  f"    claim's expression on this instance: {_num(r['claimed'])}",
                  f"    {what} ({r['observed_kind']}): {_num(r['observed'])}",
                  f"    ratio observed / claimed = {_num(r['ratio'])}   "
                  f"[{_RELATION_WORDS[r['relation']]}]"]
    for note in example.get("notes", ()):
        lines.append(f"\n  Note: {note}")
    return "\n".join(lines)


def explain_payload(claim_id: str, seed: int = 0) -> dict:
    """Everything ``pruneproof explain`` shows: the claim, its derivation with each step's check
    (premises marked) and the worked example (JSON-able; ``--json`` prints it)."""
    from pruneproof.theory.claims import get_claim
    from pruneproof.theory.derivation import check_derivation
    from .registry import load_topics
    load_topics()
    claim = get_claim(claim_id)
    derivation = claim.derivation() if claim.derivation is not None else None
    checks = check_derivation(derivation) if derivation is not None else []
    steps = [] if derivation is None else [
        {"description": s.description, "lhs": str(s.lhs), "rhs": str(s.rhs),
         "relation": s.relation, "outcome": c.outcome, "detail": c.detail,
         "premise": c.outcome == "premise", "concludes": s.concludes,
         "justification": s.justification} for s, c in zip(derivation.steps, checks)]
    return {"id": claim.id, "title": claim.title, "kind": claim.kind,
            "statement": claim.statement_text, "latex": claim.statement_latex,
            "source": claim.source, "evidence": claim.evidence, "spec": claim.spec_ref,
            "assumptions": list(claim.assumptions), "derivation": steps,
            "_derivation": (derivation, checks), "example": run_example(claim, seed)}


def format_explain(payload: dict) -> str:
    from pruneproof.theory.derivation import render
    lines = [f"{payload['id']}: {payload['title']} ({payload['kind']})", "",
             f"Statement: {payload['statement']}", f"Source:    {payload['source']}",
             f"Evidence:  [{payload['evidence']}]   spec: {payload['spec']}", "Assumptions:"]
    lines += [f"  - {a}" for a in payload["assumptions"]]
    derivation, checks = payload["_derivation"]
    if derivation is None:
        lines += ["", "(no symbolic derivation: this claim is checked by exact and Monte Carlo "
                      "routes)"]
    else:
        lines += ["", render(derivation, checks)]
    return "\n".join(lines + ["", format_example(payload["example"])])
