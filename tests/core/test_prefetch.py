"""Prefetch registry: each registered function runs once per call, in registration order, only for
the names asked; the separation topic registers its shared certified records."""
from pruneproof.verify.core import prefetch as pf


def test_each_function_runs_once_for_the_names_asked(monkeypatch):
    monkeypatch.setattr(pf, "_PREFETCH", {})
    calls = []
    first = pf.register_prefetch(("claim-a", "figure-b"), lambda ctx: calls.append(("first", ctx)))
    pf.register_prefetch(("figure-b",), lambda ctx: calls.append(("second", ctx)))
    pf.register_prefetch(("claim-a",), first)          # registering twice does not duplicate
    assert pf.prefetch(["claim-a", "figure-b", "unknown"], "ctx") == 2
    assert calls == [("first", "ctx"), ("second", "ctx")]
    calls.clear()
    assert pf.prefetch(["unknown"], "ctx") == 0 and calls == []


def test_separation_registers_its_shared_records():
    import pruneproof.verify.separation  # noqa: F401 - registration
    from pruneproof.verify.separation.experiments import _neuron_records
    for name in ("neuron-pruning-inverse-n", "neuron-pruning-lower-bound", "separation",
                 "neuron-pruning-scaling"):
        assert _neuron_records in pf._PREFETCH[name]
