"""The Monte Carlo engine: seeded tasks, an executor seam, an on-disk cache that resumes.

A *task* is a pure function ``trial(config: dict, rng: numpy.random.Generator) -> dict`` defined at
module level (so that process pools and dask workers can import it), applied to a JSON-able
``config``.  Its random stream is

    SeedSequence(root_seed, spawn_key=(int(config_hash[:16], 16),))

where ``config_hash`` is the SHA-256 of the canonical JSON of ``{"trial": TRIAL_ID, **config}``
(or of the entries named by ``stream_keys`` only, when settings that must not redraw the instances
-- solver time limits, grid sizes -- live in the config too)
(Scientific Python SPEC 7; ``spec/style.md`` §2).  The stream depends only on the task's config and
the root seed, never on queue position, worker count or executor: serial, process-pool and dask runs
give bit-identical records.  ``TRIAL_ID`` is the stable id a trial registers with :func:`trial`
(never where the function happens to live, so moving code redraws nothing); an unregistered
module-level function falls back to ``module:qualname``.

Records are cached as ``<cache>/<key>.json`` (key = hash of config, root seed, package version and
the trial module's source), written atomically (temporary file + ``os.replace``); a rerun reuses them and an
interrupted run recomputes only what is missing.
"""
from __future__ import annotations

import functools
import hashlib
import importlib
import json
import os
import sys
import tempfile
import time
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from pathlib import Path
from typing import Callable, Iterable, Sequence

import numpy as np

from pruneproof import __version__

DEFAULT_SEED = 20260522


def canonical(obj) -> str:
    """Canonical JSON (sorted keys, no spaces, floats via repr) used for hashing configs."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), default=_json_default)


def _json_default(obj):
    if isinstance(obj, np.integer):
        return int(obj)
    if isinstance(obj, np.floating):
        return float(obj)
    if isinstance(obj, np.ndarray):
        return obj.tolist()
    if isinstance(obj, (tuple, set)):
        return list(obj)
    raise TypeError(f"not JSON-serialisable: {type(obj).__name__}")


def trial(trial_id: str):
    """Decorator giving a trial function its stable id (the key of its random streams and cached
    records).  Ids never change when code moves: the ids of the trials written before the
    ``pruneproof`` namespace are their old ``module:qualname``."""
    if not isinstance(trial_id, str) or not trial_id:
        raise ValueError(f"trial_id must be a non-empty string, got {trial_id!r}")

    def decorate(fn):
        if fn.__qualname__ != fn.__name__:
            raise ValueError(f"trial must be a module-level function, got {fn.__qualname__}")
        fn.__trial_id__ = trial_id
        return fn
    return decorate


def trial_name(trial: Callable) -> str:
    """The trial's stable id (see :func:`trial`), else ``module:qualname``."""
    registered = getattr(trial, "__trial_id__", None)
    if registered is not None:
        return registered
    name = f"{trial.__module__}:{trial.__qualname__}"
    if "<" in name:
        raise ValueError(f"trial must be a module-level function, got {name}")
    return name


def config_hash(trial: Callable | str, config: dict) -> str:
    name = trial if isinstance(trial, str) else trial_name(trial)
    return hashlib.sha256(canonical({"trial": name, **config}).encode()).hexdigest()


def task_seed(root_seed: int, chash: str) -> np.random.SeedSequence:
    """The task's stream: keyed by its config hash, independent of scheduling."""
    return np.random.SeedSequence(int(root_seed), spawn_key=(int(chash[:16], 16),))


def stream_config(config: dict, stream_keys: Sequence[str] | None) -> dict:
    """The part of ``config`` that keys the random stream: all of it by default, or only
    ``stream_keys`` (so that settings which do not change the random draw -- solver time limits,
    grid sizes -- can change without redrawing the instances)."""
    if stream_keys is None:
        return config
    missing = [k for k in stream_keys if k not in config]
    if missing:
        raise ValueError(f"stream_keys {missing} are not in the config {sorted(config)}")
    return {k: config[k] for k in stream_keys}


def run_task(trial: Callable, config: dict, root_seed: int,
             stream_keys: Sequence[str] | None = None) -> dict:
    """Run one task in whatever process the executor chose (``trial`` is a module-level function,
    pickled by reference)."""
    name = trial_name(trial)
    chash = config_hash(name, stream_config(config, stream_keys))
    rng = np.random.default_rng(task_seed(root_seed, chash))
    record = trial(config, rng)
    if not isinstance(record, dict):
        raise TypeError(f"trial {name} must return a dict, got {type(record).__name__}")
    return json.loads(canonical(record))  # normalise to plain JSON types


class SerialExecutor(Executor):
    """Runs each submitted call at once, in this process."""

    def submit(self, fn, /, *args, **kwargs):
        future: Future = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:  # noqa: BLE001 - delivered through the future
            future.set_exception(exc)
        return future


def atomic_write_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so that readers never see a half-written file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def default_cache_dir() -> Path:
    return Path(os.environ.get("PRUNEPROOF_CACHE", ".pruneproof-cache"))


class Progress:
    """A minimal progress bar on stderr, shown only when stderr is a terminal."""

    def __init__(self, total: int, label: str, enabled: bool | None = None):
        self.total, self.label, self.done = total, label, 0
        self.enabled = sys.stderr.isatty() if enabled is None else enabled
        self._last = 0.0

    def update(self, n: int = 1) -> None:
        self.done += n
        if self.enabled and (time.monotonic() - self._last > 0.1 or self.done == self.total):
            self._last = time.monotonic()
            width = 30
            filled = int(width * self.done / max(self.total, 1))
            sys.stderr.write(f"\r{self.label[:40]:40s} [{'#' * filled}{'.' * (width - filled)}] "
                             f"{self.done}/{self.total}")
            if self.done >= self.total:
                sys.stderr.write("\n")
            sys.stderr.flush()


class Runner:
    """Runs tasks through an executor with caching.

    Parameters
    ----------
    executor : concurrent.futures.Executor, optional
        Serial by default; a ``ProcessPoolExecutor`` or ``dask.distributed.Client.get_executor()``
        plug in unchanged.
    root_seed : int
        Entropy of every task's ``SeedSequence``.
    cache_dir : path or None
        Where records are cached; ``None`` disables the cache (``--no-cache``).
    """

    def __init__(self, executor: Executor | None = None, root_seed: int = DEFAULT_SEED,
                 cache_dir: Path | str | None = None, progress: bool | None = None):
        if isinstance(root_seed, bool) or not isinstance(root_seed, (int, np.integer)) \
                or root_seed < 0:
            raise ValueError(f"seed must be a non-negative integer, got {root_seed!r}")
        self.executor = executor or SerialExecutor()
        self.root_seed = int(root_seed)
        self.cache_dir = None if cache_dir is None else Path(cache_dir)
        self.progress = progress
        self.computed = 0
        self.reused = 0

    def _cache_path(self, name: str, config: dict,
                    stream_keys: Sequence[str] | None = None, module: str = "") -> Path | None:
        if self.cache_dir is None:
            return None
        key = hashlib.sha256(canonical({"trial": name, "config": config, "seed": self.root_seed,
                                        "stream_keys": stream_keys,
                                        "version": __version__,
                                        "code": _module_digest(module)}).encode()).hexdigest()
        return self.cache_dir / key[:2] / f"{key}.json"

    def run(self, trial: Callable, configs: Sequence[dict], label: str | None = None,
            stream_keys: Sequence[str] | None = None) -> list[dict]:
        """Records of ``trial`` on every config, in order (cached ones reused).

        ``stream_keys`` names the config entries that key each task's random stream (default: the
        whole config); see :func:`stream_config`."""
        name = trial_name(trial)
        configs = [json.loads(canonical(c)) for c in configs]
        records: list[dict | None] = [None] * len(configs)
        pending: dict[Future, int] = {}
        progress = Progress(len(configs), label or name.split(":")[-1], self.progress)

        def store(i: int, future: Future) -> None:
            # runs as soon as the task finishes (even if the caller is interrupted later)
            path = self._cache_path(name, configs[i], stream_keys, trial.__module__)
            if path is not None and not future.cancelled() and future.exception() is None:
                atomic_write_text(path, canonical({"trial": name, "config": configs[i],
                                                   "seed": self.root_seed,
                                                   "record": future.result()}))

        for i, config in enumerate(configs):
            path = self._cache_path(name, config, stream_keys, trial.__module__)
            if path is not None and path.exists():
                try:
                    records[i] = json.loads(path.read_text())["record"]
                    self.reused += 1
                    progress.update()
                    continue
                except (json.JSONDecodeError, KeyError):
                    pass  # a corrupt entry is recomputed
            future = self.executor.submit(run_task, trial, config, self.root_seed,
                                          None if stream_keys is None else list(stream_keys))
            future.add_done_callback(lambda f, i=i: store(i, f))
            pending[future] = i
        try:
            for future in _as_completed(pending):
                records[pending[future]] = future.result()
                self.computed += 1
                progress.update()
        finally:
            for future in pending:
                future.cancel()
        return records  # type: ignore[return-value]


@functools.lru_cache(maxsize=None)
def _module_digest(module_name: str) -> str:
    """Hash of the trial's module source: editing the code invalidates its cached records."""
    module = importlib.import_module(module_name)
    try:
        return hashlib.sha256(Path(module.__file__).read_bytes()).hexdigest()[:16]
    except (OSError, TypeError):
        return "unknown"


def _as_completed(futures: Iterable[Future]):
    from concurrent.futures import as_completed
    return as_completed(list(futures))


def make_executor(workers: int | None = None, scheduler: str | None = None):
    """The executor seam: serial (``workers == 1``), a local process pool (default: all cores), or
    a dask.distributed cluster at ``scheduler`` (``tcp://HOST:PORT``).  Returns
    ``(executor, close)``; call ``close()`` when done."""
    if scheduler is not None:
        try:
            from dask.distributed import Client
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise ValueError("--scheduler needs dask.distributed: pip install "
                             "'pruneproof[distributed]'") from exc
        client = Client(scheduler, timeout="30s")
        return client.get_executor(), client.close
    if workers is None:
        workers = os.cpu_count() or 1
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise ValueError(f"workers must be an integer >= 1, got {workers!r}")
    if workers == 1:
        return SerialExecutor(), lambda: None
    pool = ProcessPoolExecutor(max_workers=workers)
    return pool, lambda: pool.shutdown(cancel_futures=True)
