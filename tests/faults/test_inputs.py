"""Special inputs get grep's answer: a FIFO's data, files whose size reads as 0 (/proc),
directories, unreadable files, names that are not UTF-8, a closed stdin, the output file
among the inputs, a line of many MB through a pipe, a journal entry without a time. Each
case checks the exit status, the message, and that nothing was lost."""

from __future__ import annotations

import shutil
import sys
import time
from pathlib import Path

import pytest

from tests.faults.helpers import one_error_line, sh

GREP = shutil.which("grep")
PY = sys.executable


def grep_sh(script: str, cwd: Path) -> tuple[int, bytes, bytes]:
    """``script`` with ``grep`` meaning ``LC_ALL=C grep -E -a``: the oracle."""
    done = sh(f'grep() {{ LC_ALL=C command grep -E -a "$@"; }}\n{script}', cwd=cwd)
    return done.returncode, done.stdout, done.stderr


# --- item 1: a long line through a pipe ------------------------------------------------------


def test_a_64_mb_line_through_a_pipe_takes_linear_time() -> None:
    # before: the partial line was re-joined at each 64 kB read, ~20 s for this line
    make = f"{PY} -c \"import sys; sys.stdout.buffer.write(b'x' * (64 << 20) + b' needle\\n')\""
    started = time.monotonic()
    done = sh(f"{make} | rxp stream -c needle", timeout=120)
    elapsed = time.monotonic() - started
    assert (done.returncode, done.stdout, done.stderr) == (0, b"1\n", b"")
    assert elapsed < 8, f"{elapsed:.1f}s: quadratic again?"


# --- item 2: files whose size reads as 0 ------------------------------------------------------


def test_proc_files_are_read_as_streams(tmp_path: Path) -> None:
    expected = Path("/proc/version").read_bytes()
    done = sh("rxp stream -n . /proc/version; echo $?; rxp stream -c . /proc/version")
    assert done.stdout == b"1:" + expected + b"0\n1\n"
    assert done.stderr == b""
    lograg = sh("lograg /proc/version Linux")
    assert (lograg.returncode, lograg.stdout) == (0, b"1:" + expected)


def test_a_read_error_is_reported_after_what_was_found(tmp_path: Path) -> None:
    # /proc/self/mem opens, then every read fails (EIO), for root too
    done = sh("rxp stream -c x /proc/self/mem")
    assert (done.returncode, done.stdout) == (2, b"0\n")
    assert one_error_line(done.stderr) == "/proc/self/mem: Input/output error"


# --- item 3: a FIFO is opened once ----------------------------------------------------------


@pytest.mark.parametrize("backend", ["", "--backend thread", "--backend process"])
def test_a_fifo_with_a_quick_writer_loses_nothing(tmp_path: Path, backend: str) -> None:
    script = f"""
    for i in 1 2 3 4 5; do
        rm -f f; mkfifo f
        printf 'foo\\nbar\\nfoo2\\n' > f &
        rxp stream {backend} -c foo f; echo "status $?"
        wait
    done
    """
    done = sh(script, cwd=tmp_path, timeout=60)
    assert done.stdout == b"2\nstatus 0\n" * 5
    assert done.stderr == b""


def test_a_fifo_named_on_the_command_line_is_read_even_with_r(tmp_path: Path) -> None:
    done = sh(
        "mkfifo f; printf 'foo\\n' > f & rxp stream -r foo f; echo $?; wait",
        cwd=tmp_path,
    )
    assert (done.stdout, done.stderr) == (b"foo\n0\n", b"")
    done = sh("mkfifo g; printf 'a\\nfoo\\n' > g & lograg g foo; wait", cwd=tmp_path)
    assert (done.returncode, done.stdout) == (0, b"2:foo\n")


# --- directories, unreadable files, /dev/null -----------------------------------------------


@pytest.mark.skipif(GREP is None, reason="GNU grep is the oracle")
def test_directories_are_an_error_with_their_count(tmp_path: Path) -> None:
    (tmp_path / "d").mkdir()
    (tmp_path / "f").write_bytes(b"foo\n")
    for options in ("foo d", "-c foo d f", "-s foo d f", "-H foo f d f"):
        status, out, err = grep_sh(f"grep {options}", tmp_path)
        done = sh(f"rxp stream {options}", cwd=tmp_path)
        assert (done.returncode, done.stdout) == (status, out) == (2, out), options
        if b"-s" in options.encode():
            assert done.stderr == err == b""
        else:
            assert one_error_line(done.stderr) == "d: Is a directory"


@pytest.mark.skipif(GREP is None, reason="GNU grep is the oracle")
def test_an_unreadable_file_is_what_grep_says_it_is(tmp_path: Path) -> None:
    # root reads a mode-000 file; anyone else is refused: grep tells which
    (tmp_path / "secret").write_bytes(b"foo\n")
    (tmp_path / "secret").chmod(0)
    (tmp_path / "open").write_bytes(b"foo\n")
    status, out, err = grep_sh("grep foo secret open", tmp_path)
    done = sh("rxp stream foo secret open", cwd=tmp_path)
    assert (done.returncode, done.stdout) == (status, out)
    if err:
        assert one_error_line(done.stderr) == "secret: Permission denied"
    else:
        assert done.stderr == b""


def test_dev_null_is_empty() -> None:
    done = sh("rxp stream -c foo /dev/null")
    assert (done.returncode, done.stdout, done.stderr) == (1, b"0\n", b"")


# --- names that are not UTF-8 ----------------------------------------------------------------


@pytest.mark.skipif(GREP is None, reason="GNU grep is the oracle")
def test_names_that_are_not_utf8_are_printed_as_their_bytes(tmp_path: Path) -> None:
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "n\udcffame").write_bytes(b"x\n")  # the name's bytes: n \xff a m e
    for options in ("-H x d/$'n\\xffame'", "-r x d", "-rc x"):
        status, out, err = grep_sh(f"grep {options}", tmp_path)
        done = sh(f"rxp stream {options}", cwd=tmp_path)
        assert (done.returncode, done.stdout, done.stderr) == (status, out, err), options
        assert b"\xff" in done.stdout
    done = sh("rxp stream x $'no\\xffne'", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr == b"rxp: error: no\xffne: No such file or directory\n"


# --- standard input: closed, named, given twice -------------------------------------------


@pytest.mark.parametrize("backend", ["sync", "process"])
def test_a_closed_stdin_is_one_clean_error(tmp_path: Path, backend: str) -> None:
    (tmp_path / "f").write_bytes(b"foo\n")
    run = f"rxp stream --backend {backend}"
    done = sh(f"{run} foo 0<&-", cwd=tmp_path)
    assert (done.returncode, done.stdout) == (2, b"")
    assert one_error_line(done.stderr) == "(standard input): Bad file descriptor"
    done = sh(f"{run} -H foo - f 0<&-", cwd=tmp_path)
    assert (done.returncode, done.stdout) == (2, b"f:foo\n")
    assert one_error_line(done.stderr) == "(standard input): Bad file descriptor"
    done = sh(f"{run} --label=LBL foo - 0<&-", cwd=tmp_path)
    assert one_error_line(done.stderr) == "LBL: Bad file descriptor"
    done = sh("rxp stream --journal export foo 0<&-", cwd=tmp_path)
    assert (done.returncode, done.stdout) == (2, b"")
    assert one_error_line(done.stderr) == "(standard input): Bad file descriptor"


@pytest.mark.skipif(GREP is None, reason="GNU grep is the oracle")
def test_the_same_input_twice_is_read_twice(tmp_path: Path) -> None:
    (tmp_path / "f").write_bytes(b"foo 1\nbar\n")
    (tmp_path / "g").write_bytes(b"foo 2\n")
    for options in ("-H foo f f", "-c foo - f - < g", "-n foo - - < g", "--label=x -H o - f < g"):
        status, out, err = grep_sh(f"grep {options}", tmp_path)
        done = sh(f"rxp stream {options}", cwd=tmp_path)
        assert (done.returncode, done.stdout, done.stderr) == (status, out, err), options


# --- the output file among the inputs ---------------------------------------------------------


def test_the_output_file_is_not_read_back(tmp_path: Path) -> None:
    # reading it would grow it as it is read: grep refuses it, and so does rxp
    (tmp_path / "a.txt").write_bytes(b"foo\n" * 1000)
    done = sh("rxp stream -r foo . > out.txt; echo $? >&2", cwd=tmp_path, timeout=60)
    lines = done.stderr.splitlines()
    assert lines[-1] == b"2"
    assert one_error_line(b"\n".join(lines[:-1]) + b"\n") == (
        "./out.txt: input file is also the output"
    )
    assert (tmp_path / "out.txt").read_bytes() == b"./a.txt:foo\n" * 1000
    done = sh("rxp stream -c foo out.txt a.txt >> out.txt", cwd=tmp_path)  # -c cannot loop
    assert done.returncode == 0 and done.stderr == b""


# --- item 10: a journal entry without a time ---------------------------------------------------

EXPORT = (
    b"__REALTIME_TIMESTAMP=1705276800000000\nMESSAGE=Failed a\n\n"
    b"MESSAGE=Failed b\n\n"
    b"__REALTIME_TIMESTAMP=1705276802000000\nMESSAGE=Failed c\n\n"
)
JSON = (
    b'{"__REALTIME_TIMESTAMP":"1705276800000000","MESSAGE":"Failed a"}\n'
    b'{"MESSAGE":"Failed b","_HOSTNAME":"h"}\n'
    b'{"__REALTIME_TIMESTAMP":"1705276802000000","MESSAGE":"Failed c"}\n'
)


@pytest.mark.parametrize(("form", "data", "host"), [("export", EXPORT, b""), ("json", JSON, b"h ")])
def test_a_journal_entry_without_a_time_is_shown_and_the_rest_follow(
    form: str, data: bytes, host: bytes
) -> None:
    done = sh(f"rxp stream --journal {form} Failed", stdin=data)
    assert done.returncode == 0
    assert done.stdout == (
        b"2024-01-15T00:00:00+0000 unknown: Failed a\n"
        + host
        + b"unknown: Failed b\n"
        + b"2024-01-15T00:00:02+0000 unknown: Failed c\n"
    )
    warning = done.stderr.decode()
    assert warning.count("\n") == 1 and warning.startswith("rxp: warning: (standard input): ")
    assert "entry 2" in warning and "__REALTIME_TIMESTAMP" in warning
    counted = sh(f"rxp stream --journal {form} -c Failed", stdin=data * 2)
    assert (counted.returncode, counted.stdout) == (0, b"6\n")
    assert counted.stderr.count(b"\n") == 1  # said once per input
    none = sh(f"rxp stream --journal {form} -c nothing", stdin=data)
    assert (none.returncode, none.stdout) == (1, b"0\n")
