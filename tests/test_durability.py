"""Nothing lost: an import killed with SIGKILL half-way changes nothing; two importers at once
both succeed; a lock that never frees fails plainly; backups are consistent copies."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from parkeval.cli import app
from parkeval.intake.synth import write_province

TABLES = ("park", "site", "tenant", "tenant_revenue", "attestation", "audit_log")


def snapshot(url: str) -> dict[str, list[tuple[Any, ...]]]:
    from parkeval.store.database import make_engine

    engine = make_engine(url if "://" in url else f"sqlite:///{url}")
    with engine.connect() as conn:
        snap = {
            t: [tuple(r) for r in conn.execute(text(f"SELECT * FROM {t} ORDER BY id"))]
            for t in TABLES
        }
    engine.dispose()
    return snap


def parkeval(
    *args: str, db: str, env: dict[str, str] | None = None, **kwargs: Any
) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "parkeval", "--db", db, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **(env or {})},
        **kwargs,
    )


# Runs the real CLI in a child process; after the 8th park is written (inside the import's
# one transaction) it drops a marker file and sleeps, so the test can kill it mid-write.
SLOW_IMPORT = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    import parkeval.store.dossiers as repository

    marker = Path(sys.argv[1])
    real = repository.replace_dossier
    written = 0

    def slow(session, *, dossier):
        global written
        result = real(session, dossier=dossier)
        written += 1
        if written == 8:
            session.flush()
            marker.write_text("writing")
            time.sleep(120)
        return result

    repository.replace_dossier = slow
    from parkeval.cli import main
    sys.argv = ["parkeval", *sys.argv[2:]]
    main()
""")


def test_import_killed_half_way_leaves_the_database_as_it_was(settings, tmp_path: Path):
    files = write_province(tmp_path / "prov", parks=16, tenants=40, years=3, seed=7, fmt="json")
    db = settings.db_url
    first = parkeval("import", "--json", *map(str, files[:4]), db=db)
    assert first.wait(60) == 0, first.stderr.read()
    before = snapshot(db)
    assert len(before["park"]) == 4 and len(before["audit_log"]) == 4

    marker = tmp_path / "marker"
    child = subprocess.Popen(
        [
            sys.executable,
            "-c",
            SLOW_IMPORT,
            str(marker),
            "--db",
            db,
            "--by",
            "tester",
            "import",
            "--json",
            *map(str, files),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 90
    while not marker.exists():
        assert child.poll() is None, child.stderr.read()
        assert time.monotonic() < deadline, "the import never reached the middle"
        time.sleep(0.05)
    os.kill(child.pid, signal.SIGKILL)
    assert child.wait(30) == -signal.SIGKILL

    assert snapshot(db) == before  # not one row more, less or different

    again = parkeval("--by", "tester", "import", "--json", *map(str, files), db=db)
    out, err = again.communicate(timeout=120)
    assert again.returncode == 0, err
    after = snapshot(db)
    assert len(after["park"]) == 16
    assert [row[0] for row in after["park"][:4]] == [row[0] for row in before["park"]]  # ids kept


def test_two_processes_import_different_parks_at_once(tmp_path: Path):
    """Both start on a database that does not exist yet, so they also race to create it."""
    files = write_province(tmp_path / "prov", parks=24, tenants=40, years=3, seed=3, fmt="json")
    db = str(tmp_path / "shared.db")
    a = parkeval("--by", "a", "import", "--json", *map(str, files[:12]), db=db)
    b = parkeval("--by", "b", "import", "--json", *map(str, files[12:]), db=db)
    for proc in (a, b):
        out, err = proc.communicate(timeout=180)
        assert proc.returncode == 0, err
    snap = snapshot(db)
    assert len(snap["park"]) == 24
    assert sorted(r[4] for r in snap["audit_log"]) == ["a"] * 12 + ["b"] * 12


def test_a_lock_that_never_frees_fails_with_a_clear_message(tmp_path: Path, write_dossier):
    from conftest import make_dossier

    db = tmp_path / "locked.db"
    ok = parkeval("import", str(write_dossier(make_dossier(code="a"), "a.yaml")), db=str(db))
    assert ok.wait(60) == 0
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another writer that never finishes
    try:
        proc = parkeval(
            "import",
            str(write_dossier(make_dossier(code="b"), "b.yaml")),
            db=str(db),
            env={"PARKEVAL_BUSY_TIMEOUT_MS": "300", "COLUMNS": "200"},
        )
        out, err = proc.communicate(timeout=60)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert proc.returncode == 2
    assert "无法获得写锁" in err and "没有写入任何数据" in err
    assert [r[1] for r in snapshot(str(db))["park"]] == ["a"]


def test_backup_is_a_consistent_copy_while_a_writer_is_busy(
    tmp_path: Path, runner, write_dossier, db_path
):
    from conftest import make_dossier

    assert (
        runner.invoke(app, ["import", str(write_dossier(make_dossier(code="kept")))]).exit_code == 0
    )
    writer = sqlite3.connect(db_path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE park SET name = 'uncommitted' WHERE code = 'kept'")
    try:
        result = runner.invoke(app, ["db", "backup", str(tmp_path / "copy.db")])
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert result.exit_code == 0, result.output
    copy = sqlite3.connect(tmp_path / "copy.db")
    assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert copy.execute("SELECT code, name FROM park").fetchall() == [
        ("kept", "测试人力资源服务产业园")
    ]
    copy.close()
    # the copy is a working database
    assert runner.invoke(app, ["--db", str(tmp_path / "copy.db"), "show", "kept"]).exit_code == 0
    again = runner.invoke(app, ["db", "backup", str(tmp_path / "copy.db")])
    assert again.exit_code == 2 and "已存在" in again.output


def test_backup_of_postgresql_explains_pg_dump(runner, db_backend):
    if db_backend != "postgresql":
        pytest.skip("PostgreSQL only")
    result = runner.invoke(app, ["db", "backup", "out.dump"])
    assert result.exit_code == 2
    assert "pg_dump" in result.output and "pg_restore" in result.output
