"""`rxp parse`: a thin shell over ``rxp._logparse.parse_stream``.

Reads the files (or stdin, or ``-``), writes one JSON object per record to stdout (JSON
Lines, UTF-8), and a summary (records, counts per format, errors) to stderr; on a terminal,
a progress bar for large files. The core is imported inside the command so ``rxp`` starts
fast.
"""

from __future__ import annotations

import os
import sys
from collections import Counter
from pathlib import Path
from typing import IO, TYPE_CHECKING, Annotated, BinaryIO, TypeAlias

import typer

from .._errors import os_reason
from ._app import app
from ._console import byte_progress

if TYPE_CHECKING:
    import multiprocessing.context
    import multiprocessing.pool
    from collections.abc import Iterator

    from .._logparse import JSONValue, Record
    from .._logparse._parallel import Chunk, ParseSpec, Plan
    from .._stream._process_pool import Turn
    from .._syntax._ast import Flavor

__all__ = ["parse_command"]

_EPILOG = """\
[bold]Examples[/bold]

  journalctl -o short-iso | rxp parse            (auto: per line; JSON/logfmt messages decoded)

  rxp parse --format logfmt app.log | jq 'select(.level == "error")'

  rxp parse --format syslog /var/log/syslog

  journalctl -o export | rxp parse --format journal

  rxp parse --pattern '^(?P<ts>\\S+) (?P<ctx>\\{.*?\\}) (?P<msg>.*)$' app.log

  rxp parse --patterns templates.txt app.log      (NAME REGEX lines: the first match wins)

  rxp parse --strict --format json events.log > /dev/null || echo 'some lines are broken'

  rxp parse --workers 0 big.log > big.jsonl       (one process per core; same output)

Formats: auto and the names of Vector's VRL parse functions without parse_
(rxp parse --formats lists them with their options).
Every record has _line and _format; a record that could not be read completely also has
_error (what and at which column) and _raw (the line), next to every field recovered.
"""


def _summary(total: int, formats: Counter[str], errors: int, failed_files: int) -> str:
    parts = ", ".join(f"{name} {count:,}" for name, count in formats.most_common())
    noun = "record" if total == 1 else "records"
    text = f"rxp parse: {total:,} {noun}"
    if parts:
        text += f" ({parts})"
    text += f"; {errors:,} with errors" if errors else "; no errors"
    if failed_files:
        text += f"; {failed_files} file(s) could not be read"
    return text


def _sources(files: list[Path]) -> Iterator[tuple[str, BinaryIO | None, str | None]]:
    """(name, stream, None), or (name, None, why it cannot be read), per input."""
    if not files:
        yield "-", sys.stdin.buffer, None
        return
    for path in files:
        if str(path) == "-":
            yield "-", sys.stdin.buffer, None
            continue
        try:
            yield str(path), path.open("rb"), None
        except OSError as exc:
            yield str(path), None, os_reason(exc)


def file_fields(name: str) -> dict[str, str]:
    """The ``_file`` of a record read from the file ``name``: the name as text, with U+FFFD
    for bytes that are not UTF-8 (JSON holds Unicode only), and then ``_file_bytes``, the
    exact bytes in base64 (ripgrep's ``bytes`` for such a path, as ``rxp stream --json``
    writes it), so that the name is never lost."""
    raw = os.fsencode(name)
    try:
        return {"_file": raw.decode("utf-8")}
    except UnicodeDecodeError:
        import base64

        text = raw.decode("utf-8", "replace")
        return {"_file": text, "_file_bytes": base64.b64encode(raw).decode("ascii")}


def _write(out: IO[bytes], records: Iterator[Record], name: str | None) -> Iterator[Record]:
    from .._logparse._jsonl import encoder

    encode = encoder()
    head = file_fields(name) if name is not None else {}
    for record in records:
        if head:
            record = {**head, **record}
        out.write(encode(record) + b"\n")
        yield record


def _read_options(given: list[str]) -> dict[str, JSONValue]:
    """``--option KEY=VALUE`` items as a mapping (VALUE read as JSON where it is one)."""
    from .._errors import RxpError
    from .._logparse._options import option_value

    options: dict[str, JSONValue] = {}
    for item in given:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise RxpError(f"--option wants KEY=VALUE, not {item!r}")
        options[key] = option_value(value)
    return options


def _print_formats() -> None:
    """``--formats``: each format, what it reads, and its options with their defaults."""
    import json

    from .._logparse._formats import FORMAT_NAMES, format_spec

    lines = []
    for name in FORMAT_NAMES:
        spec = format_spec(name)
        if spec.name != name:
            lines.append(f"{name}  (alias of {spec.name})")
            continue
        lines.append(f"{name}  {spec.summary}".rstrip())
        for opt in spec.options:
            default = "" if opt.default is None else f" (default {json.dumps(opt.default)})"
            lines.append(f"    --option {opt.describe()}{default}  {opt.help}".rstrip())
    sys.stdout.write("\n".join(lines) + "\n")


def _exclude_patterns(
    pattern: str | None, grok: str | None, format: str, options: dict[str, JSONValue]
) -> None:
    """``--patterns`` takes the place of ``--pattern``, ``--grok`` and ``--format``."""
    from .._errors import RxpError

    if pattern is not None:
        raise RxpError("give --pattern or --patterns, not both")
    if grok is not None:
        raise RxpError("give --grok or --patterns, not both")
    if format != "auto":
        raise RxpError("give --format or --patterns, not both")
    if options:
        raise RxpError("--option goes with --format, not --patterns")


def _read_patterns(path: Path, flavor: Flavor, timeout: float) -> tuple[tuple[str, str], ...]:
    """``--patterns FILE``'s ``(name, regex)`` pairs, compiled once here (the parser is
    cached for the run and, built before the workers fork, is theirs too). A malformed
    line, a regex that does not compile (the caret under its place) and a file with no
    pattern are usage errors naming ``FILE:LINE``."""
    from .._errors import RxpError
    from .._logparse._api import line_parser
    from .._logparse._patterns import PatternSetError, read_pattern_file
    from ._output import read_text

    read = read_pattern_file(read_text(path, "patterns file"), source=str(path))
    if not read.patterns:
        raise RxpError(f"{path}: no patterns in the file (only blank lines and comments)")
    try:
        line_parser(patterns=read.patterns, flavor=flavor, timeout=timeout)
    except PatternSetError as exc:
        raise exc.located(f"{path}:{read.lines[exc.index]}") from None
    return read.patterns


@app.command(
    "parse",
    help=(
        "Parse log lines into JSON Lines records: logfmt, kv, json, syslog, journald, klog, "
        "cef, audit and nested structures, or the named groups of a pattern (with a "
        "grammar-based fallback where the pattern cuts a nested value)."
    ),
    epilog=_EPILOG,
)
def parse_command(
    files: Annotated[
        list[str] | None,
        typer.Argument(
            help="Files to read ('-' or none: standard input); with --engine spark, paths, "
            "globs or URIs (s3a://, hdfs://).",
            show_default=False,
        ),
    ] = None,
    format: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            help="The format: auto, or a VRL parse function's name without parse_ "
            "(common_log, key_value, syslog, ...); `rxp parse --formats` lists them.",
        ),
    ] = "auto",
    option: Annotated[
        list[str] | None,
        typer.Option(
            "--option",
            metavar="KEY=VALUE",
            help="A named option of the format, spelled as in VRL (format=combined, "
            "field_delimiter=,); VALUE is read as JSON when it is a boolean, number, array "
            "or object. Repeatable.",
            show_default=False,
        ),
    ] = None,
    grok: Annotated[
        str | None,
        typer.Option(
            "--grok",
            help="A grok expression (%{IPORHOST:client} %{HTTPDATE:ts}): --format grok "
            "--option pattern=...",
            show_default=False,
        ),
    ] = None,
    grok_patterns: Annotated[
        Path | None,
        typer.Option(
            "--grok-patterns",
            metavar="FILE",
            help="Custom grok definitions, one 'NAME REGEX' per line, as Logstash's "
            "patterns_dir files.",
            show_default=False,
        ),
    ] = None,
    list_formats: Annotated[
        bool,
        typer.Option("--formats", help="List the formats and their options, then exit."),
    ] = False,
    pattern: Annotated[
        str | None,
        typer.Option(
            "--pattern",
            "-p",
            help="A regex whose named groups become the fields.",
            show_default=False,
        ),
    ] = None,
    patterns_file: Annotated[
        Path | None,
        typer.Option(
            "--patterns",
            metavar="FILE",
            help="Named patterns, one 'NAME REGEX' per line (as rxp mine --patterns-out "
            "writes them): each line is read by the first that matches it, as --pattern "
            "would read it, and _format is that NAME.",
            show_default=False,
        ),
    ] = None,
    flavor: Annotated[
        str,
        typer.Option(
            "--flavor",
            help="The pattern's dialect: re (Python's re) or regex (the regex package).",
        ),
    ] = "re",
    strict: Annotated[
        bool, typer.Option("--strict", help="Exit 1 if any record could not be read.")
    ] = False,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="No summary on standard error.")
    ] = False,
    timeout: Annotated[
        float,
        typer.Option(
            "--timeout",
            min=0.0,
            help="Time budget per line for --pattern or --patterns (all the patterns tried "
            "on a line share it), in seconds (0: none); a line over it becomes an error "
            "record.",
        ),
    ] = 1.0,
    workers: Annotated[
        int,
        typer.Option(
            "--workers",
            "-j",
            min=0,
            help="Parse in this many processes (0: one per core); the records come out in "
            "input order, exactly as with one. journalctl -o export and document formats "
            "are read by one.",
        ),
    ] = 1,
    engine: Annotated[
        str,
        typer.Option(
            "--engine",
            help="local, or spark: the same records from a Spark job (pip install "
            "'rxp[spark]'; docs/spark.md).",
        ),
    ] = "local",
    master: Annotated[
        str | None,
        typer.Option(
            "--master",
            help="With --engine spark: Spark's master URL (default local[*]).",
            show_default=False,
        ),
    ] = None,
    out: Annotated[
        str | None,
        typer.Option(
            "--out",
            help="With --engine spark: write to this directory (Parquet if it ends in "
            ".parquet, else JSON Lines part files) instead of stdout.",
            show_default=False,
        ),
    ] = None,
) -> None:
    from .._errors import RxpError
    from .._logparse import FORMATS
    from .._logparse._api import line_parser, parse_stream
    from .._logparse._fallback import TIMED_OUT
    from ._output import STDIN, diagnose, read_text

    if list_formats:
        _print_formats()
        return
    options = _read_options(option or [])
    if patterns_file is not None:
        _exclude_patterns(pattern, grok, format, options)
    if grok is not None:
        if format not in ("auto", "grok"):
            raise RxpError("give --format or --grok, not both")
        format = "grok"
        options["pattern"] = grok
    if grok_patterns is not None:
        if format not in ("grok", "groks"):
            raise RxpError("--grok-patterns goes with --grok or --format grok/groks")
        options["definitions"] = read_text(grok_patterns, "grok patterns file")
    if pattern is not None and format != "auto":
        raise RxpError("give --format or --pattern, not both")
    if pattern is not None and options:
        raise RxpError("--option goes with --format, not --pattern")
    if flavor not in ("re", "regex"):
        raise RxpError(f"unknown flavor {flavor!r} (choose re or regex)")
    dialect: Flavor = "regex" if flavor == "regex" else "re"
    if format not in FORMATS:
        raise RxpError(f"unknown format {format!r} (choose from {', '.join(FORMATS)})")
    # an invalid pattern, option or grok expression fails here, first (and, built before
    # the workers fork, it is theirs too)
    named: tuple[tuple[str, str], ...] | None = None
    if patterns_file is not None:
        named = _read_patterns(patterns_file, dialect, timeout)
    else:
        line_parser(format, pattern, dialect, timeout, options)
    from ._spark import check

    if check(engine, master, out, list(files or [])):
        from .._logparse._parallel import ParseSpec
        from ._spark import parse_files

        spec = ParseSpec(format, pattern, dialect, timeout, options, named)
        counted = strict or not quiet
        found = parse_files(list(files or []), spec, master, out, counted)
        if not quiet:
            diagnose(_summary(*found, 0))
        if strict and found[2]:
            raise typer.Exit(1)
        return
    if workers == 0:
        workers = _cpu_count()
    pool: _Pool | None = None
    if workers > 1:
        from .._logparse._parallel import ParseSpec

        pool = _Pool(ParseSpec(format, pattern, dialect, timeout, options, named), workers)
    paths = [Path(f) for f in files or []]
    output = sys.stdout.buffer
    formats: Counter[str] = Counter()
    total = errors = failed_files = skipped = 0
    progress = byte_progress(paths, "parsing")
    label = len(paths) > 1
    if progress is not None:
        progress.start()
    try:
        for name, stream, problem in _sources(paths):
            shown = STDIN if name == "-" else name
            if stream is None:
                diagnose(f"rxp: error: cannot read {shown}: {problem}")
                failed_files += 1
                continue
            if pool is not None:
                try:
                    stats = pool.run(stream, name if label else None, output, progress)
                except OSError as exc:
                    diagnose(f"rxp: error: cannot read {shown}: {os_reason(exc)}")
                    failed_files += 1
                    stats = pool.partial
                total += stats.total
                formats.update(stats.formats)
                errors += stats.errors
                skipped += stats.skipped
                if stream is not sys.stdin.buffer:
                    stream.close()
                continue
            records = parse_stream(
                stream,
                format=format,
                pattern=pattern,
                flavor=dialect,
                timeout=timeout,
                options=options,
                patterns=named,
            )
            try:
                for n, record in enumerate(_write(output, records, name if label else None), 1):
                    total += 1
                    formats[str(record["_format"])] += 1
                    if "_error" in record:
                        errors += 1
                        skipped += str(record["_error"]).startswith(TIMED_OUT)
                    if progress is not None and n % 20000 == 0 and stream is not sys.stdin.buffer:
                        progress.update(progress.task_ids[0], completed=stream.tell())
            except OSError as exc:  # a read that failed (stdin closed, EIO): the records
                # written so far stand, and the file counts as unreadable
                diagnose(f"rxp: error: cannot read {shown}: {os_reason(exc)}")
                failed_files += 1
            if stream is not sys.stdin.buffer:
                stream.close()
        output.flush()
        if pool is not None:
            pool.close()
            pool = None
    finally:
        if pool is not None:  # Ctrl-C, a closed stdout: the workers go at once
            pool.kill()
        if progress is not None:
            progress.stop()
    if skipped:
        diagnose(
            f"rxp: warning: {skipped:,} line(s) not read: matching took over {timeout:g}s "
            "(--timeout)"
        )
    if not quiet:
        diagnose(_summary(total, formats, errors, failed_files))
    if failed_files:
        raise typer.Exit(2)
    if strict and errors:
        raise typer.Exit(1)


# --- --workers: the process pool (the chunking and reading are rxp._logparse._parallel) ---


def _cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


class _Stats:
    """What the summary counts, for the records of one chunk or one input."""

    __slots__ = ("errors", "formats", "skipped", "total")

    def __init__(self) -> None:
        self.total = self.errors = self.skipped = 0
        self.formats: Counter[str] = Counter()

    def add(self, other: _Stats) -> None:
        self.total += other.total
        self.errors += other.errors
        self.skipped += other.skipped
        self.formats.update(other.formats)


def _parse_chunk(
    job: tuple[ParseSpec, Plan, Chunk, str | None, int, int | None],
) -> _Result:
    """A worker's job: one chunk's records, encoded as the single-worker path writes them
    (``_write``), and their counts. With ``fd``, when chunk ``seq`` is the next to be
    written (``Turn``), the worker writes it there itself and returns None for the bytes
    (with the failed write's errno and reason, if it failed); otherwise the bytes travel
    to the parent, which writes them in their turn. So the parent copies only what was
    ready early, and no worker ever waits for another."""
    import io

    from .._logparse._parallel import chunk_records

    spec, plan, chunk, name, seq, fd = job
    sink = io.BytesIO()
    stats = _written(sink, chunk_records(spec, chunk, plan), name)
    if fd is not None:
        done, failure = _TURN.write_if_next(seq, fd, sink.getbuffer())
        if done:
            return None, stats, failure
    return sink.getvalue(), stats, None


_TURN: Turn  # a worker's, from _worker_init


def _written(out: IO[bytes], records: Iterator[Record], name: str | None) -> _Stats:
    """Write ``records`` as ``_write`` does; their counts."""
    from .._logparse._fallback import TIMED_OUT

    stats = _Stats()
    formats = stats.formats
    for record in _write(out, records, name):
        stats.total += 1
        formats[str(record["_format"])] += 1
        if "_error" in record:
            stats.errors += 1
            stats.skipped += str(record["_error"]).startswith(TIMED_OUT)
    return stats


def _worker_init(parent: int, turn: Turn) -> None:
    """A worker's signals as ``rxp stream``'s (``_stream._process_pool.settle_worker``:
    Ctrl-C and a closed stdout are the parent's; it dies with its parent), and the turn."""
    from .._stream._process_pool import settle_worker

    settle_worker(parent)
    global _TURN
    _TURN = turn


_Result: TypeAlias = tuple[bytes | None, _Stats, tuple[int | None, str] | None]


class _Pool:
    """N forked workers running ``_parse_chunk``, fed a bounded window of chunks (memory
    stays flat), whose outputs are written in input order."""

    def __init__(self, spec: ParseSpec, workers: int) -> None:
        from .._stream._process_pool import QuietPool, Turn, context

        ctx = context()
        self.spec = spec
        self.window = 2 * workers + 1
        # bytes per chunk; the variable is for tests that want many chunk boundaries
        self.block = int(os.environ.get("RXP_PARSE_BLOCK", "0")) or None
        self.turn = Turn(ctx)
        self.seq = 0  # chunks handed out so far, in the order they are written
        self.pool: multiprocessing.pool.Pool = QuietPool(
            workers, _worker_init, (os.getpid(), self.turn), context=ctx
        )
        self.partial = _Stats()  # what an input gave before it failed to read

    def run(self, stream: BinaryIO, name: str | None, out: IO[bytes], progress: object) -> _Stats:
        """Every record of ``stream``, written to ``out``; their counts."""
        from collections import deque

        from .._logparse._parallel import chunks, plan, rejoin
        from ._output import descriptor

        stats = self.partial = _Stats()
        head = stream.read(4096)
        how = plan(self.spec, head)
        if how == "whole":  # read by one, here, as parse_stream reads it
            from .._logparse._api import parse_stream

            spec = self.spec
            records = parse_stream(
                rejoin(head, stream),
                format=spec.format,
                pattern=spec.pattern,
                flavor=spec.flavor,
                timeout=spec.timeout,
                options=spec.options,
                patterns=spec.patterns,
            )
            stats.add(_written(out, records, name))
            return stats
        first = [head]

        def read(n: int) -> bytes:
            if first:
                return first.pop() + stream.read(max(0, n - len(head)))
            return stream.read(n)

        pending: deque[tuple[int, multiprocessing.pool.AsyncResult[_Result]]] = deque()
        cut = chunks(read, how) if self.block is None else chunks(read, how, self.block)
        fd = descriptor(out)
        self.turn.start(self.seq)
        for chunk in cut:
            job = (self.spec, how, chunk, name, self.seq, fd)
            pending.append((self.seq, self.pool.apply_async(_parse_chunk, (job,))))
            self.seq += 1
            while len(pending) >= self.window:
                self._drain(*pending.popleft(), out, fd, stats, stream, progress)
        while pending:
            self._drain(*pending.popleft(), out, fd, stats, stream, progress)
        return stats

    def _drain(
        self,
        seq: int,
        result: multiprocessing.pool.AsyncResult[_Result],
        out: IO[bytes],
        fd: int | None,
        stats: _Stats,
        stream: BinaryIO,
        progress: object,
    ) -> None:
        data, got, failed = result.get()
        if failed is not None:
            from ._output import worker_failed

            worker_failed(out, *failed)
        if data is not None:
            out.write(data)
            if fd is not None:  # on the descriptor before the next chunk's worker writes
                out.flush()
                self.turn.passed(seq)
        stats.add(got)
        if progress is not None and stream is not sys.stdin.buffer:
            progress.update(0, completed=stream.tell())  # type: ignore[attr-defined]

    def close(self) -> None:
        self.pool.close()
        self.pool.join()

    def kill(self) -> None:
        """Stop at once (Ctrl-C, a closed stdout), as ``rxp stream``'s pool stops."""
        from .._stream._process_pool import kill

        kill(self.pool)
