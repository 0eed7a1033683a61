"""Figure styling without global state (the tueplots pattern): :func:`style` *returns* rcParams
which callers apply with ``matplotlib.pyplot.rc_context``; nothing changes at import and no LaTeX
install is needed (``text.usetex`` is off)."""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000")


def style(fontsize: float = 8.0) -> dict:
    """rcParams for a paper-sized figure (8 pt text, thin lines, colour-blind-safe palette)."""
    return {
        "text.usetex": False,
        "font.size": fontsize,
        "axes.titlesize": fontsize + 1,
        "axes.labelsize": fontsize,
        "legend.fontsize": fontsize - 1,
        "xtick.labelsize": fontsize - 1,
        "ytick.labelsize": fontsize - 1,
        "lines.linewidth": 1.2,
        "lines.markersize": 3.5,
        "axes.grid": True,
        "grid.alpha": 0.3,
        "axes.prop_cycle": matplotlib.cycler(color=PALETTE),
        "figure.dpi": 150,
        "savefig.dpi": 200,
        "savefig.bbox": "tight",
        "legend.frameon": False,
    }


def new_figure(ncols: int = 1, nrows: int = 1, width: float = 6.75, height: float = 2.6,
               **kwargs) -> tuple[Figure, object]:
    """A figure and axes created under :func:`style` (does not touch global rcParams)."""
    with plt.rc_context(style()):
        fig, axes = plt.subplots(nrows, ncols, figsize=(width, height), layout="constrained",
                                 **kwargs)
    return fig, axes


def styled(plot_fn):
    """Decorator: run a plotting function inside ``rc_context(style())``."""
    def wrapper(*args, **kwargs):
        with plt.rc_context(style()):
            return plot_fn(*args, **kwargs)
    wrapper.__name__ = plot_fn.__name__
    wrapper.__doc__ = plot_fn.__doc__
    wrapper.__wrapped__ = plot_fn
    return wrapper
