"""A log message as the tokens the miner groups by: words kept, variables masked.

A message is split on whitespace. Inside each token the spans that are variables by their
shape (an IP address, a number, a path, a UUID, ...) become ``VAR``; the masks are the idioms
``rxp explain`` recognises, written as regexes in ``MASKS`` under the idiom's name, and
``tests/mine`` holds each one to that idiom. A ``key=value`` token gives two tokens, the key
(``key=``) and its value, so a value is judged on its own. Then the sequence is *reduced*:
a token with no word character left but a variable in it (``(<*>)``, ``<*>,``) is ``VAR``;
one with no word character at all (``-``, ``:``, ``()``) is dropped; a unit after a variable
(``KB``, ``ms``, ``bytes``) belongs to it; and runs of ``VAR``, or of one repeated token
(``blk_<*> blk_<*>``), count once. Two lines of one event then give the same reduced
tokens although a variable was empty, took two words, or repeated: that is what lets the
grouping (``_group``) compare lines position by position.

A line has two keys. Its *shape* is its tokens with each variable marked by its idiom and
nothing dropped: lines of one shape differ only in the text of their variables, so one
regex written from one of them, with each idiom's regex for its variables, matches them
all. Its *grouping key* is the shape reduced as above, with every mark the one ``VAR``.
The miner counts shapes, one pass; grouping works on their keys.

Masking a token depends on the token alone, so it is cached: most tokens of a log are
words seen before, and the per-line cost is a ``split`` and dictionary lookups.
"""

from __future__ import annotations

import re
from typing import Final

__all__ = [
    "KINDS",
    "MASKS",
    "VAR",
    "Piece",
    "Tokenizer",
    "aligned",
    "grouping_key",
    "grouping_tokens",
    "kind_of",
    "marked",
    "pieces",
    "reduce_tokens",
    "split_key",
]

VAR: Final = "\ue000"
"""A variable in a grouping key (a private-use character: never ``\\w``). In a line's
*shape* each variable is marked with its idiom instead: ``mark(i)`` for ``MASKS[i]``."""

# (idiom, regex, what may not come before, what may not come after): at each position the
# first that matches wins. The names are rxp's idiom names (``rxp explain`` recognises each
# regex as that idiom; ``tests/mine`` checks it), plus ``host-port`` and ``relative-path``.
_MASK_TABLE: Final[tuple[tuple[str, str, str, str], ...]] = (
    ("url", r"[a-zA-Z][a-zA-Z0-9+.-]*://[^\s\"'<>]+", "", ""),
    ("uuid", r"[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}", "", ""),
    ("mac-address", r"[0-9a-fA-F]{2}(?::[0-9a-fA-F]{2}){5}", "", ""),
    (
        "iso-datetime",
        r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?",
        "",
        "",
    ),
    ("iso-date", r"\d{4}-\d{2}-\d{2}", "", ""),
    ("host-port", r"[a-zA-Z0-9-]+(?:\.[a-zA-Z0-9-]+)+:\d+", r"(?<![\w.-])", r"(?![\w.])"),
    ("ipv4", r"\d{1,3}(?:\.\d{1,3}){3}", r"(?<![\w.])", r"(?![\w.])"),
    ("time-of-day", r"\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?", r"(?<![\w:])", r"(?![\w:])"),
    ("unix-path", r"(?:/[\w.@%+~-]*){2,}", r"(?<![\w.])", ""),
    ("unix-path", r"/[\w.@%+~-]+", r"(?<![\w/])", r"(?=[\s,;:)\]'\"]|$)"),
    (
        "hostname",
        r"[a-zA-Z0-9-]+(?:\.[a-zA-Z0-9-]+){2,}",
        r"(?<![\w.-])(?=[\w.-]*[a-zA-Z])",
        r"(?![\w.])",
    ),
    ("relative-path", r"[\w.-]+(?:/[\w.-]+){2,}", r"(?<![\w./])", ""),
    ("hex", r"0[xX][0-9a-fA-F]+", r"(?<!\w)", r"\b"),
    (
        "hex",
        r"[0-9a-fA-F]{6,}",
        r"(?<![\w-])(?=[0-9a-fA-F]*\d)(?=[0-9a-fA-F]*[a-fA-F])",
        r"(?![\w-])",
    ),
    (
        "duration",
        r"[<>~]?\d+(?:\.\d+)?(?:ms|us|µs|ns|s|sec|secs|seconds|m|min|mins|minutes|h|hrs?|hours)",
        r"(?<![\w.])",
        r"(?!\w)",
    ),
    ("size", r"\d+(?:\.\d+)?(?:[KMGT]i?B|B)", r"(?<![\w.])", r"(?!\w)"),
    ("decimal", r"[-+]?\d+(?:\.\d+)*", r"(?<![A-Za-z0-9.])", r"(?![A-Za-z0-9])"),
)
KINDS: Final = tuple(dict.fromkeys(name for name, *_ in _MASK_TABLE))
MASKS: Final = {
    kind: "|".join(body for name, body, *_ in _MASK_TABLE if name == kind) for kind in KINDS
}
"""Each idiom the miner masks and its regex (what a template's group of that kind matches)."""

_MASK: Final = re.compile(
    "|".join(f"(?P<m{i}>{a}(?:{body}){z})" for i, (_, body, a, z) in enumerate(_MASK_TABLE))
)
_WORD: Final = re.compile(r"\w")
_KEY: Final = re.compile(r"[(\[{\"',]*[A-Za-z_][\w.:\[\]-]*")
_UNITS: Final = frozenset(
    [
        "B",
        "KB",
        "MB",
        "GB",
        "TB",
        "KiB",
        "MiB",
        "GiB",
        "TiB",
        "bytes",
        "ms",
        "us",
        "ns",
        "s",
        "sec",
        "secs",
        "seconds",
        "min",
        "mins",
        "minutes",
        "h",
        "hrs",
        "hours",
    ]
)
_DATE_WORDS: Final = frozenset(
    [
        "Mon",
        "Tue",
        "Wed",
        "Thu",
        "Fri",
        "Sat",
        "Sun",
        "Jan",
        "Feb",
        "Mar",
        "Apr",
        "May",
        "Jun",
        "Jul",
        "Aug",
        "Sep",
        "Oct",
        "Nov",
        "Dec",
    ]
)
_MARKS: Final = "".join(chr(0xE001 + i) for i in range(len(KINDS)))
_TO_VAR: Final = str.maketrans(dict.fromkeys(_MARKS, VAR))
_CACHE_LIMIT: Final = 200_000

Piece = tuple[str, str]
"""A part of a raw token: (kind, text); kind is ``""`` for literal text, ``"key"`` for a
``key=`` prefix, else the name of the mask that matched."""


def kind_of(mark: str) -> str:
    """The idiom a shape's mark stands for."""
    return KINDS[ord(mark) - 0xE001]


def pieces(token: str) -> list[Piece]:
    """A raw token cut into its ``key=`` prefix, its literal text and its masked variables."""
    out: list[Piece] = []
    key, equals, _ = token.partition("=")
    pos = 0
    if equals and _KEY.fullmatch(key):
        out.append(("key", key + "="))
        pos = len(key) + 1
    for m in _MASK.finditer(token, pos):
        if m.start() > pos:
            out.append(("", token[pos : m.start()]))
        out.append((_MASK_TABLE[int(m.lastgroup[1:]) if m.lastgroup else 0][0], m.group()))
        pos = m.end()
    if pos < len(token):
        out.append(("", token[pos:]))
    return out


_INDEX: Final = {name: i for i, name in enumerate(KINDS)}


def marked(token: str) -> str:
    """A raw token with each variable replaced by the mark of its idiom."""
    return "".join(t if k in ("", "key") else chr(0xE001 + _INDEX[k]) for k, t in pieces(token))


def split_key(token: str) -> tuple[str, str]:
    """A (marked) token's ``key=`` prefix and the rest; the prefix is ``""`` if it has none."""
    key, equals, rest = token.partition("=")
    if equals and _KEY.fullmatch(key):
        return key + "=", rest
    return "", token


def grouping_tokens(token: str) -> tuple[str, ...]:
    """What one marked token gives the grouping key, before the sequence is reduced."""
    key, rest = split_key(token.translate(_TO_VAR))
    if _WORD.search(rest):
        value: tuple[str, ...] = (rest,)
    elif VAR in rest:
        value = (VAR,)
    else:
        value = ()
    return (key, *value) if key else value


def grouping_key(shape: tuple[str, ...]) -> tuple[str, ...]:
    """A shape as the grouping compares it (see the module docstring)."""
    tokens: list[str] = []
    for token in shape:
        tokens.extend(grouping_tokens(token))
    return reduce_tokens(tokens)


def reduce_tokens(tokens: list[str]) -> tuple[str, ...]:
    """Runs of variables, and of one repeated token, count once; a unit joins its number; a
    day or month name is part of the date it opens (``Fri Jun 17 07:07:00 2005``)."""
    return aligned(tokens)[0]


def aligned(tokens: list[str]) -> tuple[tuple[str, ...], list[int | None]]:
    """``reduce_tokens``, and for each token the index of the reduced token it became
    (``None``: it joined the one before)."""
    out: list[str] = []
    where: list[int | None] = []
    last = ""
    for i, token in enumerate(tokens):
        if token in _DATE_WORDS and i + 1 < len(tokens):
            after = tokens[i + 1]
            if after == VAR or after in _DATE_WORDS:
                token = VAR
        if token == last or (last == VAR and token.rstrip(",;:)]") in _UNITS):
            where.append(None)
            continue
        out.append(token)
        where.append(len(out) - 1)
        last = token
    return tuple(out), where


class Tokenizer:
    """Messages to shapes, with a bounded cache of what each raw token gives."""

    __slots__ = ("_cache",)

    def __init__(self) -> None:
        self._cache: dict[str, str] = {}

    def __call__(self, message: str) -> tuple[str, ...]:
        cache = self._cache
        shape: list[str] = []
        for raw in message.split():
            token = cache.get(raw)
            if token is None:
                token = marked(raw)
                if len(cache) < _CACHE_LIMIT:
                    cache[raw] = token
            shape.append(token)
        return tuple(shape)
