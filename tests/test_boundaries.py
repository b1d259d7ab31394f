"""Every threshold of every policy file, at, just below and just above its boundary.

The cases are generated at collection time from ``load_registry()``: a new policy file under
``data/policies/`` gets its own cases with no change here. For each quantitative criterion a
park is built from the engine's facts dataclasses whose metric for that criterion's scope is
exactly the threshold plus an offset of -1, 0 or +1 step, while every other criterion is
comfortably met. Steps: 1 for counts, 0.01 ㎡ for areas (occupancy moves by 0.01 ㎡ of leased
area), 1 元 for revenue (growth moves by 1 元 of the current year's revenue).

What a criterion reads is taken from the file too: the kind of area it names (the sites give
that kind, and the others differently, so that reading the wrong kind fails the case), the
classes of institution it counts (the HR tenants are of a counted class, and tenants of the
classes it does not count are added, so counting them fails the case), and its revenue period
(the years it reads carry the revenue; the years it does not read carry a misleading amount).
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
from parkeval.domain.metrics import criterion_years
from parkeval.policy.loader import load_registry
from parkeval.policy.model import AREA_METRICS, Criterion, Metric, Policy

STEP = {
    Metric.building_area: Decimal("0.01"),
    Metric.area: Decimal("0.01"),
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
    area: Decimal  # of the kind the policy reads (the other kinds are given larger)
    hr: int
    occupancy: Fraction  # leased ÷ area, exact
    leased_extra: Decimal = Decimal(0)  # offset in ㎡ on top of occupancy × area


@dataclass
class Plan:
    sites: list[Site]
    revenue: dict[int, Decimal]  # the park's revenue by year
    area_kind: str = "building"  # the kind of area the policy's criteria read
    hr_class: str = "licensed"  # a class every institution criterion counts
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
    area_c += _thresholds(policy, layout, Metric.area, ("park", "core", "branch"))
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
    base = _comfortable_min(
        _thresholds(policy, layout, Metric.revenue, ("park",)), Decimal(10_000_000)
    )
    growth = max(
        [c.threshold for c in _thresholds(policy, layout, Metric.revenue_growth, ("park",))],
        default=Decimal(1),
    )
    # every year any criterion reads grows comfortably on the one before
    year, as_of = period(policy)
    years = sorted({y for c in policy.criteria for y in criterion_years(c, year, as_of)})
    revenue: dict[int, Decimal] = {}
    for i, y in enumerate(range(years[0], years[-1] + 1) if years else ()):
        revenue[y] = (base * (growth * 2) ** i).quantize(Decimal(1), rounding=ROUND_DOWN)
    kinds = {c.kind_of_area for c in policy.criteria_for(layout) if c.metric in AREA_METRICS}
    if len(kinds) > 1:
        pytest.skip("criteria of one layout reading different kinds of area")
    counted = [
        set(c.counted_classes)
        for c in _thresholds(policy, layout, Metric.hr_institutions, ("park", "core", "branch"))
    ]
    common = set.intersection(*counted) if counted else {"licensed"}
    if not common:
        pytest.skip("institution criteria of one layout counting no class in common")
    return Plan(sites, revenue, kinds.pop() if kinds else "building", sorted(common)[0])


def _keep_growth_comfortable(plan: Plan, fixed: set[int]) -> None:
    """After the years in ``fixed`` were set, the other years keep every growth comfortable:
    those before shrink going back (a quarter a year), those after quadruple."""
    first, last = min(fixed), max(fixed)
    for y in sorted((y for y in plan.revenue if y < first), reverse=True):
        plan.revenue[y] = (plan.revenue[y + 1] / 4).quantize(Decimal(1), rounding=ROUND_DOWN)
    for y in sorted(y for y in plan.revenue if y > last):
        plan.revenue[y] = plan.revenue[y - 1] * 4


def apply_boundary(
    plan: Plan, c: Criterion, offset: int, period_of_plan: tuple[int, dt.date]
) -> Site | None:
    """Set the criterion's metric to threshold + offset steps; return the site it is about
    (the last branch site for branch-scoped criteria), or None. Skip impossible cases."""
    t, step = c.threshold, STEP[c.metric]
    core = plan.sites[0]
    branches = plan.sites[1:]
    target_sites = {"park": plan.sites, "core": [core], "branch": branches[-1:]}[c.scope]
    if c.metric in (Metric.building_area, Metric.area):
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
        year, as_of = period_of_plan
        years = criterion_years(c, year, as_of)
        target = t + offset * step
        # the years' total (an average of n years is a total of n × it), split so that each
        # year doubles the one before: a growth criterion reading them stays comfortable
        total = target * len(years) if c.revenue_period.combine == "average" else target
        weights = [2**i for i in range(len(years))]
        amounts = [
            (total * w / sum(weights)).quantize(Decimal(1), rounding=ROUND_DOWN)
            for w in weights[:-1]
        ]
        amounts.append(total - sum(amounts, Decimal(0)))
        plan.revenue.update(zip(years, amounts, strict=True))
        _keep_growth_comfortable(plan, set(years))
    elif c.metric is Metric.revenue_growth:
        year, as_of = period_of_plan
        previous, current = criterion_years(c, year, as_of)
        plan.revenue[current] = plan.revenue[previous] * t + offset * step
        later = [y for y in plan.revenue if y > current]
        for y in later:  # the years after (read by nothing here) must not shrink either
            plan.revenue[y] = plan.revenue[current] * 2 ** (y - current)
    return target_sites[0] if c.scope == "branch" else None


def _decoy_classes(policy: Policy, layout: str) -> list[str]:
    """Classes of institution no institution criterion of the layout counts (at all)."""
    counted = {
        x
        for c in policy.criteria_for(layout)
        if c.metric is Metric.hr_institutions
        for x in c.counted_classes
    }
    decoys = [x for x in ("licensed", "filed", "public") if x not in counted]
    if not counted & {"licensed", "filed"}:
        decoys.append("licensed_or_filed")
    return decoys


def build_facts(policy: Policy, plan: Plan, year: int, layout: str = "single") -> ParkFacts:
    sites, tenants = [], []
    n = 0
    move_in = dt.date(min(plan.revenue, default=year) - 3, 1, 1)
    nothing = dict.fromkeys(plan.revenue, Decimal(0))
    decoys = _decoy_classes(policy, layout)
    for s in plan.sites:
        # the kind the policy reads is the site's area; every other kind is given, larger
        areas = {k: s.area * 3 for k in ("building", "usable", "property", "rented")}
        areas[plan.area_kind] = s.area
        sites.append(
            SiteFacts(
                s.code,
                f"场地{s.code}",
                s.role,
                areas["building"],
                areas["usable"],
                areas["property"],
                areas["rented"],
            )
        )
        occupied = Fraction(s.area) * s.occupancy
        leased = Decimal(occupied.numerator) / Decimal(occupied.denominator)
        assert Fraction(leased) == occupied, "leased area must be exact"
        leased += s.leased_extra
        # one non-HR tenant carries the leased area (all tenants count toward occupancy) and
        # (on the core site) the park's revenue ...
        carrier_revenue = dict(plan.revenue) if s.role == "core" else nothing
        tenants.append(
            TenantFacts(
                make_credit_code(n),
                f"配套{s.code}",
                s.code,
                "none",
                leased,
                move_in,
                None,
                carrier_revenue,
            )
        )
        n += 1
        # ... the HR institutions take no area and report zero revenue; those of a class no
        # criterion counts must not be counted
        kinds = [plan.hr_class] * s.hr + [d for d in decoys for _ in range(3)]
        for hr_class in kinds:
            tenants.append(
                TenantFacts(
                    make_credit_code(n),
                    f"人力{n}",
                    s.code,
                    hr_class,
                    Decimal(0),
                    move_in,
                    None,
                    nothing,
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
    target = apply_boundary(plan, c, offset, (year, as_of))
    facts = build_facts(policy, plan, year, layout)
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
            result = evaluate(
                policy, build_facts(policy, plan, year, layout), year=year, as_of=as_of
            )
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


def _policy_doc(policy_id: str, criteria: list[dict]) -> dict:
    return {
        "id": policy_id,
        "title": "某市人力资源服务产业园认定办法",
        "document_no": "某人社〔2030〕2号",
        "issuer": "某市人社局",
        "level": "city",
        "jurisdiction": {"province": "某省", "city": "某市"},
        "issued_on": "2030-01-01",
        "effective_from": "2030-01-01",
        "criteria": criteria,
    }


def _quantitative(cid: str, wording: str, metric: str, op: str, threshold, **extra) -> dict:
    return {
        "id": cid,
        "article": "第四条",
        "title": cid,
        "wording": wording,
        "metric": metric,
        "op": op,
        "threshold": threshold,
        **extra,
    }


NEW_FORMAT_POLICIES = [
    _policy_doc(
        "usable-2030",
        [
            _quantitative(
                "area", "园区使用面积不少于3000平方米", "area", ">=", 3000, area_kind="usable"
            ),
            _quantitative(
                "occ", "入驻面积达到使用面积的70%以上", "occupancy", ">=", "70%", area_kind="usable"
            ),
            _quantitative(
                "licensed",
                "持有人力资源服务许可证的机构不少于十家",
                "hr_institutions",
                ">=",
                10,
                classes=["licensed"],
            ),
            _quantitative(
                "rev",
                "申报前三个年度平均营业收入不低于2000万元",
                "revenue",
                ">=",
                "2000万",
                period={"end": "year_before_as_of", "years": 3, "combine": "average"},
            ),
        ],
    ),
    _policy_doc(
        "public-2030",
        [
            _quantitative(
                "rented", "租赁面积超过1500平方米", "area", ">", 1500, area_kind="rented"
            ),
            _quantitative(
                "public",
                "入驻公共人力资源服务机构不少于2家",
                "hr_institutions",
                ">=",
                2,
                classes=["public"],
            ),
            _quantitative(
                "rev2",
                "最近两个完整年度累计营业收入不低于5000万元",
                "revenue",
                ">=",
                "5000万",
                period={"end": "last_complete_year", "years": 2, "combine": "sum"},
            ),
            _quantitative(
                "growth",
                "上年度营业收入增长不低于5%",
                "revenue_growth",
                ">=",
                "1.05",
                period="year_before_as_of",
            ),
        ],
    ),
]


@pytest.mark.parametrize("doc", NEW_FORMAT_POLICIES, ids=[d["id"] for d in NEW_FORMAT_POLICIES])
def test_area_kinds_classes_and_periods_get_boundary_cases(tmp_path: Path, doc: dict):
    """Criteria reading another kind of area, only some classes of institution, or a revenue
    period other than the assessment year are generated and hold at their boundaries."""
    path = tmp_path / f"{doc['id']}.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    registry = load_registry(extra_files=[path])
    cases = [p for p in boundary_cases(registry) if p.values[0] == doc["id"]]
    assert len(cases) == 4 * 3
    policy = registry.get(doc["id"])
    for p in cases:
        _, criterion_id, layout, offset = p.values
        check_boundary(policy, criterion_id, layout, offset)
