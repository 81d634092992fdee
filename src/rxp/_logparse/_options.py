"""A format's named options: VRL's named parameters, spelled as VRL spells them.

Each format declares its options as ``Option`` records; ``read_options`` turns what the user
gave (``--option KEY=VALUE`` text from the command line, or Python values from the API) into
a complete, checked ``Options`` mapping, the defaults filled in. On the command line VALUE is
read as JSON when it is a boolean, a number, an array or an object, else as plain text
(``field_delimiter=,`` is the string ``","``; ``accept_standalone_key=false`` the boolean).
An unknown option or a value of the wrong kind is a bad request (``RxpError``) that names
the valid ones.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal, TypeAlias

from .._errors import RxpError
from ._records import JSONValue

__all__ = ["Kind", "Option", "Options", "option_value", "read_options"]

Kind: TypeAlias = Literal["str", "bool", "int", "float", "choice", "list", "object", "any"]
Options: TypeAlias = Mapping[str, JSONValue]


@dataclass(frozen=True)
class Option:
    """One named parameter: ``kind`` says which values it takes (``choice``: one of
    ``choices``; ``list``: an array of strings; ``any``: whatever JSON gives); ``default`` is
    VRL's default (``None``: not given)."""

    name: str
    kind: Kind
    default: JSONValue = None
    choices: tuple[str, ...] = ()
    help: str = ""

    def describe(self) -> str:
        if self.kind == "choice":
            return f"{self.name}={'|'.join(self.choices)}"
        return f"{self.name}=<{self.kind}>"


def option_value(text: str) -> JSONValue:
    """VALUE of ``--option KEY=VALUE``: JSON when it reads as a boolean, number, array or
    object, else the text itself."""
    try:
        value: JSONValue = json.loads(text)
    except ValueError:
        return text
    if value is None or isinstance(value, str):
        return text
    return value


def _kind_error(fmt: str, option: Option, value: JSONValue) -> RxpError:
    want = {
        "str": "a string",
        "bool": "true or false",
        "int": "an integer",
        "float": "a number",
        "choice": "one of " + ", ".join(option.choices),
        "list": "an array of strings (as JSON)",
        "object": "an object (as JSON)",
        "any": "a JSON value",
    }[option.kind]
    shown = json.dumps(value) if not isinstance(value, str) else repr(value)
    return RxpError(f"format {fmt}: option {option.name} must be {want}, not {shown}")


def _checked(fmt: str, option: Option, value: JSONValue) -> JSONValue:
    kind = option.kind
    if kind == "any":
        return value
    if kind == "str":
        if isinstance(value, str):
            return value
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, int | float):
            return json.dumps(value)  # `field_delimiter=1` means the text "1"
    elif kind == "bool":
        if isinstance(value, bool):
            return value
        if value in ("true", "false"):
            return value == "true"
    elif kind == "int":
        if isinstance(value, int) and not isinstance(value, bool):
            return value
    elif kind == "float":
        if isinstance(value, int | float) and not isinstance(value, bool):
            return value
    elif kind == "choice":
        if isinstance(value, str) and value in option.choices:
            return value
    elif kind == "list":
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return value
        if isinstance(value, str):
            return [value]
    elif kind == "object" and isinstance(value, dict):
        return value
    raise _kind_error(fmt, option, value)


def read_options(fmt: str, declared: Iterable[Option], given: Options | None) -> Options:
    """Every declared option with its value: the one given (checked), else the default.
    Raises ``RxpError`` naming the valid options for one that ``fmt`` does not have."""
    table = {option.name: option for option in declared}
    values: dict[str, JSONValue] = {name: option.default for name, option in table.items()}
    for name, value in (given or {}).items():
        option = table.get(name)
        if option is None:
            valid = ", ".join(o.describe() for o in table.values()) or "none"
            raise RxpError(f"format {fmt} has no option {name!r} (valid: {valid})")
        values[name] = _checked(fmt, option, value)
    return values
