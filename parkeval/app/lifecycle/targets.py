"""Filing a park's development targets for a year (年度发展目标, gx 第十三条: filed each first
quarter). Filing again supersedes the earlier filing; both are kept."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from parkeval.app.lifecycle.common import read_history
from parkeval.app.settings import Settings
from parkeval.domain import lifecycle as lc
from parkeval.domain.wording import target_words
from parkeval.errors import ParkevalError


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
    id: int  # the filing's record id


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
    65.5%); filing again for the year supersedes the earlier filing (both are kept)."""
    from parkeval.store import audit
    from parkeval.store.database import session_scope
    from parkeval.store.lifecycle import add_target

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
    lc.check_new_target(year, filed_on, settings.today)
    with session_scope(settings.database) as session:
        park, records = read_history(session, park_code)
        previous = records.target_for(year)
        if previous is not None and previous.source == "dossier":
            raise ParkevalError(
                f"{park_code} 的 {year} 年度目标来自档案（{park.source_file}）",
                hint="请在档案的“年度目标”中修改后重新导入 (parkeval import)",
            )
        record_id = add_target(
            session,
            park_id=park.id,
            year=year,
            filed_on=filed_on,
            revenue_yuan=revenue_yuan,
            hr_institutions=hr_institutions,
            occupancy=occupancy,
            goals=goals,
            recorded_by=settings.actor,
        )
        shown = target_words(revenue_yuan, hr_institutions, occupancy, goals)
        replaced = previous is not None
        audit.record(
            session,
            action="target",
            park=park_code,
            by=settings.actor,
            detail=f"{year} 年度目标 #{record_id}{f'（取代 #{previous.id}）' if previous else ''}：{shown}（报备 {filed_on}）",
        )
    return TargetResult(
        park_code,
        year,
        revenue_yuan,
        hr_institutions,
        occupancy,
        goals,
        filed_on,
        replaced,
        record_id,
    )
