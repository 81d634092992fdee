"""ReDoS with proof: every reported hazard carries an attack that the engine itself rejects
and that ``verify`` shows growing as the hazard's degree says; linear patterns get none.

The oracle is the engine (``re``, or ``regex`` for that flavour), called here directly.
The only timing is ``verify``'s own measurement, which is the feature under test; it counts
thread CPU time, so a busy machine slows it down without changing its verdict.
"""

from __future__ import annotations

import re
import warnings
from typing import Any
from typing import Literal as L

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from rxp import PatternError
from rxp._analysis._attack import Attack
from rxp._analysis._linear import backtracking_obstacle
from rxp._analysis._redos import Hazard, backtracking_warnings, evidence, verify
from rxp._syntax._ast import Flavor, Pattern, Span
from rxp._syntax._parse import parse
from tests.syntax.strategies import patterns

BUDGET = 0.4  # CPU seconds per verification: room to spare on a loaded machine


def engine(p: Pattern) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if p.flavor == "regex":
            import regex

            return regex.compile(p.text)
        return re.compile(p.text)


def rejected(p: Pattern, h: Hazard, counts: tuple[int, ...]) -> bool:
    """The engine finds no match in the attack text for any of ``counts`` pumps."""
    assert h.attack is not None
    method = getattr(engine(p), h.semantics)
    return all(method(h.attack.text(n)) is None for n in counts)


def small_counts(h: Hazard) -> tuple[int, ...]:
    return (1, 2, 3, 4) if h.degree == "exponential" else (1, 2, 3, 5, 8, 13)


# Known to be slow on a backtracking engine. Sources: the brief of issue 11; OWASP's
# "Regular expression Denial of Service"; Weideman et al. 2016; the Stack Overflow outage
# of 2016-07-20 (``^[\s\u200c]+|[\s\u200c]+$``) and Cloudflare's of 2019-07-02
# (``.*(?:.*=.*)``); recheck's AutomatonCheckerSuite (MIT); regexploit's tests and README
# (Apache-2.0): CVE-2020-8492 (urllib), ua-parser, ssri, the cpython cookiejar CVE.
VULNERABLE = [
    r"\s+$",
    r"\w+=",
    r"^.*a.*a.*a.*$X",
    r"\d+\d+x",
    r"^(a+)+$",
    r"^(\w+\s?)*$",
    r"(x+x+)+y",
    r"^(([a-z])+.)+[A-Z]([a-z])+$",
    r"(\s*,\s*)*x",
    r"((ab)*|a)*c",
    r"^(a|b|ab)*$",
    r"^(aa|b|aab)*$",
    r"^((a)*)*$",
    r"^.*a.*a$",
    r"^(.a)*a(.a)*a$",
    r"^.*a.*a.*a$",
    r"^(.+?)aa\b[^@]*@",
    r"abd\w*[def]+\w+[de]!",
    r"v\w*_\w*_\w*$",
    r"[abc]+\w+[ab]+a",
    r"^a+(b*b*b*)$",
    r"(,*,)*(,+)[ \t]",
    r"^([A-Za-z0-9+/=]{4})(\?[\x21-\x7E]*)*$",
    r"(\d+).?(\d+)?.?(\d+)?.?(\d+)?C",
    r"a(z|\w*b)*d",
    r"(a?b+)+c",
    r"\bSmartWatch *\( *([^;]+) *; *([^;]+) *;",
    "^[\\s\u200c]+|[\\s\u200c]+$",
    r".*(?:.*=.*)",
    r"^(a(\b)*:)*$",  # recheck calls it linear; in Python (\b)* can match once or not at all
]

# Linear: anchored, bounded, or with repeats that can never read the same character at
# the same time. From the brief, recheck's linear and constant cases, and regexploit's
# false-positive tests (which always match somewhere, so no input fails).
SAFE = [
    r"^(a|b)*$",
    r"\d{4}-\d{2}-\d{2}",
    r"^\S+ \S+$",
    "hello world",
    r"^(?:a++)+$",
    r"^(?>a+)+$",
    r"^(?>\w+\s?)*$",
    r"^[a-z]+@[a-z]+\.com$",
    r"(?<!\s)\s+$",
    "a*",
    "(a*)*",
    r"^([a:]|\b)*$",
    r"(?i)^(\w|\W)*$",
    r"^(a()*a)*$",
    "^foo$",
    r"^((fi|bu)z{2}){1,2}$",
    r"\s*([^=]*)=?([^;]*)(;|$)",
    r"(\S.*\S)*\s*",
    r"\s*(.*?)\s*([#;].*)?$",
    r"^([*\-_])(?:\s*\1){2,}\s*$",
]


@pytest.mark.parametrize(
    ("pattern", "degree", "search"),
    [
        (r"\s+$", 2, True),
        (r"\w+=", 2, True),
        (r"^.*a.*a.*a.*$X", 4, False),
        (r"\d+\d+x", 3, True),
        (r"(a+)+$", "exponential", False),
    ],
)
def test_the_issues_cases_get_their_degree(pattern: str, degree: object, search: bool) -> None:
    tree = parse(pattern)
    (hazard,) = backtracking_warnings(tree)
    assert (hazard.degree, hazard.search) == (degree, search)
    assert hazard.kind == ("exponential" if degree == "exponential" else "polynomial")
    assert rejected(tree, hazard, small_counts(hazard))
    assert verify(tree, hazard, budget=BUDGET), evidence(tree, hazard, budget=BUDGET).reason


@pytest.mark.parametrize("pattern", VULNERABLE)
def test_every_known_vulnerable_pattern_has_a_verified_attack(pattern: str) -> None:
    tree = parse(pattern)
    hazards = backtracking_warnings(tree)
    assert hazards
    for h in hazards:
        # under search, a hazard the retry does not make may be shown on the first attempt
        assert h.attack is not None and h.semantics in (
            ("search",) if h.search else ("search", "match")
        )
        assert pattern[h.span.start : h.span.end] == h.span.slice(pattern)
        assert rejected(tree, h, small_counts(h))
        proof = evidence(tree, h, budget=BUDGET)
        assert proof.verified, (h, proof)


@pytest.mark.parametrize("pattern", SAFE)
def test_linear_patterns_get_no_warning(pattern: str) -> None:
    assert backtracking_warnings(parse(pattern)) == ()


def test_a_run_of_letters_before_a_literal_is_quadratic_under_search() -> None:
    """``[a-z]+@`` retried at every offset of a long run of letters: quadratic, whatever
    comes after (so ``[a-z]+@[a-z]+\\.com`` is not linear), and linear once anchored."""
    tree = parse(r"[a-z]+@[a-z]+\.com")
    (hazard,) = backtracking_warnings(tree)
    assert (hazard.degree, hazard.search, hazard.span.slice(tree.text)) == (2, True, "[a-z]+")
    assert verify(tree, hazard, budget=BUDGET)
    assert backtracking_warnings(parse(r"^[a-z]+@[a-z]+\.com")) == ()


def test_messages_say_what_happens_in_plain_words() -> None:
    (h,) = backtracking_warnings(parse(r"\s+$"))
    assert h.message.startswith("`\\s+` followed by `$`: a long run of spaces")
    assert "not at the end of the line" in h.message and "quadratic" in h.message
    (h,) = backtracking_warnings(parse(r"\d+\d+x"))
    assert "cubic" in h.message and "every start position" in h.message
    (h,) = backtracking_warnings(parse(r"^(a+)+$"))
    assert h.message.startswith("`(a+)+` ") and "exponential" in h.message


@pytest.mark.parametrize("pattern", VULNERABLE)
def test_without_the_search_retry_a_search_hazard_loses_one_degree(pattern: str) -> None:
    tree = parse(pattern)
    matched = {h.span: h.degree for h in backtracking_warnings(tree, semantics="match")}
    for h in backtracking_warnings(tree):
        if h.search:
            assert isinstance(h.degree, int)
            assert matched.get(h.span, 1) == h.degree - 1 or h.degree - 1 < 2
            if h.degree == 2:
                assert h.span not in matched


def claim(pattern: str, degree: int | L["exponential"], attack: Attack) -> tuple[Pattern, Hazard]:
    kind: L["exponential", "polynomial"] = (
        "exponential" if degree == "exponential" else "polynomial"
    )
    return parse(pattern), Hazard(Span(0, 1), kind, "", degree, attack, False, "search")


@pytest.mark.parametrize(
    ("pattern", "degree", "attack"),
    [
        (r"^\w+=", 2, Attack("", "a", "!")),  # linear: one start, one way
        (r"\s+$", "exponential", Attack("", " ", "!")),  # quadratic, not exponential
        (r"\w+=", 2, Attack("", "a", "=")),  # it matches: proves nothing
        (r"\d+\d+x", 5, Attack("", "1", "!")),  # cubic, not quintic
    ],
)
def test_verify_refuses_what_the_engine_does_not_show(
    pattern: str, degree: int | L["exponential"], attack: Attack
) -> None:
    tree, made_up = claim(pattern, degree, attack)
    assert not verify(tree, made_up, budget=BUDGET)


def test_verify_returns_on_an_exponential_with_a_large_base() -> None:
    tree = parse("^(?:a|a|a|a|a|a|a|a|a|a|a|a|a|a|a|a)*$")
    (h,) = backtracking_warnings(tree)
    assert h.degree == "exponential"
    assert verify(tree, h, budget=BUDGET)


@pytest.mark.parametrize("pattern", [r"\s+$", r"\w+=", r"(a|aa)+$", r"\d+\d+x"])
def test_the_regex_flavour_gets_attacks_for_its_own_engine(pattern: str) -> None:
    """``regex`` first checks that a required literal is present: the attack puts it
    where it cannot help."""
    tree = parse(pattern, flavor="regex")
    (h,) = backtracking_warnings(tree)
    assert rejected(tree, h, small_counts(h))
    assert verify(tree, h, budget=BUDGET), evidence(tree, h, budget=BUDGET).reason


def test_fullmatch_semantics_finds_what_search_cannot_attack() -> None:
    tree = parse("(a|a)*")  # matches the empty string anywhere: search always succeeds
    assert backtracking_warnings(tree) == ()
    (h,) = backtracking_warnings(tree, semantics="fullmatch")
    assert h.degree == "exponential" and rejected(tree, h, (1, 2, 3))
    assert verify(tree, h, budget=BUDGET)


def _parsed(text: str, flavor: Flavor) -> Pattern:
    try:
        return parse(text, flavor=flavor)
    except PatternError:
        assume(False)
        raise


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(["re", "regex"]).flatmap(lambda f: st.tuples(st.just(f), patterns(f))))
def test_every_attack_on_a_generated_pattern_fails_to_match(case: tuple[Flavor, str]) -> None:
    flavor, text = case
    tree = _parsed(text, flavor)
    for h in backtracking_warnings(tree):
        assert h.attack is not None
        assert rejected(tree, h, (1, 2, 3, 4))


# Pairwise disjoint sets: each character of a text can only be read by one of them.
_DISJOINT = ["a", "b", "\\d", "[xyz]", "\\s", "[A-Z]", "-", "[.,]", "=", ";"]
_QUANTIFIERS = ["", "?", "*", "+", "{2,}", "{1,3}"]


@st.composite
def unambiguous(draw: st.DrawFn) -> str:
    """Repeats over pairwise disjoint sets; a group ends with a set read exactly once, so
    a character always says which iteration it belongs to."""
    atoms = iter(draw(st.permutations(_DISJOINT)))
    out = ""
    for _ in range(draw(st.integers(1, 3))):
        if draw(st.booleans()):
            body = "".join(
                next(atoms) + draw(st.sampled_from(_QUANTIFIERS))
                for _ in range(draw(st.integers(0, 2)))
            )
            out += f"(?:{body}{next(atoms)})" + draw(st.sampled_from(_QUANTIFIERS[1:]))
        else:
            out += next(atoms) + draw(st.sampled_from(_QUANTIFIERS))
    return out


@settings(max_examples=150, deadline=None)
@given(unambiguous(), st.booleans())
def test_repeats_over_disjoint_sets_are_at_most_quadratic_by_the_retry(
    text: str, anchored: bool
) -> None:
    tree = parse(("^" if anchored else "") + text)
    assert backtracking_obstacle(tree) is None  # in the linear-engine subset
    hazards = backtracking_warnings(tree)
    assert all(h.degree == 2 and h.search for h in hazards)
    assert backtracking_warnings(tree, semantics="match") == ()
    if anchored:
        assert hazards == ()


@pytest.mark.parametrize("pattern", [r"(\w+\s?)*$", r"(a|a)*$", r"([a-z]+\d?)*$"])
def test_a_hazard_search_pays_before_it_matches_at_the_end(pattern: str) -> None:
    # `(a|a)*$` matches the empty string at the end of any text, but search first spends
    # exponential time at offset 0; the warning must not be dropped for the late match
    tree = parse(pattern)
    (h,) = backtracking_warnings(tree)
    assert h.degree == "exponential" and h.semantics == "match"
    assert h.attack is not None and rejected(tree, h, small_counts(h))
    assert evidence(tree, h, budget=BUDGET).verified
