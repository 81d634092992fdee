"""The shell of `rxp explain`: argv values in, text out, exit status back.

Reads the pattern (the positional argument, which is always the pattern, as grep's; or
``-f FILE``, ``-f -`` for stdin), picks the output form (tree, ``--brief``, ``--json``) and
writes it. Everything heavy (the parser, the folds, rich) is imported here, inside ``run``,
so that ``rxp`` starts fast; Typer is not needed at all (``cli/__init__.run`` reads argv with
``_explain_args.read`` first).
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from typing import TYPE_CHECKING

from ._argv import flag_letters, strip_final_newline

if TYPE_CHECKING:
    from .._explain._model import Explanation
    from .._syntax._ast import Flavor

__all__ = ["read_pattern", "run"]


def read_pattern(pattern: str | None, file: str | None) -> str:
    """The pattern: the argument as given, or the text of ``file`` (``-``: stdin) minus one
    trailing newline."""
    from .._errors import RxpError

    if pattern is not None and file is not None:
        raise RxpError("give the pattern as an argument or with -f/--file, not both")
    if file is None:
        if pattern is None:
            raise RxpError("no pattern given (see 'rxp explain --help')")
        return pattern
    if file == "-":
        return strip_final_newline(_read_stdin())
    try:
        with open(file, encoding="utf-8") as handle:
            return strip_final_newline(handle.read())
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise RxpError(f"cannot read pattern file {file!r}: {reason}") from None


def _read_stdin() -> str:
    """stdin's text for ``-f -``, read as a ``-f FILE`` is: UTF-8 (the bytes decoded here,
    not by the locale, so that no undecodable byte slips into the explanation), with
    universal newlines."""
    from .._errors import RxpError
    from ._output import read_stdin

    data = read_stdin()
    try:
        return data.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")
    except UnicodeDecodeError as exc:
        raise RxpError(
            f"cannot read the pattern from stdin: not UTF-8 "
            f"(byte {data[exc.start]:#04x} at offset {exc.start})"
        ) from None


def _explain(values: Mapping[str, object], flavor: Flavor, letters: str) -> Explanation:
    """The explanation asked for: of the pattern (argument or ``-f``), or with ``--grok``
    of a grok expression's expansion (``--grok-patterns FILE``: custom definitions)."""
    from .._errors import RxpError
    from .._explain._explain import explain

    grok = values.get("grok")
    patterns = values.get("grok_patterns")
    if grok is None:
        if patterns is not None:
            raise RxpError("--grok-patterns goes with --grok")
        return explain(
            read_pattern(_text(values, "pattern"), _text(values, "file")),
            flavor=flavor,
            flags=letters,
        )
    if values.get("pattern") is not None or values.get("file") is not None:
        raise RxpError("give a pattern or --grok, not both")
    if letters or flavor != "re":
        raise RxpError("--grok picks the flavour and takes no flags")
    from .._explain._grok import explain_grok
    from .._syntax._grok import read_definitions
    from ._output import read_text

    definitions = None
    if patterns is not None:
        definitions = read_definitions(read_text(patterns, "grok patterns file"))
    return explain_grok(str(grok), definitions)


def _text(values: Mapping[str, object], name: str) -> str | None:
    value = values.get(name)
    return None if value is None else str(value)  # Typer gives choices as enum members


def _write_svg(result: Explanation, path: str | None) -> bool:
    """Write the railroad diagram of ``--svg PATH``; True when it went to stdout (``-``),
    in place of the explanation."""
    if path is None:
        return False
    from .._explain._railroad import railroad_svg
    from ._output import cannot_write, utf8_bytes, write_utf8

    svg = railroad_svg(result.pattern)
    if path == "-":
        write_utf8(svg.removesuffix("\n"))
        return True
    try:
        with open(path, "wb") as handle:
            handle.write(utf8_bytes(svg))
    except OSError as exc:
        raise cannot_write(path, exc) from None
    return False


def _status(result: Explanation, values: Mapping[str, object]) -> int:
    """0, or with ``--lint`` 1 when a lint fired (as a linter in CI: 1 means findings)."""
    return 1 if values.get("lint") and result.lints else 0


def run(values: Mapping[str, object]) -> int:
    """Explain as the command line in ``values`` (``_explain_args.OPTIONS``' dests plus
    ``pattern``) asks; the exit status."""
    from .._errors import RxpError, error_document

    def text(name: str) -> str | None:
        return _text(values, name)

    letters = (text("flags") or "") + flag_letters(
        ignore_case=bool(values["ignore_case"]),
        multiline=bool(values["multiline"]),
        dotall=bool(values["dotall"]),
        verbose=bool(values["verbose"]),
        ascii_only=bool(values["ascii_only"]),
    )
    flavor: Flavor = "regex" if text("flavor") == "regex" else "re"
    color = text("color") or "auto"

    if values["as_json"]:
        from .._explain._document import document_of, to_json
        from ._output import write_utf8

        try:
            result = _explain(values, flavor, letters)
            if _write_svg(result, text("svg")):
                return _status(result, values)
        except RxpError as exc:
            write_utf8(to_json(error_document(exc)))
            return 2
        write_utf8(to_json(document_of(result)))
        return _status(result, values)

    from .._explain._render import render_brief, render_lines, render_text

    result = _explain(values, flavor, letters)
    if _write_svg(result, text("svg")):
        return _status(result, values)
    if values["brief"]:
        sys.stdout.write(render_brief(result))
        return _status(result, values)
    from ._console import color_enabled, is_terminal

    # On a terminal, long sentences wrap under their column; into a pipe, one line a row.
    width = None
    if is_terminal(sys.stdout):
        import shutil

        width = shutil.get_terminal_size().columns
    if not color_enabled(sys.stdout, choice=color):
        sys.stdout.write(render_text(result, width=width))
        return _status(result, values)
    from rich.text import Text

    from ._console import console

    out = console(choice=color)
    for line in render_lines(result, width=width):
        out.print(Text.assemble(*((t, s or "") for t, s in line)), overflow="ignore", crop=False)
    return _status(result, values)
