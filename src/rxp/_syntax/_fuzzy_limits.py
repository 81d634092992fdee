"""What a fuzzy constraint allows once the ``regex`` package's defaults are filled in, and
how long a fuzzy match can be.

A ``Fuzzy`` node keeps the constraint as written; the engine completes it
(``_regex_core.Fuzzy.__init__``):

- a kind the cost equation names may occur any number of times unless a limit of its own
  says otherwise;
- if any of insertions, deletions or substitutions is limited (or named in the cost
  equation), the others default to none at all; if none is, each may occur any number of
  times;
- errors of any kind (``e``) default to any number;
- without a cost equation every error costs 1 and the most they may cost is ``e``'s
  maximum; with one, a kind it does not name costs 0.

A match then has ``i`` insertions, ``d`` deletions and ``s`` substitutions, each within its
range, ``i + d + s`` within the range of ``e``, and ``ci*i + cd*d + cs*s`` at most the cost
limit. Matched against a way through the item ``L`` characters long, it is ``L - d + i``
characters long, with ``d + s <= L``; deletions are never tested (a test such as ``:[a-z]``
applies to the characters inserted or substituted). An error inside a nested constraint,
``(?:x(?:ab){e<=1}y){d<=3}``, must be allowed by it and counts against every constraint
around it too (so that pattern cannot match the empty string: ``ab`` can lose only one
character, and the four deletions it would take are more than three).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeAlias

from ._ast import Fuzzy, FuzzyKind

__all__ = ["Allowance", "Range", "allowance", "fuzzy_width"]

Range: TypeAlias = tuple[int, int | None]
"""From ``min`` to ``max`` inclusive; None: no maximum."""

_ANY: Range = (0, None)
_NONE: Range = (0, 0)


@dataclass(frozen=True, slots=True, kw_only=True)
class Allowance:
    """The errors a fuzzy match may make, every default filled in: how many of each kind
    (``insertions``, ``deletions``, ``substitutions``, ``errors`` of any kind), what each
    costs, and the most they may cost together (None: no limit)."""

    insertions: Range
    deletions: Range
    substitutions: Range
    errors: Range
    insertion_cost: int
    deletion_cost: int
    substitution_cost: int
    max_cost: int | None

    def most(self, kind: FuzzyKind) -> int | None:
        """The most errors of ``kind`` one match may make, every limit and the cost
        considered (None: no limit). For ``"e"``, errors of any kind."""
        if kind == "e":
            kinds = [self.most("i"), self.most("d"), self.most("s")]
            total = None if None in kinds else sum(k for k in kinds if k is not None)
            return _least(self.errors[1], total)
        own, cost = {
            "i": (self.insertions, self.insertion_cost),
            "d": (self.deletions, self.deletion_cost),
            "s": (self.substitutions, self.substitution_cost),
        }[kind]
        by_cost = None if self.max_cost is None or cost == 0 else self.max_cost // cost
        return _least(_least(own[1], self.errors[1]), by_cost)

    def least(self, kind: FuzzyKind) -> int:
        """The fewest errors of ``kind`` a match must make."""
        return {
            "e": self.errors,
            "i": self.insertions,
            "d": self.deletions,
            "s": self.substitutions,
        }[kind][0]


def _least(a: int | None, b: int | None) -> int | None:
    if a is None:
        return b
    return a if b is None else min(a, b)


def allowance(node: Fuzzy) -> Allowance:
    """The errors ``node``'s constraint allows, as the engine completes it."""
    written = {limit.kind: (limit.min, limit.max) for limit in node.limits}
    cost = node.cost
    costed: set[str] = set()
    if cost is not None:
        costed = {k for k, c in (("i", cost.i), ("d", cost.d), ("s", cost.s)) if c is not None}
    limited = any(k in written or k in costed for k in "ids")

    def count(kind: str) -> Range:
        if kind in written:
            return written[kind]
        return _ANY if kind in costed or not limited else _NONE

    errors = written.get("e", _ANY)
    if cost is None:
        costs, max_cost = (1, 1, 1), errors[1]
    else:
        costs, max_cost = (cost.i or 0, cost.d or 0, cost.s or 0), cost.max
    return Allowance(
        insertions=count("i"),
        deletions=count("d"),
        substitutions=count("s"),
        errors=errors,
        insertion_cost=costs[0],
        deletion_cost=costs[1],
        substitution_cost=costs[2],
        max_cost=max_cost,
    )


def fuzzy_width(
    plain: tuple[int, int | None], fuzzed_low: int, deletable: bool, allowed: Allowance
) -> tuple[int, int | None]:
    """The shortest and longest text a fuzzy match can be (None: unbounded): a sound bound,
    no match is shorter or longer. ``plain`` is the item's width with any fuzzy constraint
    nested in it ignored, ``fuzzed_low`` its shortest match with them, ``deletable``
    whether some way through the item can lose all its characters (a nested constraint
    must then let its own part go to nothing).

    The minimum is 0 exactly when the empty string can match, taking every length from
    ``plain``'s minimum to its maximum as possible: that needs no insertion, no
    substitution, and every character of a way through the item deleted."""
    low, high = plain
    most_d, most_i, most_s = allowed.most("d"), allowed.most("i"), allowed.most("s")
    need_i, need_d, need_s = allowed.least("i"), allowed.least("d"), allowed.least("s")
    need_e = allowed.least("e")
    top = None if high is None or most_i is None else high + most_i
    # The empty match deletes a whole way through the item: L characters, L deletions.
    longest_deleted = _least(high, most_d)
    fewest_deleted = max(low, need_d, need_e)
    within = longest_deleted is None or fewest_deleted <= longest_deleted
    if need_i == need_s == 0 and deletable and within:
        return 0, top
    # L - d + i, where L - d >= s: at least the item less every deletion, or the
    # substitutions required; plus the insertions required, or the errors required beyond
    # the deletions and substitutions there is room for (d + s <= L).
    kept = max(need_s, low - most_d if most_d is not None else 0)
    # Errors inside a nested constraint count against this one as well, so the item with
    # its own fuzziness loses no more than this one's deletions either.
    kept = max(kept, fuzzed_low - most_d if most_d is not None else 0)
    reach = _least(high, None if most_d is None or most_s is None else most_d + most_s)
    inserted = max(need_i, need_e - reach if reach is not None else 0)
    return max(1, kept + inserted), top
