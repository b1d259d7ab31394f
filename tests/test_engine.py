"""The interpretations of DOMAIN.md, applied by the pure engine (no database)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from fractions import Fraction

import pytest
from conftest import make_credit_code

from parkeval.domain.eligibility import decide_verdict, evaluate
from parkeval.domain.facts import AttestationFacts, ParkFacts, SiteFacts, TenantFacts
from parkeval.domain.metrics import compute_metric
from parkeval.domain.results import CriterionResult
from parkeval.domain.wording import actual_text
from parkeval.policy.loader import load_registry
from parkeval.policy.model import Metric

REGISTRY = load_registry()
GX = REGISTRY.get("gx-2021")
BT = REGISTRY.get("bt-2022")
Y = 2024
AS_OF = dt.date(2024, 12, 31)
EARLY = dt.date(2019, 1, 1)
ALL_ATTESTED = {
    c.id: AttestationFacts(True, f"材料/{c.id}.pdf")
    for p in (GX, BT)
    for c in p.criteria
    if c.kind == "qualitative"
}


def tenant(
    n: int,
    *,
    hr: bool = True,
    site: str = "core",
    leased: Decimal | None = Decimal(100),
    move_in: dt.date = EARLY,
    move_out: dt.date | None = None,
    revenue: dict[int, Decimal] | None = None,
) -> TenantFacts:
    if revenue is None:
        revenue = {Y - 1: Decimal(15_000_000), Y: Decimal(20_000_000)}
    return TenantFacts(
        make_credit_code(n),
        f"机构{n}",
        site,
        "licensed_or_filed" if hr else "none",
        leased,
        move_in,
        move_out,
        revenue,
    )


def park(tenants, *, area: Decimal = Decimal(6000), sites=None, attestations=None) -> ParkFacts:
    sites = sites or (SiteFacts("core", "核心园区", "core", area),)
    return ParkFacts(
        "p",
        "测试园区",
        tuple(sites),
        tuple(tenants),
        ALL_ATTESTED if attestations is None else attestations,
    )


def good_gx(hr: int = 32, **kw) -> list[TenantFacts]:
    """32 HR institutions × 120 ㎡ = 3840/6000 ㎡ (64 %), revenue 32 × 2000万 = 6.4亿."""
    return [tenant(i, leased=Decimal(120), **kw) for i in range(hr)]


def row(result, criterion_id, site=None):
    rows = [r for r in result.criteria if r.id == criterion_id and r.site == site]
    assert len(rows) == 1, result.criteria
    return rows[0]


def test_good_gx_park_is_eligible():
    result = evaluate(GX, park(good_gx()), year=Y, as_of=AS_OF)
    assert result.verdict == "eligible", [(r.id, r.status, r.gap) for r in result.criteria]


# --------------------------------------------------------------------------- presence


@pytest.mark.parametrize(
    ("move_in", "move_out", "counted"),
    [
        (AS_OF, None, True),  # moved in on the day: counted
        (AS_OF + dt.timedelta(days=1), None, False),  # moves in the day after
        (EARLY, AS_OF, False),  # moved out on the day: no longer counted
        (EARLY, AS_OF + dt.timedelta(days=1), True),  # moves out the day after
        (EARLY, AS_OF - dt.timedelta(days=1), False),
    ],
)
def test_tenant_presence_on_move_in_and_move_out_days(move_in, move_out, counted):
    facts = park([tenant(0, move_in=move_in, move_out=move_out, leased=Decimal(500))])
    hr = compute_metric(facts, Metric.hr_institutions, "park", None, year=Y, as_of=AS_OF)
    occ = compute_metric(facts, Metric.occupancy, "park", None, year=Y, as_of=AS_OF)
    assert hr.value == (1 if counted else 0)
    assert occ.value == (Fraction(500, 6000) if counted else 0)


def test_hr_institution_count_at_as_of_decides_pass_or_fail():
    # 30 present; a 31st moves out on the as-of day and a 32nd moves in the day after
    tenants = good_gx(30) + [
        tenant(100, move_out=AS_OF),
        tenant(101, move_in=AS_OF + dt.timedelta(days=1)),
    ]
    assert row(evaluate(GX, park(tenants), year=Y, as_of=AS_OF), "hr_single").status == "pass"
    tenants = good_gx(29) + [
        tenant(100, move_out=AS_OF),
        tenant(101, move_in=AS_OF + dt.timedelta(days=1)),
    ]
    result = evaluate(GX, park(tenants), year=Y, as_of=AS_OF)
    assert row(result, "hr_single").status == "fail"
    assert row(result, "hr_single").actual == 29


# --------------------------------------------------------------------------- revenue


def _revenue(tenants) -> object:
    return compute_metric(park(tenants), Metric.revenue, "park", None, year=Y, as_of=AS_OF)


def test_revenue_counts_tenants_present_any_time_in_the_year():
    inside = tenant(0, revenue={Y: Decimal(100)})
    left_mid_year = tenant(1, move_out=dt.date(Y, 6, 30), revenue={Y: Decimal(20)})
    arrived_last_day = tenant(2, move_in=dt.date(Y, 12, 31), revenue={Y: Decimal(3)})
    left_on_jan_2 = tenant(3, move_out=dt.date(Y, 1, 2), revenue={Y: Decimal(4000)})
    left_before = tenant(
        4, move_out=dt.date(Y, 1, 1), revenue={Y: Decimal(50_000)}
    )  # last day in park: Y-1
    arrives_next_year = tenant(5, move_in=dt.date(Y + 1, 1, 1), revenue={Y: Decimal(600_000)})
    mv = _revenue(
        [inside, left_mid_year, arrived_last_day, left_on_jan_2, left_before, arrives_next_year]
    )
    assert mv.complete
    assert mv.value == Decimal(4123)


def test_revenue_is_exact_money():
    mv = _revenue(
        [tenant(0, revenue={Y: Decimal("0.10")}), tenant(1, revenue={Y: Decimal("0.20")})]
    )
    assert mv.value == Decimal("0.30")


def test_revenue_at_499999999_fails_and_500000000_passes():
    tenants = good_gx(30, revenue={Y: Decimal(0)})
    tenants[0] = tenant(0, leased=Decimal(120), revenue={Y: Decimal("499999999.99")})
    assert row(evaluate(GX, park(tenants), year=Y, as_of=AS_OF), "revenue").status == "fail"
    tenants[0] = tenant(0, leased=Decimal(120), revenue={Y: Decimal("500000000")})
    assert row(evaluate(GX, park(tenants), year=Y, as_of=AS_OF), "revenue").status == "pass"


def test_missing_revenue_passes_when_the_reported_part_already_meets_the_threshold():
    tenants = good_gx(30, revenue={Y: Decimal(20_000_000)})  # 30 × 2000万 = 6亿 reported
    tenants.append(tenant(99, leased=Decimal(120), revenue={}))  # one has not reported
    result = evaluate(GX, park(tenants), year=Y, as_of=AS_OF)
    r = row(result, "revenue")
    assert r.status == "pass"
    assert "1 家入驻机构未填报" in r.note
    assert result.verdict == "eligible"


def test_missing_revenue_is_unknown_when_the_reported_part_falls_short():
    tenants = good_gx(30, revenue={Y: Decimal(10_000_000)})  # 3亿 reported
    tenants.append(tenant(99, leased=Decimal(120), revenue={}))
    result = evaluate(GX, park(tenants), year=Y, as_of=AS_OF)
    r = row(result, "revenue")
    assert r.status == "unknown"
    assert "未填报" in r.gap
    assert result.verdict == "incomplete"


def test_no_revenue_reported_at_all_is_unknown_not_zero():
    result = evaluate(GX, park(good_gx(revenue={})), year=Y, as_of=AS_OF)
    assert row(result, "revenue").status == "unknown"
    assert result.verdict == "incomplete"


# --------------------------------------------------------------------------- growth (bt-2022)


def bt_park(previous: Decimal | None, current: Decimal) -> ParkFacts:
    tenants = [
        tenant(
            i, revenue={Y: Decimal(0)} if previous is None else {Y: Decimal(0), Y - 1: Decimal(0)}
        )
        for i in range(20)
    ]
    revenue = {Y: current} if previous is None else {Y: current, Y - 1: previous}
    tenants[0] = tenant(0, revenue=revenue)
    return park(tenants, area=Decimal(3000))


def test_bt_growth_passes_when_revenue_grew():
    result = evaluate(BT, bt_park(Decimal(150_000_000), Decimal(150_000_001)), year=Y, as_of=AS_OF)
    assert row(result, "revenue_growth").status == "pass"
    assert result.verdict == "eligible"


def test_bt_flat_revenue_is_not_growth():
    result = evaluate(BT, bt_park(Decimal(150_000_000), Decimal(150_000_000)), year=Y, as_of=AS_OF)
    r = row(result, "revenue_growth")
    assert r.status == "fail"
    assert "未呈增长" in r.gap
    assert result.verdict == "not_eligible"


def test_bt_missing_previous_year_is_unknown_not_a_pass():
    result = evaluate(BT, bt_park(None, Decimal(300_000_000)), year=Y, as_of=AS_OF)
    r = row(result, "revenue_growth")
    assert r.status == "unknown"
    assert str(Y - 1) in r.gap
    assert row(result, "revenue").status == "pass"
    assert result.verdict == "incomplete"


def test_bt_growth_with_incomplete_previous_year_is_unknown():
    facts = bt_park(Decimal(150_000_000), Decimal(200_000_000))
    tenants = list(facts.tenants)
    tenants[1] = tenant(1, revenue={Y: Decimal(0)})  # reported this year, not last year
    result = evaluate(BT, park(tenants, area=Decimal(3000)), year=Y, as_of=AS_OF)
    assert row(result, "revenue_growth").status == "unknown"


def test_bt_building_area_in_principle_warns_not_fails():
    facts = bt_park(Decimal(150_000_000), Decimal(200_000_000))
    small = ParkFacts(
        facts.code,
        facts.name,
        (SiteFacts("core", "核心园区", "core", Decimal("2999.99")),),
        facts.tenants,
        facts.attestations,
    )
    result = evaluate(BT, small, year=Y, as_of=AS_OF)
    assert row(result, "building_area").status == "warn"
    assert result.verdict == "conditional"
    assert any("原则性要求" in w for w in result.warnings)


# --------------------------------------------------------------------------- what counts


def test_only_hr_service_tenants_count_as_institutions_but_all_count_toward_occupancy():
    hr = [tenant(i, leased=Decimal(50)) for i in range(25)]  # 1250 ㎡
    others = [tenant(100 + i, hr=False, leased=Decimal(500)) for i in range(5)]  # 2500 ㎡
    facts = park(hr + others)
    result = evaluate(GX, facts, year=Y, as_of=AS_OF)
    assert row(result, "hr_single").actual == 25
    assert row(result, "hr_single").status == "fail"
    assert row(result, "hr_single").gap == "还需 5 家人力资源服务机构"
    occ = compute_metric(facts, Metric.occupancy, "park", None, year=Y, as_of=AS_OF)
    assert occ.value == Fraction(3750, 6000)
    assert row(result, "occupancy_single").status == "pass"
    assert row(result, "occupancy_single").actual == Decimal("0.6250")
    # and non-HR revenue counts toward the park's revenue: 30 × 2000万
    assert row(result, "revenue").actual == Decimal(600_000_000)


def test_multi_site_counts_each_site_separately():
    sites = (
        SiteFacts("core", "核心园区", "core", Decimal(6000)),
        SiteFacts("b1", "东盟分园", "branch", Decimal(2500)),
        SiteFacts("b2", "北部分园", "branch", Decimal(2000)),
    )
    tenants = [tenant(i, leased=Decimal(160)) for i in range(20)]  # core: 20, 3200/6000
    tenants += [
        tenant(100 + i, site="b1", leased=Decimal(130)) for i in range(10)
    ]  # b1: 10, 1300/2500
    tenants += [
        tenant(200 + i, site="b2", leased=Decimal(100)) for i in range(9)
    ]  # b2: 9, 900/2000
    result = evaluate(GX, park(tenants, sites=sites), year=Y, as_of=AS_OF)
    assert result.layout == "multi"
    assert {r.id for r in result.criteria} >= {"area_core", "area_total", "branch_limit", "hr_core"}
    assert not {"area_single", "hr_single", "occupancy_single"} & {r.id for r in result.criteria}
    assert row(result, "hr_core").status == "pass"
    assert row(result, "hr_branch", "b1").status == "pass"
    assert row(result, "hr_branch", "b2").status == "fail"
    assert row(result, "hr_branch", "b2").gap == "还需 1 家人力资源服务机构"
    assert row(result, "occupancy_branch", "b2").status == "fail"
    assert row(result, "occupancy_branch", "b2").gap.startswith("入驻面积差 100㎡，当前 45%")
    assert row(result, "area_total").actual == Decimal(10500)
    assert result.verdict == "not_eligible"


# --------------------------------------------------------------------------- qualitative


@pytest.mark.parametrize(
    ("attestation", "status"),
    [
        (AttestationFacts(True, "材料/规划.pdf"), "pass"),
        (AttestationFacts(False, "材料/规划.pdf", "规划尚未批复"), "fail"),
        (AttestationFacts(True, None), "unknown"),
        (None, "unknown"),
    ],
)
def test_qualitative_needs_an_attestation_with_evidence(attestation, status):
    attestations = dict(ALL_ATTESTED)
    del attestations["gx_development_plan"]
    if attestation is not None:
        attestations["gx_development_plan"] = attestation
    result = evaluate(GX, park(good_gx(), attestations=attestations), year=Y, as_of=AS_OF)
    r = row(result, "gx_development_plan")
    assert r.status == status
    assert (
        result.verdict
        == {"pass": "eligible", "fail": "not_eligible", "unknown": "incomplete"}[status]
    )
    if attestation is None:
        assert "缺少证明材料" in r.gap


# --------------------------------------------------------------------------- verdict


def _r(status: str, strictness: str = "mandatory") -> CriterionResult:
    return CriterionResult(
        "c",
        "第一条",
        "t",
        "quantitative",
        "revenue",
        "park",
        None,
        ">=",
        Decimal(1),
        0,
        status,
        strictness,
        None,
    )


@pytest.mark.parametrize(
    ("statuses", "in_force", "verdict"),
    [
        ([("pass", "mandatory")], True, "eligible"),
        ([("pass", "mandatory")], False, "conditional"),
        ([("pass", "mandatory"), ("warn", "in_principle")], True, "conditional"),
        ([("warn", "in_principle"), ("unknown", "mandatory")], True, "incomplete"),
        ([("unknown", "mandatory")], False, "incomplete"),
        ([("unknown", "mandatory"), ("fail", "mandatory")], True, "not_eligible"),
        (
            [("warn", "in_principle"), ("fail", "mandatory"), ("unknown", "mandatory")],
            False,
            "not_eligible",
        ),
        ([("waived", "in_principle"), ("pass", "mandatory")], True, "eligible"),
    ],
)
def test_verdict_precedence(statuses, in_force, verdict):
    assert decide_verdict([_r(s, k) for s, k in statuses], in_force) == verdict


# --------------------------------------------------------------------------- bt-2022 after expiry


def test_bt_2022_after_its_end_date_is_conditional_at_best_and_says_so():
    facts = bt_park(Decimal(150_000_000), Decimal(200_000_000))
    in_force = evaluate(BT, facts, year=Y, as_of=AS_OF)
    assert in_force.verdict == "eligible" and in_force.policy_in_force
    tenants = [
        TenantFacts(
            t.credit_code,
            t.name,
            t.site_code,
            t.hr_class,
            t.leased_area,
            t.move_in,
            t.move_out,
            {2025: t.revenue.get(Y, Decimal(0)) * 2, 2024: t.revenue.get(Y, Decimal(0))},
        )
        for t in facts.tenants
    ]
    expired = evaluate(BT, park(tenants, area=Decimal(3000)), year=2025, as_of=dt.date(2026, 6, 30))
    assert expired.policy_in_force is False
    assert all(r.status == "pass" for r in expired.criteria)  # the result is still shown ...
    assert expired.verdict == "conditional"  # ... but never as eligible
    assert any("2025年12月31日" in w and "失效" in w for w in expired.warnings), expired.warnings


def test_bt_2022_expired_and_failing_stays_not_eligible():
    facts = bt_park(Decimal(150_000_000), Decimal(150_000_000))
    result = evaluate(BT, facts, year=Y, as_of=dt.date(2026, 6, 30))
    assert result.policy_in_force is False
    assert result.verdict == "not_eligible"


def test_policy_on_its_first_and_last_day_is_in_force():
    assert BT.in_force(dt.date(2022, 7, 1)) and BT.in_force(dt.date(2025, 12, 31))
    assert not BT.in_force(dt.date(2022, 6, 30)) and not BT.in_force(dt.date(2026, 1, 1))


# --------------------------------------------------------------------------- gap wording


def test_gap_wording_for_institutions_and_occupancy():
    # 27 HR institutions; 3250 of 6000 ㎡ occupied (54.17 %), 350 ㎡ short of 60 %
    tenants = [tenant(i, leased=Decimal(120)) for i in range(27)]  # 3240
    tenants.append(tenant(99, hr=False, leased=Decimal(10)))
    result = evaluate(GX, park(tenants), year=Y, as_of=AS_OF)
    assert row(result, "hr_single").gap == "还需 3 家人力资源服务机构"
    gap = row(result, "occupancy_single").gap
    assert re.fullmatch(r"入驻面积差 350㎡，当前 54\.2%，要求(不低于|达到) 60%", gap), gap


def test_gap_wording_for_area_and_revenue():
    tenants = good_gx(32, revenue={Y: Decimal(14_000_000)})  # 32 × 1400万 = 4.48亿
    result = evaluate(GX, park(tenants, area=Decimal("4999.5")), year=Y, as_of=AS_OF)
    assert "建筑面积差 0.5㎡" in row(result, "area_single").gap
    gap = row(result, "revenue").gap
    assert "营业收入差 5200万元" in gap and "当前 4.48亿元" in gap and "5亿元" in gap, gap


def test_facts_tallied_for_one_day_are_refused_for_another():
    from parkeval.domain.facts import Tally, tally_tenants

    facts = park(good_gx())
    tallied = ParkFacts(
        facts.code,
        facts.name,
        facts.sites,
        (),
        facts.attestations,
        tally_tenants(facts.tenants, as_of=AS_OF, years=(Y,)),
    )
    assert (
        evaluate(GX, tallied, year=Y, as_of=AS_OF).verdict
        == evaluate(GX, facts, year=Y, as_of=AS_OF).verdict
    )
    with pytest.raises(ValueError, match="tallied"):
        evaluate(GX, tallied, year=Y, as_of=dt.date(2024, 6, 30))
    with pytest.raises(ValueError, match="tallied"):
        evaluate(BT, tallied, year=Y, as_of=AS_OF)  # bt-2022 also needs the year before
    assert isinstance(tallied.tally, Tally)


def test_bt_growth_from_zero_to_a_positive_amount_is_growth():
    """revenue(Y) > revenue(Y−1) = 0: met, though there is no ratio to a year of 0."""
    result = evaluate(BT, bt_park(Decimal(0), Decimal(200_000_000)), year=Y, as_of=AS_OF)
    r = row(result, "revenue_growth")
    assert r.status == "pass" and r.actual is None
    assert actual_text(r) == "上年为 0" and "呈增长" in (r.note or "")
    assert result.verdict == "eligible"


def test_bt_zero_after_zero_is_not_growth():
    result = evaluate(BT, bt_park(Decimal(0), Decimal(0)), year=Y, as_of=AS_OF)
    r = row(result, "revenue_growth")
    assert r.status == "fail" and r.gap == "营业收入未呈增长：当年 0元，上年 0元"
