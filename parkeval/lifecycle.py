"""The life of a certified park, derived — never stored — from its recorded history.

Pure: plain records (certifications, assessments, targets, applications) and a loaded
policy in; states, flags, history steps and due items out. No database here.

Interpretations (README "Rating cycles"):

* ``year`` of an assessment is the last calendar year it covers.
* gx 第十四条 “连续2年年度考核不合格”: annual ratings of consecutive calendar years; a year
  with no rating breaks the streak. The park is revoked on the date of the second rating.
* bt 第九条 “连续两次考核不合格”: the two most recent biennial assessments, in the order of
  the periods they cover. Self-evaluations (第八条) never carry consequences.
* Flags hold while the most recent ratings of their cycle earn them (3 consecutive annual
  优秀, or the latest comprehensive 优秀, for gx priority_support; the latest biennial 优秀
  for bt commended).
* Status is recomputed from every rating dated on or before ``as_of``, sorted by period,
  so the order in which history was entered never matters.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from parkeval.errors import ConflictError, ParkevalError
from parkeval.policy import Consequence, Cycle, Policy

RATINGS = ("优秀", "合格", "不合格")
RATING_ALIASES = {
    "优秀": "优秀", "excellent": "优秀",
    "合格": "合格", "pass": "合格", "passed": "合格",
    "不合格": "不合格", "fail": "不合格", "failed": "不合格",
}
STATE_NAMES = {"active": "有效", "rectifying": "整改中", "revoked": "已取消"}
FLAG_NAMES = {"priority_support": "加大项目和资金支持", "commended": "通报表扬"}


class RatingError(ParkevalError):
    """A rating word outside 优秀/合格/不合格 (excellent/pass/fail)."""

    title = "无效的等次"


def normalise_rating(word: Any) -> str:
    """优秀/合格/不合格, or excellent/pass/fail, → the Chinese rating; anything else is an error."""
    text = str(word or "").strip()
    rating = RATING_ALIASES.get(text) or RATING_ALIASES.get(text.lower())
    if rating is None:
        raise RatingError(f"无法识别的等次 “{word}”",
                          hint="等次应为 优秀、合格、不合格（或 excellent、pass、fail）")
    return rating


def add_years(day: dt.date, years: int) -> dt.date:
    """The same calendar day ``years`` later (29 February → 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def period_label(cycle: Cycle, year: int) -> str:
    """``2024`` for a yearly cycle; ``2023-2024`` for a biennial assessment ending in 2024."""
    return str(year) if cycle.every_years == 1 else f"{year - cycle.every_years + 1}-{year}"


def expiry_warning(policy: Policy, year: int) -> str | None:
    """A plain warning when an assessment covers a year after the policy's end date."""
    if policy.effective_until is not None and dt.date(year, 12, 31) > policy.effective_until:
        return (f"《{policy.title}》（{policy.document_no}）已于 {policy.effective_until} 失效；"
                f"{year} 年度的考核评级仍按该政策记录，但该政策在此期间已不再有效")
    return None


# --------------------------------------------------------------------------- records


@dataclass(frozen=True)
class CertificationRecord:
    policy_id: str
    certified_on: dt.date
    level: str | None = None
    doc_no: str | None = None


@dataclass(frozen=True)
class AssessmentRecord:
    policy_id: str
    cycle: str
    year: int
    rating: str | None = None
    rated_on: dt.date | None = None
    rated_by: str | None = None
    proposed_rating: str | None = None
    proposed_score: Decimal | None = None
    confirmed_by: str | None = None
    confirmed_on: dt.date | None = None
    rectified_on: dt.date | None = None


@dataclass(frozen=True)
class TargetRecord:
    year: int
    revenue_yuan: Decimal | None = None
    hr_institutions: int | None = None
    occupancy: Decimal | None = None
    goals: str | None = None


@dataclass(frozen=True)
class ApplicationRecord:
    policy_id: str
    received_on: dt.date
    materials: tuple[str, ...] = ()


# --------------------------------------------------------------------------- results


@dataclass
class HistoryStep:
    cycle: str
    period: str | None
    rating: str | None
    date: dt.date | None
    article: str

    def to_dict(self) -> dict[str, Any]:
        return {"cycle": self.cycle, "period": self.period, "rating": self.rating,
                "date": self.date.isoformat() if self.date else None, "article": self.article}


@dataclass
class CertificationState:
    policy: str
    level: str | None
    state: str  # active | rectifying | revoked
    policy_in_force: bool
    certified_on: dt.date
    revoked_on: dt.date | None = None
    revoke_reason: str | None = None
    reapply_after: dt.date | None = None
    rectification_due: dt.date | None = None
    flags: list[str] = field(default_factory=list)
    history: list[HistoryStep] = field(default_factory=list)
    # Not part of the JSON contract: used by the checks and by `due`.
    doc_no: str | None = None
    revoked_year: int | None = None
    rectification_article: str | None = None
    rectification_period: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """One entry of ``status --json`` ``certifications`` (dates ISO 8601, absent → null)."""
        iso = lambda d: d.isoformat() if d else None  # noqa: E731
        return {
            "policy": self.policy, "level": self.level, "state": self.state,
            "policy_in_force": self.policy_in_force, "certified_on": iso(self.certified_on),
            "revoked_on": iso(self.revoked_on), "revoke_reason": self.revoke_reason,
            "reapply_after": iso(self.reapply_after), "rectification_due": iso(self.rectification_due),
            "flags": list(self.flags), "history": [h.to_dict() for h in self.history],
        }


@dataclass
class DueItem:
    what: str
    policy: str
    due_date: dt.date
    overdue: bool
    article: str

    def to_dict(self) -> dict[str, Any]:
        return {"what": self.what, "policy": self.policy, "due_date": self.due_date.isoformat(),
                "overdue": self.overdue, "article": self.article}


# --------------------------------------------------------------------------- derivation


def _owner(certs: Sequence[CertificationRecord], year: int) -> int | None:
    """Index of the certification an assessment for ``year`` belongs to: the latest one
    recognised in or before that year (certs sorted by date)."""
    owner = None
    for i, c in enumerate(certs):
        if c.certified_on.year <= year:
            owner = i
    return owner


def _consecutive(cycle: Cycle, earlier: AssessmentRecord, later: AssessmentRecord) -> bool:
    # gx: consecutive calendar years (a gap breaks the streak); bt: consecutive assessments.
    if cycle.anchor == "calendar":
        return later.year - earlier.year == cycle.every_years
    return True


def _streak_ends(cycle: Cycle, ratings: Sequence[AssessmentRecord], rating: str, n: int) -> list[int]:
    """Indexes at which a run of ``n`` consecutive ``rating`` completes."""
    ends, run = [], 0
    for i, a in enumerate(ratings):
        if a.rating != rating:
            run = 0
            continue
        run = run + 1 if run and _consecutive(cycle, ratings[i - 1], a) else 1
        if run >= n:
            ends.append(i)
    return ends


def _active_consequences(policy: Policy) -> list[tuple[Consequence, Cycle]]:
    cycles = {c.id: c for c in policy.cycles}
    return [(q, cycles[q.cycle]) for q in policy.consequences if cycles[q.cycle].consequences]


def recognition_article(policy: Policy) -> str:
    """The procedure article a recognition rests on (gx 第六条, bt 第五条)."""
    if policy.materials is None:
        return ""
    return re.sub(r"（[^）]*）$", "", policy.materials.article)


def _article(policy: Policy, cycle: Cycle, rating: str | None) -> str:
    # A rating cites the consequence it triggers by itself (整改, 综合评估优秀, 通报表扬);
    # streak consequences are cited by the state they lead to (revoke_reason, flags).
    for q, c in _active_consequences(policy):
        if c.id == cycle.id and q.rating == rating and q.consecutive == 1:
            return q.article
    return cycle.article


def derive_certification(policy: Policy, cert: CertificationRecord, assessments: Iterable[AssessmentRecord],
                         as_of: dt.date) -> CertificationState:
    """The state of one certification as of a date, from the ratings that belong to it."""
    cycles = {c.id: c for c in policy.cycles}
    rated = sorted((a for a in assessments if a.rating and a.cycle in cycles
                    and (a.rated_on is None or a.rated_on <= as_of)),
                   key=lambda a: (a.year, a.cycle, a.rated_on or dt.date.min))
    by_cycle: dict[str, list[AssessmentRecord]] = {}
    for a in rated:
        by_cycle.setdefault(a.cycle, []).append(a)
    state = CertificationState(policy=policy.id, level=cert.level or policy.level_name, state="active",
                               policy_in_force=policy.in_force(as_of), certified_on=cert.certified_on,
                               doc_no=cert.doc_no)

    # Revocation: the earliest completed streak (by period) of any revoking consequence.
    revocation: tuple[AssessmentRecord, Consequence, Cycle, list[AssessmentRecord]] | None = None
    for q, cycle in _active_consequences(policy):
        if q.effect != "revoked":
            continue
        seq = by_cycle.get(cycle.id, [])
        ends = _streak_ends(cycle, seq, q.rating, q.consecutive)
        if ends:
            end = seq[ends[0]]
            if revocation is None or (end.year, end.rated_on or dt.date.min) < (
                    revocation[0].year, revocation[0].rated_on or dt.date.min):
                revocation = (end, q, cycle, seq[ends[0] - q.consecutive + 1: ends[0] + 1])
    if revocation is not None:
        end, q, cycle, run = revocation
        state.state = "revoked"
        state.revoked_on = end.rated_on
        state.revoked_year = end.year
        periods = "、".join(period_label(cycle, a.year) for a in run)
        state.revoke_reason = f"{q.article}：{cycle.name}连续{q.consecutive}次{q.rating}（{periods}）"
        if q.lockout_years and end.rated_on:
            state.reapply_after = add_years(end.rated_on, q.lockout_years)
        rated = [a for a in rated if a.year <= end.year]
        by_cycle = {k: [a for a in v if a.year <= end.year] for k, v in by_cycle.items()}

    state.history.append(HistoryStep("recognition", None, None, cert.certified_on,
                                     recognition_article(policy)))
    for a in rated:
        cycle = cycles[a.cycle]
        state.history.append(HistoryStep(cycle.id, period_label(cycle, a.year), a.rating, a.rated_on,
                                         _article(policy, cycle, a.rating)))
    if state.state == "revoked":
        return state

    for q, cycle in _active_consequences(policy):
        seq = by_cycle.get(cycle.id, [])
        if q.effect == "rectification" and seq:
            last = seq[-1]
            open_ = last.rating == q.rating and (last.rectified_on is None or last.rectified_on > as_of)
            if open_ and last.rated_on is not None:
                due = last.rated_on + dt.timedelta(days=int(policy.setting("rectification_days", 90)))
                if state.rectification_due is None or due > state.rectification_due:
                    state.state = "rectifying"
                    state.rectification_due = due
                    state.rectification_article = q.article
                    state.rectification_period = f"{period_label(cycle, last.year)} {cycle.name}"
        elif q.effect == "flag" and q.flag and len(seq) >= q.consecutive:
            tail = seq[-q.consecutive:]
            if all(a.rating == q.rating for a in tail) and all(
                    _consecutive(cycle, x, y) for x, y in zip(tail, tail[1:], strict=False)):
                if q.flag not in state.flags:
                    state.flags.append(q.flag)
    return state


def split_by_certification(certs: Sequence[CertificationRecord], assessments: Iterable[AssessmentRecord]
                           ) -> list[tuple[CertificationRecord, list[AssessmentRecord]]]:
    """Pair each certification of one policy with the assessments that belong to it."""
    ordered = sorted(certs, key=lambda c: c.certified_on)
    groups: list[list[AssessmentRecord]] = [[] for _ in ordered]
    for a in assessments:
        i = _owner(ordered, a.year)
        if i is not None:
            groups[i].append(a)
    return list(zip(ordered, groups, strict=True))


def derive_states(policies: Mapping[str, Policy], certs: Iterable[CertificationRecord],
                  assessments: Iterable[AssessmentRecord], as_of: dt.date) -> list[CertificationState]:
    """Every certification recognised on or before ``as_of``, with its derived state."""
    by_policy: dict[str, list[CertificationRecord]] = {}
    for c in certs:
        if c.certified_on <= as_of:
            by_policy.setdefault(c.policy_id, []).append(c)
    assessments = list(assessments)
    out = []
    for policy_id in sorted(by_policy):
        policy = policies[policy_id]
        mine = [a for a in assessments if a.policy_id == policy_id]
        for cert, owned in split_by_certification(by_policy[policy_id], mine):
            out.append(derive_certification(policy, cert, owned, as_of))
    return out


# --------------------------------------------------------------------------- checks


def check_grant(policy: Policy, certs: Sequence[CertificationRecord], assessments: Iterable[AssessmentRecord],
                on: dt.date) -> None:
    """Refuse a recognition while one is in force or a lockout (bt 第九条 三年内不予重新认定) runs."""
    mine = [c for c in certs if c.policy_id == policy.id]
    if any(c.certified_on == on for c in mine):
        raise ConflictError(f"已记录 {on} 的 {policy.id} 认定，不能重复记录")
    assessments = [a for a in assessments if a.policy_id == policy.id]
    for cert, owned in split_by_certification([c for c in mine if c.certified_on <= on], assessments):
        st = derive_certification(policy, cert, owned, on)
        if st.state != "revoked":
            raise ConflictError(
                f"园区已于 {cert.certified_on} 获 {policy.display_title} 认定，且该认定仍然有效（{STATE_NAMES[st.state]}）",
                hint="同一政策下只能有一个有效认定；用 parkeval status 查看")
        if st.reapply_after and on < st.reapply_after:
            raise ConflictError(
                f"{on} 不能重新认定：园区已于 {st.revoked_on} 被取消 {policy.display_title} 资格，"
                f"{st.revoke_reason}；三年内不予重新认定，最早可于 {st.reapply_after} 重新认定",
                hint=f"依据 {policy.id} 的取消资格条款；{st.reapply_after} 起可再次用 parkeval grant 记录认定")


def check_rating(policy: Policy, cycle: Cycle, certs: Sequence[CertificationRecord],
                 assessments: Sequence[AssessmentRecord], *, year: int, official: bool = True) -> None:
    """Refuse a rating before certification, a duplicate, or one after revocation."""
    mine = sorted((c for c in certs if c.policy_id == policy.id), key=lambda c: c.certified_on)
    owner = _owner(mine, year)
    if owner is None:
        first = f"（首次认定于 {mine[0].certified_on}）" if mine else "（尚无认定记录，先用 parkeval grant 记录认定）"
        raise ConflictError(f"不能记录 {year} 年度的{cycle.name}：园区在该年度尚未获 {policy.display_title} 认定{first}")
    same = [a for a in assessments if a.policy_id == policy.id and a.cycle == cycle.id and a.year == year]
    if official and any(a.rating for a in same):
        prior = next(a for a in same if a.rating)
        raise ConflictError(
            f"{period_label(cycle, year)} 的{cycle.name}已有正式等次 “{prior.rating}”"
            f"（{prior.rated_on or '日期未记录'}，{prior.rated_by or '评定人未记录'}），不能重复记录")
    owned = [a for a in split_by_certification(mine, [a for a in assessments if a.policy_id == policy.id])[owner][1]]
    st = derive_certification(policy, mine[owner], owned, dt.date.max)
    if st.state == "revoked" and st.revoked_year is not None and year > st.revoked_year:
        raise ConflictError(
            f"不能记录 {year} 年度的{cycle.name}：该认定已于 {st.revoked_on} 取消（{st.revoke_reason}）",
            hint="取消后不再考核；重新认定后用 parkeval grant 记录新的认定")


# --------------------------------------------------------------------------- due


def _mmdd(value: str, year: int) -> dt.date:
    month, day = (int(x) for x in value.split("-"))
    return dt.date(year, month, day)


def cycle_due(policy: Policy, cycle: Cycle) -> tuple[str, bool]:
    """MM-DD of the following year a calendar cycle's report is due, and whether it is local."""
    setting = policy.local_settings.get(f"{cycle.id}_due")
    if setting is not None:
        return str(setting.value), True
    return cycle.due or "03-31", cycle.due_local


def due_items(policy: Policy, state: CertificationState, assessments: Sequence[AssessmentRecord],
              targets: Sequence[TargetRecord], *, as_of: dt.date, within: int) -> list[DueItem]:
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
                    add(f"{year} 年度{cycle.name}（自评报告）", _mmdd(mmdd, year + 1), cycle.article)
        else:
            k = 1
            while (anniv := add_years(start, k * cycle.every_years)) <= horizon and anniv.year <= last_year:
                # An assessment ending in the anniversary's year or the year before satisfies it.
                if not ({(cycle.id, anniv.year), (cycle.id, anniv.year - 1)} & recorded):
                    add(f"{cycle.name}（认定满 {k * cycle.every_years} 年）", anniv, cycle.article)
                k += 1
    targets_due = policy.local_settings.get("targets_due")
    if targets_due is not None:
        have = {t.year for t in targets}
        for year in range(start.year, min(last_year, horizon.year) + 1):
            due = _mmdd(str(targets_due.value), year)
            if due >= start and year not in have:
                add(f"{year} 年度发展目标报备", due, policy.cycles[0].article if policy.cycles else "")
    if state.rectification_due is not None:
        add(f"整改期限（{state.rectification_period} 不合格）", state.rectification_due,
            state.rectification_article or "")
    return sorted(items, key=lambda i: (i.due_date, i.what))


def application_due(policy: Policy, application: ApplicationRecord, *, as_of: dt.date,
                    within: int) -> list[DueItem]:
    """gx 第六条: evaluation within 45 days of receipt, then a 7-day publicity period."""
    horizon = as_of + dt.timedelta(days=within)
    items = []
    evaluation = policy.procedure.get("evaluation_days")
    publicity = policy.procedure.get("publicity_days")
    if evaluation is not None:
        deadline = application.received_on + dt.timedelta(days=evaluation.value)
        if deadline <= horizon:
            items.append(DueItem(f"申报评估期限（收到申请后 {evaluation.value} 日内）", policy.id, deadline,
                                 deadline < as_of, evaluation.article or "本地设置"))
        if publicity is not None:
            end = deadline + dt.timedelta(days=publicity.value)
            if end <= horizon:
                items.append(DueItem(f"公示期（{publicity.value} 日）最迟届满", policy.id, end, end < as_of,
                                     publicity.article or "本地设置"))
    return items


def policy_expiry_due(policy: Policy, *, as_of: dt.date, within: int) -> DueItem | None:
    if policy.effective_until is None or policy.effective_until > as_of + dt.timedelta(days=within):
        return None
    verb = "已失效" if policy.effective_until < as_of else "即将失效"
    return DueItem(f"政策{verb}：《{policy.title}》有效期至 {policy.effective_until}", policy.id,
                   policy.effective_until, policy.effective_until < as_of, "政策有效期")


def application_windows(policy: Policy, received_on: dt.date) -> dict[str, Any]:
    """The evaluation deadline and the publicity window for an application received on a date."""
    out: dict[str, Any] = {"evaluation_deadline": None, "publicity_from": None, "publicity_until": None}
    evaluation = policy.procedure.get("evaluation_days")
    publicity = policy.procedure.get("publicity_days")
    if evaluation is not None:
        out["evaluation_deadline"] = received_on + dt.timedelta(days=evaluation.value)
        out["evaluation_local"] = evaluation.local
        out["evaluation_article"] = evaluation.article
        if publicity is not None:
            # 公示 follows the evaluation; at the latest it starts the day after the deadline.
            out["publicity_days"] = publicity.value
            out["publicity_from"] = out["evaluation_deadline"] + dt.timedelta(days=1)
            out["publicity_until"] = out["evaluation_deadline"] + dt.timedelta(days=publicity.value)
            out["publicity_local"] = publicity.local
            out["publicity_article"] = publicity.article
    return out


# --------------------------------------------------------------------------- rubric


def _q(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


ITEM_SCORES = {"pass": Decimal(1), "waived": Decimal(1), "warn": Decimal("0.5"), "fail": Decimal(0),
               "unknown": Decimal(0)}


def propose_rating(policy: Policy, criteria: Sequence[Any], attainment: Mapping[str, Decimal | None]
                   ) -> dict[str, Any]:
    """Score the five dimensions with the policy's rubric (a local setting) and propose a rating.

    ``criteria`` are the certification results for the period (objects with ``id``,
    ``status``, ``strictness``, ``title``); ``attainment`` maps a target metric to
    actual ÷ target (None when there is no target or no actual). A criterion scores 1 when
    met or waived, ½ for an in-principle warning, 0 when failed or unknown; a target scores
    its attainment, capped at 1. A park failing a mandatory threshold is never proposed 优秀.
    """
    from parkeval.policy import Rubric

    setting = policy.local_settings.get("rubric")
    if setting is None:
        raise ParkevalError(f"政策 {policy.id} 没有评分办法（local_settings.rubric）",
                            hint="在政策文件的 local_settings 中加入 rubric（五个维度的权重与分数线）")
    rubric = Rubric.model_validate(setting.value)
    dimensions = []
    total = Decimal(0)
    for d in rubric.dimensions:
        items: list[dict[str, Any]] = []
        for c in criteria:
            if c.id in d.criteria:
                items.append({"item": c.title, "kind": "criterion", "status": c.status,
                              "score": ITEM_SCORES.get(c.status, Decimal(0))})
        for metric in d.targets:
            value = attainment.get(metric)
            if value is not None:
                items.append({"item": metric, "kind": "target", "status": "attainment",
                              "score": min(Decimal(value), Decimal(1))})
        score = _q(Decimal(100) * sum((i["score"] for i in items), Decimal(0)) / len(items)) if items else Decimal(0)
        total += Decimal(d.weight) * score / Decimal(100)
        dimensions.append({"id": d.id, "name": d.name, "weight": d.weight, "score": score, "items": items,
                           "note": None if items else "无可评分项，计 0 分"})
    total = _q(total)
    rating = "优秀" if total >= rubric.excellent else "合格" if total >= rubric.passing else "不合格"
    capped = None
    failed = [c for c in criteria if c.status == "fail" and c.strictness == "mandatory"]
    if rating == "优秀" and failed:
        rating = "合格"
        capped = "未达到必备条件（" + "、".join(c.title for c in failed) + "），不能评为优秀"
    return {"score": total, "rating": rating, "capped": capped, "dimensions": dimensions,
            "cutoffs": {"优秀": rubric.excellent, "合格": rubric.passing},
            "local_setting": True, "note": setting.note}
