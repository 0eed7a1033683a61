"""The house rules of the layout, checked on the source: the core names no topic; inside a
topic, dependencies point one way (numerics -> experiments -> routes and figures; routes and
figures never import each other; numerics import no experiment, route or figure); theory is
sympy only; no module is much over 450 lines."""
import ast
from pathlib import Path

import pytest

from pruneproof.verify import TOPICS

ROOT = Path(__file__).resolve().parents[2]
VERIFY, THEORY = ROOT / "verify", ROOT / "theory"
def _room(stem: str) -> str:
    """The room of a module: ``routes_*`` modules are routes, ``figures_*`` figures."""
    for room in ("experiments", "routes", "figures", "bench", "examples"):
        if stem == room or stem.startswith(room + "_"):
            return room
    return "__init__" if stem == "__init__" else "numerics"
MAX_LINES = 500  # "no module over ~450 lines"


def _imports(path: Path) -> set[str]:
    """Modules imported by ``path``, resolved to dotted names under ``pruneproof.verify``."""
    tree = ast.parse(path.read_text())
    package = ["pruneproof", "verify", *path.parent.relative_to(VERIFY).parts]
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[:len(package) - node.level + 1]
                mod = ".".join(base + ([node.module] if node.module else []))
                out.add(mod)
                if not node.module:
                    out |= {f"{mod}.{a.name}" for a in node.names}
            else:
                out.add(node.module)
    return out


def _verify_modules():
    return sorted(p for p in VERIFY.rglob("*.py") if "__pycache__" not in p.parts)


def test_core_imports_no_topic():
    for path in (VERIFY / "core").glob("*.py"):
        for mod in _imports(path):
            for topic in TOPICS:
                assert not mod.startswith(f"pruneproof.verify.{topic}"), f"{path.name} -> {mod}"


@pytest.mark.parametrize("topic", TOPICS)
def test_topic_dependencies_point_one_way(topic):
    pkg = f"pruneproof.verify.{topic}"
    for path in (VERIFY / topic).glob("*.py"):
        room = _room(path.stem)
        imported = {_room(m[len(pkg) + 1:].split(".")[0]) for m in _imports(path)
                    if m.startswith(pkg + ".")}
        if room == "routes":
            assert "figures" not in imported, f"{topic}.{path.stem} imports figures"
        if room == "figures":
            assert "routes" not in imported, f"{topic}.{path.stem} imports routes"
        if room == "numerics":
            assert not imported & {"experiments", "routes", "figures", "bench", "examples"}, \
                f"{topic}.{path.stem} (numerics) imports {imported}"
        if room == "experiments":
            assert not imported & {"routes", "figures", "bench", "examples"}, \
                f"{topic}.{path.stem}"
        if room == "examples":   # worked examples for `explain`: theory -> numerics -> here
            assert not imported & {"routes", "figures", "bench"}, f"{topic}.{path.stem}"


def test_theory_is_sympy_only():
    allowed = {"sympy", "__future__", "dataclasses", "functools", "typing", "math", "fractions",
               "itertools", "numpy"}  # numpy only for derivation.py's seeded numeric counterexample search
    for path in THEORY.glob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import) else
                     [node.module] if isinstance(node, ast.ImportFrom) and not node.level
                     else [])
            for name in names:
                root = name.split(".")[0]
                assert root in allowed, f"theory/{path.name} imports {name}"
                if root == "numpy":
                    assert path.name == "derivation.py", f"theory/{path.name} imports numpy"


def test_no_module_is_much_over_450_lines():
    for path in [*_verify_modules(), *THEORY.glob("*.py")]:
        n = len(path.read_text().splitlines())
        assert n <= MAX_LINES, f"{path.relative_to(ROOT)}: {n} lines"
