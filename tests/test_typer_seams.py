"""rxp uses no private (``_``) module of typer or click. Two public but undocumented names
of ``typer.core`` stay, each for a reason given where it is used:

- ``TyperCommand`` (``rxp stream``): its ``parse_args`` sees the raw argument list, the only
  way to know how ``--include`` and ``--exclude`` interleave;
- ``TyperGroup`` (``rxp bench``): a group whose own positional arguments (paths) coexist
  with sub-commands, through click's public ``get_params``, ``Context.meta`` and
  ``Context.allow_interspersed_args`` (no private ``Context._protected_args``).

These tests fail loudly, naming the seam, if a typer release moves or reshapes them, rather
than letting ``rxp stream`` or ``rxp bench`` misbehave quietly."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import typer
import typer.core

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src" / "rxp"


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names |= {f"{node.module}.{alias.name}" for alias in node.names}
    return names


def test_no_module_imports_a_private_part_of_typer_or_click() -> None:
    offenders = []
    for path in SRC.rglob("*.py"):
        for name in _imports(path):
            parts = name.split(".")
            if parts[0] in ("typer", "click") and any(p.startswith("_") for p in parts[1:]):
                offenders.append(f"{path.relative_to(ROOT)}: {name}")
    assert not offenders, "private typer/click API in use:\n" + "\n".join(offenders)


def test_typer_command_still_parses_args_with_a_context_and_a_list() -> None:
    """rxp stream's ``_Command.parse_args(ctx, args)`` records the argv and defers."""
    assert issubclass(typer.core.TyperCommand, object), "typer.core.TyperCommand moved"
    parse_args = typer.core.TyperCommand.parse_args
    assert list(inspect.signature(parse_args).parameters) == ["self", "ctx", "args"], (
        "typer.core.TyperCommand.parse_args changed shape: rxp stream's --include/--exclude "
        "ordering (src/rxp/cli/stream.py) depends on it"
    )


def test_typer_group_still_parses_args_and_lists_commands() -> None:
    """rxp bench's group reads ``self.commands`` and overrides ``parse_args(ctx, args)``."""
    group = typer.core.TyperGroup
    assert list(inspect.signature(group.parse_args).parameters) == ["self", "ctx", "args"], (
        "typer.core.TyperGroup.parse_args changed shape: rxp bench (src/rxp/cli/bench.py)"
    )
    instance = group(name="g", commands={})
    assert instance.commands == {}


def test_the_bench_group_seam_uses_public_click_api_only() -> None:
    """rxp bench's group drops its ``paths`` argument in ``get_params(ctx)`` and stops at the
    first positional (``ctx.allow_interspersed_args``) when a sub-command is named."""
    import click

    source = (SRC / "cli" / "bench.py").read_text(encoding="utf-8")
    assert "_protected_args" not in source
    group = typer.core.TyperGroup
    assert list(inspect.signature(group.get_params).parameters) == ["self", "ctx"], (
        "click's Command.get_params changed shape: rxp bench (src/rxp/cli/bench.py)"
    )
    ctx = click.Context(group(name="g", commands={}))
    assert isinstance(ctx.meta, dict) and isinstance(ctx.allow_interspersed_args, bool)


def test_bench_sub_commands_and_paths_both_reach_their_target(tmp_path: Path) -> None:
    """End to end: ``rxp bench compare --help`` is compare's help, ``rxp bench compare A B``
    compares, ``rxp bench ./compare --bench X`` runs a folder of that name with options
    after the path."""
    from tests.helpers import run_rxp

    (tmp_path / "r.txt").write_text("BenchmarkA \t 10\t 5 ns/op\n")
    (tmp_path / "compare").mkdir()
    (tmp_path / "compare" / "bench_c.py").write_text("def BenchmarkZ(b):\n    pass\n")
    helped = run_rxp("bench", "compare", "--help", cwd=tmp_path, text=True, timeout=60)
    assert helped.returncode == 0 and "Usage: rxp bench compare" in helped.stdout
    compared = run_rxp("bench", "compare", "r.txt", "r.txt", cwd=tmp_path, text=True, timeout=60)
    assert compared.returncode == 0 and "r.txt" in compared.stdout, compared.stderr
    ran = run_rxp("bench", "./compare", "--bench", "Z", "--benchtime", "1x", "--cpu", "1",
                  cwd=tmp_path, text=True, timeout=60)  # fmt: skip
    assert ran.returncode == 0 and "BenchmarkZ " in ran.stdout, ran.stderr


def test_the_stream_command_still_sees_the_raw_argument_order(tmp_path: Path) -> None:
    """End to end through the seam (the Typer route of ``rxp stream``, which its fast
    argument reader otherwise skips): ``--include`` after ``--exclude`` decides for a file
    both name as grep decides, which needs the argv the seam records."""
    import subprocess
    import sys

    folder = tmp_path / "logs"
    folder.mkdir()
    (folder / "a.log").write_text("hit\n")
    (folder / "b.txt").write_text("hit\n")
    options = ["-r", "--exclude", "*.log", "--include", "*.log", "hit", str(folder)]
    code = (
        "import sys\n"
        "from rxp.cli import _run_typer\n"
        f"sys.exit(_run_typer(['stream', *{options!r}], 'rxp'))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    grep = subprocess.run(["grep", *options], capture_output=True, text=True, timeout=60)
    assert sorted(done.stdout.splitlines()) == sorted(grep.stdout.splitlines()), done.stderr
    assert done.returncode == grep.returncode
