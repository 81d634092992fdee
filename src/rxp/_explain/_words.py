"""English words for the leaves of a regex: characters, escapes, properties, flags,
quantities and fuzzy constraints.

Pure functions from values to strings, used by the explain fold (``_explain``). A
``Noun`` has a singular form with its article ("a digit (0-9)") and, where English has one,
a plural ("digits (0-9)") so that a quantifier can say "one or more digits (0-9)"."""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING

from .._syntax._flags import split_flags
from .._syntax._record import value

if TYPE_CHECKING:
    from .._syntax._ast import Fuzzy, FuzzyKind, Greed
    from .._syntax._fuzzy_limits import Allowance

__all__ = [
    "FLAG_WORDS",
    "Noun",
    "char_name",
    "char_noun",
    "class_escape_noun",
    "code",
    "flag_phrase",
    "fuzzy_words",
    "posix_noun",
    "property_noun",
    "quantified",
    "text_phrase",
]


@value
class Noun:
    """A noun phrase: ``one`` with its article, ``many`` the plural without a count, or None
    where the plural would not read naturally (then a quantifier says "..., N times")."""

    one: str
    many: str | None = None


_CONTROL_NAMES = {
    "\t": "a tab",
    "\n": "a newline",
    "\r": "a carriage return",
    "\f": "a form feed",
    "\v": "a vertical tab",
    "\a": "a bell character (U+0007)",
    "\b": "a backspace (U+0008)",
    "\x00": "a NUL character (U+0000)",
    "\x1b": "an escape character (U+001B)",
    " ": "a space",
    "\xa0": "a no-break space (U+00A0)",
}

_PUNCT_NAMES = {
    ".": "period",
    "\\": "backslash",
    "-": "hyphen",
    "*": "asterisk",
    "+": "plus sign",
    "?": "question mark",
    "(": "opening parenthesis",
    ")": "closing parenthesis",
    "[": "opening bracket",
    "]": "closing bracket",
    "{": "opening brace",
    "}": "closing brace",
    "|": "vertical bar",
    "^": "caret",
    "$": "dollar sign",
    "/": "slash",
    "#": "hash sign",
    '"': "double quote",
    "'": "single quote",
    "`": "backtick",
}


def code(text: str) -> str:
    """``text`` quoted for a sentence: in backticks, with a backtick inside doubled up."""
    fence = "``" if "`" in text else "`"
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def escaped(text: str) -> str:
    """``text`` on one line: when it holds invisible characters, written with Python's
    escapes (a newline reads ``\\n``, a NUL ``\\x00``)."""
    return text if text.isprintable() else text.encode("unicode_escape").decode("ascii")


def _visible(ch: str) -> bool:
    return ch.isprintable() and not ch.isspace()


def char_name(ch: str) -> str:
    """A character as a person would name it: "a tab", "`a`", "`é` (U+00E9 LATIN SMALL
    LETTER E WITH ACUTE)", "U+200B (ZERO WIDTH SPACE)"."""
    if ch in _CONTROL_NAMES:
        return _CONTROL_NAMES[ch]
    point = f"U+{ord(ch):04X}"
    name = unicodedata.name(ch, "")
    if ch.isascii() and _visible(ch):
        extra = _PUNCT_NAMES.get(ch)
        return f"{code(ch)} ({extra})" if extra else code(ch)
    if _visible(ch):
        return f"{code(ch)} ({point} {name})" if name else f"{code(ch)} ({point})"
    return f"the character {point} ({name})" if name else f"the character {point}"


def char_noun(ch: str, *, ignore_case: bool = False) -> Noun:
    """One character as a noun: "the character `a`" / "`a` characters"."""
    name = char_name(ch)
    case = _case_note(ch, ignore_case)
    if ch in _CONTROL_NAMES:
        plural = name.split(" ", 1)[1]
        plural = plural.replace(" (", "s (", 1) if " (" in plural else plural + "s"
        return Noun(name + case, plural + case)
    if name.startswith("the character"):
        return Noun(name + case, name.replace("the character", "characters", 1) + case)
    return Noun(f"the character {name}{case}", f"{name} characters{case}")


def _case_note(text: str, ignore_case: bool) -> str:
    if ignore_case and any(c.lower() != c.upper() for c in text):
        return " (ignoring case)"
    return ""


def text_phrase(text: str, *, ignore_case: bool = False) -> str:
    """A run of two or more literal characters: "the text `Failed password`", or with
    invisible characters named: "the text `a`, then a tab, then `b`"."""
    case = _case_note(text, ignore_case)
    if all(_visible(c) or c == " " for c in text):
        ends = [
            w
            for w, cut in (("starts", text.lstrip(" ")), ("ends", text.rstrip(" ")))
            if cut != text
        ]
        spaces = f" ({' and '.join(ends)} with a space)" if ends and text.strip(" ") else ""
        return f"the text {code(text)}{case}{spaces}"
    parts: list[str] = []
    run = ""
    for ch in text:
        if _visible(ch) or ch == " ":
            run += ch
            continue
        if run:
            parts.append(code(run))
            run = ""
        parts.append(char_name(ch))
    if run:
        parts.append(code(run))
    return f"the text {', then '.join(parts)}{case}"


# --- class escapes -----------------------------------------------------------------------

_DIGIT = {
    True: Noun("a digit (0-9)", "digits (0-9)"),
    False: Noun(
        "a digit (0-9 or any other Unicode decimal digit)",
        "digits (0-9 or other Unicode decimal digits)",
    ),
}
_WORD = {
    True: Noun("a word character (a-z, A-Z, 0-9 or _)", "word characters (a-z, A-Z, 0-9 or _)"),
    False: Noun(
        "a word character (a Unicode letter, digit or _)",
        "word characters (Unicode letters, digits or _)",
    ),
}
_SPACE = {
    True: Noun(
        "a whitespace character (space, tab, newline, \\r, \\f or \\v)",
        "whitespace characters (space, tab, newline, \\r, \\f or \\v)",
    ),
    False: Noun(
        "a whitespace character (space, tab, newline or other Unicode whitespace)",
        "whitespace characters (spaces, tabs, newlines or other Unicode whitespace)",
    ),
}
_NOT = {
    "D": ("a character that is not a digit", "characters that are not digits"),
    "W": ("a character that is not a word character", "characters that are not word characters"),
    "S": ("a character that is not whitespace", "characters that are not whitespace"),
}


def class_escape_noun(letter: str, *, ascii_only: bool) -> Noun:
    """``\\d \\w \\s`` and their negations, read with the ASCII/Unicode flag in effect."""
    table = {"d": _DIGIT, "w": _WORD, "s": _SPACE}
    if letter in table:
        return table[letter][ascii_only]
    if letter in _NOT:
        one, many = _NOT[letter]
        scope = " (ASCII rules)" if ascii_only else " (Unicode rules)"
        return Noun(one + scope, many + scope)
    if letter == "X":
        return Noun("one user-perceived character (a grapheme cluster)", "grapheme clusters")
    if letter == "h":
        return Noun("a horizontal whitespace character", "horizontal whitespace characters")
    return Noun(f"the class escape {code(chr(92) + letter)}")


# --- properties and POSIX classes ----------------------------------------------------------

_CATEGORY = {
    "L": "letter",
    "Lu": "uppercase letter",
    "Ll": "lowercase letter",
    "Lt": "titlecase letter",
    "Lm": "modifier letter",
    "Lo": "other letter",
    "M": "mark",
    "Mn": "non-spacing mark",
    "N": "number",
    "Nd": "decimal digit",
    "Nl": "letter number",
    "No": "other number",
    "P": "punctuation character",
    "S": "symbol",
    "Sm": "math symbol",
    "Sc": "currency symbol",
    "Z": "separator",
    "Zs": "space separator",
    "C": "control or other character",
    "Cc": "control character",
    "Alpha": "alphabetic character",
    "Alphabetic": "alphabetic character",
    "Alnum": "alphanumeric character",
    "Digit": "digit",
    "Upper": "uppercase character",
    "Uppercase": "uppercase character",
    "Lower": "lowercase character",
    "Lowercase": "lowercase character",
    "Punct": "punctuation character",
    "Space": "whitespace character",
    "White_Space": "whitespace character",
    "Word": "word character",
    "XDigit": "hex digit",
    "Any": "character",
}


def _article(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"


def property_noun(name: str, value: str | None, *, negated: bool) -> Noun:
    """``\\p{Lu}`` "an uppercase letter (Unicode property Lu)", ``\\p{Script=Greek}``
    "a character whose Script is Greek", negated forms "a character that is not ..."."""
    if value is not None:
        key = name.lower().replace("_", "")
        not_ = "not " if negated else ""
        if key in ("script", "sc", "scriptextensions", "scx"):
            return Noun(
                f"a character {not_}of the {value} script",
                f"characters {not_}of the {value} script",
            )
        if key in ("block", "blk"):
            return Noun(
                f"a character {not_}in the {value} block", f"characters {not_}in the {value} block"
            )
        if key in ("generalcategory", "gc") and value in _CATEGORY:
            return property_noun(value, None, negated=negated)
        one = f"a character whose {name} is {value}"
        many = f"characters whose {name} is {value}"
        if negated:
            one = f"a character whose {name} is not {value}"
            many = f"characters whose {name} is not {value}"
        return Noun(one, many)
    word = _CATEGORY.get(name)
    if word is None and name.startswith("Is"):
        word = _CATEGORY.get(name[2:])
    if word is None:
        label = f"in {name}" if name.startswith("In") else f"with property {name}"
        label = label.replace("in In", "in block ", 1)
        if negated:
            return Noun(f"a character not {label}", f"characters not {label}")
        return Noun(f"a character {label}", f"characters {label}")
    note = f" (Unicode property {name})"
    if negated:
        return Noun(f"a character that is not {_article(word)} {word}{note}", f"non-{word}s{note}")
    return Noun(f"{_article(word)} {word}{note}", f"{word}s{note}")


_POSIX = {
    "alpha": "letter",
    "alnum": "letter or digit",
    "digit": "digit",
    "xdigit": "hex digit",
    "upper": "uppercase letter",
    "lower": "lowercase letter",
    "space": "whitespace character",
    "blank": "space or tab",
    "punct": "punctuation character",
    "print": "printable character",
    "graph": "visible character",
    "cntrl": "control character",
    "word": "word character",
    "ascii": "ASCII character",
}


def posix_noun(name: str, *, negated: bool) -> Noun:
    """``[:alpha:]`` "a letter (POSIX alpha)"; ``[:^alpha:]`` "a character that is not ..."."""
    word = _POSIX.get(name, f"{name} character")
    note = f" (POSIX {name})"
    if negated:
        return Noun(f"a character that is not {_article(word)} {word}{note}")
    return Noun(f"{_article(word)} {word}{note}", f"{word}s{note}")


# --- flags -------------------------------------------------------------------------------

FLAG_WORDS: dict[str, str] = {
    "i": "ignore case",
    "m": "multiline: ^ and $ match at every line",
    "s": "dotall: . matches a newline too",
    "x": "verbose: whitespace and # comments are ignored",
    "a": "ASCII-only \\w \\d \\s \\b",
    "u": "Unicode \\w \\d \\s \\b",
    "L": "locale-dependent \\w \\b and case",
    "b": "best match: the fuzzy match with fewest errors",
    "e": "enhance match: improve fuzzy matches found",
    "f": "full case folding",
    "p": "POSIX leftmost-longest",
    "r": "reverse search",
    "w": "Unicode word and line boundaries",
    "V0": "version 0 behaviour",
    "V1": "version 1 behaviour: set operations, scoped inline flags",
}


def flag_phrase(on: str, off: str) -> str:
    """ "turns on ignore case; turns off dotall" for inline or scoped flag letters."""
    parts: list[str] = []
    if on:
        parts.append("turns on " + ", ".join(FLAG_WORDS.get(f, f) for f in split_flags(on)))
    if off:
        parts.append("turns off " + ", ".join(FLAG_WORDS.get(f, f) for f in split_flags(off)))
    return "; ".join(parts)


# --- quantities ----------------------------------------------------------------------------


def _times(n: int) -> str:
    return {1: "once", 2: "twice"}.get(n, f"{n} times")


def quantified(
    thing: Noun, lo: int, hi: int | None, greed: Greed, *, captures_last: bool = False
) -> str:
    """``thing`` under a quantifier: "one or more digits (0-9)", "between 2 and 5 times,
    as few as possible", "optionally a space"."""
    many = thing.many
    if hi == lo:
        if lo == 1:
            head = f"{thing.one} (exactly once)"
        elif lo == 0:
            head = f"{thing.one}, zero times (so it matches nothing here)"
        elif many:
            head = f"exactly {lo} {many}"
        else:
            head = f"{thing.one}, exactly {_times(lo)}"
    elif lo == 0 and hi == 1:
        head = f"optionally {thing.one}"
    elif hi is None:
        count = {0: "zero or more", 1: "one or more"}.get(lo, f"at least {lo}")
        if many:
            head = f"{count} {many}"
        else:
            times = f"at least {_times(lo)}" if lo > 1 else f"{count} times"
            head = f"{thing.one}, {times}"
    elif lo == 0:
        head = f"at most {hi} {many}" if many else f"{thing.one}, at most {_times(hi)}"
    else:
        head = (
            f"between {lo} and {hi} {many}" if many else f"{thing.one}, between {lo} and {hi} times"
        )
    if greed == "lazy":
        head += ", preferring to skip it" if (lo, hi) == (0, 1) else ", as few as possible"
    elif greed == "possessive":
        head += ", as many as possible and never giving any back"
    if captures_last and hi != 1 and hi != 0:
        head += " (only the last repetition is captured)"
    return head


# --- fuzzy matching ------------------------------------------------------------------------

_ERRORS: dict[str, tuple[str, str]] = {
    "e": ("error", "errors"),
    "i": ("insertion", "insertions"),
    "d": ("deletion", "deletions"),
    "s": ("substitution", "substitutions"),
}


_KINDS: tuple[FuzzyKind, ...] = ("i", "d", "s")


def _and(words: list[str], last: str = "and") -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} {last} {words[-1]}"


def _how_many(low: int, high: int | None, kind: str) -> str:
    """How many errors of ``kind`` (e, i, d, s) a limit allows: "at most one error", "up
    to 2 insertions", "between 1 and 3 errors", "any number of deletions"."""
    one, many = _ERRORS[kind]

    def count(n: int) -> str:
        if n == 1:
            return f"{'one' if kind == 'e' else 1} {one}"
        return f"{n} {many}"

    if high is None:
        return f"any number of {many}" if low == 0 else f"at least {count(low)}"
    if low == high:
        return f"no {many}" if high == 0 else f"exactly {count(high)}"
    if low == 0:
        return f"at most {count(1)}" if high == 1 else f"up to {count(high)}"
    return f"between {low} and {high} {many}"


def fuzzy_words(node: Fuzzy, test: str | None = None) -> str:
    """What a fuzzy constraint allows, in words, from its typed limits and the engine's
    defaults: "allowing at most one error (insertion, deletion or substitution)",
    "allowing up to 2 insertions and at most 1 deletion", "with errors costing 2 per
    insertion, 2 per deletion and 1 per substitution, at most 4 in total". ``test`` is the
    noun phrase for the constraint's test (``:[a-z]``), if it has one."""
    from .._syntax._fuzzy_limits import allowance

    allowed = allowance(node)
    written = {limit.kind: limit for limit in node.limits}
    clauses: list[str] = []
    by_kind = [written[k] for k in "ids" if k in written]
    errors = written.get("e")
    if by_kind:
        said = [_how_many(limit.min, limit.max, limit.kind) for limit in by_kind]
        if errors is not None and _binds(errors.min, errors.max, allowed):
            said.append(_how_many(errors.min, errors.max, "e") + " in all")
        clauses.append("allowing " + _and(said))
    elif errors is not None:
        singular = errors.max == 1
        possible = [k for k in _KINDS if allowed.most(k) != 0]
        kinds = [_ERRORS[k][0 if singular else 1] for k in possible]
        which = f" ({_and(kinds, 'or')})" if kinds else ""
        clauses.append(f"allowing {_how_many(errors.min, errors.max, 'e')}{which}")
    cost = node.cost
    if cost is not None:
        each = [(cost.i, "insertion"), (cost.d, "deletion"), (cost.s, "substitution")]
        costs = [f"{c} per {what}" for c, what in each if c is not None]
        clauses.append(f"with errors costing {_and(costs)}, at most {cost.max} in total")
    if test is not None:
        clauses.append(f"where any inserted or substituted character must be {test}")
    return ", ".join(clauses)


def _binds(low: int, high: int | None, allowed: Allowance) -> bool:
    """Whether a limit on errors of any kind says more than the limits per kind do."""
    if low > 0:
        return True
    if high is None:
        return False
    ranges = (allowed.insertions, allowed.deletions, allowed.substitutions)
    tops = [top for _, top in ranges]
    return None in tops or high < sum(top for top in tops if top is not None)
