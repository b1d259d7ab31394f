"""The audit log: every import says when, what, by whom and the input's hash; `parkeval log`."""

from __future__ import annotations

import hashlib
import json

from conftest import make_dossier
from sqlalchemy.orm import Session

from parkeval.app.dossiers import import_files
from parkeval.cli import app
from parkeval.store import audit


def test_import_is_logged_with_actor_and_input_hash(runner, write_dossier):
    path = write_dossier(make_dossier(code="nn-hr"), "nn.yaml")
    assert runner.invoke(app, ["--by", "张三", "import", str(path)]).exit_code == 0
    assert runner.invoke(app, ["--by", "李四", "import", str(path)]).exit_code == 0
    other = write_dossier(make_dossier(code="lz-hr"), "lz.yaml")
    assert runner.invoke(app, ["import", str(other)]).exit_code == 0

    result = runner.invoke(app, ["log", "nn-hr", "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [(r["action"], r["by"]) for r in rows] == [
        ("import", "李四"),
        ("import", "张三"),
    ]  # newest first
    assert rows[0]["input_sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert "更新" in rows[0]["detail"] and "导入" in rows[1]["detail"]
    assert rows[0]["at"] >= rows[1]["at"]
    everything = json.loads(runner.invoke(app, ["log", "--json"]).stdout)
    assert len(everything) == 3
    table = runner.invoke(app, ["log"], env={"COLUMNS": "200"})
    assert "张三" in table.output and "lz-hr" in table.output


def test_a_rejected_import_logs_nothing(runner, write_dossier):
    bad = make_dossier(code="bad")
    bad["tenants"][0]["credit_code"] = "91450100XXXXXXXXXX"
    result = runner.invoke(app, ["import", str(write_dossier(bad))])
    assert result.exit_code == 2
    log = runner.invoke(app, ["log"])  # no database was made (SQLite) or it is still empty
    assert log.exit_code == 2 and "parkeval import" in log.stderr, log.stderr


def test_record_is_part_of_the_callers_transaction(settings):
    from parkeval.store.database import session_scope

    settings.user = "王五"
    try:
        with session_scope(settings.database) as session:
            audit.record(
                session,
                action="rating",
                park="p1",
                by=settings.actor,
                detail="2024 年度 优秀",
                input_sha256=None,
            )
            raise RuntimeError("the rating failed")
    except RuntimeError:
        pass
    with Session(settings.database) as session:
        assert audit.entries(session) == []
    with session_scope(settings.database) as session:
        audit.record(
            session, action="rating", park="p1", by=settings.actor, detail="2024 年度 优秀"
        )
    with Session(settings.database) as session:
        [entry] = audit.entries(session, park="p1")
    assert entry["by"] == "王五" and entry["action"] == "rating"


def test_actor_defaults_to_the_os_user(settings, write_dossier):
    import_files(settings, [write_dossier(make_dossier(code="p"))])
    with Session(settings.database) as session:
        [entry] = audit.entries(session)
    assert entry["by"] == settings.actor and entry["by"]
