"""pruneproof's symbolic side: the claim registry, sympy derivations and bound expressions.

Importing :mod:`theory` registers every claim (``theory.claims.all_claims()``)."""
from . import amm, sketching, separation, separation_b, paths, robustness  # noqa: F401,I001 - registration order = report order
from .claims import Claim, all_claims, get_claim  # noqa: F401
