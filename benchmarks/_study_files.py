"""Where the concurrency study's results go, and what a results file says about its run.

A study never writes over data: each run creates a new file in ``docs/concurrency/results/``
named ``DATE-MACHINE-LOAD[-smoke]-SUITE.txt`` (``-2``, ``-3``... when that name is taken),
opened with ``"x"`` so even a race cannot overwrite. The file is Go benchmark format, so
``benchstat`` and ``rxp bench compare`` read it; the study's own facts sit in lines those
readers skip (``# study-start: key=value ...``, ``# study-end: ...``) and in two
configuration lines (``load:``, ``journal-mib:``) that label every result.
"""

from __future__ import annotations

import re
import socket
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

LOADS = ("quiet", "loaded")
_NAME = re.compile(
    r"^(?P<date>\d{4}-\d{2}-\d{2})-(?P<machine>[a-z0-9-]+?)-(?P<load>quiet|loaded)"
    r"(?P<smoke>-smoke)?-(?P<suite>[a-z]+)(?:-(?P<seq>\d+))?\.txt$"
)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def machine_id(hostname: str | None = None, machine_id_file: Path = Path("/etc/machine-id")) -> str:
    """A short name for this machine: the host name, plus the first 8 characters of
    ``/etc/machine-id`` when there is one (container host names are often generic)."""
    host = _slug(hostname if hostname is not None else socket.gethostname()) or "host"
    try:
        ident = _slug(machine_id_file.read_text(encoding="ascii").strip())[:8]
    except (OSError, UnicodeDecodeError):
        ident = ""
    return f"{host}-{ident}" if ident else host


def results_name(day: date, machine: str, load: str, suite: str, *, smoke: bool, seq: int) -> str:
    if load not in LOADS:
        raise ValueError(f"load must be one of {LOADS}, not {load!r}")
    tail = f"-{seq}" if seq > 1 else ""
    return f"{day.isoformat()}-{_slug(machine)}-{load}{'-smoke' if smoke else ''}-{suite}{tail}.txt"


def create_results(
    folder: Path, day: date, machine: str, load: str, suite: str, *, smoke: bool
) -> Path:
    """Create and return a new, empty results file; never one that exists."""
    folder.mkdir(parents=True, exist_ok=True)
    seq = 1
    while True:
        path = folder / results_name(day, machine, load, suite, smoke=smoke, seq=seq)
        try:
            with path.open("x", encoding="utf-8"):
                return path
        except FileExistsError:
            seq += 1


def fields_line(tag: str, values: Mapping[str, object]) -> str:
    """``# TAG: k=v k=v``: spaces in values become ``_`` so the line splits back."""
    parts = " ".join(f"{k}={str(v).replace(' ', '_')}" for k, v in values.items())
    return f"# {tag}: {parts}"


def read_fields(lines: Iterable[str], tag: str) -> dict[str, str] | None:
    """The last ``# TAG: ...`` line's fields, or None."""
    found = None
    prefix = f"# {tag}: "
    for line in lines:
        if line.startswith(prefix):
            found = dict(p.partition("=")[::2] for p in line[len(prefix) :].split())
    return found


@dataclass(frozen=True, slots=True)
class RunFile:
    """A results file and what its name and study lines say."""

    path: Path
    suite: str
    load: str
    smoke: bool
    start: Mapping[str, str] = field(default_factory=dict)
    end: Mapping[str, str] | None = None

    @property
    def finished(self) -> bool:
        return self.end is not None and self.end.get("stop") != "interrupted"


def read_run(path: Path) -> RunFile | None:
    """The run in ``path``, or None when the name is not a study results file."""
    m = _NAME.match(path.name)
    if m is None:
        return None
    lines = path.read_text(encoding="utf-8").splitlines()
    return RunFile(
        path,
        m["suite"],
        m["load"],
        bool(m["smoke"]),
        read_fields(lines, "study-start") or {},
        read_fields(lines, "study-end"),
    )


def latest(folder: Path, suite: str, load: str) -> RunFile | None:
    """The newest finished run of ``suite`` under ``load``: a full run before any smoke
    run, then the latest start time (the file name's date and sequence break ties)."""
    runs = []
    for path in sorted(folder.glob("*.txt")):
        run = read_run(path)
        if run is not None and run.suite == suite and run.load == load and run.finished:
            m = _NAME.match(path.name)
            assert m is not None
            key = (not run.smoke, run.start.get("utc", ""), m["date"], int(m["seq"] or 1))
            runs.append((key, run))
    return max(runs, key=lambda kr: kr[0])[1] if runs else None
