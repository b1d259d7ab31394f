"""Recording a park's recognition: its application, the recognition (认定/授牌) and the
justifications (waivers) for unmet in-principle rules. Each checks the request against the
calendar, the policy's jurisdiction and validity and the recorded history, and writes in one
transaction with its audit-log entry, or writes nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from parkeval.app.lifecycle.common import read_history
from parkeval.app.settings import Settings
from parkeval.domain import lifecycle as lc
from parkeval.domain.calendar import check_not_after_today
from parkeval.errors import ParkevalError


@dataclass
class MaterialCheck:
    id: str
    name: str
    submitted: bool


@dataclass
class ApplicationResult:
    """A recorded application with its materials checklist and deadlines (gx 第六条)."""

    park: str
    policy: str
    received_on: dt.date
    materials_article: str | None
    materials: list[MaterialCheck]
    missing: list[str]  # names of the materials not submitted
    evaluation_deadline: dt.date | None
    publicity_from: dt.date | None
    publicity_until: dt.date | None
    evaluation_local: bool | None
    evaluation_article: str | None
    publicity_days: int | None
    publicity_local: bool | None
    publicity_article: str | None
    id: int  # the application's record id


@dataclass
class GrantResult:
    park: str
    policy: str
    certified_on: dt.date
    doc_no: str | None
    level: str
    article: str
    warnings: list[str]
    id: int  # the grant's record id
    override_reason: str | None  # why it was recorded outside jurisdiction or validity


@dataclass
class WaiverResult:
    park: str
    policy: str
    criterion: str
    article: str
    title: str
    reason: str
    by: str
    until: dt.date | None
    id: int  # the waiver's record id


def apply(
    settings: Settings,
    park_code: str,
    *,
    policy_id: str,
    received: dt.date,
    materials: Sequence[str] = (),
) -> ApplicationResult:
    """Record an application (申报) and return its materials checklist and deadlines."""
    from parkeval.store import audit
    from parkeval.store.database import session_scope
    from parkeval.store.lifecycle import add_application

    policy = settings.registry.get(policy_id)
    check_not_after_today(received, settings.today, "收到申请的日期")
    checklist = policy.materials.items if policy.materials else []
    known = {m.id: m for m in checklist}
    by_name = {m.name: m.id for m in checklist}
    submitted: list[str] = []
    for item in materials:
        for part in (p.strip() for p in item.split(",")):
            if not part:
                continue
            mid = part if part in known else by_name.get(part)
            if mid is None:
                options = (
                    "；".join(f"{m.id}（{m.name}）" for m in checklist)
                    or "（该政策未列出申报材料）"
                )
                raise ParkevalError(
                    f"政策 {policy.id} 的申报材料中没有 “{part}”", hint=f"可用的材料：{options}"
                )
            if mid not in submitted:
                submitted.append(mid)
    with session_scope(settings.database) as session:
        park, records = read_history(session, park_code)
        lc.check_new_application(
            policy,
            park.province,
            park.city,
            records.applications,
            received_on=received,
            today=settings.today,
        )
        record_id = add_application(
            session,
            park_id=park.id,
            policy_id=policy.id,
            received_on=received,
            materials=submitted,
            recorded_by=settings.actor,
        )
        audit.record(
            session,
            action="apply",
            park=park_code,
            by=settings.actor,
            detail=f"{policy.id} 申请 #{record_id}，收到 {received}，材料 {'、'.join(known[m].name for m in submitted) or '—'}",
        )
    w = lc.application_windows(policy, received)
    return ApplicationResult(
        park=park_code,
        policy=policy.id,
        received_on=received,
        materials_article=policy.materials.article if policy.materials else None,
        materials=[MaterialCheck(m.id, m.name, m.id in submitted) for m in checklist],
        missing=[m.name for m in checklist if m.id not in submitted],
        evaluation_deadline=w.evaluation_deadline,
        publicity_from=w.publicity_from,
        publicity_until=w.publicity_until,
        evaluation_local=w.evaluation_local,
        evaluation_article=w.evaluation_article,
        publicity_days=w.publicity_days,
        publicity_local=w.publicity_local,
        publicity_article=w.publicity_article,
        id=record_id,
    )


def grant(
    settings: Settings,
    park_code: str,
    *,
    policy_id: str,
    on: dt.date,
    doc_no: str | None = None,
    level: str | None = None,
    outside_jurisdiction: str | None = None,
    outside_validity: str | None = None,
) -> GrantResult:
    """Record a recognition (认定/授牌). Refused for a date after today, for a park outside the
    policy's jurisdiction or a date outside its validity (unless a reason is given to do so
    deliberately), while a title under the policy is in force, or while a lockout runs."""
    from parkeval.store import audit
    from parkeval.store.database import session_scope
    from parkeval.store.lifecycle import add_certification

    policy = settings.registry.get(policy_id)
    check_not_after_today(on, settings.today, "认定日期")
    with session_scope(settings.database) as session:
        park, records = read_history(session, park_code)
        override = lc.check_new_grant(
            policy,
            park.province,
            park.city,
            records.certifications,
            records.assessments,
            on=on,
            today=settings.today,
            outside_jurisdiction=outside_jurisdiction,
            outside_validity=outside_validity,
        )
        record_id = add_certification(
            session,
            park_id=park.id,
            policy_id=policy.id,
            certified_on=on,
            doc_no=doc_no,
            level=level or policy.level_name,
            recorded_by=settings.actor,
            override_reason=override,
        )
        audit.record(
            session,
            action="grant",
            park=park_code,
            by=settings.actor,
            detail=f"{policy.id} 认定 #{record_id} {on}"
            + (f"（{doc_no}）" if doc_no else "")
            + (f"；{override}" if override else ""),
        )
    return GrantResult(
        park_code,
        policy.id,
        on,
        doc_no,
        level or policy.level_name,
        lc.recognition_article(policy),
        [override] if override else [],
        record_id,
        override,
    )


def waive(
    settings: Settings,
    park_code: str,
    *,
    policy_id: str,
    criterion: str,
    reason: str,
    by: str,
    until: dt.date | None = None,
) -> WaiverResult:
    """Record a justification for an unmet in-principle (原则) criterion."""
    from parkeval.store import audit
    from parkeval.store.database import session_scope
    from parkeval.store.lifecycle import add_waiver

    policy = settings.registry.get(policy_id)
    c = policy.criterion(criterion)
    if c.strictness != "in_principle":
        principled = (
            ", ".join(x.id for x in policy.criteria if x.strictness == "in_principle") or "（无）"
        )
        raise ParkevalError(
            f"条件 {c.id}（{c.article} {c.title}）是必备条件，不能以说明理由代替",
            hint=f"只有“原则（上）”要求可以记录说明；{policy.id} 中这样的条件有：{principled}",
        )
    if not reason.strip():
        raise ParkevalError("--reason 不能为空：请写明未满足该条件的理由")
    if not by.strip():
        raise ParkevalError("--by 不能为空：请写明作出说明的单位或人员")
    with session_scope(settings.database) as session:
        park, _records = read_history(session, park_code)
        record_id = add_waiver(
            session,
            park_id=park.id,
            policy_id=policy.id,
            criterion_id=c.id,
            reason=reason.strip(),
            by=by.strip(),
            until=until,
        )
        audit.record(
            session,
            action="waive",
            park=park_code,
            by=settings.actor,
            detail=f"{policy.id} {c.id} 说明 #{record_id}：{reason.strip()}（{by.strip()}）"
            + (f"，至 {until}" if until else ""),
        )
    return WaiverResult(
        park_code, policy.id, c.id, c.article, c.title, reason.strip(), by.strip(), until, record_id
    )
