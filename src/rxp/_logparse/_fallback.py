"""``--pattern P``: fields from P's named groups, and the structured fallback.

The direct path is ``re.search``: named groups that took part become string fields
(``_format: "pattern"``); when the fallback cannot do better because the line itself is
unbalanced, the record keeps that match's fields next to the ``_error``.

When P does not match, or a named group's capture is unbalanced (it cut a quoted or
bracketed value in the wrong place), the fallback walks P's AST
(``rxp._syntax._parse.parse``): P's top-level sequence becomes a plan of *segments*, kept as
written:

- anchors (``^``, ``$``, ``\\A``, ``\\Z``) check the position;
- runs of literal characters are separators that must appear exactly there;
- every other item (a group, ``\\s+``, ``.*``) is matched by its own sub-regex, compiled from
  its source text with P's flags and a lookahead for the separator that follows it.

A group whose sub-regex match is unbalanced, or fails, and whose text at that position opens
a quote or bracket, is read instead as one balanced value (``_scan.balanced_end``), and the
walk continues with the next separator. A group written between two quotes
(``"(?P<req>[^"]*)"``) is a *quoted* group: its value is the inside of the string that the
first quote opens, read with backslash escapes (``GET /a\\"b``, kept as written), and
brackets inside it do not count. A direct match is trusted only when every quoted group's
value could be the inside of such a string (no unescaped quote, no escaped closing quote)
and every other group's value is balanced. Captured values are always the text of the line
(the balanced value's whole text: ``{"a":"} x"}``), so both paths give the same types.
Records say ``_format: "pattern+fallback"``. A line neither path reads yields an error with
the column where the walk stopped and every group read before it: the line is never dropped.

Time stays linear in the line whatever it holds: ``_scan`` measures each value in one pass,
and one memo per line (``_scan.Memo``) keeps every value measured, so walking from up to
``_MAX_STARTS`` places never measures the same value twice.

Every match, direct or in the walk, draws on one time budget per line (``timeout``
seconds, 0 for none) through ``rxp._analysis._budget``: a catastrophic pattern is answered
exactly by RE2 where the pattern and the line allow it, and a line still over budget
becomes an error record (``matching took over 1s``), never a record that reads as read.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any

from .._analysis._budget import Budgeted, Clock, OutOfTime, with_room
from .._errors import PatternError
from .._syntax import _ast as A
from ._records import LineError, Record, safe_key
from ._scan import Memo, balanced_end, is_balanced, string_body
from ._timed import TIMED_OUT

__all__ = ["TIMED_OUT", "PatternParser", "Segment", "plan"]

"""How the ``_error`` of a line skipped for time begins."""

_OPENERS = "{[(<\"'"
_MAX_STARTS = 64
_LONG = 16_384  # characters: past this, fewer starts, so the walk stays a few passes long


def _max_starts(n: int) -> int:
    """How many places an unanchored walk is tried from on a line of ``n`` characters:
    ``_MAX_STARTS``, and on a long line as many as keep the total work near ``_MAX_STARTS``
    passes over ``_LONG`` characters (each try can cost a pass over the line)."""
    return _MAX_STARTS if n <= _LONG else max(2, _MAX_STARTS * _LONG // n)


@dataclass(frozen=True, slots=True)
class Segment:
    """One step of the fallback walk. ``kind`` is ``start``/``end`` (an anchor), ``literal``
    (``text`` must appear here) or ``regex`` (``source`` matched here; ``name`` set for a
    named group)."""

    kind: str
    text: str = ""
    source: str = ""
    name: str | None = None
    quote: str = ""  # `"` or `'` for a group written between two of them
    compiled: Budgeted | None = field(default=None, compare=False)  # with its look-ahead
    bare: Budgeted | None = field(default=None, compare=False)


def _items(node: A.Node) -> list[A.Node]:
    match node:
        case A.Concat(items=items):
            out: list[A.Node] = []
            for item in items:
                out.extend(_items(item))
            return out
        case A.NonCapture(body=body, on="", off=""):
            return _items(body)
        case A.Trivia() | A.Comment() | A.InlineFlags() | A.Empty():
            return []
        case _:
            return [node]


def plan(pattern: A.Pattern) -> list[Segment] | None:
    """The segments of ``pattern``'s top-level sequence; ``None`` when the pattern is not a
    sequence the walk can follow (a top-level alternation, a backreference, ...)."""
    text = pattern.text
    segments: list[Segment] = []
    for node in _items(pattern.body):
        match node:
            case A.Anchor(kind="line_start" | "text_start"):
                segments.append(Segment("start"))
            case A.Anchor(kind="line_end" | "text_end"):
                segments.append(Segment("end"))
            case A.Literal(char=char):
                if segments and segments[-1].kind == "literal":
                    last = segments.pop()
                    segments.append(Segment("literal", text=last.text + char))
                else:
                    segments.append(Segment("literal", text=char))
            case A.Alternation() | A.Backref() | A.Conditional() | A.Recursion():
                return None
            case A.Capture(name=name, body=body):
                segments.append(Segment("regex", source=body.span.slice(text), name=name))
            case _:
                segments.append(Segment("regex", source=node.span.slice(text)))
    return [_quoted(segments, i) for i in range(len(segments))]


def _quoted(segments: list[Segment], i: int) -> Segment:
    """``segments[i]``, marked quoted when it is a named group between a literal that ends
    with a quote and one that starts with the same quote."""
    seg = segments[i]
    if seg.kind != "regex" or seg.name is None or i == 0 or i + 1 >= len(segments):
        return seg
    before, after = segments[i - 1], segments[i + 1]
    if before.kind != "literal" or after.kind != "literal":
        return seg
    quote = before.text[-1]
    if quote in "\"'" and after.text.startswith(quote):
        return Segment("regex", seg.text, seg.source, seg.name, quote)
    return seg


def _engine(flavor: A.Flavor) -> Any:
    """The module that runs ``flavor``: ``re``, or the ``regex`` package (no type stubs)."""
    return re if flavor == "re" else importlib.import_module("regex")


def _compile(
    segments: list[Segment], flags: int, clock: Clock, flavor: A.Flavor
) -> list[Segment] | None:
    engine = _engine(flavor)
    out: list[Segment] = []
    for i, seg in enumerate(segments):
        if seg.kind != "regex":
            out.append(seg)
            continue
        nxt = segments[i + 1] if i + 1 < len(segments) else None
        ahead = twin = ""
        if nxt is not None and nxt.kind == "literal":
            ahead = f"(?={re.escape(nxt.text)})"
            twin = re.escape(nxt.text)  # RE2 has no look-ahead: match the literal, drop it
        elif nxt is not None and nxt.kind == "end":
            ahead = r"(?=\n?\Z)" if flags & re.MULTILINE == 0 else r"(?=$)"
            twin = "$"  # the same assertion, in either mode
        source = f"(?:{seg.source}){ahead}"
        try:
            compiled = with_room(engine.compile, source, flags)
            bare = with_room(engine.compile, seg.source, flags)
        except (engine.error, RecursionError, OverflowError, MemoryError):
            return None
        tail = len(nxt.text) if nxt is not None and nxt.kind == "literal" else 0
        timed = Budgeted(
            compiled,
            clock,
            flavor=flavor,
            source=source,
            flags=flags,
            twin=f"(?:{seg.source}){twin}",
            tail=tail,
        )
        plain = Budgeted(bare, clock, flavor=flavor, source=seg.source, flags=flags)
        out.append(Segment("regex", seg.text, seg.source, seg.name, seg.quote, timed, plain))
    return out


def nxt_literal(segments: list[Segment], seg: Segment) -> str:
    """The literal separator right after ``seg`` in ``segments`` (empty if none)."""
    i = segments.index(seg)
    if i + 1 < len(segments) and segments[i + 1].kind == "literal":
        return segments[i + 1].text
    return ""


class PatternParser:
    """A pattern compiled once for many lines: ``parser(line) -> (fields, format)``.

    Raises ``PatternError`` at construction for an invalid pattern or (unless ``named`` is
    false) one without named groups; per line it raises ``LineError`` (with the fields
    recovered) when neither the pattern nor the fallback reads the line. ``clock``: a
    budget shared with other parsers (``_patterns``' set of patterns, one budget a line);
    by default the parser's own, of ``timeout`` seconds.
    """

    def __init__(
        self,
        pattern: str,
        *,
        flavor: A.Flavor = "re",
        timeout: float = 1.0,
        clock: Clock | None = None,
        named: bool = True,
    ) -> None:
        from .._syntax._parse import parse

        tree: A.Pattern | None
        try:
            tree = parse(pattern, flavor=flavor)
        except PatternError:
            raise
        except Exception:  # the AST parser broke on a pattern: keep the direct path working
            tree = None
        engine = _engine(flavor)
        try:
            self.regex: Any = with_room(engine.compile, pattern)
        except engine.error as exc:  # the AST parser accepted it; the engine did not
            pos = getattr(exc, "pos", None) or 0
            message = str(getattr(exc, "msg", exc))
            raise PatternError(message, pattern=pattern, span=(pos, pos)) from None
        except (RecursionError, OverflowError, MemoryError) as exc:
            message = (
                f"pattern too large or too deeply nested for the engine ({type(exc).__name__})"
            )
            raise PatternError(message, pattern=pattern, span=(0, len(pattern))) from None
        if named and not self.regex.groupindex:
            raise PatternError(
                "the pattern has no named groups, so it would extract no fields "
                "(name them: (?P<name>...))",
                pattern=pattern,
                span=(0, len(pattern)),
            )
        self.names = tuple(self.regex.groupindex)
        self.tree = tree
        self.clock = Clock(timeout) if clock is None else clock
        self.direct = Budgeted(self.regex, self.clock, flavor=flavor, source=pattern, flags=0)
        raw_plan = plan(tree) if tree is not None else None
        self.segments = (
            _compile(raw_plan, self.regex.flags, self.clock, flavor)
            if raw_plan is not None
            else None
        )
        self.quoted = {s.name: s.quote for s in self.segments or () if s.quote and s.name}

    def session(self) -> AbstractContextManager[Clock]:
        """Hold for a run of many lines: the time budget's alarm stays in place."""
        return self.clock.session()

    def __call__(self, line: str) -> tuple[Record, str]:
        self.clock.start()
        try:
            return self.read(line)
        except OutOfTime as exc:
            raise LineError(f"{TIMED_OUT} {exc.seconds:g}s (--timeout); skipped", 1) from None

    def read(self, line: str) -> tuple[Record, str]:
        """``self(line)`` on a clock already started (raising ``OutOfTime`` when over)."""
        m = self.direct.search(line)
        direct: Record | None = None
        balanced = True
        if m is not None:
            found = {k: v for k, v in m.groupdict().items() if v is not None}
            direct = {safe_key(k): v for k, v in found.items()}
            quoted = self.quoted
            balanced = all(is_balanced(v) for k, v in found.items() if k not in quoted)
            if balanced and all(
                string_body(line, m.start(k), m.end(k), q) for k, q in quoted.items() if k in found
            ):
                return direct, "pattern"
        memo: Memo = {}
        try:
            fields = self._search(line, memo)
        except LineError as exc:
            if direct is not None and balanced:  # only a quote looked wrong: the line does
                return direct, "pattern"  # not escape its quotes, so the match stands
            if direct is not None:  # the line itself is unbalanced: say so, keep the match
                exc.fields = direct
                exc.format = "pattern"
            else:
                exc.format = "pattern+fallback"
            raise
        if fields == direct:  # nothing was cut: a stray quote in free text, say
            return direct, "pattern"
        return fields, "pattern+fallback"

    def _search(self, line: str, memo: Memo) -> Record:
        """The walk from the start of the line, or for a pattern without a start anchor,
        from each place its first segment matches (as ``re.search`` would try them), up to
        ``_max_starts`` places; the first error is reported when none succeeds."""
        segments = self.segments
        if segments is None:
            raise LineError("the pattern does not match (and it is not a plain sequence)", 1)
        try:
            return self._walk(line, 0, memo)
        except LineError as first_error:
            if not segments or segments[0].kind == "start":
                raise
            for start in self._starts(line, segments[0]):
                try:
                    return self._walk(line, start, memo)
                except LineError:
                    continue
            raise first_error from None

    @staticmethod
    def _starts(line: str, seg: Segment) -> Iterator[int]:
        count = 0
        pos = 1
        limit = _max_starts(len(line))
        while count < limit and pos < len(line):
            if seg.kind == "literal":
                pos = line.find(seg.text, pos)
                if pos < 0:
                    return
            elif seg.bare is not None:
                m = seg.bare.search(line, pos)
                if m is None:
                    return
                pos = m.start()
            yield pos
            count += 1
            pos += 1

    def _walk(self, line: str, pos: int, memo: Memo) -> Record:
        assert self.segments is not None
        fields: Record = {}
        n = len(line)
        for seg in self.segments:
            if seg.kind == "start":
                if pos != 0:
                    raise LineError("the pattern's start anchor is not at the start", pos + 1)
            elif seg.kind == "end":
                if line[pos:].rstrip("\n"):
                    raise LineError("the pattern ends but the line goes on", pos + 1, fields)
            elif seg.kind == "literal":
                if not line.startswith(seg.text, pos):
                    raise LineError(f"expected {seg.text!r}", pos + 1, fields)
                pos += len(seg.text)
            else:
                assert seg.compiled is not None
                m = seg.compiled.match(line, pos)
                text = m.group() if m is not None else None
                if seg.quote:
                    try:
                        text = self._quoted_value(line, pos, seg, m, memo)
                    except LineError as exc:  # a string never closed: say where it opened
                        exc.fields = fields
                        raise
                elif (
                    (text is None or not is_balanced(line, pos, pos + len(text), memo))
                    and pos < n
                    and line[pos] in _OPENERS
                ):
                    try:
                        end = balanced_end(line, pos, memo)
                    except LineError as exc:
                        exc.fields = fields
                        raise
                    text = line[pos:end]
                if text is None and seg.bare is not None and nxt_literal(self.segments, seg):
                    alone = seg.bare.match(line, pos)
                    if alone is not None:
                        after = alone.end()
                        if seg.name is not None:
                            fields[safe_key(seg.name)] = alone.group()
                        expected = nxt_literal(self.segments, seg)
                        raise LineError(f"expected {expected!r}", after + 1, fields)
                if text is None:
                    what = f"group {seg.name!r}" if seg.name else repr(seg.source)
                    raise LineError(f"{what} does not match here", pos + 1, fields)
                if seg.name is not None:
                    fields[safe_key(seg.name)] = text
                pos += len(text)
        return fields

    def _quoted_value(self, line: str, pos: int, seg: Segment, m: Any, memo: Memo) -> str | None:
        """A quoted group's value at ``pos`` (just past its opening quote): the sub-regex's
        match when it is a string's inside, else the inside of the string the quote opens,
        escapes honoured, when the next separator follows it; else the match as it is.
        Raises ``LineError`` when nothing matches and the string is never closed."""
        assert self.segments is not None
        if m is not None and string_body(line, pos, m.end(), seg.quote):
            return str(m.group())
        try:
            end = balanced_end(line, pos - 1, memo)
        except LineError:
            if m is None:
                raise
            end = -1
        if end > 0 and line.startswith(nxt_literal(self.segments, seg), end - 1):
            return line[pos : end - 1]
        return None if m is None else str(m.group())
