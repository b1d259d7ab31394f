"""The policy model: what a certification policy file under ``data/policies/`` may say.

Pydantic models, strict (unknown keys are errors). A criterion and the checks that tie it to
its article's wording are :mod:`parkeval.policy.criteria`'s; here the policy as a whole: its
level and the issuer's name for it, jurisdiction, validity, layouts, cycles, consequences and
local settings, with every problem reported at once (:class:`Problems`). The words a file is
written in (metrics, area kinds, institution classes, comparison words, levels) are
:mod:`parkeval.policy.vocabulary`'s, re-exported here.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from pydantic import Field, ValidationError, field_validator, model_validator

from parkeval.errors import NotFoundError
from parkeval.policy.criteria import Criterion, Problems, RevenuePeriod, _Strict
from parkeval.policy.vocabulary import (
    AREA_KINDS,
    AREA_METRICS,
    COUNTABLE_CLASSES,
    DEFAULT_CLASSES,
    HR_CLASSES,
    LEVEL_ALIASES,
    LEVEL_NAMES,
    LEVELS,
    METRIC_NAMES,
    METRIC_UNITS,
    OP_WORDS,
    PARK_ONLY_METRICS,
    REVENUE_METRICS,
    WORDING_OPS,
    Metric,
    Op,
    classes_phrase,
    compare,
    level_rank,
    ops_in_wording,
    place_key,
    quantities_in_wording,
)

__all__ = [
    "AREA_KINDS",
    "AREA_METRICS",
    "BuildsOn",
    "COUNTABLE_CLASSES",
    "DEFAULT_CLASSES",
    "HR_CLASSES",
    "LEVELS",
    "LEVEL_NAMES",
    "LEVEL_ALIASES",
    "METRIC_NAMES",
    "METRIC_UNITS",
    "OP_WORDS",
    "PARK_ONLY_METRICS",
    "REVENUE_METRICS",
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
    "Problems",
    "RevenuePeriod",
    "Rubric",
    "RubricDimension",
    "classes_phrase",
    "compare",
    "level_rank",
    "ops_in_wording",
    "place_key",
    "quantities_in_wording",
]


class Layout(_Strict):
    """How the park is laid out: one site, or a core site with branch sites."""

    article: str
    wording: str


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


class BuildsOn(_Strict):
    """The title a park is expected to hold before this one (gx-2021 第三条: 设区市一般应在
    市级人力资源服务产业园基础上建设自治区级): shown by ``compare``, never a criterion."""

    level: Literal["national", "provincial", "city", "county"]
    article: str
    wording: str


class Policy(_Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    title: str
    short_title: str | None = None
    document_no: str
    issuer: str
    level: Literal["national", "provincial", "city", "county"]
    level_name: str = Field(
        default="", description="the issuer's own name of the level (自治区级); default 省级/市级…"
    )
    jurisdiction: Jurisdiction
    issued_on: dt.date
    effective_from: dt.date
    effective_until: dt.date | None = None
    successor: str | None = None
    builds_on: BuildsOn | None = None
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

    @model_validator(mode="before")
    @classmethod
    def _default_level_name(cls, data: Any) -> Any:
        if isinstance(data, dict) and not data.get("level_name"):
            level = str(data.get("level"))
            level = LEVEL_ALIASES.get(level, level)
            if level in LEVEL_NAMES:
                data = {**data, "level_name": LEVEL_NAMES[level][0]}
        return data

    @model_validator(mode="after")
    def _consistent(self) -> Policy:
        problems: list[str] = []
        if self.level_name not in LEVEL_NAMES[self.level]:
            problems.append(
                f"level_name: “{self.level_name}” 不是 level: {self.level} 的名称；可用："
                + "、".join(LEVEL_NAMES[self.level])
            )
        if self.effective_until and self.effective_until < self.effective_from:
            problems.append("effective_until 早于 effective_from")
        seen: set[str] = set()
        for c in self.criteria:
            if c.id in seen:
                problems.append(f"criteria: 条件 id “{c.id}” 重复")
            seen.add(c.id)
            if c.layout != "any" and c.layout not in self.layouts:
                problems.append(f"criteria.{c.id}: layout “{c.layout}” 未在 layouts 中定义")
        cycle_ids = {c.id for c in self.cycles}
        for q in self.consequences:
            if q.cycle not in cycle_ids:
                problems.append(f"consequences.{q.id}: 未定义的考核周期 “{q.cycle}”")
            if q.effect == "flag" and not q.flag:
                problems.append(f"consequences.{q.id}: effect: flag 需要 flag 名称")
        if problems:
            raise Problems(problems)
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
