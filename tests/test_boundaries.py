"""Every threshold of every policy file, at, just below and just above its boundary.

The cases are generated at collection time from ``load_registry()``: a new policy file under
``data/policies/`` gets its own cases with no change here. For each quantitative criterion a
park is built from the engine's facts dataclasses whose metric for that criterion's scope is
exactly the threshold plus an offset of -1, 0 or +1 step, while every other criterion is
comfortably met. Steps: 1 for counts, 0.01 ㎡ for areas (occupancy moves by 0.01 ㎡ of leased
area), 1 元 for revenue (growth moves by 1 元 of the current year's revenue).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal
from fractions import Fraction
from pathlib import Path

import pytest
import yaml
from conftest import make_credit_code

from parkeval.domain.eligibility import evaluate
from parkeval.domain.facts import AttestationFacts, ParkFacts, SiteFacts, TenantFacts
from parkeval.policy.loader import load_registry
from parkeval.policy.model import Criterion, Metric, Policy

STEP = {
    Metric.building_area: Decimal("0.01"),
    Metric.occupancy: Decimal("0.01"),  # ㎡ of leased area
    Metric.hr_institutions: 1,
    Metric.branch_sites: 1,
    Metric.revenue: Decimal(1),
    Metric.revenue_growth: Decimal(1),  # 元 of the current year's revenue
}
OFFSETS = (-1, 0, 1)


def expected_met(op: str, offset: int) -> bool:
    """What 民法典 第一千二百五十九条 says for a value ``offset`` steps from the threshold."""
    return {">=": offset >= 0, ">": offset > 0, "<=": offset <= 0, "<": offset < 0}[op]


def layouts_for(policy: Policy, c: Criterion) -> list[str]:
    if c.layout != "any":
        return [c.layout]
    return sorted(policy.layouts) or ["single"]


def period(policy: Policy) -> tuple[int, dt.date]:
    """A revenue year and a head-count date at which the policy is in force."""
    as_of = policy.effective_until or max(policy.effective_from, dt.date(2024, 12, 31))
    if not policy.in_force(as_of):  # pragma: no cover - a policy that is in force on no day
        as_of = policy.effective_from
    year = as_of.year if (as_of.month, as_of.day) == (12, 31) else as_of.year - 1
    return year, as_of


# --------------------------------------------------------------------------- park builder


@dataclass
class Site:
    code: str
    role: str
    area: Decimal
    hr: int
    occupancy: Fraction  # leased ÷ building, exact
    leased_extra: Decimal = Decimal(0)  # offset in ㎡ on top of occupancy × area


@dataclass
class Plan:
    sites: list[Site]
    revenue: Decimal
    previous_revenue: Decimal
    notes: dict[str, str] = field(default_factory=dict)


def _thresholds(
    policy: Policy, layout: str, metric: Metric, scopes: tuple[str, ...]
) -> list[Criterion]:
    return [c for c in policy.criteria_for(layout) if c.metric is metric and c.scope in scopes]


def _comfortable_min(criteria: list[Criterion], floor: Decimal) -> Decimal:
    """A value comfortably above every >=/> threshold (and at least ``floor``)."""
    lows = [c.threshold for c in criteria if c.op in (">=", ">")]
    return max([floor, *[t * 2 + 1 for t in lows]])


def comfortable_plan(policy: Policy, layout: str) -> Plan:
    area_c = _thresholds(policy, layout, Metric.building_area, ("park", "core", "branch"))
    base_area = _comfortable_min(area_c, Decimal(1000))
    occ_c = _thresholds(policy, layout, Metric.occupancy, ("park", "core", "branch"))
    top = max([c.threshold for c in occ_c if c.op in (">=", ">")], default=Decimal("0.5"))
    occupancy = (Fraction(top) + 1) / 2  # half way between the strictest threshold and 100 %
    core_hr = int(
        _comfortable_min(
            _thresholds(policy, layout, Metric.hr_institutions, ("park", "core")), Decimal(3)
        )
    )
    branch_hr = int(
        _comfortable_min(
            _thresholds(policy, layout, Metric.hr_institutions, ("branch",)), Decimal(3)
        )
    )
    sites = [Site("core", "core", base_area, core_hr, occupancy)]
    if layout == "multi":
        n = 2
        for c in _thresholds(policy, layout, Metric.branch_sites, ("park",)):
            if c.op == "<=":
                n = min(n, int(c.threshold))
            elif c.op == "<":
                n = min(n, int(c.threshold) - 1)
            elif c.op == ">=":
                n = max(n, int(c.threshold) + 1)
            else:
                n = max(n, int(c.threshold) + 2)
        n = max(n, 1)
        sites += [Site(f"b{i}", "branch", base_area, branch_hr, occupancy) for i in range(1, n + 1)]
    revenue = _comfortable_min(
        _thresholds(policy, layout, Metric.revenue, ("park",)), Decimal(10_000_000)
    )
    growth = max(
        [c.threshold for c in _thresholds(policy, layout, Metric.revenue_growth, ("park",))],
        default=Decimal(1),
    )
    previous = (revenue / (growth * 2)).quantize(Decimal(1), rounding=ROUND_DOWN)
    return Plan(sites, revenue, previous)


def apply_boundary(plan: Plan, c: Criterion, offset: int) -> Site | None:
    """Set the criterion's metric to threshold + offset steps; return the site it is about
    (the last branch site for branch-scoped criteria), or None. Skip impossible cases."""
    t, step = c.threshold, STEP[c.metric]
    core = plan.sites[0]
    branches = plan.sites[1:]
    target_sites = {"park": plan.sites, "core": [core], "branch": branches[-1:]}[c.scope]
    if c.metric is Metric.building_area:
        value = t + offset * step
        if c.scope == "park" and branches:
            # the branches share a quarter of the total, the core the rest (exactly)
            each = (value / (4 * len(branches))).quantize(Decimal("0.01"), rounding=ROUND_DOWN)
            for b in branches:
                b.area = each
            core.area = value - each * len(branches)
        else:
            for s in target_sites:
                s.area = value
        if min(s.area for s in plan.sites) <= 0:
            pytest.skip("threshold too small to build this layout")
    elif c.metric is Metric.occupancy:
        for s in target_sites:
            s.occupancy = Fraction(t)
        target_sites[0].leased_extra = offset * step
    elif c.metric is Metric.hr_institutions:
        value = int(t) + offset
        if c.scope == "park" and branches:
            value -= sum(b.hr for b in branches)
        if value < 0:
            pytest.skip("threshold too small to build this layout")
        target_sites[0].hr = value
    elif c.metric is Metric.branch_sites:
        n = int(t) + offset
        if n < 1:
            pytest.skip("a multi-site park needs at least one branch")
        template = branches[0]
        plan.sites[1:] = [
            Site(f"b{i}", "branch", template.area, template.hr, template.occupancy)
            for i in range(1, n + 1)
        ]
        return None
    elif c.metric is Metric.revenue:
        plan.revenue = t + offset * step
        plan.previous_revenue = (plan.revenue / 4).quantize(Decimal(1), rounding=ROUND_DOWN)
    elif c.metric is Metric.revenue_growth:
        plan.previous_revenue = plan.revenue
        plan.revenue = plan.previous_revenue * t + offset * step
    return target_sites[0] if c.scope == "branch" else None


def build_facts(policy: Policy, plan: Plan, year: int) -> ParkFacts:
    sites, tenants = [], []
    n = 0
    move_in = dt.date(year - 3, 1, 1)
    for s in plan.sites:
        sites.append(SiteFacts(s.code, f"场地{s.code}", s.role, s.area))
        occupied = Fraction(s.area) * s.occupancy
        leased = Decimal(occupied.numerator) / Decimal(occupied.denominator)
        assert Fraction(leased) == occupied, "leased area must be exact"
        leased += s.leased_extra
        # one non-HR tenant carries the leased area (all tenants count toward occupancy) ...
        carrier_revenue = (
            {year: plan.revenue, year - 1: plan.previous_revenue}
            if s.role == "core"
            else {year: Decimal(0), year - 1: Decimal(0)}
        )
        tenants.append(
            TenantFacts(
                make_credit_code(n),
                f"配套{s.code}",
                s.code,
                False,
                leased,
                move_in,
                None,
                carrier_revenue,
            )
        )
        n += 1
        # ... and the HR institutions take no area and report zero revenue
        for _ in range(s.hr):
            tenants.append(
                TenantFacts(
                    make_credit_code(n),
                    f"人力{n}",
                    s.code,
                    True,
                    Decimal(0),
                    move_in,
                    None,
                    {year: Decimal(0), year - 1: Decimal(0)},
                )
            )
            n += 1
    attestations = {
        c.id: AttestationFacts(True, f"材料/{c.id}.pdf")
        for c in policy.criteria
        if c.kind == "qualitative"
    }
    return ParkFacts("boundary", "边界测试园区", tuple(sites), tuple(tenants), attestations)


# --------------------------------------------------------------------------- the cases


def boundary_cases(registry) -> list:
    cases = []
    for policy in registry.all():
        for c in policy.criteria:
            if c.kind != "quantitative":
                continue
            for layout in layouts_for(policy, c):
                for offset in OFFSETS:
                    cases.append(
                        pytest.param(
                            policy.id,
                            c.id,
                            layout,
                            offset,
                            id=f"{policy.id}-{c.id}-{layout}-{offset:+d}",
                        )
                    )
    return cases


def check_boundary(policy: Policy, criterion_id: str, layout: str, offset: int) -> None:
    c = policy.criterion(criterion_id)
    year, as_of = period(policy)
    plan = comfortable_plan(policy, layout)
    target = apply_boundary(plan, c, offset)
    facts = build_facts(policy, plan, year)
    assert facts.layout == layout
    result = evaluate(policy, facts, year=year, as_of=as_of)
    assert result.policy_in_force

    rows = [r for r in result.criteria if r.id == c.id]
    if c.scope == "branch":
        # one row per branch site, each naming its site
        assert [r.site for r in rows] == [s.code for s in plan.sites if s.role == "branch"]
        target_rows = [r for r in rows if r.site == target.code]
    else:
        assert len(rows) == 1 and rows[0].site is None
        target_rows = rows
    assert len(target_rows) == 1
    row = target_rows[0]

    met = expected_met(c.op, offset)
    expected = "pass" if met else ("fail" if c.strictness == "mandatory" else "warn")
    assert row.status == expected, (row.actual, row.threshold, row.gap)
    assert (row.gap is None) == met
    others = [r for r in result.criteria if r is not row]
    assert [(r.id, r.site, r.status) for r in others if r.status != "pass"] == []
    verdict = (
        "eligible" if met else ("not_eligible" if c.strictness == "mandatory" else "conditional")
    )
    assert result.verdict == verdict


REGISTRY = load_registry()
CASES = boundary_cases(REGISTRY)


@pytest.mark.parametrize(("policy_id", "criterion_id", "layout", "offset"), CASES)
def test_threshold_boundary(policy_id, criterion_id, layout, offset):
    check_boundary(REGISTRY.get(policy_id), criterion_id, layout, offset)


def test_every_quantitative_criterion_of_every_builtin_policy_has_cases():
    assert {"gx-2021", "bt-2022"} <= set(REGISTRY.policies)
    covered = {(p.values[0], p.values[1]) for p in CASES}
    expected = {
        (p.id, c.id) for p in REGISTRY.all() for c in p.criteria if c.kind == "quantitative"
    }
    assert covered == expected
    # gx-2021 alone: 11 quantitative criteria, its park-wide revenue under both layouts
    gx = [p for p in CASES if p.values[0] == "gx-2021"]
    assert len(gx) == 3 * (11 + 1)
    assert {p.values[2] for p in gx if p.values[1] == "revenue"} == {"single", "multi"}


def test_comfortable_parks_are_eligible_under_both_layouts():
    for policy in REGISTRY.all():
        year, as_of = period(policy)
        for layout in sorted(policy.layouts) or ["single"]:
            plan = comfortable_plan(policy, layout)
            result = evaluate(policy, build_facts(policy, plan, year), year=year, as_of=as_of)
            assert result.verdict == "eligible", [(r.id, r.status, r.gap) for r in result.criteria]
            if layout == "multi":
                branch_rows = [r for r in result.criteria if r.scope == "branch"]
                assert branch_rows and {r.site for r in branch_rows} == {
                    s.code for s in plan.sites[1:]
                }


def test_a_new_policy_file_gets_its_own_boundary_cases(tmp_path: Path):
    """A user policy with its own thresholds (and a strict ">" and "<" wording) is covered too."""
    doc = {
        "id": "xx-2030",
        "title": "某市人力资源服务产业园认定办法",
        "document_no": "某人社〔2030〕1号",
        "issuer": "某市人社局",
        "level": "city",
        "level_name": "市级",
        "jurisdiction": {"province": "某省", "city": "某市"},
        "issued_on": "2030-01-01",
        "effective_from": "2030-01-01",
        "criteria": [
            {
                "id": "area",
                "article": "第三条",
                "title": "面积",
                "wording": "建筑面积超过2000平方米",
                "metric": "building_area",
                "op": ">",
                "threshold": 2000,
            },
            {
                "id": "hr",
                "article": "第三条",
                "title": "机构",
                "wording": "人力资源服务机构不少于15家",
                "metric": "hr_institutions",
                "op": ">=",
                "threshold": 15,
            },
            {
                "id": "occ",
                "article": "第三条",
                "title": "入驻率",
                "wording": "入驻面积达到70%以上",
                "metric": "occupancy",
                "op": ">=",
                "threshold": "70%",
            },
            {
                "id": "rev",
                "article": "第三条",
                "title": "营收",
                "wording": "年营业收入不低于3000万元",
                "metric": "revenue",
                "op": ">=",
                "threshold": "3000万",
            },
            {
                "id": "growth",
                "article": "第三条",
                "title": "增长",
                "wording": "营业收入增长超过10%",
                "metric": "revenue_growth",
                "op": ">",
                "threshold": "1.1",
            },
            {
                "id": "vacancy_cap",
                "article": "第三条",
                "title": "入驻率上限",
                "wording": "入驻面积低于95%",
                "metric": "occupancy",
                "op": "<",
                "threshold": "95%",
                "strictness": "in_principle",
                "interpretation": "示例",
            },
            {
                "id": "plan",
                "article": "第二条",
                "title": "规划",
                "wording": "有发展规划",
                "kind": "qualitative",
            },
        ],
    }
    path = tmp_path / "xx.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    registry = load_registry(extra_files=[path])
    cases = [p for p in boundary_cases(registry) if p.values[0] == "xx-2030"]
    assert len(cases) == 6 * 3
    policy = registry.get("xx-2030")
    for p in cases:
        _, criterion_id, layout, offset = p.values
        check_boundary(policy, criterion_id, layout, offset)
