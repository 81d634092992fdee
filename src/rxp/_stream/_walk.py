"""Which files ``rxp stream -r`` reads: GNU grep's walk and its ``--include``/``--exclude``
rules, so that the same command line searches the same files in the same order.

The walk is grep's ``fts`` walk: a directory's entries in the order the file system lists
them (``readdir``, not sorted), each directory searched where it is met (preorder). ``-r``
does not follow symbolic links met in the walk (one named on the command line is
followed) and skips FIFOs, sockets and devices; ``-R`` follows every link and reads every
file. A directory that is its own ancestor through links is reported, not entered.

Names are matched as grep's ``exclude`` module (gnulib) does, with glibc's ``fnmatch``
rules in the C locale (``*`` and ``?`` match ``/`` too; ``[!...]``, ``[^...]``, classes
such as ``[[:digit:]]``, a backslash quotes the next character): in a walk the base name
is matched; a name on the command line matches when the whole name or any part after a
``/`` does. The last ``--include``/``--exclude`` that matches decides; when none matches,
the file is searched unless the first of them was an ``--include``. ``--exclude-dir``
skips directories the same way.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import NamedTuple

from .._errors import os_reason
from ._fnmatch import fnmatch

__all__ = ["Found", "Walk", "excluded", "walk"]


class Walk(NamedTuple):
    """How operands are searched. ``files``: (is ``--include``, GLOB) in command-line
    order; ``dirs``: the ``--exclude-dir`` GLOBs; ``strip_dot``: the operand is the
    implicit ``.`` of ``-r`` without FILE, whose files are shown without ``./``."""

    recursive: bool = False
    follow: bool = False
    files: tuple[tuple[bool, str], ...] = ()
    dirs: tuple[str, ...] = ()
    strip_dot: bool = False

    def skips(self, name: str, *, is_dir: bool, command_line: bool) -> bool:
        """Whether grep leaves ``name`` out (a base name in a walk; an operand as typed)."""
        if is_dir:
            if command_line and self.strip_dot:
                return False
            rules = tuple((False, _strip_slashes(glob)) for glob in self.dirs)
        else:
            rules = self.files
        return bool(rules) and excluded(rules, os.fsencode(name), anchored=not command_line)


class Found(NamedTuple):
    """A file the walk met: ``path`` to open (``follow``: through a symbolic link;
    ``nonblock``: without waiting for a FIFO's writer) and ``name`` to show; or a
    directory it could not read (``error``) or would loop into (``warning``)."""

    path: str
    name: str
    follow: bool = False
    nonblock: bool = False
    error: str | None = None
    warning: str | None = None


def walk(root: str, how: Walk, device: tuple[int, int]) -> Iterator[Found]:
    """The files under the directory ``root`` (whose ``(st_dev, st_ino)`` is ``device``)
    in grep's order, skipped names left out."""
    yield from _children(_trim(root), how, {device})


def _trim(root: str) -> str:
    # fts keeps one of several trailing slashes ("d//" lists "d/a", "//" stays as typed)
    if len(root) > 2 and root.endswith("/"):
        root = root.rstrip("/") + "/"
    return root


def _strip_slashes(glob: str) -> str:
    return glob.rstrip("/") or glob[:1]


def _shown(path: str, how: Walk) -> str:
    return path[2:] if how.strip_dot and path.startswith("./") and len(path) > 2 else path


def _children(top: str, how: Walk, ancestors: set[tuple[int, int]]) -> Iterator[Found]:
    try:
        with os.scandir(top) as listing:
            entries = list(listing)  # fts reads a whole directory before it goes down
    except OSError as exc:
        yield Found(top, _shown(top, how), error=os_reason(exc))
        return
    head = top if top.endswith("/") else top + "/"
    for entry in entries:
        path = head + entry.name
        if entry.is_dir(follow_symlinks=how.follow):
            if how.skips(entry.name, is_dir=True, command_line=False):
                continue
            try:
                info = entry.stat(follow_symlinks=how.follow)
            except OSError as exc:
                yield Found(path, _shown(path, how), error=os_reason(exc))
                continue
            key = (info.st_dev, info.st_ino)
            if key in ancestors:
                yield Found(path, _shown(path, how), warning="recursive directory loop")
                continue
            ancestors.add(key)
            yield from _children(path, how, ancestors)
            ancestors.discard(key)
            continue
        if how.skips(entry.name, is_dir=False, command_line=False):
            continue
        if not how.follow and not entry.is_file(follow_symlinks=False):
            continue  # -r: a symbolic link, FIFO, socket or device met in the walk
        yield Found(path, _shown(path, how), follow=how.follow, nonblock=not how.follow)


# --- gnulib's exclude rules over glibc's fnmatch ---------------------------------------------


def excluded(rules: tuple[tuple[bool, str], ...], name: bytes, *, anchored: bool) -> bool:
    """gnulib's ``excluded_file_name``: the last rule matching ``name`` decides (excluded
    unless it is an include); with none matching, excluded when the first is an include."""
    for include, glob in reversed(rules):
        if _matches(os.fsencode(glob), name, anchored):
            return not include
    return rules[0][0]


def _matches(glob: bytes, name: bytes, anchored: bool) -> bool:
    """Whether ``glob`` matches ``name``, or (not ``anchored``) a part of it after a ``/``."""
    if not _has_wildcards(glob):
        text = _unescape(glob)
        at: int | None = 0
        while at is not None:  # gnulib's hash lookup: after every "/"
            if name[at:] == text:
                return True
            if anchored:
                return False
            slash = name.find(b"/", at)
            at = None if slash < 0 else slash + 1
        return False
    if fnmatch(glob, name):
        return True
    if not anchored:  # gnulib's exclude_fnmatch: after each "/" not followed by another
        for i in range(len(name)):
            if name[i] == 0x2F and name[i + 1 : i + 2] != b"/" and fnmatch(glob, name[i + 1 :]):
                return True
    return False


def _has_wildcards(glob: bytes) -> bool:
    i = 0
    while i < len(glob):
        c = glob[i]
        if c == 0x5C:  # a backslash quotes the next byte
            i += 2
            continue
        if c in b"?*[":
            return True
        i += 1
    return False


def _unescape(glob: bytes) -> bytes:
    out = bytearray()
    i = 0
    while i < len(glob):
        if glob[i] == 0x5C and i + 1 < len(glob):
            i += 1
        out.append(glob[i])
        i += 1
    return bytes(out)
