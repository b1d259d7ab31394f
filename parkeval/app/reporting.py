"""What one park's report is computed from, gathered in one place — so ``report`` and
``verify`` compute the same thing, and a report reads its park once.

One snapshot (:func:`parkeval.store.snapshot.load_snapshots`) carries the sums on the report's
day for every year the park has revenue for, its waivers, its recorded life and its roster;
the certification, the status, the charts' figures and (for an assessment report ending on
31 December) the assessment are all computed from it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from parkeval.app.assess import AssessmentSummary, assessment_summary, assessment_years, summarize
from parkeval.app.certify import evaluate_snapshot
from parkeval.app.lifecycle import ParkStatus, status_from_records
from parkeval.app.parks import ParkDetail, park_detail
from parkeval.app.settings import Settings
from parkeval.domain.eligibility import default_period
from parkeval.domain.facts import ParkFacts
from parkeval.domain.results import CertificationResult
from parkeval.errors import ParkevalError
from parkeval.policy.model import Policy


@dataclass
class ReportData:
    """Everything one report is computed from."""

    result: CertificationResult
    policy: Policy
    detail: ParkDetail  # what is stored about the park (its roster); reports hash it
    facts: ParkFacts  # sites and the sums for the report's day and every revenue year
    status: ParkStatus  # as of the report's day
    assessment: AssessmentSummary | None  # for an assessment report


def rated_cycle(policy: Policy) -> str | None:
    """The cycle a bureau rates with consequences: gx annual, bt biennial."""
    return next((c.id for c in policy.cycles if c.rated and c.consequences), None)


def gather(
    settings: Settings,
    *,
    park: str,
    policy_id: str,
    kind: str,
    year: int | None,
    as_of: dt.date | None,
) -> ReportData:
    """Load the park once and compute what its report shows."""
    from parkeval.store.database import reading
    from parkeval.store.snapshot import load_snapshot

    policy = settings.registry.get(policy_id)
    year, as_of = default_period(year=year, as_of=as_of, today=settings.today)
    with reading(settings.database) as connection:
        snapshot = load_snapshot(
            connection,
            code=park,
            as_of=as_of,
            years=assessment_years(policy, year),
            policy_id=policy.id,
            history=True,
            roster=True,
            every_revenue_year=True,
        )
    assert snapshot.history is not None
    result = evaluate_snapshot(settings, policy, snapshot, year=year, as_of=as_of)
    status = status_from_records(settings, park, snapshot.history, as_of=as_of)
    assessment = None
    if kind == "assessment":
        cycle = rated_cycle(policy)
        if cycle is None:
            raise ParkevalError(
                f"政策 {policy.id} 没有产生考核后果的考核周期，无法生成考核评估报告"
            )
        if as_of == dt.date(year, 12, 31):  # the assessment's own day: the same snapshot serves
            assessment = summarize(settings, snapshot, policy, cycle, year)
        else:
            assessment = assessment_summary(settings, park, policy.id, cycle, year)
    return ReportData(result, policy, park_detail(snapshot), snapshot.facts, status, assessment)
