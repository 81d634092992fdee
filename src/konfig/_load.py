"""Read a file into a ``Source``: YAML (``_yaml``), JSON or TOML (``_json_toml``), by suffix.

Documents of a ``---`` stream are numbered from 1, as a person counts them. An empty file is one
document whose value is ``null`` (what ``yaml.safe_load`` returns).
"""

from __future__ import annotations

from ._document import Document, Source
from ._errors import KonfigError
from ._json_toml import load_json, load_toml
from ._yaml import load_yaml

__all__ = ["kind_of", "load", "load_text"]


def kind_of(name: str) -> str:
    """``json``, ``toml`` or ``yaml``, from the file name's suffix (YAML by default, as
    Helm's and most CI configs are)."""
    lower = name.lower()
    if lower.endswith(".json"):
        return "json"
    if lower.endswith(".toml"):
        return "toml"
    return "yaml"


def load_text(
    name: str, text: str, kind: str | None = None, *, yaml_version: str = "1.1"
) -> Source:
    """Parse ``text`` (from a file called ``name``) into a Source; ``LoadError`` on a syntax
    error, with its place. ``yaml_version`` "1.2" reads plain scalars as YAML 1.2's core
    schema does (``on``, ``no``, ``1:30`` and ``1_000`` are strings, ``0755`` is 755), for
    consumers with a YAML 1.2 parser (GitHub Actions, check-jsonschema's ruamel.yaml)."""
    kind = kind or kind_of(name)
    if kind == "json":
        docs: tuple[Document, ...] = (load_json(name, text),)
    elif kind == "toml":
        docs = (load_toml(name, text),)
    else:
        docs = tuple(load_yaml(name, text, core12=yaml_version == "1.2"))
    return Source(name=name, text=text, documents=docs)


def load(path: str, *, yaml_version: str = "1.1") -> Source:
    """Read and parse the file at ``path`` (``KonfigError`` when it cannot be read)."""
    try:
        with open(path, encoding="utf-8-sig") as handle:
            text = handle.read()
    except OSError as exc:
        reason = (exc.strerror or str(exc)).lower()
        raise KonfigError(f"{path}: {reason}") from None
    except UnicodeDecodeError as exc:
        raise KonfigError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    return load_text(path, text, yaml_version=yaml_version)
