"""Numbers, requirements, gaps and names in the words a bureau writes.

Every user-facing name of a verdict, status, state, flag or effect is defined here, once;
the terminal, the reports and (later) the web all read them from here.

Why this module is long: it is the one place user-facing words are made — names, dates,
money, requirements and gaps, and stored audit details read back into words — so that the
terminal and the documents cannot drift apart; splitting it would scatter that vocabulary.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from parkeval.domain.results import CriterionResult, MetricValue
from parkeval.policy.model import (
    AREA_KINDS,
    HR_CLASSES,
    OP_WORDS,
    Criterion,
    Cycle,
    Metric,
    classes_phrase,
    ops_in_wording,
)

VERDICT_NAMES = {
    "eligible": "符合认定条件",
    "conditional": "有条件符合（存在需说明的事项）",
    "not_eligible": "不符合认定条件",
    "incomplete": "资料不全，无法判断",
}
STATUS_NAMES = {
    "pass": "达标",
    "fail": "未达标",
    "warn": "提示",
    "waived": "已说明",
    "unknown": "无法判断",
}
SCOPE_NAMES = {"park": "园区", "core": "核心园区", "branch": "分园区"}
STATE_NAMES = {"active": "有效", "rectifying": "整改中", "revoked": "已取消"}
# A tenant's class in a table (roster, what-if): short forms of HR_CLASSES.
CLASS_NAMES = {
    "licensed": "许可证",
    "filed": "备案",
    "licensed_or_filed": "许可证或备案",
    "public": "公共机构",
    "none": "否",
}
assert set(CLASS_NAMES) == set(HR_CLASSES)
# the audit log's actions, as the `log` table names them
ACTION_NAMES = {
    "import": "导入档案",
    "assess": "考核评估",
    "apply": "提交申请",
    "grant": "记录认定",
    "waive": "记录说明",
    "rate": "记录评定等次",
    "confirm": "审核确认等次",
    "rectified": "记录整改完成",
    "target": "报备目标",
    "void": "作废记录",
    "retire": "停用园区",
    "facts": "导入奖补事实",
    "approval": "核定奖补金额",
    "payment": "记录奖补拨付",
    "withdraw": "撤销奖补事实",
}
FLAG_NAMES = {"priority_support": "加大项目和资金支持（重点支持）", "commended": "通报表扬"}
EFFECT_NAMES = {
    "rectification": "通报并限期整改",
    "revoked": "取消认定（授牌）",
    "flag": "表扬/重点支持",
}
# Kinds of report, and the words for a recognition step (the cycle names come from the policy).
REPORT_KIND_NAMES = {
    "certification": "认定评估报告",
    "self_evaluation": "自评报告",
    "assessment": "考核评估报告",
    "summary": "认定评估汇总报告",
}
RECOGNITION_NAME = "认定（授牌）"
LAYOUT_NAMES = {"single": "单园区", "multi": "多园区（核心园区 + 分园区）"}
SCOPE_NAMES = {"park": "园区", "core": "核心园区", "branch": "每个分园区"}
STRICTNESS_NAMES = {"mandatory": "必备条件", "in_principle": "原则性要求"}
UNIT_NAMES = {"days": "日", "months": "个月", "years": "年"}
ANCHOR_NAMES = {"calendar": "按自然年度", "recognition": "自认定之日起算"}


def format_date(value: dt.date | str | None) -> str:
    """A date the one way documents write it: 2024年12月31日 (— when absent)."""
    if value is None or value == "":
        return "—"
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    return f"{value.year}年{value.month}月{value.day}日"


def format_timestamp(value: str) -> str:
    """A stored UTC timestamp (2026-11-24T01:56:56+00:00) as 2026年11月24日 01:56:56."""
    moment = dt.datetime.fromisoformat(value)
    return f"{format_date(moment.date())} {moment:%H:%M:%S}"


_ISO_DATE = re.compile(r"(?<![\d-])(\d{4})-(\d{2})-(\d{2})(?![\d-])")


def _chinese_date(match: re.Match[str]) -> str:
    try:
        return format_date(match.group(0))
    except ValueError:
        return match.group(0)  # not a calendar date: left as written


def target_words(
    revenue_yuan: Decimal | None,
    hr_institutions: int | None,
    occupancy: Decimal | None,
    goals: str | None,
) -> str:
    """A reported target in words: 营业收入目标 6亿元；人力资源服务机构 35家；入驻率 65.5%."""
    parts = []
    if revenue_yuan is not None:
        parts.append(f"营业收入目标 {format_money(Decimal(revenue_yuan))}")
    if hr_institutions is not None:
        parts.append(f"人力资源服务机构 {hr_institutions}家")
    if occupancy is not None:
        parts.append(f"入驻率 {format_percent(Decimal(occupancy))}")
    if goals:
        parts.append(f"发展目标 {goals}")
    return "；".join(parts) or "—"


# An older target entry's ``key=value，…`` detail (before target_words), read back into words.
_OLD_TARGET = re.compile(
    r"(?:revenue_yuan|hr_institutions|occupancy|goals)=.*?(?=（报备 |$)", flags=re.S
)
_OLD_MATERIALS = re.compile(r"材料 ([a-z][a-z0-9_]*(?:,[a-z][a-z0-9_]*)*)")


def _old_target(match: re.Match[str]) -> str:
    values: dict[str, str] = {}
    for part in re.split(r"，(?=(?:revenue_yuan|hr_institutions|occupancy|goals)=)", match[0]):
        key, _, value = part.partition("=")
        values[key] = value
    try:
        return target_words(
            Decimal(values["revenue_yuan"]) if "revenue_yuan" in values else None,
            int(values["hr_institutions"]) if "hr_institutions" in values else None,
            Decimal(values["occupancy"]) if "occupancy" in values else None,
            values.get("goals"),
        )
    except (ArithmeticError, ValueError):
        return match[0]  # not what target wrote: left as written


def readable_text(
    text: str, policy_names: dict[str, str], material_names: dict[str, str] | None = None
) -> str:
    """Stored wording (an audit entry's detail) for the terminal: ISO dates as 2024年3月20日,
    policy ids as their titles, an older target's ``revenue_yuan=…`` and an application's
    material ids in words. The stored text itself is history and stays as written."""
    text = _OLD_TARGET.sub(_old_target, text)
    if material_names:
        text = _OLD_MATERIALS.sub(
            lambda m: "材料 " + "、".join(material_names.get(i, i) for i in m[1].split(",")), text
        )
    text = _ISO_DATE.sub(_chinese_date, text)
    for policy_id in sorted(policy_names, key=len, reverse=True):
        text = re.sub(rf"(?<![\w-]){re.escape(policy_id)}(?![\w-])", policy_names[policy_id], text)
    return text


def period_text(cycle: Cycle, year: int) -> str:
    """The years a cycle's period covers: 2024 or 2023—2024 (the numbers only)."""
    if cycle.every_years == 1:
        return str(year)
    return f"{year - cycle.every_years + 1}—{year}"


def cycle_period_name(cycle: Cycle, year: int) -> str:
    """A period and its cycle in one phrase, never doubled: 2024年度考核, 2024年度自评,
    2023—2024年定期考核评估, 2022年度综合评估 (not “2024 年度年度考核”)."""
    if cycle.every_years == 1:
        return f"{year}{cycle.name}" if cycle.name.startswith("年度") else f"{year}年度{cycle.name}"
    return f"{period_text(cycle, year)}年{cycle.name}"


def format_money(
    amount: Decimal | int | Fraction, threshold: Decimal | int | Fraction | None = None
) -> str:
    """Money in the way a bureau writes it: 5亿元, 3500万元, 12,345.67元. Given the
    ``threshold`` it is compared with, an amount that rounding would show on the other side
    of it, or equal to it when it is not, is written exactly in 元 (499,999,999.99元, never
    "5亿元" beside a verdict of 未达标)."""
    value = _as_decimal(amount)
    for unit, size in (("亿元", Decimal(100_000_000)), ("万元", Decimal(10_000))):
        if abs(value) >= size:
            scaled = (value / size).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)
            if threshold is not None and scaled != value / size:
                limit = _as_decimal(threshold) / size
                if (scaled >= limit) != (value / size >= limit) or scaled == limit:
                    return f"{value.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):,f}元"
            return f"{scaled.normalize():f}{unit}"
    return f"{value.quantize(Decimal('0.01')).normalize():,f}元"


def _as_decimal(value: Decimal | int | float | Fraction) -> Decimal:
    if isinstance(value, Fraction):
        return Decimal(value.numerator) / Decimal(value.denominator)
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(value)


def display_money(
    amount: Decimal | int | float | Fraction | None,
    threshold: Decimal | int | float | Fraction | None = None,
) -> str:
    """Money for a table: 5.45亿元, 3500万元, 12,345.67元 — two decimals of the unit, or the
    exact amount in 元 (499,999,999.99元) when rounding would hide which side of
    ``threshold`` it is on (4.999999亿 must not read as 5.00亿元)."""
    if amount is None:
        return "—"
    value = _as_decimal(amount)
    exact = f"{value.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):,f}元"
    for unit, size in (("亿元", Decimal(100_000_000)), ("万元", Decimal(10_000))):
        if abs(value) >= size:
            shown = (value / size).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
            if threshold is not None:
                limit = _as_decimal(threshold) / size
                if shown != value / size and (
                    (shown >= limit) != (value / size >= limit) or shown == limit
                ):
                    return exact
            return f"{shown.normalize():f}{unit}"
    return f"{value.quantize(Decimal('0.01')).normalize():,f}元"


def format_area(area: Decimal | int | Fraction) -> str:
    """An area as a bureau writes it: 5000㎡, 120.5㎡."""
    value = (
        Decimal(area.numerator) / Decimal(area.denominator)
        if isinstance(area, Fraction)
        else Decimal(area)
    )
    return f"{value.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP).normalize():f}㎡"


def format_percent(ratio: Fraction | Decimal) -> str:
    """A ratio as a percentage to one decimal: 0.6333 → 63.3%."""
    value = (
        Decimal(ratio.numerator) / Decimal(ratio.denominator)
        if isinstance(ratio, Fraction)
        else Decimal(ratio)
    )
    return f"{(value * 100).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP).normalize():f}%"


def display_value(metric: Metric, value: Any, threshold: Any = None) -> str:
    """A metric's value for a table: money as :func:`display_money` (exact near ``threshold``),
    counts as 32家, ratios as 54.9%, areas as 5000㎡."""
    if metric is Metric.revenue and value is not None:
        return display_money(value, threshold)
    if metric is Metric.occupancy and value is not None:
        return display_percent(value, threshold)
    return format_value(metric, value)


def display_percent(ratio: Any, threshold: Any = None) -> str:
    """A ratio as a percentage to one decimal (54.9%), with more decimals when one would hide
    which side of ``threshold`` it is on (59.96% is not shown as 60%, 59.99% not as 60.0%);
    past two decimals it is cut towards its own side (59.9999…% reads 59.99%). The one place
    a percentage near a threshold is written: tables, gaps, workbooks and charts use it."""
    value = _as_decimal(ratio) * 100
    limit = None if threshold is None else _as_decimal(threshold) * 100
    for places in range(1, 3):
        shown = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        if (
            limit is None
            or shown == value
            or ((shown >= limit) == (value >= limit) and shown != limit)
        ):
            return f"{shown.normalize():f}%"
    assert limit is not None
    toward = ROUND_FLOOR if value < limit else ROUND_CEILING
    return f"{value.quantize(Decimal('0.01'), rounding=toward).normalize():f}%"


def format_shortfall_area(area: Decimal | int | Fraction) -> str:
    """An area still missing (or in excess) to meet a requirement, rounded up to
    0.01㎡ (0.004㎡ → 0.01㎡): a shortfall is never written as 0㎡."""
    value = _as_decimal(area)
    return f"{value.quantize(Decimal('0.01'), rounding=ROUND_CEILING).normalize():f}㎡"


def format_value(metric: Metric, value: Any) -> str:
    """A metric's value in words with its unit (— when unknown)."""
    if value is None:
        return "—"
    if metric is Metric.revenue:
        return format_money(value)
    if metric in (Metric.building_area, Metric.area):
        return format_area(value)
    if metric in (Metric.occupancy, Metric.revenue_growth):
        return format_percent(_as_decimal(value) if isinstance(value, float) else value)
    return f"{value}{'家' if metric is Metric.hr_institutions else '个'}"


def required_text(c: CriterionResult) -> str:
    """The requirement in words for tables: 不低于 5000㎡, 提供证明材料."""
    if c.kind == "qualitative":
        return "提供证明材料"
    assert c.op is not None and c.metric is not None
    if c.metric == Metric.revenue.value and c.threshold is not None:
        return f"{OP_WORDS[c.op]} {display_money(c.threshold)}"
    return f"{OP_WORDS[c.op]} {format_value(Metric(c.metric), c.threshold)}"


def actual_text(c: CriterionResult) -> str:
    """The actual value in words for tables: 32家, 63.3%, 满足, or — when unknown."""
    if c.kind == "qualitative":
        return "—" if c.actual is None else ("满足" if c.actual else "不满足")
    assert c.metric is not None
    if c.metric == Metric.revenue_growth.value and c.actual is None and c.status != "unknown":
        return "上年为 0"  # decided on the amounts: no ratio to a year of 0
    return display_value(Metric(c.metric), c.actual, c.threshold)


def _ceil(value: Fraction) -> int:
    return -((-value.numerator) // value.denominator)


def describe_gap(c: Criterion, mv: MetricValue) -> str:
    """The shortfall in plain words, e.g. 还需 3 家人力资源服务机构."""
    assert c.threshold is not None and c.op is not None and mv.value is not None
    t = Fraction(c.threshold)
    actual = Fraction(mv.value)
    word = next((w for w, _ in ops_in_wording(c.wording)), OP_WORDS[c.op])
    if c.metric is Metric.hr_institutions:
        if c.op in ("<=", "<"):
            over = _ceil(actual - t) + (1 if c.op == "<" else 0)
            return (
                f"{classes_phrase(c.counted_classes)}超出 {over} 家（要求{word} {c.threshold} 家）"
            )
        need = _ceil(t - actual) + (1 if c.op == ">" else 0)
        return f"还需 {need} 家{classes_phrase(c.counted_classes)}"
    if c.metric in (Metric.building_area, Metric.area):
        name = AREA_KINDS[c.kind_of_area]
        return f"{name}差 {format_area(abs(t - actual))}，当前 {format_area(actual)}，要求{word} {format_area(t)}"
    if c.metric is Metric.occupancy:
        area = Fraction(mv.detail["area_m2"])
        short = abs(t * area - Fraction(mv.detail["occupied_m2"]))
        return (
            f"入驻面积差 {format_shortfall_area(short)}，当前 {display_percent(actual, t)}，"
            f"要求{word} {format_percent(t)}"
        )
    if c.metric is Metric.revenue:
        label = revenue_label(c, mv.detail.get("years"))
        return (
            f"{label}差 {format_money(abs(t - actual))}，当前 {format_money(actual, t)}，"
            f"要求{word} {format_money(t)}"
        )
    if c.metric is Metric.revenue_growth:
        prev, cur = mv.detail["previous_revenue"], mv.detail["revenue"]
        return (
            f"营业收入未呈增长：当年 {format_money(cur)}，上年 {format_money(prev)}"
            f"（比值 {display_percent(actual, t)}，要求{OP_WORDS[c.op]} {format_percent(t)}）"
        )
    if c.metric is Metric.branch_sites:
        return f"分园区 {mv.value} 个，超出 {_ceil(actual - t)} 个（要求{word} {c.threshold} 个）"
    return f"要求{OP_WORDS[c.op]} {c.threshold}，当前 {mv.value}"


def revenue_label(c: Criterion, years: list[int] | None) -> str:
    """What a revenue criterion reads, in words: 营业收入 for one year, 2022–2024年平均营业收入
    or 2022–2024年累计营业收入 for a span."""
    period = c.revenue_period
    if period.years == 1 or not years:
        return "营业收入"
    span = f"{years[0]}–{years[-1]}年"
    return span + ("平均营业收入" if period.combine == "average" else "累计营业收入")


# The record kinds a clerk can void (parkeval void KIND ID), in words.
KIND_NAMES = {
    "grant": "认定",
    "rating": "正式等次",
    "proposal": "建议等次",
    "confirmation": "审核确认",
    "rectification": "整改完成",
    "application": "认定申请",
    "target": "年度目标",
    "waiver": "原则性条件说明",
    "retirement": "停用",
}


def describe_record(kind: str, policy_id: str | None, fields: dict[str, Any]) -> str:
    """A record in one line, for lists of voided records: 认定（2021年6月15日，桂人社函…）.
    The policy is named where the list is shown, not here (no ids in documents)."""
    date = fields.get("date") or fields.get("certified_on")
    parts = [KIND_NAMES.get(kind, kind)]
    if "year" in fields:
        parts.append(f"{fields['year']}年度")
    if fields.get("rating"):
        parts.append(f"“{fields['rating']}”")
    if fields.get("criterion"):
        parts.append(str(fields["criterion"]))
    when = format_date(date) if isinstance(date, (dt.date, str)) and date else None
    detail = [
        str(x) for x in (when, fields.get("doc_no"), fields.get("by"), fields.get("reason")) if x
    ]
    return " ".join(parts) + (f"（{'，'.join(detail)}）" if detail else "")
