"""What a new record of a park's life must pass — the calendar, the policy's scope and the
recorded history — in one place: the commands (grant, rate, assess --save, confirm, rectified,
target) call the ``check_new_*`` functions, and a dossier import replays its history rows through
the same functions (:func:`check_new_records`). An error they raise names the record's field
(``record_field``), so the import can name the row and the column."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, TypeVar

from parkeval.domain.calendar import (
    check_not_after_today,
    check_rated_after_period,
    check_year_ended,
)
from parkeval.domain.lifecycle.checks import check_grant, check_grant_scope, check_rating
from parkeval.domain.lifecycle.records import (
    ApplicationRecord,
    AssessmentRecord,
    CertificationRecord,
    LifecycleRecords,
    TargetRecord,
    period_label,
)
from parkeval.errors import ConflictError, ParkevalError
from parkeval.policy.model import Cycle, Policy

T = TypeVar("T")


def _at(record_field: str, check: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run a check; an error it raises is marked with the record field it is about."""
    try:
        return check(*args, **kwargs)
    except ParkevalError as exc:
        exc.record_field = record_field
        raise


def check_new_grant(
    policy: Policy,
    province: str | None,
    city: str | None,
    certs: Sequence[CertificationRecord],
    assessments: Iterable[AssessmentRecord],
    *,
    on: dt.date,
    today: dt.date,
    outside_jurisdiction: str | None = None,
    outside_validity: str | None = None,
) -> str | None:
    """Everything a recognition must pass: not after today, no title in force or lockout (no
    reason overrides those), then the policy's jurisdiction and validity (a reason may);
    returns the reasons given for recording it outside them, or None."""
    _at("certified_on", check_not_after_today, on, today, "认定日期")
    _at("certified_on", check_grant, policy, certs, assessments, on)
    return _at(
        "policy",
        check_grant_scope,
        policy,
        province,
        city,
        on,
        outside_jurisdiction=outside_jurisdiction,
        outside_validity=outside_validity,
    )


def check_new_rating(
    policy: Policy,
    cycle: Cycle,
    certs: Sequence[CertificationRecord],
    assessments: Sequence[AssessmentRecord],
    *,
    year: int,
    rating: str,
    rated_on: dt.date,
    today: dt.date,
) -> None:
    """Everything an official rating must pass: its period ended, dated after the period and
    not after today, and the recorded history (:func:`check_rating`)."""
    label = period_label(cycle, year)
    _at("year", check_year_ended, year, today, f"记录 {label} 的{cycle.name}等次")
    _at("rated_on", check_not_after_today, rated_on, today, "评定日期")
    _at("rated_on", check_rated_after_period, year, rated_on, label)
    _at(
        "year",
        check_rating,
        policy,
        cycle,
        certs,
        assessments,
        year=year,
        rating=rating,
        rated_on=rated_on,
    )


def check_new_proposal(
    policy: Policy,
    cycle: Cycle,
    certs: Sequence[CertificationRecord],
    assessments: Sequence[AssessmentRecord],
    *,
    year: int,
    today: dt.date,
) -> None:
    """What a saved proposal (建议等次) must pass: its period ended, and the recorded history."""
    label = period_label(cycle, year)
    _at("year", check_year_ended, year, today, f"评估 {label} 的{cycle.name}")
    _at("year", check_rating, policy, cycle, certs, assessments, year=year, official=False)


def check_new_confirmation(
    cycle: Cycle, record: AssessmentRecord, *, on: dt.date, today: dt.date
) -> None:
    """What a confirmation (审核确认) of a period's rating or proposal must pass: the period
    ended, its date not after today, and — when it confirms an official rating (no saved
    proposal) — not before that rating was given. A saved proposal (the self-evaluation) is
    confirmed before the region rates it (gx 第十三条), so a rating then bounds nothing."""
    label = period_label(cycle, record.year)
    _at("confirmed_on", check_not_after_today, on, today, "审核确认日期")
    _at("year", check_year_ended, record.year, today, f"审核确认 {label} 的{cycle.name}")
    confirms_rating = record.proposed_rating is None and record.proposed_score is None
    if confirms_rating and record.rated_on is not None and on < record.rated_on:
        raise _marked(
            "confirmed_on",
            ConflictError(
                f"审核确认日期 {on} 早于所确认的正式等次的评定日期 {record.rated_on}："
                "不能确认尚未作出的等次",
                hint="请核对 --on（审核确认日期）",
            ),
        )


def check_new_application(
    policy: Policy,
    province: str | None,
    city: str | None,
    applications: Iterable[ApplicationRecord],
    *,
    received_on: dt.date,
    today: dt.date,
) -> None:
    """What an application (申报) must pass: received not after today, from a park in the
    policy's jurisdiction (an application is made to the bureau that covers the park; a title
    outside it is recorded with ``grant --outside-jurisdiction``), and not recorded already."""
    _at("received_on", check_not_after_today, received_on, today, "收到申请的日期")
    covered = policy.jurisdiction.covers(province, city)
    if covered is not True:
        where = (province or "") + (city or "") or "（档案未填写所在地）"
        problem = (
            f"园区位于{where}，不在《{policy.title}》的适用范围（{policy.jurisdiction.display}）内"
            if covered is False
            else f"园区档案未填写所在省份或城市，无法确认是否在《{policy.title}》的适用范围"
            f"（{policy.jurisdiction.display}）内"
        )
        raise _marked(
            "policy",
            ConflictError(
                f"不能记录申请：{problem}",
                hint="请核对园区与 --policy；确需跨地区认定的，由认定单位用 parkeval grant "
                "--outside-jurisdiction “理由” 记录认定",
            ),
        )
    same = [a for a in applications if a.policy_id == policy.id and a.received_on == received_on]
    if same:
        raise _marked(
            "received_on",
            ConflictError(
                f"已记录 {received_on} 收到的 {policy.display_title} 认定申请（记录 #{same[0].id}），"
                "未重复记录",
                hint=f"如需更正，先撤销原记录：parkeval void application {same[0].id} --reason …",
            ),
        )


def check_new_rectification(
    cycle: Cycle, record: AssessmentRecord, *, on: dt.date, today: dt.date
) -> None:
    """What a completed rectification (整改完成) must pass: a 不合格 rating to rectify, dated
    on or after that rating and not after today."""
    _at("rectified_on", check_not_after_today, on, today, "整改完成日期")
    label = period_label(cycle, record.year)
    if record.rating != "不合格":
        raise _marked(
            "rating",
            ConflictError(
                f"{label} {cycle.name}的正式等次是 {record.rating or '（尚未评定）'}，"
                "只有不合格才需要整改"
            ),
        )
    if record.rated_on is not None and on < record.rated_on:
        raise _marked(
            "rectified_on", ConflictError(f"整改完成日期 {on} 早于评定日期 {record.rated_on}")
        )


def check_new_target(year: int, filed_on: dt.date | None, today: dt.date) -> None:
    """What a filing of a year's targets must pass: its date not after today."""
    if filed_on is not None:
        _at("filed_on", check_not_after_today, filed_on, today, "报备日期")


def _marked(record_field: str, exc: ParkevalError) -> ParkevalError:
    exc.record_field = record_field
    return exc


NewRecord = CertificationRecord | AssessmentRecord | TargetRecord


def check_new_records(
    policies: Mapping[str, Policy],
    province: str | None,
    city: str | None,
    kept: LifecycleRecords,
    new: Sequence[tuple[Any, NewRecord]],
    today: dt.date,
) -> list[tuple[Any, str, str]]:
    """Check records brought in together (a dossier's history sections) as if each were
    recorded by its command, in the order of their dates, beside the records ``kept``: every
    refusal as (the row's ``ref``, the field, the sentence), all of them at once. Recognitions
    come first (by date), then the periods (by year and rating date), each checked against every
    recognition brought in (refused or not, so its own faults are named too), then targets."""
    problems: list[tuple[Any, str, str]] = []
    certs = list(kept.certifications)
    new_certs = [(ref, r) for ref, r in new if isinstance(r, CertificationRecord)]
    new_periods = [(ref, r) for ref, r in new if isinstance(r, AssessmentRecord)]
    everything = list(kept.assessments) + [r for _ref, r in new_periods]
    all_certs = certs + [r for _ref, r in new_certs]
    for ref, cert in sorted(new_certs, key=lambda x: x[1].certified_on):
        others = [c for c in all_certs if c is not cert]
        try:
            check_new_grant(
                policies[cert.policy_id],
                province,
                city,
                others,
                everything,
                on=cert.certified_on,
                today=today,
            )
        except ParkevalError as exc:
            problems.append((ref, exc.record_field or "certified_on", exc.message))
    assessed = list(kept.assessments)
    for ref, rec in sorted(new_periods, key=lambda x: (x[1].year, x[1].rated_on or dt.date.min)):
        policy = policies[rec.policy_id]
        cycle = policy.cycle(rec.cycle)
        try:
            if rec.rating is not None:
                assert rec.rated_on is not None  # the dossier requires it with a rating
                check_new_rating(
                    policy,
                    cycle,
                    all_certs,
                    assessed,
                    year=rec.year,
                    rating=rec.rating,
                    rated_on=rec.rated_on,
                    today=today,
                )
            elif rec.proposed_rating is not None or rec.proposed_score is not None:
                check_new_proposal(policy, cycle, all_certs, assessed, year=rec.year, today=today)
            if rec.confirmed_on is not None or rec.confirmed_by is not None:
                check_new_confirmation(cycle, rec, on=rec.confirmed_on or today, today=today)
            if rec.rectified_on is not None:
                check_new_rectification(cycle, rec, on=rec.rectified_on, today=today)
        except ParkevalError as exc:
            problems.append((ref, exc.record_field or "year", exc.message))
        assessed.append(rec)
    for ref, target in new:
        if isinstance(target, TargetRecord):
            try:
                check_new_target(target.year, target.filed_on, today)
            except ParkevalError as exc:
                problems.append((ref, exc.record_field or "year", exc.message))
    return problems
