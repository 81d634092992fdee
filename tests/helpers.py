"""Helpers every test folder shares: running rxp as a user does, in a subprocess, or in
this process where a test runs it many times, and argv as users write it."""

from __future__ import annotations

import enum
import functools
import io
import locale
import subprocess
import sys
import tempfile
import typing
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, redirect_stderr
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, overload

from hypothesis import strategies as st

from rxp.cli._argv import Option
from tests._forked import Driver, uncoloured

# how `pytest --cov` (coverage's patch = subprocess) starts coverage in a child
_COVERAGE = ("COVERAGE_PROCESS_CONFIG", "COVERAGE_PROCESS_START")


@overload
def run_rxp(
    *args: str,
    stdin: bytes | None = ...,
    env: dict[str, str] | None = ...,
    cwd: Path | None = ...,
    timeout: float = ...,
    text: Literal[False] = ...,
    traced: bool = ...,
    fresh: bool = ...,
) -> subprocess.CompletedProcess[bytes]: ...
@overload
def run_rxp(
    *args: str,
    stdin: str | None = ...,
    env: dict[str, str] | None = ...,
    cwd: Path | None = ...,
    timeout: float = ...,
    text: Literal[True],
    traced: bool = ...,
    fresh: bool = ...,
) -> subprocess.CompletedProcess[str]: ...
def run_rxp(
    *args: str,
    stdin: str | bytes | None = None,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    timeout: float = 60,
    text: bool = False,
    traced: bool = True,
    fresh: bool = False,
) -> subprocess.CompletedProcess[str] | subprocess.CompletedProcess[bytes]:
    """``python -m rxp ARGS`` with this interpreter, output captured, never raising on a
    non-zero exit (``subprocess.run``'s answer). The colour variables of the caller's
    environment are dropped, so only ``env`` decides them.

    The process is forked from a warm interpreter (``tests/_forked.py``: one per test
    process), set up as ``python -m rxp`` would be: the same answer without the start-up,
    a quarter of a second a run, twice that under ``pytest --cov``. ``fresh=True`` starts a
    real interpreter, for what only a fresh one shows (caches on disk, start-up); so does an
    ``env`` that sets what CPython reads as it starts (``PYTHON*``, the locale).
    ``traced=False`` also runs it without coverage's tracer under ``pytest --cov``: for runs
    that test size, not code paths (a 100 kB pattern through ``rxp explain`` takes 5 s, and
    25 s traced)."""
    environ = uncoloured()
    environ.update(env or {})
    if not traced:
        for name in _COVERAGE:
            environ.pop(name, None)
    argv = [sys.executable, "-m", "rxp", *args]
    if traced and not fresh and not any(k.startswith(_START_UP) for k in env or {}):
        data = stdin.encode(locale.getpreferredencoding(False)) if isinstance(stdin, str) else stdin
        code, out, err = _driver().exchange(
            ["rxp", *args],
            cwd=cwd or Path.cwd(),
            stdin="null" if data is None else data,
            timeout=timeout,
            env=environ,
        )
        if text:
            return subprocess.CompletedProcess(argv, code, _decoded(out), _decoded(err))
        return subprocess.CompletedProcess(argv, code, out, err)
    return subprocess.run(
        argv,
        input=stdin,
        capture_output=True,
        text=text,
        env=environ,
        cwd=cwd,
        timeout=timeout,
        check=False,
    )


_START_UP = ("PYTHON", "LC_", "LANG")
_DRIVER: list[Driver] = []


def _driver() -> Driver:
    """This process's warm interpreter, started on first use (``close_driver`` ends it)."""
    if not _DRIVER or _DRIVER[0].proc.poll() is not None:
        _DRIVER[:] = [Driver(Path(tempfile.mkdtemp(prefix="rxp-forked-")))]
    return _DRIVER[0]


def close_driver() -> None:
    """End the warm interpreter, if one was started, so that it saves its coverage data
    before the test session ends (conftest.py, at the end of the session)."""
    while _DRIVER:
        _DRIVER.pop().close()


def _decoded(data: bytes) -> str:
    """Bytes as ``subprocess.run(text=True)`` gives them: the locale's encoding, universal
    newlines."""
    decoded = data.decode(locale.getpreferredencoding(False))
    return decoded.replace("\r\n", "\n").replace("\r", "\n")


# --- rxp in this process: no start-up, for tests that run it many times ------------------------


@dataclass(frozen=True)
class Result:
    status: int
    stdout: bytes
    stderr: str


_COMMANDS: dict[int, Any] = {}


@contextmanager
def _cached_command() -> Iterator[None]:
    """Typer rebuilds the click command tree on every run (~50 ms); reuse it while
    a test calls rxp many times. Patched only for the duration of one call."""
    import typer.main

    original = typer.main.get_command

    def cached(app: Any) -> Any:
        found = _COMMANDS.get(id(app))
        if found is None:
            found = _COMMANDS[id(app)] = original(app)
        return found

    typer.main.get_command = cached
    try:
        yield
    finally:
        typer.main.get_command = original


def rxp_here(args: Sequence[str]) -> Result:
    """``rxp ARGS`` in this process (files only, no stdin), stdout captured as bytes."""
    from rxp.cli import run

    raw = io.BytesIO()
    wrapper = io.TextIOWrapper(raw, encoding="utf-8", write_through=True)
    err = io.StringIO()
    saved = sys.stdout
    sys.stdout = wrapper
    try:
        with redirect_stderr(err), _cached_command():
            status = run(list(args))
        wrapper.flush()
    finally:
        sys.stdout = saved
    return Result(status, raw.getvalue(), err.getvalue())


# --- argv as users write it, for the commands whose options are a table (cli/_argv) ---------


def spellings(option: Option) -> Iterator[str]:
    """Every way to write ``option`` on the command line."""
    yield from option.flags
    yield from option.off


def choices_of(annotation: Any) -> tuple[str, ...]:
    """The values of the enum in a Typer parameter's annotation (``()`` when none)."""
    for member in (annotation, *typing.get_args(annotation)):
        if isinstance(member, type) and issubclass(member, enum.Enum):
            return tuple(m.value for m in member)
    return ()


def _values(option: Option, odd: bool) -> st.SearchStrategy[str]:
    """Values as people write them; with ``odd``, also forms Typer may reject or read in
    its own way (``1_0``, `` 2``, ``1e3``), which the fast reader leaves to Typer."""
    if option.kind == "int":
        plain, rare = ["0", "1", "5", "12", "-1"], ["007", "1_0", "+3", " 2", "x", ""]
    elif option.kind == "float":
        plain, rare = ["0", "0.5", "1", "2.25", "-1"], ["1e3", ".5", "1.", "inf", "x"]
    elif option.kind == "choice":
        plain, rare = list(option.choices), ["nope", option.choices[0].upper()]
    else:
        plain, rare = ["MESSAGE", "_PID", "", "-x", "a=b", "im"], []
    return st.sampled_from(plain + rare if odd else plain)


def option_words_strategy(options: Sequence[Option]) -> Callable[..., st.SearchStrategy[list[str]]]:
    """A strategy maker: one option of ``options`` as a user might spell it (long or short,
    value attached or apart); ``odd=False`` keeps to values Typer surely takes."""

    @st.composite
    def option_words(draw: st.DrawFn, odd: bool = True) -> list[str]:
        option = draw(st.sampled_from(options))
        spelling = draw(st.sampled_from(list(spellings(option))))
        if not option.takes_value:
            return [spelling]
        value = draw(_values(option, odd))
        style = draw(st.sampled_from(["apart", "attached"]))
        if style == "apart" or (value == "" and not spelling.startswith("--")):
            # (``-f`` + an empty value attached is ``-f`` with no value at all)
            return [spelling, value]
        return [f"{spelling}={value}" if spelling.startswith("--") else spelling + value]

    return option_words


def argv_strategy(
    options: Sequence[Option], positionals: Sequence[str]
) -> st.SearchStrategy[list[str]]:
    """argv for a command with ``options``: options, clusters of short ones, positionals
    (drawn from ``positionals``) in any order, perhaps ``--``, and now and then a word Typer
    rejects."""
    option_words = option_words_strategy(options)
    short = [f for o in options for f in (*o.flags, *o.off) if len(f) == 2 and f != "-h"]

    @st.composite
    def command_lines(draw: st.DrawFn) -> list[str]:
        words: list[str] = []
        for _ in range(draw(st.integers(0, 6))):
            kind = draw(st.sampled_from(["option", "option", "cluster", "positional", "junk"]))
            if kind == "option":
                words += draw(option_words())
            elif kind == "cluster":
                letters = draw(st.lists(st.sampled_from(short), min_size=2, max_size=4))
                words.append("-" + "".join(f[1] for f in letters))
            elif kind == "positional":
                words.append(draw(st.sampled_from(positionals)))
            else:
                junk = ["--nope", "-Z", "--count=1", "-m=2", "--col", "-"]
                words.append(draw(st.sampled_from(junk)))
        if draw(st.booleans()):
            words.append("--")
            words += draw(st.lists(st.sampled_from(["-n", "pat", "--json", "f"]), max_size=3))
        return words

    return command_lines()


@functools.cache
def typer_command(name: str) -> Any:
    """The click group Typer builds for ``rxp``, with only the command ``name`` registered
    (as ``rxp.cli.run`` builds it for that command's argv)."""
    import typer.main

    from rxp.cli import _app, _register

    _register(name)
    return typer.main.get_command(_app.app)


def assert_command_matches_table(name: str, options: Sequence[Option]) -> None:
    """The Typer command ``name`` has exactly the table's options, in order, spelled,
    typed, bounded and defaulted as the table says (so the fast reader and Typer read the
    same command line)."""
    command = typer_command(name).commands[name]
    params = {p.name: p for p in command.params if p.param_type_name == "option"}
    assert list(params) == [o.dest for o in options]
    for option in options:
        param = params[option.dest]
        assert set(param.opts) | set(param.secondary_opts) == set(spellings(option))
        assert param.is_flag == (not option.takes_value), option.dest
        assert param.hidden == option.hidden, option.dest
        default = param.default
        assert getattr(default, "value", default) == option.default, option.dest
        assert choices_of(param.type_descriptor.annotation) == option.choices, option.dest
        assert param.min == option.min, option.dest
        assert param.multiple == (option.kind == "append"), option.dest
        assert param.nargs == 1 and param.envvar is None, option.dest
