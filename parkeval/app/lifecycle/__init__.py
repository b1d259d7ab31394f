"""A park's life under its policies, as use cases: apply, grant, waive, rate, file targets,
confirm, rectify — and its status and what is due.

Each recording function checks the request against the recorded history with the pure
rules (:mod:`parkeval.domain.lifecycle`) and writes in one transaction with its audit-log
entry, or raises a :class:`~parkeval.errors.ParkevalError` and writes nothing. States are
never stored: :func:`park_status` derives them each time. ``--json`` prints these results.
"""

from parkeval.app.lifecycle.corrections import RetirementResult, VoidResult, retire, void
from parkeval.app.lifecycle.ratings import (
    ConfirmationResult,
    RatingResult,
    RectificationResult,
    confirm,
    rate,
    rectified,
)
from parkeval.app.lifecycle.recognition import (
    ApplicationResult,
    GrantResult,
    MaterialCheck,
    WaiverResult,
    apply,
    grant,
    waive,
)
from parkeval.app.lifecycle.status import (
    DEFAULT_WITHIN_DAYS,
    ParkDue,
    ParkStatus,
    add_goals,
    due,
    park_status,
    park_statuses,
    status_from_records,
)
from parkeval.app.lifecycle.targets import TargetResult, file_target

__all__ = [
    "RetirementResult",
    "VoidResult",
    "retire",
    "void",
    "DEFAULT_WITHIN_DAYS",
    "ApplicationResult",
    "ConfirmationResult",
    "GrantResult",
    "MaterialCheck",
    "ParkDue",
    "ParkStatus",
    "RatingResult",
    "RectificationResult",
    "TargetResult",
    "WaiverResult",
    "add_goals",
    "apply",
    "confirm",
    "due",
    "file_target",
    "grant",
    "park_status",
    "park_statuses",
    "rate",
    "rectified",
    "status_from_records",
    "waive",
]
