"""Schema migrations: a database made with the first released schema upgrades without loss,
the migrations match the models, and an outdated database is refused with instructions."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import inspect, text
from typer.testing import CliRunner

from parkeval.app.certify import certify
from parkeval.app.dossiers import read_dossiers
from parkeval.app.parks import show_park
from parkeval.app.settings import Settings
from parkeval.cli import app
from parkeval.store.database import (
    SchemaError,
    import_models,
    init_db,
    make_engine,
    session_scope,
    upgrade_db,
)
from parkeval.store.dossiers import replace_dossier
from parkeval.store.migrations import FIRST, HEAD, script_head, stamp, upgrade

CORE_TABLES = ("park", "site", "tenant", "tenant_revenue", "attestation")


def _snapshot(engine: Any) -> dict[str, list[tuple[Any, ...]]]:
    with engine.connect() as conn:
        return {
            t: [tuple(r) for r in conn.execute(text(f"SELECT * FROM {t} ORDER BY id"))]
            for t in CORE_TABLES
        }


def _first_release_db(settings: Settings, write_dossier: Any, *, versioned: bool = True) -> Any:
    """A database at the first released schema, filled through the import's real write path."""
    from conftest import make_dossier

    engine = make_engine(settings.db_url)
    upgrade(engine, FIRST)
    paths = [write_dossier(make_dossier(code=f"p{i}", hr=30 + i), f"p{i}.yaml") for i in range(3)]
    with session_scope(engine) as session:
        for d in read_dossiers(paths):
            replace_dossier(session, dossier=d)
    if (
        not versioned
    ):  # as made by parkeval before migrations existed (create_all, no version table)
        with engine.begin() as conn:
            conn.execute(text("DROP TABLE alembic_version"))
    return engine


@pytest.mark.parametrize("versioned", [True, False], ids=["stamped", "pre-alembic"])
def test_upgrading_the_first_released_schema_loses_nothing(settings, write_dossier, versioned):
    engine = _first_release_db(settings, write_dossier, versioned=versioned)
    before = _snapshot(engine)
    assert sum(len(rows) for rows in before.values()) > 100

    with pytest.raises(SchemaError, match="parkeval db upgrade"):
        init_db(engine)  # an old database is refused, not silently changed
    assert upgrade_db(engine) == (FIRST if versioned else None, HEAD)

    assert _snapshot(engine) == before
    assert "audit_log" in inspect(engine).get_table_names()
    # the application works on it: read, certify, re-import, and the audit log is written
    assert show_park(settings, "p1").tenants
    assert [
        r.verdict for r in certify(settings, policy_id="gx-2021", park_codes=None, year=2024)
    ] == ["eligible"] * 3
    from parkeval.app.dossiers import import_files

    import_files(
        settings, [write_dossier(__import__("conftest").make_dossier(code="p9"), "p9.yaml")]
    )
    assert _snapshot(engine)["park"][:3] == before["park"]


def test_a_new_database_is_created_by_the_migrations(settings):
    init_db(settings.database)
    with settings.database.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == HEAD


def _diff(settings: Settings) -> list[Any]:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    engine = make_engine(settings.db_url)
    upgrade(engine)
    with engine.connect() as conn:
        return compare_metadata(MigrationContext.configure(conn), import_models())


def _table_of(change: Any) -> str | None:
    item = change[0] if isinstance(change, list) else change
    for part in item[1:]:
        name = getattr(part, "name", None) if not hasattr(part, "table") else part.table.name
        if hasattr(part, "columns") and not hasattr(part, "table"):
            return str(name)
        if name:
            return str(name)
    return None


def test_the_migrations_match_the_models(settings):
    """Fails when a model changed (or a table was added) without a migration."""
    diff = _diff(settings)
    assert diff == [], (
        "models and migrations disagree; add a revision in parkeval/store/migrations/versions "
        f"(see parkeval/store/migrations/__init__.py): {diff}"
    )


def test_every_table_is_made_by_a_migration(settings):
    # A new database gets exactly the tables the models define, from the migrations alone.
    init_db(settings.database)
    made = set(inspect(settings.database).get_table_names()) - {"alembic_version"}
    assert made == set(import_models().tables)


def test_head_constant_is_the_newest_revision():
    assert script_head() == HEAD


def test_a_database_from_a_newer_parkeval_is_refused(settings):
    engine = make_engine(settings.db_url)
    upgrade(engine)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    with pytest.raises(SchemaError, match="新"):
        init_db(engine)


def test_cli_db_upgrade_and_refusal(runner: CliRunner, settings, write_dossier):
    _first_release_db(settings, write_dossier)
    refused = runner.invoke(app, ["parks"])
    assert refused.exit_code == 2
    assert "parkeval db upgrade" in refused.output
    done = runner.invoke(app, ["db", "upgrade"])
    assert done.exit_code == 0, done.output
    assert HEAD in done.output
    again = runner.invoke(app, ["db", "upgrade"])
    assert "已是最新" in again.output
    assert runner.invoke(app, ["parks"]).exit_code == 0


def test_stamp_helper_is_idempotent(settings):
    engine = make_engine(settings.db_url)
    upgrade(engine)
    stamp(engine, HEAD)
    stamp(engine, HEAD)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all() == [
            HEAD
        ]
    init_db(engine)  # a database stamped at head is accepted as it is
