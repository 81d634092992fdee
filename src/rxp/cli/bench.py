"""`rxp bench`: run Go-style benchmarks, compare two result files, generate a journal.

``rxp bench [PATH ...]`` runs benchmarks; ``rxp bench compare OLD NEW`` and
``rxp bench gen-journal`` are sub-commands. The first argument names a sub-command only
when it is exactly one (``./compare`` reaches a path called ``compare``).

stdout carries what ``go test -bench`` prints (configuration and result lines in the Go
benchmark format, ``--- FAIL``/``--- SKIP``/``--- BENCH`` blocks, ``PASS``/``FAIL``
trailers: benchstat reads the results and ignores the rest), or with ``--json`` the same as
``go test -json`` events; progress, the failure summary, ``--timeout``'s panic and anything
a benchmark prints go to stderr.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperGroup

from ._app import app
from ._output import WriteError

if TYPE_CHECKING:
    from .._bench import Result


_NAMED_A_COMMAND = "rxp.bench.command"  # a ctx.meta key


class _BenchGroup(TyperGroup):
    """A group whose own positional arguments (paths) coexist with sub-commands: the first
    argument is a sub-command only if it names one. Then, for that parse only, the group
    has no ``paths`` argument and stops at the first positional, so click's own
    ``Group.parse_args`` finds the name and leaves the rest to the sub-command (its
    ``--help`` included); otherwise options and paths mix freely. Only public click API:
    ``get_params``, ``Context.meta`` and ``Context.allow_interspersed_args``."""

    allow_interspersed_args = True

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if args and args[0] in self.commands:
            ctx.meta[_NAMED_A_COMMAND] = True
            ctx.allow_interspersed_args = False
        return super().parse_args(ctx, args)

    def get_params(self, ctx: Any) -> list[Any]:
        params = super().get_params(ctx)
        if ctx.meta.get(_NAMED_A_COMMAND):
            return [p for p in params if p.name != "paths"]
        return params


_EPILOG = """\
[bold]Examples[/bold]

  rxp bench                                   (every bench_*.py under benchmarks/)

  rxp bench benchmarks/bench_core.py --bench 'Parse' --count 6 > new.txt

  rxp bench compare old.txt new.txt           (the same table as Go's benchstat)

  rxp bench --cpu 1,2,4 --benchmem --pyperf new.json

  rxp bench --json | jq -c 'select(.Action == "fail")'    (go test -json events)

  rxp bench gen-journal --size 1GiB --form export -o journal.export
"""

bench_app = typer.Typer(
    cls=_BenchGroup,
    invoke_without_command=True,
    no_args_is_help=False,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)
app.add_typer(
    bench_app,
    name="bench",
    help="Run Go-style benchmarks (bench_*.py) and print Go benchmark format.",
    epilog=_EPILOG,
)


class _Reporter:
    """Go's ``go test -bench`` text on ``out``: configuration lines before the first result
    of each file, results, ``--- BENCH``/``--- SKIP``/``--- FAIL`` blocks and each file's
    ``PASS``/``ok`` or ``FAIL`` trailer; with ``--json`` every line goes through a ``go test
    -json`` converter per file instead. Progress (when asked or on a terminal) to ``err``.

    A write that fails (stdout closed or full) is kept in ``broken`` and raised when the
    run ends, as ``go test`` finishes a run whose output fails: raised at once from a
    sub-benchmark's result, it would pass through the user's ``b.run`` and be taken for
    that benchmark's failure. ``lock`` is held by each write, so that ``--timeout``'s
    report never cuts a line."""

    def __init__(
        self, out: IO[str], err: IO[str], *, progress: bool, tty: bool, json: bool = False
    ) -> None:
        import threading

        from .._bench import system_config

        self._out, self._err = out, err
        self._progress, self._tty = progress, tty
        self._json = json
        self._converter: Any = None
        self._config: list[tuple[str, str]] | None = None
        self._system = system_config
        self._pkg: str | None = None
        self._file_pkg = ""
        self._file_began = 0.0
        self._width = 0
        self._status = False
        self.lock = threading.RLock()
        self.broken: WriteError | None = None

    # -- writing --------------------------------------------------------------------------

    def _write(self, text: str) -> None:
        """Go text, whole lines; a failed write is kept (see the class)."""
        with self.lock:
            if self.broken is not None:
                return
            try:
                self._clear()
                if self._converter is not None:
                    for line in text.splitlines(keepends=True):
                        self._converter.write(line)
                else:
                    self._out.write(text)
                self._out.flush()
            except WriteError as exc:
                self.broken = exc

    def _emit(self, text: str) -> None:
        self._out.write(text)

    def _clear(self) -> None:
        if self._status:
            self._err.write("\r\x1b[K")
            self._status = False

    def progress(self, name: str, round_: int, rounds: int, n: int) -> None:
        if not self._progress:
            return
        text = f"bench: {name}  round {round_}/{rounds}  n={n}"
        if self._tty:
            self._err.write("\r\x1b[K" + text)
            self._status = True
        else:
            self._err.write(text + "\n")
        self._err.flush()

    # -- events ---------------------------------------------------------------------------

    def file_start(self, pkg: str, shuffle: int | None) -> None:
        import time

        self._file_pkg, self._file_began = pkg, time.perf_counter()
        if self._json:
            from .._bench._test2json import Converter

            with self.lock:
                self._converter = Converter(self._emit, pkg)
        if shuffle is not None:
            self._write(f"-test.shuffle {shuffle}\n")

    def file_done(self, pkg: str, ok: bool, seconds: float, *, broken: bool = False) -> None:
        if broken:
            self._write(f"FAIL\t{pkg} [build failed]\n")
        elif ok:
            self._write(f"PASS\nok  \t{pkg}\t{seconds:.3f}s\n")
        else:
            self._write(f"FAIL\nFAIL\t{pkg}\t{seconds:.3f}s\n")
        self._close_converter()

    def _close_converter(self) -> None:
        with self.lock:
            if self._converter is not None:
                try:
                    self._converter.close()
                    self._out.flush()
                except WriteError as exc:
                    self.broken = self.broken or exc
                self._converter = None

    def _config_lines(self, pkg: str) -> list[str]:
        """The configuration lines still to print before a result of ``pkg`` (or, with
        ``-v``, before its first benchmark's name, as Go's chatty ``Run`` prints them)."""
        lines = []
        if self._config is None:
            self._config = self._system()
            goos, goarch, *rest = self._config
            for key, value in (goos, goarch, ("pkg", pkg), *rest):
                lines.append(f"{key}: {value}\n")
            self._pkg = pkg
        elif pkg != self._pkg:
            lines.append(f"pkg: {pkg}\n")
            self._pkg = pkg
        return lines

    def announce(self, name: str) -> None:
        self._write("".join(self._config_lines(self._file_pkg)) + name + "\n")

    def streamed(self, text: str) -> None:
        self._write(text)

    def result(self, result: Result) -> None:
        from .._bench import format_result

        lines = self._config_lines(result.pkg)
        if len(result.name) + 1 > self._width:
            self._width = len(result.name) + 8
        lines.append(format_result(result, width=self._width) + "\n")
        self._write("".join(lines))

    def failed(self, name: str, details: str) -> None:
        self._write(f"--- FAIL: {name}\n{details}")

    def skipped(self, name: str, output: str) -> None:
        self._write(f"--- SKIP: {name}\n{output}")

    def logged(self, name: str, output: str) -> None:
        self._write(f"--- BENCH: {name}\n{output}")

    def timed_out(self, report: str) -> None:
        """``--timeout`` expired: the panic on ``err``, this file's ``FAIL`` trailer on
        ``out``. Called from the alarm's thread; takes the lock for good (the process
        exits next)."""
        self.lock.acquire()
        with contextlib.suppress(Exception):
            self._clear()
            self._err.write(report)
            self._err.flush()
        self.lock.release()
        import time

        elapsed = time.perf_counter() - self._file_began
        self._write(f"FAIL\t{self._file_pkg or '.'}\t{elapsed:.3f}s\n")
        self._close_converter()
        self.lock.acquire()


def _failed_summary(benchmarks: int, files: int) -> str:
    parts = []
    if benchmarks:
        parts.append(f"{benchmarks} benchmark{'s' if benchmarks > 1 else ''} failed")
    if files:
        parts.append(f"{files} file{'s' if files > 1 else ''} failed to load")
    return ", ".join(parts)


@contextlib.contextmanager
def _results_only_on_stdout() -> Iterator[IO[str]]:
    """Yield the stream for results, and meanwhile send everything else written to stdout
    to stderr: ``print`` (``sys.stdout``), and also writes to file descriptor 1 by C code,
    ``os.write`` or a child process, which replacing ``sys.stdout`` alone would let through
    and mix with the Go format. The results go to a duplicate of the original descriptor 1.
    When stdout or stderr is not a usable descriptor (closed, or not a file), only
    ``sys.stdout`` is redirected."""
    from ._output import stdout_on

    out, err = sys.stdout, sys.stderr
    try:
        out_fd, err_fd = out.fileno(), err.fileno()
        out.flush()
        err.flush()
        saved = os.dup(out_fd)
    except (AttributeError, OSError, ValueError):  # None, closed, or no descriptor
        with contextlib.redirect_stdout(err):
            yield out
        return
    os.dup2(err_fd, out_fd)
    results = stdout_on(saved)  # a failed write is rxp's "write error", as stdout's are
    try:
        with contextlib.redirect_stdout(err):
            yield results
    finally:
        try:
            results.flush()
        finally:
            try:
                out.flush()  # anything still buffered was written while stdout meant stderr
            finally:
                os.dup2(saved, out_fd)
                results.close()
                os.close(saved)


def _cpus(text: str | None) -> tuple[int, ...]:
    from .._bench._gofmt import default_cpu
    from .._errors import RxpError

    if text is None:
        return (default_cpu(),)
    try:
        cpus = tuple(int(part) for part in text.split(",") if part.strip())
    except ValueError:
        cpus = ()
    if not cpus or any(c <= 0 for c in cpus):
        raise RxpError(f"invalid --cpu {text!r}: expected positive integers such as 1,2,4")
    return cpus


def _check_writable(path: Path) -> None:
    """Fail now, in the words of ``open``, if ``path`` cannot be created: its folder is
    missing, not a folder, or not writable, or ``path`` is a folder."""
    import os

    from ._output import cannot_write

    folder = path.parent
    problem = None
    if path.is_dir():
        problem = errno.EISDIR
    elif not folder.exists():
        problem = errno.ENOENT
    elif not folder.is_dir():
        problem = errno.ENOTDIR
    elif not os.access(folder, os.W_OK):
        problem = errno.EACCES
    if problem is not None:
        raise cannot_write(path, OSError(problem, os.strerror(problem)))


def _shuffle_seed(text: str) -> int | None:
    """Go's ``-shuffle``: ``off``, ``on`` (seeded by the clock, in nanoseconds), or a seed."""
    import time

    from .._errors import RxpError

    if text == "off":
        return None
    if text == "on":
        return time.time_ns()
    try:
        return int(text)
    except ValueError:
        raise RxpError(f"invalid --shuffle {text!r}: expected off, on or an integer seed") from None


@contextlib.contextmanager
def _alarm(seconds: float, runner: Any, reporter: _Reporter) -> Iterator[None]:
    """Go's ``-timeout`` alarm: when the run outlives ``seconds``, print Go's panic with
    what runs and every thread's stack, then exit with status 2 (Go's panic status)."""
    import threading
    import time

    if seconds <= 0:
        yield
        return
    from .._bench._timeout import timeout_report

    def expire() -> None:
        reporter.timed_out(timeout_report(seconds, dict(runner.running), time.monotonic()))
        os._exit(2)

    timer = threading.Timer(seconds, expire)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()


@bench_app.callback()
def bench(
    ctx: typer.Context,
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="Benchmark files or folders of bench_*.py \\[default: benchmarks/]."),
    ] = None,
    pattern: Annotated[
        str, typer.Option("--bench", help="Run only benchmarks matching this regex (Go rules).")
    ] = ".",
    benchtime: Annotated[
        str, typer.Option("--benchtime", help="Time per benchmark (1s, 500ms) or Nx runs.")
    ] = "1s",
    count: Annotated[int, typer.Option("--count", min=1, help="Run each benchmark N times.")] = 1,
    cpu: Annotated[
        str | None, typer.Option("--cpu", help="Comma list of b.cpu values, e.g. 1,2,4.")
    ] = None,
    benchmem: Annotated[bool, typer.Option("--benchmem", help="Report B/op and allocs/op.")] = (
        False
    ),
    timeout: Annotated[
        str, typer.Option("--timeout", help="Panic after this long (Go's -timeout); 0: never.")
    ] = "10m",
    failfast: Annotated[
        bool, typer.Option("--failfast", help="Start no benchmark after the first failure.")
    ] = False,
    shuffle: Annotated[
        str, typer.Option("--shuffle", help="Order of benchmarks: off, on, or a seed.")
    ] = "off",
    verbose: Annotated[
        bool,
        typer.Option(
            "--verbose", "-v", help="Go's -v: names as they start, logs as made, --- SKIP."
        ),
    ] = False,
    json_events: Annotated[
        bool,
        typer.Option("--json", help="Print go test -json events instead of text (implies -v)."),
    ] = False,
    pyperf_file: Annotated[
        Path | None, typer.Option("--pyperf", help="Also save a pyperf JSON suite here.")
    ] = None,
    progress: Annotated[
        bool | None,
        typer.Option("--progress/--no-progress", help="Progress on stderr \\[default: on a tty]."),
    ] = None,
    from_pytest_benchmark: Annotated[
        bool,
        typer.Option(
            "--from-pytest-benchmark",
            help="Convert pytest-benchmark JSON files (PATHs, default .benchmarks/) to Go format.",
        ),
    ] = False,
) -> None:
    """Run benchmarks; go test -bench output on stdout (results in the Go format for benchstat)."""
    if ctx.invoked_subcommand is not None:
        return
    if from_pytest_benchmark:  # convert saved runs instead of running anything
        from .._bench._pytest_benchmark import convert_paths

        converted = convert_paths(paths or [Path(".benchmarks")])
        sys.stderr.writelines(f"rxp bench: warning: {w}\n" for w in converted.warnings)
        sys.stdout.writelines(line + "\n" for line in converted.lines)
        raise typer.Exit(0)
    from .._bench import Options, Runner, find_files, parse_benchtime
    from .._bench._timeout import parse_timeout
    from ._console import is_terminal

    options = Options(
        benchtime=parse_benchtime(benchtime),
        count=count,
        cpus=_cpus(cpu),
        pattern=pattern,
        benchmem=benchmem,
        failfast=failfast,
        shuffle=_shuffle_seed(shuffle),
        verbose=verbose or json_events,  # go test -json runs the test binary with -test.v
    )
    seconds = parse_timeout(timeout)
    files = find_files(paths or [Path("benchmarks")])
    if pyperf_file is not None:
        _check_writable(pyperf_file)  # before the run, which may take minutes
    err = sys.stderr
    tty = is_terminal(err)
    with _results_only_on_stdout() as out:
        show = tty if progress is None else progress
        reporter = _Reporter(out, err, progress=show, tty=tty, json=json_events)
        runner = Runner(options, reporter)
        with _alarm(seconds, runner, reporter):
            for path in files:
                if runner.stopped:
                    break
                bench_file = runner.load_file(path)
                if bench_file is not None:
                    runner.run_file(bench_file)
    failed = runner.failures or runner.broken_files
    if reporter.broken is not None:
        if failed and reporter.broken.errno != errno.EPIPE:  # the --- FAIL blocks were lost
            err.write(f"FAIL: {_failed_summary(runner.failures, runner.broken_files)}\n")
        raise reporter.broken
    if pyperf_file is not None and runner.results:
        from .._bench._pyperf import write_suite
        from ._output import cannot_write

        try:
            write_suite(runner.results, pyperf_file)
        except OSError as exc:
            raise cannot_write(pyperf_file, exc) from None
    if failed:
        err.write(f"FAIL: {_failed_summary(runner.failures, runner.broken_files)}\n")
        raise typer.Exit(1)
    if not runner.results and not runner.skips:
        err.write("rxp bench: no benchmarks to run\n")
        raise typer.Exit(1)
    raise typer.Exit(0)


def _flag(name: str, help_text: str) -> Any:
    """benchstat's single-dash flag (``-col``) with the double-dash spelling too."""
    return typer.Option(f"--{name}", f"-{name}", help=help_text)


@bench_app.command(
    "compare",
    context_settings={"allow_interspersed_args": False, "ignore_unknown_options": False},
)
def compare(
    files: Annotated[
        list[str],
        typer.Argument(
            help="Go benchmark results: FILE, LABEL=FILE (names its column) or - (stdin).",
            show_default=False,
        ),
    ],
    table: Annotated[str, _flag("table", "Split results into tables by this projection.")] = (
        ".config"
    ),
    row: Annotated[str, _flag("row", "Split results into rows by this projection.")] = (
        ".fullname"
    ),
    col: Annotated[str, _flag("col", "Split results into columns by this projection.")] = ".file",
    ignore: Annotated[str, _flag("ignore", "Ignore variations in these keys.")] = "",
    filter_: Annotated[str, _flag("filter", "Use only benchmarks matching this query.")] = "*",
    confidence: Annotated[float, _flag("confidence", "Confidence level for ranges.")] = 0.95,
    alpha: Annotated[float, _flag("alpha", "Consider a change significant if p <= alpha.")] = (
        0.05
    ),
    format_: Annotated[str, _flag("format", "text, or csv (warnings then go to stderr).")] = "text",
) -> None:
    """Compare benchmark results as benchstat v2 does: any number of files, tables, rows and
    columns by projection (.file, .name, .fullname, .config, /key, config keys), -filter
    queries, medians with confidence intervals, Mann-Whitney p-values, geomeans."""
    from ._bench_compare import CompareFlags, run_compare

    flags = CompareFlags(table, row, col, ignore, filter_, confidence, alpha, format_)
    run_compare(files, flags, sys.stdout, sys.stderr)
    raise typer.Exit(0)


@bench_app.command("gen-journal")
def gen_journal(
    size: Annotated[str, typer.Option("--size", help="Size to write: 256MiB, 1GiB, 10MB.")] = (
        "256MiB"
    ),
    form: Annotated[
        str, typer.Option("--form", help="short-iso, json or export (journalctl -o).")
    ] = "short-iso",
    seed: Annotated[int, typer.Option("--seed", help="Seed: same seed, same bytes.")] = 0,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")
    ] = None,
) -> None:
    """Write a deterministic, seeded journal (sshd, kernel, systemd, app lines, tracebacks)."""
    import importlib

    from .._bench._size import parse_size
    from .._errors import RxpError

    forms = ("short-iso", "json", "export")
    if form not in forms:
        raise RxpError(f"invalid --form {form!r}: expected one of {', '.join(forms)}")
    nbytes = parse_size(size)
    try:
        generate = importlib.import_module("rxp._journal._generate")
    except ImportError:
        raise RxpError("gen-journal: the journal generator is not available") from None
    if output is None:
        generate.write_journal(sys.stdout.buffer, size=nbytes, form=form, seed=seed)
        sys.stdout.buffer.flush()
    else:
        from ._output import cannot_write

        try:
            with output.open("wb") as f:
                generate.write_journal(f, size=nbytes, form=form, seed=seed)
        except OSError as exc:  # a missing folder, a full disk
            raise cannot_write(output, exc) from None
    raise typer.Exit(0)
