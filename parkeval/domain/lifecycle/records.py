"""The vocabulary of a park's recorded life: ratings, the records kept (certifications,
assessments, targets, applications) and the results derived from them (states, history
steps, due items)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from parkeval.domain.wording import format_date
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
            f"《{policy.title}》（{policy.document_no}）已于 {format_date(policy.effective_until)} 失效；"
            f"{year}年度的考核评级仍按该政策记录，但该政策在此期间已不再有效"
        )
    return None


# --------------------------------------------------------------------------- records


# Each record carries its id (``id``): the number a clerk names to void it (parkeval void).


@dataclass(frozen=True)
class CertificationRecord:
    """A recognition (认定/授牌) under a policy."""

    policy_id: str
    certified_on: dt.date
    level: str | None = None
    doc_no: str | None = None
    id: int | None = None
    override_reason: str | None = None  # granted outside jurisdiction or validity on purpose
    source: str = "cli"


@dataclass(frozen=True)
class AssessmentRecord:
    """One period of one cycle, as its records stand: the official rating, the latest
    proposal, the confirmation and the completed rectification (each with its record id)."""

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
    rating_id: int | None = None
    proposal_id: int | None = None
    confirmation_id: int | None = None
    rectification_id: int | None = None
    from_dossier: bool = False  # some of it came from the park's dossier (changed there)
    proposed_on: dt.date | None = None


@dataclass(frozen=True)
class TargetRecord:
    """A year's development targets as filed."""

    year: int
    revenue_yuan: Decimal | None = None
    hr_institutions: int | None = None
    occupancy: Decimal | None = None
    goals: str | None = None
    id: int | None = None
    filed_on: dt.date | None = None
    source: str = "cli"


@dataclass(frozen=True)
class ApplicationRecord:
    """An application for recognition and the materials submitted."""

    policy_id: str
    received_on: dt.date
    materials: tuple[str, ...] = ()
    id: int | None = None


@dataclass(frozen=True)
class WaiverRecord:
    """A justification for an unmet in-principle criterion."""

    policy_id: str
    criterion_id: str
    reason: str
    by: str
    until: dt.date | None = None
    id: int | None = None
    recorded_on: dt.date | None = None


@dataclass(frozen=True)
class RetirementRecord:
    """A park retired from lists and ``--all``."""

    retired_on: dt.date
    reason: str
    by: str
    id: int | None = None


@dataclass(frozen=True)
class VoidedRecord:
    """A record withdrawn by a correction: what it was, why, by whom and when."""

    kind: str  # grant, rating, proposal, confirmation, rectification, application, target, …
    record_id: int
    policy_id: str | None
    what: str  # the record in words: gx-2021 年度考核 2022 优秀（2023-03-20）
    reason: str
    by: str
    voided_on: dt.date


@dataclass
class LifecycleRecords:
    """A park's recorded life under every policy — the records in force (voided ones left
    out, listed in ``voided``): what the life-cycle rules derive state from."""

    certifications: list[CertificationRecord] = field(default_factory=list)
    assessments: list[AssessmentRecord] = field(default_factory=list)
    targets: list[TargetRecord] = field(default_factory=list)
    applications: list[ApplicationRecord] = field(default_factory=list)
    waivers: list[WaiverRecord] = field(default_factory=list)
    retirements: list[RetirementRecord] = field(default_factory=list)
    voided: list[VoidedRecord] = field(default_factory=list)

    def target_for(self, year: int) -> TargetRecord | None:
        """The targets in force for a year: the latest filing."""
        filed = [t for t in self.targets if t.year == year]
        return max(filed, key=lambda t: t.id or 0) if filed else None


# --------------------------------------------------------------------------- results


@dataclass
class HistoryStep:
    """The recognition, or one official rating, of a title."""

    cycle: str
    period: str | None
    rating: str | None
    date: dt.date | None
    article: str
    id: int | None = None  # the grant's or the rating's record id
    by: str | None = None  # who rated

    def to_dict(self) -> dict[str, Any]:
        """One entry of ``history`` in ``status --json``."""
        return {
            "cycle": self.cycle,
            "period": self.period,
            "rating": self.rating,
            "date": self.date.isoformat() if self.date else None,
            "article": self.article,
            "id": self.id,
            "by": self.by,
        }


@dataclass
class PeriodEvent:
    """A saved proposal (建议等次), a confirmation (审核确认) or a completed rectification
    (整改完成) of one period."""

    kind: str  # proposal | confirmation | rectification
    cycle: str
    period: str
    date: dt.date | None
    by: str | None
    id: int | None
    rating: str | None = None  # a proposal's rating
    score: Decimal | None = None  # a proposal's score

    def to_dict(self) -> dict[str, Any]:
        """One entry of ``proposals``, ``confirmations`` or ``rectifications`` in ``status --json``."""
        out: dict[str, Any] = {
            "id": self.id,
            "cycle": self.cycle,
            "period": self.period,
            "date": self.date.isoformat() if self.date else None,
            "by": self.by,
        }
        if self.kind == "proposal":
            out.update(rating=self.rating, score=self.score)
        return out


@dataclass
class CertificationState:
    """One title as of a date: its state, flags, history and the period events under it."""

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
    confirmations: list[PeriodEvent] = field(default_factory=list)
    rectifications: list[PeriodEvent] = field(default_factory=list)
    proposals: list[PeriodEvent] = field(default_factory=list)
    id: int | None = None  # the grant's record id
    override_reason: str | None = None
    doc_no: str | None = None
    # Not part of the JSON contract: used by the checks and by `due`.
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
            "id": self.id,
            "doc_no": self.doc_no,
            "override_reason": self.override_reason,
            "confirmations": [e.to_dict() for e in self.confirmations],
            "rectifications": [e.to_dict() for e in self.rectifications],
            "proposals": [e.to_dict() for e in self.proposals],
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
