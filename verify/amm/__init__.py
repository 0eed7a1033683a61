"""Topic ``amm``: Drineas–Kannan–Mahoney approximate matrix multiplication (``spec/sketching.md``
§3) -- the fast sketch sampler, exact enumeration, the claims' closed forms, and their routes,
figures and benchmark.

Rooms: :mod:`.numerics` and :mod:`.sketch` (numerics), :mod:`.experiments` (configs and trials),
:mod:`.routes`, :mod:`.figures`, :mod:`.bench`.
"""
from . import bench, figures, routes, routes_tail  # noqa: F401 - registers routes, figures and benchmarks
from . import examples  # noqa: F401,E402 - registers the worked examples (pruneproof explain)
from .numerics import (
                       beta_bound,
                       expected_error,
                       high_probability_bound,
                       near_optimality,
                       optimal_error,
                       optimal_probabilities,
)
from .sketch import AmmSketcher, amm_errors, enumerate_sketch, sample_indices

__all__ = ["AmmSketcher", "amm_errors", "beta_bound", "enumerate_sketch", "expected_error",
           "high_probability_bound", "near_optimality", "optimal_error", "optimal_probabilities",
           "sample_indices"]
