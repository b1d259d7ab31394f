"""Certification policies as data: the YAML files under ``data/policies/``.

A policy is loaded strictly: unknown keys, duplicate keys, bad dates, a metric
outside the vocabulary, and an operator that disagrees with the criterion's
original wording are errors naming the file and the key.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import operator
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from parkeval.errors import NotFoundError, PolicyError
from parkeval.parsing import parse_area, parse_money

POLICY_PATH_ENV = "PARKEVAL_POLICY_PATH"


class Metric(StrEnum):
    """The fixed vocabulary of quantities the engine computes."""

    building_area = "building_area"  # ㎡, sum of the sites in scope
    hr_institutions = "hr_institutions"  # HR service institutions present at the date
    occupancy = "occupancy"  # occupied (leased) area ÷ building area
    revenue = "revenue"  # 元, tenants' 营业收入 for the year
    revenue_growth = "revenue_growth"  # revenue(Y) ÷ revenue(Y−1)
    branch_sites = "branch_sites"  # number of branch sites


METRIC_UNITS = {
    Metric.building_area: "㎡",
    Metric.hr_institutions: "家",
    Metric.occupancy: "%",
    Metric.revenue: "元",
    Metric.revenue_growth: "倍",
    Metric.branch_sites: "个",
}
METRIC_NAMES = {
    Metric.building_area: "建筑面积",
    Metric.hr_institutions: "人力资源服务机构数量",
    Metric.occupancy: "入驻面积占比",
    Metric.revenue: "年营业收入",
    Metric.revenue_growth: "营业收入增长",
    Metric.branch_sites: "分园区数量",
}
PARK_ONLY_METRICS = {Metric.revenue, Metric.revenue_growth, Metric.branch_sites}

Op = Literal[">=", ">", "<=", "<"]

# 民法典 第一千二百五十九条: 以上、以下、以内、届满 include the number; 不满、超过、以外 do not.
# Longest words first, so 不超过 is read before 超过 and 不低于 before 低于.
WORDING_OPS: dict[str, str] = {
    "不少于": ">=",
    "不低于": ">=",
    "不超过": "<=",
    "不高于": "<=",
    "不多于": "<=",
    "不满": "<",
    "以上": ">=",
    "以下": "<=",
    "达到": ">=",
    "超过": ">",
    "低于": "<",
    "高于": ">",
    "多于": ">",
}
_WORDING_RE = re.compile("|".join(sorted(WORDING_OPS, key=len, reverse=True)))
OP_WORDS = {">=": "不低于", ">": "高于", "<=": "不超过", "<": "低于"}


def ops_in_wording(wording: str) -> list[tuple[str, str]]:
    """The comparison words in a criterion's wording and the operator each means."""
    return [(m.group(0), WORDING_OPS[m.group(0)]) for m in _WORDING_RE.finditer(wording)]


_COMPARE = {">=": operator.ge, ">": operator.gt, "<=": operator.le, "<": operator.lt}


def compare(actual: Fraction | Decimal | int, op: str, threshold: Fraction | Decimal | int) -> bool:
    """Exact comparison: Decimals and ints compare exactly as they are; a ratio (Fraction)
    is compared as a Fraction."""
    if isinstance(actual, Fraction) or isinstance(threshold, Fraction):
        actual, threshold = Fraction(actual), Fraction(threshold)
    return _COMPARE[op](actual, threshold)


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
    evidence: str | None = Field(default=None, description="for qualitative criteria: the evidence expected")

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
    due: str | None = Field(default=None, description="MM-DD of the following year, for calendar cycles")
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
    criteria: list[str] = Field(default_factory=list, description="criterion ids scored in this dimension")
    targets: list[Literal["revenue", "hr_institutions", "occupancy"]] = Field(
        default_factory=list, description="target metrics whose attainment is scored here")


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


class Policy(_Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    title: str
    short_title: str | None = None
    document_no: str
    issuer: str
    level: Literal["national", "regional", "city", "county"]
    level_name: str
    jurisdiction: str
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
                raise ValueError(f"local_settings.rubric.value.{where}: "
                                 f"{first['msg'].removeprefix('Value error, ')}") from None
            for d in rubric.dimensions:
                unknown = [c for c in d.criteria if c not in seen]
                if unknown:
                    raise ValueError(f"local_settings.rubric: 维度 {d.id} 引用了未知的条件 {', '.join(unknown)}")
        return self

    def in_force(self, on: dt.date) -> bool:
        """Whether the policy is in force on a date (both ends included)."""
        return self.effective_from <= on and (self.effective_until is None or on <= self.effective_until)

    def criteria_for(self, layout: str) -> list[Criterion]:
        return [c for c in self.criteria if c.layout in ("any", layout)]

    def criterion(self, criterion_id: str) -> Criterion:
        for c in self.criteria:
            if c.id == criterion_id:
                return c
        known = ", ".join(c.id for c in self.criteria)
        raise NotFoundError(f"政策 {self.id} 中没有条件 “{criterion_id}”。可用的条件：{known}")

    def cycle(self, cycle_id: str) -> Cycle:
        for c in self.cycles:
            if c.id == cycle_id:
                return c
        known = ", ".join(c.id for c in self.cycles) or "（无）"
        raise NotFoundError(f"政策 {self.id} 中没有考核周期 “{cycle_id}”。可用的周期：{known}")

    def setting(self, key: str, default: Any = None) -> Any:
        item = self.local_settings.get(key)
        return default if item is None else item.value

    @property
    def display_title(self) -> str:
        return self.short_title or self.title


def _format_location(loc: Iterable[Any], data: Any) -> str:
    """Turn a pydantic location (('criteria', 3, 'op')) into criteria[3](id=x).op."""
    parts: list[str] = []
    node = data
    for item in loc:
        if isinstance(item, int):
            label = f"[{item}]"
            if isinstance(node, list) and item < len(node):
                node = node[item]
                if isinstance(node, dict) and "id" in node:
                    label = f"[{item}](id={node['id']})"
            parts.append(label)
        else:
            if item in ("function-after", "function-before") or str(item).startswith("function-"):
                continue
            parts.append(("." if parts else "") + str(item))
            node = node.get(item) if isinstance(node, dict) else None
    return "".join(parts) or "(文件顶层)"


_PYDANTIC_MESSAGES = {
    "extra_forbidden": "未知的键",
    "missing": "缺少必填的键",
    "date_from_datetime_parsing": "日期无效，应为 YYYY-MM-DD",
    "date_parsing": "日期无效，应为 YYYY-MM-DD",
    "date_type": "日期无效，应为 YYYY-MM-DD",
    "date_from_datetime_inexact": "日期无效，应为 YYYY-MM-DD",
}


def _describe_validation(exc: ValidationError, data: Any) -> list[str]:
    lines = []
    for err in exc.errors():
        where = _format_location(err["loc"], data)
        msg = _PYDANTIC_MESSAGES.get(err["type"])
        if err["type"] in ("enum", "literal_error"):
            allowed = err.get("ctx", {}).get("expected", "")
            msg = f"不允许的值 {err.get('input')!r}；可用的值：{allowed}"
        elif msg is None:
            msg = err["msg"].removeprefix("Value error, ")
        lines.append(f"{where}: {msg}")
    return lines


def load_policy_file(path: Path) -> Policy:
    """Load and validate one policy file; raise :class:`PolicyError` naming the file and key."""
    from parkeval.yamlio import describe_yaml_error, load_yaml

    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise PolicyError(f"无法读取政策文件 {path}：{exc.strerror}") from None
    import yaml

    try:
        data = load_yaml(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise PolicyError(f"政策文件 {path} 不是 UTF-8 编码的文本") from None
    except yaml.YAMLError as exc:
        raise PolicyError(f"政策文件 {path}：{describe_yaml_error(exc)}") from None
    if not isinstance(data, dict):
        raise PolicyError(f"政策文件 {path}：顶层应为键值映射（id、title、criteria……）")
    for reserved in ("source", "sha256"):
        if reserved in data:
            raise PolicyError(f"政策文件 {path}：{reserved}: 未知的键（由程序填写）")
    try:
        policy = Policy.model_validate(data)
    except ValidationError as exc:
        details = "\n".join(f"  {line}" for line in _describe_validation(exc, data))
        raise PolicyError(f"政策文件 {path} 无效：\n{details}") from None
    return policy.model_copy(update={"source": str(path), "sha256": hashlib.sha256(raw).hexdigest()})


@dataclass
class PolicyRegistry:
    """All policies known to a run: built-in, then PARKEVAL_POLICY_PATH, then --policy-file."""

    policies: dict[str, Policy]

    def get(self, policy_id: str) -> Policy:
        try:
            return self.policies[policy_id]
        except KeyError:
            known = ", ".join(sorted(self.policies)) or "（无）"
            raise NotFoundError(
                f"未知的政策 “{policy_id}”。已知的政策：{known}",
                hint="用 `parkeval policies` 查看；自定义政策用 --policy-file 或 PARKEVAL_POLICY_PATH 加入。",
            ) from None

    def all(self) -> list[Policy]:
        return [self.policies[k] for k in sorted(self.policies)]


def _policy_files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())


def load_registry(extra_dirs: Iterable[Path] = (), extra_files: Iterable[Path] = ()) -> PolicyRegistry:
    """Load the built-in policies and the user's; a user policy with a built-in id replaces it."""
    from parkeval.resources import policies_dir

    policies: dict[str, Policy] = {}
    sources = [_policy_files(policies_dir())]
    for directory in extra_dirs:
        if not directory.is_dir():
            raise PolicyError(f"{POLICY_PATH_ENV} 中的目录不存在：{directory}")
        sources.append(_policy_files(directory))
    sources.append([Path(f) for f in extra_files])
    for files in sources:
        in_this_source: dict[str, str] = {}
        for path in files:
            policy = load_policy_file(path)
            if policy.id in in_this_source:
                raise PolicyError(
                    f"政策 id “{policy.id}” 重复：{in_this_source[policy.id]} 与 {path}"
                )
            in_this_source[policy.id] = str(path)
            policies[policy.id] = policy
    return PolicyRegistry(policies)


def policy_path_from_env() -> list[Path]:
    value = os.environ.get(POLICY_PATH_ENV, "")
    return [Path(p) for p in value.split(os.pathsep) if p.strip()]
