"""The test2json port against Go's own oracles.

- ``go/test2json/go1.19``: Go 1.19.8's ``cmd/internal/test2json/testdata`` (inputs and the
  events Go's converter gives). Go 1.20 added the ``start`` event and nothing else that
  changes these unframed inputs, so the expected stream is Go 1.19's with ``start`` first.
- ``go/test2json/go1.20``: three files as they are in golang/go after Go 1.20 (``start``
  included, and ``frame``, whose ``^V`` markers only the newer converter reads).
- ``go/twin/go-test-bench.json``: a real ``go test -json`` run by Go 1.19.8; fed the same
  text in the same pieces, the converter gives the same bytes but for Time and Elapsed.

Go's converter is fed as Go's own test feeds it: a line at a time (events compared exactly),
then in bulk, with CRLF, two bytes at a time and with tiny buffers (output events compared
after joining neighbours of the same test, as Go's ``diffJSON`` does, since where a long or
unfinished line is cut depends on the writes).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rxp._bench._test2json import Converter, _go_float, _json_string

GO = Path(__file__).parent / "go"
GO119 = GO / "test2json" / "go1.19"
GO120 = GO / "test2json" / "go1.20"
TRANSCRIPT = GO / "twin" / "go-test-bench.json"

Event = dict[str, Any]


def convert(
    chunks: Iterable[str], package: str = "", conv: type[Converter] = Converter
) -> list[str]:
    lines: list[str] = []
    c = conv(lines.append, package)
    for chunk in chunks:
        c.write(chunk)
    c.close()
    return lines


def events(lines: Iterable[str]) -> list[Event]:
    """Parsed events without Time and Elapsed (they depend on the clock)."""
    out = []
    for line in lines:
        event = json.loads(line)
        event.pop("Time", None)
        event.pop("Elapsed", None)
        out.append(event)
    return out


def joined(evs: Iterable[Event]) -> list[Event]:
    """Neighbouring output events of the same test merged into one."""
    out: list[Event] = []
    for e in evs:
        last = out[-1] if out else None
        if (
            last is not None
            and e["Action"] == last["Action"] == "output"
            and e.get("Test") == last.get("Test")
        ):
            last["Output"] += e["Output"]
        else:
            out.append(dict(e))
    return out


def read(path: Path) -> str:
    return path.read_bytes().decode("utf-8")


def expected(name: str) -> list[Event]:
    """Go 1.19's events for ``name`` as the Go 1.20+ converter gives them: ``start`` first,
    and the package's final ``fail`` when the input has no trailer (``go test -json``'s
    exit status says it; Go's own test never calls ``Exited``, so its files lack it)."""
    want: list[Event] = [{"Action": "start"}]
    want += [json.loads(line) for line in read(GO119 / f"{name}.json").splitlines()]
    last = want[-1]
    if len(want) == 1 or "Test" in last or last["Action"] == "output":
        want.append({"Action": "fail"})
    return want


GOLDEN = sorted(p.stem for p in GO119.glob("*.test"))


def test_the_oracle_files_are_there() -> None:
    assert len(GOLDEN) >= 10
    assert {"bench", "benchfail", "benchshort", "smiley", "issue29755"} <= set(GOLDEN)


@pytest.mark.parametrize("name", GOLDEN)
def test_a_line_at_a_time_gives_gos_events(name: str) -> None:
    text = read(GO119 / f"{name}.test")
    assert events(convert(text.splitlines(keepends=True))) == expected(name)


def _bulk(text: str) -> list[str]:
    return [text]


def _even2(text: str) -> list[str]:
    data = text.encode()
    return _pieces(data, range(0, len(data), 2))


def _odd2(text: str) -> list[str]:
    data = text.encode()
    return _pieces(data, [0, *range(1, len(data), 2)])


def _pieces(data: bytes, starts: Iterable[int]) -> list[str]:
    """Pieces cut at byte offsets, each decodable: a cut inside a character moves to its end."""
    cuts = sorted({*starts, len(data)})
    out, prev = [], 0
    for cut in cuts:
        while 0 < cut < len(data) and data[cut] & 0xC0 == 0x80:
            cut += 1
        if cut > prev:
            out.append(data[prev:cut].decode())
            prev = cut
    return out


@pytest.mark.parametrize("name", GOLDEN)
@pytest.mark.parametrize("split", [_bulk, _even2, _odd2], ids=["bulk", "even2", "odd2"])
def test_any_writes_give_gos_events_up_to_output_cuts(
    name: str, split: Callable[[str], list[str]]
) -> None:
    text = read(GO119 / f"{name}.test")
    assert joined(events(convert(split(text)))) == joined(expected(name))


@pytest.mark.parametrize("name", GOLDEN)
def test_crlf_line_ends_are_read_as_go_reads_them(name: str) -> None:
    text = read(GO119 / f"{name}.test").replace("\n", "\r\n")
    have = [line.replace("\\r\\n", "\\n") for line in convert([text])]
    assert joined(events(have)) == joined(expected(name))


def _tiny(out: int) -> type[Converter]:
    return type(f"Tiny{out}", (Converter,), {"in_buffer": 64, "out_buffer": out})


@pytest.mark.parametrize("name", GOLDEN)
@pytest.mark.parametrize("out", [5, 6, 7, 8])
def test_tiny_buffers_never_split_a_character(name: str, out: int) -> None:
    text = read(GO119 / f"{name}.test")
    have = events(convert([text], conv=_tiny(out)))
    assert joined(have) == joined(expected(name))
    for e in have:
        if e["Action"] == "output":
            assert len(e["Output"].encode()) <= max(out, 64)


@pytest.mark.parametrize("name", sorted(p.stem for p in GO120.glob("*.test")))
def test_go_1_20_files_start_and_frame_as_go_does(name: str) -> None:
    text = read(GO120 / f"{name}.test")
    want = [json.loads(line) for line in read(GO120 / f"{name}.json").splitlines()]
    assert events(convert(text.splitlines(keepends=True))) == want
    assert joined(events(convert([text]))) == joined(want)


def test_frame_markers_are_what_the_newer_converter_reads() -> None:
    """Without the ^V markers frame.test would read as three framing lines, not one."""
    text = read(GO120 / "frame.test")
    assert text.count("\x16") == 3
    plain = events(convert([text.replace("\x16", "")]))
    assert [e["Action"] for e in plain if e["Action"] != "output"] != [
        e["Action"] for e in events(convert([text])) if e["Action"] != "output"
    ]


# -- a real `go test -json` run ------------------------------------------------------------------


def _without_clock(line: str) -> str:
    line = re.sub(r'"Time":"[^"]*",', "", line)
    return re.sub(r',"Elapsed":[-+.0-9e]+', "", line)


def test_a_real_go_test_json_run_byte_for_byte() -> None:
    """Go 1.19.8's `go test -json` on the twin: its text, fed in the pieces Go read it in,
    gives the same JSON lines (Time and Elapsed aside), after the `start` Go 1.20 added."""
    lines = read(TRANSCRIPT).splitlines()
    pieces = [json.loads(line)["Output"] for line in lines if '"Action":"output"' in line]
    have = [_without_clock(line.removesuffix("\n")) for line in convert(pieces, "twin")]
    assert have == ['{"Action":"start","Package":"twin"}'] + [_without_clock(x) for x in lines]


def test_every_event_is_one_json_line() -> None:
    lines = convert(["goos: linux\nBenchmarkX\t", "  10\t 5 ns/op\nPA", "SS\n"], "p")
    assert all(line.endswith("\n") and line.count("\n") == 1 for line in lines)
    assert [json.loads(line)["Action"] for line in lines] == [
        "start",
        "output",
        "output",
        "output",
        "output",
        "pass",
    ]


# -- Time, Elapsed and Go's JSON spelling ----------------------------------------------------------


class _Clock:
    def __init__(self, start: datetime, step: timedelta) -> None:
        self.now = start
        self.step = step

    def __call__(self) -> datetime:
        now = self.now
        self.now += self.step
        return now


def test_times_are_rfc3339_nano_and_elapsed_comes_from_reports_and_the_clock() -> None:
    clock = _Clock(datetime(2026, 12, 6, 14, 39, 15, 353398, tzinfo=UTC), timedelta(0))
    lines: list[str] = []
    c = Converter(lines.append, "twin", clock=clock)
    c.write("=== RUN   TestA\n--- PASS: TestA (0.05s)\nPASS\n")
    clock.now += timedelta(microseconds=45_600)
    c.close()
    parsed = [json.loads(line) for line in lines]
    assert {e["Time"] for e in parsed[:-1]} == {"2026-12-06T14:39:15.353398Z"}
    assert [e.get("Elapsed") for e in parsed if e["Action"] == "pass"] == [0.05, 0.046]
    assert lines[-1] == (
        '{"Time":"2026-12-06T14:39:15.398998Z","Action":"pass","Package":"twin","Elapsed":0.046}\n'
    )


@pytest.mark.parametrize(
    ("when", "text"),
    [
        (datetime(2026, 12, 6, 14, 39, 15, tzinfo=UTC), "2026-12-06T14:39:15Z"),
        (
            datetime(2026, 12, 6, 9, 9, 15, 353398, tzinfo=timezone(-timedelta(hours=5.5))),
            "2026-12-06T09:09:15.353398-05:30",
        ),
    ],
)
def test_time_is_spelled_as_go_spells_it(when: datetime, text: str) -> None:
    lines = convert_at(when)
    assert json.loads(lines[0])["Time"] == text


def convert_at(when: datetime) -> list[str]:
    lines: list[str] = []
    Converter(lines.append, "", clock=lambda: when).close()
    return lines


@pytest.mark.parametrize(
    ("micros", "elapsed"), [(0, "0"), (1499, "0.001"), (1500, "0.002"), (2500, "0.003")]
)
def test_the_final_elapsed_is_rounded_to_the_millisecond_half_away(
    micros: int, elapsed: str
) -> None:
    start = datetime(2026, 1, 1, tzinfo=UTC)
    clock = _Clock(start, timedelta(0))
    lines: list[str] = []
    c = Converter(lines.append, "", clock=clock)
    clock.now = start + timedelta(microseconds=micros)
    c.close()
    assert lines[-1].endswith(f',"Elapsed":{elapsed}}}\n')


# What Go 1.19's json.Marshal printed for these values (go run, encoding/json).
@pytest.mark.parametrize(
    ("value", "text"),
    [
        (0.0, "0"),
        (0.046, "0.046"),
        (3.0, "3"),
        (100.0, "100"),
        (1e20, "100000000000000000000"),
        (1e21, "1e+21"),
        (1.5e21, "1.5e+21"),
        (1e-6, "0.000001"),
        (1e-7, "1e-7"),
        (1.25e-7, "1.25e-7"),
        (123456.789, "123456.789"),
        (-2.5, "-2.5"),
    ],
)
def test_floats_are_spelled_as_go_json_spells_them(value: float, text: str) -> None:
    assert _go_float(value) == text


def test_strings_are_escaped_as_go_json_escapes_them() -> None:
    # Go 1.19: "\u003ca\u0026b\u003e\u2028\u2029\u0001\"\\\t\n\r☺" for the same string.
    assert _json_string('<a&b>\u2028\u2029\x01\x7f"\\\t\n\r☺') == (
        '"\\u003ca\\u0026b\\u003e\\u2028\\u2029\\u0001\x7f\\"\\\\\\t\\n\\r☺"'
    )
    # Go 1.22 and later spell \b and \f short, as the port does.
    assert _json_string("\b\f") == '"\\b\\f"'


# -- the final event ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "ok", "final"),
    [
        ("PASS\n", None, "pass"),
        ("FAIL\n", None, "fail"),
        ("?   \tpkg\t[no test files]\n", None, "skip"),
        ("BenchmarkX\t", None, "fail"),
        ("PASS\n", False, "fail"),
        ("?   \tpkg\t[no test files]\n", True, "skip"),
        ("", True, "pass"),
    ],
)
def test_the_final_event_follows_the_trailer_or_the_exit(
    text: str, ok: bool | None, final: str
) -> None:
    lines: list[str] = []
    c = Converter(lines.append, "pkg")
    c.write(text)
    if ok is not None:
        c.exited(ok)
    c.close()
    c.close()
    assert [json.loads(line)["Action"] for line in lines].count(final) >= 1
    assert json.loads(lines[-1]) | {"Time": "", "Elapsed": 0} == {
        "Time": "",
        "Action": final,
        "Package": "pkg",
        "Elapsed": 0,
    }


# -- a property: how the text is cut into writes does not matter ----------------------------------

_NAMES = st.sampled_from(["TestA", "TestA/sub", "BenchmarkB-2", "BenchmarkB/x", "Test☺", ""])
_LINES = st.one_of(
    st.builds("=== RUN   {}\n".format, _NAMES),
    st.builds("=== PAUSE {}\n".format, _NAMES),
    st.builds("=== CONT  {}\n".format, _NAMES),
    st.builds("=== NAME  {}\n".format, _NAMES),
    st.builds(
        "{}--- {}: {}{}\n".format,
        st.sampled_from(["", "    ", "        "]),
        st.sampled_from(["PASS", "FAIL", "SKIP", "BENCH"]),
        _NAMES,
        st.sampled_from(["", " (0.01s)", " (xs)"]),
    ),
    st.builds("{}   \t      10\t  5.0 ns/op\n".format, _NAMES),
    st.builds("    x_test.go:{}: {}\n".format, st.integers(1, 99), st.text(max_size=20)),
    st.sampled_from(["PASS\n", "FAIL\n", "ok  \tpkg\t0.1s\n", "FAIL\tpkg\t0.1s\n", "\x16"]),
    st.text(max_size=80),
)


@st.composite
def _text_and_cuts(draw: st.DrawFn) -> tuple[str, list[int]]:
    text = "".join(draw(st.lists(_LINES, max_size=12)))
    cuts = draw(st.lists(st.integers(0, len(text)), max_size=8))
    return text, sorted(set(cuts))


def _cut(text: str, cuts: list[int]) -> Iterator[str]:
    prev = 0
    for cut in [*cuts, len(text)]:
        yield text[prev:cut]
        prev = cut


@settings(max_examples=200, deadline=None)
@given(_text_and_cuts())
def test_cutting_the_text_into_writes_changes_only_where_output_is_cut(
    case: tuple[str, list[int]],
) -> None:
    text, cuts = case
    whole = joined(events(convert([text])))
    assert joined(events(convert(_cut(text, cuts)))) == whole
    assert joined(events(convert(_cut(text, cuts), conv=_tiny(5)))) == joined(
        events(convert([text], conv=_tiny(5)))
    )
