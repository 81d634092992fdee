"""A SparkSession that works from a plain virtual environment: the shell's one door to Spark.

What a user would otherwise have to know: Spark's Python workers must run this very
interpreter (in local mode they would start ``python3`` from ``PATH`` and miss rxp and
pyarrow), Spark logs INFO lines and a progress bar on stderr, and a missing Java runtime
or a missing ``rxp[spark]`` extra ends in a JVM or import stack trace. Here each of these
becomes a setting or one ``RxpError`` saying what to install.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import IO, TYPE_CHECKING

from .._errors import RxpError

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

__all__ = ["EXTRA", "require", "session"]

EXTRA = "pip install 'rxp[spark]'"
"""What to run when pyspark, pyarrow or pandas is missing."""

_JAVA = re.compile(rb'version "(?:1\.)?(\d+)')
_LOG4J = Path(__file__).with_name("_log4j2.properties")


def require() -> None:
    """Raise ``RxpError`` naming the extra unless pyspark, pyarrow and pandas import."""
    missing = []
    for module in ("pyspark", "pyarrow", "pandas"):
        try:
            __import__(module)
        except ImportError:
            missing.append(module)
    if missing:
        raise RxpError(f"the Spark engine needs {', '.join(missing)}: {EXTRA}")


def _java() -> str:
    """The ``java`` Spark will start (``JAVA_HOME`` first, as spark-submit looks), checked
    to be a version this pyspark runs on; ``RxpError`` saying what to install otherwise."""
    home = os.environ.get("JAVA_HOME")
    java = str(Path(home) / "bin" / "java") if home else shutil.which("java")
    install = "install a Java runtime (apt-get install openjdk-17-jre-headless) or set JAVA_HOME"
    if java is None or not os.access(java, os.X_OK):
        raise RxpError(f"the Spark engine needs Java 17 or later, and none was found: {install}")
    try:
        done = subprocess.run([java, "-version"], capture_output=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise RxpError(f"cannot run {java} ({exc}): {install}") from None
    found = _JAVA.search(done.stderr + done.stdout)
    if found is None:
        raise RxpError(f"{java} -version says no version: {install}")
    import pyspark

    need = 17 if int(pyspark.__version__.split(".")[0]) >= 4 else 8
    if int(found.group(1)) < need:
        raise RxpError(
            f"pyspark {pyspark.__version__} needs Java {need} or later, {java} is "
            f"Java {found.group(1).decode()}: {install}"
        )
    return java


_LOG: list[IO[bytes]] = []


def _jvm_log() -> IO[bytes]:
    """Where the JVM's own stderr goes: an unnamed temporary file, kept for the process."""
    if not _LOG:
        import tempfile

        _LOG.append(tempfile.TemporaryFile(prefix="rxp-spark-"))  # noqa: SIM115 (process-long)
    return _LOG[0]


def session(master: str = "local[*]", app_name: str = "rxp") -> SparkSession:
    """The active SparkSession, or a new one on ``master``: Python workers on this
    interpreter, Spark's logs down to errors, no progress bar and no web UI. Raises
    ``RxpError`` when the extra or Java is missing or the JVM does not start."""
    require()
    _java()
    from pyspark.sql import SparkSession

    active = SparkSession.getActiveSession()
    if active is not None:
        return active
    if master.startswith("local"):  # the workers are this machine's: this interpreter
        os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    quiet = f"-Dlog4j2.configurationFile={_LOG4J.as_uri()}"
    builder = (
        SparkSession.builder.master(master)
        .appName(app_name)
        .config("spark.pyspark.python", os.environ.get("PYSPARK_PYTHON", sys.executable))
        .config("spark.driver.extraJavaOptions", quiet)
        .config("spark.executor.extraJavaOptions", quiet)
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC")
    )
    # the JVM writes to the stderr it inherits (its own warnings, stack traces): a file
    log = _jvm_log()
    saved = os.dup(2)
    os.dup2(log.fileno(), 2)
    try:
        spark = builder.getOrCreate()
    except Exception as exc:  # the JVM did not start: its reason, on one line
        log.seek(0)
        said = [line.strip() for line in log.read().decode("utf-8", "replace").splitlines()]
        reason = next(
            (line for line in [*str(exc).splitlines(), *said] if line.strip()),
            type(exc).__name__,
        )
        raise RxpError(f"Spark did not start on {master}: {reason.strip()}") from None
    finally:
        os.dup2(saved, 2)
        os.close(saved)
    spark.sparkContext.setLogLevel("ERROR")
    return spark
