"""``user_agent``: a User-Agent header per line, as VRL's ``parse_user_agent`` reads it.

VRL runs two databases and so does rxp, through their Python ports: Woothee (``woothee``)
and the uap-core regexes (``ua-parser`` 1.x with its bundled ``ua-parser-builtins``).
``mode`` picks how they combine, as in VRL:

- ``fast``: Woothee alone; ``browser.family``/``version``, ``os.family``/``version``,
  ``device.category``.
- ``reliable``: the same keys; when Woothee misses the browser's or the OS's family, uap's
  answer is taken field by field, Woothee's filling what uap leaves empty.
- ``enriched``: uap first, Woothee filling the gaps, and every key of both: the browser's
  and OS's ``major``/``minor``/``patch`` (and ``patch_minor``), the device's ``family``,
  ``brand`` and ``model``.

A field neither found is ``null``; Woothee's ``UNKNOWN`` counts as not found. Both
libraries are imported in ``build``, so ``rxp parse`` with another format never pays for
their tables.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeAlias

from ._options import Option, Options
from ._records import JSONValue, Record
from ._spec import FormatSpec, LineParser, fixed

__all__ = ["SPECS"]

# (browser, os, device), each a mapping of VRL's field names to a value or None
Parts: TypeAlias = tuple[dict[str, str | None], dict[str, str | None], dict[str, str | None]]

_BROWSER = ("family", "version", "major", "minor", "patch")
_OS = ("family", "version", "major", "minor", "patch", "patch_minor")
_DEVICE = ("category", "family", "brand", "model")
_PARTIAL = (("family", "version"), ("family", "version"), ("category",))
_FULL = (_BROWSER, _OS, _DEVICE)


def _known(value: str | None) -> str | None:
    return None if value in (None, "", "UNKNOWN") else value


def _woothee_parts(found: dict[str, str]) -> Parts:
    """Woothee's result in VRL's fields (its ``UNKNOWN`` and ``""`` are absent)."""
    return (
        {"family": _known(found.get("name")), "version": _known(found.get("version"))},
        {"family": _known(found.get("os")), "version": _known(found.get("os_version"))},
        {"category": _known(found.get("category"))},
    )


def _either(first: Parts, second: Parts) -> Parts:
    """Rust's ``Option::or`` field by field: ``first``'s value, else ``second``'s."""
    out = []
    for a, b in zip(first, second, strict=True):
        keys = dict.fromkeys([*a, *b])
        out.append({k: a.get(k) if a.get(k) is not None else b.get(k) for k in keys})
    return out[0], out[1], out[2]


def _schema(parts: Parts, names: tuple[tuple[str, ...], ...]) -> Record:
    record: Record = {}
    for key, part, fields in zip(("browser", "os", "device"), parts, names, strict=True):
        inner: dict[str, JSONValue] = {name: part.get(name) for name in fields}
        record[key] = inner
    return record


def _build(options: Options) -> LineParser:
    import ua_parser  # the uap-core regexes, compiled on first use
    import woothee

    def uap_parts(line: str) -> Parts:
        try:
            found = ua_parser.parse(line)
        except (ValueError, TypeError):  # a regex whose replacement finds no group
            return {}, {}, {}
        browser: dict[str, str | None] = {}
        os: dict[str, str | None] = {}
        device: dict[str, str | None] = {}
        if (ua := found.user_agent) is not None:
            browser = {"family": ua.family, "major": ua.major, "minor": ua.minor}
            browser["patch"] = ua.patch
        if (system := found.os) is not None:
            os = {"family": system.family, "major": system.major, "minor": system.minor}
            os.update(patch=system.patch, patch_minor=system.patch_minor)
        if (dev := found.device) is not None:
            device = {"family": dev.family, "brand": dev.brand, "model": dev.model}
        return browser, os, device

    def fast(line: str) -> Record:
        return _schema(_woothee_parts(woothee.parse(line)), _PARTIAL)

    def reliable(line: str) -> Record:
        parts = _woothee_parts(woothee.parse(line))
        if parts[0]["family"] is None or parts[1]["family"] is None:
            parts = _either(uap_parts(line), parts)
        return _schema(parts, _PARTIAL)

    def enriched(line: str) -> Record:
        parts = _either(uap_parts(line), _woothee_parts(woothee.parse(line)))
        return _schema(parts, _FULL)

    modes: dict[str, Callable[[str], Record]] = {
        "fast": fast,
        "reliable": reliable,
        "enriched": enriched,
    }
    return fixed("user_agent", modes[str(options["mode"])])


SPECS: tuple[FormatSpec, ...] = (
    FormatSpec(
        "user_agent",
        _build,
        options=(
            Option(
                "mode",
                "choice",
                "fast",
                choices=("fast", "reliable", "enriched"),
                help="fast: Woothee; reliable: uap-core where Woothee misses; enriched: both",
            ),
        ),
        summary="a User-Agent header (Vector parse_user_agent)",
    ),
)
