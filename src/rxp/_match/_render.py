"""Show a ``MatchReport``: the subject with its matches marked, a table per match, or JSON.

Pure: the renderers return lines of ``(text, style)`` segments; the CLI joins them (plain)
or hands them to rich (colour). Two ways to mark matches, so adjacent matches stay apart:

- colour: matches alternate two background colours; an empty match is a ``│`` inserted at
  its position;
- plain (a pipe, ``NO_COLOR``): under each text line a marker line with ``^`` under the
  characters of odd-numbered matches and ``~`` under even-numbered ones (``|`` for an empty
  match, one column past the end of the line for a matched newline), then a line with each
  match's number under its first character where it fits.

Text is shown one display cell per character where possible: a tab as ``→``, other control
characters as ``·``, wide (East Asian) characters as two cells, so markers line up.
"""

from __future__ import annotations

import unicodedata
from typing import TypeAlias

from ._report import MatchReport, MatchResult, SubjectMatches

__all__ = ["Line", "render_lines", "render_text", "report_document"]

Segment: TypeAlias = tuple[str, str | None]
Line: TypeAlias = list[Segment]

JSON_VERSION = 1
_STYLES = ("bold black on bright_green", "bold black on bright_cyan")
_EMPTY_STYLE = "bold magenta"


def _visible(char: str) -> str:
    if char == "\t":
        return "→"
    if "\ud800" <= char <= "\udfff":
        return "\ufffd"
    if not char.isprintable() and char != " ":
        return "·"
    return char


def _width(char: str) -> int:
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def _quote(text: str) -> str:
    """A value as a Python string literal, so spaces, tabs and newlines are visible."""
    return repr(text)


def _lines_of(text: str) -> list[tuple[int, int]]:
    """(start, end) of each line, ``end`` excluding the newline."""
    spans = []
    start = 0
    while True:
        end = text.find("\n", start)
        if end < 0:
            spans.append((start, len(text)))
            return spans
        spans.append((start, end))
        start = end + 1


def _on_line(match: MatchResult, start: int, end: int) -> bool:
    """Whether the match shows on the line ``[start, end)``; a match of the newline at
    ``end`` shows on this line, an empty match at ``end`` too."""
    if match.start == match.end:
        return start <= match.start <= end
    return match.start <= end and match.end > start


def _subject_lines(subject: SubjectMatches, colour: bool) -> list[Line]:
    out: list[Line] = []
    for start, end in _lines_of(subject.text):
        here = [m for m in subject.matches if _on_line(m, start, end)]
        line = subject.text[start:end]
        if colour:
            out.append(_coloured(line, start, here))
        else:
            out.extend(_marked(line, start, here))
    return out


def _coloured(line: str, offset: int, matches: list[MatchResult]) -> Line:
    segments: Line = [("  ", None)]
    cursor = offset
    for match in matches:
        begin = max(match.start, offset)
        finish = min(match.end, offset + len(line))
        if begin > cursor:
            segments.append(("".join(map(_visible, line[cursor - offset : begin - offset])), None))
        style = _STYLES[(match.number - 1) % 2]
        if match.start == match.end:
            segments.append(("│", _EMPTY_STYLE))
        else:
            shown = "".join(map(_visible, line[begin - offset : finish - offset]))
            if match.end > offset + len(line):
                shown += "↵"
            segments.append((shown, style))
        cursor = max(cursor, finish)
    if cursor < offset + len(line):
        segments.append(("".join(map(_visible, line[cursor - offset :])), None))
    return segments


def _marked(line: str, offset: int, matches: list[MatchResult]) -> list[Line]:
    columns = [0]
    for char in line:
        columns.append(columns[-1] + _width(char))
    text = "".join(map(_visible, line))
    if not matches:
        return [[("  " + text, None)]]
    marks = [" "] * (columns[-1] + 1)
    labels = [" "] * (columns[-1] + 8)
    free = 0
    for match in matches:
        mark = "^" if match.number % 2 else "~"
        if match.start == match.end:
            marks[columns[match.start - offset]] = "|"
        else:
            first = max(match.start, offset) - offset
            stop = min(match.end, offset + len(line) + 1) - offset
            for position in range(first, stop):
                left = columns[position] if position < len(line) else columns[-1]
                right = columns[position + 1] if position < len(line) else columns[-1] + 1
                for cell in range(left, right):
                    marks[cell] = mark
        if offset <= match.start <= offset + len(line):
            column = columns[match.start - offset]
            label = str(match.number)
            if column >= free:
                if column + len(label) > len(labels):
                    labels.extend(" " * len(label))
                labels[column : column + len(label)] = label
                free = column + len(label) + 1
    out: list[Line] = [[("  " + text, None)], [("  " + "".join(marks).rstrip(), None)]]
    numbers = "".join(labels).rstrip()
    if numbers:
        out.append([("  " + numbers, None)])
    return out


_Row: TypeAlias = tuple[str, str, str | None]


def _rows(match: MatchResult) -> list[_Row]:
    """``match N``, its span and text, then one row per group (``unset`` has no value)."""
    rows: list[_Row] = [(f"match {match.number}", f"{match.start}-{match.end}", _quote(match.text))]
    for group in match.groups:
        name = f"  group {group.number}" + (f" <{group.name}>" if group.name else "")
        if group.span is None:
            rows.append((name, "unset", None))
        else:
            rows.append((name, f"{group.span[0]}-{group.span[1]}", _quote(group.value or "")))
    return rows


def _table(matches: tuple[MatchResult, ...]) -> list[Line]:
    """The rows of every match of a subject, in columns aligned across the subject."""
    rows = [row for match in matches for row in _rows(match)]
    if not rows:
        return []
    left = max(len(r[0]) for r in rows)
    middle = max(len(r[1]) for r in rows)
    out: list[Line] = []
    for name, where, value in rows:
        line: Line = [(f"  {name:<{left}}", None if name.startswith(" ") else "bold")]
        if value is None:
            line.append((f"  {where}", "dim"))
        else:
            line += [(f"  {where:<{middle}}", "cyan"), (f"  {value}", None)]
        out.append(line)
    return out


def render_lines(report: MatchReport, *, colour: bool) -> list[Line]:
    """Every line of the human-readable form, as styled segments (see module doc)."""
    out: list[Line] = []
    several = len(report.subjects) > 1
    for subject in report.subjects:
        count = len(subject.matches)
        noun = "match" if count == 1 else "matches"
        heading = f"subject {subject.number}: " if several else ""
        summary = f"{count} {noun}" if count else "no match"
        if report.mode == "fullmatch":
            summary = "matches in full" if count else "does not match in full"
        if subject.timed_out:
            summary = f"not known: matching took over {report.timeout:g}s (--timeout)"
        out.append([(heading + summary, "bold")])
        out.extend(_subject_lines(subject, colour))
        out.extend(_table(subject.matches))
        if several:
            out.append([])
    if several and out and not out[-1]:
        out.pop()
    return out


def render_text(report: MatchReport) -> str:
    """The plain form: what a pipe reader or ``NO_COLOR`` sees."""
    return "".join(
        "".join(t for t, _ in line) + "\n" for line in render_lines(report, colour=False)
    )


def report_document(report: MatchReport) -> dict[str, object]:
    """The ``--json`` document; its shape is described in docs/test-json.md."""
    return {
        "version": JSON_VERSION,
        "pattern": report.pattern,
        "flavor": report.flavor,
        "flags": report.flags,
        "mode": report.mode,
        "groups": [{"number": g.number, "name": g.name} for g in report.groups],
        "matched": report.matched,
        "match_count": report.match_count,
        "subjects": [
            {
                "number": s.number,
                "text": s.text,
                "timed_out": s.timed_out,
                "matches": [
                    {
                        "number": m.number,
                        "span": list(m.span),
                        "text": m.text,
                        "groups": [
                            {
                                "number": g.number,
                                "name": g.name,
                                "span": None if g.span is None else list(g.span),
                                "value": g.value,
                            }
                            for g in m.groups
                        ],
                    }
                    for m in s.matches
                ],
            }
            for s in report.subjects
        ],
    }
