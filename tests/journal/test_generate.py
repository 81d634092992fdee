"""The seeded journal generator: determinism, size, agreement of forms, the mix, journalctl."""

from __future__ import annotations

import functools
import io
import itertools
import json
import os
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest

from rxp._errors import RxpError
from rxp._journal._codec import format_short_iso, iter_export, iter_json
from rxp._journal._generate import ensure_journal, iter_entries, write_journal

REMOTE = Path("/lib/systemd/systemd-journal-remote")
JOURNALCTL = shutil.which("journalctl")
SIZE = 300_000


def generate(form: str, size: int = SIZE, seed: int = 0) -> bytes:
    out = io.BytesIO()
    written = write_journal(out, size=size, form=form, seed=seed)
    assert written == len(out.getvalue())
    return out.getvalue()


# the default journals, made once for every test that only reads them (a generation is a
# second or two under coverage); determinism is checked on fresh calls of ``generate``
made = functools.cache(generate)


def without_cursor(fields: tuple[tuple[str, bytes], ...]) -> tuple[tuple[str, bytes], ...]:
    return tuple(f for f in fields if f[0] != "__CURSOR")


@pytest.mark.parametrize("form", ["short-iso", "json", "export"])
def test_same_seed_same_bytes_and_sizes_are_prefixes(form: str) -> None:
    data = made(form)
    assert generate(form) == data
    assert generate(form, seed=1) != data
    assert SIZE - 4096 < len(data) <= SIZE
    smaller = generate(form, size=SIZE // 3)
    assert data.startswith(smaller) and len(smaller) <= SIZE // 3
    assert generate(form, size=0) == b""


def test_forms_agree_with_each_other_and_with_the_decoder() -> None:
    exported = list(iter_export(io.BytesIO(made("export"))))
    from_json = list(iter_json(io.BytesIO(made("json"))))
    assert all(e.error is None for e in exported + from_json)
    count = min(len(exported), len(from_json))
    assert count > 200
    assert [without_cursor(e.fields) for e in exported[:count]] == [
        without_cursor(e.fields) for e in from_json[:count]
    ]
    assert [e.get("__CURSOR") for e in exported[:count]] == [
        e.get("__CURSOR") for e in from_json[:count]
    ]
    rendered = b"".join(format_short_iso(e) for e in exported)
    assert generate("short-iso", size=len(rendered) + 4096).startswith(rendered)
    values = list(itertools.islice(iter_entries(0), len(exported)))
    assert [e.fields for e in values] == [without_cursor(e.fields) for e in exported]


def test_the_mix_contains_every_kind() -> None:
    entries = list(iter_export(io.BytesIO(made("export"))))
    messages = [e.get("MESSAGE") or b"" for e in entries]
    idents = Counter(e.get("SYSLOG_IDENTIFIER") for e in entries)
    for needle in (
        rb"Failed password for invalid user \S+ from [\d.]+ port \d+ ssh2",
        rb"Failed password for root from [\d.]+ port \d+ ssh2",
        rb"Accepted publickey for \S+ from [\d.]+ port \d+ ssh2",
        rb"\[UFW BLOCK\] IN=eth0 OUT= MAC=\S+ SRC=[\d.]+ DST=[\d.]+ .*PROTO=\w+ SPT=\d+ DPT=\d+",
        rb"^level=\w+ msg=\"[^\"]+\" ",
        rb"^Traceback \(most recent call last\):\n(.*\n)+\w+(\.\w+)*Error: ",
    ):
        pattern = re.compile(needle)
        assert any(pattern.search(m) for m in messages), needle
    json_lines = [json.loads(m) for m in messages if m.startswith(b"{")]
    assert json_lines and all(isinstance(d, dict) for d in json_lines)
    assert {b"sshd", b"kernel", b"systemd", b"CRON", b"api", b"worker", b"billing"} <= set(idents)
    # A multi-line message is written binary-safe in the export form.
    assert b"\nMESSAGE\n" in made("export")
    assert idents[b"sshd"] > len(entries) // 5


def test_unknown_form_is_an_error() -> None:
    with pytest.raises(RxpError, match="unknown journal form"):
        write_journal(io.BytesIO(), size=10, form="xml", seed=0)
    with pytest.raises(RxpError, match="unknown journal form"):
        ensure_journal(10, "xml")


def test_ensure_journal_generates_once_and_caches(tmp_path: Path) -> None:
    first = ensure_journal(50_000, "json", 2, tmp_path)
    stamp = first.stat().st_mtime_ns
    assert first.read_bytes() == generate("json", 50_000, 2)
    again = ensure_journal(50_000, "json", 2, tmp_path)
    assert again == first and again.stat().st_mtime_ns == stamp
    assert ensure_journal(50_000, "export", 2, tmp_path) != first
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


@pytest.mark.skipif(
    "CI" not in os.environ and not (REMOTE.exists() and JOURNALCTL), reason="journal-remote needed"
)
def test_journalctl_reads_the_export_and_prints_our_short_iso(tmp_path: Path) -> None:
    source = tmp_path / "gen.export"
    source.write_bytes(generate("export", size=200_000, seed=5))
    target = tmp_path / "gen.journal"
    subprocess.run([str(REMOTE), "-o", str(target), str(source)], check=True, capture_output=True)
    assert JOURNALCTL is not None
    base = [JOURNALCTL, "--file", str(target), "--utc", "-q", "--no-pager"]
    env = {"TZ": "UTC"}
    shown = subprocess.run([*base, "-o", "short-iso"], capture_output=True, env=env).stdout
    ours = generate("short-iso", size=400_000, seed=5)
    assert shown.count(b"\n") > 300
    assert ours.startswith(shown)
    dumped = subprocess.run([*base, "-o", "json"], capture_output=True, env=env).stdout
    theirs = list(iter_json(io.BytesIO(dumped)))
    mine = list(iter_export(io.BytesIO(source.read_bytes())))
    assert len(theirs) == len(mine)
    for a, b in zip(theirs, mine, strict=True):
        assert Counter(without_cursor(a.fields)) == Counter(without_cursor(b.fields))
