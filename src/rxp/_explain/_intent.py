"""What a pattern is for, in one sentence: ``summary(p, idioms(p))``.

The sentence names the idioms found (``_analysis._idioms``) and the shape of the rest, at the
level a person would say it: *a phone-number-like `DDD-DDDD` (3 digits, a hyphen, 4 digits)
between word boundaries*. It reads the pattern lowered to slots (``_analysis._slots``), so
``\\d{3}`` and ``[0-9][0-9][0-9]`` read alike, and it never lists every token: a long pattern
gets its top-level structure (what it starts with, its longest literal text, the idioms in
it and the named groups).

A short shape (``DD/DD/DDDD``, in the notation ``_shapes`` defines) is shown where it says
more than words, and only when it has no literal letters or digits (which would read as
slots).

The result is one sentence without the final full stop, never empty, so the caller can
print it alone or as ``Matches {summary}.``.
"""

from __future__ import annotations

from collections.abc import Sequence

from .._analysis._idioms import Idiom
from .._analysis._slots import (
    Choice,
    Item,
    Loop,
    Mark,
    Opaque,
    Seq,
    Slot,
    item_width,
    lower,
)
from .._syntax._ast import Capture, Pattern, walk
from .._syntax._flags import global_flags
from .._syntax._record import value
from ._shapes import (
    SHAPE_MAX,
    code,
    join,
    listed,
    literal_words,
    shape,
    slot_shape,
    slot_words,
)

__all__ = ["summary"]

_LONG = 6  # more parts than this: summarise the structure instead of listing the parts

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


@value
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


@value
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
        text += f", capturing {join(names, 'and')}"
    if "i" in flags and any(ch.isalpha() for ch in pattern.text):
        text += ", ignoring case"
    if example is not None:
        text += f", e.g. {code(example)}"
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
    drawn = _shape_of(parts)
    if drawn is not None:
        shaped = f"shaped like {code(drawn)} ({join([p.words for p in parts], '')})"
        return f"{frame.subject} {shaped}" if frame.whole else f"text {shaped}{frame.edges()}"
    said = listed([p.words for p in parts])
    return f"{frame.subject}: {said}" if frame.whole else said + frame.edges()


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
        pieces.append(f"containing {join(shown, 'and')}")
    counts: dict[tuple[str, ...], int] = {}
    for part in rest:
        for mention in part.mentions:
            counts[mention] = counts.get(mention, 0) + 1
    if counts:
        named = [_mention(names, n) for names, n in counts.items()]
        pieces.append(f"with {join(named, 'and')}")
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
            detail = ", ".join(slot_words(x, None) for x in own if isinstance(x, Slot))
            noun = _NOUNS[found.name][0]
            out.append(_Part(noun, shape(own), found, None, detail, ((found.name,),)))
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
    return _Part(literal_words(text), text, literal=text)


def _item_part(item: Item, nxt: Item | None, idioms: Sequence[Idiom], p: Pattern) -> _Part:
    inside = tuple((d.name,) for d in _within(item, idioms))
    match item:
        case Slot():
            return _Part(slot_words(item, nxt), slot_shape(item))
        case Choice(branches=branches):
            words, mentions = _choice_words(item, branches, idioms)
            return _Part(words, mentions=mentions)
        case Loop(body=body, min=lo, max=hi):
            inner = _parts(body, idioms, p) if len(body) <= 8 else []
            said = join([x.words for x in inner], "and") if 0 < len(inner) <= 2 else ""
            if len(said) > 40:
                said = ""
            nouns = join(list(dict.fromkeys(_NOUNS[n][0] for (n,) in inside)), "and")
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
        return f"one of {join(shown, 'or')}", ()
    inside = _within(item, idioms)
    exact = _exact(branches, inside)
    if exact is not None:
        return _either(list(exact)), (exact,)
    mentions = tuple((d.name,) for d in inside)
    if inside:
        named = join(list(dict.fromkeys(_NOUNS[d.name][0] for d in inside)), "or")
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
            said.append(f"{article} {join([n[2] for n in nouns], 'or')} {head}")
        else:
            said.extend(n[0] for n in nouns)
    return join(said, "or")


def _text_of(seq: Seq) -> str | None:
    out = ""
    for item in seq:
        if isinstance(item, Mark):
            continue
        if not isinstance(item, Slot) or item.text is None:
            return None
        out += item.text
    return out or None


def _shape_of(parts: list[_Part]) -> str | None:
    if any(p.shape is None or p.idiom is not None for p in parts):
        return None
    if all(p.literal is not None for p in parts):
        return None
    text = "".join(p.shape or "" for p in parts)
    return text if len(text) <= SHAPE_MAX else None
