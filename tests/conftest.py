"""Suite-wide settings: rxp's cache directory (grammar tables, pattern plans) is a fresh
temporary one, so the suite never writes into the user's home and no stale cache entry from
another checkout can hide a bug. Subprocesses inherit it through the environment."""

from __future__ import annotations

import os
import tempfile

_CACHE = tempfile.mkdtemp(prefix="rxp-test-cache-")
os.environ["RXP_CACHE_DIR"] = _CACHE
