"""Schema migrations: a database made with the first released schema upgrades without loss,
the migrations match the models, and an outdated database is refused with instructions."""

from __future__ import annotations

import datetime as dt
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
    upgrade_db,
)
from parkeval.store.migrations import FIRST, HEAD, script_head, stamp, upgrade

CORE_TABLES = ("park", "site", "tenant", "tenant_revenue", "attestation")


def _snapshot(engine: Any) -> dict[str, list[dict[str, Any]]]:
    with engine.connect() as conn:
        return {
            t: [dict(r) for r in conn.execute(text(f"SELECT * FROM {t} ORDER BY id")).mappings()]
            for t in CORE_TABLES
        }


def _write_first_schema(engine: Any, dossiers: list[Any]) -> None:
    """Store dossiers as the first release did: its columns (a site's one building area, a
    tenant's ``hr_service`` yes/no), written with plain SQL since today's writer writes today's."""
    from sqlalchemy import column, insert, table

    def t(name: str, *cols: str) -> Any:
        return table(name, *(column(c) for c in cols))

    park = t("park", "id", "code", "name", "province", "city", "imported_at")
    site = t("site", "id", "park_id", "code", "name", "role", "building_area_m2")
    tenant = t(
        "tenant",
        *"id park_id site_id credit_code name hr_service license_no".split(),
        *"leased_area_m2 move_in move_out".split(),
    )
    revenue = t("tenant_revenue", "tenant_id", "park_id", "year", "amount_yuan")
    attestation = t("attestation", "park_id", "criterion_id", "met", "evidence", "note")
    money = str if engine.dialect.name == "sqlite" else (lambda v: v)
    with engine.begin() as conn:
        for d in dossiers:
            p = d.park
            park_id = conn.execute(
                insert(park)
                .values(
                    code=p.code,
                    name=p.name,
                    province=p.province,
                    city=p.city,
                    imported_at=dt.datetime.now(dt.UTC),
                )
                .returning(park.c.id)
            ).scalar_one()
            sites = {}
            for s in d.sites:
                sites[s.code] = conn.execute(
                    insert(site)
                    .values(
                        park_id=park_id,
                        code=s.code,
                        name=s.name,
                        role=s.role,
                        building_area_m2=money(s.building_area_m2),
                    )
                    .returning(site.c.id)
                ).scalar_one()
            for x in d.tenants:
                tenant_id = conn.execute(
                    insert(tenant)
                    .values(
                        park_id=park_id,
                        site_id=sites[x.site],
                        credit_code=x.credit_code,
                        name=x.name,
                        hr_service=x.hr_service,
                        license_no=x.license_no,
                        leased_area_m2=None
                        if x.leased_area_m2 is None
                        else money(x.leased_area_m2),
                        move_in=x.move_in,
                        move_out=x.move_out,
                    )
                    .returning(tenant.c.id)
                ).scalar_one()
                for year, amount in x.revenue.items():
                    conn.execute(
                        insert(revenue).values(
                            tenant_id=tenant_id,
                            park_id=park_id,
                            year=year,
                            amount_yuan=money(amount),
                        )
                    )
            for a in d.attestations:
                conn.execute(
                    insert(attestation).values(
                        park_id=park_id,
                        criterion_id=a.criterion_id,
                        met=a.met,
                        evidence=a.evidence,
                        note=a.note,
                    )
                )


def _first_release_db(settings: Settings, write_dossier: Any, *, versioned: bool = True) -> Any:
    """A database at the first released schema, filled with the first schema's columns."""
    from conftest import make_dossier

    engine = make_engine(settings.db_url)
    upgrade(engine, FIRST)
    paths = [write_dossier(make_dossier(code=f"p{i}", hr=30 + i), f"p{i}.yaml") for i in range(3)]
    _write_first_schema(engine, read_dossiers(paths))
    if (
        not versioned
    ):  # as made by parkeval before migrations existed (create_all, no version table)
        with engine.begin() as conn:
            conn.execute(text("DROP TABLE alembic_version"))
    return engine


def _as_upgraded(before: dict[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    """The first schema's rows as 0006_policy_format leaves them: every site's area is its
    building-area kind (the other kinds empty); a tenant's hr_service yes/no becomes the class
    licensed_or_filed (a 许可证 or a 备案, not said which) or none."""
    out = dict(before)
    out["site"] = [
        {**s, "usable_area_m2": None, "property_area_m2": None, "rented_area_m2": None}
        for s in before["site"]
    ]
    out["tenant"] = [
        {
            **{k: v for k, v in t.items() if k != "hr_service"},
            "hr_class": "licensed_or_filed" if t["hr_service"] else "none",
        }
        for t in before["tenant"]
    ]
    return out


@pytest.mark.parametrize("versioned", [True, False], ids=["stamped", "pre-alembic"])
def test_upgrading_the_first_released_schema_loses_nothing(settings, write_dossier, versioned):
    engine = _first_release_db(settings, write_dossier, versioned=versioned)
    before = _snapshot(engine)
    assert sum(len(rows) for rows in before.values()) > 100

    with pytest.raises(SchemaError, match="parkeval db upgrade"):
        init_db(engine)  # an old database is refused, not silently changed
    assert upgrade_db(engine) == (FIRST if versioned else None, HEAD)

    after = _snapshot(engine)
    assert after == _as_upgraded(before)
    # every tenant that said hr_service kept its place in the counts as licensed_or_filed
    assert {t["hr_class"] for t in after["tenant"]} == {"licensed_or_filed", "none"}
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
    assert {bool(t["hr_service"]) for t in before["tenant"]} == {True, False}  # both mapped


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
