"""Topic ``paths``: paths, the Path Kernel and SynFlow (``spec/paths.md``) -- path enumeration and
one-pass path norms, pruning scores as path quantities, masks, and the claims' routes, figures and
benchmarks.

Rooms: :mod:`.network`, :mod:`.kernel`, :mod:`.scores`, :mod:`.masks`, :mod:`.conformance`,
:mod:`.buggy` (numerics), :mod:`.experiments` (configs and trials), :mod:`.routes`,
:mod:`.figures`, :mod:`.bench`.
"""
from pruneproof.theory import paths as _claims  # noqa: F401 - registers the claims

from . import bench, figures, routes  # noqa: F401 - registers routes, figures and benchmarks
from .conformance import conformance
from .kernel import ntk, path_activations, path_kernel, path_kernel_trace
from .masks import iterative_prune, prune_mask, shuffle_masks
from .scores import scores

__all__ = ["conformance", "iterative_prune", "ntk", "path_activations", "path_kernel",
           "path_kernel_trace", "prune_mask", "scores", "shuffle_masks"]
