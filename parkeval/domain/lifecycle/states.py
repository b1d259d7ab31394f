"""The state of a certified park, derived — never stored — from its recorded history.

Pure: plain records (certifications, assessments, targets, applications) and a loaded
policy in; states, flags, history steps and due items out. No database here.

Interpretations (the README's "Rating cycles" table, the product's contract):

* ``year`` of an assessment is the last calendar year it covers.
* A cycle counted from recognition (gx 第十三条 综合评估 “自批复认定之日起，每3年”; bt 第八条
  定期考核 “一般每两年”) has fixed periods: ``every_years`` calendar years from the year of
  recognition (a partial first year counts, as for the annual rating), then the next as many —
  no gap, no overlap, none before the grant (``checks.check_period``). Each is rated once its
  last year has ended and is due by the anniversary of the grant that follows it.
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

from parkeval.domain.lifecycle.records import (
    AssessmentRecord,
    CertificationRecord,
    CertificationState,
    HistoryStep,
    PeriodEvent,
    add_years,
    period_label,
)
from parkeval.policy.model import Consequence, Cycle, Policy

# --------------------------------------------------------------------------- derivation


def owner(certs: Sequence[CertificationRecord], year: int) -> int | None:
    """Index of the certification an assessment for ``year`` belongs to: the latest one
    recognised in or before that year (certs sorted by date)."""
    found = None
    for i, c in enumerate(certs):
        if c.certified_on.year <= year:
            found = i
    return found


def _consecutive(cycle: Cycle, earlier: AssessmentRecord, later: AssessmentRecord) -> bool:
    # gx: consecutive calendar years (a gap breaks the streak); bt: consecutive assessments.
    if cycle.anchor == "calendar":
        return later.year - earlier.year == cycle.every_years
    return True


def _streak_ends(
    cycle: Cycle, ratings: Sequence[AssessmentRecord], rating: str, n: int
) -> list[int]:
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


def derive_certification(
    policy: Policy,
    cert: CertificationRecord,
    assessments: Iterable[AssessmentRecord],
    as_of: dt.date,
) -> CertificationState:
    """The state of one certification as of a date, from the ratings that belong to it."""
    cycles = {c.id: c for c in policy.cycles}
    assessments = list(assessments)
    rated = sorted(
        (
            a
            for a in assessments
            if a.rating and a.cycle in cycles and (a.rated_on is None or a.rated_on <= as_of)
        ),
        key=lambda a: (a.year, a.cycle, a.rated_on or dt.date.min),
    )
    by_cycle: dict[str, list[AssessmentRecord]] = {}
    for a in rated:
        by_cycle.setdefault(a.cycle, []).append(a)
    state = CertificationState(
        policy=policy.id,
        level=cert.level or policy.level_name,
        state="active",
        policy_in_force=policy.in_force(as_of),
        certified_on=cert.certified_on,
        doc_no=cert.doc_no,
        id=cert.id,
        override_reason=cert.override_reason,
    )

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
                revocation[0].year,
                revocation[0].rated_on or dt.date.min,
            ):
                revocation = (end, q, cycle, seq[ends[0] - q.consecutive + 1 : ends[0] + 1])
    if revocation is not None:
        end, q, cycle, run = revocation
        state.state = "revoked"
        state.revoked_on = end.rated_on
        state.revoked_year = end.year
        periods = "、".join(period_label(cycle, a.year) for a in run)
        state.revoke_reason = (
            f"{q.article}：{cycle.name}连续{q.consecutive}次{q.rating}（{periods}）"
        )
        if q.lockout_years and end.rated_on:
            state.reapply_after = add_years(end.rated_on, q.lockout_years)
        rated = [a for a in rated if a.year <= end.year]
        by_cycle = {k: [a for a in v if a.year <= end.year] for k, v in by_cycle.items()}

    state.history.append(
        HistoryStep(
            "recognition", None, None, cert.certified_on, recognition_article(policy), id=cert.id
        )
    )
    for a in rated:
        cycle = cycles[a.cycle]
        state.history.append(
            HistoryStep(
                cycle.id,
                period_label(cycle, a.year),
                a.rating,
                a.rated_on,
                _article(policy, cycle, a.rating),
                id=a.rating_id,
                by=a.rated_by,
            )
        )
    last_year = state.revoked_year if state.revoked_year is not None else None
    for a in sorted(assessments, key=lambda a: (a.year, a.cycle)):
        if a.cycle not in cycles or (last_year is not None and a.year > last_year):
            continue
        label = period_label(cycles[a.cycle], a.year)
        if (a.confirmed_on or a.confirmed_by) and (
            a.confirmed_on is None or a.confirmed_on <= as_of
        ):
            state.confirmations.append(
                PeriodEvent(
                    "confirmation",
                    a.cycle,
                    label,
                    a.confirmed_on,
                    a.confirmed_by,
                    a.confirmation_id,
                )
            )
        if a.proposal_id is not None and (a.proposed_on is None or a.proposed_on <= as_of):
            state.proposals.append(
                PeriodEvent(
                    "proposal",
                    a.cycle,
                    label,
                    a.proposed_on,
                    None,
                    a.proposal_id,
                    a.proposed_rating,
                    a.proposed_score,
                )
            )
        if a.rectified_on is not None and a.rectified_on <= as_of:
            state.rectifications.append(
                PeriodEvent(
                    "rectification", a.cycle, label, a.rectified_on, None, a.rectification_id
                )
            )
    if state.state == "revoked":
        return state

    for q, cycle in _active_consequences(policy):
        seq = by_cycle.get(cycle.id, [])
        if q.effect == "rectification" and seq:
            last = seq[-1]
            open_ = last.rating == q.rating and (
                last.rectified_on is None or last.rectified_on > as_of
            )
            if open_ and last.rated_on is not None:
                due = last.rated_on + dt.timedelta(
                    days=int(policy.setting("rectification_days", 90))
                )
                if state.rectification_due is None or due > state.rectification_due:
                    state.state = "rectifying"
                    state.rectification_due = due
                    state.rectification_article = q.article
                    state.rectification_period = f"{period_label(cycle, last.year)} {cycle.name}"
        elif q.effect == "flag" and q.flag and len(seq) >= q.consecutive:
            tail = seq[-q.consecutive :]
            if all(a.rating == q.rating for a in tail) and all(
                _consecutive(cycle, x, y) for x, y in zip(tail, tail[1:], strict=False)
            ):
                if q.flag not in state.flags:
                    state.flags.append(q.flag)
    return state


def split_by_certification(
    certs: Sequence[CertificationRecord], assessments: Iterable[AssessmentRecord]
) -> list[tuple[CertificationRecord, list[AssessmentRecord]]]:
    """Pair each certification of one policy with the assessments that belong to it."""
    ordered = sorted(certs, key=lambda c: c.certified_on)
    groups: list[list[AssessmentRecord]] = [[] for _ in ordered]
    for a in assessments:
        i = owner(ordered, a.year)
        if i is not None:
            groups[i].append(a)
    return list(zip(ordered, groups, strict=True))


def derive_states(
    policies: Mapping[str, Policy],
    certs: Iterable[CertificationRecord],
    assessments: Iterable[AssessmentRecord],
    as_of: dt.date,
) -> list[CertificationState]:
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
