"""Schema migrations (Alembic), shipped inside the package so an installed parkeval can
upgrade a database: ``parkeval db upgrade``.

Revisions live in ``versions/``; ``0001_core`` is the first released schema (the core's
park, site, tenant, tenant_revenue and attestation tables). To change the schema, change the
models, then add a revision — by hand, or with Alembic's autogenerate against a database at
head::

    .venv/bin/python -m alembic -c parkeval/store/migrations/alembic.ini \
        -x url=sqlite:///scratch.db revision --autogenerate -m "what changed"

set its id to the next number (``0003_…``) and update :data:`HEAD`. ``tests/test_migrations.py``
fails while the models and the migrations disagree, or :data:`HEAD` is stale.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Engine

HERE = Path(__file__).resolve().parent

HEAD = "0007_reward_facts"
"""The newest revision. Kept as a constant so every command can check the database's
version without loading Alembic (which costs startup time)."""

FIRST = "0001_core"


def alembic_config(connection: Connection | None = None, url: str | None = None) -> Any:
    """An Alembic configuration for these migrations, on a connection or a URL."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(HERE))
    if url:
        cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    cfg.attributes["connection"] = connection
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the database to ``revision`` in one transaction.

    SQLite changes a column by rebuilding its table (Alembic's batch mode), and with foreign
    keys on, dropping the old copy of a table that others refer to (``site``, ``tenant``) fails.
    As SQLite's documented procedure for such changes says, foreign keys are switched off for
    the upgrade (only possible outside a transaction) and every reference is checked before the
    commit instead: a violation rolls the whole upgrade back."""
    from alembic import command

    with engine.connect() as conn:
        sqlite = conn.dialect.name == "sqlite"
        if sqlite:
            conn.connection.dbapi_connection.execute("PRAGMA foreign_keys=OFF")  # type: ignore[union-attr]
        try:
            with conn.begin():
                command.upgrade(alembic_config(conn), revision)
                if sqlite:
                    broken = conn.exec_driver_sql("PRAGMA foreign_key_check").all()
                    if broken:
                        raise RuntimeError(f"upgrade left broken references: {broken[:5]}")
        finally:
            if sqlite:
                conn.connection.dbapi_connection.execute("PRAGMA foreign_keys=ON")  # type: ignore[union-attr]


def stamp(engine: Engine, revision: str) -> None:
    """Mark the database as being at ``revision`` without running migrations."""
    from alembic import command

    with engine.begin() as conn:
        command.stamp(alembic_config(conn), revision)


def script_head() -> str:
    """The newest revision among the migration scripts (Alembic's own view)."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head
