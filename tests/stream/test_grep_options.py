"""grep's matching and output options in `rxp stream` (``-w -x -e -f -l -L -b -z -Z``) give
GNU grep's bytes (``LC_ALL=C grep -E -a``), alone and with the other options, on every
backend.

Patterns are drawn as text that POSIX EREs and Python's ``re`` read alike, over a small
alphabet where word and non-word bytes meet often (``a b A _`` and ``space -``). Which lines
match depends only on the patterns' languages, so any such pattern must select grep's lines.
Where matches are printed (``-o``, colours) Python's leftmost-first rule and grep's
leftmost-longest one may pick different matches (``a|ab`` on ``ab``); those properties
draw patterns whose first-found match at a start is also the longest (a fixed run of
one-byte atoms, the last one perhaps repeated), and any number of them with ``-e``: grep
then takes the longest of the patterns' matches, as rxp must.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.stream.helpers import GREP, grep, rxp, rxp_process

pytestmark = pytest.mark.skipif(GREP is None, reason="GNU grep is the oracle")

SETTINGS = {
    "deadline": None,
    "suppress_health_check": [HealthCheck.function_scoped_fixture],
}

PIECES = [b"a", b"b", b" ", b"-", b"_", b"A", b"ab", b"a_b", b"b-a", b"aa a"]
lines = st.lists(st.sampled_from(PIECES), max_size=6).map(b"".join)
files = st.tuples(st.lists(lines, max_size=12), st.booleans()).map(
    lambda t: b"\n".join(t[0]) + (b"\n" if t[1] and t[0] else b"")
)

ATOMS = ["a", "b", " ", "-", "_", ".", "[ab]", "[^a ]", "[_-]", "\\w", "\\W"]


def _group(text: str) -> str:
    return f"({text})"


regexes = st.recursive(
    st.sampled_from(ATOMS),
    lambda inner: st.one_of(
        st.tuples(inner, inner).map("".join),
        st.tuples(inner, inner).map(lambda t: f"({t[0]}|{t[1]})"),
        st.tuples(inner, st.sampled_from("*+?")).map(lambda t: _group(t[0]) + t[1]),
    ),
    max_leaves=5,
)
anchored = st.tuples(st.sampled_from(["", "^", "\\b"]), regexes, st.sampled_from(["", "$"]))
patterns = anchored.map("".join)

# a fixed run of one-byte atoms, the last perhaps repeated: its first match is its longest
plain_atoms = st.lists(st.sampled_from(ATOMS), min_size=1, max_size=3)
simple = st.tuples(plain_atoms, st.sampled_from(["", "", "+", "*"])).map(
    lambda t: "".join(t[0]) + t[1]
)


def _write(tmp: Path, contents: list[bytes]) -> list[str]:
    paths = []
    for i, data in enumerate(contents):
        path = tmp / f"f{i}.log"
        path.write_bytes(data)
        paths.append(str(path))
    return paths


def _grep_options(opts: list[str]) -> list[str]:
    """grep's options for rxp's ``opts``. ``-x`` makes grep ignore ``-w``, except that grep
    3.8 with both then prints a ``-o`` match or a coloured one with the line's newline
    inside it (dfasearch.c takes the line with its end as the match): rxp prints what
    ``-x`` alone prints."""
    if "-x" in opts:
        return [o for o in opts if o != "-w"]
    return opts


def _shown_words(pats: list[str], opts: list[str]) -> list[str]:
    """The patterns to compare with grep. With ``-w``, ``-o`` or colours, grep 3.8 misses a
    whole-word match found by a shorter match at a start where the longest is no word,
    once the line has shown an earlier match (dfasearch.c measures the shorter match up to
    ``match + len - ptr``, off by the offset ``ptr`` it started from): ``grep -ow 'aa *'``
    prints one ``aa`` for ``aa aa a``, rxp two (see
    ``test_shorter_whole_word_matches_after_an_earlier_one``). A single pattern of
    one-byte atoms has one length at each start, so nothing shorter is ever tried."""
    if "-w" in opts and "-x" not in opts and {"-o", "--color=always"} & set(opts):
        return [pats[0].rstrip("*+")]
    return pats


def _same(tmp: Path, contents: list[bytes], pats: list[str], opts: list[str], how=()) -> None:
    paths = _write(tmp, contents)
    pats = _shown_words(pats, opts)
    given = [a for p in pats for a in ("-e", p)]
    expected = grep([*_grep_options(opts), *given, *paths])
    got = rxp(["stream", *how, *opts, *given, *paths])
    assert (got.status, got.stdout) == (expected.status, expected.stdout), (opts, pats, got.stderr)


def _options(choices: list[list[str]], most: int = 4) -> st.SearchStrategy[list[str]]:
    chosen = st.lists(st.sampled_from(choices), max_size=most)
    return chosen.map(lambda groups: [a for g in groups for a in g])


LINE_OPTIONS = [
    ["-w"], ["-w"], ["-x"], ["-v"], ["-c"], ["-n"], ["-b"], ["-l"], ["-L"], ["-H"], ["-i"],
    ["-q"], ["-Z"], ["-m", "1"], ["-A", "1"], ["-B", "1"], ["-C", "1"],
]  # fmt: skip
SPAN_OPTIONS = [
    ["-o"], ["-o"], ["--color=always"], ["-w"], ["-w"], ["-x"], ["-n"], ["-b"], ["-i"], ["-H"],
    ["-v"],
]  # fmt: skip


@settings(max_examples=250, **SETTINGS)
@given(
    contents=st.lists(files, min_size=1, max_size=2),
    pats=st.lists(patterns, min_size=1, max_size=3),
    opts=_options(LINE_OPTIONS),
)
def test_selected_lines_are_grep_s(
    tmp_path: Path, contents: list[bytes], pats: list[str], opts: list[str]
) -> None:
    _same(tmp_path, contents, pats, opts)


@settings(max_examples=250, **SETTINGS)
@given(
    contents=st.lists(files, min_size=1, max_size=2),
    pats=st.lists(simple, min_size=1, max_size=3),
    opts=_options(SPAN_OPTIONS),
)
def test_printed_matches_are_grep_s(
    tmp_path: Path, contents: list[bytes], pats: list[str], opts: list[str]
) -> None:
    _same(tmp_path, contents, pats, opts)


@pytest.mark.parametrize("backend", ["sync", "thread", "asyncio"])
@settings(max_examples=40, **SETTINGS)
@given(
    contents=st.lists(files, min_size=1, max_size=2),
    pats=st.lists(simple, min_size=1, max_size=2),
    opts=_options(LINE_OPTIONS + SPAN_OPTIONS + [["-z"], ["-z"]], most=3),
    workers=st.integers(1, 3),
    chunk=st.sampled_from([1, 2, 5, 17]),
)
def test_every_in_process_backend_gives_grep_s_bytes(
    tmp_path: Path,
    backend: str,
    contents: list[bytes],
    pats: list[str],
    opts: list[str],
    workers: int,
    chunk: int,
) -> None:
    how = ["--backend", backend, "--workers", str(workers), "--chunk-size", str(chunk)]
    _same(tmp_path, contents, pats, opts, how)


@settings(max_examples=12, **SETTINGS)
@given(
    contents=st.lists(files, min_size=1, max_size=2),
    pats=st.lists(simple, min_size=1, max_size=2),
    opts=_options(LINE_OPTIONS + SPAN_OPTIONS + [["-z"], ["-z"]], most=3),
    chunk=st.sampled_from([1, 3, 16]),
)
def test_the_process_backend_gives_grep_s_bytes(
    tmp_path: Path, contents: list[bytes], pats: list[str], opts: list[str], chunk: int
) -> None:
    how = ["--backend", "process", "--workers", "2", "--chunk-size", str(chunk)]
    _same(tmp_path, contents, pats, opts, how)


@pytest.fixture
def without_linear_engines(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Matchers compiled without Hyperscan and RE2: the block, candidate and line-by-line
    strategies of ``re`` then select the lines."""
    from rxp._stream import _matcher

    monkeypatch.setattr(_matcher, "compile_selector", lambda *expressions: None)
    _matcher.compile_matcher.cache_clear()
    yield
    _matcher.compile_matcher.cache_clear()


searches = st.one_of(
    st.tuples(st.lists(patterns, min_size=1, max_size=2), _options(LINE_OPTIONS, most=3)),
    st.tuples(st.lists(simple, min_size=1, max_size=2), _options(SPAN_OPTIONS, most=3)),
)


@settings(max_examples=120, **SETTINGS)
@given(
    contents=st.lists(files, min_size=1, max_size=2),
    search=searches,
    chunk=st.sampled_from([3, 4096]),
)
def test_backtracking_strategies_give_grep_s_bytes(
    without_linear_engines: None,
    tmp_path: Path,
    contents: list[bytes],
    search: tuple[list[str], list[str]],
    chunk: int,
) -> None:
    pats, opts = search
    _same(tmp_path, contents, pats, opts, ["--chunk-size", str(chunk)])


# --- -z: lines end in NUL, "\n" is an ordinary byte inside them -------------------------------

RECORDS = [b"a", b"b", b"\n", b" ", b"ab", b"a\nb", b"x"]
records = st.lists(st.sampled_from(RECORDS), max_size=4).map(b"".join)
null_files = st.tuples(st.lists(records, max_size=8), st.booleans()).map(
    lambda t: b"\0".join(t[0]) + (b"\0" if t[1] and t[0] else b"")
)
NULL_PATTERNS = ["a.b", "^a", "b$", "[^a]+", "a\\sb", "a\\Sb", "[[:space:]]", "x|^$", "\\W", "b"]


@settings(max_examples=150, **SETTINGS)
@given(
    contents=st.lists(null_files, min_size=1, max_size=2),
    pats=st.lists(st.sampled_from(NULL_PATTERNS), min_size=1, max_size=2),
    opts=_options([["-c"], ["-n"], ["-o"], ["-v"], ["-b"], ["-x"], ["-w"], ["-l"], ["-A", "1"]]),
    chunk=st.sampled_from([1, 4, 4096]),
)
def test_null_data_is_grep_z(
    tmp_path: Path, contents: list[bytes], pats: list[str], opts: list[str], chunk: int
) -> None:
    python = [p.replace("[[:space:]]", "\\s") for p in pats]
    paths = _write(tmp_path, contents)
    expected = grep(["-z", *_grep_options(opts), *[a for p in pats for a in ("-e", p)], *paths])
    given = [a for p in python for a in ("-e", p)]
    got = rxp(["stream", "-z", "--chunk-size", str(chunk), *opts, *given, *paths])
    assert (got.status, got.stdout) == (expected.status, expected.stdout), (opts, pats)


def test_null_data_reads_stdin_in_nul_records() -> None:
    data = b"a\nb\0c\0ab\nx"
    got = rxp_process(["stream", "-z", "-n", "-e", "a.b", "-e", "x$"], stdin=data)
    assert got.stdout == b"1:a\nb\x003:ab\nx\x00"
    assert got.returncode == 0


# --- -w: grep's rule, not \b --------------------------------------------------------------


@pytest.mark.parametrize(
    ("options", "pattern", "line"),
    [
        (["-w"], "ab|a", b"ab-a\n"),  # \b(ab|a)\b finds "ab" and "a" as well; grep
        (["-ow"], "ab|a", b"ab-a\n"),  # takes a shorter match where the longest fails
        (["-ow"], "a+", b"aaa aab\n"),  # "aa" of "aab" is no word
        (["-w"], "a+", b"aab\n"),
        (["-ow"], "-a", b"b-a -a\n"),  # the match starts with a non-word byte
        (["-w"], " ", b"a b\n"),
        (["-wc"], "a*", b"a\nb\n \n\n"),  # an empty match between non-word bytes counts
        (["-xo"], "a|ab", b"ab\n"),
        (["-wx"], "a b", b"a b\n"),  # -x wins over -w
        (["-w", "--color=always"], "a", b"a ab a_ -a\n"),
    ],
)
def test_word_and_line_matching_cases(
    tmp_path: Path, options: list[str], pattern: str, line: bytes
) -> None:
    _same(tmp_path, [line], [pattern], options)


def test_shorter_whole_word_matches_after_an_earlier_one(tmp_path: Path) -> None:
    # grep 3.8 prints one "aa": a bug rxp does not copy (see _shown_words)
    paths = _write(tmp_path, [b"aa aa a\n"])
    assert grep(["-ow", "aa *", *paths]).stdout == b"aa\n"
    assert rxp(["stream", "-ow", "aa *", *paths]).stdout == b"aa\naa\n"


def _whole_words(line: bytes, pats: list[str]) -> list[bytes]:
    """What ``-ow`` prints for patterns of one-byte atoms (one length each): at the
    leftmost start where one of them matches a whole word, the longest such match."""
    found: list[bytes] = []
    word = re.compile(b"[0-9A-Za-z_]")
    at = 0
    while at <= len(line):
        ends = [
            at + len(m.group())
            for p in pats
            if (m := re.compile(p.encode()).match(line, at)) is not None
            and not (at > 0 and word.match(line, at - 1))
            and not word.match(line, at + len(m.group()))
        ]
        if not ends:
            at += 1
            continue
        end = max(ends)
        if end > at:
            found.append(line[at:end])
        at = max(end, at + 1)
    return found


@settings(max_examples=200, **SETTINGS)
@given(line=lines, pats=st.lists(plain_atoms.map("".join), min_size=1, max_size=3))
def test_whole_words_of_several_patterns_are_the_longest_at_the_leftmost_start(
    tmp_path: Path, line: bytes, pats: list[str]
) -> None:
    paths = _write(tmp_path, [line + b"\n"])
    got = rxp(["stream", "-ow", *[a for p in pats for a in ("-e", p)], *paths])
    assert got.stdout == b"".join(w + b"\n" for w in _whole_words(line, pats))


def test_word_and_line_regexp_print_what_line_regexp_prints(tmp_path: Path) -> None:
    # grep 3.8 puts the line's newline inside the match here: a bug rxp does not copy
    paths = _write(tmp_path, [b"a b\n"])
    assert grep(["-w", "-x", "-o", "a b", *paths]).stdout == b"a b\n\n"
    assert rxp(["stream", "-wxo", "a b", *paths]).stdout == grep(["-xo", "a b", *paths]).stdout


def test_a_positional_pattern_takes_the_options_too(tmp_path: Path) -> None:
    paths = _write(tmp_path, [b"foo bar\nfoobar\n", b"bar\n"])
    for opts in (["-w"], ["-x"], ["-wb"], ["-l"], ["-L"], ["-cZ"]):
        expected = grep([*opts, "bar", *paths])
        got = rxp(["stream", *opts, "bar", *paths])
        assert (got.status, got.stdout) == (expected.status, expected.stdout), opts


# --- -e and -f ---------------------------------------------------------------------------


def test_with_e_every_argument_is_a_file(tmp_path: Path) -> None:
    paths = _write(tmp_path, [b"x\nfoo\n", b"bar\n"])
    expected = grep(["-e", "foo", "-e", "bar", *paths])
    assert expected.stdout.count(b"\n") == 2
    got = rxp(["stream", "-e", "foo", "--regexp=bar", *paths])
    assert (got.status, got.stdout) == (expected.status, expected.stdout)


@pytest.mark.parametrize(
    "listing",
    [b"foo\nbar\n", b"foo\n\nbar\n", b"", b"\n", b"x", b"fo+\n(ba)r"],
    ids=["two", "empty line", "no pattern", "one empty", "no newline", "regexes"],
)
def test_pattern_files_are_grep_s(tmp_path: Path, listing: bytes) -> None:
    patterns = tmp_path / "patterns"
    patterns.write_bytes(listing)
    paths = _write(tmp_path, [b"foo\nbar\nbaz\nfooo x\n"])
    for opts in ([], ["-v"], ["-c"], ["-o"], ["-e", "baz"], ["-w", "-n"]):
        expected = grep([*opts, "-f", str(patterns), *paths])
        got = rxp(["stream", *opts, "-f", str(patterns), *paths])
        assert (got.status, got.stdout) == (expected.status, expected.stdout), opts


def test_patterns_from_dev_null_match_nothing(tmp_path: Path) -> None:
    paths = _write(tmp_path, [b"a\n\nb\n"])
    for opts in ([], ["-v"], ["-c"], ["-L"], ["-l"]):
        expected = grep([*opts, "-f", "/dev/null", *paths])
        got = rxp(["stream", *opts, "-f", "/dev/null", *paths])
        assert (got.status, got.stdout) == (expected.status, expected.stdout), opts


def test_patterns_from_stdin(tmp_path: Path) -> None:
    paths = _write(tmp_path, [b"foo\nbar\nbaz\n"])
    got = rxp_process(["stream", "-n", "-f", "-", *paths], stdin=b"ba.\n")
    assert (got.returncode, got.stdout) == (0, b"2:bar\n3:baz\n")


def test_a_missing_pattern_file_is_one_error_line(tmp_path: Path) -> None:
    missing = str(tmp_path / "missing")
    got = rxp_process(["stream", "-f", missing, "-e", "x", "/dev/null"])
    assert got.returncode == 2
    assert got.stderr == f"rxp: error: {missing}: No such file or directory\n".encode()


def test_no_pattern_at_all_is_one_error_line() -> None:
    for argv in (["stream"], ["stream", "-w"]):
        got = rxp_process(argv)
        assert got.returncode == 2
        lines = got.stderr.decode().splitlines()
        assert len(lines) == 1 and lines[0].startswith("rxp: error: "), lines


def test_an_error_in_one_of_several_patterns_points_into_it() -> None:
    got = rxp_process(["stream", "-e", "ok", "-e", "a(b", "/dev/null"])
    assert got.returncode == 2
    assert b"a(b" in got.stderr and b"ok|" not in got.stderr


def test_several_patterns_keep_their_own_groups_and_flags(tmp_path: Path) -> None:
    # renumbered backreferences, a name used twice, leading flags scoped to their pattern
    paths = _write(tmp_path, [b"aa\nXbXb\nBB\nab\nxyz\n"])
    got = rxp(["stream", "-e", r"(a)\1", "-e", r"(?i)(?P<n>x)b(?P=n)B", "-e", "(?P<n>B)B", *paths])
    assert (got.status, got.stdout) == (0, b"aa\nXbXb\nBB\n")


def test_json_shows_each_name_from_the_pattern_that_matched(tmp_path: Path) -> None:
    paths = _write(tmp_path, [b"k=1 v:2\n"])
    got = rxp(["stream", "--json", "-o", "-e", r"k=(?P<n>\d)", "-e", r"(?P<w>v):(?P<n>\d)", *paths])
    matches = [json.loads(m) for m in got.stdout.splitlines()]
    subs = [s for m in matches if m["type"] == "match" for s in m["data"]["submatches"]]
    assert [(s["match"]["text"], s["groups"]) for s in subs] == [
        ("k=1", {"n": {"text": "1", "start": 2, "end": 3}, "w": None}),
        (
            "v:2",
            {"n": {"text": "2", "start": 6, "end": 7}, "w": {"text": "v", "start": 4, "end": 5}},
        ),
    ]


# --- -l, -L, -Z, -b ----------------------------------------------------------------------


def test_listing_options_and_their_exit_status(tmp_path: Path) -> None:
    paths = _write(tmp_path, [b"a\nb\n", b"b\n", b""])
    cases = [
        ["-l", "a"], ["-L", "a"], ["-L", "zzz"], ["-l", "zzz"], ["-lv", "b"], ["-Lv", "b"],
        ["-lc", "a"], ["-Lc", "a"], ["-lq", "a"], ["-l", "-m", "0", "a"], ["-L", "-m", "0", "a"],
        ["-lZ", "a"], ["-LZ", "a"], ["-l", "-L", "a"], ["-L", "-l", "a"], ["-l", "-n", "-o", "a"],
        ["-l", "--color=always", "a"], ["-cZ", "b"], ["-HZn", "b"], ["-HZ", "-o", "b"],
        ["-b", "-A1", "a"], ["-bo", "b"], ["-bn", "-H", "b"], ["-Hb", "--color=always", "b"],
    ]  # fmt: skip
    for case in cases:
        expected = grep([*case, *paths])
        got = rxp(["stream", *case, *paths])
        assert (got.status, got.stdout) == (expected.status, expected.stdout), case


def test_listing_stops_reading_a_file_at_its_first_selected_line(tmp_path: Path) -> None:
    # The lines after the first match would each run out of the time budget; -l never
    # scans them, so there is no warning, and the exit status is 0.
    slow = b"a" * 24 + b"!\n"
    data = b"aaaa\n" + slow * 200
    path = tmp_path / "slow.log"
    path.write_bytes(data)
    argv = ["stream", "--backend", "sync", "--chunk-size", "64", "--timeout", "0.05"]
    done = rxp_process([*argv, "-l", "(a|aa)+$", str(path)], timeout=30)
    assert (done.returncode, done.stdout, done.stderr) == (0, str(path).encode() + b"\n", b"")


def test_json_with_a_listing_is_an_error() -> None:
    got = rxp_process(["stream", "--json", "-l", "a", "/dev/null"])
    message = b"rxp: error: --json cannot be combined with -l or -L\n"
    assert (got.returncode, got.stderr) == (2, message)


# --- the engines: -w, -x and -e stay on linear-time engines ---------------------------------


@pytest.mark.parametrize(
    "argv",
    [["-w", "foo"], ["-x", "a|b"], ["-e", "foo", "-e", "ba[rz]"], ["-w", "-e", "x+", "-e", "y"]],
)
def test_grep_options_keep_the_linear_time_selection(argv: list[str]) -> None:
    got = rxp(["stream", "--explain-plan", *argv])
    selection = next(x for x in got.stdout.decode().splitlines() if x.startswith("selection:"))
    assert "linear time" in selection, got.stdout
