"""Each marimo notebook runs headless as a script and exports to HTML (skipped only where marimo
is not installed: it is in the `test` and `teach` extras)."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.py"))
ENV = dict(os.environ, MPLBACKEND="Agg", OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1")


def test_notebooks_exist():
    assert {p.stem for p in NOTEBOOKS} >= {"amm", "sketching", "separation", "paths", "robustness"}


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_runs_as_script(notebook, tmp_path):
    pytest.importorskip("marimo", reason="marimo not installed (pip install -e '.[teach]')")
    done = subprocess.run([sys.executable, str(notebook)], capture_output=True, text=True,
                          timeout=300, env=ENV, cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_exports_html(notebook, tmp_path):
    pytest.importorskip("marimo", reason="marimo not installed (pip install -e '.[teach]')")
    marimo = shutil.which("marimo") or pytest.skip("marimo command not on PATH")
    out = tmp_path / f"{notebook.stem}.html"
    done = subprocess.run([marimo, "export", "html", str(notebook), "-o", str(out)],
                          capture_output=True, text=True, timeout=300, env=ENV)
    assert done.returncode == 0, done.stderr[-2000:]
    assert out.stat().st_size > 10_000
