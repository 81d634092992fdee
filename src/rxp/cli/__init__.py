"""rxp's command line: a thin shell over the library.

Only this package reads argv, files and stdin and writes to the terminal. ``main`` owns the
process-wide policies: one-line ``rxp: error: ...`` messages with exit status 2 for every usage
or input error, exit 130 on Ctrl-C, and, through ``_output``, what a closed or full stdin,
stdout or stderr means (``write error: ...`` and exit 2; a quiet exit when stdout is a closed
pipe; a diagnostic that cannot be written never changes the exit status).
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import typer

__all__ = ["main"]


def _restore_sigpipe() -> None:
    # As grep: a reader that goes away (``| head``) ends us at once and quietly.
    if hasattr(signal, "SIGPIPE"):
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)


def _fail(message: str, prog: str = "rxp") -> int:
    from ._output import diagnose

    diagnose(f"{prog}: error: {message}")
    return 2


COMMANDS = ("bench", "explain", "mine", "parse", "stream", "test")


# The commands that always import lark (``test`` compiles with the engine and reaches for
# rxp's parser only to describe an invalid pattern; ``stream`` only for a pattern whose plan
# is not cached, and then through ``rxp._syntax``, which hides the probe itself).
LARK_COMMANDS = ("explain", "parse")


def _import_lark_without_regex_probe() -> None:
    """Import lark the way ``rxp._syntax`` does, with its probe for the ``regex`` package
    hidden (~6 ms of every start of a command that parses a pattern)."""
    import rxp._syntax  # noqa: F401


def _register(first: str | None) -> None:
    """Import the command modules, which register themselves on the app. When argv names a
    command, only that one: building every command's parameters costs ~10 ms of each start,
    and ``rxp explain`` has a start-up budget. Anything else (``--help``, a typo) gets all."""
    import importlib

    from . import _app

    names = (first,) if first in COMMANDS else COMMANDS
    if first in LARK_COMMANDS:
        _import_lark_without_regex_probe()
    for name in names:
        importlib.import_module(f"{__name__}.{name}")
    _unwrap_help(_app.app)


def _unwrap(text: str | None) -> str | None:
    """Join the hard-wrapped lines of each help paragraph into one, so the terminal wraps
    them at its own width; paragraphs with indented lines (examples) stay as written."""
    import inspect  # here: only the Typer path needs it, and it costs `rxp stream` ~7 ms

    if not text:
        return text
    paragraphs = inspect.cleandoc(text).split("\n\n")
    return "\n\n".join(
        p if any(line.startswith(" ") for line in p.splitlines()) else " ".join(p.split("\n"))
        for p in paragraphs
    )


def _unwrap_help(app: typer.Typer) -> None:
    import inspect

    for command in app.registered_commands:
        command.help = _unwrap(command.help or inspect.getdoc(command.callback))
        command.epilog = _unwrap(command.epilog)
    for group in app.registered_groups:
        sub = group.typer_instance
        if sub is not None:
            sub.info.help = _unwrap(sub.info.help if isinstance(sub.info.help, str) else None)
            _unwrap_help(sub)


def run(argv: Sequence[str] | None, *, prog: str = "rxp") -> int:
    """Run the rxp CLI on ``argv`` and return the exit status instead of exiting.

    ``rxp stream`` and ``rxp explain`` argv that their option tables' reader (``_argv``) is
    certain of starts the work at once, without Typer (whose import costs several times a
    search of a small file); everything else, ``--help`` and every usage error included,
    goes to Typer."""
    from .._errors import RxpError, render_error
    from ._output import WriteError, diagnose, write_failed

    args = list(sys.argv[1:] if argv is None else argv)
    try:
        if args[:1] == ["stream"]:
            from ._stream_args import read

            values = read(args[1:])
            if values is not None:
                from ._stream_args import request
                from ._stream_run import run as run_stream

                return run_stream(request(values), prog=prog)
        elif args[:1] == ["explain"]:
            from ._explain_args import read as read_explain

            values = read_explain(args[1:])
            if values is not None:
                from ._explain_run import run as run_explain

                _import_lark_without_regex_probe()
                return run_explain(values)
        return _run_typer(args, prog)
    except RxpError as exc:
        diagnose(render_error(exc, prog=prog))
        return 2
    except KeyboardInterrupt:
        return 130
    except WriteError as exc:
        return write_failed(exc, prog)
    except BrokenPipeError:  # stdout not installed by ``_output`` (``run`` called in-process)
        _silence_stdout()
        return 141


def _run_typer(args: list[str], prog: str) -> int:
    """``args`` read and run by the Typer application (usage errors as ``prog: error:``)."""
    import typer
    import typer.main

    from . import _app

    _register(args[0] if args else None)

    command = typer.main.get_command(_app.app)
    try:
        result = command.main(
            args=args,
            prog_name=prog,
            standalone_mode=False,
        )
    except typer.Abort:
        return 130
    except typer.TyperException as exc:  # click's exceptions, as vendored by typer
        ctx = getattr(exc, "ctx", None)
        if type(exc).__name__.startswith("NoArgsIsHelp") and ctx is not None:
            sys.stdout.write(ctx.get_help() + "\n")
            return 2
        hint = f" (see '{ctx.command_path} --help')" if ctx is not None else ""
        message = exc.format_message() if hasattr(exc, "format_message") else str(exc)
        return _fail(message + hint, prog)
    if isinstance(result, bool):
        return int(not result)
    return result if isinstance(result, int) else 0


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def main(argv: Sequence[str] | None = None) -> int:
    """Console-script entry point for ``rxp``."""
    from . import _output

    _output.install()
    _restore_sigpipe()
    try:
        status = run(argv)
    except KeyboardInterrupt:
        status = 130
    except Exception as exc:  # the last line of defence: never a traceback for a user
        if os.environ.get("RXP_DEBUG"):
            raise
        status = _fail(f"internal error: {type(exc).__name__}: {exc} (set RXP_DEBUG=1 for details)")
    return _output.finish(status, "rxp")
