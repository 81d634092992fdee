"""The layout holds the rules ``docs/architecture.md`` states: no import cycles between
modules, no package importing one above it, the core free of ``cli`` and of terminal
libraries, and at most six plain modules at the top of ``src/rxp``.

Imports are read from the source with ``ast``, wherever they stand (a lazy import inside a
function is still a dependency); only imports under ``if TYPE_CHECKING:`` are left out.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

import rxp

PACKAGE = Path(rxp.__file__).parent

# The layers, bottom up: a module may import its own package and any lower layer.
LAYERS: tuple[frozenset[str], ...] = (
    frozenset({"rxp._errors", "rxp._trampoline", "rxp._cache"}),
    frozenset({"rxp._grammar"}),
    frozenset({"rxp._syntax", "rxp._journal"}),
    frozenset({"rxp._analysis"}),
    frozenset({"rxp._explain", "rxp._match", "rxp._stream", "rxp._logparse", "rxp._bench"}),
    frozenset({"rxp._mine"}),  # builds on a feature: mine reads raw lines through parse
    frozenset({"rxp.spark"}),  # parse, stream and mine's cores run as Spark jobs
    frozenset({"rxp"}),
    frozenset({"rxp.cli", "rxp.__main__"}),
)
TERMINAL_LIBRARIES = ("typer", "rich", "click")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> Iterator[str]:
    """Every module ``path`` imports (absolute names), outside ``if TYPE_CHECKING:``."""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    todo: list[ast.AST] = [ast.parse(path.read_text(encoding="utf-8"))]
    while todo:
        node = todo.pop()
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            todo.extend(node.orelse)
            continue
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            yield target
            yield from (f"{target}.{alias.name}" for alias in node.names)
        todo.extend(ast.iter_child_nodes(node))


def _graph() -> dict[str, set[str]]:
    paths = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    return {
        name: {t for t in _imports(path) if t in paths and t != name}
        for name, path in paths.items()
    }


def _home(module: str) -> str:
    """The unit a module belongs to: its package below ``rxp``, or itself at the top."""
    parts = module.split(".")
    return ".".join(parts[:2])


def _layer(module: str) -> int:
    home = _home(module)
    for index, layer in enumerate(LAYERS):
        if home in layer:
            return index
    raise AssertionError(f"{module} is in no layer: add its package to LAYERS and the map")


GRAPH = _graph()


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_the_import_reader_sees_lazy_and_relative_imports() -> None:
    # a lazy import inside a method, two levels up: the model renders itself on demand
    assert "rxp._explain._render" in GRAPH["rxp._explain._model"]
    assert "rxp._syntax._ast" in GRAPH["rxp._stream._plan"]


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_import_cycles_between_modules() -> None:
    assert _cycles(GRAPH) == []


@pytest.mark.parametrize("module", sorted(GRAPH))
def test_no_module_imports_a_layer_above_its_own(module: str) -> None:
    mine = _layer(module)
    above = sorted(t for t in GRAPH[module] if _layer(t) > mine)
    assert above == [], f"{module} (layer {mine}) imports {above}"


@pytest.mark.parametrize("module", sorted(GRAPH))
def test_features_do_not_import_each_other(module: str) -> None:
    # explain, test, stream, parse and bench stand side by side on the same core
    mine = _layer(module)
    if len(LAYERS[mine]) == 1 or mine >= _layer("rxp"):
        return
    sideways = sorted(t for t in GRAPH[module] if _layer(t) == mine and _home(t) != _home(module))
    assert sideways == [], f"{module} imports {sideways}"


@pytest.mark.parametrize("module", sorted(m for m in GRAPH if _layer(m) < _layer("rxp.cli")))
def test_the_core_never_imports_the_cli_or_terminal_libraries(module: str) -> None:
    path = next(p for p in PACKAGE.rglob("*.py") if _module_name(p) == module)
    imported = set(_imports(path))
    assert not any(i == "rxp.cli" or i.startswith("rxp.cli.") for i in imported)
    assert not any(i.split(".")[0] in TERMINAL_LIBRARIES for i in imported), module


def test_at_most_six_plain_modules_at_the_top() -> None:
    plain = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(plain) <= 6, plain


def test_every_package_is_on_the_map() -> None:
    documented = (PACKAGE.parents[1] / "docs" / "architecture.md").read_text(encoding="utf-8")
    for child in sorted(PACKAGE.iterdir()):
        if child.is_dir() and (child / "__init__.py").exists():
            assert re.search(rf"^  {child.name}/ +\S", documented, re.M), child.name
            _layer(f"rxp.{child.name}")
