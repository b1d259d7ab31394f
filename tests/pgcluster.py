"""A throwaway PostgreSQL cluster for the test run (a pytest plugin, loaded by conftest).

Whenever ``initdb`` and ``pg_ctl`` can be found (on PATH, or under Debian's
``/usr/lib/postgresql/*/bin``), the first test that needs PostgreSQL starts one cluster in a
temporary directory on a free local port; it is stopped when the session ends. Each test
gets its own fresh database in it, so tests stay independent.

Every test that takes the ``settings`` or ``runner`` fixture (and not ``db_path``, which
means it looks at the SQLite file itself) runs twice: ``[sqlite]`` and ``[postgresql]``.
Where the binaries are absent the ``[postgresql]`` runs are skipped with a reason that says
so; ``PARKEVAL_TEST_PG=0`` skips them on purpose.

initdb refuses to run as root (which CI is), so as root the cluster belongs to the
``postgres`` user (created by Debian's package) or, failing that, to a ``parkeval-pg``
system user created for it.
"""

from __future__ import annotations

import contextlib
import glob
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

PG_ENV = "PARKEVAL_TEST_PG"
BACKENDS = ("sqlite", "postgresql")


def find_pg_bin() -> Path | None:
    """The directory holding initdb and pg_ctl, or None."""
    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl"):
        return Path(found).parent
    for candidate in sorted(
        glob.glob("/usr/lib/postgresql/*/bin"),
        key=lambda p: int(p.split("/")[-2]) if p.split("/")[-2].isdigit() else 0,
        reverse=True,
    ):
        if (Path(candidate) / "initdb").exists() and (Path(candidate) / "pg_ctl").exists():
            return Path(candidate)
    return None


def pg_skip_reason() -> str | None:
    if os.environ.get(PG_ENV, "1") == "0":
        return f"PostgreSQL tests switched off ({PG_ENV}=0)"
    with contextlib.suppress(ImportError):
        import psycopg  # noqa: F401

        if find_pg_bin() is None:
            return (
                "PostgreSQL binaries (initdb, pg_ctl) not found: PostgreSQL tests skipped; "
                "install the postgresql package to run them"
            )
        return None
    return "psycopg is not installed: PostgreSQL tests skipped"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _run_as_owner() -> tuple[list[str], str | None]:
    """The command prefix that runs a server binary as a non-root user, and that user."""
    if os.geteuid() != 0:
        return [], None
    import pwd

    for name in ("postgres", "parkeval-pg"):
        try:
            pwd.getpwnam(name)
        except KeyError:
            continue
        return ["runuser", "-u", name, "--"], name
    subprocess.run(
        ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", "parkeval-pg"],
        check=True,
        capture_output=True,
    )
    return ["runuser", "-u", "parkeval-pg", "--"], "parkeval-pg"


class PgCluster:
    """One running cluster; :meth:`new_database` hands out fresh databases."""

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.root = Path(tempfile.mkdtemp(prefix="parkeval-pg-"))
        self.data = self.root / "data"
        self.port = _free_port()
        self.prefix, owner = _run_as_owner()
        if owner:
            os.chmod(self.root, 0o755)
            shutil.chown(self.root, user=owner)
        self.user = "parkeval"
        self._names = itertools.count()

    def _run(self, *args: str) -> None:
        proc = subprocess.run([*self.prefix, *args], capture_output=True, text=True, cwd=self.root)
        if proc.returncode != 0:
            raise RuntimeError(f"{' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}")

    def start(self) -> None:
        self._run(
            str(self.bindir / "initdb"),
            "-D",
            str(self.data),
            "-U",
            self.user,
            "--auth=trust",
            "--encoding=UTF8",
            "--no-locale",
            "--no-sync",
        )
        # Durability settings off: this cluster is thrown away. Unix sockets in our own dir.
        opts = (
            f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=60"
        )
        self._run(
            str(self.bindir / "pg_ctl"),
            "-D",
            str(self.data),
            "-l",
            str(self.root / "log"),
            "-o",
            opts,
            "-w",
            "-t",
            "60",
            "start",
        )

    def stop(self) -> None:
        with contextlib.suppress(Exception):
            self._run(
                str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop"
            )
        shutil.rmtree(self.root, ignore_errors=True)

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://{self.user}@127.0.0.1:{self.port}/{database}"

    def new_database(self) -> str:
        import psycopg

        name = f"t{os.getpid()}_{next(self._names)}"
        with psycopg.connect(
            f"host=127.0.0.1 port={self.port} user={self.user} dbname=postgres", autocommit=True
        ) as conn:
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE template0')
        return self.url(name)


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[PgCluster]:
    """The session's PostgreSQL cluster (skips the test when PostgreSQL is unavailable)."""
    reason = pg_skip_reason()
    if reason:
        pytest.skip(reason)
    bindir = find_pg_bin()
    assert bindir is not None
    cluster = PgCluster(bindir)
    try:
        cluster.start()
    except Exception as exc:
        cluster.stop()
        pytest.fail(f"could not start the throwaway PostgreSQL cluster: {exc}")
    yield cluster
    cluster.stop()


@pytest.fixture
def pg_url(pg_cluster: PgCluster) -> str:
    """A fresh, empty PostgreSQL database for this test."""
    return pg_cluster.new_database()


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Run database-facing tests on both backends (see the module docstring)."""
    names = metafunc.fixturenames
    if "db_backend" in names and not any(
        m.name == "parametrize" and "db_backend" in m.args[0]
        for m in metafunc.definition.iter_markers()
    ):
        backends = BACKENDS if "db_path" not in names else ("sqlite",)
        metafunc.parametrize("db_backend", backends, indirect=True)


@pytest.fixture
def db_backend(request: pytest.FixtureRequest) -> str:
    return getattr(request, "param", "sqlite")


@pytest.fixture
def db_url(request: pytest.FixtureRequest, db_backend: str, tmp_path: Path) -> str:
    """The test's database: a fresh SQLite file, or a fresh PostgreSQL database."""
    if db_backend == "postgresql":
        return str(request.getfixturevalue("pg_url"))
    return str(tmp_path / "test.db")


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:  # type: ignore[no-untyped-def]
    """Say plainly whether the PostgreSQL runs happened."""
    reason = pg_skip_reason()
    ran = [
        r
        for r in terminalreporter.stats.get("passed", []) + terminalreporter.stats.get("failed", [])
        if "[postgresql" in r.nodeid
    ]
    if reason:
        terminalreporter.write_line(f"PostgreSQL: {reason}.", yellow=True)
    elif ran:
        terminalreporter.write_line(
            f"PostgreSQL: {len(ran)} tests ran against a throwaway cluster ({find_pg_bin()})."
        )
