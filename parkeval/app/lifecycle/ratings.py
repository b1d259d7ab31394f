"""Recording a park's assessment cycle: official ratings, the year's targets, the city
bureau's confirmation of a self-evaluation, and a completed rectification. Each checks the
request against the recorded history and writes in one transaction with its audit-log entry,
or writes nothing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from parkeval.app.lifecycle.common import read_history
from parkeval.app.lifecycle.status import park_status
from parkeval.app.settings import Settings
from parkeval.domain import lifecycle as lc
from parkeval.errors import ParkevalError
from parkeval.policy.model import Policy

if TYPE_CHECKING:
    from parkeval.store.database import Session
    from parkeval.store.lifecycle import AssessmentRow
    from parkeval.store.snapshot import ParkRow


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


@dataclass
class TargetResult:
    park: str
    year: int
    revenue_yuan: Decimal | None
    hr_institutions: int | None
    occupancy: Decimal | None  # a ratio: 0.655 for 65.5%
    goals: str | None
    filed_on: dt.date
    replaced: bool


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
    """Record an official rating; it always wins over a proposal for the same period."""
    from parkeval.store import audit
    from parkeval.store.database import session_scope
    from parkeval.store.lifecycle import record_rating

    policy = settings.registry.get(policy_id)
    cyc = policy.cycle(cycle)
    word = lc.normalise_rating(rating)
    date = date or settings.today
    by = by or settings.actor
    with session_scope(settings.database) as session:
        park_id, records = read_history(session, park_code)
        lc.check_rating(policy, cyc, records.certifications, records.assessments, year=year)
        proposed = record_rating(
            session,
            park_id=park_id,
            policy_id=policy.id,
            cycle=cyc.id,
            year=year,
            rating=word,
            rated_on=date,
            rated_by=by,
        )
        audit.record(
            session,
            action="rate",
            park=park_code,
            by=settings.actor,
            detail=f"{policy.id} {cyc.id} {year}：{word}（{date}，{by}）",
        )
    after = lc.derive_states(
        {policy.id: policy},
        records.certifications,
        [*records.assessments, lc.AssessmentRecord(policy.id, cyc.id, year, word, date, by)],
        dt.date.max,
    )
    warnings = [w for w in [lc.expiry_warning(policy, year)] if w]
    if not cyc.consequences:
        warnings.append(f"{cyc.name}（{cyc.article}）不产生考核后果：不合格不会导致整改或取消资格")
    mine = [s for s in after if s.certified_on.year <= year]
    state = mine[-1] if mine else None
    return RatingResult(
        park=park_code,
        policy=policy.id,
        cycle=cyc.id,
        cycle_name=cyc.name,
        period=lc.period_label(cyc, year),
        year=year,
        rating=word,
        date=date,
        by=by,
        proposed_rating=proposed,
        article=cyc.article,
        state=state.state if state else None,
        revoke_reason=state.revoke_reason if state and state.revoked_year == year else None,
        rectification_due=state.rectification_due if state else None,
        warnings=warnings,
    )


def file_target(
    settings: Settings,
    park_code: str,
    *,
    year: int,
    revenue_yuan: Decimal | None = None,
    hr_institutions: int | None = None,
    occupancy: Decimal | None = None,
    goals: str | None = None,
    filed_on: dt.date | None = None,
) -> TargetResult:
    """Record a year's development targets (年度发展目标; occupancy as a ratio, 0.655 for
    65.5%); filing again for the year replaces them."""
    from parkeval.store import audit
    from parkeval.store.database import session_scope
    from parkeval.store.lifecycle import file_target as store_target
    from parkeval.store.lifecycle import target_source

    goals = goals.strip() if goals and goals.strip() else None
    values = {
        "revenue_yuan": revenue_yuan,
        "hr_institutions": hr_institutions,
        "occupancy": occupancy,
        "goals": goals,
    }
    if all(v is None for v in values.values()):
        raise ParkevalError(
            "没有目标可记录", hint="至少给出 --revenue、--hr、--occupancy、--goals 中的一项"
        )
    filed_on = filed_on or settings.today
    with session_scope(settings.database) as session:
        from parkeval.store.snapshot import get_park

        park = get_park(session.connection(), code=park_code)
        source = target_source(session, park_id=park.id, year=year)
        if source == "dossier":
            raise ParkevalError(
                f"{park_code} 的 {year} 年度目标来自档案（{park.source_file}）",
                hint="请在档案的“年度目标”中修改后重新导入 (parkeval import)",
            )
        store_target(
            session,
            park_id=park.id,
            year=year,
            filed_on=filed_on,
            revenue_yuan=revenue_yuan,
            hr_institutions=hr_institutions,
            occupancy=occupancy,
            goals=goals,
        )
        shown = "，".join(f"{k}={v}" for k, v in values.items() if v is not None)
        replaced = source is not None
        audit.record(
            session,
            action="target",
            park=park_code,
            by=settings.actor,
            detail=f"{year} 年度目标{'（更新）' if replaced else ''}：{shown}（报备 {filed_on}）",
        )
    return TargetResult(
        park_code, year, revenue_yuan, hr_institutions, occupancy, goals, filed_on, replaced
    )


def _recorded_assessment(
    session: Session, park: ParkRow, policy: Policy, cycle_id: str, year: int, column: str
) -> AssessmentRow:
    """The stored assessment a confirmation or a rectification is recorded on. A row that
    came from a dossier is changed in the dossier: the next import would replace it and lose
    the change."""
    from parkeval.store.lifecycle import find_assessment

    cyc = policy.cycle(cycle_id)
    row = find_assessment(session, park_id=park.id, policy_id=policy.id, cycle=cyc.id, year=year)
    if row is None:
        raise ParkevalError(
            f"{park.code} 没有 {policy.id} {cyc.name} {lc.period_label(cyc, year)} 的记录",
            hint="先用 parkeval rate 记录正式等次，或用 parkeval assess --save 保存自评建议",
        )
    if row.source == "dossier":
        raise ParkevalError(
            f"{park.code} 的 {lc.period_label(cyc, year)} {cyc.name}记录来自档案（{park.source_file}）",
            hint=f"请在档案“考核评估”的“{column}”中填写后重新导入 (parkeval import)",
        )
    return row


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
    from parkeval.store.lifecycle import set_confirmation
    from parkeval.store.snapshot import get_park

    policy = settings.registry.get(policy_id)
    if not by.strip():
        raise ParkevalError("--by 不能为空：请写明审核确认的单位（如 某市人力资源和社会保障局）")
    on = on or settings.today
    cyc = policy.cycle(cycle)
    with session_scope(settings.database) as session:
        park = get_park(session.connection(), code=park_code)
        row = _recorded_assessment(session, park, policy, cycle, year, "审核确认单位/审核确认日期")
        if row.confirmed_on is not None:
            raise ParkevalError(
                f"该期已于 {row.confirmed_on} 由 {row.confirmed_by} 审核确认，未重复记录"
            )
        set_confirmation(
            session,
            park_id=park.id,
            policy_id=policy.id,
            cycle=cyc.id,
            year=year,
            by=by.strip(),
            on=on,
        )
        audit.record(
            session,
            action="confirm",
            park=park_code,
            by=settings.actor,
            detail=f"{policy.id} {cyc.id} {year} 审核确认（{by.strip()}，{on}）",
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
        row.rating,
        row.proposed_rating,
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
    from parkeval.store.lifecycle import set_rectified
    from parkeval.store.snapshot import get_park

    policy = settings.registry.get(policy_id)
    on = on or settings.today
    cyc = policy.cycle(cycle)
    with session_scope(settings.database) as session:
        park = get_park(session.connection(), code=park_code)
        row = _recorded_assessment(session, park, policy, cycle, year, "整改完成日期")
        if row.rating != "不合格":
            raise ParkevalError(
                f"{lc.period_label(cyc, year)} {cyc.name}的正式等次是 {row.rating or '（尚未评定）'}，"
                "只有不合格才需要整改"
            )
        if row.rectified_on is not None:
            raise ParkevalError(f"该期的整改已于 {row.rectified_on} 记录完成，未重复记录")
        if row.rated_on is not None and on < row.rated_on:
            raise ParkevalError(f"整改完成日期 {on} 早于评定日期 {row.rated_on}")
        set_rectified(session, park_id=park.id, policy_id=policy.id, cycle=cyc.id, year=year, on=on)
        audit.record(
            session,
            action="rectified",
            park=park_code,
            by=settings.actor,
            detail=f"{policy.id} {cyc.id} {year} 不合格整改完成（{on}）",
        )
    # the certification the rated year belongs to: the latest one recognised by then
    status = park_status(settings, park_code, as_of=on)
    mine = sorted(
        (
            c
            for c in status.certifications
            if c.policy == policy.id and c.certified_on <= dt.date(year, 12, 31)
        ),
        key=lambda c: c.certified_on,
    )
    return RectificationResult(
        park_code,
        policy.id,
        cyc.id,
        cyc.name,
        lc.period_label(cyc, year),
        year,
        on,
        mine[-1].state if mine else None,
    )
