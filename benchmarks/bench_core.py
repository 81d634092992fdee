"""rxp's core under the Go-style harness: parse, explain, match.

    rxp bench benchmarks/bench_core.py --count 6 > new.txt
    rxp bench compare old.txt new.txt

Each benchmark runs once per pattern class, named ``.../pattern=<class>``, so
``--bench 'Parse/pattern=inner'`` picks one.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import islice

import rxp
from _corpus import journal
from rxp._bench import B
from rxp._syntax._parse import parse

# The three classes of the concurrency study, plus constructs the explainer walks a lot.
PATTERNS = {
    "literal-prefix": r"Failed password for (invalid user )?[^ ]+ from ([0-9.]+)",
    "inner-literal": r"^[^ ]+ [^ ]+ sshd\[[0-9]+\]: Failed password",
    "no-literal": r"[0-9]+(\.[0-9]+){3} port [0-9]+",
    "named-groups": r"(?P<user>[a-z_][a-z0-9_-]{0,31})@(?P<host>[\w.-]+):(?P<port>\d{1,5})",
    "heavy": r"(?i)^(?:(?=\S*\d)(?!.*(.)\1{2})[\w!#$%&'*+/=?^`{|}~-]{8,64}|[A-F\d]{32})(?#id)$",
}


def _each_pattern(b: B, body: Callable[[B, str], None]) -> None:
    for name, pattern in PATTERNS.items():
        b.run(f"pattern={name}", lambda b, p=pattern: body(b, p))


def BenchmarkParse(b: B) -> None:
    """Text to the typed AST (Lark LALR with cached tables)."""

    def body(b: B, pattern: str) -> None:
        b.set_bytes(len(pattern.encode()))
        for _ in range(b.n):
            parse(pattern)

    _each_pattern(b, body)


def BenchmarkExplain(b: B) -> None:
    """Parse plus the explain fold: what ``rxp explain`` computes."""

    def body(b: B, pattern: str) -> None:
        for _ in range(b.n):
            rxp.explain(pattern)

    _each_pattern(b, body)


def BenchmarkExplainTree(b: B) -> None:
    """The explain fold alone, over an AST parsed once."""

    def body(b: B, pattern: str) -> None:
        tree = parse(pattern)
        b.reset_timer()
        for _ in range(b.n):
            rxp.explain(tree)

    _each_pattern(b, body)


def _lines(count: int) -> list[bytes]:
    with journal("short-iso", mib=16).open("rb") as f:
        return list(islice(f, count))


def BenchmarkMatch(b: B) -> None:
    """rxp's compiled matcher searching 10,000 journal lines (bytes), one call per line."""
    from rxp._stream._matcher import MatcherSpec, compile_matcher

    lines = _lines(10_000)
    size = sum(map(len, lines))

    def body(b: B, pattern: str) -> None:
        search = compile_matcher(MatcherSpec(pattern)).line.search
        b.set_bytes(size)
        b.reset_timer()
        for _ in range(b.n):
            for line in lines:
                search(line)

    for name in ("literal-prefix", "inner-literal", "no-literal"):
        b.run(f"pattern={name}", lambda b, p=PATTERNS[name]: body(b, p))
