"""The committed figures stay true: the manifest records the default budget for every figure and
its data hashes match the files; ``pruneproof all --check`` compares regenerated data with
committed tables and names the figure and column of a mismatch."""
import hashlib
import json
from pathlib import Path

import numpy as np

from pruneproof.verify.core.compare import compare_tables
from pruneproof.verify.core.figures import all_figures

ROOT = Path(__file__).resolve().parents[2]
FIGURES = ROOT / "figures"


def test_manifest_records_the_default_budget_and_matching_data_hashes():
    manifest = json.loads((FIGURES / "manifest.json").read_text())
    entries = manifest["figures"]
    for spec in all_figures():
        assert spec.name in entries, f"manifest misses {spec.name}"
        entry = entries[spec.name]
        assert entry["budget"] == "default", f"{spec.name} was made at {entry['budget']}"
        data = (FIGURES / entry["data"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["data_sha256"], \
            f"{spec.name}: figures/{entry['data']} does not match the manifest's hash"
        for image in entry["images"]:
            assert (FIGURES / image).exists()
    assert manifest["report"]["budget"] == "default"


def test_compare_tables_names_figure_and_column_and_respects_tolerances():
    want = {"n": np.array([1.0, 2.0]), "err": np.array([0.5, np.nan]),
            "label": np.array(["a", "b"], dtype=object)}
    assert compare_tables("fig", want, dict(want)) == []
    got = dict(want, err=np.array([0.5 * (1 + 1e-6), np.nan]))
    [mismatch] = compare_tables("fig", want, got)
    assert (mismatch.figure, mismatch.column) == ("fig", "err")
    assert "fig: column 'err'" in str(mismatch)
    assert compare_tables("fig", want, got, {"err": (1e-5, 0.0, "solver tolerance")}) == []
    got = dict(want, label=np.array(["a", "c"], dtype=object))
    assert [m.column for m in compare_tables("fig", want, got)] == ["label"]
    assert compare_tables("fig", want, {"n": want["n"]})[0].column == "*"
