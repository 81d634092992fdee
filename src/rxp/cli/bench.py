"""`rxp bench`: placeholder until its issue lands (registers nothing yet)."""

from __future__ import annotations
