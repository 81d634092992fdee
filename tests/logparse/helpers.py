"""What the rxp parse tests share: a record's fields less rxp's own metadata, and values
with their JSON types beside them (so ``1 != 1.0`` and ``True != 1`` when compared)."""

from __future__ import annotations

from typing import Any

META = {"_line", "_format", "_error", "_raw"}


def fields(record: dict[str, Any]) -> dict[str, Any]:
    """``record`` less rxp's ``_line``, ``_format``, ``_error`` and ``_raw``."""
    return {k: v for k, v in record.items() if k not in META}


def typed(value: Any) -> Any:
    """``value`` with each scalar's JSON type next to it, so ``1 != 1.0`` and ``True != 1``."""
    if isinstance(value, dict):
        return {k: typed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [typed(v) for v in value]
    return (type(value).__name__, value)
