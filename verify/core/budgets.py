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


def preset_table(cls, presets: dict) -> dict:
    """Validate a topic's budget presets: ``{budget: cls(...)}`` for every budget, each a frozen
    dataclass instance of ``cls`` (the open_lth pattern: one place shows what a budget costs)."""
    import dataclasses
    if not (dataclasses.is_dataclass(cls) and cls.__dataclass_params__.frozen):
        raise TypeError(f"{cls.__name__} must be a frozen dataclass")
    missing = [b for b in BUDGETS if b not in presets]
    if missing:
        raise ValueError(f"{cls.__name__} presets miss budgets {missing}")
    for name, value in presets.items():
        validate_budget(name)
        if not isinstance(value, cls):
            raise TypeError(f"preset {name!r} must be a {cls.__name__}, got {type(value).__name__}")
    return dict(presets)


def non_default_fields(budget) -> dict:
    """The fields of a budget dataclass that differ from their defaults (canonical order): what
    names it -- adding a defaulted field keeps old names and hashes valid."""
    import dataclasses
    out = {}
    for f in dataclasses.fields(budget):
        default = f.default if f.default is not dataclasses.MISSING else (
            f.default_factory() if f.default_factory is not dataclasses.MISSING else None)
        value = getattr(budget, f.name)
        if value != default:
            out[f.name] = value
    return dict(sorted(out.items()))


def budget_hash(budget) -> str:
    """SHA-256 (first 16 hex digits) of the canonical JSON of :func:`non_default_fields`."""
    import hashlib
    import json
    text = json.dumps(non_default_fields(budget), sort_keys=True, separators=(",", ":"),
                      default=list)
    return hashlib.sha256(text.encode()).hexdigest()[:16]
