"""The ``-n`` hot path's pieces against the obvious per-line answer: Python's own
``bytes.split``, ``enumerate`` and string formatting."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from rxp._stream._hits import Cut, as_bytes, line_rows, numbered_text

blocks = st.lists(st.binary(max_size=6).map(lambda b: b.replace(b"\n", b"")), max_size=25)


@given(lines=blocks, data=st.data(), first=st.integers(1, 10**9), terminated=st.booleans())
def test_a_cut_numbers_its_lines_as_grep_n_would(
    lines: list[bytes], data: st.DataObject, first: int, terminated: bool
) -> None:
    buf = b"\n".join(lines) + (b"\n" if terminated and lines else b"")
    ends, at = [], 0
    for line in lines:  # each line's end: its "\n", or the end of the block
        at += len(line)
        ends.append(at)
        at += 1
    chosen = sorted(data.draw(st.sets(st.sampled_from(range(len(lines)))))) if lines else []
    picked = [ends[i] for i in chosen]
    cut = Cut(buf, picked)
    expected = b"".join(b"%d:%s\n" % (first + i, lines[i]) for i in chosen)
    assert line_rows(buf, picked) == chosen
    assert cut.numbered(chosen, first) == expected
    assert numbered_text(cut, chosen, first, b"\n") == expected
    assert numbered_text(as_bytes(cut), chosen, first, b"\n") == expected  # rendered first
    assert as_bytes(cut) == b"".join(lines[i] + b"\n" for i in chosen)
    named = numbered_text(cut, chosen, first, b"\n", b"f%:")  # a name before each line
    assert named == b"".join(b"f%%:%d:%s\n" % (first + i, lines[i]) for i in chosen)
