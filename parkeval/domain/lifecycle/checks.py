"""Refusing what the recorded history makes impossible: a second recognition while one is in
force or during a lockout, a rating before recognition, for a period that is not one of its
cycle, a duplicate, a rating after revocation or one that would hide a later one; and a
recognition outside the policy's jurisdiction or validity. The whole of what a new record must
pass (with the calendar) is in :mod:`.admission`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from parkeval.domain.lifecycle.records import AssessmentRecord, CertificationRecord, period_label
from parkeval.domain.lifecycle.states import derive_certification, owner, split_by_certification
from parkeval.domain.wording import STATE_NAMES, cycle_period_name, format_date, period_text
from parkeval.errors import ConflictError
from parkeval.policy.model import Cycle, Policy

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
    rating: str | None = None,
    rated_on: dt.date | None = None,
) -> None:
    """Refuse a rating before certification, for a period that is not one of its cycle, a
    duplicate, one after revocation, or one (``rating`` on ``rated_on``) that would move the
    revocation before a rating already recorded."""
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
    check_period(policy, cycle, mine[index], year)
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
    if official and rating is not None:
        _check_no_rating_hidden(policy, cycle, mine[index], owned, year, rating, rated_on)


def first_period_years(cycle: Cycle, cert: CertificationRecord) -> tuple[int, int]:
    """The calendar years of a cycle's first period under a title: from the year of recognition,
    ``every_years`` of them (a partial first year counts, as it does for the annual rating)."""
    first = cert.certified_on.year
    return first, first + cycle.every_years - 1


def check_period(policy: Policy, cycle: Cycle, cert: CertificationRecord, year: int) -> None:
    """A cycle counted from recognition (gx 综合评估 “自批复认定之日起，每3年”, bt 定期考核 “每两年”)
    has fixed periods: the ``every_years`` calendar years from the year of recognition, then the
    next as many, without gap or overlap; ``year`` (the last year covered) must end one of them."""
    n = cycle.every_years
    if cycle.anchor != "recognition" or n == 1:
        return
    first, end = first_period_years(cycle, cert)
    if (year - end) % n == 0 and year >= end:
        return
    periods = "、".join(f"{end + k * n - n + 1}—{end + k * n}" for k in range(3))
    near = end + max(0, (year - end) // n) * n
    options = sorted({near, near + n} if year > end else {end})
    raise ConflictError(
        f"{period_text(cycle, year)} 不是{cycle.name}的考核期：{policy.display_title}的{cycle.name}"
        f"自认定（{format_date(cert.certified_on)}）当年起每{n}年一期，依次为 {periods}……",
        hint="--year 填考核期的最后一个年度："
        + " 或 ".join(f"{y}（{period_text(cycle, y)}）" for y in options),
    )


def _check_no_rating_hidden(
    policy: Policy,
    cycle: Cycle,
    cert: CertificationRecord,
    owned: Sequence[AssessmentRecord],
    year: int,
    rating: str,
    rated_on: dt.date | None,
) -> None:
    """A rating entered out of order must not revoke the title before a rating already recorded:
    that rating would stay in force but fall after the revocation, out of sight. Entered in date
    order the later rating is refused (a rating after revocation), so it is refused here too."""
    before = derive_certification(policy, cert, owned, dt.date.max)
    trial = AssessmentRecord(policy.id, cycle.id, year, rating, rated_on)
    after = derive_certification(policy, cert, [*owned, trial], dt.date.max)
    if after.revoked_year is None:
        return

    def hidden(limit: int | None) -> list[AssessmentRecord]:
        return [a for a in owned if a.rating and limit is not None and a.year > limit]

    shown = {id(a) for a in hidden(before.revoked_year)}
    newly = [a for a in hidden(after.revoked_year) if id(a) not in shown]
    if not newly:
        return
    cycles = {c.id: c for c in policy.cycles}
    listed = "、".join(
        f"{cycle_period_name(cycles[a.cycle], a.year)}“{a.rating}”（#{a.rating_id}）"
        if a.rating_id is not None
        else f"{cycle_period_name(cycles[a.cycle], a.year)}“{a.rating}”"
        for a in newly
    )
    ids = " ".join(str(a.rating_id) for a in newly if a.rating_id is not None)
    raise ConflictError(
        f"不能记录{cycle_period_name(cycle, year)}“{rating}”：记录后该认定将于 "
        f"{format_date(after.revoked_on) if after.revoked_on else '（日期未记录）'}取消"
        f"（{after.revoke_reason}），已记录的{listed}将落在取消之后",
        hint=(
            f"若已记录的等次有误，先撤销：parkeval void rating {ids} --reason …；否则请核对 --year"
            if ids
            else "请核对 --year 与已记录的等次"
        ),
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
