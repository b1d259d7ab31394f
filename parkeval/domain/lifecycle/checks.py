"""Refusing what the recorded history makes impossible: a second recognition while one is in
force or during a lockout, a rating before recognition, a duplicate, a rating after
revocation.

The ``check_new_*`` functions are the whole of what a new record must pass — the calendar, the
policy's scope and the recorded history — and are called alike by the commands (grant, rate,
confirm, rectified, target) and by a dossier import (:func:`check_new_records`), so a rule is
written once. An error they raise names the record's field (``record_field``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, TypeVar

from parkeval.domain.calendar import (
    check_not_after_today,
    check_rated_after_period,
    check_year_ended,
)
from parkeval.domain.lifecycle.records import (
    AssessmentRecord,
    CertificationRecord,
    LifecycleRecords,
    TargetRecord,
    period_label,
)
from parkeval.domain.lifecycle.states import derive_certification, owner, split_by_certification
from parkeval.domain.wording import STATE_NAMES
from parkeval.errors import ConflictError, ParkevalError
from parkeval.policy.model import Cycle, Policy

T = TypeVar("T")

# --------------------------------------------------------------------------- checks


def check_grant(
    policy: Policy,
    certs: Sequence[CertificationRecord],
    assessments: Iterable[AssessmentRecord],
    on: dt.date,
) -> None:
    """Refuse a recognition while one is in force or a lockout (bt 第九条 三年内不予重新认定) runs."""
    mine = [c for c in certs if c.policy_id == policy.id]
    if any(c.certified_on == on for c in mine):
        raise ConflictError(f"已记录 {on} 的 {policy.id} 认定，不能重复记录")
    assessments = [a for a in assessments if a.policy_id == policy.id]
    for cert, owned in split_by_certification(
        [c for c in mine if c.certified_on <= on], assessments
    ):
        st = derive_certification(policy, cert, owned, on)
        if st.state != "revoked":
            raise ConflictError(
                f"园区已于 {cert.certified_on} 获 {policy.display_title} 认定，且该认定仍然有效（{STATE_NAMES[st.state]}）",
                hint="同一政策下只能有一个有效认定；用 parkeval status 查看",
            )
        if st.reapply_after and on < st.reapply_after:
            raise ConflictError(
                f"{on} 不能重新认定：园区已于 {st.revoked_on} 被取消 {policy.display_title} 资格，"
                f"{st.revoke_reason}；三年内不予重新认定，最早可于 {st.reapply_after} 重新认定",
                hint=f"依据 {policy.id} 的取消资格条款；{st.reapply_after} 起可再次用 parkeval grant 记录认定",
            )


def check_rating(
    policy: Policy,
    cycle: Cycle,
    certs: Sequence[CertificationRecord],
    assessments: Sequence[AssessmentRecord],
    *,
    year: int,
    official: bool = True,
) -> None:
    """Refuse a rating before certification, a duplicate, or one after revocation."""
    mine = sorted((c for c in certs if c.policy_id == policy.id), key=lambda c: c.certified_on)
    index = owner(mine, year)
    if index is None:
        first = (
            f"（首次认定于 {mine[0].certified_on}）"
            if mine
            else "（尚无认定记录，先用 parkeval grant 记录认定）"
        )
        raise ConflictError(
            f"不能记录 {year} 年度的{cycle.name}：园区在该年度尚未获 {policy.display_title} 认定{first}"
        )
    same = [
        a
        for a in assessments
        if a.policy_id == policy.id and a.cycle == cycle.id and a.year == year
    ]
    if official and any(a.rating for a in same):
        prior = next(a for a in same if a.rating)
        raise ConflictError(
            f"{period_label(cycle, year)} 的{cycle.name}已有正式等次 “{prior.rating}”"
            f"（{prior.rated_on or '日期未记录'}，{prior.rated_by or '评定人未记录'}），不能重复记录"
        )
    mine_assessed = [a for a in assessments if a.policy_id == policy.id]
    owned = split_by_certification(mine, mine_assessed)[index][1]
    st = derive_certification(policy, mine[index], owned, dt.date.max)
    if st.state == "revoked" and st.revoked_year is not None and year > st.revoked_year:
        raise ConflictError(
            f"不能记录 {year} 年度的{cycle.name}：该认定已于 {st.revoked_on} 取消（{st.revoke_reason}）",
            hint="取消后不再考核；重新认定后用 parkeval grant 记录新的认定",
        )


def check_grant_scope(
    policy: Policy,
    province: str | None,
    city: str | None,
    on: dt.date,
    *,
    outside_jurisdiction: str | None = None,
    outside_validity: str | None = None,
) -> str | None:
    """Refuse a recognition outside the policy's jurisdiction or validity, unless a reason is
    given for doing so deliberately; returns the reasons given (for the record), or None."""
    reasons = []
    covered = policy.jurisdiction.covers(province, city)
    where = (province or "") + (city or "") or "（档案未填写所在地）"
    why_outside = (outside_jurisdiction or "").strip()
    why_expired = (outside_validity or "").strip()
    if covered is not True:
        if not why_outside:
            problem = (
                f"园区位于{where}，不在《{policy.title}》的适用范围（{policy.jurisdiction.display}）内"
                if covered is False
                else f"园区档案未填写所在省份或城市，无法确认是否在《{policy.title}》的适用范围"
                f"（{policy.jurisdiction.display}）内"
            )
            raise ConflictError(
                f"不能记录认定：{problem}",
                hint="请核对园区与政策；若确需记录（如跨地区试点），请加 --outside-jurisdiction “理由”，"
                "理由将记入认定记录和审计日志。",
            )
        reasons.append(f"适用范围外认定（园区位于{where}）：{why_outside}")
    elif outside_jurisdiction is not None:
        raise ConflictError(
            f"园区位于{where}，在《{policy.title}》的适用范围内，不需要 --outside-jurisdiction"
        )
    if not policy.in_force(on):
        until = policy.effective_until or "—"
        if not why_expired:
            raise ConflictError(
                f"不能记录认定：认定日 {on} 不在《{policy.title}》的有效期（{policy.effective_from} 至 {until}）内",
                hint="请核对 --on；若确需记录（如政策到期后补记），请加 --outside-validity “理由”，"
                "理由将记入认定记录和审计日志。",
            )
        reasons.append(f"有效期外认定（{on}）：{why_expired}")
    elif outside_validity is not None:
        raise ConflictError(
            f"认定日 {on} 在《{policy.title}》的有效期内，不需要 --outside-validity"
        )
    return "；".join(reasons) or None


# --------------------------------------------------------------------------- new records


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
    _at("year", check_rating, policy, cycle, certs, assessments, year=year)


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
    ended, and its date not after today."""
    label = period_label(cycle, record.year)
    _at("confirmed_on", check_not_after_today, on, today, "审核确认日期")
    _at("year", check_year_ended, record.year, today, f"审核确认 {label} 的{cycle.name}")


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
