"""Layer collapse: move the compression (density = 10^-alpha) and the number of SynFlow rounds,
watch the remaining fraction of every layer for single-shot vs iterative SynFlow on the spec 6.5
MLP [64, 256, 8, 256, 10], with rho_max = N/L and the first-collapse marker (pruneproof's own
trial and figure code).

Run: `marimo edit notebooks/paths.py` (interactive), `python notebooks/paths.py` (headless
script), `marimo export html notebooks/paths.py -o paths.html`.
"""
import marimo

app = marimo.App(width="medium")


@app.cell
def _():
    import marimo as mo
    import matplotlib
    matplotlib.use("Agg")
    from pruneproof.verify.core.engine import Runner
    from pruneproof.verify.core.tables import table_from_rows
    from pruneproof.verify.paths.experiments import SPEC_65, layer_collapse_trial
    from pruneproof.verify.paths.figures import LAYER_NAMES, plot_layer_collapse
    from pruneproof.verify.paths.masks import max_compression
    from pruneproof.verify.paths.network import random_network
    return (LAYER_NAMES, Runner, SPEC_65, layer_collapse_trial, max_compression, mo,
            plot_layer_collapse, random_network, table_from_rows)


@app.cell
def _(mo):
    alpha = mo.ui.slider(1.0, 4.0, value=3.5, step=0.25,
                         label="largest compression 10^alpha (density 10^-alpha)")
    rounds = mo.ui.slider(1, 50, value=20, step=1, label="iterative SynFlow rounds")
    mo.hstack([alpha, rounds])
    return alpha, rounds


@app.cell
def _(LAYER_NAMES, Runner, SPEC_65, alpha, layer_collapse_trial, max_compression,
      plot_layer_collapse, random_network, rounds, table_from_rows):
    # the layer-collapse figure's trial, table columns and plot, at the chosen grid and rounds
    _alphas = [a / 4 for a in range(2, int(4 * alpha.value) + 1)]
    _configs = [{"sizes": SPEC_65, "net_seed": 0, "method": _m, "alpha": _a,
                 "rounds": rounds.value if _m == "synflow-iterative" else 1}
                for _m in ("synflow", "synflow-iterative") for _a in _alphas]
    _records = Runner(cache_dir=None, progress=False).run(layer_collapse_trial, _configs,
                                                           "notebook")
    _rho_max = max_compression(random_network(SPEC_65, 0))
    _rows = [{"method": _c["method"], "rounds": _c["rounds"], "alpha": _c["alpha"],
              "rho": 10.0 ** _c["alpha"], "layer": _l + 1, "layer_shape": LAYER_NAMES[_l],
              "fraction": _f, "kept": _k, "collapsed": bool(_r["collapsed"]),
              "rho_max": _rho_max}
             for _c, _r in zip(_configs, _records)
             for _l, (_f, _k) in enumerate(zip(_r["fractions"], _r["kept"]))]
    plot_layer_collapse(table_from_rows(_rows))
    return


if __name__ == "__main__":
    app.run()
