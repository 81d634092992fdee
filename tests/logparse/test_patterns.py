"""``rxp parse --patterns FILE``: the pattern file (reader and writer, inverse of each
other), first-match-wins against oracles that try the patterns one by one, and the CLI as
users run it."""

from __future__ import annotations

import functools
import json
import re
import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import rxp
from rxp._errors import PatternError, RxpError
from rxp._logparse._fallback import PatternParser
from rxp._logparse._patterns import (
    NO_MATCH,
    PatternSet,
    PatternSetError,
    read_pattern_file,
    write_pattern_file,
)
from rxp._logparse._records import LineError
from tests.helpers import run_rxp

# --- the file: reader and writer ----------------------------------------------------------

names = st.from_regex(r"[A-Za-z_][A-Za-z0-9_.:-]{0,8}", fullmatch=True)
regexes = st.text(
    st.characters(blacklist_characters="\n\r", blacklist_categories=("Cs",)), min_size=1
).filter(lambda r: r[0] not in " \t" and r.strip(" \t") != "")
pattern_lists = st.lists(st.tuples(names, regexes), max_size=8, unique_by=lambda p: p[0])


@given(pattern_lists, st.text(st.characters(blacklist_categories=("Cs",)), max_size=40))
def test_reading_what_was_written_gives_the_same_patterns(
    patterns: list[tuple[str, str]], comment: str
) -> None:
    text = write_pattern_file(patterns, comment=comment)
    read = read_pattern_file(text)
    assert read.patterns == tuple(patterns)
    lines = text.split("\n")
    assert [lines[n - 1] for n in read.lines] == [f"{n} {r}" for n, r in patterns]


@st.composite
def hand_written(draw: st.DrawFn) -> tuple[str, list[tuple[str, str]]]:
    """A file as people write one (blanks before the name and around the separator, blank
    lines, comments, either line end) and the patterns it holds."""
    patterns = draw(pattern_lists)
    filler = st.sampled_from(["", "   ", "\t", "# a comment", "  # indented", "#T1 x"])
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    lines: list[str] = []
    for name, regex in patterns:
        lines += draw(st.lists(filler, max_size=2))
        lead = draw(st.sampled_from(["", " ", "\t "]))
        lines.append(lead + name + draw(st.sampled_from([" ", "\t", "  \t"])) + regex)
    lines += draw(st.lists(filler, max_size=2))
    return newline.join(lines), patterns


@given(hand_written())
def test_a_hand_written_file_reads_as_its_patterns(case: tuple[str, list[tuple[str, str]]]) -> None:
    text, patterns = case
    read = read_pattern_file(text)
    assert read.patterns == tuple(patterns)
    assert read_pattern_file(write_pattern_file(read.patterns)).patterns == read.patterns


def test_the_file_rules() -> None:
    text = (
        "\ufeff# rxp mine templates\n"
        "\n"
        "T1 ^a (?P<x>\\d+)$\r\n"
        "  T2\t\t^b  \n"  # trailing blanks are the regex's
        "   # indented comment\n"
        "x.y:z-1 c\n"
    )
    read = read_pattern_file(text)
    assert read.patterns == (("T1", "^a (?P<x>\\d+)$"), ("T2", "^b  "), ("x.y:z-1", "c"))
    assert read.lines == (3, 4, 6)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("T1 a\n1x b\n", "f:2: bad pattern name '1x' (want a letter or _, then"),
        ("T1 a\nT1 b\n", "f:2: pattern T1 again (first on line 1)"),
        ("\n\nT1\n", "f:3: pattern T1 has no regex after its name"),
        ("T1   \n", "f:1: pattern T1 has no regex after its name"),
        ("T=1 a\n", "f:1: bad pattern name 'T=1'"),
    ],
)
def test_a_malformed_line_is_an_error_at_its_line(text: str, message: str) -> None:
    with pytest.raises(RxpError) as caught:
        read_pattern_file(text, source="f")
    assert caught.value.message.startswith(message)


@pytest.mark.parametrize(
    ("patterns", "problem"),
    [
        ([("T1", "a\nb")], "line break"),
        ([("T1", "a\rb")], "line break"),
        ([("T1", " a")], "starts with a blank"),
        ([("T1", "")], "empty"),
        ([("1x", "a")], "a name is"),
        ([("T1", "a"), ("T1", "b")], "already taken"),
    ],
)
def test_the_writer_refuses_what_would_not_read_back(
    patterns: list[tuple[str, str]], problem: str
) -> None:
    with pytest.raises(RxpError, match=problem):
        write_pattern_file(patterns)


# --- first match wins ---------------------------------------------------------------------

# pieces of patterns and lines over a small alphabet, so that patterns often share
# prefixes and lines often match several of them
_PIECES = [
    "a",
    "b",
    "ab",
    " ",
    ":",
    "-",
    "A",
    r"(?P<{g}>[a-z]+)",
    r"(?P<{g}>\d+)",
    r"(?P<{g}>.*?)",
    r"(?P<{g}>\S+)",
    r"\s+",
    r"[ab]",
    r"(?:a|b)",
    r"\d",
    ".",
    "a?",
]


@st.composite
def patterns(draw: st.DrawFn) -> str:
    pieces = draw(st.lists(st.sampled_from(_PIECES), min_size=1, max_size=5))
    body = "".join(p.format(g=f"g{i}") for i, p in enumerate(pieces))
    head = draw(st.sampled_from(["", "^", "^", r"\A", "(?i)^", "(?m)^", "(?i)"]))
    tail = draw(st.sampled_from(["", "$", "$"]))
    return head + body + tail


named_patterns = st.lists(patterns(), min_size=1, max_size=6).map(
    lambda ps: [(f"T{i}", p) for i, p in enumerate(ps, 1)]
)
PLAIN = "abAB12 :-x"  # nothing the fallback reads as a quoted or bracketed value
ANY = PLAIN + "{}[]()\"'\n"


@st.composite
def cases(draw: st.DrawFn, alphabet: str) -> tuple[list[tuple[str, str]], str]:
    """Patterns and a line: most lines are written to match one of the patterns (with
    text around them), so that patterns sharing literals compete for it."""
    named = draw(named_patterns)
    text = st.text(st.sampled_from(alphabet), max_size=6)
    if draw(st.integers(0, 4)) == 0:
        return named, draw(st.text(st.sampled_from(alphabet), max_size=14))
    _, regex = draw(st.sampled_from(named))
    middle = draw(st.from_regex(regex, fullmatch=True, alphabet=alphabet))
    before = draw(text) + ("\n" if "\n" in alphabet and draw(st.booleans()) else "")
    return named, before + middle + draw(text)


@functools.lru_cache(maxsize=512)
def _alone(regex: str) -> PatternParser:
    return PatternParser(regex, named=False, timeout=0)


def _one_by_one(patterns: list[tuple[str, str]], line: str) -> dict[str, object]:
    """The oracle: each pattern alone, as ``--pattern`` reads a line, in order (the
    line's last newline is not part of it, as ``parse_line`` says)."""
    line = line.removesuffix("\n").removesuffix("\r")
    for name, regex in patterns:
        try:
            fields, _ = _alone(regex)(line)
        except LineError:
            continue
        return {"_format": name, **fields}
    return {"_format": "patterns", "_error": f"{NO_MATCH} at column 1", "_raw": line}


def _parsed(patterns: list[tuple[str, str]], line: str) -> dict[str, object]:
    record = dict(rxp.parse_line(line, patterns=patterns, timeout=0))
    assert record.pop("_line") == 1
    return record


@settings(max_examples=150, deadline=None)
@given(cases(PLAIN))
def test_the_first_pattern_whose_re_search_matches_gives_the_record(
    case: tuple[list[tuple[str, str]], str],
) -> None:
    """On lines with no quote or bracket (nothing for the fallback to read), a pattern
    matches exactly when ``re.search`` finds it: the record is the first such pattern's
    named groups, ``_format`` its name."""
    patterns, line = case
    expected: dict[str, object] = {
        "_format": "patterns",
        "_error": f"{NO_MATCH} at column 1",
        "_raw": line,
    }
    for name, regex in patterns:
        m = re.search(regex, line)
        if m is not None:
            found = {k: v for k, v in m.groupdict().items() if v is not None}
            expected = {"_format": name, **found}
            break
    assert _parsed(patterns, line) == expected


@settings(max_examples=150, deadline=None)
@given(cases(ANY))
def test_patterns_read_a_line_as_the_first_pattern_alone_would(
    case: tuple[list[tuple[str, str]], str],
) -> None:
    """With quotes, brackets and newlines in the line (the fallback at work), the record is
    still the one the first pattern that reads the line alone gives."""
    patterns, line = case
    assert _parsed(patterns, line) == _one_by_one(patterns, line)


@settings(max_examples=100, deadline=None)
@given(cases(ANY), st.lists(st.text(st.sampled_from(ANY), max_size=14), max_size=4))
def test_the_prefilter_changes_no_record(
    case: tuple[list[tuple[str, str]], str], more: list[str]
) -> None:
    patterns, line = case
    lines = [line, *more]
    fast = PatternSet(patterns, timeout=0)
    slow = PatternSet(patterns, timeout=0, prefilter=False)

    def run(parser: PatternSet, line: str) -> object:
        try:
            return parser(line)
        except LineError as exc:
            return (exc.describe(), exc.format)

    assert [run(fast, line) for line in lines] == [run(slow, line) for line in lines]


def test_format_is_the_name_of_the_pattern_that_matched() -> None:
    patterns = [("greet", r"^hello (?P<who>\w+)$"), ("any", r"(?P<word>\w+)"), ("const", "^$")]
    got = list(rxp.parse_lines(["hello you", "bye now", ""], patterns=patterns))
    assert got == [
        {"_line": 1, "_format": "greet", "who": "you"},
        {"_line": 2, "_format": "any", "word": "bye"},
        {"_line": 3, "_format": "const"},  # a pattern needs no named group
    ]


def test_the_flavor_runs_every_pattern() -> None:
    patterns = [("word", r"^(?<w>\p{L}+)$"), ("other", r"(?<rest>.+)")]
    got = [rxp.parse_line(line, patterns=patterns, flavor="regex") for line in ("été", "1 2")]
    assert got == [
        {"_line": 1, "_format": "word", "w": "été"},
        {"_line": 1, "_format": "other", "rest": "1 2"},
    ]
    with pytest.raises(PatternSetError):  # \p{L} is not Python's re
        rxp.parse_line("x", patterns=patterns)


def test_the_library_refuses_patterns_with_a_format_or_a_pattern() -> None:
    with pytest.raises(RxpError, match="not both"):
        rxp.parse_line("x", patterns=[("T1", "x")], pattern="(?P<a>x)")
    with pytest.raises(RxpError, match="not both"):
        rxp.parse_line("x", patterns=[("T1", "x")], format="logfmt")
    with pytest.raises(RxpError, match="no patterns"):
        rxp.parse_line("x", patterns=[])
    with pytest.raises(PatternSetError) as caught:
        rxp.parse_line("x", patterns=[("T1", "x"), ("T2", "(?P<a>x")])
    assert caught.value.index == 1 and caught.value.message.startswith("pattern T2: missing )")
    assert isinstance(caught.value, PatternError) and caught.value.pattern == "(?P<a>x"


# --- the CLI --------------------------------------------------------------------------------

FILE = """\
# three templates
T1 ^Received block (?P<block>blk_-?\\d+) of size (?P<size>\\d+) from /(?P<ip>[\\d.]+)$
T2 ^PacketResponder (?P<n>\\d+) for block (?P<block>\\S+) terminating$
T3 ^Received block (?P<rest>.*)$
"""
LOG = (
    b"Received block blk_-160 of size 91178 from /10.250.10.6\n"
    b"PacketResponder 1 for block blk_38 terminating\n"
    b"Received block blk_7 (no size)\n"
    b"Verification succeeded for blk_1\n"
)


def rxp_parse(*args: str, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    return run_rxp("parse", *args, stdin=stdin, env={"NO_COLOR": "1"}, timeout=120)


@pytest.fixture
def pattern_file(tmp_path: Path) -> Path:
    path = tmp_path / "templates.txt"
    path.write_text(FILE, encoding="utf-8")
    return path


def test_patterns_turn_logs_into_records(pattern_file: Path) -> None:
    done = rxp_parse("--patterns", str(pattern_file), stdin=LOG)
    assert done.returncode == 0, done.stderr
    got = [json.loads(line) for line in done.stdout.splitlines()]
    assert got == [
        {"_line": 1, "_format": "T1", "block": "blk_-160", "size": "91178", "ip": "10.250.10.6"},
        {"_line": 2, "_format": "T2", "n": "1", "block": "blk_38"},
        {"_line": 3, "_format": "T3", "rest": "blk_7 (no size)"},
        {
            "_line": 4,
            "_format": "patterns",
            "_error": "no pattern matches at column 1",
            "_raw": "Verification succeeded for blk_1",
        },
    ]
    assert done.stderr.decode() == (
        "rxp parse: 4 records (T1 1, T2 1, T3 1, patterns 1); 1 with errors\n"
    )
    assert rxp_parse("--strict", "-q", "--patterns", str(pattern_file), stdin=LOG).returncode == 1


def test_workers_give_the_same_records(pattern_file: Path) -> None:
    log = LOG * 50
    one = rxp_parse("-q", "--patterns", str(pattern_file), stdin=log)
    env = {"NO_COLOR": "1", "RXP_PARSE_BLOCK": "300"}
    two = run_rxp("parse", "-q", "-j", "2", "--patterns", str(pattern_file), stdin=log, env=env)
    assert one.returncode == two.returncode == 0
    assert one.stdout == two.stdout and one.stdout.count(b"\n") == 200


@pytest.mark.parametrize(
    ("text", "first_line"),
    [
        ("T1 a\nT1 b\n", "{f}:2: pattern T1 again (first on line 1)"),
        (
            "T1 a\n\n1x b\n",
            "{f}:3: bad pattern name '1x' (want a letter or _, then letters, digits or _ . : -)",
        ),
        ("T1\n", "{f}:1: pattern T1 has no regex after its name"),
        ("# nothing\n\n", "{f}: no patterns in the file (only blank lines and comments)"),
    ],
)
def test_a_malformed_file_is_one_usage_error(tmp_path: Path, text: str, first_line: str) -> None:
    path = tmp_path / "p.txt"
    path.write_text(text, encoding="utf-8")
    done = rxp_parse("--patterns", str(path), stdin=b"a\n")
    assert done.returncode == 2 and done.stdout == b""
    assert done.stderr.decode() == f"rxp: error: {first_line.format(f=path)}\n"


def test_a_regex_that_does_not_compile_is_shown_with_a_caret(tmp_path: Path) -> None:
    path = tmp_path / "p.txt"
    path.write_text("T1 ^a$\n# then\nT2 ^(?P<x>a\n", encoding="utf-8")
    done = rxp_parse("--patterns", str(path), stdin=b"a\n")
    assert done.returncode == 2 and done.stdout == b""
    assert done.stderr.decode().splitlines() == [
        f"rxp: error: {path}:3: pattern T2: missing ), unterminated subpattern (at position 1)",
        "    ^(?P<x>a",
        "     ^^^^^^^",
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--pattern", "(?P<a>x)"], "give --pattern or --patterns, not both"),
        (["--grok", "%{WORD:w}"], "give --grok or --patterns, not both"),
        (["--format", "logfmt"], "give --format or --patterns, not both"),
        (["--option", "a=b"], "--option goes with --format, not --patterns"),
    ],
)
def test_patterns_exclude_the_other_ways_to_read(
    pattern_file: Path, args: list[str], message: str
) -> None:
    done = rxp_parse("--patterns", str(pattern_file), *args, stdin=b"a\n")
    assert done.returncode == 2 and done.stdout == b""
    assert done.stderr.decode() == f"rxp: error: {message}\n"


def test_an_unreadable_patterns_file_is_a_usage_error(tmp_path: Path) -> None:
    done = rxp_parse("--patterns", str(tmp_path / "missing.txt"), stdin=b"a\n")
    assert done.returncode == 2
    assert done.stderr.decode().startswith("rxp: error: cannot read patterns file ")


HOSTILE = "(?=a)(a|aa)+$"  # the look-ahead keeps it off the linear-time engines
ATTACK = "a" * 40 + "!"


def test_a_line_over_budget_is_skipped_not_given_to_a_later_pattern(tmp_path: Path) -> None:
    """The patterns tried on a line share its budget; when it runs out, which pattern
    would have matched first is not known, so the line is skipped as --pattern skips it."""
    path = tmp_path / "p.txt"
    path.write_text(f"H ^(?P<x>{HOSTILE})\nT2 ^(?P<y>a+)!$\n", encoding="utf-8")
    done = rxp_parse("--timeout", "0.2", "--patterns", str(path), stdin=f"{ATTACK}\naaa\n".encode())
    assert done.returncode == 0
    first, second = (json.loads(line) for line in done.stdout.splitlines())
    assert first == {
        "_line": 1,
        "_format": "patterns",
        "_error": "matching took over 0.2s (--timeout); skipped at column 1",
        "_raw": ATTACK,
    }
    assert second == {"_line": 2, "_format": "H", "x": "aaa"}
    assert done.stderr.decode().splitlines()[0] == (
        "rxp: warning: 1 line(s) not read: matching took over 0.2s (--timeout)"
    )
