"""Law of robustness on quadratic forms (tiny SDPs, d <= 10): move the class dimension p and the
mask size k, watch the certified min-Lipschitz interpolator against sqrt(nd/p), and the exact
Lipschitz constant of min-norm fits on masks of known information against the envelope
sqrt(nd/p_eff) and the absolute Corollary A' bound (derived here, not No Free Prune's theorem).
pruneproof's own trials and figure code.

Run: `marimo edit notebooks/robustness.py` (interactive), `python notebooks/robustness.py`
(headless script), `marimo export html notebooks/robustness.py -o robustness.html`.
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
    from pruneproof.verify.core.tables import table_from_rows
    from pruneproof.verify.robustness.bounds import kspar_information_bound, \
        sparse_lipschitz_bound
    from pruneproof.verify.robustness.experiments import law_grid, law_trial, mask_trial
    from pruneproof.verify.robustness.figures import plot_law, plot_mask_information
    N, D = 5, 10                       # tiny: every SDP is 10 x 10
    P = D * (D + 1) // 2
    return (D, N, P, Runner, kspar_information_bound, law_grid, law_trial, mask_trial, mo, np,
            plot_law, plot_mask_information, sparse_lipschitz_bound, table_from_rows)


@app.cell
def _(N, P, mo):
    p = mo.ui.slider(2 * N, P, value=25, step=1, label="class dimension p")
    k = mo.ui.slider(N + 1, P, value=20, step=1, label="mask size k")
    mo.hstack([p, k])
    return k, p


@app.cell
def _(D, N, Runner, law_grid, law_trial, mo, np, p, plot_law, table_from_rows):
    # the law-of-robustness figure's trial and plot on a grid through the chosen p
    _ps = sorted(set(law_grid(N, D, 4)) | {p.value})
    _configs = [{"n": N, "d": D, "p": _p, "seed": _s} for _p in _ps for _s in range(3)]
    _recs = Runner(cache_dir=None, progress=False).run(law_trial, _configs, "notebook law")
    _rows = [{"model": "quadratic-minlip", "n": _r["n"], "d": _r["d"], "p": _r["p"],
              "lip": _r["lip"], "lip_upper": _r["lip"], "certified": bool(_r["optimal"]),
              "scale": float(np.sqrt(_r["n"] * _r["d"] / _r["p"]))} for _r in _recs]
    _at = [_r["lip"] for _r in _rows if _r["p"] == p.value]
    _scale = float(np.sqrt(N * D / p.value))
    mo.vstack([mo.md(f"At p = {p.value}: median certified min Lip = {np.median(_at):.3f}, "
                     f"sqrt(nd/p) = {_scale:.3f}, ratio {np.median(_at) / _scale:.2f}"),
               plot_law(table_from_rows(_rows))])
    return


@app.cell
def _(D, N, Runner, k, kspar_information_bound, mask_trial, np, plot_mask_information,
      sparse_lipschitz_bound, table_from_rows):
    # the mask-information figure's trial, table columns and plot, through the chosen k
    _Ms = (1, 4, 16)
    _ks = sorted({8, 15, 30, 55, k.value})
    _configs = [{"n": N, "d": D, "k": _k, "Ms": list(_Ms), "seed": _s} for _k in _ks
                for _s in range(3)]
    _rows = []
    for _r in Runner(cache_dir=None, progress=False).run(mask_trial, _configs, "notebook masks"):
        _logc = float(kspar_information_bound(_r["P"], _r["k"]))
        _methods = [("random", _r["random"], 0.0), ("magnitude", _r["magnitude"], _logc),
                    ("snip", _r["snip"], _logc)]
        _methods += [(f"best-of-{_M}", _r[f"best_of_{_M}"], float(np.log(_M))) for _M in _Ms]
        for _name, _lip, _ihi in _methods:
            _rows.append({"n": N, "d": D, "P": _r["P"], "k": _r["k"], "method": _name,
                          "lip": _lip, "info_low": 0.0, "info_high": _ihi, "p_eff_low": _r["k"],
                          "p_eff_high": _r["k"] + _ihi,
                          "envelope": float(np.sqrt(N * D / _r["k"])),
                          "absolute_bound": float(sparse_lipschitz_bound(
                              N, D, _ihi, _r["k"], 0.99, 1.0, 2.0, 1.0))})
    plot_mask_information(table_from_rows(_rows))
    return


if __name__ == "__main__":
    app.run()
