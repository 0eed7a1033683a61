"""Figure ``neuron-pruning-scaling``: the certified neuron-pruning optimum against n (log-log)
for architectures A and B, per-instance sandwiches, medians, the fitted exponent with its CI
(the rule of the ``neuron-pruning-inverse-n`` route) and the kink-gap bound (pure function of
its table); for architecture B the kink-exclusion bound (``neuron-pruning-lower-bound-b``) on the
same nets instead, since LB_A does not bound B."""
from __future__ import annotations

import numpy as np
from matplotlib.ticker import NullFormatter
from pruneproof.theory import separation as th

from ..core.budgets import pick
from ..core.figures import FigureSpec, register_figure
from ..core.plotting import new_figure, styled
from ..core.tables import table_from_rows
from .experiments import NEURON, _median_groups, _neuron_records
from .experiments_b import kink_exclusion_on_neuron_nets, neuron_sandwiches
from .rates import ALPHA, slope_fit

NAN = float("nan")


def build_scaling(ctx) -> dict:
    recs = _neuron_records(ctx)
    fit_ns = set(pick(NEURON, ctx.budget).fit_ns)
    bound = th.NEURON_LB.numeric("bound")
    exclusion = {(r["n"], r["instance"]): r["kink_exclusion_b"]
                 for r in kink_exclusion_on_neuron_nets(ctx)}
    rows, seen = [], {}
    for r in recs:
        kb = float(bound(w_norm=r["w_norm"], delta_1=r["delta_1"], delta_2=r["delta_2"]))
        key = (r["architecture"], r["n"])
        instance = seen[key] = seen.get(key, -1) + 1   # records are in instance order
        kx = exclusion[(r["n"], instance)] if r["architecture"] == "B" else NAN
        rows.append({"kind": "instance", "architecture": r["architecture"], "n": r["n"],
                     "upper": r["error"], "lower": r["lower"], "kink_bound": kb,
                     "kink_exclusion_b": kx,
                     "certified": int(r["status"] == "certified"), "slope": NAN,
                     "ci_low": NAN, "ci_high": NAN, "intercept": NAN})
    for r in neuron_sandwiches(ctx):
        for a in ("A", "B"):
            rows.append({"kind": "sandwich", "architecture": a, "n": r["n"],
                         "upper": r[f"upper_{a}"], "lower": r[f"lower_{a}"], "kink_bound": NAN,
                         "kink_exclusion_b": NAN, "certified": 0, "slope": NAN,
                         "ci_low": NAN, "ci_high": NAN, "intercept": NAN})
    fit_recs = [r for r in recs if r["n"] in fit_ns]
    for a in ("A", "B"):
        ns, groups = _median_groups(fit_recs, "error", a)
        fit = slope_fit(ns, groups, level=1 - ALPHA / 4, seed=3, log_x=True)
        rows.append({"kind": "fit", "architecture": a, "n": NAN, "upper": NAN, "lower": NAN,
                     "kink_bound": NAN, "kink_exclusion_b": NAN, "certified": 0, "slope": fit.slope,
                     "ci_low": fit.ci_low, "ci_high": fit.ci_high,
                     "intercept": fit.intercept, "fit_n_min": min(ns), "fit_n_max": max(ns)})
    for row in rows:
        row.setdefault("fit_n_min", NAN)
        row.setdefault("fit_n_max", NAN)
    return table_from_rows(rows)


@styled
def plot_scaling(table):
    fig, axes = new_figure(ncols=2, nrows=1, width=6.75, height=2.9, sharey=True)
    inst = table["kind"] == "instance"
    for ax, a, color in zip(axes, ("A", "B"), ("C3", "C1")):
        m = inst & (table["architecture"] == a)
        n = table["n"][m].astype(float)
        up, lo = table["upper"][m].astype(float), table["lower"][m].astype(float)
        jitter = n * np.exp(0.03 * (np.arange(n.size) % 7 - 3))
        ax.vlines(jitter, lo, up, color=color, lw=0.6, alpha=0.6)
        ax.plot(jitter, up, ".", color=color, ms=2.5, alpha=0.6,
                label="per net: certified sandwich")
        ns = np.unique(n)
        n_top = max([ns.max()] + list(table["n"][(table["kind"] == "sandwich")].astype(float)))
        med = np.array([np.median(up[n == k]) for k in ns])
        column, label = (("kink_bound", "kink-gap bound LB_A (median)") if a == "A" else
                         ("kink_exclusion_b", "kink-exclusion bound (median)"))
        kb = np.array([np.median(table[column][m].astype(float)[n == k]) for k in ns])
        ax.plot(ns, med, "o-", color=color, ms=3.5, label="median certified optimum")
        ax.plot(ns, kb, "^:", color="C2", ms=3, label=label)
        sw = (table["kind"] == "sandwich") & (table["architecture"] == a)
        if sw.any():
            n_sw = table["n"][sw].astype(float)
            sn = np.unique(n_sw)
            for col, style in (("upper", "o:"), ("lower", "v:")):
                v = table[col][sw].astype(float)
                ax.plot(sn, [np.median(v[n_sw == k]) for k in sn], style, color=color, mfc="none",
                        ms=3, lw=0.8, label=f"larger n, not certified: sandwich {col} (median)")
        f = (table["kind"] == "fit") & (table["architecture"] == a)
        slope, low, high = (float(table[k][f][0]) for k in ("slope", "ci_low", "ci_high"))
        icpt = float(table["intercept"][f][0])
        nf = np.geomspace(float(table["fit_n_min"][f][0]), float(table["fit_n_max"][f][0]), 50)
        ax.plot(nf, 10 ** icpt * nf ** slope, "k--", lw=0.9,
                label=f"fit: n^{{{slope:.2f}}}, CI [{low:.2f}, {high:.2f}]")
        ax.plot(nf, 10 ** icpt * nf[0] ** slope * (nf / nf[0]) ** -1.0, "-", color="0.6",
                lw=0.7, label="slope -1 (hypothesis)")
        ax.set_xscale("log")
        ax.set_yscale("log")
        ticks = [t for t in (8, 16, 32, 64, 128) if ns.min() <= t <= n_top]
        ax.set_xticks(ticks, [str(t) for t in ticks])
        ax.xaxis.set_minor_formatter(NullFormatter())
        ax.set_xlabel("width n")
        if a == "A":
            ax.set_ylabel("neuron-pruning sup error")
        ax.set_title(f"architecture {a}")
        ax.legend(fontsize=5, loc="lower left")
    return fig


register_figure(FigureSpec(
    "neuron-pruning-scaling", ("neuron-pruning-inverse-n", "neuron-pruning-lower-bound",
                               "neuron-pruning-lower-bound-b"),
    "Neuron pruning (d = 2, sup error, Gaussian units, ||w|| = 1): the optimum certified by "
    "constraint generation (per net: bar from certified lower bound to exact upper bound; "
    "relative gap <= 1 % when certified) against n, log-log, for architectures A and B, with "
    "medians, the fitted exponent and its bootstrap CI over nets (the route's pre-declared fit "
    "range and level 1 - ALPHA/4), the slope -1 reference, the kink-gap bound LB_A (A) and the "
    "kink-exclusion bound (B), medians over the same nets; beyond the certified widths, "
    "medians of a wider per-net sandwich on other nets of the same law (the kink-exclusion bound "
    "(B) or the larger of the kink-gap and LP bounds (A) below, the best subset found by local "
    "search above).",
    build_scaling, plot_scaling))
