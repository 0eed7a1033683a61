"""pruneproof's numerical side: one package per topic (``amm``, ``sketching``, ``separation``, ...)
on a topic-free :mod:`.core` (engine, statistics, verdicts, budgets, figures, report).  The symbolic
side (claims, expressions with roles, derivations) is :mod:`pruneproof.theory`.

Check a claim -- a registered id or a (possibly modified) :class:`pruneproof.theory.claims.Claim`::

    from pruneproof.verify import check_claim
    result = check_claim("amm-beta-bound", budget="smoke")
    result.status, [r.status for r in result.routes]
"""
from pruneproof import __version__

#: The topic packages, in report order (imported by :func:`core.registry.load_topics`).
TOPICS = ("amm", "sketching", "separation", "paths", "robustness")


def check_claim(claim, budget: str = "smoke", seed: int | None = None, workers: int = 1,
                cache_dir=None):
    """Check ``claim`` (an id or a :class:`~pruneproof.theory.claims.Claim`) by every route.

    Returns a :class:`core.verdicts.ClaimResult` with ``.status`` and ``.routes``.  ``seed``
    defaults to the engine's root seed; ``workers`` > 1 uses a process pool; ``cache_dir``
    (default: none) reuses trial records across calls.
    """
    from .core.engine import DEFAULT_SEED, Runner, make_executor
    from .core.verdicts import CheckContext
    from .core.verdicts import check_claim as _check
    executor, close = make_executor(workers)
    try:
        runner = Runner(executor, root_seed=DEFAULT_SEED if seed is None else seed,
                        cache_dir=cache_dir, progress=False)
        return _check(claim, CheckContext(budget, runner))
    finally:
        close()


__all__ = ["TOPICS", "__version__", "check_claim"]
