"""Topic ``paths``: paths, the Path Kernel and SynFlow (``spec/paths.md``) -- path enumeration and
one-pass path norms, pruning scores as path quantities, masks, and the claims' routes, figures and
benchmarks.

Rooms: :mod:`.network`, :mod:`.kernel`, :mod:`.scores`, :mod:`.masks`, :mod:`.conformance`,
:mod:`.buggy`, :mod:`.ntk_sketch` (numerics), :mod:`.experiments`, :mod:`.experiments_ntk` (configs,
trials and budgets), :mod:`.routes`, :mod:`.routes_ntk`, :mod:`.figures`, :mod:`.figures_kernel`,
:mod:`.bench`.
"""
from pruneproof.theory import paths as _claims  # noqa: F401 - registers the claims

# registers routes, figures and benchmarks
from . import (  # noqa: F401
           bench,
           examples,
           figures,
           figures_kernel,
           routes,
           routes_ntk,
)
from .conformance import conformance
from .kernel import ntk, path_activations, path_kernel, path_kernel_trace
from .masks import iterative_prune, prune_mask, shuffle_masks
from .scores import scores

__all__ = ["conformance", "iterative_prune", "ntk", "path_activations", "path_kernel",
           "path_kernel_trace", "prune_mask", "scores", "shuffle_masks"]
