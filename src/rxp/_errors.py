"""Errors rxp reports to people: a message, and where there is one, the input and a span.

The message is a lowercase fragment with no trailing period. Rendering is separate from the
error (``render_error``) so the CLI, ``--json`` and library callers each show it their own way.
"""

from __future__ import annotations

__all__ = ["PatternError", "RxpError", "error_document", "os_reason", "render_error"]


def os_reason(exc: OSError, *, lower: bool = False) -> str:
    """The OS's words for ``exc`` (``No such file or directory``), as grep prints them
    after a name; the whole exception's text when it has none. ``lower``: with a small
    first letter (``no such file or directory``), as Go's errors read after ``name:``."""
    reason = exc.strerror or str(exc)
    return reason[:1].lower() + reason[1:] if lower else reason


class RxpError(Exception):
    """Any error rxp reports as ``rxp: error: <message>`` with exit status 2."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class PatternError(RxpError):
    """An invalid regular expression.

    ``span`` is a half-open range of code-point offsets into ``pattern``; ``position`` is its
    start, and agrees with ``re.error.pos`` wherever Python's ``re`` reports one.
    """

    def __init__(self, message: str, *, pattern: str, span: tuple[int, int]) -> None:
        super().__init__(message)
        start, end = span
        start = max(0, min(start, len(pattern)))
        self.pattern = pattern
        self.span = (start, max(start, min(end, len(pattern))))

    @property
    def position(self) -> int:
        return self.span[0]

    def __str__(self) -> str:
        return f"{self.message} at position {self.position}"


def _line_of(pattern: str, position: int) -> tuple[str, int]:
    """The line of ``pattern`` holding ``position`` and the offset where it starts."""
    start = pattern.rfind("\n", 0, position) + 1
    end = pattern.find("\n", position)
    return pattern[start : len(pattern) if end < 0 else end], start


def _visible(text: str) -> str:
    """One display cell per code point, so the caret lines up: control characters
    (a NUL, a tab) are shown as a placeholder of width one."""
    return "".join(ch if ch.isprintable() else "\N{MIDDLE DOT}" for ch in text)


def render_error(error: RxpError, *, prog: str = "rxp", limit: int = 120) -> str:
    """``prog: error: message`` and, for a pattern error, the pattern's line with a caret
    (or a run of carets for a span) under the offending place. Long patterns are windowed
    around the position so the caret stays on screen."""
    head = f"{prog}: error: {error.message}"
    if not isinstance(error, PatternError):
        return head
    text, offset = _line_of(error.pattern, error.position)
    col = error.position - offset
    width = max(1, min(error.span[1], offset + len(text)) - error.position)
    shift = 0
    if len(text) > limit:
        shift = max(0, min(col - limit // 2, len(text) - limit))
        text = text[shift : shift + limit]
    prefix = "    "
    caret = " " * (col - shift) + "^" * min(width, max(1, limit - (col - shift)))
    where = f"(at position {error.position})"
    return f"{head} {where}\n{prefix}{_visible(text)}\n{prefix}{caret}"


def error_document(error: RxpError) -> dict[str, object]:
    """The ``--json`` form: ``{"error": {"message", "position", "span"}}``."""
    body: dict[str, object] = {"message": error.message, "position": None, "span": None}
    if isinstance(error, PatternError):
        body["position"] = error.position
        body["span"] = list(error.span)
    return {"error": body}
