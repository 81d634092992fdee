"""Templates as a pattern file: what ``rxp mine --patterns-out`` writes for ``rxp parse
--patterns``.

The format is ``rxp parse``'s (and grok's pattern files'): UTF-8, one ``NAME REGEX`` a
line, ``#`` comments; the parser tries the patterns in order and the first that matches
names the record. Here the names are the template ids, after a comment that lists them with
their counts and ``<*>`` forms. The most specific template comes first (the most constant
text, then the most lines): ``Failed password for invalid user <*> from <*>`` must be tried
before ``Failed password for <*> from <*>``, which matches its lines too.

A regex must fit on its line, and a template's regex holds a carriage return or a newline
wherever its lines did (a ``message`` field of JSON, a lone CR inside a line): those are
written as the escapes ``\\r`` and ``\\n``, which match the same characters. Mined with
``format="auto"``, a template's regex matches the message, not the raw line; ``header``
then puts ``(?P<header>.*?)`` after its ``^`` so that it reads the raw line, the header
before the message in its own group (a message that is not the end of its line, as in
JSON, is not matched).
"""

from __future__ import annotations

from collections.abc import Sequence

from ._model import Template

__all__ = ["pattern_file", "raw_line_regex"]

_HEADER = "header"


def pattern_file(templates: Sequence[Template], *, header: bool = False) -> str:
    """The text of a pattern file with a pattern for each template, in order, written by
    ``rxp parse``'s own writer (which refuses what its reader would not give back); its
    opening comment lists each template's id, count and ``<*>`` form."""
    from .._logparse._patterns import write_pattern_file

    comment = [
        "rxp mine: one template a line, NAME REGEX, the first that matches wins",
        "(rxp parse --patterns FILE reads it). The templates:",
    ]
    for template in templates:
        noun = "line" if template.count == 1 else "lines"
        comment.append(f"  {template.id}  {template.count} {noun}  {template.template}")
    ordered = sorted(templates, key=lambda t: (-_constant_text(t), -t.count))
    patterns = [(t.id, _one_line(raw_line_regex(t) if header else t.regex)) for t in ordered]
    return write_pattern_file(patterns, "\n".join(comment))


def _constant_text(template: Template) -> int:
    """How much of a template's text is constant (its ``<*>`` and whitespace left out)."""
    return sum(not c.isspace() for c in template.template.replace("<*>", ""))


def raw_line_regex(template: Template) -> str:
    """``template``'s regex with a lazy group for the header before its message: it
    matches a raw line whose message (``_messages``) is the rest of the line."""
    name = _HEADER
    n = 1
    while name in template.groups:
        n += 1
        name = f"{_HEADER}{n}"
    return f"^(?P<{name}>.*?)" + template.regex.removeprefix("^")


def _one_line(text: str) -> str:
    """``text`` with each CR and LF (bare, or escaped by a backslash) as ``\\r``/``\\n``:
    the same regex, on one line."""
    out: list[str] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char == "\\" and i + 1 < len(text):
            after = text[i + 1]
            out.append(_ESCAPES.get(after, char + after))
            i += 2
            continue
        out.append(_ESCAPES.get(char, char))
        i += 1
    return "".join(out)


_ESCAPES = {"\r": "\\r", "\n": "\\n"}
