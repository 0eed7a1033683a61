"""Budgets: how much work a check or figure does.

* ``smoke``   -- ``pruneproof all`` in <= 60 s on 2 cores (CI);
* ``default`` -- what ``pruneproof all`` runs, <= 5 minutes on 2 cores;
* ``paper``   -- publication quality, for many cores or a dask cluster.
"""
BUDGETS = ("smoke", "default", "paper")


def validate_budget(budget: str) -> str:
    if budget not in BUDGETS:
        raise ValueError(f"budget must be one of {', '.join(BUDGETS)}, got {budget!r}")
    return budget


def pick(table: dict, budget: str):
    """``table[budget]`` with a clear error for an unknown budget."""
    return table[validate_budget(budget)]
