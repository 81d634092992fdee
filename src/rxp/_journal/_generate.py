"""A deterministic, seeded journald corpus of any size, for benchmarks and tests.

The same seed gives the same entries, byte for byte, in each of three forms: ``short-iso``
(as ``journalctl -o short-iso --utc`` prints them), ``json`` (``-o json``, one object per
line) and ``export`` (``-o export``; a multi-line message is a binary-safe field). A form's
output is a prefix of that form's output for any larger size.

The mix is what a busy internet-facing host logs: sshd authentication failures from
attacker addresses and the odd accepted key, kernel firewall (UFW) blocks, systemd unit
messages, cron, logfmt and JSON application lines, and multi-line Python tracebacks.

Speed: a pool of a few thousand entries is built once from the seed (every address, port,
user and request id drawn at random); the stream then picks pool entries at random and only
formats timestamps and cursors per entry, writing in blocks of 1 MiB (constant memory).
"""

from __future__ import annotations

import json
import os
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO, Literal, TypeAlias

from .._errors import RxpError
from ._codec import JournalEntry, format_short_iso
from ._text import is_printable

__all__ = ["GENERATOR_VERSION", "JournalForm", "ensure_journal", "iter_entries", "write_journal"]

GENERATOR_VERSION = 1
JournalForm: TypeAlias = Literal["short-iso", "json", "export"]
FORMS: tuple[JournalForm, ...] = ("short-iso", "json", "export")

_POOL = 4096
_START_USEC = 1_705_276_800_000_000  # 2024-01-15T00:00:00Z
_WRITE_BLOCK = 1 << 20
_JSON_HEAD = b'{"__CURSOR":"%s","__REALTIME_TIMESTAMP":"%d","__MONOTONIC_TIMESTAMP":"%d"%s'
_HOSTS = ("web01", "web02", "db01", "bastion")
_USERS = ("admin", "test", "oracle", "ubuntu", "postgres", "git", "user", "pi", "ftpuser",
          "guest", "support", "deploy", "jenkins", "hadoop", "nagios", "www-data")  # fmt: skip
_UNITS = ("nginx.service", "postgresql@15-main.service", "apt-daily.service", "man-db.service",
          "logrotate.service", "certbot.service", "fwupd-refresh.service")  # fmt: skip
_METHODS = ("GET", "GET", "POST", "DELETE")
_PATHS = (
    "/api/v1/users",
    "/api/v1/orders",
    "/healthz",
    "/api/v1/search",
    "/login",
    "/static/app.js",
)


@dataclass(frozen=True, slots=True)
class _Item:
    """One pool entry: its fields after the timestamps, pre-rendered for each form."""

    host: int
    fields: tuple[tuple[str, bytes], ...]
    export: bytes
    json: bytes
    short: bytes  # the short-iso line after the timestamp


def _ip(rng: random.Random) -> str:
    first = rng.choice((45, 61, 80, 91, 103, 109, 141, 185, 193, 198, 203, 218, 222))
    return f"{first}.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"


def _message(rng: random.Random) -> tuple[str, str, str, str, str]:
    """(kind, identifier, priority, unit, message) for one random pool entry."""
    ip, port = _ip(rng), rng.randrange(1024, 65536)
    roll = rng.random()
    if roll < 0.16:
        user = rng.choice(_USERS)
        text = f"Failed password for invalid user {user} from {ip} port {port} ssh2"
        return "sshd", "sshd", "6", "ssh.service", text
    if roll < 0.27:
        return (
            "sshd",
            "sshd",
            "6",
            "ssh.service",
            f"Failed password for root from {ip} port {port} ssh2",
        )
    if roll < 0.30:
        key = "".join(
            rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
            for _ in range(43)
        )
        text = f"Accepted publickey for deploy from {ip} port {port} ssh2: ED25519 SHA256:{key}"
        return "sshd", "sshd", "6", "ssh.service", text
    if roll < 0.35:
        text = rng.choice(
            (
                f"Invalid user {rng.choice(_USERS)} from {ip} port {port}",
                f"Connection closed by authenticating user root {ip} port {port} [preauth]",
                f"Disconnected from invalid user {rng.choice(_USERS)} {ip} port {port} [preauth]",
                "pam_unix(sshd:session): session opened for user deploy(uid=1000) by (uid=0)",
            )
        )
        return "sshd", "sshd", "6", "ssh.service", text
    if roll < 0.50:
        mac = ":".join(f"{rng.randrange(256):02x}" for _ in range(14))
        proto = rng.choice(("TCP", "TCP", "TCP", "UDP"))
        dpt = rng.choice((22, 23, 80, 443, 445, 1433, 3306, 3389, 5432, 6379, 8080, 8443))
        text = (
            f"[UFW BLOCK] IN=eth0 OUT= MAC={mac} SRC={ip} DST=198.51.100.{rng.randrange(2, 250)} "
            f"LEN={rng.choice((40, 44, 52, 60))} TOS=0x00 PREC=0x00 TTL={rng.randrange(30, 250)} "
            f"ID={rng.randrange(65536)} PROTO={proto} SPT={port} DPT={dpt}"
            + (
                " WINDOW=1024 RES=0x00 SYN URGP=0"
                if proto == "TCP"
                else f" LEN={rng.randrange(8, 120)}"
            )
        )
        return "kernel", "kernel", "4", "", text
    if roll < 0.60:
        unit = rng.choice(_UNITS)
        name = unit.removesuffix(".service")
        text = rng.choice(
            (
                f"Started {name}.service - {name.capitalize()} daemon.",
                f"{unit}: Deactivated successfully.",
                f"Starting {name}.service...",
                f"{unit}: Consumed {rng.randrange(1, 900)}.{rng.randrange(1000):03d}s CPU time.",
                f"Started Session {rng.randrange(1, 9000)} of User deploy.",
                f"{unit}: Main process exited, code=exited, status={rng.randrange(1, 4)}/FAILURE",
            )
        )
        return "systemd", "systemd", rng.choice(("6", "6", "6", "3")), "init.scope", text
    if roll < 0.64:
        cmd = rng.choice(
            ("cd / && run-parts --report /etc/cron.hourly", "/usr/local/bin/backup.sh")
        )
        return "cron", "CRON", "6", "cron.service", f"(root) CMD ({cmd})"
    if roll < 0.80:
        status = rng.choice((200, 200, 200, 201, 204, 301, 404, 500, 503))
        level = "error" if status >= 500 else "warn" if status >= 400 else "info"
        text = (
            f'level={level} msg="request completed" method={rng.choice(_METHODS)} '
            f"path={rng.choice(_PATHS)}/{rng.randrange(1, 99999)} status={status} "
            f"duration_ms={rng.randrange(1, 3000) / 10} remote_ip={ip} "
            f'request_id={rng.getrandbits(64):016x} user_agent="curl/8.{rng.randrange(9)}.0"'
        )
        return "logfmt", "api", "3" if status >= 500 else "6", "api.service", text
    if roll < 0.97:
        record = {
            "level": rng.choice(("info", "info", "warning", "error")),
            "msg": rng.choice(("job finished", "job failed", "retrying job", "queue drained")),
            "job_id": rng.randrange(1, 10**6),
            "queue": rng.choice(("emails", "billing", "reports")),
            "attempt": rng.randrange(1, 6),
            "elapsed": round(rng.random() * 30, 3),
            "worker": {
                "host": "worker-" + str(rng.randrange(1, 9)),
                "pid": rng.randrange(1000, 60000),
            },
        }
        return "json", "worker", "6", "worker.service", json.dumps(record, separators=(", ", ": "))
    line = rng.randrange(20, 400)
    text = (
        "Traceback (most recent call last):\n"
        f'  File "/srv/billing/tasks.py", line {line}, in charge\n'
        "    response = client.post(url, json=payload, timeout=10)\n"
        '  File "/usr/lib/python3/dist-packages/requests/adapters.py", line 519, in send\n'
        "    raise ConnectionError(e, request=request)\n"
        "requests.exceptions.ConnectionError: HTTPSConnectionPool(host='pay.example.com', "
        f"port=443): Max retries exceeded with url: /v1/charges/{rng.getrandbits(40):x}"
    )
    return "traceback", "billing", "3", "billing.service", text


def _item(rng: random.Random, boots: tuple[str, ...], machines: tuple[str, ...]) -> _Item:
    kind, ident, priority, unit, message = _message(rng)
    host = rng.randrange(len(_HOSTS))
    fields: list[tuple[str, str]] = [("_BOOT_ID", boots[host])]
    if kind == "kernel":
        fields += [("_TRANSPORT", "kernel"), ("PRIORITY", priority), ("SYSLOG_FACILITY", "0"),
                   ("SYSLOG_IDENTIFIER", ident)]  # fmt: skip
    else:
        pid = "1" if kind == "systemd" else str(rng.randrange(300, 90000))
        comm = {"systemd": "systemd", "cron": "cron", "sshd": "sshd"}.get(kind, "python3")
        fields += [
            (
                "_TRANSPORT",
                "syslog"
                if kind in ("sshd", "cron")
                else "stdout"
                if kind != "systemd"
                else "journal",
            ),
            ("PRIORITY", priority),
            ("SYSLOG_FACILITY", "4" if kind == "sshd" else "3"),
            ("SYSLOG_IDENTIFIER", ident),
            ("_PID", pid),
            ("_UID", "0" if kind in ("sshd", "cron", "systemd") else "1001"),
            ("_COMM", comm),
            ("_SYSTEMD_UNIT", unit),
            ("_SYSTEMD_SLICE", "-.slice" if kind == "systemd" else "system.slice"),
        ]
    fields += [("_MACHINE_ID", machines[host]), ("_HOSTNAME", _HOSTS[host]), ("MESSAGE", message)]
    encoded = tuple((name, value.encode()) for name, value in fields)
    export = b"".join(
        b"%s=%s\n" % (n.encode(), v)
        if is_printable(v, newline=False)
        else b"%s\n%s%s\n" % (n.encode(), len(v).to_bytes(8, "little"), v)
        for n, v in encoded
    )
    body = "".join(f",{json.dumps(n)}:{json.dumps(v, ensure_ascii=False)}" for n, v in fields)
    sample = JournalEntry((("__REALTIME_TIMESTAMP", b"%d" % _START_USEC), *encoded))
    short = format_short_iso(sample)[24:]  # everything after the fixed-width timestamp
    return _Item(host, encoded, export + b"\n", body.encode() + b"}\n", short)


def _pool(seed: int) -> tuple[random.Random, list[_Item], tuple[str, ...], list[int]]:
    rng = random.Random(seed)
    boots = tuple(f"{rng.getrandbits(128):032x}" for _ in _HOSTS)
    machines = tuple(f"{rng.getrandbits(128):032x}" for _ in _HOSTS)
    items = [_item(rng, boots, machines) for _ in range(_POOL)]
    booted = [_START_USEC - rng.randrange(3600, 86400 * 30) * 1_000_000 for _ in _HOSTS]
    return rng, items, boots, booted


def _stream(rng: random.Random, items: list[_Item]) -> Iterator[tuple[int, int, _Item]]:
    """(sequence number, realtime usec, pool item), forever."""
    usec = _START_USEC
    seq = 0
    while True:
        picks = [rng.getrandbits(12) for _ in range(4096)]
        steps = [rng.getrandbits(16) * 8 for _ in range(4096)]
        for pick, step in zip(picks, steps, strict=True):
            seq += 1
            usec += step
            yield seq, usec, items[pick]


def iter_entries(seed: int = 0) -> Iterator[JournalEntry]:
    """The generator's entries as decoded values, without end (tests slice it)."""
    rng, items, _, booted = _pool(seed)
    for _, usec, item in _stream(rng, items):
        head = (
            ("__REALTIME_TIMESTAMP", b"%d" % usec),
            ("__MONOTONIC_TIMESTAMP", b"%d" % (usec - booted[item.host])),
        )
        yield JournalEntry(head + item.fields)


def write_journal(out: BinaryIO, *, size: int, form: JournalForm | str, seed: int = 0) -> int:
    """Write whole entries in ``form`` (``short-iso``, ``json`` or ``export``; anything else
    is an ``RxpError``) while they fit in ``size`` bytes; return the bytes written.

    Memory stays constant (one 1 MiB block); the result is at most ``size`` bytes and
    short of it by less than one entry.
    """
    if form not in FORMS:
        raise RxpError(f"unknown journal form {form!r}: expected one of {', '.join(FORMS)}")
    rng, items, boots, booted = _pool(seed)
    seqnum_id = f"{random.Random(seed ^ 0x5EC).getrandbits(128):032x}"
    stamp_cache: dict[int, bytes] = {}
    written = 0
    block: list[bytes] = []
    pending = 0
    for seq, usec, item in _stream(rng, items):
        if form == "short-iso":
            second = usec // 1_000_000
            stamp = stamp_cache.get(second)
            if stamp is None:
                stamp_cache.clear()
                moment = datetime.fromtimestamp(second, UTC)
                stamp = stamp_cache[second] = moment.strftime("%Y-%m-%dT%H:%M:%S%z").encode()
            chunk = stamp + item.short
        else:
            mono = usec - booted[item.host]
            cursor = b"s=%s;i=%x;b=%s;m=%x;t=%x;x=%x" % (
                seqnum_id.encode(), seq, boots[item.host].encode(), mono, usec,
                (seq * 0x9E3779B97F4A7C15 ^ usec) & 0xFFFFFFFFFFFFFFFF,
            )  # fmt: skip
            if form == "export":
                chunk = b"__CURSOR=%s\n__REALTIME_TIMESTAMP=%d\n__MONOTONIC_TIMESTAMP=%d\n%s" % (
                    cursor, usec, mono, item.export,
                )  # fmt: skip
            else:
                chunk = _JSON_HEAD % (
                    cursor, usec, mono, item.json,
                )  # fmt: skip
        if written + pending + len(chunk) > size:
            break
        block.append(chunk)
        pending += len(chunk)
        if pending >= _WRITE_BLOCK:
            out.write(b"".join(block))
            written += pending
            block.clear()
            pending = 0
    out.write(b"".join(block))
    return written + pending


def default_cache_dir() -> Path:
    """``$RXP_BENCH_CACHE``, else ``benchmarks/.cache`` under the working directory."""
    return Path(os.environ.get("RXP_BENCH_CACHE") or Path.cwd() / "benchmarks" / ".cache")


def ensure_journal(
    size: int, form: JournalForm | str, seed: int = 0, cache_dir: Path | None = None
) -> Path:
    """The path of a cached journal for (size, form, seed, generator version), generating
    it first if needed. Writes to a temporary name and renames, so concurrent callers never
    see a partial file."""
    folder = default_cache_dir() if cache_dir is None else Path(cache_dir)
    suffix = {"short-iso": "log", "json": "json", "export": "export"}.get(form)
    if suffix is None:
        raise RxpError(f"unknown journal form {form!r}: expected one of {', '.join(FORMS)}")
    path = folder / f"journal-v{GENERATOR_VERSION}-s{seed}-{size}.{suffix}"
    if path.exists():
        return path
    folder.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with temporary.open("wb") as handle:
            write_journal(handle, size=size, form=form, seed=seed)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
    return path
