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
