"""Helpers of the hostile corpus (tests/test_hostile_*.py): run the command line and check
the invariants every refusal keeps — the exit code, no traceback, a message naming the
place, the database unchanged, nothing written outside the intended output — and run bombs
in a child process under an address-space limit, measuring its peak memory."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

from typer.testing import CliRunner

from parkeval.cli import app

MEMORY_LIMIT = 1 << 30  # 1 GiB of address space for a child that reads a bomb


def run(*args: object, env: dict[str, str] | None = None):
    """Invoke the command line in-process (CliRunner); assert no traceback reached a user."""
    result = CliRunner().invoke(app, [str(a) for a in args], env=env)
    said = result.output + result.stderr
    assert "Traceback" not in said, said
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    return result


def refused(*args: object, where: str | None = None, says: str | None = None, env=None):
    """Run and assert a refusal: exit 2, no traceback, the place (``where``) and the words
    (``says``) on stderr."""
    result = run(*args, env=env)
    assert result.exit_code == 2, (result.exit_code, result.output, result.stderr)
    if where is not None:
        assert where in result.stderr, result.stderr
    if says is not None:
        assert says in result.stderr, result.stderr
    return result


def dump(db: Path) -> str:
    """Every row and the schema of an SQLite database, as SQL text (to compare)."""
    if not db.exists():
        return "<missing>"
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return "\n".join(conn.iterdump())
    finally:
        conn.close()


def tree(directory: Path) -> dict[str, str]:
    """Every file under ``directory`` (symlinks not followed) with a hash of its bytes."""
    out: dict[str, str] = {}
    for path in sorted(directory.rglob("*")):
        if path.is_symlink():
            out[str(path)] = "link:" + os.readlink(path)
        elif path.is_file():
            out[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def run_limited(args: list[str], *, env: dict[str, str], limit: int = MEMORY_LIMIT):
    """Run ``parkeval ARGS`` in a child under RLIMIT_AS = ``limit``; returns (exit code,
    stderr, peak resident memory in MB of the child)."""
    code = textwrap.dedent(
        f"""
        import resource, sys
        resource.setrlimit(resource.RLIMIT_AS, ({limit}, {limit}))
        sys.argv = ["parkeval", *{args!r}]
        from parkeval.cli import main
        try:
            main()
        finally:
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            sys.stdout.write(f"\\nPEAK_KB={{peak}}\\n")
        """
    )
    proc = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=300,
    )
    peak = int(proc.stdout.rsplit("PEAK_KB=", 1)[1].split()[0]) // 1024
    return proc.returncode, proc.stderr, peak
