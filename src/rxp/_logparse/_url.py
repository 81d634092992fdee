"""``query_string``, ``url`` and ``etld``: one value per line, read as VRL reads it.

- ``query_string`` is VRL's ``parse_query_string``: Rust's ``form_urlencoded`` pairs
  (``&``-separated, ``+`` is a space, percent escapes decoded, bad UTF-8 replaced), one
  leading ``?`` dropped; a repeated key collects its values into an array.
- ``url`` is VRL's ``parse_url``: the WHATWG parse of ``_whatwg`` with the parts VRL
  returns, the query as an object of its decoded pairs (a repeated key keeps its last
  value, as VRL's map does); ``default_known_ports`` fills in the scheme's port.
- ``etld`` is VRL's ``parse_etld``: the public suffix of a domain name by the Public
  Suffix List (the copy the ``publicsuffixlist`` package bundles, or the file named by
  ``psl``), matched as the Rust ``psl``/``publicsuffix`` crates match: label by label
  from the right, case-sensitive, both sections, ``*`` wildcards and ``!`` exceptions, an
  unlisted top-level label its own unknown suffix.
"""

from __future__ import annotations

import functools
from pathlib import Path
from urllib.parse import unquote

from .._errors import RxpError
from ._options import Option, Options
from ._records import Fields, JSONValue, LineError, Record
from ._spec import FormatSpec, LineParser, fixed, plain
from ._whatwg import DEFAULT_PORTS, UrlError
from ._whatwg import parse as parse_whatwg

__all__ = ["SPECS", "form_pairs", "parse_query_string", "parse_url", "public_suffix"]


def _form_decode(text: str) -> str:
    if "+" in text:
        text = text.replace("+", " ")
    return unquote(text, errors="replace") if "%" in text else text


def form_pairs(text: str) -> list[tuple[str, str]]:
    """``application/x-www-form-urlencoded`` pairs as Rust's ``form_urlencoded::parse``
    reads them: empty pieces between ``&`` skipped, a piece without ``=`` a key with the
    empty value."""
    pairs = []
    for piece in text.split("&"):
        if piece:
            key, _, value = piece.partition("=")
            pairs.append((_form_decode(key), _form_decode(value)))
    return pairs


def parse_query_string(line: str) -> Record:
    """VRL's ``parse_query_string``: every value a string, a repeated key an array."""
    fields = Fields()
    for key, value in form_pairs(line[1:] if line.startswith("?") else line):
        fields.add(key, value)
    return fields.data


def parse_url(line: str, default_known_ports: bool = False) -> Record:
    """VRL's ``parse_url``: its eight keys, ``null`` kept; ``LineError`` for text the
    WHATWG parser refuses."""
    try:
        url = parse_whatwg(line)
    except UrlError as exc:
        raise LineError(f"unable to parse url: {exc}", 1) from None
    port = url.port
    if port is None and default_known_ports:
        port = DEFAULT_PORTS.get(url.scheme)
    query: dict[str, JSONValue] = {}
    if url.query is not None:
        query.update(form_pairs(url.query))
    return {
        "fragment": url.fragment,
        "host": url.host,
        "password": url.password,
        "path": url.path,
        "port": port,
        "query": query,
        "scheme": url.scheme,
        "username": url.username,
    }


# The list as a trie, one node per label from the right: (children, leaf), where a leaf
# is (is_exception, is_private) for the node that ends a rule.
_Node = tuple[dict[str, "_Node"], list[tuple[bool, bool]]]


def _punycode(rule: str) -> str:
    labels = rule.split(".")
    return ".".join(
        label if label.isascii() else "xn--" + label.encode("punycode").decode("ascii")
        for label in labels
    )


def _add(root: _Node, rule: str, private: bool) -> None:
    exception = rule.startswith("!")
    if exception:
        if "." not in rule:
            raise ValueError(f"exception at the first label: {rule}")
        rule = rule[1:]
    node = root
    for label in reversed(rule.split(".")):
        if not label:
            raise ValueError(f"empty label in rule {rule}")
        node = node[0].setdefault(label, ({}, []))
    node[1][:] = [(exception, private)]


def build_list(text: str) -> _Node:
    """The trie of a list in the Public Suffix List's format, as the ``publicsuffix``
    crate builds it: rules before a ``BEGIN ICANN DOMAINS`` line are ignored, each rule
    also added in Punycode. Raises ``ValueError`` for a list it would refuse."""
    root: _Node = ({}, [])
    private: bool | None = None
    for line in text.splitlines():
        if "BEGIN ICANN DOMAINS" in line:
            private = False
        elif "BEGIN PRIVATE DOMAINS" in line:
            private = True
        elif line.startswith("//") or private is None:
            continue
        else:
            words = line.split()
            if words:
                _add(root, words[0], private)
                _add(root, _punycode(words[0].lower()), private)
    if not root[0]:
        raise ValueError("the list has no rules")
    return root


@functools.cache
def _bundled_list() -> _Node:
    import publicsuffixlist  # the data file it bundles; imported only when etld is used

    return build_list(Path(publicsuffixlist.PSLFILE).read_text("utf-8"))


def public_suffix(trie: _Node, name: str) -> tuple[str, bool] | None:
    """The public suffix of ``name`` and whether a rule of the list gave it (``psl``'s
    ``Psl::suffix``); ``None`` when there is none (the empty name)."""
    labels = name.split(".")
    fqdn = name.endswith(".")
    if fqdn:
        labels.pop()
    labels.reverse()
    first = labels[0]
    length, known = len(first), False
    node = trie[0].get(first)
    if node is not None:
        known = bool(node[1])
        so_far = length
        for label in labels[1:]:
            child = node[0].get(label)
            if child is None:
                child = node[0].get("*")
                if child is None:
                    break
            node = child
            if node[1]:
                known = True
                if node[1][0][0]:  # an exception: the suffix stops before this label
                    length = so_far
                    break
                length = so_far + len(label) + 1
            so_far += len(label) + 1
    if fqdn:
        length += 1
    if length == 0:
        return None
    return name[len(name) - length :], known


def _etld(trie: _Node, plus_parts: int, line: str) -> Record:
    found = public_suffix(trie, line)
    if found is None:
        raise LineError(f"unable to determine eTLD for {line}", 1)
    etld, known = found
    take = etld.count(".") + 1 + plus_parts
    return {
        "etld": etld,
        "etld_plus": ".".join(line.split(".")[-take:]),
        "known_suffix": known,
    }


def _build_etld(options: Options) -> LineParser:
    plus = options["plus_parts"]
    plus_parts = max(plus, 0) if isinstance(plus, int) else 0
    psl = options["psl"]
    if isinstance(psl, str):
        try:
            text = Path(psl).read_text("utf-8")
        except (OSError, UnicodeError):
            raise RxpError(f"format etld: option psl: unable to read psl file {psl}") from None
        try:
            trie = build_list(text)
        except ValueError as exc:
            raise RxpError(
                f"format etld: option psl: unable to parse psl file {psl} ({exc})"
            ) from None
    else:
        trie = _bundled_list()
    return fixed("etld", functools.partial(_etld, trie, plus_parts))


def _build_url(options: Options) -> LineParser:
    known = bool(options["default_known_ports"])
    return fixed("url", functools.partial(parse_url, default_known_ports=known))


SPECS: tuple[FormatSpec, ...] = (
    plain(
        "query_string",
        parse_query_string,
        "a URL query string, values as strings (Vector parse_query_string)",
    ),
    FormatSpec(
        "url",
        _build_url,
        options=(
            Option(
                "default_known_ports",
                "bool",
                False,
                help="give http, https, ws, wss and ftp URLs without a port their scheme's",
            ),
        ),
        summary="a URL by the WHATWG URL Standard (Vector parse_url)",
    ),
    FormatSpec(
        "etld",
        _build_etld,
        options=(
            Option("plus_parts", "int", 0, help="labels to keep in front of the eTLD"),
            Option("psl", "str", None, help="a public suffix list file to use instead"),
        ),
        summary="the public suffix of a domain name (Vector parse_etld)",
    ),
)
