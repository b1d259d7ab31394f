"""Rewards of one beneficiary under one scheme, year by year: pure, from the recorded facts.

The years from the scheme's first year to the year asked are replayed in order, because what
a year may pay depends on the years before: a one-off award already claimed, a revenue tier
already rewarded (the lz top-up), a title that is not the first. In each year: the occasions
of each rule (its trigger), then its requirements, the validity, the exclusions, first time,
once, the quota, the amount (fixed, ceiling, range, per head, percentage, tiers), then the
groups (only the highest), then the caps per item → per firm per year → by contribution.
Caps per fund per year are the budget's (:mod:`.budget`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from parkeval.domain.rewards.facts import Fact, SubjectFacts, add_months, months_between
from parkeval.domain.rewards.results import Claim, SetAside, SubjectRewards
from parkeval.domain.rewards.words import (
    CATEGORY_WORDS,
    FORM_WORDS,
    LEVEL_WORDS,
    OP_WORDS,
    honour_name,
    money,
)
from parkeval.policy.model import compare
from parkeval.policy.scheme.model import Condition, Requirement, Rule, Scheme

# Quota entries per rule: (date of the honour, beneficiary), for every beneficiary.
Population = dict[str, list[tuple[dt.date, str]]]


@dataclass
class _Occasion:
    day: dt.date
    why: str
    item: str | None = None
    item_key: int | None = None  # one fact (an event, a booth) when claims are per item
    computed: Decimal | None = None  # per head, percentage, wage share
    tier: int | None = None
    reason: str | None = None  # set aside already: unmet, missing_data, not_first
    detail: str = ""


@dataclass
class _State:
    once: dict[str, int] = field(default_factory=dict)  # rule → the year it was claimed
    tier: dict[str, tuple[int, Decimal, int]] = field(default_factory=dict)  # index, counted, year


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


def _settled(sf: SubjectFacts) -> Fact | None:
    found = [f for f in sf.of("location") if f.on is not None]
    return found[0] if found else None


def _honours(sf: SubjectFacts, lists: list[str], levels: Sequence[str] | None) -> list[Fact]:
    return [f for f in sf.of("honour") if f.code in lists and (levels is None or f.level in levels)]


def _occasions(rule: Rule, sf: SubjectFacts, year: int, scheme: Scheme) -> list[_Occasion]:
    t = rule.trigger
    out: list[_Occasion] = []
    if t.kind == "honour":
        assert t.lists is not None
        for f in _honours(sf, t.lists, t.levels):
            if f.fact_year != year:
                continue
            name = honour_name(f.code, f.level)
            occ = _Occasion(f.when, f"{year}年获{name}", item=name if len(t.lists) > 1 else None)
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
                out.append(_Occasion(f.when, f"{year}年评定为{f.code}级"))
    elif t.kind == "hires":
        out += _hire_occasion(rule, sf, year)
    elif t.kind == "event":
        assert t.organisations is not None and t.attendees is not None
        for f in sf.in_year("event", year):
            orgs, people = f.count or 0, f.attendees or 0
            item = f"{f.note or '活动'}（{f.when.isoformat() if f.on else year}）"
            occ = _Occasion(f.when, f"组织{orgs}家、参会{people}人", item=item, item_key=f.id)
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
                _Occasion(
                    f.when,
                    f"{where}展位{booths}个，费用{money(cost)}，按{(amount.rate * 100).normalize():f}%补助{note}",
                    item=f"{f.note or where + '展位'}",
                    item_key=f.id,
                    computed=grant,
                )
            )
    elif t.kind == "operating":
        assert t.months is not None
        settled = _settled(sf)
        if settled is not None and settled.on is not None:
            months = int(t.months.value) + (1 if t.months.op == ">" else 0)
            reached = add_months(settled.on, months)
            if reached.year == year:
                out.append(
                    _Occasion(
                        reached,
                        f"{settled.on.isoformat()}落户，{reached.isoformat()}运营满{months}个月",
                    )
                )
    elif t.kind == "settled":
        settled = _settled(sf)
        if settled is not None and settled.on is not None and settled.on.year == year:
            out.append(_Occasion(settled.on, f"{settled.on.isoformat()}设立"))
    elif t.kind == "assessment":
        assert t.lists is not None
        for f in sf.in_year("assessment", year):
            if f.code not in t.lists:
                continue
            name = honour_name(f.code)
            earlier = [h for h in _honours(sf, t.lists, None) if h.fact_year < year]
            occ = _Occasion(
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
                _Occasion(
                    dt.date(year, 12, 31),
                    f"{year}年见习{months}人月，最低工资标准{money(wage)}/月",
                    computed=total,
                )
            )
    elif t.kind == "approval":
        for f in sf.in_year("approval", year):
            if f.code == rule.id:
                out.append(_Occasion(f.when, f"主管部门核定{year}年度{money(f.amount or 0)}"))
                break
    return out


def _tier_occasion(rule: Rule, sf: SubjectFacts, year: int) -> list[_Occasion]:
    measure = rule.trigger.measure
    label = "主营业务收入" if measure == "main_business" else "营业收入"
    found = [f for f in sf.in_year("revenue", year) if f.code == measure]
    day = dt.date(year, 12, 31)
    if not found:
        if not sf.of("revenue"):
            return []
        return [_Occasion(day, "", reason="missing_data", detail=f"未记录{year}年度{label}")]
    value = found[-1].amount or Decimal(0)
    for i, t in enumerate(rule.amount.tiers or []):
        if value >= t.min and (t.max is None or value < t.max):
            bounds = (
                f"{money(t.min)}（含）至{money(t.max)}（不含）"
                if t.max
                else f"{money(t.min)}及以上"
            )
            return [_Occasion(day, f"{year}年度{label}{money(value)}，在{bounds}档", tier=i)]
    lowest = (rule.amount.tiers or [])[0].min
    return [
        _Occasion(
            day,
            "",
            reason="unmet",
            detail=f"{year}年度{label}{money(value)}，未达到最低档{money(lowest)}",
        )
    ]


def _hire_occasion(rule: Rule, sf: SubjectFacts, year: int) -> list[_Occasion]:
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
    occ = _Occasion(dt.date(year, 12, 31), why, computed=rate * qualifying)
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


def _requirement(
    req: Requirement, sf: SubjectFacts, year: int, day: dt.date
) -> tuple[str | None, str]:
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
        settled = _settled(sf)
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


def _excluded(scheme: Scheme, sf: SubjectFacts, year: int) -> str | None:
    for ex in scheme.exclusions:
        if ex.fact == "no_star_last_year":
            if any(f.code == "无星" for f in sf.in_year("rating", year - 1)):
                return f"{year - 1}年度星级评定为无星（{ex.article}）"
        else:
            hit = [
                f for f in sf.of("status") if f.code == "severe_dishonesty" and f.fact_year <= year
            ]
            if hit:
                return f"{hit[0].fact_year}年列入严重失信名单（{ex.article}）"
    return None


def _quota_full(
    rule: Rule, scheme: Scheme, sf: SubjectFacts, day: dt.date, population: Population
) -> str | None:
    if rule.quota is None or scheme.start is None:
        return None
    span = rule.quota.every_years
    first = scheme.start.year + ((day.year - scheme.start.year) // span) * span
    entries = sorted(
        (d, s) for d, s in population.get(rule.id, []) if first <= d.year < first + span
    )
    ranked = list(dict.fromkeys(s for _, s in entries))
    if sf.subject in ranked and ranked.index(sf.subject) >= rule.quota.count:
        return (
            f"{first}—{first + span - 1}年{rule.quota.word}{rule.quota.count}个名额，"
            f"按获评日期排在第{ranked.index(sf.subject) + 1}位"
        )
    return None


def _approved(sf: SubjectFacts, rule: Rule, year: int) -> Decimal | None:
    found = [f for f in sf.in_year("approval", year) if f.code == rule.id]
    return found[-1].amount if found else None


def _paid(
    sf: SubjectFacts, rule_id: str, before: int | None = None, since: int | None = None
) -> Decimal | None:
    found = [
        f.amount or Decimal(0)
        for f in sf.of("payment")
        if f.code == rule_id
        and (before is None or f.fact_year < before)
        and (since is None or f.fact_year >= since)
    ]
    return sum(found, Decimal(0)) if found else None


def _claim(
    rule: Rule, occ: _Occasion, sf: SubjectFacts, year: int, scheme: Scheme, state: _State
) -> Claim | SetAside:
    a = rule.amount
    approved = _approved(sf, rule, year)
    claim = Claim(
        rule=rule.id, title=rule.title, article=rule.article, wording=rule.wording, year=year,
        amount=Decimal(0), basis="fixed", why=occ.why, subject=sf.subject, subject_kind=sf.subject_kind,
        item=occ.item, approved=approved, fund=rule.fund, group=rule.group,
    )  # fmt: skip
    if a.kind == "fixed":
        assert a.value is not None
        claim.amount = a.value
    elif a.kind == "ceiling":
        assert a.value is not None
        claim.ceiling, claim.amount, claim.basis = a.value, a.value, "ceiling"
    elif a.kind == "range":
        assert a.min is not None and a.max is not None
        claim.minimum, claim.ceiling, claim.amount, claim.basis = a.min, a.max, a.max, "range"
        if approved is not None and not a.min <= approved <= a.max:
            claim.notes.append(
                f"核定金额{money(approved)}不在{money(a.min)}—{money(a.max)}之间，请核对"
            )
    elif a.kind in ("per_head", "percent", "wage_share"):
        claim.amount, claim.basis = occ.computed or Decimal(0), "computed"
        if a.cap is not None and claim.amount > a.cap:
            claim.notes.append(
                f"按标准计{money(claim.amount)}，超过单项上限，按上限{money(a.cap)}计"
            )
            claim.amount = a.cap
        claim.ceiling = a.cap
    elif a.kind == "tiers":
        assert occ.tier is not None and a.tiers is not None
        tier = a.tiers[occ.tier]
        claim.tier = occ.tier + 1
        claim.ceiling = tier.value if tier.ceiling else None
        claim.amount, claim.basis = tier.value, ("ceiling" if tier.ceiling else "fixed")
        before = state.tier.get(rule.id)
        if before is not None:
            index, counted, when = before
            if occ.tier <= index:
                return SetAside(
                    rule.id, rule.title, rule.article, year, "not_higher_tier",
                    f"{occ.why}；{when}年已按第{index + 1}档享受，未升档（不得重复享受）",
                    subject=sf.subject, amount=tier.value,
                )  # fmt: skip
            if (
                str(
                    scheme.setting("tier_move")
                    if any(s.id == "tier_move" for s in scheme.local_settings)
                    else "top_up"
                )
                == "top_up"
            ):
                paid = _paid(sf, rule.id, before=year)
                received = paid if paid is not None else counted
                claim.paid_before = received
                claim.amount, claim.basis = max(tier.value - received, Decimal(0)), "top_up"
                claim.why += (
                    f"；由第{index + 1}档升至第{occ.tier + 1}档，按新档{money(tier.value)}减去已获"
                    f"{money(received)}补差"
                    + ("" if paid is not None else "（未记录拨付，按此前应得额计）")
                )
    if approved is not None and a.kind != "fixed":
        if claim.ceiling is not None and approved > claim.amount and a.kind != "range":
            claim.notes.append(
                f"核定金额{money(approved)}超过可得{money(claim.amount)}，按{money(claim.amount)}计"
            )
        else:
            claim.amount, claim.basis = approved, "approved"
    if rule.schedule:
        claim.schedule = [(year + i, claim.amount * s) for i, s in enumerate(rule.schedule)]
        claim.why += (
            "；分"
            + str(len(rule.schedule))
            + "年发放："
            + "、".join(f"{y}年{money(v)}" for y, v in claim.schedule)
        )
    else:
        claim.schedule = [(year, claim.amount)]
    claim.paid = _paid(sf, rule.id, since=year) or Decimal(0)
    return claim


def _contribution_cap(rule: Rule, sf: SubjectFacts) -> tuple[Decimal | None, str]:
    years = rule.cap_by_contribution_years or 0
    facts = sf.of("contribution")
    if not facts:
        return None, "未记录地方财力贡献，无法核对上限"
    first = min(f.fact_year for f in facts)
    total = sum(
        (f.amount or Decimal(0) for f in facts if first <= f.fact_year < first + years), Decimal(0)
    )
    return total, f"{first}—{first + years - 1}年地方财力贡献合计{money(total)}"


def rewards_history(
    scheme: Scheme, sf: SubjectFacts, up_to: int, population: Population | None = None
) -> list[SubjectRewards]:
    """The rewards of one beneficiary for every year from the scheme's first year up to
    ``up_to`` (or only ``up_to`` when it is earlier), oldest first."""
    state = _State()
    start = scheme.start.year if scheme.start is not None else up_to
    return [
        _year(scheme, sf, y, state, population or {}) for y in range(min(start, up_to), up_to + 1)
    ]


def subject_rewards(
    scheme: Scheme, sf: SubjectFacts, year: int, population: Population | None = None
) -> SubjectRewards:
    """The rewards of one beneficiary for one year (the years before replayed)."""
    return rewards_history(scheme, sf, year, population)[-1]


def _year(
    scheme: Scheme, sf: SubjectFacts, year: int, state: _State, population: Population
) -> SubjectRewards:
    out = SubjectRewards(scheme.id, scheme.title, scheme.draft, sf.subject, sf.subject_kind, year)
    start, end = scheme.start, scheme.end
    if scheme.draft:
        out.warnings.append(
            f"{scheme.title}是征求意见稿，尚未施行；以下测算仅供参考（施行日期为本地设置 {start}）"
        )
    if start is not None and not (start.year <= year <= end.year):
        out.warnings.append(f"{year}年不在{scheme.title}有效期（{start}至{end}）内")
    excluded = _excluded(scheme, sf, year)
    candidates: list[tuple[Rule, Claim]] = []

    def aside(
        rule: Rule, reason: str, detail: str, item: str | None = None, amount: Decimal | None = None
    ) -> None:
        out.set_aside.append(
            SetAside(
                rule.id, rule.title, rule.article, year, reason, detail, sf.subject, item, amount
            )
        )

    for rule in scheme.rules:
        if rule.beneficiary != sf.subject_kind:
            continue
        for occ in _occasions(rule, sf, year, scheme):
            if occ.reason is not None:
                aside(rule, occ.reason, occ.detail, occ.item)
                continue
            if start is not None and not (start <= occ.day <= end):
                aside(
                    rule,
                    "outside_validity",
                    f"{occ.why}；{occ.day.isoformat()}不在有效期（{start}至{end}）内",
                    occ.item,
                )
                continue
            whys, failed = [occ.why], None
            for req in rule.requires:
                reason, text = _requirement(req, sf, year, occ.day)
                if reason is not None:
                    failed = (reason, f"{occ.why}；但{text}")
                    break
                whys.append(text)
            if failed is not None:
                aside(rule, failed[0], failed[1], occ.item)
                continue
            occ.why = "；".join(w for w in whys if w)
            if excluded is not None:
                aside(rule, "excluded", f"{occ.why}；但{excluded}", occ.item)
                continue
            if rule.once and rule.id in state.once:
                aside(
                    rule,
                    "already_received",
                    f"一次性奖励，已于{state.once[rule.id]}年享受",
                    occ.item,
                )
                continue
            full = _quota_full(rule, scheme, sf, occ.day, population)
            if full is not None:
                aside(rule, "quota_full", f"{occ.why}；但{full}", occ.item)
                continue
            made = _claim(rule, occ, sf, year, scheme, state)
            if isinstance(made, SetAside):
                out.set_aside.append(made)
                continue
            candidates.append((rule, made))
    claims = _groups(scheme, candidates, out)
    claims = _caps(scheme, claims, sf, out)
    for rule, claim in claims:
        if rule.once:
            state.once.setdefault(rule.id, year)
        if claim.tier is not None:
            counted = (claim.paid_before or Decimal(0)) + claim.amount
            state.tier[rule.id] = (claim.tier - 1, counted, year)
    out.claims = [c for _, c in claims]
    for kind in ("loan", "transfer"):
        for f in sf.in_year(kind, year):
            out.shown.append({"kind": kind, "amount": f.amount, "note": f.note or "", "year": year})
    return out


def _groups(
    scheme: Scheme, candidates: list[tuple[Rule, Claim]], out: SubjectRewards
) -> list[tuple[Rule, Claim]]:
    best: dict[tuple[str, str | None], tuple[Rule, Claim]] = {}
    names = {g.id: g.name for g in scheme.groups}
    kept: list[tuple[Rule, Claim]] = []
    for rule, claim in candidates:
        if rule.group is None:
            kept.append((rule, claim))
            continue
        key = (rule.group, claim.item if rule.trigger.kind == "event" else None)
        if key not in best or claim.amount > best[key][1].amount:
            best[key] = (rule, claim)
    winners = {id(c) for _, c in best.values()}
    for rule, claim in candidates:
        if rule.group is None:
            continue
        if id(claim) in winners:
            kept.append((rule, claim))
        else:
            key = (rule.group, claim.item if rule.trigger.kind == "event" else None)
            top = best[key][1]
            out.set_aside.append(
                SetAside(
                    rule.id,
                    rule.title,
                    rule.article,
                    claim.year,
                    "lower_in_group",
                    f"{claim.why}；与“{top.title}”（{money(top.amount)}）同属{names[rule.group]}，只享受最高一项",
                    claim.subject,
                    claim.item,
                    claim.amount,
                )  # fmt: skip
            )
    order = {id(c): i for i, (_, c) in enumerate(candidates)}
    return sorted(kept, key=lambda rc: order[id(rc[1])])


def _caps(
    scheme: Scheme, claims: list[tuple[Rule, Claim]], sf: SubjectFacts, out: SubjectRewards
) -> list[tuple[Rule, Claim]]:
    kept: list[tuple[Rule, Claim]] = []
    for rule, claim in claims:
        if rule.cap_by_contribution_years:
            limit, text = _contribution_cap(rule, sf)
            if limit is None:
                out.set_aside.append(
                    SetAside(
                        rule.id,
                        rule.title,
                        rule.article,
                        claim.year,
                        "missing_data",
                        f"{claim.why}；但{text}",
                        claim.subject,
                        claim.item,
                        claim.amount,
                    )  # fmt: skip
                )
                continue
            claim.notes.append(f"上限：{text}")
            if claim.amount > limit:
                out.set_aside.append(
                    SetAside(
                        rule.id,
                        rule.title,
                        rule.article,
                        claim.year,
                        "cap_reached",
                        f"超过企业两年内地方财力贡献（{money(limit)}）的部分{money(claim.amount - limit)}不予奖励",
                        claim.subject,
                        claim.item,
                        claim.amount - limit,
                    )  # fmt: skip
                )
                _reduce(claim, limit)
                if limit == 0:
                    continue
        kept.append((rule, claim))
    for cap in scheme.caps:
        used = Decimal(0)
        for rule, claim in kept:
            if rule.id not in cap.rules:
                continue
            room = max(cap.amount - used, Decimal(0))
            if claim.amount > room:
                out.set_aside.append(
                    SetAside(
                        rule.id,
                        rule.title,
                        rule.article,
                        claim.year,
                        "cap_reached",
                        f"单个企业年度补助总额不超过{money(cap.amount)}（{cap.article}），超出的{money(claim.amount - room)}不予补助",
                        claim.subject,
                        claim.item,
                        claim.amount - room,
                    )  # fmt: skip
                )
                _reduce(claim, room)
            used += claim.amount
        kept = [(r, c) for r, c in kept if not (r.id in cap.rules and c.amount == 0)]
    return kept


def _reduce(claim: Claim, limit: Decimal) -> None:
    share = limit / claim.amount if claim.amount else Decimal(0)
    claim.notes.append(f"按上限由{money(claim.amount)}减至{money(limit)}")
    claim.amount = limit
    claim.schedule = [(y, a * share) for y, a in claim.schedule]


def quota_population(scheme: Scheme, facts: Iterable[Fact]) -> Population:
    """For each rule with a quota, the honours that take a place in it (every beneficiary's)."""
    out: Population = {}
    for rule in scheme.rules:
        if rule.quota is None or rule.trigger.lists is None:
            continue
        out[rule.id] = [
            (f.when, f.subject)
            for f in facts
            if f.kind == "honour"
            and f.code in rule.trigger.lists
            and (rule.trigger.levels is None or f.level in rule.trigger.levels)
        ]
    return out


__all__ = ["LEVEL_WORDS", "Population", "quota_population", "rewards_history", "subject_rewards"]
