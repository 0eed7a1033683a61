"""pruneproof: theory verification and numerical proofs for pruning at initialization.

* :mod:`pruneproof.theory` -- the sympy side: claims, expressions with roles, derivations;
* :mod:`pruneproof.verify` -- the numeric side: one package per topic (``amm``, ``sketching``,
  ``separation``, ...) on a topic-free ``core`` (engine, statistics, verdicts, report).

The curated entry points::

    from pruneproof.theory import get_claim, all_claims
    from pruneproof.verify import check_claim
"""
from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("pruneproof")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+unknown"

__all__ = ["__version__"]
