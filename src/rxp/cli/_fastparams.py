"""Convert plain CLI parameters without pydantic, to keep ``rxp`` start-up fast.

This Typer converts parameters through a pydantic ``TypeAdapter`` built on first use, and
building the first one imports pydantic: about 45 ms, a third of the whole start-up budget of
``rxp explain``; even the root group's ``--help`` option triggers it on every run. For the
annotations a command line really uses (``str``, ``str | None``, ``int``, ``bool``,
``Literal[...]`` of strings) conversion is trivial, so ``install()`` makes Typer's lazy
per-parameter converter use a plain one for them. Any other annotation (``Path``, lists, ...)
still goes through Typer's own conversion, and if Typer's internals change shape the patch
does nothing. ``install()`` is idempotent; it is called when the CLI package's command
modules are imported (``rxp.cli.explain``), before any argument is parsed.
"""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass
from typing import Any

import typer
import typer.core

__all__ = ["install"]


def _constrained(info: Any) -> bool:
    """Whether the parameter asks Typer for more than a plain conversion (bounds, a
    custom parser or click type, case-insensitive choices): then Typer converts it."""
    return (
        any(
            getattr(info, name, None) not in (None, False)
            for name in ("min", "max", "clamp", "parser", "click_type")
        )
        or getattr(info, "case_sensitive", True) is False
    )


def _plain(annotation: Any) -> tuple[str, tuple[object, ...]] | None:
    """("str" | "int" | "bool" | "choice", choices) for an annotation converted here."""
    args = typing.get_args(annotation)
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        rest = [a for a in args if a is not type(None)]
        return _plain(rest[0]) if len(rest) == 1 else None
    if origin is typing.Literal and all(isinstance(a, str) for a in args):
        return ("choice", args)
    if annotation is str:
        return ("str", ())
    if annotation is int:
        return ("int", ())
    if annotation is bool:
        return ("bool", ())
    return None


def install() -> None:
    """Make Typer convert plain parameters without pydantic (see the module docstring)."""
    cls: Any = getattr(typer.core, "_TyperParameter", None)
    original = getattr(cls, "get_runtime_param", None)
    if original is None or getattr(original, "_rxp_fast", False):
        return
    try:
        from typer._coercion import RuntimeParam as base
    except ImportError:  # a Typer without this seam: keep its own conversion
        return

    @dataclass(frozen=True)
    class _PlainParam(base):
        how: str = "str"
        choices: tuple[object, ...] = ()

        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            if self.how == "str":
                return value if isinstance(value, str) else str(value)
            if self.how == "bool":
                if isinstance(value, bool):
                    return value
                text = str(value).strip().lower()
                if text in ("1", "true", "t", "yes", "y", "on"):
                    return True
                if text in ("0", "false", "f", "no", "n", "off", ""):
                    return False
                raise typer.BadParameter(f"{value!r} is not a valid boolean.")
            if self.how == "int":
                try:
                    return int(value)
                except (TypeError, ValueError):
                    raise typer.BadParameter(f"{value!r} is not a valid integer.") from None
            if value not in self.choices:
                listed = ", ".join(repr(c) for c in self.choices)
                raise typer.BadParameter(f"{value!r} is not one of {listed}.")
            return value

    def get_runtime_param(self: Any) -> Any:
        if getattr(self, "_runtime_param", None) is None:
            descriptor = self.type_descriptor
            found = _plain(descriptor.annotation)
            if found is not None and not _constrained(descriptor.parameter_info):
                self._runtime_param = _PlainParam(
                    parameter_info=descriptor.parameter_info,
                    annotation=descriptor.annotation,
                    how=found[0],
                    choices=found[1],
                )
        return original(self)

    get_runtime_param._rxp_fast = True  # type: ignore[attr-defined]
    cls.get_runtime_param = get_runtime_param
