"""Figure registry.  A figure is a pair of pure functions:

* ``build(ctx: CheckContext) -> Table`` -- runs the experiment through the engine (cached), returns
  the tidy table written to ``figures/data/NAME.csv``;
* ``plot(table) -> matplotlib.figure.Figure`` -- draws it; it reads nothing else, so a figure can be
  redrawn from its committed CSV alone.

Register with :func:`register_figure`; ``pruneproof figures NAME`` regenerates one.
"""
from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .tables import Table, read_csv, write_csv


@dataclass(frozen=True)
class FigureSpec:
    name: str
    claims: tuple[str, ...]
    caption: str
    build: Callable[..., Table]
    plot: Callable[[Table], object]
    #: column -> (rtol, atol, why): where results cannot be bit-identical across machines, the
    #: tolerance that holds and why (``pruneproof all --check``); other columns use
    #: :data:`core.compare.DEFAULT_RTOL` / ``DEFAULT_ATOL``
    tolerances: dict = field(default_factory=dict)


_FIGURES: dict[str, FigureSpec] = {}


def register_figure(spec: FigureSpec) -> FigureSpec:
    if spec.name in _FIGURES and _FIGURES[spec.name] is not spec:
        raise ValueError(f"duplicate figure name {spec.name!r}")
    _FIGURES[spec.name] = spec
    return spec


def all_figures() -> list[FigureSpec]:
    from .registry import load_topics
    load_topics()
    return list(_FIGURES.values())


def get_figure(name: str) -> FigureSpec:
    from .registry import load_topics
    load_topics()
    try:
        return _FIGURES[name]
    except KeyError:
        raise ValueError(f"unknown figure {name!r}; valid names: {', '.join(_FIGURES)}") from None


def _atomic_savefig(fig, path: Path, **kwargs) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}.", suffix=path.suffix)
    os.close(fd)
    try:
        fig.savefig(tmp, **kwargs)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def render(spec: FigureSpec, table: Table, out_dir: Path) -> list[Path]:
    """Draw ``spec`` from ``table`` and write NAME.png and NAME.pdf atomically."""
    import matplotlib.pyplot as plt
    fig = spec.plot(table)
    try:
        png, pdf = out_dir / f"{spec.name}.png", out_dir / f"{spec.name}.pdf"
        _atomic_savefig(fig, png, metadata={"Software": None})
        _atomic_savefig(fig, pdf, metadata={"Creator": None, "Producer": None,
                                             "CreationDate": None})
    finally:
        plt.close(fig)
    return [png, pdf]


def make_figure(spec: FigureSpec, ctx, out_dir: Path, table=None) -> list[Path]:
    """Build the table (unless given, e.g. built in a worker), write ``data/NAME.csv``, then
    render from the CSV as written (so the committed image is exactly a function of the
    committed data)."""
    if table is None:
        table = spec.build(ctx)
    csv_path = out_dir / "data" / f"{spec.name}.csv"
    write_csv(table, csv_path)
    return [csv_path, *render(spec, read_csv(csv_path), out_dir)]
