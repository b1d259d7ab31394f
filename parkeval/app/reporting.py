"""What one park's report is computed from, gathered in one place — so ``report`` and
``verify`` compute the same thing, and a report reads its park once.

One snapshot (:func:`parkeval.store.snapshot.load_snapshots`) carries the sums on the report's
day for every year the park has revenue for, its waivers, its recorded life and its roster;
the certification, the status, the charts' figures and (for an assessment report ending on
31 December) the assessment are all computed from it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from parkeval.app.assess import AssessmentSummary, assessment_summary, assessment_years, summarize
from parkeval.app.certify import evaluate_snapshot
from parkeval.app.lifecycle import ParkStatus, add_goals, status_from_records
from parkeval.app.parks import ParkDetail, park_detail
from parkeval.app.settings import Settings
from parkeval.domain.calendar import certification_period, check_not_after_today
from parkeval.domain.facts import ParkFacts
from parkeval.domain.goals import GoalResult
from parkeval.domain.results import CertificationResult
from parkeval.domain.whatif import DepartureRisk, departure_risks
from parkeval.errors import ParkevalError
from parkeval.policy.model import Policy


@dataclass
class ReportData:
    """Everything one report is computed from."""

    result: CertificationResult
    policy: Policy
    detail: ParkDetail  # what is stored about the park (its roster); reports hash it
    facts: ParkFacts  # sites and the sums for the report's day and every revenue year
    status: ParkStatus  # as of the report's date, with the voided records
    assessment: AssessmentSummary | None  # for an assessment report
    report_date: dt.date  # the date the report speaks as of (its 落款日期)
    # with risks=True: the tenants whose departure alone would break a threshold (风险提示)
    risks: list[DepartureRisk] | None = None
    # the development goals that apply to the park on the report's 统计日 (发展目标)
    goals: list[GoalResult] = field(default_factory=list)


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
    report_date: dt.date | None = None,
    risks: bool = False,
) -> ReportData:
    """Load the park once and compute what its report shows: the figures for ``year`` and
    ``as_of``, the titles' state and history as of ``report_date`` (default today), and with
    ``risks`` the tenants whose departure alone would break a threshold."""
    from parkeval.app.goals import evaluate_for_parks
    from parkeval.store.database import reading
    from parkeval.store.snapshot import load_snapshot

    policy = settings.registry.get(policy_id)
    year, as_of = certification_period(year, as_of, today=settings.today)
    report_date = check_not_after_today(report_date or settings.today, settings.today, "报告日期")
    if report_date < as_of:
        raise ParkevalError(
            f"报告日期 {report_date} 早于统计日 {as_of}：报告只能在统计日当天或之后出具",
            hint="请用 --date 给出统计日之后的报告日期，或调整 --as-of。",
        )
    with reading(settings.reader) as connection:
        snapshot = load_snapshot(
            connection,
            code=park,
            as_of=as_of,
            years=assessment_years(policy, year, as_of),
            policy_id=policy.id,
            history=True,
            roster=True,
            every_revenue_year=True,
        )
        goals = evaluate_for_parks(connection, settings.goals, [park], as_of=as_of)[0][park]
        # the status as ``status`` shows it on the report's date (its goals on that day)
        status_goals = (
            goals
            if report_date == as_of
            else evaluate_for_parks(connection, settings.goals, [park], as_of=report_date)[0][park]
        )
    assert snapshot.history is not None
    # judged as known on the report's date, never today: verify recomputes it from the payload
    result = evaluate_snapshot(
        settings, policy, snapshot, year=year, as_of=as_of, known_on=report_date
    )
    status = add_goals(
        status_from_records(
            settings, park, snapshot.history, as_of=report_date, include_voided=True
        ),
        status_goals,
    )
    assessment = None
    if kind == "assessment":
        cycle = rated_cycle(policy)
        if cycle is None:
            raise ParkevalError(
                f"政策 {policy.id} 没有产生考核后果的考核周期，无法生成考核评估报告"
            )
        if as_of == dt.date(year, 12, 31):  # the assessment's own day: the same snapshot serves
            assessment = summarize(settings, snapshot, policy, cycle, year, known_on=report_date)
        else:
            assessment = assessment_summary(
                settings, park, policy.id, cycle, year, known_on=report_date
            )
    departures = None
    if risks:
        departures = departure_risks(
            policy, snapshot.facts, year=year, as_of=as_of, waivers=snapshot.waivers
        )
    return ReportData(
        result,
        policy,
        park_detail(snapshot),
        snapshot.facts,
        status,
        assessment,
        report_date,
        departures,
        goals,
    )
