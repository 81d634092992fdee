"""rxp parse, format by format: published examples with outputs written from the specs, and
the rules each format's docs promise (escapes, repeated keys, bare keys, nesting)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from rxp import parse_line
from rxp._logparse._formats import canonical
from tests.logparse.helpers import fields

# `{{year}}`: the current year, which Vector gives a timestamp written without one (klog)
EXAMPLES = json.loads(
    (Path(__file__).parent / "fixtures" / "examples.json")
    .read_text("utf-8")
    .replace("{{year}}", str(datetime.now(UTC).year))
)


@pytest.mark.parametrize("example", EXAMPLES, ids=[e["source"] for e in EXAMPLES])
def test_published_example_gives_the_documented_fields(example: dict[str, object]) -> None:
    options = example.get("options")
    record = parse_line(str(example["line"]), format=str(example["format"]), options=options)  # type: ignore[arg-type]
    assert "_error" not in record, record
    assert record["_line"] == 1
    assert str(record["_format"]).split("+")[0] == canonical(str(example["format"]))
    assert fields(record) == example["expect"]


@pytest.mark.parametrize("example", EXAMPLES, ids=[e["source"] for e in EXAMPLES])
def test_auto_reads_every_published_example_without_error(example: dict[str, object]) -> None:
    record = parse_line(str(example["line"]))
    assert "_error" not in record, record
    assert record["_format"] != "text"


# --- logfmt / kv --------------------------------------------------------------------------


def test_logfmt_repeated_keys_become_an_array_in_input_order() -> None:
    assert fields(parse_line("a=1 b=2 a=3 a=4", format="logfmt")) == {
        "a": ["1", "3", "4"],
        "b": "2",
    }


BRACKETS = {"brackets": True}  # rxp's Logstash-style key_value (VRL's reads no brackets)


def test_logfmt_a_value_that_is_itself_an_array_is_not_confused_with_repetition() -> None:
    record = parse_line("k=[1,2] k=3", format="kv", options=BRACKETS)
    assert record["k"] == [[1, 2], "3"]


def test_logfmt_bare_key_is_true_and_empty_value_is_empty_string() -> None:
    # VRL's whitespace=lenient (logfmt's) reads `a= b` as a=b; strict keeps `a=` empty
    assert fields(parse_line("debug a= b", format="logfmt")) == {"debug": True, "a": "b"}
    strict = parse_line("debug a= b", format="key_value", options={"whitespace": "strict"})
    assert fields(strict) == {"debug": True, "a": "", "b": True}


def test_logfmt_does_not_treat_brackets_as_structure_but_kv_does() -> None:
    assert parse_line("a={x}", format="logfmt")["a"] == "{x}"
    assert parse_line("a={x}", format="kv")["a"] == "{x}"
    assert parse_line("a={x}", format="kv", options=BRACKETS)["a"] == ["x"]


def test_kv_single_quotes_and_unbalanced_bracket_error_keeps_earlier_pairs() -> None:
    record = parse_line("a='x y' b=[1, 2", format="kv", options=BRACKETS)
    assert record["a"] == "x y"
    assert record["_error"] == "'[' is never closed at column 11"
    assert record["_raw"] == "a='x y' b=[1, 2"


def test_unterminated_quote_reports_its_column_and_keeps_the_rest() -> None:
    # VRL's logfmt reads `msg="oops` as the text `"oops`; rxp's bracket reader says where it broke
    assert parse_line('level=info msg="oops', format="logfmt")["msg"] == '"oops'
    record = parse_line('level=info msg="oops', format="kv", options=BRACKETS)
    assert record["level"] == "info"
    assert record["_error"] == "unterminated quoted value at column 16"
    assert record["_raw"] == 'level=info msg="oops'


def test_reserved_keys_from_the_log_are_renamed_not_overwritten() -> None:
    record = parse_line("_line=99 _format=x ok=1", format="logfmt")
    assert record["_line"] == 1 and record["_format"] == "logfmt"
    assert record["__line"] == "99" and record["__format"] == "x"


# --- json ---------------------------------------------------------------------------------

EMBEDDED = {"embedded": True}  # rxp's reading: the first object or array anywhere on the line


def test_json_array_is_kept_under_json_and_truncated_object_is_an_error() -> None:
    assert fields(parse_line("vals: [1, 2]", format="json", options=EMBEDDED)) == {
        "json": [1, 2],
        "prefix": "vals:",
    }
    broken = parse_line('pre {"a": [1, 2', format="json", options=EMBEDDED)
    assert broken["_error"].startswith("invalid JSON")
    assert broken["prefix"] == "pre"
    assert broken["_raw"] == 'pre {"a": [1, 2'


def test_json_skips_brackets_that_are_not_json_to_find_the_object() -> None:
    record = parse_line('[INFO] [main] payload {"a": 1}', format="json", options=EMBEDDED)
    assert fields(record) == {"a": 1, "prefix": "[INFO] [main] payload"}


# --- syslog -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pri", "facility", "severity"),
    [
        (0, "kern", "emerg"),
        (13, "user", "notice"),
        (86, "authpriv", "info"),
        (191, "local7", "debug"),
    ],
)
def test_syslog_priority_names(pri: int, facility: str, severity: str) -> None:
    record = parse_line(f"<{pri}>1 - - - - - -", format="syslog")
    assert (record["facility"], record["severity"]) == (facility, severity)


def test_syslog_malformed_structured_data_is_dropped_as_syslog_loose_does() -> None:
    record = parse_line(
        '<14>1 2024-01-01T00:00:00Z h a - - [x@1 q="unterminated] m', format="syslog"
    )
    assert "_error" not in record and "x@1" not in record
    assert record["message"] == "m"


def test_syslog_malformed_header_points_at_the_column() -> None:
    record = parse_line("<14>1 2024-01-01T00:00:00Z h a - -", format="syslog")
    assert (
        record["_error"] == "not an RFC 5424 syslog message: the line ends too early at column 35"
    )
    assert record["_raw"].startswith("<14>1")


def test_syslog_priority_over_191_has_a_severity_but_no_facility() -> None:
    record = parse_line("<192>1 - - - - - -", format="syslog")
    assert (record["severity"], "facility" in record) == ("emerg", False)


# --- klog / cef / audit -------------------------------------------------------------------


def test_klog_levels() -> None:
    levels = [
        parse_line(f"{c}0101 00:00:00.000001 1 f.go:1] m", format="klog")["level"] for c in "IWEF"
    ]
    assert levels == ["info", "warning", "error", "fatal"]


def test_cef_value_runs_to_the_next_key_and_keeps_spaces() -> None:
    record = parse_line("CEF:0|v|p|1|id|n|5|msg=a b  c=d e=f", format="cef")
    assert (record["msg"], record["c"], record["e"]) == ("a b", "d", "f")


def test_cef_with_missing_header_fields_is_an_error_with_column() -> None:
    record = parse_line("CEF:0|vendor|product", format="cef")
    assert record["_error"] == "not a CEF record: the line ends too early at column 21"


def test_audit_enriched_record_with_group_separator() -> None:
    line = 'type=LOGIN msg=audit(1.5:7): pid=1 uid=0\x1dUID="root" AUID="unset"'
    record = parse_line(line, format="audit")
    assert (record["uid"], record["UID"], record["AUID"]) == ("0", "root", "unset")


# --- nested -------------------------------------------------------------------------------


def test_nested_values_keep_their_text_and_positional_entries_are_kept_in_order() -> None:
    record = parse_line("Error{code=E42 a b, detail=disk  full, 7, 8}", format="nested")
    assert record == {
        "_line": 1,
        "_format": "nested",
        "Error": {"code": "E42 a b", "detail": "disk  full", "@values": ["7", "8"]},
    }


def test_nested_unbalanced_is_an_error_with_column() -> None:
    record = parse_line("Outer{a=Inner{b=1}", format="nested")
    assert record["_error"] == "a bracket is still open at the end at column 19"
    stray = parse_line("a=1}", format="nested")
    assert stray["_error"] == "unexpected '}' at column 4"


def test_python_repr_and_tuples() -> None:
    record = parse_line("Point(x=1, y=2) tags=('a', 'b')", format="nested")
    assert record == {
        "_line": 1,
        "_format": "nested",
        "Point": {"x": "1", "y": "2"},
        "tags": ["a", "b"],
    }


# --- auto ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("plain words, nothing to see", "text"),
        ("Started Session 3 of user root (pid=12).", "text"),
        ("level=info msg=ok", "logfmt"),
        ("[UFW BLOCK] IN=eth0 OUT= SRC=1.2.3.4", "logfmt"),
        ('{"a": 1}', "json"),
        ("2024-01-15T00:00:00+0000 web02 sshd[1]: Failed password for root", "journal"),
        ("2024-01-15T00:00:00+0000 web02 app[1]: user=bob roles=[a, b]", "journal+kv"),
        ("Jan 15 00:00:01 web01 app[1]: Name{a=1, b=Inner{c=2}} done", "journal+nested"),
    ],
)
def test_auto_picks_per_line(line: str, expected: str) -> None:
    record = parse_line(line)
    assert record["_format"] == expected
    assert "_error" not in record


def test_auto_journal_line_whose_message_is_json_gives_prefix_and_message_fields() -> None:
    record = parse_line('2024-01-15T00:00:01+0000 db01 worker[7]: {"level": "info", "n": 2}')
    assert record["_format"] == "journal+json"
    assert (record["hostname"], record["appname"], record["procid"]) == ("db01", "worker", 7)
    assert (record["level"], record["n"]) == ("info", 2)


def test_auto_message_field_that_collides_with_a_prefix_field_is_kept_under_message_dot() -> None:
    record = parse_line('Jan 15 00:00:01 web01 app[1]: {"hostname": "inner", "x": 1}')
    assert record["hostname"] == "web01"
    assert record["message.hostname"] == "inner"


def test_auto_kernel_tag_is_kept() -> None:
    record = parse_line("[UFW BLOCK] IN=eth0 OUT= SRC=1.2.3.4 SYN")
    assert (record["tag"], record["IN"], record["OUT"], record["SYN"]) == (
        "UFW BLOCK",
        "eth0",
        "",
        True,
    )


def test_journalctl_marker_lines_are_records_not_errors():
    record = parse_line("-- Boot 3f2c5f6d1e7b4a1c9d8e7f6a5b4c3d2e --", format="journal")
    assert record == {
        "_line": 1,
        "_format": "journal",
        "marker": "Boot 3f2c5f6d1e7b4a1c9d8e7f6a5b4c3d2e",
    }
    assert parse_line("not a journal line", format="journal")["_error"].startswith("not a journald")


def _grammar_reference(fmt: str, line: str) -> dict[str, object] | None:
    from rxp._logparse._audit import parse_audit_grammar
    from rxp._logparse._cef import parse_cef_grammar
    from rxp._logparse._klog import parse_klog_grammar
    from rxp._logparse._logfmt import parse_kv_grammar

    table = {
        "klog": parse_klog_grammar,
        "cef": parse_cef_grammar,
        "audit": parse_audit_grammar,
        "kv": parse_kv_grammar,
    }
    reference = table.get(fmt)
    return reference(line) if reference is not None else None


@pytest.mark.parametrize("example", EXAMPLES, ids=[e["source"] for e in EXAMPLES])
def test_the_lark_grammar_reads_each_published_example_the_same(example: dict[str, object]) -> None:
    line, fmt = str(example["line"]), str(example["format"])
    if fmt == "kv" and not example.get("options"):
        fmt = "key_value"  # VRL's reader; `kv` with brackets=true has the grammar
    reference = _grammar_reference(fmt, line)
    if reference is None:  # logfmt, json, journal, nested, syslog: one path only
        assert fmt in ("logfmt", "key_value", "json", "journal", "nested", "syslog")
        return
    assert fields(reference) == example["expect"]


def test_export_entry_binary_field_becomes_byte_numbers_and_repeats_become_arrays():
    import io
    import struct

    from rxp import parse_stream

    blob = (
        b"__CURSOR=s=1\nTAG=a\nTAG=b\nMESSAGE\n"
        + struct.pack("<Q", 3)
        + b"\xff\x00\xfe\n\n"
        + b"__CURSOR=s=2\nMESSAGE=level=info x=1\n\n"
    )
    first, second = parse_stream(io.BytesIO(blob), format="journal")
    assert first == {
        "_line": 1,
        "_format": "journal",
        "__CURSOR": "s=1",
        "TAG": ["a", "b"],
        "MESSAGE": [255, 0, 254],
    }
    assert second["_line"] == 7 and second["_format"] == "journal+logfmt"
    assert (second["level"], second["x"]) == ("info", "1")
