"""rxp as a fresh process per case, forked from one warm interpreter: the fault matrix of
``faults/test_outputs.py`` (every command under every closed, full or broken standard
stream) and the suite's ``run_rxp`` (``tests/helpers.py``) in seconds instead of minutes,
since a fork costs milliseconds where starting Python and importing Typer costs a quarter of
a second, and twice that under ``pytest --cov``.

The driver (``serve``, run as ``python -c``) imports rxp, Typer and rich once and reads one
JSON request a line. For each it forks a child that sets up fds 0-2 as a shell would
(``closed``, ``/dev/full``, a pipe whose reader is gone or goes away after N bytes, a file,
a pipe the driver feeds), takes the case's environment and working directory, rebuilds
``sys.stdin``/``stdout``/``stderr`` as CPython's start-up does (``None`` for a closed fd),
restores Python's start-up signal dispositions (SIGPIPE ignored), calls the entry point and
then ends as CPython's finalisation does: threads joined, ``atexit`` run, stdout and
stderr flushed (a failure there is "Exception ignored ..." and exit status 120). What this
cannot show (CPython refusing to start at all) the tests check on real processes.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any, NamedTuple

ROOT = Path(__file__).resolve().parents[1]
# sys.argv[0] of ``python -m rxp``
_MAIN = str(Path(ROOT, "src", "rxp", "__main__.py"))


def uncoloured() -> dict[str, str]:
    """This process's environment without ``NO_COLOR``/``FORCE_COLOR``, so that only what
    a test sets decides rxp's colour."""
    return {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}


class Ran(NamedTuple):
    status: int  # as a shell reports it: 128 + N for a process ended by signal N
    stdout: bytes
    stderr: bytes


def _onto(fd: int, how: str, pipe_fd: int | None, files: dict[str, str]) -> None:
    if how == "closed":
        with contextlib.suppress(OSError):
            os.close(fd)
        return
    if how == "capture":
        new = os.open(files["out" if fd == 1 else "err"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
    elif how == "null":
        new = os.open(os.devnull, os.O_RDONLY if fd == 0 else os.O_WRONLY)
    elif how == "full":
        new = os.open("/dev/full", os.O_WRONLY)
    elif how == "broken-pipe":
        read, new = os.pipe()
        os.close(read)
    elif how.startswith(("head:", "feed:")):
        assert pipe_fd is not None
        new = pipe_fd
    else:
        assert how.startswith("file:"), how
        new = os.open(how[5:], os.O_RDONLY)
    if new != fd:
        os.dup2(new, fd)
        os.close(new)


# the error handlers of the driver's own start-up streams, which CPython chose from the
# locale of the environment the driver and the tests share ("strict" or "surrogateescape")
_ERRORS = {0: sys.stdin.errors if sys.stdin else "strict", 1: sys.stdout.errors}


def _start_up_streams() -> None:
    """``sys.stdin``/``stdout``/``stderr`` as CPython's start-up makes them."""
    for fd, name in ((0, "stdin"), (1, "stdout"), (2, "stderr")):
        stream: Any = None
        try:
            os.fstat(fd)
        except OSError:
            pass
        else:
            errors = _ERRORS.get(fd, "backslashreplace")
            if fd == 0:
                stream = open(0, encoding="utf-8", errors=errors, closefd=False)  # noqa: SIM115
            else:
                stream = io.TextIOWrapper(
                    open(fd, "wb", closefd=False),  # noqa: SIM115
                    encoding="utf-8",
                    errors=errors,
                    line_buffering=fd == 2 or os.isatty(fd),
                )
        setattr(sys, name, stream)
        setattr(sys, f"__{name}__", stream)


def _finalise(status: int) -> int:
    """What CPython does after ``main`` returns: join threads, run ``atexit``, flush."""
    import atexit
    import threading

    shutdown = getattr(threading, "_shutdown", None)
    if shutdown is not None:
        shutdown()
    atexit._run_exitfuncs()
    for stream in {id(s): s for s in (sys.stdout, sys.__stdout__) if s is not None}.values():
        try:
            stream.flush()
        except BaseException as exc:
            with contextlib.suppress(OSError):
                os.write(2, f"Exception ignored in: {stream!r}\n{exc!r}\n".encode())
            status = 120
    try:
        if sys.stderr is not None:
            sys.stderr.flush()
    except BaseException:
        pass
    return status


def _own_coverage() -> None:
    """Under ``pytest --cov`` the driver runs coverage (``patch = subprocess``). A forked
    child would inherit it and, at exit, save the driver's whole data again as its own:
    two thirds of the matrix's time. Restart coverage in the child as coverage's own
    ``patch = fork`` does (not set for the whole suite: rxp's process workers fork too, and
    end with ``os._exit``, so a restart there costs time and measures nothing more)."""
    try:
        from coverage.control import _after_fork_in_child  # coverage >= 7.10
    except ImportError:  # no coverage, or another version: the child saves it all, slower
        return
    _after_fork_in_child()


def _child(case: dict[str, Any], pipe_fd: int | None) -> int:
    _own_coverage()
    os.chdir(case["cwd"])
    if case.get("env") is not None:
        os.environ.clear()
        os.environ.update(case["env"])
        time.tzset()
    signal.signal(signal.SIGPIPE, signal.SIG_IGN)  # Python's own, before rxp's main
    signal.signal(signal.SIGINT, signal.default_int_handler)
    files = {"out": case["out"], "err": case["err"]}
    for fd, key in ((0, "stdin"), (1, "stdout"), (2, "stderr")):
        _onto(fd, case[key], pipe_fd, files)
    _start_up_streams()
    argv = case["argv"]
    sys.argv = [_MAIN if argv[0] == "rxp" else argv[0], *argv[1:]]
    if argv[0] == "lograg":
        from rxp.cli.lograg import main
    else:
        from rxp.cli import main
    try:
        status = main(argv[1:])
    except SystemExit as exc:
        status = exc.code if isinstance(exc.code, int) else 1
    except BaseException:
        import traceback

        with contextlib.suppress(BaseException):
            traceback.print_exc()
        status = 1
    return _finalise(status)


def _feed(fd: int, path: str) -> threading.Thread:
    """Write the file at ``path`` into the pipe ``fd`` and close it (a thread: the child
    may read as slowly as it likes, or not at all)."""

    def feed() -> None:
        with open(fd, "wb") as pipe, contextlib.suppress(OSError):
            pipe.write(Path(path).read_bytes())

    thread = threading.Thread(target=feed, daemon=True)
    thread.start()
    return thread


def _run(case: dict[str, Any]) -> int | None:
    """The child's exit code as ``subprocess`` gives it (-N: ended by signal N), or None
    when it was killed at the case's timeout."""
    head = case["stdout"].startswith("head:")
    fed = case["stdin"].startswith("feed:")
    read, write = os.pipe() if head or fed else (-1, -1)
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        status = 70
        try:
            if head:
                os.close(read)
            if fed:
                os.close(write)
            status = _child(case, write if head else read if fed else None)
        finally:
            os._exit(status & 0xFF)
    feeder = None
    if fed:
        os.close(read)
        feeder = _feed(write, case["stdin"][5:])
    if head:
        os.close(write)
        want = int(case["stdout"][5:])
        got = b""
        while len(got) < want:
            chunk = os.read(read, want - len(got))
            if not chunk:
                break
            got += chunk
        os.close(read)
        Path(case["out"]).write_bytes(got)
    deadline = time.monotonic() + case["timeout"]
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            return None
        time.sleep(0.002)
    if feeder is not None:  # a worker rxp left behind may still hold the pipe: not forever
        feeder.join(timeout=5)
    return os.waitstatus_to_exitcode(status)


_WARM_UP = (
    ["stream", "x", os.devnull],
    ["stream", "--json", "x", os.devnull],
    ["stream", "--journal", "export", "x", os.devnull],
    ["explain", "a"],
    ["explain", "--json", "a"],
    ["test", "a", "abc"],
    ["test", "--json", "a", "abc"],
    ["parse", os.devnull],
    ["bench", "compare", "{old}", "{new}"],  # imports scipy (seconds)
    ["bench", "gen-journal", "--size", "1KiB"],
    ["--help"],
)


def _warm_up() -> None:
    """Run each command once here, output discarded, so that every child finds its modules
    imported (a child's own imports would cost it what a fresh process pays)."""
    import rich.console  # noqa: F401  (explain and test import it on a terminal)

    from rxp.cli import run

    saved = sys.stdin, sys.stdout, sys.stderr
    with tempfile.TemporaryDirectory() as folder:
        results = {}
        for name, ns in (("old", 1000), ("new", 900)):
            results[name] = path = os.path.join(folder, name)
            Path(path).write_text(f"pkg: p\nBenchmarkA 100 {ns} ns/op\n")
        with open(os.devnull, "rb") as empty, open(os.devnull, "wb") as sink:
            sys.stdin = io.TextIOWrapper(empty)
            sys.stdout = sys.stderr = io.TextIOWrapper(sink)
            try:
                for argv in _WARM_UP:
                    run([arg.format(**results) for arg in argv])
            finally:
                sys.stdout.flush()
                sys.stdin, sys.stdout, sys.stderr = saved


def serve() -> None:
    """The driver: warm imports, then one forked child per request line on stdin, one
    ``{"code": N}`` line back on stdout per request (null: killed at its timeout)."""
    import typer.main

    import rxp.cli
    import rxp.cli.lograg
    from rxp.cli import _app

    rxp.cli._register(None)  # every command, as ``rxp --help`` has them
    built = typer.main.get_command(_app.app)
    original = typer.main.get_command
    typer.main.get_command = lambda app: built if app is _app.app else original(app)  # type: ignore[assignment]
    _warm_up()
    # rxp's main put SIGPIPE back to its default; the driver's feeder threads need Python's
    signal.signal(signal.SIGPIPE, signal.SIG_IGN)
    control = os.fdopen(os.dup(1), "w")
    for line in sys.stdin:
        control.write(json.dumps({"code": _run(json.loads(line))}) + "\n")
        control.flush()


class Driver:
    """The parent's end: ``run`` one case, get what a shell would have seen."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.count = 0
        code = f"import sys; sys.path.insert(0, {str(ROOT)!r}); "
        code += "from tests._forked import serve; serve()"
        self.proc = subprocess.Popen(
            [sys.executable, "-c", code],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=uncoloured(),
        )

    def run(self, argv: list[str], *, cwd: Path, **how: Any) -> Ran:
        """``exchange``, the status as a shell reports it: 128 + N for a process ended by
        signal N."""
        code, out, err = self.exchange(argv, cwd=cwd, **how)
        return Ran(128 - code if code < 0 else code, out, err)

    def exchange(
        self,
        argv: list[str],
        *,
        cwd: Path,
        stdin: str | bytes = "null",
        stdout: str = "capture",
        stderr: str = "capture",
        timeout: float = 60,
        env: dict[str, str] | None = None,
    ) -> tuple[int, bytes, bytes]:
        """``argv`` (``["rxp", ...]`` or ``["lograg", ...]``) with fds 0-2 as given:
        ``null``, ``closed``, ``capture`` (stdout, stderr), ``full`` (``/dev/full``),
        ``broken-pipe`` (a pipe whose reader is gone), ``head:N`` (a pipe whose reader reads
        N bytes and goes away), ``file:PATH`` (stdin), or bytes (stdin: a pipe fed them);
        in ``env`` (the driver's own when None). A run still going after ``timeout`` is
        killed, and raises ``subprocess.TimeoutExpired`` as ``subprocess.run`` does."""
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.count += 1
        out = self.folder / f"out-{self.count}"
        err = self.folder / f"err-{self.count}"
        fed = None
        if isinstance(stdin, bytes):
            fed = self.folder / f"in-{self.count}"
            fed.write_bytes(stdin)
            stdin = f"feed:{fed}"
        case = {
            "argv": argv,
            "cwd": str(cwd),
            "stdin": stdin,
            "stdout": stdout,
            "stderr": stderr,
            "out": str(out),
            "err": str(err),
            "timeout": timeout,
            "env": env,
        }
        self.proc.stdin.write(json.dumps(case) + "\n")
        self.proc.stdin.flush()
        reply = self.proc.stdout.readline()
        assert reply, "the driver died"
        code = json.loads(reply)["code"]
        if code is None:
            raise subprocess.TimeoutExpired(argv, timeout)

        def read(path: Path) -> bytes:
            if not path.exists():
                return b""
            data = path.read_bytes()
            path.unlink()
            return data

        if fed is not None:
            fed.unlink()
        return code, read(out), read(err)

    def close(self) -> None:
        if self.proc.stdin is not None:
            self.proc.stdin.close()
        self.proc.wait(timeout=30)
