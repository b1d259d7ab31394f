"""Alembic environment: runs on the connection parkeval hands over (``db upgrade``), or on
an engine made from ``-x url=…`` / ``sqlalchemy.url`` when Alembic's own CLI is used."""

from __future__ import annotations

from alembic import context

from parkeval.store.database import import_models, make_engine

config = context.config
target_metadata = import_models()


def _run(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option(
        "sqlalchemy.url"
    )
    if not url:
        raise SystemExit("give the database: alembic -x url=sqlite:///file.db …")
    with make_engine(url).begin() as conn:
        _run(conn)
