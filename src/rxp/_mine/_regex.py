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

The first that matches one line of every shape the template holds is kept. Lines of one
shape differ only in the text of their variables, so a regex that matches one of them
matches them all (``tests/mine`` checks every line of its fixtures). Whitespace between
tokens is ``\\s+``, or ``\\s*`` next to a lazy group, which may be empty; the regex allows
``\\s*`` at either end too, since a shape does not see the whitespace around a message.
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
    for strength in ("strict", "runs", "loose"):
        built = _render(items, strength)
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


def _render(items: list[_Item], strength: Strength) -> TemplateRegex:
    regex: list[str] = [r"^\s*"]
    text: list[str] = []
    names: list[str] = []
    lazy = [_lazy(item, strength) for item in items]
    if strength != "strict":  # punctuation tokens next to a run join it
        for i, item in enumerate(items):
            if item.punct and ((i > 0 and lazy[i - 1]) or (i + 1 < len(items) and lazy[i + 1])):
                lazy[i] = True
    i = 0
    while i < len(items):
        item = items[i]
        if item.first and i:
            regex.append(r"\s*" if lazy[i] or lazy[i - 1] else r"\s+")
            text.append(" ")
        if lazy[i]:
            j = i
            while j + 1 < len(items) and lazy[j + 1]:
                j += 1
            run = items[i : j + 1]
            kinds = [it.kind for it in run if it.kind]
            kind_name = _KIND_NAMES.get(kinds[0], "") if len(set(kinds)) == 1 else ""
            name = _name(_key_hint(items, i) or kind_name or _word_hint(items, i), names)
            regex.append(f"(?P<{name}>.*?)")
            text.append("<*>")
            i = j + 1
            continue
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
    return TemplateRegex("".join(regex), tuple(names), " ".join(["<*>", *text, "<*>"]))
