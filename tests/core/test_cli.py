"""The command line, through a subprocess, as a user runs it."""
import json
import subprocess
import sys

import pytest

CMD = [sys.executable, "-m", "pruneproof.verify.cli"]


def run(*args, cwd=None, env=None):
    return subprocess.run([*CMD, *args], capture_output=True, text=True, cwd=cwd, env=env,
                          timeout=600)


@pytest.fixture
def cache_env(tmp_path, monkeypatch):
    import os
    env = dict(os.environ, PRUNEPROOF_CACHE=str(tmp_path / "cache"))
    return env


def test_list_shows_every_claim():
    out = run("list")
    assert out.returncode == 0
    for cid in ("amm-unbiased", "amm-exact-variance", "amm-optimal-probabilities",
                "amm-beta-bound", "amm-high-probability"):
        assert cid in out.stdout
    listed = json.loads(run("list", "--json").stdout)
    assert {c["kind"] for c in listed} <= {"theorem", "hypothesis"}


def test_check_json_reports_every_route_and_exits_zero(cache_env):
    out = run("check", "amm-unbiased", "amm-beta-bound", "--budget", "smoke", "--json",
              "--workers", "1", env=cache_env)
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    assert [c["id"] for c in report["claims"]] == ["amm-unbiased", "amm-beta-bound"]
    for claim in report["claims"]:
        assert claim["status"] == "verified"
        assert {r["route"] for r in claim["routes"]} == {"symbolic", "exact", "monte-carlo"}
        assert all(r["status"] == "verified" for r in claim["routes"])


def test_seed_changes_the_monte_carlo_evidence(cache_env):
    a = json.loads(run("check", "amm-exact-variance", "--budget", "smoke", "--json", "--seed",
                       "1", "--workers", "1", env=cache_env).stdout)
    b = json.loads(run("check", "amm-exact-variance", "--budget", "smoke", "--json", "--seed",
                       "2", "--workers", "1", env=cache_env).stdout)
    mc = [[r for r in x["claims"][0]["routes"] if r["route"] == "monte-carlo"][0] for x in (a, b)]
    assert mc[0]["checks"][0]["mc_mean"] != mc[1]["checks"][0]["mc_mean"]


@pytest.mark.parametrize("args,needle", [
    (("check", "no-such-claim"), "unknown claim id 'no-such-claim'"),
    (("check", "amm-unbiased", "--budget", "huge"), "invalid choice: 'huge'"),
    (("check",), "name at least one CLAIM"),
    (("check", "--all", "amm-unbiased"), "not both"),
    (("check", "amm-unbiased", "--workers", "0"), "expected an integer >= 1"),
    (("check", "amm-unbiased", "--seed", "-3"), "non-negative integer"),
    (("figures", "no-such-figure"), "unknown figure 'no-such-figure'"),
    (("explain", "nope"), "unknown claim id"),
    (("frobnicate",), "invalid choice"),
])
def test_bad_usage_is_one_line_on_stderr_with_exit_code_2(args, needle, cache_env):
    out = run(*args, env=cache_env)
    assert out.returncode == 2
    assert needle in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1
    assert "Traceback" not in out.stderr


def test_explain_prints_the_checked_derivation():
    out = run("explain", "amm-exact-variance")
    assert out.returncode == 0
    assert "Step 1." in out.stdout and "[proved]" in out.stdout and "Source:" in out.stdout


def test_help_lists_the_commands():
    out = run("--help")
    assert out.returncode == 0
    for command in ("list", "check", "figures", "report", "all", "explain", "bench"):
        assert command in out.stdout


def test_figures_command_writes_image_pdf_data_and_manifest(tmp_path, cache_env):
    out = run("figures", "amm-tail", "--budget", "smoke", "--out", str(tmp_path / "figs"),
              "--workers", "1", env=cache_env)
    assert out.returncode == 0, out.stderr
    figs = tmp_path / "figs"
    assert (figs / "amm-tail.png").stat().st_size > 0 and (figs / "amm-tail.pdf").exists()
    assert (figs / "data" / "amm-tail.csv").read_text().startswith("scheme,")
    manifest = json.loads((figs / "manifest.json").read_text())
    assert manifest["figures"]["amm-tail"]["budget"] == "smoke"
    assert manifest["packages"]["numpy"]


def test_bench_smoke_reports_a_ratio():
    out = run("bench", "--budget", "smoke", "--json")
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)["amm-errors"]
    assert result["ratio"] > 1


@pytest.mark.slow
def test_all_smoke_end_to_end(tmp_path, cache_env):
    """`pruneproof all --budget smoke` writes every figure and the report (what CI's budget runs)."""
    out = run("all", "--budget", "smoke", "--out", str(tmp_path / "figs"), env=cache_env)
    assert out.returncode in (0, 1), out.stderr
    report = (tmp_path / "figs" / "REPORT.md").read_text()
    assert "## amm-unbiased" in report and "derived here" in report
    results = json.loads((tmp_path / "figs" / "results.json").read_text())
    theorems = [c for c in results["claims"] if c["kind"] == "theorem"]
    assert out.returncode == (0 if all(c["status"] == "verified" for c in theorems) else 1)


def test_power_reports_mutants_per_theorem_as_json_and_feeds_the_report(cache_env, tmp_path):
    out = run("power", "amm-beta-bound", "--json", "--workers", "1", "--out", str(tmp_path),
              env=cache_env)
    report = json.loads(out.stdout)
    assert report["budget"] == "smoke"          # power's default budget
    [claim] = report["claims"]
    assert claim["id"] == "amm-beta-bound"
    kinds = {m["kind"] for m in claim["mutants"]}
    assert kinds == {"scale", "drop-factor"}
    assert {m["mutant"] for m in claim["mutants"]} >= {"bound x 0.5",
                                                       "bound without factor 1/beta"}
    assert out.returncode == (0 if claim["goal_met"] else 1)
    assert claim["goal_met"], [m for m in claim["mutants"] if m["must_refute"]
                               and not m["detected"]]
    from pruneproof.verify.core.power import load_power
    stored = load_power(tmp_path / "power.json")
    assert stored["amm-beta-bound"]["current"] and stored["amm-beta-bound"]["budget"] == "smoke"


def test_power_of_a_hypothesis_is_a_usage_error():
    out = run("power", "randomized-masks")
    assert out.returncode == 2
    assert out.stderr.count("\n") == 1 and "hypothesis" in out.stderr


@pytest.mark.slow
def test_all_check_passes_on_fresh_data_and_names_figure_and_column_of_a_change(cache_env,
                                                                              tmp_path):
    committed = tmp_path / "committed"
    out = run("figures", "--budget", "smoke", "--workers", "1", "--out", str(committed),
              env=cache_env)
    assert out.returncode == 0, out.stderr
    out = run("all", "--check", "--budget", "smoke", "--workers", "1", "--out", str(committed),
              env=cache_env)
    assert out.returncode == 0, out.stdout + out.stderr
    csv = committed / "data" / "amm-rate.csv"
    lines = csv.read_text().splitlines()
    header = lines[0].split(",")
    row = lines[1].split(",")
    column = header.index("mc_mean")
    row[column] = repr(float(row[column]) * 1.001)
    csv.write_text("\n".join([lines[0], ",".join(row), *lines[2:]]) + "\n")
    out = run("all", "--check", "--budget", "smoke", "--workers", "1", "--out", str(committed),
              env=cache_env)
    assert out.returncode == 1
    assert "amm-rate: column 'mc_mean'" in out.stderr
    out = run("all", "--check", "--out", str(committed), env=cache_env)   # default vs smoke
    assert out.returncode == 2 and "budget" in out.stderr


def test_default_budget_of_each_command():
    """`power` runs at smoke by default; every other command at default (a shared argparse parent
    once leaked power's default into all of them)."""
    from pruneproof.verify.cli import build_parser
    parser = build_parser()
    assert parser.parse_args(["power"]).budget == "smoke"
    for argv in (["all"], ["report"], ["figures"], ["check", "--all"]):
        assert parser.parse_args(argv).budget == "default", argv
