"""`rxp.explain` read as a person would: the sentences for common constructs, written here by
hand from what a person would say, and the flags each sentence must take into account."""

from __future__ import annotations

import pytest

from rxp._explain._explain import explain
from rxp._explain._model import Explanation
from rxp._syntax._ast import (
    Anchor,
    BranchReset,
    Capture,
    Class,
    ClassEscape,
    ClassSetOp,
    Concat,
    Empty,
    Fuzzy,
    FuzzyLimit,
    Literal,
    NamedList,
    Node,
    Pattern,
    PosixClass,
    Property,
    Recursion,
    Repeat,
    Span,
    Verb,
    walk,
)


def rows(pattern: str, **kw: object) -> list[tuple[str, str]]:
    result = explain(pattern, **kw)  # type: ignore[arg-type]
    return [(r.text, r.sentence) for r in result.rows()]


def sentence_for(pattern: str, text: str, **kw: object) -> str:
    """The sentence of the row whose slice is ``text``."""
    found = [s for t, s in rows(pattern, **kw) if t == text]
    assert found, f"no row for {text!r} in {rows(pattern, **kw)}"
    return found[0]


def test_a_run_of_literals_is_one_row_of_text() -> None:
    assert rows("Failed password") == [("Failed password", "the text `Failed password`")]


def test_a_digit_range_repeated_reads_as_digits() -> None:
    assert sentence_for("[0-9]+", "[0-9]+") == "one or more digits (0-9)"


def test_named_group_says_its_number_and_name() -> None:
    said = sentence_for(r"(\w+) (?P<ip>\S+)", r"(?P<ip>\S+)")
    assert said == "capture group 2 named `ip`"


def test_lazy_bounded_repeat() -> None:
    said = sentence_for("a{2,5}?", "a{2,5}?")
    assert said.startswith("between 2 and 5 ")
    assert said.endswith("as few as possible")


def test_lookbehind_reads_preceded_by() -> None:
    assert sentence_for(r"(?<=\$)\d", r"(?<=\$)").startswith("preceded by")
    assert sentence_for(r"(?<!x)y", "(?<!x)").startswith("not preceded by")
    assert sentence_for(r"y(?=x)", "(?=x)").startswith("followed by")


def test_backreference_names_the_group() -> None:
    assert sentence_for(r"(a)\1", r"\1") == "the same text as group 1 captured"


@pytest.mark.parametrize(
    ("escape", "words"),
    [(r"\t", "a tab"), (r"\n", "a newline"), (r"\u00e9", "U+00E9"), (r"\x41", "`A`")],
)
def test_escapes_name_the_character(escape: str, words: str) -> None:
    assert words in sentence_for(escape, escape)


def test_dollar_reads_the_multiline_flag() -> None:
    plain = sentence_for("a$", "$")
    multi = sentence_for("a$", "$", flags="m")
    assert "end of the text" in plain and "newline" in plain
    assert "end of a line" in multi


def test_caret_reads_the_multiline_flag_given_inline() -> None:
    assert sentence_for("(?m)^a", "^") == "the start of a line"
    assert sentence_for("^a", "^") == "the start of the text"


def test_dot_reads_dotall() -> None:
    assert "except a newline" in sentence_for(".", ".")
    assert "newline included" in sentence_for("(?s).", ".")


def test_digit_escape_reads_unicode_or_ascii() -> None:
    assert "Unicode" in sentence_for(r"\d", r"\d")
    assert sentence_for(r"\d", r"\d", flags="a") == "a digit (0-9)"
    assert "Unicode" not in sentence_for(r"(?a)\w", r"\w")


def test_ignore_case_is_said_on_literals_and_only_inside_its_scope() -> None:
    assert "ignoring case" in sentence_for("(?i)abc", "abc")
    assert "ignoring case" in sentence_for("(?i:ab)cd", "ab")
    assert "ignoring case" not in sentence_for("(?i:ab)cd", "cd")
    assert "ignoring case" not in sentence_for("(?i)123", "123")


def test_optional_group_and_repeated_group_in_the_summary() -> None:
    result = explain(r"(a)?(?:(b)c)+(d)")
    table = {g.index: (g.optional, g.repeated) for g in result.summary.groups}
    assert table == {1: (True, False), 2: (False, True), 3: (False, False)}


def test_summary_facts() -> None:
    s = explain(r"^ab+$").summary
    assert (s.min_width, s.max_width) == (2, None)
    assert (s.anchored_start, s.anchored_end) == ("text", "text")
    assert not s.matches_empty
    assert explain("a*").summary.matches_empty
    assert explain("a{2,4}").summary.max_width == 4


def test_brief_is_one_sentence_about_the_whole_pattern() -> None:
    result = explain(r"^\d{3}-\d{4}$")
    brief, reading = result.brief, result.reading
    assert brief == f"Matches {result.intent}."
    for sentence in (brief, reading):
        assert sentence.startswith("Matches ")
        assert sentence.endswith(".")
        assert "\n" not in sentence
        assert "whole text" in sentence
    assert "exactly 3 digits" in reading and "the character `-`" in reading
    assert "3 digits, a hyphen, 4 digits" in brief


def test_repeated_capture_says_only_the_last_is_kept() -> None:
    assert "only the last repetition is captured" in sentence_for("(ab)+", "(ab)+")


def test_alternation_lists_its_branches() -> None:
    result = explain("cat|dog|")
    assert [(r.depth, r.text) for r in result.rows()] == [
        (0, "cat|dog|"),
        (1, "cat"),
        (1, "dog"),
        (1, ""),
    ]


# --- every node type, including the regex flavour's, from hand-made trees -----------------


def lit(ch: str, at: int) -> Literal:
    return Literal(span=Span(at, at + 1), char=ch, raw=ch, kind="plain")


def regex_pattern(text: str, body: Node, flags: str = "") -> Pattern:
    return Pattern(span=Span(0, len(text)), text=text, flavor="regex", flags=flags, body=body)


def hand_made() -> list[Pattern]:
    """Regex-flavour constructs, built by hand so they do not depend on the parser."""
    posix = PosixClass(span=Span(1, 10), name="alpha", negated=False)
    vowels = Class(
        span=Span(12, 19), negated=False, items=tuple(lit(c, 13 + i) for i, c in enumerate("aeiou"))
    )
    setop = ClassSetOp(span=Span(1, 19), op="--", left=(posix,), right=(vowels,))
    return [
        regex_pattern(
            r"\p{Lu}",
            Property(span=Span(0, 6), negated=False, name="Lu", value=None, raw=r"\p{Lu}"),
        ),
        regex_pattern(
            "[[:alpha:]--[aeiou]]", Class(span=Span(0, 20), negated=False, items=(setop,))
        ),
        regex_pattern(
            "(?:a){e<=1}",
            Fuzzy(
                span=Span(0, 11),
                item=lit("a", 3),
                limits=(FuzzyLimit(span=Span(6, 10), kind="e", min=0, max=1),),
                cost=None,
                test=None,
                raw="{e<=1}",
            ),
        ),
        regex_pattern("(?R)", Recursion(span=Span(0, 4), target=0, raw="(?R)")),
        regex_pattern("(*SKIP)", Verb(span=Span(0, 7), name="SKIP")),
        regex_pattern(r"\L<words>", NamedList(span=Span(0, 9), name="words")),
        regex_pattern(r"\G", Anchor(span=Span(0, 2), kind="search_start", raw=r"\G")),
        regex_pattern(r"\K", Anchor(span=Span(0, 2), kind="keep_out", raw=r"\K")),
        regex_pattern(
            "(?|(a)|(b))",
            BranchReset(
                span=Span(0, 11),
                body=Concat(
                    span=Span(3, 10),
                    items=(
                        Capture(span=Span(3, 6), body=lit("a", 4), index=1, name=None, opener="("),
                        Capture(span=Span(7, 10), body=lit("b", 8), index=1, name=None, opener="("),
                    ),
                ),
            ),
        ),
        regex_pattern(r"\w", ClassEscape(span=Span(0, 2), letter="w")),
        regex_pattern("", Empty(span=Span(0, 0))),
        regex_pattern(
            "x*",
            Repeat(span=Span(0, 2), item=lit("x", 0), min=0, max=None, greed="greedy", raw="*"),
        ),
    ]


@pytest.mark.parametrize("pattern", hand_made(), ids=lambda p: p.text or "empty")
def test_every_regex_flavour_construct_gets_a_sentence(pattern: Pattern) -> None:
    result = explain(pattern)
    assert result.brief.startswith("Matches ")
    for row in result.rows():
        assert row.sentence.strip()
        assert row.text == pattern.text[row.span.start : row.span.end]


def test_regex_flavour_sentences_a_person_would_write() -> None:
    by_text = {p.text: explain(p) for p in hand_made()}
    assert "uppercase letter" in by_text[r"\p{Lu}"].rows()[0].sentence
    setop = by_text["[[:alpha:]--[aeiou]]"].rows()[0].sentence
    assert "except" in setop and "letter" in setop and "`a`" in setop
    assert "at most one error" in by_text["(?:a){e<=1}"].rows()[0].sentence
    assert "whole pattern" in by_text["(?R)"].rows()[0].sentence
    assert "`words`" in by_text[r"\L<words>"].rows()[0].sentence


def test_explanation_is_frozen() -> None:
    result: Explanation = explain("a")
    with pytest.raises(AttributeError):
        result.brief = "x"  # type: ignore[misc]
    assert all(n.span.end <= 1 for n in walk(result.pattern))


def test_identical_neighbours_read_as_a_count() -> None:
    assert rows(r"\d\d:\d\d") == [
        (r"\d\d", "exactly 2 digits (0-9 or other Unicode decimal digits)"),
        (":", "the character `:`"),
        (r"\d\d", "exactly 2 digits (0-9 or other Unicode decimal digits)"),
    ]


def test_verbose_whitespace_gets_no_row_but_comments_do() -> None:
    got = rows("a b  # the end\n c", flags="x")
    assert got == [
        ("a b", "the text `ab`"),
        ("# the end\n", "a comment, ignored in verbose mode: `# the end`"),
        ("c", "the character `c`"),
    ]


def test_the_empty_pattern_has_one_row() -> None:
    assert rows("") == [("", "nothing (matches the empty string here)")]


def test_brief_of_a_huge_pattern_stays_short() -> None:
    brief = explain("(a|b)c*" * 400).brief
    assert len(brief) < 500
    assert brief.endswith(".")


def test_text_rendering_aligns_sentences_and_has_no_escape_codes() -> None:
    from rxp._explain._render import render_text

    pattern = r"^(?P<user>\w+)@(?P<host>[\w.-]+)$"
    result = explain(pattern)
    out = render_text(result)
    assert "\x1b" not in out
    head, tree = out.split("\n\n", 1)
    assert head.splitlines()[0] == f"summary   {result.brief}"  # the tree view opens with it
    assert head.splitlines()[1].split() == ["pattern", pattern]
    assert "user" in head and "host" in head
    lines = tree.splitlines()
    sentences = [r.sentence for r in result.rows()]
    assert len(lines) == len(sentences)
    # every sentence starts in the same column, after its slice
    assert len({line.index(s) for line, s in zip(lines, sentences, strict=True)}) == 1
    for line, r in zip(lines, result.rows(), strict=True):
        assert r.text in line


def test_conditional_reads_as_an_if() -> None:
    said = sentence_for(r"(<)?\w+(?(1)>)", "(?(1)>)")
    assert said.startswith("if group 1 has captured something")
    assert said.endswith("otherwise nothing")
    assert sentence_for(r"(<)?\w+(?(1)>|!)", "(?(1)>|!)").endswith("otherwise the second branch")


def test_on_a_narrow_terminal_sentences_wrap_under_their_column() -> None:
    from rxp._explain._render import render_text

    result = explain(r"^(\S+)\s+(\d{1,3})")  # anchored: no backtracking warning
    wide = render_text(result).split("\n\n", 1)[1]
    narrow = render_text(result, width=60).split("\n\n", 1)[1]
    assert all(len(line) <= 60 for line in narrow.splitlines())
    assert len(narrow.splitlines()) > len(wide.splitlines())
    # the same words, only broken differently
    assert " ".join(narrow.replace("│", " ").split()) == " ".join(wide.replace("│", " ").split())


def test_flags_may_be_re_constants() -> None:
    import re

    result = explain("^a.", flags=re.MULTILINE | re.DOTALL)
    assert {"m", "s"} <= set(result.summary.flags)
    assert sentence_for("^a.", "^", flags=re.M) == "the start of a line"


def test_summary_lengths_read_plainly() -> None:
    from rxp._explain._render import render_text

    assert "exactly 2 characters" in render_text(explain("ab"))
    assert "1 to 4 characters" in render_text(explain("a{1,4}"))
    assert "unbounded" in render_text(explain("a+"))


def test_regex_flavour_properties_read_by_their_meaning() -> None:
    got = dict(rows(r"\p{Script=Greek}\P{Lu}\p{IsAlpha}", flavor="regex"))
    assert got[r"\p{Script=Greek}"] == "a character of the Greek script"
    assert "not an uppercase letter" in got[r"\P{Lu}"]
    assert "alphabetic" in got[r"\p{IsAlpha}"]
