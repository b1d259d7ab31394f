"""What a certified park owes, and when: self-evaluations, periodic assessments, targets,
rectification deadlines, application deadlines and policy expiry. Pure, like the rest of
the life-cycle rules (:mod:`parkeval.domain.lifecycle`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from parkeval.domain.lifecycle.records import (
    ApplicationRecord,
    AssessmentRecord,
    CertificationState,
    DueItem,
    LifecycleRecords,
    TargetRecord,
    add_years,
)
from parkeval.domain.wording import cycle_period_name, format_date
from parkeval.policy.model import Cycle, Policy


def _mmdd(value: str, year: int) -> dt.date:
    month, day = (int(x) for x in value.split("-"))
    return dt.date(year, month, day)


def cycle_due(policy: Policy, cycle: Cycle) -> tuple[str, bool]:
    """MM-DD of the following year a calendar cycle's report is due, and whether it is local."""
    setting = policy.local_settings.get(f"{cycle.id}_due")
    if setting is not None:
        return str(setting.value), True
    return cycle.due or "03-31", cycle.due_local


def due_items(
    policy: Policy,
    state: CertificationState,
    assessments: Sequence[AssessmentRecord],
    targets: Sequence[TargetRecord],
    *,
    as_of: dt.date,
    within: int,
) -> list[DueItem]:
    """What this certification owes up to ``as_of + within`` days, overdue items included."""
    if state.state == "revoked":
        return []
    horizon = as_of + dt.timedelta(days=within)
    last_year = policy.effective_until.year if policy.effective_until else horizon.year
    items: list[DueItem] = []

    def add(what: str, due: dt.date, article: str) -> None:
        if due <= horizon:
            items.append(DueItem(what, policy.id, due, due < as_of, article))

    recorded = {(a.cycle, a.year) for a in assessments if a.policy_id == policy.id}
    start = state.certified_on
    for cycle in policy.cycles:
        if cycle.anchor == "calendar":
            mmdd, _local = cycle_due(policy, cycle)
            for year in range(start.year, min(last_year, horizon.year - 1) + 1):
                if (cycle.id, year) not in recorded:
                    add(
                        f"{cycle_period_name(cycle, year)}（自评报告）",
                        _mmdd(mmdd, year + 1),
                        cycle.article,
                    )
        else:
            k = 1
            while (
                anniv := add_years(start, k * cycle.every_years)
            ) <= horizon and anniv.year <= last_year:
                # The k-th period covers the k-th ``every_years`` calendar years from the year of
                # recognition (checks.check_period): it ends the year before the anniversary.
                if (cycle.id, anniv.year - 1) not in recorded:
                    add(f"{cycle.name}（认定满 {k * cycle.every_years} 年）", anniv, cycle.article)
                k += 1
    targets_due = policy.local_settings.get("targets_due")
    if targets_due is not None:
        have = {t.year for t in targets}
        for year in range(start.year, min(last_year, horizon.year) + 1):
            due = _mmdd(str(targets_due.value), year)
            if due >= start and year not in have:
                add(
                    f"{year}年度发展目标报备",
                    due,
                    policy.cycles[0].article if policy.cycles else "",
                )
    if state.rectification_due is not None:
        add(
            f"整改期限（{state.rectification_period} 不合格）",
            state.rectification_due,
            state.rectification_article or "",
        )
    return sorted(items, key=lambda i: (i.due_date, i.what))


def application_due(
    policy: Policy, application: ApplicationRecord, *, as_of: dt.date, within: int
) -> list[DueItem]:
    """gx 第六条: evaluation within 45 days of receipt, then a 7-day publicity period."""
    horizon = as_of + dt.timedelta(days=within)
    items = []
    evaluation = policy.procedure.get("evaluation_days")
    publicity = policy.procedure.get("publicity_days")
    if evaluation is not None:
        deadline = application.received_on + dt.timedelta(days=evaluation.value)
        if deadline <= horizon:
            items.append(
                DueItem(
                    f"申报评估期限（收到申请后 {evaluation.value} 日内）",
                    policy.id,
                    deadline,
                    deadline < as_of,
                    evaluation.article or "本地设置",
                )
            )
        if publicity is not None:
            end = deadline + dt.timedelta(days=publicity.value)
            if end <= horizon:
                items.append(
                    DueItem(
                        f"公示期（{publicity.value} 日）最迟届满",
                        policy.id,
                        end,
                        end < as_of,
                        publicity.article or "本地设置",
                    )
                )
    return items


def policy_expiry_due(policy: Policy, *, as_of: dt.date, within: int) -> DueItem | None:
    """A due item when the policy expires (or has expired) within the horizon."""
    if policy.effective_until is None or policy.effective_until > as_of + dt.timedelta(days=within):
        return None
    verb = "已失效" if policy.effective_until < as_of else "即将失效"
    return DueItem(
        f"政策{verb}：《{policy.title}》有效期至 {format_date(policy.effective_until)}",
        policy.id,
        policy.effective_until,
        policy.effective_until < as_of,
        "政策有效期",
    )


@dataclass
class ApplicationWindows:
    """The evaluation deadline and the publicity window of an application (gx 第六条)."""

    evaluation_deadline: dt.date | None = None
    publicity_from: dt.date | None = None
    publicity_until: dt.date | None = None
    evaluation_local: bool | None = None
    evaluation_article: str | None = None
    publicity_days: int | None = None
    publicity_local: bool | None = None
    publicity_article: str | None = None


def application_windows(policy: Policy, received_on: dt.date) -> ApplicationWindows:
    """The evaluation deadline and the publicity window for an application received on a date."""
    out = ApplicationWindows()
    evaluation = policy.procedure.get("evaluation_days")
    publicity = policy.procedure.get("publicity_days")
    if evaluation is not None:
        out.evaluation_deadline = received_on + dt.timedelta(days=evaluation.value)
        out.evaluation_local = evaluation.local
        out.evaluation_article = evaluation.article
        if publicity is not None:
            # 公示 follows the evaluation; at the latest it starts the day after the deadline.
            out.publicity_days = publicity.value
            out.publicity_from = out.evaluation_deadline + dt.timedelta(days=1)
            out.publicity_until = out.evaluation_deadline + dt.timedelta(days=publicity.value)
            out.publicity_local = publicity.local
            out.publicity_article = publicity.article
    return out


def park_due_items(
    policies: Mapping[str, Policy],
    states: Sequence[CertificationState],
    records: LifecycleRecords,
    *,
    as_of: dt.date,
    within: int,
) -> list[DueItem]:
    """Everything a park owes up to ``as_of + within`` days across its titles and applications:
    each title's reports and deadlines, the expiry of a policy it holds a title under, and the
    deadlines of applications not yet granted."""
    items: list[DueItem] = []
    for st in states:
        items.extend(
            due_items(
                policies[st.policy],
                st,
                records.assessments,
                records.targets,
                as_of=as_of,
                within=within,
            )
        )
    for policy_id in sorted({st.policy for st in states if st.state != "revoked"}):
        expiry = policy_expiry_due(policies[policy_id], as_of=as_of, within=within)
        if expiry:
            items.append(expiry)
    for app in records.applications:
        granted = any(
            c.policy_id == app.policy_id and c.certified_on >= app.received_on
            for c in records.certifications
        )
        if not granted and app.policy_id in policies:
            items.extend(application_due(policies[app.policy_id], app, as_of=as_of, within=within))
    return sorted(items, key=lambda i: (i.due_date, i.policy, i.what))
