"""Numbers, requirements, gaps and names in the words a bureau writes.

Every user-facing name of a verdict, status, state, flag or effect is defined here, once;
the terminal, the reports and (later) the web all read them from here.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from parkeval.domain.results import CriterionResult, MetricValue
from parkeval.policy.model import (
    AREA_KINDS,
    HR_CLASSES,
    OP_WORDS,
    Criterion,
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
FLAG_NAMES = {"priority_support": "加大项目和资金支持（重点支持）", "commended": "通报表扬"}
EFFECT_NAMES = {
    "rectification": "通报并限期整改",
    "revoked": "取消认定（授牌）",
    "flag": "表扬/重点支持",
}


def format_money(amount: Decimal | int | Fraction) -> str:
    """Money in the way a bureau writes it: 5亿元, 3500万元, 12,345.67元."""
    value = (
        Decimal(amount.numerator) / Decimal(amount.denominator)
        if isinstance(amount, Fraction)
        else Decimal(amount)
    )
    for unit, size in (("亿元", Decimal(100_000_000)), ("万元", Decimal(10_000))):
        if abs(value) >= size:
            scaled = (value / size).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP).normalize()
            return f"{scaled:f}{unit}"
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


def format_value(metric: Metric, value: Any) -> str:
    """A metric's value in words with its unit (— when unknown)."""
    if value is None:
        return "—"
    if metric is Metric.revenue:
        return format_money(value)
    if metric in (Metric.building_area, Metric.area):
        return format_area(value)
    if metric in (Metric.occupancy, Metric.revenue_growth):
        return format_percent(value)
    return f"{value}{'家' if metric is Metric.hr_institutions else '个'}"


def required_text(c: CriterionResult) -> str:
    """The requirement in words for tables: 不低于 5000㎡, 提供证明材料."""
    if c.kind == "qualitative":
        return "提供证明材料"
    assert c.op is not None and c.metric is not None
    return f"{OP_WORDS[c.op]} {format_value(Metric(c.metric), c.threshold)}"


def actual_text(c: CriterionResult) -> str:
    """The actual value in words for tables: 32家, 63.3%, 满足, or — when unknown."""
    if c.kind == "qualitative":
        return "—" if c.actual is None else ("满足" if c.actual else "不满足")
    assert c.metric is not None
    return format_value(Metric(c.metric), c.actual)


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
            f"入驻面积差 {format_area(short)}，当前 {format_percent(actual)}，"
            f"要求{word} {format_percent(t)}"
        )
    if c.metric is Metric.revenue:
        label = revenue_label(c, mv.detail.get("years"))
        return (
            f"{label}差 {format_money(abs(t - actual))}，当前 {format_money(actual)}，"
            f"要求{word} {format_money(t)}"
        )
    if c.metric is Metric.revenue_growth:
        prev, cur = mv.detail["previous_revenue"], mv.detail["revenue"]
        return (
            f"营业收入未呈增长：当年 {format_money(cur)}，上年 {format_money(prev)}"
            f"（比值 {format_percent(actual)}，要求{OP_WORDS[c.op]} {format_percent(t)}）"
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
    """A record in one line, for lists of voided records: 认定 gx-2021（2021-06-01，桂人社函…）."""
    date = fields.get("date") or fields.get("certified_on")
    parts = [KIND_NAMES.get(kind, kind)]
    if policy_id:
        parts.append(policy_id)
    if "year" in fields:
        parts.append(f"{fields['year']} 年度")
    if fields.get("rating"):
        parts.append(f"“{fields['rating']}”")
    if fields.get("criterion"):
        parts.append(str(fields["criterion"]))
    detail = [
        str(x) for x in (date, fields.get("doc_no"), fields.get("by"), fields.get("reason")) if x
    ]
    return " ".join(parts) + (f"（{'，'.join(detail)}）" if detail else "")
