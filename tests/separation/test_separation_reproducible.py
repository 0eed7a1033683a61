"""Machine independence of the separation solvers (issue: the restricted-search upper bound at
n = 96 moved 23 % at its lower quartile on another machine).

Root causes: numpy's ``arctan2``/``exp`` switch to SIMD kernels on AVX-512 CPUs and ``@`` /
``np.linalg.norm`` use the OpenBLAS kernel picked for the CPU (FMA or not); last-bit differences in
the grid matrix changed HiGHS' node-limited path.  The evaluators now use only IEEE basic
operations in a fixed order.  Here a small restricted-search instance is solved in subprocesses
under different CPU emulations (OpenBLAS core type, numpy CPU features disabled) and the results
must be bit-identical."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest

from pruneproof.verify.separation import circle

SCRIPT = r"""
import json, sys
import numpy as np
from pruneproof.verify.separation.circle import circle_grid, random_network, random_target
from pruneproof.verify.separation.search import candidate_ranking, solve_neuron_pruning
rng = np.random.default_rng(20260522)
U, v = random_network(40, 2, "gaussian", rng)
w = random_target(2, rng, "sphere")
grid = circle_grid(U, v, w, 128)
r = solve_neuron_pruning(U, v, w, "B", "sup", full_max_n=0, grid_points=128, restricted_k=12,
                         restricted_node_limit=50, polish_steps=1, restricted_rounds=2, rng=rng)
print(json.dumps({"Phi": grid.Phi.tobytes().hex(), "F": grid.F.tobytes().hex(),
                  "theta": grid.theta.tobytes().hex(),
                  "ranking": candidate_ranking(U, v, w, "B").tolist(),
                  "error": r.error.hex(), "lower": r.lower.hex(),
                  "subset": r.subset.tolist(), "nodes": r.details.get("nodes", 0)}))
"""


def _start(extra_env: dict) -> subprocess.Popen:
    env = {**os.environ, **extra_env}
    env.setdefault("OPENBLAS_NUM_THREADS", "1")
    return subprocess.Popen([sys.executable, "-c", SCRIPT], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def _result(proc: subprocess.Popen) -> dict:
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    return json.loads(out.strip().splitlines()[-1])


def _openblas_core(coretype: str) -> str | None:
    """The OpenBLAS core that OPENBLAS_CORETYPE=coretype really selects (None if not reported)."""
    env = {**os.environ, "OPENBLAS_CORETYPE": coretype, "OPENBLAS_VERBOSE": "2"}
    out = subprocess.run([sys.executable, "-c", "import numpy"], env=env, capture_output=True,
                         text=True, timeout=60)
    for line in (out.stdout + out.stderr).splitlines():
        if line.startswith("Core:"):
            return line.split(":", 1)[1].strip()
    return None


def test_restricted_search_bit_identical_across_blas_kernels_and_simd():
    core = _openblas_core("Prescott")
    if core is None or core.lower() == "haswell":
        pytest.skip("this numpy's OpenBLAS does not report/select an alternative core type "
                    f"(OPENBLAS_CORETYPE=Prescott -> {core!r}); cannot emulate another machine")
    # numpy >= 2.4 groups x86 features: X86_V4 = AVX-512 (ignored where not available)
    simd_off = "X86_V4" if np.lib.NumpyVersion(np.__version__) >= "2.4.0" else "AVX512F AVX512_SKX"
    base = _start({"OPENBLAS_CORETYPE": "Haswell"})
    other = _start({"OPENBLAS_CORETYPE": "Prescott", "NPY_DISABLE_CPU_FEATURES": simd_off})
    base, other = _result(base), _result(other)  # both run concurrently
    assert other == base


def test_portable_functions_match_libm_to_an_ulp():
    rng = np.random.default_rng(1)
    x = np.concatenate([rng.uniform(-15, 15, 2000), [0.0, -0.0, np.pi / 2, np.pi, -np.pi]])
    s, c = circle.det_sincos(x)
    assert np.max(np.abs(s - np.sin(x))) <= 2.3e-16
    assert np.max(np.abs(c - np.cos(x))) <= 2.3e-16
    y, z = rng.standard_normal(2000), rng.standard_normal(2000)
    a = circle.det_arctan2(y, z)
    assert np.all(np.abs(a - np.arctan2(y, z)) <= 2 * np.spacing(np.abs(np.arctan2(y, z))) + 1e-300)
    specials = ([0.0, -0.0, 0.0, -0.0, 1.0, -1.0, 1.0], [1.0, 1.0, -1.0, -1.0, 0.0, 0.0, -0.0])
    np.testing.assert_array_equal(circle.det_arctan2(*specials), np.arctan2(*specials))
    assert circle.det_norm([3.0, 4.0]) == 5.0
    A = rng.standard_normal((7, 5))
    assert np.allclose(circle.det_matvec(A, [1, 0, 1, 1, 0]), A @ [1, 0, 1, 1, 0], rtol=0,
                       atol=1e-15)
