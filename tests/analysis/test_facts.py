"""Analysis folds on hand-built trees (independent of the parser)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rxp._analysis._anchoring import Anchoring, anchoring
from rxp._analysis._groups import GroupInfo, group_count, group_names, groups
from rxp._errors import PatternError
from rxp._syntax._ast import (
    Alternation,
    Anchor,
    Backref,
    BranchReset,
    Capture,
    Concat,
    Conditional,
    Dot,
    Empty,
    InlineFlags,
    Literal,
    Lookaround,
    Node,
    NonCapture,
    Pattern,
    Repeat,
    Span,
    walk,
)
from rxp._syntax._flags import flags_at, global_flags
from rxp._syntax._parse import parse
from rxp._syntax._width import Width, can_match_empty, width
from tests.syntax.strategies import nested


class B:
    """Builds nodes left to right, so spans come out right without counting by hand."""

    def __init__(self) -> None:
        self.pos = 0

    def take(self, text: str) -> Span:
        span = Span(self.pos, self.pos + len(text))
        self.pos += len(text)
        return span

    def lit(self, ch: str) -> Literal:
        return Literal(span=self.take(ch), char=ch, raw=ch, kind="plain")

    def dot(self) -> Dot:
        return Dot(span=self.take("."))


def pat(body: Node, text: str, flags: str = "", flavor: str = "re") -> Pattern:
    assert flavor in ("re", "regex")
    return Pattern(span=Span(0, len(text)), text=text, flavor=flavor, flags=flags, body=body)  # type: ignore[arg-type]


def sp(a: int, b: int) -> Span:
    return Span(a, b)


def lit(ch: str, at: int) -> Literal:
    return Literal(span=sp(at, at + 1), char=ch, raw=ch, kind="plain")


def cat(*items: Node) -> Concat:
    return Concat(span=sp(items[0].span.start, items[-1].span.end), items=items)


def alt(*branches: Node) -> Alternation:
    return Alternation(span=sp(branches[0].span.start, branches[-1].span.end), branches=branches)


def rep(item: Node, lo: int, hi: int | None, raw: str) -> Repeat:
    end = item.span.end + len(raw)
    return Repeat(span=sp(item.span.start, end), item=item, min=lo, max=hi, greed="greedy", raw=raw)


def cap(body: Node, index: int, start: int, end: int, name: str | None = None) -> Capture:
    opener = "(" if name is None else f"(?P<{name}>"
    return Capture(span=sp(start, end), body=body, index=index, name=name, opener=opener)


def test_width_of_literals_repeats_and_alternations() -> None:
    # ab*|c{2,5}
    p = pat(
        alt(cat(lit("a", 0), rep(lit("b", 1), 0, None, "*")), rep(lit("c", 4), 2, 5, "{2,5}")),
        "ab*|c{2,5}",
    )
    assert width(p) == Width(1, None)
    assert width(p.body.branches[1]) == Width(2, 5)  # type: ignore[attr-defined]


def test_unbounded_repeat_of_zero_width_item_stays_zero() -> None:
    # (?:)* : re reports (0, 0)
    inner = NonCapture(span=sp(0, 4), body=Empty(span=sp(3, 3)), on="", off="")
    assert width(pat(rep(inner, 0, None, "*"), "(?:)*")) == Width(0, 0)


def test_backref_takes_the_group_width() -> None:
    # (a{2,3})\1
    group = cap(rep(lit("a", 1), 2, 3, "{2,3}"), 1, 0, 8)
    ref = Backref(span=sp(8, 10), target=1, raw="\\1")
    p = pat(cat(group, ref), "(a{2,3})\\1")
    assert width(p) == Width(4, 6)
    assert width(ref, p) == Width(2, 3)


def test_conditional_without_no_branch_can_be_empty() -> None:
    # (a)?(?(1)bc)
    group = rep(cap(lit("a", 1), 1, 0, 3), 0, 1, "?")
    cond = Conditional(
        span=sp(4, 12), condition=1, condition_raw="1", yes=cat(lit("b", 9), lit("c", 10)), no=None
    )
    p = pat(cat(group, cond), "(a)?(?(1)bc)")
    assert width(p) == Width(0, 3)
    assert not can_match_empty(pat(lit("a", 0), "a"))
    assert can_match_empty(p)


def test_huge_widths_count_as_unbounded_like_re() -> None:
    n = 4294967294
    inner = rep(lit("a", 0), n, n, f"{{{n}}}")
    nested = rep(rep(NonCapture(span=sp(0, 1), body=inner, on="", off=""), n, n, "{}"), n, n, "{}")
    assert width(nested) == Width(2**64, None)


def test_groups_optional_and_repeated() -> None:
    # (a)(b)?(?:(c)|d)(e)+
    g1 = cap(lit("a", 1), 1, 0, 3)
    g2 = rep(cap(lit("b", 4), 2, 3, 6), 0, 1, "?")
    g3 = cap(lit("c", 11), 3, 10, 13)
    choice = NonCapture(span=sp(7, 16), body=alt(g3, lit("d", 14)), on="", off="")
    g4 = rep(cap(lit("e", 17), 4, 16, 19), 1, None, "+")
    p = pat(cat(g1, g2, choice, g4), "(a)(b)?(?:(c)|d)(e)+")
    assert groups(p) == (
        GroupInfo(1, None, sp(0, 3), False, False),
        GroupInfo(2, None, sp(3, 6), True, False),
        GroupInfo(3, None, sp(10, 13), True, False),
        GroupInfo(4, None, sp(16, 19), False, True),
    )
    assert group_count(p) == 4


def test_branch_reset_gives_one_group_per_number() -> None:
    # (?|(a)|(b)(c))
    b1 = cap(lit("a", 4), 1, 3, 6)
    b2 = cat(cap(lit("b", 8), 1, 7, 10), cap(lit("c", 11), 2, 10, 13))
    p = pat(BranchReset(span=sp(0, 14), body=alt(b1, b2)), "(?|(a)|(b)(c))", flavor="regex")
    assert groups(p) == (
        GroupInfo(1, None, sp(3, 6), False, False),
        GroupInfo(2, None, sp(10, 13), True, False),
    )
    assert group_count(p) == 2


def test_group_names() -> None:
    p = pat(
        cat(cap(lit("x", 7), 1, 0, 9, "b"), cap(lit("y", 16), 2, 9, 18, "a")), "(?P<b>x)(?P<a>y)"
    )
    assert group_names(p) == {"b": 1, "a": 2}


def test_global_flags_make_defaults_explicit() -> None:
    b = B()
    flags = InlineFlags(span=b.take("(?im)"), on="im", off="")
    p = pat(cat(flags, b.lit("a")), "(?im)a")
    assert global_flags(p) == "imu"
    assert global_flags(pat(lit("a", 0), "a", flags="a")) == "a"
    assert global_flags(pat(lit("a", 0), "a", flavor="regex")) == "uV0"
    assert global_flags(pat(lit("a", 0), "a", flags="iV1", flavor="regex")) == "iuV1"


def test_scoped_flags_apply_to_their_body_only() -> None:
    # (?i:a)b
    a = lit("a", 4)
    scoped = NonCapture(span=sp(0, 6), body=a, on="i", off="")
    b = lit("b", 6)
    p = pat(cat(scoped, b), "(?i:a)b", flags="s")
    at = flags_at(p)
    assert at[a] == "isu"
    assert at[b] == "su"


def test_inline_flags_in_the_regex_flavour_last_to_the_end_of_the_group() -> None:
    # (?:a(?i)b|c)d   -- regex.fullmatch("(?:a(?i)b|c)d", "Cd") matches, "CD" does not
    a, flags, b_, c, d = (
        lit("a", 3),
        InlineFlags(span=sp(4, 8), on="i", off=""),
        lit("b", 8),
        lit("c", 10),
        lit("d", 12),
    )
    group = NonCapture(span=sp(0, 12), body=alt(cat(a, flags, b_), c), on="", off="")
    at = flags_at(pat(cat(group, d), "(?:a(?i)b|c)d", flavor="regex"))
    assert (at[a], at[b_], at[c], at[d]) == ("uV0", "iuV0", "iuV0", "uV0")


def test_anchoring() -> None:
    # ^a|\Ab$
    caret = Anchor(span=sp(0, 1), kind="line_start", raw="^")
    begin = Anchor(span=sp(3, 5), kind="text_start", raw="\\A")
    dollar = Anchor(span=sp(6, 7), kind="line_end", raw="$")
    p = pat(alt(cat(caret, lit("a", 1)), cat(begin, lit("b", 5), dollar)), "^a|\\Ab$")
    assert anchoring(p) == Anchoring("text", None)
    assert anchoring(pat(p.body, p.text, flags="m")) == Anchoring("line", None)
    # (?:^)?a is not anchored; (^a)+ is; a lookahead before ^ does not matter
    opt = rep(
        NonCapture(
            span=sp(0, 4), body=Anchor(span=sp(3, 4), kind="line_start", raw="^"), on="", off=""
        ),
        0,
        1,
        "?",
    )
    assert anchoring(pat(cat(opt, lit("a", 5)), "(?:^)?a")).start is None
    look = Lookaround(span=sp(0, 5), body=lit("x", 3), ahead=True, negated=False)
    assert anchoring(
        pat(cat(look, Anchor(span=sp(5, 6), kind="line_start", raw="^")), "(?=x)^")
    ) == Anchoring("text", None)
    assert anchoring(
        pat(cat(lit("a", 0), Anchor(span=sp(1, 3), kind="text_end", raw="\\Z")), "a\\Z")
    ) == Anchoring(None, "text")
    assert anchoring(pat(Dot(span=sp(0, 1)), ".")) == Anchoring(None, None)


# --- flags in effect, against the engines ---------------------------------------------------

_letters = st.sampled_from(["a", "b", "c"])


def _flag_soup(inline: bool) -> st.SearchStrategy[str]:
    """Letters inside scoped flag groups (and, for the regex flavour, inline flags that
    last to the end of their group), so each letter's case-sensitivity is decidable."""
    items = [_letters]
    if inline:
        items.append(st.sampled_from(["(?i)", "(?-i)"]))

    def extend(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        body = st.lists(inner, min_size=1, max_size=4).map("".join)
        return st.tuples(st.sampled_from(["(?i:", "(?-i:", "(?:", "("]), body).map(
            lambda t: f"{t[0]}{t[1]})"
        )

    return st.lists(st.recursive(st.one_of(*items), extend, max_leaves=10), min_size=1).map("".join)


def _check_case_flags(pattern: str, flavor: str, caller: str) -> None:
    import re

    import regex

    tree = parse(pattern, flavor=flavor, flags=caller)  # type: ignore[arg-type]
    at = flags_at(tree)
    lits = [n for n in walk(tree) if isinstance(n, Literal)]
    engine_flags = re.I if caller else 0
    for k, target in enumerate(lits):
        text = "".join(n.char.upper() if i == k else n.char for i, n in enumerate(lits))
        if flavor == "re":
            matched = re.fullmatch(pattern, text, engine_flags) is not None
        else:
            matched = regex.fullmatch(pattern, text, regex.I if caller else 0) is not None
        assert matched == ("i" in at[target]), (pattern, k, at[target])


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(["", "(?i)"]), _flag_soup(inline=False), st.sampled_from(["", "i"]))
def test_flags_at_agrees_with_re_on_case_sensitivity(lead: str, body: str, caller: str) -> None:
    _check_case_flags(lead + body, "re", caller)


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(["", "(?i)", "(?V1)"]), _flag_soup(inline=True), st.sampled_from(["", "i"]))
def test_flags_at_agrees_with_regex_on_case_sensitivity(lead: str, body: str, caller: str) -> None:
    _check_case_flags(lead + body, "regex", caller)


def test_positional_flags_before_a_quantifier_count_from_there() -> None:
    # regex reads a(?i)*b as a* then (?i) then b: regex.fullmatch("a(?i)*b", "aB") matches
    tree = parse("a(?i)*b", flavor="regex")
    at = flags_at(tree)
    a, b = (n for n in walk(tree) if isinstance(n, Literal))
    assert ("i" in at[a], "i" in at[b]) == (False, True)


# --- facts against the engines' behaviour on real matches ---------------------------------
# Soundness: whatever the engine does on sample texts must fit what the analysis claims.

_ATOMS = (
    ["a", "b", "1", " ", ".", r"\d", r"\w", "[ab]", "[^a]", "^", "$", r"\A", r"\Z", r"\b",
     "", r"\1", "(?P=n)", "(?i:a)", "(?m:^)", "(?s:.)"]
)  # fmt: skip
_OPENERS = ("(", "(?:", "(?P<n>", "(?=", "(?!", "(?<=a)(", "(?>", "(?(1)", "(?(n)", "(?m:")
_QUANTIFIERS = ("", "", "*", "+", "?", "{2}", "{0,2}", "*?", "??")
_patterns = nested(
    _ATOMS, _OPENERS, _QUANTIFIERS, prefixes=("", "(?m)", "(?s)", "(?i)"), max_leaves=6
)
_texts = st.lists(st.text(alphabet="ab1 \n", max_size=8), min_size=1, max_size=4)


def _compiled(pattern: str) -> tuple[object, Pattern] | None:
    import re
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return re.compile(pattern), parse(pattern)
        except (re.error, OverflowError, ValueError):
            return None


@settings(max_examples=300, deadline=None)
@given(_patterns, _texts)
def test_facts_hold_on_every_match_re_finds(pattern: str, texts: list[str]) -> None:
    import re

    both = _compiled(pattern)
    if both is None:
        return
    engine, tree = both
    assert isinstance(engine, re.Pattern)
    w = width(tree)
    info = {g.index: g for g in groups(tree)}
    anchors = anchoring(tree)
    for text in texts:
        for m in engine.finditer(text):
            start, end = m.span()
            assert w.min <= end - start and (w.max is None or end - start <= w.max)
            if start == end:
                assert can_match_empty(tree)
            for k in range(1, engine.groups + 1):
                if m.group(k) is None:
                    assert info[k].optional, (k, m)
            if anchors.start == "text":
                assert start == 0
            if anchors.start == "line":
                assert start == 0 or text[start - 1] == "\n"
            if anchors.end == "text":
                assert end == len(text) or (end == len(text) - 1 and text[end] == "\n")
            if anchors.end == "line":
                assert end == len(text) or text[end] == "\n"


@settings(max_examples=200, deadline=None)
@given(_patterns, st.sampled_from(["a", "ab", "aab", "1 a", "ba\nab"]))
def test_repeated_groups_are_the_only_ones_that_can_capture_twice(pattern: str, text: str) -> None:
    """A group outside any repeat runs at most once per match; regex keeps every capture,
    so it shows when one ran twice. Widths and optional groups hold in this flavour too."""
    import regex

    try:
        engine = regex.compile(pattern)
        tree = parse(pattern, flavor="regex")
    except (regex.error, PatternError):
        return
    info = {g.index: g for g in groups(tree)}
    w = width(tree)
    for m in engine.finditer(text):
        assert w.min <= len(m[0]) and (w.max is None or len(m[0]) <= w.max)
        for k in range(1, engine.groups + 1):
            if len(m.captures(k)) > 1:
                assert info[k].repeated, (k, m.captures(k))
            if m.group(k) is None:
                assert info[k].optional, k


@pytest.mark.parametrize(
    "pattern",
    [
        "(?:" * 240 + "a" + ")*" * 240,
        "(" * 240 + "a" + ")" * 240,
        "(?:a|" * 240 + "b" + ")" * 240,
        "(?<=" * 240 + "a" + ")" * 240,
        "(?:(?:" * 120 + "a" + ")?)*" * 120,
    ],
)
def test_deep_nesting_stays_within_the_recursion_limit(pattern: str) -> None:
    from rxp._analysis._redos import backtracking_warnings
    from rxp._syntax._check import check

    tree = parse(pattern)
    assert width(tree).min in (0, 1)
    assert len(groups(tree)) == group_count(tree)
    assert len(flags_at(tree)) == sum(1 for _ in walk(tree))
    anchoring(tree)
    check(tree)
    backtracking_warnings(tree)
