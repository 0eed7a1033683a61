"""Benchmarks of the paths topic: pure functions ``fn(budget) -> dict`` with a ``ratio`` (same-run
comparisons; absolute seconds are reported, never used as a pass/fail criterion), registered with
:func:`..core.bench.register_benchmark` as ``paths-trace``, ``paths-synflow-deep`` and
``paths-iterative-synflow``. ``budget`` is ``"smoke"``, ``"default"`` or ``"paper"``."""
from __future__ import annotations

import time

import numpy as np

from ..core.bench import register_benchmark
from .kernel import MAX_PATHS, num_paths, path_kernel, path_kernel_trace
from .masks import (
    compression,
    has_path,
    iterative_prune,
    layer_collapse,
    max_compression,
)
from .network import num_params, random_network
from .scores import scores, synflow_scores_exact

BUDGETS = ("smoke", "default", "paper")
SPEC_65_SIZES = (64, 256, 8, 256, 10)


def _check_budget(budget: str) -> str:
    if budget not in BUDGETS:
        raise ValueError(f"budget must be one of {', '.join(BUDGETS)}, got {budget!r}")
    return budget


def _best_time(fn, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


@register_benchmark("paths-trace")
def bench_trace(budget: str) -> dict:
    """tr Pi by the one squared-weight pass vs the trace of the enumerated Pi, on the largest net
    the enumeration accepts (|P| = MAX_PATHS; smoke: 512 paths). Target: ratio >= 1000."""
    sizes = (8, 8, 8) if _check_budget(budget) == "smoke" else (16, 16, 16)
    w = random_network(sizes, 0)
    fast = _best_time(lambda: path_kernel_trace(w), 20)
    slow = _best_time(lambda: np.trace(path_kernel(w)[1]), 1 if budget == "smoke" else 3)
    agree = abs(path_kernel_trace(w) - np.trace(path_kernel(w)[1])) / path_kernel_trace(w)
    ratio = slow / fast
    return {"sizes": list(sizes), "paths": num_paths(w), "max_paths": MAX_PATHS,
            "params": num_params(w), "one_pass_seconds": fast, "enumeration_seconds": slow,
            "relative_difference": float(agree), "ratio": ratio, "target": 1000.0,
            "met": bool(ratio >= 1000.0) if budget != "smoke" else None}


@register_benchmark("paths-synflow-deep")
def bench_synflow_deep(budget: str) -> dict:
    """SynFlow scores (log domain, per-layer rescaling) on a depth-50, width-512 He-normal net:
    time, finiteness/positivity, and ratio = log-domain time / plain float64 closed-form time (the
    price of overflow safety). Smoke: width 128."""
    width = 128 if _check_budget(budget) == "smoke" else 512
    w = random_network([width] * 51, 0)
    t_log = _best_time(lambda: scores(w, "synflow"), 2)
    t_plain = _best_time(lambda: synflow_scores_exact(w), 2)
    s = np.concatenate([a.ravel() for a in scores(w, "synflow")])
    return {"depth": 50, "width": width, "params": num_params(w), "log_domain_seconds": t_log,
            "plain_seconds": t_plain, "ratio": t_log / t_plain,
            "all_finite_positive": bool(np.all(np.isfinite(s) & (s > 0))),
            "min_normalised_score": float(s.min()), "target": "finite and > 0; < 3 s",
            "met": bool(np.all(np.isfinite(s) & (s > 0)) and t_log < 3.0)}


@register_benchmark("paths-iterative-synflow")
def bench_iterative_synflow(budget: str) -> dict:
    """100-round exponential iterative SynFlow on the spec 6.5 net [64, 256, 8, 256, 10] at
    rho = rho_max = 5760 (smoke: 20 rounds, rho = 100), vs single-shot at the same rho:
    ratio = iterative time / single-shot time; reports collapse of both."""
    rounds, rho = (20, 100.0) if _check_budget(budget) == "smoke" else (100, None)
    w = random_network(SPEC_65_SIZES, 0)
    rho = max_compression(w) if rho is None else rho
    density = 1.0 / rho
    start = time.perf_counter()
    it = iterative_prune(w, "synflow", density, rounds=rounds, rng=0)
    t_it = time.perf_counter() - start
    start = time.perf_counter()
    one = iterative_prune(w, "synflow", density, rounds=1, rng=0)
    t_one = time.perf_counter() - start
    return {"sizes": list(SPEC_65_SIZES), "rounds": rounds, "rho": rho,
            "achieved_rho": compression(it), "iterative_seconds": t_it,
            "single_shot_seconds": t_one, "ratio": t_it / t_one,
            "iterative_collapsed": layer_collapse(it), "iterative_connected": has_path(it),
            "kept_per_layer": [int(m.sum()) for m in it],
            "single_shot_collapsed": layer_collapse(one), "target": "no collapse at rho_max",
            "met": bool(not layer_collapse(it) and has_path(it))}
