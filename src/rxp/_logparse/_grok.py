"""Grok and regex formats: VRL's ``parse_grok``, ``parse_groks`` and ``parse_regex``.

- ``grok``: one grok expression (``--grok '%{COMBINEDAPACHELOG}'``), searched in the line as
  Logstash and VRL do, with the standard library plus ``definitions`` ('NAME REGEX' lines,
  from ``--grok-patterns FILE``). A field whose group did not take part is left out (VRL);
  ``%{NUMBER:bytes:int}`` / ``:float`` convert the value as Logstash does (VRL's grok crate
  would keep ``bytes:int`` as the field's name); ``[client][ip]`` nests; a field captured
  twice becomes an array of its values (Logstash).
- ``groks``: VRL's ``parse_groks``, which reads Datadog's grok dialect: several rules
  (``patterns``, the first that matches the whole line wins), ``aliases`` (and JSON files of
  them, ``alias_sources``), matchers (``%{word:x}``, ``%{integer:x}``, ``%{regex("..."):x}``),
  dotted fields that nest (``http.status_code``) and filters (``:nullIf("-")``,
  ``:scale(10)``, ``:number``, ...). Not supported: the ``date``/``boolean`` matchers and the
  ``keyvalue``, ``array``, ``querystring``, ``rubyhash`` and ``xml`` filters (a usage error
  says so).
- ``regex``: VRL's ``parse_regex``: a pattern's named groups (an unmatched one is ``null``),
  with ``numeric_groups`` also every group that matched, by number.

The expansion is ``rxp._syntax._grok``'s (one regex, parsed by rxp's own parser); here it
is compiled once, with ``re`` where the expansion allows it, and each line costs one search.
"""

from __future__ import annotations

import importlib
import json
import math
import re
import urllib.parse
from collections.abc import Callable, Iterable
from typing import Any

from .._errors import PatternError, RxpError
from .._syntax._grok import Grok, GrokField, GrokRef, compile_grok, read_definitions
from ._options import Option, Options
from ._records import JSONValue, LineError, Record
from ._spec import FormatSpec, LineParser
from ._timed import TIMEOUT, TimedParser, timeout_of

__all__ = ["SPECS", "grok_parser", "groks_parser", "regex_parser"]

_NO_GROK = "unable to parse input with grok pattern"
_NO_GROKS = "unable to parse grok: value does not match any rule"
_NO_REGEX = "could not find any pattern matches"


def _compile(text: str, flavor: str, flags: int = 0) -> Any:
    """``text`` compiled by the engine whose flavour accepted it: ``re``, else the ``regex``
    package (its version 0, ``re``'s semantics; the flag bits the two share agree)."""
    if flavor == "re":
        return re.compile(text, flags)
    engine = importlib.import_module("regex")
    return engine.compile(text, flags | engine.V0)


def _compiled(grok: Grok, flags: int = 0) -> Any:
    return _compile(grok.text, grok.flavor, flags)


# --- grok (Logstash's dialect, VRL's parse_grok) ---------------------------------------------


def _to_int(text: str) -> JSONValue:
    try:
        return int(text)
    except ValueError:
        try:
            number = float(text)
        except ValueError:
            return text
        return int(number) if math.isfinite(number) else text


def _to_float(text: str) -> JSONValue:
    try:
        return float(text)
    except ValueError:
        return text


_CONVERT: dict[str, Callable[[str], JSONValue]] = {"int": _to_int, "float": _to_float}


def _put(record: Record, path: tuple[str, ...], value: JSONValue) -> None:
    """Store ``value`` at ``path``; a key already holding a value becomes an array."""
    target = record
    for key in path[:-1]:
        inner = target.get(key)
        if not isinstance(inner, dict):
            inner = {}
            target[key] = inner
        target = inner
    key = path[-1]
    if key not in target:
        target[key] = value
    elif isinstance(target[key], list):
        target[key].append(value)  # type: ignore[union-attr]
    else:
        target[key] = [target[key], value]


def grok_parser(pattern: str, definitions: str | None = None, timeout: float = 1.0) -> LineParser:
    """The parser of ``--format grok``: ``pattern`` searched in each line, within
    ``timeout`` seconds a line."""
    grok = compile_grok(pattern, read_definitions(definitions or ""))
    timed = TimedParser(timeout)
    search = timed.budgeted(_compiled(grok), grok.flavor, grok.text).search
    fields = grok.fields
    plain = len({f.field for f in fields}) == len(fields) and all(
        f.group == f.field and f.extra not in _CONVERT for f in fields
    )
    if plain:  # the common case: the groups are the fields, nothing to convert

        def run_plain(line: str) -> tuple[Record, str]:
            match = search(line)
            if match is None:
                raise LineError(_NO_GROK, 1)
            return {k: v for k, v in match.groupdict().items() if v is not None}, "grok"

        timed.read = run_plain
        return timed

    plan = [(f.group, f.path, _CONVERT.get(f.extra or "")) for f in fields]

    def run(line: str) -> tuple[Record, str]:
        match = search(line)
        if match is None:
            raise LineError(_NO_GROK, 1)
        record: Record = {}
        for group, path, convert in plan:
            text = match.group(group)
            if text is not None:
                _put(record, path, convert(text) if convert is not None else text)
        return record, "grok"

    timed.read = run
    return timed


def _build_grok(options: Options) -> LineParser:
    pattern = options["pattern"]
    if not isinstance(pattern, str):
        raise RxpError("format grok needs a pattern: --grok EXPR or --option pattern=EXPR")
    definitions = options["definitions"]
    text = definitions if isinstance(definitions, str) else None
    return grok_parser(pattern, text, timeout_of(options))


# --- groks (Datadog's dialect, VRL's parse_groks) -------------------------------------------

Filter = Callable[[JSONValue], Any]  # a value, None (null: dropped) or _DROP
_DROP = object()  # a filter that failed: the value is not stored (VRL's internal error)
_INTEGER = re.compile(r"[+-]?[0-9]+\Z")
_FLOAT = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?\Z")


def _number_of(value: JSONValue) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str) and _FLOAT.match(value):
        return float(value)
    return None


def _integral(number: float) -> JSONValue:
    """VRL's number filters: an integral float is stored as an integer."""
    return int(number) if number.is_integer() else number


def _f_integer(value: JSONValue) -> Any:
    return int(value) if isinstance(value, str) and _INTEGER.match(value) else _DROP


def _f_integer_ext(value: JSONValue) -> Any:
    number = _number_of(value) if isinstance(value, str) else None
    return _DROP if number is None or not math.isfinite(number) else int(number)


def _f_number(value: JSONValue) -> Any:
    number = _number_of(value) if isinstance(value, str) else None
    return _DROP if number is None else _integral(number)


def _f_scale(factor: float) -> Filter:
    def scale(value: JSONValue) -> Any:
        number = _number_of(value)
        return _DROP if number is None else _integral(number * factor)

    return scale


def _f_null_if(null: str) -> Filter:
    return lambda value: None if value == null else value


def _on_text(change: Callable[[str], JSONValue]) -> Filter:
    return lambda value: change(value) if isinstance(value, str) else _DROP


def _f_json(value: JSONValue) -> Any:
    if not isinstance(value, str):
        return _DROP
    try:
        parsed: JSONValue = json.loads(value)
    except ValueError:
        return _DROP
    return parsed


_FILTERS: dict[str, Filter] = {
    "integer": _f_integer,
    "integerExt": _f_integer_ext,
    "number": _f_number,
    "numberExt": _f_number,
    "lowercase": _on_text(str.lower),
    "uppercase": _on_text(str.upper),
    "json": _f_json,
    "boolean": _on_text(lambda text: text.lower() == "true"),
    "decodeuricomponent": _on_text(urllib.parse.unquote),
}
_UNSUPPORTED = ("date", "keyvalue", "array", "querystring", "rubyhash", "xml")
# matchers that are a definition plus an implicit filter (VRL's resolves_match_function)
_MATCHERS = {
    "integer": "integerStr",
    "integerExt": "integerExtStr",
    "number": "numberStr",
    "numberExt": "numberExtStr",
}


def _filter(text: str) -> Filter:
    from .._syntax._grok import split_reference

    ref = split_reference("%{" + text + "}")
    name, args = ref.name, ref.args
    if name == "scale":
        try:
            return _f_scale(float(args[0]))
        except (IndexError, ValueError):
            raise RxpError("invalid arguments for the function 'scale'") from None
    if name == "nullIf":
        if not args:
            raise RxpError("invalid arguments for the function 'nullIf'")
        return _f_null_if(args[0])
    if name in _FILTERS:
        return _FILTERS[name]
    if name in _UNSUPPORTED:
        raise RxpError(f"groks: the {name} filter is not supported by rxp")
    raise RxpError(f"unknown filter '{name}'")


def _inline(ref: GrokRef, aliases: dict[str, str]) -> str | None:
    """What a Datadog matcher stands for, when it is not a plain definition name."""
    if ref.name in aliases:
        return None
    if ref.name == "regex":
        if not ref.args:
            raise RxpError("invalid arguments for the function 'regex'")
        return ref.args[0]
    if ref.name in ("date", "boolean"):
        raise RxpError(f"groks: the {ref.name} matcher is not supported by rxp")
    matcher = _MATCHERS.get(ref.name)
    return None if matcher is None else "%{" + matcher + "}"


def _filters(field: GrokField, aliases: dict[str, str]) -> tuple[Filter, ...]:
    out: list[Filter] = []
    ref = field.ref
    if ref is not None and ref.name not in aliases and ref.name in _MATCHERS:
        out.append(_FILTERS[ref.name])
    if field.extra is not None:
        out.append(_filter(field.extra))
    return tuple(out)


def _prune(value: JSONValue) -> JSONValue:
    """VRL's post-processing: empty objects and nulls dropped, at every depth."""
    if isinstance(value, dict):
        kept = {k: _prune(v) for k, v in value.items()}
        return {k: v for k, v in kept.items() if v is not None and v != {}}
    if isinstance(value, list):
        return [_prune(v) for v in value]
    return value


class _Rule:
    """One compiled Datadog rule: its regex (matched against the whole text) and fields."""

    def __init__(
        self,
        pattern: str,
        aliases: dict[str, str],
        definitions: dict[str, str],
        timed: TimedParser,
    ):
        table = {**definitions, **aliases}
        try:
            grok = compile_grok(
                pattern,
                table,
                dialect="datadog",
                inline=lambda ref: _inline(ref, aliases),
                onig=False,
            )
        except RecursionError:
            raise RxpError(f"Circular dependency found in the alias {pattern!r}") from None
        compiled = _compiled(grok, re.DOTALL)
        self.fullmatch = timed.budgeted(compiled, grok.flavor, grok.text, re.DOTALL).fullmatch
        self.plan = [
            (f.group, _dd_path(f), _filters(f, aliases), f.ref is None) for f in grok.fields
        ]

    def apply(self, line: str) -> Record | None:
        match = self.fullmatch(line)
        if match is None:
            return None
        record: Record = {}
        for group, path, filters, raw in self.plan:
            text = match.group(group)
            if not text:
                continue
            value: Any = text
            for step in filters:
                value = step(value)
                if value is None or value is _DROP:
                    break
            if value is None or value is _DROP:
                continue
            if raw:  # a named group of the regex itself: stored as written
                record[path[0]] = value
            elif not path:
                if isinstance(value, dict):
                    record.update(value)
            else:
                _put(record, path, value)
        pruned = _prune(record)
        assert isinstance(pruned, dict)
        return pruned


def _dd_path(field: GrokField) -> tuple[str, ...]:
    """A Datadog destination: dotted (``http.status_code``); empty: the record itself."""
    if not field.field:
        return ()
    if field.ref is None:
        return (field.field,)
    return tuple(field.field.split("."))


def _read_alias_sources(paths: Iterable[str]) -> dict[str, str]:
    aliases: dict[str, str] = {}
    for path in paths:
        try:
            with open(path, encoding="utf-8") as file:
                loaded = json.load(file)
        except OSError:
            raise RxpError(f"alias_sources: unable to open alias source file {path}") from None
        except ValueError:
            raise RxpError(f"alias_sources: unable to read alias source {path}") from None
        if not isinstance(loaded, dict):
            raise RxpError(f"alias_sources: {path} does not hold a JSON object")
        aliases.update(loaded)
    return aliases


def groks_parser(
    patterns: list[str],
    aliases: dict[str, JSONValue] | None = None,
    alias_sources: list[str] | None = None,
    definitions: str | None = None,
    timeout: float = 1.0,
) -> LineParser:
    """The parser of ``--format groks``: the first rule that matches the whole line (all
    rules within ``timeout`` seconds a line)."""
    merged: dict[str, JSONValue] = dict(aliases or {})
    merged.update(_read_alias_sources(alias_sources or ()))
    for name, value in merged.items():
        if not isinstance(value, str):
            raise RxpError(f"invalid argument aliases: alias {name!r} should be a string")
    texts = {k: v for k, v in merged.items() if isinstance(v, str)}
    table = read_definitions(definitions or "")
    timed = TimedParser(timeout)
    rules = [_Rule(p, texts, table, timed) for p in patterns if p]

    def run(line: str) -> tuple[Record, str]:
        for rule in rules:
            record = rule.apply(line)
            if record is not None:
                return record, "groks"
        raise LineError(_NO_GROKS, 1)

    timed.read = run
    return timed


def _build_groks(options: Options) -> LineParser:
    patterns = options["patterns"]
    if not isinstance(patterns, list) or not patterns:
        raise RxpError('format groks needs patterns: --option patterns=["%{...}", ...]')
    aliases = options["aliases"]
    sources = options["alias_sources"]
    definitions = options["definitions"]
    return groks_parser(
        [str(p) for p in patterns],
        aliases if isinstance(aliases, dict) else None,
        [str(s) for s in sources] if isinstance(sources, list) else None,
        definitions if isinstance(definitions, str) else None,
        timeout_of(options),
    )


# --- regex (VRL's parse_regex) ---------------------------------------------------------------


def regex_parser(pattern: str, numeric_groups: bool = False, timeout: float = 1.0) -> LineParser:
    """The parser of ``--format regex``: the first match's named groups (``null`` for one
    that did not take part); with ``numeric_groups``, also each group that matched, numbered
    in order from ``"0"`` (the whole match) as VRL does, skipping those that did not."""
    from .._syntax._parse import parse

    try:
        flavor = parse(pattern, flavor="re").flavor
    except PatternError:
        flavor = parse(pattern, flavor="regex").flavor  # raises PatternError if neither takes it
    compiled = _compile(pattern, flavor)
    timed = TimedParser(timeout)
    search = timed.budgeted(compiled, flavor, pattern).search
    groups = range(compiled.groups + 1)

    def run(line: str) -> tuple[Record, str]:
        match = search(line)
        if match is None:
            raise LineError(_NO_REGEX, 1)
        record: Record = {}
        if numeric_groups:
            matched = (g for g in map(match.group, groups) if g is not None)
            record.update((str(i), g) for i, g in enumerate(matched))
        record.update(match.groupdict())
        return record, "regex"

    timed.read = run
    return timed


def _build_regex(options: Options) -> LineParser:
    pattern = options["pattern"]
    if not isinstance(pattern, str):
        raise RxpError("format regex needs a pattern: --option pattern=REGEX")
    return regex_parser(pattern, bool(options["numeric_groups"]), timeout_of(options))


SPECS: tuple[FormatSpec, ...] = (
    FormatSpec(
        "grok",
        _build_grok,
        options=(
            Option("pattern", "str", help="the grok expression (required; or --grok)"),
            Option(
                "definitions",
                "str",
                help="custom 'NAME REGEX' lines (or --grok-patterns FILE)",
            ),
            TIMEOUT,
        ),
        summary="a grok expression with the Logstash pattern library (Vector parse_grok)",
    ),
    FormatSpec(
        "groks",
        _build_groks,
        options=(
            Option("patterns", "list", help="grok rules, the first that matches wins (required)"),
            Option("aliases", "object", {}, help="named rules the patterns refer to"),
            Option("alias_sources", "list", [], help="JSON files of aliases"),
            Option("definitions", "str", help="custom 'NAME REGEX' lines (--grok-patterns)"),
            TIMEOUT,
        ),
        summary="Datadog grok rules and aliases (Vector parse_groks)",
    ),
    FormatSpec(
        "regex",
        _build_regex,
        options=(
            Option("pattern", "str", help="the regex; its named groups become fields (required)"),
            Option("numeric_groups", "bool", False, help="also every group by number"),
            TIMEOUT,
        ),
        summary="a regex's named groups (Vector parse_regex)",
    ),
)
