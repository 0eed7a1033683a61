"""Conformance: properties every pruning score and pruning pipeline should have (spec paths 5.2).

:func:`conformance` runs them on any ``score_fn(weights, rng) -> list of arrays``. Properties of
the *pipeline* (exact counts, monotone support, shuffling) use the injectable ``mask_fn``,
``round_fn`` and ``shuffle_fn`` (ours by default), so a buggy component is caught too (see
:mod:`.buggy`). Properties that only some methods have (conservation, per-layer rescaling
invariance, positivity) are always measured but REQUIRED only when the caller says the method
claims them; :data:`METHOD_CLAIMS` lists the claims of the methods of :mod:`.scores`.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .masks import (
    kept_count,
    prune_mask,
    prune_round,
    schedule_densities,
    shuffle_masks,
)
from .network import apply_masks, layer_sizes, random_network, validate_weights
from .scores import NEEDS, conservation_violation, layer_totals, make_score_fn

DEFAULT_SIZES = (8, 32, 16, 32, 4)
_ALL = {"claims_conservation": True, "claims_rescaling": True, "claims_positive": True}
_POS = {"claims_positive": True}
#: Claims of each method (synflow-dist: for nonnegative input means, as with image data).
METHOD_CLAIMS = {
    "random": {"claims_rescaling": True}, "magnitude": {}, "snip": {}, "grasp": {},
    "synflow": _ALL, "synflow-dist": _ALL, "synflow-l2/saliency": _ALL,
    "synflow-l2/author-code": _POS, "synflow-l2/third-party": _POS,
    "ntk-sketch": {"claims_rescaling": True},
}


@dataclass(frozen=True)
class PropertyResult:
    """One property: ``passed``; ``required`` (does it count towards the report's verdict);
    a human-readable ``detail``; a ``counterexample`` (a small dict) or None."""
    name: str
    passed: bool
    required: bool
    detail: str
    counterexample: dict | None = None


@dataclass(frozen=True)
class ConformanceReport:
    """All property results; ``passed`` iff every required property passed."""
    scorer: str
    properties: tuple

    @property
    def passed(self) -> bool:
        return all(p.passed for p in self.properties if p.required)

    def __getitem__(self, name: str) -> PropertyResult:
        for p in self.properties:
            if p.name == name:
                return p
        raise KeyError(f"no property {name!r}; have {[p.name for p in self.properties]}")

    def failures(self) -> list[PropertyResult]:
        return [p for p in self.properties if p.required and not p.passed]

    def __str__(self) -> str:
        rows = [f"conformance of {self.scorer}: {'PASS' if self.passed else 'FAIL'}"]
        for p in self.properties:
            tag = ("ok  " if p.passed else "FAIL") if p.required else ("(ok)" if p.passed else "(--)")
            rows.append(f"  {tag} {p.name}: {p.detail}")
        return "\n".join(rows)


# ------------------------------------------------------------------------------- test nets

def tie_heavy_network(weights, rng=None, zero_fraction: float = 0.4) -> list[np.ndarray]:
    """Same shapes, weights :math:`\\pm c_l` with a fraction set to 0: many exactly tied scores."""
    rng = np.random.default_rng(rng)
    return [np.sign(W) * np.abs(W).mean() * (rng.random(W.shape) >= zero_fraction)
            for W in validate_weights(weights)]


def deep_network(weights, depth: int, width: int, rng=None) -> list[np.ndarray]:
    """He-normal net of ``depth`` layers, hidden width ``width``, same d_0 and d_L as ``weights``."""
    sizes = layer_sizes(weights)
    return random_network([sizes[0]] + [width] * (depth - 1) + [sizes[-1]], rng)


def default_data(weights, rng=None, n: int = 16):
    """``(X, y)`` for data-dependent scorers: X = |N(0,1)| (nonnegative, like images), y ~ N(0,1)."""
    sizes = layer_sizes(weights)
    rng = np.random.default_rng(rng)
    return np.abs(rng.standard_normal((n, sizes[0]))), rng.standard_normal((n, sizes[-1]))


# ------------------------------------------------------------------------------ properties

def _seed(gen: np.random.Generator) -> int:
    return int(gen.integers(2 ** 63))


def _score(score_fn, weights, seed):
    s = [np.asarray(a, dtype=np.float64) for a in score_fn(weights, np.random.default_rng(seed))]
    if [a.shape for a in s] != [W.shape for W in weights]:
        raise ValueError(f"score_fn returned shapes {[a.shape for a in s]}, expected "
                         f"{[W.shape for W in weights]}")
    return s


def _check_counts(label, score_list, densities, mask_fn, seed):
    """First (scope, density) whose kept count is wrong or whose masks are not reproducible."""
    for scope in ("global", "layer"):
        for d in densities:
            m1 = mask_fn(score_list, d, seed, scope=scope)
            m2 = mask_fn(score_list, d, seed, scope=scope)
            sizes = [a.size for a in score_list]
            want = [kept_count(d, sum(sizes))] if scope == "global" else \
                [kept_count(d, s) for s in sizes]
            got = [int(sum(np.sum(a) for a in m1))] if scope == "global" else \
                [int(np.sum(a)) for a in m1]
            if got != want:
                return {"scores": label, "scope": scope, "density": d, "expected": want,
                        "kept": got}
            if any(not np.array_equal(a, b) for a, b in zip(m1, m2)):
                return {"scores": label, "scope": scope, "density": d, "issue": "not reproducible"}
    return None


def _exact_counts(score_fn, w, gen, mask_fn, densities):
    tied = tie_heavy_network(w, gen)
    synthetic = [gen.choice([0.0, 1.0, 2.0, 3.0], size=W.shape, p=[0.4, 0.2, 0.2, 0.2])
                 for W in w]
    seed = _seed(gen)
    for label, s in (("synthetic ties", synthetic),
                     ("scorer on tie-heavy net", _score(score_fn, tied, _seed(gen)))):
        bad = _check_counts(label, s, densities, mask_fn, seed)
        if bad:
            return False, f"kept count or reproducibility wrong ({label})", bad
    zeros = sum(int(np.sum(a == 0)) for a in synthetic)
    return True, (f"exact counts at densities {list(densities)}, both scopes "
                  f"({zeros} zero scores among {sum(a.size for a in synthetic)})"), None


def _monotone(score_fn, w, gen, mask_fn, round_fn, rounds, final_density):
    mask = [np.ones(W.shape, dtype=bool) for W in w]
    for r, d in enumerate(schedule_densities(final_density, rounds), start=1):
        s = _score(score_fn, apply_masks(w, mask), _seed(gen))
        new = round_fn(s, mask, float(d), _seed(gen), scope="global", mask_fn=mask_fn)
        revived = sum(int(np.sum(b & ~a)) for a, b in zip(mask, new))
        kept, want = sum(int(np.sum(b)) for b in new), kept_count(float(d), sum(W.size for W in w))
        if revived or kept != want:
            return False, f"round {r}: {revived} pruned weights revived, kept {kept} of {want}", \
                {"round": r, "density": float(d), "revived": revived, "kept": kept,
                 "expected": want}
        mask = new
    return True, f"support shrinks monotonically over {rounds} rounds to density {final_density}", None


def _rank_violation(a: np.ndarray, b: np.ndarray, tol: float):
    """A pair of indices ordered (or tied) differently by a and b, beyond ``tol``; None if none."""
    for x, y in ((a, b), (b, a)):
        order = np.argsort(x, kind="stable")
        dx, dy = np.diff(x[order]), np.diff(y[order])
        bad = np.flatnonzero(((dx > tol) & (dy < -tol)) | ((np.abs(dx) <= tol) & (np.abs(dy) > tol)))
        if bad.size:
            i, j = int(order[bad[0]]), int(order[bad[0] + 1])
            return {"flat_indices": (i, j), "before": (float(a[i]), float(a[j])),
                    "after": (float(b[i]), float(b[j]))}
    return None


def _rescaling(score_fn, w, gen, tol):
    factors = np.exp(gen.uniform(-2.0, 2.0, len(w)))
    scaled = [c * W for c, W in zip(factors, w)]
    seed = _seed(gen)
    a = np.concatenate([s.ravel() for s in _score(score_fn, w, seed)])
    b = np.concatenate([s.ravel() for s in _score(score_fn, scaled, seed)])
    a, b = a / (np.max(np.abs(a)) or 1.0), b / (np.max(np.abs(b)) or 1.0)
    bad = _rank_violation(a, b, tol)
    factor_txt = ", ".join(f"{c:.3g}" for c in factors)
    if bad:
        return False, f"ranking changed when layers were scaled by ({factor_txt})", bad
    return True, f"ranking unchanged under per-layer scaling ({factor_txt})", None


def _deep(score_fn, w, gen, depth, width, positive: bool):
    deep = deep_network(w, depth, width, gen)
    s = _score(score_fn, deep, _seed(gen))
    flat = np.concatenate([a.ravel() for a in s])
    live = np.concatenate([(W != 0).ravel() for W in deep])
    where = f"depth {depth}, width {width}"
    if not positive:
        bad = np.flatnonzero(~np.isfinite(flat))
        if bad.size:
            return False, f"{bad.size} non-finite scores at {where}", \
                {"flat_index": int(bad[0]), "score": float(flat[bad[0]])}
        return True, f"all {flat.size} scores finite at {where}", None
    bad = np.flatnonzero(live & ~(np.isfinite(flat) & (flat > 0)))
    if bad.size:
        return False, f"{bad.size} live weights score non-finite or <= 0 at {where}", \
            {"flat_index": int(bad[0]), "score": float(flat[bad[0]])}
    return True, f"every live score finite and > 0 at {where} (min {flat[live].min():.3g})", None


def _conservation(score_fn, w, gen, tol):
    s = _score(score_fn, w, _seed(gen))
    v = conservation_violation(w, s)
    totals = layer_totals(s)
    detail = f"relative neuron-wise violation {v:.3g}; layer totals {np.round(totals, 6).tolist()}"
    return v <= tol, detail, (None if v <= tol else {"violation": v, "layer_totals": totals.tolist()})


def _log_choose(n: int, k: int) -> float:
    return math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)


def _shuffle(score_fn, w, gen, mask_fn, shuffle_fn, density):
    masks = [np.asarray(m, dtype=bool) for m in mask_fn(_score(score_fn, w, _seed(gen)), density,
                                                          _seed(gen), scope="layer")]
    seed = _seed(gen)
    sh1 = [np.asarray(m, dtype=bool) for m in shuffle_fn([m.copy() for m in masks], seed)]
    sh2 = [np.asarray(m, dtype=bool) for m in shuffle_fn([m.copy() for m in masks], seed)]
    for l, (m, a, b) in enumerate(zip(masks, sh1, sh2)):
        if a.shape != m.shape or int(a.sum()) != int(m.sum()):
            return False, f"layer {l}: shape or count changed", \
                {"layer": l, "kept_before": int(m.sum()), "kept_after": int(a.sum())}
        if not np.array_equal(a, b):
            return False, f"layer {l}: not reproducible from its seed", {"layer": l}
        # a uniform shuffle reproduces the mask with probability 1/C(N_l, k_l) <= 1e-6 here
        if _log_choose(m.size, int(m.sum())) >= math.log(1e6) and np.array_equal(a, m):
            return False, f"layer {l}: shuffled mask identical to the original", \
                {"layer": l, "kept": int(m.sum()), "size": m.size}
    return True, "per-layer counts kept, masks changed, reproducible from the seed", None


def _run(name: str, required: bool, fn, *args) -> PropertyResult:
    try:
        passed, detail, counterexample = fn(*args)
    except Exception as exc:  # a crash is a failed property, reported with its message
        return PropertyResult(name, False, required, f"raised {type(exc).__name__}: {exc}", None)
    return PropertyResult(name, bool(passed), required, detail, counterexample)


def conformance(score_fn, *, weights=None, rng=0, mask_fn=prune_mask, round_fn=prune_round,
                shuffle_fn=shuffle_masks, claims_conservation: bool = False,
                claims_rescaling: bool = False, claims_positive: bool = False,
                densities=(0.9, 0.5, 0.1, 0.013), rounds: int = 5, final_density: float = 0.05,
                deep_depth: int = 50, deep_width: int = 64, tol: float = 1e-9,
                name: str | None = None) -> ConformanceReport:
    """Run the pruner properties on ``score_fn(weights, rng) -> list of arrays``:

    * ``exact_counts`` (required): ``mask_fn`` keeps exactly :func:`.masks.kept_count` entries,
      globally and per layer, on synthetic scores with many ties and zeros and on the scorer's
      scores of a tie-heavy net, and is reproducible given the seed;
    * ``monotone_support`` (required): iterating ``round_fn`` never revives a pruned weight and
      keeps exact counts;
    * ``finite_deep`` (required): all scores finite on a depth-``deep_depth`` He-normal net;
    * ``positive_deep``: every live score > 0 there (required iff ``claims_positive``);
    * ``rescaling``: scaling each layer by its own positive factor leaves the ranking unchanged
      (required iff ``claims_rescaling``);
    * ``conservation``: neuron-wise incoming = outgoing totals to ``tol`` relative (required iff
      ``claims_conservation``);
    * ``shuffle`` (required): ``shuffle_fn`` keeps per-layer counts, changes every layer where a
      uniform shuffle could return the same mask only with probability <= 1e-6, and is
      reproducible from its seed.

    ``weights`` defaults to a He-normal net with sizes :data:`DEFAULT_SIZES`; derived nets keep its
    d_0 and d_L, so a scorer bound to data ``X`` of that width works on all of them. Every property
    draws from its own stream spawned from ``rng``."""
    gen = np.random.default_rng(rng)
    streams = gen.spawn(8)
    w = random_network(DEFAULT_SIZES, streams[0]) if weights is None else validate_weights(weights)
    props = (
        _run("exact_counts", True, _exact_counts, score_fn, w, streams[1], mask_fn, densities),
        _run("monotone_support", True, _monotone, score_fn, w, streams[2], mask_fn, round_fn,
             rounds, final_density),
        _run("finite_deep", True, _deep, score_fn, w, streams[3], deep_depth, deep_width, False),
        _run("positive_deep", claims_positive, _deep, score_fn, w, streams[7],
             deep_depth, deep_width, True),
        _run("rescaling", claims_rescaling, _rescaling, score_fn, w, streams[4], tol),
        _run("conservation", claims_conservation, _conservation, score_fn, w, streams[5], tol),
        _run("shuffle", True, _shuffle, score_fn, w, streams[6], mask_fn, shuffle_fn, 0.3),
    )
    return ConformanceReport(name or getattr(score_fn, "__name__", repr(score_fn)), props)


def method_conformance(method: str, *, l2_variant=None, X=None, y=None, rng=0, **kwargs):
    """:func:`conformance` of a method of :mod:`.scores` with its :data:`METHOD_CLAIMS`; data from
    :func:`default_data` when the method needs it and none is given (``weights`` in ``kwargs``
    fixes the net)."""
    key = method + (f"/{l2_variant.replace('_', '-')}" if l2_variant else "")
    if key not in METHOD_CLAIMS:
        raise ValueError(f"method must be one of {', '.join(METHOD_CLAIMS)}, got {key!r}")
    if method in NEEDS and X is None:
        base = kwargs.get("weights") or random_network(DEFAULT_SIZES, 1)
        X, y = default_data(base, rng)
    fn = make_score_fn(method, X=X, y=y if "y" in NEEDS.get(method, ()) else None,
                       l2_variant=l2_variant)
    claims = {**METHOD_CLAIMS[key], **{k: v for k, v in kwargs.items() if k.startswith("claims_")}}
    rest = {k: v for k, v in kwargs.items() if not k.startswith("claims_")}
    return conformance(fn, rng=rng, name=key, **claims, **rest)


# ------------------------------------------------------------------ `pruneproof conform` helpers

def load_score_fn(target: str):
    """The callable named by ``"module:function"`` (dotted attributes allowed), importing the
    module with the working directory on ``sys.path`` (as ``python -m`` does).  ``ValueError``
    with a one-line message if the target is malformed, not importable, missing or not callable."""
    import importlib
    import os
    import sys
    module_name, sep, attr = str(target).partition(":")
    if not sep or not module_name or not attr:
        raise ValueError(f"expected MODULE:FUNCTION, got {target!r}")
    if os.getcwd() not in sys.path:
        sys.path.insert(0, os.getcwd())
    try:
        obj = importlib.import_module(module_name)
    except Exception as exc:  # noqa: BLE001 - ImportError, or any error raised by user code
        text = str(exc).splitlines()[0] if str(exc) else ""
        raise ValueError(f"cannot import module {module_name!r}: {type(exc).__name__}: "
                         f"{text}") from None
    for part in attr.split("."):
        if not hasattr(obj, part):
            raise ValueError(f"module {module_name!r} has no attribute {attr!r}")
        obj = getattr(obj, part)
    if not callable(obj):
        raise ValueError(f"{target} is not callable (got {type(obj).__name__})")
    return obj


def _strict(x):
    """JSON-safe copy: non-finite floats as strings, tuples as lists, numpy scalars as Python."""
    if isinstance(x, dict):
        return {str(k): _strict(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_strict(v) for v in x]
    if isinstance(x, np.generic):
        x = x.item()
    if isinstance(x, float) and not math.isfinite(x):
        return str(x)
    return x if isinstance(x, (str, int, float, bool, type(None))) else str(x)


def report_as_dict(report) -> dict:
    """A :class:`ConformanceReport` (or one :class:`PropertyResult`'s counterexample) as strict,
    JSON-serialisable data."""
    if isinstance(report, PropertyResult):
        return _strict(report.counterexample)
    return _strict({"scorer": report.scorer, "passed": report.passed,
                    "properties": [{"name": p.name, "passed": p.passed, "required": p.required,
                                    "detail": p.detail, "counterexample": p.counterexample}
                                   for p in report.properties]})
