"""``--bench REGEX``: which benchmarks run, with Go's rules (``src/testing/match.go``).

The pattern is split at each ``/`` and ``|`` outside brackets and parentheses. A name
``BenchmarkA/sub/leaf`` matches when each slash-separated part of the pattern *searches*
(unanchored, as Go's ``regexp.MatchString``) the part of the name at the same depth; extra
depth in the name is accepted, and a name shallower than the pattern is a *partial* match: it
runs only so that its sub-benchmarks can be matched. Top-level ``|`` alternatives are tried
in order. Sub-benchmark names are rewritten (spaces become ``_``) and made unique with
``#01``-style suffixes, as Go does.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from .._errors import RxpError

__all__ = ["Matcher", "rewrite", "split_pattern", "top_level"]


def top_level(text: str) -> Iterator[int]:
    """The offsets of ``text`` outside brackets and parentheses and not escaped by a
    backslash: the scan of Go's ``splitRegexp`` (testing) and of benchproc's
    ``regexpParseUntil``, which cut a regexp only there."""
    brackets = parens = i = 0
    while i < len(text):
        if brackets == 0 and parens == 0:
            yield i
        ch = text[i]
        if ch == "[":
            brackets += 1
        elif ch == "]":
            brackets = max(0, brackets - 1)
        elif ch == "(" and brackets == 0:
            parens += 1
        elif ch == ")" and brackets == 0:
            parens -= 1
        elif ch == "\\":
            i += 1
        i += 1


def split_pattern(pattern: str) -> list[list[str]]:
    """Go's ``splitRegexp``: alternatives, each a list of per-level regexes."""
    alternatives: list[list[str]] = []
    parts: list[str] = []
    start = 0
    for i in top_level(pattern):
        if pattern[i] in "/|":
            parts.append(pattern[start:i])
            start = i + 1
            if pattern[i] == "|":
                alternatives.append(parts)
                parts = []
    parts.append(pattern[start:])
    alternatives.append(parts)
    return alternatives


def rewrite(name: str) -> str:
    """A sub-benchmark name with whitespace as ``_`` and unprintable characters escaped."""
    out = []
    for ch in name:
        if ch.isspace():
            out.append("_")
        elif not ch.isprintable():
            out.append(ascii(ch)[1:-1])
        else:
            out.append(ch)
    return "".join(out)


@dataclass(slots=True)
class Matcher:
    """Selects and names benchmarks for one run of the harness."""

    pattern: str = ""
    _alternatives: list[list[re.Pattern[str]]] = field(init=False)
    _seen: dict[str, int] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        self._alternatives = []
        if not self.pattern:
            return
        for alternative in split_pattern(self.pattern):
            compiled = []
            for level, part in enumerate(alternative):
                try:
                    compiled.append(re.compile(rewrite(part)))
                except re.error as exc:
                    raise RxpError(
                        f"invalid --bench regex {self.pattern!r}: element {level} ({part!r}): {exc}"
                    ) from None
            self._alternatives.append(compiled)

    def matches(self, name: str) -> tuple[bool, bool]:
        """``(ok, partial)`` for a full slash-separated benchmark name."""
        if not self._alternatives:
            return True, False
        elems = name.split("/")
        for alternative in self._alternatives:
            if all(rx.search(elem) for rx, elem in zip(alternative, elems, strict=False)):
                return True, len(elems) < len(alternative)
        return False, False

    def sub_name(self, parent: str, name: str) -> str:
        """The unique full name of sub-benchmark ``name`` under ``parent``."""
        base = f"{parent}/{rewrite(name)}"
        count = self._seen.get(base, 0)
        self._seen[base] = count + 1
        if count == 0 and name:
            return base
        candidate = f"{base}#{count:02d}"
        while candidate in self._seen:
            count += 1
            candidate = f"{base}#{count:02d}"
        self._seen[candidate] = 1
        return candidate
