"""Weight vs neuron pruning: move n, watch the random subset-sum best error against the claim's
Poisson prediction, and the exact neuron-pruning optimum (architecture A, d = 2, all 2^n subsets)
against the kink-gap lower bound LB_A (pruneproof's own numerics and figure code; small n).

Run: `marimo edit notebooks/separation.py` (interactive), `python notebooks/separation.py`
(headless script), `marimo export html notebooks/separation.py -o separation.html`.
"""
import marimo

app = marimo.App(width="medium")


@app.cell
def _():
    import marimo as mo
    import matplotlib
    matplotlib.use("Agg")
    import numpy as np
    from pruneproof.theory.claims import get_claim
    from pruneproof.verify.core.tables import table_from_rows
    from pruneproof.verify.core.verdicts import load_plugins
    from pruneproof.verify.separation.bounds import brute_force_best, kink_gap_bound
    from pruneproof.verify.separation.circle import random_network, random_target
    from pruneproof.verify.separation.experiments import SUBSET_TARGET_RANGE
    from pruneproof.verify.separation.figures import plot_neuron_lb, plot_subset_rate
    from pruneproof.verify.separation.rates import implied_items, poisson_median
    from pruneproof.verify.separation.subsetsum import best_subset_sum, coverage_error, \
        random_items
    load_plugins()
    return (SUBSET_TARGET_RANGE, best_subset_sum, brute_force_best, coverage_error, get_claim,
            implied_items, kink_gap_bound, mo, np, plot_neuron_lb, plot_subset_rate,
            poisson_median, random_items, random_network, random_target, table_from_rows)


@app.cell
def _(mo):
    n_max = mo.ui.slider(8, 28, value=20, step=2, label="largest subset-sum size n")
    n_net = mo.ui.slider(4, 10, value=8, step=1, label="neuron-pruning width n (brute force)")
    mo.hstack([n_max, n_net])
    return n_max, n_net


@app.cell
def _(SUBSET_TARGET_RANGE, best_subset_sum, coverage_error, get_claim, implied_items, n_max,
      np, plot_subset_rate, poisson_median, random_items, table_from_rows):
    # the subset-sum-rate figure's table columns and plot; the prediction from the claim object
    _claim = get_claim("subset-sum-exponential")
    _rng = np.random.default_rng(0)
    _rows = []
    for _n in range(4, n_max.value + 1, 4 if n_max.value > 16 else 2):
        _best = [best_subset_sum(random_items(_n, _rng), float(_rng.uniform(*SUBSET_TARGET_RANGE)))[0]
                 for _ in range(40)]
        _cov = [coverage_error(random_items(_n, _rng)) for _ in range(10)]
        for _key, _v in (("best", _best), ("coverage", _cov)):
            _rows.append({"quantity": _key, "n": _n, "median": float(np.median(_v)),
                          "q25": float(np.quantile(_v, 0.25)),
                          "q75": float(np.quantile(_v, 0.75)),
                          "theory_median": poisson_median(_claim, implied_items(_claim) * _n,
                                                          SUBSET_TARGET_RANGE)
                          if _key == "best" else float("nan")})
    plot_subset_rate(table_from_rows(_rows))
    return


@app.cell
def _(brute_force_best, kink_gap_bound, n_net, np, plot_neuron_lb, random_network,
      random_target, table_from_rows):
    # the neuron-lower-bound figure's plot on exact optima (every subset of a small net)
    _rng = np.random.default_rng(1)
    _rows = []
    for _n in sorted({4, 6, n_net.value}):
        for _ in range(6):
            _U, _v = random_network(_n, 2, "gaussian", _rng)
            _w = random_target(2, _rng)
            _opt = float(brute_force_best(_U, _v, _w, "A")[0])
            _rows.append({"n": _n, "optimum_upper": _opt, "optimum_lower": _opt,
                          "kink_bound": kink_gap_bound(_U, _w), "status": "exact"})
    plot_neuron_lb(table_from_rows(_rows))
    return


if __name__ == "__main__":
    app.run()
