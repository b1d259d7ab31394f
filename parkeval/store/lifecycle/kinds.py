"""The life-cycle record kinds and what marks a record as withdrawn."""

from __future__ import annotations

from typing import Any

from sqlalchemy import exists

from parkeval.store.tables import (
    Application,
    Certification,
    Confirmation,
    Proposal,
    Rating,
    Rectification,
    Retirement,
    Target,
    Voiding,
    Waiver,
)

# Record kinds a clerk can void, with their tables.
KINDS: dict[str, Any] = {
    "grant": Certification,
    "rating": Rating,
    "proposal": Proposal,
    "confirmation": Confirmation,
    "rectification": Rectification,
    "application": Application,
    "target": Target,
    "waiver": Waiver,
    "retirement": Retirement,
}


def not_voided(kind: str, id_column: Any) -> Any:
    """A condition true for records of ``kind`` that no voiding withdraws."""
    return ~exists().where(Voiding.kind == kind, Voiding.record_id == id_column)
