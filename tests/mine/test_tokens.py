"""The miner's tokenizer (``rxp._mine._tokens``): its masks are rxp's own idioms, as
``rxp explain`` recognises them; masking only ever replaces whole variables; a line's
grouping key does not see which number, address or path a line holds; the cache changes
nothing."""

from __future__ import annotations

import itertools
import re
import string
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

import rxp
from rxp._analysis._idioms import IDIOM_NAMES
from rxp._mine._tokens import (
    KINDS,
    MASKS,
    VAR,
    Tokenizer,
    aligned,
    grouping_key,
    kind_of,
    marked,
    pieces,
    reduce_tokens,
)


def _idioms(regex: str) -> list[tuple[str, str]]:
    """(name, pattern text) of each idiom ``rxp explain`` finds in ``regex``, in order."""
    return [(i.name, i.text) for i in rxp.explain(rxp.parse(regex)).idioms]


# -- the masks are rxp's idioms -------------------------------------------------------------

# The kinds rxp has no idiom for, and what rxp does see in each mask: the closest true thing.
# A value is (idiom names in order, the mask rebuilt from those idioms' texts).
NOT_IDIOMS = {
    # an address: rxp sees the host name and the port number, not one "host-port" idiom
    "host-port": ["hostname", "integer"],
    # a path without its leading "/": rxp's unix-path idiom starts at a "/", so it covers the
    # slash-separated tail only, not the first segment
    "relative-path": ["unix-path"],
    # a number with a unit: rxp sees the number; the unit is literal text to it
    "duration": ["decimal"],
    "size": ["decimal"],
}


def test_every_mask_is_an_idiom_of_rxp_or_listed_as_not_one() -> None:
    for kind in KINDS:
        assert (kind in IDIOM_NAMES) != (kind in NOT_IDIOMS), kind


@pytest.mark.parametrize("kind", [k for k in KINDS if k not in NOT_IDIOMS])
def test_a_mask_is_recognised_as_the_idiom_it_is_named_after(kind: str) -> None:
    # the whole mask, nothing else: an alternation of two spellings (unix-path, hex) is two
    # idioms of that name, one per branch, and together they are the whole regex
    found = _idioms(MASKS[kind])
    assert found, kind
    assert {name for name, _ in found} == {kind}
    assert "|".join(text for _, text in found) == MASKS[kind]


def test_host_port_is_a_hostname_a_colon_and_an_integer() -> None:
    found = _idioms(MASKS["host-port"])
    assert [name for name, _ in found] == NOT_IDIOMS["host-port"]
    assert MASKS["host-port"] == found[0][1] + ":" + found[1][1]


def test_relative_path_is_a_segment_then_a_unix_path() -> None:
    found = _idioms(MASKS["relative-path"])
    assert [name for name, _ in found] == NOT_IDIOMS["relative-path"]
    head, tail = MASKS["relative-path"].split(found[0][1])
    assert (head, tail) == (r"[\w.-]+", "")


@pytest.mark.parametrize("kind", ["duration", "size"])
def test_a_quantity_is_a_decimal_number_and_a_unit(kind: str) -> None:
    found = _idioms(MASKS[kind])
    assert [name for name, _ in found] == NOT_IDIOMS[kind]
    head, _, unit = MASKS[kind].partition(found[0][1])
    assert head in ("", "[<>~]?")
    assert unit.startswith("(?:") and not re.search(r"\\d", unit)


_segment = st.text(string.ascii_letters + string.digits + "_.-", min_size=1, max_size=6)
_label = st.tuples(
    st.sampled_from(string.ascii_lowercase), st.text(string.ascii_lowercase + "0123-", max_size=5)
).map("".join)
# values of each idiom, from oracles that know the format (ipaddress, uuid, datetime)
_VALUES = {
    "ipv4": st.ip_addresses(v=4).map(str),
    "uuid": st.uuids().map(str),
    "iso-date": st.dates().map(lambda d: d.isoformat()),
    # "T" only: the mask also takes a space there, but a message is cut at spaces first
    "iso-datetime": st.tuples(st.datetimes(), st.booleans()).map(
        lambda t: t[0].isoformat(timespec="milliseconds" if t[1] else "seconds")
    ),
    "time-of-day": st.times().map(lambda t: t.isoformat(timespec="seconds")),
    "mac-address": st.binary(min_size=6, max_size=6).map(lambda b: b.hex(":")),
    "hex": st.integers(0, 2**64).map(hex),
    "decimal": st.one_of(
        st.integers(-(10**12), 10**12).map(str),
        st.tuples(st.integers(0, 10**6), st.integers(0, 10**6)).map(lambda t: f"{t[0]}.{t[1]}"),
    ),
    "unix-path": st.lists(_segment, min_size=1, max_size=4).map(lambda p: "/" + "/".join(p)),
    "url": st.tuples(st.sampled_from(["http", "https", "ftp"]), _segment).map(
        lambda t: f"{t[0]}://{t[1]}/"
    ),
    "hostname": st.lists(_label, min_size=3, max_size=4).map(".".join),
    "host-port": st.tuples(st.ip_addresses(v=4), st.integers(0, 65535)).map(
        lambda t: f"{t[0]}:{t[1]}"
    ),
    "duration": st.tuples(st.integers(0, 10**5), st.sampled_from(["ms", "s", "us", "min"])).map(
        lambda t: f"{t[0]}{t[1]}"
    ),
    # bytes with at most four digits: "10000B" is six hex digits, and hex is masked first
    "size": st.one_of(
        st.tuples(st.integers(0, 10**5), st.sampled_from(["KB", "MiB", "GB"])),
        st.tuples(st.integers(0, 9999), st.just("B")),
    ).map(lambda t: f"{t[0]}{t[1]}"),
}


def test_every_kind_has_a_value_strategy() -> None:
    assert set(_VALUES) | {"relative-path"} == set(KINDS)


@given(st.sampled_from(sorted(_VALUES)).flatmap(lambda k: st.tuples(st.just(k), _VALUES[k])))
def test_a_value_of_an_idiom_is_masked_whole_as_that_idiom(case: tuple[str, str]) -> None:
    kind, value = case
    assert re.fullmatch(MASKS[kind], value)
    assert pieces(value) == [(kind, value)]
    if kind != "url":  # a URL takes the punctuation after it, as URL regexes do
        assert pieces(f"({value})") == [("", "("), (kind, value), ("", ")")]
    assert pieces(f"at={value}") == [("key", "at="), (kind, value)]


@pytest.mark.parametrize(
    ("token", "expected"),
    [
        ("blk_-1608999687919862906", [("", "blk_"), ("decimal", "-1608999687919862906")]),
        ("10.251.43.21:50010", [("host-port", "10.251.43.21:50010")]),
        # after a "/" (HDFS writes its peers so) an address reads as a path and a number
        ("/10.251.43.21:50010", [("unix-path", "/10.251.43.21"), ("", ":"), ("decimal", "50010")]),
        ("src=/user/root/x.txt", [("key", "src="), ("unix-path", "/user/root/x.txt")]),
        ("uid=0", [("key", "uid="), ("decimal", "0")]),
        ("a1b2c3d4e5", [("hex", "a1b2c3d4e5")]),
        ("abcdef", [("", "abcdef")]),  # no digit: a word, not hex
        ("v2", [("", "v2")]),  # a digit inside a word is not a number
        ("12ms", [("duration", "12ms")]),
        ("1000B", [("size", "1000B")]),
        ("www.example.com", [("hostname", "www.example.com")]),
        ("java.lang.Exception", [("hostname", "java.lang.Exception")]),
    ],
)
def test_pieces_of_known_tokens(token: str, expected: list[tuple[str, str]]) -> None:
    assert pieces(token) == expected


# -- masking properties ---------------------------------------------------------------------

tokens = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=40).filter(
    lambda t: not any(c.isspace() for c in t)
)


@given(tokens)
def test_pieces_give_back_the_token(token: str) -> None:
    cut = pieces(token)
    assert "".join(text for _, text in cut) == token
    assert all(text for _, text in cut)
    # a masked piece is a whole match of its idiom's regex
    for kind, text in cut:
        if kind not in ("", "key"):
            assert re.fullmatch(MASKS[kind], text), (kind, text)


@given(tokens)
def test_marked_marks_each_masked_piece_with_its_kind(token: str) -> None:
    cut = pieces(token)
    mark = marked(token)
    kinds = [kind for kind, _ in cut if kind not in ("", "key")]
    assert [kind_of(c) for c in mark if c not in token and ord(c) > 0xE000] == kinds
    literal = "".join(text if kind in ("", "key") else "" for kind, text in cut)
    assert "".join(c for c in mark if not 0xE000 < ord(c) <= 0xE000 + len(KINDS)) == literal


def _is_digit(c: str) -> bool:
    return unicodedata.category(c) == "Nd"  # what re's \d matches in a str pattern


words = st.text(
    st.sampled_from(string.ascii_letters + "._-:=,;()[]{}'\"!?*#&éßÆЖ"), min_size=1, max_size=30
)


@given(words)
def test_a_token_without_digit_or_slash_stays_words(token: str) -> None:
    # only the idioms that need no digit and no "/" can be found in it: a host name (two
    # dots), a MAC address and a UUID of hex letters
    assert not any(_is_digit(c) for c in token) and "/" not in token
    kinds = {kind for kind, _ in pieces(token)}
    assert kinds <= {"", "key", "hostname", "mac-address", "uuid"}
    if "." not in token and ":" not in token and "-" not in token:
        assert kinds <= {"", "key"}
        assert marked(token) == token


# -- grouping keys ignore the values of variables -------------------------------------------

_SAME_SHAPE = sorted(set(_VALUES) - {"url", "hostname"})  # one idiom each, any context
_WRAPS = ["{}", "({})", "[{}]", "{},", "id={}", "'{}'"]
word = st.text(string.ascii_letters + "_", min_size=2, max_size=8)
slot = st.one_of(
    word.map(lambda w: ("word", w, "{}")),
    st.tuples(st.just("var"), st.sampled_from(_SAME_SHAPE), st.sampled_from(_WRAPS)),
)


@st.composite
def two_lines(draw: st.DrawFn) -> tuple[str, str, str]:
    """One template filled twice: each variable once with a value of its own idiom, then
    with another value (of the same idiom, or of any idiom in the last line)."""
    slots = draw(st.lists(slot, min_size=1, max_size=8))
    same: list[str] = []
    other: list[str] = []
    mixed: list[str] = []
    for what, name, wrap in slots:
        if what == "word":
            same.append(name)
            other.append(name)
            mixed.append(name)
            continue
        same.append(wrap.format(draw(_VALUES[name])))
        other.append(wrap.format(draw(_VALUES[name])))
        mixed.append(wrap.format(draw(_VALUES[draw(st.sampled_from(_SAME_SHAPE))])))
    return " ".join(same), " ".join(other), " ".join(mixed)


@given(two_lines())
def test_values_of_one_idiom_give_one_shape(lines: tuple[str, str, str]) -> None:
    first, second, _ = lines
    tokenize = Tokenizer()
    assert tokenize(first) == tokenize(second)


@given(two_lines())
def test_any_values_give_one_grouping_key(lines: tuple[str, str, str]) -> None:
    first, _, mixed = lines
    tokenize = Tokenizer()
    assert grouping_key(tokenize(first)) == grouping_key(tokenize(mixed))


def test_grouping_key_examples() -> None:
    tokenize = Tokenizer()

    def key(line: str) -> tuple[str, ...]:
        return grouping_key(tokenize(line))

    assert key("Received block blk_-1 of size 67108864 from /10.250.19.102") == (
        "Received",
        "block",
        f"blk_{VAR}",
        "of",
        "size",
        VAR,
        "from",
        VAR,
    )
    assert key("took 12 ms") == key("took 3.5 s") == ("took", VAR)
    assert key("a 1 2 3 b") == key("a 1 b") == ("a", VAR, "b")
    assert key("uid=0 euid=0") == ("uid=", VAR, "euid=", VAR)
    assert key("x ( 1 ) - y") == ("x", VAR, "y")


# -- reduction ------------------------------------------------------------------------------

reducible = st.lists(st.sampled_from([VAR, "a", "b", "KB", "ms", "Jun", "Mon", "x="]), max_size=12)


@given(reducible)
def test_reduced_tokens_have_no_run(tokens_: list[str]) -> None:
    out = reduce_tokens(tokens_)
    assert all(a != b for a, b in itertools.pairwise(out))
    assert set(out) <= set(tokens_) | {VAR}


@given(reducible)
def test_aligned_maps_every_token_to_its_reduced_token_in_order(tokens_: list[str]) -> None:
    out, where = aligned(tokens_)
    assert len(where) == len(tokens_)
    kept = [w for w in where if w is not None]
    assert kept == list(range(len(out)))
    if tokens_:
        assert where[0] == 0
    for token, w in zip(tokens_, where, strict=True):
        if w is not None:
            assert out[w] in (token, VAR)


# -- the cache ------------------------------------------------------------------------------

messages = st.lists(
    st.lists(st.sampled_from(["a", "b=1", "x", "10.0.0.1", "1", "(2)", "/p/q", "ß"]), max_size=6)
    .map(" ".join)
    .filter(bool),
    max_size=10,
)


@given(messages, st.text(max_size=60))
def test_the_cache_changes_no_shape(seen: list[str], message: str) -> None:
    warm = Tokenizer()
    for line in seen:
        warm(line)
    fresh = Tokenizer()(message)
    assert fresh == warm(message) == warm(message)
    assert fresh == tuple(marked(raw) for raw in message.split())
