"""`rxp stream` piped output is GNU grep's, byte for byte (``LC_ALL=C grep -E -a``).

The pattern pairs below mean the same in Python's ``re`` and in POSIX EREs, and give the
same matches under leftmost-first and leftmost-longest rules, so ``-o`` and colours agree.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.stream.helpers import GREP, grep, rxp

pytestmark = pytest.mark.skipif(GREP is None, reason="GNU grep is the oracle")

# (python pattern, ERE) pairs with identical matches
PATTERNS: list[tuple[str, str]] = [
    ("a", "a"),
    ("ab", "ab"),
    ("a.c", "a.c"),
    ("^a", "^a"),
    ("b$", "b$"),
    ("[0-9]+", "[0-9]+"),
    ("x*", "x*"),
    ("(ab|cd)+", "(ab|cd)+"),
    ("[^a ]+", "[^a ]+"),
    ("^$", "^$"),
    ("\\.", "\\."),
    ("a b", "a b"),
    ("\r$", "\r$"),
    ("é", "é"),
    ("é+", "(é)+"),  # a non-ASCII character stays one unit under a quantifier
    ("\\u00e9|\\N{LATIN SMALL LETTER E WITH ACUTE}x", "é"),
    ("\xff", "\xff"),
    ("^[^ ]+ [^ ]+ x", "^[^ ]+ [^ ]+ x"),
    ("[0-9]+(\\.[0-9]+){2}", "[0-9]+(\\.[0-9]+){2}"),
    ("ca{2}", "ca{2}"),
    (".", "."),
]

PIECES = [b"a", b"b", b"c", b"x", b" ", b"1", b"23", b".", b"ab", b"cd", b"aa", b"\r", b"\x00"]
PIECES += [b"\xc3\xa9", b"\xff", b"\xc3", b"x 1.2.3 ", b"abc"]

lines = st.lists(st.sampled_from(PIECES), max_size=8).map(b"".join)
files = st.tuples(st.lists(lines, max_size=25), st.booleans()).map(
    lambda t: b"\n".join(t[0]) + (b"\n" if t[1] and t[0] else b"")
)


def _option_sets() -> st.SearchStrategy[list[str]]:
    flag = st.sampled_from(["-n", "-c", "-o", "-v", "-i", "-H", "-h", "-q"])
    number = st.sampled_from(["-m", "-A", "-B", "-C"]).flatmap(
        lambda o: st.integers(0, 3).map(lambda n: [o, str(n)])
    )
    return st.lists(st.one_of(flag.map(lambda f: [f]), number), max_size=4).map(
        lambda groups: [a for g in groups for a in g]
    )


def _compare(tmp: Path, contents: list[bytes], pair: tuple[str, str], options: list[str]) -> None:
    paths = []
    for i, data in enumerate(contents):
        path = tmp / f"f{i}.log"
        path.write_bytes(data)
        paths.append(str(path))
    python, ere = pair
    expected = grep([*options, "-e", ere, *paths])
    got = rxp(["stream", *options, "--", python, *paths])
    assert (got.status, got.stdout) == (expected.status, expected.stdout), (options, python)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    contents=st.lists(files, min_size=1, max_size=2),
    pair=st.sampled_from(PATTERNS),
    options=_option_sets(),
)
def test_piped_output_is_grep_bytes(
    tmp_path: Path, contents: list[bytes], pair: tuple[str, str], options: list[str]
) -> None:
    _compare(tmp_path, contents, pair, options)


CASES = [
    ["-n", "-C", "1"],
    ["-m", "1", "-A", "2"],
    ["-m", "2", "-A", "3", "-n"],
    ["-o", "-C", "1", "-n"],
    ["-v", "-o"],
    ["-c", "-v"],
    ["-A", "0"],
    ["-B", "2", "-n", "-H"],
    ["-c", "-m", "2"],
]


@pytest.mark.parametrize("options", CASES, ids=" ".join)
def test_grep_context_rules(tmp_path: Path, options: list[str]) -> None:
    data = b"a1\nb2\na3\na4\nb5\nb6\nb7\na8\nb9\n"
    _compare(tmp_path, [data, data.rstrip(b"\n")], ("a", "a"), options)


def test_color_always_is_grep_color(tmp_path: Path) -> None:
    data = b"a1 xa\nb2\na3\nb4\nb5\nb6\na7"
    for options in (["-n", "-H"], ["-A", "1"], ["-o", "-n"], ["-v", "-A", "1"], ["-c"]):
        _compare(tmp_path, [data], ("a", "a"), ["--color=always", *options])


def test_errors_are_reported_and_other_files_scanned(tmp_path: Path) -> None:
    path = tmp_path / "ok.log"
    path.write_bytes(b"a\nb\n")
    missing = str(tmp_path / "missing.log")
    got = rxp(["stream", "a", missing, str(path)])
    expected = grep(["a", missing, str(path)])
    assert (got.status, got.stdout) == (expected.status, expected.stdout) == (2, expected.stdout)
    assert f"rxp: error: {missing}: No such file or directory" in got.stderr
    quiet = rxp(["stream", "-q", "a", missing, str(path)])
    assert quiet.status == grep(["-q", "a", missing, str(path)]).status == 0


def test_long_lines_and_no_final_newline(tmp_path: Path) -> None:
    big = b"x" * (5 << 20)
    data = b"head\n" + big + b"needle" + big + b"\nmid\n\x00\xff\r\ntail needle"
    _compare(tmp_path, [data], ("needle", "needle"), ["-c"])
    _compare(tmp_path, [data], ("needle", "needle"), ["-n", "-o"])
    _compare(tmp_path, [data], ("e", "e"), ["-v", "-n"])
