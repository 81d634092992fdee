"""The shell of `rxp stream` and `lograg`: argv values in, bytes out, exit status back.

Everything that touches stdin, stdout, stderr and the terminal is here; the matching,
scheduling and formatting are ``rxp._stream``'s pure parts.
"""

from __future__ import annotations

import errno
import os
import stat
import sys
from collections.abc import Callable, Iterable, Sequence
from functools import partial
from typing import TYPE_CHECKING, BinaryIO, NamedTuple

from .._errors import os_reason

if TYPE_CHECKING:
    from .._stream._backends import Direct
    from .._stream._inputs import Failed, Input, Source
    from .._stream._matcher import Matcher, MatcherSpec
    from .._stream._sinks import Printer, Window
    from .._stream._walk import Walk
    from .._syntax._ast import Flavor

__all__ = ["Request", "matcher_spec", "patterns", "run"]


class Request(NamedTuple):
    pattern: str | None  # None when -e or -f give the patterns
    files: list[str]
    line_number: bool = False
    with_filename: bool | None = None
    count: bool = False  # type: ignore[assignment]  # the field shadows tuple.count
    only_matching: bool = False
    invert: bool = False
    max_count: int | None = None
    quiet: bool = False
    ignore_case: bool = False
    after: int | None = None
    before: int | None = None
    fixed_strings: bool = False
    flavor: str = "re"
    color: str = "auto"
    passthru: bool = False
    as_json: bool = False
    journal: str | None = None
    field: str = "MESSAGE"
    backend: str | None = None
    workers: int | None = None
    timeout: float = 1.0
    chunk: int | None = None  # bytes per block (tests use tiny blocks to cross boundaries)
    explain_plan: bool = False  # print the engines chosen for the pattern, search nothing
    # grep's matching and output options
    word_regexp: bool = False  # -w
    line_regexp: bool = False  # -x
    regexp: tuple[str, ...] = ()  # -e, in order
    pattern_file: tuple[str, ...] = ()  # -f, in order ("-": stdin)
    list_files: bool | None = None  # -l (True), -L (False)
    byte_offset: bool = False  # -b
    null_data: bool = False  # -z
    null: bool = False  # -Z
    # Which files are read (grep's -r/-R, --include/--exclude/--exclude-dir, -s, --label)
    recursive: bool = False
    dereference: bool = False  # -R: follow every symbolic link
    file_globs: tuple[tuple[bool, str], ...] = ()  # (is --include, GLOB) in command-line order
    exclude_dir: tuple[str, ...] = ()
    no_messages: bool = False
    label: str | None = None
    # --engine spark (cli/_spark): the same search as a Spark job
    engine: str = "local"
    master: str | None = None
    out: str | None = None


def _writer(stream: BinaryIO, interactive: bool) -> Callable[[bytes], object]:
    if not interactive:
        return stream.write

    def write(data: bytes) -> None:
        stream.write(data)
        stream.flush()

    return write


def _direct(out: BinaryIO) -> Direct | None:
    """stdout's descriptor, for process workers that write the lines they render there
    themselves (``_stream._backends.Direct``); None when ``out`` has none."""
    from .._stream._backends import Direct
    from ._output import descriptor, worker_failed

    fd = descriptor(out)
    if fd is None:
        return None
    return Direct(fd, out.flush, partial(worker_failed, out))


def describe_plan(matcher: Matcher) -> str:
    """What ``--explain-plan`` prints: the engines a pattern got, and why."""
    m = matcher
    lines = [f"pattern:   {m.source if m.source is not None else m.spec.text}"]
    if m.selector is not None:
        text = m.selector.text.decode().replace("\n", "\n" + " " * 11)  # one per pattern
        lines.append(f"selection: {m.selector.engine} (linear time): {text}")
        fallback = "RE2 for a line over the budget" if m.linear else "a line over it is skipped"
        lines.append(f"spans:     re, one line at a time under the budget; {fallback}")
    else:
        why = m.obstacle or (
            "the regex flavour" if m.spec.flavor == "regex" else "no linear-time translation"
        )
        lines.append(f"selection: {m.engine} (backtracking, a time budget per line): {why}")
        lines.append(f"strategy:  {m.strategy}")
    if m.literal is not None:
        lines.append(f"prefilter: the literal {m.literal!r}")
    elif m.factor:
        lines.append("prefilter: one of " + ", ".join(repr(f) for f in m.factor))
    return "\n".join(lines) + "\n"


def _warn(prog: str, message: str) -> None:
    _say(prog, "warning", message)


def _pattern_lines(name: str) -> list[str]:
    """``-f FILE``'s patterns: one a line (a final newline ends the last; an empty file
    has none), decoded as argv is (undecodable bytes kept as surrogates)."""
    from .._errors import RxpError

    try:
        if name == "-":
            data = sys.stdin.buffer.read()
        else:
            with open(name, "rb") as file:
                data = file.read()
    except OSError as exc:
        raise RxpError(f"{name}: {os_reason(exc)}") from None
    text = data.decode("utf-8", "surrogateescape")
    return text.removesuffix("\n").split("\n") if text else []


def patterns(req: Request) -> list[str]:
    """The patterns a request gives: PATTERN, or those of -e and then of -f."""
    found = [] if req.pattern is None else [req.pattern]
    found += req.regexp
    for name in req.pattern_file:
        found += _pattern_lines(name)
    return found


def matcher_spec(req: Request, texts: Sequence[str]) -> MatcherSpec:
    """The matcher for a request's patterns ``texts``. No pattern at all
    (``-f /dev/null``) matches nothing, as in grep."""
    from .._stream._matcher import MatcherSpec

    flavor: Flavor = "regex" if req.flavor == "regex" else "re"
    fixed = req.fixed_strings
    if not texts:
        texts, fixed = ["(?!)"], False
    return MatcherSpec(
        texts[0],
        flavor,
        0,
        req.ignore_case,
        fixed,
        more=tuple(texts[1:]),
        words=req.word_regexp,
        lines=req.line_regexp,
        null_data=req.null_data and req.journal is None,
    )


def run(req: Request, *, prog: str = "rxp", stdout: BinaryIO | None = None) -> int:
    """Run one search; return grep's exit status (0 found, 1 none, 2 error)."""
    from .._errors import RxpError
    from .._stream._backends import Backend
    from .._stream._engine import plan, search, workers_write
    from .._stream._inputs import input_sizes, sources
    from .._stream._matcher import compile_matcher
    from .._stream._scan import ScanOptions
    from .._stream._sinks import GrepPrinter, GrepStyle, JsonPrinter, Window
    from ._console import color_enabled, is_terminal

    if req.as_json and req.list_files is not None:
        raise RxpError("--json cannot be combined with -l or -L")
    if req.engine != "local" or req.master is not None or req.out is not None:
        from ._spark import stream_request

        return stream_request(req)
    if req.list_files is False and req.max_count == 0:
        # grep -L -m 0 selects no line, so it lists every file it can read
        req = req._replace(pattern="(?!)", regexp=(), pattern_file=(), max_count=None)
        req = req._replace(fixed_strings=False, invert=False, word_regexp=False)
    texts = patterns(req)
    spec = matcher_spec(req, texts)
    matcher = compile_matcher(spec, "re")
    if req.explain_plan:
        sys.stdout.write(describe_plan(matcher))
        return 0
    if not texts and not req.invert and req.list_files is not False:
        return 1  # as grep: no pattern (-f /dev/null) selects nothing; no file is read
    why = f"{matcher.obstacle} needs" if matcher.obstacle else "this pattern needs"
    for hazard in matcher.hazards:
        _warn(
            prog,
            f"{hazard}; {why} the backtracking engine, so each line gets a "
            f"{req.timeout:g}s budget (--timeout)",
        )

    inputs, how = _inputs(req)
    names = req.with_filename
    if names is None:  # grep: names for several operands, or -r into a directory
        names = len(inputs) > 1 or (req.recursive and _is_directory(inputs[0]))
    out = stdout if stdout is not None else sys.stdout.buffer
    color = not req.as_json and color_enabled(sys.stdout, choice=req.color)
    write = _writer(out, stdout is None and is_terminal(sys.stdout))
    context_given = req.before is not None or req.after is not None
    listing = req.list_files is not None
    count_only = req.count or req.quiet or listing
    before = 0 if count_only else (req.before or 0)
    after = 0 if count_only else (req.after or 0)
    if req.passthru and not count_only:
        before, after = 0, 1 << 40
    max_count = req.max_count
    if req.quiet or listing:  # one selected line settles a file (-l, -L) or the run (-q)
        max_count = 1 if max_count is None else min(1, max_count)
    eol = b"\0" if spec.null_data else b"\n"
    printer: Printer
    if req.as_json:
        printer = JsonPrinter(write, matcher.labels, eol)
    else:
        style = GrepStyle(
            names,
            req.line_number,
            req.only_matching,
            req.count,
            req.invert,
            color,
            req.quiet,
            listing=req.list_files,
            null=req.null,
            eol=eol,
            offsets=req.byte_offset,
        )
        printer = GrepPrinter(write, style)
    window = Window(
        printer,
        before=before,
        after=after,
        max_count=max_count,
        separators=context_given and not count_only and not req.passthru and not req.as_json,
        passthru=req.passthru and not count_only,
    )

    def on_error(name: str, message: str) -> None:
        if not req.no_messages:
            _say(prog, "error", f"{name}: {message}")

    def on_warning(name: str, message: str) -> None:
        if not req.no_messages:
            _say(prog, "warning", f"{name}: {message}")

    def on_timeout(name: str, number: int, offset: int) -> None:
        where = f"{name}:{number}" if number > 0 else f"{name}: byte {offset}"
        _warn(prog, f"{where}: line skipped: matching took over {req.timeout:g}s (--timeout)")

    # grep's rule: -c, -q, -l/-L (all in count_only) and -m 1 print too little to feed
    # themselves, so only other runs refuse to read their own output file
    output = None if count_only else _output_file(out, max_count)
    if req.journal is not None:
        found = sources(inputs, how, output)
        status = _journal(
            req, matcher, found, window, printer, on_error, on_warning, on_timeout, prog
        )
    else:
        options = ScanOptions(
            invert=req.invert,
            max_count=max_count,
            before=before,
            after=after,
            count_only=count_only,
            spans=not count_only and (req.only_matching or color or req.as_json),
            groups=req.as_json,
            numbers=req.line_number
            or context_given
            or req.as_json
            or req.passthru
            or None in input_sizes(inputs),  # a stream cannot be read again to count
            timeout=req.timeout,
            plain=not (
                count_only
                or req.only_matching
                or color
                or req.as_json
                or req.passthru
                or req.invert
                or context_given
                or max_count is not None
                or req.byte_offset
            ),
            null_data=spec.null_data,
        )
        chosen: Backend | None = req.backend  # type: ignore[assignment]
        backend, workers = plan(inputs, chosen, req.workers)
        direct = _direct(out) if workers_write(printer, options, backend) else None
        outcome = search(
            spec,
            options,
            inputs,
            printer,
            window,
            backend=backend,
            workers=workers,
            on_error=on_error,
            on_timeout=on_timeout,
            on_warning=on_warning,
            quiet=req.quiet,
            chunk=req.chunk or _block_size(inputs, count_only, backend, workers, direct),
            write=write,
            how=how,
            output=output,
            direct=direct,
        )
        if outcome.timeouts:
            _warn(prog, f"{outcome.timeouts} line(s) skipped: over the time budget")
        status = _status(outcome.found, outcome.errors, outcome.timeouts, req.quiet)
    if isinstance(printer, JsonPrinter):
        printer.summary()
    out.flush()
    return status


def _block_size(
    inputs: Sequence[Input], count_only: bool, backend: str, workers: int, direct: object
) -> int:
    """Bytes per job: small when lines travel back to be printed (memory, latency), a
    block when the workers write them themselves (``direct``: then the parent's cost per
    job is what counts, 0.3 ms); for a count, about 16 shares per worker: large enough
    that inter-process traffic is negligible, small enough to balance the work when one
    core is busier."""
    from .._stream._inputs import input_sizes
    from .._stream._source import CHUNK

    if not count_only:
        return CHUNK if direct is not None else CHUNK // 4
    if backend == "sync":
        return CHUNK
    sizes = [size for size in input_sizes(inputs) if size is not None]
    return max(CHUNK, max(sizes, default=0) // (16 * max(1, workers)) + 1)


def _status(found: bool, errors: int, timeouts: int, quiet: bool) -> int:
    if found and (quiet or not errors):
        return 0
    if errors or timeouts:
        return 2
    return 0 if found else 1


def _journal(
    req: Request,
    matcher: Matcher,
    found: Iterable[Source | Failed],
    window: Window,
    printer: Printer,
    on_error: Callable[[str, str], None],
    on_warning: Callable[[str, str], None],
    on_timeout: Callable[[str, int, int], None],
    prog: str,
) -> int:
    """``--journal``: decode entries with ``rxp._journal._codec``, match one field, print each
    selected entry as ``short-iso`` through the same window and printer. The files come
    opened, once each, from the engine's ``sources``."""
    from .._journal._codec import iter_export, iter_json
    from .._stream._inputs import Failed, owned
    from .._stream._journal_scan import journal_records
    from .._stream._matcher import compile_matcher
    from .._stream._sinks import FileStats

    engine_matcher = compile_matcher(matcher.spec, "regex")
    found_any = False
    errors = 0
    timeouts = 0
    for item in found:
        if isinstance(item, Failed):
            if item.warning:
                on_warning(item.name, item.message)
            else:
                errors += 1
                on_error(item.name, item.message)
            continue
        assert item.opened is not None
        fd = item.opened.fd
        stream = open(fd, "rb", closefd=False)  # noqa: SIM115 - closed below, as is fd
        stats = FileStats(item.name)
        window.begin_file()
        printer.begin(item.name)
        untimed = False
        try:
            entries = iter_export(stream) if req.journal == "export" else iter_json(stream)
            records = journal_records(
                entries,
                engine_matcher,
                field=req.field,
                invert=req.invert,
                timeout=req.timeout,
                spans=False,
            )
            for record in records:
                if record.error is not None:
                    _warn(prog, f"{item.name}: entry {record.number}: {record.error}")
                    errors += 1
                    continue
                if record.timed_out:
                    timeouts += 1
                    on_timeout(item.name, record.number, -1)
                    continue
                if record.untimed is not None and not untimed:
                    untimed = True  # said once per input: a journal without times has many
                    _warn(
                        prog,
                        f"{item.name}: entry {record.number}: {record.untimed}: shown without "
                        "a time, as are later entries without one",
                    )
                if not window.offer(record.number, record.line, True):
                    break
                if req.quiet and window.count:
                    break
        except OSError as exc:  # a read that failed (stdin closed: EBADF), as grep says it
            on_error(item.name, os_reason(exc))
            errors += 1
        finally:
            stream.close()
            if owned(item.opened) is not None:
                os.close(fd)
        stats.selected = window.count
        found_any = found_any or stats.selected > 0
        printer.end(stats)
        if req.quiet and found_any:
            break
    return _status(found_any, errors, timeouts, req.quiet)


# --- the operands -------------------------------------------------------------------------


def _inputs(req: Request) -> tuple[list[Input], Walk]:
    """The operands as the engine opens them (``-`` is stdin, named ``--label``; with
    ``-r`` and no FILE, ``.``, whose files are shown without ``./``), and the walk."""
    from .._stream._engine import STDIN_NAME
    from .._stream._inputs import Input
    from .._stream._walk import Walk

    implicit = not req.files and req.recursive
    files = req.files or (["."] if implicit else ["-"])
    name = req.label if req.label is not None else "<stdin>" if req.as_json else STDIN_NAME
    inputs = [_stdin(name) if f == "-" and not implicit else Input(f, f) for f in files]
    how = Walk(req.recursive, req.dereference, req.file_globs, req.exclude_dir, implicit)
    return inputs, how


def _stdin(name: str) -> Input:
    """Standard input, read from where it stands. When it is closed (``0<&-``), its number
    is taken by /dev/null, so that no file or pipe opened later stands in for it, and the
    input reports what grep reports."""
    from .._stream._inputs import Input
    from .._stream._source import Opened

    try:
        if sys.stdin is None:  # closed when Python started
            raise OSError(errno.EBADF, os.strerror(errno.EBADF))
        info = os.fstat(0)
    except OSError as exc:
        try:
            os.fstat(0)
        except OSError:
            plug = os.open(os.devnull, os.O_RDONLY)
            if plug != 0:
                os.close(plug)
        return Input(name, error=os_reason(exc))
    return Input(name, opened=Opened(0, info.st_mode, None, (info.st_dev, info.st_ino)))


def _is_directory(item: Input) -> bool:
    """Whether a lone operand is a directory (then ``-r`` shows file names, as grep)."""
    if item.opened is not None:
        return stat.S_ISDIR(item.opened.mode)
    return item.path is not None and os.path.isdir(item.path)


def _output_file(out: BinaryIO, max_count: int | None) -> tuple[int, int] | None:
    """stdout's (st_dev, st_ino) when it is a regular file that the printed lines would
    grow, so that it is not searched (grep's rule; ``-c``, ``-q``, ``-m 1`` print too
    little to feed themselves)."""
    if max_count is not None and max_count <= 1:
        return None
    try:
        info = os.fstat(out.fileno())
    except (OSError, ValueError, AttributeError):
        return None
    return (info.st_dev, info.st_ino) if stat.S_ISREG(info.st_mode) else None


def _say(prog: str, kind: str, text: str) -> None:
    """One ``prog: kind: text`` line on stderr, a file name's bytes as they are (grep
    prints a name that is not UTF-8 as it is, not escaped)."""
    stream = sys.stderr
    if stream is None:
        return
    line = f"{prog}: {kind}: {text}\n"
    buffer = getattr(stream, "buffer", None)
    if buffer is None:
        stream.write(line)
        return
    stream.flush()
    buffer.write(line.encode("utf-8", "surrogateescape"))
    buffer.flush()
