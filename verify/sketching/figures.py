"""Figures of the sketching perspective on pruning linear models (``spec/sketching.md`` §9).

* ``data-independence`` (headline): data-free vs data-dependent (sketch-optimal) sketch error
  against c for several feature anisotropies, exact expectations and the β_X bound overlaid; the
  ratio data-free/optimal against the anisotropy with 1/β_X and the sharp ratio bound; β_X → 1
  for i.i.d. sub-Gaussian features against the predicted sqrt(log d / n) rate.
* ``init-mask-laziness``: end-of-training error of the init mask against the weight movement ε
  with the β0 bound, the lazy corollary and the optimal end-of-training mask.
* ``randomized-vs-topk``: relative test error of binary masks (top-k vs sampled) against
  sparsity, several scores, both protocols.

Each ``build`` runs through ``ctx.runner`` (cached, shared with the checks) and returns a tidy
table with columns panel, series, quantity, x, y, lo, hi; each ``plot`` reads only that table.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from matplotlib.ticker import NullFormatter

from ..core.budgets import pick, preset_table
from ..core.figures import FigureSpec, register_figure
from ..core.plotting import PALETTE, new_figure, styled
from ..core.tables import table_from_rows
from . import bounds as T
from . import experiments as S
from .experiments import ratio_trial

NAN = float("nan")


def _row(panel, series, quantity, x, y, lo=NAN, hi=NAN) -> dict:
    return {"panel": panel, "series": series, "quantity": quantity, "x": float(x),
            "y": float(y), "lo": float(lo), "hi": float(hi)}


def _select(table, **conditions) -> np.ndarray:
    keep = np.ones(len(table["x"]), dtype=bool)
    for key, value in conditions.items():
        keep &= np.asarray(table[key]).astype(str) == str(value)
    return keep


def _series(table, panel) -> list[str]:
    sel = _select(table, panel=panel)
    return list(dict.fromkeys(np.asarray(table["series"])[sel].astype(str)))


# ---------------------------------------------------------------------------------------------
# data-independence (headline)

FIG_RATIOS = (1.0, 10.0, 100.0)


@dataclass(frozen=True)
class DataFigBudget:
    """data-independence figure: draws c, MC trials, anisotropy grid size, instances per ratio."""
    cs: tuple = (4, 16, 64)
    trials: int = 1000
    ratio_grid: int = 7
    ratio_instances: int = 3


FIG_DATA = preset_table(DataFigBudget, {
    "smoke": DataFigBudget(),
    "default": DataFigBudget(cs=(4, 8, 16, 32, 64), trials=6000, ratio_grid=13,
                             ratio_instances=6),
    "paper": DataFigBudget(cs=(2, 4, 8, 16, 32, 64, 128), trials=50000, ratio_grid=25,
                           ratio_instances=20)})


def build_data_independence(ctx) -> dict:
    rows = []
    configs = [S._cfg(ctx.budget, features="anisotropic", ratio=ratio, init="gaussian",
                      weights="init", target=target, c=c, instance=0,
                      trials=pick(FIG_DATA, ctx.budget).trials, level=0.95)
               for ratio in FIG_RATIOS for target in ("data-free", "optimal")
               for c in pick(FIG_DATA, ctx.budget).cs]
    for cfg, rec in zip(configs, ctx.runner.run(S.sketch_trial, configs, "fig data-independence")):
        name = "data-free |w|" if cfg["target"] == "data-free" else "sketch-optimal |w|·‖X⁽ⁱ⁾‖"
        series = f"{name}, r={cfg['ratio']:g}"
        nrm = rec["N"]
        rec = rec | S.evaluate(cfg, rec)        # the registered claim's values on the parts
        rows.append(_row("vs_c", series, "exact", cfg["c"], rec["exact"] / nrm))
        rows.append(_row("vs_c", series, "mc", cfg["c"], rec["mean"] / nrm, rec["ci_low"] / nrm,
                         rec["ci_high"] / nrm))
        if cfg["target"] == "data-free":
            rows.append(_row("vs_c", series, "bound", cfg["c"], rec["bound"] / nrm))
    n, d = pick(S.SKETCH_MC, ctx.budget).shape
    grid = np.logspace(0, 3, pick(FIG_DATA, ctx.budget).ratio_grid)
    rconfigs = [{"n": n, "d": d, "ratio": float(r), "instance": i} for r in grid
                for i in range(pick(FIG_DATA, ctx.budget).ratio_instances)]
    for cfg, rec in zip(rconfigs, ctx.runner.run(ratio_trial, rconfigs, "fig ratio")):
        for q in ("error_ratio", "inv_beta_x", "ratio_bound"):
            rows.append(_row("ratio", "anisotropic Gaussian", q, cfg["ratio"], rec[q]))
    for d_conc, kind in ((20, "isotropic"), (200, "isotropic"), (200, "heavy-tailed")):
        for rec in S.concentration(ctx, d=d_conc, features=kind):
            gap = 1 - np.asarray(rec["a_min"]) / np.asarray(rec["a_max"])
            series = f"{kind}, d={d_conc}"
            rows.append(_row("concentration", series, "median", rec["n"], np.median(gap),
                             np.quantile(gap, 0.25), np.quantile(gap, 0.75)))
            rows.append(_row("concentration", series, "rate", rec["n"], T.beta_x_rate(rec["n"], rec["d"])))
    return table_from_rows(rows)


@styled
def plot_data_independence(table):
    from matplotlib.lines import Line2D

    fig, axes = new_figure(3, width=7.0, height=3.3)
    ax = axes[0]
    for j, ratio in enumerate(FIG_RATIOS):
        color = PALETTE[j]
        for series in _series(table, "vs_c"):
            if not series.endswith(f"r={ratio:g}"):
                continue
            free = series.startswith("data-free")
            for quantity, style in (("exact", "-" if free else "--"), ("bound", ":")):
                sel = _select(table, panel="vs_c", series=series, quantity=quantity)
                if sel.any():
                    ax.plot(table["x"][sel], table["y"][sel], style, color=color,
                            lw=0.9 if quantity == "bound" else 1.2)
            sel = _select(table, panel="vs_c", series=series, quantity="mc")
            y, lo, hi = table["y"][sel], table["lo"][sel], table["hi"][sel]
            ax.errorbar(table["x"][sel], y, yerr=[y - lo, hi - y], fmt="o" if free else "s",
                        mfc=color if free else "white", color=color, ms=3, lw=0.8, capsize=1.5)
    ax.set(xscale="log", yscale="log", xlabel="draws c", ylabel="E‖Xw − XDw‖² / ‖Xw‖²",
           title="(a) sketch error vs c")
    cs = np.unique(table["x"][_select(table, panel="vs_c")])
    ax.set_xticks(cs, [f"{c:g}" for c in cs])
    ax.xaxis.set_minor_formatter(NullFormatter())
    # legend below the panel (outside the data): colour = anisotropy r, line style = quantity
    grey = "0.25"
    handles = [Line2D([], [], color=PALETTE[j], lw=2, label=f"r = {r:g}")
               for j, r in enumerate(FIG_RATIOS)]
    handles += [Line2D([], [], color=grey, ls="-", marker="o", ms=3,
                       label="data-free: exact, MC"),
                Line2D([], [], color=grey, ls="--", marker="s", mfc="white", ms=3,
                       label="optimal: exact, MC"),
                Line2D([], [], color=grey, ls=":", lw=0.9, label="β_X bound (data-free)")]
    ax.legend(handles=handles, fontsize=5.5, ncol=2, loc="upper center",
              bbox_to_anchor=(0.5, -0.2), handlelength=2.2, columnspacing=1.0)
    ax = axes[1]
    for quantity, style, label in (("error_ratio", "o", "exact E_q / E_p*"),
                                   ("inv_beta_x", "-", "1/β_X"),
                                   ("ratio_bound", "--", "sharp bound\n(S²/β_X − N)/(S² − N)")):
        sel = _select(table, panel="ratio", quantity=quantity)
        x, y = table["x"][sel], table["y"][sel]
        if style == "o":
            ax.plot(x, y, style, ms=2.5, alpha=0.7, label=label, color=PALETTE[0])
        else:
            xs = np.unique(x)
            med = [np.median(y[x == v]) for v in xs]
            ax.plot(xs, med, style, label=label.replace("\n", " (median)\n", 1) if "\n" in label
                    else label + " (median)",
                    color=PALETTE[1] if quantity == "inv_beta_x" else PALETTE[2])
    ax.set(xscale="log", yscale="log", xlabel="feature-scale anisotropy r (max/min)",
           ylabel="data-free / optimal error", title="(b) price of data independence")
    ax.legend(fontsize=5.5, loc="upper center", bbox_to_anchor=(0.5, -0.2))
    ax = axes[2]
    for j, series in enumerate(_series(table, "concentration")):
        sel = _select(table, panel="concentration", series=series, quantity="median")
        x, y = table["x"][sel], table["y"][sel]
        ax.errorbar(x, y, yerr=[y - table["lo"][sel], table["hi"][sel] - y], fmt="o-",
                    color=PALETTE[j], ms=3, lw=1, capsize=1.5, label=f"1 − β_X, {series}")
        if series.startswith("isotropic"):
            rsel = _select(table, panel="concentration", series=series, quantity="rate")
            rate = table["y"][rsel]
            const = np.median(y / rate)
            ax.plot(table["x"][rsel], const * rate, ":", color=PALETTE[j],
                    label=f"{const:.2f}·sqrt(log d / n)")
    ax.set(xscale="log", yscale="log", xlabel="samples n", ylabel="1 − β_X (median, IQR)",
           title="(c) β_X → 1 for i.i.d. features")
    handles, labels = ax.get_legend_handles_labels()
    order = sorted(range(len(labels)), key=lambda i: not labels[i].startswith("1 − β_X"))
    ax.legend([handles[i] for i in order], [labels[i] for i in order], fontsize=5.5, ncol=2,
              loc="upper center", bbox_to_anchor=(0.5, -0.2), columnspacing=1.0)
    return fig


register_figure(FigureSpec(
    name="data-independence",
    claims=("data-independence", "pruning-as-sketching"),
    caption=("Data-free (magnitude) vs sketch-optimal probabilities for the rescaled DKM sketch of "
             "Xw (derived here from DKM 2006). (a) Relative expected error against c for feature "
             "anisotropies r (colours): exact expectations (solid: data-free, dashed: "
             "sketch-optimal), Monte Carlo means with 95% CIs (filled / open markers), β_X bound "
             "(dotted). (b) Exact ratio data-free/optimal against r with "
             "1/β_X and the sharp ratio bound. (c) 1 − β_X for i.i.d. features against n with the "
             "predicted sqrt(log d / n) rate (heavy-tailed t3 features for contrast)."),
    build=build_data_independence,
    plot=plot_data_independence,
))


# ---------------------------------------------------------------------------------------------
# init-mask-laziness

@dataclass(frozen=True)
class LazyFigBudget:
    """init-mask-laziness figure: movements ε, instances per movement, MC trials."""
    movements: tuple = (0.01, 0.1, 0.3, 0.6, 0.9, 2.0)
    instances: int = 1
    trials: int = 1000


FIG_LAZY = preset_table(LazyFigBudget, {
    "smoke": LazyFigBudget(),
    "default": LazyFigBudget(movements=(0.01, 0.03, 0.1, 0.2, 0.4, 0.6, 0.8, 0.95, 1.5, 3.0),
                             instances=2, trials=6000),
    "paper": LazyFigBudget(movements=(0.003, 0.01, 0.03, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7,
                                      0.8, 0.9, 0.95, 1.5, 3.0, 10.0), instances=5,
                           trials=50000)})
LAZY_C = 16


def build_init_mask_laziness(ctx) -> dict:
    base = dict(S.INIT_REGIMES["lazy-under"])
    configs = [S._cfg(ctx.budget, **(base | {"movement": m}), features="anisotropic", ratio=10.0,
                      target="init", c=LAZY_C, instance=i, trials=pick(FIG_LAZY, ctx.budget).trials,
                      level=0.95)
               for m in pick(FIG_LAZY, ctx.budget).movements for i in range(pick(FIG_LAZY, ctx.budget).instances)]
    nonlazy = [S._cfg(ctx.budget, **S.INIT_REGIMES["non-lazy"], features="anisotropic",
                      ratio=10.0, target="init", c=LAZY_C, instance=i,
                      trials=pick(FIG_LAZY, ctx.budget).trials, level=0.95)
               for i in range(2 * pick(FIG_LAZY, ctx.budget).instances)]
    rows = []
    for series, cfgs in (("lazy (bounded init, near-init teacher)", configs),
                         ("non-lazy (Gaussian init, independent teacher)", nonlazy)):
        for cfg, rec in zip(cfgs, ctx.runner.run(S.sketch_trial, cfgs, "fig init-mask")):
            eps, nrm = rec["eps"], rec["N"]
            rec = rec | S.evaluate(cfg, rec)    # the registered claim's values on the parts
            rows.append(_row("error", series, "exact", eps, rec["exact"] / nrm))
            rows.append(_row("error", series, "mc", eps, rec["mean"] / nrm, rec["ci_low"] / nrm,
                             rec["ci_high"] / nrm))
            rows.append(_row("error", series, "median", eps, rec["median"] / nrm,
                             rec["q05"] / nrm, rec["q95"] / nrm))
            rows.append(_row("error", series, "bound", eps, rec["bound"] / nrm))
            rows.append(_row("error", series, "lazy_bound", eps, rec["lazy_bound"] / nrm))
            rows.append(_row("error", series, "optimal", eps, rec["optimal_exact"] / nrm))
            rows.append(_row("beta", series, "beta0", eps, rec["beta0"]))
    eps_grid = np.linspace(0, 0.999, 60)
    for e in eps_grid:
        rows.append(_row("beta", "lazy corollary", "lazy_beta", e, T.lazy_beta(e)))
    return table_from_rows(rows)


@styled
def plot_init_mask_laziness(table):
    fig, axes = new_figure(2, width=6.75, height=2.6)
    ax = axes[0]
    styles = {"exact": ("-", "exact E (init mask p⁽⁰⁾ on w*)", PALETTE[0]),
              "bound": ("--", "β0 bound ‖X‖_F²‖w*‖²/(β0 c)", PALETTE[1]),
              "lazy_bound": (":", "lazy corollary (1+ε)/(1−ε)·‖X‖_F²‖w*‖²/c", PALETTE[2]),
              "optimal": ("-.", "optimal end-of-training mask p*(w*)", PALETTE[3])}
    for k, series in enumerate(_series(table, "error")):
        lazy = series.startswith("lazy")
        for quantity, (style, label, color) in styles.items():
            sel = _select(table, panel="error", series=series, quantity=quantity)
            x, y = table["x"][sel], table["y"][sel]
            ok = np.isfinite(y) & np.isfinite(x)
            order = np.argsort(x[ok])
            if lazy:
                ax.plot(x[ok][order], y[ok][order], style, color=color, label=label)
            else:
                ax.plot(x[ok], y[ok], "x" if quantity != "optimal" else "+", color=color, ms=4)
        sel = _select(table, panel="error", series=series, quantity="mc")
        x, y, lo, hi = table["x"][sel], table["y"][sel], table["lo"][sel], table["hi"][sel]
        ax.errorbar(x, y, yerr=[y - lo, hi - y], fmt="o", color=PALETTE[0], ms=2.5, lw=0.8,
                    capsize=1.5, label="MC mean ± 95% CI" if lazy else None)
        sel = _select(table, panel="error", series=series, quantity="median")
        ax.plot(table["x"][sel], table["y"][sel], "v", color=PALETTE[5], ms=2.5,
                label="MC median" if lazy else None)
    ax.axvline(1.0, color="grey", lw=0.6)
    ax.text(1.1, 0.98, "ε = 1", transform=ax.get_xaxis_transform(), fontsize=5.5, va="top")
    ax.set(xscale="log", yscale="log", xlabel="coordinate-wise movement ε = max|w*−w0|/|w0|",
           ylabel="E‖Xw* − XD₀w*‖² / ‖Xw*‖²", title=f"(a) init mask at end of training, c={LAZY_C}")
    ax.legend(fontsize=5.5, loc="upper left")
    ax = axes[1]
    for k, series in enumerate(_series(table, "beta")):
        sel = _select(table, panel="beta", series=series)
        x, y = table["x"][sel], table["y"][sel]
        if series == "lazy corollary":
            ax.plot(x, y, "-", color=PALETTE[2], label="(1−ε)/(1+ε)")
        else:
            ax.plot(x, y, "o" if series.startswith("lazy") else "x", ms=3,
                    color=PALETTE[0] if series.startswith("lazy") else PALETTE[4],
                    label=f"β0, {series}")
    ax.axvline(1.0, color="grey", lw=0.6)
    ax.set(xscale="log", yscale="log", xlabel="ε", ylabel="β0 = min p⁽⁰⁾/p*(w*)",
           title="(b) where the bound is informative")
    ax.set_ylim(bottom=max(1e-4, np.nanmin(np.where(table["y"] > 0, table["y"], np.nan)) / 2))
    ax.legend(fontsize=5.5, loc="lower left")
    return fig


register_figure(FigureSpec(
    name="init-mask-laziness",
    claims=("init-mask-end-of-training", "init-and-data-free"),
    caption=("Init-mask sketch probabilities applied to the end-of-training weights (derived here "
             "from DKM 2006). (a) Exact and Monte Carlo relative error against the measured "
             "coordinate-wise movement ε (anisotropy r = 10, n = 80, d = 40, c = 16), with the β0 "
             "bound, the lazy corollary (finite only for ε < 1) and the optimal end-of-training "
             "probabilities; × marks non-lazy instances (Gaussian init, independent teacher) where "
             "β0 is tiny and the bound is far from the error. (b) β0 against ε with (1−ε)/(1+ε)."),
    build=build_init_mask_laziness,
    plot=plot_init_mask_laziness,
))


# ---------------------------------------------------------------------------------------------
# randomized-vs-topk

@dataclass(frozen=True)
class MaskFigBudget:
    """randomized-vs-topk figure: kept fractions, instances."""
    keep: tuple = (0.5, 0.2, 0.05)
    instances: int = 3


FIG_MASKS = preset_table(MaskFigBudget, {
    "smoke": MaskFigBudget(),
    "default": MaskFigBudget(keep=(0.5, 0.3, 0.2, 0.1, 0.05), instances=12),
    "paper": MaskFigBudget(keep=(0.7, 0.5, 0.3, 0.2, 0.1, 0.05, 0.02), instances=30)})
FIG_SCORES = ("magnitude", "data-free", "sketch-optimal", "random")


FIG_SURROGATE = tuple(f"{S.SURROGATE_PREFIX}{sig:g}" for sig in S.HYP_SIGMAS)
SURROGATE_SUFFIX = " | surrogate"


def build_randomized_vs_topk(ctx) -> dict:
    n, d = pick(S.HYP, ctx.budget).shape
    base = {"n": n, "d": d, "features": "anisotropic", "ratio": 10.0, **S.HYP_PROBLEM}
    configs = [base | {"scores": list(FIG_SCORES), "keep": list(pick(FIG_MASKS, ctx.budget).keep),
                       "draws": pick(S.HYP, ctx.budget).draws, "instance": i}
               for i in range(pick(FIG_MASKS, ctx.budget).instances)]
    surrogate = [base | {"scores": list(FIG_SURROGATE), "keep": list(pick(FIG_MASKS, ctx.budget).keep),
                         "draws": pick(S.HYP, ctx.budget).draws, "instance": i}
                 for i in range(pick(FIG_MASKS, ctx.budget).instances)]
    groups: dict = {}
    for cfgs, suffix, label in ((configs, "", "fig randomized-vs-topk"),
                                (surrogate, SURROGATE_SUFFIX, "fig randomized-vs-topk surrogate")):
        for rec in ctx.runner.run(S.mask_trial, cfgs, label):
            for row in rec["rows"]:
                key = (row["protocol"] + suffix, f"{row['score']}, {row['mask']}",
                       1.0 - row["keep"])
                groups.setdefault(key, []).append(row["error"])
    rows = [_row(panel, series, "median", sparsity, np.median(v), np.quantile(v, 0.25),
                 np.quantile(v, 0.75))
            for (panel, series, sparsity), v in groups.items()]
    return table_from_rows(rows)


def _mask_curves(ax, table, panel, colors, label_of):
    for series in _series(table, panel):
        score_kind, mask_kind = series.split(", ")
        sel = _select(table, panel=panel, series=series)
        x, y = table["x"][sel], table["y"][sel]
        order = np.argsort(x)
        ax.errorbar(x[order], y[order],
                    yerr=[(y - table["lo"][sel])[order], (table["hi"][sel] - y)[order]],
                    fmt="-o" if mask_kind == "top-k" else "--s", color=colors[score_kind],
                    mfc=colors[score_kind] if mask_kind == "top-k" else "white", ms=3,
                    lw=1, capsize=1.5, label=f"{label_of(score_kind)}, {mask_kind}")


@styled
def plot_randomized_vs_topk(table):
    panels = set(np.asarray(table["panel"]).astype(str))
    two_rows = any(p.endswith(SURROGATE_SUFFIX) for p in panels)
    fig, axes = new_figure(2, 2 if two_rows else 1, width=6.75, height=5.2 if two_rows else 2.7,
                           sharey="row")
    axes = np.atleast_2d(axes)
    colors = {s: PALETTE[i] for i, s in enumerate(FIG_SCORES)}
    for ax, protocol, title in zip(axes[0], S.PROTOCOLS,
                                   ("(i) init mask applied to w*",
                                    "(ii) lottery ticket: retrain from m⊙w0")):
        _mask_curves(ax, table, protocol, colors, lambda s: s)
        ax.set(yscale="log", title=title)
    axes[0, 0].set_ylabel("relative test error vs dense w*\n(median, IQR over instances)")
    axes[0, 1].legend(fontsize=5.5, ncol=2, loc="lower right")
    if two_rows:
        sigma_colors = {s: PALETTE[j] for j, s in enumerate(FIG_SURROGATE)}
        for ax, protocol, title in zip(axes[1], S.PROTOCOLS,
                                       ("(iii) biased surrogate, init mask on w*",
                                        "(iv) biased surrogate, lottery ticket")):
            _mask_curves(ax, table, protocol + SURROGATE_SUFFIX, sigma_colors,
                         lambda s: f"σ = {S.surrogate_sigma(s):g}")
            ax.set(yscale="log", title=title)
        axes[1, 0].set_ylabel("relative test error vs dense w*\n"
                              "score |w0,i|·‖X⁽ⁱ⁾‖·exp(σξ_i)")
        axes[1, 1].legend(fontsize=5.5, ncol=2, loc="lower right")
    for ax in axes.ravel():
        ax.set_xlabel("sparsity (fraction removed)")
    return fig


register_figure(FigureSpec(
    name="randomized-vs-topk",
    claims=("randomized-masks",),
    caption=("Binary masks without rescaling: top-k (solid) vs sampled ∝ score by Gumbel-top-k "
             "(dashed) for random, magnitude, data-free-surrogate and sketch-optimal scores at init "
             "(anisotropy r = 10, d > n, teacher near init). Relative test error against the dense "
             "trained model, median and IQR over instances; (i) the init mask applied to w*, (ii) "
             "the lottery-ticket protocol (sparse retraining from m⊙w0); its peak where the kept "
             "count k approaches n is the interpolation threshold of the sparse least-squares "
             "fit. (iii, iv) the same for the biased surrogate of spec §9.5, score "
             "|w0,i|·‖X⁽ⁱ⁾‖·exp(σξ_i) with ξ ~ N(0, 1) and σ = 0, 0.5, 1 (σ = 0 is the "
             "sketch-optimal score). Error = ‖X_test(w* − w_m)‖²/‖X_test w*‖². The hypothesis "
             "test is the per-regime paired CI in the `randomized-masks` evidence."),
    build=build_randomized_vs_topk,
    plot=plot_randomized_vs_topk,
))
