"""What mining gives: templates, each also a regex, and which template each line joined."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Mining", "Template"]


@dataclass(frozen=True, slots=True)
class Template:
    """One event of a log.

    ``template`` is the message with ``<*>`` for each variable (Drain's form); ``regex`` is an
    anchored Python regex with one named group per variable (``groups``, in order), which
    matches every line of the template; ``examples`` are lines of it, first seen first.
    ``id`` (``T1``, ``T2``, ...) stays the same across runs that share a state file.
    """

    id: str
    template: str
    regex: str
    groups: tuple[str, ...]
    count: int
    examples: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Mining:
    """Templates by count (most lines first), and each input line's template id in order."""

    templates: tuple[Template, ...]
    assignments: tuple[str, ...]

    def template(self, template_id: str) -> Template:
        """The template with that id (``KeyError`` if there is none)."""
        for template in self.templates:
            if template.id == template_id:
                return template
        raise KeyError(template_id)
