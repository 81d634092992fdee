"""benchstat's projections, keys and filters (``golang.org/x/perf/benchproc``).

A *projection* (``.name,/size@num``) extracts some fields of a result into a ``Key``; keys
are equal when their values are, so they group results into tables, rows and columns. Each
field orders its values: by first observation (the default), ``@alpha``, ``@num`` (``2k``
and ``1Mi`` read as numbers) or ``@(a b c)`` (which also filters out any other value).

The keys are those of ``benchproc/syntax``: ``.name`` (the name without sub-benchmark keys or
``-N``), ``.fullname``, ``/key`` (a ``key=value`` part of the name; ``/gomaxprocs`` also
reads ``-N``), ``.file`` (the input's label), ``.config`` (every file configuration key, a
tuple), ``.unit`` (filters only) and any other word, a file configuration key. Projections
parsed by one ``ProjectionParser`` exclude each other's specific keys from ``.config`` and
``.fullname``; its ``residue()`` is everything none of them projects, which benchstat uses
to warn that a cell mixes results differing in a hidden dimension.

Two of Go's behaviours are kept on purpose, as they decide what benchstat prints: the
values of ``.config``'s sub-fields never get an observation order, so tables sort by those
values alphabetically; and a key's trailing empty values do not count.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from ._benchkey import Field, Key, Projection, key_header, non_singular_fields, sort_keys
from ._benchparse import (
    ExprSyntaxError,
    FilterMatch,
    FilterNode,
    FilterOp,
    ProjField,
    parse_filter,
)
from ._benchparse import parse_projection as _parse_projection
from ._benchresult import (
    BUILTIN_ORDERS,
    BResult,
    Extractor,
    Value,
    extractor,
    fullname_extractor,
    parse_num,
)

__all__ = [
    "BResult",
    "Field",
    "Filter",
    "Key",
    "Projection",
    "ProjectionParser",
    "Value",
    "extractor",
    "fullname_extractor",
    "key_header",
    "non_singular_fields",
    "parse_num",
    "sort_keys",
]


# -- the parser of related projections ---------------------------------------------------------

FilterFn = Callable[[BResult], tuple[int | None, bool]]
"""A compiled filter: ``(mask, _)`` with a bit per value when it matches values (``.unit``),
or ``(None, matched)`` for the whole result."""


class ProjectionParser:
    """Parses a group of projections whose specific keys are left out of each other's
    ``.config`` and ``.fullname`` (benchproc ``ProjectionParser``)."""

    def __init__(self) -> None:
        self.config_keys: set[str] = set()
        self.fullname_keys: list[str] = []
        self.have_config = self.have_fullname = False
        self._full: Extractor | None = None

    def parse(self, query: str, flt: Filter | None) -> Projection:
        proj = Projection()
        parts = _parse_projection(query)
        filters = [f for p in parts if (f := self._field(proj, query, p)) is not None]
        if filters:
            if flt is None:
                raise ValueError(f"projection {query} contains a filter")
            flt.match = _op("and", [*filters, flt.match])
        return proj

    def parse_with_unit(self, query: str, flt: Filter | None) -> Projection:
        proj = self.parse(query, flt)
        f = proj.add_field(proj.root, ".unit")
        f.order = {}
        f.cmp = _first_cmp(f.order)
        proj.unit_field = f
        return proj

    def residue(self) -> Projection:
        proj = Projection()
        if not self.have_config:
            self._field(proj, "", ProjField(".config"))
        if not self.have_fullname:
            self._field(proj, "", ProjField(".fullname"))
        return proj

    def _field(self, proj: Projection, query: str, part: ProjField) -> FilterFn | None:
        fixed = {v: i for i, v in enumerate(part.fixed)}
        if part.order not in ("fixed", "first", *BUILTIN_ORDERS):
            raise ExprSyntaxError(query, part.order_off, f'unknown order "{part.order}"')

        def init(f: Field) -> None:
            if part.order == "fixed":
                f.cmp = lambda a, b: fixed.get(a, 0) - fixed.get(b, 0)
            elif part.order == "first":
                f.order = {}
                f.cmp = _first_cmp(f.order)
            else:
                f.cmp = BUILTIN_ORDERS[part.order]

        def filter_for(ext: Extractor) -> FilterFn | None:
            return (lambda r: (None, ext(r) in fixed)) if part.order == "fixed" else None

        if part.key == ".config":
            if part.order == "fixed":
                msg = "fixed order not allowed for .config"
                raise ExprSyntaxError(query, part.order_off, msg)
            self.have_config = True
            group = Field(".config", proj, is_tuple=True)
            proj.root.sub.append(group)
            seen: dict[str, Field] = {}

            def project_config(r: BResult, row: list[str]) -> None:
                for k, v, is_file in r.config:
                    if not is_file:
                        continue
                    f = seen.get(k)
                    if f is None:
                        if k in self.config_keys:
                            continue
                        f = seen[k] = proj.add_field(group, k)
                        init(f)  # a "first" order here stays empty: values sort as strings
                    row[f.idx] = v

            proj.project_fns.append(project_config)
            return None
        if part.key == ".fullname":
            self.have_fullname = True
            f = proj.add_field(proj.root, ".fullname")
            init(f)

            def project_full(r: BResult, row: list[str]) -> None:
                if self._full is None:
                    self._full = fullname_extractor(self.fullname_keys)
                row[f.idx] = self._full(r)

            proj.project_fns.append(project_full)
            return filter_for(lambda r: r.name)
        if part.key == ".unit":
            raise ExprSyntaxError(query, part.key_off, ".unit is only allowed in filters")
        if part.key == ".name" or part.key.startswith("/"):
            self.fullname_keys.append(part.key)
        else:
            self.config_keys.add(part.key)
        try:
            ext = extractor(part.key)
        except ValueError as exc:
            raise ExprSyntaxError(query, part.key_off, str(exc)) from None
        f = proj.add_field(proj.root, part.key)
        init(f)

        def project_key(r: BResult, row: list[str]) -> None:
            row[f.idx] = ext(r)

        proj.project_fns.append(project_key)
        return filter_for(ext)


def _first_cmp(order: dict[str, int]) -> Callable[[str, str], int]:
    return lambda a, b: order.get(a, 0) - order.get(b, 0)


# -- filters -----------------------------------------------------------------------------------


class Filter:
    """A compiled ``-filter`` expression (``*`` keeps everything)."""

    def __init__(self, query: str = "*") -> None:
        self.match: FilterFn = _compile(parse_filter(query), query)

    def matches(self, r: BResult) -> tuple[bool, ...]:
        """Which values of ``r`` the filter keeps."""
        mask, whole = self.match(r)
        if mask is None:
            return (whole,) * len(r.values)
        return tuple(bool(mask >> i & 1) for i in range(len(r.values)))

    def apply(self, r: BResult) -> BResult | None:
        """``r`` with only the values kept, or None when none is."""
        keep = self.matches(r)
        values = tuple(v for v, k in zip(r.values, keep, strict=True) if k)
        if not values:
            return None
        return r if len(values) == len(r.values) else BResult(r.name, r.config, values)


def _compile(node: FilterNode, query: str) -> FilterFn:
    if isinstance(node, FilterOp):
        return _op(node.op, [_compile(e, query) for e in node.exprs])
    m: FilterMatch = node
    if m.key == ".unit":

        def units(r: BResult) -> tuple[int | None, bool]:
            bits = 0
            for i, v in enumerate(r.values):
                if m.match(v.unit) or (v.orig_unit != "" and m.match(v.orig_unit)):
                    bits |= 1 << i
            return bits, False

        return units
    if m.key == ".config":
        raise ExprSyntaxError(query, m.off, ".config is only allowed in projections")
    try:
        ext = extractor(m.key)
    except ValueError as exc:
        raise ExprSyntaxError(query, m.off, str(exc)) from None
    return lambda r: (None, m.match(ext(r)))


def _op(op: str, subs: Iterable[FilterFn]) -> FilterFn:
    subs = list(subs)

    def run(r: BResult) -> tuple[int | None, bool]:
        full = (1 << len(r.values)) - 1
        if op == "not":
            mask, whole = subs[0](r)
            return (None, not whole) if mask is None else (~mask & full, False)
        acc: int | None = None
        for sub in subs:
            mask, whole = sub(r)
            if mask is None:
                if whole != (op == "and"):
                    return None, whole
            elif acc is None:
                acc = mask
            else:
                acc = acc & mask if op == "and" else acc | mask
        return acc, op == "and"

    return run
