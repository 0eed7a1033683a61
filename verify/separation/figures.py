"""Figures of the separation topic: the headline neuron-vs-weight pruning figure, the
subset-sum rate and the neuron-pruning lower bound (pure functions of their tables)."""
from __future__ import annotations

import numpy as np
from pruneproof.theory import separation as th

from ..core.figures import FigureSpec, register_figure
from ..core.plotting import new_figure, styled
from ..core.tables import table_from_rows
from .experiments import (
    HEADLINE_LAW,
    HEADLINE_LAW_TEXT,
    _median_groups,
    _neuron_records,
    _subset_records,
    _weight_records,
    certified_crossover,
    items_weight,
    poisson_fit_ns,
    weight_beats_neuron_fractions,
)
from .experiments_b import kink_exclusion_on_neuron_nets, neuron_sandwiches
from .rates import poisson_median


def _quantiles(values):
    v = np.asarray(values, dtype=float)
    return float(np.median(v)), float(np.quantile(v, 0.25)), float(np.quantile(v, 0.75))


WP_SERIES = "weight pruning (B, exact sup)"


WP_SAME_NETS = "weight pruning (B), the neuron-pruning nets"


NB_UPPER = "neuron pruning B: upper (exact)"


NB_LOWER = "neuron pruning B: certified lower"


CERTIFIED_FRACTION = ("fraction of nets with weight pruning certified below every neuron-pruned "
                      "subnet (B; q25/q75 = 95% CI)")


KINK_SERIES = "kink-gap bound LB_A (A)"


EXCLUSION_SERIES = "kink-exclusion bound (B)"


SANDWICH_SERIES = {"upper_B": "neuron pruning B, beyond the certified range: best found (upper)",
                   "lower_B": "neuron pruning B, beyond the certified range: kink-exclusion lower",
                   "upper_A": "neuron pruning A, beyond the certified range: best found (upper)",
                   "weight_sup": WP_SAME_NETS}


def build_separation(ctx) -> dict:
    """Weight and neuron pruning on the same law (``HEADLINE_LAW_TEXT``); neuron pruning A and B
    as certified sandwiches (constraint generation, :mod:`.certify`) at every width."""
    rows = []

    def add(series, n, values, law=HEADLINE_LAW_TEXT):
        m, q1, q3 = _quantiles(values)
        rows.append({"series": series, "n": n, "median": m, "q25": q1, "q75": q3, "law": law})

    for r in _weight_records(ctx, HEADLINE_LAW):
        add(WP_SERIES, r["n"], r["sup"])
    recs = _neuron_records(ctx)
    ns, groups = _median_groups(recs, "weight_sup", "B")
    for n, g in zip(ns, groups):
        add(WP_SAME_NETS, n, g)
    for a in ("A", "B"):
        for key, label in (("error", f"neuron pruning {a}: upper (exact)"),
                           ("lower", f"neuron pruning {a}: certified lower")):
            ns, groups = _median_groups(recs, key, a)
            for n, g in zip(ns, groups):
                add(label, n, g)
    sandwiches = neuron_sandwiches(ctx)
    for key, label in SANDWICH_SERIES.items():
        for n in sorted({r["n"] for r in sandwiches}):
            add(label, n, [r[key] for r in sandwiches if r["n"] == n])
    for f in weight_beats_neuron_fractions(recs + sandwiches):
        rows.append({"series": CERTIFIED_FRACTION, "n": f["n"], "median": f["fraction"],
                     "q25": f["ci_low"], "q75": f["ci_high"], "law": HEADLINE_LAW_TEXT})
    ns, groups = _median_groups(_with_kink_bound(recs), "kink_bound", "A")
    for n, g in zip(ns, groups):
        add(KINK_SERIES, n, g)
    exclusion = kink_exclusion_on_neuron_nets(ctx)
    for n in sorted({r["n"] for r in exclusion}):
        add(EXCLUSION_SERIES, n, [r["kink_exclusion_b"] for r in exclusion if r["n"] == n])
    return table_from_rows(rows)


def _poisson_median(n_items: float, z_low: float = -1.0, z_high: float = 1.0) -> float:
    """Poisson-heuristic median of the registered subset-sum claim (figures draw the registered
    theory)."""
    return poisson_median(th.SUBSET_SUM, n_items, (z_low, z_high))


def _with_kink_bound(recs):
    """Architecture-A records with the registered kink-gap bound evaluated on their gaps."""
    bound = th.NEURON_LB.numeric("bound")
    return [{**r, "kink_bound": float(bound(w_norm=r["w_norm"], delta_1=r["delta_1"],
                                            delta_2=r["delta_2"]))} for r in recs]


def _series(table, name):
    mask = table["series"] == name
    order = np.argsort(table["n"][mask])
    return {k: np.asarray(table[k][mask], dtype=float)[order] for k in ("n", "median", "q25",
                                                                         "q75")}


@styled
def plot_separation(table):
    fig, axes = new_figure(2, 1, width=6.75, height=3.6)
    wp = _series(table, WP_SERIES)
    same = _series(table, WP_SAME_NETS)
    nb_u = _series(table, NB_UPPER)
    nb_l = _series(table, NB_LOWER)
    na_u = _series(table, "neuron pruning A: upper (exact)")
    frac = _series(table, CERTIFIED_FRACTION)
    lba = _series(table, KINK_SERIES)
    lbb = _series(table, EXCLUSION_SERIES)
    sw_u, sw_l, sw_a = (_series(table, SANDWICH_SERIES[k]) for k in ("upper_B", "lower_B",
                                                                     "upper_A"))
    n_max = max([wp["n"].max(), nb_u["n"].max()] + list(sw_u["n"]))
    n_all = np.linspace(2, n_max, 200)
    mean_lb = th.NEURON_LB.numeric("mean")
    pm = np.array([_poisson_median(items_weight(n), -1.0, 1.0) for n in n_all])
    fitted = np.isin(wp["n"], poisson_fit_ns(wp["n"], items_weight))
    anchor = np.median(wp["median"][fitted] / np.interp(wp["n"][fitted], n_all, pm))
    cross = certified_crossover([{"n": n, "fraction": f} for n, f in zip(frac["n"],
                                                                          frac["median"])])
    y_low = 10 ** np.floor(np.log10(max(np.min(np.r_[wp["median"], same["median"]]), 1e-12)))
    for ax, loglog in zip(axes, (False, True)):
        ax.fill_between(wp["n"], wp["q25"], wp["q75"], color="C0", alpha=0.2, lw=0)
        ax.plot(wp["n"], wp["median"], "o-", color="C0", ms=3,
                label="weight pruning (B): median, IQR")
        ax.plot(same["n"], same["median"], "x", color="C0", ms=4,
                label="weight pruning of the neuron-pruning nets (median)")
        ax.fill_between(nb_u["n"], nb_l["median"], nb_u["median"], color="C1", alpha=0.35, lw=0)
        ax.fill_between(nb_u["n"], nb_u["q25"], nb_u["q75"], color="C1", alpha=0.12, lw=0)
        ax.plot(nb_u["n"], nb_u["median"], "s-", color="C1", ms=3,
                label="neuron pruning (B): certified optimum (<= 1 % gap), median, IQR")
        ax.plot(nb_l["n"], nb_l["median"], "s--", color="C1", mfc="none", ms=3,
                label="neuron pruning (B): certified LB (median)")
        if sw_u["n"].size:
            ax.fill_between(sw_u["n"], sw_l["median"], sw_u["median"], color="C1", alpha=0.15,
                            lw=0)
            ax.plot(sw_u["n"], sw_u["median"], "s:", color="C1", ms=3,
                    label="neuron pruning (B), larger n: sandwich from the kink-exclusion bound "
                          "to the best found (medians)")
            ax.plot(sw_a["n"], sw_a["median"], "D:", color="C3", mfc="none", ms=3,
                    label="neuron pruning (A), larger n: best found (median)")
        ax.plot(na_u["n"], na_u["median"], "D-", color="C3", mfc="none", ms=3,
                label="neuron pruning (A): certified optimum (<= 1 % gap), median")
        ax.plot(lba["n"], lba["median"], "^:", color="C2", ms=3,
                label="kink-gap bound LB_A (A), median")
        ax.plot(lbb["n"], lbb["median"], "v:", color="C1", ms=3,
                label="kink-exclusion bound (B), median")
        ax.plot(n_all, mean_lb(n=n_all, w_norm=1.0), "-", color="C2", lw=0.8,
                label="E[LB_A] ~ pi/(6n) (A)")
        ax.plot(n_all, anchor * pm, "-", color="C0", lw=0.8,
                label="theory: 2^{-n/4}-type rate (Poisson, fitted offset)")
        if cross is not None:
            ax.axvline(cross, color="0.4", lw=0.8, ls="--")
            ax.annotate(f"certified crossover n~{cross:.0f}", (cross, 0.03),
                        xycoords=("data", "axes fraction"), xytext=(3, 0),
                        textcoords="offset points", fontsize=6, rotation=90)
        ax.set_yscale("log")
        if loglog:
            from matplotlib.ticker import NullFormatter
            ax.set_xscale("log")
            ticks = [t for t in (2, 4, 8, 16, 32, 64, 128, 256) if t <= n_all.max() * 1.05]
            ax.set_xticks(ticks, [str(t) for t in ticks])
            ax.xaxis.set_minor_formatter(NullFormatter())
        ax.set_xlabel("width n (hidden units)")
        ax.set_ylabel("sup error over the circle")
        ax.set_ylim(y_low, 2)
        ax.set_title("log-log" if loglog else "semi-log")
    handles, labels = axes[0].get_legend_handles_labels()
    if cross is not None:
        from matplotlib.lines import Line2D
        handles.append(Line2D([], [], color="0.4", lw=0.8, ls="--"))
        labels.append("certified crossover: from here weight pruning beats\nevery "
                      "neuron-pruned subnet on >= half of the nets")
    fig.legend(handles, labels, loc="outside lower center", ncol=2, fontsize=5.5)
    return fig


def build_subset_rate(ctx) -> dict:
    rows = []
    for r in _subset_records(ctx):
        key = "coverage" if r["coverage"] else "best"
        m, q1, q3 = _quantiles(r[key])
        theory = (_poisson_median(r["n"]) if key == "best" else float("nan"))
        rows.append({"quantity": key, "n": r["n"], "median": m, "q25": q1, "q75": q3,
                     "theory_median": theory})
    return table_from_rows(rows)


@styled
def plot_subset_rate(table):
    fig, ax = new_figure(1, 1, width=3.4, height=2.6)
    for key, color, label in (("best", "C0", "best error E_n (z ~ U[-1,1])"),
                              ("coverage", "C1", "coverage error sup_z E_n(z)")):
        mask = table["quantity"] == key
        order = np.argsort(table["n"][mask])
        n = table["n"][mask][order].astype(float)
        ax.fill_between(n, table["q25"][mask][order].astype(float),
                        table["q75"][mask][order].astype(float), color=color, alpha=0.2, lw=0)
        ax.plot(n, table["median"][mask][order].astype(float), "o-", color=color,
                label=label + ": median, IQR")
        if key == "best":
            ax.plot(n, table["theory_median"][mask][order].astype(float), "k--", lw=0.8,
                    label="Poisson median ln2 sqrt(pi n/3) e^{3z^2/n}/2^{n+1}")
    ax.set_yscale("log")
    ax.set_xlabel("number of items n")
    ax.set_ylabel("subset-sum error")
    ax.legend(fontsize=5.5, loc="lower left")
    return fig


def build_neuron_lb(ctx) -> dict:
    rows = [{"n": r["n"], "optimum_upper": r["error"], "optimum_lower": r["lower"],
             "kink_bound": r["kink_bound"], "status": r["status"]}
            for r in _with_kink_bound(_neuron_records(ctx, ("A",)))]
    return table_from_rows(rows)


@styled
def plot_neuron_lb(table):
    fig, ax = new_figure(1, 1, width=3.4, height=2.8)
    ns = sorted(set(table["n"].astype(float)))
    for i, n in enumerate(ns):
        m = table["n"] == n
        ax.errorbar(table["kink_bound"][m].astype(float), table["optimum_upper"][m].astype(float),
                    yerr=[table["optimum_upper"][m].astype(float)
                          - table["optimum_lower"][m].astype(float), np.zeros(int(m.sum()))],
                    fmt="o", ms=3, color=f"C{i % 8}", elinewidth=0.6, label=f"n = {n:.0f}")
    lo = max(1e-4, float(np.min(table["kink_bound"].astype(float))) / 2)
    xs = np.array([lo, 2.0])
    ax.plot(xs, xs, "k-", lw=0.8, label="optimum = LB_A")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("kink-gap bound LB_A = d1 d2 / (2(d1+d2))")
    ax.set_ylabel("optimum sup error (A)")
    ax.legend(fontsize=5.5, ncol=2)
    return fig


register_figure(FigureSpec(
    "separation", ("weight-pruning-logarithmic", "neuron-pruning-inverse-n",
                   "neuron-pruning-lower-bound", "neuron-pruning-lower-bound-b",
                   "subset-sum-exponential"),
    "Error against width n, both pruning types on the same random-net law (" + HEADLINE_LAW_TEXT
    + "): weight pruning (architecture B, exact sup error of the block construction; crosses: "
    "the very nets used for neuron pruning) vs the neuron-pruning optimum in architectures B "
    "and A, certified at every width by constraint generation (band: certified lower bound to "
    "exact upper bound, relative gap <= 1 % when certified) -- with the architecture-A "
    "kink-gap bound, its expectation pi/(6n), the architecture-B kink-exclusion bound (median "
    "over the same nets); beyond the certified range (other nets of the same law) a wider "
    "sandwich per net: the kink-exclusion bound (B) below, the exact error of the best subset "
    "found by local search above; the exponential rate and the certified crossover: "
    "the smallest n from which, on at least half of the nets, weight pruning is certified better "
    "than every neuron-pruned subnetwork of the same net (certified lower bound or kink-exclusion "
    "bound above the weight-pruning error, or an infeasible feasibility MILP at t = that error; "
    "fractions with 95% CIs in the CSV).",
    build_separation, plot_separation))


register_figure(FigureSpec(
    "subset-sum-rate", ("subset-sum-exponential",),
    "Random subset sum: best error (meet-in-the-middle) and coverage error against n, medians with "
    "IQR, and the Poisson-heuristic median.", build_subset_rate, plot_subset_rate))


register_figure(FigureSpec(
    "neuron-lower-bound", ("neuron-pruning-lower-bound",),
    "Architecture A, d = 2: per-instance neuron-pruning optimum (exact upper bound; bar down to the "
    "certified grid-MILP lower bound) against the kink-gap bound LB_A, for several n.",
    build_neuron_lb, plot_neuron_lb))
