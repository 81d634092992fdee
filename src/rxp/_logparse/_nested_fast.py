"""A hand-written reader for ``grammars/nested.lark``: the value Lark's LALR parse folded by
``_nested`` gives, ten times faster (the pre-check skipped too), or ``None`` where it
cannot tell.

Why it can be exact: the grammar is small, and its lexer is the whole difficulty. Lark's
contextual lexer tries, in each parser state, the terminals that state accepts as one
Python alternation ordered by priority then width, so the first alternative that matches
wins (``TAG`` over ``SYMBOL`` over ``KEY`` over ``WORD``). The states fall in three sets:

- after ``TAG``: only the brackets (``TAG``'s look-ahead already promised one);
- after a quoted string or ``:symbol`` that opens an entry: everything plus ``ASSIGN``
  (``=>``, ``=``, ``:``), tried after ``TAG``/``SYMBOL``/``KEY``, so ``"a" :b => 1`` still
  reads the symbol, and ``"a" :b`` reads ``:`` as the operator;
- everywhere else: everything but ``ASSIGN`` (which closing brackets a state takes decides
  only the error message, and any error here means ``None``).

Speed comes from reading several tokens per regex match where the grammar allows no choice:
a key with the words of its value (``id=42``), a run of words (one atom, its source text from
the first word to the last), a quoted key with its operator, a tag with its bracket, and the
separators and white space before an entry (``_SEP`` and ``%ignore`` tokens change nothing
there). "A word" at a position is ``WORD`` where ``TAG``, ``SYMBOL`` and ``KEY`` do not
match, the alternation's own rule, written as a negative look-ahead. Every repeat is
possessive: each terminal is shown (in the comments) to match its greedy run or nothing,
so possessive changes no answer and a failing attempt costs one pass.

The parser is the grammar's (``entry: KEY value? | qkey ASSIGN value? | value``) on an
explicit stack; the fold is ``_nested._body``'s (``Fields`` for pairs, positional entries
under ``"@values"``). It refuses (``None``) whatever ``_nested``'s pre-check would refuse
(deeper than ``MAX_DEPTH``; an unbalanced bracket or quote, which Lark refuses too), so a
value from here is the value ``parse_nested`` gave before it existed.
"""

from __future__ import annotations

import re

from ._records import Fields, JSONValue
from ._scan import MAX_DEPTH, unquote

__all__ = ["TERMINALS", "body_record", "fast_body", "fast_nested", "fast_value"]

POSITIONAL = "@values"

#: The grammar's terminals as Lark compiles them (a test compares them with Lark's).
TERMINALS: dict[str, str] = {
    "TAG": r"[\w$@][\w.$@\-]*(?=[ \t]*\{|[\[(])",
    "SYMBOL": r":[A-Za-z_][\w?!]*(?=\s*=>)",
    "KEY": r"""[^\s,;{}\[\]()"'=:]+[ \t]*(?:=>|=|:(?=[\s{\["']|$))""",
    "ASSIGN": r"=>|=|:",
    "WORD": r"""[^\s,;{}\[\]()"'](?:[^\s,;{}\[\]()"']|(?<=[^\W_])')*""",
    "DQ": r'(?s:"[^"\\]*(?:\\.[^"\\]*)*")',
    "SQ": r"(?s:'[^'\\]*(?:\\.[^'\\]*)*')",
    "_SEP": r"[,;]",
}

# The same terminals, possessive. TAG, SYMBOL, KEY: a shorter run would leave one of the
# run's own characters next, which the look-ahead or the operator after it never accepts.
# WORD: the lexer takes its longest match. DQ, SQ: one way to match at most.
_TAG = r"[\w$@][\w.$@\-]*+(?=[ \t]*\{|[\[(])"
_SYMBOL = r":[A-Za-z_][\w?!]*+(?=\s*=>)"
_NAME = r"""[^\s,;{}\[\]()"'=:]"""
_OP = r"""[ \t]*+(?:=>|=|:(?=[\s{\["']|$))"""
_KEY = f"{_NAME}{_NAME}*+{_OP}"
_WCHAR = r"""[^\s,;{}\[\]()"']"""
_WORD = rf"{_WCHAR}(?:{_WCHAR}++|(?<=[^\W_])')*+"
_DQ = r'"[^"\\]*+(?:\\.[^"\\]*+)*+"'
_SQ = r"'[^'\\]*+(?:\\.[^'\\]*+)*+'"
# a WORD where the lexer reads one: no TAG, SYMBOL or KEY at that position
_NOT_WORD = f"(?!{_TAG}|{_SYMBOL}|{_KEY})"
# the words of one atom (WORD+): the first is known to be a word, the rest are checked
_RUN = rf"{_WORD}(?:\s*+{_NOT_WORD}{_WORD})*+"

# An entry, after any separators: the groups name what was read.
_ENTRY = re.compile(
    rf"""[\s,;]*+(?:
    ({_TAG})[ \t]*+[{{(\[]                              # 1 Name{{ (the bracket included)
    |([{{(\[])                                          # 2 an opening bracket
    |([}})\]])                                          # 3 a closing one
    |(({_NAME}{_NAME}*+){_OP})(?:\s*+{_NOT_WORD}({_RUN}))?  # 4 KEY, 5 its name, 6 words
    |(?:({_DQ})|({_SQ})|({_SYMBOL}))(?:\s*+(?!{_SYMBOL})(=>|=|:))?  # 7-9 quoted, 10 op
    |({_RUN})                                           # 11 words
    |(\Z)                                               # 12 the end
    )""",
    re.S | re.X,
)
_E_TAG, _E_OPEN, _E_CLOSE, _E_KEY, _E_NAME, _E_KEYRUN = range(1, 7)
_E_DQ, _E_SQ, _E_SYMBOL, _E_ASSIGN, _E_RUN, _E_END = range(7, 13)

# The value after a KEY or an ASSIGN; no match: the key has none (``""``).
_VALUE = re.compile(
    rf"""\s*+(?:
    ({_TAG})[ \t]*+[{{(\[]          # 1
    |([{{(\[])                      # 2
    |({_SYMBOL})                    # 3
    |({_DQ})                        # 4
    |({_SQ})                        # 5
    |(?!{_KEY})({_RUN})             # 6
    )""",
    re.S | re.X,
)
_V_TAG, _V_OPEN, _V_SYMBOL, _V_DQ, _V_SQ, _V_RUN = range(1, 7)

_CLOSER = {"{": "}", "[": "]", "(": ")"}
_PAIR = object()  # a root entry that was a pair (for ``fast_value``'s lone-item rule)

# an open container: its parent's (closer, fields, items) and where its value goes
_Frame = tuple[str, "Fields | None", list[JSONValue], "str | None", "str | None"]


def _fold(fields: Fields | None, items: list[JSONValue]) -> JSONValue:
    if fields is None:
        return items
    out = fields.data
    if items:
        out[POSITIONAL] = items
    return out


def fast_body(text: str) -> tuple[JSONValue, list[object]] | None:
    """The folded top-level body of ``text`` and its entries (a pair stands as ``_PAIR``,
    an item as its value), or ``None`` where Lark or the pre-check would refuse ``text``."""
    entry = _ENTRY.match
    value_at = _VALUE.match
    stack: list[_Frame] = []
    closer = ""  # the root closes at the end of the text
    fields: Fields | None = None
    items: list[JSONValue] = []
    root: list[object] = []
    pos = 0
    while True:
        m = entry(text, pos)
        if m is None:
            return None
        kind = m.lastindex
        pos = m.end()
        key: str | None = None
        if kind == _E_KEYRUN:  # `key=words`: the common case
            if fields is None:
                fields = Fields()
            fields.add(m.group(_E_NAME), m.group(_E_KEYRUN))
            if not stack:
                root.append(_PAIR)
            continue
        if kind == _E_RUN:
            items.append(m.group(_E_RUN))
            if not stack:
                root.append(items[-1])
            continue
        if kind == _E_KEY:
            key = m.group(_E_NAME)
        elif kind == _E_ASSIGN:
            if m.start(_E_SYMBOL) >= 0:
                key = m.group(_E_SYMBOL)
            else:
                key = unquote(m.group(_E_DQ) if m.start(_E_DQ) >= 0 else m.group(_E_SQ))
        elif kind in (_E_TAG, _E_OPEN):
            if len(stack) >= MAX_DEPTH:
                return None
            tag = m.group(_E_TAG) if kind == _E_TAG else None
            stack.append((closer, fields, items, None, tag))
            closer, fields, items = _CLOSER[text[pos - 1]], None, []
            continue
        elif kind == _E_END:
            if stack:
                return None  # the end inside a bracket
            return _fold(fields, items), root
        elif kind == _E_CLOSE:
            if text[pos - 1] != closer:
                return None  # the wrong bracket, or one closing nothing
            done = _fold(fields, items)
            closer, fields, items, key, tag = stack.pop()
            if key is None and tag is None:
                items.append(done)
                if not stack:
                    root.append(done)
                continue
            if fields is None:
                fields = Fields()
            if key is None:
                assert tag is not None
                fields.add(tag, done)  # `Name{...}` as an entry: its container's key
                if not stack:
                    root.append({tag: done})
            else:
                fields.add(key, done if tag is None else {tag: done})
                if not stack:
                    root.append(_PAIR)
            continue
        else:  # a lone quoted string or symbol
            raw = m.group(kind)  # type: ignore[arg-type]
            items.append(raw if kind == _E_SYMBOL else unquote(raw))
            if not stack:
                root.append(items[-1])
            continue
        # a key (KEY, or quoted key and ASSIGN) and its value, if one follows
        if fields is None:
            fields = Fields()
        v = value_at(text, pos)
        if v is None:
            fields.add(key, "")  # the next token opens the next entry
            if not stack:
                root.append(_PAIR)
            continue
        vkind = v.lastindex
        pos = v.end()
        if vkind in (_V_TAG, _V_OPEN):
            if len(stack) >= MAX_DEPTH:
                return None
            tag = v.group(_V_TAG) if vkind == _V_TAG else None
            stack.append((closer, fields, items, key, tag))
            closer, fields, items = _CLOSER[text[pos - 1]], None, []
            continue
        raw = v.group(vkind)  # type: ignore[arg-type]
        fields.add(key, unquote(raw) if vkind in (_V_DQ, _V_SQ) else raw)
        if not stack:
            root.append(_PAIR)


def fast_nested(text: str) -> dict[str, JSONValue] | None:
    """``_nested.parse_nested``'s record for ``text``, or ``None`` (ask Lark)."""
    read = fast_body(text)
    return None if read is None else body_record(read[0])


def body_record(value: JSONValue) -> dict[str, JSONValue]:
    """A line's folded body as its record: an object as it is, a line that is one object
    (`{:a => 1}`, `{k=v}`) as that object, positional entries under ``@values``."""
    if isinstance(value, list):
        if len(value) == 1 and isinstance(value[0], dict):
            return value[0]
        return {POSITIONAL: value} if value else {}
    assert isinstance(value, dict)
    return value


def fast_value(text: str) -> JSONValue | None:
    """``_nested.decode_value``'s grammar half for ``text`` (a lone item is that item's
    value), or ``None`` (ask Lark)."""
    read = fast_body(text)
    if read is None:
        return None
    value, root = read
    if len(root) == 1 and root[0] is not _PAIR:
        return root[0]  # type: ignore[return-value]
    return value
