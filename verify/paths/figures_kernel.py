"""Figures of the path kernel: the NTK decomposition and tr Pi by one pass against enumeration with
their costs (``path-kernel``), and tr Pi / lambda_max(Theta) at initialisation against the early
loss-decay rate across masks (``path-kernel-convergence``).  ``plot`` functions are pure functions
of their tables."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..core.budgets import preset_table
from ..core.figures import FigureSpec, register_figure
from ..core.plotting import new_figure, styled
from ..core.tables import table_from_rows
from ..core.verdicts import CheckContext
from .experiments_ntk import convergence_configs, convergence_trial
from .kernel import num_paths, path_activations, path_kernel, path_kernel_trace
from .network import layer_sizes, num_params, param_jacobian, random_network


@dataclass(frozen=True)
class KernelFigureBudget:
    archs: tuple = ([3, 4, 3, 2], [4, 5, 4, 3], [4, 6, 6, 3], [5, 8, 6, 4])


KERNEL_FIGURE = preset_table(KernelFigureBudget, {
    "smoke": KernelFigureBudget(),
    "default": KernelFigureBudget(archs=([3, 4, 3, 2], [4, 5, 4, 3], [4, 6, 6, 3], [5, 8, 6, 4],
                                         [6, 8, 8, 5])),
    "paper": KernelFigureBudget(archs=([3, 4, 3, 2], [4, 5, 4, 3], [4, 6, 6, 3], [5, 8, 6, 4],
                                       [6, 8, 8, 5], [8, 8, 8, 8]))})


def _rel(a, b) -> float:
    a, b = np.asarray(a, float), np.asarray(b, float)
    return float(np.max(np.abs(a - b)) / np.max(np.abs(a)))


def build_path_kernel(ctx: CheckContext):
    """Per architecture: |P|, #params, the relative errors of J_pi Pi J_pi^T against the backprop
    NTK and of the one-pass trace against the enumerated tr Pi, and the entries each method forms
    (enumeration: J^pi_theta (|P| x #params) and Pi (|P|^2); one pass: #params + sum_l d_l)."""
    rows = []
    for i, sizes in enumerate(KERNEL_FIGURE[ctx.budget].archs):
        rng = np.random.default_rng(40_000 + i)
        w = random_network(list(sizes), rng)
        X = rng.standard_normal((4, sizes[0]))
        J = param_jacobian(w, X)
        Jpi = path_activations(w, X)
        _, Pi = path_kernel(w)
        P, n_params = num_paths(w), num_params(w)
        rows.append({"sizes": "-".join(map(str, sizes)), "paths": P, "params": n_params,
                     "ntk_rel_error": _rel(J @ J.T, Jpi @ Pi @ Jpi.T),
                     "trace_rel_error": _rel(np.trace(Pi), path_kernel_trace(w)),
                     "trace": float(np.trace(Pi)),
                     "enumeration_entries": P * n_params + P * P,
                     "one_pass_entries": n_params + sum(layer_sizes(w))})
    return table_from_rows(rows)


@styled
def plot_path_kernel(table):
    fig, (ax1, ax2) = new_figure(ncols=2, width=6.75, height=2.6)
    P = np.asarray(table["paths"], float)
    ax1.plot(P, np.maximum(table["ntk_rel_error"], 1e-18), "o-", label=r"NTK: $J_\pi\Pi J_\pi^T$ vs backprop")
    ax1.plot(P, np.maximum(table["trace_rel_error"], 1e-18), "s-", label=r"tr $\Pi$: one pass vs enumeration")
    ax1.axhline(1e-10, color="k", ls=":", lw=0.8, label="route tolerance 1e-10")
    ax1.set_xscale("log")
    ax1.set_yscale("log")
    ax1.set_xlabel("number of paths |P|")
    ax1.set_ylabel("relative error")
    ax1.legend(fontsize=5)
    ax2.plot(P, table["enumeration_entries"], "o-", label=r"enumeration ($|P|\cdot|\theta| + |P|^2$)")
    ax2.plot(P, table["one_pass_entries"], "s-", label=r"one pass ($|\theta| + \sum_l d_l$)")
    ax2.set_xscale("log")
    ax2.set_yscale("log")
    ax2.set_xlabel("number of paths |P|")
    ax2.set_ylabel("entries formed (cost)")
    ax2.legend(fontsize=5)
    fig.suptitle("Path kernel: one pass vs enumeration")
    return fig


def build_convergence(ctx: CheckContext):
    configs = convergence_configs(ctx.budget)
    records = ctx.runner.run(convergence_trial, configs, "figure path-kernel-convergence")
    rows = []
    for cfg, r in zip(configs, records):
        for m in r["masks"]:
            rows.append({"net_seed": cfg["net_seed"], "mask": m["mask"],
                         "random_allocation": m["mask"].startswith("random-allocation"),
                         "trace": m["trace"], "lambda_max": m["lambda_max"], "rate": m["rate"],
                         "eta": r["eta"]})
    return table_from_rows(rows)


@styled
def plot_convergence(table):
    fig, axes = new_figure(ncols=2, width=6.75, height=2.8, sharey=True)
    seeds = list(dict.fromkeys(table["net_seed"]))
    for ax, col, label in zip(axes, ("trace", "lambda_max"),
                              (r"tr $\Pi$ of the masked net at init",
                               r"$\lambda_{max}(\Theta)$ at init")):
        x = np.asarray(table[col], float)
        floor = 0.1 * float(np.min(x[x > 0]))          # disconnected masks (0) drawn at the floor
        dead = x <= 0
        if np.any(dead):
            ax.plot(np.full(int(dead.sum()), floor), table["rate"][dead], "kx", ms=3,
                    label="disconnected (drawn at left)")
        for i, seed in enumerate(seeds):
            sel = (table["net_seed"] == seed) & ~dead
            ra = sel & (table["random_allocation"].astype(str) == "True")
            me = sel & ~(table["random_allocation"].astype(str) == "True")
            ax.plot(table[col][ra], table["rate"][ra], "o", color=f"C{i % 10}",
                    ms=2.5, alpha=0.6)
            ax.plot(table[col][me], table["rate"][me], "^", color=f"C{i % 10}",
                    ms=3.5)
        ax.set_xscale("log")
        ax.set_xlabel(label)
    axes[0].set_ylabel("early decay rate of log loss")
    axes[0].plot([], [], "ko", ms=2.5, label="random masks (varied layer allocation)")
    axes[0].plot([], [], "k^", ms=3.5, label="method masks")
    axes[0].legend(fontsize=5)
    fig.suptitle("Path kernel at init vs early loss decay (density 0.3, colour = net)")
    return fig


register_figure(FigureSpec(
    "path-kernel", ("ntk-path-decomposition", "path-kernel-trace"),
    "Left: relative error of the NTK decomposition J_pi Pi J_pi^T against the backprop NTK, and of "
    "tr Pi by one squared-weight pass against enumeration, per architecture (float64; dotted: the "
    "routes' tolerance 1e-10; exact zeros drawn at 1e-18). Right: their costs, as the number of entries each forms "
    "(enumeration: J^pi_theta and Pi, growing like |P|^2; one pass: linear in the parameters); "
    "wall-clock ratios are in `pruneproof bench` (paths-trace).", build_path_kernel,
    plot_path_kernel))

register_figure(FigureSpec(
    "path-kernel-convergence", ("path-kernel-predicts-convergence",),
    "Early loss-decay rate (slope of -log L over 50 full-batch GD steps, step 0.5/lambda_max of "
    "the dense net's NTK/n) against tr Pi (left) and lambda_max(Theta) (right) of the masked net "
    "at initialisation, for masks of equal density 0.3 on MLPs [8, 32, 32, 1] with teacher labels; "
    "triangles: method masks (random, magnitude, SNIP, SynFlow, SynFlow-L2 A/B/C, ntk-sketch), "
    "circles: random masks with varied layer allocation; one colour per net; crosses: disconnected "
    "masks (tr Pi = 0), drawn at the left edge.", build_convergence,
    plot_convergence))
