"""The life-cycle records in the database: their kinds (:mod:`.kinds`), writing them
(:mod:`.write`) and reading them back (:mod:`.read`)."""

from parkeval.store.lifecycle.kinds import KINDS, not_voided
from parkeval.store.lifecycle.read import read_records, titled_parks
from parkeval.store.lifecycle.write import (
    RecordRef,
    add_application,
    add_certification,
    add_confirmation,
    add_proposal,
    add_rating,
    add_rectification,
    add_retirement,
    add_target,
    add_voiding,
    add_waiver,
    find_record,
)

__all__ = [
    "KINDS",
    "RecordRef",
    "add_application",
    "add_certification",
    "add_confirmation",
    "add_proposal",
    "add_rating",
    "add_rectification",
    "add_retirement",
    "add_target",
    "add_voiding",
    "add_waiver",
    "find_record",
    "not_voided",
    "read_records",
    "titled_parks",
]
