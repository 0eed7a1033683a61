"""Topic ``robustness``: the law of robustness (Bubeck-Sellke) and its sparse extension
(``spec/no_free_prune.md``) -- quadratic forms on the sphere with exact Lipschitz constants, the
certified min-Lipschitz SDP, random features, B-S and derived sparse-law bounds (Proposition A /
Corollary A' are DERIVED HERE, not No Free Prune's theorem), mask information, and the claims'
routes, figures and benchmark.

Rooms: :mod:`.quadratic`, :mod:`.minlip`, :mod:`.features`, :mod:`.bounds`, :mod:`.information`,
:mod:`.masks`, :mod:`.certify` (numerics), :mod:`.experiments` (budgets and trials),
:mod:`.routes`, :mod:`.routes_hypotheses`, :mod:`.figures`, :mod:`.bench`.
"""
from pruneproof.theory import robustness as _claims  # noqa: F401 - registers the claims

from . import bench, figures, routes, routes_hypotheses  # noqa: F401 - registers everything
from .bounds import bs_lipschitz_bound, sparse_lipschitz_bound
from .quadratic import min_lipschitz_interpolator, quadratic_lipschitz

__all__ = ["bs_lipschitz_bound", "min_lipschitz_interpolator", "quadratic_lipschitz",
           "sparse_lipschitz_bound"]
from . import examples  # noqa: E402,F401 - registers worked examples
