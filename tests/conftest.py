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
from collections.abc import Iterator

import pytest
from hypothesis import settings

from tests.helpers import close_driver

_CACHE = tempfile.mkdtemp(prefix="rxp-test-cache-")
os.environ["RXP_CACHE_DIR"] = _CACHE

settings.register_profile("rxp", deadline=None)
settings.load_profile("rxp")


@pytest.fixture(scope="session", autouse=True)
def _warm_rxp_ends() -> Iterator[None]:
    """``run_rxp``'s warm interpreter (tests/helpers.py) ends with the session, its
    coverage data saved before pytest-cov combines it."""
    yield
    close_driver()
