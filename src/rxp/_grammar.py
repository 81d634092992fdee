"""Load the grammars in ``grammars/`` through one function, with Lark's tables cached.

The grammar files ship inside the wheel as ``rxp/grammars/*.lark``; an editable install reads
them from the source tree's top-level ``grammars/``. Parser tables are pickled once per
(grammar text, options, Lark version) into the user's cache directory, so no later run rebuilds
them; where that directory cannot be written, the parser is built in memory and nothing fails.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import tempfile
from typing import Any

import lark

from ._cache import cache_dir

__all__ = ["grammar_dir", "grammar_path", "grammar_text", "load_grammar"]


# Paths are plain strings here: pathlib (with urllib and ipaddress) would add ~3 ms to the
# start of every command that parses a pattern.


@functools.cache
def grammar_dir() -> str:
    """The folder holding the ``.lark`` files: inside the package when installed from a wheel,
    the repository's ``grammars/`` in an editable install or a source checkout."""
    here = os.path.dirname(os.path.realpath(__file__))
    for candidate in (
        os.path.join(here, "grammars"),
        os.path.join(os.path.dirname(os.path.dirname(here)), "grammars"),
    ):
        if os.path.isdir(candidate):
            return candidate
    raise FileNotFoundError("rxp's grammar files are missing from this installation")


def grammar_path(name: str) -> str:
    """Path of ``grammars/<name>.lark``."""
    return os.path.join(grammar_dir(), f"{name}.lark")


@functools.cache
def grammar_text(name: str) -> str:
    with open(grammar_path(name), encoding="utf-8") as file:
        return file.read()


def _cache_file(name: str, text: str, options: dict[str, Any]) -> str | None:
    key = repr((text, sorted(options.items(), key=lambda kv: kv[0]), lark.__version__))
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:20]
    directory = cache_dir()
    try:
        os.makedirs(directory, exist_ok=True)
    except OSError:
        return None
    if not os.access(directory, os.W_OK | os.X_OK):
        return None
    return os.path.join(directory, f"{name}-{digest}-lark{lark.__version__}.cache")


def _build(name: str, options: dict[str, Any]) -> lark.Lark:
    text = grammar_text(name)
    opts = dict(options)
    cacheable = opts.get("parser", "earley") == "lalr" and "transformer" not in opts
    path = _cache_file(name, text, opts) if cacheable else None
    if path is None:
        return lark.Lark(text, **opts)
    if not os.path.exists(path):
        # Build into a private temporary file, then rename, so concurrent first runs
        # (several worker processes) never read a half-written cache.
        fd, tmp = tempfile.mkstemp(prefix=os.path.basename(path), dir=os.path.dirname(path))
        os.close(fd)
        os.unlink(tmp)
        try:
            parser = lark.Lark(text, cache=tmp, **opts)
            os.replace(tmp, path)
            return parser
        except OSError:
            return lark.Lark(text, **opts)
    try:
        return lark.Lark(text, cache=path, **opts)
    except Exception:  # a corrupt or foreign cache file must never stop rxp
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)
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
