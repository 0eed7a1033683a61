"""The data behind each figure is regression-tested; each figure renders from its committed table;
the README's figure table lists every figure with its claims and command.

Regenerate the regression tables after an intended change with
``PRUNEPROOF_REGEN=1 pytest tests/test_figures.py``.
"""
import os
from pathlib import Path

import numpy as np
import pytest
from pruneproof.verify.core.engine import Runner
from pruneproof.verify.core.figures import all_figures
from pruneproof.verify.core.tables import read_csv, to_csv_text, write_csv
from pruneproof.verify.core.verdicts import CheckContext, load_plugins

ROOT = Path(__file__).resolve().parents[2]
REGRESSION = ROOT / "tests" / "regression"
load_plugins()
FIGURES = all_figures()


def _compare(table, expected, name):
    assert list(table) == list(expected), f"{name}: columns changed"
    for key in expected:
        got, want = np.asarray(table[key]), np.asarray(expected[key])
        assert got.shape == want.shape, f"{name}.{key}: length changed"
        if want.dtype == object:
            assert [str(v) for v in got] == [str(v) for v in want], f"{name}.{key}"
        else:
            np.testing.assert_allclose(got.astype(float), want, rtol=1e-6, atol=1e-12,
                                       err_msg=f"{name}.{key}", equal_nan=True)


@pytest.mark.parametrize("spec", FIGURES, ids=lambda s: s.name)
def test_figure_data_matches_the_regression_table(spec, tmp_path):
    ctx = CheckContext("smoke", Runner(cache_dir=tmp_path, progress=False))
    table = spec.build(ctx)
    path = REGRESSION / f"{spec.name}.csv"
    if os.environ.get("PRUNEPROOF_REGEN"):
        write_csv(table, path)
    assert path.exists(), f"no regression table for {spec.name}: run with PRUNEPROOF_REGEN=1"
    roundtrip = tmp_path / "t.csv"
    roundtrip.write_text(to_csv_text(table))
    _compare(read_csv(roundtrip), read_csv(path), spec.name)


@pytest.mark.parametrize("spec", FIGURES, ids=lambda s: s.name)
def test_figure_renders_from_its_committed_table(spec):
    import matplotlib.pyplot as plt
    csv = ROOT / "figures" / "data" / f"{spec.name}.csv"
    assert csv.exists(), f"figures/data/{spec.name}.csv is not committed (run pruneproof all)"
    fig = spec.plot(read_csv(csv))
    try:
        axes = fig.get_axes()
        assert axes
        for ax in axes:
            if ax.get_visible() and ax.has_data():
                siblings = ax.get_shared_y_axes().get_siblings(ax)
                assert ax.get_xlabel(), f"{spec.name}: unlabelled x axis"
                assert any(a.get_ylabel() for a in siblings), f"{spec.name}: unlabelled y axis"
    finally:
        plt.close(fig)
    for suffix in (".png", ".pdf"):
        assert (ROOT / "figures" / f"{spec.name}{suffix}").exists()


def test_readme_figure_table_lists_every_figure_with_claims_and_command():
    readme = (ROOT / "README.md").read_text()
    for spec in FIGURES:
        row = [line for line in readme.splitlines() if line.startswith(f"| `{spec.name}`")]
        assert row, f"README figure table misses {spec.name}"
        assert f"pruneproof figures {spec.name}" in row[0]
        for claim in spec.claims:
            assert claim in row[0], f"README row of {spec.name} misses claim {claim}"


def test_report_covers_every_claim_and_figure():
    from pruneproof.theory.claims import all_claims
    report = (ROOT / "figures" / "REPORT.md").read_text()
    for claim in all_claims():
        assert f"## {claim.id}" in report
    for spec in FIGURES:
        assert f"({spec.name}.png)" in report
