"""pruneproof's symbolic side: the claim registry, sympy derivations and bound expressions.

Importing :mod:`theory` registers every claim (``theory.claims.all_claims()``)."""
from . import amm, sketching, separation  # noqa: F401 - registration side effects
from .claims import Claim, all_claims, get_claim  # noqa: F401
