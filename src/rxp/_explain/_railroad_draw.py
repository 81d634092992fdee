"""The geometry of a railroad diagram and its printing as SVG; knows nothing of regexes.

A diagram is a tree of items (``Box``, ``Seq``, ``Choice``, ``Loop``, ``Frame``, ``Skip``),
each built with its size: ``width`` and, around the track it is threaded on, ``up`` above and
``down`` below. The track enters every item at its left edge and leaves at its right edge on
the same line. Sizes are whole pixels, text measured at a fixed advance per character
(monospace, wide East Asian characters counted twice) and pinned to that width with
``textLength``, so the layout holds whatever font the viewer has.

``svg(item, title)`` prints a standalone document: pure ASCII (everything else as character
references), a ``viewBox`` with ``width`` and ``height``, its own stylesheet. Every item is
a ``<g class="rr-KIND" data-span="START END">`` holding its shapes and, in written order,
the groups of its parts, so the nesting of the picture is the nesting of the pattern. Within
one group the parts' groups and the group's own labels never overlap; all of it lies inside
the ``viewBox``. Printing uses an explicit stack: any depth of nesting is fine.
"""

from __future__ import annotations

import unicodedata
from typing import TypeAlias, assert_never

from .._syntax._ast import Span
from .._syntax._record import value

__all__ = ["Box", "Choice", "Frame", "Item", "Loop", "Seq", "Skip", "svg", "text_width"]

FONT = 12  # box text, px; monospace advance 0.6 em
SMALL = 10  # labels of frames and loops
BOX_HALF = 12  # a box is 24 px high, centred on the track
PAD = 8  # text to box edge; body to frame edge
GAP = 12  # track between the items of a sequence
R = 8  # radius of every bend
SPREAD = 8  # between the tracks of a choice, and around a loop's item
LEAD = 4  # straight track before and after the branches of a choice
MARGIN = 10  # around the whole picture
DOT = 5  # radius of the start and end markers


def text_width(text: str, size: int = FONT) -> int:
    """Pixels ``text`` takes at ``size`` in a monospace font."""
    columns = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return (columns * size * 3 + 4) // 5


@value
class Box:
    """A labelled box on the track: a literal, a class, an anchor."""

    kind: str
    span: Span
    label: str
    title: str
    width: int
    up: int = BOX_HALF
    down: int = BOX_HALF

    @staticmethod
    def of(kind: str, span: Span, label: str, title: str = "") -> Box:
        return Box(kind, span, label, title, text_width(label) + 2 * PAD)


@value
class Skip:
    """A bare stretch of track: an empty branch or group."""

    span: Span
    width: int = 0
    up: int = 0
    down: int = 0


@value
class Seq:
    """Parts one after another, left to right; two or more."""

    kind: str
    span: Span
    parts: tuple[Item, ...]
    width: int
    up: int
    down: int

    @staticmethod
    def of(kind: str, span: Span, parts: tuple[Item, ...]) -> Seq:
        width = sum(p.width for p in parts) + GAP * (len(parts) - 1)
        return Seq(kind, span, parts, width, max(p.up for p in parts), max(p.down for p in parts))


@value
class Choice:
    """Parallel tracks, stacked top to bottom in written order; ``levels`` are their lines
    relative to the track the choice is threaded on (negative above)."""

    kind: str
    span: Span
    parts: tuple[Item, ...]
    levels: tuple[int, ...]
    width: int
    up: int
    down: int

    @staticmethod
    def of(kind: str, span: Span, parts: tuple[Item, ...]) -> Choice:
        tops: list[int] = []
        height = 0
        for part in parts:
            tops.append(height)
            height += part.up + part.down + SPREAD
        height -= SPREAD
        if len(parts) % 2:  # the middle track runs straight through
            middle = parts[len(parts) // 2]
            centre = tops[len(parts) // 2] + middle.up
        else:
            centre = height // 2
        levels = tuple(t + p.up - centre for t, p in zip(tops, parts, strict=True))
        width = max(p.width for p in parts) + 4 * R + 2 * LEAD
        return Choice(kind, span, parts, levels, width, centre, height - centre)


@value
class Loop:
    """An item under a quantifier: a track over it when it may be skipped, a track back
    under it when it may repeat, and the count written underneath."""

    kind: str
    span: Span
    part: Item
    skip: bool
    again: bool
    label: str
    width: int
    up: int
    down: int

    @staticmethod
    def of(kind: str, span: Span, part: Item, skip: bool, again: bool, label: str) -> Loop:
        width = max(part.width + 4 * R, text_width(label, SMALL) + 2 * R)
        up = _skip_level(part) + 1 if skip else part.up
        below = _loop_level(part) if again else part.down
        return Loop(kind, span, part, skip, again, label, width, up, below + SMALL + 6)


@value
class Frame:
    """A box around a body with a label over its top left corner: a group."""

    kind: str
    span: Span
    part: Item
    label: str
    title: str
    width: int
    up: int
    down: int

    @staticmethod
    def of(kind: str, span: Span, part: Item, label: str, title: str = "") -> Frame:
        width = max(part.width + 2 * PAD, text_width(label, SMALL) + 4)
        up = part.up + PAD + SMALL + 4
        return Frame(kind, span, part, label, title, width, up, part.down + PAD)


Item: TypeAlias = Box | Skip | Seq | Choice | Loop | Frame


def _skip_level(part: Item) -> int:
    return max(part.up + SPREAD, 2 * R)


def _loop_level(part: Item) -> int:
    return max(part.down + SPREAD, 2 * R)


# --- printing ------------------------------------------------------------------------------

_STYLE = """
.rr{background:#fff}
.rr text{font-family:"DejaVu Sans Mono",Menlo,Consolas,monospace;font-size:12px;fill:#000}
.rr text.label{font-size:10px;fill:#333}
.rr path{fill:none;stroke:#6b6659;stroke-width:2}
.rr rect{stroke:#6b6659;stroke-width:1;fill:#dae9e5}
.rr rect.bg{fill:#fff;stroke:none}
.rr .rr-class>rect{fill:#cbcbba}
.rr .rr-escape>rect{fill:#bada55}
.rr .rr-reference>rect{fill:#bada55}
.rr .rr-anchor>rect,.rr .rr-flags>rect{fill:#6b6659}
.rr .rr-anchor>text,.rr .rr-flags>text{fill:#fff}
.rr .frame>rect{fill:none;stroke:#908c83;stroke-dasharray:6,2}
.rr .rr-capture>rect{fill:#f5f5ee}
.rr .rr-lookaround>rect{fill:#eaf2fa}
.rr circle{fill:#6b6659;stroke:#000;stroke-width:2}
"""


def svg(item: Item, title: str) -> str:
    """The whole picture: start marker, ``item``, end marker."""
    up = max(item.up, DOT + 1)
    width = item.width + 2 * (MARGIN + 2 * DOT + GAP)
    height = up + max(item.down, DOT + 1) + 2 * MARGIN
    y = MARGIN + up
    x = MARGIN + 2 * DOT + GAP
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="rr" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}">',
        f"<title>{escape(title)}</title>",
        f"<style>{_STYLE}</style>",
        f'<rect class="bg" x="0" y="0" width="{width}" height="{height}"/>',
        f'<circle cx="{MARGIN + DOT}" cy="{y}" r="{DOT}"/>',
        f'<path d="M{MARGIN + 2 * DOT} {y}H{x}M{x + item.width} {y}H{width - MARGIN - 2 * DOT}"/>',
        f'<circle cx="{width - MARGIN - DOT}" cy="{y}" r="{DOT}"/>',
    ]
    _draw(item, x, y, out)
    out.append("</svg>\n")
    return "\n".join(out)


def _draw(root: Item, x0: int, y0: int, out: list[str]) -> None:
    todo: list[tuple[Item, int, int] | str] = [(root, x0, y0)]
    while todo:
        task = todo.pop()
        if isinstance(task, str):
            out.append(task)
            continue
        item, x, y = task
        out.append(f'<g class="{_classes(item)}" data-span="{item.span.start} {item.span.end}">')
        todo.append("</g>")
        match item:
            case Box(label=label, title=title, width=w):
                if title:
                    out.append(f"<title>{escape(title)}</title>")
                out.append(_rect(x, y - BOX_HALF, w, 2 * BOX_HALF, 3))
                out.append(_text(x + PAD, y + 4, label, FONT))
            case Skip(width=w):
                out.append(f'<path d="M{x} {y}h{w}"/>')
            case Seq(parts=parts):
                at = x
                lines = []
                for i, part in enumerate(parts):
                    if i:
                        lines.append(f"M{at - GAP} {y}h{GAP}")
                    at += part.width + GAP
                out.append(f'<path d="{"".join(lines)}"/>')
                _later(todo, parts, _lined_up(parts, x, y))
            case Choice(parts=parts, levels=levels, width=w):
                start, end = x + 2 * R + LEAD, x + w - 2 * R - LEAD
                paths = []
                for part, level in zip(parts, levels, strict=True):
                    paths.append(
                        f"M{x} {y}h{LEAD}{_bend(level)}M{start + part.width} {y + level}"
                        f"H{end}{_bend(-level)}h{LEAD}"
                    )
                out.append(f'<path d="{"".join(paths)}"/>')
                _later(todo, parts, [(start, y + level) for level in levels])
            case Loop(part=part, skip=skip, again=again, label=label, width=w):
                left = x + (w - part.width) // 2
                right = left + part.width
                d = f"M{x} {y}H{left}M{right} {y}H{x + w}"
                if skip:
                    rise = _skip_level(part)
                    d += f"M{x} {y}{_bend(-rise)}H{x + w - 2 * R}{_bend(rise)}"
                if again:
                    d += _back(left, right, y, _loop_level(part))
                out.append(f'<path d="{d}"/>')
                base = y + (_loop_level(part) if again else part.down) + SMALL + 3
                size = text_width(label, SMALL)
                out.append(_text(x + (w - size) // 2, base, label, SMALL))
                _later(todo, (part,), [(left, y)])
            case Frame(part=part, label=label, title=title, width=w):
                if title:
                    out.append(f"<title>{escape(title)}</title>")
                top = y - part.up - PAD
                out.append(_rect(x, top, w, part.up + part.down + 2 * PAD, 3))
                out.append(_text(x + 2, top - 4, label, SMALL))
                left = x + (w - part.width) // 2
                out.append(f'<path d="M{x} {y}H{left}M{left + part.width} {y}H{x + w}"/>')
                _later(todo, (part,), [(left, y)])
            case _:
                assert_never(item)


def _classes(item: Item) -> str:
    match item:
        case Skip():
            return "rr-empty"
        case Frame(kind=kind):
            return f"rr-{kind} frame"
        case Box(kind=kind) | Seq(kind=kind) | Choice(kind=kind) | Loop(kind=kind):
            return f"rr-{kind}"
        case _:
            assert_never(item)


def _lined_up(parts: tuple[Item, ...], x: int, y: int) -> list[tuple[int, int]]:
    places = []
    for part in parts:
        places.append((x, y))
        x += part.width + GAP
    return places


def _later(
    todo: list[tuple[Item, int, int] | str],
    parts: tuple[Item, ...],
    places: list[tuple[int, int]],
) -> None:
    """Queue the parts so that they print in written order."""
    for part, (x, y) in reversed(list(zip(parts, places, strict=True))):
        todo.append((part, x, y))


def _bend(dy: int) -> str:
    """Relative path from heading east to heading east again ``dy`` lower, ``2R`` on."""
    if dy == 0:
        return f"h{2 * R}"
    if abs(dy) < 2 * R:
        return f"c{R} 0 {R} {dy} {2 * R} {dy}"
    sign = 1 if dy > 0 else -1
    turn, back = (1, 0) if dy > 0 else (0, 1)
    return (
        f"a{R} {R} 0 0 {turn} {R} {sign * R}v{dy - 2 * sign * R}a{R} {R} 0 0 {back} {R} {sign * R}"
    )


def _back(left: int, right: int, y: int, level: int) -> str:
    """The track back under an item: from its exit down ``level``, west, up to its entry,
    with an arrowhead pointing west halfway."""
    drop = level - 2 * R
    middle = (left + right) // 2
    return (
        f"M{right} {y}a{R} {R} 0 0 1 {R} {R}v{drop}a{R} {R} 0 0 1 {-R} {R}"
        f"H{left}a{R} {R} 0 0 1 {-R} {-R}v{-drop}a{R} {R} 0 0 1 {R} {-R}"
        f"M{middle + 2} {y + level - 4}l-4 4l4 4"
    )


def _rect(x: int, y: int, w: int, h: int, radius: int) -> str:
    return f'<rect x="{x}" y="{y}" width="{w}" height="{h}" rx="{radius}"/>'


def _text(x: int, y: int, text: str, size: int) -> str:
    kind = "" if size == FONT else ' class="label"'
    return (
        f'<text{kind} x="{x}" y="{y}" textLength="{text_width(text, size)}" '
        f'lengthAdjust="spacingAndGlyphs" xml:space="preserve">{escape(text)}</text>'
    )


_XML = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"})


def escape(text: str) -> str:
    """``text`` for XML text or a quoted attribute, in ASCII; characters XML cannot hold
    (controls, surrogates) must not reach here: labels show them as escapes."""
    text = text.translate(_XML)
    if text.isascii():
        return text
    return "".join(c if c.isascii() else f"&#x{ord(c):X};" for c in text)
