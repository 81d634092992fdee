"""The miner's state file (``rxp._mine._state``): what ``dump`` writes ``load`` reads back
exactly, mining in two runs joined by a state groups as one run does, and anything that is
not a state ``dump`` could have written is refused in words."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rxp._errors import RxpError
from rxp._mine._miner import Miner
from rxp._mine._state import FORMAT, VERSION, dump, load

DATA = Path(__file__).parent / "data"
SYSTEMS = sorted(p.stem for p in DATA.glob("*.log"))

# log lines built from a few events with variables: numbers, IPs, words, paths, and
# any text at all now and then
_WORDS = st.sampled_from(["alpha", "beta", "gamma", "root", "admin", "ok", "failed", "for"])
_VALUES = st.one_of(
    st.integers(0, 99999).map(str),
    st.tuples(*[st.integers(0, 255)] * 4).map(lambda t: ".".join(map(str, t))),
    st.lists(_WORDS, min_size=1, max_size=3).map("/".join).map(lambda p: "/" + p),
    _WORDS,
)
_EVENTS = ["user {} logged in from {}", "session {} closed", "job {} took {} ms", "{} {} {}"]
_LINES = st.one_of(
    st.tuples(st.sampled_from(_EVENTS), st.lists(_VALUES, min_size=3, max_size=3)).map(
        lambda t: t[0].format(*t[1])
    ),
    st.text(max_size=30),
)
logs = st.lists(_LINES, max_size=60)


def mined(lines: Sequence[str], miner: Miner | None = None) -> Miner:
    miner = Miner() if miner is None else miner
    for line in lines:
        miner.add(line)
    miner.templates()  # ids settled, as the CLI does before it saves
    return miner


def fixture(system: str) -> list[str]:
    with open(DATA / f"{system}.log", encoding="utf-8", errors="replace", newline="\n") as f:
        return [line.rstrip("\r\n") for line in f]


def partition(ids: Sequence[str]) -> set[frozenset[int]]:
    """Which lines share a template, whatever the templates are called."""
    groups: dict[str, set[int]] = {}
    for n, template_id in enumerate(ids):
        groups.setdefault(template_id, set()).add(n)
    return {frozenset(g) for g in groups.values()}


# --- round trips ---------------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(logs)
def test_dump_load_dump_is_the_same_text_and_the_same_templates(lines: list[str]) -> None:
    miner = mined(lines)
    text = dump(miner)
    again = load(text, "state")
    assert dump(again) == text
    assert again.templates() == miner.templates()
    assert again.next_id == miner.next_id


@pytest.mark.parametrize("system", SYSTEMS)
def test_a_real_log_round_trips(system: str) -> None:
    miner = mined(fixture(system))
    text = dump(miner)
    assert json.loads(text)["format"] == FORMAT
    assert dump(load(text, "s")) == text
    assert load(text, "s").templates() == miner.templates()


def test_a_lone_surrogate_comes_back_exactly() -> None:
    miner = mined(["bad \ud800 char 12", "plain 7"])
    text = dump(miner)
    assert text.isascii()
    assert load(text, "s").clusters[0].examples == ["bad \ud800 char 12"]


# --- two runs joined by a state are one run ------------------------------------------------


def _shown(miner: Miner) -> list[tuple[str, str, tuple[str, ...], int, tuple[str, ...]]]:
    """The templates without their ids, in order."""
    return [(t.template, t.regex, t.groups, t.count, t.examples) for t in miner.templates()[0]]


@settings(max_examples=40, deadline=None)
@given(logs, logs)
def test_two_runs_through_a_state_group_as_one_run(first: list[str], second: list[str]) -> None:
    one = Miner()
    whole = [one.add(line) for line in first + second]
    _, one_ids = one.templates()
    two = load(dump(mined(first)), "state")
    later = [two.add(line) for line in second]
    _, two_ids = two.templates()
    assert _shown(two) == _shown(one)
    assert partition([two_ids[i] for i in later]) == partition(
        [one_ids[i] for i in whole[len(first) :]]
    )


@pytest.mark.parametrize("system", SYSTEMS)
def test_a_template_in_both_parts_keeps_its_id(system: str) -> None:
    lines = fixture(system)
    before = mined(lines[:100])
    first, _ = before.templates()
    miner = load(dump(before), "state")
    for line in lines[100:]:
        miner.add(line)
    after, _ = miner.templates()
    ids = {t.template: t.id for t in first}
    both = [t for t in after if t.template in ids]
    assert both  # the halves of each fixture share events
    assert [t.id for t in both] == [ids[t.template] for t in both]
    new = [int(t.id[1:]) for t in after if t.template not in ids]
    assert all(n >= before.next_id or f"T{n}" in ids.values() for n in new)


# --- what is not a state -------------------------------------------------------------------


def _good() -> str:
    return dump(mined(fixture("OpenSSH")[:50]))


def _edited(change: str) -> str:
    data = json.loads(_good())
    cluster = data["clusters"][0]
    match change:
        case "version 2":
            data["version"] = VERSION + 1
        case "version as text":
            data["version"] = str(VERSION)
        case "other format":
            data["format"] = "drain3"
        case "no format":
            del data["format"]
        case "extra field":
            data["snapshot"] = 1
        case "other kinds":
            data["kinds"] = data["kinds"][::-1]
        case "next_id zero":
            data["next_id"] = 0
        case "id past next_id":
            cluster["template"] = f"T{data['next_id']}"
        case "id not T-number":
            cluster["template"] = "E1"
        case "count zero":
            cluster["count"] = 0
        case "count as text":
            cluster["count"] = "3"
        case "no examples":
            cluster["examples"] = []
        case "too many examples":
            cluster["examples"] = ["a"] * 4
        case "key not strings":
            cluster["key"] = [1, 2]
        case "missing field":
            del cluster["examples"]
        case "same shape twice":
            data["clusters"].append(dict(cluster))
        case "clusters not a list":
            data["clusters"] = {}
        case _:
            raise AssertionError(change)
    return json.dumps(data)


CHANGES = [
    "version 2",
    "version as text",
    "other format",
    "no format",
    "extra field",
    "other kinds",
    "next_id zero",
    "id past next_id",
    "id not T-number",
    "count zero",
    "count as text",
    "no examples",
    "too many examples",
    "key not strings",
    "missing field",
    "same shape twice",
    "clusters not a list",
]


@pytest.mark.parametrize("change", CHANGES)
def test_a_state_changed_by_hand_is_refused_naming_the_file(change: str) -> None:
    with pytest.raises(RxpError) as caught:
        load(_edited(change), "app.mine")
    assert caught.value.message.startswith("app.mine: ")


@pytest.mark.parametrize(
    "text", ["", "{", "[]", "null", '"rxp-mine-state"', '{"a": 1}', "[" * 100000, "\x00"]
)
def test_other_json_or_no_json_is_refused(text: str) -> None:
    with pytest.raises(RxpError, match=r"^s: not an rxp mine state"):
        load(text, "s")


def test_every_truncation_of_a_state_is_refused() -> None:
    text = _good()
    body = text.rstrip("\n")
    for cut in range(0, len(body), max(1, len(body) // 300)):
        with pytest.raises(RxpError, match=r"^s: "):
            load(body[:cut], "s")
    for cut in range(len(body) - 40, len(body)):
        with pytest.raises(RxpError, match=r"^s: "):
            load(body[:cut], "s")
