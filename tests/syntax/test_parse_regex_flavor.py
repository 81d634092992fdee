"""The regex-flavour parser: its extra constructs, losslessness, and agreement with the
``regex`` package on acceptance and error position."""

from __future__ import annotations

import warnings

import pytest
import regex
import test.re_tests as re_tests
from hypothesis import HealthCheck, given, settings

from rxp import PatternError, parse, unparse
from rxp._syntax import _ast as A
from rxp._syntax._ast import walk
from tests.syntax.strategies import flagged_patterns, patterns, token_soup


def kinds(pattern: str, flags: str = "") -> list[str]:
    return [type(n).__name__ for n in walk(parse(pattern, flavor="regex", flags=flags))]


def regex_outcome(pattern: str) -> tuple[str, int | None] | None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            regex.compile(pattern)
        except regex.error as exc:
            return exc.msg, exc.pos
        except (ValueError, OverflowError, RecursionError) as exc:
            return str(exc), None
    return None


def rxp_outcome(pattern: str) -> tuple[str, int | None] | None:
    try:
        tree = parse(pattern, flavor="regex")
    except PatternError as exc:
        return exc.message, exc.position
    assert unparse(tree) == pattern
    return None


def agree(pattern: str) -> bool:
    want, got = regex_outcome(pattern), rxp_outcome(pattern)
    if (want is None) != (got is None):
        return False
    return want is None or got is None or want[1] is None or want == got


@pytest.mark.parametrize(
    ("pattern", "node"),
    [
        (r"\p{Greek}", "Property"),
        (r"[[:alpha:]]", "PosixClass"),
        (r"(?:cat){e<=1}", "Fuzzy"),
        (r"(?:cat){1<=e<=2,i<=1}", "Fuzzy"),
        (r"(?:cat){2i+2d+1s<=4}", "Fuzzy"),
        (r"(?|(a)|(b))", "BranchReset"),
        (r"(a)(?R)?", "Recursion"),
        (r"(a)(?1)", "Recursion"),
        (r"(?<n>a)(?&n)", "Recursion"),
        (r"(?(DEFINE)(?<n>a))(?&n)", "Conditional"),
        (r"\Ga", "Anchor"),
        (r"a\Kb", "Anchor"),
        (r"\ma\M", "Anchor"),
        (r"(*SKIP)(*FAIL)|a", "Verb"),
        (r"(*PRUNE)a", "Verb"),
        (r"(?(?=a)ab|cd)", "Lookaround"),
    ],
)
def test_regex_constructs_become_their_nodes(pattern: str, node: str) -> None:
    assert node in kinds(pattern)
    assert unparse(parse(pattern, flavor="regex")) == pattern


def test_branch_reset_numbers_each_branch_from_the_same_start() -> None:
    tree = parse(r"(?|(a)(b)|(c))(d)", flavor="regex")
    caps = [(n.index, n.span.slice(tree.text)) for n in walk(tree) if isinstance(n, A.Capture)]
    assert caps == [(1, "(a)"), (2, "(b)"), (1, "(c)"), (3, "(d)")]


def test_version1_set_operations_nest_by_precedence() -> None:
    body = parse(r"[\w--\d&&[a-z]]", flavor="regex", flags="V1").body
    assert isinstance(body, A.Class)
    (op,) = body.items
    assert isinstance(op, A.ClassSetOp) and op.op == "&&"
    (left,) = op.left
    assert isinstance(left, A.ClassSetOp) and left.op == "--"
    assert isinstance(op.right[0], A.Class)
    # Under VERSION0 the same text is an ordinary set with a literal `[` and no operators.
    v0 = parse(r"[\w--\d&&[a-z]]", flavor="regex").body
    assert not any(isinstance(n, A.ClassSetOp) for n in walk(v0))


def test_global_flag_anywhere_applies_to_the_whole_pattern() -> None:
    tree = parse(r"[\w--\d](?V1)", flavor="regex")
    assert any(isinstance(n, A.ClassSetOp) for n in walk(tree))


def test_verbose_whitespace_inside_constructs_is_kept_in_the_token() -> None:
    pattern = "(?x)a {1, 2} ? b"
    tree = parse(pattern, flavor="regex")
    repeat = next(n for n in walk(tree) if isinstance(n, A.Repeat))
    assert (repeat.min, repeat.max, repeat.greed) == (1, 2, "lazy")
    assert unparse(tree) == pattern


def test_named_lists_need_to_be_supplied_like_regex_compile() -> None:
    with pytest.raises(PatternError, match="undefined named list"):
        parse(r"\L<words>", flavor="regex")
    tree = parse(r"\L<words>!", flavor="regex", named_lists={"words"})
    assert any(isinstance(n, A.NamedList) and n.name == "words" for n in walk(tree))


def test_corpus_agrees_with_the_regex_package() -> None:
    cases = sorted({case[0] for case in re_tests.tests})
    assert [p for p in cases if not agree(p)] == []


@settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
@given(patterns("regex"))
def test_printing_regex_flavour_ast_gives_back_the_pattern(pattern: str) -> None:
    tree = parse(pattern, flavor="regex")
    assert unparse(tree) == pattern
    for node in walk(tree):
        assert node.span.slice(pattern) == unparse(node)


@settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
@given(flagged_patterns("regex"))
def test_regex_flavour_flags_argument_stays_lossless(case: tuple[str, str]) -> None:
    pattern, flags = case
    assert unparse(parse(pattern, flavor="regex", flags=flags)) == pattern


@settings(max_examples=800, deadline=None, suppress_health_check=list(HealthCheck))
@given(token_soup("regex"))
def test_regex_token_soup_agrees_with_the_regex_package(pattern: str) -> None:
    assert agree(pattern), (regex_outcome(pattern), rxp_outcome(pattern))


@pytest.mark.parametrize(
    "pattern",
    [
        "(" * 10_000,
        "(?V1)" + "[" * 10_000,
        "[" * 10_000,
        "a{99999999999999999999}",
        "a{" + "9" * 5000 + "}",
        "(?" + "9" * 5000 + ")",
        "(?:a){e<=" + "9" * 5000 + "}",
        "\\" * 10_001,
        "(?x)" + "#" * 100_000,
        "\0(\0)\0",
        "(?:" * 600 + "a" + ")" * 600,
    ],
)
def test_hostile_regex_flavour_input_is_a_clean_error_or_a_tree(pattern: str) -> None:
    want, got = regex_outcome(pattern), rxp_outcome(pattern)
    assert (want is None) == (got is None)


@pytest.mark.parametrize(
    "pattern",
    [
        "(?x)(?< =a)b",
        "(?x)(?(? <=a)b|c)",
        "(?x)(?P <n>a)(?P =n)",
        "(?x)a{ 1 , 2 }",
        "(?x)(?i :a)",
        "(?x)\\x 4 1",
        "(?x)(* SKIP)(*F)|a",
        "(?x)\\L< w >",
    ],
)
def test_verbose_whitespace_inside_regex_constructs_prints_back(pattern: str) -> None:
    tree = parse(pattern, flavor="regex", named_lists={"w"})
    assert unparse(tree) == pattern
    for node in walk(tree):
        assert node.span.slice(pattern) == unparse(node)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        regex.compile(pattern, ignore_unused=True, w=["x"])  # the oracle accepts it too


def test_patterns_of_the_regex_packages_own_tests_agree_with_it() -> None:
    import ast
    from pathlib import Path

    source = Path(regex.__file__).parent / "tests" / "test_regex.py"
    calls = {"compile", "search", "match", "fullmatch", "findall", "finditer", "sub", "subn"}
    patterns: set[str] = set()
    for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in calls
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "regex"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            patterns.add(node.args[0].value)
    assert len(patterns) > 500
    assert [p for p in sorted(patterns) if not agree(p)] == []
