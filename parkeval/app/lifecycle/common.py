"""What the recording use cases share: the park's record read inside the writing transaction."""

from __future__ import annotations

from typing import TYPE_CHECKING

from parkeval.domain import lifecycle as lc

if TYPE_CHECKING:
    from parkeval.store.database import Session


def read_history(session: Session, park_code: str) -> tuple[int, lc.LifecycleRecords]:
    """The park's id and its recorded life, read inside the writing transaction."""
    from parkeval.store.snapshot import load_snapshot

    snapshot = load_snapshot(session.connection(), code=park_code, history=True)
    assert snapshot.history is not None
    return snapshot.park.id, snapshot.history
