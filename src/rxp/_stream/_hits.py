"""The hot loops: where in a block of whole lines the matching lines are.

Each loop runs the engine over the block itself (``search(buf, pos, endpos)``) and steps
from line to line with ``bytes.find``, so Python-level work is per matching (or candidate)
line, never per byte. ``end`` is where the last line's content ends (the block's final
``\n`` is excluded, so no phantom empty line follows it). Lines are (start, end) pairs,
``end`` being the index of the line's ``\n`` or ``end``.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import accumulate, chain, repeat
from typing import Any, TypeAlias

__all__ = [
    "Cut",
    "Hit",
    "as_bytes",
    "block_count",
    "block_hits",
    "candidate_hits",
    "line_rows",
    "line_starts",
    "number_lines",
    "numbered_text",
    "render",
    "render_ends",
]

Hit: TypeAlias = tuple[int, int]  # a matching line: start, end (the "\n" or end of data)


def block_hits(search: Callable[..., Any], buf: bytes, end: int, limit: int) -> list[Hit]:
    hits: list[Hit] = []
    find = buf.find
    rfind = buf.rfind
    pos = 0
    while pos <= end:
        mt = search(buf, pos, end)
        if mt is None:
            break
        at = mt.start()
        s = rfind(b"\n", pos, at) + 1 or pos
        e = find(b"\n", mt.end(), end)
        if e < 0:
            e = end
        hits.append((s, e))
        if len(hits) >= limit:
            break
        pos = e + 1
    return hits


def block_count(search: Callable[..., Any], buf: bytes, end: int, limit: int) -> int:
    """``len(block_hits(...))`` without building the list (the ``-c`` hot loop)."""
    count = 0
    find = buf.find
    pos = 0
    while pos <= end:
        mt = search(buf, pos, end)
        if mt is None:
            break
        count += 1
        if count >= limit:
            break
        e = find(b"\n", mt.end(), end)
        if e < 0:
            break
        pos = e + 1
    return count


def candidate_hits(
    search: Callable[..., Any],
    buf: bytes,
    end: int,
    literal: bytes,
    lead: bytes | None,
    limit: int,
    count_only: bool,
) -> list[Hit] | int:
    """Lines holding ``literal`` where the pattern matches; a match starts no earlier than
    the run of ``lead`` bytes just before the line's first ``literal``."""
    hits: list[Hit] = []
    count = 0
    find = buf.find
    rfind = buf.rfind
    pos = 0
    while True:
        i = find(literal, pos, end)
        if i < 0:
            break
        s = rfind(b"\n", pos, i) + 1 or pos
        start = s
        if lead is not None:
            before = buf[s:i]
            start = i - (len(before) - len(before.rstrip(lead)))
        e = find(b"\n", i, end)
        if e < 0:
            e = end
        if search(buf, start, e) is not None:
            count += 1
            if not count_only:
                hits.append((s, e))
            if count >= limit:
                break
        pos = e + 1
    return count if count_only else hits


def line_starts(buf: bytes, end: int, literal: bytes | None) -> list[Hit]:
    """Every line (or every line holding ``literal``), as (start, end)."""
    out: list[Hit] = []
    find = buf.find
    pos = 0
    if literal is not None:
        rfind = buf.rfind
        while True:
            i = find(literal, pos, end)
            if i < 0:
                return out
            s = rfind(b"\n", pos, i) + 1 or pos
            e = find(b"\n", i, end)
            e = end if e < 0 else e
            out.append((s, e))
            pos = e + 1
    n = len(buf)
    while pos < n:
        e = find(b"\n", pos)
        e = n if e < 0 else e
        out.append((pos, e))
        pos = e + 1
    return out


def render(buf: bytes, hits: list[Hit]) -> bytes:
    """The hit lines, each ending in "\n"; runs of adjacent lines are copied in one slice
    (a plain pickle of bytes is what crosses from a worker process, not a million tuples)."""
    if not hits:
        return b""
    parts: list[bytes] = []
    first, last = hits[0]
    for s, e in hits[1:]:
        if s == last + 1:
            last = e
            continue
        parts.append(buf[first:last])
        first, last = s, e
    parts.append(buf[first:last])
    return b"\n".join(parts) + b"\n"


def render_ends(buf: bytes, ends: list[int]) -> bytes:
    """``render`` for the lines that end at ``ends`` (ascending, as a selector gives them):
    each line is the slice from the "\n" before it, found and cut by ``map`` over C methods
    with no Python frame per line (the ``-n`` hot path, 1.6 M lines a GiB of sshd logs)."""
    if not ends:
        return b""
    starts = list(map(buf.rfind, repeat(b"\n"), repeat(0), ends))
    starts[0] += 1  # the first line's slice starts at the line, the others at their "\n"
    return b"".join(chain(map(buf.__getitem__, map(slice, starts, ends)), (b"\n",)))


def line_rows(buf: bytes, ends: list[int]) -> list[int]:
    """The 0-based index in ``buf`` of each line that ends at ``ends`` (ascending): the
    newlines between one end and the next, counted and summed in C."""
    newline = repeat(b"\n")
    return list(accumulate(map(buf.count, newline, chain((0,), ends), ends)))


def number_lines(text: bytes, rows: list[int], first: int, eol: bytes, head: bytes = b"") -> bytes:
    """``text`` (lines each ending in ``eol``) as grep ``-n`` prints them: each line
    after ``head`` and its number, ``first`` plus its row."""
    lines = text.split(eol)
    lines.pop()
    numbered = zip(rows, lines, strict=True)
    if head:
        return b"".join([b"%s%d:%s%s" % (head, first + row, line, eol) for row, line in numbered])
    line_format = b"%d:%s" + eol  # one file: the shorter format is an eighth faster
    return b"".join([line_format % (first + row, line) for row, line in numbered])


class Cut:
    """Selected lines not yet copied out of their block: the block and the end of each
    line (ascending). Where the first line's number becomes known (a process worker, once
    the jobs before its own have counted theirs; the printer, for the other backends),
    ``numbered`` makes grep ``-n``'s lines in one pass, with no copy of the bare lines
    between (a fifth of the ``-n`` hot path). Never leaves its process: ``as_bytes``."""

    __slots__ = ("buf", "ends")

    def __init__(self, buf: bytes, ends: list[int]) -> None:
        self.buf = buf
        self.ends = ends

    def numbered(self, rows: list[int], first: int) -> bytes:
        """Each line after its number (``first`` plus its row) and ":", ending in "\n"."""
        buf, ends = self.buf, self.ends
        starts = map((1).__add__, map(buf.rfind, repeat(b"\n"), repeat(0), ends))
        lines = map(buf.__getitem__, map(slice, starts, ends))
        return b"".join(map(b"%d:%s\n".__mod__, zip(map(first.__add__, rows), lines, strict=True)))


def as_bytes(text: bytes | Cut) -> bytes:
    """The lines as bare text, each ending in "\n"."""
    return render_ends(text.buf, text.ends) if isinstance(text, Cut) else text


def numbered_text(
    text: bytes | Cut, rows: list[int], first: int, eol: bytes, head: bytes = b""
) -> bytes:
    """``number_lines`` of ``text``, rendered or not (a ``Cut`` has no ``head``)."""
    if isinstance(text, Cut) and not head:
        return text.numbered(rows, first)
    return number_lines(as_bytes(text), rows, first, eol, head)
