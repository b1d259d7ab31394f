"""Recording a park's assessment cycle: official ratings, the city
bureau's confirmation of a self-evaluation, and a completed rectification. Each checks the
request against the calendar and the recorded history of that one title, and writes in one
transaction with its audit-log entry, or writes nothing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from parkeval.app.lifecycle.common import period_record, read_history, title_records
from parkeval.app.settings import Settings
from parkeval.domain import lifecycle as lc
from parkeval.domain.calendar import check_not_after_today, check_year_ended
from parkeval.domain.wording import cycle_period_name
from parkeval.errors import ParkevalError
from parkeval.policy.model import Cycle, Policy


@dataclass
class RatingResult:
    park: str
    policy: str
    cycle: str
    cycle_name: str
    period: str
    year: int
    rating: str
    date: dt.date
    by: str
    proposed_rating: str | None
    article: str
    state: str | None  # the title's state after this rating
    revoke_reason: str | None  # when this rating revoked the title
    rectification_due: dt.date | None
    warnings: list[str]
    id: int  # the rating's record id


@dataclass
class ConfirmationResult:
    park: str
    policy: str
    cycle: str
    cycle_name: str
    period: str
    year: int
    confirmed_by: str
    confirmed_on: dt.date
    rating: str | None
    proposed_rating: str | None
    id: int  # the confirmation's record id


@dataclass
class RectificationResult:
    park: str
    policy: str
    cycle: str
    cycle_name: str
    period: str
    year: int
    rectified_on: dt.date
    state: str | None  # the state of the title the rated year belongs to, after this record
    id: int  # the rectification's record id


def _state_after(
    policy: Policy, records: lc.LifecycleRecords, year: int, as_of: dt.date
) -> lc.CertificationState | None:
    """The state, as of ``as_of``, of the title under ``policy`` the year ``year`` belongs to."""
    mine = title_records(records, policy.id)
    states = lc.derive_states({policy.id: policy}, mine.certifications, mine.assessments, as_of)
    owned = [s for s in states if s.certified_on.year <= year]
    return owned[-1] if owned else None


def rate(
    settings: Settings,
    park_code: str,
    *,
    policy_id: str,
    cycle: str,
    year: int,
    rating: str,
    date: dt.date | None = None,
    by: str | None = None,
) -> RatingResult:
    """Record an official rating; it always wins over a proposal for the same period. Refused
    for a year that has not ended, a date after today or before the period ended, a period
    before the title was granted, a period rated already, and a period after revocation."""
    from parkeval.store import audit
    from parkeval.store.database import session_scope
    from parkeval.store.lifecycle import add_rating

    policy = settings.registry.get(policy_id)
    cyc = policy.cycle(cycle)
    word = lc.normalise_rating(rating)
    date = date or settings.today
    # The body that rated (自治区人力资源社会保障厅), never the operating-system account.
    by = by or policy.setting("rating_body")
    if not by:
        raise ParkevalError(
            f"请用 --by 写明评定单位：政策 {policy.id} 没有本地设置 rating_body（默认评定单位）",
            hint="例如：--by 自治区人力资源社会保障厅",
        )
    label = lc.period_label(cyc, year)
    check_year_ended(year, settings.today, f"记录 {label} 的{cyc.name}等次")
    check_not_after_today(date, settings.today, "评定日期")
    with session_scope(settings.database) as session:
        park, records = read_history(session, park_code)
        lc.check_new_rating(
            policy,
            cyc,
            records.certifications,
            records.assessments,
            year=year,
            rating=word,
            rated_on=date,
            today=settings.today,
        )
        record_id = add_rating(
            session,
            park_id=park.id,
            policy_id=policy.id,
            cycle=cyc.id,
            year=year,
            rating=word,
            rated_on=date,
            rated_by=by,
            recorded_by=settings.actor,
        )
        audit.record(
            session,
            action="rate",
            park=park_code,
            by=settings.actor,
            detail=f"{policy.id} {cycle_period_name(cyc, year)} 等次 #{record_id}：{word}（{date}，{by}）",
        )
    before = period_record(records, policy.id, cyc.id, year)
    rated = replace(
        before or lc.AssessmentRecord(policy.id, cyc.id, year),
        rating=word,
        rated_on=date,
        rated_by=by,
        rating_id=record_id,
    )
    records.assessments = [a for a in records.assessments if a is not before] + [rated]
    state = _state_after(policy, records, year, dt.date.max)
    warnings = [w for w in [lc.expiry_warning(policy, year)] if w]
    if not cyc.consequences:
        warnings.append(f"{cyc.name}（{cyc.article}）不产生考核后果：不合格不会导致整改或取消资格")
    return RatingResult(
        park=park_code,
        policy=policy.id,
        cycle=cyc.id,
        cycle_name=cyc.name,
        period=label,
        year=year,
        rating=word,
        date=date,
        by=by,
        proposed_rating=before.proposed_rating if before else None,
        article=cyc.article,
        state=state.state if state else None,
        revoke_reason=state.revoke_reason if state and state.revoked_year == year else None,
        rectification_due=state.rectification_due if state else None,
        warnings=warnings,
        id=record_id,
    )


def _period_on_record(
    park: str,
    source_file: str | None,
    records: lc.LifecycleRecords,
    policy: Policy,
    cyc: Cycle,
    year: int,
    column: str,
) -> lc.AssessmentRecord:
    """The period a confirmation or a rectification is recorded on. A period that came from a
    dossier is changed in the dossier: the next import would replace it and lose the change."""
    label = lc.period_label(cyc, year)
    record = period_record(records, policy.id, cyc.id, year)
    if record is None or (record.rating is None and record.proposed_rating is None):
        raise ParkevalError(
            f"{park} 没有 {policy.id} {cyc.name} {label} 的记录",
            hint="先用 parkeval rate 记录正式等次，或用 parkeval assess --save 保存自评建议",
        )
    if record.from_dossier:
        raise ParkevalError(
            f"{park} 的 {label} {cyc.name}记录来自档案（{source_file}）",
            hint=f"请在档案“考核评估”的“{column}”中填写后重新导入 (parkeval import)",
        )
    return record


def confirm(
    settings: Settings,
    park_code: str,
    *,
    policy_id: str,
    cycle: str,
    year: int,
    by: str,
    on: dt.date | None = None,
) -> ConfirmationResult:
    """Record the city bureau's review and confirmation (审核确认) of a self-evaluation."""
    from parkeval.store import audit
    from parkeval.store.database import session_scope
    from parkeval.store.lifecycle import add_confirmation

    policy = settings.registry.get(policy_id)
    if not by.strip():
        raise ParkevalError("--by 不能为空：请写明审核确认的单位（如 某市人力资源和社会保障局）")
    cyc = policy.cycle(cycle)
    on = check_not_after_today(on or settings.today, settings.today, "审核确认日期")
    check_year_ended(year, settings.today, f"审核确认 {lc.period_label(cyc, year)} 的{cyc.name}")
    with session_scope(settings.database) as session:
        park, records = read_history(session, park_code)
        record = _period_on_record(
            park_code, park.source_file, records, policy, cyc, year, "审核确认单位/审核确认日期"
        )
        lc.check_new_confirmation(cyc, record, on=on, today=settings.today)
        if record.confirmed_on is not None or record.confirmed_by is not None:
            raise ParkevalError(
                f"该期已于 {record.confirmed_on} 由 {record.confirmed_by} 审核确认（记录 #{record.confirmation_id}），"
                "未重复记录",
                hint=f"如需更正，先撤销原记录：parkeval void confirmation {record.confirmation_id} --reason …",
            )
        record_id = add_confirmation(
            session,
            park_id=park.id,
            policy_id=policy.id,
            cycle=cyc.id,
            year=year,
            by=by.strip(),
            on=on,
            recorded_by=settings.actor,
        )
        audit.record(
            session,
            action="confirm",
            park=park_code,
            by=settings.actor,
            detail=f"{policy.id} {cycle_period_name(cyc, year)} 审核确认 #{record_id}（{by.strip()}，{on}）",
        )
    return ConfirmationResult(
        park_code,
        policy.id,
        cyc.id,
        cyc.name,
        lc.period_label(cyc, year),
        year,
        by.strip(),
        on,
        record.rating,
        record.proposed_rating,
        record_id,
    )


def rectified(
    settings: Settings,
    park_code: str,
    *,
    policy_id: str,
    cycle: str,
    year: int,
    on: dt.date | None = None,
) -> RectificationResult:
    """Record that the rectification after a 不合格 rating was completed; the certification is
    then no longer ``rectifying``."""
    from parkeval.store import audit
    from parkeval.store.database import session_scope
    from parkeval.store.lifecycle import add_rectification

    policy = settings.registry.get(policy_id)
    cyc = policy.cycle(cycle)
    on = check_not_after_today(on or settings.today, settings.today, "整改完成日期")
    with session_scope(settings.database) as session:
        park, records = read_history(session, park_code)
        record = _period_on_record(
            park_code, park.source_file, records, policy, cyc, year, "整改完成日期"
        )
        if record.rectified_on is not None:
            raise ParkevalError(
                f"该期的整改已于 {record.rectified_on} 记录完成（记录 #{record.rectification_id}），未重复记录",
                hint=f"如需更正，先撤销原记录：parkeval void rectification {record.rectification_id} --reason …",
            )
        lc.check_new_rectification(cyc, record, on=on, today=settings.today)
        record_id = add_rectification(
            session,
            park_id=park.id,
            policy_id=policy.id,
            cycle=cyc.id,
            year=year,
            on=on,
            recorded_by=settings.actor,
        )
        audit.record(
            session,
            action="rectified",
            park=park_code,
            by=settings.actor,
            detail=f"{policy.id} {cycle_period_name(cyc, year)} 不合格整改完成 #{record_id}（{on}）",
        )
    records.assessments = [
        replace(a, rectified_on=on, rectification_id=record_id) if a is record else a
        for a in records.assessments
    ]
    state = _state_after(policy, records, year, on)
    return RectificationResult(
        park_code,
        policy.id,
        cyc.id,
        cyc.name,
        lc.period_label(cyc, year),
        year,
        on,
        state.state if state else None,
        record_id,
    )
