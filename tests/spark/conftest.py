"""One SparkSession for the whole run (``local[2]``), shared by every test here.

Starting a JVM takes seconds, so the session is session-scoped, and the tests are one
xdist group (``.ci/run`` passes ``--dist loadgroup``): one worker runs them all and starts
Spark once. The files are cut into small blocks and the Arrow batches are small, so a test
input of a few hundred lines crosses partition and batch boundaries many times: the
numbering, the runs and the merges are checked where they can go wrong.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

try:
    import pyspark
except ImportError:  # pragma: no cover - CI installs the spark extra
    pyspark = None


@pytest.hookimpl(tryfirst=True)  # before xdist's hook turns the groups into node ids
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = __file__.rsplit("/", 1)[0]
    for item in items:
        if str(item.fspath).startswith(here):
            item.add_marker(pytest.mark.xdist_group("spark"))
            if pyspark is None and "spark" in getattr(item, "fixturenames", ()):
                item.add_marker(
                    pytest.mark.skip(
                        reason="pyspark is not installed: pip install -e '.[spark]' runs these"
                    )
                )


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    import rxp.spark

    session = rxp.spark.session("local[2]", "rxp-tests")
    session.conf.set("spark.sql.files.maxPartitionBytes", "4096")
    session.conf.set("spark.sql.files.openCostInBytes", "0")
    session.conf.set("spark.sql.execution.arrow.maxRecordsPerBatch", "7")
    yield session
    session.stop()
