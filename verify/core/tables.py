"""Tidy tables: a ``dict[str, numpy.ndarray]`` of equal-length columns, stored as CSV.

Figures are pure functions of these tables; the CSV under ``figures/data/`` is the data behind each
figure.  Numeric columns round-trip exactly (``repr`` of float64)."""
from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np

from .engine import atomic_write_text

Table = dict


def table_from_rows(rows: list[dict]) -> Table:
    """Columns from a list of row dicts (all rows must have the same keys)."""
    if not rows:
        raise ValueError("rows must not be empty")
    keys = list(rows[0])
    for row in rows:
        if list(row) != keys:
            raise ValueError(f"row keys differ: {list(row)} vs {keys}")
    return {k: np.asarray([r[k] for r in rows]) for k in keys}


def _fmt(value) -> str:
    if isinstance(value, (float, np.floating)):
        return repr(float(value))
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value))
    return str(value)


def to_csv_text(table: Table) -> str:
    keys = list(table)
    lengths = {len(np.atleast_1d(table[k])) for k in keys}
    if len(lengths) != 1:
        raise ValueError(f"columns have different lengths: {lengths}")
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(keys)
    for row in zip(*(np.atleast_1d(table[k]) for k in keys)):
        writer.writerow([_fmt(v) for v in row])
    return buf.getvalue()


def write_csv(table: Table, path: Path) -> None:
    atomic_write_text(Path(path), to_csv_text(table))


def _column(values: list[str]) -> np.ndarray:
    try:
        return np.asarray([float(v) for v in values], dtype=float)
    except ValueError:
        return np.asarray(values, dtype=object)


def read_csv(path: Path) -> Table:
    with open(path, newline="") as handle:
        reader = csv.reader(handle)
        keys = next(reader)
        rows = list(reader)
    return {k: _column([r[i] for r in rows]) for i, k in enumerate(keys)}
