"""Go's ``test2json``: the text ``go test`` prints, turned into the events of ``go test -json``.

A port of ``cmd/internal/test2json/test2json.go`` (Go 1.20 to 1.23: the ``start`` event,
``=== NAME`` lines and ``^V`` framing markers; ``FailedBuild`` from Go 1.24 and ``OutputType``
from Go 1.25 are left out, as rxp never builds packages), so ``rxp bench --json`` gives the
stream Go tools (gotestsum, IDEs, CI annotators) already read. The rules are Go's, quirks
included: a ``--- PASS/FAIL/SKIP/BENCH:`` report is held back until a line at its depth or
shallower, so the output after it is attributed to that test; a benchmark result line is
emitted in two pieces when its name and tab arrive before the numbers.

The converter is a pure state machine: text in, one JSON line per event out through
``emit``, times from ``clock``. It works on UTF-8 bytes with Go's buffer sizes, so long
lines are split where Go splits them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

__all__ = ["Converter"]

_MARKER = 0x16  # ^V: `go test -json` runs the binary with -test.v=test2json, framing lines

_BIG_PASS = b"PASS"
_BIG_FAIL = b"FAIL"
_BIG_FAIL_ERROR_PREFIX = b"FAIL\t"  # `go test`'s own line when the binary fails
_EMPTY_NAME = b"=== NAME"  # a `=== NAME` with no name can lose its trailing spaces
_EMPTY_NAME_LINE = b"=== NAME  \n"
_UPDATES = (
    b"=== RUN   ",
    b"=== PAUSE ",
    b"=== CONT  ",
    b"=== NAME  ",
    b"=== PASS  ",
    b"=== FAIL  ",
    b"=== SKIP  ",
)
_REPORTS = (b"--- PASS: ", b"--- FAIL: ", b"--- SKIP: ", b"--- BENCH: ")
_FOUR_SPACE = b"    "
_SKIP_LINE_PREFIX = b"?   \t"
_SKIP_LINE_SUFFIX = b"\t[no test files]"
_BENCHMARK = b"Benchmark"
# Go's strconv.ParseFloat on what a `(1.23s)` suffix holds; anything else gives no Elapsed.
_DECIMAL = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
# Go's unicode.IsSpace: what strings.TrimSpace removes (Python's strip() also takes \x1c-\x1f).
_GO_SPACE = (
    "\t\n\v\f\r \x85\xa0\u1680"
    + "".join(map(chr, range(0x2000, 0x200B)))
    + "\u2028\u2029\u202f\u205f\u3000"
)


@dataclass(slots=True)
class _Event:
    action: str
    test: str = ""
    elapsed: float | None = None
    output: str | None = None


class Converter:
    """Feed it ``go test``'s text with ``write`` (chunks may split lines anywhere), then
    ``close``. Each call of ``emit`` receives one whole JSON event ending in ``\\n``, with
    Go's fields in Go's order: Time (RFC 3339, nanosecond form), Action, Package, Test,
    Elapsed, Output. ``clock`` (default: the local wall clock) stamps each event; the
    converter does no other I/O.

    ``close`` flushes a partial last line and emits the package's final event: ``pass`` or
    ``fail`` as the ``PASS``/``FAIL`` trailer said, ``skip`` for ``[no test files]``, and
    ``fail`` when no trailer came (what ``go test -json`` reports for a binary that died
    before printing one), unless ``exited`` said otherwise.
    """

    # Go's inBuffer and outBuffer: the longest framing line recognised, and the longest
    # output event before a line is split. Class attributes so a test can shrink them.
    in_buffer = 4096
    out_buffer = 1024

    def __init__(
        self,
        emit: Callable[[str], None],
        package: str,
        *,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self._emit = emit
        self._package = package
        self._clock = clock if clock is not None else _local_now
        self._start = self._clock()
        self._test_name = ""  # the test output is attributed to
        self._report: list[_Event] = []  # pending PASS/FAIL reports, nested for subtests
        self._result = ""  # the package's result, once a trailer said it
        self._need_marker = False  # once framed with ^V, only ^V lines are framing
        self._closed = False
        self._output = _LineBuffer(self.out_buffer, self._write_output, self._write_output)
        self._input = _LineBuffer(self.in_buffer, self._handle_line, self._output.write)
        self._write_event(_Event("start"))

    def write(self, text: str) -> None:
        """Take any chunk of the test's text output."""
        self._input.write(text.encode("utf-8", "surrogatepass"))

    def exited(self, ok: bool) -> None:
        """The process exited, successfully or not (Go's ``Exited``): decides the final
        event whatever the trailer said, as ``go test -json`` does."""
        if ok:
            if self._result != "skip":
                self._result = "pass"
        else:
            self._result = "fail"

    def close(self) -> None:
        """Flush what is left and emit the final package event; later calls do nothing."""
        if self._closed:
            return
        self._closed = True
        self._input.flush()
        self._output.flush()
        end = _Event(self._result or "fail")
        end.elapsed = _round_ms_seconds(self._clock() - self._start)
        self._write_event(end)

    # -- Go's handleInputLine -----------------------------------------------------------------

    def _handle_line(self, line: bytes) -> None:
        if not line:
            return
        saw_marker = False
        if self._need_marker and line[0] != _MARKER:
            self._output.write(line)
            return
        if line[0] == _MARKER:
            self._output.flush()
            saw_marker = True
            line = line[1:]

        trim = line
        if trim.endswith(b"\n"):
            trim = trim[:-1]
            if trim.endswith(b"\r"):
                trim = trim[:-1]
        if trim == _EMPTY_NAME:
            line = _EMPTY_NAME_LINE
            trim = line[:-1]

        if trim in (_BIG_PASS, _BIG_FAIL) or trim.startswith(_BIG_FAIL_ERROR_PREFIX):
            self._flush_report(0)
            self._test_name = ""
            self._need_marker = saw_marker
            self._output.write(line)
            self._result = "pass" if trim == _BIG_PASS else "fail"
            return

        # "?   \tpkg\t[no test files]" as the only line: the package is skipped.
        if (
            line.startswith(_SKIP_LINE_PREFIX)
            and trim.endswith(_SKIP_LINE_SUFFIX)
            and not self._report
        ):
            self._result = "skip"

        action_colon = False
        orig_line = line
        ok = line.startswith(_UPDATES)
        indent = 0
        if not ok:
            while line.startswith(_FOUR_SPACE):
                line = line[4:]
                indent += 1
            if line.startswith(_REPORTS):
                action_colon = ok = True

        if not ok:
            # Output of a subtest, found by its indentation in the stack of pending reports.
            if 0 < indent <= len(self._report):
                self._test_name = self._report[indent - 1].test
            self._output.write(orig_line)
            return

        i = line.find(b":") + 1 if action_colon else 0
        if i == 0:
            i = len(_UPDATES[0])
        action = _go_trim_space(_text(line[4:i])).removesuffix(":").lower()
        name = _go_trim_space(_text(line[i:]))

        event = _Event(action)
        if line[:1] == b"-":  # a PASS/FAIL/SKIP/BENCH report
            k = name.find(" (")
            if k >= 0:
                if name.endswith("s)"):
                    event.elapsed = _parse_float(name[k + 2 : len(name) - 2])
                name = name[:k]
            if len(self._report) < indent:
                # Nested deeper than any pending report: plain output.
                self._output.write(orig_line)
                return
            self._need_marker = saw_marker
            self._flush_report(indent)
            event.test = name
            self._test_name = name
            self._report.append(event)
            self._output.write(orig_line)
            return

        # An === update: finish any pending reports.
        self._need_marker = saw_marker
        self._flush_report(0)
        self._test_name = name
        if action == "name":
            return  # only says whom the next output belongs to
        if action == "pause":
            # The pause line first, so the test does not seem to print after pausing.
            self._output.write(orig_line)
        self._write_event(event)
        if action != "pause":
            self._output.write(orig_line)

    def _flush_report(self, depth: int) -> None:
        """Emit the pending reports at ``depth`` or deeper, innermost first."""
        self._test_name = ""
        while len(self._report) > depth:
            self._write_event(self._report.pop())

    def _write_output(self, out: bytes) -> None:
        self._write_event(_Event("output", output=out.decode("utf-8", "replace")))

    def _write_event(self, event: _Event) -> None:
        test = event.test or self._test_name
        fields = [f'"Time":{_json_string(_rfc3339_nano(self._clock()))}']
        fields.append(f'"Action":{_json_string(event.action)}')
        if self._package:
            fields.append(f'"Package":{_json_string(self._package)}')
        if test:
            fields.append(f'"Test":{_json_string(test)}')
        if event.elapsed is not None:
            fields.append(f'"Elapsed":{_go_float(event.elapsed)}')
        if event.output is not None:
            fields.append(f'"Output":{_json_string(event.output)}')
        self._emit("{" + ",".join(fields) + "}\n")


class _LineBuffer:
    """Go's lineBuffer: calls ``line`` for each whole line (with its newline) that fits in
    ``cap`` bytes and ``part`` for the pieces of longer ones, split at UTF-8 boundaries. A
    benchmark name and its tab are passed on as a piece at once, so a result line shows
    its name before the benchmark has finished."""

    __slots__ = ("_b", "_cap", "_line", "_mid", "_part")

    def __init__(
        self, cap: int, line: Callable[[bytes], None], part: Callable[[bytes], None]
    ) -> None:
        self._b = bytearray()
        self._cap = cap
        self._mid = False  # inside a long line
        self._line = line
        self._part = part

    def write(self, data: bytes) -> None:
        while data:
            room = self._cap - len(self._b)
            self._b += data[:room]
            data = data[room:]

            b = self._b
            i = 0
            while i < len(b):
                j, width = _index_eol(b, i)
                if j < 0:
                    if not self._mid:
                        tab = b.find(b"\t", i)
                        if tab >= 0 and _is_benchmark_name(bytes(b[i:tab]).rstrip(b" ")):
                            self._part(bytes(b[i : tab + 1]))
                            self._mid = True
                            i = tab + 1
                    break
                end = j + width
                if self._mid:
                    self._part(bytes(b[i:end]))
                    self._mid = False
                else:
                    self._line(bytes(b[i:end]))
                i = end

            if i == 0 and len(b) == self._cap:
                # The whole buffer is a fragment of a long line.
                t = _trim_utf8(b) or len(b)
                self._part(bytes(b[:t]))
                del b[:t]
                self._mid = True
            if i > 0:
                del b[:i]

    def flush(self) -> None:
        if self._b:
            data = bytes(self._b)
            self._b.clear()
            self._part(data)


def _index_eol(b: bytearray, start: int) -> tuple[int, int]:
    """The next line end at or after ``start`` and its width: a ``\\n`` (width 1) or the
    empty string before a ``^V`` that does not begin the line (width 0)."""
    newline = b.find(b"\n", start)
    marker = b.find(b"\x16", start + 1)
    if marker >= 0 and (newline < 0 or marker < newline):
        return marker, 0
    return newline, 1


def _is_benchmark_name(b: bytes) -> bool:
    """Go's rule for the first field of a benchmark result line."""
    if not b.startswith(_BENCHMARK):
        return False
    rest = b[len(_BENCHMARK) :]
    if not rest:
        return True
    return unicodedata.category(_first_rune(rest)) != "Ll"


def _first_rune(b: bytes) -> str:
    for size in range(1, min(4, len(b)) + 1):
        try:
            return b[:size].decode("utf-8")
        except UnicodeDecodeError:
            continue
    return "\ufffd"


def _trim_utf8(b: bytearray) -> int:
    """A length close to ``len(b)`` that does not end inside a UTF-8 sequence."""
    n = len(b)
    for i in range(1, min(4, n + 1)):
        c = b[n - i]
        if c & 0xC0 != 0x80:
            if (
                (c & 0xE0 == 0xC0 and i < 2)
                or (c & 0xF0 == 0xE0 and i < 3)
                or (c & 0xF8 == 0xF0 and i < 4)
            ):
                return n - i
            break
    return n


def _text(b: bytes) -> str:
    return b.decode("utf-8", "replace")


def _go_trim_space(s: str) -> str:
    return s.strip(_GO_SPACE)


def _parse_float(s: str) -> float | None:
    if not _DECIMAL.fullmatch(s):
        return None
    value = float(s)
    return value if value not in (float("inf"), float("-inf")) else None


def _round_ms_seconds(d: timedelta) -> float:
    """Go's ``d.Round(time.Millisecond).Seconds()``."""
    ns = d // timedelta(microseconds=1) * 1000
    ms = (abs(ns) + 500_000) // 1_000_000 * (1 if ns >= 0 else -1)
    ns = ms * 1_000_000
    sec, nsec = divmod(abs(ns), 1_000_000_000)
    sign = 1 if ns >= 0 else -1
    return sign * (float(sec) + float(nsec) / 1e9)


def _local_now() -> datetime:
    return datetime.now().astimezone()


def _rfc3339_nano(t: datetime) -> str:
    """Go's time.RFC3339Nano: trailing zeros of the fraction dropped, ``Z`` for UTC."""
    text = t.strftime("%Y-%m-%dT%H:%M:%S")
    if t.microsecond:
        text += f".{t.microsecond:06d}".rstrip("0")
    offset = t.utcoffset()
    if offset is None or not offset:
        return text + "Z"
    minutes = int(offset.total_seconds()) // 60
    sign = "+" if minutes >= 0 else "-"
    hours, minutes = divmod(abs(minutes), 60)
    return f"{text}{sign}{hours:02d}:{minutes:02d}"


def _go_float(f: float) -> str:
    """A float64 as Go's encoding/json writes it: shortest digits, ``%f`` form unless tiny
    or huge, then ``%e`` with the exponent's leading zero dropped (``1e-7``)."""
    digits = Decimal(repr(f))
    if f == 0 or 1e-6 <= abs(f) < 1e21:
        return format(digits.normalize(), "f")
    sign, ds, exp = digits.normalize().as_tuple()
    assert isinstance(exp, int)
    mantissa = "".join(map(str, ds))
    exponent = exp + len(mantissa) - 1
    text = mantissa[0] + ("." + mantissa[1:] if len(mantissa) > 1 else "")
    esign = "-" if exponent < 0 else "+"
    etext = f"{abs(exponent):02d}"
    if esign == "-" and etext.startswith("0"):
        etext = etext[1:]
    return f"{'-' if sign else ''}{text}e{esign}{etext}"


_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b"}
_ESCAPES["\f"] = "\\f"
_ESCAPES.update({c: f"\\u{ord(c):04x}" for c in "<>&\u2028\u2029"})
_NEEDS_ESCAPE = re.compile('["\\\\\x00-\x1f<>&\u2028\u2029]')


def _json_string(s: str) -> str:
    """A JSON string as Go's encoding/json writes it: UTF-8 kept, HTML characters and
    U+2028/U+2029 escaped, control characters as ``\\u00XX`` (``\\b``, ``\\f`` since 1.22)."""
    return '"' + _NEEDS_ESCAPE.sub(_escape, s) + '"'


def _escape(m: re.Match[str]) -> str:
    c = m.group()
    return _ESCAPES.get(c) or f"\\u{ord(c):04x}"
