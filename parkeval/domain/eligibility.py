"""The rules, pure: a park's facts and a loaded policy → a cited verdict.

Nothing here touches a database or a file. The interpretations applied are the product's
contract, listed in the README's "Interpretations (the contract)" table:

* 以上/不少于/不低于/达到 include the number; 超过/低于/不满 exclude it (the policy's ``op``).
* Only the institutions of the classes a criterion names count toward its threshold (by
  default those holding a 许可证 or a 备案); every tenant counts toward occupied area and park
  revenue. Areas are of the kind the criterion names; revenue is of its period.
* Missing data is never a pass: a known part that already meets a ``>=`` threshold passes
  (revenue and area only add up), otherwise the result is ``unknown``.
* An unmet 原则（上） rule is a warning (``warn``), or ``waived`` with a recorded justification.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from parkeval.domain.facts import ParkFacts, SiteFacts, Tally, WaiverFacts, tally_for
from parkeval.domain.metrics import criterion_metric, criterion_years, policy_years
from parkeval.domain.results import CertificationResult, CriterionResult, MetricValue
from parkeval.domain.wording import describe_gap, format_date, format_money, format_value
from parkeval.policy.model import AREA_METRICS, Criterion, Metric, Policy, compare


def _json_number(value: Any, threshold: Decimal | None) -> Any:
    """Exact JSON-friendly value: ratios to 4 decimals, everything else as is. A ratio that
    rounding would put on or across ``threshold`` is rounded away from it instead (0.599994
    against 0.6 is kept as 0.5999, never 0.6000), so no word or figure made from the result
    contradicts its status."""
    if not isinstance(value, Fraction):
        return value
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    places = Decimal("0.0001")
    shown = exact.quantize(places, rounding=ROUND_HALF_UP)
    limit = None if threshold is None else Fraction(threshold)
    if limit is not None and value != limit:
        if Fraction(shown) == limit or (Fraction(shown) > limit) != (value > limit):
            shown = exact.quantize(places, rounding=ROUND_FLOOR if value < limit else ROUND_CEILING)
    return shown


def _quantitative(
    c: Criterion,
    facts: ParkFacts,
    site: SiteFacts | None,
    *,
    year: int,
    as_of: dt.date,
    waivers: Mapping[str, WaiverFacts],
    tally: Tally,
) -> CriterionResult:
    assert c.metric is not None and c.op is not None and c.threshold is not None
    mv = criterion_metric(facts, c, site, year=year, as_of=as_of, tally=tally)
    result = CriterionResult(
        id=c.id,
        article=c.article,
        title=c.title + (f"（{site.name}）" if site else ""),
        kind=c.kind,
        metric=c.metric.value,
        scope=c.scope,
        site=site.code if site else None,
        op=c.op,
        threshold=c.threshold,
        actual=_json_number(mv.value, c.threshold),
        status="unknown",
        strictness=c.strictness,
        gap=None,
        wording=c.wording,
        unit=c.unit,
        local=c.local,
        area_kind=c.kind_of_area if c.metric in AREA_METRICS else None,
        classes=list(c.counted_classes) if c.metric is Metric.hr_institutions else None,
        revenue_years=list(criterion_years(c, year, as_of)) or None,
    )
    if mv.value is None and mv.detail.get("from_zero"):
        return _growth_from_zero(c, mv, result, as_of=as_of, waivers=waivers)
    if mv.value is None:
        result.gap = mv.missing
        return result
    met = compare(mv.value, c.op, c.threshold)
    if not mv.complete:
        # The known part is a lower bound (and ``upper``, when known, an upper bound): a
        # >=/> threshold met by the lower bound is met, one the upper bound misses is missed;
        # a <=/< threshold the other way round. Anything between cannot be decided.
        upper_met = None if mv.upper is None else compare(mv.upper, c.op, c.threshold)
        rising = c.op in (">=", ">")
        if (met if rising else upper_met) is True:
            result.status, result.note = "pass", f"{mv.missing}；已填报部分已达标"
            return result
        if (upper_met if rising else met) is False:
            # decided: a shortfall whatever the missing part holds; the gap is the least one
            met, result.note = False, mv.missing
            if rising:
                mv = MetricValue(mv.upper, detail=mv.detail)
        else:
            result.gap = f"{mv.missing}（已填报部分：{format_value(c.metric, mv.value)}）"
            return result
    if met:
        result.status = "pass"
        return result
    result.gap = describe_gap(c, mv)
    return _short(c, result, as_of=as_of, waivers=waivers)


def _growth_from_zero(
    c: Criterion,
    mv: MetricValue,
    result: CriterionResult,
    *,
    as_of: dt.date,
    waivers: Mapping[str, WaiverFacts],
) -> CriterionResult:
    """Growth from a year with no revenue: there is no ratio, so the rule revenue(Y) ÷
    revenue(Y−1) op threshold is read as revenue(Y) op threshold × revenue(Y−1) = 0 — from 0 to
    a positive amount is growth, from 0 to 0 is none. An incomplete current year is a lower
    bound: above 0 it decides a rising rule, otherwise nothing is decided."""
    assert c.op is not None
    current = mv.detail["revenue"]
    met = compare(Fraction(current), c.op, Fraction(0))
    if not mv.complete and not (met and c.op in (">=", ">")):
        result.gap = mv.missing
        return result
    if met:
        result.status = "pass"
        result.note = f"上年营业收入为 0，当年 {format_money(current)}，呈增长"
        return result
    result.gap = f"营业收入未呈增长：当年 {format_money(current)}，上年 0元"
    return _short(c, result, as_of=as_of, waivers=waivers)


def _short(
    c: Criterion, result: CriterionResult, *, as_of: dt.date, waivers: Mapping[str, WaiverFacts]
) -> CriterionResult:
    """A criterion not met: failed when mandatory, else a warning or waived."""
    if c.strictness == "mandatory":
        result.status = "fail"
        return result
    waiver = waivers.get(c.id)
    if waiver is not None and waiver.valid_on(as_of):
        result.status = "waived"
        result.note = f"已说明（{waiver.by}）：{waiver.reason}" + (
            f"，有效至 {waiver.until}" if waiver.until else ""
        )
    else:
        result.status = "warn"
    return result


def _qualitative(c: Criterion, facts: ParkFacts) -> CriterionResult:
    att = facts.attestations.get(c.id)
    result = CriterionResult(
        id=c.id,
        article=c.article,
        title=c.title,
        kind="qualitative",
        metric=None,
        scope=None,
        site=None,
        op=None,
        threshold=None,
        actual=None,
        status="unknown",
        strictness=c.strictness,
        gap=None,
        wording=c.wording,
        evidence=att.evidence if att else None,
        note=att.note if att else None,
    )
    if att is None:
        result.gap = f"缺少证明材料（应提供：{c.evidence or '相关材料'}）"
    elif att.met and att.evidence:
        result.status, result.actual = "pass", True
    elif att.met:
        result.gap = "声明已满足但未提供证明材料"
    else:
        result.actual = False
        result.status = "fail" if c.strictness == "mandatory" else "warn"
        result.gap = "自评为未满足" + (f"：{att.note}" if att.note else "")
    return result


def decide_verdict(criteria: Iterable[CriterionResult], policy_in_force: bool) -> str:
    """Any mandatory fail → not_eligible; else any unknown → incomplete; else any warn or an
    expired policy → conditional; else eligible."""
    statuses = [(c.status, c.strictness) for c in criteria]
    if any(s == "fail" and k == "mandatory" for s, k in statuses):
        return "not_eligible"
    if any(s == "unknown" for s, _ in statuses):
        return "incomplete"
    if any(s in ("warn", "fail") for s, _ in statuses) or not policy_in_force:
        return "conditional"
    return "eligible"


def evaluate(
    policy: Policy,
    facts: ParkFacts,
    *,
    year: int,
    as_of: dt.date,
    waivers: Mapping[str, WaiverFacts] | None = None,
    successor_title: str | None = None,
    today: dt.date | None = None,
) -> CertificationResult:
    """Check a park against every criterion of a policy for ``year`` (revenue) at ``as_of``.

    The result says whether the park lies in the policy's jurisdiction (a park may check
    itself against another region's rules) and, given ``today``, whether the revenue year had
    ended (a mid-year self-check reads revenue reported so far)."""
    waivers = waivers or {}
    layout = facts.layout
    tally = tally_for(facts, as_of=as_of, years=policy_years(policy, year, as_of))
    results: list[CriterionResult] = []
    for c in policy.criteria_for(layout):
        if c.kind == "qualitative":
            results.append(_qualitative(c, facts))
        elif c.scope == "branch":
            results.extend(
                _quantitative(c, facts, site, year=year, as_of=as_of, waivers=waivers, tally=tally)
                for site in facts.branches
            )
        else:
            results.append(
                _quantitative(c, facts, None, year=year, as_of=as_of, waivers=waivers, tally=tally)
            )
    warnings: list[str] = []
    in_force = policy.in_force(as_of)
    if not in_force:
        if as_of < policy.effective_from:
            warnings.append(
                f"评估日 {format_date(as_of)} 早于《{policy.title}》施行日 "
                f"{format_date(policy.effective_from)}，政策尚未施行"
            )
        else:
            msg = (
                f"《{policy.title}》（{policy.document_no}）已于 {format_date(policy.effective_until)} 失效；"
                f"以下结果按该政策条件计算，仅供参考"
            )
            if successor_title:
                msg += f"。接续政策：{successor_title}"
            warnings.append(msg)
    in_jurisdiction = policy.jurisdiction.covers(facts.province, facts.city)
    if in_jurisdiction is False:
        where = (facts.province or "") + (facts.city or "")
        warnings.insert(
            0,
            f"园区位于{where}，不在《{policy.title}》的适用范围"
            f"（{policy.jurisdiction.display}）内：以下结果仅供对照，不能据此认定",
        )
    elif in_jurisdiction is None:
        missing = "所在城市" if facts.province and policy.jurisdiction.city else "所在省份"
        warnings.insert(
            0,
            f"园区档案未填写{missing}，无法判断是否在《{policy.title}》的适用范围"
            f"（{policy.jurisdiction.display}）内",
        )
    year_complete = today is None or dt.date(year, 12, 31) < today
    if not year_complete:
        warnings.insert(
            0,
            f"{year} 年尚未结束：营业收入为截至统计日 {format_date(as_of)} 已填报的数据，"
            "全年结果以年度结束后的数据为准",
        )
    if layout == "multi" and "multi" not in policy.layouts and policy.layouts:
        warnings.append("该政策未规定多园区的条件，按园区合计计算")
    for r in results:
        if r.status == "warn":
            warnings.append(f"{r.article} {r.title}：原则性要求未满足，需记录说明理由")
    return CertificationResult(
        park=facts.code,
        park_name=facts.name,
        policy=policy.id,
        year=year,
        as_of=as_of,
        verdict=decide_verdict(results, in_force),
        policy_in_force=in_force,
        layout=layout,
        warnings=warnings,
        criteria=results,
        in_jurisdiction=in_jurisdiction,
        revenue_year_complete=year_complete,
    )
