"""Which files the operands stand for, each opened once, in grep's order: the one place
inputs are opened.

A path is opened (``_source.open_input``) and its descriptor says what it is: a directory
is walked (``_walk``) when ``-r`` asks, and is otherwise an error in its place (grep's "Is
a directory", after which its count is still printed); a name the ``--include``/
``--exclude`` rules leave out is closed unread; anything else becomes a ``Source`` whose
descriptor the search reads from and closes when done. Nothing else opens an input, so a
FIFO's data cannot go to a probe, and the file read is the file checked.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterable, Iterator, Sequence
from typing import NamedTuple

from .._errors import os_reason
from ._source import Opened, open_input
from ._walk import Walk, walk

__all__ = ["PLAIN", "Failed", "Input", "Source", "input_sizes", "owned", "sources"]

PLAIN = Walk()
"""Operands as they are: directories not walked, no name skipped."""


class Input(NamedTuple):
    """One operand: a ``path`` to open (a directory is walked when ``Walk.recursive``),
    an ``opened`` descriptor (stdin, or a file the caller opened), or (``path`` None)
    a stream of ``blocks`` of whole lines with their offsets, e.g. ``lines_blocks(...)``;
    or an ``error`` known before the search (stdin closed), reported in its place.
    ``name`` is what output shows."""

    name: str
    path: str | None = None
    blocks: Iterable[tuple[int, bytes]] | None = None
    opened: Opened | None = None
    error: str | None = None


class Source(NamedTuple):
    """One file to search, opened: by ranges when ``opened.size`` is known, else as a
    stream (``blocks`` for a caller's iterable)."""

    name: str
    path: str | None
    opened: Opened | None
    blocks: Iterable[tuple[int, bytes]] | None = None


class Failed:
    """An input that could not be read (an error), or a note about one (``warning``).
    (A plain class, as the markers it travels with through the backends.)"""

    __slots__ = ("cause", "message", "name", "warning")

    def __init__(
        self, name: str, message: str, warning: bool = False, cause: OSError | None = None
    ) -> None:
        self.name = name
        self.message = message
        self.warning = warning
        self.cause = cause


def owned(opened: Opened | None) -> int | None:
    """The descriptor the search closes when done with it (not stdin's)."""
    return opened.fd if opened is not None and opened.fd >= 3 else None


def sources(
    inputs: Iterable[Input], how: Walk = PLAIN, output: tuple[int, int] | None = None
) -> Iterator[Source | Failed]:
    """Every file the operands stand for, opened once each, in grep's order, with the
    failures in their places. ``output`` is stdout's (st_dev, st_ino) when it is a regular
    file that printed lines would grow: that file is not read (grep's "input file is also
    the output"), which would never end. The consumer closes each ``Source``'s descriptor
    (``owned``) when done."""
    for item in inputs:
        if item.error is not None:
            yield Failed(item.name, item.error)
        elif item.opened is not None:
            yield from _checked(Source(item.name, item.path, item.opened), output)
        elif item.blocks is not None:
            yield Source(item.name, item.path, None, item.blocks)
        elif item.path is not None:
            yield from _operand(item.name, item.path, how, output)


def _operand(
    name: str, path: str, how: Walk, output: tuple[int, int] | None
) -> Iterator[Source | Failed]:
    try:
        opened = open_input(path)
    except OSError as exc:
        yield Failed(name, os_reason(exc), cause=exc)
        return
    if how.skips(name, is_dir=opened.is_dir, command_line=True):
        os.close(opened.fd)
        return
    if not (opened.is_dir and how.recursive):
        yield from _checked(Source(name, path, opened), output)
        return
    os.close(opened.fd)  # grep, too, walks the directory by its name
    for found in walk(path, how, opened.device):
        if found.error is not None or found.warning is not None:
            yield Failed(found.name, found.error or found.warning or "", found.error is None)
            continue
        try:
            child = open_input(found.path, follow=found.follow, nonblock=found.nonblock)
        except OSError as exc:
            if found.follow or exc.errno != errno.ELOOP:  # ELOOP: a link that appeared
                yield Failed(found.name, os_reason(exc))
            continue
        if child.is_device and not how.follow:  # it was replaced by one since listed
            os.close(child.fd)
            continue
        yield from _checked(Source(found.name, found.path, child), output)


def _checked(source: Source, output: tuple[int, int] | None) -> Iterator[Source | Failed]:
    opened = source.opened
    assert opened is not None
    if output is not None and stat.S_ISREG(opened.mode) and opened.device == output:
        if owned(opened) is not None:
            os.close(opened.fd)
        yield Failed(source.name, "input file is also the output")
        return
    yield source


def input_sizes(inputs: Sequence[Input]) -> list[int | None]:
    """What the operands hold, by ``stat`` (which opens nothing, so no FIFO loses data):
    a regular file's size; 0 for a directory or what cannot be read (nothing known);
    ``None`` for what is read as a stream (stdin, a FIFO, a device, an empty or /proc
    file)."""
    sizes: list[int | None] = []
    for item in inputs:
        if item.path is None or item.opened is not None:
            sizes.append(item.opened.size if item.opened is not None else None)
            continue
        try:
            info = os.stat(item.path)
        except OSError:
            sizes.append(0)
            continue
        if stat.S_ISDIR(info.st_mode):
            sizes.append(0)
        elif stat.S_ISREG(info.st_mode) and info.st_size > 0:
            sizes.append(info.st_size)
        else:
            sizes.append(None)
    return sizes
