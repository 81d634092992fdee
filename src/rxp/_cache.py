"""rxp's cache directory, shared by everything that keeps work between runs (grammar tables,
pattern plans): ``$RXP_CACHE_DIR`` as given, else ``rxp/`` under ``$XDG_CACHE_HOME`` or
``~/.cache``. Writes are atomic, so concurrent runs (worker processes) never read a
half-written file, and a directory that cannot be written only means nothing is kept.

Plain ``os.path`` strings: pathlib (with urllib and ipaddress) would add milliseconds to
the start of every command.
"""

from __future__ import annotations

import contextlib
import os

__all__ = ["VERSION", "cache_dir", "write_atomically"]

VERSION = "0.1.0"
"""rxp's version (``rxp.__version__``), here because every cache is keyed by it."""


def cache_dir() -> str:
    """The directory (it may not exist yet)."""
    explicit = os.environ.get("RXP_CACHE_DIR")
    if explicit:
        return explicit
    xdg = os.environ.get("XDG_CACHE_HOME")
    return os.path.join(xdg or os.path.join(os.path.expanduser("~"), ".cache"), "rxp")


def write_atomically(path: str, data: bytes) -> bool:
    """Write ``data`` to ``path`` through a temporary file renamed into place; False when
    the directory cannot be made or written (nothing is raised)."""
    import tempfile  # ~5 ms, and only a run that writes needs it

    directory = os.path.dirname(path)
    try:
        os.makedirs(directory, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=".tmp-")
    except OSError:
        return False
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(data)
        os.replace(tmp, path)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        return False
    return True
