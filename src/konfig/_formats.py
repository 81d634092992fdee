"""String ``format``s for ``konfig generate-schema``: which of date-time, date, email, ipv4,
ipv6, uri and uuid every string seen at one place in the examples is.

Each format is a regex plus a confirmation. The regexes are written so that rxp's own idiom
recognition (``rxp.explain(rxp.parse(regex)).idioms``, ``docs/idioms.md``) names the whole
pattern as the matching idiom (``iso-datetime``, ``iso-date``, ``email``, ``ipv4``, ``ipv6``,
``url``, ``uuid``): ``recognised_idioms`` asks rxp, and the tests hold every regex to its
idiom, so a regex that drifts from what rxp calls that idiom fails the suite. At run time
only the compiled regexes run (explaining seven patterns costs ~0.3 s, too much for every
call). A string's shape is not its meaning (``2024-13-45`` has the shape of a date), so a
fullmatch is confirmed by jsonschema's ``FormatChecker`` where it checks that format (date,
email, ipv4, ipv6, uuid) and by the standard library where it does not (date-time and uri
need optional packages jsonschema may lack): a format is claimed only where the validators
that read the schema would agree.

Contract: ``detect_format(values)`` names a format only when every value fullmatches its
regex and passes its confirmation; the formats are tried most specific first and never
overlap on a real value, so at most one is named.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

__all__ = ["FORMATS", "Format", "detect_format", "recognised_idioms"]


@dataclass(frozen=True, slots=True)
class Format:
    """A JSON Schema ``format``: its ``name``, the rxp ``idiom`` its ``regex`` is recognised
    as, and ``confirm``, the semantic check a string matching the regex must also pass."""

    name: str
    idiom: str
    regex: str
    confirm: Callable[[str], bool]


def _checker(name: str) -> Callable[[str], bool]:
    """jsonschema's own check for ``name`` (the one ``konfig validate`` applies)."""

    def confirm(value: str) -> bool:
        from jsonschema import Draft202012Validator  # type: ignore[import-untyped]

        return bool(Draft202012Validator.FORMAT_CHECKER.conforms(value, name))

    return confirm


def _date_time(value: str) -> bool:
    """RFC 3339's date-time: a real date and time with an offset (the regex demands one)."""
    try:
        datetime.datetime.fromisoformat(value.upper())
    except ValueError:
        return False
    return True


_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")


def _uri(value: str) -> bool:
    """An absolute URI with an authority (``scheme://host...``), every ``%`` an escape."""
    try:
        parts = urlsplit(value)
    except ValueError:  # a malformed IPv6 literal in the authority
        return False
    return bool(parts.scheme and parts.netloc) and not _PERCENT.search(value)


_HEX = "[0-9a-fA-F]"
_OCTET = r"(?:25[0-5]|2[0-4]\d|1?\d?\d)"

FORMATS: tuple[Format, ...] = (
    Format(
        "uuid",
        "uuid",
        f"{_HEX}{{8}}-{_HEX}{{4}}-{_HEX}{{4}}-{_HEX}{{4}}-{_HEX}{{12}}",
        _checker("uuid"),
    ),
    Format(
        "date-time",
        "iso-datetime",
        r"\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})",
        _date_time,
    ),
    Format("date", "iso-date", r"\d{4}-\d{2}-\d{2}", _checker("date")),
    Format("ipv4", "ipv4", rf"{_OCTET}(?:\.{_OCTET}){{3}}", _checker("ipv4")),
    Format("ipv6", "ipv6", r"[0-9a-fA-F:.]+", _checker("ipv6")),
    Format("email", "email", r"[^@\s]+@[^@\s]+\.[^@\s]+", _checker("email")),
    Format("uri", "url", r"[A-Za-z][A-Za-z0-9+.-]*://[^\s\"<>\\^`{|}]+", _uri),
)
"""The formats ``generate-schema`` detects, most specific first."""

_COMPILED = tuple((f, re.compile(f.regex, re.ASCII)) for f in FORMATS)


def detect_format(values: Iterable[str]) -> str | None:
    """The format every one of ``values`` has, or None (also for no values at all)."""
    candidates = list(_COMPILED)
    seen = False
    for value in values:
        seen = True
        candidates = [(f, rx) for f, rx in candidates if rx.fullmatch(value) and f.confirm(value)]
        if not candidates:
            return None
    return candidates[0][0].name if seen and candidates else None


def recognised_idioms() -> dict[str, tuple[str, ...]]:
    """For each format, the idioms rxp recognises in its regex and whether each covers the
    whole pattern (``name`` when it does, ``name@start:end`` when only a part)."""
    import rxp

    found: dict[str, tuple[str, ...]] = {}
    for f in FORMATS:
        explanation = rxp.explain(rxp.parse(f.regex))
        found[f.name] = tuple(
            i.name if i.text == f.regex else f"{i.name}@{i.span.start}:{i.span.end}"
            for i in explanation.idioms
        )
    return found
