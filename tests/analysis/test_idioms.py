"""Idioms found by structure (``rxp._analysis._idioms``), checked three ways:

- spellings from real pattern libraries (grok's, fluentd's and Vector's log parsers, common
  StackOverflow answers) and those ``docs/idioms.md`` lists are recognised, and its near
  misses are not;
- Python's ``re`` is the oracle: the slice of the pattern an idiom covers, compiled alone,
  matches one of the strings ``docs/idioms.md`` says the idiom accepts;
- rewrites that keep the language (``\\d`` <-> ``[0-9]``, ``x{3}`` -> ``xxx``, an extra
  non-capturing group) do not change what is recognised.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rxp._analysis import _idioms
from rxp._analysis._idioms import IDIOM_NAMES, Idiom, idioms
from rxp._syntax._ast import (
    Class,
    ClassEscape,
    ClassRange,
    Dot,
    Literal,
    Node,
    Pattern,
    Repeat,
    children,
)
from rxp._syntax._flags import global_flags
from rxp._syntax._parse import parse
from tests.syntax.strategies import flagged_patterns, patterns

DOC = Path(__file__).parents[2] / "docs" / "idioms.md"


@dataclass(frozen=True)
class Entry:
    recognises: tuple[str, ...]
    near_misses: tuple[str, ...]
    accepts: tuple[str, ...]


def _code_spans(line: str) -> tuple[str, ...]:
    out = []
    for match in re.finditer(r"(`+)(.+?)\1", line):
        text = match.group(2)
        if len(match.group(1)) > 1 and text.startswith(" ") and text.endswith(" "):
            text = text[1:-1]
        out.append(text)
    return tuple(out)


def _vocabulary() -> dict[str, Entry]:
    """``docs/idioms.md``, section by section: the spellings under Recognises, the first
    code span under Not, the strings under Accepts."""
    sections = re.split(r"^### `([\w-]+)`\n", DOC.read_text(encoding="utf-8"), flags=re.M)
    out = {}
    for name, body in zip(sections[1::2], sections[2::2], strict=True):
        lines = {
            key: _code_spans(line)
            for line in body.splitlines()
            for key in ("Recognises", "Not", "Accepts")
            if line.startswith(f"- {key}:")
        }
        out[name] = Entry(lines["Recognises"], lines["Not"][:1], lines["Accepts"])
    return out


VOCABULARY = _vocabulary()

# grok (logstash-patterns-core, patterns/ecs-v1/grok-patterns), as it defines them
_GROK = {
    "INT": r"(?:[+-]?(?:[0-9]+))",
    "BASE10NUM": r"(?<![0-9.+-])(?>[+-]?(?:(?:[0-9]+(?:\.[0-9]+)?)|(?:\.[0-9]+)))",
    "BASE16NUM": r"(?<![0-9A-Fa-f])(?:[+-]?(?:0x)?(?:[0-9A-Fa-f]+))",
    "POSINT": r"\b(?:[1-9][0-9]*)\b",
    "QUOTEDSTRING": r"""(?>(?<!\\)(?>"(?>\\.|[^\\"]+)+"|""|(?>'(?>\\.|[^\\']+)+')|''|(?>`(?>\\.|[^\\`]+)+`)|``))""",  # noqa: E501
    "UUID": r"[A-Fa-f0-9]{8}-(?:[A-Fa-f0-9]{4}-){3}[A-Fa-f0-9]{12}",
    "CISCOMAC": r"(?:(?:[A-Fa-f0-9]{4}\.){2}[A-Fa-f0-9]{4})",
    "WINDOWSMAC": r"(?:(?:[A-Fa-f0-9]{2}-){5}[A-Fa-f0-9]{2})",
    "COMMONMAC": r"(?:(?:[A-Fa-f0-9]{2}:){5}[A-Fa-f0-9]{2})",
    "IPV4": r"(?<![0-9])(?:(?:[0-1]?[0-9]{1,2}|2[0-4][0-9]|25[0-5])[.](?:[0-1]?[0-9]{1,2}|2[0-4][0-9]|25[0-5])[.](?:[0-1]?[0-9]{1,2}|2[0-4][0-9]|25[0-5])[.](?:[0-1]?[0-9]{1,2}|2[0-4][0-9]|25[0-5]))(?![0-9])",  # noqa: E501
    "IPV6": r"((([0-9A-Fa-f]{1,4}:){7}([0-9A-Fa-f]{1,4}|:))|(([0-9A-Fa-f]{1,4}:){6}(:[0-9A-Fa-f]{1,4}|((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3})|:))|(([0-9A-Fa-f]{1,4}:){5}(((:[0-9A-Fa-f]{1,4}){1,2})|:((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3})|:))|(([0-9A-Fa-f]{1,4}:){4}(((:[0-9A-Fa-f]{1,4}){1,3})|((:[0-9A-Fa-f]{1,4})?:((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}))|:))|(([0-9A-Fa-f]{1,4}:){3}(((:[0-9A-Fa-f]{1,4}){1,4})|((:[0-9A-Fa-f]{1,4}){0,2}:((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}))|:))|(([0-9A-Fa-f]{1,4}:){2}(((:[0-9A-Fa-f]{1,4}){1,5})|((:[0-9A-Fa-f]{1,4}){0,3}:((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}))|:))|(([0-9A-Fa-f]{1,4}:){1}(((:[0-9A-Fa-f]{1,4}){1,6})|((:[0-9A-Fa-f]{1,4}){0,4}:((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}))|:))|(:(((:[0-9A-Fa-f]{1,4}){1,7})|((:[0-9A-Fa-f]{1,4}){0,5}:((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}))|:)))(%.+)?",  # noqa: E501
    "HOSTNAME": r"\b(?:[0-9A-Za-z][0-9A-Za-z-]{0,62})(?:\.(?:[0-9A-Za-z][0-9A-Za-z-]{0,62}))*(\.?|\b)",  # noqa: E501
    "UNIXPATH": r"(/([\w_%!$@:.,+~-]+|\\.)*)+",
    "URIPATH": r"(?:/[A-Za-z0-9$.+!*'(){},~:;=@#%&_\-]*)+",
    "MONTH": r"\b(?:[Jj]an(?:uary|uar)?|[Ff]eb(?:ruary|ruar)?|[Mm](?:a|ä)?r(?:ch|z)?|[Aa]pr(?:il)?|[Mm]a(?:y|i)?|[Jj]un(?:e|i)?|[Jj]ul(?:y|i)?|[Aa]ug(?:ust)?|[Ss]ep(?:tember)?|[Oo](?:c|k)?t(?:ober)?|[Nn]ov(?:ember)?|[Dd]e(?:c|z)(?:ember)?)\b",  # noqa: E501
    "MONTHNUM": r"(?:0?[1-9]|1[0-2])",
    "MONTHDAY": r"(?:(?:0[1-9])|(?:[12][0-9])|(?:3[01])|[1-9])",
    "YEAR": r"(?>\d\d){1,2}",
    "HOUR": r"(?:2[0123]|[01]?[0-9])",
    "MINUTE": r"(?:[0-5][0-9])",
    "SECOND": r"(?:(?:[0-5]?[0-9]|60)(?:[:.,][0-9]+)?)",
    "TIME": r"(?!<[0-9])%{HOUR}:%{MINUTE}(?::%{SECOND})(?![0-9])",
    "ISO8601_TIMEZONE": r"(?:Z|[+-]%{HOUR}(?::?%{MINUTE}))",
    "TIMESTAMP_ISO8601": r"%{YEAR}-%{MONTHNUM}-%{MONTHDAY}[T ]%{HOUR}:?%{MINUTE}(?::?%{SECOND})?%{ISO8601_TIMEZONE}?",  # noqa: E501
    "SYSLOGTIMESTAMP": r"%{MONTH} +%{MONTHDAY} %{TIME}",
    "HTTPDATE": r"%{MONTHDAY}/%{MONTH}/%{YEAR}:%{TIME} %{INT}",
    "LOGLEVEL": r"([Aa]lert|ALERT|[Tt]race|TRACE|[Dd]ebug|DEBUG|[Nn]otice|NOTICE|[Ii]nfo?(?:rmation)?|INFO?(?:RMATION)?|[Ww]arn?(?:ing)?|WARN?(?:ING)?|[Ee]rr?(?:or)?|ERR?(?:OR)?|[Cc]rit?(?:ical)?|CRIT?(?:ICAL)?|[Ff]atal|FATAL|[Ss]evere|SEVERE|EMERG(?:ENCY)?|[Ee]merg(?:ency)?)",  # noqa: E501
}


def grok(name: str) -> str:
    """A grok pattern with its ``%{NAME}`` references expanded, as grok does."""
    return re.sub(r"%\{(\w+)\}", lambda m: f"(?:{grok(m.group(1))})", _GROK[name])


# More spellings met in the wild, beyond the two or three the vocabulary page lists.
SPELLINGS: dict[str, tuple[str, ...]] = {
    "phone-like": (r"\(?\d{3}\)?[-.\s]?\d{3}[-.\s]?\d{4}", r"\d{3}\.\d{3}\.\d{4}"),
    "ipv4": (
        grok("IPV4"),
        r"\b(?:\d{1,3}\.){3}\d{1,3}\b",
        r"((25[0-5]|(2[0-4]|1\d|[1-9]|)\d)\.?\b){4}",
        r"(?:[0-9]{1,3}[.]){3}[0-9]{1,3}",
    ),
    "ipv6": (grok("IPV6"), r"[0-9a-f:]+", r"(?:[0-9a-fA-F]{0,4}:){2,7}[0-9a-fA-F]{0,4}"),
    "mac-address": (
        grok("CISCOMAC"),
        grok("WINDOWSMAC"),
        grok("COMMONMAC"),
        r"([0-9A-Fa-f]{2}[:-]){5}([0-9A-Fa-f]{2})",
    ),
    "uuid": (
        grok("UUID"),
        r"(?i)[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}",
    ),
    "email": (r"[\w.+-]+@[\w-]+\.[\w.-]+", r"\S+@\S+\.\S+"),
    "url": (
        r"https?:\/\/(?:www\.)?[-a-zA-Z0-9@:%._\+~#=]{1,256}\.[a-zA-Z0-9()]{1,6}\b(?:[-a-zA-Z0-9()@:%_\+.~#?&//=]*)",
        r"[a-z][a-z0-9+.-]*://\S+",
    ),
    "hostname": (
        grok("HOSTNAME"),
        r"(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)+[a-zA-Z]{2,}",
    ),
    "iso-date": (
        r"[0-9]{4}-[0-9]{2}-[0-9]{2}",
        r"\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])",
    ),
    "time-of-day": (grok("TIME"), r"([01]?[0-9]|2[0-3]):[0-5][0-9]"),
    "iso-datetime": (
        grok("TIMESTAMP_ISO8601"),
        r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(([+-]\d\d:\d\d)|Z)?",
    ),
    "syslog-timestamp": (grok("SYSLOGTIMESTAMP"), r"[A-Z][a-z]{2}\s+\d{1,2}\s\d{2}:\d{2}:\d{2}"),
    "clf-timestamp": (grok("HTTPDATE"),),
    "integer": (grok("INT"), grok("POSINT"), r"-?\d+", r"\d{1,3}(?:,\d{3})*"),
    "decimal": (grok("BASE10NUM"), r"[+-]?([0-9]*[.])?[0-9]+", r"\d+\.\d{2}"),
    "hex": (grok("BASE16NUM"), r"[0-9a-fA-F]+", r"0[xX][0-9a-fA-F]+"),
    "hex-color": (r"#(?:[0-9a-fA-F]{6}|[0-9a-fA-F]{3})", r"(?i)#[0-9a-f]{6}"),
    "quoted-string": (grok("QUOTEDSTRING"), r"'(?:[^'\\]|\\.)*'", r'"[^"\\]*(?:\\.[^"\\]*)*"'),
    "key-value": (r"([\w.-]+)=(\S+)", r'(\w+)="([^"]*)"', r"([a-zA-Z_][a-zA-Z0-9_]*)=([^&\s]+)"),
    "trailing-whitespace": (r"[ \t]+$", r"\s+\Z"),
    "log-level": (
        grok("LOGLEVEL"),
        r"(TRACE|DEBUG|INFO|WARN|ERROR|FATAL)",
        r"(?i)(?:err|warn|info)",
    ),
    "semver": (
        r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$",
        r"[vV]?\d+\.\d+\.\d+",
    ),
    "http-method": (r"(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|CONNECT|TRACE)", r"(?i)(?:get|post)"),
    "unix-path": (grok("UNIXPATH"), grok("URIPATH"), r"(/[^/ ]*)+/?"),
}

NOT_IDIOMS = (
    r"a+",
    r"[A-Z]+",
    r".*",
    r"\w+",
    r"\S+",
    r"ERROR",
    r"(?:GET|FOO)",
    r"(?:cat|dog)",
    r"\d",
    r"\d{2}",
    r"[0-9]{4}",
    r"\d\.\d\.",
    r"[a-z]+\.[a-z]+",
    r"\s+",
    r"(\d)\1",
)


def _all_spellings() -> list[tuple[str, str]]:
    pairs = [(name, s) for name, entry in VOCABULARY.items() for s in entry.recognises]
    return pairs + [(name, s) for name, spelled in SPELLINGS.items() for s in spelled]


ALL_SPELLINGS = _all_spellings()


def _names(pattern: str, flavor: str = "re") -> list[str]:
    return [found.name for found in idioms(parse(pattern, flavor=flavor))]  # type: ignore[arg-type]


def _re_flags(p: Pattern) -> int:
    table = {"i": re.I, "m": re.M, "s": re.S, "x": re.X, "a": re.A}
    out = 0
    for letter in global_flags(p):
        out |= table.get(letter, 0)
    return out


def _check_against_engine(p: Pattern, found: Idiom) -> None:
    """The oracle: the idiom's slice, a pattern on its own, matches what it is documented
    to accept."""
    compiled = re.compile(found.text, _re_flags(p))
    accepted = VOCABULARY[found.name].accepts
    assert any(compiled.fullmatch(s) for s in accepted), (found, accepted)


# --- the vocabulary ------------------------------------------------------------------------


def test_the_vocabulary_page_documents_every_name_and_only_those() -> None:
    assert set(VOCABULARY) == set(IDIOM_NAMES)
    required = set(
        [
            "phone-like",
            "ipv4",
            "ipv6",
            "mac-address",
            "uuid",
            "email",
            "url",
            "hostname",
            "iso-date",
            "time-of-day",
            "iso-datetime",
            "syslog-timestamp",
            "integer",
            "decimal",
            "hex",
            "hex-color",
            "quoted-string",
            "key-value",
            "trailing-whitespace",
            "log-level",
            "semver",
            "http-method",
            "unix-path",
        ]
    )
    assert required <= set(IDIOM_NAMES)
    for name, entry in VOCABULARY.items():
        assert len(entry.recognises) >= 2 and entry.near_misses and entry.accepts, name


@pytest.mark.parametrize(("name", "spelling"), ALL_SPELLINGS)
def test_spellings_are_recognised_and_their_slice_accepts_the_documented_strings(
    name: str, spelling: str
) -> None:
    p = parse(spelling)
    found = [f for f in idioms(p) if f.name == name]
    assert found, (spelling, _names(spelling))
    for each in found:
        _check_against_engine(p, each)
    # and the test data is sound: the spelling itself accepts a documented string
    compiled = re.compile(spelling, _re_flags(p))
    assert any(compiled.search(s) for s in VOCABULARY[name].accepts)


@pytest.mark.parametrize(
    ("name", "near"), [(n, s) for n, e in VOCABULARY.items() for s in e.near_misses]
)
def test_the_documented_near_things_are_not_recognised(name: str, near: str) -> None:
    assert name not in _names(near)


@pytest.mark.parametrize("pattern", NOT_IDIOMS)
def test_plain_runs_and_words_are_no_idiom(pattern: str) -> None:
    assert _names(pattern) == []


def test_the_seed_examples_of_the_issue() -> None:
    for ipv4 in (r"(?:\d{1,3}\.){3}\d{1,3}", r"[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}"):
        assert _names(ipv4) == ["ipv4"]
    assert _names(r"\d+\.\d+\.\d+\.\d+") == ["ipv4"]  # not four integers
    assert _names(r"\d+") == ["integer"]
    assert _names(r"\b\d{3}-\d{4}\b") == ["phone-like"]
    assert _names(r"(?:ERROR|WARN|INFO|DEBUG)") == ["log-level"]
    assert _names(r"(?:error|Warn)") == ["log-level"]  # any case, any subset of two or more


def test_the_largest_idiom_wins_and_none_overlap() -> None:
    assert _names(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z") == ["iso-datetime"]
    assert _names(r"https?://[a-z0-9-]+(?:\.[a-z0-9-]+)+/\S*") == ["url"]
    assert _names(r"-?\d+\.\d+\.\d+\.\d+") == ["ipv4"]
    assert _names(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}") == ["uuid"]


def test_idioms_inside_a_log_line_come_in_pattern_order_with_their_slices() -> None:
    line = (
        r"^(?P<ip>\d{1,3}(?:\.\d{1,3}){3}) - (?P<user>\S+) \[(?P<ts>\d{2}/\w{3}/\d{4}"
        r':\d{2}:\d{2}:\d{2} [+-]\d{4})\] "(?P<method>GET|POST|HEAD) (?P<path>/\S*) '
        r'HTTP/\d\.\d" (?P<status>\d{3}) (?P<size>\d+|-)$'
    )
    p = parse(line)
    found = idioms(p)
    assert [f.name for f in found] == [
        "ipv4",
        "clf-timestamp",
        "http-method",
        "unix-path",
        "integer",
    ]
    for f in found:
        assert f.text == line[f.span.start : f.span.end]
        _check_against_engine(p, f)


def test_an_alternation_of_idioms_gives_each() -> None:
    assert _names(r"^(?:\d+\.\d+\.\d+\.\d+|[0-9a-f:]+)$") == ["ipv4", "ipv6"]


def test_case_insensitive_flags_make_one_case_classes_whole() -> None:
    assert _names(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}") == ["uuid"]
    assert _names(r"(?i)[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}") == ["uuid"]
    assert _names(r"[g-z]+") == []


def test_huge_and_deep_patterns_end_quickly_with_an_answer(monkeypatch: pytest.MonkeyPatch) -> None:
    deep = "(?:" * 400 + r"\d+" + ")" * 400
    assert isinstance(idioms(parse(deep)), tuple)
    alternatives = "|".join(f"w{i}x" for i in range(2000))
    assert idioms(parse(alternatives)) == ()
    wide = parse(r"\d+\.\d+\.\d+\.\d+ " * 100)
    assert [f.name for f in idioms(wide)] == ["ipv4"] * 100
    monkeypatch.setattr(_idioms, "MAX_TRIES", 300)  # out of budget: a shorter answer
    found = idioms(wide)
    assert 0 < len(found) < 100
    assert all(f.name == "ipv4" for f in found)
    assert all(a.span.end <= b.span.start for a, b in itertools.pairwise(found))


# --- properties ------------------------------------------------------------------------------


def _rewrite(p: Pattern, draw: Callable[[], bool]) -> str:
    """``p`` with some language-preserving edits: ``\\d`` <-> ``[0-9]``, ``x{3}`` ->
    ``xxx`` (for a one-character item), and single characters or sets wrapped in
    ``(?:...)``. Sets are left alone inside."""
    text = p.text
    edits: list[tuple[int, int, str]] = []
    todo: list[Node] = [p]
    while todo:
        node = todo.pop()
        own = node.span.slice(text)
        if isinstance(node, Class):
            only = node.items[0] if len(node.items) == 1 else None
            digits = isinstance(only, ClassRange) and (only.start.char, only.end.char) == ("0", "9")
            if digits and not node.negated and draw():
                edits.append((node.span.start, node.span.end, r"\d"))
            elif draw():
                edits.append((node.span.start, node.span.end, f"(?:{own})"))
            continue
        if (
            isinstance(node, Repeat)
            and node.greed == "greedy"
            and node.min == node.max
            and 2 <= node.min <= 4
            and node.raw == f"{{{node.min}}}"
            and isinstance(node.item, Literal | ClassEscape | Class | Dot)
            and draw()
        ):
            edits.append((node.span.start, node.span.end, node.item.span.slice(text) * node.min))
            continue
        if isinstance(node, ClassEscape) and node.letter == "d" and draw():
            edits.append((node.span.start, node.span.end, "[0-9]"))
            continue
        if isinstance(node, Literal | ClassEscape | Dot) and draw():
            edits.append((node.span.start, node.span.end, f"(?:{own})"))
            continue
        todo.extend(children(node))
    for start, end, new in sorted(edits, reverse=True):
        text = text[:start] + new + text[end:]
    return text


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(ALL_SPELLINGS), st.data())
def test_recognition_is_invariant_under_rewrites_that_keep_the_language(
    spelled: tuple[str, str], data: st.DataObject
) -> None:
    _, spelling = spelled
    before = parse(spelling)
    after_text = _rewrite(before, lambda: data.draw(st.booleans()))
    after = parse(after_text)
    assert [f.name for f in idioms(after)] == [f.name for f in idioms(before)], after_text
    for found in idioms(after):  # and the oracle still holds on the new spelling
        _check_against_engine(after, found)


def test_the_rewriter_rewrites() -> None:
    p = parse(r"[0-9]{3}-\d{4}")
    assert _rewrite(p, lambda: True) == r"[0-9][0-9][0-9](?:-)\d\d\d\d"
    assert _rewrite(parse(r"[0-9]-\d"), lambda: True) == r"\d(?:-)[0-9]"
    assert _rewrite(p, lambda: False) == p.text


def _contract(p: Pattern) -> None:
    found = idioms(p)
    for f in found:
        assert f.name in IDIOM_NAMES
        assert f.text == p.text[f.span.start : f.span.end]
        assert f.text
        parse(f.text, flavor=p.flavor)  # a self-contained piece of the pattern
    assert all(a.span.end <= b.span.start for a, b in itertools.pairwise(found))


@settings(max_examples=150, deadline=None)
@given(patterns())
def test_any_pattern_gives_ordered_disjoint_self_contained_idioms(pattern: str) -> None:
    _contract(parse(pattern))


@settings(max_examples=60, deadline=None)
@given(flagged_patterns("regex"))
def test_the_regex_flavour_too(case: tuple[str, str]) -> None:
    pattern, flags = case
    _contract(parse(pattern, flavor="regex", flags=flags))


# --- the scan stays linear in the pattern ---------------------------------------------------


def test_a_run_is_walked_at_most_run_cap_items_from_each_position() -> None:
    """The scan tries the rules at every position: an unbounded run (800 copies of
    ``(a|b)c*`` are all hostname-like) made ``rxp explain`` quadratic. Counted, not timed."""
    from rxp._analysis._idiom_kit import RUN_CAP, run_of
    from rxp._analysis._slots import lower

    seq = lower(parse("(a|b)c*" * 800))
    asked = 0

    def letters(s: object) -> bool:
        nonlocal asked
        asked += 1
        return True

    rule = run_of(letters)  # type: ignore[arg-type]
    ends = [rule(seq, j) for j in range(len(seq))]
    assert len(seq) > 2 * RUN_CAP
    assert asked <= 3 * len(seq) * (RUN_CAP + 1)  # a structure asks of each of its slots
    assert ends[0] == 0  # too long a run is no run
    tail = len(seq) - RUN_CAP
    assert ends[tail] == len(seq)  # a run within the cap ends where the items do


def test_recognised_idioms_keep_their_names_next_to_a_long_run() -> None:
    pattern = r"(a|b)c*" * 400 + r" (\d{1,3}\.){3}\d{1,3}"
    names = {i.name for i in idioms(parse(pattern))}
    alone = {i.name for i in idioms(parse(r"(\d{1,3}\.){3}\d{1,3}"))}
    assert alone and alone <= names
