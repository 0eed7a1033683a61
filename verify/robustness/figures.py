"""Figures of the robustness topic: ``mask-information`` (headline: Lip against k and against
p_eff for masks of known information, with the derived envelope and the absolute bound) and
``law-of-robustness`` (certified min Lip vs p, random-feature contrast, collapse).  ``plot``
functions are pure functions of their tables."""
from __future__ import annotations

import numpy as np
from matplotlib.ticker import NullFormatter

from ..core.figures import FigureSpec, register_figure
from ..core.plotting import new_figure, styled
from ..core.tables import table_from_rows
from ..core.verdicts import CheckContext
from .bounds import kspar_information_bound, sparse_lipschitz_bound
from .experiments import (LAW, MASK, budget, feature_trial, law_configs, law_trial, mask_configs,
                          mask_trial)


def build_mask_information(ctx: CheckContext):
    recs = ctx.runner.run(mask_trial, mask_configs(ctx.budget), "figure mask-information")
    rows = []
    for r in recs:
        n, d, k, P = r["n"], r["d"], r["k"], r["P"]
        logc = float(kspar_information_bound(P, k))
        methods = [("random", r["random"], 0.0, 0.0), ("magnitude", r["magnitude"], 0.0, logc),
                   ("snip", r["snip"], 0.0, logc)]
        methods += [(f"best-of-{M}", r[f"best_of_{M}"], 0.0, float(np.log(M)))
                    for M in budget(MASK, ctx.budget).Ms]
        for name, lip, ilo, ihi in methods:
            rows.append({"n": n, "d": d, "P": P, "k": k, "method": name, "lip": lip,
                         "info_low": ilo, "info_high": ihi, "p_eff_low": k + ilo,
                         "p_eff_high": k + ihi, "envelope": float(np.sqrt(n * d / k)),
                         "absolute_bound": float(sparse_lipschitz_bound(
                             n, d, ihi, k, 0.99, 1.0, 2.0, 1.0))})
    return table_from_rows(rows)


@styled
def plot_mask_information(t):
    fig, (a1, a2) = new_figure(ncols=2, width=7.0, height=2.8)
    for i, m in enumerate(dict.fromkeys(t["method"])):
        s = t["method"] == m
        ks = np.unique(t["k"][s])
        med = [np.median(t["lip"][s & (t["k"] == k)]) for k in ks]
        a1.plot(ks, med, "o-", color=f"C{i % 8}", label=m)
        pe = [np.median(t["p_eff_high"][s & (t["k"] == k)]) for k in ks]
        lo = [np.median(t["p_eff_low"][s & (t["k"] == k)]) for k in ks]
        a2.errorbar(pe, med, xerr=[np.subtract(pe, lo), np.zeros(len(pe))], fmt="o",
                    color=f"C{i % 8}", ms=3)
    ks = np.unique(t["k"])
    env = [t["envelope"][t["k"] == k][0] for k in ks]
    a1.plot(ks, env, "k--", label="sqrt(nd/k)")
    a1.plot(ks, [np.max(t["absolute_bound"][t["k"] == k]) for k in ks], "k:",
            label="Corollary A' L* (derived here)")
    a2.plot(ks, env, "k--", label="sqrt(nd/p_eff)")
    for a, xl in ((a1, "mask size k"), (a2, "p_eff = k + I (x bar: [k, k + I bound])")):
        a.set_xscale("log")
        a.set_yscale("log")
        a.set_xlabel(xl)
        a.set_ylabel("Lip of min-norm fit on mask")
        a.xaxis.set_minor_formatter(NullFormatter())
    a1.legend(fontsize=6)
    a2.legend(fontsize=6)
    return fig


def build_law(ctx: CheckContext):
    recs = ctx.runner.run(law_trial, law_configs(ctx.budget), "figure law-of-robustness")
    rows = [{"model": "quadratic-minlip", "n": r["n"], "d": r["d"], "p": r["p"], "lip": r["lip"],
             "lip_upper": r["lip"], "certified": bool(r["optimal"]),
             "scale": float(np.sqrt(r["n"] * r["d"] / r["p"]))} for r in recs]
    b = budget(LAW, ctx.budget)
    n, d = b.regimes[0]
    cf = [{"n": n, "d": d, "p": p, "seed": s} for p in b.rf_ps for s in range(b.seeds)]
    for c, r in zip(cf, ctx.runner.run(feature_trial, cf, "figure random features")):
        rows.append({"model": "random-features", "n": n, "d": d, "p": c["p"], "lip": r["lower"],
                     "lip_upper": r["upper"], "certified": False,
                     "scale": float(np.sqrt(n * d / c["p"]))})
    return table_from_rows(rows)


@styled
def plot_law(t):
    fig, (a1, a2) = new_figure(ncols=2, width=7.0, height=2.8)
    q = t["model"] == "quadratic-minlip"
    for i, (n, d) in enumerate(sorted({(int(a), int(b)) for a, b in zip(t["n"][q], t["d"][q])})):
        s = q & (t["n"] == n) & (t["d"] == d)
        ps = np.unique(t["p"][s])
        med = np.array([np.median(t["lip"][s & (t["p"] == p)]) for p in ps])
        a1.plot(ps, med, "o-", color=f"C{i}", label=f"min Lip, n={n}, d={d}")
        c = np.median(med[ps <= n * d] / np.sqrt(n * d / ps[ps <= n * d]))
        a1.plot(ps, c * np.sqrt(n * d / ps), "--", color=f"C{i}", lw=0.8)
        a1.axvline(n, color=f"C{i}", ls=":", lw=0.6)
        a1.axvline(n * d, color=f"C{i}", ls=":", lw=0.6)
        a2.plot(np.sqrt(n * d / ps), med, "o", color=f"C{i}")
    r = t["model"] == "random-features"
    ps = np.unique(t["p"][r])
    a1.plot(ps, [np.median(t["lip"][r & (t["p"] == p)]) for p in ps], "s-", color="C4",
            label="random features (contrast, NOT the law)")
    a1.set_xscale("log")
    a1.set_yscale("log")
    a1.set_xlabel("p (dotted: p = n, p = nd)")
    a1.set_ylabel("Lipschitz constant")
    a1.legend(fontsize=6)
    a2.set_xlabel("sqrt(nd/p)")
    a2.set_ylabel("median certified min Lip")
    a2.set_title("collapse")
    return fig


register_figure(FigureSpec(
    "mask-information", ("sparse-law-of-robustness", "mask-information-bounds"),
    "Exact Lipschitz constant of the min-norm quadratic-form fit on masks of known information "
    "(n = 10 noise labels on the sphere): against k (left) and against p_eff = k + I (right, x bars "
    "from k to k + the information bound: 0 random, log M best of M, log C(P,k) magnitude/SNIP); "
    "dashed sqrt(nd/p), dotted the absolute Corollary A' bound (derived here, not NFP's theorem).",
    build_mask_information, plot_mask_information))

register_figure(FigureSpec(
    "law-of-robustness", ("law-of-robustness-slope", "quadratic-form-lipschitz",
                          "sparse-law-of-robustness"),
    "Certified minimal Lipschitz constant of interpolating quadratic forms in a random p-dim class "
    "against p (log-log), with C sqrt(nd/p) (dashed) and markers at p = n and p = nd; the "
    "random-feature min-norm interpolator (sampled lower bound) plateaus -- a contrast, never the "
    "law; right: collapse against sqrt(nd/p).", build_law, plot_law))
