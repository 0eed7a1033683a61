"""Figure ``separation-d3``: the d = 3 extension (spec §6 E6) -- neuron-pruning certified lower
bounds (A, B) and dense-grid estimates against weight pruning's rigorous upper bound on the same
nets, log-log (pure function of its table)."""
from __future__ import annotations

import numpy as np
from matplotlib.ticker import NullFormatter

from ..core.figures import FigureSpec, register_figure
from ..core.plotting import new_figure, styled
from ..core.tables import table_from_rows
from .experiments_sphere import sphere_records

SERIES = {  # column -> (label, style, colour)
    "weight_bound": ("weight pruning (B): rigorous upper bound (block l2 bound)", "o-", "C0"),
    "lower_B": ("neuron pruning (B): certified lower bound", "s-", "C1"),
    "estimate_B": ("neuron pruning (B): best found, dense-grid error (estimate)", "s:", "C1"),
    "lower_A": ("neuron pruning (A): certified lower bound", "D-", "C3"),
    "estimate_A": ("neuron pruning (A): best found, dense-grid error (estimate)", "D:", "C3"),
}


def build_sphere(ctx) -> dict:
    recs = sphere_records(ctx)
    rows = []
    for n in sorted({r["n"] for r in recs}):
        rs = [r for r in recs if r["n"] == n]
        row = {"n": n, "nets": len(rs),
               "weight_certified_better": float(np.mean([r["weight_certified_better"]
                                                         for r in rs])),
               "node_limited": sum(r[f"status_{a}"] != "optimal" for r in rs for a in "AB")}
        for col in SERIES:
            v = np.array([r[col] for r in rs], dtype=float)
            row.update({f"{col}_median": float(np.median(v)),
                        f"{col}_q25": float(np.quantile(v, 0.25)),
                        f"{col}_q75": float(np.quantile(v, 0.75))})
        rows.append(row)
    return table_from_rows(rows)


@styled
def plot_sphere(table):
    fig, ax = new_figure(1, 1, width=4.5, height=3.2)
    n = np.asarray(table["n"], dtype=float)
    for col, (label, style, color) in SERIES.items():
        med = np.asarray(table[f"{col}_median"], dtype=float)
        if col in ("weight_bound", "lower_B", "lower_A"):
            ax.fill_between(n, np.asarray(table[f"{col}_q25"], dtype=float),
                            np.asarray(table[f"{col}_q75"], dtype=float), color=color,
                            alpha=0.12, lw=0)
        ax.plot(n, med, style, color=color, ms=3, lw=1.0, label=label)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ticks = [t for t in (8, 16, 32, 64, 128) if n.min() <= t <= n.max()]
    ax.set_xticks(ticks, [str(t) for t in ticks])
    ax.xaxis.set_minor_formatter(NullFormatter())
    ax.set_xlabel("width n (hidden units)")
    ax.set_ylabel("sup error over the sphere S²")
    ax.set_title("d = 3: medians and IQR over nets")
    ax.legend(fontsize=5, loc="lower left")
    return fig


register_figure(FigureSpec(
    "separation-d3", ("weight-pruning-logarithmic",),
    "d = 3 extension (spec E6; the weight-pruning bound is that claim's, in d = 3; no neuron-"
    "pruning claim is registered for d = 3): Gaussian units, w uniform on "
    "the sphere.  Neuron pruning: certified lower bound on the optimum (point-set MILP by "
    "constraint generation: Fibonacci points, the target's kink circle and the worst points of a "
    "dense set; dual bound minus the solver tolerance) and the best subnetwork found, measured on "
    "the dense set (an estimate, not a bound: no exact sup evaluator exists here for S²).  Weight "
    "pruning: the block construction's l2 bound, a rigorous upper bound, on the same nets.  The "
    "CSV also gives the fraction of nets on which weight pruning is certified better than every "
    "neuron-pruned subnetwork (B) and how many solves stopped at the node limit.",
    build_sphere, plot_sphere))
