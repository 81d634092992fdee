"""``parse_chrono`` / ``chrono_utc``, the port of chrono's ``strftime`` parsing that VRL's
``timestamp_format`` uses: Python's ``strftime`` writes the text where the two agree on a
specifier, chrono's documented oddities are pinned one by one, and the one-regex fast path
reads every text exactly as the item-by-item port does."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rxp._logparse._chrono import (
    BAD_FORMAT,
    IMPOSSIBLE,
    INVALID,
    NOT_ENOUGH,
    OUT_OF_RANGE,
    TOO_LONG,
    TOO_SHORT,
    ChronoError,
    bad_format,
    scan_fields,
)
from rxp._logparse._chrono_fast import parse_fields
from rxp._logparse._time import chrono_utc, parse_chrono, to_rfc3339

SETTINGS = settings(max_examples=150, deadline=None)


# --- Python's strftime as the oracle ------------------------------------------------------

# (Python's format to write the text, chrono's to read it): the same fields both ways
ROUND_TRIPS = [
    ("%d/%b/%Y:%H:%M:%S %z", "%d/%b/%Y:%T %z"),
    ("%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%dT%H:%M:%S%z"),
    ("%Y-%m-%d %H:%M:%S.%f%z", "%Y-%m-%d %H:%M:%S%.f%:z"),
    ("%Y-%m-%d %H:%M:%S.%f", "%F %T%.6f"),
    ("%a %b %d %H:%M:%S %Y", "%a %b %d %H:%M:%S %Y"),
    ("%A, %d %B %Y %I:%M:%S %p", "%A, %d %B %Y %I:%M:%S %p"),
    ("%c", "%c"),
    ("%m/%d/%y %H:%M:%S", "%D %T"),
    ("%Y%m%d%H%M%S", "%Y%m%d%H%M%S"),
    ("%Y %j %H:%M:%S", "%Y %j %H:%M:%S"),
    ("%G-W%V-%u %H:%M:%S", "%G-W%V-%u %H:%M:%S"),
    ("%Y week %U day %w %H:%M:%S", "%Y week %U day %w %H:%M:%S"),
    ("%Y week %W day %u %H:%M:%S", "%Y week %W day %u %H:%M:%S"),
    ("%b %d %Y %H:%M", "%h %e %Y %R"),
]
moments = st.datetimes(min_value=datetime(1000, 1, 1), max_value=datetime(9999, 12, 30)).map(
    lambda d: d.replace(microsecond=d.microsecond // 1000 * 1000)
)
offsets = st.integers(min_value=-23 * 60 - 59, max_value=23 * 60 + 59).map(
    lambda m: timezone(timedelta(minutes=m))
)


@SETTINGS
@given(moments, offsets, st.sampled_from(ROUND_TRIPS))
def test_a_time_python_writes_reads_back(moment: datetime, tz: timezone, pair: Any) -> None:
    python, chrono = pair
    with_zone = "%z" in python
    moment = moment.replace(tzinfo=tz) if with_zone else moment
    if "%f" not in python:
        moment = moment.replace(microsecond=0)
    if "%M" in python and "%S" not in python:
        moment = moment.replace(second=0)
    if "%y" in python:  # two digits: chrono reads 70-99 as 19xx, the rest as 20xx
        moment = moment.replace(year=1970 + moment.year % 100, day=min(moment.day, 28))
    text = moment.strftime(python)
    assert parse_chrono(text, chrono) == moment


@SETTINGS
@given(moments, offsets)
def test_the_instant_is_the_offset_one_and_rfc3339_writes_it(
    moment: datetime, tz: timezone
) -> None:
    aware = moment.replace(tzinfo=tz)
    utc, nanos = chrono_utc(aware.strftime("%d/%b/%Y:%H:%M:%S.%f %z"), "%d/%b/%Y:%T%.f %z")
    assert utc == aware.astimezone(UTC)
    assert nanos == aware.microsecond * 1000
    assert to_rfc3339(utc, nanos) == to_rfc3339(aware)


@SETTINGS
@given(st.integers(min_value=0, max_value=253402128000))  # to 9999-12-30
def test_a_unix_timestamp_is_that_instant(seconds: int) -> None:
    utc, nanos = chrono_utc(str(seconds), "%s")
    assert utc == datetime.fromtimestamp(seconds, UTC) and nanos == 0


# --- chrono's own rules, one by one --------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "fmt", "want"),
    [
        # `%f` is a count of nanoseconds (VRL's apache error case relies on it)
        ("2021-06-04 15:40:27.138633", "%Y-%m-%d %H:%M:%S.%f", "2021-06-04T15:40:27.000138633Z"),
        # `%.f` is an optional dot and 1 to 9 digits, more skipped
        ("10:00:00", "%H:%M:%S%.f %d/%m/%Y", None),
        ("2021-01-01 10:00:00.5", "%F %T%.f", "2021-01-01T10:00:00.500Z"),
        ("2021-01-01 10:00:00.1234567891234", "%F %T%.f", "2021-01-01T10:00:00.123456789Z"),
        ("2021-01-01 10:00:00", "%F %T%.3f", "2021-01-01T10:00:00Z"),
        # numbers take 1 to their width of digits, after any white space
        ("2021-1-5 7:3:9", "%Y-%m-%d %H:%M:%S", "2021-01-05T07:03:09Z"),
        ("2021- 1- 5  7:03:09", "%Y-%m-%d %H:%M:%S", "2021-01-05T07:03:09Z"),
        # a space in the format takes any white space, none included
        ("2021-01-0507:03:09", "%Y-%m-%d %H:%M:%S", "2021-01-05T07:03:09Z"),
        # names are case-insensitive; the long one takes the short too
        ("05/OCT/2021:07:03:09 +0000", "%d/%b/%Y:%T %z", "2021-10-05T07:03:09Z"),
        ("5 Oct 2021 07:03", "%d %B %Y %R", "2021-10-05T07:03:00Z"),
        ("5 october 2021 07:03", "%d %B %Y %R", "2021-10-05T07:03:00Z"),
        # %z takes a colon (or white space) between hours and minutes; %#z takes Z
        ("2021-01-05 07:03:09 +01:30", "%F %T %z", "2021-01-05T05:33:09Z"),
        ("2021-01-05 07:03:09 -01 30", "%F %T %z", "2021-01-05T08:33:09Z"),
        ("2021-01-05 07:03:09 Z", "%F %T %#z", "2021-01-05T07:03:09Z"),
        ("2021-01-05 07:03:09 +01", "%F %T %#z", "2021-01-05T06:03:09Z"),
        # %+ is relaxed RFC 3339
        ("2021-01-05T07:03:09.25+01:00", "%+", "2021-01-05T06:03:09.250Z"),
        ("2021-01-05 07:03:09 UTC", "%+", "2021-01-05T07:03:09Z"),
        ("2016-12-31T23:59:60Z", "%+", "2016-12-31T23:59:60Z"),
        # %Z is skipped, not read
        ("2021-01-05 07:03:09 CEST", "%F %T %Z", "2021-01-05T07:03:09Z"),
        # %y: 70-99 is 19xx, else 20xx; %C%y
        ("69-01-05 07:03", "%y-%m-%d %R", "2069-01-05T07:03:00Z"),
        ("70-01-05 07:03", "%y-%m-%d %R", "1970-01-05T07:03:00Z"),
        ("1970-01-05 07:03", "%C%y-%m-%d %R", "1970-01-05T07:03:00Z"),
        # 12-hour clock
        ("12:30 am 2021-01-05", "%I:%M %p %F", "2021-01-05T00:30:00Z"),
        ("12:30 PM 2021-01-05", "%I:%M %P %F", "2021-01-05T12:30:00Z"),
        # a timestamp and the fields agree
        ("1609830189 2021", "%s %Y", "2021-01-05T07:03:09Z"),
        ("%2021-01-05 07:03", "%%%F %R", "2021-01-05T07:03:00Z"),
    ],
)
def test_chrono_reads(text: str, fmt: str, want: str | None, zone: Any) -> None:
    zone("UTC")
    if want is None:
        with pytest.raises(ChronoError):
            chrono_utc(text, fmt)
        return
    assert to_rfc3339(*chrono_utc(text, fmt)) == want


@pytest.mark.parametrize(
    ("text", "fmt", "reason"),
    [
        ("1234", "%d/%b/%Y:%T %z", INVALID),
        ("10/Oct/2000:13:55:36 -0700 x", "%d/%b/%Y:%T %z", TOO_LONG),
        ("10/Oct/2000:13:55", "%d/%b/%Y:%T %z", TOO_SHORT),
        ("32/Oct/2000:13:55:36 -0700", "%d/%b/%Y:%T %z", OUT_OF_RANGE),
        ("31/Feb/2000:13:55:36 -0700", "%d/%b/%Y:%T %z", OUT_OF_RANGE),
        ("Wed Oct 10 20:55:36 2000", "%a %b %d %H:%M:%S %Y", IMPOSSIBLE),
        ("2021-01-05", "%F", NOT_ENOUGH),
        ("2021-01-05 07:03:09 +0760", "%F %T %z", OUT_OF_RANGE),
        ("2021-01-05 07:03:09 Z", "%F %T %z", INVALID),
        ("2021-01-05 07", "%F %Q", BAD_FORMAT),
        ("07:03:09", "%-T", BAD_FORMAT),
        ("1609830189 2020", "%s %Y", IMPOSSIBLE),
        ("99999999999999999999", "%s", OUT_OF_RANGE),
    ],
)
def test_chrono_refuses_with_its_reason(text: str, fmt: str, reason: str, zone: Any) -> None:
    zone("UTC")
    with pytest.raises(ChronoError) as caught:
        chrono_utc(text, fmt)
    assert caught.value.kind == reason
    assert isinstance(caught.value, ValueError)


def test_bad_format_is_known_before_any_text() -> None:
    assert bad_format("%Q") and bad_format("%") and bad_format("%#d") and bad_format("%.2f")
    assert not bad_format("%d/%b/%Y:%T %z") and not bad_format("%+") and not bad_format("%-d")


def test_a_time_without_offset_is_local(zone: Any) -> None:
    zone("Europe/Paris")
    assert to_rfc3339(*chrono_utc("2021/06/03 09:30:50", "%Y/%m/%d %H:%M:%S")) == (
        "2021-06-03T07:30:50Z"
    )
    assert parse_chrono("2021/06/03 09:30:50", "%Y/%m/%d %H:%M:%S").tzinfo is None


@pytest.mark.parametrize("text", ["2021-11-07 01:30:00", "2021-03-14 02:30:00"])
def test_a_local_time_the_clocks_repeat_or_skip_is_refused(text: str, zone: Any) -> None:
    """chrono's ``from_local_datetime`` is ambiguous (November) or empty (March) in New
    York; VRL's fallback without an offset then fails too."""
    zone("America/New_York")
    with pytest.raises(ChronoError) as caught:
        chrono_utc(text, "%F %T")
    assert caught.value.kind == NOT_ENOUGH
    # with an offset there is nothing to choose
    assert to_rfc3339(*chrono_utc(text[:11] + "01:30:00 -0400", "%F %T %z")) == (
        text[:11].replace(" ", "T") + "05:30:00Z"
    )


def test_a_timestamp_is_utc_whatever_the_zone(zone: Any) -> None:
    zone("America/New_York")
    assert to_rfc3339(*chrono_utc("1636263000", "%s")) == "2021-11-07T05:30:00Z"


# --- the fast path reads exactly what the port reads ---------------------------------------

FORMATS = [
    "%d/%b/%Y:%T %z", "%Y-%m-%d %H:%M:%S%.f", "%a %b %d %H:%M:%S %Y", "%Y/%m/%d %H:%M:%S",
    "%d %B %Y %I:%M %p%.3f", "%s", "%Y%m%d%H%M%S", "%A %e %h %Y %k:%M:%S%.9f %:z", "%y %j %R",
]  # fmt: skip
texts = st.text(alphabet="0123456789 :/-+.ajnfebmrpyulgsoctvdcJANOW\u2212\u3000Z", max_size=32)


def _outcome(read: Any, text: str, fmt: str) -> Any:
    try:
        return read(text, fmt)
    except ChronoError as exc:
        return exc.kind


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(FORMATS), moments, offsets, texts, st.integers(0, 40))
def test_the_fast_path_agrees_with_the_port(
    fmt: str, moment: datetime, tz: timezone, noise: str, cut: int
) -> None:
    rendered = moment.replace(tzinfo=tz).strftime(
        fmt.replace("%T", "%H:%M:%S").replace("%.f", ".%f").replace("%.3f", "").replace(
            "%.9f", "").replace("%:z", "%z").replace("%s", "%Y").replace("%R", "%H:%M")
        .replace("%h", "%b").replace("%e", "%d").replace("%k", "%H")
    )  # fmt: skip
    for text in (rendered, rendered[:cut] + noise, noise, rendered + noise[:3]):
        assert _outcome(parse_fields, text, fmt) == _outcome(scan_fields, text, fmt), text
