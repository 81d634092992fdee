"""Suite-wide settings.

rxp's cache directory (grammar tables, pattern plans) is a fresh temporary one, so the suite
never writes into the user's home and no stale cache entry from another checkout can hide a
bug. Subprocesses inherit it through the environment.

Hypothesis runs without its per-example deadline: the suite runs on two busy cores under
coverage, where a property that takes 300 ms once is slow, not wrong (speed is measured in
``benchmarks/``, never asserted in tests). A test that sets its own ``deadline`` keeps it.
"""

from __future__ import annotations

import os
import tempfile

from hypothesis import settings

_CACHE = tempfile.mkdtemp(prefix="rxp-test-cache-")
os.environ["RXP_CACHE_DIR"] = _CACHE

settings.register_profile("rxp", deadline=None)
settings.load_profile("rxp")
