"""Hypothesis strategies for regular-expression patterns, for every rxp test to reuse.

- ``patterns(flavor="re")``: structurally VALID patterns (``re.compile``, or
  ``regex.compile`` for ``flavor="regex"``, accepts every one), covering every construct of
  the flavour: literals and all escape forms, ``.``, sets (ranges, negation, ``]`` first,
  escapes), anchors, every group kind, look-around (look-behind fixed width), atomic
  groups, backreferences by number and name, conditionals, greedy/lazy/possessive
  quantifiers in every form, ``{`` as a literal, and VERBOSE patterns (``(?x)`` at the start
  or a scoped ``(?x:...)``) with whitespace and ``#`` comments between items. The regex
  flavour adds ``\\p{..}``, POSIX classes, fuzzy constraints, branch reset, recursion,
  ``\\G \\K \\m \\M``, verbs, V1 set operations and ``(?<name>...)``.
- ``flagged_patterns(flavor="re")``: ``(pattern, flags)`` where ``flags`` are letters such
  as ``"x"`` or ``"im"`` that must be passed along (VERBOSE by the flags argument).
- ``fuzzy_constraints()``: the braces of a regex-flavour fuzzy constraint in every written
  form (``{e}``, ``{i<=2,d<3}``, ``{1<=e<=3}``, ``{2i+2d+1s<=4}``, ``{e<=1:[a-z]}``), with
  small bounds that may be out of order (which regex rejects).
- ``token_soup(flavor="re")``: random sequences of regex tokens (``(``, ``)``, ``(?P<``,
  ``[``, ``]``, ``{2,``, ``\\``, ``*``, ``|``, letters, escapes...): mostly INVALID patterns,
  for testing that errors agree with the engine.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field

from hypothesis import strategies as st

__all__ = [
    "flagged_patterns",
    "fuzzy_constraints",
    "nested",
    "patterns",
    "regex_structured",
    "structured",
    "token_soup",
]

_PLAIN = "abcxyzABZ019_,;:'\"<>=!@%&~`/é中\U0001f600\t\n"
_VERBOSE_PLAIN = "abcxyzABZ019_,;:'\"<>=!@%&~`/é中"
_LITERAL_ESCAPES = [
    r"\.",
    r"\\",
    r"\*",
    r"\(",
    r"\)",
    r"\[",
    r"\]",
    r"\{",
    r"\}",
    r"\|",
    r"\?",
    r"\+",
    r"\^",
    r"\$",
    r"\-",
    r"\#",
    r"\ ",
    r"\n",
    r"\t",
    r"\r",
    r"\f",
    r"\v",
    r"\a",
    r"\x41",
    r"\x7e",
    r"\u00e9",
    r"\u4E2D",
    r"\U0001F600",
    r"\N{EM DASH}",
    r"\N{LATIN SMALL LETTER A}",
    r"\0",
    r"\01",
    r"\012",
    r"\141",
    r"\377",
]
_CLASS_ESCAPES = [r"\d", r"\D", r"\w", r"\W", r"\s", r"\S"]
_ANCHORS = ["^", "$", r"\A", r"\Z", r"\b", r"\B"]
_QUANTS = ["*", "+", "?", "{0}", "{3}", "{2,}", "{,4}", "{1,3}", "{,}", "{0,0}"]
_TRIVIA = [" ", "  ", "\t", "\n", "# note\n", " # x*(?\n ", "#\n"]
_FLAGS = ["i", "m", "s", "x", "a", "u", "im", "is", "ms"]
_REGEX_PROPS = [r"\p{L}", r"\P{Lu}", r"\pN", r"\p{Script=Greek}", r"\p{^Ll}", r"\p{IsAlpha}"]
_REGEX_POSIX = ["[:alpha:]", "[:digit:]", "[:^space:]", "[:word:]", "[:punct:]"]


@dataclass
class _State:
    flavor: str
    names: list[str] = field(default_factory=list)
    next_name: int = 0
    v1: bool = False  # regex VERSION1: sets nest and take -- && || ~~


def _literal(draw: st.DrawFn, verbose: bool) -> str:
    if draw(st.booleans()):
        return draw(st.sampled_from(_LITERAL_ESCAPES))
    return draw(st.sampled_from(_VERBOSE_PLAIN if verbose else _PLAIN))


def _class_atom(draw: st.DrawFn) -> str:
    choice = draw(st.integers(0, 4))
    if choice == 0:
        return draw(st.sampled_from(_CLASS_ESCAPES))
    if choice == 1:
        return draw(st.sampled_from([r"\]", r"\\", r"\-", r"\b", r"\n", r"\x41", r"\u00e9", r"\0"]))
    return draw(st.sampled_from("abcxyz019 #.*+?(){}|$^&~é"))


def _char_class(draw: st.DrawFn, state: _State, depth: int = 0) -> str:
    out = "[" + ("^" if draw(st.booleans()) else "")
    if state.v1 and depth < 2 and draw(st.integers(0, 2)) == 0:
        left = _char_class(draw, state, depth + 1)
        op = draw(st.sampled_from(["--", "&&", "||", "~~"]))
        right = _char_class(draw, state, depth + 1)
        return out + draw(st.sampled_from([left, r"\w", "a-z"])) + op + right + "]"
    if draw(st.integers(0, 5)) == 0 and not state.v1:
        out += "]"
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.integers(0, 5))
        if kind == 0:
            lo, hi = sorted(draw(st.lists(st.sampled_from("acfmxzAZ09"), min_size=2, max_size=2)))
            out += f"{lo}-{hi}"
        elif kind == 1 and state.flavor == "regex":
            out += draw(st.sampled_from(_REGEX_POSIX + _REGEX_PROPS))
        else:
            out += _class_atom(draw)
    if draw(st.integers(0, 5)) == 0:
        out += "-"
    return out + "]"


def _name(state: _State) -> str:
    state.next_name += 1
    return f"g{state.next_name}"


def _fixed(draw: st.DrawFn, verbose: bool) -> str:
    """A fixed-width piece, for look-behind bodies."""
    parts = []
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.integers(0, 4))
        if kind == 0:
            parts.append(r"\d")
        elif kind == 1:
            parts.append("(?:ab|cd)")
        elif kind == 2:
            parts.append("x{2}")
        else:
            parts.append(_literal(draw, verbose))
    return "".join(parts)


def _atom(draw: st.DrawFn, state: _State, depth: int, verbose: bool) -> tuple[str, bool]:
    """One atom and whether a quantifier may follow it."""
    kinds = 8 if depth > 0 else 4
    kind = draw(st.integers(0, kinds + (3 if state.flavor == "regex" else 0)))
    if kind in (0, 1):
        return _literal(draw, verbose), True
    if kind == 2:
        return draw(st.sampled_from([".", *_CLASS_ESCAPES])), True
    if kind == 3:
        return _char_class(draw, state), True
    if kind == 4:
        return draw(st.sampled_from(_ANCHORS)), False
    if kind == 5:
        return _group(draw, state, depth - 1, verbose), True
    if kind == 6:
        return _group(draw, state, depth - 1, verbose), True
    if kind == 7:
        return "(?#" + draw(st.sampled_from(["", "note", "a|b", "(x"])) + ")", False
    if kind == 8:
        return "{", True
    # regex-flavour leaves
    return draw(st.sampled_from([*_REGEX_PROPS, r"\G", r"\K", r"\m", r"\M", r"\X", r"\h"])), False


def _group(draw: st.DrawFn, state: _State, depth: int, verbose: bool) -> str:
    kinds = ["cap", "named", "nc", "flags", "ahead", "nahead", "behind", "nbehind", "atomic"]
    if state.flavor == "regex":
        kinds += ["reset", "angle"]
    kind = draw(st.sampled_from(kinds))
    if kind in ("behind", "nbehind"):
        return ("(?<=" if kind == "behind" else "(?<!") + _fixed(draw, verbose) + ")"
    inner_verbose = verbose
    head = "("
    if kind == "named":
        name = _name(state)
        head = f"(?P<{name}>"
    elif kind == "angle":
        name = _name(state)
        head = f"(?<{name}>"
    elif kind == "nc":
        head = "(?:"
    elif kind == "flags":
        on = draw(st.sampled_from(["", "i", "s", "m", "x", "is", "mx"]))
        off = draw(st.sampled_from(["", "i", "s", "x"])) if not on or "x" not in on else ""
        off = "".join(c for c in off if c not in on)
        if not on and not off:
            on = "i"
        head = "(?" + on + ("-" + off if off else "") + ":"
        inner_verbose = (verbose or "x" in on) and "x" not in off
    elif kind == "ahead":
        head = "(?="
    elif kind == "nahead":
        head = "(?!"
    elif kind == "atomic":
        head = "(?>"
    elif kind == "reset":
        head = "(?|"
    body = _alternation(draw, state, depth, inner_verbose)
    if kind in ("named", "angle"):
        state.names.append(head[4:-1] if kind == "named" else head[3:-1])
    return head + body + ")"


def _quantifier(draw: st.DrawFn, state: _State) -> str:
    q = draw(st.sampled_from(_QUANTS))
    suffix = draw(st.sampled_from(["", "", "?", "+"]))
    if state.flavor == "regex" and draw(st.integers(0, 6)) == 0:
        return q + suffix + draw(st.sampled_from(_FUZZY_SAMPLES))
    return q + suffix


_FUZZY_SAMPLES = ["{e<=1}", "{i<=1,d<=1}", "{2i+2d+1s<=4}", "{1<=e<3:[a-z]}", "{e:\\d}", "{s}"]


def _branch(draw: st.DrawFn, state: _State, depth: int, verbose: bool) -> str:
    out = ""
    for _ in range(draw(st.integers(0, 4))):
        if verbose and draw(st.booleans()):
            out += draw(st.sampled_from(_TRIVIA))
        atom, repeatable = _atom(draw, state, depth, verbose)
        out += atom
        if repeatable and atom != "{" and draw(st.integers(0, 2)) == 0:
            if verbose and draw(st.integers(0, 3)) == 0:
                out += draw(st.sampled_from(_TRIVIA))
            out += _quantifier(draw, state)
    if verbose and draw(st.integers(0, 3)) == 0:
        out += draw(st.sampled_from(_TRIVIA))
    return out


def _alternation(draw: st.DrawFn, state: _State, depth: int, verbose: bool) -> str:
    return "|".join(_branch(draw, state, depth, verbose) for _ in range(draw(st.integers(1, 3))))


def _compiles(pattern: str, flags: str, flavor: str) -> bool:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            if flavor == "regex":
                import regex

                regex.compile(pattern, _bits(regex, flags), cache_pattern=False)
            else:
                re.compile(pattern, _bits(re, flags))
        except Exception:
            return False
    return True


def _group_count(pattern: str, flags: str, flavor: str) -> int:
    if not _compiles(pattern, flags, flavor):
        return 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if flavor == "regex":
            import regex

            return int(regex.compile(pattern, _bits(regex, flags), cache_pattern=False).groups)
        return re.compile(pattern, _bits(re, flags)).groups


def _bits(module: object, flags: str) -> int:
    bits = 0
    for version in ("V0", "V1"):
        if version in flags:
            bits |= int(getattr(module, version))
            flags = flags.replace(version, "")
    for letter in flags:
        bits |= int(getattr(module, letter.upper()))
    return bits


@st.composite
def _pattern_and_flags(draw: st.DrawFn, flavor: str, flag_argument: bool) -> tuple[str, str]:
    state = _State(flavor)
    prefix = ""
    flags = ""
    verbose = False
    mode = draw(st.integers(0, 3))
    if mode == 1:
        global_flags = draw(st.sampled_from(_FLAGS))
        if flavor == "regex" and draw(st.booleans()):
            global_flags += draw(st.sampled_from(["V0", "V1"]))
            state.v1 = global_flags.endswith("V1")
        prefix = "(?" + global_flags + ")"
        verbose = "x" in global_flags
    elif mode == 2 and flag_argument:
        choices = ["x", "ix", "ms", "i"] + (["V1", "xV1"] if flavor == "regex" else [])
        flags = draw(st.sampled_from(choices))
        verbose = "x" in flags
        state.v1 = "V1" in flags
    elif mode == 3:
        prefix = "(?x)"
        verbose = True
    body = _alternation(draw, state, 3, verbose)
    groups = _group_count(prefix + body, flags, flavor)
    suffix = ""
    if groups and draw(st.booleans()):
        n = draw(st.integers(1, min(groups, 9)))
        suffix = draw(st.sampled_from([f"\\{n}", f"(?({n})y|n)", f"(?({n})y)", f"(?:\\{n})*"]))
    if state.names and draw(st.booleans()):
        name = draw(st.sampled_from(state.names))
        suffix += draw(st.sampled_from([f"(?P={name})", f"(?({name})a|b)"]))
    if flavor == "regex" and draw(st.integers(0, 4)) == 0:
        suffix += draw(st.sampled_from(["(?R)?", "(?1)?", "(*SKIP)(*FAIL)|x", "(*PRUNE)"]))
    return prefix + body + suffix, flags


def patterns(flavor: str = "re") -> st.SearchStrategy[str]:
    """Valid patterns of ``flavor`` (needing no flags argument)."""
    return (
        _pattern_and_flags(flavor, False)
        .filter(lambda pf: _compiles(pf[0], pf[1], flavor))
        .map(lambda pf: pf[0])
    )


def flagged_patterns(flavor: str = "re") -> st.SearchStrategy[tuple[str, str]]:
    """Valid ``(pattern, flags)`` pairs; ``flags`` are letters to pass to the parser."""
    return _pattern_and_flags(flavor, True).filter(lambda pf: _compiles(pf[0], pf[1], flavor))


_SOUP = [
    "(",
    ")",
    "(?",
    "(?P<",
    "(?P<n>",
    "(?P=n)",
    "(?P",
    ">",
    "(?:",
    "(?=",
    "(?!",
    "(?<=",
    "(?<!",
    "(?<",
    "(?>",
    "(?#",
    "(?(",
    "(?(1)",
    "(?(n)",
    "(?i)",
    "(?x)",
    "(?i-s:",
    "(?-",
    "(?a",
    "(?u",
    "(?L",
    "(?t",
    "[",
    "[^",
    "]",
    "-",
    "^",
    "$",
    "{",
    "}",
    "{2",
    "{2,",
    "{,3}",
    "{3,1}",
    ",",
    "\\",
    "\\1",
    "\\2",
    "\\0",
    "\\x4",
    "\\x41",
    "\\u12",
    "\\N{",
    "\\N{EM DASH}",
    "\\d",
    "\\b",
    "\\A",
    "\\q",
    "\\8",
    "\\777",
    "*",
    "+",
    "?",
    "|",
    ".",
    "a",
    "b",
    "z",
    "1",
    " ",
    "#",
    "\n",
    ":",
    "=",
    "!",
    "'",
    "\0",
]
_REGEX_SOUP = [
    "\\p{",
    "\\p{L}",
    "\\P",
    "[:alpha:]",
    "[[:",
    ":]",
    "(?|",
    "(?R)",
    "(?1)",
    "(?&n)",
    "(?<n>",
    "(*SKIP)",
    "(*F",
    "{e<=1}",
    "--",
    "&&",
    "||",
    "~~",
    "(?V1)",
    "\\L<n>",
    "\\G",
    "\\K",
]


def token_soup(flavor: str = "re") -> st.SearchStrategy[str]:
    """Random sequences of regex tokens: mostly invalid patterns."""
    pieces = _SOUP + (_REGEX_SOUP if flavor == "regex" else [])
    return st.lists(st.sampled_from(pieces), max_size=14).map("".join)


# --- structured soup: well-formed syntax, random semantics ----------------------------------
# Balanced groups with random names, references, look-behinds and conditions, so that most
# patterns parse and the semantic checks and the facts (groups, names, width) get exercised.

_ATOMS = (
    ["a", "b", ".", r"\d", r"\w", "[ab]", "[^a]", "^", "$", r"\b", r"\A", r"\Z", "",
     r"\1", r"\2", r"\3", "(?P=n)", "(?P=m)", r"\x41", "(?#c)"]
)  # fmt: skip
_QUANTIFIERS = ("", "", "", "*", "+", "?", "{2}", "{1,3}", "{2,}", "*?", "{3,2}")
_OPENERS = (
    ["(", "(?:", "(?P<n>", "(?P<m>", "(?=", "(?!", "(?<=", "(?<!", "(?>", "(?i:", "(?-i:",
     "(?(1)", "(?(2)", "(?(n)", "(?(3)"]
)  # fmt: skip


def nested(
    atoms: Sequence[str],
    openers: Sequence[str],
    quantifiers: Sequence[str],
    *,
    prefixes: Sequence[str] = ("",),
    max_leaves: int = 8,
) -> st.SearchStrategy[str]:
    """Balanced patterns built from ``atoms`` (each with one of ``quantifiers``), joined in
    sequences and alternations and wrapped in groups opened by ``openers``; each pattern
    starts with one of ``prefixes`` (inline flags, say)."""

    def grow(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        seq = st.lists(children, min_size=1, max_size=3).map("".join)
        alt = st.lists(children, min_size=2, max_size=3).map("|".join)
        group = st.tuples(st.sampled_from(openers), st.one_of(seq, alt), quants).map(
            lambda t: f"{t[0]}{t[1]}){t[2]}"
        )
        return st.one_of(seq, alt, group)

    quants = st.sampled_from(quantifiers)
    leaf = st.tuples(st.sampled_from(atoms), quants).map("".join)
    return st.tuples(
        st.sampled_from(prefixes), st.recursive(leaf, grow, max_leaves=max_leaves)
    ).map("".join)


structured = nested(
    _ATOMS, _OPENERS, _QUANTIFIERS, prefixes=("", "(?i)", "(?a)", "(?x)"), max_leaves=8
)


# The same for the regex flavour: its own group kinds, references and constraints.
_REGEX_ATOMS = (
    ["a", "b", ".", r"\d", "[ab]", "", r"\1", r"\2", "(?P=n)", r"\g<m>", "(?1)", "(?2)",
     "(?&n)", "(?R)", "(?+1)", "(?-1)", r"\p{L}", "(?i)", "(?-i)"]
)  # fmt: skip
_REGEX_OPENERS = (
    ["(", "(?:", "(?P<n>", "(?<m>", "(?|", "(?=", "(?<=", "(?<!", "(?>", "(?(1)", "(?(n)",
     "(?(DEFINE)", "(?(?=a)", "(?i:"]
)  # fmt: skip


regex_structured = nested(_REGEX_ATOMS, _REGEX_OPENERS, _QUANTIFIERS, max_leaves=8)


# --- fuzzy constraints (regex flavour) -----------------------------------------------------

_FUZZY_TESTS = ["[a-z]", r"\d", ".", "x", r"\p{L}", "[^b]", r"\w", r"\x41"]


@st.composite
def fuzzy_constraints(draw: st.DrawFn) -> str:
    """``{...}``: up to three limits of distinct kinds (``e``, ``i<=2``, ``d<3``,
    ``1<=s<=2``, ``0<e<4``), maybe a cost equation (``2i+d+0s<=4``) among them, maybe a
    test (``:[a-z]``). Bounds are small and may be out of order."""
    number = st.integers(0, 4)
    compare = st.sampled_from(["<=", "<=", "<"])
    parts = []
    for kind in draw(st.lists(st.sampled_from("eids"), unique=True, max_size=3)):
        form = draw(st.integers(0, 2))
        if form == 0:
            parts.append(kind)
        elif form == 1:
            parts.append(f"{kind}{draw(compare)}{draw(number)}")
        else:
            low, high = draw(number), draw(number)
            parts.append(f"{low}{draw(compare)}{kind}{draw(compare)}{high}")
    if not parts or draw(st.integers(0, 2)) == 0:
        terms = draw(st.lists(st.sampled_from("ids"), unique=True, min_size=1, max_size=3))
        coefficients = [draw(st.sampled_from(["", "0", "1", "2", "3"])) for _ in terms]
        equation = "+".join(c + t for c, t in zip(coefficients, terms, strict=True))
        parts.insert(draw(st.integers(0, len(parts))), f"{equation}{draw(compare)}{draw(number)}")
    test = ":" + draw(st.sampled_from(_FUZZY_TESTS)) if draw(st.integers(0, 3)) == 0 else ""
    return "{" + ",".join(parts) + test + "}"
