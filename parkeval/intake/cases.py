"""Policy test cases: small YAML files of facts in and statuses out, written beside a policy
file (openfisca's ``tests/*.yaml`` is the model), read into the engine's facts.

A file names the policy it tests and lists cases::

    policy: sl-2024                 # the policy's id
    policy_file: ../sl-2024.yaml    # optional: where it is, relative to this file
    cases:
      - name: 使用面积刚好 3000 平方米
        year: 2024                  # the assessment year (--year); as_of: the head-count day
        park:
          sites: [{code: core, usable_area_m2: 3000}]
          tenants:
            - {class: licensed, count: 10, leased_area_m2: 150}
            - {class: none, leased_area_m2: 600, revenue: {2024: 2500万}}
          attestations: [sl_plan]
        waivers: {branch_limit: 经市人社局同意}
        expect:
          verdict: eligible
          criteria: {sl_area: pass, sl_hr: pass}

Tenants are terse: ``count`` repeats a row, the credit code and name are made up, the site
defaults to the core site, the move-in day to 2000-01-01 and the leased area to 0. Values are
read with the dossier's own parsers (money as 2500万, dates, areas), and every problem is
reported at once with its place in the file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from parkeval.domain.facts import (
    AttestationFacts,
    ParkFacts,
    SiteFacts,
    TenantFacts,
    WaiverFacts,
)
from parkeval.domain.wording import STATUS_NAMES, VERDICT_NAMES
from parkeval.errors import InputError, ParkevalError, Problem
from parkeval.intake.schema import AREA_FIELDS, parse_hr_class
from parkeval.values import parse_area, parse_date, parse_money, parse_year

MAX_COUNT = 10_000  # tenants one row may stand for
STATUSES = {**{k: k for k in STATUS_NAMES}, **{v: k for k, v in STATUS_NAMES.items()}}
VERDICTS = {**{k: k for k in VERDICT_NAMES}, **{v: k for k, v in VERDICT_NAMES.items()}}
VERDICTS |= {"符合": "eligible", "不符合": "not_eligible", "有条件符合": "conditional"}


@dataclass
class Expectation:
    """What a case expects: the verdict, and per criterion a status (for a branch-scoped one,
    one status for every branch site or a status per site code)."""

    verdict: str | None = None
    criteria: dict[str, str | dict[str, str]] = field(default_factory=dict)


@dataclass
class PolicyCase:
    name: str
    where: str  # the file and the case's place in it
    year: int
    as_of: dt.date
    facts: ParkFacts
    waivers: dict[str, WaiverFacts]
    expect: Expectation


@dataclass
class CaseFile:
    path: Path
    policy: str  # the id of the policy under test
    policy_file: Path | None  # where it is, when the file says
    cases: list[PolicyCase]


class _Reader:
    """Reads one file, collecting every problem with its place."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.problems: list[Problem] = []

    def fail(self, where: str, message: str) -> None:
        self.problems.append(Problem(f"{self.path} {where}", message))

    def value(self, where: str, raw: Any, parse: Callable[[Any], Any]) -> Any:
        try:
            return parse(raw)
        except ValueError as exc:
            self.fail(where, str(exc))
            return None

    def mapping(self, where: str, raw: Any, known: set[str]) -> dict[str, Any]:
        if not isinstance(raw, dict):
            self.fail(where, "应为键值映射")
            return {}
        for key in raw:
            if key not in known:
                self.fail(f"{where}.{key}", f"未知的键；可用的键：{', '.join(sorted(known))}")
        return raw

    def entries(self, where: str, raw: Any) -> dict[Any, Any]:
        """A mapping whose keys are data (years, criterion ids), or {} and a problem."""
        if raw is None:
            return {}
        if not isinstance(raw, dict):
            self.fail(where, "应为键值映射")
            return {}
        return raw

    def listing(self, where: str, raw: Any) -> list[Any]:
        if raw is None:
            return []
        if not isinstance(raw, list):
            self.fail(where, "应为列表（每项以 - 开头）")
            return []
        return raw


def _count(raw: Any) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int) or not 1 <= raw <= MAX_COUNT:
        raise ValueError(f"应为 1–{MAX_COUNT} 的整数")
    return raw


def _sites(r: _Reader, where: str, raw: Any) -> list[SiteFacts]:
    sites = []
    known = {"code", "name", "role", *AREA_FIELDS.values()}
    for i, item in enumerate(r.listing(where, raw)):
        at = f"{where}[{i}]"
        item = r.mapping(at, item, known)
        code = str(item.get("code") or ("core" if i == 0 else f"b{i}"))
        role = item.get("role") or ("core" if i == 0 else "branch")
        if role not in ("core", "branch"):
            r.fail(f"{at}.role", f"应为 core 或 branch，而不是 “{role}”")
        areas = {
            kind: r.value(f"{at}.{key}", item[key], lambda v: parse_area(v, allow_zero=False))
            for kind, key in AREA_FIELDS.items()
            if item.get(key) is not None
        }
        if not areas:
            r.fail(at, f"至少写一种面积：{'、'.join(AREA_FIELDS.values())}")
        sites.append(
            SiteFacts(
                code,
                str(item.get("name") or code),
                str(role),
                areas.get("building"),
                areas.get("usable"),
                areas.get("property"),
                areas.get("rented"),
            )
        )
    if not sites:
        r.fail(where, "至少一个场地（如 - {code: core, building_area_m2: 5000}）")
    elif sum(s.role == "core" for s in sites) != 1:
        r.fail(where, "应恰好有一个核心园区（role: core）")
    return sites


def _revenue(r: _Reader, where: str, raw: Any) -> dict[int, Decimal]:
    out = {}
    for year, amount in r.entries(where, raw).items():
        y = r.value(f"{where}.{year}", year, parse_year)
        money = r.value(f"{where}.{year}", amount, parse_money)
        if y is not None and money is not None:
            out[y] = money
    return out


def _tenants(r: _Reader, where: str, raw: Any, sites: list[SiteFacts]) -> list[TenantFacts]:
    known = {"class", "count", "site", "name", "leased_area_m2", "move_in", "move_out", "revenue"}
    codes = {s.code for s in sites}
    core = next((s.code for s in sites if s.role == "core"), "core")
    tenants: list[TenantFacts] = []
    for i, item in enumerate(r.listing(where, raw)):
        at = f"{where}[{i}]"
        item = r.mapping(at, item, known)
        if "class" not in item:
            r.fail(
                f"{at}.class", "缺少机构类别：licensed、filed、licensed_or_filed、public 或 none"
            )
            continue
        hr_class = r.value(f"{at}.class", item["class"], parse_hr_class)
        count = r.value(f"{at}.count", item.get("count", 1), _count)
        site = str(item.get("site") or core)
        if site not in codes:
            r.fail(f"{at}.site", f"未知的场地 “{site}”；已有场地：{'、'.join(codes)}")
        leased = r.value(f"{at}.leased_area_m2", item.get("leased_area_m2", 0), parse_area)
        move_in = r.value(f"{at}.move_in", item.get("move_in", "2000-01-01"), parse_date)
        move_out = item.get("move_out")
        if move_out is not None:
            move_out = r.value(f"{at}.move_out", move_out, parse_date)
        revenue = _revenue(r, f"{at}.revenue", item.get("revenue"))
        if hr_class is None or count is None or move_in is None:
            continue
        for k in range(count):
            n = len(tenants)
            tenants.append(
                TenantFacts(
                    f"CASE{n:014d}",
                    str(item.get("name") or f"机构{n + 1}") + (f"-{k + 1}" if count > 1 else ""),
                    site,
                    hr_class,
                    leased,
                    move_in,
                    move_out,
                    revenue,
                )
            )
    return tenants


def _attestations(r: _Reader, where: str, raw: Any) -> dict[str, AttestationFacts]:
    if raw is None:
        return {}
    if isinstance(raw, list):
        return {str(c): AttestationFacts(True, "测试用例") for c in raw}
    out = {}
    for cid, item in r.entries(where, raw).items():
        item = r.mapping(f"{where}.{cid}", item, {"met", "evidence", "note"})
        out[str(cid)] = AttestationFacts(
            bool(item.get("met", True)), item.get("evidence"), item.get("note")
        )
    return out


def _expectation(r: _Reader, where: str, raw: Any) -> Expectation:
    raw = r.mapping(where, raw, {"verdict", "criteria"})
    expect = Expectation()
    if raw.get("verdict") is not None:
        expect.verdict = VERDICTS.get(str(raw["verdict"]))
        if expect.verdict is None:
            r.fail(
                f"{where}.verdict", f"应为 {'、'.join(VERDICT_NAMES)}，而不是 “{raw['verdict']}”"
            )

    def status(at: str, value: Any) -> str:
        if str(value) not in STATUSES:
            r.fail(at, f"应为 {'、'.join(STATUS_NAMES)}（或 {'、'.join(STATUS_NAMES.values())}）")
        return STATUSES.get(str(value), str(value))

    for cid, value in r.entries(f"{where}.criteria", raw.get("criteria")).items():
        at = f"{where}.criteria.{cid}"
        if isinstance(value, dict):
            expect.criteria[str(cid)] = {str(s): status(f"{at}.{s}", v) for s, v in value.items()}
        else:
            expect.criteria[str(cid)] = status(at, value)
    if expect.verdict is None and not expect.criteria and "verdict" not in raw:
        r.fail(where, "至少写明 verdict 或 criteria 中的一项")
    return expect


def _case(r: _Reader, i: int, raw: Any) -> PolicyCase | None:
    where = f"cases[{i}]"
    raw = r.mapping(where, raw, {"name", "year", "as_of", "park", "waivers", "expect"})
    name = str(raw.get("name") or f"第 {i + 1} 例")
    where += f"（{name}）"
    year = r.value(f"{where}.year", raw["year"], parse_year) if "year" in raw else None
    as_of = r.value(f"{where}.as_of", raw["as_of"], parse_date) if "as_of" in raw else None
    if year is None and as_of is None:
        if "year" not in raw and "as_of" not in raw:
            r.fail(where, "缺少 year（评估年度）或 as_of（统计日）")
        return None
    if as_of is None:
        as_of = dt.date(year, 12, 31)
    if year is None:
        year = as_of.year if (as_of.month, as_of.day) == (12, 31) else as_of.year - 1
    park = r.mapping(
        f"{where}.park", raw.get("park"), {"sites", "tenants", "attestations", "province", "city"}
    )
    sites = _sites(r, f"{where}.park.sites", park.get("sites"))
    tenants = _tenants(r, f"{where}.park.tenants", park.get("tenants"), sites)
    attestations = _attestations(r, f"{where}.park.attestations", park.get("attestations"))
    waivers = {
        str(cid): WaiverFacts(str(cid), str(reason), "测试用例")
        for cid, reason in r.entries(f"{where}.waivers", raw.get("waivers")).items()
    }
    expect = _expectation(r, f"{where}.expect", raw.get("expect"))
    facts = ParkFacts(
        f"case-{i + 1}",
        name,
        tuple(sites),
        tuple(tenants),
        attestations,
        province=park.get("province"),
        city=park.get("city"),
    )
    return PolicyCase(name, f"{r.path} {where}", year, as_of, facts, waivers, expect)


# A YAML file a policy-test directory may hold beside the tests: the key that marks its kind.
_OTHER_KINDS = (
    ("criteria", "政策文件"),
    ("rules", "奖补政策文件"),
    ("goals", "发展目标文件"),
    ("park", "园区档案"),
)


def other_kind(doc: Any) -> str | None:
    """What a parsed YAML document is when it is not a policy test (政策文件, 奖补政策文件,
    发展目标文件, 园区档案), or None: a test file has ``cases`` and none of their keys."""
    if not isinstance(doc, dict) or "cases" in doc:
        return None
    return next((name for key, name in _OTHER_KINDS if key in doc), None)


def file_kind(path: Path) -> str | None:
    """:func:`other_kind` of a file (None when it cannot be read: the test run says why)."""
    from parkeval.intake.structured import load_structured
    from parkeval.limits import read_input

    try:
        return other_kind(load_structured(path, read_input(path)))
    except (OSError, ValueError, ParkevalError):
        return None


def read_case_file(path: Path) -> CaseFile:
    """Read a policy test file; :class:`InputError` lists every problem with its place."""
    from parkeval.intake.structured import load_structured
    from parkeval.limits import read_input

    try:
        data = read_input(path)
    except FileNotFoundError:
        raise InputError([Problem(str(path), "文件不存在")]) from None
    except ValueError as exc:
        raise InputError([Problem(str(path), str(exc))]) from None
    doc = load_structured(path, data)
    kind = other_kind(doc)
    if kind is not None:
        raise InputError(
            [Problem(str(path), f"这是{kind}，不是政策测试文件（测试文件含 policy 与 cases）")]
        )
    r = _Reader(path)
    doc = r.mapping("(文件顶层)", doc, {"policy", "policy_file", "cases"})
    if r.problems:
        raise InputError(r.problems)
    if not isinstance(doc.get("policy"), str):
        r.fail("policy", "缺少被测试的政策编号（如 policy: gx-2021）")
    policy_file = None
    if doc.get("policy_file") is not None:
        policy_file = (path.parent / str(doc["policy_file"])).resolve()
        if not policy_file.is_file():
            r.fail("policy_file", f"找不到政策文件 {policy_file}（路径相对于本文件）")
    cases = [
        case
        for i, raw in enumerate(r.listing("cases", doc.get("cases")))
        if (case := _case(r, i, raw)) is not None
    ]
    if not cases and not r.problems:
        r.fail("cases", "没有测试用例")
    if r.problems:
        raise InputError(r.problems)
    return CaseFile(path, str(doc["policy"]), policy_file, cases)
