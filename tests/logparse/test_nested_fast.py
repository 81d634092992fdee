"""The hand-written nested reader (``_nested_fast``) against its reference, Lark's parse of
``grammars/nested.lark`` folded by ``_nested`` (``lark_nested`` / ``lark_value``).

The oracle is the grammar: on any text Lark accepts, the fast reader gives the same value
(same keys in the same order, same types) or ``None``; on any text Lark refuses, ``None``.
Two generators: junk (fragments that exercise every terminal and the contextual lexer's
choices, glued at random with random characters) and well-formed values in every syntax the
grammar names (Java toString, protobuf text, Ruby hashes, NSError), where ``None`` must be
rare."""

from __future__ import annotations

import json
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rxp._grammar import load_grammar
from rxp._logparse._nested import decode_value, lark_nested, lark_value, parse_nested
from rxp._logparse._nested_fast import TERMINALS, fast_nested, fast_value
from rxp._logparse._records import JSONValue, LineError
from rxp._logparse._scan import MAX_DEPTH, structure_error

SETTINGS = settings(max_examples=250, deadline=None)

# --- the reference -------------------------------------------------------------------------


def lark_or_none(read: object, text: str) -> JSONValue | None:
    """Lark's value, ``None`` where Lark refuses ``text`` (or the pre-check would: those
    lines never reach Lark, and the fast reader must refuse them too)."""
    if structure_error(text) is not None:
        return None
    try:
        return read(text)  # type: ignore[operator, no-any-return]
    except LineError:
        return None


def same(a: object, b: object) -> bool:
    """Equal, key order included (``==`` on dicts ignores it)."""
    return json.dumps(a) == json.dumps(b)


def check(text: str) -> tuple[bool, bool]:
    """Compare both entry points on ``text``; ``(accepted by Lark, fast said None)``."""
    accepted = none = False
    for reference, fast in ((lark_nested, fast_nested), (lark_value, fast_value)):
        want = lark_or_none(reference, text)
        got = fast(text)
        if want is None:
            assert got is None, f"Lark refuses {text!r} but the fast reader gave {got!r}"
            continue
        accepted = True
        if got is None:
            none = True
            continue
        assert same(got, want), f"{text!r}: fast {got!r} != Lark {want!r}"
    return accepted, none


# --- generators ----------------------------------------------------------------------------

# Every terminal and the places where the contextual lexer chooses: keys glued to `=`, `:`,
# `=>` (and `:` not followed by a space), symbols with and without `=>`, quoted strings with
# escapes, tags, protobuf `key {`, apostrophes, URLs and times, separators, stray characters.
FRAGMENTS = [
    "a", "b1", "x_y", "don't", "it's", "a'", "_'", "http://x/y", "12:30", "12:30:45",
    ":a", ":b?", ":c!", "=", "=>", ":", "::", "=x", ":x", "a=", "a =", "a=>", "a =>", "a:",
    "a :", "a: ", "k\t=", '"q"', "'s'", '"e\\"x"', "'e\\'x'", '"\\n\\u00e9"', "'\\t'",
    '"k"=', '"k" =>', "'k':", ":s =>", ":s=>", "Name{", "N[", "F(", "key {", "k\t{", "a.b-c",
    "$y", "@x", "{", "}", "[", "]", "(", ")", ",", ";", " ", "  ", "\t", "\n", "\r\n", '"',
    "'", "\\", "<", ">", "é", "名", "\u00a0", "\u2028", "1", "nil", "-1.5", "=>x", "a=b=c",
]  # fmt: skip
junk = st.lists(
    st.sampled_from(FRAGMENTS) | st.text(max_size=2),
    max_size=16,
).map("".join)

_word = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9_.\-/@$]{0,7}", fullmatch=True) | st.sampled_from(
    ["don't", "it's", "http://x/y?q=1", "12:30", "12:30:45.123", "-1.5", "nil", "a-b", "é"]
)
_atom = st.lists(_word, min_size=1, max_size=3).map(" ".join)
_dq = st.text(max_size=8).map(json.dumps)
_sq = st.text(max_size=6).map(lambda s: "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'")
_symbol = st.from_regex(r":[A-Za-z_][A-Za-z0-9_]{0,5}[?!]?", fullmatch=True)
_name = st.from_regex(r"[A-Za-z_$@][A-Za-z0-9_.$@]{0,6}", fullmatch=True)
_key = st.from_regex(r"[A-Za-z_][A-Za-z0-9_.\-]{0,6}", fullmatch=True)
_ws = st.sampled_from(["", " ", "  ", "\t", "\n"])
_sep = st.sampled_from([", ", ",", "; ", ";", " ", ",\n", " , "])
_op = st.sampled_from(["=", "=>", " => ", ": ", ":\t", " = "])
_scalar = _atom | _dq | _sq | _symbol


def _entry(value: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        value,
        st.tuples(_key, _op, value).map("".join),  # k=v, k: v, k => v
        st.tuples(_dq | _sq | _symbol, _ws, st.sampled_from(["=>", "=", ":"]), _ws, value).map(
            "".join
        ),  # "k" => v, :k => v, 'k': v
        st.tuples(_key, _op).map("".join),  # a key with no value
    )


def _body(value: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.lists(st.tuples(_entry(value), _sep), max_size=4).map(
        lambda parts: "".join(e + s for e, s in parts).rstrip(",; \n")
    )


def _containers(value: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    body = _body(value)
    return st.one_of(
        st.tuples(st.sampled_from(["{", "[", "("]), _ws, body, _ws).map(
            lambda t: t[0] + t[1] + t[2] + t[3] + {"{": "}", "[": "]", "(": ")"}[t[0]]
        ),
        st.tuples(_name, st.sampled_from(["{", "[", "("]), body).map(
            lambda t: t[0] + t[1] + t[2] + {"{": "}", "[": "]", "(": ")"}[t[1]]
        ),  # Java Name{...}, Name[...], Name(...)
        st.tuples(_key, body).map(lambda t: f"{t[0]} {{ {t[1]} }}"),  # protobuf `key { ... }`
    )


_value = st.recursive(_scalar, _containers, max_leaves=12)
well_formed = st.tuples(_ws, _body(_value), _ws).map("".join) | _containers(_value)


# --- the properties ------------------------------------------------------------------------


@SETTINGS
@given(junk)
def test_junk_the_fast_reader_equals_lark_or_refuses(text: str) -> None:
    check(text)


def test_well_formed_the_fast_reader_equals_lark_and_rarely_gives_up() -> None:
    tally = {"accepted": 0, "none": 0}

    @SETTINGS
    @given(well_formed)
    def run(text: str) -> None:
        accepted, none = check(text)
        tally["accepted"] += accepted
        tally["none"] += accepted and none

    run()
    assert tally["accepted"] >= 200  # the generator does make text Lark accepts
    assert tally["none"] < 0.05 * tally["accepted"], tally


def test_seeded_junk_agrees() -> None:
    """A fixed sample, larger than hypothesis's, run on every test run."""
    rng = random.Random(16)
    for _ in range(3000):
        check("".join(rng.choice(FRAGMENTS) for _ in range(rng.randint(0, 14))))


# --- the grammar the reader copies ---------------------------------------------------------


def test_terminals_are_the_grammars() -> None:
    parser = load_grammar("nested", parser="lalr")
    # Lark writes the grammar's `\t` as a tab character: the same regex
    lark_terms = {t.name: t.pattern.to_regexp().replace("\t", r"\t") for t in parser.terminals}
    for name, pattern in TERMINALS.items():
        assert lark_terms[name] == pattern, name


def test_lexer_states_are_the_three_the_reader_knows() -> None:
    """In every parser state, the word-like terminals are tried in the order the reader
    assumes (TAG, SYMBOL, KEY, ASSIGN, WORD), and ASSIGN is offered only where a quoted
    string or symbol opened an entry (the reader's quoted-key case): states that reduce it
    to ``qkey`` on ASSIGN, and the state after ``qkey`` (never lexed in: its look-ahead,
    the ASSIGN, was read before the reduction)."""
    parser = load_grammar("nested", parser="lalr")
    order = ["TAG", "SYMBOL", "KEY", "ASSIGN", "WORD"]
    lexers = parser.parser.lexer.lexers
    table = parser.parser.parser.parser.parse_table.states
    after_qkey = {acts["qkey"][1] for acts in table.values() if "qkey" in acts}
    for state, lexer in lexers.items():
        names = [t.name for t in lexer.terminals if t.name in order]
        assert names == [n for n in order if n in names], state
        if "ASSIGN" in names:
            action = table[state]["ASSIGN"]
            assert state in after_qkey or str(action[1]).startswith("<qkey :"), state


# --- cases the contextual lexer decides ----------------------------------------------------

CASES = {
    "User{id=42, name=bob, roles=[admin, dev], meta={a=1}}": {
        "User": {"id": "42", "name": "bob", "roles": ["admin", "dev"], "meta": {"a": "1"}}
    },
    '{:a => 1, "b" => nil, c: [1, 2]}': {":a": "1", "b": "nil", "c": ["1", "2"]},
    "a=b=c": {"a": "", "b": "c"},  # KEY before WORD: `b=` is a key
    '"a" :foo': {"a": "foo"},  # after a quoted string `:` is the operator
    '"a" :b => 1': {":b": "1", "@values": ["a"]},  # ... unless a symbol reads there
    "a: :b => c": {"a": ":b", "@values": ["=> c"]},  # a symbol as a value: no operator after
    'k= "x" = 1': {"k": "x", "@values": ["= 1"]},
    "key { inner { id: 20 } }": {"key": {"inner": {"id": "20"}}},
    "http://x 12:30 a: b": {"a": "b", "@values": ["http://x 12:30"]},
    "don't stop, x_'y'": {"@values": ["don't stop", "x_", "y"]},
    "a= , b": {"a": "", "@values": ["b"]},
    "": {},
}


@pytest.mark.parametrize("text", list(CASES))
def test_cases(text: str) -> None:
    assert same(fast_nested(text), CASES[text])
    assert same(lark_nested(text), CASES[text])
    assert same(parse_nested(text), CASES[text])


def test_decode_value_lone_item() -> None:
    assert fast_value("Name{a=1}") == {"Name": {"a": "1"}} == lark_value("Name{a=1}")
    assert fast_value("[a, b c]") == ["a", "b c"] == decode_value("[a, b c]")
    assert fast_value("(x)") == ["x"] == lark_value("(x)")


def test_depth_bound_is_the_prechecks() -> None:
    ok = "[" * MAX_DEPTH + "]" * MAX_DEPTH
    assert fast_nested(ok) == lark_nested(ok)
    deep = "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1)
    assert fast_nested(deep) is None
    with pytest.raises(LineError, match="nested deeper"):
        parse_nested(deep)


@pytest.mark.parametrize(
    "text", ["a={b=1", "a=[1}", "}", "x 'y", 'a="b', "a=(1]]", "{a=1} ]", "Name{"]
)
def test_errors_keep_larks_words(text: str) -> None:
    """Malformed input: the fast reader refuses, and the error is the one the pre-check or
    Lark gives (message and column), as before the fast reader existed."""
    assert fast_nested(text) is None and fast_value(text) is None
    with pytest.raises(LineError) as got:
        parse_nested(text, offset=3)
    error = structure_error(text, offset=3)
    if error is None:
        with pytest.raises(LineError) as want:
            lark_nested(text, offset=3)
        error = want.value
    assert (got.value.message, got.value.column) == (error.message, error.column)
