"""The JSON document against its documentation: every key and every node kind the builder
emits is described in docs/explain-json.md, and the document round-trips through JSON."""

from __future__ import annotations

import json
import re
from pathlib import Path

from rxp import SCHEMA_VERSION, explain_document, to_json
from rxp._syntax._ast import (
    Anchor,
    Class,
    ClassSetOp,
    Concat,
    Fuzzy,
    FuzzyLimit,
    Literal,
    NamedList,
    Pattern,
    PosixClass,
    Property,
    Recursion,
    Span,
    Verb,
)

DOC = (Path(__file__).resolve().parents[2] / "docs" / "explain-json.md").read_text(encoding="utf-8")
DOCUMENTED = set(re.findall(r"`([a-z_]+)`", DOC))

SAMPLES = [
    r"^(?P<ip>\d+)\.(?:x|y)*?$",
    r"(?x) a \  b # note",
    r"(?i:a)(?#c)[^\w\]-]{2,}+(?=z)(?<!q)(?>r)",
    r"(a)?(?(1)b|c)\1",
    r"\x41\u00e9\N{EM DASH}\0\t\.",
    r"\A\b\B\Z",
    r"[a-z].",
    "",
]


def regex_flavour_document() -> dict[str, object]:
    text = r"[[:alpha:]--[ab]]\p{Lu}(?R)(*SKIP)\L<w>x{e<=1}\G"
    lit = lambda ch, at: Literal(span=Span(at, at + 1), char=ch, raw=ch, kind="plain")  # noqa: E731
    items = (
        Class(
            span=Span(0, 17),
            negated=False,
            items=(
                ClassSetOp(
                    span=Span(1, 16),
                    op="--",
                    left=(PosixClass(span=Span(1, 10), name="alpha", negated=False),),
                    right=(
                        Class(span=Span(12, 16), negated=False, items=(lit("a", 13), lit("b", 14))),
                    ),
                ),
            ),
        ),
        Property(span=Span(17, 23), negated=False, name="Lu", value=None, raw=r"\p{Lu}"),
        Recursion(span=Span(23, 27), target=0, raw="(?R)"),
        Verb(span=Span(27, 34), name="SKIP"),
        NamedList(span=Span(34, 39), name="w"),
        Fuzzy(
            span=Span(39, 46),
            item=lit("x", 39),
            limits=(FuzzyLimit(span=Span(41, 45), kind="e", min=0, max=1),),
            cost=None,
            test=None,
            raw="{e<=1}",
        ),
        Anchor(span=Span(46, 48), kind="search_start", raw=r"\G"),
    )
    assert text[39:46] == "x{e<=1}"
    pattern = Pattern(
        span=Span(0, len(text)),
        text=text,
        flavor="regex",
        flags="",
        body=Concat(span=Span(0, len(text)), items=items),
    )
    return explain_document(pattern)


def keys_and_kinds(node: dict[str, object]) -> tuple[set[str], set[str]]:
    keys = set(node)
    kinds = {str(node["kind"])}
    for child in node["children"]:  # type: ignore[attr-defined]
        k, n = keys_and_kinds(child)
        keys |= k
        kinds |= n
    return keys, kinds


def test_every_emitted_key_and_kind_is_documented() -> None:
    documents = [explain_document(p) for p in SAMPLES] + [regex_flavour_document()]
    for doc in documents:
        assert set(doc) <= DOCUMENTED, set(doc) - DOCUMENTED
        keys, kinds = keys_and_kinds(doc["ast"])  # type: ignore[arg-type]
        assert keys <= DOCUMENTED, keys - DOCUMENTED
        assert kinds <= DOCUMENTED, kinds - DOCUMENTED
        for row in doc["rows"]:  # type: ignore[attr-defined]
            assert set(row) <= DOCUMENTED
            assert row["kind"] in DOCUMENTED


def test_schema_version_is_documented_and_json_round_trips() -> None:
    assert f'`"{SCHEMA_VERSION}"`' in DOC
    doc = explain_document(r"(?P<a>x)|y")
    assert json.loads(to_json(doc)) == json.loads(json.dumps(doc))
    assert doc["group_names"] == {"a": 1}
    assert doc["width"] == {"min": 1, "max": 1}
    assert doc["groups_detail"] == [
        {
            "index": 1,
            "name": "a",
            "span": [0, 8],
            "text": "(?P<a>x)",
            "optional": True,
            "repeated": False,
        }
    ]


REGEX_SAMPLES = [
    r"(?|(a)|(b))\g<1>",
    r"(?V1)[[:alpha:]--[aeiou]]\p{Lu}(?R)?",
    r"(*SKIP)(*F)|\m\w+\M",
]


def test_the_samples_cover_every_node_type() -> None:
    from typing import get_args

    from rxp._explain._annotate import node_kind
    from rxp._syntax._ast import Node

    documents = [explain_document(p) for p in SAMPLES]
    documents += [explain_document(p, flavor="regex") for p in REGEX_SAMPLES]
    documents.append(regex_flavour_document())
    seen: set[str] = set()
    for doc in documents:
        seen |= keys_and_kinds(doc["ast"])[1]  # type: ignore[arg-type]
    every = {node_kind(t.__new__(t)) for t in get_args(Node)}
    assert every - seen == set()
