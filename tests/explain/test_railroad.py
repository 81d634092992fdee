"""The railroad diagram read back as a picture: the SVG is parsed with ElementTree and checked
against the pattern, with Python's engines as the oracle for groups and repeats, and against
its own geometry (everything inside the viewBox, no two parts of one node on top of each
other) over generated patterns of both flavours."""

from __future__ import annotations

import re
import re._parser as re_parser  # type: ignore[import-not-found, unused-ignore]
import warnings
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import pytest
import regex
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rxp._explain import _railroad
from rxp._explain._railroad import railroad_svg
from rxp._syntax._ast import (
    Alternation,
    Capture,
    Class,
    Concat,
    Flavor,
    Literal,
    Node,
    NonCapture,
    Pattern,
    Repeat,
    Span,
    children,
    walk,
)
from rxp._syntax._parse import parse
from tests.syntax.strategies import flagged_patterns, patterns

SVG = "{http://www.w3.org/2000/svg}"
SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SSHD = (
    r"Failed password for (invalid user )?(?P<user>\S+) from "
    r"(?P<ip>\d{1,3}(?:\.\d{1,3}){3}) port (?P<port>\d+)"
)
EXAMPLE = Path(__file__).parents[2] / "docs" / "railroad-example.svg"


def draw(pattern: str, flavor: Flavor = "re", flags: str = "") -> ET.Element:
    text = railroad_svg(parse(pattern, flavor=flavor, flags=flags))
    assert text.isascii()
    return ET.fromstring(text)


def nodes(root: ET.Element, kind: str) -> list[ET.Element]:
    return [g for g in root.iter(SVG + "g") if kind in g.get("class", "").split()]


def label(g: ET.Element) -> str:
    """A node's own words: its first text child."""
    found = g.find(SVG + "text")
    assert found is not None and found.text is not None
    return found.text


def span(g: ET.Element) -> Span:
    start, end = g.get("data-span", "").split()
    return Span(int(start), int(end))


def by_span(root: ET.Element, kind: str, where: Span) -> ET.Element:
    found = [g for g in nodes(root, kind) if span(g) == where]
    assert len(found) == 1, (kind, where)
    return found[0]


# --- reading the words back ----------------------------------------------------------------

_UNESCAPE = re.compile(r'\\(?:x([0-9a-f]{2})|u([0-9a-f]{4})|U([0-9a-f]{8})|([\\"tnrfv]))')
_SHOWN = re.compile(r'(?:\\(?:x[0-9a-f]{2}|u[0-9a-f]{4}|U[0-9a-f]{8}|[\\"tnrfv])|[^\\"])*')
_CONTROL = {"t": "\t", "n": "\n", "r": "\r", "f": "\f", "v": "\v", "\\": "\\", '"': '"'}


def unquote(shown: str) -> str:
    """A literal box's text back to the characters: ``"a\\tb"`` -> a, tab, b. Every
    backslash and quote inside must be escaped, every character visible."""
    assert shown.startswith('"') and shown.endswith('"'), shown
    body = shown[1:-1]

    def one(m: re.Match[str]) -> str:
        code = m[1] or m[2] or m[3]
        return chr(int(code, 16)) if code else _CONTROL[m[4]]

    assert _SHOWN.fullmatch(body), body
    return _UNESCAPE.sub(one, body)


_COUNT = re.compile(
    r"(?:(?P<opt>optional)|exactly (?P<n>\d+) times?|(?P<lo>\d+)\+ times"
    r"|(?P<a>\d+) to (?P<b>\d+) times)(?:, (?P<greed>lazy|possessive))?"
)


def decode_count(text: str) -> tuple[int, int | None, str]:
    m = _COUNT.fullmatch(text)
    assert m, text
    greed = m["greed"] or "greedy"
    if m["opt"]:
        return 0, 1, greed
    if m["n"]:
        return int(m["n"]), int(m["n"]), greed
    if m["lo"]:
        return int(m["lo"]), None, greed
    return int(m["a"]), int(m["b"]), greed


def group_labels(root: ET.Element) -> list[tuple[int, str | None]]:
    out = []
    for g in nodes(root, "rr-capture"):
        m = re.fullmatch(r"group #(\d+)(?:: (.+))?", label(g))
        assert m, label(g)
        out.append((int(m[1]), m[2]))
    return out


# --- the picture of a real pattern ---------------------------------------------------------


def test_the_sshd_pattern_reads_as_written() -> None:
    root = draw(SSHD)
    compiled = re.compile(SSHD)
    names = {n: name for name, n in compiled.groupindex.items()}
    assert sorted(group_labels(root)) == [(n, names.get(n)) for n in range(1, 5)]
    texts = [unquote(label(g)) for g in nodes(root, "rr-literal")]
    assert texts == ["Failed password for ", "invalid user ", " from ", ".", " port "]
    assert [label(g) for g in nodes(root, "rr-escape")] == ["non-whitespace"] + ["digit"] * 3
    assert root.find(SVG + "title") is not None


def _sre_repeats(pattern: str) -> Counter[tuple[int, int | None, str]]:
    """The quantifiers Python's own parser finds: (min, max, greed)."""
    kinds = {"MAX_REPEAT": "greedy", "MIN_REPEAT": "lazy", "POSSESSIVE_REPEAT": "possessive"}
    found: Counter[tuple[int, int | None, str]] = Counter()
    todo = [re_parser.parse(pattern)]
    while todo:
        for op, arg in todo.pop():
            if str(op) in kinds:
                lo, hi, _ = arg
                found[(lo, None if hi == re_parser.MAXREPEAT else hi, kinds[str(op)])] += 1
            if isinstance(arg, re_parser.SubPattern):
                todo.append(arg)
            for part in arg if isinstance(arg, tuple | list) else ():
                if isinstance(part, re_parser.SubPattern):
                    todo.append(part)
                elif isinstance(part, list):  # branches
                    todo.extend(p for p in part if isinstance(p, re_parser.SubPattern))
    return found


@pytest.mark.parametrize(
    "pattern",
    [
        SSHD,
        r"^\s*(\w+)\s*=\s*(.*?)\s*$",
        r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?",
        r"(?:[0-9a-f]{2}:){5}[0-9a-f]{2}",
        r"a{2,}?b{,3}c*+d?+e{0}f{3,5}",
        r'"(?:[^"\\]|\\.)*"',
    ],
)
def test_quantifier_labels_match_the_engines_counts(pattern: str) -> None:
    root = draw(pattern)
    drawn = Counter(decode_count(label(g)) for g in nodes(root, "rr-repeat"))
    assert drawn == _sre_repeats(pattern)


def test_control_and_markup_characters_are_escaped() -> None:
    pattern = "<a&b>\"'\\t\\n\\x00\\u200b\u00e9\u4e2d\U0001f600\\\\"
    root = draw(f"(?P<na\u00efve>{pattern})")
    (box,) = nodes(root, "rr-literal")
    assert unquote(label(box)) == "<a&b>\"'\t\n\x00\u200b\u00e9\u4e2d\U0001f600\\"
    assert "\\u200b" in label(box) and "\\x00" in label(box)
    assert group_labels(root) == [(1, "na\u00efve")]


def test_sets_anchors_and_lookarounds_are_said_in_words() -> None:
    pattern = r"(?m)^(?<!x)[^a-z\d]\b(?=y)$"
    root = draw(pattern)
    at = pattern.index("[")
    assert label(by_span(root, "rr-class", Span(at, at + 8))) == "none of: a-z, digit"
    assert [label(g) for g in nodes(root, "rr-anchor")] == [
        "start of line",
        "word boundary",
        "end of line",
    ]
    assert [label(g) for g in nodes(root, "rr-lookaround")] == ["not preceded by", "followed by"]


@pytest.mark.parametrize(("pattern", "tracks"), [("a|b|c", 3), ("|", 2), ("x(?:a|bc|)y", 3)])
def test_an_alternation_draws_one_track_per_branch(pattern: str, tracks: int) -> None:
    (choice,) = nodes(draw(pattern), "rr-alternation")
    assert len(choice.findall(SVG + "g")) == tracks


def _compiles(pattern: str) -> bool:
    try:
        re.compile(pattern)
    except re.error:
        return False
    return True


# branches: generated patterns without their global flags, which only a pattern's start takes
_BRANCHES = st.lists(
    patterns().map(lambda p: re.sub(r"^\(\?[aiLmsux]+\)", "", p)), min_size=2, max_size=4
).filter(lambda bs: _compiles("|".join(f"(?:{b})" for b in bs)))


@settings(SETTINGS, max_examples=40)
@given(_BRANCHES)
def test_generated_alternations_draw_k_tracks(branches: list[str]) -> None:
    pattern = "|".join(f"(?:{b})" for b in branches)
    choice = by_span(draw(pattern), "rr-alternation", Span(0, len(pattern)))
    assert len(choice.findall(SVG + "g")) == len(branches)


# --- properties over generated patterns ----------------------------------------------------


def _engine_groups(pattern: str, flags: str, flavor: str) -> tuple[int, dict[str, int]]:
    module = regex if flavor == "regex" else re
    bits = 0
    for version in ("V0", "V1"):
        if version in flags:
            bits |= int(getattr(module, version))
            flags = flags.replace(version, "")
    for letter in flags:
        bits |= int(getattr(module, letter.upper()))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        compiled = module.compile(pattern, bits)
    return compiled.groups, dict(compiled.groupindex)


def _outside_classes(node: Node) -> list[Node]:
    """Every node not inside a character set."""
    out, todo = [], [node]
    while todo:
        current = todo.pop()
        out.append(current)
        if not isinstance(current, Class):
            todo.extend(children(current))
    return out


def check_literals(tree: Pattern, root: ET.Element) -> None:
    """Each literal box holds exactly the characters of the literals in its span, together
    they hold every literal of the pattern in order, and there is one box per run of
    literals (literals one after another, verbose-mode whitespace and comments between
    them skipped)."""
    inside = _outside_classes(tree)
    literals = sorted((n.span.start, n.char) for n in inside if isinstance(n, Literal))
    boxes = nodes(root, "rr-literal")
    for box in boxes:
        where = span(box)
        chars = "".join(c for at, c in literals if where.start <= at < where.end)
        assert unquote(label(box)) == chars, (where, chars)
    assert "".join(unquote(label(b)) for b in boxes) == "".join(c for _, c in literals)
    runs = 0
    for node in inside:
        if isinstance(node, Concat):
            kinds = [
                isinstance(i, Literal)
                for i in node.items
                if type(i).__name__ not in ("Trivia", "Comment")
            ]
            runs += sum(1 for i, lit in enumerate(kinds) if lit and (i == 0 or not kinds[i - 1]))
        elif not isinstance(node, Class):
            runs += sum(1 for child in children(node) if isinstance(child, Literal))
    assert len(boxes) == runs


Box = tuple[float, float, float, float]


def _tracks(d: str) -> list[Box]:
    """The extent of each stroke of a path, 2 px wide as drawn: a line's two ends, a quarter
    circle's two ends (it turns between axis-aligned headings, so they bound it), a curve's
    control points."""
    tokens = re.findall(r"[A-Za-z]|-?\d+(?:\.\d+)?", d)
    x = y = 0.0
    out = []
    i = 0
    while i < len(tokens):
        op = tokens[i]
        args = []
        i += 1
        while i < len(tokens) and not tokens[i].isalpha():
            args.append(float(tokens[i]))
            i += 1
        points = [(x, y)]
        if op == "M":
            x, y = args
            continue
        if op == "H":
            (x,) = args
        elif op == "h":
            x += args[0]
        elif op == "v":
            y += args[0]
        elif op == "l":
            x, y = x + args[0], y + args[1]
        elif op == "c":
            points += [(x + args[k], y + args[k + 1]) for k in (0, 2)]
            x, y = x + args[4], y + args[5]
        elif op == "a":
            x, y = x + args[5], y + args[6]
        else:
            raise AssertionError(f"unexpected path command {op}")
        points.append((x, y))
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        out.append((min(xs) - 1, min(ys) - 1, max(xs) + 1, max(ys) + 1))
    return out


def _box(el: ET.Element) -> Box | None:
    """An element's extent (x0, y0, x1, y1): rects exactly, text by its pinned length and a
    generous ascent and descent for its size."""
    if el.tag == SVG + "rect":
        x, y = float(el.get("x", 0)), float(el.get("y", 0))
        return x, y, x + float(el.get("width", 0)), y + float(el.get("height", 0))
    if el.tag == SVG + "text":
        size = 10 if "label" in el.get("class", "") else 12
        x, y = float(el.get("x", 0)), float(el.get("y", 0))
        return x, y - 0.8 * size, x + float(el.get("textLength", 0)), y + 0.25 * size
    return None


def _union(g: ET.Element) -> Box | None:
    """The extent of everything drawn in ``g``, tracks included."""
    found = [b for el in g.iter() if (b := _box(el)) is not None]
    found += [b for el in g.iter(SVG + "path") for b in _tracks(el.get("d", ""))]
    if not found:
        return None
    return (
        min(b[0] for b in found),
        min(b[1] for b in found),
        max(b[2] for b in found),
        max(b[3] for b in found),
    )


def _overlap(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def check_geometry(root: ET.Element) -> None:
    width, height = float(root.get("width", 0)), float(root.get("height", 0))
    assert root.get("viewBox") == f"0 0 {root.get('width')} {root.get('height')}"
    assert root.find(SVG + "style") is not None
    for el in root.iter():
        found = _box(el)
        if found is not None:
            assert 0 <= found[0] <= found[2] <= width and 0 <= found[1] <= found[3] <= height
        if el.tag == SVG + "path":
            for x0, y0, x1, y1 in _tracks(el.get("d", "")):
                assert 0 <= x0 <= x1 <= width and 0 <= y0 <= y1 <= height, el.get("d")
    for g in root.iter(SVG + "g"):
        parts = [p for p in g if p.tag == SVG + "g"]
        extents = [b for p in parts if (b := _union(p)) is not None]
        extents += [b for t in g.findall(SVG + "text") if (b := _box(t)) is not None]
        for i, a in enumerate(extents):
            for b in extents[i + 1 :]:
                assert not _overlap(a, b), (g.get("class"), g.get("data-span"), a, b)


@SETTINGS
@given(flagged_patterns())
def test_re_pictures_are_sound(case: tuple[str, str]) -> None:
    """One box per group, numbered and named as re numbers them; the literals, the
    repeats and the geometry as the module promises."""
    pattern, flags = case
    tree = parse(pattern, flavor="re", flags=flags)
    root = ET.fromstring(railroad_svg(tree))
    count, index = _engine_groups(pattern, flags, "re")
    drawn = group_labels(root)
    assert sorted(n for n, _ in drawn) == list(range(1, count + 1))
    assert {name: n for n, name in drawn if name} == index
    check_geometry(root)
    check_literals(tree, root)
    for node in walk(tree):
        if isinstance(node, Repeat):
            g = by_span(root, "rr-repeat", node.span)
            assert decode_count(label(g)) == (node.min, node.max, node.greed)


@SETTINGS
@given(flagged_patterns("regex"))
def test_regex_pictures_are_sound(case: tuple[str, str]) -> None:
    pattern, flags = case
    tree = parse(pattern, flavor="regex", flags=flags)
    root = ET.fromstring(railroad_svg(tree))
    count, index = _engine_groups(pattern, flags, "regex")
    drawn = group_labels(root)
    # a branch reset numbers each branch's groups from the same start
    assert {n for n, _ in drawn} == set(range(1, count + 1))
    assert {name: n for n, name in drawn if name} == index
    check_geometry(root)
    check_literals(tree, root)


# --- size ------------------------------------------------------------------------------------


def _lit(ch: str, at: int) -> Literal:
    return Literal(span=Span(at, at + 1), char=ch, raw=ch, kind="plain")


def test_nesting_deeper_than_the_recursion_limit_is_drawn() -> None:
    depth = 3000
    body: Node = _lit("a", depth)
    for level in range(depth, 0, -1):
        wrap = Span(level - 1, 2 * depth + 2 - level)
        if level % 2:
            body = Capture(span=wrap, body=body, index=level, name=None, opener="(")
        else:
            body = NonCapture(span=wrap, body=body, on="i", off="")
    text = "".join("(" if i % 2 else "(?i:" for i in range(1, depth + 1))  # not consulted
    tree = Pattern(span=Span(0, 2 * depth + 1), text=text, flavor="re", flags="", body=body)
    root = ET.fromstring(railroad_svg(tree))
    assert len(group_labels(root)) == depth // 2


def test_a_huge_alternation_is_drawn_in_full() -> None:
    k = 5000
    branches = tuple(_lit(chr(0x4E00 + i), 2 * i) for i in range(k))
    body = Alternation(span=Span(0, 2 * k - 1), branches=branches)
    text = "|".join(b.char for b in branches)
    root = ET.fromstring(
        railroad_svg(Pattern(span=body.span, text=text, flavor="re", flags="", body=body))
    )
    (choice,) = nodes(root, "rr-alternation")
    assert len(choice.findall(SVG + "g")) == k


def test_the_readme_example_is_current() -> None:
    assert EXAMPLE.read_text(encoding="ascii") == railroad_svg(parse(SSHD, flavor="re")), (
        "regenerate docs/railroad-example.svg with railroad_svg(parse(SSHD))"
    )


def test_past_max_parts_a_box_says_how_many_are_left_out(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_railroad, "MAX_PARTS", 4)
    root = draw("a|b|c|d")
    assert len(nodes(root, "rr-alternation")[0].findall(SVG + "g")) == 4
    assert not nodes(root, "rr-more")
    root = draw("a|b|c|d|e|f")
    (choice,) = nodes(root, "rr-alternation")
    assert len(choice.findall(SVG + "g")) == 4
    assert [label(g) for g in nodes(root, "rr-more")] == ["… and 3 more not drawn"]
    root = draw(r"\d.\s.\w.")
    assert [label(g) for g in nodes(root, "rr-more")] == ["… and 3 more not drawn"]
    assert len(nodes(root, "rr-sequence")[0].findall(SVG + "g")) == 4
