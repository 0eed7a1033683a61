"""Topic ``sketching``: the sketching perspective on pruning linear models (``spec/sketching.md``
§4-§9) -- problems and training, scores and masks, the claims' closed forms, and their routes and
figures.

Rooms: :mod:`.linear`, :mod:`.masks`, :mod:`.bounds`, :mod:`.beta_exact` (numerics),
:mod:`.experiments` (configs and trials), :mod:`.routes`, :mod:`.routes_exact`,
:mod:`.routes_masks` and :mod:`.routes_rate`, :mod:`.figures`.
"""
from . import (  # noqa: F401 - registers routes and figures
    figures,
    routes,
    routes_exact,
    routes_masks,
    routes_rate,
)
from . import examples  # noqa: F401,E402 - registers the worked examples (pruneproof explain)
from .bounds import (
                     beta_data,
                     beta_init,
                     data_free_bound,
                     data_free_exact_error,
                     data_free_probabilities,
                     exact_sketch_error,
                     init_mask_bound,
                     init_mask_exact_error,
                     optimal_exact_error,
                     optimal_probabilities,
)
from .linear import (
                     LinearProblem,
                     make_features,
                     make_problem,
                     train_closed_form,
                     train_gd,
)
from .masks import dkm_binary_mask, sampled_mask, score, topk_mask

__all__ = ["LinearProblem", "beta_data", "beta_init", "data_free_bound", "data_free_exact_error",
           "data_free_probabilities", "dkm_binary_mask", "exact_sketch_error", "init_mask_bound",
           "init_mask_exact_error", "make_features", "make_problem", "optimal_exact_error",
           "optimal_probabilities", "sampled_mask", "score", "topk_mask", "train_closed_form",
           "train_gd"]
