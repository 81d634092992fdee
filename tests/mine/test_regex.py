"""Every template is a regex that matches every line of its cluster (the issue's guarantee),
on the committed loghub samples, on generated logs and on any text; its groups are the
template's ``<*>``; and rxp's own commands (``rxp.parse``, ``rxp explain``, ``rxp stream``,
``rxp parse --pattern``) take it, with Python's ``re`` as the oracle of what it selects."""

from __future__ import annotations

import json
import re
import string
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import rxp
from rxp._mine._messages import messages
from tests.helpers import run_rxp

from ._loghub import SYSTEMS, sample


def _unmatched(lines: list[str] | tuple[str, ...], mining: rxp.Mining) -> list[tuple[str, str]]:
    """(line, regex) for each line its template's regex does not match, newline stripped as
    the miner strips it."""
    compiled = {t.id: re.compile(t.regex) for t in mining.templates}
    return [
        (line, mining.template(tid).regex)
        for line, tid in zip(lines, mining.assignments, strict=True)
        if not compiled[tid].match(line.rstrip("\r\n"))
    ]


# -- the guarantee on real logs -------------------------------------------------------------


@pytest.mark.parametrize("system", SYSTEMS)
def test_every_message_matches_its_template_regex(system: str) -> None:
    lines = sample(system).messages
    assert _unmatched(lines, rxp.mine_lines(lines)) == []


@pytest.mark.parametrize("system", SYSTEMS)
def test_every_raw_line_s_message_matches_its_template_regex(system: str) -> None:
    # format="auto" mines the message of each raw line, so the regex is the message's
    raw = sample(system).raw
    mining = rxp.mine_lines(raw, format="auto")
    assert len(mining.assignments) == len(raw)
    assert _unmatched(list(messages(raw)), mining) == []


@pytest.mark.parametrize("system", SYSTEMS)
def test_every_regex_is_anchored_and_names_its_groups(system: str) -> None:
    for template in rxp.mine_lines(sample(system).messages).templates:
        compiled = re.compile(template.regex)
        assert template.regex.startswith("^") and template.regex.endswith("$")
        assert compiled.groups == len(template.groups)  # every group is named
        assert tuple(compiled.groupindex) == template.groups


# -- whitespace around a message (a bug these tests found) ----------------------------------


def test_leading_and_trailing_whitespace_do_not_escape_the_regex() -> None:
    # Proxifier's raw lines end some messages with a space: "... completion. " and
    # "... completion." are one shape (a message is cut at whitespace), so the regex written
    # from one must match the other
    lines = [
        "host1.example.com:80 error : A connection request was canceled.",
        "host2.example.com:443 error : A connection request was canceled. ",
        " host3.example.com:80 error : A connection request was canceled.",
        "\thost4.example.com:80 error : A connection request was canceled.\t ",
    ]
    mining = rxp.mine_lines(lines)
    assert len(mining.templates) == 1
    assert _unmatched(lines, mining) == []


def test_a_blank_line_and_an_empty_line_are_one_template_that_matches_both() -> None:
    lines = ["", " ", "\t", "a", "a "]
    assert _unmatched(lines, rxp.mine_lines(lines)) == []


def test_a_word_once_and_a_word_twice_merged_into_one_template_match_it() -> None:
    # "A <*> A" and "A <*>" have one skeleton (a repeated word counts once), so they are one
    # template; no line-shaped regex fits both and the fallback regex of constant words
    # wrote "A" twice, which "A 0ms" does not hold (found by the substitution property below)
    lines = ["A 0ms A", "A 0ms"]
    mining = rxp.mine_lines(lines)
    assert len(mining.templates) == 1
    assert _unmatched(lines, mining) == []


# -- the guarantee on generated logs --------------------------------------------------------

# a few words often, so that templates share and repeat words
_WORDS = st.one_of(
    st.sampled_from(["A", "to", "user", "open", "s"]),
    st.text(string.ascii_letters + "_", min_size=1, max_size=7),
)
_PUNCT = st.sampled_from(["-", ":", "|", "(", ")", "=>", ",", "[", "]", "#", "..."])
_VALUES = {
    "number": st.integers(-(10**9), 10**12).map(str),
    "ip": st.ip_addresses(v=4).map(str),
    "address": st.tuples(st.ip_addresses(v=4), st.integers(0, 65535)).map(
        lambda t: f"{t[0]}:{t[1]}"
    ),
    "hex": st.integers(0, 2**48).map(hex),
    "path": st.lists(
        st.text(string.ascii_lowercase + "0123_.", min_size=1, max_size=5), min_size=1
    ).map(lambda p: "/" + "/".join(p)),
    "word": _WORDS,
    "float": st.floats(0, 1e6, allow_nan=False).map(lambda f: f"{f:.3f}"),
    "duration": st.integers(0, 10**4).map(lambda n: f"{n}ms"),
    "size": st.tuples(st.integers(0, 999), st.sampled_from(["KB", "MB"])).map(
        lambda t: f"{t[0]} {t[1]}"
    ),
}
_SPACE = st.sampled_from([" ", " ", " ", "  ", "\t"])


@st.composite
def _slot(draw: st.DrawFn) -> tuple[str, object]:
    what = draw(st.sampled_from(["const", "const", "punct", "var", "var", "key", "opt", "rep"]))
    if what == "const":
        return ("const", draw(_WORDS))
    if what == "punct":
        return ("const", draw(_PUNCT))
    if what == "opt":  # a word that some lines have and others do not
        return ("opt", draw(_WORDS))
    kind = draw(st.sampled_from(sorted(_VALUES)))
    if what == "key":  # key=value
        return ("key", (draw(st.sampled_from(["id", "uid", "size", "x.y"])), kind))
    return (what, kind)  # "var": one value, "rep": one to three


@st.composite
def synthetic_log(draw: st.DrawFn) -> list[str]:
    """A few templates of words, punctuation and variables (numbers, addresses, words,
    optional words, repeated values, key=value), lines drawn from them with random spacing."""
    templates = draw(
        st.lists(st.tuples(_WORDS, st.lists(_slot(), max_size=7)), min_size=1, max_size=4)
    )
    lines = []
    for _ in range(draw(st.integers(1, 30))):
        head, slots = draw(st.sampled_from(templates))
        tokens = [head]
        for what, arg in slots:
            if what == "const":
                tokens.append(str(arg))
            elif what == "opt":
                if draw(st.booleans()):
                    tokens.append(str(arg))
            elif what == "key":
                key, kind = arg  # type: ignore[misc]
                tokens.append(f"{key}={draw(_VALUES[kind])}")
            else:
                times = draw(st.integers(1, 3)) if what == "rep" else 1
                tokens.extend(draw(_VALUES[str(arg)]) for _ in range(times))
        line = draw(st.sampled_from(["", " "]))
        for i, token in enumerate(tokens):
            line += (draw(_SPACE) if i else "") + token
        lines.append(line + draw(st.sampled_from(["", "", " ", "\r\n", "\n"])))
    return lines


@settings(max_examples=60, deadline=None)
@given(synthetic_log())
def test_generated_logs_match_their_templates(lines: list[str]) -> None:
    assert _unmatched(lines, rxp.mine_lines(lines)) == []


_ANY_LINE = st.text(st.characters(blacklist_characters="\n\r", blacklist_categories=("Cs",)))


@settings(max_examples=60, deadline=None)
@given(st.lists(_ANY_LINE, max_size=15))
def test_any_text_matches_its_template(lines: list[str]) -> None:
    assert _unmatched(lines, rxp.mine_lines(lines)) == []


_NEAR_LOGS = st.lists(
    st.lists(
        st.sampled_from(
            [*"ab1 2.:/-=_()[],|\t", "0x1f", "10.0.0.1", "user", "ms", "Jun", "INFO", "blk_"]
        ),
        max_size=12,
    ).map("".join),
    max_size=25,
)


@settings(max_examples=60, deadline=None)
@given(_NEAR_LOGS)
def test_log_like_text_matches_its_template(lines: list[str]) -> None:
    assert _unmatched(lines, rxp.mine_lines(lines)) == []
    raw = [f"2024-01-02 10:00:0{i % 10} INFO [main] {line}" for i, line in enumerate(lines)]
    assert _unmatched(list(messages(raw)), rxp.mine_lines(raw, format="auto")) == []


# -- groups are the template's <*> ----------------------------------------------------------


def _spans(template: rxp.Template, match: re.Match[str]) -> list[tuple[int, int]]:
    """Each ``<*>``'s span in the matched line: one group, or an address's two (``host``,
    ``port``) with the ":" between them, which the template writes as one ``<*>``."""
    spans = [match.span(i + 1) for i in range(len(template.groups))]
    out: list[tuple[int, int]] = []
    for i, (name, span) in enumerate(zip(template.groups, spans, strict=True)):
        if (
            name.startswith("port")
            and i
            and template.groups[i - 1].startswith("host")
            and match.string[out[-1][1] : span[0]] == ":"
        ):
            out[-1] = (out[-1][0], span[1])
        else:
            out.append(span)
    return out


def _substituted(template: rxp.Template, line: str) -> str | None:
    """The template text with each ``<*>`` replaced by what its groups captured in ``line``,
    or None if the template has not one ``<*>`` for each group."""
    match = re.match(template.regex, line)
    assert match is not None
    parts = template.template.split("<*>")
    spans = _spans(template, match)
    if len(spans) != len(parts) - 1:
        return None
    return parts[0] + "".join(line[a:b] + p for (a, b), p in zip(spans, parts[1:], strict=True))


def _squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _check_substitution(lines: list[str] | tuple[str, ...]) -> int:
    """Assert the substitution property for every line; the number of lines it applied to."""
    mining = rxp.mine_lines(lines)
    applied = 0
    for line, tid in zip(lines, mining.assignments, strict=True):
        template = mining.template(tid)
        line = line.rstrip("\r\n")
        back = _substituted(template, line)
        if back is None:
            # the fallback regex (constant words with any text between): the template's
            # words still occur in the line, in order
            words = [re.escape(w) for w in template.template.replace("<*>", " ").split()]
            assert re.search(".*?".join(words), line), (line, template)
            continue
        applied += 1
        assert _squeezed(back) == _squeezed(line), (line, template)
    return applied


@pytest.mark.parametrize("system", SYSTEMS)
def test_captures_put_back_into_the_template_give_the_line(system: str) -> None:
    lines = sample(system).messages
    assert _check_substitution(lines) == len(lines)


@settings(max_examples=60, deadline=None)
@given(synthetic_log())
def test_captures_put_back_give_the_line_on_generated_logs(lines: list[str]) -> None:
    _check_substitution(lines)


# -- rxp's own commands take the regexes ----------------------------------------------------


@pytest.mark.parametrize("system", SYSTEMS)
def test_rxp_parses_every_template_regex(system: str) -> None:
    for template in rxp.mine_lines(sample(system).messages).templates:
        pattern = rxp.parse(template.regex)
        assert pattern.text == template.regex


def _cli_sample() -> list[tuple[str, rxp.Template]]:
    """Five regexes, a subprocess each per command: of each system's template with the most
    groups, the five with the most (host and port, paths, numbers, lazy runs)."""
    chosen = []
    for system in SYSTEMS:
        mining = rxp.mine_lines(sample(system).messages)
        best = max(mining.templates, key=lambda t: (len(t.groups), t.count))
        chosen.append((system, best))
    chosen.sort(key=lambda pair: -len(pair[1].groups))
    return chosen[:5]


@pytest.fixture(scope="module")
def cli_sample() -> list[tuple[str, rxp.Template]]:
    return _cli_sample()


def test_rxp_explain_accepts_template_regexes(cli_sample: list[tuple[str, rxp.Template]]) -> None:
    for _, template in cli_sample:
        done = run_rxp("explain", "--", template.regex, text=True)
        assert done.returncode == 0, (template.regex, done.stderr)
        assert done.stdout.strip()


def test_rxp_stream_selects_what_re_selects(
    cli_sample: list[tuple[str, rxp.Template]], tmp_path: Path
) -> None:
    for system, template in cli_sample:
        lines = sample(system).messages
        log = tmp_path / f"{system}.txt"
        log.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
        done = run_rxp("stream", "-n", "-e", template.regex, str(log), text=True)
        assert done.returncode == 0, (template.regex, done.stderr)
        printed = {int(row.partition(":")[0]) for row in done.stdout.splitlines()}
        expected = {i + 1 for i, line in enumerate(lines) if re.search(template.regex, line)}
        assert printed == expected
        assert len(expected) >= template.count  # at least the template's own lines


def test_rxp_parse_pattern_gives_the_named_groups(
    cli_sample: list[tuple[str, rxp.Template]], tmp_path: Path
) -> None:
    for system, template in cli_sample:
        mining = rxp.mine_lines(sample(system).messages)
        own = [
            line
            for line, tid in zip(sample(system).messages, mining.assignments, strict=True)
            if tid == template.id
        ]
        log = tmp_path / f"{system}.txt"
        log.write_text("".join(f"{line}\n" for line in own), encoding="utf-8")
        done = run_rxp("parse", "-q", "--pattern", template.regex, str(log), text=True)
        assert done.returncode == 0, (template.regex, done.stderr)
        records = [json.loads(row) for row in done.stdout.splitlines()]
        assert len(records) == len(own)
        for line, record in zip(own, records, strict=True):
            match = re.match(template.regex, line)
            assert match is not None
            assert record["_format"] == "pattern"
            fields = {k: v for k, v in record.items() if not k.startswith("_")}
            assert fields == {k: v for k, v in match.groupdict().items() if v is not None}
