"""Topic ``separation``: neuron versus weight pruning of one ReLU neuron (``spec/separation.md``)
-- exact subset sums, the exact circle evaluator, certified MILP bounds, searches, the kink-gap
bound, weight pruning by blocks, and their routes, figures and benchmark.

Rooms: :mod:`.subsetsum`, :mod:`.circle`, :mod:`.milp`, :mod:`.search`, :mod:`.bounds`,
:mod:`.weight_pruning`, :mod:`.certify`, :mod:`.bounds_b`, :mod:`.sphere` (numerics),
:mod:`.experiments`, :mod:`.experiments_b`, :mod:`.experiments_sphere` (configs and trials),
:mod:`.routes`, :mod:`.routes_b`, :mod:`.routes_rates`,
:mod:`.figures`, :mod:`.figures_scaling`, :mod:`.figures_sphere`, :mod:`.bench`, :mod:`.examples`.
"""
from . import (  # noqa: F401 - registrations
    bench, examples, figures, figures_scaling, figures_sphere, routes, routes_b, routes_rates,
)
from .bounds import brute_force_best, kink_gap_bound, kink_gaps
from .bounds_b import b_lower_bound, kink_costs
from .certify import certify_neuron_pruning
from .circle import circle_error, random_network, random_target
from .search import best_neuron_subset, solve_neuron_pruning
from .sphere import sphere_neuron_bounds
from .subsetsum import best_subset_sum, brute_force_subset_sum
from .weight_pruning import weight_pruning_error

__all__ = ["b_lower_bound", "best_neuron_subset", "best_subset_sum", "brute_force_best",
           "brute_force_subset_sum", "certify_neuron_pruning", "circle_error", "kink_costs",
           "kink_gap_bound", "kink_gaps", "random_network", "random_target",
           "solve_neuron_pruning", "sphere_neuron_bounds", "weight_pruning_error"]
