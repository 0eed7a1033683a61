"""Benchmarks of the separation topic (same-run ratios against the naive way)."""
from __future__ import annotations

import numpy as np

from ..core.bench import best_time, register_benchmark
from .subsetsum import best_subset_sum, brute_force_error


@register_benchmark("subset-sum")
def bench_subset_sum(budget: str) -> dict:
    """Meet-in-the-middle vs brute-force 2^n enumeration on the same instances (same run), and
    the n = 40 target (<= 2 s on one core)."""
    rng = np.random.default_rng(0)
    n = {"smoke": 20, "default": 24, "paper": 26}[budget]
    x, z = rng.uniform(-1, 1, n), 0.123
    t_fast = best_time(lambda: best_subset_sum(x, z))
    t_naive = best_time(lambda: brute_force_error(x, z), repeat=1)
    x40 = rng.uniform(-1, 1, 40)
    t40 = best_time(lambda: best_subset_sum(x40, z), repeat=1)
    return {"n": n, "mitm_seconds": t_fast, "brute_seconds": t_naive,
            "ratio": t_naive / t_fast, "n40_seconds": t40, "target": "n = 40 in <= 2 s",
            "met": bool(t40 <= 2.0)}


@register_benchmark("separation-certify")
def bench_certify(budget: str) -> dict:
    """Constraint-generation certification (:func:`.certify.certify_neuron_pruning`) against the
    previous solver (:func:`.search.solve_neuron_pruning`: grid MILP for A, bisection MILP for B,
    1024-point grid) on the same nets at n = 32, as a same-run time ratio (old / new); then the
    largest width certified (gap <= 1 %) within 60 s per instance on one core, trying widths in
    increasing order until one takes longer or stops short."""
    import time

    from .certify import certify_neuron_pruning
    from .circle import random_network, random_target
    from .search import solve_neuron_pruning
    nets = {"smoke": 1, "default": 3, "paper": 5}[budget]
    n_cmp = 16 if budget == "smoke" else 32      # the comparison width is n = 32
    widths = {"smoke": (16, 24), "default": (32, 48, 64), "paper": (32, 48, 64, 96, 128)}[budget]
    rng = np.random.default_rng(32)
    rows = []
    for architecture in ("A", "B"):
        for _ in range(nets):
            U, v = random_network(n_cmp, 2, "gaussian", rng)
            w = random_target(2, rng)
            start = time.perf_counter()
            new = certify_neuron_pruning(U, v, w, architecture, rng=0)
            t_new = time.perf_counter() - start
            start = time.perf_counter()
            old = solve_neuron_pruning(U, v, w, architecture, rng=0)
            t_old = time.perf_counter() - start
            rows.append({"architecture": architecture, "n": n_cmp, "new_seconds": t_new,
                         "old_seconds": t_old, "ratio": t_old / t_new,
                         "new_gap": (new.upper - new.lower) / new.upper,
                         "old_gap": (old.error - old.lower) / old.error})
    largest = {}
    for architecture in ("A", "B"):
        largest[architecture] = None
        for n in widths:
            U, v = random_network(n, 2, "gaussian", np.random.default_rng(n))
            w = random_target(2, np.random.default_rng(n + 1))
            start = time.perf_counter()
            result = certify_neuron_pruning(U, v, w, architecture, rng=0)
            seconds = time.perf_counter() - start
            certified = (result.upper - result.lower) <= 0.01 * result.upper
            rows.append({"architecture": architecture, "n": n, "new_seconds": seconds,
                         "certified": bool(certified)})
            if not certified or seconds > 60.0:
                break
            largest[architecture] = n
    ratios = [r["ratio"] for r in rows if "ratio" in r]
    return {"cases": rows, "ratio": float(np.median(ratios)),
            "largest_n_certified_within_60s": largest,
            "target": f"median old/new time ratio at n = {n_cmp} (same nets)", "met": None}
