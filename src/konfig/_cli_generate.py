"""``konfig generate-schema``: a placeholder until the real command is merged over this file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ._errors import KonfigError

__all__ = ["generate_schema"]


def generate_schema(
    examples: Annotated[list[Path], typer.Argument(help="Example documents (YAML, JSON, TOML).")],
) -> None:
    """Infer a JSON Schema (draft 2020-12) from example documents."""
    raise KonfigError("generate-schema is not built yet")
