"""The life of a certified park, derived — never stored — from its recorded history.

Pure: plain records in (:mod:`.records`), states and flags (:mod:`.states`), refusals
(:mod:`.checks`) and what is due (:mod:`.due`) out. The interpretations of the articles are
listed in :mod:`.states` and in the README's "Rating cycles" table.
"""

from parkeval.domain.lifecycle.checks import check_grant, check_grant_scope, check_rating
from parkeval.domain.lifecycle.due import (
    ApplicationWindows,
    application_due,
    application_windows,
    cycle_due,
    due_items,
    park_due_items,
    policy_expiry_due,
)
from parkeval.domain.lifecycle.records import (
    RATING_ALIASES,
    RATINGS,
    ApplicationRecord,
    AssessmentRecord,
    CertificationRecord,
    CertificationState,
    DueItem,
    HistoryStep,
    LifecycleRecords,
    PeriodEvent,
    RatingError,
    RetirementRecord,
    TargetRecord,
    VoidedRecord,
    WaiverRecord,
    add_years,
    expiry_warning,
    normalise_rating,
    period_label,
)
from parkeval.domain.lifecycle.states import (
    derive_certification,
    derive_states,
    owner,
    recognition_article,
    split_by_certification,
)

__all__ = [
    "RATINGS",
    "RATING_ALIASES",
    "ApplicationRecord",
    "ApplicationWindows",
    "AssessmentRecord",
    "CertificationRecord",
    "CertificationState",
    "DueItem",
    "HistoryStep",
    "LifecycleRecords",
    "PeriodEvent",
    "RatingError",
    "RetirementRecord",
    "TargetRecord",
    "VoidedRecord",
    "WaiverRecord",
    "add_years",
    "application_due",
    "application_windows",
    "check_grant",
    "check_grant_scope",
    "check_rating",
    "cycle_due",
    "derive_certification",
    "derive_states",
    "due_items",
    "expiry_warning",
    "normalise_rating",
    "owner",
    "park_due_items",
    "period_label",
    "policy_expiry_due",
    "recognition_article",
    "split_by_certification",
]
