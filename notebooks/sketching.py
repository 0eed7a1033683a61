"""Pruning a linear model is sketching Xw: move the feature anisotropy r and the kept fraction,
watch the exact expected error of data-free (|w|) vs sketch-optimal (|w| ||X^(i)||) sampling, the
Monte Carlo mean, the claim's beta_X bound, the price ratio against 1/beta_X, and top-k vs sampled
binary masks (pruneproof's own trials, claim evaluation and figure code; nothing retyped).

Run: `marimo edit notebooks/sketching.py` (interactive), `python notebooks/sketching.py`
(headless script), `marimo export html notebooks/sketching.py -o sketching.html`.
"""
import marimo

app = marimo.App(width="medium")


@app.cell
def _():
    import marimo as mo
    import matplotlib
    matplotlib.use("Agg")
    import numpy as np
    from pruneproof.verify.core.engine import Runner
    from pruneproof.verify.core.plotting import new_figure
    from pruneproof.verify.core.tables import table_from_rows
    from pruneproof.verify.sketching import experiments as S
    from pruneproof.verify.sketching.figures import FIG_SCORES, plot_randomized_vs_topk
    return FIG_SCORES, Runner, S, mo, new_figure, np, plot_randomized_vs_topk, table_from_rows


@app.cell
def _(mo):
    ratio = mo.ui.slider(steps=[1, 2, 5, 10, 20, 50, 100, 200, 500, 1000], value=10,
                         label="feature anisotropy r (max/min column scale)")
    keep = mo.ui.slider(0.05, 0.5, value=0.2, step=0.05, label="kept fraction")
    mo.hstack([ratio, keep])
    return keep, ratio


@app.cell
def _(Runner, S, keep, new_figure, np, ratio):
    # the data-independence figure's trials and claim evaluation (S.evaluate reads the claims)
    runner = Runner(cache_dir=None, progress=False)
    r = float(ratio.value)
    cs = (4, 8, 16, 32, 64)
    configs = [S._cfg("smoke", features="anisotropic", ratio=r, init="gaussian", weights="init",
                      target=_tg, c=_c, instance=0, trials=500, level=0.95)
               for _tg in ("data-free", "optimal") for _c in cs]
    records = runner.run(S.sketch_trial, configs, "notebook")
    grid = [1.0, 3.0, 10.0, 30.0, 100.0, 300.0, 1000.0]
    rconfigs = [{"n": configs[0]["n"], "d": configs[0]["d"], "ratio": _g, "instance": _i}
                for _g in sorted(set(grid) | {r}) for _i in range(3)]
    rrecords = runner.run(S.ratio_trial, rconfigs, "notebook ratio")
    fig, (ax1, ax2) = new_figure(2, width=7.0, height=2.8)
    for _j, _target in enumerate(("data-free", "optimal")):
        _pairs = [(_cf, _rec | S.evaluate(_cf, _rec)) for _cf, _rec in zip(configs, records)
                 if _cf["target"] == _target]
        _xs = [_cf["c"] for _cf, _ in _pairs]
        _nrm = _pairs[0][1]["N"]
        ax1.plot(_xs, [_e["exact"] / _nrm for _, _e in _pairs], "-" if _j == 0 else "--",
                 color=f"C{_j}", label=f"{_target}: exact")
        ax1.plot(_xs, [_e["mean"] / _nrm for _, _e in _pairs], "o" if _j == 0 else "s", color=f"C{_j}",
                 ms=3, label=f"{_target}: Monte Carlo mean")
        if _target == "data-free":
            ax1.plot(_xs, [_e["bound"] / _nrm for _, _e in _pairs], ":", color="k",
                     label="beta_X bound (claim data-independence)")
    ax1.axvline(keep.value * configs[0]["d"], color="0.5", lw=0.6)
    ax1.set(xscale="log", yscale="log", xlabel="draws c (grey: kept fraction x d)",
            ylabel="E||Xw - XDw||^2 / ||Xw||^2", title=f"r = {r:g}")
    ax1.legend(fontsize=5.5)
    xs = np.array([_c["ratio"] for _c in rconfigs])
    for _key, _style in (("error_ratio", "o"), ("inv_beta_x", "-"), ("ratio_bound", "--")):
        _ys = np.array([_rec[_key] for _rec in rrecords])
        _u = np.unique(xs)
        if _style == "o":
            ax2.plot(xs, _ys, "o", ms=3, label="exact E_q / E_p*")
        else:
            ax2.plot(_u, [np.median(_ys[xs == _v]) for _v in _u], _style, label=_key)
    ax2.axvline(r, color="0.5", lw=0.6)
    ax2.set(xscale="log", yscale="log", xlabel="anisotropy r", ylabel="data-free / optimal",
            title="price of data independence")
    ax2.legend(fontsize=5.5)
    fig
    return r, runner


@app.cell
def _(FIG_SCORES, S, keep, plot_randomized_vs_topk, r, runner, table_from_rows, np):
    # the randomized-vs-topk figure's trial and plot at the chosen r and kept fraction
    n, d = S.HYP["smoke"].shape
    keeps = sorted({0.5, 0.2, 0.05, float(keep.value)}, reverse=True)
    mconfigs = [{"n": n, "d": d, "features": "anisotropic", "ratio": r, **S.HYP_PROBLEM,
                 "scores": list(FIG_SCORES), "keep": keeps, "draws": 3, "instance": _i}
                for _i in range(2)]
    groups = {}
    for _rec in runner.run(S.mask_trial, mconfigs, "notebook masks"):
        for _row in _rec["rows"]:
            _key = (_row["protocol"], f"{_row['score']}, {_row['mask']}", 1.0 - _row["keep"])
            groups.setdefault(_key, []).append(_row["error"])
    table = table_from_rows([{"panel": _p, "series": _s, "quantity": "median", "x": _x,
                              "y": float(np.median(_v)), "lo": float(np.min(_v)),
                              "hi": float(np.max(_v))} for (_p, _s, _x), _v in groups.items()])
    plot_randomized_vs_topk(table)
    return


if __name__ == "__main__":
    app.run()
