"""A criterion of a policy file: what it measures (metric, scope, the kind of area, the classes
of institution that count, the revenue period), its threshold read as the metric's kind of
number, and the checks that tie it to its article's wording — the comparison word gives the
operator (民法典 第一千二百五十九条), the number and unit give the threshold, 原则（上） gives
``in_principle``. Every problem of a criterion is reported at once (:class:`Problems`).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from parkeval.policy.vocabulary import (
    AREA_KINDS,
    AREA_METRICS,
    DEFAULT_CLASSES,
    METRIC_UNITS,
    PARK_ONLY_METRICS,
    QUANTITY_FAMILIES,
    REVENUE_METRICS,
    Metric,
    Op,
    ops_in_wording,
    quantities_in_wording,
)
from parkeval.values import parse_area, parse_money


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Problems(ValueError):
    """Every problem found in one part of a policy file at once (the loader lists each)."""

    def __init__(self, items: list[str]) -> None:
        super().__init__("；".join(items))
        self.items = items


class RevenuePeriod(_Strict):
    """Which revenue years a revenue criterion reads: the year ending at ``end`` (the assessment
    year, the year before the application day, or the last complete year on that day), or a
    span of ``years`` years ending there, summed or averaged."""

    end: Literal["year", "year_before_as_of", "last_complete_year"] = "year"
    years: int = Field(default=1, ge=1, le=10)
    combine: Literal["sum", "average"] | None = None

    @model_validator(mode="after")
    def _span(self) -> RevenuePeriod:
        if self.years > 1 and self.combine is None:
            raise ValueError(
                "跨多个年度（years > 1）时须写明 combine: sum（合计）或 average（平均）"
            )
        if self.years == 1 and self.combine is not None:
            raise ValueError("combine 只用于跨多个年度（years > 1）")
        return self


# The default period, made once (frozen, so shared): certifying a province asks every criterion
# of every park for its period, and building a model each time was a tenth of the evaluation.
_ONE_YEAR = RevenuePeriod()


# How each metric's threshold is written in a file, and what the wording's number must be.
_FAMILY = {
    Metric.building_area: "area",
    Metric.area: "area",
    Metric.occupancy: "percent",
    Metric.revenue: "money",
    Metric.revenue_growth: "percent",
    Metric.hr_institutions: "count",
    Metric.branch_sites: "count",
}


def _parse_threshold(metric: Metric | None, value: Any) -> Any:
    """A threshold as written (5000, "60%", "5亿") → an exact, finite Decimal, by what the
    metric measures: money for revenue, ㎡ for areas, a ratio for occupancy and growth, a whole
    number for counts. A value of the wrong kind is refused with a sentence saying which kind."""
    try:
        parsed = _read_threshold(metric, value)
    except ArithmeticError:  # decimal.InvalidOperation: not a number at all
        raise ValueError(f"threshold: “{value}” 不是数值") from None
    if isinstance(parsed, Decimal) and not parsed.is_finite():
        raise ValueError(f"threshold: “{value}” 不是有限的数值")
    return parsed


def _read_threshold(metric: Metric | None, value: Any) -> Any:
    if isinstance(value, bool):
        raise ValueError("threshold 应为数值，而不是 true/false")
    text = value.strip() if isinstance(value, str) else value
    percent = isinstance(text, str) and text.endswith(("%", "％"))
    parse_amount = {
        Metric.revenue: (parse_money, "营业收入的阈值是金额（元）"),
        Metric.building_area: (parse_area, "面积的阈值是平方米"),
        Metric.area: (parse_area, "面积的阈值是平方米"),
    }.get(metric)  # type: ignore[arg-type]
    if parse_amount is not None:
        parse, what = parse_amount
        if percent:
            raise ValueError(f"threshold: {what}，不能写成百分比 “{text}”")
        try:
            return parse(text)
        except ValueError as exc:
            raise ValueError(f"threshold: {exc}") from None
    if metric is Metric.occupancy:
        try:
            ratio = Decimal(text[:-1]) / 100 if percent else Decimal(str(text))
        except (ArithmeticError, ValueError):
            raise ValueError(f"threshold: 入驻率 “{text}” 无法识别；写成百分比，如 60%") from None
        if not Decimal(0) <= ratio <= 1:
            raise ValueError(f"threshold: 入驻率 “{text}” 应在 0%–100% 之间；写成百分比，如 60%")
        return ratio
    if metric is Metric.revenue_growth:
        if percent:
            raise ValueError(
                f"threshold: 增长的阈值是比值（当年 ÷ 上年），不是百分比 “{text}”；"
                "增长 10% 写 1.1，“高于上年”写 1"
            )
        try:
            return Decimal(str(text))
        except ArithmeticError:
            raise ValueError(f"threshold: “{text}” 不是数值（比值，如 1.1）") from None
    if metric in (Metric.hr_institutions, Metric.branch_sites):
        try:
            count = Decimal(str(text))
        except ArithmeticError:
            raise ValueError(f"threshold: “{text}” 不是整数（家、个）") from None
        if count != count.to_integral_value() or count < 0:
            raise ValueError(f"threshold: 数量应为非负整数，而不是 {text}")
        return count
    # no (known) metric: read it as before, the model reports the metric
    if percent:
        return Decimal(text[:-1]) / 100
    if isinstance(text, str):
        try:
            return parse_money(text)
        except ValueError:
            return parse_area(text)
    return value


class Criterion(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    article: str
    title: str
    wording: str = Field(description="the original wording of the article, verbatim")
    kind: Literal["quantitative", "qualitative"] = "quantitative"
    layout: Literal["any", "single", "multi"] = "any"
    metric: Metric | None = None
    scope: Literal["park", "core", "branch"] = "park"
    op: Op | None = None
    threshold: Decimal | None = None
    strictness: Literal["mandatory", "in_principle"] = "mandatory"
    interpretation: str | None = None
    local: bool = False
    evidence: str | None = Field(
        default=None, description="for qualitative criteria: the evidence expected"
    )
    area_kind: Literal["building", "usable", "property", "rented"] | None = Field(
        default=None, description="area and occupancy: which kind of site area (default building)"
    )
    classes: list[Literal["licensed", "filed", "public"]] | None = Field(
        default=None,
        description="hr_institutions: which institutions count (default licensed and filed)",
    )
    period: RevenuePeriod | None = Field(
        default=None, description="revenue and growth: which year(s) (default the assessment year)"
    )
    number_in_wording: bool = Field(
        default=True,
        description="false: the wording gives no number; the threshold comes from the "
        "interpretation or is a local setting",
    )

    @model_validator(mode="before")
    @classmethod
    def _threshold_text(cls, data: Any) -> Any:
        # "60%" → 0.6 and "5亿" → 500000000 keep the file close to the article's wording; how a
        # threshold is read depends on what the metric measures.
        if isinstance(data, dict) and data.get("threshold") is not None:
            try:
                metric = Metric(str(data["metric"])) if data.get("metric") else None
            except ValueError:
                metric = None
            data = {**data, "threshold": _parse_threshold(metric, data["threshold"])}
        if isinstance(data, dict) and isinstance(data.get("period"), str):
            data = {**data, "period": {"end": data["period"]}}
        return data

    @model_validator(mode="after")
    def _consistent(self) -> Criterion:
        if self.kind == "qualitative":
            extra = [
                k
                for k in ("metric", "op", "threshold", "area_kind", "classes", "period")
                if getattr(self, k) is not None
            ]
            if extra:
                raise ValueError(f"定性条件不应有 {', '.join(extra)}（只需证明材料）")
            return self
        missing = [k for k in ("metric", "op", "threshold") if getattr(self, k) is None]
        if missing:
            raise ValueError(f"定量条件缺少 {', '.join(missing)}")
        assert self.metric is not None
        problems: list[str] = []
        if self.metric in PARK_ONLY_METRICS and self.scope != "park":
            problems.append(f"指标 {self.metric.value} 只能用于 scope: park")
        problems += self._keys_fit_metric()
        found = ops_in_wording(self.wording)
        disagree = [(word, op) for word, op in found if op != self.op]
        if disagree:
            word, op = disagree[0]
            problems.append(f"op “{self.op}” 与原文用语 “{word}”（{op}）不一致")
        if not found and not self.interpretation:
            problems.append(
                "原文中没有比较用语（不少于/以上/超过……），无法核对 op；请用 interpretation 写明依据"
            )
        if "原则" in self.wording and self.strictness != "in_principle":
            problems.append("原文为“原则（上）”要求，strictness 应为 in_principle")
        problems += self._number_agrees_with_wording()
        if problems:
            raise Problems(problems)
        return self

    def _keys_fit_metric(self) -> list[str]:
        problems = []
        if self.area_kind is not None and self.metric not in AREA_METRICS:
            problems.append(f"area_kind 只用于面积与入驻率指标，不用于 {self.metric}")
        if self.metric is Metric.building_area and self.area_kind not in (None, "building"):
            problems.append(
                f"metric: building_area 就是建筑面积；其他面积写 metric: area 和 area_kind: {self.area_kind}"
            )
        if self.metric is Metric.area and self.area_kind is None:
            problems.append(
                "metric: area 须写明 area_kind："
                + "、".join(f"{k}（{v}）" for k, v in AREA_KINDS.items())
            )
        if self.classes is not None:
            if self.metric is not Metric.hr_institutions:
                problems.append(f"classes 只用于 hr_institutions，不用于 {self.metric}")
            elif not self.classes:
                problems.append(
                    "classes 不能为空：至少列出一类计入的机构（licensed、filed、public）"
                )
            elif len(set(self.classes)) != len(self.classes):
                problems.append("classes 中有重复的类别")
        if self.period is not None:
            if self.metric not in REVENUE_METRICS:
                problems.append(f"period 只用于营业收入指标，不用于 {self.metric}")
            elif self.metric is Metric.revenue_growth and self.period.years != 1:
                problems.append("revenue_growth 比较相邻两年：period 不能跨多个年度（years: 1）")
        return problems

    def _number_agrees_with_wording(self) -> list[str]:
        """The loader reads the number and unit in the wording: the threshold must be that
        number (an explicit ``number_in_wording: false`` when the wording gives none)."""
        assert self.metric is not None and self.threshold is not None
        family = _FAMILY[self.metric]
        quantities = quantities_in_wording(self.wording)
        mine = [(text, value) for text, value, fam in quantities if fam == family]
        if self.metric is Metric.revenue_growth:  # 增长10% ↔ a ratio of 1.1
            mine = [(text, 1 + value) for text, value in mine]
        if not self.number_in_wording:
            if mine:
                return [
                    f"原文写明了 {mine[0][0]}，不应写 number_in_wording: false；"
                    f"删去该键，并使 threshold 与原文一致"
                ]
            if not self.interpretation and not self.local:
                return [
                    "number_in_wording: false 时须说明阈值从何而来："
                    "interpretation（对原文的解释）或 local: true（本地设置）"
                ]
            return []
        if not mine:
            others = [f"{text}（{QUANTITY_FAMILIES[fam]}）" for text, _, fam in quantities]
            if others:
                return [
                    f"原文中的数字 {'、'.join(others)} 与指标 {self.metric.value}"
                    f"（{QUANTITY_FAMILIES[family]}）不符；请核对 metric 与 wording"
                ]
            return [
                "原文中没有与阈值对应的数字；若阈值来自解释或本地设置，写 number_in_wording: false"
                " 并用 interpretation 写明依据（或 local: true）"
            ]
        if all(value != self.threshold for _, value in mine):
            said = "、".join(text for text, _ in mine)
            return [f"threshold {self.threshold} 与原文 “{said}” 不一致"]
        return []

    @property
    def unit(self) -> str:
        """The unit of the criterion's metric (㎡, 家, %, 元, ...), empty for qualitative criteria."""
        return METRIC_UNITS[self.metric] if self.metric else ""

    @property
    def kind_of_area(self) -> str:
        """The kind of site area an area or occupancy criterion reads (building by default)."""
        return self.area_kind or "building"

    @property
    def counted_classes(self) -> tuple[str, ...]:
        """The classes of institution an hr_institutions criterion counts."""
        return tuple(self.classes) if self.classes else DEFAULT_CLASSES

    @property
    def revenue_period(self) -> RevenuePeriod:
        """The revenue years a revenue criterion reads (the assessment year by default)."""
        return self.period or _ONE_YEAR
