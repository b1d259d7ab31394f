"""Database engines, sessions and the schema's version, created from the run's settings
(never at import time).

SQLite: foreign keys on, WAL (readers never block the writer), a 30 s busy timeout, and
write transactions that take the write lock when they begin (``BEGIN IMMEDIATE``) so two
writers queue instead of failing half-way; :func:`write_transaction` retries a transaction
that still could not get the lock and then says so plainly. PostgreSQL: plain transactions.

The schema is managed by Alembic (:mod:`parkeval.store.migrations`): a new, empty database is
created by running the migrations; a database at an older revision is refused with a
message to run ``parkeval db upgrade`` — an upgrade is never started behind a user's back,
because on a shared server other people's parkeval may still be the older version.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import MetaData, create_engine, event, inspect, text
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError, OperationalError

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

from parkeval.errors import ParkevalError

DEFAULT_DB = "parkeval.db"
DB_ENV = "PARKEVAL_DB"
BUSY_TIMEOUT_ENV = "PARKEVAL_BUSY_TIMEOUT_MS"  # how long a writer waits for SQLite's lock
LOCK_ATTEMPTS = 3

__all__ = [
    "DB_ENV",
    "DEFAULT_DB",
    "Connection",
    "Engine",
    "SchemaError",
    "Session",
    "backup",
    "busy_timeout_ms",
    "import_models",
    "init_db",
    "make_engine",
    "reading",
    "resolve_url",
    "session_scope",
    "upgrade_db",
    "write_transaction",
]

log = logging.getLogger(__name__)
T = TypeVar("T")


class SchemaError(ParkevalError):
    """The database's schema is older (or newer) than this parkeval."""


def resolve_url(value: str | None) -> str:
    """A path (``./parkeval.db``) or an SQLAlchemy URL (``postgresql+psycopg://…``) → URL."""
    value = (value or DEFAULT_DB).strip()
    if "://" in value:
        try:
            make_url(value)
        except ArgumentError:
            raise ParkevalError(
                f"无效的数据库地址：{value}",
                hint="应为文件路径，或 SQLAlchemy URL，如 postgresql+psycopg://user@host/db",
            ) from None
        return value
    return f"sqlite:///{Path(value).expanduser().resolve()}"


def import_models() -> MetaData:
    """The metadata of every table (:mod:`parkeval.store.tables` defines them all)."""
    from parkeval.store.tables import metadata

    return metadata


def __getattr__(name: str) -> Any:
    # The write transactions' Session comes from SQLAlchemy's ORM package, imported only by
    # whoever writes: readers (a report, certify) never load the ORM.
    if name == "Session":
        from sqlalchemy.orm import Session

        return Session
    raise AttributeError(name)


def busy_timeout_ms() -> int:
    """How long a writer waits for SQLite's lock (PARKEVAL_BUSY_TIMEOUT_MS, default 30 s)."""
    try:
        return max(0, int(os.environ.get(BUSY_TIMEOUT_ENV, "30000")))
    except ValueError:
        raise ParkevalError(f"{BUSY_TIMEOUT_ENV} 应为毫秒数（整数）") from None


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # The driver's own transaction handling is switched off so that SQLAlchemy's "begin"
    # event below decides how each transaction starts (and DDL is transactional too).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={busy_timeout_ms()}")
    # No-op once set; in-memory databases ignore it. Switching a new file to WAL while another
    # process does the same can fail at once with "database is locked" (SQLite does not wait
    # on the busy handler there), so it is retried within the busy timeout.
    deadline = time.monotonic() + busy_timeout_ms() / 1000
    delay = 0.01
    while True:
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            break
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() + delay > deadline:
                raise
            time.sleep(delay)
            delay = min(delay * 2, 0.25)
    cursor.close()


def _sqlite_begin(conn: Connection) -> None:
    mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
    conn.exec_driver_sql(f"BEGIN {mode}")


def make_engine(url: str) -> Engine:
    """Create an engine for a URL; SQLite gets foreign keys, WAL and a busy timeout."""
    if url.startswith("sqlite"):
        memory = url in ("sqlite://", "sqlite:///:memory:")
        if not memory:
            path = Path(make_url(url).database or "")
            if not path.parent.exists():
                raise ParkevalError(f"数据库文件所在目录不存在：{path.parent}")
        engine = create_engine(url, connect_args={"timeout": busy_timeout_ms() / 1000})
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    try:
        return create_engine(url, pool_pre_ping=True)
    except ModuleNotFoundError as exc:
        raise ParkevalError(
            f"缺少数据库驱动 {exc.name}：{url}",
            hint="PostgreSQL 请安装 psycopg：pip install 'psycopg[binary]'",
        ) from None


# --------------------------------------------------------------------------- schema version


def schema_revision(conn: Connection) -> tuple[str | None, bool]:
    """(the database's Alembic revision, whether it has any of parkeval's tables)."""
    tables = set(inspect(conn).get_table_names())
    revision = None
    if "alembic_version" in tables:
        revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    return revision, bool(tables & {"park", "site", "tenant", "tenant_revenue", "attestation"})


def init_db(engine: Engine) -> None:
    """Make sure the database has this version's schema.

    Empty → created by running every migration. At the newest revision → nothing to do.
    Older (or made before migrations existed) → :class:`SchemaError` asking for
    ``parkeval db upgrade``. Newer → :class:`SchemaError` asking for a newer parkeval.
    """
    from parkeval.store.migrations import HEAD

    with engine.connect() as conn:
        revision, has_tables = schema_revision(conn)
    if revision is None and not has_tables:
        _create_schema(engine)
    elif revision != HEAD:
        _refuse(engine, revision)


def _locked(engine: Engine) -> Any:
    """A transaction that holds the schema lock: SQLite's write lock, or an advisory lock on
    PostgreSQL, so two processes never run migrations at once."""
    if engine.dialect.name == "sqlite":
        return engine.execution_options(sqlite_begin="IMMEDIATE").begin()
    return engine.begin()


def _create_schema(engine: Engine) -> None:
    """Create a new database through the migrations (unless another process just did)."""
    from alembic import command

    from parkeval.store.migrations import alembic_config

    with _locked(engine) as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(7231001)"))
        revision, has_tables = schema_revision(conn)
        if revision is None and not has_tables:
            command.upgrade(alembic_config(conn), "head")


def _refuse(engine: Engine, revision: str | None) -> None:
    from parkeval.store.migrations import HERE

    known = {p.name.split("_", 1)[0] for p in (HERE / "versions").glob("*.py")}
    where = engine.url.render_as_string(hide_password=True)
    if revision is not None and revision.split("_", 1)[0] not in known:
        raise SchemaError(
            f"数据库 {where} 的结构版本 {revision} 比本版本 parkeval 新",
            hint="请升级 parkeval 后再使用这个数据库。",
        )
    version = revision or "首个发布版本（无版本记录）"
    raise SchemaError(
        f"数据库 {where} 的结构版本为 {version}，需要升级后才能使用",
        hint="先备份（parkeval db backup 备份文件.db），再运行 parkeval db upgrade；"
        "升级不会丢失任何数据。",
    )


def upgrade_db(engine: Engine) -> tuple[str | None, str]:
    """Bring a database to the newest revision; returns (revision before, revision after).

    A database made before migrations existed (core tables, no version) is the first
    released schema: it is stamped ``0001_core`` first, then upgraded."""
    from parkeval.store.migrations import FIRST, HEAD, stamp, upgrade

    import_models()
    with engine.connect() as conn:
        before, has_tables = schema_revision(conn)
    if before is None and has_tables:
        stamp(engine, FIRST)
    upgrade(engine)
    return before, HEAD


# --------------------------------------------------------------------------- transactions


@contextmanager
def reading(engine: Engine) -> Iterator[Connection]:
    """A connection for reading (Core, no ORM); whatever it began is rolled back at the end."""
    with engine.connect() as connection:
        yield connection


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A write transaction that commits at the end of the block or rolls back on error.

    On SQLite it takes the write lock at its start (waiting up to the busy timeout), so it
    never fails half-way because another process wrote first."""
    from sqlalchemy.orm import Session

    bind = (
        engine.execution_options(sqlite_begin="IMMEDIATE")
        if engine.dialect.name == "sqlite"
        else engine
    )
    with Session(bind, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def _is_lock_error(exc: OperationalError) -> bool:
    return isinstance(exc.orig, sqlite3.OperationalError) and "locked" in str(exc.orig).lower()


def write_transaction(
    engine: Engine, work: Callable[[Session], T], *, attempts: int = LOCK_ATTEMPTS
) -> T:
    """Run ``work(session)`` in one write transaction; if SQLite is still locked by another
    writer after the busy timeout, try again, then fail with a message that says so."""
    for attempt in range(1, attempts + 1):
        try:
            with session_scope(engine) as session:
                return work(session)
        except OperationalError as exc:
            if not _is_lock_error(exc):
                raise
            if attempt == attempts:
                seconds = attempts * busy_timeout_ms() / 1000
                raise ParkevalError(
                    f"数据库正被其他进程写入，等待 {seconds:g} 秒后仍无法获得写锁；本次没有写入任何数据",
                    hint="稍后重新运行同一命令即可；若一直如此，检查是否有卡住的 parkeval 进程"
                    f"（等待时间可用环境变量 {BUSY_TIMEOUT_ENV} 调整）。",
                ) from None
            log.warning(
                "database locked by another writer; retrying (%d/%d)", attempt + 1, attempts
            )
            time.sleep(0.2 * attempt)
    raise AssertionError("unreachable")


# --------------------------------------------------------------------------- backup


def backup(url: str, dest: Path) -> int:
    """A consistent copy of an SQLite database while others use it (SQLite's online backup
    API); returns its size in bytes. Other backends raise with how to back them up."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        if parsed.get_backend_name() == "postgresql":
            target = parsed.set(drivername="postgresql").render_as_string(hide_password=True)
            raise ParkevalError(
                "PostgreSQL 数据库请用 pg_dump 备份（它同样在他人使用时得到一致的副本）",
                hint=f"pg_dump --format=custom --file={dest} '{target}'\n"
                f"恢复：pg_restore --clean --dbname='{target}' {dest}",
            )
        raise ParkevalError(f"不支持备份此类数据库：{parsed.get_backend_name()}")
    source = Path(parsed.database or "")
    if not source.is_file():
        raise ParkevalError(f"数据库文件不存在：{source}")
    dest = Path(dest)
    if dest.resolve() == source.resolve():
        raise ParkevalError("备份文件不能是数据库本身")
    if dest.exists():
        raise ParkevalError(f"备份文件已存在：{dest}", hint="换一个文件名，或先删除它。")
    if not dest.parent.exists():
        raise ParkevalError(f"备份文件所在目录不存在：{dest.parent}")
    partial = dest.with_name(dest.name + ".partial")
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=busy_timeout_ms() / 1000)
    try:
        out = sqlite3.connect(partial)
        try:
            src.backup(out)
            out.execute("PRAGMA journal_mode=DELETE")  # a single self-contained file
        finally:
            out.close()
    finally:
        src.close()
    partial.replace(dest)
    return dest.stat().st_size
