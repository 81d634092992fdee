"""The ``rxp explain --json`` document: a versioned, JSON-ready dict built from the AST.

The schema is documented in ``docs/explain-json.md``; ``SCHEMA_VERSION`` changes its major
number on any incompatible change. Contract: ``json.dumps(explain_document(p))`` always
works; for the ``re`` flavour ``groups``, ``group_names`` and ``width`` equal
``re.compile(p).groups``, ``.groupindex`` and ``re._parser.parse(p).getwidth()`` (with None
for an unbounded maximum); every ``ast`` node's ``span`` lies inside its parent's and
``text`` is the pattern's slice at ``span``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeAlias

from .._syntax._ast import (
    ClassSetOp,
    Conditional,
    FuzzyCost,
    FuzzyLimit,
    Lookaround,
    Node,
    Pattern,
    Span,
)
from .._syntax._record import field_names
from ._annotate import Annotated, annotate, deep_recursion, node_kind

if TYPE_CHECKING:
    from ._model import Explanation

__all__ = ["SCHEMA_VERSION", "Json", "document_of", "node_document", "to_json"]

SCHEMA_VERSION = "2.0"

Json: TypeAlias = dict[str, object]

# Fields that hold child nodes become ``children``; these are the AST fields that do.
_NODE_FIELDS = frozenset(
    {"span", "item", "items", "body", "branches", "left", "right", "start", "end", "yes", "no"}
    | {"test"}
)
# Field names that would clash with the document's own keys, renamed.
_RENAMED = {"kind": "{kind}_kind", "text": "{kind}_text"}


def _plain(value: object) -> object:
    """A field's value as JSON: spans as ``[start, end]``, fuzzy limits and costs as objects
    of their fields, tuples as lists."""
    if isinstance(value, Span):
        return [value.start, value.end]
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if isinstance(value, FuzzyLimit | FuzzyCost):
        return {name: _plain(getattr(value, name)) for name in field_names(value)}
    return value


def _fields(node: Node, kind: str) -> Json:
    out: Json = {}
    for name in field_names(node):
        if name in _NODE_FIELDS:
            continue
        value = getattr(node, name)
        if isinstance(node, Pattern) and name in ("text", "flags"):
            out["pattern_flags" if name == "flags" else name] = value
            continue
        if isinstance(value, Lookaround):
            value = "lookaround"  # the condition itself is the first child
        key = _RENAMED.get(name, "{name}").format(kind=kind, name=name)
        out[key] = _plain(value)
    if isinstance(node, ClassSetOp):
        out["left_count"] = len(node.left)
    if isinstance(node, Conditional):
        out["has_no_branch"] = node.no is not None
    return out


def node_document(tree: Annotated, pattern: Pattern) -> Json:
    """One AST node and its subtree: ``kind``, ``span``, ``text``, the node's own fields,
    ``flags`` in effect there, ``explanation`` and ``children``."""
    from .._syntax._flags import format_flags

    node = tree.node
    kind = node_kind(node)
    doc: Json = {
        "kind": kind,
        "span": [node.span.start, node.span.end],
        "text": node.span.slice(pattern.text),
    }
    doc.update(_fields(node, kind))
    doc["flags"] = format_flags(tree.flags, pattern.flavor)
    doc["explanation"] = tree.sentence
    doc["children"] = [node_document(c, pattern) for c in tree.children]
    return doc


def document_of(exp: Explanation) -> Json:
    """The ``--json`` document for an explanation already computed."""
    from .._analysis._groups import group_count

    pattern = exp.pattern
    s = exp.summary
    with deep_recursion():
        ast = node_document(annotate(pattern), pattern)
    return {
        "schema_version": SCHEMA_VERSION,
        "pattern": pattern.text,
        "flavor": pattern.flavor,
        "flags": s.flags,
        "groups": group_count(pattern),
        "group_names": dict(s.group_names),
        "width": {"min": s.min_width, "max": s.max_width},
        "anchored": {"start": s.anchored_start, "end": s.anchored_end},
        "matches_empty": s.matches_empty,
        "groups_detail": [
            {
                "index": g.index,
                "name": g.name,
                "span": [g.span.start, g.span.end],
                "text": g.text,
                "optional": g.optional,
                "repeated": g.repeated,
            }
            for g in s.groups
        ],
        "summary": exp.intent,
        "idioms": [
            {"name": i.name, "span": [i.span.start, i.span.end], "text": i.text} for i in exp.idioms
        ],
        "examples": [{"text": e.text, "span": list(e.span)} for e in exp.examples],
        "near_misses": [
            {"text": n.text, "why": n.why, "span": list(n.span)} for n in exp.near_misses
        ],
        "brief": exp.brief,
        "reading": exp.reading,
        "rows": [
            {
                "depth": r.depth,
                "kind": r.kind,
                "span": [r.span.start, r.span.end],
                "text": r.text,
                "explanation": r.sentence,
            }
            for r in exp.rows()
        ],
        "ast": ast,
        "warnings": [
            {
                "kind": w.kind,
                "span": [w.span.start, w.span.end],
                "message": w.message,
                "degree": w.degree,
                "search": w.search,
                "attack": None
                if w.attack is None
                else {"prefix": w.attack[0], "pump": w.attack[1], "suffix": w.attack[2]},
                "verified": w.verified,
            }
            for w in exp.warnings
        ],
        "lints": [
            {
                "id": lint.id,
                "span": [lint.span.start, lint.span.end],
                "message": lint.message,
                "fix": lint.fix,
                "changes_meaning": lint.changes_meaning,
            }
            for lint in exp.lints
        ],
    }


def to_json(document: Json, *, indent: int | None = 2) -> str:
    """``document`` as JSON text (UTF-8 characters kept as they are), no trailing newline."""
    import json

    return json.dumps(document, indent=indent, ensure_ascii=False)
