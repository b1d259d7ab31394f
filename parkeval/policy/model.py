"""The policy model: what a certification policy file under ``data/policies/`` may say.

Pydantic models, strict (unknown keys are errors), with the checks that tie a criterion
to its article: the operator must agree with the comparison words in the original
wording (民法典 第一千二百五十九条: 以上/不少于 include the number, 超过/不满 exclude it),
and a rule worded 原则（上） must be marked ``in_principle``. The words a file is written in
(metrics, comparison words, levels) are :mod:`parkeval.policy.vocabulary`'s, re-exported here.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from parkeval.errors import NotFoundError
from parkeval.policy.vocabulary import (
    LEVEL_ALIASES,
    LEVELS,
    METRIC_NAMES,
    METRIC_UNITS,
    OP_WORDS,
    PARK_ONLY_METRICS,
    WORDING_OPS,
    Metric,
    Op,
    compare,
    ops_in_wording,
    place_key,
)
from parkeval.values import parse_area, parse_money

__all__ = [
    "LEVELS",
    "LEVEL_ALIASES",
    "METRIC_NAMES",
    "METRIC_UNITS",
    "OP_WORDS",
    "PARK_ONLY_METRICS",
    "TARGET_METRICS",
    "WORDING_OPS",
    "Consequence",
    "Criterion",
    "Cycle",
    "Jurisdiction",
    "Layout",
    "LocalSetting",
    "Material",
    "Materials",
    "Metric",
    "Op",
    "Period",
    "Policy",
    "Rubric",
    "RubricDimension",
    "compare",
    "ops_in_wording",
    "place_key",
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Layout(_Strict):
    """How the park is laid out: one site, or a core site with branch sites."""

    article: str
    wording: str


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

    @field_validator("threshold", mode="before")
    @classmethod
    def _threshold_text(cls, value: Any) -> Any:
        # "60%" → 0.6 and "5亿" → 500000000 keep the file close to the article's wording.
        if isinstance(value, str):
            text = value.strip()
            if text.endswith("%"):
                return Decimal(text[:-1]) / 100
            try:
                return parse_money(text)
            except ValueError:
                return parse_area(text)
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Criterion:
        if self.kind == "qualitative":
            extra = [k for k in ("metric", "op", "threshold") if getattr(self, k) is not None]
            if extra:
                raise ValueError(f"定性条件不应有 {', '.join(extra)}（只需证明材料）")
            return self
        missing = [k for k in ("metric", "op", "threshold") if getattr(self, k) is None]
        if missing:
            raise ValueError(f"定量条件缺少 {', '.join(missing)}")
        if self.metric in PARK_ONLY_METRICS and self.scope != "park":
            raise ValueError(f"指标 {self.metric.value} 只能用于 scope: park")
        found = ops_in_wording(self.wording)
        disagree = [(word, op) for word, op in found if op != self.op]
        if disagree:
            word, op = disagree[0]
            raise ValueError(f"op “{self.op}” 与原文用语 “{word}”（{op}）不一致")
        if not found and not self.interpretation:
            raise ValueError(
                "原文中没有比较用语（不少于/以上/超过……），无法核对 op；请用 interpretation 写明依据"
            )
        if "原则" in self.wording and self.strictness != "in_principle":
            raise ValueError("原文为“原则（上）”要求，strictness 应为 in_principle")
        return self

    @property
    def unit(self) -> str:
        """The unit of the criterion's metric (㎡, 家, %, 元, ...), empty for qualitative criteria."""
        return METRIC_UNITS[self.metric] if self.metric else ""


class Material(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: str


class Materials(_Strict):
    article: str
    items: list[Material]


class Period(_Strict):
    value: int = Field(ge=0)
    unit: Literal["days", "months", "years"] = "days"
    article: str | None = None
    wording: str | None = None
    local: bool = False


class Cycle(_Strict):
    """An assessment cycle: how often, counted from what, whether ratings have consequences."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: str
    article: str
    wording: str | None = None
    every_years: int = Field(ge=1)
    anchor: Literal["calendar", "recognition"] = "calendar"
    rated: bool = True
    consequences: bool = True
    due: str | None = Field(
        default=None, description="MM-DD of the following year, for calendar cycles"
    )
    due_local: bool = False

    @field_validator("due")
    @classmethod
    def _due(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                dt.date.fromisoformat(f"2000-{value}")
            except ValueError:
                raise ValueError(f"due 应为 MM-DD（如 03-31），而不是 {value!r}") from None
        return value


class Consequence(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    article: str
    wording: str | None = None
    cycle: str
    rating: Literal["优秀", "合格", "不合格"]
    consecutive: int = Field(default=1, ge=1)
    effect: Literal["rectification", "revoked", "flag"]
    flag: str | None = None
    lockout_years: int | None = Field(default=None, ge=0)


class LocalSetting(_Strict):
    """A number the document does not give; the bureau sets it. Reports mark it 本地设置."""

    value: Any
    note: str


TARGET_METRICS = ("revenue", "hr_institutions", "occupancy")


class RubricDimension(_Strict):
    """One of the five dimensions (平台建设、政策体系、管理运营、服务保障、经济社会效益)."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: str
    weight: Decimal = Field(ge=0)
    criteria: list[str] = Field(
        default_factory=list, description="criterion ids scored in this dimension"
    )
    targets: list[Literal["revenue", "hr_institutions", "occupancy"]] = Field(
        default_factory=list, description="target metrics whose attainment is scored here"
    )


class Rubric(_Strict):
    """How ``assess`` proposes a rating: weights and cut-offs the documents do not give
    (a local setting, ``local_settings.rubric.value``)."""

    dimensions: list[RubricDimension]
    excellent: Decimal = Field(description="score (0–100) from which 优秀 is proposed")
    passing: Decimal = Field(description="score (0–100) from which 合格 is proposed")

    @model_validator(mode="after")
    def _consistent(self) -> Rubric:
        total = sum((d.weight for d in self.dimensions), Decimal(0))
        if total != 100:
            raise ValueError(f"各维度权重之和应为 100，现为 {total}")
        if not Decimal(0) <= self.passing < self.excellent <= 100:
            raise ValueError("分数线应满足 0 ≤ passing < excellent ≤ 100")
        return self


class Jurisdiction(_Strict):
    """Where a policy applies: a province (省、自治区、直辖市), optionally one city in it."""

    province: str = Field(min_length=1)
    city: str | None = None

    def covers(self, province: str | None, city: str | None) -> bool | None:
        """Whether a park in ``province``/``city`` is within it; None when the park's location
        does not say (no province, or no city where the policy names one)."""
        if place_key(province) is None:
            return None
        if place_key(province) != place_key(self.province):
            return False
        if self.city is None:
            return True
        if place_key(city) is None:
            return None
        return place_key(city) == place_key(self.city)

    @property
    def display(self) -> str:
        """The jurisdiction as written: 广西壮族自治区, 内蒙古自治区包头市."""
        return self.province + (self.city or "")


class Policy(_Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    title: str
    short_title: str | None = None
    document_no: str
    issuer: str
    level: Literal["national", "provincial", "city", "county"]
    level_name: str
    jurisdiction: Jurisdiction
    issued_on: dt.date
    effective_from: dt.date
    effective_until: dt.date | None = None
    successor: str | None = None
    layouts: dict[Literal["single", "multi"], Layout] = Field(default_factory=dict)
    criteria: list[Criterion]
    materials: Materials | None = None
    procedure: dict[str, Period] = Field(default_factory=dict)
    cycles: list[Cycle] = Field(default_factory=list)
    consequences: list[Consequence] = Field(default_factory=list)
    local_settings: dict[str, LocalSetting] = Field(default_factory=dict)
    notes: list[str] = Field(default_factory=list)

    # Filled in by the loader, not by the file.
    source: str = ""
    sha256: str = ""

    @field_validator("level", mode="before")
    @classmethod
    def _level_alias(cls, value: Any) -> Any:
        return LEVEL_ALIASES.get(value, value) if isinstance(value, str) else value

    @field_validator("jurisdiction", mode="before")
    @classmethod
    def _jurisdiction_mapping(cls, value: Any) -> Any:
        if isinstance(value, str):
            raise ValueError(
                f"应写成 {{province: 省份}}，市级政策再加 city，如 {{province: 内蒙古自治区, city: 包头市}}，"
                f"而不是一段文字 “{value}”"
            )
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Policy:
        if self.effective_until and self.effective_until < self.effective_from:
            raise ValueError("effective_until 早于 effective_from")
        seen: set[str] = set()
        for c in self.criteria:
            if c.id in seen:
                raise ValueError(f"criteria: 条件 id “{c.id}” 重复")
            seen.add(c.id)
            if c.layout != "any" and c.layout not in self.layouts:
                raise ValueError(f"criteria.{c.id}: layout “{c.layout}” 未在 layouts 中定义")
        cycle_ids = {c.id for c in self.cycles}
        for q in self.consequences:
            if q.cycle not in cycle_ids:
                raise ValueError(f"consequences.{q.id}: 未定义的考核周期 “{q.cycle}”")
            if q.effect == "flag" and not q.flag:
                raise ValueError(f"consequences.{q.id}: effect: flag 需要 flag 名称")
        if "rubric" in self.local_settings:
            try:
                rubric = Rubric.model_validate(self.local_settings["rubric"].value)
            except ValidationError as exc:
                first = exc.errors()[0]
                where = ".".join(str(x) for x in first["loc"])
                raise ValueError(
                    f"local_settings.rubric.value.{where}: "
                    f"{first['msg'].removeprefix('Value error, ')}"
                ) from None
            for d in rubric.dimensions:
                unknown = [c for c in d.criteria if c not in seen]
                if unknown:
                    raise ValueError(
                        f"local_settings.rubric: 维度 {d.id} 引用了未知的条件 {', '.join(unknown)}"
                    )
        return self

    def in_force(self, on: dt.date) -> bool:
        """Whether the policy is in force on a date (both ends included)."""
        return self.effective_from <= on and (
            self.effective_until is None or on <= self.effective_until
        )

    def criteria_for(self, layout: str) -> list[Criterion]:
        """The criteria that apply to a park laid out as ``layout`` (single or multi)."""
        return [c for c in self.criteria if c.layout in ("any", layout)]

    def criterion(self, criterion_id: str) -> Criterion:
        """The criterion with this id, or an error listing the policy's criteria."""
        for c in self.criteria:
            if c.id == criterion_id:
                return c
        known = ", ".join(c.id for c in self.criteria)
        raise NotFoundError(f"政策 {self.id} 中没有条件 “{criterion_id}”。可用的条件：{known}")

    def cycle(self, cycle_id: str) -> Cycle:
        """The assessment cycle with this id, or an error listing the policy's cycles."""
        for c in self.cycles:
            if c.id == cycle_id:
                return c
        known = ", ".join(c.id for c in self.cycles) or "（无）"
        raise NotFoundError(f"政策 {self.id} 中没有考核周期 “{cycle_id}”。可用的周期：{known}")

    def setting(self, key: str, default: Any = None) -> Any:
        """A local setting's value, or ``default`` when the policy file has none."""
        item = self.local_settings.get(key)
        return default if item is None else item.value

    @property
    def display_title(self) -> str:
        """The short title when there is one, else the full title."""
        return self.short_title or self.title
