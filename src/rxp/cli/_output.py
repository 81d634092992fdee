"""Where every command's output goes, and what a failed read or write of a standard stream
means: the one place that turns the OS's errors on stdin, stdout and stderr into grep's
answers.

``install`` (called once, first, by the entry points ``rxp.cli.main`` and ``lograg``'s
``main``) makes three promises hold for the whole process, whatever the command and whatever
writes (rxp's printers, Typer's help, rich):

- **fds 0, 1 and 2 are open.** One closed when rxp starts is held by ``/dev/null`` opened the
  wrong way round, so reading a closed stdin and writing a closed stdout still fail with
  EBADF, as they would have, and no file rxp opens later takes its number (a file opened as
  fd 1 would receive the output).
- **stdout fails once, in words.** Any failed write (EBADF, ENOSPC, EIO; EPIPE only when
  SIGPIPE cannot end the process) raises ``WriteError``, which the entry point reports as
  ``PROG: error: write error: <strerror>`` with exit status 2, as grep does; EPIPE is quiet
  (exit 141, the status of a process ended by SIGPIPE). After the first failure stdout
  discards what it is given, so nothing is left to fail again when the interpreter flushes
  it at exit ("Exception ignored ... BrokenPipeError").
- **stderr never raises.** A diagnostic nobody can read (stderr closed, or a full disk) is
  dropped and the exit status stays what the work decided: writing "not found" or "error"
  is the job of the status, which a failed message must not change (grep: ``grep foo
  missing 2>&-`` exits 2, ``grep -c x file 2>/dev/full`` exits 0).

Text goes out in the stream's encoding, with the bytes of undecodable argv and file names
(Python's surrogate escapes) written back as they came, as grep echoes them. JSON (and SVG) goes
out through ``utf8_bytes``: always UTF-8 and valid Unicode (a lone surrogate becomes U+FFFD,
which keeps every offset counted in code points), because strict JSON readers (serde_json,
Go's encoding/json in strict mode) reject anything else.
"""

from __future__ import annotations

import codecs
import io
import os
import sys
from typing import IO, TYPE_CHECKING, NoReturn, TextIO

from .._errors import RxpError, os_reason

if TYPE_CHECKING:
    from _typeshed import ReadableBuffer

__all__ = [
    "STDIN",
    "WriteError",
    "cannot_write",
    "descriptor",
    "diagnose",
    "finish",
    "install",
    "read_stdin",
    "read_text",
    "stdin_error",
    "stdout_on",
    "utf8_bytes",
    "worker_failed",
    "write_failed",
    "write_utf8",
]

STDIN = "(standard input)"
"""What messages call stdin, as grep does."""

_EPIPE_STATUS = 141  # 128 + SIGPIPE: what a shell reports for a reader that went away


class WriteError(BaseException):
    """stdout could not be written (``errno``, ``strerror``).

    A ``BaseException``, as ``KeyboardInterrupt`` is: a broken stdout is a condition of the
    whole process, and must reach the entry point through every ``except Exception`` on the
    way (a benchmark's, rich's); nor an ``OSError``, which Typer's ``main`` turns into exit
    status 1 when its errno is EPIPE."""

    def __init__(self, errno: int | None, strerror: str) -> None:
        super().__init__(errno, strerror)
        self.errno = errno
        self.strerror = strerror


def _echo_errors(exc: UnicodeError) -> tuple[str | bytes, int]:
    """The codec error handler of text on stdout: a surrogate escape (a byte of argv or of a
    file name that was not UTF-8) is that byte again; any other unencodable character is
    U+FFFD, or ``?`` where the encoding has no U+FFFD. Never an exception for a user."""
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    out = bytearray()
    for char in exc.object[exc.start : exc.end]:
        code = ord(char)
        if 0xDC80 <= code <= 0xDCFF:
            out.append(code - 0xDC00)
        else:
            out += "\ufffd".encode(exc.encoding, "replace")
    return bytes(out), exc.end


codecs.register_error("rxp-echo", _echo_errors)


class _Fd(io.RawIOBase):
    """A standard stream's fd, written with ``os.write``. For stdout (``diagnostics``
    False) a failure raises ``WriteError``; for stderr it is swallowed. Either way the
    stream is then dead and discards what it is given."""

    def __init__(self, fd: int, *, diagnostics: bool) -> None:
        super().__init__()
        self._fd = fd
        self._diagnostics = diagnostics
        self.dead = False

    def fileno(self) -> int:
        return self._fd

    def isatty(self) -> bool:
        try:
            return os.isatty(self._fd)
        except OSError:
            return False

    def writable(self) -> bool:
        return True

    def write(self, data: ReadableBuffer) -> int:
        size = memoryview(data).nbytes
        if self.dead:
            return size
        try:
            return os.write(self._fd, data)
        except OSError as exc:
            self.dead = True
            if self._diagnostics:
                return size
            raise WriteError(exc.errno, os_reason(exc)) from None


def _reserve(fd: int, flags: int) -> None:
    """Hold a closed ``fd`` with /dev/null opened with ``flags`` (the wrong direction)."""
    try:
        held = os.open(os.devnull, flags)
    except OSError:
        return
    if held != fd:
        os.dup2(held, fd)
        os.close(held)


def _wrap(fd: int, original: TextIO | None, *, diagnostics: bool) -> TextIO:
    raw = _Fd(fd, diagnostics=diagnostics)
    encoding = getattr(original, "encoding", None) or "utf-8"
    return io.TextIOWrapper(
        io.BufferedWriter(raw),
        encoding=encoding,
        errors="backslashreplace" if diagnostics else "rxp-echo",
        line_buffering=diagnostics or raw.isatty(),
        write_through=diagnostics,
    )


def _ours(stream: object) -> bool:
    return isinstance(stream, io.TextIOWrapper) and isinstance(
        getattr(stream.buffer, "raw", None), _Fd
    )


def install() -> None:
    """Make the promises of this module's docstring hold for this process. A stream that a
    caller has already replaced (a test's capture, ``redirect_stdout``) is left alone."""
    if sys.stdin is None:
        _reserve(0, os.O_WRONLY)
        sys.stdin = open(0, encoding="utf-8", errors="surrogateescape", closefd=False)  # noqa: SIM115
    for fd, name in ((1, "stdout"), (2, "stderr")):
        current = getattr(sys, name)
        original = getattr(sys, f"__{name}__")
        if current is None:
            _reserve(fd, os.O_RDONLY)
        elif current is not original or _ours(current):
            continue
        else:
            current.flush()
        setattr(sys, name, _wrap(fd, original, diagnostics=fd == 2))


def stdout_on(fd: int) -> TextIO:
    """A text stream on ``fd`` (a duplicate of stdout's descriptor) under stdout's rules: a
    failed write raises ``WriteError``. For output that must reach the real stdout while
    fd 1 means something else (``rxp bench`` points it at stderr while benchmarks run);
    the caller closes ``fd``."""
    return _wrap(fd, sys.stdout, diagnostics=False)


def descriptor(out: IO[bytes]) -> int | None:
    """``out``'s descriptor, for worker processes that write their share of the output
    there themselves, once what ``out`` holds is written (theirs follows it); None when
    ``out`` has none (a test's buffer)."""
    out.flush()
    try:
        return out.fileno()
    except (OSError, ValueError):
        return None


def worker_failed(out: IO[bytes], errno: int | None, strerror: str) -> NoReturn:
    """A worker's failed write of ``out``'s descriptor, reported as a failed write of
    ``out`` itself would be (``WriteError``), and ``out`` then discards what it is given
    as it would."""
    raw = getattr(out, "raw", None)
    if isinstance(raw, _Fd):
        raw.dead = True
    raise WriteError(errno, strerror)


def write_failed(exc: WriteError, prog: str) -> int:
    """The exit status for a failed write of stdout, after saying so on stderr (EPIPE:
    quietly, the reader went away on purpose)."""
    import errno

    if exc.errno == errno.EPIPE:
        return _EPIPE_STATUS
    diagnose(f"{prog}: error: write error: {exc.strerror}")
    return 2


def finish(status: int, prog: str) -> int:
    """``status``, once what stdout still holds is written; 2 (or 141) if it cannot be."""
    try:
        if sys.stdout is not None:
            sys.stdout.flush()
    except WriteError as exc:
        return write_failed(exc, prog)
    except (OSError, ValueError):  # a stream this module did not install
        pass
    return status


def diagnose(text: str) -> None:
    """``text`` and a newline on stderr, at once; never raises (see the module's docstring)."""
    try:
        sys.stderr.write(text + "\n")
        sys.stderr.flush()
    except (AttributeError, OSError, ValueError):  # no stderr, or one this module did not wrap
        pass


def utf8_bytes(text: str) -> bytes:
    """``text`` (JSON from ``json.dumps(..., ensure_ascii=False)``, an SVG) as UTF-8 that
    every reader accepts: a lone surrogate (from an undecodable argv or file name, or a
    ``\\ud800`` escape in JSON input) becomes U+FFFD. JSON's and XML's syntax is ASCII, so
    only strings change, and each keeps its length in code points."""
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return "".join("\ufffd" if "\ud800" <= c <= "\udfff" else c for c in text).encode()


def write_utf8(text: str) -> None:
    """A document (JSON, SVG) and a newline on stdout, as ``utf8_bytes``."""
    sys.stdout.flush()  # what went before, in order
    sys.stdout.buffer.write(utf8_bytes(text) + b"\n")


def read_stdin() -> bytes:
    """All of stdin's bytes; a failed read (closed: EBADF) is ``stdin_error``'s."""
    try:
        return sys.stdin.buffer.read()
    except OSError as exc:
        raise stdin_error(exc) from None


def stdin_error(exc: OSError) -> RxpError:
    """The error for a failed read of stdin (closed: EBADF; a directory: EISDIR), in
    grep's words: ``(standard input): Bad file descriptor``."""
    return RxpError(f"{STDIN}: {os_reason(exc)}")


def read_text(path: object, what: str) -> str:
    """A UTF-8 file a command was told to read (``--grok-patterns``); a file that cannot be
    read, or is not UTF-8, is a usage error naming ``what`` and the path."""
    try:
        with open(str(path), encoding="utf-8") as handle:
            return handle.read()
    except (OSError, UnicodeDecodeError) as exc:
        why = os_reason(exc) if isinstance(exc, OSError) else "not UTF-8 text"
        raise RxpError(f"cannot read {what} {str(path)!r}: {why}") from None


def cannot_write(path: object, exc: OSError) -> RxpError:
    """The error for a file a command was told to write (``-o``, ``--json``, ``--svg``):
    which path, and the OS's words for what went wrong."""
    return RxpError(f"cannot write {str(path)!r}: {os_reason(exc)}")
