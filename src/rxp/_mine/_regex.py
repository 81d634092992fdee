"""A template as a regex with named groups, and as Drain's ``<*>`` text.

The regex is written from one line of the template (the first line of its largest shape,
``_tokens``), token by token, and comes in four strengths, strictest first:

1. *strict*: the line's own text, each masked variable a group with its idiom's regex, and
   a lazy group over any text where the template varies by word (``user (?P<user>.*?)``);
2. *runs*: as strict, but where the template varies the whole run of tokens (punctuation,
   repeated and absorbed tokens included) is one lazy group, so one group spans what lines
   spell as one, two or no words;
3. *loose*: as runs, with every variable a lazy group;
4. *skeleton*: the template's constant words in order with a lazy group between each two,
   which every line of the template matches by construction.

The first that matches one line of every shape the template holds is kept; the middle two
are tried with the brackets around a group kept out of it, then in. Lines of one
shape differ only in the text of their variables, so a regex that matches one of them
matches them all (``tests/mine`` checks every line of its fixtures). Whitespace between
tokens is ``\\s+``; a lazy group between tokens carries the whitespace on one side inside an
optional group (``from(?:\\s+(?P<ip>.*?))?\\s+at``), so it may be empty or absent while every
constant still matches only a whole token (``at`` never inside ``static``); a token with a
lazy piece is lazy as a whole, and a group leaves out the brackets and punctuation around
it that are not its own (``(estimated size <*>, free <*>)``), so ``rxp parse --patterns``
takes every group as a whole value. The regex allows ``\\s*`` at either end, since a shape
does not see the whitespace around a message.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final, Literal

from ._group import skeleton
from ._tokens import MASKS, VAR, aligned, grouping_tokens, marked, pieces, split_key

__all__ = ["TemplateRegex", "template_regex"]

# the name a group takes from the idiom its text is
_KIND_NAMES: Final = {
    "url": "url",
    "uuid": "uuid",
    "mac-address": "mac",
    "iso-datetime": "timestamp",
    "iso-date": "date",
    "host-port": "address",
    "ipv4": "ip",
    "time-of-day": "time",
    "unix-path": "path",
    "relative-path": "path",
    "hostname": "host",
    "duration": "duration",
    "size": "size",
}
# the name a group takes from the word before it, when its idiom says nothing
_WORD_NAMES: Final = {
    "user": "user",
    "users": "user",
    "username": "user",
    "port": "port",
    "pid": "pid",
    "uid": "uid",
    "gid": "gid",
    "block": "block",
    "blk": "block",
    "host": "host",
    "size": "size",
    "time": "duration",
    "took": "duration",
    "lifetime": "duration",
    "elapsed": "duration",
    "id": "id",
    "session": "session",
    "status": "status",
    "code": "code",
    "len": "length",
    "length": "length",
    "state": "state",
    "path": "path",
    "file": "path",
    "thread": "thread",
    "version": "version",
}
_IDENT: Final = re.compile(r"[^0-9A-Za-z_]+")
_NUMBERED: Final = re.compile(r"v\d+")
_LETTERS: Final = re.compile(r"[A-Za-z]+")
_OPENING: Final = re.compile(r"[(\[{]*")
_CLOSERS: Final = frozenset(")]},;:.!?")
_PAIRS: Final = {")": "(", "]": "[", "}": "{"}
# the strengths tried in turn, each with the brackets around a group kept out of it, then in
_STRENGTHS: Final[tuple[tuple[Strength, bool], ...]] = (
    ("strict", True),
    ("runs", True),
    ("runs", False),
    ("loose", True),
    ("loose", False),
)

Strength = Literal["strict", "runs", "loose"]


@dataclass(frozen=True, slots=True)
class TemplateRegex:
    """A template's regex, its group names in order, and its ``<*>`` text."""

    regex: str
    groups: tuple[str, ...]
    text: str


@dataclass(frozen=True, slots=True)
class _Item:
    """A piece of the line: literal text, a masked variable (``kind``), or text where the
    template varies (``varies``); ``absorbed``: a token the grouping counted as part of the
    one before it; ``key``: a ``key=`` prefix; ``first``: the piece opens a raw token."""

    text: str
    kind: str = ""
    varies: bool = False
    absorbed: bool = False
    key: bool = False
    punct: bool = False
    first: bool = False


def template_regex(shape: tuple[str, ...], example: str, lines: Sequence[str]) -> TemplateRegex:
    """The regex of the template ``shape`` (reduced tokens, ``VAR`` where it varies), written
    from ``example`` (one of its lines) and checked on ``lines`` (one line of each shape)."""
    items = _items(shape, example)
    for strength, brackets in _STRENGTHS:
        built = _render(items, strength, brackets)
        if _matches_all(built.regex, lines):
            return built
    return _skeleton(shape)


def _items(template: tuple[str, ...], example: str) -> list[_Item]:
    raw_tokens = example.split()
    flat: list[str] = []
    owner: list[tuple[int, bool]] = []  # (raw token, is its key)
    for t, raw in enumerate(raw_tokens):
        token = marked(raw)
        entries = grouping_tokens(token)
        has_key = bool(split_key(token)[0])
        for j, entry in enumerate(entries):
            flat.append(entry)
            owner.append((t, has_key and j == 0))
    index = aligned(flat)[1]
    # for each raw token: does its key vary, does its value vary, was its value absorbed
    key_varies: set[int] = set()
    value_varies: set[int] = set()
    absorbed: set[int] = set()
    for g, (t, is_key) in enumerate(owner):
        k = index[g]
        if k is None:
            absorbed.add(t)
            continue
        if template[k] == VAR or flat[g] == VAR:
            (key_varies if is_key else value_varies).add(t)
    items: list[_Item] = []
    for t, raw in enumerate(raw_tokens):
        cut = pieces(raw)
        first = True
        for kind, text in cut:
            if kind == "key":
                items.append(_Item(text, key=True, varies=t in key_varies, first=first))
            else:
                items.append(
                    _Item(
                        text,
                        kind=kind,
                        varies=t in value_varies,
                        absorbed=t in absorbed,
                        punct=not kind and not any(c.isalnum() for c in text),
                        first=first,
                    )
                )
            first = False
    return items


def _lazy(item: _Item, strength: Strength) -> bool:
    """Whether ``item`` belongs to a lazy group at this strength."""
    if strength == "strict":
        return item.varies and not item.kind and not item.punct and not item.key
    if item.varies or item.absorbed:
        return True
    return strength == "loose" and bool(item.kind)


def _render(items: list[_Item], strength: Strength, brackets: bool) -> TemplateRegex:
    regex: list[str] = [r"^\s*"]
    text: list[str] = []
    names: list[str] = []
    lazy = [_lazy(item, strength) for item in items]
    # a token with a lazy piece is one lazy group: a group never ends inside a token, where
    # it could cut a bracket or a quote in two (``su(pam_unix)[`` and then a number)
    start = 0
    for i in range(1, len(items) + 1):
        if i == len(items) or items[i].first:
            if any(lazy[start:i]) and not any(it.key for it in items[start:i]):
                lazy[start:i] = [True] * (i - start)
            start = i
    if strength != "strict":  # punctuation tokens next to a run join it
        for i, item in enumerate(items):
            if item.punct and ((i > 0 and lazy[i - 1]) or (i + 1 < len(items) and lazy[i + 1])):
                lazy[i] = True
    i = 0
    spaced = False  # the last group took the whitespace after it
    while i < len(items):
        item = items[i]
        boundary = item.first and i > 0
        if boundary:
            text.append(" ")
        if lazy[i]:
            j = i
            while j + 1 < len(items) and lazy[j + 1]:
                j += 1
            run = items[i : j + 1]
            kinds = [it.kind for it in run if it.kind]
            kind_name = _KIND_NAMES.get(kinds[0], "") if len(set(kinds)) == 1 else ""
            name = _name(_key_hint(items, i) or kind_name or _word_hint(items, i), names)
            # a group between tokens takes the whitespace on one side with it, optionally, so
            # it may be empty or absent while the words around it stay whole words
            ends_token = j + 1 < len(items) and items[j + 1].first
            lead, trail = (
                _brackets(run, j + 1 == len(items) or ends_token) if brackets else ("", "")
            )
            group = f"{re.escape(lead)}(?P<{name}>.*?){re.escape(trail)}"
            text.append(f"{lead}<*>{trail}")
            i = j + 1
            if boundary and not spaced:
                regex.append(rf"(?:\s+{group})?")
            elif i == 1 and ends_token:
                regex.append(rf"(?:{group}\s+)?")
                spaced = True
                continue
            else:
                regex.append(group)
            spaced = False
            continue
        if boundary and not spaced:
            regex.append(r"\s+")
        spaced = False
        if item.kind:
            name = _name(
                _key_hint(items, i) or _KIND_NAMES.get(item.kind, "") or _word_hint(items, i),
                names,
            )
            regex.append(_typed(name, item.kind, names))
            text.append("<*>")
        else:
            regex.append(re.escape(item.text))
            text.append(item.text)
        i += 1
    regex.append(r"\s*$")
    return TemplateRegex("".join(regex), tuple(names), "".join(text))


def _brackets(run: list[_Item], ends_token: bool) -> tuple[str, str]:
    """The opening brackets a run starts with, and the punctuation and closing brackets it
    ends with that are not its own, kept out of its group: ``(estimated size <*>, free
    <*>)`` rather than a value ``5 KB)`` that cuts the brackets around it in two."""
    first, last = run[0], run[-1]
    opening = _OPENING.match(first.text)
    lead = opening.group() if opening and first.first and not first.kind else ""
    if not ends_token or last.kind:
        return lead, ""
    body = " ".join(it.text for it in run)[len(lead) :]
    end = len(body)
    while end and body[end - 1] in _CLOSERS:
        char = body[end - 1]
        pair = _PAIRS.get(char)
        if pair is not None and body.count(pair, 0, end) > body.count(char, 0, end - 1):
            break  # it closes a bracket the value opened: it stays in the value
        end -= 1
    return lead, body[end:]


def _typed(name: str, kind: str, names: list[str]) -> str:
    """A group for one masked variable, with its idiom's regex (an address as host and port)."""
    if kind == "host-port":
        names.remove(name)
        host, port = _name("host", names), _name("port", names)
        return rf"(?P<{host}>[a-zA-Z0-9-]+(?:\.[a-zA-Z0-9-]+)+):(?P<{port}>\d+)"
    body = MASKS[kind]
    return f"(?P<{name}>{body})"


def _key_hint(items: list[_Item], i: int) -> str:
    """The key a value follows in its token (``uid=`` for ``uid=0``)."""
    if i and items[i - 1].key and not items[i].first:
        return items[i - 1].text.rstrip("=").lstrip("([{\"',")
    return ""


def _word_hint(items: list[_Item], i: int) -> str:
    """The name the word before a variable gives it (``port 22``, ``blk_123``)."""
    for item in reversed(items[:i]):
        if item.kind or item.varies:
            return ""
        words = _LETTERS.findall(item.text)
        if words:
            return _WORD_NAMES.get(words[-1].lower(), "")
    return ""


def _name(base: str, taken: list[str]) -> str:
    base = _IDENT.sub("_", base).strip("_").lower() or "v"
    if base[0].isdigit():
        base = "v" + base
    if base == "v" or _NUMBERED.fullmatch(base):
        name = f"v{sum(1 for n in taken if _NUMBERED.fullmatch(n)) + 1}"
    else:
        name, n = base, 2
        while name in taken:
            name, n = f"{base}_{n}", n + 1
    while name in taken:
        name += "_"
    taken.append(name)
    return name


def _matches_all(regex: str, lines: Sequence[str]) -> bool:
    try:
        compiled = re.compile(regex)
    except (re.error, RecursionError, OverflowError):
        return False
    return all(compiled.match(line) for line in lines)


def _skeleton(template: tuple[str, ...]) -> TemplateRegex:
    """The template's constant words in order, any text between them. A word repeated in a
    row is written once: templates merged by their skeleton (``_group.skeleton``) share only
    that, and a line of one may hold the word once where another holds it twice."""
    names: list[str] = []
    regex = ["^"]
    text: list[str] = []
    for token in skeleton(template):
        regex.append(f"(?P<{_name('v', names)}>.*?)")
        regex.append(".*?".join(re.escape(part) for part in token.split(VAR)))
        text.append(token.replace(VAR, "<*>"))
    regex.append(f"(?P<{_name('v', names)}>.*?)$")
    return TemplateRegex("".join(regex), tuple(names), " <*> ".join(["<*>", *text, "<*>"]))
