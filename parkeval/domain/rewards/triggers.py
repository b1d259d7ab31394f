"""What triggers a claim in a year, and a rule's further requirements, read from one
beneficiary's facts: honours (first time judged against the whole recorded history), revenue
tiers, ratings, hires meeting their contract and insurance conditions, events by size, booths,
months of operation, settling, assessments, intern-months, the bureau's approvals."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from parkeval.domain.rewards.facts import Fact, SubjectFacts, add_months, months_between
from parkeval.domain.rewards.words import CATEGORY_WORDS, FORM_WORDS, OP_WORDS, honour_name, money
from parkeval.policy.model import compare
from parkeval.policy.scheme.model import Condition, Requirement, Rule, Scheme


@dataclass
class Occasion:
    """One occasion of a rule in a year: when, why, the item (an event, a booth), a computed
    amount, the tier; or, with ``reason``, why it is set aside already."""

    day: dt.date
    why: str
    item: str | None = None
    item_key: int | None = None  # one fact (an event, a booth) when claims are per item
    computed: Decimal | None = None  # per head, percentage, wage share
    tier: int | None = None
    reason: str | None = None  # set aside already: unmet, missing_data, not_first
    detail: str = ""


def _cond_text(cond: Condition, unit: str, value: Decimal | None = None) -> str:
    shown = money(cond.value) if unit == "元" else f"{cond.value.normalize():f}{unit}"
    word = cond.word or OP_WORDS[cond.op]
    text = (
        f"{word}{shown}"
        if word in ("超过", "满", "达", "达到", "不少于", "不超过")
        else f"{shown}{word}"
    )
    if value is not None:
        actual = money(value) if unit == "元" else f"{value.normalize():f}{unit}"
        return f"{actual}（须{text}）"
    return text


def _holds(cond: Condition, value: Decimal | int) -> bool:
    return compare(Decimal(value), cond.op, cond.value)


def settled_fact(sf: SubjectFacts) -> Fact | None:
    """The first location recorded with a date: when the beneficiary settled."""
    found = [f for f in sf.of("location") if f.on is not None]
    return found[0] if found else None


def _honours(sf: SubjectFacts, lists: list[str], levels: Sequence[str] | None) -> list[Fact]:
    return [f for f in sf.of("honour") if f.code in lists and (levels is None or f.level in levels)]


def occasions(rule: Rule, sf: SubjectFacts, year: int, scheme: Scheme) -> list[Occasion]:
    """The occasions of a rule's trigger in a year (set-asides carry their reason)."""
    t = rule.trigger
    out: list[Occasion] = []
    if t.kind == "honour":
        assert t.lists is not None
        for f in _honours(sf, t.lists, t.levels):
            if f.fact_year != year:
                continue
            name = honour_name(f.code, f.level)
            occ = Occasion(f.when, f"{year}年获{name}", item=name if len(t.lists) > 1 else None)
            if t.first:
                same = [
                    e
                    for e in sf.of("honour")
                    if e.code == f.code
                    and (t.levels is None or e.level == f.level)
                    and (e.when, e.id) < (f.when, f.id)
                ]
                if same:
                    occ.reason, occ.detail = (
                        "not_first",
                        f"此前已于{same[0].fact_year}年获{name}，本次并非首次",
                    )
                else:
                    occ.why = f"{year}年首次获{name}（记录的全部历史中无更早记录）"
            out.append(occ)
    elif t.kind == "revenue_tiers":
        out += _tier_occasion(rule, sf, year)
    elif t.kind == "rating":
        assert t.values is not None
        for f in sf.in_year("rating", year):
            if f.code in t.values:
                out.append(Occasion(f.when, f"{year}年评定为{f.code}级"))
    elif t.kind == "hires":
        out += _hire_occasion(rule, sf, year)
    elif t.kind == "event":
        assert t.organisations is not None and t.attendees is not None
        for f in sf.in_year("event", year):
            orgs, people = f.count or 0, f.attendees or 0
            item = f"{f.note or '活动'}（{f.when.isoformat() if f.on else year}）"
            occ = Occasion(f.when, f"组织{orgs}家、参会{people}人", item=item, item_key=f.id)
            if not (_holds(t.organisations, orgs) and _holds(t.attendees, people)):
                occ.reason = "unmet"
                occ.detail = (
                    f"组织{_cond_text(t.organisations, '家', Decimal(orgs))}，"
                    f"参会{_cond_text(t.attendees, '人', Decimal(people))}"
                )
            out.append(occ)
    elif t.kind == "booths":
        amount = rule.amount
        assert amount.rate is not None
        for f in sf.in_year("booth", year):
            cost, booths = f.amount or Decimal(0), f.count or 1
            grant = cost * amount.rate
            cap = (amount.item_caps or {}).get(f.code or "")
            note = ""
            if cap is not None and grant > cap * booths:
                grant, note = cap * booths, f"，每个展位最高{money(cap)}"
            where = "境外" if f.code == "overseas" else "境内"
            out.append(
                Occasion(
                    f.when,
                    f"{where}展位{booths}个，费用{money(cost)}，按{(amount.rate * 100).normalize():f}%补助{note}",
                    item=f"{f.note or where + '展位'}",
                    item_key=f.id,
                    computed=grant,
                )
            )
    elif t.kind == "operating":
        assert t.months is not None
        settled = settled_fact(sf)
        if settled is not None and settled.on is not None:
            months = int(t.months.value) + (1 if t.months.op == ">" else 0)
            reached = add_months(settled.on, months)
            if reached.year == year:
                out.append(
                    Occasion(
                        reached,
                        f"{settled.on.isoformat()}落户，{reached.isoformat()}运营满{months}个月",
                    )
                )
    elif t.kind == "settled":
        settled = settled_fact(sf)
        if settled is not None and settled.on is not None and settled.on.year == year:
            out.append(Occasion(settled.on, f"{settled.on.isoformat()}设立"))
    elif t.kind == "assessment":
        assert t.lists is not None
        for f in sf.in_year("assessment", year):
            if f.code not in t.lists:
                continue
            name = honour_name(f.code)
            earlier = [h for h in _honours(sf, t.lists, None) if h.fact_year < year]
            occ = Occasion(
                f.when, f"{year}年{name}考核合格（{earlier[0].fact_year}年认定）" if earlier else ""
            )
            if f.result != "pass":
                occ.reason, occ.detail = "unmet", f"{year}年{name}考核不合格"
            elif not earlier:
                occ.reason, occ.detail = "unmet", f"{year}年之前无{name}认定记录"
            out.append(occ)
    elif t.kind == "interns":
        shares = rule.amount.shares or {}
        wage = Decimal(str(scheme.setting(rule.amount.setting or "")))
        total, months = Decimal(0), 0
        for f in sf.in_year("intern", year):
            share = shares.get(f.level or "city", shares.get("city", Decimal(0)))
            total += Decimal(f.count or 0) * wage * share
            months += f.count or 0
        if months:
            out.append(
                Occasion(
                    dt.date(year, 12, 31),
                    f"{year}年见习{months}人月，最低工资标准{money(wage)}/月",
                    computed=total,
                )
            )
    elif t.kind == "approval":
        for f in sf.in_year("approval", year):
            if f.code == rule.id:
                out.append(Occasion(f.when, f"主管部门核定{year}年度{money(f.amount or 0)}"))
                break
    return out


def _tier_occasion(rule: Rule, sf: SubjectFacts, year: int) -> list[Occasion]:
    measure = rule.trigger.measure
    label = "主营业务收入" if measure == "main_business" else "营业收入"
    found = [f for f in sf.in_year("revenue", year) if f.code == measure]
    day = dt.date(year, 12, 31)
    if not found:
        if not sf.of("revenue"):
            return []
        return [Occasion(day, "", reason="missing_data", detail=f"未记录{year}年度{label}")]
    value = found[-1].amount or Decimal(0)
    for i, t in enumerate(rule.amount.tiers or []):
        if value >= t.min and (t.max is None or value < t.max):
            bounds = (
                f"{money(t.min)}（含）至{money(t.max)}（不含）"
                if t.max
                else f"{money(t.min)}及以上"
            )
            return [Occasion(day, f"{year}年度{label}{money(value)}，在{bounds}档", tier=i)]
    lowest = (rule.amount.tiers or [])[0].min
    return [
        Occasion(
            day,
            "",
            reason="unmet",
            detail=f"{year}年度{label}{money(value)}，未达到最低档{money(lowest)}",
        )
    ]


def _hire_occasion(rule: Rule, sf: SubjectFacts, year: int) -> list[Occasion]:
    t = rule.trigger
    facts = [f for f in sf.in_year("hire", year) if f.code in (t.categories or [])]
    if not facts:
        return []
    qualifying, excluded = 0, 0
    for f in facts:
        ok = (
            t.contract_months is None
            or (f.contract_months is not None and _holds(t.contract_months, f.contract_months))
        ) and (
            t.insured_months is None
            or (f.insured_months is not None and _holds(t.insured_months, f.insured_months))
        )
        if ok:
            qualifying += f.count or 0
        else:
            excluded += f.count or 0
    who = "、".join(CATEGORY_WORDS.get(c, c) for c in t.categories or [])
    terms = []
    if t.contract_months is not None:
        terms.append(f"劳动合同{_cond_text(t.contract_months, '个月')}")
    if t.insured_months is not None:
        terms.append(f"参保{_cond_text(t.insured_months, '个月')}")
    cond = "、".join(terms)
    why = f"{year}年{who}{qualifying}人符合条件" + (f"（{cond}）" if cond else "")
    if excluded:
        why += f"，另有{excluded}人不符合条件未计入"
    rate = rule.amount.rate or Decimal(0)
    occ = Occasion(dt.date(year, 12, 31), why, computed=rate * qualifying)
    need = (
        t.count
        if t.count is not None
        else Condition(op=">=", value=Decimal(1), interpretation="至少1人")
    )
    if not _holds(need, qualifying):
        occ.reason = "unmet"
        occ.detail = f"{year}年符合条件的{who}{_cond_text(need, '人', Decimal(qualifying))}" + (
            f"（{cond}）" if cond else ""
        )
    return [occ]


def requirement(
    req: Requirement, sf: SubjectFacts, year: int, day: dt.date
) -> tuple[str | None, str]:
    """A further requirement on the occasion's day: (None, why) when met, (reason, detail) when not."""
    """(None, why) when met; (reason, detail) when not."""
    if req.fact in ("form", "park_area"):
        loc = sf.location_on(day)
        if loc is None:
            return "missing_data", f"未记录{day.isoformat()}时的落户形式与所在园区"
        if req.fact == "form":
            forms = "或".join(FORM_WORDS[f] for f in req.forms or [])
            if loc.code not in (req.forms or []):
                return (
                    "unmet",
                    f"落户形式为{FORM_WORDS.get(loc.code or '', loc.code or '未填')}，须为{forms}",
                )
            return None, f"形式为{FORM_WORDS[loc.code or '']}"
        if (loc.area or "").strip() != (req.area or "").strip():
            return "unmet", f"所在园区为{loc.area or '未填'}，须在{req.area}"
        return None, f"位于{req.area}"
    if req.fact == "months_operating":
        settled = settled_fact(sf)
        if settled is None or settled.on is None:
            return "missing_data", "未记录落户日期"
        assert req.condition is not None
        months = months_between(settled.on, day)
        if not _holds(req.condition, months):
            return "unmet", f"运营{_cond_text(req.condition, '个月', Decimal(months))}"
        return None, f"运营{months}个月"
    if req.fact == "revenue":
        assert req.condition is not None
        label = "主营业务收入" if req.measure == "main_business" else "营业收入"
        found = [f for f in sf.of("revenue") if f.code == req.measure and f.fact_year <= year]
        if not found:
            return "missing_data", f"未记录{label}"
        latest = max(found, key=lambda f: f.fact_year)
        value = latest.amount or Decimal(0)
        if not _holds(req.condition, value):
            return "unmet", f"{latest.fact_year}年度{label}{_cond_text(req.condition, '元', value)}"
        return None, f"{latest.fact_year}年度{label}{money(value)}"
    # honour held by then (历年)
    found = [f for f in _honours(sf, req.lists or [], req.levels) if f.fact_year <= year]
    if not found:
        names = "或".join(
            honour_name(code, lv)
            for code in req.lists or []
            for lv in (req.levels or [None])  # type: ignore[list-item]
        )
        return "unmet", f"无{names}记录"
    return None, f"{found[0].fact_year}年获{honour_name(found[0].code, found[0].level)}"
