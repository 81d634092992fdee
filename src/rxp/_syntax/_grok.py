"""Grok expressions -> one regex with named groups, and the map from its groups to fields.

A grok expression is regex text with references: ``%{NAME}`` (the definition of NAME, not
captured), ``%{NAME:field}`` (captured as ``field``), ``%{NAME:field:int}`` (and
``:float``: the value converted, as Logstash does). Definitions are ``NAME REGEX`` lines,
the standard library being logstash-patterns-core's ``patterns/legacy`` files shipped in
``grammars/grok/`` (Apache-2.0, their LICENSE and NOTICE beside them); custom ones override
it. Definitions nest; a cycle is an error.

``compile_grok`` expands the references (each one a group, so a definition's top-level
``|`` stays inside it), translates what Oniguruma, Logstash's engine, spells differently
from Python (``(?<name>...)`` named groups, ``(?m)`` meaning DOTALL, ``\\h`` hex digits,
``\\z``; a plain ``(...)``, which Oniguruma does not capture once a pattern has named
groups, becomes ``(?:...)``), and then parses the result with rxp's own parser, in the
``re`` flavour when it accepts the text and else in the ``regex`` flavour: the same AST
validates the expansion, tells ``rxp parse`` which engine compiles it, and serves
``rxp explain --grok`` with the span each reference became. Field names that are not valid
group names (``[client][ip]``, ``client.ip``, a field used twice) get generated group names;
``Grok.fields`` maps every group back to its field. A pure function of text: no I/O but
reading the library files, once.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

from .._errors import PatternError, RxpError
from .._grammar import grammar_dir
from . import _ast as A

__all__ = [
    "Grok",
    "GrokField",
    "GrokRef",
    "GrokUse",
    "compile_grok",
    "library",
    "read_definitions",
    "split_reference",
]

_MAX_DEPTH = 64  # definitions nest a dozen deep in practice; deeper is a cycle or abuse
_TYPES = frozenset({"int", "float"})
_HEX = "0-9A-Fa-f"


@dataclass(frozen=True, slots=True)
class GrokRef:
    """One ``%{...}`` as written: ``name`` (``regex`` for ``regex("...")``), its quoted
    ``args``, the ``field`` (None: not captured) and ``extra``, what follows a second ``:``
    (a Logstash type, ``int``/``float``, or a Datadog filter such as ``nullIf("-")``)."""

    text: str
    name: str
    args: tuple[str, ...]
    field: str | None
    extra: str | None


@dataclass(frozen=True, slots=True)
class GrokField:
    """A captured field: the regex ``group`` holding it, the ``field`` as written, its
    ``path`` (``[client][ip]`` is ``("client", "ip")``; anything else one key) and
    ``extra`` (the type suffix or filter, None when not written)."""

    group: str
    field: str
    path: tuple[str, ...]
    extra: str | None
    ref: GrokRef | None


@dataclass(frozen=True, slots=True)
class GrokUse:
    """Where a reference went: ``span`` is the group it became in the expanded text;
    ``depth`` 0 for a reference written in the expression, more inside definitions."""

    ref: GrokRef
    span: A.Span
    depth: int


@dataclass(frozen=True, slots=True)
class Grok:
    """A compiled grok expression: the expanded regex ``text``, its AST ``pattern`` (in the
    flavour that accepts it: ``re`` where it can), the captured ``fields`` in written order
    and every reference's ``uses``."""

    expression: str
    text: str
    pattern: A.Pattern
    fields: tuple[GrokField, ...]
    uses: tuple[GrokUse, ...]

    @property
    def flavor(self) -> A.Flavor:
        return self.pattern.flavor


def read_definitions(text: str) -> dict[str, str]:
    """``NAME REGEX`` lines (Logstash's ``patterns_dir`` files): blank lines and ``#``
    comments skipped; the regex is the rest of the line after the first run of blanks."""
    table: dict[str, str] = {}
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        name, *rest = line.split(None, 1)
        definition = rest[0].strip() if rest else ""
        if not definition or not _is_name(name):
            raise RxpError(f"grok definitions, line {number}: want 'NAME REGEX', not {raw!r}")
        table[name] = definition
    return table


@functools.cache
def library(dialect: str = "legacy") -> Mapping[str, str]:
    """The standard definitions: logstash-patterns-core's legacy files (every name VRL's
    ``parse_grok`` knows: COMBINEDAPACHELOG, SYSLOGLINE, HTTPDATE, ...); ``datadog`` adds
    Datadog's lower-case matchers (``word``, ``notSpace``, ``integerStr``) that VRL's
    ``parse_groks`` resolves."""
    folder = os.path.join(grammar_dir(), "grok")
    table: dict[str, str] = {}
    for entry in sorted(os.listdir(folder)):
        path = os.path.join(folder, entry)
        if entry.isupper() or "." in entry or not os.path.isfile(path):
            continue  # LICENSE, NOTICE.TXT, README.md, datadog/
        with open(path, encoding="utf-8") as file:
            table.update(read_definitions(file.read()))
    if dialect == "datadog":
        with open(os.path.join(folder, "datadog", "core.pattern"), encoding="utf-8") as file:
            table.update(read_definitions(file.read()))
    return table


def _is_name(name: str) -> bool:
    return bool(name) and all(c.isalnum() or c in "_-." for c in name)


def _group_name_ok(name: str) -> bool:
    return name.isidentifier() and name.isascii()


def _unquote(text: str) -> str:
    """A quoted argument's content: ``\\"`` and ``\\\\`` unescaped, other escapes kept."""
    out: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text) and text[i + 1] in '"\\':
            out.append(text[i + 1])
            i += 2
            continue
        out.append(ch)
        i += 1
    return "".join(out)


def _outside_quotes(text: str, start: int = 0) -> Iterator[tuple[int, str]]:
    """``(index, character)`` of ``text`` from ``start``, double-quoted arguments skipped
    (inside one, a backslash escapes the next character)."""
    quoted = False
    i = start
    while i < len(text):
        ch = text[i]
        if quoted:
            if ch == "\\":
                i += 1
            elif ch == '"':
                quoted = False
        elif ch == '"':
            quoted = True
        else:
            yield i, ch
        i += 1


def _split_top(text: str, sep: str) -> list[str]:
    """``text`` cut at ``sep`` outside double quotes and parentheses."""
    parts: list[str] = []
    depth = 0
    start = 0
    for i, ch in _outside_quotes(text):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == sep and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return parts


def _call(text: str) -> tuple[str, tuple[str, ...]]:
    """``name("a", 2)`` -> ``("name", ("a", "2"))``; a bare name has no arguments."""
    head, paren, rest = text.partition("(")
    if not paren:
        return text.strip(), ()
    if not rest.endswith(")"):
        raise RxpError(f"grok: unbalanced parenthesis in {text!r}")
    args = []
    for arg in _split_top(rest[:-1], ","):
        arg = arg.strip()
        if len(arg) >= 2 and arg[0] == '"' and arg[-1] == '"':
            args.append(_unquote(arg[1:-1]))
        elif arg:
            args.append(arg)
    return head.strip(), tuple(args)


def split_reference(text: str) -> GrokRef:
    """Read one ``%{...}`` (the whole text, braces included)."""
    body = text[2:-1]
    parts = _split_top(body, ":")
    name, args = _call(parts[0])
    if not name:
        raise RxpError(f"grok: no pattern name in {text!r}")
    field = parts[1] if len(parts) > 1 and parts[1] else None
    extra = ":".join(parts[2:]) if len(parts) > 2 else None
    return GrokRef(text=text, name=name, args=args, field=field, extra=extra or None)


def _reference_end(text: str, start: int) -> int:
    """The index just past the ``}`` closing the reference at ``start`` (``%{``), skipping
    quoted arguments (``%{regex("[a-z]{2}"):x}``); -1 when it is not closed."""
    for i, ch in _outside_quotes(text, start + 2):
        if ch == "}":
            return i + 1
    return -1


def _path(field: str) -> tuple[str, ...]:
    """Logstash's field reference ``[a][b]`` as a path; any other name is one key."""
    if field.startswith("[") and field.endswith("]"):
        inner = field[1:-1].split("][")
        if all(part and "[" not in part and "]" not in part for part in inner):
            return tuple(inner)
    return (field,)


Inline = Callable[[GrokRef], str | None]


class _Expander:
    """One expansion: the output pieces, the groups named so far, the fields and uses."""

    def __init__(
        self,
        table: Mapping[str, str],
        custom: frozenset[str],
        onig: bool,
        inline: Inline | None,
    ) -> None:
        self.table = table
        self.custom = custom
        self.onig = onig
        self.inline = inline
        self.out: list[str] = []
        self.size = 0
        self.groups: set[str] = set()
        self.fields: list[GrokField] = []
        self.uses: list[GrokUse] = []
        self.stack: list[str] = []
        self.counter = 0

    def emit(self, text: str) -> None:
        self.out.append(text)
        self.size += len(text)

    def group_for(self, field: str) -> str:
        """``field`` itself when it can name a group and is not taken, else ``_gN``."""
        if _group_name_ok(field) and field not in self.groups and not field.startswith("_g"):
            self.groups.add(field)
            return field
        while f"_g{self.counter}" in self.groups:
            self.counter += 1
        name = f"_g{self.counter}"
        self.groups.add(name)
        return name

    def capture(self, field: str, extra: str | None, ref: GrokRef | None) -> str:
        group = self.group_for(field)
        self.fields.append(GrokField(group, field, _path(field), extra, ref))
        return group

    def text(self, text: str, onig: bool, depth: int) -> None:
        """Copy regex ``text``, expanding references and translating Oniguruma's
        spellings (when ``onig``)."""
        i = 0
        n = len(text)
        in_class = False
        class_start = -1
        emit = self.emit
        while i < n:
            ch = text[i]
            if ch == "\\" and i + 1 < n:
                nxt = text[i + 1]
                if onig and nxt == "h":
                    emit(_HEX if in_class else f"[{_HEX}]")
                elif onig and nxt == "H" and not in_class:
                    emit(f"[^{_HEX}]")
                elif nxt == "z" and not in_class:
                    emit("\\Z")
                else:
                    emit(text[i : i + 2])
                i += 2
                continue
            if in_class:
                if ch == "[" and text.startswith("[:", i):
                    end = text.find(":]", i + 2)
                    if end > 0:
                        emit(text[i : end + 2])
                        i = end + 2
                        continue
                if ch == "]" and i > class_start:
                    in_class = False
                emit(ch)
                i += 1
                continue
            if ch == "[":
                in_class = True
                j = i + 1
                if j < n and text[j] == "^":
                    j += 1
                if j < n and text[j] == "]":
                    j += 1  # a ']' first in a class is a literal
                emit(text[i:j])
                class_start = j
                i = j
                continue
            if ch == "%" and text.startswith("%{", i):
                end = _reference_end(text, i)
                if end > 0:
                    self.reference(split_reference(text[i:end]), depth)
                    i = end
                    continue
            if ch == "(":
                i = self.open_group(text, i, onig)
                continue
            emit(ch)
            i += 1

    def open_group(self, text: str, i: int, onig: bool) -> int:
        """Copy the opening of the group at ``i``; returns where its body starts."""
        rest = text[i + 1 : i + 3]
        if not rest.startswith("?") and not rest.startswith("*"):
            self.emit("(?:")  # Oniguruma captures only named groups once there are any
            return i + 1
        if rest in ("?<", "?'") or text.startswith("(?P<", i):
            start = i + (4 if text.startswith("(?P<", i) else 3)
            close = ">" if text[start - 1] == "<" else "'"
            if start < len(text) and text[start] not in "=!":
                end = text.find(close, start)
                if end > start:
                    field = text[start:end]
                    self.emit(f"(?P<{self.capture(field, None, None)}>")
                    return end + 1
        if rest == "?#":
            end = text.find(")", i)
            if end > 0:
                return end + 1  # a comment: dropped, so it cannot hide a reference
        if onig and rest[:1] == "?" and rest[1:2] and rest[1:2] in "imsx-":
            j = i + 2
            while j < len(text) and text[j] in "imsx-":
                j += 1
            if j < len(text) and text[j] in "):":
                self.emit("(?" + text[i + 2 : j].replace("m", "s"))
                return j
        self.emit("(")
        return i + 1

    def reference(self, ref: GrokRef, depth: int) -> None:
        start = self.size
        group = self.capture(ref.field, ref.extra, ref) if ref.field is not None else None
        inlined = self.inline(ref) if self.inline is not None else None
        if inlined is not None:
            self.emit(f"(?P<{group}>" if group else "(?:")
            self.text(inlined, False, depth + 1)
            self.emit(")")
        else:
            definition = self.table.get(ref.name)
            if definition is None:
                raise RxpError(
                    f'The given pattern definition name "{ref.name}" could not be found '
                    "in the definition map"
                )
            if ref.name in self.stack or len(self.stack) >= _MAX_DEPTH:
                chain = " -> ".join([*self.stack, ref.name])
                raise RxpError(f"grok definitions refer to themselves: {chain}")
            onig = self.onig if ref.name in self.custom else True
            flags, body = _leading_flags(definition, onig)
            self.emit(f"(?P<{group}>" if group else "")
            self.emit(f"(?{flags}:" if flags else "(?:")
            self.stack.append(ref.name)
            self.text(body, onig, depth + 1)
            self.stack.pop()
            self.emit("))" if group else ")")
        self.uses.append(GrokUse(ref, A.Span(start, self.size), depth))


def _leading_flags(definition: str, onig: bool) -> tuple[str, str]:
    """A definition that opens with global flags, ``(?m)...``, as scoped flags and the rest
    (Python takes global flags only at the very start of a pattern)."""
    if not definition.startswith("(?"):
        return "", definition
    end = definition.find(")")
    letters = definition[2:end] if end > 2 else ""
    if not letters or any(c not in "imsx" for c in letters):
        return "", definition
    return (letters.replace("m", "s") if onig else letters), definition[end + 1 :]


def compile_grok(
    expression: str,
    definitions: Mapping[str, str] | None = None,
    *,
    dialect: str = "legacy",
    inline: Inline | None = None,
    onig: bool = True,
) -> Grok:
    """Expand ``expression`` with the standard library plus ``definitions`` (which win) and
    parse the result with rxp's parser. ``inline`` may supply the regex of a reference that
    names no definition (VRL's ``parse_groks``: ``regex("...")``); ``onig=False`` leaves the
    expression's own flag letters alone (Datadog's rules are written with ``(?s)``).
    Raises ``RxpError`` for an unknown name, a cycle or an expansion no engine accepts."""
    from ._parse import parse

    table = dict(library(dialect))
    custom = frozenset(definitions or ())
    table.update(definitions or {})
    expander = _Expander(table, custom, onig, inline)
    flags, body = _leading_flags(expression, onig)
    if flags:
        expander.emit(f"(?{flags})")
    expander.text(body, onig, 0)
    text = "".join(expander.out)
    if not text:
        raise RxpError(f"The given pattern {expression!r} ended up compiling into an empty regex")
    try:
        pattern = parse(text, flavor="re")
    except PatternError:
        try:
            pattern = parse(text, flavor="regex")
        except PatternError as exc:
            raise RxpError(
                f"grok expression {expression!r} expands to an invalid regex: {exc}"
            ) from None
    return Grok(
        expression=expression,
        text=text,
        pattern=pattern,
        fields=tuple(expander.fields),
        uses=tuple(expander.uses),
    )
