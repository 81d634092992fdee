"""Lint the regexes a Python file holds with rxp's own linter (the pre-commit hook
``rxp-lint-regexes``): every string literal given as the pattern of ``re.compile``,
``re.search``, ... (and the same functions of the ``regex`` module) is parsed by rxp and run
through ``rxp explain --lint``'s rules. Prints ``file:line: pattern: lint-id: message`` and
exits 1 when a lint fires, 0 otherwise: a linter's convention, as ``rxp explain --lint``.

A literal that rxp cannot parse is reported too (it would fail at run time), except in
files under ``tests/``, which hold invalid patterns on purpose.
"""

from __future__ import annotations

import ast
import importlib
import sys
from collections.abc import Iterator
from pathlib import Path

FUNCTIONS = {"compile", "search", "match", "fullmatch", "findall", "finditer", "sub", "subn"}
FUNCTIONS |= {"split"}
MODULES = ("re", "regex")
# the argument that holds the flags: re.compile(p, flags), re.search(p, s, flags), ...
FLAG_POSITION = {"compile": 1, "sub": 4, "subn": 4, "split": 3}


def flag_bits(node: ast.expr | None, module: str) -> int:
    """``re.X | re.I`` as the module's own bits, which ``rxp.parse`` reads as ``re`` does;
    a flag held in a variable is not seen (0)."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return flag_bits(node.left, module) | flag_bits(node.right, module)
    owner = node.value if isinstance(node, ast.Attribute) else None
    if isinstance(owner, ast.Name) and owner.id == module and isinstance(node, ast.Attribute):
        value = getattr(importlib.import_module(module), node.attr, 0)
        return int(value) if isinstance(value, int) else 0
    return 0


def literals(tree: ast.AST) -> Iterator[tuple[int, str, str, int]]:
    """(line, pattern, flavor, flag bits) for each ``re.f("...")`` / ``regex.f("...")``
    call."""
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        owner = node.func.value
        if not (isinstance(owner, ast.Name) and owner.id in MODULES):
            continue
        if node.func.attr not in FUNCTIONS or not node.args:
            continue
        first = node.args[0]
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            where = FLAG_POSITION.get(node.func.attr, 2)
            flags = node.args[where] if len(node.args) > where else None
            for keyword in node.keywords:
                if keyword.arg == "flags":
                    flags = keyword.value
            yield node.lineno, first.value, owner.id, flag_bits(flags, owner.id)


def main(paths: list[str]) -> int:
    from rxp import RxpError, parse
    from rxp._analysis._lints import lints

    found = 0
    for name in paths:
        path = Path(name)
        try:
            tree = ast.parse(path.read_bytes(), filename=name)
        except (OSError, SyntaxError, ValueError) as exc:
            print(f"{name}: cannot read: {exc}", file=sys.stderr)
            found += 1
            continue
        in_tests = "tests" in path.parts
        for line, pattern, flavor, flags in literals(tree):
            try:
                tree_ = parse(pattern, flavor=flavor, flags=flags)  # type: ignore[arg-type]
            except RxpError as exc:
                if not in_tests:
                    print(f"{name}:{line}: {pattern!r}: invalid: {exc}")
                    found += 1
                continue
            for lint in lints(tree_):
                print(f"{name}:{line}: {pattern!r}: {lint.id}: {lint.message}")
                found += 1
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
