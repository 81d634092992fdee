"""Load the grammars in ``grammars/`` through one function, with Lark's tables cached.

The grammar files ship inside the wheel as ``rxp/grammars/*.lark``; an editable install reads
them from the source tree's top-level ``grammars/``. Parser tables are pickled once per
(grammar text, options, Lark version) into the user's cache directory, so no later run rebuilds
them; where that directory cannot be written, the parser is built in memory and nothing fails.
"""

from __future__ import annotations

import functools
import hashlib
import os
import tempfile
from pathlib import Path
from typing import Any

import lark

__all__ = ["grammar_dir", "grammar_path", "grammar_text", "load_grammar"]


@functools.cache
def grammar_dir() -> Path:
    """The folder holding the ``.lark`` files: inside the package when installed from a wheel,
    the repository's ``grammars/`` in an editable install or a source checkout."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "grammars", here.parent.parent / "grammars"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("rxp's grammar files are missing from this installation")


def grammar_path(name: str) -> Path:
    """Path of ``grammars/<name>.lark``."""
    return grammar_dir() / f"{name}.lark"


@functools.cache
def grammar_text(name: str) -> str:
    return grammar_path(name).read_text(encoding="utf-8")


def _cache_dir() -> Path:
    """``$RXP_CACHE_DIR`` as given, else ``rxp/`` under ``$XDG_CACHE_HOME`` or ``~/.cache``."""
    explicit = os.environ.get("RXP_CACHE_DIR")
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "rxp"


def _cache_file(name: str, text: str, options: dict[str, Any]) -> Path | None:
    key = repr((text, sorted(options.items(), key=lambda kv: kv[0]), lark.__version__))
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:20]
    directory = _cache_dir()
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    if not os.access(directory, os.W_OK | os.X_OK):
        return None
    return directory / f"{name}-{digest}-lark{lark.__version__}.cache"


def _build(name: str, options: dict[str, Any]) -> lark.Lark:
    text = grammar_text(name)
    opts = dict(options)
    cacheable = opts.get("parser", "earley") == "lalr" and "transformer" not in opts
    path = _cache_file(name, text, opts) if cacheable else None
    if path is None:
        return lark.Lark(text, **opts)
    if not path.exists():
        # Build into a private temporary file, then rename, so concurrent first runs
        # (several worker processes) never read a half-written cache.
        fd, tmp = tempfile.mkstemp(prefix=path.name, dir=path.parent)
        os.close(fd)
        os.unlink(tmp)
        try:
            parser = lark.Lark(text, cache=tmp, **opts)
            os.replace(tmp, path)
            return parser
        except OSError:
            return lark.Lark(text, **opts)
    try:
        return lark.Lark(text, cache=str(path), **opts)
    except Exception:  # a corrupt or foreign cache file must never stop rxp
        path.unlink(missing_ok=True)
        return lark.Lark(text, **opts)


_loaded: dict[tuple[str, tuple[tuple[str, Any], ...]], lark.Lark] = {}


def load_grammar(name: str, **options: Any) -> lark.Lark:
    """The Lark parser for ``grammars/<name>.lark`` built with ``options``; one instance per
    (name, options) per process, LALR tables cached on disk across processes."""
    key = (name, tuple(sorted(options.items(), key=lambda kv: kv[0])))
    parser = _loaded.get(key)
    if parser is None:
        parser = _loaded[key] = _build(name, options)
    return parser
