"""Benchmarks: each compares a fast path with the naive way *in the same run* and reports ratios
(never absolute seconds as a pass/fail criterion).  Register with :func:`register_benchmark`;
``pruneproof bench`` runs them all."""
from __future__ import annotations

import time
from typing import Callable

_BENCHMARKS: dict[str, Callable[[str], dict]] = {}


def register_benchmark(name: str):
    """Decorator: ``fn(budget) -> dict`` of measurements (include a ``ratio`` key and a ``target``
    if the benchmark has one, plus ``met`` = whether the target was reached)."""
    def decorate(fn):
        _BENCHMARKS[name] = fn
        return fn
    return decorate


def all_benchmarks() -> dict[str, Callable[[str], dict]]:
    from .registry import load_topics
    load_topics()
    return dict(_BENCHMARKS)


def best_time(fn: Callable[[], object], repeat: int = 3) -> float:
    """Minimum wall time of ``fn`` over ``repeat`` runs (the least noisy estimate)."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best
