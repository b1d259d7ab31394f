"""Administration: schema upgrades, online backups and the audit log."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from parkeval.app.settings import Settings


@dataclass
class AuditEntry:
    """One line of the audit log."""

    at: str  # ISO 8601 with the UTC offset, to the second
    action: str
    park: str | None
    by: str
    detail: str | None
    input_sha256: str | None


def upgrade_database(settings: Settings) -> tuple[str | None, str]:
    """Bring the database to this version's schema; (revision before, revision after)."""
    from parkeval.store.database import make_engine, upgrade_db

    return upgrade_db(make_engine(settings.db_url))


def backup_database(settings: Settings, dest: Path) -> int:
    """A consistent copy of the SQLite database at ``dest``; its size in bytes."""
    from parkeval.store.database import backup

    return backup(settings.db_url, dest)


def audit_entries(
    settings: Settings, *, park: str | None = None, limit: int | None = None
) -> list[AuditEntry]:
    """The audit log, newest first; one park's entries when ``park`` is given."""
    from parkeval.store.audit import entries
    from parkeval.store.database import reading

    with reading(settings.reader) as connection:
        return [AuditEntry(**e) for e in entries(connection, park=park, limit=limit)]
