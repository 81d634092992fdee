"""`rxp mine`: a thin shell over ``rxp._mine``'s ``Miner``.

Reads the files (or stdin, or ``-``) once, line by line, into one miner; then writes the
state (``--state``) and the pattern file (``--patterns-out``), and last the templates on
stdout, so that a reader that goes away early (``| head``) loses only the listing. The
templates are text (styled on a terminal) or JSON Lines; ``--lines`` adds each line's
template id, kept on disk until the ids are known (``_Spill``), so memory stays flat.
"""

from __future__ import annotations

import contextlib
import io
import itertools
import os
import sys
from array import array
from pathlib import Path
from typing import IO, TYPE_CHECKING, Annotated, BinaryIO

import typer

from .._errors import RxpError, os_reason
from ._app import app
from ._console import byte_progress

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Sequence

    from rich.progress import Progress
    from rich.text import Text

    from .._mine import Template
    from .._mine._miner import Miner

__all__ = ["mine_command"]

_HELP = """Group log lines into templates (the same event with different variables), each
also a regex with named groups.

One pass over the FILEs (stdin when none, or '-'); memory grows with the templates, not
the lines. --format auto (the default) first takes the header off each raw line (a time,
a host, a level, a component) with rxp's own readers; --format message mines each line
as it is (lines that are messages already: about 1.5x as fast).

The templates come most lines first, each with its id, its count, its <*> form, its
regex and an example line. --json writes JSON Lines, a {"type": "template", ...} record
per template, and with --lines then a {"type": "line", "line": N, "template": ID} record
per input line (N from 1, counted on across the FILEs in order).

--state FILE keeps the miner between runs: ids stay and new lines extend old templates.
A FILE that is not a state rxp wrote is an error and is left as it is. Exit status: 0 if
a line was mined, 1 if the input had no lines, 2 on an error.
"""

_EPILOG = """\
[bold]Examples[/bold]

  rxp mine /var/log/auth.log | head -20

  rxp mine --json app.log | jq -r 'select(.count > 100) | .regex'

  rxp mine --json --lines app.log | jq -c 'select(.type == "line")'

  rxp mine --state app.mine today.log          (ids stay the same tomorrow)

  rxp mine --format auto --patterns-out app.patterns app.log

  rxp parse --patterns app.patterns app.log    (then: a record a line, its template in _format)
"""

_FORMATS = ("message", "auto")
_BATCH = 1 << 13  # lines mined between two looks at the progress bar
_SPILL = 1 << 16  # cluster indices held in memory before they go to disk


@app.command("mine", help=_HELP, epilog=_EPILOG)
def mine_command(
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
            help="message: each line is a message; auto: take each raw line's header off "
            "first (rxp parse's readers).",
        ),
    ] = "auto",
    as_json: Annotated[
        bool, typer.Option("--json", help="JSON Lines: the templates (then the lines).")
    ] = False,
    lines: Annotated[
        bool,
        typer.Option(
            "--lines", help="With --json: after the templates, each input line's template id."
        ),
    ] = False,
    patterns_out: Annotated[
        Path | None,
        typer.Option(
            "--patterns-out",
            metavar="FILE",
            help="Write the templates' regexes as a pattern file for rxp parse --patterns "
            "(with --format auto, each reads the raw line, its header in a group).",
            show_default=False,
        ),
    ] = None,
    state: Annotated[
        Path | None,
        typer.Option(
            "--state",
            metavar="FILE",
            help="Load the miner from FILE if it exists, and save it there at the end.",
            show_default=False,
        ),
    ] = None,
    engine: Annotated[
        str,
        typer.Option(
            "--engine",
            help="local, or spark: each partition mined apart and the miners merged, "
            "which gives the same templates (pip install 'rxp[spark]'; docs/spark.md).",
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
) -> None:
    from .._mine._miner import Miner
    from .._mine._pattern_file import pattern_file
    from .._mine._state import dump

    if format not in _FORMATS:
        raise RxpError(f"unknown format {format!r} (choose message or auto)")
    if lines and not as_json:
        raise RxpError("--lines goes with --json")
    for path, what in ((state, "state"), (patterns_out, "pattern file")):
        if path is not None and not path.absolute().parent.is_dir():
            raise RxpError(f"cannot write {what} {str(path)!r}: No such directory")
    from ._spark import check

    spark = check(engine, master, None, list(files or []))
    if spark and lines:
        raise RxpError("--lines does not go with --engine spark")
    miner = _load_state(state) if state is not None else Miner()
    spill = _Spill() if lines else None
    try:
        if spark:
            from ._spark import mine_files

            total, failed = mine_files(list(files or []), format, master, miner).count, 0
        else:
            total, failed = _mine(miner, [Path(f) for f in files or []], format, spill)
        templates, ids = miner.templates()
        if patterns_out is not None:
            _write_atomic(patterns_out, pattern_file(templates, header=format == "auto"))
        if state is not None:
            if failed:
                from ._output import diagnose

                diagnose(f"rxp: warning: {state}: not saved, an input could not be read")
            else:
                _write_atomic(state, dump(miner))
        if as_json:
            _write_json(templates, ids, spill)
        else:
            _write_text(templates, total)
    finally:
        if spill is not None:
            spill.close()
    if failed:
        raise typer.Exit(2)
    if not total:
        raise typer.Exit(1)


# --- reading ---------------------------------------------------------------------------


def _mine(miner: Miner, paths: list[Path], format: str, spill: _Spill | None) -> tuple[int, int]:
    """Every line of every input into ``miner``; (lines, inputs that could not be read).
    An input that cannot be opened or read is reported and the others go on, as grep."""
    from ._output import STDIN, diagnose

    total = failed = 0
    progress = byte_progress(paths, "mining")
    if progress is not None:
        progress.start()
    done = 0  # bytes of the inputs before this one, for the progress bar
    try:
        for path in paths or [Path("-")]:
            name = str(path)
            shown = STDIN if name == "-" else name
            try:
                stream: BinaryIO = sys.stdin.buffer if name == "-" else path.open("rb")
            except OSError as exc:
                diagnose(f"rxp: error: {shown}: {os_reason(exc)}")
                failed += 1
                continue
            try:
                total += _mine_stream(miner, stream, format, spill, progress, done)
            except OSError as exc:  # a failed read: the lines before it stay mined
                diagnose(f"rxp: error: {shown}: {os_reason(exc)}")
                failed += 1
            finally:
                if stream is not sys.stdin.buffer:
                    if progress is not None:
                        done += stream.tell()
                    stream.close()
    finally:
        if progress is not None:
            progress.stop()
    return total, failed


def _mine_stream(
    miner: Miner,
    stream: BinaryIO,
    format: str,
    spill: _Spill | None,
    progress: Progress | None,
    done: int,
) -> int:
    """The lines of ``stream`` into ``miner``: split on ``\\n`` alone, UTF-8 with U+FFFD for
    bytes that are not (as ``rxp parse``), the line ending dropped. How many lines."""
    text = io.TextIOWrapper(stream, encoding="utf-8", errors="replace", newline="\n")
    try:
        if format == "auto":
            from .._mine._messages import messages

            found: Iterable[str] = messages(text)
        else:
            found = (line.rstrip("\r\n") for line in text)
        add = miner.add
        count = 0
        batches = iter(lambda: list(itertools.islice(found, _BATCH)), [])
        for batch in batches:
            if spill is None:
                for message in batch:
                    add(message)
            else:
                spill.extend(array("I", map(add, batch)))
            count += len(batch)
            if progress is not None and stream is not sys.stdin.buffer:
                progress.update(progress.task_ids[0], completed=done + stream.tell())
        return count
    finally:
        text.detach()  # the caller closes the stream (never stdin)


class _Spill:
    """Each line's cluster index, in input order, in a temporary file by chunks of
    ``_SPILL``: a line's template is known only at the end, and a list of a Python int per
    line would grow with the input."""

    def __init__(self) -> None:
        self._held = array("I")
        self._file: IO[bytes] | None = None

    def extend(self, indices: array[int]) -> None:
        self._held.extend(indices)
        if len(self._held) >= _SPILL:
            if self._file is None:
                import tempfile

                self._file = tempfile.TemporaryFile(prefix="rxp-mine-")  # noqa: SIM115 (closed by close)
            self._held.tofile(self._file)
            del self._held[:]

    def chunks(self) -> Iterator[array[int]]:
        """The indices, in order, a chunk at a time."""
        if self._file is not None:
            self._file.seek(0)
            while True:
                chunk = array("I")
                try:
                    chunk.fromfile(self._file, _SPILL)
                except EOFError:  # the last, short chunk: what it read is in ``chunk``
                    if chunk:
                        yield chunk
                    break
                yield chunk
        if self._held:
            yield self._held

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None


# --- the state and the pattern file -------------------------------------------------------


def _load_state(path: Path) -> Miner:
    """The miner saved in ``path``, or a new one if there is no such file. A file that
    cannot be read or is not a state is an error (and, the run ending there, not touched)."""
    from .._mine._miner import Miner
    from .._mine._state import load

    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return Miner()
    except OSError as exc:
        raise RxpError(f"{path}: cannot read the state: {os_reason(exc)}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise RxpError(f"{path}: not an rxp mine state (not UTF-8 text)") from None
    return load(text, str(path))


def _write_atomic(path: Path, text: str) -> None:
    """``text`` as ``path``'s new content, all or nothing: written beside it, then renamed
    over it, so a reader (or the next run) never sees half a file."""
    import tempfile

    from ._output import cannot_write, utf8_bytes

    folder = path.absolute().parent
    try:
        fd, temporary = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise cannot_write(path, exc) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(utf8_bytes(text))
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, _mode(path))
        os.replace(temporary, path)
    except OSError as exc:
        _remove(temporary)
        raise cannot_write(path, exc) from None
    except BaseException:
        _remove(temporary)
        raise


def _mode(path: Path) -> int:
    """The permissions of the file ``path`` replaces, or a new file's (0o666 less umask);
    ``mkstemp`` makes its file private."""
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _remove(path: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)


# --- output ------------------------------------------------------------------------------


def _write_json(templates: Sequence[Template], ids: list[str], spill: _Spill | None) -> None:
    """The template records, then (``--lines``) a line record per input line."""
    import json

    from ._output import utf8_bytes

    sys.stdout.flush()
    out = sys.stdout.buffer
    for template in templates:
        record = {
            "type": "template",
            "id": template.id,
            "template": template.template,
            "regex": template.regex,
            "groups": list(template.groups),
            "count": template.count,
            "examples": list(template.examples),
        }
        out.write(utf8_bytes(json.dumps(record, ensure_ascii=False, separators=(",", ":"))))
        out.write(b"\n")
    if spill is None:
        return
    tails = [utf8_bytes(f',"template":{json.dumps(i)}}}\n') for i in ids]
    number = 0
    for chunk in spill.chunks():
        first = number + 1
        out.write(
            b"".join(
                b'{"type":"line","line":%d%s' % (n, tails[index])
                for n, index in enumerate(chunk, first)
            )
        )
        number += len(chunk)
    out.flush()


def _write_text(templates: Sequence[Template], total: int) -> None:
    """The templates for people: a heading, then a block per template; styled when stdout
    takes colour (a terminal, or ``FORCE_COLOR``), plain text otherwise."""
    from ._console import color_enabled

    if not templates:
        return
    styled = color_enabled(sys.stdout)
    lines_noun = "line" if total == 1 else "lines"
    noun = "template" if len(templates) == 1 else "templates"
    heading = f"{len(templates):,} {noun} from {total:,} {lines_noun}"
    if not styled:
        out = [heading, ""]
        for template in templates:
            out.extend(_block(template))
            out.append("")
        sys.stdout.write("\n".join(out[:-1]) + "\n")
        return
    from rich.text import Text

    from ._console import console

    term = console()
    term.print(Text(heading, style="bold"))
    for template in templates:
        term.print()
        term.print(_styled(template))


def _block(template: Template) -> list[str]:
    """A template as plain lines: ``ID  COUNT lines  TEMPLATE``, its regex, an example."""
    noun = "line" if template.count == 1 else "lines"
    return [
        f"{template.id}  {template.count:,} {noun}  {template.template}",
        f"    regex    {template.regex}",
        f"    example  {template.examples[0]}",
    ]


def _styled(template: Template) -> Text:
    """``_block`` as rich Text: the id, count and ``<*>`` marked, the regex in green."""
    from rich.text import Text

    noun = "line" if template.count == 1 else "lines"
    out = Text()
    out.append(template.id, style="bold cyan")
    out.append(f"  {template.count:,} {noun}  ", style="yellow")
    for n, part in enumerate(template.template.split("<*>")):
        if n:
            out.append("<*>", style="bold magenta")
        out.append(part, style="bold")
    out.append("\n    regex    ", style="dim")
    out.append(template.regex, style="green")
    out.append("\n    example  ", style="dim")
    out.append(template.examples[0])
    return out
