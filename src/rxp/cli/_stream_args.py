"""`rxp stream`'s options, declared once as a table (``_argv.Option``), and the ``Request``
a command line asks for.

``cli/stream.py`` builds the Typer command from ``OPTIONS``; ``read`` parses argv with the
same table without Typer (see ``_argv``), so a search starts without importing Typer, rich,
click or pydantic (~150 ms of each start). ``tests/stream/test_args.py`` holds the two
readers to the same ``Request``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from ._argv import Option, appended, flag, number, repeated
from ._argv import read as read_argv

if TYPE_CHECKING:
    from ._stream_run import Request

__all__ = ["FILE_GLOBS", "OPTIONS", "read", "request"]

OPTIONS: tuple[Option, ...] = (
    flag("line_number", ("-n", "--line-number"), "Prefix each line with its number."),
    Option(
        "with_filename",
        ("--with-filename", "-H"),
        "switch",
        "Print the file name for each match (default: when several files).",
        off=("--no-filename", "-h"),
    ),
    flag("count", ("-c", "--count"), "Print only the number of selected lines."),
    flag("only_matching", ("-o", "--only-matching"), "Print each match on its own line."),
    flag("invert", ("-v", "--invert-match"), "Select the lines that do not match."),
    number("max_count", ("-m", "--max-count"), "Stop after NUM selected lines."),
    flag("quiet", ("-q", "--quiet", "--silent"), "Print nothing; exit 0 at the first match."),
    flag("ignore_case", ("-i", "--ignore-case"), "ASCII case-insensitive matching."),
    number("after", ("-A", "--after-context"), "NUM lines after each match."),
    number("before", ("-B", "--before-context"), "NUM lines before each match."),
    number("context", ("-C", "--context"), "NUM lines around each match."),
    flag("fixed_strings", ("-F", "--fixed-strings"), "PATTERN is a literal string."),
    flag("extended", ("-E", "-a", "--text"), "Accepted for grep.", hidden=True),
    Option(
        "flavor",
        ("--flavor",),
        "choice",
        "Python's re syntax, or the regex package's.",
        "re",
        choices=("re", "regex"),
    ),
    Option(
        "color",
        ("--color", "--colour"),
        "choice",
        "Highlight matches (auto: on a terminal).",
        "auto",
        choices=("auto", "always", "never"),
    ),
    flag("passthru", ("--passthru",), "Print every line, highlighting matches."),
    flag("as_json", ("--json",), "ripgrep-style JSON Lines, with named groups."),
    Option(
        "journal",
        ("--journal",),
        "choice",
        "Read `journalctl -o export|json` entries.",
        choices=("export", "json"),
    ),
    Option("field", ("--field",), "str", "Journal field to match (with --journal).", "MESSAGE"),
    Option(
        "backend",
        ("--backend",),
        "choice",
        "How to schedule the work (default: fastest).",
        choices=("sync", "thread", "asyncio", "process"),
    ),
    Option("workers", ("--workers",), "int", "Threads or processes (default: idle cores).", min=1),
    Option(
        "timeout",
        ("--timeout",),
        "float",
        "Time budget per line in seconds (0: none).",
        1.0,
        min=0.0,
    ),
    Option(
        "engine",
        ("--engine",),
        "choice",
        "local, or spark: the same search as a Spark job over FILEs, paths, globs or URIs "
        "(pip install 'rxp[spark]'; docs/spark.md).",
        "local",
        choices=("local", "spark"),
    ),
    Option("master", ("--master",), "str", "With --engine spark: the master URL (local[*])."),
    Option(
        "out",
        ("--out",),
        "str",
        "With --engine spark: write the matching lines and their matches to this directory "
        "(Parquet if it ends in .parquet, else JSON Lines).",
    ),
    Option("chunk_size", ("--chunk-size",), "int", "Bytes per block.", min=1, hidden=True),
    flag(
        "explain_plan",
        ("--explain-plan",),
        "Say which engines the pattern gets, and why; search nothing.",
    ),
    # grep's matching and output options (see docs/stream.md)
    flag("word_regexp", ("-w", "--word-regexp"), "Match only whole words."),
    flag("line_regexp", ("-x", "--line-regexp"), "Match only whole lines."),
    repeated(
        "regexp",
        ("-e", "--regexp"),
        "A pattern (repeatable); every argument is then a FILE.",
        "PATTERN",
    ),
    repeated(
        "pattern_file",
        ("-f", "--file"),
        "Patterns from FILE, one per line ('-': stdin); every argument is then a FILE.",
        "FILE",
    ),
    Option(
        "list_files",
        ("--files-with-matches", "-l"),
        "switch",
        "Print only the names of files with a selected line (-L: without).",
        off=("--files-without-match", "-L"),
    ),
    flag("byte_offset", ("-b", "--byte-offset"), "Prefix each line (or -o match) with its offset."),
    flag("null_data", ("-z", "--null-data"), "Lines end in a NUL byte, not a newline."),
    flag("null", ("-Z", "--null"), "Print a NUL byte after each file name."),
    # Which files are read, as grep reads them (kept together: see ``Request``).
    flag(
        "recursive",
        ("-r", "--recursive"),
        "Search directories (FILE or, when none, '.'); symbolic links met on the way are skipped.",
    ),
    flag(
        "dereference_recursive",
        ("-R", "--dereference-recursive"),
        "Search directories, following every symbolic link.",
    ),
    Option(
        "include",
        ("--include",),
        "append",
        "Search only files whose name matches GLOB (repeatable; the last match wins).",
        metavar="GLOB",
    ),
    Option(
        "exclude", ("--exclude",), "append", "Skip files whose name matches GLOB.", metavar="GLOB"
    ),
    Option(
        "exclude_dir",
        ("--exclude-dir",),
        "append",
        "Skip directories whose name matches GLOB.",
        metavar="GLOB",
    ),
    flag("no_messages", ("-s", "--no-messages"), "No messages about missing or unreadable files."),
    Option("label", ("--label",), "str", "The name shown for standard input.", metavar="LABEL"),
)

FILE_GLOBS = ("include", "exclude")
"""The options whose relative order decides (grep: the last matching one wins)."""


def read(argv: Sequence[str]) -> dict[str, object] | None:
    """The values Typer's ``rxp stream`` command would pass for ``argv`` (the arguments
    after ``stream``), keyed by ``Option.dest`` plus ``pattern`` (the first argument, None
    when there is none) and ``files``; or ``None`` when Typer should read argv (see
    ``_argv``)."""
    found = read_argv(argv, OPTIONS)
    if found is None:
        return None
    values, positional = found
    if not positional and not (values["regexp"] or values["pattern_file"]):
        return None  # no pattern at all: Typer's command reports it
    values["pattern"] = positional[0] if positional else None
    values["files"] = positional[1:]
    values["file_globs"] = appended(argv, OPTIONS, FILE_GLOBS)
    return values


def request(values: Mapping[str, object]) -> Request:
    """The search a command line asks for, from either reader's values. Choices may come as
    Typer's enum members; they are kept as their plain string values."""
    from .._errors import RxpError
    from ._stream_run import Request

    def integer(name: str) -> int | None:
        value = values[name]
        assert value is None or isinstance(value, int)
        return value

    def text(name: str) -> str | None:
        value = values[name]
        return None if value is None else str(value)

    def strings(name: str) -> tuple[str, ...]:
        value = values[name]
        assert value is None or isinstance(value, (list, tuple))
        return tuple(str(v) for v in value or ())

    numbers = (("-m", "max_count"), ("-A", "after"), ("-B", "before"), ("-C", "context"))
    for spelling, name in numbers:
        value = integer(name)
        if value is not None and value < 0:
            raise RxpError(f"{spelling}: invalid number {value}")
    after, before, context = integer("after"), integer("before"), integer("context")
    given = values["files"]
    assert given is None or isinstance(given, (list, tuple))
    files = [str(f) for f in given or ()]
    pattern = values["pattern"]
    regexp, pattern_file = strings("regexp"), strings("pattern_file")
    if regexp or pattern_file:  # as grep: the patterns come from -e/-f, and the first
        if pattern is not None:  # argument is a file
            files.insert(0, str(pattern))
        pattern = None
    elif pattern is None:
        raise RxpError("no pattern: give PATTERN, -e PATTERN or -f FILE")
    return Request(
        pattern=None if pattern is None else str(pattern),
        files=files,
        line_number=bool(values["line_number"]),
        with_filename=None if values["with_filename"] is None else bool(values["with_filename"]),
        count=bool(values["count"]),
        only_matching=bool(values["only_matching"]),
        invert=bool(values["invert"]),
        max_count=integer("max_count"),
        quiet=bool(values["quiet"]),
        ignore_case=bool(values["ignore_case"]),
        after=after if after is not None else context,
        before=before if before is not None else context,
        fixed_strings=bool(values["fixed_strings"]),
        flavor=text("flavor") or "re",
        color=text("color") or "auto",
        passthru=bool(values["passthru"]),
        as_json=bool(values["as_json"]),
        journal=text("journal"),
        field=str(values["field"]),
        backend=text("backend"),
        workers=integer("workers"),
        timeout=float(values["timeout"]),  # type: ignore[arg-type]
        chunk=integer("chunk_size"),
        explain_plan=bool(values["explain_plan"]),
        word_regexp=bool(values["word_regexp"]),
        line_regexp=bool(values["line_regexp"]),
        regexp=regexp,
        pattern_file=pattern_file,
        list_files=None if values["list_files"] is None else bool(values["list_files"]),
        byte_offset=bool(values["byte_offset"]),
        null_data=bool(values["null_data"]),
        null=bool(values["null"]),
        recursive=bool(values["recursive"]) or bool(values["dereference_recursive"]),
        dereference=bool(values["dereference_recursive"]),
        file_globs=_file_globs(values),
        exclude_dir=tuple(_texts(values["exclude_dir"])),
        no_messages=bool(values["no_messages"]),
        label=text("label"),
        engine=text("engine") or "local",
        master=text("master"),
        out=text("out"),
    )


def _texts(value: object) -> list[str]:
    assert value is None or isinstance(value, (list, tuple))
    return [str(v) for v in value or ()]


def _file_globs(values: Mapping[str, object]) -> tuple[tuple[bool, str], ...]:
    """(is ``--include``, GLOB) in command-line order: from ``values["file_globs"]`` (the
    (dest, GLOB) pairs ``_argv.appended`` reads off argv), else the includes first."""
    pairs = values.get("file_globs")
    if not pairs:
        pairs = [("include", g) for g in _texts(values["include"])]
        pairs += [("exclude", g) for g in _texts(values["exclude"])]
    assert isinstance(pairs, list)
    return tuple((dest == "include", str(glob)) for dest, glob in pairs)
