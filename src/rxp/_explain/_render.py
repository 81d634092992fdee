"""Text rendering of an ``Explanation``: the summary block, the aligned tree and the brief.

``render_lines`` returns lines of ``(text, style)`` segments; ``render_text`` joins them
into plain text (no escape codes, for pipes and files). A terminal caller turns the same
segments into colour with rich (``rxp.cli.explain``), so plain output never imports rich.
Styles are rich style names, or None.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._words import escaped

if TYPE_CHECKING:
    from ._model import ExplainedNode, Explanation

__all__ = ["Line", "Segment", "render_brief", "render_lines", "render_text"]

Segment = tuple[str, str | None]
Line = list[Segment]

_SLICE_STYLE = "cyan"
_HEAD_STYLE = "bold"
_DIM = "dim"
_WARN = "yellow"
_MAX_SLICE = 40
_PIPE = "\N{BOX DRAWINGS LIGHT VERTICAL}   "
_SPACE = "    "
_DASHES = "\N{BOX DRAWINGS LIGHT HORIZONTAL}" * 2 + " "
_TEE = "\N{BOX DRAWINGS LIGHT VERTICAL AND RIGHT}" + _DASHES
_LAST = "\N{BOX DRAWINGS LIGHT UP AND RIGHT}" + _DASHES


def _visible(text: str) -> str:
    """One cell per code point so columns line up: invisible characters become a dot."""
    return "".join(ch if ch.isprintable() else "\N{MIDDLE DOT}" for ch in text)


def _shown(text: str) -> str:
    """A slice for the tree: spaces at its edges made visible (U+2423), so that a slice of
    blanks is not an empty cell."""
    core = text.strip(" ")
    if core == text:
        return _visible(text)
    lead = len(text) - len(text.lstrip(" "))
    trail = len(text) - len(text.rstrip(" ")) if core else 0
    return "\N{OPEN BOX}" * lead + _visible(core) + "\N{OPEN BOX}" * trail


def _quoted(text: str, limit: int = 60) -> str:
    """A sample string shown whole, in double quotes, invisible characters escaped."""
    return '"' + _clip(escaped(text).replace('"', '\\"'), limit) + '"'


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "\N{HORIZONTAL ELLIPSIS}"


def _summary_lines(exp: Explanation) -> list[Line]:
    s = exp.summary
    lines: list[Line] = []

    def field(name: str, *value: Segment) -> None:
        lines.append([(f"{name:<10}", _HEAD_STYLE), *value])

    field("summary", (exp.brief, None))
    field("pattern", (_visible(exp.pattern.text), _SLICE_STYLE))
    if exp.idioms:
        found = ", ".join(f"{i.name} `{_clip(_visible(i.text), 40)}`" for i in exp.idioms)
        field("idioms", (found, None))
    if exp.examples:
        shown = ", ".join(_quoted(e.text) for e in exp.examples)
        field("matches", (shown, _SLICE_STYLE), ("  (each checked on the engine)", _DIM))
    for i, miss in enumerate(exp.near_misses):
        where = exp.pattern.text[miss.span[0] : miss.span[1]]
        why = f"  {miss.why} (`{_clip(_visible(where), 30)}`)"
        field("rejects" if i == 0 else "", (_quoted(miss.text), _SLICE_STYLE), (why, _DIM))
    field("flavor", (s.flavor, None))
    flags = "; ".join(f"{letter} ({word})" for letter, word in _flag_pairs(s.flags, s.flag_words))
    field("flags", (flags or "none", None))
    field("anchoring", (s.anchoring, None))
    field("length", (_length(s.min_width, s.max_width), None))
    empty = "yes" if s.matches_empty else "no"
    field(
        "empty", (f"{empty}: {'can' if s.matches_empty else 'cannot'} match the empty string", None)
    )
    if not s.groups:
        field("groups", ("none", None))
        return lines
    header = ["#", "name", "span", "optional", "repeated", "text"]
    rows = [
        [
            str(g.index),
            g.name or "-",
            f"{g.span.start}-{g.span.end}",
            "yes" if g.optional else "no",
            "yes (last kept)" if g.repeated else "no",
            _clip(_visible(g.text), 50),
        ]
        for g in s.groups
    ]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def cells(values: list[str]) -> str:
        return "  ".join(v.ljust(w) for v, w in zip(values, widths, strict=True)).rstrip()

    field("groups", (cells(header), _DIM))
    for r in rows:
        lines.append([(" " * 10, None), (cells(r), None)])
    return lines


def _length(low: int, high: int | None) -> str:
    """ "exactly 3 characters", "1 to 4 characters", "at least 2 characters (unbounded)"."""

    def chars(n: int) -> str:
        return f"{n} character" if n == 1 else f"{n} characters"

    if high is None:
        return f"at least {chars(low)} (no upper limit: unbounded)"
    if low == high:
        return f"exactly {chars(low)}"
    return f"{low} to {chars(high)}"


def _flag_pairs(letters: str, words: tuple[str, ...]) -> list[tuple[str, str]]:
    from .._syntax._flags import split_flags

    return list(zip(split_flags(letters), words, strict=False))


def _tree_lines(root: ExplainedNode, width: int | None) -> list[Line]:
    # (branch prefix, slice, sentence, prefix for a wrapped sentence's next lines)
    entries: list[tuple[str, str, str, str]] = []

    def visit(node: ExplainedNode, lead: str, branch: str) -> None:
        more = lead + ("\N{BOX DRAWINGS LIGHT VERTICAL}" if node.children else "")
        entries.append((branch, _clip(_shown(node.text), _MAX_SLICE), node.sentence, more))
        kids = node.children
        for i, kid in enumerate(kids):
            last = i == len(kids) - 1
            visit(kid, lead + (_SPACE if last else _PIPE), lead + (_LAST if last else _TEE))

    for child in root.children:
        visit(child, "", "")
    if not entries:
        return []
    column = min(max(len(p) + len(t) for p, t, _, _ in entries), _MAX_SLICE + 12) + 2
    room = None if width is None or width - column < 24 else width - column
    lines: list[Line] = []
    for prefix, text, sentence, more in entries:
        pad = max(2, column - len(prefix) - len(text))
        first, *rest = _wrap(sentence, room)
        lines.append([(prefix, _DIM), (text, _SLICE_STYLE), (" " * pad, None), (first, None)])
        for part in rest:
            lines.append([(more, _DIM), (" " * (column - len(more)), None), (part, None)])
    return lines


def _wrap(sentence: str, room: int | None) -> list[str]:
    if room is None or len(sentence) <= room:
        return [sentence]
    import textwrap

    return textwrap.wrap(sentence, room, break_long_words=False, break_on_hyphens=False)


def render_lines(exp: Explanation, *, width: int | None = None) -> list[Line]:
    """Summary, a blank line, the tree, and any warnings, as styled segments. With a
    ``width`` (a terminal's), long sentences wrap under their own column."""
    lines = _summary_lines(exp)
    lines.append([])
    lines.extend(_tree_lines(exp.tree, width))
    if exp.warnings:
        lines.append([])
        for w in exp.warnings:
            growth = "exponential" if w.degree == "exponential" else f"degree {w.degree}"
            lines.append(
                [
                    ("warning", _WARN),
                    (f" ({growth}) at {w.span.start}-{w.span.end}: {w.message}", None),
                ]
            )
            if w.attack is not None:
                prefix, pump, suffix = w.attack
                said = "checked on the engine: time grows so" if w.verified else "not confirmed"
                attack = f"{_quoted(prefix)} + {_quoted(pump)} * n + {_quoted(suffix)}"
                lines.append(
                    [("      attack  ", _DIM), (attack, _SLICE_STYLE), (f"  ({said})", _DIM)]
                )
    if exp.lints:
        lines.append([])
        for lint in exp.lints:
            where = f" at {lint.span.start}-{lint.span.end}: "
            lines.append(
                [("lint", _WARN), (f" {lint.id}", _HEAD_STYLE), (where + lint.message, None)]
            )
            if lint.fix is not None:
                note = "  (changes what it matches: review it)" if lint.changes_meaning else ""
                lines.append(
                    [("      fix  ", _DIM), (_visible(lint.fix), _SLICE_STYLE), (note, _DIM)]
                )
    return lines


def render_text(exp: Explanation, *, width: int | None = None) -> str:
    """The explanation as plain text, ending with a newline (one line per row unless a
    ``width`` is given)."""
    lines = render_lines(exp, width=width)
    return "".join("".join(text for text, _ in line).rstrip() + "\n" for line in lines)


def render_brief(exp: Explanation) -> str:
    """The one-sentence brief, ending with a newline."""
    return exp.brief + "\n"
