"""Examples and near misses, held against the engines: every example ``re``/``regex``
finds with exactly its span, every near miss found nowhere, checked here again with a
pattern compiled independently of rxp. Plus how often an example is found at all, a list of
constructs that must each get one, and hostile patterns that must not hang."""

from __future__ import annotations

import itertools
import json
import re
import subprocess
import sys
import warnings
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings

from rxp._analysis._examples import Example, examples, near_misses
from rxp._syntax._ast import Literal, Pattern, walk
from rxp._syntax._parse import parse
from tests.syntax.strategies import _bits, flagged_patterns, regex_structured, structured

_QUIET = [HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large]


def _compiled(pattern: str, flags: str, flavor: str) -> Any:
    import regex

    module: Any = regex if flavor == "regex" else re
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return module.compile(pattern, _bits(module, flags))


def _search(compiled: Any, text: str, flavor: str) -> Any:
    return compiled.search(text, timeout=1) if flavor == "regex" else compiled.search(text)


def _check(pattern: str, flags: str, flavor: str) -> tuple[Pattern, tuple[Example, ...]]:
    """Examples and near misses of ``pattern``, each checked on the engine."""
    p = parse(pattern, flavor=flavor, flags=flags)  # type: ignore[arg-type]
    found = examples(p)
    misses = near_misses(p)
    compiled = _compiled(pattern, flags, flavor)
    for example in found:
        match = _search(compiled, example.text, flavor)
        assert match is not None, example
        assert match.span() == example.span, example
    for miss in misses:
        assert _search(compiled, miss.text, flavor) is None, miss
        assert miss.why
        assert 0 <= miss.span[0] < miss.span[1] <= len(pattern), miss
    assert len({e.text for e in found}) == len(found)
    assert len({m.text for m in misses}) == len(misses)
    return p, found


@settings(max_examples=100, deadline=None, suppress_health_check=_QUIET)
@given(flagged_patterns("re"))
def test_re_examples_match_and_near_misses_do_not(pf: tuple[str, str]) -> None:
    _check(pf[0], pf[1], "re")


@settings(max_examples=50, deadline=None, suppress_health_check=_QUIET)
@given(flagged_patterns("regex"))
def test_regex_examples_match_and_near_misses_do_not(pf: tuple[str, str]) -> None:
    _check(pf[0], pf[1], "regex")


def _valid(pattern: str, flavor: str) -> bool:
    try:
        parse(pattern, flavor=flavor)  # type: ignore[arg-type]
    except Exception:
        return False
    return True


@settings(max_examples=100, deadline=None, suppress_health_check=_QUIET)
@given(structured.filter(lambda p: _valid(p, "re")))
def test_structured_re_patterns(pattern: str) -> None:
    # backreferences, conditionals and look-behinds in every arrangement
    _check(pattern, "", "re")


@settings(max_examples=60, deadline=None, suppress_health_check=_QUIET)
@given(regex_structured.filter(lambda p: _valid(p, "regex")))
def test_structured_regex_patterns(pattern: str) -> None:
    # recursion, branch reset, DEFINE, scoped and positional flags
    _check(pattern, "", "regex")


def _draw(flavor: str, n: int) -> list[tuple[str, str]]:
    """``n`` generated valid patterns, the same every run."""
    drawn: list[tuple[str, str]] = []

    @settings(
        max_examples=n,
        derandomize=True,
        deadline=None,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=_QUIET,
    )
    @given(flagged_patterns(flavor))
    def collect(pf: tuple[str, str]) -> None:
        drawn.append(pf)

    collect()
    return drawn


def _matches_something(compiled: Any, p: Pattern, flavor: str) -> bool:
    """Whether the engine matches some string of up to 3 characters from the pattern's
    literals and a few others: a miss this finds is a miss of the writer."""
    alphabet = sorted({n.char for n in walk(p) if isinstance(n, Literal)} | set("a1 -_\nA"))
    for size in range(4):
        for chars in itertools.product(alphabet[:12], repeat=size):
            text = "".join(chars)
            try:
                found = compiled.search(text, timeout=0.05) if flavor == "regex" else None
            except (TimeoutError, MemoryError):  # regex: (?R)? recurses until out of memory
                return False  # cannot tell
            if found is not None or (flavor == "re" and compiled.search(text) is not None):
                return True
    return False


@pytest.mark.parametrize(("flavor", "n", "floor"), [("re", 300, 0.93), ("regex", 100, 0.85)])
def test_coverage_an_example_for_almost_every_pattern(flavor: str, n: int, floor: float) -> None:
    # Generated patterns that no string matches (an anchor in the middle, (?!) and the
    # like) count against the figure; the ones a brute-force search can match must not.
    found = 0
    missed: list[str] = []
    for pattern, flags in _draw(flavor, n):
        p, got = _check(pattern, flags, flavor)
        if got:
            found += 1
        elif _matches_something(_compiled(pattern, flags, flavor), p, flavor):
            missed.append(pattern)
    ratio = found / n
    print(f"\n{flavor}: an example for {found}/{n} generated patterns ({ratio:.1%})")
    assert ratio >= floor
    assert len(missed) <= n // 100, missed


# A construct each, both flavours: every one must get an example.
CONSTRUCTS = [
    ("re", r"\b\d{3}-\d{4}\b"),
    ("re", r"(?m)^\w+$"),
    ("re", r"\Afoo\Z"),
    ("re", r"\Bend"),
    ("re", r"foo(?=bar)"),
    ("re", r"foo(?!bar)"),
    ("re", r"(?<=\$)\d+"),
    ("re", r"(?<!-)\b\d+"),
    ("re", r"(\w+) \1"),
    ("re", r"(?P<q>['\"]).*?(?P=q)"),
    ("re", r"(a)?(?(1)b|c)"),
    ("re", r"(?P<x>a)?(?(x)b|c)"),
    ("re", r"(?i)hello"),
    ("re", r"(?i:abc)DEF"),
    ("re", r"(?s)a.b"),
    ("re", "(?x) \\d+ \\s* # digits, then space"),
    ("re", r"[^\W\d_]+"),
    ("re", r"[^,;]+"),
    ("re", r"(?>a+)b"),
    ("re", r"a++b"),
    ("re", r"a*?b"),
    ("re", r"\x41\u00e9\N{EM DASH}"),
    ("re", r"(?a)\w+\b"),
    ("re", r"(?:ab|cd){2,3}"),
    ("re", r"(?=.*\d)(?=.*[A-Z]).{8,}"),
    ("re", r"\d+(?=px\b)"),
    ("re", r"^(?!.*password).*$"),
    ("re", r"(?<=\bfoo)bar"),
    ("re", r"(?ms)^a.$\n^b"),
    ("regex", r"\p{L}+"),
    ("regex", r"\p{Greek}+"),
    ("regex", r"\p{Lu}\p{Ll}+"),
    ("regex", r"[[:alpha:]]+\d"),
    ("regex", r"(?V1)[\w--\d]+"),
    ("regex", r"(?V1)[[a-z]&&[^aeiou]]+"),
    ("regex", r"(?:hello){e<=1}"),
    ("regex", r"(?:cat){i<=1,d<=1}\d"),
    ("regex", r"\X\X"),
    ("regex", r"\((?:[^()]|(?R))*\)"),
    ("regex", r"(?|(a)|(b))\1"),
    ("regex", r"\m\w+\M"),
    ("regex", r"foo\Kbar"),
    ("regex", r"(?<n>\d+)-\g<n>"),
    ("regex", r"(?(DEFINE)(?<d>\d))(?&d)+"),
    ("regex", r"(?<=\d{1,3})x"),
    ("regex", r"(?i)straße"),
    ("regex", r"\p{Script=Han}+"),
    ("regex", r"(?r)abc\d"),
]


@pytest.mark.parametrize(("flavor", "pattern"), CONSTRUCTS)
def test_every_construct_gets_a_readable_example(flavor: str, pattern: str) -> None:
    _, found = _check(pattern, "", flavor)
    assert found, pattern
    assert all(len(e.text) >= len(found[0].text) for e in found)  # the shortest first
    for example in found:
        assert all(ch.isprintable() or ch in "\n\t" for ch in example.text), example


@pytest.mark.parametrize(
    ("flavor", "pattern"),
    [(f, p) for f, p in CONSTRUCTS if not any(x in p for x in ("{e<=", "\\X", "[^,;]+"))],
)
def test_near_misses_point_at_a_part_of_the_pattern(flavor: str, pattern: str) -> None:
    p = parse(pattern, flavor=flavor)  # type: ignore[arg-type]
    misses = near_misses(p)
    assert misses, pattern
    spans = {(n.span.start, n.span.end) for n in walk(p)}
    assert all(m.span in spans for m in misses), misses


def test_one_near_miss_per_reason() -> None:
    for flavor, pattern in CONSTRUCTS:
        whys = [m.why for m in near_misses(parse(pattern, flavor=flavor))]  # type: ignore[arg-type]
        assert len(whys) == len(set(whys)), pattern


def test_count_bounds_the_answer() -> None:
    p = parse(r"(?:ab|cd|ef)+\d*")
    assert examples(p, count=0) == ()
    assert near_misses(p, count=0) == ()
    assert len(examples(p, count=1)) == 1
    many = examples(p, count=6)
    assert 3 < len(many) <= 6
    assert examples(p, count=2) == many[:2]


@pytest.mark.parametrize("hazardous", [None, True, False])
@pytest.mark.parametrize("pattern", [r"(\w+\s?)*\.", r"\d+\.\d+\.\d+", r"(a|ab)+c$"])
def test_a_known_hazard_changes_the_engine_not_the_answer(
    pattern: str, hazardous: bool | None
) -> None:
    # True sends the checks to regex VERSION0 under a timeout; the results still hold on re
    p = parse(pattern)
    found = examples(p, hazardous=hazardous)
    misses = near_misses(p, hazardous=hazardous)
    assert found
    for example in found:
        match = re.search(pattern, example.text)
        assert match is not None and match.span() == example.span
    assert all(re.search(pattern, m.text) is None for m in misses)


def test_nothing_unverifiable_is_returned() -> None:
    # a named list needs its values to compile: no engine, so no answer at all
    p = parse(r"\L<words>x", flavor="regex", named_lists=["words"])
    assert examples(p) == ()
    assert near_misses(p) == ()
    # a pattern nothing matches
    assert examples(parse(r"a\Zb")) == ()
    assert examples(parse(r"(?!)")) == ()


HOSTILE = [
    ("re", r"(a+)+$"),
    ("re", r"(\w+\s?)*$"),
    ("re", r"(.*a){20}"),
    ("re", r"(.*a?){20}b"),
    ("re", r"(.*.*){20}b"),
    ("re", r"(((a+)+)+)+$"),
    ("re", r"(x+x+)+y"),
    ("re", r"^(([a-z])+.)+[A-Z]([a-z])+$"),
    ("re", r"^([a-zA-Z0-9])(([\-.]|[_]+)?([a-zA-Z0-9]+))*(@){1}[a-z0-9]+[.]{1}[a-z]{2,3}$"),
    ("re", "(?:" + "|".join(rf"\d{{{i}}}x" for i in range(1, 300)) + ")+$"),
    ("re", "|".join(f"w{i:05d}" for i in range(5000))),
    ("re", "(" * 300 + "a" + ")" * 300 + r"\d+"),
    ("re", r"\d{1500}-\w{400,}"),
    ("regex", r"(a+)+$"),
    ("regex", r"(.*a?){20}b"),
    ("regex", r"(?:(?:a|a)+)+\d"),
    ("regex", r"\((?:[^()]|(?R))*\)"),
]

_RUN = """
import json, sys
from rxp._analysis._examples import examples, near_misses
from rxp._syntax._parse import parse
out = []
for flavor, pattern in json.load(sys.stdin):
    p = parse(pattern, flavor=flavor)
    out.append([[[e.text, e.span] for e in examples(p)], [n.text for n in near_misses(p)]])
print(json.dumps(out))
"""


def test_hostile_patterns_come_back() -> None:
    # re cannot be interrupted, so the run is in a process of its own: a hang fails the test
    done = subprocess.run(
        [sys.executable, "-c", _RUN],
        input=json.dumps(HOSTILE),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    import regex

    results = json.loads(done.stdout)
    assert len(results) == len(HOSTILE)
    for (flavor, pattern), (found, misses) in zip(HOSTILE, results, strict=True):
        # checked on regex under a timeout (VERSION0 follows re) so this test cannot hang
        compiled = regex.compile(pattern, regex.V0 if flavor == "re" else 0)
        for text, span in found:
            assert compiled.search(text, timeout=5).span() == tuple(span), (pattern, text)
        for text in misses:
            assert compiled.search(text, timeout=5) is None, (pattern, text)
    empty = [p for (_, p), (found, _) in zip(HOSTILE, results, strict=True) if not found]
    assert empty == []
