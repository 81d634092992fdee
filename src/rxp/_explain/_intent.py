"""What a pattern is for, in one sentence: ``summary(p, idioms(p))``.

The sentence names the idioms found (``_analysis._idioms``) and the shape of the rest, at the
level a person would say it: *a phone-number-like `DDD-DDDD` (3 digits, a hyphen, 4 digits)
between word boundaries*. It reads the pattern lowered to slots (``_analysis._slots``), so
``\\d{3}`` and ``[0-9][0-9][0-9]`` read alike, and it never lists every token: a long pattern
gets its top-level structure (what it starts with, its longest literal text, the idioms in
it and the named groups).

Shape notation, used where a short shape says more than words: ``D`` a digit, ``X`` a hex
digit, ``A`` an uppercase letter, ``a`` a letter (lowercase or either case), ``w`` a letter or
digit (or word character), a space for whitespace, other characters as themselves;
``DDD`` is exactly three, ``D[DD]`` one to three, ``D…`` one or more and ``[D…]`` any number.
A shape is shown only when it has no literal letters or digits (which would read as slots)
and is short.

The result is one sentence without the final full stop, never empty, so the caller can
print it alone or as ``Matches {summary}.``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .._analysis._idioms import Idiom
from .._analysis._slots import (
    ALL,
    DIGITS,
    HEX,
    LETTERS,
    LOWER,
    SPACE,
    UPPER,
    WORD,
    Choice,
    Item,
    Loop,
    Mark,
    Opaque,
    Seq,
    Slot,
    bits,
    item_width,
    lower,
    members,
)
from .._syntax._ast import Capture, Pattern, walk
from .._syntax._flags import global_flags
from ._words import code

__all__ = ["summary"]

_LONG = 6  # more parts than this: summarise the structure instead of listing the parts
_SHAPE_MAX = 24

# name -> (singular with article, plural, adjective, head noun)
_NOUNS: dict[str, tuple[str, str, str, str]] = {
    "phone-like": ("a phone-number-like number", "phone-number-like numbers", "", ""),
    "ipv4": ("an IPv4 address", "IPv4 addresses", "IPv4", "address"),
    "ipv6": ("an IPv6 address", "IPv6 addresses", "IPv6", "address"),
    "mac-address": ("a MAC address", "MAC addresses", "MAC", "address"),
    "email": ("an email address", "email addresses", "email", "address"),
    "uuid": ("a UUID", "UUIDs", "", ""),
    "url": ("a URL", "URLs", "", ""),
    "hostname": ("a hostname", "hostnames", "", ""),
    "iso-date": ("an ISO 8601 date", "ISO 8601 dates", "ISO 8601", "date"),
    "time-of-day": ("a time of day", "times of day", "", ""),
    "iso-datetime": ("an ISO 8601 date-time", "ISO 8601 date-times", "ISO 8601", "date-time"),
    "syslog-timestamp": ("a syslog timestamp", "syslog timestamps", "syslog", "timestamp"),
    "clf-timestamp": ("a web-server log timestamp", "web-server log timestamps", "", ""),
    "integer": ("an integer", "integers", "", ""),
    "decimal": ("a decimal number", "decimal numbers", "decimal", "number"),
    "hex": ("a hex number", "hex numbers", "hex", "number"),
    "hex-color": ("a hex color", "hex colors", "", ""),
    "quoted-string": ("a quoted string", "quoted strings", "", ""),
    "key-value": ("a key=value pair", "key=value pairs", "", ""),
    "trailing-whitespace": ("trailing whitespace", "trailing whitespace", "", ""),
    "log-level": ("a log level", "log levels", "", ""),
    "semver": ("a semantic version", "semantic versions", "", ""),
    "http-method": ("an HTTP method", "HTTP methods", "", ""),
    "unix-path": ("a Unix path", "Unix paths", "", ""),
}
_NUMBERS = {2: "two", 3: "three", 4: "four", 5: "five", 6: "six"}

_CHAR_NAMES = {
    "-": "a hyphen",
    ".": "a dot",
    ":": "a colon",
    ",": "a comma",
    ";": "a semicolon",
    "/": "a slash",
    " ": "a space",
    "\t": "a tab",
    "_": "an underscore",
    "\n": "a newline",
}

# set -> (one, many, shape letter); the first that equals the set wins
_SETS: tuple[tuple[int, str, str, str], ...] = (
    (DIGITS, "a digit", "digits", "D"),
    (HEX, "a hex digit", "hex digits", "X"),
    (DIGITS | bits("abcdef"), "a hex digit", "hex digits", "X"),
    (DIGITS | bits("ABCDEF"), "a hex digit", "hex digits", "X"),
    (LETTERS, "a letter", "letters", "a"),
    (LOWER, "a lowercase letter", "lowercase letters", "a"),
    (UPPER, "an uppercase letter", "uppercase letters", "A"),
    (LETTERS | DIGITS, "a letter or digit", "letters or digits", "w"),
    (WORD, "a word character", "word characters", "w"),
    (SPACE, "a whitespace character", "whitespace", " "),
    (bits(" \t"), "a space or tab", "spaces or tabs", " "),
    (ALL, "any character", "characters", ""),
    (ALL & ~bits("\n"), "any character", "characters", ""),
)


@dataclass(frozen=True, slots=True)
class _Part:
    """One piece of the sentence: its ``words``; its ``shape`` where it has one; the idiom
    or the literal text it stands for; ``mentions``, the idioms inside it, each a tuple of
    names (more than one for an alternation of idioms: "an IPv4 or IPv6 address")."""

    words: str
    shape: str | None = None
    idiom: Idiom | None = None
    literal: str | None = None
    detail: str = ""
    mentions: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True, slots=True)
class _Frame:
    """Where the pattern stands: ``whole`` (anchored at both ends), the anchors and word
    boundaries around it, and whether ``^``/``$`` mean a line or the text."""

    whole: bool
    lead: frozenset[str]
    trail: frozenset[str]
    place: str

    @property
    def subject(self) -> str:
        return "a whole line" if self.place == "a line" else "the whole text"

    def edges(self, *, words: bool = True) -> str:
        """The anchors as a phrase after the body ("at the start of the text")."""
        if self.lead & {"line_start", "text_start"}:
            return f" at the start of {self.place}"
        if self.trail & {"line_end", "text_end"}:
            return f" at the end of {self.place}"
        if not words:
            return ""
        if "word_boundary" in self.lead and "word_boundary" in self.trail:
            return " between word boundaries"
        if "word_boundary" in self.lead:
            return " starting at a word boundary"
        if "word_boundary" in self.trail:
            return " ending at a word boundary"
        return ""


def summary(pattern: Pattern, idioms: Sequence[Idiom], example: str | None = None) -> str:
    """One sentence saying what ``pattern`` matches, naming ``idioms`` (as found by
    ``rxp._analysis._idioms.idioms(pattern)``) and the shape of the rest; ``example``, a
    string the caller has checked matches, is quoted at the end ("e.g. `555-1234`")."""
    seq = lower(pattern)
    flags = global_flags(pattern)
    start = 0
    while start < len(seq) and isinstance(seq[start], Mark):
        start += 1
    end = len(seq)
    while end > start and isinstance(seq[end - 1], Mark):
        end -= 1
    lead = frozenset(m.kind for m in seq[:start] if isinstance(m, Mark))
    trail = frozenset(m.kind for m in seq[end:] if isinstance(m, Mark))
    if start == end:  # nothing but zero-width assertions: they all stand on both sides
        trail = lead
    whole = bool(lead & {"line_start", "text_start"} and trail & {"line_end", "text_end"})
    frame = _Frame(whole, lead, trail, "a line" if "m" in flags else "the text")
    parts = _parts(seq[start:end], idioms, pattern)
    text = _body(parts, frame) if len(parts) <= _LONG else _structure(parts, idioms, frame)
    named = [n.name for n in walk(pattern) if isinstance(n, Capture) and n.name is not None]
    names = [code(n) for n in dict.fromkeys(named)]
    if names:
        if len(names) > 6:
            names = [*names[:5], f"{len(names) - 5} more"]
        text += f", capturing {_join(names, 'and')}"
    if "i" in flags and any(ch.isalpha() for ch in pattern.text):
        text += ", ignoring case"
    if example is not None:
        shown = example if example.isprintable() else example.encode("unicode_escape").decode()
        text += f", e.g. {code(shown)}"
    return text


def _body(parts: list[_Part], frame: _Frame) -> str:
    """A short pattern: its one idiom, its shape, or its parts one by one."""
    if not parts:
        if frame.whole:
            return f"an empty {frame.place.split()[-1]}"
        return "the empty string" + frame.edges()
    single = parts[0] if len(parts) == 1 else None
    if single is not None:
        noun = single.words
        found = single.idiom
        if found is not None and single.shape is not None:
            if found.name == "phone-like":
                noun = f"a phone-number-like {code(single.shape)} ({single.detail})"
            elif found.name in ("iso-date", "time-of-day"):
                noun = f"{noun} {code(single.shape)}"
        if frame.whole:
            return f"{frame.subject} that is {noun}"
        if found is not None and found.name == "trailing-whitespace":
            return noun  # its $ is part of it
        return noun + frame.edges()
    shape = _shape_of(parts)
    if shape is not None:
        listed = f"text shaped like {code(shape)} ({_join([p.words for p in parts], '')})"
    else:
        listed = _list([p.words for p in parts])
    return f"{frame.subject}: {listed}" if frame.whole else listed + frame.edges()


def _structure(parts: list[_Part], idioms: Sequence[Idiom], frame: _Frame) -> str:
    """A long pattern in brief: what it starts with, its literal words, its idioms."""
    head = frame.subject if frame.whole else "text"
    first = parts[0]
    rest = parts
    if first.idiom is not None or first.literal is not None:
        head += f" starting with {first.words}"
        rest = parts[1:]
    pieces: list[str] = []
    words = [p.literal.strip(" ") for p in rest if p.literal is not None]
    words = list(dict.fromkeys(w for w in words if len(w) >= 3 and any(c.isalpha() for c in w)))
    if words:
        shown = [code(w) for w in words[:3]]
        if len(words) > 3:
            shown.append("more")
        pieces.append(f"containing {_join(shown, 'and')}")
    counts: dict[tuple[str, ...], int] = {}
    for part in rest:
        for mention in part.mentions:
            counts[mention] = counts.get(mention, 0) + 1
    if counts:
        named = [_mention(names, n) for names, n in counts.items()]
        pieces.append(f"with {_join(named, 'and')}")
    if not frame.whole and frame.edges(words=False):
        pieces.append(frame.edges(words=False).strip())
    if not pieces:
        return head
    joint = ", " if rest is not parts else " "
    return head + joint + ", ".join(pieces)


def _mention(names: tuple[str, ...], count: int) -> str:
    if len(names) > 1:
        return _either(list(names))
    if count == 1:
        return _NOUNS[names[0]][0]
    return f"{_NUMBERS.get(count, str(count))} {_NOUNS[names[0]][1]}"


# --- the parts of a sequence -------------------------------------------------------------------


def _covering(item: Item, idioms: Sequence[Idiom]) -> Idiom | None:
    for found in idioms:
        if found.span.start <= item.span.start and item.span.end <= found.span.end:
            return found
    return None


def _within(item: Item, idioms: Sequence[Idiom]) -> list[Idiom]:
    return [d for d in idioms if item.span.start <= d.span.start and d.span.end <= item.span.end]


def _parts(core: Seq, idioms: Sequence[Idiom], p: Pattern) -> list[_Part]:
    """The parts of a sequence, in order: an idiom's items as one part, a run of literal
    characters as one part, every other item as a part of its own."""
    out: list[_Part] = []
    k = 0
    while k < len(core):
        item = core[k]
        found = _covering(item, idioms)
        if found is not None:
            j = k
            while j < len(core) and _covering(core[j], idioms) is found:
                j += 1
            own = [x for x in core[k:j] if not isinstance(x, Mark)]
            detail = ", ".join(_slot_words(x, None) for x in own if isinstance(x, Slot))
            noun = _NOUNS[found.name][0]
            out.append(_Part(noun, _shape(own), found, None, detail, ((found.name,),)))
            k = j
            continue
        if isinstance(item, Slot) and item.text is not None:
            j = k
            text = ""
            while j < len(core):
                piece = core[j]
                if not isinstance(piece, Slot) or piece.text is None:
                    break
                text += piece.text
                j += 1
            out.append(_literal(text))
            k = j
            continue
        if not isinstance(item, Mark):
            nxt = core[k + 1] if k + 1 < len(core) else None
            out.append(_item_part(item, nxt, idioms, p))
        k += 1
    return out


def _literal(text: str) -> _Part:
    if text in _CHAR_NAMES:
        return _Part(_CHAR_NAMES[text], text, literal=text)
    if text.strip(" ") == "":
        return _Part(f"{len(text)} spaces", text, literal=text)
    shown = text.strip(" ")
    if shown in _CHAR_NAMES:  # " - " reads "a hyphen"
        return _Part(_CHAR_NAMES[shown], text, literal=text)
    if not shown.isprintable():
        shown = shown.encode("unicode_escape").decode("ascii")
    return _Part(code(shown), text, literal=text)


def _item_part(item: Item, nxt: Item | None, idioms: Sequence[Idiom], p: Pattern) -> _Part:
    inside = tuple((d.name,) for d in _within(item, idioms))
    match item:
        case Slot():
            return _Part(_slot_words(item, nxt), _slot_shape(item))
        case Choice(branches=branches):
            words, mentions = _choice_words(item, branches, idioms)
            return _Part(words, mentions=mentions)
        case Loop(body=body, min=lo, max=hi):
            inner = _parts(body, idioms, p) if len(body) <= 8 else []
            said = _list([x.words for x in inner]) if 0 < len(inner) <= 2 else ""
            if len(said) > 40:
                said = ""
            nouns = _join(list(dict.fromkeys(_NOUNS[n][0] for (n,) in inside)), "and")
            with_nouns = f" with {nouns}" if nouns else ""
            if (lo, hi) == (0, 1):
                words = f"optionally {said}" if said else f"an optional part{with_nouns}"
                return _Part(words, mentions=inside)
            if said:
                again = ", repeated" if lo >= 1 else ", any number of times"
                return _Part(said + again, mentions=inside)
            return _Part(f"a repeated part{with_nouns}", mentions=inside)
        case Opaque(span=span):
            text = span.slice(p.text)
            plain = len(text) <= 20 and text.isprintable()
            return _Part(code(text) if plain else "something", mentions=inside)
        case Mark():
            return _Part("")
    raise AssertionError(item)


def _choice_words(
    item: Choice, branches: tuple[Seq, ...], idioms: Sequence[Idiom]
) -> tuple[str, tuple[tuple[str, ...], ...]]:
    """An alternation in words, and the idioms it mentions."""
    words = [_text_of(b) for b in branches]
    if all(w is not None for w in words):
        shown = [code(w) for w in words if w is not None]
        if len(shown) > 4:
            return f"one of {len(shown)} words ({', '.join(shown[:3])}, ...)", ()
        return f"one of {_join(shown, 'or')}", ()
    inside = _within(item, idioms)
    exact = _exact(branches, inside)
    if exact is not None:
        return _either(list(exact)), (exact,)
    mentions = tuple((d.name,) for d in inside)
    if inside:
        named = _join(list(dict.fromkeys(_NOUNS[d.name][0] for d in inside)), "or")
        return f"one of {len(branches)} alternatives ({named})", mentions
    return f"one of {len(branches)} alternatives", ()


def _exact(branches: tuple[Seq, ...], inside: list[Idiom]) -> tuple[str, ...] | None:
    """The idioms of an alternation whose every branch is exactly one idiom, or an
    alternation of such (``(?:IPV6|IPV4)|HOSTNAME``); None otherwise."""
    names: list[str] = []
    for branch in branches:
        own = [x for x in branch if not isinstance(x, Mark)]
        match = [
            d
            for d in inside
            if any(_covering(x, (d,)) for x in own)
            and all(_covering(x, (d,)) or item_width(x)[0] == 0 for x in own)
        ]
        if match:
            names.append(match[0].name)
            continue
        nested = own[0] if len(own) == 1 and isinstance(own[0], Choice) else None
        found = _exact(nested.branches, inside) if nested is not None else None
        if found is None:
            return None
        names.extend(found)
    return tuple(dict.fromkeys(names))


def _either(names: list[str]) -> str:
    """Nouns joined by "or", sharing a head noun: "an IPv4 or IPv6 address or a hostname"."""
    groups: dict[str, list[tuple[str, str, str, str]]] = {}
    for name in dict.fromkeys(names):
        noun = _NOUNS[name]
        groups.setdefault(noun[3] or noun[0], []).append(noun)
    said = []
    for head, nouns in groups.items():
        if len(nouns) > 1 and all(n[2] for n in nouns):
            article = nouns[0][0].split(" ", 1)[0]
            said.append(f"{article} {_join([n[2] for n in nouns], 'or')} {head}")
        else:
            said.extend(n[0] for n in nouns)
    return _join(said, "or")


def _text_of(seq: Seq) -> str | None:
    out = ""
    for item in seq:
        if isinstance(item, Mark):
            continue
        if not isinstance(item, Slot) or item.text is None:
            return None
        out += item.text
    return out or None


# --- slots in words and shapes -----------------------------------------------------------------


def _named(chars: int) -> tuple[str, str, str] | None:
    for known, one, many, letter in _SETS:
        if chars == known:
            return one, many, letter
    return None


def _excluded(chars: int) -> str | None:
    """The characters a broad negated set leaves out, when they are few."""
    left = members(ALL & ~chars)
    return left if 0 < len(left) <= 6 else None


def _char_words(ch: str) -> str:
    return _CHAR_NAMES.get(ch, code(ch))


def _slot_words(s: Slot, nxt: Item | None) -> str:
    if s.text is not None:
        return _literal(s.text).words
    lo, hi = s.min, s.max
    named = _named(s.chars)
    left = _excluded(s.chars)
    if left is not None or (named is not None and not named[2]):
        return _broad_words(s, left, nxt)
    if named is None:
        few = members(s.chars)
        if len(few) <= 3:
            return _counted(_join([_char_words(c) for c in few], "or"), None, lo, hi)
        return _counted("a character from a set", "characters from a set", lo, hi)
    one, many, _ = named
    special = {
        LETTERS: "a word of letters",
        LOWER: "a word of lowercase letters",
        UPPER: "a word of uppercase letters",
        WORD: "a word",
        LETTERS | DIGITS: "a word",
        DIGITS: "a number",
        SPACE: "whitespace",
    }.get(s.chars)
    if hi is None and lo <= 1 and special is not None:
        return f"optional {special}" if lo == 0 and s.chars == SPACE else special
    return _counted(one, many, lo, hi)


def _broad_words(s: Slot, left: str | None, nxt: Item | None) -> str:
    """Any character (``.``), or all but a few (``[^"]``, ``\\S``)."""
    lo, hi = s.min, s.max
    follow = nxt.text[0] if isinstance(nxt, Slot) and nxt.text else None
    if hi is None and follow is not None and (left is None or follow in left):
        return f"anything up to {_char_words(follow)}"
    if left is None:
        if hi is None:
            return "anything" if lo == 0 else "something"
        return _counted("any character", "characters", lo, hi)
    if set(left) == set(" \t\n\r\f\v"):
        if hi is None and lo <= 1:
            return "a run of non-space characters"
        return _counted("a non-space character", "non-space characters", lo, hi)
    but = _join([_char_words(c) for c in left], "or")
    return f"a character but {but}" if lo == hi == 1 else f"anything but {but}"


def _counted(one: str, many: str | None, lo: int, hi: int | None) -> str:
    plural = many or f"characters among {one}"
    if lo == hi:
        return one if lo == 1 else f"{lo} {plural}"
    if (lo, hi) == (0, 1):
        return f"optionally {one}"
    if hi is None:
        return {0: f"any number of {plural}", 1: f"one or more {plural}"}.get(
            lo, f"at least {lo} {plural}"
        )
    return f"{lo} to {hi} {plural}" if lo else f"up to {hi} {plural}"


def _slot_shape(s: Slot) -> str | None:
    if s.text is not None:
        if any(c.isalnum() or c == "`" for c in s.text):
            return None
        return s.text
    named = _named(s.chars)
    letter = named[2] if named is not None else ""
    if not letter:
        return None
    lo, hi = s.min, s.max
    if hi is None:
        return letter * lo + "…" if lo >= 1 else f"[{letter}…]"
    if hi > 8:
        return None
    return letter * lo + (f"[{letter * (hi - lo)}]" if hi > lo else "")


def _shape(items: Sequence[Item]) -> str | None:
    out = ""
    for item in items:
        if not isinstance(item, Slot):
            return None
        piece = _slot_shape(item)
        if piece is None:
            return None
        out += piece
    return out if 0 < len(out) <= _SHAPE_MAX else None


def _shape_of(parts: list[_Part]) -> str | None:
    if any(p.shape is None or p.idiom is not None for p in parts):
        return None
    if all(p.literal is not None for p in parts):
        return None
    text = "".join(p.shape or "" for p in parts)
    return text if len(text) <= _SHAPE_MAX else None


def _join(items: list[str], word: str) -> str:
    if not word:
        return ", ".join(items)
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {word} {items[-1]}"


def _list(items: list[str]) -> str:
    """ "A, B, then C"."""
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])}, then {items[-1]}"
