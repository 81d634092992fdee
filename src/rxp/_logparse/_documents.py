"""Document formats: the whole input is one record (``xml``, ``yaml``,
``aws_cloudwatch_log_subscription_message``), as Vector's ``parse_xml``, ``parse_yaml`` and
``parse_aws_cloudwatch_log_subscription_message`` read one event's text.

- ``xml``: the standard library's expat parser, made safe: entity declarations (the
  billion-laughs attack and external entities both need one) are refused, external entities
  and parameter entities are never read. The tree is turned into an object by the rules of
  VRL's ``process_node`` (roxmltree there), every option kept: ``trim``, ``include_attr``,
  ``attr_prefix``, ``text_key``, ``always_use_text_key``, ``parse_bool``, ``parse_null``,
  ``parse_number``.
- ``yaml``: PyYAML's safe loader (imported on first use) with serde_yaml's reading of plain
  scalars instead of YAML 1.1's: only ``true``/``false`` (three spellings) are booleans,
  ``~``/``null``/empty are null, ``0x``/``0o``/``0b`` integers, no dates, no ``<<`` merges,
  keys kept as written. Aliases that expand beyond 100 times the input, or nest beyond 128
  levels, are an error (serde_yaml's repetition and recursion limits).
- ``aws_cloudwatch_log_subscription_message``: the JSON CloudWatch Logs sends to a
  subscription, checked field by field as VRL's serde structs do (no unknown or missing
  field), each event's millisecond ``timestamp`` as RFC 3339 text.

A value JSON cannot hold (an infinite or NaN number) is kept as its text. A top-level YAML
value that is not a mapping is kept under ``yaml``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from xml.parsers import expat

from ._json import as_record, load_json
from ._options import Option, Options
from ._records import JSONValue, LineError, Record
from ._spec import FormatSpec, LineParser, always
from ._time import to_rfc3339

__all__ = ["SPECS", "parse_aws_cloudwatch", "read_xml", "read_yaml"]


# --- xml ----------------------------------------------------------------------------------

# VRL's trim: `>\s+?<` -> `><` over the whole text; Rust's \s is Unicode White_Space, which
# (unlike Python's) leaves out the separators U+001C-U+001F
_TRIM = re.compile(r">[^\S\x1c-\x1f]+<")
_I64_TEXT = re.compile(r"[+-]?[0-9]+")
# Rust's f64::from_str: inf, infinity, nan (any case) or digits with an optional point and
# exponent; nothing else (no `_`, no spaces)
_F64_TEXT = re.compile(
    r"[+-]?(?:(?i:inf|infinity|nan)|(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)"
)
_MAX_REWRITES = 16
_SEP = "\x01"  # between a namespace URI and a local name: no XML name holds it


class _Other:
    """A comment or a processing instruction: VRL counts it among an element's children
    (so it stops the one-child flattening) but never shows it."""

    __slots__ = ()


_OTHER = _Other()


class _Element:
    """An element as expat reports it: its local name, its attributes as expat's flat
    ``[name, value, name, value...]`` list (names may still carry a namespace), its
    children in order."""

    __slots__ = ("attrs", "children", "name")

    def __init__(self, name: str, attrs: list[str]) -> None:
        self.name = name
        self.attrs = attrs
        self.children: list[_Element | str | _Other] = []


@dataclass(frozen=True)
class XmlOptions:
    """VRL's ``parse_xml`` parameters, defaults as VRL's."""

    trim: bool = True
    include_attr: bool = True
    attr_prefix: str = "@"
    text_key: str = "text"
    always_use_text_key: bool = False
    parse_bool: bool = True
    parse_null: bool = True
    parse_number: bool = True


class _Refused(Exception):
    """A construct rxp does not read in XML, for safety."""


def _local(name: str) -> str:
    return name.rpartition(_SEP)[2]


def _tree(data: bytes) -> _Element:
    """The document's root element. Raises ``expat.ExpatError`` or ``_Refused``."""
    parser = expat.ParserCreate("UTF-8", _SEP)  # UTF-8 whatever the declaration says
    parser.buffer_text = True
    parser.ordered_attributes = True
    parser.specified_attributes = True  # no defaults from an ATTLIST: roxmltree adds none
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    stack: list[_Element] = []
    roots: list[_Element] = []
    text: list[str] = []

    def flush() -> None:
        if stack:
            stack[-1].children.append("".join(text))
        text.clear()

    def start(name: str, attrs: list[str]) -> None:
        if text:
            flush()
        if _SEP in name:
            name = _local(name)
        element = _Element(name, attrs)
        (stack[-1].children if stack else roots).append(element)
        stack.append(element)

    def end(name: str) -> None:
        if text:
            flush()
        stack.pop()

    def other(*args: object) -> None:
        if text:
            flush()
        if stack:
            stack[-1].children.append(_OTHER)

    def entity(*args: object) -> None:
        raise _Refused("entity declarations are not read (billion laughs, external entities)")

    def skipped(name: str, is_parameter: int) -> None:
        raise _Refused(f"undefined entity &{name};")

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text.append
    parser.CommentHandler = other
    parser.ProcessingInstructionHandler = other
    parser.EntityDeclHandler = entity
    parser.UnparsedEntityDeclHandler = entity
    parser.SkippedEntityHandler = skipped
    parser.ExternalEntityRefHandler = lambda *args: 0
    parser.Parse(data, True)
    return roots[0]


def _parse_tree(text: str) -> _Element:
    """``text``'s tree; an XML declaration inside the document (``<p><?xml?>x</p>``, which
    roxmltree reads as a processing instruction) is renamed so that expat does the same."""
    data = text.encode("utf-8", "surrogatepass")
    for _ in range(_MAX_REWRITES):
        try:
            return _tree(data)
        except expat.ExpatError as exc:
            at, line, code = exc.offset, exc.lineno, exc.code
            misplaced = code == expat.errors.codes[expat.errors.XML_ERROR_MISPLACED_XML_PI]
            index = _byte_index(data, line, at)
            if misplaced and data[index : index + 5] == b"<?xml":
                data = data[: index + 5] + b"-rxp" + data[index + 5 :]
                continue
            message = expat.errors.messages[code]
            raise LineError(f"invalid XML: {message} (line {line})", at + 1) from None
        except _Refused as exc:
            raise LineError(f"invalid XML: {exc}", 1) from None
    raise LineError("invalid XML: too many XML declarations inside the document", 1)


def _byte_index(data: bytes, line: int, column: int) -> int:
    start = 0
    for _ in range(line - 1):
        start = data.index(b"\n", start) + 1
    head = data[start:].decode("utf-8", "surrogatepass")[:column]
    return start + len(head.encode("utf-8", "surrogatepass"))


def _number(text: str) -> JSONValue:
    if _I64_TEXT.fullmatch(text):
        value = int(text)
        if -(1 << 63) <= value < (1 << 63):
            return value
    if _F64_TEXT.fullmatch(text):
        number = float(text)
        if math.isnan(number):
            return 0.0  # VRL's Value::from_f64_or_zero
        if math.isinf(number):
            return text  # JSON has no infinity: kept as written
        return number
    return text


def _text(text: str, opts: XmlOptions) -> JSONValue:
    if opts.parse_null and text in ("", "null"):
        return None
    if opts.parse_bool and text in ("true", "false"):
        return text == "true"
    if not opts.parse_number:
        return text
    return _number(text)


def _insert(into: dict[str, JSONValue], key: str, value: JSONValue) -> None:
    if key not in into:
        into[key] = value
        return
    old = into[key]
    if isinstance(old, list):
        old.append(value)
    else:
        into[key] = [old, value]


def _expand(node: _Element, opts: XmlOptions) -> dict[str, JSONValue]:
    fields: dict[str, JSONValue] = {}
    if opts.include_attr:
        attrs = node.attrs
        for i in range(0, len(attrs), 2):
            fields[opts.attr_prefix + _local(attrs[i])] = attrs[i + 1]
    for child in node.children:
        if isinstance(child, _Element):
            _insert(fields, child.name, _element(child, opts))
        elif isinstance(child, str):
            _insert(fields, opts.text_key, _text(child, opts))
    return fields


def _element(node: _Element, opts: XmlOptions) -> JSONValue:
    """VRL's ``process_node`` for an element."""
    if node.attrs and opts.include_attr:
        return _expand(node, opts)
    if opts.always_use_text_key and not node.attrs:
        return _expand(node, opts)
    if len(node.children) == 1:
        only = node.children[0]
        if isinstance(only, _Element):
            return {only.name: _element(only, opts)}
        if isinstance(only, str):
            return _text(only, opts)
        # a lone comment or processing instruction: VRL stops on it (`unreachable!`)
    return _expand(node, opts)


def read_xml(text: str, opts: XmlOptions | None = None) -> Record:
    """The XML document ``text`` as VRL's ``parse_xml`` gives it: ``{root name: ...}``.
    Raises ``LineError``."""
    opts = opts or XmlOptions()
    if opts.trim:
        text = _TRIM.sub("><", text)
    root = _parse_tree(text)
    return {root.name: _element(root, opts)}


class _XmlParser:
    __slots__ = ("lossy_utf8", "opts")

    def __init__(self, opts: XmlOptions) -> None:
        self.opts = opts
        self.lossy_utf8 = True  # VRL reads the bytes lossily

    def __call__(self, text: str) -> tuple[Record, str]:
        return read_xml(text, self.opts), "xml"


def _build_xml(options: Options) -> LineParser:
    values: dict[str, Any] = dict(options)
    return _XmlParser(XmlOptions(**values))


# --- yaml ---------------------------------------------------------------------------------

_PLAIN_TAG = "tag:rxp,2026:plain"
_LIMIT_DEPTH = 128


def _serde_int(text: str) -> int | None:
    """serde_yaml's integer: decimal without leading zeros, ``0x``/``0o``/``0b``, a sign."""
    body = text[1:] if text[:1] in "+-" else text
    if not body or body[:1] in "+-":
        return None
    for prefix, base in (("0x", 16), ("0o", 8), ("0b", 2)):
        if body.startswith(prefix):
            digits = body[2:]
            if not digits or not all(c.isascii() and c.isalnum() for c in digits):
                return None
            try:
                value = int(digits, base)
            except ValueError:
                return None
            return -value if text[:1] == "-" else value
    if not body.isascii() or not body.isdigit() or (len(body) > 1 and body[0] == "0"):
        return None
    return int(text)


def _serde_scalar(text: str) -> JSONValue:
    """A plain YAML scalar as serde_yaml reads it (YAML 1.2's core schema, more or less)."""
    first = text[:1]
    if first.isalpha() and first not in "nNtTfF":
        return text  # the common case: a word is a string (`inf`, `nan` too, for serde_yaml)
    if text in ("", "~", "null", "Null", "NULL"):
        return None
    if text in ("true", "True", "TRUE"):
        return True
    if text in ("false", "False", "FALSE"):
        return False
    number = _serde_int(text)
    if number is not None:
        if -(1 << 63) <= number < (1 << 63):
            return number
        return float(number)  # beyond i64: VRL has no bigger integer
    body = text[1:] if text.startswith("+") else text
    if text.startswith("+") and body.startswith(("+", "-")):
        return text
    if body in (".inf", ".Inf", ".INF", "-.inf", "-.Inf", "-.INF", ".nan", ".NaN", ".NAN"):
        return text  # JSON has no infinity or NaN: kept as written
    unsigned = body.lstrip("+-")
    if len(unsigned) > 1 and unsigned[0] == "0" and unsigned.isascii() and unsigned.isdigit():
        return text  # leading zeros: a string in YAML 1.2
    if _F64_TEXT.fullmatch(body):
        value = float(body)
        if math.isfinite(value):
            return value
    return text


_CORE = "tag:yaml.org,2002:"
_LOADER: Any = None


def _loader() -> Any:
    """PyYAML's safe loader (its C parser when built) with no YAML 1.1 resolution: every
    plain scalar gets ``_PLAIN_TAG``, read by serde_yaml's rules in ``_node``. Built on first
    use, so PyYAML is only imported when a YAML document is read. Only ``compose`` is used:
    nothing is constructed, no Python object is made from a tag."""
    global _LOADER
    if _LOADER is not None:
        return _LOADER
    import yaml  # type: ignore[import-untyped]
    from yaml.nodes import ScalarNode, SequenceNode  # type: ignore[import-untyped]

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class Loader(base):  # type: ignore[misc, valid-type]
        def resolve(self, kind: Any, value: str, implicit: tuple[bool, bool]) -> str:
            # none of YAML 1.1's implicit types, and a fifth of PyYAML's time on big inputs
            if kind is ScalarNode:
                return _PLAIN_TAG if implicit[0] else _CORE + "str"
            return _CORE + ("seq" if kind is SequenceNode else "map")

    _LOADER = Loader
    return Loader


def _yaml_error(message: str, node: Any) -> LineError:
    mark = node.start_mark
    return LineError(f"invalid YAML: {message} (line {mark.line + 1})", mark.column + 1)


def _tagged_scalar(node: Any) -> JSONValue:
    """A scalar with an explicit core tag (``!!int 12``), as serde_yaml reads it."""
    tag: str = node.tag[len(_CORE) :]
    text: str = node.value
    if tag == "null":
        if text in ("", "~", "null", "Null", "NULL"):
            return None
    elif tag == "bool":
        if text in ("true", "True", "TRUE", "false", "False", "FALSE"):
            return text[0] in "tT"
    elif tag == "int":
        number = _serde_int(text)
        if number is not None:
            return number if -(1 << 63) <= number < (1 << 63) else float(number)
    elif tag == "float":
        value = _serde_scalar(text)
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
        if value == text and text.lstrip("+-").lower() in (".inf", ".nan"):
            return text
    else:
        return text  # !!str, !!timestamp, !!binary...: serde_yaml keeps the text
    raise _yaml_error(f"invalid value {text!r} for !!{tag}", node)


def _node(node: Any, budget: list[int], depth: int) -> JSONValue:
    """A composed YAML node as JSON, aliases expanded, within serde_yaml's limits: 128 levels
    of nesting, and a budget of nodes against alias bombs (its repetition limit)."""
    budget[0] -= 1
    if budget[0] < 0:
        raise _yaml_error("repetition limit exceeded (aliases expand too far)", node)
    if depth > _LIMIT_DEPTH:
        raise _yaml_error("recursion limit exceeded", node)
    tag = node.tag
    if not tag.startswith(_CORE) and tag != _PLAIN_TAG:
        raise _yaml_error(f"unknown tag {tag}", node)  # serde_yaml: an enum, VRL has none
    kind = node.id
    if kind == "scalar":
        return _serde_scalar(node.value) if tag == _PLAIN_TAG else _tagged_scalar(node)
    if kind == "sequence":
        return [_node(item, budget, depth + 1) for item in node.value]
    fields: dict[str, JSONValue] = {}
    for key, value in node.value:
        if key.id != "scalar":
            raise _yaml_error("a mapping key must be a scalar", key)
        fields[key.value] = _node(value, budget, depth + 1)  # the key as written
    return fields


def read_yaml(text: str) -> JSONValue:
    """The YAML document ``text`` as VRL's ``parse_yaml`` reads it. Raises ``LineError``."""
    import yaml

    text = text.removeprefix("\ufeff")
    try:
        root = yaml.compose(text, Loader=_loader())  # a safe loader: see _loader
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f" (line {mark.line + 1})" if mark is not None else ""
        column = mark.column + 1 if mark is not None else 1
        raise LineError(f"invalid YAML: {exc.problem or exc.context}{where}", column) from None
    except yaml.YAMLError as exc:
        raise LineError(f"invalid YAML: {exc}", 1) from None
    if root is None:
        return None  # an empty document
    budget = [min(100 * len(text), 5_000_000) + 10_000]
    return _node(root, budget, 0)


def _yaml(text: str) -> tuple[Record, str]:
    return as_record(read_yaml(text), "yaml"), "yaml"


# --- aws_cloudwatch_log_subscription_message ----------------------------------------------

_AWS = "aws_cloudwatch_log_subscription_message"
_AWS_FIELDS = ("owner", "messageType", "logGroup", "logStream", "subscriptionFilters", "logEvents")
_EVENT_FIELDS = ("id", "timestamp", "message")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _checked_object(value: JSONValue, fields: tuple[str, ...], what: str) -> dict[str, JSONValue]:
    if not isinstance(value, dict):
        raise LineError(f"not a CloudWatch subscription message: {what} must be an object", 1)
    for key in value:
        if key not in fields:
            raise LineError(f"not a CloudWatch subscription message: unknown field `{key}`", 1)
    for key in fields:
        if key not in value:
            raise LineError(f"not a CloudWatch subscription message: missing field `{key}`", 1)
    return value


def _string(value: JSONValue, name: str) -> str:
    if not isinstance(value, str):
        raise LineError(f"not a CloudWatch subscription message: `{name}` must be a string", 1)
    return value


def _millis(value: JSONValue) -> str:
    if isinstance(value, bool) or not isinstance(value, int):
        raise LineError(
            "not a CloudWatch subscription message: `timestamp` must be an integer (ms)", 1
        )
    try:
        return to_rfc3339(_EPOCH + timedelta(milliseconds=value))
    except OverflowError:
        raise LineError(
            "not a CloudWatch subscription message: timestamp out of range", 1
        ) from None


def parse_aws_cloudwatch(text: str) -> Record:
    """VRL's ``parse_aws_cloudwatch_log_subscription_message``. Raises ``LineError``."""
    message = _checked_object(_unique(text), _AWS_FIELDS, "the message")
    kind = message["messageType"]
    if kind not in ("DATA_MESSAGE", "CONTROL_MESSAGE"):
        raise LineError(
            "not a CloudWatch subscription message: `messageType` must be DATA_MESSAGE or "
            "CONTROL_MESSAGE",
            1,
        )
    filters = message["subscriptionFilters"]
    if not isinstance(filters, list):
        raise LineError(
            "not a CloudWatch subscription message: `subscriptionFilters` must be an array", 1
        )
    events = message["logEvents"]
    if not isinstance(events, list):
        raise LineError("not a CloudWatch subscription message: `logEvents` must be an array", 1)
    read: list[JSONValue] = []
    for item in events:
        event = _checked_object(item, _EVENT_FIELDS, "a log event")
        read.append(
            {
                "id": _string(event["id"], "id"),
                "timestamp": _millis(event["timestamp"]),
                "message": _string(event["message"], "message"),
            }
        )
    return {
        "owner": _string(message["owner"], "owner"),
        "message_type": kind,
        "log_group": _string(message["logGroup"], "logGroup"),
        "log_stream": _string(message["logStream"], "logStream"),
        "subscription_filters": [_string(f, "subscriptionFilters") for f in filters],
        "log_events": read,
    }


def _unique(text: str) -> JSONValue:
    """``text`` as JSON, a key given twice in one object an error (serde's structs)."""
    value = load_json(text)
    if isinstance(value, dict) and '"' in text:
        import json

        def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
            seen: dict[str, Any] = {}
            for key, item in items:
                if key in seen:
                    raise LineError(
                        f"not a CloudWatch subscription message: duplicate field `{key}`", 1
                    )
                seen[key] = item
            return seen

        json.loads(text.removeprefix("\ufeff"), object_pairs_hook=pairs)
    return value


def _aws(text: str) -> tuple[Record, str]:
    return parse_aws_cloudwatch(text), _AWS


def _fixed(run: Callable[[str], tuple[Record, str]]) -> Callable[[Options], LineParser]:
    return lambda options: run


SPECS: tuple[FormatSpec, ...] = (
    FormatSpec(
        "xml",
        _build_xml,
        options=(
            Option("trim", "bool", True, help="remove whitespace between elements"),
            Option("include_attr", "bool", True, help="keep attributes"),
            Option("attr_prefix", "str", "@", help="prefix of attribute keys"),
            Option("text_key", "str", "text", help="key of text next to attributes or elements"),
            Option("always_use_text_key", "bool", False, help="text always under text_key"),
            Option("parse_bool", "bool", True, help="text true/false as booleans"),
            Option("parse_null", "bool", True, help="text null (or empty) as null"),
            Option("parse_number", "bool", True, help="numeric text as numbers"),
        ),
        document=always,
        summary="an XML document, the whole input (Vector parse_xml)",
    ),
    FormatSpec(
        "yaml",
        _fixed(_yaml),
        document=always,
        summary="a YAML document, the whole input (Vector parse_yaml)",
    ),
    FormatSpec(
        _AWS,
        _fixed(_aws),
        document=always,
        summary="a CloudWatch Logs subscription message, the whole input (Vector's parser)",
    ),
)
