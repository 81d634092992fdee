"""konfig: validate YAML, JSON and TOML configs against JSON Schema (or a pydantic model) with
errors that point at the line and column to fix, and infer schemas from examples.

The repository's second tool, beside rxp; it shares rxp's version (one release carries both)
and its conventions: exit 0 valid, 1 invalid, 2 usage or unreadable input.
"""

from __future__ import annotations

from rxp import __version__

__all__ = ["__version__"]
