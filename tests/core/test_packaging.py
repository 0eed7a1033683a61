"""The namespaced install: a built wheel holds only ``pruneproof/``; after installing it,
``import pruneproof.theory`` / ``pruneproof.verify`` work, ``import theory`` / ``import verify``
fail, and ``pruneproof list`` runs.  (Builds a wheel and a virtual environment: ~30 s.)"""
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_wheel_holds_only_the_namespace_and_installs_cleanly(tmp_path):
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps",
                    "-q", "-w", str(wheels), str(ROOT)], check=True, timeout=300)
    [wheel] = wheels.glob("pruneproof-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    top = {n.split("/")[0] for n in names if not n.split("/")[0].endswith(".dist-info")}
    assert top == {"pruneproof"}, top
    assert "pruneproof/verify/core/engine.py" in names
    assert "pruneproof/theory/claims.py" in names
    # a fresh environment that sees the installed dependencies but not this source tree
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)],
                   check=True, timeout=300)
    python = venv / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "-q", "--no-deps", "--no-index",
                    str(wheel)], check=True, timeout=300)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    site = subprocess.run([str(python), "-c", "import pruneproof.verify, pruneproof.theory, "
                           "sys; print(pruneproof.verify.__file__)"], cwd=elsewhere,
                          capture_output=True, text=True, timeout=120)
    assert site.returncode == 0, site.stderr
    assert str(venv) in site.stdout, site.stdout  # the wheel's copy, not the source tree
    for name in ("theory", "verify"):
        bad = subprocess.run([str(python), "-c", f"import {name}"], cwd=elsewhere,
                             capture_output=True, text=True, timeout=120)
        assert bad.returncode != 0 and "No module named" in bad.stderr, name
    out = subprocess.run([str(venv / "bin" / "pruneproof"), "list"], cwd=elsewhere,
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert "amm-beta-bound" in out.stdout
