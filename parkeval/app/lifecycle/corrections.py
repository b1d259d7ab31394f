"""Corrections without losing history: withdraw (void) a wrong record, and retire a park.

Nothing is deleted. A voided record stays in its table with a voiding beside it (why, by whom,
when); every reader leaves it out, ``status --include-voided`` and reports list it, and the
audit log has both the record and its voiding. An amended record is a void plus a new record.
A retired park keeps its data and history and leaves lists and ``--all``; voiding the
retirement brings it back.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from parkeval.app.lifecycle.common import read_history
from parkeval.app.settings import Settings
from parkeval.domain.calendar import check_not_after_today
from parkeval.domain.wording import KIND_NAMES
from parkeval.errors import NotFoundError, ParkevalError

# The hint for each kind: where its record ids are listed.
_WHERE_LISTED = "parkeval status 园区编码（--json 中的 id）列出各记录的编号"


@dataclass
class VoidResult:
    """A record withdrawn."""

    kind: str
    record_id: int
    park: str
    reason: str
    by: str
    id: int  # the voiding's own record id


@dataclass
class RetirementResult:
    """A park retired from lists and --all."""

    park: str
    retired_on: dt.date
    reason: str
    by: str
    id: int  # the retirement's record id (void it to bring the park back)


def _required(value: str | None, option: str, what: str) -> str:
    text = (value or "").strip()
    if not text:
        raise ParkevalError(f"{option} 不能为空：请写明{what}")
    return text


def _deciding_body(
    settings: Settings,
    given: str | None,
    recorded: str | None,
    policy_id: str | None,
    *,
    what: str,
) -> str:
    """Who decided a correction, as documents show it — never the operating-system account:
    ``--by`` (or the global ``--by``), else the body recorded on the record itself (who rated,
    confirmed, waived, retired), else the policy's rating body (本地设置 ``rating_body``, as
    ``rate`` without ``--by``); with none of these, ``--by`` is asked for."""
    for candidate in (given, settings.user, recorded):
        if candidate and candidate.strip():
            return candidate.strip()
    if policy_id is not None and policy_id in settings.registry.policies:
        body = settings.registry.get(policy_id).setting("rating_body")
        if body:
            return str(body)
    raise ParkevalError(
        f"请用 --by 写明{what}：该记录未记载单位，也没有可用的默认单位（政策本地设置 rating_body）",
        hint="例如：--by 南宁市人力资源和社会保障局",
    )


def void(
    settings: Settings, kind: str, record_id: int, *, reason: str, by: str | None = None
) -> VoidResult:
    """Withdraw record ``kind`` #``record_id``. Refused for an unknown kind or id, a record
    voided already, and a record that came from a dossier (changed in the dossier instead)."""
    from parkeval.store import audit
    from parkeval.store.database import session_scope
    from parkeval.store.lifecycle import KINDS, add_voiding, find_record
    from parkeval.store.snapshot import park_code_of

    if kind not in KINDS:
        known = "、".join(f"{k}（{KIND_NAMES[k]}）" for k in KINDS)
        raise ParkevalError(f"未知的记录类型 “{kind}”", hint=f"可撤销的记录类型：{known}")
    reason = _required(reason, "--reason", "撤销的理由")
    name = KIND_NAMES[kind]
    with session_scope(settings.database) as session:
        ref = find_record(session, kind=kind, record_id=record_id)
        if ref is None:
            raise NotFoundError(f"没有编号为 {record_id} 的{name}记录", hint=_WHERE_LISTED)
        park = park_code_of(session.connection(), park_id=ref.park_id)
        if ref.voided is not None:
            why, who, when = ref.voided
            raise ParkevalError(
                f"{name}记录 #{record_id}（园区 {park}）已于 {when.date()} 由 {who} 撤销（{why}），未重复撤销"
            )
        if ref.source == "dossier":
            raise ParkevalError(
                f"{name}记录 #{record_id} 来自园区 {park} 的档案，不能单独撤销",
                hint="请在档案中修改或删除该行后重新导入 (parkeval import)：导入会撤销档案中不再有的记录。",
            )
        by = _deciding_body(settings, by, ref.body, ref.policy_id, what="决定撤销的单位")
        voiding_id = add_voiding(
            session,
            kind=kind,
            record_id=record_id,
            park_id=ref.park_id,
            reason=reason,
            by=by,
            recorded_by=settings.actor,
        )
        audit.record(
            session,
            action="void",
            park=park,
            by=settings.actor,
            detail=f"撤销{name} #{record_id}（撤销记录 #{voiding_id}）：{reason}（{by}）",
        )
    return VoidResult(kind, record_id, park, reason, by, voiding_id)


def retire(
    settings: Settings,
    park_code: str,
    *,
    reason: str,
    by: str | None = None,
    on: dt.date | None = None,
) -> RetirementResult:
    """Retire a park: kept with its history, left out of lists and ``--all``."""
    from parkeval.store import audit
    from parkeval.store.database import session_scope
    from parkeval.store.lifecycle import add_retirement

    reason = _required(reason, "--reason", "停用的理由")
    on = check_not_after_today(on or settings.today, settings.today, "停用日期")
    by = _deciding_body(settings, by, None, None, what="决定停用的单位")
    with session_scope(settings.database) as session:
        park, records = read_history(session, park_code)
        if records.retirements:
            current = records.retirements[-1]
            raise ParkevalError(
                f"园区 {park_code} 已于 {current.retired_on} 停用（记录 #{current.id}），未重复记录",
                hint=f"如需恢复，撤销停用记录：parkeval void retirement {current.id} --reason …",
            )
        record_id = add_retirement(
            session,
            park_id=park.id,
            retired_on=on,
            reason=reason,
            by=by,
            recorded_by=settings.actor,
        )
        audit.record(
            session,
            action="retire",
            park=park_code,
            by=settings.actor,
            detail=f"停用 #{record_id}（{on}）：{reason}（{by}）",
        )
    return RetirementResult(park_code, on, reason, by, record_id)
