"""The house rules read from the import statements: no import circle, no private name across a module border,
and the layers that `lint-imports` checks (pyproject.toml, [tool.importlinter]) hold for the files on disk."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "handouts"


def _module(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_module(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _imports(name: str, path: Path, known: set[str]) -> list[tuple[int, str, str | None]]:
    """(line, module imported, name taken from it or None) for every import of ours, in functions too."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name, None) for a in node.names if a.name.split(".")[0] == "handouts"]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.split(".")[0] != "handouts":
                continue
            for a in node.names:
                sub = f"{target}.{a.name}"
                out.append((node.lineno, sub, None) if sub in known else (node.lineno, target, a.name))
    return out


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    graph: dict[str, set[str]] = {m: set() for m in modules}
    for name, path in modules.items():
        for _, target, _ in _imports(name, path, set(modules)):
            if target in modules and target != name:
                graph[name].add(target)
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan), each a circle of imports."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def _without_root(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    # The package root is the public API: it imports every stage to re-export it, and __main__ calls the CLI; no
    # module of a stage imports either (the layers contract checks that), so they close no circle of their own.
    return {m: {t for t in ts if t != "handouts"} for m, ts in graph.items() if m not in ("handouts", "handouts.__main__")}


def test_no_import_circle_anywhere():
    assert _cycles(_without_root(_graph())) == []


def test_the_circle_finder_finds_a_planted_circle():
    graph = _without_root(_graph())
    graph["handouts.library.yamlio"] = graph["handouts.library.yamlio"] | {"handouts.library.load"}
    assert ["handouts.library.load", "handouts.library.yamlio"] in _cycles(graph)


def test_no_private_name_crosses_a_module_border():
    modules = _modules()
    sources = {**modules, "cli": ROOT / "cli.py"}
    crossing = [f"{path.relative_to(ROOT)}:{line}: {target}.{taken}"
                for name, path in sources.items()
                for line, target, taken in _imports(name, path, set(modules))
                if taken and taken.startswith("_") and not taken.startswith("__")]
    assert crossing == []


def test_every_import_of_ours_names_a_module_that_exists():
    # An import inside a function runs only when the function does: a stale one after a move fails late, in use.
    modules = _modules()
    sources = {**modules, "cli": ROOT / "cli.py"}
    missing = [f"{path.relative_to(ROOT)}:{line}: {target}"
               for name, path in sources.items()
               for line, target, _ in _imports(name, path, set(modules))
               if target not in modules and target != "handouts.cli"]
    assert missing == []


def _defined(path: Path) -> set[str]:
    """The names a module defines or imports at its top level (what `from it import NAME` can take)."""
    names: set[str] = set()
    for node in ast.parse(path.read_text("utf-8")).body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            for target in node.targets if isinstance(node, ast.Assign) else [node.target]:
                names |= {n.id for n in ast.walk(target) if isinstance(n, ast.Name)}
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names |= {(a.asname or a.name).split(".")[0] for a in node.names}
    return names


def test_every_name_imported_from_a_module_of_ours_is_defined_there():
    modules = _modules()
    sources = {**modules, "cli": ROOT / "cli.py"}
    defined = {name: _defined(path) for name, path in modules.items()}
    missing = [f"{path.relative_to(ROOT)}:{line}: {target}.{taken}"
               for name, path in sources.items()
               for line, target, taken in _imports(name, path, set(modules))
               if taken and target in modules and target != "handouts" and taken not in defined[target]]
    assert missing == []


def test_no_stage_imports_the_public_api():
    # `from handouts import X` inside a stage would make that stage depend on every other through the root.
    offenders = [f"{path.relative_to(ROOT)}:{line}"
                 for name, path in _modules().items() if name.count(".") >= 1 and name != "handouts.__main__"
                 and not name.startswith("handouts.serve")  # the screen sits on top, as cli.py does: it uses the API
                 for line, target, _ in _imports(name, path, set(_modules())) if target == "handouts"]
    assert offenders == []


@pytest.mark.parametrize("stage", ["library", "review", "composition", "design", "render", "deliver", "serve"])
def test_each_stage_is_a_folder_that_says_what_it_holds(stage):
    init = PACKAGE / stage / "__init__.py"
    doc = ast.get_docstring(ast.parse(init.read_text("utf-8")))
    assert doc and len(doc.splitlines()) == 1, f"{init}: a one-line docstring saying what the stage holds"


def test_lint_imports_keeps_the_layers_and_catches_an_upward_import(tmp_path):
    importlinter = pytest.importorskip("importlinter", reason="pip install '.[test]' brings import-linter")
    import shutil
    import subprocess
    import sys

    exe = shutil.which("lint-imports") or str(Path(sys.executable).with_name("lint-imports"))
    ok = subprocess.run([exe, "--no-cache"], cwd=ROOT, capture_output=True, text=True)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    # The same contracts on a copy of the package with one upward import planted: library -> deliver.
    copy = tmp_path / "handouts"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "content", "fonts"))
    yamlio = copy / "library" / "yamlio.py"
    yamlio.write_text(yamlio.read_text("utf-8") + "\n\ndef _planted():\n    from ..deliver import batch  # noqa: F401\n")
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    bad = subprocess.run([exe, "--no-cache"], cwd=tmp_path, capture_output=True, text=True,
                         env={**__import__("os").environ, "PYTHONPATH": str(tmp_path)})
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "handouts.library is not allowed to import handouts.deliver" in bad.stdout
    assert "handouts.library.yamlio -> handouts.deliver.batch" in bad.stdout
    assert importlinter  # imported above only to skip without it
