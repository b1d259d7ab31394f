"""Assess a period: re-check the thresholds, compare the year's targets, propose a rating.

The facts are one snapshot (head counts on 31 December of the year assessed, revenue for the
years the policy reads, the park's recorded life); the rubric is the policy's local setting.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import TYPE_CHECKING

from parkeval.app.certify import evaluate_snapshot
from parkeval.app.settings import Settings
from parkeval.domain import lifecycle as lc
from parkeval.domain.calendar import check_year_ended
from parkeval.domain.metrics import compute_metric, policy_years
from parkeval.domain.rubric import RubricScore, propose_rating
from parkeval.domain.wording import cycle_period_name
from parkeval.policy.model import TARGET_METRICS, Metric, Policy

if TYPE_CHECKING:
    from parkeval.store.database import Connection
    from parkeval.store.snapshot import ParkSnapshot


@dataclass
class ThresholdCheck:
    """One criterion re-checked for the period."""

    id: str
    article: str
    title: str
    status: str
    strictness: str
    gap: str | None


@dataclass
class MetricAttainment:
    """A target metric: the actual value, the target filed, and actual ÷ target."""

    actual: Decimal | int | None
    complete: bool
    missing: str | None
    target: Decimal | int | None
    attainment: Decimal | None


@dataclass
class TargetAttainment:
    year: int
    goals: str | None
    metrics: dict[str, MetricAttainment]  # revenue, hr_institutions, occupancy
    recorded: bool  # whether targets were filed for the year


@dataclass
class OfficialRating:
    rating: str
    rated_on: dt.date | None
    rated_by: str | None


@dataclass
class AssessmentSummary:
    """``assess --json``: the period's checks, targets, the proposal and the official rating."""

    park: str
    park_name: str
    policy: str
    cycle: str
    cycle_name: str
    article: str
    year: int
    period: str
    as_of: dt.date
    verdict: str
    policy_in_force: bool
    warnings: list[str]
    thresholds: list[ThresholdCheck]
    targets: TargetAttainment
    proposal: RubricScore
    official: OfficialRating | None  # the recorded official rating; it always wins
    effective_rating: str  # the official rating when recorded, else the proposal
    saved: bool
    proposal_id: int | None = None  # the saved proposal's record id (with --save)


def _ratio(value: Fraction | Decimal | int | None) -> Decimal | None:
    if value is None:
        return None
    f = Fraction(value)
    return (Decimal(f.numerator) / Decimal(f.denominator)).quantize(
        Decimal("0.0001"), rounding=ROUND_HALF_UP
    )


def assessment_years(policy: Policy, year: int, as_of: dt.date | None = None) -> tuple[int, ...]:
    """The revenue years an assessment of ``year`` reads (its head count on ``as_of``, by
    default 31 December of the year)."""
    return tuple(sorted({year, *policy_years(policy, year, as_of or dt.date(year, 12, 31))}))


def summarize(
    settings: Settings,
    snapshot: ParkSnapshot,
    policy: Policy,
    cycle_id: str,
    year: int,
    *,
    known_on: dt.date | None = None,
) -> AssessmentSummary:
    """The assessment of a period from a snapshot loaded as of 31 December of ``year`` with
    :func:`assessment_years` and its history (nothing is read or written here). With
    ``known_on``, an official rating given after that date is not yet known."""
    assert snapshot.history is not None
    cyc = policy.cycle(cycle_id)
    as_of = dt.date(year, 12, 31)
    facts = snapshot.facts
    result = evaluate_snapshot(settings, policy, snapshot, year=year, as_of=as_of)
    target = snapshot.history.target_for(year)
    metrics: dict[str, MetricAttainment] = {}
    attainment: dict[str, Decimal | None] = {}
    for metric in TARGET_METRICS:
        target_value = (
            getattr(target, {"revenue": "revenue_yuan"}.get(metric, metric)) if target else None
        )
        mv = compute_metric(facts, Metric(metric), "park", None, year=year, as_of=as_of)
        actual = mv.value if metric != "occupancy" else _ratio(mv.value)
        att = None
        if target_value is not None and mv.value is not None and target_value != 0:
            att = _ratio(Fraction(mv.value) / Fraction(target_value))
        attainment[metric] = att
        metrics[metric] = MetricAttainment(actual, mv.complete, mv.missing, target_value, att)  # type: ignore[arg-type]
    proposal = propose_rating(policy, result.criteria, attainment)
    stored = next(
        (
            a
            for a in snapshot.history.assessments
            if a.policy_id == policy.id and a.cycle == cyc.id and a.year == year
        ),
        None,
    )
    known = stored is not None and (
        known_on is None or stored.rated_on is None or stored.rated_on <= known_on
    )
    official = (
        OfficialRating(stored.rating, stored.rated_on, stored.rated_by)
        if stored and stored.rating and known
        else None
    )
    warnings = list(result.warnings)
    expired = lc.expiry_warning(policy, year)
    if expired:
        warnings.insert(0, expired)
    return AssessmentSummary(
        park=snapshot.park.code,
        park_name=snapshot.park.name,
        policy=policy.id,
        cycle=cyc.id,
        cycle_name=cyc.name,
        article=cyc.article,
        year=year,
        period=lc.period_label(cyc, year),
        as_of=as_of,
        verdict=result.verdict,
        policy_in_force=result.policy_in_force,
        warnings=warnings,
        thresholds=[
            ThresholdCheck(c.id, c.article, c.title, c.status, c.strictness, c.gap)
            for c in result.criteria
        ],
        targets=TargetAttainment(
            year, target.goals if target else None, metrics, target is not None
        ),
        proposal=proposal,
        official=official,
        effective_rating=official.rating if official else proposal.rating,
        saved=False,
    )


def _load(connection: Connection, policy: Policy, park_code: str, year: int) -> ParkSnapshot:
    from parkeval.store.snapshot import load_snapshot

    return load_snapshot(
        connection,
        code=park_code,
        as_of=dt.date(year, 12, 31),
        years=assessment_years(policy, year),
        policy_id=policy.id,
        history=True,
    )


def assessment_summary(
    settings: Settings,
    park_code: str,
    policy_id: str,
    cycle: str,
    year: int,
    *,
    known_on: dt.date | None = None,
) -> AssessmentSummary:
    """The assessment of a period, computed afresh and not saved. An official rating always
    wins over the proposal (``effective_rating``)."""
    from parkeval.store.database import reading

    policy = settings.registry.get(policy_id)
    with reading(settings.reader) as connection:
        snapshot = _load(connection, policy, park_code, year)
    return summarize(settings, snapshot, policy, cycle, year, known_on=known_on)


def assess(
    settings: Settings, park_code: str, *, policy_id: str, cycle: str, year: int, save: bool = False
) -> AssessmentSummary:
    """Compute the period's metrics, re-check thresholds, compare with targets, propose a rating;
    with ``save`` store the proposal (an official rating already recorded is kept)."""
    from parkeval.store import audit
    from parkeval.store.database import session_scope
    from parkeval.store.lifecycle import add_proposal

    policy = settings.registry.get(policy_id)
    cyc = policy.cycle(cycle)
    check_year_ended(year, settings.today, f"评估 {lc.period_label(cyc, year)} 的{cyc.name}")
    with session_scope(settings.database) as session:
        snapshot = _load(session.connection(), policy, park_code, year)
        summary = summarize(settings, snapshot, policy, cyc.id, year)
        if save:
            assert snapshot.history is not None
            lc.check_new_proposal(
                policy,
                cyc,
                snapshot.history.certifications,
                snapshot.history.assessments,
                year=year,
                today=settings.today,
            )
            proposal = summary.proposal
            record_id = add_proposal(
                session,
                park_id=snapshot.park.id,
                policy_id=policy.id,
                cycle=cyc.id,
                year=year,
                rating=proposal.rating,
                score=proposal.score,
                proposed_on=settings.today,
                recorded_by=settings.actor,
            )
            audit.record(
                session,
                action="assess",
                park=park_code,
                by=settings.actor,
                detail=f"{policy.id} {cycle_period_name(cyc, year)} 建议 #{record_id}：{proposal.rating}（{proposal.score} 分）",
            )
            summary.saved, summary.proposal_id = True, record_id
    return summary
