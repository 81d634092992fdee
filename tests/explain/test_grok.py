"""``rxp explain --grok``: the expansion explained, every grok reference named on the row
of the span it became."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rxp import RxpError
from rxp._explain._grok import explain_grok
from rxp._syntax._grok import compile_grok
from tests.helpers import run_rxp


def _labelled(expression: str) -> dict[str, str]:
    """Each reference text -> the slice of the expanded pattern its row shows."""
    result = explain_grok(expression)
    out: dict[str, str] = {}
    for row in result.rows():
        head = row.sentence.split(": ", 1)[0]
        for ref in head.split(", "):
            if ref.startswith("%{"):
                out.setdefault(ref, row.text)
    return out


def test_every_reference_of_syslogline_is_named_on_its_row() -> None:
    grok = compile_grok("%{SYSLOGLINE}")
    labelled = _labelled("%{SYSLOGLINE}")
    assert {use.ref.text for use in grok.uses} == set(labelled)
    for use in grok.uses:  # the row starts where the reference's expansion starts
        assert labelled[use.ref.text].startswith(use.span.slice(grok.text)[:20])
    assert "%{SYSLOGTIMESTAMP:timestamp}" in labelled


def test_the_label_sits_on_the_group_and_keeps_the_sentence() -> None:
    result = explain_grok("%{INT:n} %{WORD}")
    rows = {row.text: row.sentence for row in result.rows()}
    assert rows["(?P<n>(?:(?:[+-]?(?:[0-9]+))))"].startswith("%{INT:n}: capture group 1")
    assert rows[r"(?:\b\w+\b)"].startswith("%{WORD}: ")
    assert result.summary.group_names == {"n": 1}


def test_unknown_name_is_an_error() -> None:
    with pytest.raises(RxpError, match="NOG"):
        explain_grok("%{NOG}")


def test_cli_explain_grok_with_custom_patterns(tmp_path: Path) -> None:
    defs = tmp_path / "p"
    defs.write_text("PAIR %{INT:a}-%{INT:b}\n", encoding="utf-8")
    proc = run_rxp(
        "explain", "--json", "--grok", "%{PAIR}", "--grok-patterns", str(defs), text=True
    )
    assert proc.returncode == 0, proc.stderr
    document = json.loads(proc.stdout)
    assert document["group_names"] == {"a": 1, "b": 2}
    text = run_rxp("explain", "--grok", "%{SYSLOGBASE}", text=True)
    assert text.returncode == 0, text.stderr
    assert "%{SYSLOGTIMESTAMP:timestamp}: capture group 1 named `timestamp`" in text.stdout


@pytest.mark.parametrize(
    "argv",
    [
        ["--grok", "%{WORD}", "abc"],
        ["--grok-patterns", "x", "abc"],
        ["--grok", "%{WORD}", "-i"],
        ["--grok", "%{NOG}"],
    ],
)
def test_cli_bad_grok_requests_are_usage_errors(argv: list[str]) -> None:
    proc = run_rxp("explain", *argv, text=True)
    assert proc.returncode == 2
    assert proc.stderr.startswith("rxp: error:")
