"""Figures of the paths topic: layer collapse against compression (spec paths 6.5) and SynFlow's
neuron-wise conservation (incoming vs outgoing score per hidden neuron).  ``plot`` functions are
pure functions of their tables."""
from __future__ import annotations

import numpy as np

from ..core.figures import FigureSpec, register_figure
from ..core.plotting import new_figure, styled
from ..core.tables import table_from_rows
from ..core.verdicts import CheckContext
from .experiments import (
    COLLAPSE,
    COLLAPSE_METHODS,
    CONSERVING,
    CONTROLS,
    SPEC_65,
    layer_collapse_trial,
    method_scores,
)
from .masks import max_compression
from .network import random_network
from .scores import neuron_conservation

LAYER_NAMES = ("64x256", "256x8", "8x256", "256x10")


def build_layer_collapse(ctx: CheckContext):
    configs = [{"sizes": SPEC_65, "net_seed": 0, "method": m, "alpha": float(a),
                "rounds": COLLAPSE[ctx.budget].rounds if m == "synflow-iterative" else 1}
               for m in COLLAPSE_METHODS for a in COLLAPSE[ctx.budget].alphas]
    records = ctx.runner.run(layer_collapse_trial, configs, "figure layer-collapse")
    rho_max = max_compression(random_network(SPEC_65, 0))
    rows = []
    for cfg, r in zip(configs, records):
        for layer, (frac, kept) in enumerate(zip(r["fractions"], r["kept"])):
            rows.append({"method": cfg["method"], "rounds": cfg["rounds"], "alpha": cfg["alpha"],
                         "rho": 10.0 ** cfg["alpha"], "layer": layer + 1,
                         "layer_shape": LAYER_NAMES[layer], "fraction": frac, "kept": kept,
                         "collapsed": bool(r["collapsed"]), "rho_max": rho_max})
    return table_from_rows(rows)


@styled
def plot_layer_collapse(table):
    methods = list(dict.fromkeys(table["method"]))
    fig, axes = new_figure(ncols=3, nrows=(len(methods) + 2) // 3, width=7.0, height=4.2,
                           sharex=True, sharey=True)
    axes = np.atleast_1d(axes).ravel()
    rho_max = float(table["rho_max"][0])
    for ax, method in zip(axes, methods):
        sel = table["method"] == method
        for i, layer in enumerate(sorted(set(table["layer"][sel]))):
            s = sel & (table["layer"] == layer)
            order = np.argsort(table["rho"][s])
            frac = np.maximum(table["fraction"][s][order], 1e-6)  # 0 drawn at the floor
            ax.plot(table["rho"][s][order], frac, "o-", color=f"C{i}",
                    label=f"layer {int(layer)} ({table['layer_shape'][s][0]})")
        coll = sel & (table["collapsed"].astype(str) == "True")
        if np.any(coll):
            ax.axvline(float(np.min(table["rho"][coll])), color="k", ls=":", lw=0.8)
        ax.axvline(rho_max, color="k", ls="--", lw=0.8)
        rounds = int(table["rounds"][sel][0])
        ax.set_title(method + (f" ({rounds} rounds)" if rounds > 1 else " (single shot)"))
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_ylim(5e-7, 2)
    for ax in axes[len(methods):]:
        ax.set_visible(False)
    for ax in axes:
        ax.set_xlabel(r"compression $\rho$")
    axes[0].set_ylabel("remaining fraction")
    axes[3 if len(axes) > 3 else 0].set_ylabel("remaining fraction")
    axes[0].plot([], [], "k--", lw=0.8, label=r"$\rho_{max} = N/L$")
    axes[0].plot([], [], "k:", lw=0.8, label="first layer collapse")
    axes[0].legend(loc="lower left", fontsize=5)
    fig.suptitle("Layer collapse on MLP [64, 256, 8, 256, 10] (global masking)")
    return fig


def build_conservation(ctx: CheckContext):
    w = random_network([8, 32, 16, 32, 4], 0)
    xbar = np.random.default_rng(1).uniform(0, 1, size=(16, 8)).mean(axis=0)
    rows = []
    for method in CONSERVING + CONTROLS:
        s, _, _ = method_scores(w, method, xbar)
        for layer, (inc, out) in enumerate(neuron_conservation(w, s), start=1):
            for j, (a, b) in enumerate(zip(inc, out)):
                rows.append({"method": method, "conserving": method in CONSERVING,
                             "hidden_layer": layer, "neuron": j, "incoming": float(a),
                             "outgoing": float(b)})
    return table_from_rows(rows)


@styled
def plot_conservation(table):
    methods = list(dict.fromkeys(table["method"]))
    fig, axes = new_figure(ncols=3, nrows=2, width=7.0, height=4.2)
    for ax, method in zip(np.ravel(axes), methods):
        sel = table["method"] == method
        for i, layer in enumerate(sorted(set(table["hidden_layer"][sel]))):
            s = sel & (table["hidden_layer"] == layer)
            ax.plot(table["incoming"][s], table["outgoing"][s], "o", color=f"C{i}", ms=2.5,
                    label=f"hidden layer {int(layer)}")
        lo = float(min(table["incoming"][sel].min(), table["outgoing"][sel].min()))
        hi = float(max(table["incoming"][sel].max(), table["outgoing"][sel].max()))
        ax.plot([lo, hi], [lo, hi], "k-", lw=0.6)
        ax.set_xscale("log")
        ax.set_yscale("log")
        kind = "conserving" if str(table["conserving"][sel][0]) == "True" else "negative control"
        ax.set_title(f"{method} ({kind})", fontsize=7)
        ax.set_xlabel("incoming score")
        ax.set_ylabel("outgoing score")
    np.ravel(axes)[0].legend(loc="upper left", fontsize=5)
    return fig


register_figure(FigureSpec(
    "layer-collapse", ("max-critical-compression", "synflow-conservation"),
    "Remaining fraction of each layer against compression rho for random, magnitude, SNIP, GraSP "
    "and single-shot SynFlow (global masking) and iterative SynFlow (exponential schedule), on the "
    "He-initialised MLP [64, 256, 8, 256, 10]; dashed: rho_max = N/L = 5760, dotted: the first "
    "compression at which a layer is empty (empty layers drawn at 1e-6).", build_layer_collapse, plot_layer_collapse))


register_figure(FigureSpec(
    "synflow-conservation", ("synflow-conservation",),
    "Incoming against outgoing score total of every hidden neuron of an MLP [8, 32, 16, 32, 4]: "
    "SynFlow, variant C and SynFlow-Dist lie on the diagonal (conserved); magnitude and the L2 "
    "variants A and B (negative controls) do not.", build_conservation, plot_conservation))
