"""Frozen, slotted records built in one step: the AST's nodes and the values an explanation
is made of (keyword-only with ``record``; with ``value``, fields by position too).

``dataclasses.dataclass(frozen=True, slots=True, kw_only=True)`` compiles each generated
method with its own ``exec`` and builds every class twice (once more for ``__slots__``);
over the ~50 such classes that ``rxp explain`` loads that was a fifth of its start-up.
``record`` writes the same methods (``__init__`` taking keyword-only arguments, ``__repr__``,
``__eq__``, ``__hash__``, and assignment and deletion refused as a frozen dataclass refuses
them, with ``dataclasses.FrozenInstanceError``) with one ``exec`` per class, into a class
created once, with ``__slots__``. Pickling and ``copy`` work as for a frozen dataclass.
mypy reads a decorated class as a frozen keyword-only dataclass (``dataclass_transform``).

Field defaults are plain values (immutable ones: a record is frozen); ``dataclasses.field``
is not supported, nor is inheritance between records. The fields are the class's own
annotations, in order.
"""

from __future__ import annotations

from typing import Any, TypeVar, dataclass_transform

__all__ = ["field_names", "record", "replace", "value"]

_T = TypeVar("_T", bound=type)
_R = TypeVar("_R")

_SKIP = frozenset({"__dict__", "__weakref__"})


class _Missing:
    """The marker for a field without a default."""


def _source(name: str, fields: list[str], defaults: dict[str, object], kw_only: bool) -> str:
    params = ", ".join(f"{f}=_d_{f}" if f in defaults else f for f in fields)
    setters = "".join(f"    _set(self, {f!r}, {f})\n" for f in fields) or "    pass\n"
    values = "".join(f"self.{f}, " for f in fields)
    other = "".join(f"other.{f}, " for f in fields)
    shown = ", ".join(f"{f}={{self.{f}!r}}" for f in fields)
    star = "*, " if fields and kw_only else ""
    return (
        f"def __init__(self, {star}{params}):\n{setters}"
        f"def __repr__(self):\n    return f'{name}({shown})'\n"
        "def __eq__(self, other):\n"
        "    if other.__class__ is self.__class__:\n"
        f"        return ({values}) == ({other})\n"
        "    return NotImplemented\n"
        f"def __hash__(self):\n    return hash(({values}))\n"
        "def __setattr__(self, name, value):\n"
        "    raise _Frozen(f'cannot assign to field {name!r}')\n"
        "def __delattr__(self, name):\n"
        "    raise _Frozen(f'cannot delete field {name!r}')\n"
        f"def __getstate__(self):\n    return ({values})\n"
        "def __setstate__(self, state):\n"
        "    for name, value in zip(_fields, state):\n"
        "        _set(self, name, value)\n"
    )


@dataclass_transform(frozen_default=True, kw_only_default=True)
def record(cls: _T) -> _T:
    """``cls`` as a frozen, slotted, keyword-only record (see the module docstring)."""
    return _build(cls, kw_only=True)


@dataclass_transform(frozen_default=True)
def value(cls: _T) -> _T:
    """``cls`` as a frozen, slotted record whose fields may also be given by position, as
    ``dataclass(frozen=True, slots=True)`` makes them."""
    return _build(cls, kw_only=False)


def _build(cls: _T, *, kw_only: bool) -> _T:
    from dataclasses import FrozenInstanceError

    # the class's own annotations, unevaluated (inspect.get_annotations would cost an import)
    annotations: dict[str, object] = cls.__dict__.get("__annotations__", {})  # noqa: RUF063
    fields = list(annotations)
    namespace = {k: v for k, v in cls.__dict__.items() if k not in _SKIP}
    defaults = {f: namespace.pop(f) for f in fields if f in namespace}
    namespace["__slots__"] = tuple(fields)
    namespace["__match_args__"] = () if kw_only else tuple(fields)
    scope: dict[str, Any] = {f"_d_{f}": v for f, v in defaults.items()}
    scope.update(_set=object.__setattr__, _Frozen=FrozenInstanceError, _fields=tuple(fields))
    exec(_source(cls.__name__, fields, defaults, kw_only), scope)
    for method in (
        "__init__",
        "__repr__",
        "__eq__",
        "__hash__",
        "__setattr__",
        "__delattr__",
        "__getstate__",
        "__setstate__",
    ):
        function = scope[method]
        function.__qualname__ = f"{cls.__qualname__}.{method}"
        namespace[method] = function
    built: _T = type(cls)(cls.__name__, cls.__bases__, namespace)
    built.__qualname__ = cls.__qualname__
    return built


def field_names(value: object) -> tuple[str, ...]:
    """The fields of a record (or of a slotted dataclass), in order."""
    names: tuple[str, ...] = getattr(type(value), "__slots__", ())
    return names


def replace(value: _R, /, **changes: object) -> _R:
    """A copy of the record ``value`` with some fields changed (``dataclasses.replace``)."""
    fields = {name: getattr(value, name) for name in field_names(value)}
    unknown = set(changes) - set(fields)
    if unknown:
        raise TypeError(f"{type(value).__name__} has no field {sorted(unknown)[0]!r}")
    fields.update(changes)
    copy: _R = type(value)(**fields)
    return copy
