"""Terminal decisions for every command: colour only on a terminal, honouring ``NO_COLOR``
and ``FORCE_COLOR`` (https://no-color.org, https://force-color.org)."""

from __future__ import annotations

import os
import sys
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

    from rich.console import Console
    from rich.progress import Progress

__all__ = ["byte_progress", "color_enabled", "console", "is_terminal"]

PROGRESS_BYTES = 8 << 20
"""Inputs smaller than this finish before a progress bar would say anything useful."""


def is_terminal(stream: IO[str] | IO[bytes] | None = None) -> bool:
    stream = sys.stdout if stream is None else stream
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def color_enabled(stream: IO[str] | IO[bytes] | None = None, *, choice: str = "auto") -> bool:
    """Whether to write ANSI colour to ``stream``.

    ``choice`` is a ``--color`` option's value: ``always`` and ``never`` win; under ``auto``,
    a non-empty ``NO_COLOR`` disables colour, a non-empty ``FORCE_COLOR`` (other than ``0``)
    enables it, and otherwise colour follows whether ``stream`` is a terminal.
    """
    if choice == "always":
        return True
    if choice == "never":
        return False
    if os.environ.get("NO_COLOR"):
        return False
    force = os.environ.get("FORCE_COLOR")
    if force and force != "0":
        return True
    return is_terminal(stream) and os.environ.get("TERM") != "dumb"


def console(*, stderr: bool = False, choice: str = "auto") -> Console:
    """A rich Console whose colour follows ``color_enabled`` for its stream."""
    from rich.console import Console

    stream = sys.stderr if stderr else sys.stdout
    enabled = color_enabled(stream, choice=choice)
    return Console(
        file=stream,
        force_terminal=enabled,
        no_color=not enabled,
        color_system="auto" if enabled else None,
        highlight=False,
        soft_wrap=True,
    )


def byte_progress(paths: list[Path], description: str) -> Progress | None:
    """A transient progress bar on stderr over the bytes of ``paths``, not yet started; None
    when stderr is not a terminal, an input is stdin (its size is unknown) or the inputs are
    too small to wait for (``rxp parse``, ``rxp mine``)."""
    if not is_terminal(sys.stderr) or not paths or any(str(p) == "-" for p in paths):
        return None
    try:
        size = sum(p.stat().st_size for p in paths)
    except OSError:
        return None
    if size < PROGRESS_BYTES:
        return None
    from rich.progress import BarColumn, DownloadColumn, Progress, TimeRemainingColumn

    progress = Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        DownloadColumn(),
        TimeRemainingColumn(),
        console=console(stderr=True),
        transient=True,
    )
    progress.add_task(description, total=size)
    return progress
