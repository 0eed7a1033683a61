"""DKM approximate matrix multiplication: move c and beta, watch the exact expected error, the
Monte Carlo mean and the claim's beta-bound (pruneproof's own functions; nothing retyped).

Run: `marimo edit notebooks/amm.py` (interactive), `python notebooks/amm.py` (headless script),
`marimo export html notebooks/amm.py -o amm.html`.
"""
import marimo

app = marimo.App(width="medium")


@app.cell
def _():
    import marimo as mo
    import matplotlib
    matplotlib.use("Agg")
    from pruneproof.verify.amm.experiments import _t_interval as t_interval, amm_trial
    from pruneproof.verify.amm.figures import (_beta_bound as beta_bound, _exact as exact,
                                               _scheme_label as scheme_label, plot_amm_rate)
    from pruneproof.verify.core.engine import Runner
    from pruneproof.verify.core.tables import table_from_rows
    return (Runner, amm_trial, beta_bound, exact, mo, scheme_label, t_interval,
            plot_amm_rate, table_from_rows)


@app.cell
def _(mo):
    c_max = mo.ui.slider(8, 128, value=32, step=8, label="largest number of draws c")
    beta = mo.ui.slider(0.1, 1.0, value=0.5, step=0.05, label="near-optimality beta")
    mo.hstack([c_max, beta])
    return beta, c_max


@app.cell
def _(Runner, amm_trial, beta, beta_bound, c_max, exact, plot_amm_rate, scheme_label,
      t_interval, table_from_rows):
    # the amm-rate figure's own trial, table columns and plotting code, at the chosen c and beta
    cs = [c for c in (2, 4, 8, 16, 32, 64, 128) if c <= c_max.value]
    configs = [{"kind": "anisotropic", "shape": [40, 300, 30], "instance_seed": 77,
                "scheme": scheme, "beta": b, "c": c, "trials": 500}
               for scheme, b in (("optimal", 1.0), ("beta", float(beta.value))) for c in cs]
    records = Runner(cache_dir=None, progress=False).run(amm_trial, configs, "notebook")
    rows = []
    for cfg, r in zip(configs, records):
        ci = t_interval(r["mean"], r["sd"], r["n"], 0.95)
        rows.append({"scheme": scheme_label(cfg["scheme"], cfg["beta"]), "beta": r["beta"],
                     "c": cfg["c"], "mc_mean": r["mean"], "ci_low": ci.low,
                     "ci_high": ci.high, "exact": exact(r), "beta_bound": beta_bound(r),
                     "trials": r["n"]})
    fig = plot_amm_rate(table_from_rows(rows))
    fig
    return


if __name__ == "__main__":
    app.run()
