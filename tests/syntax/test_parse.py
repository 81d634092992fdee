"""The re-flavour parser: AST shape, losslessness and agreement with Python's ``re``."""

from __future__ import annotations

import ast
import re
import warnings
from pathlib import Path

import pytest
import test.re_tests as re_tests

from rxp import PatternError, RxpError, parse, unparse
from rxp._syntax import _ast as A
from rxp._syntax._ast import walk


def lit(char: str, at: int, raw: str | None = None) -> A.Literal:
    raw = char if raw is None else raw
    kind: A.LiteralKind = "plain" if raw == char else "escape"
    return A.Literal(span=A.Span(at, at + len(raw)), char=char, raw=raw, kind=kind)


def re_outcome(pattern: str, flags: int = 0) -> tuple[str, int | None] | None:
    """None when re accepts; else (message, position)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            re.compile(pattern, flags)
        except re.error as exc:
            return exc.msg, exc.pos
        except (OverflowError, RecursionError, ValueError) as exc:
            return str(exc), None
    return None


def rxp_outcome(pattern: str, flags: int = 0) -> tuple[str, int | None] | None:
    try:
        tree = parse(pattern, flags=flags)
    except PatternError as exc:
        return exc.message, exc.position
    assert unparse(tree) == pattern
    return None


CORPUS = sorted({case[0] for case in re_tests.tests})


# --- shape ----------------------------------------------------------------------------------


def test_alternation_of_two_literals() -> None:
    body = parse("a|b").body
    assert body == A.Alternation(span=A.Span(0, 3), branches=(lit("a", 0), lit("b", 2)))


def test_concat_and_repeat() -> None:
    body = parse("ab+?").body
    assert isinstance(body, A.Concat)
    first, second = body.items
    assert first == lit("a", 0)
    assert second == A.Repeat(
        span=A.Span(1, 4), item=lit("b", 1), min=1, max=None, greed="lazy", raw="+?"
    )


@pytest.mark.parametrize(
    ("quant", "low", "high", "greed"),
    [
        ("*", 0, None, "greedy"),
        ("+", 1, None, "greedy"),
        ("?", 0, 1, "greedy"),
        ("{3}", 3, 3, "greedy"),
        ("{3,}", 3, None, "greedy"),
        ("{,4}", 0, 4, "greedy"),
        ("{2,5}?", 2, 5, "lazy"),
        ("*+", 0, None, "possessive"),
        ("{,}", 0, None, "greedy"),
    ],
)
def test_quantifier_bounds(quant: str, low: int, high: int | None, greed: str) -> None:
    body = parse("x" + quant).body
    assert isinstance(body, A.Repeat)
    assert (body.min, body.max, body.greed, body.raw) == (low, high, greed, quant)


@pytest.mark.parametrize("pattern", ["a{", "a{x}", "a{1,2", "a{}", "x{1, 2}"])
def test_brace_that_is_not_a_quantifier_is_a_literal(pattern: str) -> None:
    tree = parse(pattern)
    assert not any(isinstance(n, A.Repeat) for n in walk(tree))
    assert any(isinstance(n, A.Literal) and n.raw == "{" for n in walk(tree))


def test_capture_numbering_and_names() -> None:
    tree = parse(r"(a)(?P<word>b(c))(?:d)(e)")
    caps = [n for n in walk(tree) if isinstance(n, A.Capture)]
    assert [(c.index, c.name) for c in caps] == [(1, None), (2, "word"), (3, None), (4, None)]


@pytest.mark.parametrize(
    ("pattern", "kind", "char"),
    [
        (r"\x41", "hex", "A"),
        (r"\u00e9", "unicode", "é"),
        (r"\U0001F600", "unicode_long", "\U0001f600"),
        (r"\N{EM DASH}", "named", "—"),
        (r"\0", "octal", "\0"),
        (r"\141", "octal", "a"),
        (r"\n", "control", "\n"),
        (r"\.", "escape", "."),
    ],
)
def test_escape_kinds(pattern: str, kind: str, char: str) -> None:
    body = parse(pattern).body
    assert isinstance(body, A.Literal)
    assert (body.kind, body.char, body.raw) == (kind, char, pattern)


def test_class_with_leading_bracket_range_and_escape() -> None:
    body = parse(r"[^]a-z\d-]").body
    assert isinstance(body, A.Class)
    assert body.negated
    kinds = [type(i).__name__ for i in body.items]
    assert kinds == ["Literal", "ClassRange", "ClassEscape", "Literal"]


def test_verbose_whitespace_and_comments_are_trivia() -> None:
    pattern = "(?x) a  # letter\n b *"
    tree = parse(pattern)
    trivia = [n.text for n in walk(tree) if isinstance(n, A.Trivia)]
    assert trivia == [" ", "  ", "# letter\n", " "]
    repeat = next(n for n in walk(tree) if isinstance(n, A.Repeat))
    assert repeat.raw == " *" and repeat.item == lit("b", 18)


def test_verbose_by_flag_argument_and_scoped() -> None:
    assert isinstance(parse("a b", flags="x").body, A.Concat)
    assert any(isinstance(n, A.Trivia) for n in walk(parse("a b", flags=re.X)))
    scoped = parse("(?x: a )b c")
    assert [n.text for n in walk(scoped) if isinstance(n, A.Trivia)] == [" ", " "]
    off = parse("(?-x: a )", flags="x")
    assert not any(isinstance(n, A.Trivia) for n in walk(off))


def test_conditional_and_lookarounds() -> None:
    tree = parse(r"(?P<q>')?(?(q)a|b)(?<=x)(?!y)")
    cond = next(n for n in walk(tree) if isinstance(n, A.Conditional))
    assert (cond.condition, cond.condition_raw) == ("q", "q")
    assert cond.yes == lit("a", 14) and cond.no == lit("b", 16)
    looks = [(n.ahead, n.negated) for n in walk(tree) if isinstance(n, A.Lookaround)]
    assert looks == [(False, False), (True, True)]


def test_empty_branches_are_empty_nodes() -> None:
    body = parse("(|a|)").body
    assert isinstance(body, A.Capture) and isinstance(body.body, A.Alternation)
    first, _, last = body.body.branches
    assert first == A.Empty(span=A.Span(1, 1)) and last == A.Empty(span=A.Span(4, 4))
    assert parse("").body == A.Empty(span=A.Span(0, 0))


# --- lossless, on the CPython corpus -----------------------------------------------------------


def test_every_node_span_is_its_text() -> None:
    for pattern in CORPUS:
        if re_outcome(pattern) is not None:
            continue
        tree = parse(pattern)
        for node in walk(tree):
            assert unparse(node) == node.span.slice(pattern), (pattern, node)


def test_corpus_accept_reject_and_position_agree_with_re() -> None:
    mismatches = []
    for pattern in CORPUS:
        want, got = re_outcome(pattern), rxp_outcome(pattern)
        same = (want is None) == (got is None)
        if same and want is not None and got is not None and want[1] is not None:
            same = want == got
        if not same:
            mismatches.append((pattern, want, got))
    assert mismatches == []
    assert len(CORPUS) > 300


# --- hostile input ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "pattern",
    [
        "(" * 10_000,
        "(" * 10_000 + ")" * 10_000,
        ")" * 10_000,
        "[" * 10_000,
        "a{99999999999999999999}",
        "a{" + "9" * 5000 + "}",
        "a{1," + "9" * 5000 + "}",
        "(a)(?(" + "9" * 5000 + ")b)",
        "\0\0\\\0",
        "\\",
        "a" * 100_000,
        "(?:a|" * 600 + ")" * 600,
    ],
)
def test_hostile_input_is_a_clean_error_or_a_tree(pattern: str) -> None:
    want = re_outcome(pattern)
    got = rxp_outcome(pattern)
    assert (want is None) == (got is None)
    if want is not None and got is not None and want[1] is not None:
        assert want == got


def test_deepest_nesting_re_accepts_is_parsed_and_printed() -> None:
    pattern = "(" * 400 + "a" + ")" * 400
    tree = parse(pattern)
    assert unparse(tree) == pattern
    assert max(n.index for n in walk(tree) if isinstance(n, A.Capture)) == 400


# --- errors -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "message", "position"),
    [
        ("(ab", "missing ), unterminated subpattern", 0),
        ("ab)", "unbalanced parenthesis", 2),
        ("*a", "nothing to repeat", 0),
        ("a**", "multiple repeat", 2),
        ("[a-z", "unterminated character set", 0),
        (r"a\q", r"bad escape \q", 1),
        ("[z-a]", "bad character range z-a", 1),
        ("(?<x)", "unknown extension ?<x", 1),
        ("(?P<1>a)", "bad character in group name '1'", 4),
        ("(?P=n)", "unknown group name 'n'", 4),
        (r"(a)\2", "invalid group reference 2", 4),
        ("a{3,2}", "min repeat greater than max repeat", 2),
        ("(?au)", "bad inline flags: flags 'a', 'u' and 'L' are incompatible", 4),
        ("a(?i)", "global flags not at the start of the expression", 1),
        ("(?#abc", "missing ), unterminated comment", 0),
        ("a\\", "bad escape (end of pattern)", 1),
        (r"\x4", r"incomplete escape \x4", 0),
        (r"\N{NO SUCH NAME}", "undefined character name 'NO SUCH NAME'", 0),
    ],
)
def test_syntax_errors_match_re_message_and_position(
    pattern: str, message: str, position: int
) -> None:
    assert re_outcome(pattern) == (message, position)  # the oracle agrees with the table
    with pytest.raises(PatternError) as caught:
        parse(pattern)
    assert (caught.value.message, caught.value.position) == (message, position)
    assert caught.value.pattern == pattern


def test_an_error_span_covers_the_offending_text() -> None:
    with pytest.raises(PatternError) as caught:
        parse(r"ab\qcd")
    assert caught.value.span == (2, 4)


# --- flags ------------------------------------------------------------------------------------


def test_flags_as_letters_or_bits_are_normalised() -> None:
    assert parse("a", flags=re.X | re.I | re.M).flags == "imx"
    assert parse("a", flags="xi").flags == "ix"
    assert parse("a", flavor="regex", flags="V1i").flags == "iV1"


def test_unknown_flag_letters_are_a_clean_error() -> None:
    with pytest.raises(RxpError):
        parse("a", flags="q")
    with pytest.raises(RxpError):
        parse("a", flags=1 << 20)


def _patterns_in_test_suite(path: Path, module: str) -> list[str]:
    """Every string literal passed as the pattern to ``<module>.compile/search/...`` or to
    ``checkPatternError`` in a test suite's source."""
    calls = {"compile", "search", "match", "fullmatch", "findall", "finditer", "sub", "subn"}
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        func = node.func
        by_module = (
            func.attr in calls and isinstance(func.value, ast.Name) and func.value.id == module
        )
        if not (by_module or func.attr == "checkPatternError"):
            continue
        first = node.args[0] if node.args else None
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            found.add(first.value)
    return sorted(found)


def test_patterns_of_cpythons_test_re_agree_with_re() -> None:
    import test

    patterns = _patterns_in_test_suite(Path(test.__file__).parent / "test_re.py", "re")
    assert len(patterns) > 400
    mismatches = []
    for pattern in patterns:
        want, got = re_outcome(pattern), rxp_outcome(pattern)
        if (want is None) != (got is None) or (
            want is not None and got is not None and want[1] is not None and want != got
        ):
            mismatches.append((pattern, want, got))
    assert mismatches == []
