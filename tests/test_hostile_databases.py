"""Hostile databases: a missing file, someone else's SQLite file, files that are no database,
bogus URLs, a newer schema, a read-only or full database — each a sentence and exit 2, the
file untouched; and backups of any path, checked before success is said."""

from __future__ import annotations

import hashlib
import os
import sqlite3
from pathlib import Path

import pytest
import yaml
from conftest import make_dossier
from hostile import dump, refused, run

from parkeval.store.database import database_error


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def parkeval_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    db = tmp_path / "p#1?x.db"  # a name with # and ?: still a file name
    monkeypatch.delenv("PARKEVAL_POLICY_PATH", raising=False)
    monkeypatch.setenv("PARKEVAL_DB", str(db))
    good = tmp_path / "good.yaml"
    good.write_text(yaml.safe_dump(make_dossier(hr=3, others=1), allow_unicode=True), "utf-8")
    assert run("import", good).exit_code == 0
    return db


def test_a_read_only_command_never_creates_a_database(tmp_path: Path) -> None:
    missing = tmp_path / "typo.db"
    for command in (["parks"], ["status", "--all"], ["log"], ["certify", "--all", "-p", "gx-2021"]):
        refused("--db", missing, *command, where=str(missing), says="不存在")
    assert not missing.exists() and list(tmp_path.iterdir()) == []


def test_a_foreign_sqlite_database_is_refused_untouched(tmp_path: Path) -> None:
    foreign = tmp_path / "theirs.db"
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total TEXT)")
    conn.execute("INSERT INTO invoices (total) VALUES ('12.50')")
    conn.commit()
    conn.close()
    before = _digest(foreign)
    good = tmp_path / "good.yaml"
    good.write_text(yaml.safe_dump(make_dossier(hr=3, others=1), allow_unicode=True), "utf-8")
    for command in (["parks"], ["import", str(good)], ["db", "upgrade"]):
        refused("--db", foreign, *command, where=str(foreign), says="不是 parkeval 的数据库")
    assert _digest(foreign) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["good.yaml", "theirs.db"]  # no WAL


def test_files_that_are_no_database(tmp_path: Path) -> None:
    from parkeval.intake.template import write_template

    text = tmp_path / "notes.txt"
    text.write_text("not a database\n" * 10, "utf-8")
    book = tmp_path / "book.xlsx"
    write_template(book)
    folder = tmp_path / "folder"
    folder.mkdir()
    good = tmp_path / "good.yaml"
    good.write_text(yaml.safe_dump(make_dossier(hr=3, others=1), allow_unicode=True), "utf-8")
    before = {p: _digest(p) for p in (text, book)}
    for target, words in ((text, "不是 SQLite"), (book, "不是 SQLite"), (folder, "目录")):
        refused("--db", target, "parks", where=str(target), says=words)
        refused("--db", target, "import", good, says=words)
    refused("--db", "/proc/x.db", "parks", says="/proc/x.db")
    refused("--db", "/proc/x.db", "import", good)
    refused("--db", "bogus://x", "parks", says="不认识的数据库类型")
    assert {p: _digest(p) for p in before} == before


def test_a_newer_schema_is_refused_by_every_command(parkeval_db: Path) -> None:
    conn = sqlite3.connect(parkeval_db)
    conn.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    conn.commit()
    conn.close()
    before = dump(parkeval_db)
    refused("db", "upgrade", says="比本版本 parkeval 新")
    refused("parks", says="比本版本 parkeval 新")
    assert dump(parkeval_db) == before


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes to read-only files")
def test_a_read_only_database_file(parkeval_db: Path, tmp_path: Path) -> None:
    before = dump(parkeval_db)
    parkeval_db.chmod(0o444)
    good = tmp_path / "good.yaml"
    refused("import", good, says="只读")
    assert run("parks").exit_code == 0  # reading still works
    assert dump(parkeval_db) == before


def test_database_failures_are_sentences(tmp_path: Path) -> None:
    """Real SQLite failures (a read-only connection written to; a database at its size
    limit, as a full disk looks to SQLite) said without SQL, parameters or a traceback."""
    db = tmp_path / "x.db"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE t (secret TEXT)")
    conn.commit()
    conn.close()
    ro = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    with pytest.raises(sqlite3.OperationalError) as read_only:
        ro.execute("INSERT INTO t VALUES ('hunter2')")
    ro.close()
    said = database_error(read_only.value)
    assert said is not None and "只读" in said.message and "hunter2" not in str(said)
    full = sqlite3.connect(db)
    full.execute("PRAGMA max_page_count = 2")
    with pytest.raises(sqlite3.OperationalError) as disk_full:
        full.executemany("INSERT INTO t VALUES (?)", [("x" * 4000,)] * 50)
    full.close()
    said = database_error(disk_full.value)
    assert said is not None and "磁盘空间已满" in said.message
    assert database_error(ValueError("not a database failure")) is None


def test_backup_of_a_path_with_hash_and_question_mark(parkeval_db: Path, tmp_path: Path) -> None:
    dest = tmp_path / "copy #2?.db"
    result = run("db", "backup", dest)
    assert result.exit_code == 0, result.stderr
    assert dump(dest) == dump(parkeval_db)
    counts = sqlite3.connect(dest).execute("SELECT count(*) FROM tenant").fetchone()[0]
    assert counts == 4
    again = refused("db", "backup", dest, says="已存在")
    assert "Traceback" not in again.stderr
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".partial")]
