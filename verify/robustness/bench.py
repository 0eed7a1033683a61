"""Benchmark: the certified min-Lipschitz SDP (cvxpy + Clarabel) against the smoothed first-order
heuristic of spec E1, in the same run (ratios, never absolute seconds, as pass/fail).

Registered as ``robustness-min-lipschitz`` (:func:`..core.bench.register_benchmark`).
"""
from __future__ import annotations

import numpy as np

from ..core.bench import register_benchmark

from .quadratic import min_lipschitz_interpolator, smoothed_lipschitz_heuristic, symmetric_basis

__all__ = ["bench_min_lipschitz", "BENCH_SIZES"]

#: (n, d, [p, ...]) per budget.  P = d(d+1)/2 = 3240 at d = 80.  Every SDP with p < P has the
#: same two 80 × 80 PSD cones, so its cost barely depends on p (~1 minute on 2 cores); smoke
#: therefore runs the same comparison at d = 40 (P = 820).
BENCH_SIZES = {
    "smoke": (10, 40, [40]),
    "default": (10, 80, [40, 320, 3240]),
    "paper": (10, 80, [15, 20, 40, 80, 160, 320, 640, 1280, 3240]),
}
TARGET_GAP = 1e-6


@register_benchmark("robustness-min-lipschitz")
def bench_min_lipschitz(budget: str) -> dict:
    """One SDP and one heuristic run per p on the same instance (X uniform on S^{d−1} from seed
    0, labels uniform ±1, a Haar-random p-dimensional subspace per p from a spawned stream).

    Per case: wall time, certified relative gap, value and status of each method; the
    heuristic's gap is given twice -- self-certified (its own softmax dual) and against the
    SDP's certified lower bound; ``time_ratio`` = SDP seconds / heuristic seconds.  Top level:
    ``target`` = 1e-6 (SDP certified relative gap), ``met`` = every SDP case reached it,
    ``ratio`` = the time ratio of the largest p.
    """
    if budget not in BENCH_SIZES:
        raise ValueError(f"budget must be one of {', '.join(BENCH_SIZES)}, got {budget!r}")
    n, d, ps = BENCH_SIZES[budget]
    root = np.random.SeedSequence(0)
    data_seed, *basis_seeds = root.spawn(1 + len(ps))
    rng = np.random.default_rng(data_seed)
    X = rng.standard_normal((n, d))
    X /= np.linalg.norm(X, axis=1, keepdims=True)
    y = rng.choice([-1.0, 1.0], size=n)
    rows = []
    for p, seed in zip(ps, basis_seeds, strict=True):
        basis = symmetric_basis(d, p, rng=np.random.default_rng(seed))
        sdp = min_lipschitz_interpolator(X, y, basis, tol=TARGET_GAP)
        heur = smoothed_lipschitz_heuristic(X, y, basis, tol=TARGET_GAP)
        cross = (heur.lip - sdp.lower) / heur.lip if heur.lip > 0 else 0.0
        rows.append({
            "n": n, "d": d, "p": p,
            "sdp_seconds": sdp.seconds, "sdp_gap": sdp.gap, "sdp_status": sdp.status,
            "sdp_lip": sdp.lip, "sdp_lower": sdp.lower, "sdp_certified": sdp.optimal,
            "heuristic_seconds": heur.seconds, "heuristic_gap": heur.gap,
            "heuristic_gap_vs_sdp_lower": cross, "heuristic_lip": heur.lip,
            "heuristic_status": heur.status,
            "time_ratio": sdp.seconds / heur.seconds if heur.seconds > 0 else float("inf"),
        })
    return {"cases": rows, "ratio": rows[-1]["time_ratio"], "target": TARGET_GAP,
            "met": all(r["sdp_gap"] <= TARGET_GAP for r in rows),
            "note": "ratio = SDP time / heuristic time at the largest p; target = certified "
                    "relative duality gap of the SDP (computed from primal and dual values here)"}
