"""The journal the suites read: generated once per (size, form, seed) and cached.

``RXP_BENCH_JOURNAL_MIB`` sets the size in MiB (default 256); ``RXP_BENCH_CACHE`` the cache
folder (default ``benchmarks/.cache``, git-ignored).
"""

from __future__ import annotations

import os
from pathlib import Path

from rxp._journal._generate import ensure_journal

SEED = 0


def journal_mib() -> int:
    return int(os.environ.get("RXP_BENCH_JOURNAL_MIB", "256"))


def journal(form: str = "short-iso", mib: int | None = None) -> Path:
    """The cached journal of ``mib`` MiB (default ``RXP_BENCH_JOURNAL_MIB``) in ``form``."""
    size = (journal_mib() if mib is None else mib) * 1024 * 1024
    cache = Path(os.environ.get("RXP_BENCH_CACHE") or Path(__file__).resolve().parent / ".cache")
    return ensure_journal(size, form, SEED, cache)  # type: ignore[arg-type]
