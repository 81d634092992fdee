"""The WHATWG URL Standard's basic URL parser (no base URL), as Rust's ``url`` crate runs it.

VRL's ``parse_url`` is ``url::Url::parse`` and reads its parts back; Python's
``urllib.parse`` splits RFC 3986 text without normalising it, so it would give other
answers (``HTTPS://Vector.dev:443`` keeps its case and port, ``café.com`` stays
Unicode). This module follows the standard's state machine, taking the ``url`` crate's
side where the two differ (a ``file:`` path loses its leading empty segments; ``foo://``
has the empty host). ``parse`` returns the parts as ``url`` gives them, percent-encoded;
it raises ``UrlError`` with the crate's words (``empty host``, ``invalid port number``).

Hosts go through UTS 46 as the crate's ``idna`` does for URLs, approximated with the
standard library: NFKC and case folding that keep the deviation characters (``ß``,
``ς``, joiners), then Punycode. Characters newer than Python's Unicode tables, and
UTS 46's disallowed ones beyond the unassigned, are where the two may part.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

__all__ = ["DEFAULT_PORTS", "Url", "UrlError", "parse"]

# the special schemes and their default ports (file has none)
DEFAULT_PORTS: dict[str, int | None] = {
    "ftp": 21,
    "file": None,
    "http": 80,
    "https": 443,
    "ws": 80,
    "wss": 443,
}


class UrlError(ValueError):
    """Why the text is not a URL, in the ``url`` crate's words."""


@dataclass(frozen=True, slots=True)
class Url:
    """A parsed URL's parts as ``url::Url`` returns them: ``password`` is ``""`` when
    absent (VRL's ``unwrap_or_default``), ``query`` and ``fragment`` ``None`` when
    absent, ``port`` ``None`` when absent or the scheme's default."""

    scheme: str
    username: str
    password: str
    host: str | None
    port: int | None
    path: str
    query: str | None
    fragment: str | None


def _encoder(extra: str) -> re.Pattern[str]:
    # the C0 control percent-encode set (controls, DEL, every non-ASCII) plus ``extra``
    return re.compile("[\\x00-\\x1f\\x7f-\\U0010ffff" + re.escape(extra) + "]+")


_CONTROLS = _encoder("")
_FRAGMENT = _encoder(' "<>`')
_QUERY = _encoder(' "#<>')
_SPECIAL_QUERY = _encoder(" \"#<>'")
_PATH = _encoder(' "#<>?^`{}')
_USERINFO = _encoder(' "#<>?^`{}/:;=@[\\]|')


def _hex(m: re.Match[str]) -> str:
    data = m.group().encode("utf-8", "replace")
    return "".join(f"%{b:02X}" for b in data)


def _encode(text: str, charset: re.Pattern[str]) -> str:
    return charset.sub(_hex, text) if charset.search(text) else text


_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")
_TAB_NEWLINE = re.compile(r"[\t\n\r]")
_EDGES = "".join(map(chr, range(0x21)))  # C0 controls and space, trimmed from both ends
_DRIVE = re.compile(r"[A-Za-z][:|]\Z")
_NORMAL_DRIVE = re.compile(r"[A-Za-z]:\Z")
_DRIVE_START = re.compile(r"[A-Za-z][:|](?:[/\\?#]|\Z)")
_DOTTED = re.compile(r"(?:^|[/\\])(?:\.|%2[eE])")  # a segment that may be . or ..
_SINGLE_DOT = frozenset({".", "%2e", "%2E"})
_DOUBLE_DOT = frozenset(
    {"..", ".%2e", ".%2E", "%2e.", "%2E.", "%2e%2e", "%2e%2E", "%2E%2e", "%2E%2E"}
)


def parse(text: str) -> Url:
    """The URL ``text`` (no base), or ``UrlError``."""
    text = text.strip(_EDGES)
    if "\t" in text or "\n" in text or "\r" in text:
        text = _TAB_NEWLINE.sub("", text)
    m = _SCHEME.match(text)
    if m is None:
        raise UrlError("relative URL without a base")
    scheme = m.group(1).lower()
    rest = text[m.end() :]
    if scheme == "file":
        return _file(rest)
    if scheme in DEFAULT_PORTS:
        return _authority(scheme, rest.lstrip("/\\"), special=True)
    if rest.startswith("//"):
        return _authority(scheme, rest[2:], special=False)
    rest, query, fragment = _tail(rest, scheme, special=False)
    if rest.startswith("/"):
        return Url(scheme, "", "", None, None, _path(rest[1:], False, False), query, fragment)
    return Url(scheme, "", "", None, None, _encode(rest, _CONTROLS), query, fragment)


def _tail(rest: str, scheme: str, special: bool) -> tuple[str, str | None, str | None]:
    """``rest`` split into what comes before ``?``, the query and the fragment, the last
    two percent-encoded."""
    fragment = None
    hash_at = rest.find("#")
    if hash_at >= 0:
        fragment = _encode(rest[hash_at + 1 :], _FRAGMENT)
        rest = rest[:hash_at]
    query = None
    mark = rest.find("?")
    if mark >= 0:
        query = _encode(rest[mark + 1 :], _SPECIAL_QUERY if special else _QUERY)
        rest = rest[:mark]
    return rest, query, fragment


def _split_authority(rest: str, special: bool) -> tuple[str, str]:
    stops = "/?#\\" if special else "/?#"
    end = len(rest)
    for stop in stops:
        at = rest.find(stop, 0, end)
        if at >= 0:
            end = at
    return rest[:end], rest[end:]


def _authority(scheme: str, rest: str, special: bool) -> Url:
    authority, rest = _split_authority(rest, special)
    username = password = ""
    at = authority.rfind("@")
    if at >= 0:
        userinfo, authority = authority[:at], authority[at + 1 :]
        if at == 0 and not authority and rest:
            raise UrlError("empty host")
        name, colon, secret = userinfo.partition(":")
        username = _encode(name, _USERINFO)
        password = _encode(secret, _USERINFO) if colon else ""
    host_text, port_text = _split_port(authority)
    if not host_text and (special or port_text is not None):
        raise UrlError("empty host")
    host: str | None = _special_host(host_text) if special else _opaque_host(host_text)
    if not host:
        if username or password:
            raise UrlError("empty host")
        host = None  # the url crate has no host rather than an empty one
    port = _port(port_text, scheme)
    rest, query, fragment = _tail(rest, scheme, special)
    if special:
        path = _path(rest[1:] if rest[:1] in ("/", "\\") else rest, True, False)
    else:
        path = _path(rest[1:], False, False) if rest else ""
    return Url(scheme, username, password, host, port, path, query, fragment)


def _split_port(authority: str) -> tuple[str, str | None]:
    if "[" not in authority:
        host, colon, port = authority.partition(":")
        return host, port if colon else None
    inside = False
    for i, c in enumerate(authority):
        if c == "[":
            inside = True
        elif c == "]":
            inside = False
        elif c == ":" and not inside:
            return authority[:i], authority[i + 1 :]
    return authority, None


def _port(text: str | None, scheme: str) -> int | None:
    if not text:
        return None
    if not (text.isascii() and text.isdigit()):
        raise UrlError("invalid port number")
    port = int(text)
    if port > 65535:
        raise UrlError("invalid port number")
    return None if port == DEFAULT_PORTS.get(scheme) else port


def _path(text: str, special: bool, file: bool) -> str:
    """The path state over ``text`` (what follows the path's first slash), serialised."""
    if not file and not _DOTTED.search(text) and not (special and "\\" in text):
        return "/" + _encode(text, _PATH)  # no segment to resolve or separator to rewrite
    parts = re.split(r"[/\\]", text) if special else text.split("/")
    path: list[str] = []
    last = len(parts) - 1
    for i, raw in enumerate(parts):
        segment = _encode(raw, _PATH)
        if segment in _DOUBLE_DOT:
            if path and not (file and len(path) == 1 and _NORMAL_DRIVE.match(path[0])):
                path.pop()
            if i == last:
                path.append("")
        elif segment in _SINGLE_DOT:
            if i == last:
                path.append("")
        else:
            if file and not path and _DRIVE.match(segment):
                segment = segment[0] + ":"
            path.append(segment)
    serialised = "/" + "/".join(path)
    if file:  # the url crate drops every leading empty segment of a file path
        serialised = "/" + serialised.lstrip("/")
    return serialised


def _file(rest: str) -> Url:
    host: str | None = None
    if rest[:1] in ("/", "\\"):
        if rest[1:2] in ("/", "\\") and not _DRIVE_START.match(rest[2:]):
            host_text, rest = _split_authority(rest[2:], special=True)
            if host_text:
                host = _special_host(host_text)
                if host == "localhost":
                    host = None
            rest = rest[1:] if rest[:1] in ("/", "\\") else rest
        else:
            rest = rest[1:]
            if rest[:1] in ("/", "\\"):
                rest = rest[1:]
    rest, query, fragment = _tail(rest, "file", special=True)
    path = _path(rest, True, True)
    if host is not None and re.match(r"/[A-Za-z]:(?:/|\Z)", path):
        host = None  # a Windows drive letter takes the host's place
    return Url("file", "", "", host, None, path, query, fragment)


_PERCENT = re.compile(r"%([0-9A-Fa-f]{2})")
_FORBIDDEN_OPAQUE = re.compile(r"[\x00\t\n\r #/:<>?@\[\\\]^|]")
_FORBIDDEN_DOMAIN = re.compile(r"[\x00-\x20\x7f%#/:<>?@\[\\\]^|]")
_DOTS = str.maketrans({"\u3002": ".", "\uff0e": ".", "\uff61": "."})
_KEEP = frozenset("\u00df\u03c2\u200c\u200d")  # UTS 46 deviations, kept (non-transitional)
# what UTS 46 maps to nothing: the soft hyphen, joiners and variation selectors
_IGNORED = re.compile(
    "[\u00ad\u034f\u180b-\u180d\u180f\u200b\u2060\ufe00-\ufe0f\ufeff\U000e0100-\U000e01ef]"
)
_BAD_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp", "Zs"})


def _opaque_host(text: str) -> str:
    if text.startswith("["):
        if not text.endswith("]"):
            raise UrlError("invalid IPv6 address")
        return "[" + _ipv6(text[1:-1]) + "]"
    if _FORBIDDEN_OPAQUE.search(text):
        raise UrlError("invalid domain character")
    return _encode(text, _CONTROLS)


def _special_host(text: str) -> str:
    if text.startswith("["):
        if not text.endswith("]"):
            raise UrlError("invalid IPv6 address")
        return "[" + _ipv6(text[1:-1]) + "]"
    if "%" in text:
        try:
            text = _decode(text)
        except UnicodeError:
            raise UrlError("invalid international domain name") from None
    domain = _to_ascii(text)
    if not domain:
        raise UrlError("empty host")
    if _ends_in_number(domain):
        return _ipv4(domain)
    return domain


def _decode(text: str) -> str:
    """Percent-decode ``text`` whose other characters may be non-ASCII (strict UTF-8)."""
    data = bytearray()
    i = 0
    while i < len(text):
        m = _PERCENT.match(text, i)
        if m:
            data.append(int(m.group(1), 16))
            i = m.end()
        else:
            data += text[i].encode("utf-8")
            i += 1
    return data.decode("utf-8")


def _map(text: str) -> str:
    """UTS 46's mapping, approximated: NFKC with case folding that keeps the deviation
    characters, the ideographic full stops read as dots, the ignored characters dropped."""
    text = _IGNORED.sub("", text)
    text = "".join(c if c in _KEEP else c.casefold() for c in text.translate(_DOTS))
    text = unicodedata.normalize("NFKC", text)
    text = "".join(c if c in _KEEP else c.casefold() for c in text.translate(_DOTS))
    return unicodedata.normalize("NFC", text)


def _to_ascii(domain: str) -> str:
    """UTS 46 ToASCII as the ``idna`` crate runs it for URLs (hyphens allowed, no length
    check, the URL's forbidden characters denied)."""
    domain = domain.lower() if domain.isascii() else _map(domain)
    if _FORBIDDEN_DOMAIN.search(domain):
        raise UrlError("invalid domain character")
    labels = domain.split(".")
    for i, label in enumerate(labels):
        if label.startswith("xn--"):
            try:
                decoded = label[4:].encode("ascii").decode("punycode")
            except (UnicodeError, IndexError):
                raise UrlError("invalid international domain name") from None
            if not decoded or decoded.isascii() or _map(decoded) != decoded:
                raise UrlError("invalid international domain name")
            _check_label(decoded)
            if _punycode(decoded) != label:
                raise UrlError("invalid international domain name")
        elif not label.isascii():
            _check_label(label)
            labels[i] = _punycode(label)
    return ".".join(labels)


def _punycode(label: str) -> str:
    return "xn--" + label.encode("punycode").decode("ascii")


def _check_label(label: str) -> None:
    """Refuse a label UTS 46 disallows, as far as Python's tables tell: unassigned,
    control, format (but the joiners), private use, separators, U+FFFD."""
    if unicodedata.normalize("NFC", label) != label:
        raise UrlError("invalid international domain name")
    for c in label:
        if c not in _KEEP and (c == "\ufffd" or unicodedata.category(c) in _BAD_CATEGORIES):
            raise UrlError("invalid international domain name")


def _ipv4_number(text: str) -> int | None:
    """The number a part of an IPv4 address spells (``0x`` hex, leading ``0`` octal), or
    ``None`` when it is not one."""
    if not text:
        return None
    base = 10
    if text[:2] in ("0x", "0X"):
        text, base = text[2:], 16
    elif len(text) >= 2 and text[0] == "0":
        text, base = text[1:], 8
    if not text:
        return 0
    digits = {10: "0123456789", 8: "01234567", 16: "0123456789abcdefABCDEF"}[base]
    if not all(c in digits for c in text):
        return None
    return int(text, base)


_DIGITS = frozenset("0123456789")


def _ends_in_number(domain: str) -> bool:
    parts = domain.split(".")
    last = parts[-1]
    if not last:
        if len(parts) == 1:
            return False
        last = parts[-2]
    if last[:1] not in _DIGITS:  # every IPv4 number starts with a digit
        return False
    if last.isascii() and last.isdigit():
        return True
    return _ipv4_number(last) is not None


def _ipv4(domain: str) -> str:
    parts = domain.split(".")
    if parts[-1] == "":
        parts.pop()
    if len(parts) > 4:
        raise UrlError("invalid IPv4 address")
    numbers = []
    for part in parts:
        n = _ipv4_number(part)
        if n is None or n > 0xFFFFFFFF:
            raise UrlError("invalid IPv4 address")
        numbers.append(n)
    address = numbers.pop()
    if address >= 256 ** (4 - len(numbers)) or any(n > 255 for n in numbers):
        raise UrlError("invalid IPv4 address")
    for i, n in enumerate(numbers):
        address += n << (8 * (3 - i))
    return ".".join(str((address >> shift) & 0xFF) for shift in (24, 16, 8, 0))


def _ipv6(text: str) -> str:
    """The IPv6 parser of the standard, serialised with the longest run of zeros
    compressed."""
    bad = UrlError("invalid IPv6 address")
    pieces = [0] * 8
    piece = 0
    compress: int | None = None
    i, n = 0, len(text)
    if n < 2:
        raise bad
    if text[0] == ":":
        if text[1] != ":":
            raise bad
        i, piece, compress = 2, 1, 1
    hexdigits = "0123456789abcdefABCDEF"
    while i < n:
        if piece == 8:
            raise bad
        if text[i] == ":":
            if compress is not None:
                raise bad
            i += 1
            piece += 1
            compress = piece
            continue
        start, value = i, 0
        while i < n and i < start + 4 and text[i] in hexdigits:
            value = value * 16 + int(text[i], 16)
            i += 1
        if i < n and text[i] == ".":
            if i == start or piece > 6:
                raise bad
            i = start
            seen = 0
            while i < n:
                if seen:
                    if seen < 4 and text[i] == ".":
                        i += 1
                    else:
                        raise bad
                number: int | None = None
                while i < n and text[i] in "0123456789":
                    if number == 0:
                        raise bad
                    number = int(text[i]) if number is None else number * 10 + int(text[i])
                    if number > 255:
                        raise bad
                    i += 1
                if number is None:
                    raise bad
                pieces[piece] = pieces[piece] * 0x100 + number
                seen += 1
                if seen in (2, 4):
                    piece += 1
            if seen != 4:
                raise bad
            break
        if i < n:
            if text[i] != ":":
                raise bad
            i += 1
            if i == n:
                raise bad
        pieces[piece] = value
        piece += 1
    if compress is not None:
        swaps = piece - compress
        piece = 7
        while piece != 0 and swaps > 0:
            other = compress + swaps - 1
            pieces[piece], pieces[other] = pieces[other], pieces[piece]
            piece -= 1
            swaps -= 1
    elif piece != 8:
        raise bad
    return _ipv6_text(pieces)


def _ipv6_text(pieces: list[int]) -> str:
    best, best_len, start = -1, 1, -1
    for i in range(9):
        if i < 8 and pieces[i] == 0:
            if start < 0:
                start = i
        elif start >= 0:
            if i - start > best_len:
                best, best_len = start, i - start
            start = -1
    if best < 0:
        return ":".join(f"{p:x}" for p in pieces)
    head = ":".join(f"{p:x}" for p in pieces[:best])
    tail = ":".join(f"{p:x}" for p in pieces[best + best_len :])
    return head + "::" + tail
