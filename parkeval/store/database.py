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

Why this module is long: it is the one place that opens a database, so the checks before a
connection may touch a file (not SQLite, someone else's database, read-only opening), the
schema's version, the transactions, the failures said as sentences and the checked backup
stay together; split, each part would need the others' private helpers.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import quote

from sqlalchemy import MetaData, create_engine, event, inspect, text
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError, OperationalError

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

from parkeval.errors import ParkevalError, redact

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
    "check_schema",
    "check_sqlite_file",
    "database_error",
    "import_models",
    "init_db",
    "make_engine",
    "reading",
    "resolve_url",
    "session_scope",
    "sqlite_uri",
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
    # Percent-encoded: a file name with # or ? is a file name, not a URL's query.
    return f"sqlite:///{quote(str(Path(value).expanduser().resolve()), safe='/')}"


def sqlite_uri(path: Path, *, read_only: bool = True) -> str:
    """An SQLite ``file:`` URI of ``path`` (percent-encoded, so # and ? stay in the name)."""
    return f"file:{quote(str(path.resolve()), safe='/')}" + ("?mode=ro" if read_only else "")


# Tables only parkeval's database has: one of them marks a database as parkeval's.
OWN_TABLES = frozenset({"park", "site", "tenant", "tenant_revenue", "attestation"})
SQLITE_HEADER = b"SQLite format 3\x00"


def check_sqlite_file(path: Path, *, must_exist: bool) -> bool:
    """Look at an SQLite database file before any connection changes it; returns whether it
    exists. Refused with a sentence (and left untouched): a missing file when ``must_exist``
    (a read-only command never creates a database), a directory or other non-file, a file
    that is not SQLite (a text file, a workbook), and an SQLite database that is not
    parkeval's (it has tables, none of them parkeval's: no table is added to it and its
    journal mode is not switched)."""
    where = str(path)
    if not path.exists():
        if must_exist:
            raise ParkevalError(
                f"数据库文件不存在：{where}",
                hint="检查 --db 或环境变量 PARKEVAL_DB 的拼写；"
                "新的数据库由 parkeval import（导入档案）或 parkeval demo 创建。",
            )
        return False
    if path.is_dir():
        raise ParkevalError(f"--db 指向的是一个目录，不是数据库文件：{where}")
    if not path.is_file():
        raise ParkevalError(f"--db 指向的不是普通文件：{where}")
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise ParkevalError(f"无法读取数据库文件 {where}：{exc.strerror}") from None
    if not header:
        return True  # an empty file is an empty database
    if header != SQLITE_HEADER:
        raise ParkevalError(
            f"{where} 不是 SQLite 数据库文件（可能是文本、Excel 或其他文件）；未作任何改动",
            hint="检查 --db 是否写错了文件名。",
        )
    try:
        conn = sqlite3.connect(sqlite_uri(path), uri=True, timeout=busy_timeout_ms() / 1000)
        try:
            tables = {
                row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise ParkevalError(f"无法打开数据库文件 {where}（{exc}）") from None
    tables = {t for t in tables if not t.startswith("sqlite_")}
    if tables and not tables & OWN_TABLES:
        raise ParkevalError(
            f"{where} 是一个 SQLite 数据库，但不是 parkeval 的数据库（其中有 {len(tables)} 个"
            "其他的表）；未作任何改动",
            hint="用 --db 指定 parkeval 的数据库，或一个新的文件名。",
        )
    return True


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


def _sqlite_read_only_connect(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout={busy_timeout_ms()}")
    cursor.execute("PRAGMA query_only=ON")
    cursor.close()


def make_engine(url: str, *, read_only: bool = False) -> Engine:
    """Create an engine for a URL; SQLite gets foreign keys, WAL and a busy timeout.

    The file is looked at first (:func:`check_sqlite_file`): a foreign or non-SQLite file is
    refused before a connection could change it. ``read_only``: the file must exist and is
    opened read-only (``mode=ro``, ``query_only``), its journal mode left as it is."""
    if url.startswith("sqlite"):
        memory = url in ("sqlite://", "sqlite:///:memory:")
        if not memory:
            path = Path(make_url(url).database or "")
            if not read_only and not path.parent.exists():
                raise ParkevalError(f"数据库文件所在目录不存在：{path.parent}")
            check_sqlite_file(path, must_exist=read_only)
            if read_only:
                uri = sqlite_uri(path)
                timeout = busy_timeout_ms() / 1000
                engine = create_engine(
                    "sqlite://",
                    creator=lambda: sqlite3.connect(
                        uri, uri=True, timeout=timeout, check_same_thread=False
                    ),
                )
                event.listen(engine, "connect", _sqlite_read_only_connect)
                event.listen(engine, "begin", _sqlite_begin)
                return engine
        engine = create_engine(url, connect_args={"timeout": busy_timeout_ms() / 1000})
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    try:
        if read_only and make_url(url).get_backend_name() == "postgresql":
            # the server refuses any write in these sessions, whatever a bug might try
            options = {"options": "-c default_transaction_read_only=on"}
            return create_engine(url, pool_pre_ping=True, connect_args=options)
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


def is_new_database(url: str) -> bool:
    """Whether ``url`` names a database with none of parkeval's tables yet (an SQLite file
    that does not exist counts): one an import that fails must leave as it found it."""
    if url in ("sqlite://", "sqlite:///:memory:"):
        return False
    if url.startswith("sqlite"):
        path = Path(make_url(url).database or "")
        if not path.exists():
            return True
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            revision, has_tables = schema_revision(conn)
    finally:
        engine.dispose()
    return revision is None and not has_tables


def discard_new_database(engine: Engine) -> None:
    """Undo what opening a new database made (see :func:`is_new_database`): an SQLite file
    and its journals are removed; elsewhere the tables the migrations created are dropped."""
    url = engine.url
    engine.dispose()
    if url.get_backend_name() == "sqlite":
        path = Path(url.database or "")
        for leftover in (path, *(Path(f"{path}{s}") for s in ("-wal", "-shm", "-journal"))):
            leftover.unlink(missing_ok=True)
        return
    metadata = import_models()
    with engine.begin() as conn:
        metadata.drop_all(conn)
        conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
    engine.dispose()


def check_schema(engine: Engine) -> None:
    """For a read-only command: the database has this version's schema, or
    :class:`SchemaError` (nothing is created or changed). An empty database is one no
    dossier was imported into yet."""
    from parkeval.store.migrations import HEAD

    with engine.connect() as conn:
        revision, has_tables = schema_revision(conn)
    if revision is None and not has_tables:
        raise SchemaError(
            f"数据库 {engine.url.render_as_string(hide_password=True)} 还是空的（没有 parkeval 的表）",
            hint="先用 parkeval import 导入资料（或 parkeval demo 载入示例）。",
        )
    if revision != HEAD:
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
    from parkeval.store.migrations import FIRST, HEAD, HERE, stamp, upgrade

    import_models()
    with engine.connect() as conn:
        before, has_tables = schema_revision(conn)
    known = {p.name.split("_", 1)[0] for p in (HERE / "versions").glob("*.py")}
    if before is not None and before.split("_", 1)[0] not in known:
        _refuse(engine, before)  # newer than this parkeval: never "upgraded" backwards
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


# --------------------------------------------------------------------------- errors


def database_error(exc: BaseException) -> ParkevalError | None:
    """A database failure said in a sentence (no SQL, no parameters, no password), or None
    when ``exc`` is not a database failure. Used by the command line's error boundary."""
    from sqlalchemy.exc import DBAPIError, NoSuchModuleError

    if isinstance(exc, NoSuchModuleError):
        return ParkevalError(
            f"不认识的数据库类型：{redact(str(exc)).rsplit(':', 1)[-1].strip()}",
            hint="--db 应为文件路径，或 sqlite:///… 、postgresql+psycopg://… 这样的地址。",
        )
    orig: BaseException = exc.orig if isinstance(exc, DBAPIError) and exc.orig else exc
    if not isinstance(exc, DBAPIError | sqlite3.Error):
        if type(orig).__module__.split(".")[0] != "psycopg":
            return None
    text = redact(str(orig).strip().splitlines()[0] if str(orig).strip() else type(orig).__name__)
    lower = text.lower()
    if "readonly" in lower or "read-only" in lower or "read only" in lower:
        return ParkevalError(
            "数据库是只读的，无法写入；本次没有写入任何数据",
            hint="检查数据库文件及其所在目录的写权限，或用 --db 指定一个可写的数据库。",
        )
    if "disk is full" in lower or "no space" in lower:
        return ParkevalError(
            "磁盘空间已满，数据库无法写入；本次没有写入任何数据（事务已回滚）",
            hint="清理磁盘空间后重新运行同一命令。",
        )
    if "not a database" in lower or "malformed" in lower:
        return ParkevalError(
            f"数据库文件已损坏或不是 SQLite 数据库（{text}）",
            hint="检查 --db 是否指向了正确的文件。",
        )
    if "unable to open" in lower:
        return ParkevalError(f"无法打开数据库文件（{text}）", hint="检查 --db 的路径与权限。")
    if "locked" in lower:
        return ParkevalError(
            "数据库正被其他进程占用，无法完成；本次没有写入任何数据",
            hint=f"稍后重新运行；等待时间可用环境变量 {BUSY_TIMEOUT_ENV} 调整。",
        )
    if isinstance(exc, OperationalError) or type(orig).__name__ == "OperationalError":
        return ParkevalError(
            f"无法连接或使用数据库：{text}",
            hint="检查数据库服务器是否在运行、地址、端口、用户名和密码是否正确。",
        )
    return ParkevalError(f"数据库拒绝了这次操作：{text}；本次没有写入任何数据")


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
    check_sqlite_file(source, must_exist=True)
    dest = Path(dest)
    if dest.resolve() == source.resolve():
        raise ParkevalError("备份文件不能是数据库本身")
    if dest.exists():
        raise ParkevalError(f"备份文件已存在：{dest}", hint="换一个文件名，或先删除它。")
    if not dest.parent.exists():
        raise ParkevalError(f"备份文件所在目录不存在：{dest.parent}")
    fd, name = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".partial", dir=dest.parent)
    os.close(fd)
    partial = Path(name)
    try:
        src = sqlite3.connect(sqlite_uri(source), uri=True, timeout=busy_timeout_ms() / 1000)
        try:
            out = sqlite3.connect(sqlite_uri(partial, read_only=False), uri=True)
            try:
                src.backup(out)
                out.execute("PRAGMA journal_mode=DELETE")  # a single self-contained file
                # The copy is checked before success is said: every table, as many rows.
                src.execute("BEGIN")  # one snapshot for all the counts
                mismatch = [
                    table
                    for table in _tables(src)
                    if _count(src, table) != (_count(out, table) if table in _tables(out) else -1)
                ]
                src.execute("COMMIT")
            finally:
                out.close()
        finally:
            src.close()
        if mismatch:
            raise ParkevalError(
                f"备份副本与数据库不一致（表 {'、'.join(mismatch[:5])} 的行数不同）；未保存备份",
                hint="数据库可能正在被大量写入；稍后重新备份。",
            )
        os.chmod(partial, 0o666 & ~_umask())
        try:
            os.link(partial, dest)  # never over a file that appeared meanwhile
        except FileExistsError:
            raise ParkevalError(
                f"备份文件已存在：{dest}", hint="换一个文件名，或先删除它。"
            ) from None
    finally:
        partial.unlink(missing_ok=True)
    return dest.stat().st_size


def _tables(conn: sqlite3.Connection) -> list[str]:
    return [
        row[0]
        for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
        )
    ]


def _count(conn: sqlite3.Connection, table: str) -> int:
    quoted = '"' + table.replace('"', '""') + '"'
    return int(conn.execute(f"SELECT count(*) FROM {quoted}").fetchone()[0])  # noqa: S608


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
