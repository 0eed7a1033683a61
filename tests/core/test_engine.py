"""The engine: streams keyed by config, identical results whatever the executor, caching, resume."""
import json
from concurrent.futures import ProcessPoolExecutor

import numpy as np
import pytest
from pruneproof.verify.amm.experiments import amm_trial
from pruneproof.verify.core.engine import (
    Runner,
    SerialExecutor,
    atomic_write_text,
    config_hash,
    make_executor,
    task_seed,
)


def _configs(n=6):
    return [{"kind": "gaussian", "shape": [4, 10, 3], "instance_seed": i, "scheme": "optimal",
             "beta": 0.5, "c": 3, "trials": 200} for i in range(n)]


def test_streams_are_keyed_by_config_not_by_position():
    a, b = _configs(2)
    ha, hb = config_hash(amm_trial, a), config_hash(amm_trial, b)
    assert ha != hb
    ra = np.random.default_rng(task_seed(1, ha)).random(4)
    rb = np.random.default_rng(task_seed(1, hb)).random(4)
    assert not np.array_equal(ra, rb)
    np.testing.assert_array_equal(ra, np.random.default_rng(task_seed(1, ha)).random(4))
    assert not np.array_equal(ra, np.random.default_rng(task_seed(2, ha)).random(4))
    # order of configs does not matter
    forward = Runner().run(amm_trial, [a, b])
    backward = Runner().run(amm_trial, [b, a])
    assert forward == backward[::-1]


def test_serial_process_pool_and_dask_give_identical_records():
    configs = _configs()
    serial = Runner(SerialExecutor()).run(amm_trial, configs)
    with ProcessPoolExecutor(2) as pool:
        pooled = Runner(pool).run(amm_trial, configs)
    assert serial == pooled
    distributed = pytest.importorskip("dask.distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        on_dask = Runner(client.get_executor()).run(amm_trial, configs)
    assert serial == on_dask


def test_cache_is_reused_and_no_cache_recomputes(tmp_path):
    configs = _configs(4)
    first = Runner(cache_dir=tmp_path)
    records = first.run(amm_trial, configs)
    assert (first.computed, first.reused) == (4, 0)
    second = Runner(cache_dir=tmp_path)
    assert second.run(amm_trial, configs) == records
    assert (second.computed, second.reused) == (0, 4)
    uncached = Runner(cache_dir=None)
    assert uncached.run(amm_trial, configs) == records and uncached.computed == 4
    other_seed = Runner(cache_dir=tmp_path, root_seed=7)
    assert other_seed.run(amm_trial, configs) != records and other_seed.computed == 4


class _InterruptingExecutor(SerialExecutor):
    """Serial executor interrupted (as by Ctrl-C) when the k-th task is submitted."""

    def __init__(self, k):
        self.k, self.count = k, 0

    def submit(self, fn, /, *args, **kwargs):
        self.count += 1
        if self.count == self.k:
            raise KeyboardInterrupt
        return super().submit(fn, *args, **kwargs)


def test_an_interrupted_run_resumes_and_recomputes_only_what_is_missing(tmp_path):
    configs = _configs(6)
    with pytest.raises(KeyboardInterrupt):
        Runner(_InterruptingExecutor(4), cache_dir=tmp_path).run(amm_trial, configs)
    files = list(tmp_path.rglob("*.json"))
    assert len(files) == 3 and not list(tmp_path.rglob("*.tmp"))
    resumed = Runner(cache_dir=tmp_path)
    records = resumed.run(amm_trial, configs)
    assert (resumed.computed, resumed.reused) == (3, 3)
    assert records == Runner().run(amm_trial, configs)


def test_a_corrupt_cache_entry_is_recomputed(tmp_path):
    configs = _configs(1)
    Runner(cache_dir=tmp_path).run(amm_trial, configs)
    (path,) = tmp_path.rglob("*.json")
    path.write_text("{not json")
    again = Runner(cache_dir=tmp_path)
    again.run(amm_trial, configs)
    assert again.computed == 1 and json.loads(path.read_text())["record"]


def test_atomic_write_leaves_no_partial_file(tmp_path):
    target = tmp_path / "x" / "out.txt"
    atomic_write_text(target, "hello")
    assert target.read_text() == "hello"
    assert [p.name for p in target.parent.iterdir()] == ["out.txt"]


@pytest.mark.parametrize("kwargs,match", [
    ({"workers": 0}, "workers must be an integer >= 1"),
    ({"workers": -2}, "workers must be an integer >= 1"),
])
def test_bad_executor_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        make_executor(**kwargs)


def test_bad_seed():
    with pytest.raises(ValueError, match="seed must be a non-negative integer"):
        Runner(root_seed=-1)


def test_trials_must_be_module_level():
    with pytest.raises(ValueError, match="module-level"):
        Runner().run(lambda config, rng: {}, [{}])


def test_scheduler_address_runs_tasks_on_a_dask_cluster():
    """`--scheduler tcp://HOST:PORT` path: make_executor connects a Client to a running cluster."""
    distributed = pytest.importorskip("dask.distributed")
    configs = _configs(3)
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        executor, close = make_executor(scheduler=cluster.scheduler_address)
        try:
            records = Runner(executor).run(amm_trial, configs)
        finally:
            close()
    assert records == Runner().run(amm_trial, configs)


def test_unknown_budget_is_a_clear_error(runner):
    from pruneproof.verify.core.verdicts import CheckContext
    with pytest.raises(ValueError, match="budget must be one of smoke, default, paper, got 'huge'"):
        CheckContext("huge", runner)


def test_stream_keys_keep_the_draw_when_other_settings_change():
    """Settings outside ``stream_keys`` (e.g. a solver time limit) do not redraw the instances."""
    base = _configs(2)
    changed = [dict(c, trials=c["trials"], beta=0.25) for c in base]  # beta: not a stream key
    keys = ("kind", "shape", "instance_seed", "scheme", "c", "trials")
    a = Runner().run(amm_trial, base, stream_keys=keys)
    b = Runner().run(amm_trial, changed, stream_keys=keys)
    assert [r["mean"] for r in a] == [r["mean"] for r in b]       # optimal p ignores beta
    assert Runner().run(amm_trial, base) != Runner().run(amm_trial, changed)
    with pytest.raises(ValueError, match="stream_keys"):
        Runner().run(amm_trial, base, stream_keys=("nope",))
