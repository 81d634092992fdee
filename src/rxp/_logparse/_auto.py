"""``auto``: pick the parser per line, cheapest test first.

Order: ``<PRI>`` -> syslog; ``{``/``[`` at the start -> json (a ``journalctl -o json`` line
-> journal); a klog header -> klog; ``type=... msg=audit(`` -> audit;
``CEF:`` -> cef (a syslog or journald prefix kept as ``prefix``); a journald ``short*``
prefix -> journal, and then the message's own structure (``journal+json``,
``journal+logfmt``, ``journal+kv``, ``journal+nested``); then the line's
own structure (json with a prefix, logfmt/kv, nested); anything else -> ``text`` with the
line as ``message``.

Each test is a ``str`` check or one compiled regex; Lark runs only for a nested value that is
not JSON, so plain lines cost a few regex calls.
"""

from __future__ import annotations

import json
import re

from ._audit import looks_like_audit, parse_audit
from ._cef import parse_cef
from ._journal import parse_journal_line
from ._json import find_json, may_hold_json, parse_json
from ._klog import looks_like_glog, looks_like_klog, parse_glog, parse_klog
from ._logfmt import scan_pairs
from ._nested import parse_nested
from ._records import LineError, Record, merge_fields, safe_key
from ._scan import balanced_end
from ._sniff import sniff
from ._spec import FormatSpec
from ._syslog import parse_rfc3164, parse_syslog

__all__ = ["SPECS", "parse_auto", "parse_journal_text", "structure", "with_message"]

_loads = json.loads


def structure(text: str, *, offset: int = 0) -> tuple[Record, str] | None:
    """The structure of a free-text message: ``(fields, format)`` for JSON (possibly after
    a prefix), logfmt, kv or a nested value; ``None`` for plain text. Raises ``LineError``
    (with the pairs read) for text that is clearly ``key=value`` and then breaks, such as an
    unterminated quote."""
    first = text[:1]
    kv_error: LineError | None = None
    if first != "{" and "[" in text:
        sniffed = sniff(text)  # an access or error log line inside syslog or journald
        if sniffed is not None:
            return sniffed
    if first in ("{", "[") and text.rstrip()[-1:] in ("}", "]"):
        try:
            value = _loads(text)
        except ValueError:
            pass
        else:
            if isinstance(value, dict):
                return {safe_key(k): v for k, v in value.items()}, "json"
            return {"json": value}, "json"
    if first.isalpha() or first in "_$@":
        nested = _tagged_value(text, offset)  # `User{id=42, name=bob}`, not key `User{id`
        if nested is not None:
            return nested
    if "=" in text:
        if first == "[":  # a leading tag, as the kernel's `[UFW BLOCK] IN=eth0 ...`
            tagged = _tagged_pairs(text, offset)
            if tagged is not None:
                return tagged
        pairs = scan_pairs(text, brackets=True, offset=offset)
        if pairs.pairs and pairs.pairs >= pairs.bare:
            if pairs.error is None:
                return pairs.fields, "kv" if pairs.bracketed else "logfmt"
            if pairs.bare == 0:  # clearly key=value, then broken: say so, keep the pairs
                pairs.error.fields = pairs.fields
                kv_error = pairs.error
    brace = text.find("{")
    if brace >= 0 or "[" in text:
        try:
            found = find_json(text)
        except LineError:
            found = None
        if found is not None and isinstance(found[0], dict):
            value, begin, end = found[0], found[1], found[2]
            fields: Record = {safe_key(k): v for k, v in value.items()}
            for name, part in (("prefix", text[:begin]), ("suffix", text[end:])):
                if part.strip():
                    fields["json_" + name if name in fields else name] = part.strip()
            return fields, "json"
        if brace >= 0 and ("=" in text or ":" in text):
            try:
                return parse_nested(text, offset=offset), "nested"
            except (LineError, RecursionError):
                pass
    if kv_error is not None:
        raise kv_error
    return None


_TAG_OPEN = re.compile(r"[\w.$@\-]+[{(]")


def _tagged_value(text: str, offset: int) -> tuple[Record, str] | None:
    """A line that starts with a tagged, balanced bracket (Java's ``Name{k=v, ...}``,
    Python's ``Point(x=1)``) read as ``nested`` (its ``k=v`` are not a logfmt line's keys),
    unless some bracket could open JSON, which the JSON reading gets first."""
    m = _TAG_OPEN.match(text)
    if m is None or not ("=" in text or ":" in text) or may_hold_json(text):
        return None
    try:
        balanced_end(text, m.end() - 1)
        return parse_nested(text, offset=offset), "nested"
    except (LineError, RecursionError):
        return None


def _tagged_pairs(text: str, offset: int) -> tuple[Record, str] | None:
    try:
        end = balanced_end(text, 0)
    except LineError:
        return None
    rest = text[end:]
    if not rest[:1].isspace():
        return None
    pairs = scan_pairs(rest, brackets=True, offset=offset + end)
    if pairs.error is not None or not pairs.pairs or pairs.pairs < pairs.bare:
        return None
    fields: Record = {"tag": text[1 : end - 1]}
    merge_fields(fields, pairs.fields)
    return fields, "kv" if pairs.bracketed else "logfmt"


def with_message(
    fields: Record, kind: str, *, line: str = "", key: str = "message", strict: bool = True
) -> tuple[Record, str]:
    """A prefix's ``fields`` (journald, syslog) with its message's own structure merged in:
    ``(fields, "journal+logfmt")``, or ``kind`` alone for plain text. ``line`` (the message's
    line, when the message ends it) gives error columns. A message that is clearly
    ``key=value`` and then breaks raises ``LineError`` carrying every field (``strict``), or
    is kept as text."""
    message = fields.get(key)
    if isinstance(message, str) and message:
        try:
            sub = structure(message, offset=max(len(line) - len(message), 0))
        except LineError as exc:
            if not strict:
                return fields, kind
            merge_fields(fields, exc.fields)
            exc.fields = fields
            raise
        if sub is not None:
            merge_fields(fields, sub[0])
            return fields, f"{kind}+{sub[1]}"
    return fields, kind


def parse_auto(line: str) -> tuple[Record, str]:
    """``(fields, format)`` for one line; raises ``LineError`` (its ``format`` set) only for
    a line that claims a format (``<PRI>``, ``CEF:``, a JSON opening, ``key="...``) and then
    breaks it."""
    try:
        return _pick(line)
    except LineError as exc:
        exc.format = exc.format or _claimed(line)
        raise


def _claimed(line: str) -> str:
    first = line[:1]
    if first == "<":
        return "syslog"
    if first in ("{", "["):
        return "json"
    if looks_like_klog(line):
        return "klog"
    if looks_like_glog(line):
        return "glog"
    if looks_like_audit(line):
        return "audit"
    if parse_journal_line(line) is not None:
        return "journal"
    return "cef" if "CEF:" in line else "kv"


def _pick(line: str) -> tuple[Record, str]:
    first = line[:1]
    if first != "{" and first != "<":
        found = sniff(line)  # access and error logs, AWS ALB and VPC flow logs
        if found is not None:
            return found
    if first == "<":  # the record is fine as syslog when its message breaks: kept as text
        return with_message(parse_syslog(line), "syslog", line=line, strict=False)
    if first in ("{", "["):
        found = structure(line)
        if found is not None:
            if "__CURSOR" in found[0] or "__REALTIME_TIMESTAMP" in found[0]:
                # a `journalctl -o json` line: its MESSAGE's own structure added
                return with_message(found[0], "journal", key="MESSAGE", strict=False)
            return found
        if first == "{":
            return parse_json(line), "json"  # raises with the column of the break
    if looks_like_klog(line):
        return parse_klog(line), "klog"
    if looks_like_glog(line):
        return parse_glog(line), "glog"
    if (first == "t" or first == "n") and looks_like_audit(line):
        return parse_audit(line), "audit"
    if "CEF:" in line:  # before journal: `Sep 19 08:26:10 host CEF:0|...` is a CEF record
        try:
            return parse_cef(line, keep_prefix=True), "cef"
        except LineError:
            pass
    journal = parse_journal_line(line) if first.isalnum() else None
    if journal is not None:
        return with_message(journal, "journal", line=line)
    sub = structure(line)
    if sub is not None:
        return sub
    syslog = parse_rfc3164(line) if first.isalpha() else None
    if syslog is not None:
        return syslog, "syslog"
    return {"message": line}, "text"


_MARKER = re.compile(r"-- .* --\Z")


def parse_journal_text(line: str) -> tuple[Record, str]:
    """``journal`` for one journald ``short*`` line (or a ``-- Boot ... --`` marker): the
    prefix's fields and the message's own structure."""
    fields = parse_journal_line(line)
    if fields is None and _MARKER.match(line):  # `-- Boot 3f2c... --`, `-- No entries --`
        return {"marker": line[3:-3]}, "journal"
    if fields is None:
        raise LineError("not a journald short, short-iso, short-precise or short-full line", 1)
    return with_message(fields, "journal", line=line)


SPECS: tuple[FormatSpec, ...] = (
    FormatSpec("auto", lambda options: parse_auto, summary="pick the format per line"),
    FormatSpec(
        "journal",
        lambda options: parse_journal_text,
        summary="journald's short* text, -o export and -o json",
    ),
)
