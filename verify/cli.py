"""The ``pruneproof`` command line.

Exit codes: 0 when every checked theorem is verified; 1 when any theorem is refuted or
inconclusive (hypotheses never fail a run); 2 on bad usage or bad input (one line on stderr, no
traceback).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path

from .core.budgets import BUDGETS
from .core.prefetch import prefetch

EPILOG = """commands:
  list                 the claim registry (id, kind, title, source)
  check CLAIM... | --all
                       check claims by every route (symbolic, exact, Monte Carlo)
  figures [NAME...]    regenerate figures (all if none named) into --out
  report               check every claim, write REPORT.md (power column from power.json),
                       results.json, manifest.json
  all [--check]        check everything, regenerate every figure, write the report; with
                       --check, regenerate into a temporary folder and compare the data with the
                       committed tables in --out (exit 1 naming figure and column on a mismatch)
  power [CLAIM...]     verification power: perturbed theorems (bounds scaled, factors dropped,
                       rates shifted) checked by the same routes; which ones are refuted;
                       merged into OUT/power.json for the report (smoke budget by default)
  explain CLAIM        print a claim and its step-by-step derivation (for teaching)
  bench                benchmarks: fast paths against the naive way, as ratios
  conform MODULE:FUNCTION
                       run the pruner conformance properties on your score_fn(weights, rng)

exit codes: 0 every checked theorem verified (power: every required mutant refuted; all --check:
data matches; conform: every required property passes); 1 otherwise; 2 bad usage
"""


class UsageError(Exception):
    """Bad usage or bad input: reported as one line on stderr with exit code 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, exit 2, no usage dump
        raise UsageError(message)


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected an integer >= 1, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected an integer >= 1, got {value}")
    return value


def _seed(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a non-negative integer, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected a non-negative integer, got {value}")
    return value


def build_parser() -> argparse.ArgumentParser:
    from pruneproof import __version__

    from .core.engine import DEFAULT_SEED

    parser = _Parser(prog="pruneproof", description="Theory verification and numerical proofs "
                     "for pruning at initialization.", epilog=EPILOG,
                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"pruneproof {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    def run_options(default_budget: str) -> _Parser:
        # a fresh parent per default: argparse shares parent actions between subparsers, so a
        # set_defaults on one subcommand would change every other one's default
        run = _Parser(add_help=False)
        run.add_argument("--budget", choices=BUDGETS, default=default_budget,
                         help="smoke (<= 60 s for `all`), default, or paper "
                              "(default: %(default)s)")
        run.add_argument("--seed", type=_seed, default=DEFAULT_SEED,
                         help="root entropy of every task's SeedSequence (default: %(default)s)")
        run.add_argument("--workers", type=_positive_int, default=None,
                         help="local worker processes (default: all cores; 1 = serial)")
        run.add_argument("--scheduler", metavar="tcp://HOST:PORT", default=None,
                         help="run tasks on a dask.distributed cluster")
        run.add_argument("--no-cache", action="store_true", help="recompute instead of reusing "
                         "cached results")
        run.add_argument("--cache-dir", type=Path, default=None,
                         help="result cache (default: $PRUNEPROOF_CACHE or ./.pruneproof-cache)")
        return run

    run = run_options("default")
    out = _Parser(add_help=False)
    out.add_argument("--out", type=Path, default=Path("figures"),
                     help="output folder for figures and the report (default: %(default)s)")

    p = sub.add_parser("list", help="list the claims")
    p.add_argument("--json", action="store_true")
    p = sub.add_parser("check", parents=[run], help="check claims")
    p.add_argument("claims", nargs="*", metavar="CLAIM")
    p.add_argument("--all", action="store_true", help="check every claim")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p = sub.add_parser("figures", parents=[run, out], help="regenerate figures")
    p.add_argument("names", nargs="*", metavar="NAME")
    p = sub.add_parser("report", parents=[run, out], help="check all claims and write the report")
    p.add_argument("--html", action="store_true",
                   help="also write report.html (self-contained; `all` always writes it)")
    p = sub.add_parser("all", parents=[run, out],
                       help="check, make every figure, write the report (and report.html)")
    p.add_argument("--check", action="store_true",
                   help="regenerate into a temporary folder and compare with the tables in --out")
    p = sub.add_parser("power", parents=[run_options("smoke"), out],
                       help="measure verification power")
    p.add_argument("claims", nargs="*", metavar="CLAIM", help="theorems (default: all)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p = sub.add_parser("explain", help="print a claim's derivation and a worked example")
    p.add_argument("claim", metavar="CLAIM")
    p.add_argument("--seed", type=_seed, default=0, help="seed of the worked example (default: 0)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p = sub.add_parser("bench", help="run the benchmarks")
    p.add_argument("--budget", choices=BUDGETS, default="default")
    p.add_argument("--json", action="store_true")
    p = sub.add_parser("conform", help="conformance properties of your score_fn(weights, rng)")
    p.add_argument("target", metavar="MODULE:FUNCTION",
                   help="importable module and a callable score_fn(weights, rng) -> list of arrays")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--claims-conservation", action="store_true",
                   help="require neuron-wise conservation (SynFlow-type saliencies)")
    p.add_argument("--seed", type=_seed, default=0, help="seed of the test nets (default: 0)")
    return parser


# ---------------------------------------------------------------------------------------------

def _context(args):
    from .core.engine import Runner, default_cache_dir, make_executor
    from .core.verdicts import CheckContext

    try:
        executor, close = make_executor(args.workers, args.scheduler)
    except (OSError, TimeoutError) as exc:
        raise UsageError(f"cannot reach scheduler {args.scheduler}: {exc}") from None
    cache = None if args.no_cache else (args.cache_dir or default_cache_dir())
    runner = Runner(executor, root_seed=args.seed, cache_dir=cache)
    return CheckContext(args.budget, runner), close


def _resolve_claims(names: list[str]):
    from pruneproof.theory.claims import all_claims, get_claim
    return [get_claim(n).id for n in names] if names else [c.id for c in all_claims()]


def _print_result(result, stream) -> None:
    print(f"{result.claim.id:32s} {result.status:14s} ({result.claim.kind})", file=stream)
    for r in result.routes:
        print(f"    {r.route:12s} {r.status:14s} {r.summary}", file=stream)


def _local_pool(ctx):
    """The local process pool of ``ctx``'s runner, if it has one (not serial, not dask)."""
    from concurrent.futures import ProcessPoolExecutor
    executor = ctx.runner.executor
    return executor if isinstance(executor, ProcessPoolExecutor) else None


def _check_in_worker(claim_id: str, budget: str, seed: int, cache_dir):
    """One claim checked in a pool worker with a serial runner on the shared on-disk cache:
    records are keyed by config and seed, so results equal a serial run's."""
    from .core.engine import Runner
    from .core.verdicts import CheckContext, check_claim
    runner = Runner(root_seed=seed, cache_dir=cache_dir, progress=False)
    result = check_claim(claim_id, CheckContext(budget, runner))
    routes = [(r.route, r.status, r.summary, r.evidence, r.seconds) for r in result.routes]
    return result.status, routes, runner.computed, runner.reused


def _run_checks(ids, ctx, stream):
    """Check claims in order; with a local process pool, whole claims run in parallel workers
    (their routes' own work is mostly in-process), results printed in registry order."""
    from pruneproof.theory.claims import get_claim

    from .core.verdicts import ClaimResult, RouteResult, check_claim
    pool = _local_pool(ctx)
    if pool is None or len(ids) < 2:
        results = []
        for cid in ids:
            results.append(check_claim(cid, ctx))
            if stream is not None:
                _print_result(results[-1], stream)
                stream.flush()
        return results
    if ctx.runner.cache_dir is not None:
        prefetch(ids, ctx)   # shared trial sets, spread over the pool first
    futures = [pool.submit(_check_in_worker, cid, ctx.budget, ctx.runner.root_seed,
                           ctx.runner.cache_dir) for cid in ids]
    results = []
    for cid, future in zip(ids, futures):
        status, routes, computed, reused = future.result()
        ctx.runner.computed += computed
        ctx.runner.reused += reused
        results.append(ClaimResult(get_claim(cid), status,
                                   [RouteResult(*route) for route in routes]))
        if stream is not None:
            _print_result(results[-1], stream)
            stream.flush()
    return results


def _exit_code(results) -> int:
    return 0 if all(r.status == "verified" for r in results if r.claim.is_theorem) else 1


def _build_in_worker(name: str, budget: str, seed: int, cache_dir):
    """One figure's table built in a pool worker (serial runner, shared on-disk cache)."""
    from .core.engine import Runner
    from .core.figures import get_figure
    from .core.verdicts import CheckContext
    runner = Runner(root_seed=seed, cache_dir=cache_dir, progress=False)
    return get_figure(name).build(CheckContext(budget, runner))


def _make_figures(names, ctx, out_dir: Path, stream) -> dict:
    """Build every figure's table (in parallel workers when there is a local pool), write its
    CSV, and render the figure from the CSV as written."""
    from .core.figures import get_figure, make_figure
    pool = _local_pool(ctx)
    tables = {}
    if pool is not None and len(names) > 1:
        if ctx.runner.cache_dir is not None:
            prefetch(names, ctx)
        futures = {name: pool.submit(_build_in_worker, name, ctx.budget, ctx.runner.root_seed,
                                     ctx.runner.cache_dir) for name in names}
        tables = {name: future for name, future in futures.items()}
    digests = {}
    for name in names:
        spec = get_figure(name)
        start = time.perf_counter()
        if name in tables:
            paths = make_figure(spec, ctx, out_dir, table=tables[name].result())
        else:
            paths = make_figure(spec, ctx, out_dir)
        digests[name] = hashlib.sha256(paths[0].read_bytes()).hexdigest()
        if stream is not None:
            print(f"figure {name:24s} {time.perf_counter() - start:6.1f} s  -> "
                  f"{', '.join(str(p) for p in paths)}", file=stream)
    return digests


def cmd_list(args) -> int:
    from pruneproof.theory.claims import all_claims
    claims = all_claims()
    if args.json:
        print(json.dumps([{"id": c.id, "kind": c.kind, "title": c.title, "source": c.source,
                           "evidence": c.evidence, "statement": c.statement_text,
                           "figures": list(c.figures)} for c in claims], indent=1))
        return 0
    for c in claims:
        print(f"{c.id:32s} {c.kind:10s} {c.title}")
    return 0


def cmd_check(args) -> int:
    if args.all and args.claims:
        raise UsageError("give claim ids or --all, not both")
    if not args.all and not args.claims:
        raise UsageError("name at least one CLAIM (see `pruneproof list`) or use --all")
    ids = _resolve_claims(args.claims)
    ctx, close = _context(args)
    try:
        results = _run_checks(ids, ctx, None if args.json else sys.stdout)
    finally:
        close()
    if args.json:
        print(json.dumps({"budget": args.budget, "seed": args.seed,
                          "claims": [r.as_dict() for r in results]}, default=str))
    return _exit_code(results)


def cmd_figures(args) -> int:
    from .core.figures import all_figures, get_figure
    from .core.report import update_manifest
    names = args.names or [f.name for f in all_figures()]
    specs = [get_figure(n) for n in names]
    ctx, close = _context(args)
    try:
        digests = _make_figures(names, ctx, args.out, sys.stdout)
    finally:
        close()
    update_manifest(args.out, args.budget, args.seed, specs, digests)
    return 0


def _theorem_ids(names: list[str]) -> list[str]:
    from pruneproof.theory.claims import get_claim
    ids = _resolve_claims(names)
    hypotheses = [i for i in ids if not get_claim(i).is_theorem]
    if names and hypotheses:
        raise UsageError(f"power applies to theorems; {', '.join(hypotheses)} "
                         f"{'is a hypothesis' if len(hypotheses) == 1 else 'are hypotheses'}")
    return [i for i in ids if get_claim(i).is_theorem]


def _measure_power(ids, ctx, stream) -> list:
    from .core.power import measure_power
    out = []
    for cid in ids:
        result = measure_power(cid, ctx)
        out.append(result)
        if stream is not None:
            print(f"{cid:32s} {result.summary()}", file=stream)
            for r in result.missed:
                print(f"    not refuted: {r.mutant.description} (routes said {r.status})",
                      file=stream)
            stream.flush()
    return out


def cmd_power(args) -> int:
    """Measure power and merge it into ``OUT/power.json`` (the report's power column)."""
    from .core.power import merge_power, power_entries
    ids = _theorem_ids(args.claims)
    ctx, close = _context(args)
    try:
        results = _measure_power(ids, ctx, None if args.json else sys.stdout)
    finally:
        close()
    entries = power_entries(results, args.budget, args.seed)
    merge_power(args.out / "power.json", entries)
    if args.json:
        print(json.dumps({"budget": args.budget, "seed": args.seed,
                          "claims": [r.as_dict() for r in results]}, default=str))
    else:
        print(f"wrote {args.out / 'power.json'} ({len(entries)} theorem(s)); `pruneproof report` "
              f"shows it in the power column")
    return 0 if all(r.goal_met for r in results) else 1


def cmd_report(args, with_figures: bool = False) -> int:
    if with_figures and getattr(args, "check", False):
        return cmd_check_figures(args)
    from .core.figures import all_figures
    from .core.report import write_outputs
    start = time.perf_counter()
    ctx, close = _context(args)
    try:
        results = _run_checks(_resolve_claims([]), ctx, sys.stdout)
        specs = all_figures()
        digests = _make_figures([s.name for s in specs], ctx, args.out, sys.stdout) \
            if with_figures else {}
    finally:
        close()
    html = with_figures or getattr(args, "html", False)
    write_outputs(args.out, results, specs, args.budget, args.seed, digests, html=html)
    counts = {}
    for r in results:
        counts[r.status] = counts.get(r.status, 0) + 1
    print(f"wrote {args.out / 'REPORT.md'}" + (f" and {args.out / 'report.html'}" if html else "")
          + ": " + ", ".join(f"{v} {k}" for k, v in counts.items())
          + f" ({time.perf_counter() - start:.1f} s; computed {ctx.runner.computed}, "
          f"reused {ctx.runner.reused} cached tasks)")
    return _exit_code(results)


def cmd_check_figures(args) -> int:
    """``pruneproof all --check``: regenerate every figure's data into a temporary folder (same
    budget and seed) and compare it with the committed tables in ``--out``."""
    import tempfile

    from .core.compare import compare_tables
    from .core.figures import all_figures
    from .core.tables import read_csv
    committed = Path(args.out)
    specs = all_figures()
    missing = [s.name for s in specs if not (committed / "data" / f"{s.name}.csv").exists()]
    if missing:
        raise UsageError(f"no committed data in {committed}/data for {', '.join(missing)}")
    _check_manifest_budget(committed, args.budget, specs)
    mismatches = []
    ctx, close = _context(args)
    try:
        with tempfile.TemporaryDirectory(prefix="pruneproof-check-") as tmp:
            _make_figures([s.name for s in specs], ctx, Path(tmp), sys.stdout)
            for spec in specs:
                got = read_csv(Path(tmp) / "data" / f"{spec.name}.csv")
                want = read_csv(committed / "data" / f"{spec.name}.csv")
                found = compare_tables(spec.name, want, got, spec.tolerances)
                mismatches += found
                print(f"check {spec.name:24s} {'ok' if not found else 'MISMATCH'}")
    finally:
        close()
    for m in mismatches:
        print(f"pruneproof: mismatch: {m}", file=sys.stderr)
    print(f"{len(specs) - len({m.figure for m in mismatches})}/{len(specs)} figures match the "
          f"committed data in {committed} (budget {args.budget}, seed {args.seed})")
    return 1 if mismatches else 0


def _check_manifest_budget(out_dir: Path, budget: str, specs) -> None:
    manifest_path = out_dir / "manifest.json"
    if not manifest_path.exists():
        return
    entries = json.loads(manifest_path.read_text()).get("figures", {})
    other = sorted({entries[s.name].get("budget") for s in specs if s.name in entries} - {budget})
    if other:
        raise UsageError(f"the committed figures in {out_dir} were made at budget "
                         f"{', '.join(map(str, other))}, not {budget}: pass --budget to match")


def cmd_explain(args) -> int:
    from .core.examples import explain_payload, format_explain
    payload = explain_payload(args.claim, seed=args.seed)
    print(json.dumps({k: v for k, v in payload.items() if not k.startswith("_")}, default=str)
          if args.json else format_explain(payload))
    return 0


def cmd_bench(args) -> int:
    from .core.bench import all_benchmarks
    results = {}
    for name, fn in all_benchmarks().items():
        results[name] = fn(args.budget)
        if not args.json:
            r = results[name]
            met = {True: "met", False: "not met"}.get(r.get("met"), "n/a at this budget")
            target = r.get("target")
            target = "" if target is None else (
                f" (target >= {target:g}x: {met})" if isinstance(target, (int, float))
                else f" (target: {target}: {met})")
            print(f"{name}: ratio {r['ratio']:.1f}x{target}")
            for case in r.get("cases", []):
                print("    " + ", ".join(f"{k}={v:.4g}" if isinstance(v, float) else f"{k}={v}"
                                         for k, v in case.items()))
    if args.json:
        print(json.dumps(results, default=str))
    return 0


def cmd_conform(args) -> int:
    from .paths.conformance import conformance, load_score_fn, report_as_dict
    report = conformance(load_score_fn(args.target), rng=args.seed, name=args.target,
                         claims_conservation=args.claims_conservation)
    if args.json:
        print(json.dumps({**report_as_dict(report), "seed": args.seed}))
    else:
        print(report)
        for p in report.properties:
            if not p.passed and p.counterexample is not None:
                print(f"    counterexample ({p.name}): {json.dumps(report_as_dict(p))}")
    return 0 if report.passed else 1


COMMANDS = {"list": cmd_list, "check": cmd_check, "figures": cmd_figures, "report": cmd_report,
            "all": lambda a: cmd_report(a, with_figures=True), "explain": cmd_explain,
            "bench": cmd_bench, "power": cmd_power, "conform": cmd_conform}


def _single_threaded_blas() -> None:
    """Parallelism comes from the engine's worker processes; multi-threaded BLAS inside each worker
    oversubscribes the cores (measured: a 2-worker pool ran >100x slower on small least-squares
    calls).  Must run before numpy is imported; an explicit user setting wins."""
    import os
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")


def main(argv: list[str] | None = None) -> int:
    _single_threaded_blas()
    try:
        args = build_parser().parse_args(argv)
        if args.command is None:
            build_parser().print_help()
            return 2
        from .core.verdicts import load_plugins
        load_plugins()
        return COMMANDS[args.command](args)
    except (UsageError, ValueError) as exc:
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        print(f"pruneproof: error: {message}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # e.g. `pruneproof explain CLAIM | head`
        import os
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        print("pruneproof: interrupted (finished tasks are cached; rerun to resume)",
              file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
