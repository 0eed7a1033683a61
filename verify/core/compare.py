"""Compare regenerated figure data with the committed tables (``pruneproof all --check``).

Each numeric column is compared with ``|got - want| <= atol + rtol |want|`` (NaN equals NaN); a
figure may state wider tolerances per column (``FigureSpec.tolerances``) with the reason, where
exact reproducibility across machines is impossible.  Text columns must be equal.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: default tolerance: results are bit-identical on one machine; across machines BLAS kernels may
#: change the last bits of sums (about 1e-15 relative), never more than this
DEFAULT_RTOL = 1e-9
DEFAULT_ATOL = 1e-12


@dataclass(frozen=True)
class Mismatch:
    figure: str
    column: str
    detail: str

    def __str__(self) -> str:
        return f"{self.figure}: column {self.column!r}: {self.detail}"


def compare_tables(name: str, want: dict, got: dict, tolerances: dict | None = None) -> list:
    """Mismatches between the committed table ``want`` and the regenerated ``got``."""
    tolerances = tolerances or {}
    out = []
    if list(want) != list(got):
        out.append(Mismatch(name, "*", f"columns differ: {list(want)} vs {list(got)}"))
        return out
    for column in want:
        a, b = np.asarray(want[column]), np.asarray(got[column])
        if a.shape != b.shape:
            out.append(Mismatch(name, column, f"length {a.shape[0]} vs {b.shape[0]}"))
            continue
        if a.dtype == object or b.dtype == object:
            bad = [i for i, (x, y) in enumerate(zip(a, b)) if str(x) != str(y)]
            if bad:
                out.append(Mismatch(name, column, f"{len(bad)} text cells differ (first row "
                                    f"{bad[0]}: {a[bad[0]]!r} vs {b[bad[0]]!r})"))
            continue
        rtol, atol = tolerances.get(column, (DEFAULT_RTOL, DEFAULT_ATOL))[:2]
        a, b = a.astype(float), b.astype(float)
        both_nan = np.isnan(a) & np.isnan(b)
        with np.errstate(invalid="ignore"):
            ok = both_nan | (a == b) | (np.abs(b - a) <= atol + rtol * np.abs(a))
        if not np.all(ok):
            i = int(np.flatnonzero(~ok)[0])
            rel = np.abs(b - a) / np.maximum(np.abs(a), 1e-300)
            worst = float(np.nanmax(np.where(ok, 0.0, rel)))
            out.append(Mismatch(name, column, f"{int(np.sum(~ok))} values outside rtol={rtol:g}, "
                                f"atol={atol:g} (worst relative change {worst:.3g}; first row {i}: "
                                f"{a[i]!r} vs {b[i]!r})"))
    return out
