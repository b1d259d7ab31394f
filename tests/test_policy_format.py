"""The richer policy format at its edges: numbers that must agree with the wording, every
problem of a file at once, levels, two user files with one id, area kinds, institution
classes and revenue periods read by the rules, and one tenant taken off a tally."""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from test_policy_loading import base_policy, write_policy

from parkeval.domain.eligibility import evaluate
from parkeval.domain.facts import (
    ParkFacts,
    SiteFacts,
    TenantFacts,
    tally_tenants,
    tally_without,
)
from parkeval.domain.metrics import period_years
from parkeval.errors import PolicyError
from parkeval.policy.criteria import RevenuePeriod
from parkeval.policy.loader import load_policy_file, load_registry
from parkeval.policy.vocabulary import parse_chinese_number, quantities_in_wording

REGISTRY = load_registry()


# --------------------------------------------------------------------------- numbers in words


def test_every_builtin_threshold_is_the_number_its_wording_gives():
    checked = 0
    for policy in REGISTRY.all():
        for c in policy.criteria:
            if c.kind != "quantitative":
                continue
            found = quantities_in_wording(c.wording)
            if not c.number_in_wording:
                assert found == [] and c.interpretation, (policy.id, c.id)
                continue
            values = [v + 1 if c.metric.value == "revenue_growth" else v for _, v, _ in found]
            assert c.threshold in values, (policy.id, c.id, c.wording, c.threshold)
            checked += 1
    assert checked == 11 + 3  # gx-2021's 11 and bt-2022's 3 (its growth has no number)


def _criterion(**changes) -> dict:
    data = copy.deepcopy(base_policy())
    data["criteria"][0].update(changes)
    return data


DISAGREE = {
    "不少于20家 with threshold 2": (
        _criterion(wording="人力资源服务机构不少于20家", metric="hr_institutions", threshold=2),
        ["threshold 2", "20家", "不一致"],
    ),
    "1亿元 with 1万": (
        _criterion(wording="年营业收入不低于1亿元", metric="revenue", threshold="1万"),
        ["threshold 10000", "1亿元"],
    ),
    "60% on a money criterion": (
        _criterion(wording="年营业收入不低于1亿元", metric="revenue", threshold="60%"),
        ["营业收入的阈值是金额", "60%"],
    ),
    "unparseable money says money": (
        _criterion(wording="年营业收入不低于1亿元", metric="revenue", threshold="一亿块"),
        ["金额"],
    ),
    "a count of another unit": (
        _criterion(wording="入驻机构不少于20家", metric="building_area", threshold=20),
        ["20家（数量）", "building_area（面积）"],
    ),
    "no number and no override": (
        _criterion(wording="建筑面积不少于规定面积"),
        ["没有与阈值对应的数字", "number_in_wording: false"],
    ),
    "override while the wording has a number": (
        _criterion(number_in_wording=False, interpretation="说明"),
        ["原文写明了 2000平方米", "不应写 number_in_wording: false"],
    ),
    "override without its basis": (
        _criterion(wording="建筑面积不少于规定面积", number_in_wording=False),
        ["interpretation", "local: true"],
    ),
    "a fraction of an institution": (
        _criterion(wording="机构不少于20家", metric="hr_institutions", threshold="20.5"),
        ["非负整数"],
    ),
    "occupancy above 100%": (
        _criterion(wording="入驻率不低于60%", metric="occupancy", threshold=60),
        ["0%–100%"],
    ),
    "growth written as a percentage": (
        _criterion(wording="营业收入增长超过10%", metric="revenue_growth", op=">", threshold="10%"),
        ["比值", "1.1"],
    ),
    "classes on an area": (_criterion(classes=["licensed"]), ["classes 只用于 hr_institutions"]),
    "area metric without its kind": (
        _criterion(metric="area"),
        ["metric: area 须写明 area_kind", "usable（使用面积）"],
    ),
    "building_area read as usable": (
        _criterion(area_kind="usable"),
        ["metric: area 和 area_kind: usable"],
    ),
    "a span without how to combine it": (
        _criterion(
            wording="年营业收入不低于1亿元",
            metric="revenue",
            threshold="1亿",
            period={"end": "year", "years": 3},
        ),
        ["combine: sum", "average"],
    ),
    "growth over a span": (
        _criterion(
            wording="营业收入增长超过10%",
            metric="revenue_growth",
            op=">",
            threshold="1.1",
            period={"end": "year", "years": 2, "combine": "sum"},
        ),
        ["相邻两年"],
    ),
    "a threshold that is no number": (
        _criterion(wording="营业收入增长超过10%", metric="revenue_growth", op=">", threshold="abc"),
        ["“abc” 不是数值"],
    ),
    "an infinite count": (
        _criterion(wording="机构不少于20家", metric="hr_institutions", threshold="Infinity"),
        ["不是有限的数值"],
    ),
    "an unknown period end": (_criterion(period="next_year"), ["period", "year_before_as_of"]),
}


@pytest.mark.parametrize("case", list(DISAGREE), ids=list(DISAGREE))
def test_a_threshold_that_disagrees_with_its_wording_is_refused(tmp_path, case):
    data, needles = DISAGREE[case]
    path = write_policy(tmp_path, data)
    with pytest.raises(PolicyError) as info:
        load_policy_file(path)
    message = str(info.value)
    assert str(path) in message and "criteria[0](id=area)" in message
    for needle in needles:
        assert needle in message, message


@pytest.mark.parametrize(
    ("wording", "metric", "threshold"),
    [
        ("人力资源服务机构不少于二十家", "hr_institutions", 20),
        ("分园区原则上不超过两个", "branch_sites", 2),
        ("使用面积不少于1万平方米", "building_area", 10000),
        ("年营业收入达到1.2亿元以上", "revenue", "1.2亿"),
        ("年营业收入不低于12,345.67元", "revenue", "12345.67"),
        ("入驻率不低于百分之六十", "occupancy", "60%"),
        ("营业收入增长超过10%", "revenue_growth", "1.1"),
        # a number in a clause that compares nothing is not the threshold
        ("只设立一个园区的，入驻机构不少于30家", "hr_institutions", 30),
    ],
)
def test_numbers_in_words_are_read(tmp_path, wording, metric, threshold):
    op = "<=" if "不超过" in wording else (">" if "超过" in wording else ">=")
    strict = "in_principle" if "原则" in wording else "mandatory"
    data = _criterion(wording=wording, metric=metric, op=op, threshold=threshold, strictness=strict)
    assert load_policy_file(write_policy(tmp_path, data)).criteria[0].threshold is not None


def test_chinese_numerals():
    assert [
        parse_chinese_number(t)
        for t in ("十", "十二", "二十", "两", "三千五百", "一万二千", "五亿")
    ] == [10, 12, 20, 2, 3500, 12000, 500_000_000]


# --------------------------------------------------------------------------- a file at once


def test_every_problem_of_a_file_is_listed_at_once(tmp_path):
    data = copy.deepcopy(base_policy())
    data["level_name"] = "自治区级"  # a city policy
    data["criteria"][0]["threshold"] = 200  # wording says 2000平方米
    data["criteria"].append(
        {**data["criteria"][0], "threshold": 2000, "layout": "multi"}  # duplicate id, no layout
    )
    data["criteria"].append(
        {
            "id": "rev",
            "article": "第三条",
            "title": "营收",
            "wording": "年营业收入不低于1亿元",
            "metric": "revenue",
            "op": "<",  # disagrees with 不低于
            "threshold": "1万",  # disagrees with 1亿元
        }
    )
    with pytest.raises(PolicyError) as info:
        load_policy_file(write_policy(tmp_path, data))
    lines = str(info.value).splitlines()[1:]
    expected = [
        "criteria[0](id=area): threshold 200 与原文 “2000平方米” 不一致",
        "criteria[3](id=rev): op “<” 与原文用语 “不低于”（>=）不一致",
        "criteria[3](id=rev): threshold 10000 与原文 “1亿元” 不一致",
        "level_name: “自治区级” 不是 level: city 的名称",
        "criteria: 条件 id “area” 重复",
        "criteria.area: layout “multi” 未在 layouts 中定义",
    ]
    for needle in expected:
        assert any(needle in line for line in lines), (needle, lines)


def test_text_with_a_colon_needs_quotes_and_the_error_says_so(tmp_path):
    text = yaml.safe_dump(base_policy(), allow_unicode=True, sort_keys=False)
    text = text.replace("wording: 有发展规划", "wording: 原文: 有发展规划")
    with pytest.raises(PolicyError) as info:
        load_policy_file(write_policy(tmp_path, text))
    assert "加引号" in str(info.value) and "第" in str(info.value)


# --------------------------------------------------------------------------- levels and ids


def test_level_names_default_and_must_fit_the_level(tmp_path):
    data = copy.deepcopy(base_policy())
    del data["level_name"]
    assert load_policy_file(write_policy(tmp_path, data)).level_name == "市级"
    data.update(level="provincial", level_name="自治区级")
    assert load_policy_file(write_policy(tmp_path, data)).level_name == "自治区级"
    data.update(level="regional", level_name="直辖市级")  # the older name of provincial
    assert load_policy_file(write_policy(tmp_path, data)).level == "provincial"
    data.update(level="county", level_name="市级")
    with pytest.raises(PolicyError, match="县级、区级、旗级"):
        load_policy_file(write_policy(tmp_path, data))


def test_two_user_files_with_one_id_name_both_files(tmp_path):
    folder = tmp_path / "policies"
    folder.mkdir()
    first = write_policy(folder, base_policy(), "a.yaml")
    second = write_policy(tmp_path, base_policy(), "b.yaml")
    with pytest.raises(PolicyError) as info:
        load_registry([folder], [second])  # a PARKEVAL_POLICY_PATH directory and --policy-file
    assert str(first) in str(info.value) and str(second) in str(info.value)
    # the same file named twice is one file
    assert "zz-2030" in load_registry([folder], [first]).policies


# --------------------------------------------------------------------------- what rules read

DAY = dt.date(2024, 12, 31)


def _policy(tmp_path: Path, **criterion) -> object:
    data = copy.deepcopy(base_policy())
    data["criteria"] = [{"id": "c", "article": "第三条", "title": "条件", "op": ">=", **criterion}]
    return load_policy_file(write_policy(tmp_path, data))


def _tenant(n: int, hr_class: str, **kw) -> TenantFacts:
    return TenantFacts(
        f"T{n:017d}",
        f"机构{n}",
        kw.get("site", "core"),
        hr_class,
        kw.get("leased", Decimal(100)),
        dt.date(2020, 1, 1),
        None,
        kw.get("revenue", {}),
    )


def _status(policy, sites, tenants, *, year=2024, as_of=DAY) -> tuple[str, object]:
    facts = ParkFacts("p", "园区", tuple(sites), tuple(tenants))
    row = evaluate(policy, facts, year=year, as_of=as_of).criteria[0]
    return row.status, row


def test_a_missing_kind_of_area_is_unknown_never_a_pass(tmp_path):
    usable = _policy(
        tmp_path,
        wording="使用面积不少于2000平方米",
        metric="area",
        area_kind="usable",
        threshold=2000,
    )
    building_only = [SiteFacts("core", "核心园区", "core", Decimal(9000))]
    status, row = _status(usable, building_only, [])
    assert status == "unknown" and "使用面积" in row.gap
    given = [SiteFacts("core", "核心园区", "core", Decimal(9000), usable_area=Decimal(2000))]
    assert _status(usable, given, [])[0] == "pass"
    # park-wide: a branch without the kind leaves a lower bound that may already suffice
    part = [*given, SiteFacts("b1", "分园", "branch", Decimal(500))]
    assert _status(usable, part, [])[0] == "pass"
    small = [SiteFacts("core", "核心", "core", None, usable_area=Decimal(1999)), part[1]]
    assert _status(usable, small, [])[0] == "unknown"


def test_occupancy_of_usable_area(tmp_path):
    occ = _policy(
        tmp_path,
        wording="入驻面积达到使用面积的70%以上",
        metric="occupancy",
        area_kind="usable",
        threshold="70%",
    )
    site = [SiteFacts("core", "核心园区", "core", Decimal(10000), usable_area=Decimal(1000))]
    assert _status(occ, site, [_tenant(i, "none") for i in range(7)])[0] == "pass"  # 700/1000
    assert _status(occ, site, [_tenant(i, "none") for i in range(6)])[0] == "fail"
    no_usable = [SiteFacts("core", "核心园区", "core", Decimal(10000))]
    assert _status(occ, no_usable, [_tenant(0, "none")])[0] == "unknown"


def test_which_institutions_count_and_a_class_left_unsaid(tmp_path):
    licensed = _policy(
        tmp_path,
        wording="持许可证的机构不少于3家",
        metric="hr_institutions",
        classes=["licensed"],
        threshold=3,
    )
    site = [SiteFacts("core", "核心园区", "core", Decimal(5000))]

    def status(*classes: str) -> str:
        return _status(licensed, site, [_tenant(i, c) for i, c in enumerate(classes)])[0]

    assert status("licensed", "licensed", "licensed") == "pass"
    assert status("licensed", "licensed", "filed", "public", "none") == "fail"
    # 许可证或备案, not said which: 2 surely + 1 maybe → cannot be decided ...
    assert status("licensed", "licensed", "licensed_or_filed") == "unknown"
    # ... unless even counting every such one falls short (a fail), or the sure ones suffice
    assert status("licensed", "licensed_or_filed") == "fail"
    assert status("licensed", "licensed", "licensed", "licensed_or_filed") == "pass"
    both = _policy(tmp_path, wording="机构不少于3家", metric="hr_institutions", threshold=3)
    many = [_tenant(i, "licensed_or_filed") for i in range(3)]
    assert _status(both, site, many)[0] == "pass"  # the default: 许可证 or 备案
    assert _status(both, site, [_tenant(i, "public") for i in range(5)])[0] == "fail"


@pytest.mark.parametrize(
    ("end", "years", "as_of", "expected"),
    [
        ("year", 1, dt.date(2024, 12, 31), (2024,)),
        ("year_before_as_of", 1, dt.date(2025, 3, 1), (2024,)),
        ("year_before_as_of", 1, dt.date(2024, 12, 31), (2023,)),  # 上年度 of a 2024 date
        ("last_complete_year", 1, dt.date(2024, 12, 31), (2024,)),
        ("last_complete_year", 1, dt.date(2025, 6, 30), (2024,)),
        ("last_complete_year", 3, dt.date(2025, 6, 30), (2022, 2023, 2024)),
    ],
)
def test_revenue_periods_name_their_years(end, years, as_of, expected):
    combine = "sum" if years > 1 else None
    period = RevenuePeriod(end=end, years=years, combine=combine)
    assert period_years(period, 2024, as_of) == expected


def test_an_average_over_years_and_the_years_in_the_result(tmp_path):
    avg = _policy(
        tmp_path,
        wording="近三年平均营业收入不低于1000万元",
        metric="revenue",
        threshold="1000万",
        period={"end": "last_complete_year", "years": 3, "combine": "average"},
    )
    site = [SiteFacts("core", "核心园区", "core", Decimal(5000))]
    revenue = {2022: Decimal(500_0000), 2023: Decimal(1000_0000), 2024: Decimal(1500_0000)}
    status, row = _status(
        avg, site, [_tenant(0, "none", revenue=revenue)], as_of=dt.date(2025, 5, 1)
    )
    assert status == "pass" and row.revenue_years == [2022, 2023, 2024]
    revenue[2024] -= 3  # the average is 1 元 short
    status, row = _status(
        avg, site, [_tenant(0, "none", revenue=revenue)], as_of=dt.date(2025, 5, 1)
    )
    assert status == "fail" and "2022–2024年平均营业收入差" in row.gap


# --------------------------------------------------------------------------- one tenant less

CLASSES = st.sampled_from(["licensed", "filed", "licensed_or_filed", "public", "none"])
DAYS = st.dates(dt.date(2021, 1, 1), dt.date(2025, 12, 31))


@st.composite
def tenants(draw):
    n = draw(st.integers(1, 8))
    out = []
    for i in range(n):
        move_in = draw(DAYS)
        move_out = draw(st.none() | DAYS.filter(lambda d, m=move_in: d > m))
        out.append(
            TenantFacts(
                f"T{i:017d}",
                f"机构{i}",
                draw(st.sampled_from(["core", "b1"])),
                draw(CLASSES),
                draw(st.none() | st.decimals(0, 500, places=2)),
                move_in,
                move_out,
                draw(
                    st.dictionaries(
                        st.integers(2022, 2025), st.decimals(0, 10**9, places=2), max_size=4
                    )
                ),
            )
        )
    return out


@settings(max_examples=200, deadline=None)
@given(tenants(), DAYS, st.data())
def test_taking_one_tenant_off_a_tally_equals_summing_the_others(rows, as_of, data):
    years = (2022, 2023, 2024, 2025)
    gone = data.draw(st.sampled_from(rows))
    whole = tally_tenants(rows, as_of=as_of, years=years)
    rest = [t for t in rows if t is not gone]
    assert tally_without(whole, gone) == tally_tenants(rest, as_of=as_of, years=years)


# 不足/少于/未满/小于 exclude the number, 以内/不大于 include it, 大于 excludes it, 不小于
# includes it (DOMAIN.md; 民法典 第一千二百五十九条): (wording, the op it means, includes 10?)
COMPARISON_WORDS = {
    "不足": ("入驻机构不足10家", "<", False),
    "少于": ("入驻机构少于10家", "<", False),
    "未满": ("入驻机构未满10家", "<", False),
    "小于": ("入驻机构小于10家", "<", False),
    "以内": ("入驻机构10家以内", "<=", True),
    "不大于": ("入驻机构不大于10家", "<=", True),
    "大于": ("入驻机构大于10家", ">", False),
    "不小于": ("入驻机构不小于10家", ">=", True),
}


@pytest.mark.parametrize("word", list(COMPARISON_WORDS))
def test_each_comparison_word_means_its_operator(tmp_path, word):
    from parkeval.policy.vocabulary import compare

    wording, op, inclusive = COMPARISON_WORDS[word]
    data = _criterion(wording=wording, metric="hr_institutions", op=op, threshold=10)
    c = load_policy_file(write_policy(tmp_path, data)).criteria[0]
    assert compare(10, c.op, c.threshold) is inclusive  # the number itself
    assert compare(9, c.op, c.threshold) is (op in ("<", "<="))
    for wrong in {">=", ">", "<=", "<"} - {op}:
        data = _criterion(wording=wording, metric="hr_institutions", op=wrong, threshold=10)
        with pytest.raises(PolicyError) as info:
            load_policy_file(write_policy(tmp_path, data))
        assert f"op “{wrong}” 与原文用语 “{word}”（{op}）不一致" in str(info.value)


def test_a_word_reads_its_number_not_another_threshold(tmp_path):
    """The reviewer's case: 不足10家 with op >= and threshold 2 is refused twice over."""
    data = _criterion(wording="入驻机构不足10家", metric="hr_institutions", op=">=", threshold=2)
    with pytest.raises(PolicyError) as info:
        load_policy_file(write_policy(tmp_path, data))
    assert "与原文用语 “不足”" in str(info.value) and "10家" in str(info.value)


@pytest.mark.parametrize(
    ("wording", "value"),
    [("建筑面积不少于5千平方米", 5000), ("年营业收入不低于3千万元", 30_000_000)],
)
def test_a_digit_with_a_chinese_scale_is_read_whole(tmp_path, wording, value):
    metric = "revenue" if "元" in wording else "building_area"
    data = _criterion(wording=wording, metric=metric, threshold=value)
    assert load_policy_file(write_policy(tmp_path, data)).criteria[0].threshold == value
    with pytest.raises(PolicyError):
        load_policy_file(
            write_policy(tmp_path, _criterion(wording=wording, metric=metric, threshold=1000))
        )
