"""Figures of the AMM topic: sketch error against c, and the tail bound against empirical
quantiles (pure functions of their tables)."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from pruneproof.theory.amm import AMM_BETA, AMM_EXACT_VARIANCE, AMM_HP

from ..core.budgets import preset_table
from ..core.figures import FigureSpec, register_figure
from ..core.plotting import new_figure, styled
from ..core.tables import table_from_rows
from ..core.verdicts import CheckContext
from .experiments import _t_interval, amm_trial


@dataclass(frozen=True)
class FigureBudget:
    """What the AMM figures cost: the c grid and draws per point of ``amm-rate``, and the draws
    of ``amm-tail`` (its deltas are those with at least 4 expected exceedances)."""

    rate_cs: tuple[int, ...] = (4, 16, 64)
    rate_trials: int = 2000
    tail_trials: int = 4000


FIGURES = preset_table(FigureBudget, {
    "smoke": FigureBudget(),
    "default": FigureBudget(rate_cs=(2, 4, 8, 16, 32, 64, 128), rate_trials=5000,
                            tail_trials=40000),
    "paper": FigureBudget(rate_cs=(2, 4, 8, 16, 32, 64, 128, 256, 512), rate_trials=100000,
                          tail_trials=400000),
})


RATE_SCHEMES = (("optimal", 1.0), ("beta", 0.5), ("beta", 0.1), ("uniform", 1.0))


def _scheme_label(scheme: str, beta: float) -> str:
    return {"optimal": "optimal p*", "uniform": "uniform"}.get(
        scheme, f"{beta:g} p* + {1 - beta:g} uniform")


def _exact(r: dict) -> float:
    """The registered exact expectation on a trial's ingredients (figures display the
    registered claims; routes evaluate the claim object they check)."""
    return float(AMM_EXACT_VARIANCE.numeric("exact")(Q=r["Q"], G=r["G"], c=r["c"]))


def _beta_bound(r: dict) -> float:
    return float(AMM_BETA.numeric("bound")(FA2=r["FA2"], FB2=r["FB2"], beta=r["beta"], c=r["c"]))


def _hp_bound(r: dict, delta: float, name: str) -> float:
    return float(AMM_HP.numeric(name)(FA2=r["FA2"], FB2=r["FB2"], beta=r["beta"], c=r["c"],
                                       delta=delta))


def build_amm_rate(ctx: CheckContext):
    trials = FIGURES[ctx.budget].rate_trials
    configs = [{"kind": "anisotropic", "shape": [40, 300, 30], "instance_seed": 77,
                "scheme": scheme, "beta": beta, "c": c, "trials": trials}
               for scheme, beta in RATE_SCHEMES for c in FIGURES[ctx.budget].rate_cs]
    records = ctx.runner.run(amm_trial, configs, "figure amm-rate")
    rows = []
    for cfg, r in zip(configs, records):
        ci = _t_interval(r["mean"], r["sd"], r["n"], 0.95)
        rows.append({"scheme": _scheme_label(cfg["scheme"], cfg["beta"]), "beta": r["beta"],
                     "c": cfg["c"], "mc_mean": r["mean"], "ci_low": ci.low, "ci_high": ci.high,
                     "exact": _exact(r), "beta_bound": _beta_bound(r), "trials": r["n"]})
    return table_from_rows(rows)


@styled
def plot_amm_rate(table):
    fig, ax = new_figure(width=6.0, height=3.0)
    schemes = list(dict.fromkeys(table["scheme"]))
    for i, scheme in enumerate(schemes):
        sel = table["scheme"] == scheme
        c, color = table["c"][sel], f"C{i}"
        ax.fill_between(c, table["ci_low"][sel], table["ci_high"][sel], color=color, alpha=0.25,
                        lw=0)
        ax.plot(c, table["mc_mean"][sel], "o", color=color, label=f"{scheme} (beta = "
                f"{table['beta'][sel][0]:.2g})")
        ax.plot(c, table["exact"][sel], "-", color=color, lw=1)
        ax.plot(c, table["beta_bound"][sel], "--", color=color, lw=1)
    ax.plot([], [], "ko", label="Monte Carlo mean, 95% CI band")
    ax.plot([], [], "k-", lw=1, label="exact expectation (Lemma 4)")
    ax.plot([], [], "k--", lw=1, label=r"bound $\|A\|_F^2\|B\|_F^2/(\beta c)$")
    ax.set_xscale("log", base=2)
    ax.set_yscale("log")
    ax.set_xlabel("number of draws c")
    ax.set_ylabel(r"$E\,\|AB-CR\|_F^2$")
    ax.set_title("DKM sketch error vs c (anisotropic A, B): slope -1")
    ax.legend(loc="center left", bbox_to_anchor=(1.0, 0.5))
    return fig


TAIL_DELTAS = (0.5, 0.3, 0.2, 0.1, 0.05, 0.02, 0.01, 0.005, 0.002, 0.001)


def build_amm_tail(ctx: CheckContext):
    trials = FIGURES[ctx.budget].tail_trials
    deltas = [d for d in TAIL_DELTAS if d * trials >= 4]
    configs = [{"kind": "anisotropic", "shape": [40, 300, 30], "instance_seed": 77,
                "scheme": scheme, "beta": beta, "c": 16, "trials": trials, "deltas": deltas}
               for scheme, beta in (("optimal", 1.0), ("beta", 0.1))]
    records = ctx.runner.run(amm_trial, configs, "figure amm-tail")
    rows = []
    for cfg, r in zip(configs, records):
        for tail in r["tail"]:
            rows.append({"scheme": _scheme_label(cfg["scheme"], cfg["beta"]), "beta": r["beta"],
                         "c": cfg["c"], "delta": tail["delta"], "quantile": tail["quantile"],
                         "q_low": tail["q_low"], "q_high": tail["q_high"],
                         "bound": _hp_bound(r, tail["delta"], "bound"),
                         "bound_mcdiarmid": _hp_bound(r, tail["delta"], "bound_mcdiarmid"),
                         "rms": float(np.sqrt(_exact(r))), "trials": r["n"]})
    return table_from_rows(rows)


@styled
def plot_amm_tail(table):
    fig, ax = new_figure(width=6.0, height=3.0)
    for i, scheme in enumerate(dict.fromkeys(table["scheme"])):
        sel = table["scheme"] == scheme
        d, color = table["delta"][sel], f"C{i}"
        ax.fill_between(d, table["q_low"][sel], table["q_high"][sel], color=color, alpha=0.25, lw=0)
        ax.plot(d, table["quantile"][sel], "o-", color=color,
                label=f"{scheme} (beta = {table['beta'][sel][0]:.2g})")
        ax.plot(d, table["bound"][sel], "--", color=color)
        ax.plot(d, table["bound_mcdiarmid"][sel], ":", color=color)
        ax.axhline(table["rms"][sel][0], color=color, lw=0.6, alpha=0.6)
    ax.plot([], [], "ko-", label=r"empirical $(1-\delta)$-quantile, 95% CI")
    ax.plot([], [], "k--", label=r"DKM bound, $\eta=1+\sqrt{(8/\beta)\log(1/\delta)}$")
    ax.plot([], [], "k:", label=r"McDiarmid $\eta'$ (derived here)")
    ax.plot([], [], "k-", lw=0.6, label=r"$\sqrt{E\|AB-CR\|_F^2}$ (exact)")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.invert_xaxis()
    ax.set_xlabel(r"failure probability $\delta$")
    ax.set_ylabel(r"$\|AB-CR\|_F$")
    ax.set_title(f"Tail bound vs empirical quantiles (c = {int(table['c'][0])})")
    ax.legend(loc="center left", bbox_to_anchor=(1.0, 0.5))
    return fig


register_figure(FigureSpec(
    "amm-rate", ("amm-exact-variance", "amm-optimal-probabilities", "amm-beta-bound"),
    "Monte Carlo mean of ||AB-CR||_F^2 (dots, 95% CI bands) against c for optimal, beta-mixed and "
    "uniform probabilities, with the exact expectation (solid) and the beta-bound (dashed).",
    build_amm_rate, plot_amm_rate))


register_figure(FigureSpec(
    "amm-tail", ("amm-high-probability",),
    "Empirical (1-delta)-quantiles of ||AB-CR||_F (95% order-statistic CI bands) against the DKM "
    "high-probability bound (dashed) and the McDiarmid refinement derived here (dotted); thin "
    "lines: sqrt of the exact mean square.", build_amm_tail, plot_amm_tail))
