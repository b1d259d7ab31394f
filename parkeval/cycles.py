"""Rating cycles as library functions: apply, grant, waive, assess, rate, status, due.

Each service takes the run's :class:`~parkeval.settings.Settings`, checks the request
against the recorded history with the pure rules of :mod:`parkeval.lifecycle`, and
writes in one transaction — or raises a :class:`~parkeval.errors.ParkevalError` and
writes nothing. States are never stored: :func:`park_status` derives them each time.

Importing this module registers two extension points of :mod:`parkeval.services`: the
dossier import hook that stores the certifications/targets/assessments sections, and the
waiver loader that makes ``certify`` report ``waived``. :func:`parkeval.db.init_db`
imports it, so any run that opens a database has them.

Library functions for reports (names are stable):

* :func:`park_status` → exactly the ``status --json`` structure, dates as ISO 8601 strings.
* :func:`assessment_summary` → the ``assess --json`` structure (without saving), dates as
  ISO 8601 strings, scores and money as :class:`~decimal.Decimal`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from sqlalchemy import delete, select
from sqlmodel import Session

from parkeval import audit
from parkeval import lifecycle as lc
from parkeval.engine import WaiverFacts
from parkeval.errors import ConflictError, InputError, NotFoundError, ParkevalError, Problem
from parkeval.history import Application, Assessment, Certification, Target, Waiver
from parkeval.models import Park
from parkeval.policy import Metric, Policy
from parkeval.settings import Settings

DEFAULT_WITHIN_DAYS = 60

# --------------------------------------------------------------------------- data access


def _park(session: Session, code: str) -> Park:
    from parkeval.repository import get_park

    return get_park(session, code=code)


def certification_records(session: Session, *, park_ids: Sequence[int]) -> dict[int, list[lc.CertificationRecord]]:
    out: dict[int, list[lc.CertificationRecord]] = defaultdict(list)
    for c in session.execute(select(Certification).where(Certification.park_id.in_(park_ids))).scalars():
        out[c.park_id].append(lc.CertificationRecord(c.policy_id, c.certified_on, c.level, c.doc_no))
    return out


def assessment_records(session: Session, *, park_ids: Sequence[int]) -> dict[int, list[lc.AssessmentRecord]]:
    out: dict[int, list[lc.AssessmentRecord]] = defaultdict(list)
    for a in session.execute(select(Assessment).where(Assessment.park_id.in_(park_ids))).scalars():
        out[a.park_id].append(lc.AssessmentRecord(
            a.policy_id, a.cycle, a.year, a.rating, a.rated_on, a.rated_by, a.proposed_rating,
            a.proposed_score, a.confirmed_by, a.confirmed_on, a.rectified_on))
    return out


def target_records(session: Session, *, park_ids: Sequence[int]) -> dict[int, list[lc.TargetRecord]]:
    out: dict[int, list[lc.TargetRecord]] = defaultdict(list)
    for t in session.execute(select(Target).where(Target.park_id.in_(park_ids))).scalars():
        out[t.park_id].append(lc.TargetRecord(t.year, t.revenue_yuan, t.hr_institutions, t.occupancy, t.goals))
    return out


def application_records(session: Session, *, park_ids: Sequence[int]) -> dict[int, list[lc.ApplicationRecord]]:
    out: dict[int, list[lc.ApplicationRecord]] = defaultdict(list)
    for a in session.execute(select(Application).where(Application.park_id.in_(park_ids))).scalars():
        out[a.park_id].append(lc.ApplicationRecord(
            a.policy_id, a.received_on, tuple(m for m in a.materials.split(",") if m)))
    return out


def load_waivers(session: Session, policy_id: str, park_ids: list[int]) -> dict[int, dict[str, WaiverFacts]]:
    """WAIVER_LOADERS entry: the latest waiver per criterion for each park."""
    out: dict[int, dict[str, WaiverFacts]] = defaultdict(dict)
    if not park_ids:
        return out
    rows = session.execute(select(Waiver).where(Waiver.policy_id == policy_id, Waiver.park_id.in_(park_ids))
                           .order_by(Waiver.recorded_at, Waiver.id)).scalars()
    for w in rows:
        out[w.park_id][w.criterion_id] = WaiverFacts(w.criterion_id, w.reason, w.by, w.until)
    return out


def waiver_list(session: Session, *, park_id: int) -> list[dict[str, Any]]:
    rows = session.execute(select(Waiver).where(Waiver.park_id == park_id).order_by(Waiver.recorded_at)).scalars()
    return [{"policy": w.policy_id, "criterion": w.criterion_id, "reason": w.reason, "by": w.by,
             "until": w.until.isoformat() if w.until else None,
             "recorded_at": w.recorded_at.isoformat(timespec="seconds")} for w in rows]


# --------------------------------------------------------------------------- status & due


def _policies(settings: Settings, ids: Iterable[str]) -> dict[str, Policy]:
    out = {}
    for policy_id in set(ids):
        if policy_id not in settings.registry.policies:
            raise NotFoundError(f"历史记录引用了未加载的政策 “{policy_id}”",
                                hint="用 --policy-file 或 PARKEVAL_POLICY_PATH 加入该政策文件")
        out[policy_id] = settings.registry.get(policy_id)
    return out


def _due_for(settings: Settings, policies: dict[str, Policy], states: list[lc.CertificationState],
             certs: list[lc.CertificationRecord], assessments: list[lc.AssessmentRecord],
             targets: list[lc.TargetRecord], applications: list[lc.ApplicationRecord],
             *, as_of: dt.date, within: int) -> list[lc.DueItem]:
    items: list[lc.DueItem] = []
    for st in states:
        items.extend(lc.due_items(policies[st.policy], st, assessments, targets, as_of=as_of, within=within))
    for policy_id in sorted({st.policy for st in states if st.state != "revoked"}):
        expiry = lc.policy_expiry_due(policies[policy_id], as_of=as_of, within=within)
        if expiry:
            items.append(expiry)
    for app in applications:
        granted = any(c.policy_id == app.policy_id and c.certified_on >= app.received_on for c in certs)
        if not granted and app.policy_id in policies:
            items.extend(lc.application_due(policies[app.policy_id], app, as_of=as_of, within=within))
    return sorted(items, key=lambda i: (i.due_date, i.policy, i.what))


def _status_of(settings: Settings, session: Session, park: Park, as_of: dt.date, within: int) -> dict[str, Any]:
    ids = [park.id]
    certs = certification_records(session, park_ids=ids)[park.id]
    assessments = assessment_records(session, park_ids=ids)[park.id]
    targets = target_records(session, park_ids=ids)[park.id]
    applications = application_records(session, park_ids=ids)[park.id]
    policies = _policies(settings, [c.policy_id for c in certs] + [a.policy_id for a in applications])
    states = lc.derive_states(policies, certs, assessments, as_of)
    due = _due_for(settings, policies, states, certs, assessments, targets, applications, as_of=as_of, within=within)
    return {"park": park.code, "as_of": as_of.isoformat(),
            "certifications": [st.to_dict() for st in states],
            "due": [d.to_dict() for d in due]}


def park_status(settings: Settings, park_code: str, as_of: dt.date | None = None,
                within: int = DEFAULT_WITHIN_DAYS) -> dict[str, Any]:
    """Exactly the ``status --json`` structure (dates as ISO 8601 strings, absent values None).

    ``{"park", "as_of", "certifications": [{"policy", "level", "state", "policy_in_force",
    "certified_on", "revoked_on", "revoke_reason", "reapply_after", "rectification_due",
    "flags", "history": [{"cycle", "period", "rating", "date", "article"}]}],
    "due": [{"what", "policy", "due_date", "overdue", "article"}]}``
    """
    as_of = as_of or settings.today
    with Session(settings.engine) as session:
        return _status_of(settings, session, _park(session, park_code), as_of, within)


def due(settings: Settings, park_codes: Sequence[str] | None, *, as_of: dt.date | None = None,
        within: int = DEFAULT_WITHIN_DAYS) -> list[dict[str, Any]]:
    """What is due or overdue for the parks named (all parks when None): one
    ``{"park", "as_of", "due": [...]}`` per park, same items as ``status``."""
    as_of = as_of or settings.today
    if within < 0:
        raise ParkevalError(f"--within 应为非负天数，而不是 {within}")
    with Session(settings.engine) as session:
        if park_codes is None:
            parks = list(session.execute(select(Park).order_by(Park.code)).scalars())
        else:
            parks = [_park(session, code) for code in park_codes]
        ids = [p.id for p in parks]
        certs = certification_records(session, park_ids=ids)
        assessments = assessment_records(session, park_ids=ids)
        targets = target_records(session, park_ids=ids)
        applications = application_records(session, park_ids=ids)
        out = []
        for p in parks:
            policies = _policies(settings, [c.policy_id for c in certs[p.id]]
                                 + [a.policy_id for a in applications[p.id]])
            states = lc.derive_states(policies, certs[p.id], assessments[p.id], as_of)
            items = _due_for(settings, policies, states, certs[p.id], assessments[p.id], targets[p.id],
                             applications[p.id], as_of=as_of, within=within)
            out.append({"park": p.code, "as_of": as_of.isoformat(), "due": [i.to_dict() for i in items]})
    return out


# --------------------------------------------------------------------------- recording


def apply(settings: Settings, park_code: str, *, policy_id: str, received: dt.date,
          materials: Sequence[str] = ()) -> dict[str, Any]:
    """Record an application (申报) and return its materials checklist and deadlines."""
    from parkeval.db import session_scope

    policy = settings.registry.get(policy_id)
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
                options = "；".join(f"{m.id}（{m.name}）" for m in checklist) or "（该政策未列出申报材料）"
                raise ParkevalError(f"政策 {policy.id} 的申报材料中没有 “{part}”", hint=f"可用的材料：{options}")
            if mid not in submitted:
                submitted.append(mid)
    with session_scope(settings.engine) as session:
        park = _park(session, park_code)
        session.add(Application(park_id=park.id, policy_id=policy.id, received_on=received,
                                materials=",".join(submitted), recorded_by=settings.actor))
        audit.record(session, action="apply", park=park_code, by=settings.actor,
                     detail=f"{policy.id} 申请，收到 {received}，材料 {','.join(submitted) or '—'}")
    windows = lc.application_windows(policy, received)
    return {
        "park": park_code, "policy": policy.id, "received_on": received,
        "materials_article": policy.materials.article if policy.materials else None,
        "materials": [{"id": m.id, "name": m.name, "submitted": m.id in submitted} for m in checklist],
        "missing": [m.name for m in checklist if m.id not in submitted],
        **windows,
    }


def grant(settings: Settings, park_code: str, *, policy_id: str, on: dt.date, doc_no: str | None = None,
          level: str | None = None) -> dict[str, Any]:
    """Record a recognition (认定/授牌); refused while one is in force or a lockout runs."""
    from parkeval.db import session_scope

    policy = settings.registry.get(policy_id)
    with session_scope(settings.engine) as session:
        park = _park(session, park_code)
        certs = certification_records(session, park_ids=[park.id])[park.id]
        assessments = assessment_records(session, park_ids=[park.id])[park.id]
        lc.check_grant(policy, certs, assessments, on)
        session.add(Certification(park_id=park.id, policy_id=policy.id, certified_on=on, doc_no=doc_no,
                                  level=level or policy.level_name, recorded_by=settings.actor))
        audit.record(session, action="grant", park=park_code, by=settings.actor,
                     detail=f"{policy.id} 认定 {on}" + (f"（{doc_no}）" if doc_no else ""))
    warnings = []
    if not policy.in_force(on):
        warnings.append(f"认定日 {on} 不在《{policy.title}》的有效期内"
                        f"（{policy.effective_from} 至 {policy.effective_until or '—'}）")
    return {"park": park_code, "policy": policy.id, "certified_on": on, "doc_no": doc_no,
            "level": level or policy.level_name, "article": lc.recognition_article(policy), "warnings": warnings}


def waive(settings: Settings, park_code: str, *, policy_id: str, criterion: str, reason: str, by: str,
          until: dt.date | None = None) -> dict[str, Any]:
    """Record a justification for an unmet in-principle (原则) criterion."""
    from parkeval.db import session_scope

    policy = settings.registry.get(policy_id)
    c = policy.criterion(criterion)
    if c.strictness != "in_principle":
        principled = ", ".join(x.id for x in policy.criteria if x.strictness == "in_principle") or "（无）"
        raise ParkevalError(
            f"条件 {c.id}（{c.article} {c.title}）是必备条件，不能以说明理由代替",
            hint=f"只有“原则（上）”要求可以记录说明；{policy.id} 中这样的条件有：{principled}")
    if not reason.strip():
        raise ParkevalError("--reason 不能为空：请写明未满足该条件的理由")
    if not by.strip():
        raise ParkevalError("--by 不能为空：请写明作出说明的单位或人员")
    with session_scope(settings.engine) as session:
        park = _park(session, park_code)
        session.add(Waiver(park_id=park.id, policy_id=policy.id, criterion_id=c.id, reason=reason.strip(),
                           by=by.strip(), until=until))
        audit.record(session, action="waive", park=park_code, by=settings.actor,
                     detail=f"{policy.id} {c.id}：{reason.strip()}（{by.strip()}）" + (f"，至 {until}" if until else ""))
    return {"park": park_code, "policy": policy.id, "criterion": c.id, "article": c.article, "title": c.title,
            "reason": reason.strip(), "by": by.strip(), "until": until}


def rate(settings: Settings, park_code: str, *, policy_id: str, cycle: str, year: int, rating: str,
         date: dt.date | None = None, by: str | None = None) -> dict[str, Any]:
    """Record an official rating; it always wins over a proposal for the same period."""
    from parkeval.db import session_scope

    policy = settings.registry.get(policy_id)
    cyc = policy.cycle(cycle)
    word = lc.normalise_rating(rating)
    date = date or settings.today
    by = by or settings.actor
    with session_scope(settings.engine) as session:
        park = _park(session, park_code)
        certs = certification_records(session, park_ids=[park.id])[park.id]
        assessments = assessment_records(session, park_ids=[park.id])[park.id]
        lc.check_rating(policy, cyc, certs, assessments, year=year)
        row = session.execute(select(Assessment).where(
            Assessment.park_id == park.id, Assessment.policy_id == policy.id, Assessment.cycle == cyc.id,
            Assessment.year == year)).scalar_one_or_none()
        if row is None:
            row = Assessment(park_id=park.id, policy_id=policy.id, cycle=cyc.id, year=year)
        row.rating, row.rated_on, row.rated_by = word, date, by
        session.add(row)
        audit.record(session, action="rate", park=park_code, by=settings.actor,
                     detail=f"{policy.id} {cyc.id} {year}：{word}（{date}，{by}）")
        session.flush()
        after = lc.derive_states({policy.id: policy}, certs,
                                 assessments + [lc.AssessmentRecord(policy.id, cyc.id, year, word, date, by)],
                                 dt.date.max)
    warnings = [w for w in [lc.expiry_warning(policy, year)] if w]
    if not cyc.consequences:
        warnings.append(f"{cyc.name}（{cyc.article}）不产生考核后果：不合格不会导致整改或取消资格")
    mine = [s for s in after if s.certified_on.year <= year]
    state = mine[-1] if mine else None
    return {"park": park_code, "policy": policy.id, "cycle": cyc.id, "cycle_name": cyc.name,
            "period": lc.period_label(cyc, year), "year": year, "rating": word, "date": date, "by": by,
            "proposed_rating": row.proposed_rating, "article": cyc.article,
            "state": state.state if state else None,
            "revoke_reason": state.revoke_reason if state and state.revoked_year == year else None,
            "rectification_due": state.rectification_due if state else None,
            "warnings": warnings}


# --------------------------------------------------------------------------- assess


def _ratio(value: Fraction | Decimal | int | None) -> Decimal | None:
    if value is None:
        return None
    f = Fraction(value)
    return (Decimal(f.numerator) / Decimal(f.denominator)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def _assess(settings: Settings, session: Session, park: Park, policy: Policy, cycle_id: str,
            year: int) -> dict[str, Any]:
    from parkeval.engine import compute_metric
    from parkeval.repository import load_tallied
    from parkeval.services import certify

    cyc = policy.cycle(cycle_id)
    as_of = dt.date(year, 12, 31)
    result = certify(settings, policy_id=policy.id, park_codes=[park.code], year=year, as_of=as_of)[0]
    facts = load_tallied(session, codes=[park.code], as_of=as_of, years=(year,))[0].facts
    target = next((t for t in target_records(session, park_ids=[park.id])[park.id] if t.year == year), None)
    metrics: dict[str, Any] = {}
    attainment: dict[str, Decimal | None] = {}
    for metric, target_value in (("revenue", target.revenue_yuan if target else None),
                                 ("hr_institutions", target.hr_institutions if target else None),
                                 ("occupancy", target.occupancy if target else None)):
        mv = compute_metric(facts, Metric(metric), "park", None, year=year, as_of=as_of)
        actual = mv.value if metric != "occupancy" else _ratio(mv.value)
        att = None
        if target_value is not None and mv.value is not None and target_value != 0:
            att = _ratio(Fraction(mv.value) / Fraction(target_value))
        attainment[metric] = att
        metrics[metric] = {"actual": actual, "complete": mv.complete, "missing": mv.missing,
                           "target": target_value, "attainment": att}
    proposal = lc.propose_rating(policy, result.criteria, attainment)
    stored = next((a for a in assessment_records(session, park_ids=[park.id])[park.id]
                   if a.policy_id == policy.id and a.cycle == cyc.id and a.year == year), None)
    official = ({"rating": stored.rating, "rated_on": stored.rated_on.isoformat() if stored.rated_on else None,
                 "rated_by": stored.rated_by} if stored and stored.rating else None)
    warnings = list(result.warnings)
    expired = lc.expiry_warning(policy, year)
    if expired:
        warnings.insert(0, expired)
    return {
        "park": park.code, "park_name": park.name, "policy": policy.id, "cycle": cyc.id,
        "cycle_name": cyc.name, "article": cyc.article, "year": year, "period": lc.period_label(cyc, year),
        "as_of": as_of.isoformat(), "verdict": result.verdict, "policy_in_force": result.policy_in_force,
        "warnings": warnings,
        "thresholds": [{"id": c.id, "article": c.article, "title": c.title, "status": c.status,
                        "strictness": c.strictness, "gap": c.gap} for c in result.criteria],
        "targets": {"year": year, "goals": target.goals if target else None, "metrics": metrics,
                    "recorded": target is not None},
        "proposal": proposal, "official": official,
        "effective_rating": official["rating"] if official else proposal["rating"],
        "saved": False,
    }


def assessment_summary(settings: Settings, park_code: str, policy_id: str, cycle: str, year: int) -> dict[str, Any]:
    """The ``assess --json`` structure for a period, computed afresh and not saved.

    Dates are ISO 8601 strings; money, ratios and scores are exact Decimals. ``official`` is
    the recorded official rating (or None) and ``effective_rating`` is it when present,
    else the proposal: an official rating always wins.
    """
    policy = settings.registry.get(policy_id)
    with Session(settings.engine) as session:
        return _assess(settings, session, _park(session, park_code), policy, cycle, year)


def assess(settings: Settings, park_code: str, *, policy_id: str, cycle: str, year: int,
           save: bool = False) -> dict[str, Any]:
    """Compute the period's metrics, re-check thresholds, compare with targets, propose a rating;
    with ``save`` store the proposal (an official rating already recorded is kept)."""
    from parkeval.db import session_scope

    policy = settings.registry.get(policy_id)
    cyc = policy.cycle(cycle)
    with session_scope(settings.engine) as session:
        park = _park(session, park_code)
        summary = _assess(settings, session, park, policy, cyc.id, year)
        if save:
            certs = certification_records(session, park_ids=[park.id])[park.id]
            assessments = assessment_records(session, park_ids=[park.id])[park.id]
            lc.check_rating(policy, cyc, certs, assessments, year=year, official=False)
            row = session.execute(select(Assessment).where(
                Assessment.park_id == park.id, Assessment.policy_id == policy.id, Assessment.cycle == cyc.id,
                Assessment.year == year)).scalar_one_or_none()
            if row is None:
                row = Assessment(park_id=park.id, policy_id=policy.id, cycle=cyc.id, year=year)
            row.proposed_rating = summary["proposal"]["rating"]
            row.proposed_score = summary["proposal"]["score"]
            row.proposed_on = settings.today
            session.add(row)
            audit.record(session, action="assess", park=park_code, by=settings.actor,
                         detail=f"{policy.id} {cyc.id} {year} 建议：{row.proposed_rating}（{row.proposed_score} 分）")
            summary["saved"] = True
    return summary


# --------------------------------------------------------------------------- dossier import


def file_target(settings: Settings, park_code: str, *, year: int, revenue_yuan: Decimal | None = None,
                hr_institutions: int | None = None, occupancy: Decimal | None = None, goals: str | None = None,
                filed_on: dt.date | None = None) -> dict[str, Any]:
    """Record a year's development targets (年度发展目标; occupancy as a ratio, 0.655 for
    65.5%); filing again for the year replaces them."""
    from parkeval.db import session_scope

    values = {"revenue_yuan": revenue_yuan, "hr_institutions": hr_institutions, "occupancy": occupancy,
              "goals": goals.strip() if goals and goals.strip() else None}
    if all(v is None for v in values.values()):
        raise ParkevalError("没有目标可记录", hint="至少给出 --revenue、--hr、--occupancy、--goals 中的一项")
    filed_on = filed_on or settings.today
    with session_scope(settings.engine) as session:
        park = _park(session, park_code)
        row = session.execute(select(Target).where(Target.park_id == park.id, Target.year == year)).scalar_one_or_none()
        if row is not None and row.source == "dossier":
            raise ParkevalError(f"{park_code} 的 {year} 年度目标来自档案（{park.source_file}）",
                                hint="请在档案的“年度目标”中修改后重新导入 (parkeval import)")
        replaced = row is not None
        if row is None:
            row = Target(park_id=park.id, year=year)
        for key, value in values.items():
            setattr(row, key, value)
        row.filed_on, row.source = filed_on, "cli"
        session.add(row)
        shown = "，".join(f"{k}={v}" for k, v in values.items() if v is not None)
        audit.record(session, action="target", park=park_code, by=settings.actor,
                     detail=f"{year} 年度目标{'（更新）' if replaced else ''}：{shown}（报备 {filed_on}）")
    return {"park": park_code, "year": year, **values, "filed_on": filed_on, "replaced": replaced}


def _assessment_row(session: Session, park: Park, policy: Policy, cycle_id: str, year: int,
                    column: str) -> Assessment:
    """The assessment a confirmation or a rectification is recorded on. A row that came from
    a dossier is changed in the dossier: the next import would replace it and lose the change."""
    cyc = policy.cycle(cycle_id)
    row = session.execute(select(Assessment).where(
        Assessment.park_id == park.id, Assessment.policy_id == policy.id, Assessment.cycle == cyc.id,
        Assessment.year == year)).scalar_one_or_none()
    if row is None:
        raise ParkevalError(f"{park.code} 没有 {policy.id} {cyc.name} {lc.period_label(cyc, year)} 的记录",
                            hint="先用 parkeval rate 记录正式等次，或用 parkeval assess --save 保存自评建议")
    if row.source == "dossier":
        raise ParkevalError(f"{park.code} 的 {lc.period_label(cyc, year)} {cyc.name}记录来自档案（{park.source_file}）",
                            hint=f"请在档案“考核评估”的“{column}”中填写后重新导入 (parkeval import)")
    return row


def confirm(settings: Settings, park_code: str, *, policy_id: str, cycle: str, year: int, by: str,
            on: dt.date | None = None) -> dict[str, Any]:
    """Record the city bureau's review and confirmation (审核确认) of a self-evaluation."""
    from parkeval.db import session_scope

    policy = settings.registry.get(policy_id)
    if not by.strip():
        raise ParkevalError("--by 不能为空：请写明审核确认的单位（如 某市人力资源和社会保障局）")
    on = on or settings.today
    with session_scope(settings.engine) as session:
        park = _park(session, park_code)
        row = _assessment_row(session, park, policy, cycle, year, "审核确认单位/审核确认日期")
        if row.confirmed_on is not None:
            raise ParkevalError(f"该期已于 {row.confirmed_on} 由 {row.confirmed_by} 审核确认，未重复记录")
        row.confirmed_by, row.confirmed_on = by.strip(), on
        session.add(row)
        cyc = policy.cycle(cycle)
        audit.record(session, action="confirm", park=park_code, by=settings.actor,
                     detail=f"{policy.id} {cyc.id} {year} 审核确认（{by.strip()}，{on}）")
    return {"park": park_code, "policy": policy.id, "cycle": cyc.id, "cycle_name": cyc.name,
            "period": lc.period_label(cyc, year), "year": year, "confirmed_by": by.strip(), "confirmed_on": on,
            "rating": row.rating, "proposed_rating": row.proposed_rating}


def rectified(settings: Settings, park_code: str, *, policy_id: str, cycle: str, year: int,
              on: dt.date | None = None) -> dict[str, Any]:
    """Record that the rectification after a 不合格 rating was completed; the certification is
    then no longer ``rectifying``."""
    from parkeval.db import session_scope

    policy = settings.registry.get(policy_id)
    on = on or settings.today
    with session_scope(settings.engine) as session:
        park = _park(session, park_code)
        row = _assessment_row(session, park, policy, cycle, year, "整改完成日期")
        cyc = policy.cycle(cycle)
        if row.rating != "不合格":
            raise ParkevalError(f"{lc.period_label(cyc, year)} {cyc.name}的正式等次是 {row.rating or '（尚未评定）'}，"
                                "只有不合格才需要整改")
        if row.rectified_on is not None:
            raise ParkevalError(f"该期的整改已于 {row.rectified_on} 记录完成，未重复记录")
        if row.rated_on is not None and on < row.rated_on:
            raise ParkevalError(f"整改完成日期 {on} 早于评定日期 {row.rated_on}")
        row.rectified_on = on
        session.add(row)
        audit.record(session, action="rectified", park=park_code, by=settings.actor,
                     detail=f"{policy.id} {cyc.id} {year} 不合格整改完成（{on}）")
    # the certification the rated year belongs to: the latest one recognised by then
    status = park_status(settings, park_code, as_of=on)
    mine = sorted((c for c in status["certifications"]
                   if c["policy"] == policy.id and str(c["certified_on"]) <= f"{year}-12-31"),
                  key=lambda c: str(c["certified_on"]))
    cert = mine[-1] if mine else None
    return {"park": park_code, "policy": policy.id, "cycle": cyc.id, "cycle_name": cyc.name,
            "period": lc.period_label(cyc, year), "year": year, "rectified_on": on,
            "state": cert["state"] if cert else None}


def import_history(session: Session, park_id: int, dossier: Any, settings: Settings) -> None:
    """IMPORT_HOOKS entry: store a dossier's certifications, targets and assessments.

    Rows from an earlier import of the park are replaced; rows recorded with commands are
    kept, and a dossier row that contradicts one is an error (nothing is written).
    """
    sections = {k: dossier.extra.get(k, []) for k in ("certifications", "targets", "assessments")}
    for table in (Certification, Target, Assessment):
        session.execute(delete(table).where(table.park_id == park_id, table.source == "dossier"))
    if not any(sections.values()):
        return
    problems: list[Problem] = []
    for ref, v in sections["certifications"] + sections["assessments"]:
        if v["policy"] not in settings.registry.policies:
            problems.append(Problem(ref.at("policy"), f"未知的政策 “{v['policy']}”；已知：{', '.join(sorted(settings.registry.policies))}"))
        elif "cycle" in v:
            policy = settings.registry.get(v["policy"])
            if v["cycle"] not in {c.id for c in policy.cycles}:
                problems.append(Problem(ref.at("cycle"), f"政策 {policy.id} 没有考核周期 “{v['cycle']}”；"
                                        f"可用：{', '.join(c.id for c in policy.cycles)}"))
    if problems:
        raise InputError(problems)
    certs = certification_records(session, park_ids=[park_id])[park_id]
    existing_assessments = {(a.policy_id, a.cycle, a.year): a
                            for a in assessment_records(session, park_ids=[park_id])[park_id]}
    existing_certs = {(c.policy_id, c.certified_on) for c in certs}
    existing_targets = {t.year for t in target_records(session, park_ids=[park_id])[park_id]}
    all_certs = certs + [lc.CertificationRecord(v["policy"], v["certified_on"]) for _, v in sections["certifications"]]
    for _ref, v in sections["certifications"]:
        if (v["policy"], v["certified_on"]) in existing_certs:
            continue  # already recorded with `grant`
        session.add(Certification(park_id=park_id, policy_id=v["policy"], certified_on=v["certified_on"],
                                  doc_no=v["doc_no"], level=v["level"] or settings.registry.get(v["policy"]).level_name,
                                  source="dossier", recorded_by=settings.actor))
    for ref, v in sections["targets"]:
        if v["year"] in existing_targets:
            problems.append(Problem(ref.at("year"), f"{v['year']} 年度目标已用命令记录，不能再从档案导入"))
            continue
        session.add(Target(park_id=park_id, year=v["year"], revenue_yuan=v["revenue_yuan"],
                           hr_institutions=v["hr_institutions"], occupancy=v["occupancy"], goals=v["goals"],
                           filed_on=v["filed_on"], source="dossier"))
    for ref, v in sections["assessments"]:
        key = (v["policy"], v["cycle"], v["year"])
        if key in existing_assessments:
            problems.append(Problem(ref.at("year"), f"{v['policy']} {v['cycle']} {v['year']} 年度已用命令记录，"
                                    "不能再从档案导入（请删除此行）"))
            continue
        if v["rating"] and not any(c.policy_id == v["policy"] and c.certified_on.year <= v["year"] for c in all_certs):
            problems.append(Problem(ref.at("year"), f"{v['year']} 年度园区尚未获 {v['policy']} 认定，不能有正式等次"))
            continue
        session.add(Assessment(park_id=park_id, policy_id=v["policy"], cycle=v["cycle"], year=v["year"],
                               rating=v["rating"], rated_on=v["rated_on"], rated_by=v["rated_by"],
                               proposed_rating=v["proposed_rating"], proposed_score=v["proposed_score"],
                               confirmed_by=v["confirmed_by"], confirmed_on=v["confirmed_on"],
                               rectified_on=v["rectified_on"], source="dossier"))
    if problems:
        raise InputError(problems)


def _register() -> None:
    from parkeval.services import IMPORT_HOOKS, WAIVER_LOADERS

    if import_history not in IMPORT_HOOKS:
        IMPORT_HOOKS.append(import_history)
    if load_waivers not in WAIVER_LOADERS:
        WAIVER_LOADERS.append(load_waivers)


_register()

__all__ = ["apply", "assess", "assessment_summary", "confirm", "due", "file_target", "grant", "park_status",
           "rate", "rectified", "waive", "ConflictError"]
