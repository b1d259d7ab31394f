"""Database engines and sessions, created from the run's settings (never at import time)."""

from __future__ import annotations

from contextlib import contextmanager
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError
from sqlmodel import Session, SQLModel, create_engine

from parkeval.errors import ParkevalError

DEFAULT_DB = "parkeval.db"
DB_ENV = "PARKEVAL_DB"


def resolve_url(value: str | None) -> str:
    """A path (``./parkeval.db``) or an SQLAlchemy URL (``postgresql+psycopg://…``) → URL."""
    value = (value or DEFAULT_DB).strip()
    if "://" in value:
        try:
            make_url(value)
        except ArgumentError:
            raise ParkevalError(f"无效的数据库地址：{value}",
                                hint="应为文件路径，或 SQLAlchemy URL，如 postgresql+psycopg://user@host/db") from None
        return value
    return f"sqlite:///{Path(value).expanduser().resolve()}"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def make_engine(url: str) -> Engine:
    """Create an engine for a URL; SQLite gets foreign keys, WAL and a busy timeout."""
    if url.startswith("sqlite"):
        if url not in ("sqlite://", "sqlite:///:memory:"):
            path = Path(make_url(url).database or "")
            if not path.parent.exists():
                raise ParkevalError(f"数据库文件所在目录不存在：{path.parent}")
        engine = create_engine(url, connect_args={"timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        if url not in ("sqlite://", "sqlite:///:memory:"):
            with engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA journal_mode=WAL")
        return engine
    try:
        return create_engine(url, pool_pre_ping=True)
    except ModuleNotFoundError as exc:
        raise ParkevalError(f"缺少数据库驱动 {exc.name}：{url}",
                            hint="PostgreSQL 请安装 psycopg：pip install 'psycopg[binary]'") from None


def init_db(engine: Engine) -> None:
    """Create any missing tables."""
    import parkeval.models  # noqa: F401 - registers the tables

    SQLModel.metadata.create_all(engine)


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A session whose transaction commits at the end of the block or rolls back on error."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
