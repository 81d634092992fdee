"""Render problems: compiler-style text, a JSON array, or GitHub Actions annotations.

Pure functions from problems (and the sources' text, for the quoted line) to a string; the
shell decides where it goes and whether there is colour (only on a terminal).

Text, as compilers print it, so editors and CI logs link to the place::

    values.yaml:12:13: error: replicas: '3' is not of type 'integer'
        replicas: '3'
                  ^
      schema: #/properties/replicas/type
      hint: ...
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping, Sequence

from ._validate import Problem

__all__ = ["render_github", "render_json", "render_text", "summary"]

_RESET = "\033[0m"
_STYLES = {"error": "\033[1;31m", "warning": "\033[1;33m", "caret": "\033[1;32m", "bold": "\033[1m"}
JSON_FIELDS = (
    "file",
    "document",
    "line",
    "column",
    "instance_path",
    "schema_path",
    "message",
    "validator",
    "severity",
    "hint",
)


def _paint(text: str, style: str, color: bool) -> str:
    return f"{_STYLES[style]}{text}{_RESET}" if color else text


def _dotted(instance_path: str) -> str:
    """``/image/tag`` as ``image.tag``, ``/items/0`` as ``items[0]``."""
    out = ""
    for part in instance_path.split("/")[1:]:
        part = part.replace("~1", "/").replace("~0", "~")
        out += f"[{part}]" if part.isdigit() else (f".{part}" if out else part)
    return out


def render_text(
    problems: Sequence[Problem],
    texts: Mapping[str, str],
    *,
    multi: Collection[str] = frozenset(),
    color: bool = False,
) -> str:
    """The problems as compiler diagnostics. ``texts`` maps a file name to its text (for the
    quoted line); ``multi`` holds the files with more than one document, whose problems name
    their document."""
    lines_of = {name: text.splitlines() for name, text in texts.items()}
    out: list[str] = []
    for p in problems:
        where = f"{p.file}:{p.line}:{p.column}" if p.line else p.file
        label = _paint(f"{p.severity}:", p.severity, color)
        what = _dotted(p.instance_path)
        prefix = f"document {p.document}: " if p.file in multi else ""
        message = f"{prefix}{what + ': ' if what else ''}{p.message}"
        out.append(f"{_paint(where + ':', 'bold', color)} {label} {message}")
        lines = lines_of.get(p.file, [])
        if 0 < p.line <= len(lines):
            line = lines[p.line - 1]
            pad = "".join(c if c == "\t" else " " for c in line[: max(0, p.column - 1)])
            out.append(f"    {line}")
            out.append(f"    {pad}{_paint('^', 'caret', color)}")
        if p.schema_path:
            out.append(f"  schema: {p.schema_path}")
        if p.hint:
            out.append(f"  hint: {p.hint}")
    return "\n".join(out) + ("\n" if out else "")


def summary(errors: int, warnings: int, files: int) -> str:
    """``2 errors, 1 warning in 3 files`` (or ``3 files valid``)."""
    noun = "file" if files == 1 else "files"
    if not errors and not warnings:
        return f"{files} {noun} valid\n"
    parts = [f"{errors} error{'s' * (errors != 1)}"]
    if warnings:
        parts.append(f"{warnings} warning{'s' * (warnings != 1)}")
    return f"{', '.join(parts)} in {files} {noun}\n"


def render_json(problems: Sequence[Problem]) -> str:
    """A JSON array of objects with the fields of ``JSON_FIELDS``."""
    rows = [{name: getattr(p, name) for name in JSON_FIELDS} for p in problems]
    return json.dumps(rows, indent=2, ensure_ascii=False) + "\n"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(problems: Sequence[Problem]) -> str:
    """GitHub Actions workflow commands: ``::error file=F,line=L,col=C,title=T::message``
    (``::warning`` for warnings), escaped as the runner expects."""
    out = []
    for p in problems:
        what = _dotted(p.instance_path)
        message = f"{what + ': ' if what else ''}{p.message}"
        if p.hint:
            message += f"\n{p.hint}"
        props = [f"file={_escape_property(p.file)}"]
        if p.line:
            props += [f"line={p.line}", f"col={p.column}"]
        props.append(f"title={_escape_property('konfig ' + p.validator)}")
        out.append(f"::{p.severity} {','.join(props)}::{_escape_data(message)}")
    return "\n".join(out) + ("\n" if out else "")
