"""The vocabulary of a park's recorded life: ratings, the records kept (certifications,
assessments, targets, applications) and the results derived from them (states, history
steps, due items)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from parkeval.errors import ParkevalError
from parkeval.policy.model import Cycle, Policy

RATINGS = ("优秀", "合格", "不合格")
RATING_ALIASES = {
    "优秀": "优秀",
    "excellent": "优秀",
    "合格": "合格",
    "pass": "合格",
    "passed": "合格",
    "不合格": "不合格",
    "fail": "不合格",
    "failed": "不合格",
}


class RatingError(ParkevalError):
    """A rating word outside 优秀/合格/不合格 (excellent/pass/fail)."""

    title = "无效的等次"


def normalise_rating(word: Any) -> str:
    """优秀/合格/不合格, or excellent/pass/fail, → the Chinese rating; anything else is an error."""
    text = str(word or "").strip()
    rating = RATING_ALIASES.get(text) or RATING_ALIASES.get(text.lower())
    if rating is None:
        raise RatingError(
            f"无法识别的等次 “{word}”",
            hint="等次应为 优秀、合格、不合格（或 excellent、pass、fail）",
        )
    return rating


def add_years(day: dt.date, years: int) -> dt.date:
    """The same calendar day ``years`` later (29 February → 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def period_label(cycle: Cycle, year: int) -> str:
    """``2024`` for a yearly cycle; ``2023-2024`` for a biennial assessment ending in 2024."""
    return str(year) if cycle.every_years == 1 else f"{year - cycle.every_years + 1}-{year}"


def expiry_warning(policy: Policy, year: int) -> str | None:
    """A plain warning when an assessment covers a year after the policy's end date."""
    if policy.effective_until is not None and dt.date(year, 12, 31) > policy.effective_until:
        return (
            f"《{policy.title}》（{policy.document_no}）已于 {policy.effective_until} 失效；"
            f"{year} 年度的考核评级仍按该政策记录，但该政策在此期间已不再有效"
        )
    return None


# --------------------------------------------------------------------------- records


@dataclass(frozen=True)
class CertificationRecord:
    policy_id: str
    certified_on: dt.date
    level: str | None = None
    doc_no: str | None = None


@dataclass(frozen=True)
class AssessmentRecord:
    policy_id: str
    cycle: str
    year: int
    rating: str | None = None
    rated_on: dt.date | None = None
    rated_by: str | None = None
    proposed_rating: str | None = None
    proposed_score: Decimal | None = None
    confirmed_by: str | None = None
    confirmed_on: dt.date | None = None
    rectified_on: dt.date | None = None


@dataclass(frozen=True)
class TargetRecord:
    year: int
    revenue_yuan: Decimal | None = None
    hr_institutions: int | None = None
    occupancy: Decimal | None = None
    goals: str | None = None


@dataclass(frozen=True)
class ApplicationRecord:
    policy_id: str
    received_on: dt.date
    materials: tuple[str, ...] = ()


@dataclass
class LifecycleRecords:
    """A park's recorded life under every policy: what the life-cycle rules derive state from."""

    certifications: list[CertificationRecord] = field(default_factory=list)
    assessments: list[AssessmentRecord] = field(default_factory=list)
    targets: list[TargetRecord] = field(default_factory=list)
    applications: list[ApplicationRecord] = field(default_factory=list)


# --------------------------------------------------------------------------- results


@dataclass
class HistoryStep:
    cycle: str
    period: str | None
    rating: str | None
    date: dt.date | None
    article: str

    def to_dict(self) -> dict[str, Any]:
        """One entry of ``history`` in ``status --json``."""
        return {
            "cycle": self.cycle,
            "period": self.period,
            "rating": self.rating,
            "date": self.date.isoformat() if self.date else None,
            "article": self.article,
        }


@dataclass
class CertificationState:
    policy: str
    level: str | None
    state: str  # active | rectifying | revoked
    policy_in_force: bool
    certified_on: dt.date
    revoked_on: dt.date | None = None
    revoke_reason: str | None = None
    reapply_after: dt.date | None = None
    rectification_due: dt.date | None = None
    flags: list[str] = field(default_factory=list)
    history: list[HistoryStep] = field(default_factory=list)
    # Not part of the JSON contract: used by the checks and by `due`.
    doc_no: str | None = None
    revoked_year: int | None = None
    rectification_article: str | None = None
    rectification_period: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """One entry of ``status --json`` ``certifications`` (dates ISO 8601, absent → null)."""

        def iso(day: dt.date | None) -> str | None:
            return day.isoformat() if day else None

        return {
            "policy": self.policy,
            "level": self.level,
            "state": self.state,
            "policy_in_force": self.policy_in_force,
            "certified_on": iso(self.certified_on),
            "revoked_on": iso(self.revoked_on),
            "revoke_reason": self.revoke_reason,
            "reapply_after": iso(self.reapply_after),
            "rectification_due": iso(self.rectification_due),
            "flags": list(self.flags),
            "history": [h.to_dict() for h in self.history],
        }


@dataclass
class DueItem:
    what: str
    policy: str
    due_date: dt.date
    overdue: bool
    article: str

    def to_dict(self) -> dict[str, Any]:
        """One entry of ``due`` in ``status --json`` and ``due --json``."""
        return {
            "what": self.what,
            "policy": self.policy,
            "due_date": self.due_date.isoformat(),
            "overdue": self.overdue,
            "article": self.article,
        }
