"""Shared trial sets computed in parallel *before* claims or figure tables are dispatched to pool
workers (each worker runs its claim with a serial runner, so a claim whose routes need hundreds of
trials would otherwise run them on one core, and two claims needing the same trials would compute
them twice).  A topic registers ``fn(ctx)`` -- typically ``ctx.runner.run(trial, configs)`` --
under the claim ids and figure names that use those trials; :func:`prefetch` calls each needed
function once with the parent's runner (whose executor spreads the trials over the workers) and
the workers then find every record in the shared on-disk cache.  Records are keyed by config and
seed, so results are identical with or without it."""
from __future__ import annotations

from collections.abc import Callable, Iterable

_PREFETCH: dict[str, list[Callable]] = {}


def register_prefetch(names: Iterable[str], fn: Callable) -> Callable:
    """Register ``fn(ctx)`` as needed by every claim id or figure name in ``names``."""
    for name in names:
        if fn not in _PREFETCH.setdefault(name, []):
            _PREFETCH[name].append(fn)
    return fn


def prefetch(names: Iterable[str], ctx) -> int:
    """Run, once each and in registration order, the functions registered for ``names``;
    returns how many ran."""
    done: list[Callable] = []
    for name in names:
        for fn in _PREFETCH.get(name, ()):
            if fn not in done:
                fn(ctx)
                done.append(fn)
    return len(done)
