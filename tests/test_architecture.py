"""The package's import graph, read with `ast` (module- and function-level imports alike).

Imports flow one way: cli → pipeline → stage packages (ingest, preannotate, studio, quality,
export, and any added later) → core. No cycles, even through imports inside functions: a deferred
import hides a cycle from the interpreter, not from the design.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

import incident_corpus

PACKAGE = "incident_corpus"
ROOT = Path(incident_corpus.__file__).resolve().parent
NOT_STAGES = {"core", "pipeline", "cli"}


def module_name(path: Path) -> str:
    parts = (PACKAGE, *path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES: dict[str, Path] = {module_name(p): p for p in sorted(ROOT.rglob("*.py"))}


def imported(name: str, path: Path) -> Iterator[tuple[str, int]]:
    """(module of the package, line) for every import in the file; `from pkg import x` counts x
    when x is a module, else pkg."""
    is_package = path.name == "__init__.py"
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".")[: len(name.split(".")) - node.level + (1 if is_package else 0)]
                target = ".".join([*base, *([node.module] if node.module else [])])
            else:
                target = node.module or ""
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                yield (sub if sub in MODULES else target), node.lineno


def graph() -> dict[str, dict[str, int]]:
    """module -> {imported module of the package: first line}."""
    out: dict[str, dict[str, int]] = {}
    for name, path in MODULES.items():
        edges: dict[str, int] = {}
        for target, line in imported(name, path):
            while target and target not in MODULES and target.startswith(PACKAGE + "."):
                target = target.rsplit(".", 1)[0]  # a name inside a module
            if target in MODULES and target != name:
                edges.setdefault(target, line)
        out[name] = edges
    return out


GRAPH = graph()


_PACKAGES = {m for m, p in MODULES.items() if p.name == "__init__.py"}


def layer(module: str) -> str:
    """The sub-package a module belongs to ('' for the package itself and its top-level modules)."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and f"{PACKAGE}.{parts[1]}" in _PACKAGES else ""


def edges() -> Iterator[tuple[str, str, str]]:
    for src, targets in GRAPH.items():
        for dst, line in targets.items():
            yield src, dst, f"{MODULES[src].relative_to(ROOT.parent)}:{line} imports {dst}"


def find_cycle() -> list[str] | None:
    """One import cycle, as the list of modules around it, or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(GRAPH[node]):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt):], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(GRAPH):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_the_graph_sees_every_kind_of_import(tmp_path: Path) -> None:
    """The reader itself: absolute, from-module, from-package-import-module, relative and
    function-level imports."""
    src = tmp_path / "probe.py"
    src.write_text("import incident_corpus.core.labels\n"
                   "from incident_corpus.export import splits\n"
                   "from .agreement import agreement\n"
                   "from . import resolve\n"
                   "from ..core.errors import UsageError\n"
                   "def f():\n    from incident_corpus.studio.tasks import build_tasks\n", encoding="utf-8")
    found = {target for target, _line in imported("incident_corpus.quality.probe", src)}
    assert found >= {"incident_corpus.core.labels", "incident_corpus.export.splits",
                     "incident_corpus.quality.agreement", "incident_corpus.quality.resolve",
                     "incident_corpus.core.errors", "incident_corpus.studio.tasks"}
    assert "incident_corpus.cli" in GRAPH["incident_corpus.__main__"]
    assert {layer(m) for m in GRAPH} >= {"core", "ingest", "preannotate", "studio", "quality", "export",
                                         "pipeline", "cli"}
    assert layer("incident_corpus.__main__") == "" and layer("incident_corpus.export.formats.hf") == "export"
    assert sum(len(t) for t in GRAPH.values()) > 50


def test_no_import_cycle() -> None:
    cycle = find_cycle()
    assert cycle is None, "import cycle: " + " → ".join(cycle or [])


def test_no_cycle_between_sub_packages() -> None:
    """Stage packages may use each other (quality reads studio's format), but only one way round."""
    deps: dict[str, set[str]] = {}
    for src, dst, _why in edges():
        if layer(src) != layer(dst) and layer(src) and layer(dst):  # not the package root (__version__)
            deps.setdefault(layer(src), set()).add(layer(dst))
    done: set[str] = set()

    def visit(pkg: str, path: tuple[str, ...]) -> None:
        assert pkg not in path, "sub-package cycle: " + " → ".join((*path, pkg))
        if pkg not in done:
            for nxt in sorted(deps.get(pkg, ())):
                visit(nxt, (*path, pkg))
            done.add(pkg)

    for pkg in sorted(deps):
        visit(pkg, ())


def test_core_imports_nothing_else_from_the_package() -> None:
    bad = [why for src, dst, why in edges() if layer(src) == "core" and layer(dst) != "core"]
    assert not bad, "core must stay a leaf:\n" + "\n".join(bad)


def test_nothing_imports_the_cli() -> None:
    allowed = {"cli", ""}  # the cli itself and `python -m incident_corpus`
    bad = [why for src, dst, why in edges() if layer(dst) == "cli" and layer(src) not in allowed]
    assert not bad, "only the entry point imports cli:\n" + "\n".join(bad)


def test_pipeline_is_imported_only_by_the_cli() -> None:
    bad = [why for src, dst, why in edges() if layer(dst) == "pipeline" and layer(src) not in {"cli", "pipeline"}]
    assert not bad, "pipeline is for the cli:\n" + "\n".join(bad)


@pytest.mark.parametrize("stage", sorted({layer(m) for m in MODULES} - NOT_STAGES - {""}))
def test_stage_packages_never_import_pipeline_or_cli(stage: str) -> None:
    bad = [why for src, dst, why in edges() if layer(src) == stage and layer(dst) in {"pipeline", "cli"}]
    assert not bad, f"{stage} must not reach up:\n" + "\n".join(bad)


def test_only_the_client_core_imports_the_label_studio_sdk() -> None:
    """One module speaks the SDK (its errors, its client), so an SDK upgrade touches one place."""
    users = {m for m, p in MODULES.items() if any(t.split(".")[0] == "label_studio_sdk" for t, _ in imported(m, p))}
    assert users == {f"{PACKAGE}.studio.base"}, f"modules importing label_studio_sdk: {sorted(users)}"
