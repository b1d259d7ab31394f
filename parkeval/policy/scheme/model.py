"""A reward scheme file (``data/incentives/<id>.yaml``): what a city pays HR service firms,
parks and people, under which conditions, with which caps.

A scheme names its document, issuer and validity (a draft's start date may be a local
setting); its funds (a cap per year), its groups (within a group only the highest award is
paid: 就高从优、从优从高、不得重复), its caps per firm and year, its exclusions (无星,
严重失信名单), its local settings (the minimum wage), the recorded facts it shows but never sums
(loans, transfers between governments), and its rules. A rule cites its article, quotes its
wording, names who benefits, what triggers it (an honour or list entry, a revenue tier, a
rating, hires, an event, booths, months of operation, an assessment, the bureau's approval),
further conditions (form, park area, revenue, months), and an amount (fixed, ceiling, range,
per head, a percentage of a cost, tiers with a top-up). The loader checks every operator
against the comparison word the wording uses and every number against the wording's numbers,
and reports every problem at once.

Why this module is long: it is one file format — the trigger, requirement, amount and
rule models and their wording checks belong together, as the policy model's do.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from parkeval.policy.criteria import Problems
from parkeval.policy.scheme.numbers import SCHEME_WORDS, numbers_in_wording
from parkeval.values import parse_money

Id = Field(pattern=r"^[a-z][a-z0-9_]*$")
Op = Literal[">=", ">", "<=", "<"]

BENEFICIARIES = {"firm": "企业", "park": "园区", "person": "个人"}
FORMS = {
    "headquarters": "总部",
    "regional_headquarters": "区域性总部（独立法人）",
    "subsidiary": "控股子公司",
    "branch": "分支机构",
}
REVENUE_MEASURES = {"main_business": "主营业务收入", "operating": "营业收入"}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


def _money(value: Any) -> Any:
    if isinstance(value, bool):
        raise ValueError("应为金额，而不是 true/false")
    if isinstance(value, (str, int, Decimal)):
        return parse_money(value)
    return value


def _percent(value: Any) -> Any:
    if isinstance(value, str) and value.strip().endswith(("%", "％")):
        return Decimal(value.strip()[:-1]) / 100
    return value


class Condition(_Strict):
    """A comparison the wording states: ``word`` is the comparison word as quoted (超过, 以上,
    满, 达到, 包含 …); the loader holds ``op`` to what that word means."""

    op: Op
    value: Decimal
    word: str | None = None
    interpretation: str | None = None

    @model_validator(mode="after")
    def _said(self) -> Condition:
        if self.word is None and not self.interpretation:
            raise ValueError(
                "比较条件须写 word（原文的比较用语）或 interpretation（原文无比较用语时的依据）"
            )
        return self


class Requirement(_Strict):
    """A further condition of a rule, read from the recorded facts of the claim year: the
    firm's form and park area, months operating, a revenue, or an honour held by then (any
    year up to the claim year: 历年百强榜单)."""

    fact: Literal["form", "park_area", "months_operating", "revenue", "honour"]
    lists: list[str] | None = None
    levels: list[Literal["national", "provincial", "city", "county"]] | None = None
    forms: list[Literal["headquarters", "regional_headquarters", "subsidiary", "branch"]] | None = (
        None
    )
    area: str | None = None
    measure: Literal["main_business", "operating"] | None = None
    condition: Condition | None = None

    @model_validator(mode="before")
    @classmethod
    def _read(cls, data: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("condition"), dict):
            cond = dict(data["condition"])
            if data.get("fact") == "revenue" and "value" in cond:
                cond["value"] = _money(cond["value"])
            data = {**data, "condition": cond}
        return data

    @model_validator(mode="after")
    def _fits(self) -> Requirement:
        need = {
            "form": ("forms",),
            "park_area": ("area",),
            "months_operating": ("condition",),
            "revenue": ("measure", "condition"),
            "honour": ("lists",),
        }[self.fact]
        missing = [k for k in need if getattr(self, k) is None]
        extra = [
            k
            for k in ("forms", "area", "measure", "condition", "lists", "levels")
            if k not in need
            and not (k == "levels" and self.fact == "honour")
            and getattr(self, k) is not None
        ]
        problems = [f"requires（{self.fact}）缺少 {k}" for k in missing]
        problems += [f"requires（{self.fact}）不应有 {k}" for k in extra]
        if problems:
            raise Problems(problems)
        return self


class Trigger(_Strict):
    """What a claim arises from in a year (``trigger``):

    * ``honour``: an honour or list entry recorded in the year (``lists``, optional ``levels``);
      ``first: true`` — the first on that list (and level) in the whole recorded history.
    * ``revenue_tiers``: the year's revenue (``measure``) falls in a tier of the amount.
    * ``rating``: a rating recorded for the year is one of ``values`` (3A, 4A, 5A, 五星 …).
    * ``hires``: people hired in the year (``categories``) whose contract and insurance meet
      ``contract_months`` and ``insured_months``, counted against ``count``.
    * ``event``: an event held in the year, by ``organisations`` and ``attendees``.
    * ``booths``: booth costs of the year (domestic, overseas).
    * ``operating``: the year the firm has operated ``months`` since it settled (满一年).
    * ``settled``: the year the firm settled (设立、落地: its location is recorded from then).
    * ``assessment``: an assessment of ``lists`` passed in the year, after a recognition.
    * ``interns``: intern-months of the year (a base's level picks the rate).
    * ``approval``: the bureau approved an amount under this rule for the year (the rule's
      wording leaves the amount to an assessment: 根据贡献程度, 经考核评估).
    """

    kind: Literal[
        "honour",
        "revenue_tiers",
        "rating",
        "hires",
        "event",
        "booths",
        "operating",
        "settled",
        "assessment",
        "interns",
        "approval",
    ]
    lists: list[str] | None = None
    levels: list[Literal["national", "provincial", "city", "county"]] | None = None
    first: bool = False
    measure: Literal["main_business", "operating"] | None = None
    values: list[str] | None = None
    categories: list[str] | None = None
    contract_months: Condition | None = None
    insured_months: Condition | None = None
    count: Condition | None = None
    organisations: Condition | None = None
    attendees: Condition | None = None
    months: Condition | None = None

    @model_validator(mode="after")
    def _fits(self) -> Trigger:
        need = {
            "honour": ("lists",),
            "revenue_tiers": ("measure",),
            "rating": ("values",),
            "hires": ("categories",),
            "event": ("organisations", "attendees"),
            "booths": (),
            "operating": ("months",),
            "settled": (),
            "assessment": ("lists",),
            "interns": (),
            "approval": (),
        }[self.kind]
        optional = {
            "honour": ("levels", "first"),
            "hires": ("contract_months", "insured_months", "count"),
        }.get(self.kind, ())
        keys = (
            "lists", "levels", "measure", "values", "categories", "contract_months",
            "insured_months", "count", "organisations", "attendees", "months",
        )  # fmt: skip
        problems = [f"trigger（{self.kind}）缺少 {k}" for k in need if getattr(self, k) is None]
        problems += [
            f"trigger（{self.kind}）不应有 {k}"
            for k in keys
            if k not in need and k not in optional and getattr(self, k) is not None
        ]
        if self.first and self.kind != "honour":
            problems.append("first: true 只用于 trigger: honour（首次进入某榜单或获得某称号）")
        if problems:
            raise Problems(problems)
        return self


class Tier(_Strict):
    """A revenue tier: [min, max) with the words that state the bounds, and its award."""

    min: Decimal
    min_word: str
    max: Decimal | None = None
    max_word: str | None = None
    value: Decimal
    ceiling: bool = True  # 不超过 X: the bureau approves; false: a fixed amount

    @model_validator(mode="before")
    @classmethod
    def _read(cls, data: Any) -> Any:
        if isinstance(data, dict):
            data = {k: (_money(v) if k in ("min", "max", "value") else v) for k, v in data.items()}
        return data


class Amount(_Strict):
    """How much: ``fixed``; ``ceiling`` (最高/不超过: the bureau's approved amount, once recorded);
    ``range`` (min–max, the bureau approves within it); ``per_head`` (rate × people, ``cap``);
    ``percent`` (rate × cost, capped per item by ``item_caps``); ``tiers`` (revenue tiers,
    ``top_up``: moving up pays the new tier less what was paid); ``wage_share`` (a share of the
    local minimum wage per person-month, by the base's level)."""

    kind: Literal["fixed", "ceiling", "range", "per_head", "percent", "tiers", "wage_share"]
    value: Decimal | None = None
    min: Decimal | None = None
    max: Decimal | None = None
    rate: Decimal | None = None
    cap: Decimal | None = None
    item_caps: dict[str, Decimal] | None = None
    tiers: list[Tier] | None = None
    top_up: bool = False
    shares: dict[str, Decimal] | None = None
    setting: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _read(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        out = dict(data)
        for key in ("value", "min", "max", "cap"):
            if key in out:
                out[key] = _money(out[key])
        if "rate" in out:
            out["rate"] = (
                _percent(out["rate"]) if data.get("kind") in ("percent",) else _money(out["rate"])
            )
        if isinstance(out.get("item_caps"), dict):
            out["item_caps"] = {k: _money(v) for k, v in out["item_caps"].items()}
        if isinstance(out.get("shares"), dict):
            out["shares"] = {k: _percent(v) for k, v in out["shares"].items()}
        return out

    @model_validator(mode="after")
    def _fits(self) -> Amount:
        need = {
            "fixed": ("value",),
            "ceiling": ("value",),
            "range": ("min", "max"),
            "per_head": ("rate",),
            "percent": ("rate",),
            "tiers": ("tiers",),
            "wage_share": ("shares", "setting"),
        }[self.kind]
        optional = {"per_head": ("cap",), "percent": ("item_caps", "cap"), "tiers": ("top_up",)}
        allowed = set(need) | set(optional.get(self.kind, ()))
        problems = [f"amount（{self.kind}）缺少 {k}" for k in need if getattr(self, k) is None]
        for k in ("value", "min", "max", "rate", "cap", "item_caps", "tiers", "shares", "setting"):
            if k not in allowed and getattr(self, k) is not None:
                problems.append(f"amount（{self.kind}）不应有 {k}")
        if self.top_up and self.kind != "tiers":
            problems.append("top_up 只用于 amount（tiers）")
        if (
            self.kind == "range"
            and self.min is not None
            and self.max is not None
            and self.min > self.max
        ):
            problems.append(f"amount: min {self.min} 大于 max {self.max}")
        if self.tiers:
            for a, b in zip(self.tiers, self.tiers[1:], strict=False):
                if a.max != b.min:
                    problems.append(f"tiers: 档次 {a.min}–{a.max} 与下一档的起点 {b.min} 不衔接")
            if any(t.max is None for t in self.tiers[:-1]):
                problems.append("tiers: 只有最高一档可以没有上限（max）")
        if problems:
            raise Problems(problems)
        return self

    def numbers(self) -> list[tuple[str, Decimal, str]]:
        """(key, value, family) of every number the wording must give."""
        out = [
            (k, getattr(self, k), "money")
            for k in ("value", "min", "max", "cap")
            if getattr(self, k) is not None
        ]
        if self.rate is not None:
            out.append(("rate", self.rate, "percent" if self.kind == "percent" else "money"))
        for name, v in (self.item_caps or {}).items():
            out.append((f"item_caps.{name}", v, "money"))
        for name, v in (self.shares or {}).items():
            out.append((f"shares.{name}", v, "percent"))
        for i, t in enumerate(self.tiers or []):
            out += [(f"tiers[{i}].min", t.min, "money"), (f"tiers[{i}].value", t.value, "money")]
            if t.max is not None:
                out.append((f"tiers[{i}].max", t.max, "money"))
        return out


class Quota(_Strict):
    """At most ``count`` beneficiaries every ``every_years`` years (每两年评选不超过10家)."""

    count: int = Field(ge=1)
    every_years: int = Field(ge=1)
    word: str


class Rule(_Strict):
    id: str = Id
    article: str
    title: str
    wording: str = Field(description="the article's wording, verbatim")
    beneficiary: Literal["firm", "park", "person"]
    trigger: Trigger
    requires: list[Requirement] = []
    amount: Amount
    once: bool = False  # 一次性: paid once per beneficiary within the scheme
    group: str | None = None
    fund: str | None = None
    quota: Quota | None = None
    schedule: list[Decimal] | None = None  # shares paid in the award year and those after
    cap_by_contribution_years: int | None = Field(default=None, ge=1)
    interpretation: str | None = None
    number_in_wording: bool = True

    @model_validator(mode="before")
    @classmethod
    def _read(cls, data: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("schedule"), list):
            data = {**data, "schedule": [_percent(v) for v in data["schedule"]]}
        return data

    @model_validator(mode="after")
    def _wording(self) -> Rule:
        problems: list[str] = []
        found = numbers_in_wording(self.wording)
        numbers = [(f"amount.{k}", v, f) for k, v, f in self.amount.numbers()]
        conditions: list[tuple[str, Condition, str]] = []
        for key in (
            "contract_months",
            "insured_months",
            "count",
            "organisations",
            "attendees",
            "months",
        ):
            cond = getattr(self.trigger, key)
            if cond is not None:
                family = "months" if key.endswith("months") or key == "months" else "count"
                conditions.append((f"trigger.{key}", cond, family))
        for i, req in enumerate(self.requires):
            if req.condition is not None:
                family = "money" if req.fact == "revenue" else "months"
                conditions.append((f"requires[{i}].condition", req.condition, family))
        for key, cond, family in conditions:
            numbers.append((f"{key}.value", cond.value, family))
            problems += _check_word(key, cond.word, cond.op, self.wording)
        for i, tier in enumerate(self.amount.tiers or []):
            problems += _check_word(
                f"amount.tiers[{i}].min_word", tier.min_word, ">=", self.wording
            )
            if tier.max_word is not None:
                problems += _check_word(
                    f"amount.tiers[{i}].max_word", tier.max_word, "<", self.wording
                )
            elif tier.max is not None:
                problems.append(f"amount.tiers[{i}]: 有 max 时须写 max_word（如 不含）")
        if self.quota is not None:
            numbers += [("quota.count", Decimal(self.quota.count), "count")]
            numbers += [("quota.every_years", Decimal(self.quota.every_years), "years")]
            problems += _check_word("quota.word", self.quota.word, "<=", self.wording)
        if self.schedule is not None:
            if sum(self.schedule) != 1:
                problems.append(
                    f"schedule 各期比例之和应为 100%，而不是 {sum(self.schedule) * 100}%"
                )
            numbers += [(f"schedule[{i}]", v, "percent") for i, v in enumerate(self.schedule)]
        if self.cap_by_contribution_years is not None:
            numbers.append(
                ("cap_by_contribution_years", Decimal(self.cap_by_contribution_years), "years")
            )
        if self.number_in_wording:
            for key, value, family in numbers:
                if value not in found[family]:
                    problems.append(
                        f"{key} {_show(value, family)} 与原文不符：原文中的{_FAMILY_NAMES[family]}是 "
                        f"{'、'.join(_show(v, family) for v in sorted(found[family])) or '（无）'}"
                    )
        elif not self.interpretation:
            problems.append("number_in_wording: false 时须用 interpretation 写明数字从何而来")
        if self.trigger.kind == "approval" and self.amount.kind in ("fixed",):
            problems.append("trigger: approval 的奖励由主管部门核定，amount 应为 ceiling 或 range")
        if problems:
            raise Problems(problems)
        return self


_FAMILY_NAMES = {
    "money": "金额",
    "count": "数量",
    "months": "月数",
    "years": "年数",
    "percent": "百分比",
}


def _show(value: Decimal, family: str) -> str:
    if family == "money":
        return f"{value.normalize():f}元"
    if family == "percent":
        return f"{(value * 100).normalize():f}%"
    return f"{value.normalize():f}"


def _check_word(key: str, word: str | None, op: str, wording: str) -> list[str]:
    problems: list[str] = []
    if word is None:
        return problems
    if word not in wording:
        problems.append(f"{key}: 原文中没有 “{word}”")
    meant = SCHEME_WORDS.get(word)
    if meant is None:
        problems.append(f"{key}: “{word}” 不是可识别的比较用语（{'、'.join(SCHEME_WORDS)}）")
    elif meant != op:
        problems.append(f"{key}: op “{op}” 与原文用语 “{word}”（{meant}）不一致")
    return problems


class Fund(_Strict):
    """A fund with a cap per year (lz 专项发展资金 ≤ 1000万/年), for the years it is set."""

    id: str = Id
    name: str
    article: str
    wording: str
    per_year: Decimal
    years: tuple[int, int]
    park_subsidy_cap: Decimal | None = None  # within the fund: the park subsidy cap per year

    @model_validator(mode="before")
    @classmethod
    def _read(cls, data: Any) -> Any:
        if isinstance(data, dict):
            data = {
                k: (_money(v) if k in ("per_year", "park_subsidy_cap") else v)
                for k, v in data.items()
            }
        return data

    @model_validator(mode="after")
    def _wording(self) -> Fund:
        found = numbers_in_wording(self.wording)["money"]
        problems = [
            f"{k} {v}元 与原文不符"
            for k, v in (("per_year", self.per_year), ("park_subsidy_cap", self.park_subsidy_cap))
            if v is not None and v not in found
        ]
        if self.years[0] > self.years[1]:
            problems.append(f"years: {self.years[0]} 晚于 {self.years[1]}")
        if problems:
            raise Problems(problems)
        return self


class Group(_Strict):
    """Rules of which a beneficiary is paid only the highest in a year (就高、不重复)."""

    id: str = Id
    name: str
    article: str
    wording: str
    interpretation: str | None = None


class FirmYearCap(_Strict):
    """A cap per beneficiary per year over some rules (单个企业年度补助总额不超过10万元)."""

    id: str = Id
    article: str
    wording: str
    rules: list[str]
    amount: Decimal
    interpretation: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _read(cls, data: Any) -> Any:
        if isinstance(data, dict) and "amount" in data:
            data = {**data, "amount": _money(data["amount"])}
        return data

    @model_validator(mode="after")
    def _wording(self) -> FirmYearCap:
        if self.amount not in numbers_in_wording(self.wording)["money"]:
            raise Problems([f"amount {self.amount}元 与原文不符"])
        return self


class Exclusion(_Strict):
    """Who gets nothing: ``no_star_last_year`` (a recorded 无星 for the year before; no rating
    recorded is not 无星) or ``severe_dishonesty`` (on the 严重失信名单)."""

    id: str = Id
    article: str
    wording: str
    fact: Literal["no_star_last_year", "severe_dishonesty"]
    interpretation: str | None = None


class LocalSetting(_Strict):
    id: str = Id
    name: str
    value: Any
    article: str | None = None
    interpretation: str


class Shown(_Strict):
    """A recorded fact the scheme names that is not a reward: loans, transfers."""

    id: str = Id
    article: str
    wording: str
    fact: Literal["loan", "transfer"]


class Scheme(_Strict):
    kind: Literal["reward_scheme"]
    id: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    title: str
    document: str | None = None
    issuer: str
    city: str
    province: str
    draft: bool = False
    valid_from: dt.date | None = None
    valid_from_setting: str | None = None  # a local setting gives the start (a draft's blank date)
    valid_years: int | None = None
    valid_until: dt.date | None = None
    validity_wording: str
    overlap: str | None = None
    funds: list[Fund] = []
    groups: list[Group] = []
    caps: list[FirmYearCap] = []
    exclusions: list[Exclusion] = []
    local_settings: list[LocalSetting] = []
    shown: list[Shown] = []
    rules: list[Rule]
    source: str | None = None
    sha256: str | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Scheme:
        problems: list[str] = []
        ids = [r.id for r in self.rules]
        problems += [f"rules: id “{i}” 重复" for i in sorted({i for i in ids if ids.count(i) > 1})]
        groups = {g.id for g in self.groups}
        funds = {f.id for f in self.funds}
        settings = {s.id for s in self.local_settings}
        for r in self.rules:
            if r.group is not None and r.group not in groups:
                problems.append(f"rules(id={r.id}).group: 未定义的组 “{r.group}”")
            if r.fund is not None and r.fund not in funds:
                problems.append(f"rules(id={r.id}).fund: 未定义的资金 “{r.fund}”")
            if r.amount.setting is not None and r.amount.setting not in settings:
                problems.append(
                    f"rules(id={r.id}).amount.setting: 未定义的本地设置 “{r.amount.setting}”"
                )
        for cap in self.caps:
            problems += [
                f"caps(id={cap.id}).rules: 未知的规则 “{x}”" for x in cap.rules if x not in ids
            ]
        if self.valid_from_setting is not None:
            if self.valid_from is not None:
                problems.append("valid_from 与 valid_from_setting 只能写一个")
            elif self.valid_from_setting not in settings:
                problems.append(f"valid_from_setting: 未定义的本地设置 “{self.valid_from_setting}”")
        elif self.valid_from is None:
            problems.append("缺少 valid_from（或 valid_from_setting：由本地设置给出的施行日期）")
        if self.valid_until is None and self.valid_years is None:
            problems.append("缺少 valid_until 或 valid_years")
        start = self.start
        if start is not None and self.valid_until is not None and self.valid_until < start:
            problems.append(f"valid_until {self.valid_until} 早于施行日期 {start}")
        if problems:
            raise Problems(problems)
        return self

    def setting(self, setting_id: str) -> Any:
        """A local setting's value."""
        return next(s.value for s in self.local_settings if s.id == setting_id)

    @property
    def start(self) -> dt.date | None:
        """The first day in force (a local setting's date for a draft with a blank date)."""
        if self.valid_from is not None:
            return self.valid_from
        value = self.setting(self.valid_from_setting) if self.valid_from_setting else None
        if isinstance(value, dt.date):
            return value
        return dt.date.fromisoformat(str(value)) if value else None

    @property
    def end(self) -> dt.date:
        """The last day in force."""
        if self.valid_until is not None:
            return self.valid_until
        start = self.start
        assert start is not None and self.valid_years is not None
        return start.replace(year=start.year + self.valid_years) - dt.timedelta(days=1)

    def rule(self, rule_id: str) -> Rule:
        """The rule with this id."""
        return next(r for r in self.rules if r.id == rule_id)
