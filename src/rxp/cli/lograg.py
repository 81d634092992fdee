"""`lograg FILE REGEX`: print the lines of FILE that REGEX matches as `N:line` (grep -n).

The smallest front end of `rxp stream`'s engine. Exit status 0 if a line matched, 1 if
none, 2 on an error (a missing file, an invalid regex: one `lograg: error: ...` line).
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Sequence

__all__ = ["main"]

_USAGE = "usage: lograg FILE REGEX"


def _fail(message: str) -> int:
    from ._output import diagnose

    diagnose(f"lograg: error: {message}")
    return 2


def run(argv: Sequence[str]) -> int:
    """Run lograg on ``argv`` (without the program name); return the exit status."""
    args = list(argv)
    if args and args[0] in ("-h", "--help"):
        sys.stdout.write(f"{_USAGE}\n\n{__doc__.splitlines()[0]}\n")
        return 0
    if args and args[0] == "--":
        args = args[1:]
    if len(args) != 2:
        return _fail(f"expected FILE and REGEX, got {len(args)} argument(s) ({_USAGE})")
    path, pattern = args
    from .._errors import PatternError, RxpError
    from . import _import_lark_without_regex_probe
    from ._stream_run import Request
    from ._stream_run import run as run_stream

    _import_lark_without_regex_probe()  # the search parses REGEX with lark

    request = Request(
        pattern=pattern, files=[path], line_number=True, with_filename=False, color="never"
    )
    try:
        return run_stream(request, prog="lograg")
    except PatternError as exc:
        return _fail(f"invalid regex: {exc.message} at position {exc.position}")
    except RxpError as exc:
        return _fail(exc.message)


def main(argv: Sequence[str] | None = None) -> int:
    """Console-script entry point (``lograg = "rxp.cli.lograg:main"``); the standard
    streams are ``rxp``'s (``_output``)."""
    from . import _output

    _output.install()
    if hasattr(signal, "SIGPIPE"):
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    try:
        status = run(sys.argv[1:] if argv is None else argv)
    except KeyboardInterrupt:
        status = 130
    except _output.WriteError as exc:
        status = _output.write_failed(exc, "lograg")
    except Exception as exc:  # never a traceback for a user
        if os.environ.get("RXP_DEBUG"):
            raise
        status = _fail(f"internal error: {type(exc).__name__}: {exc}")
    return _output.finish(status, "lograg")


if __name__ == "__main__":
    raise SystemExit(main())
