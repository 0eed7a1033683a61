"""Figures of the robustness topic: ``mask-information`` (headline: Lip against k and against
p_eff for masks of known information, with the derived envelope and the absolute bound) and
``law-of-robustness`` (certified min Lip vs p, random-feature contrast, collapse),
``noise-fitting-bits`` (best-of-M noise correlation against the Gaussian maximum) and
``sanity-checks`` (Frankle et al. ablations in the linear toy).  ``plot`` functions are pure
functions of their tables."""
from __future__ import annotations

import numpy as np
from matplotlib.ticker import NullFormatter

from ..core.figures import FigureSpec, register_figure
from ..core.plotting import new_figure, styled
from ..core.tables import table_from_rows
from ..core.verdicts import CheckContext
from .bounds import kspar_information_bound, sparse_lipschitz_bound
from .certify import expected_max_normal
from .experiments import (LAW, MASK, SANITY_DEPENDENT, SANITY_FREE, bits_configs, bits_trial,
                          budget, feature_trial, law_configs, law_trial, mask_configs,
                          mask_trial, sanity_configs, sanity_trial)


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


def build_noise_fitting_bits(ctx: CheckContext):
    """One row per (n, d, L, M): mean and quartiles of T_M over seeds, E[max of M standard
    normals] by quadrature (certify.expected_max_normal), sqrt(2 log M) and the saturation
    level sqrt(d)."""
    recs = ctx.runner.run(bits_trial, bits_configs(ctx.budget, figure=True),
                          "figure noise-fitting-bits")
    rows = []
    for key in dict.fromkeys((r["n"], r["d"], r["L"]) for r in recs):
        sel = [r for r in recs if (r["n"], r["d"], r["L"]) == key]
        T = np.array([r["T"] for r in sel])                # (seeds, bmax + 1)
        margin = np.array([r["margin"] for r in sel])
        for b in range(T.shape[1]):
            M = 2 ** b
            q1, q3 = np.quantile(T[:, b], [0.25, 0.75])
            rows.append({"n": key[0], "d": key[1], "L": key[2], "M": M,
                         "sqrt_log_M": float(np.sqrt(np.log(M))), "seeds": len(sel),
                         "T_mean": float(T[:, b].mean()),
                         "T_se": float(T[:, b].std(ddof=1) / np.sqrt(len(sel))),
                         "T_q25": float(q1), "T_q75": float(q3),
                         "E_max_normal": expected_max_normal(M),
                         "sqrt_2_log_M": float(np.sqrt(2 * np.log(M))),
                         "saturation_sqrt_d": float(np.sqrt(key[1])),
                         "margin_mean": float(margin[:, b].mean())})
    return table_from_rows(rows)


@styled
def plot_noise_fitting_bits(t):
    fig, (a1, a2) = new_figure(ncols=2, width=7.0, height=2.8)
    keys = list(dict.fromkeys(zip(t["n"], t["d"], t["L"])))
    for i, (n, d, L) in enumerate(keys):
        s = (t["n"] == n) & (t["d"] == d) & (t["L"] == L)
        lab = f"n={int(n)}, d={int(d)}, L={L:g}"
        a1.errorbar(t["sqrt_log_M"][s], t["T_mean"][s], yerr=t["T_se"][s], fmt="o-",
                    color=f"C{i % 8}", ms=2.5, lw=0.8, label=lab)
        a1.axhline(np.sqrt(d), color=f"C{i % 8}", ls=":", lw=0.6)
        ok = t["M"][s] > 1
        a2.plot(np.log(t["M"][s][ok]) / d, t["T_mean"][s][ok] / t["E_max_normal"][s][ok], "o-",
                color=f"C{i % 8}", ms=2.5, lw=0.8)
    m = np.unique(t["M"])
    a1.plot(np.sqrt(np.log(m)), [expected_max_normal(int(x)) for x in m], "k-", lw=1.2,
            label="E[max of M normals] (quadrature)")
    a1.plot(np.sqrt(np.log(m)), np.sqrt(2 * np.log(m)), "k--", lw=0.8, label="sqrt(2 log M)")
    a1.set_xlabel("sqrt(log M)   (dotted: saturation sqrt(d))")
    a1.set_ylabel("T_M = max corr with noise x sqrt(nd)/L")
    a1.legend(fontsize=5.5)
    a2.axhline(1.0, color="k", lw=0.8)
    for v in (0.85, 1.15):
        a2.axhline(v, color="k", ls="--", lw=0.6)
    a2.axvline(0.25, color="k", ls=":", lw=0.6)
    a2.set_xscale("log")
    a2.xaxis.set_minor_formatter(NullFormatter())
    a2.set_xlabel("log M / d  (dotted: log M = d/4, tested range left of it)")
    a2.set_ylabel("mean T_M / E[max of M normals]")
    return fig


SANITY_VARIANTS = (("min-norm", "original"), ("min-norm", "shuffled"),
                   ("min-norm", "inverted"), ("from-init", "init_original"),
                   ("from-init", "init_reinitialised"))


def build_sanity_checks(ctx: CheckContext):
    """One row per (k, method, fit, variant): geometric mean over data sets of the per-data-set
    geometric-mean Lip (R masks each), quartiles over data sets, and the random level."""
    recs = ctx.runner.run(sanity_trial, sanity_configs(ctx.budget), "figure sanity-checks")
    rows = []
    for k in sorted({r["k"] for r in recs}):
        sel = [r for r in recs if r["k"] == k]
        rand = np.array([r["random_level"] for r in sel])
        for m in SANITY_FREE + SANITY_DEPENDENT:
            for fit, v in SANITY_VARIANTS:
                x = np.array([r[f"{m}:{v}"] for r in sel])
                q1, q3 = np.quantile(x, [0.25, 0.75])
                rows.append({"n": sel[0]["n"], "d": sel[0]["d"], "P": sel[0]["P"], "k": k,
                             "method": m, "data_dependent": m in SANITY_DEPENDENT, "fit": fit,
                             "variant": v.replace("init_", ""), "seeds": len(sel),
                             "masks_per_seed": sel[0]["R"], "lip": float(np.exp(x.mean())),
                             "lip_q25": float(np.exp(q1)), "lip_q75": float(np.exp(q3)),
                             "random_level": float(np.exp(rand.mean()))})
    return table_from_rows(rows)


@styled
def plot_sanity_checks(t):
    ks = np.unique(t["k"])
    fig, axes = new_figure(ncols=len(ks), width=3.6 * len(ks), height=2.8, squeeze=False)
    methods = list(dict.fromkeys(t["method"]))
    variants = list(dict.fromkeys(zip(t["fit"], t["variant"])))
    w = 0.8 / len(variants)
    for ax, k in zip(axes[0], ks):
        s = t["k"] == k
        for j, (fit, v) in enumerate(variants):
            sv = s & (t["fit"] == fit) & (t["variant"] == v)
            y = [t["lip"][sv & (t["method"] == m)][0] for m in methods]
            lo = [t["lip_q25"][sv & (t["method"] == m)][0] for m in methods]
            hi = [t["lip_q75"][sv & (t["method"] == m)][0] for m in methods]
            x = np.arange(len(methods)) + (j - (len(variants) - 1) / 2) * w
            ax.bar(x, y, w, color=f"C{j}", label=f"{v} ({fit} fit)",
                   yerr=[np.subtract(y, lo), np.subtract(hi, y)], error_kw={"lw": 0.5})
        ax.axhline(t["random_level"][s][0], color="k", ls="--", lw=0.8, label="random level")
        ax.set_xticks(np.arange(len(methods)))
        ax.set_xticklabels(methods, rotation=30, ha="right", fontsize=6)
        ax.set_yscale("log")
        ax.set_xlabel(f"method (k = {int(k)} of P = {int(t['P'][s][0])})")
        ax.set_ylabel("Lip of fit on mask (geo. mean)")
    axes[0][0].legend(fontsize=5.5)
    return fig


register_figure(FigureSpec(
    "sanity-checks", ("shuffle-erases-mask-information",),
    "Frankle et al. sanity checks in the linear (quadratic-form) toy: Lip of the fit of n noise "
    "labels on the original, layerwise-shuffled (diagonal / off-diagonal groups) and "
    "score-inverted masks (min-norm fits), and on the original and reinitialised masks for fits "
    "relative to the init (a min-norm fit does not depend on the init, so reinit is only "
    "meaningful there); data-free (random, magnitude at init, SynFlow-like) and data-dependent "
    "(magnitude after training, SNIP) methods; dashed: random level. Caveat: in a linear model "
    "one gradient at init carries the label information, so SNIP is shuffle-sensitive here -- "
    "not Frankle et al.'s deep-net finding.", build_sanity_checks, plot_sanity_checks))

register_figure(FigureSpec(
    "noise-fitting-bits", ("finite-class-noise-correlation", "bits-buy-noise-fitting"),
    "Best of M data-free linear candidates L v^T x: noise correlation T_M = max_j <f_j - Ef_j, "
    "y>_n sqrt(nd)/L (mean +- s.e. over seeds) against sqrt(log M) for several (n, d, L), with "
    "the Gaussian-maximum prediction E[max of M standard normals] computed by quadrature (solid) "
    "and sqrt(2 log M) (dashed); dotted: saturation at sqrt(d). Right: ratio to the prediction "
    "against log M / d (the hypothesis tests log M <= d/4 within +-15 %).",
    build_noise_fitting_bits, plot_noise_fitting_bits))

register_figure(FigureSpec(
    "mask-information", ("sparse-law-of-robustness", "mask-information-bounds",
                         "data-dependent-masks-fit-noise"),
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
