"""Every format ``rxp parse`` knows, by name: which module holds it, loaded on first use.

The table below is the only list of names; each module's ``SPECS`` says what the format
takes. Names are VRL's ``parse_*`` functions without the prefix; the older short names stay
as aliases.
"""

from __future__ import annotations

import importlib

from .._errors import RxpError
from ._options import Options, read_options
from ._spec import FormatSpec, LineParser

__all__ = ["FORMAT_NAMES", "build_parser", "canonical", "format_spec"]

# name -> module (relative to this package); aliases point at the module of their format
_MODULES: dict[str, str] = {
    "auto": "_auto",
    "journal": "_auto",
    "json": "_json",
    "logfmt": "_logfmt",
    "key_value": "_logfmt",
    "kv": "_logfmt",
    "syslog": "_syslog",
    "linux_authorization": "_syslog",
    "ruby_hash": "_ruby",
    "klog": "_klog",
    "cef": "_cef",
    "glog": "_klog",
    "aws_alb_log": "_aws",
    "aws_vpc_flow_log": "_aws",
    "audit": "_audit",
    "nested": "_nested",
    "grok": "_grok",
    "groks": "_grok",
    "regex": "_grok",
    "query_string": "_url",
    "url": "_url",
    "etld": "_url",
    "user_agent": "_user_agent",
    "xml": "_documents",
    "yaml": "_documents",
    "aws_cloudwatch_log_subscription_message": "_documents",
    "influxdb": "_influxdb",
    "common_log": "_web",
    "apache_log": "_web",
    "nginx_log": "_web",
}

_ALIASES: dict[str, str] = {"kv": "key_value"}


FORMAT_NAMES: tuple[str, ...] = tuple(_MODULES)


def canonical(name: str) -> str:
    """The format's own name for one of its aliases (``kv`` -> ``key_value``)."""
    return _ALIASES.get(name, name)


def format_spec(name: str) -> FormatSpec:
    """The spec of the format ``name`` (or an alias). Raises ``RxpError`` for a name rxp does
    not know, listing the ones it does."""
    module = _MODULES.get(name)
    if module is None:
        raise RxpError(f"unknown format {name!r} (choose from {', '.join(FORMAT_NAMES)})")
    specs = importlib.import_module(f"{__package__}.{module}").SPECS
    for spec in specs:
        if name == spec.name or name in spec.aliases:
            return spec  # type: ignore[no-any-return]
    raise AssertionError(f"{module} declares no format {name!r}")  # pragma: no cover


def build_parser(
    name: str, given: Options | None = None, timeout: float | None = None
) -> tuple[LineParser, bool]:
    """The parser for format ``name`` with the options ``given`` (checked, defaults filled
    in), and whether it reads the whole input as one record. ``timeout`` (``--timeout``) is
    the budget of a format that runs a user's pattern, unless its own ``timeout`` option is
    given. Raises ``RxpError``."""
    spec = format_spec(name)
    if timeout is not None and any(o.name == "timeout" for o in spec.options):
        given = {"timeout": timeout, **(given or {})}
    options = read_options(spec.name, spec.options, given)
    return spec.build(options), spec.document(options)
