"""Importing dossiers: exact values, re-import replaces, and every bad input writes nothing."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from conftest import make_credit_code, make_dossier, make_tenant
from sqlalchemy import select
from sqlalchemy.orm import Session

from parkeval.app.dossiers import import_files
from parkeval.app.parks import show_park
from parkeval.cli import app
from parkeval.errors import InputError
from parkeval.store.tables import Park, TenantRevenue


@pytest.fixture(autouse=True)
def wide_console(monkeypatch):
    monkeypatch.setenv("COLUMNS", "1000")  # error panels must not wrap long paths


def invoke(runner, *args):
    result = runner.invoke(app, [str(a) for a in args])
    assert "Traceback" not in result.output + result.stderr, result.output + result.stderr
    return result


def parks_json(runner):
    result = invoke(runner, "parks", "--json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def show_json(runner, code):
    result = invoke(runner, "show", code, "--json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout, parse_float=Decimal)


def park_id(settings, code):
    with Session(settings.database) as session:
        return session.execute(select(Park.id).where(Park.code == code)).scalar_one()


# --------------------------------------------------------------------------- valid imports


@pytest.mark.parametrize("name", ["park.yaml", "park.yml", "park.json"])
def test_valid_dossier_imports(runner, write_dossier, name):
    path = write_dossier(make_dossier(code="nn-hr"), name)
    result = invoke(runner, "import", path)
    assert result.exit_code == 0, result.stderr
    assert "nn-hr" in result.stdout
    [row] = parks_json(runner)
    assert (row["code"], row["sites"], row["tenants"], row["revenue_years"]) == (
        "nn-hr",
        1,
        38,
        [2023, 2024],
    )
    detail = show_json(runner, "nn-hr")
    assert detail["sites"] == [
        {
            "code": "core",
            "name": "核心园区",
            "role": "core",
            "building_area_m2": 6000,
            "usable_area_m2": None,
            "property_area_m2": None,
            "rented_area_m2": None,
        }
    ]
    assert detail["revenue_by_year"] == {"2023": 38 * 15_000_000, "2024": 38 * 17_000_000}
    assert len(detail["attestations"]) == 9


def test_institution_classes_and_area_kinds_are_stored_and_read_back(settings, write_dossier):
    tenants = [
        make_tenant(0, hr_service=None, hr_class="经营性（许可证）"),
        make_tenant(1, hr_service=None, hr_class="filed"),
        make_tenant(2, hr_service=None, hr_class="公共"),
        make_tenant(3),  # hr_service: true, no class: a 许可证 or a 备案, not said which
        make_tenant(4, hr_service=False),
        make_tenant(5, hr_service=True, hr_class="经营性（备案）"),  # both, agreeing
        make_tenant(6, hr_service=False, hr_class="公共"),  # a public one holds neither
    ]
    sites = [
        {"code": "core", "name": "核心园区", "role": "core", "usable_area_m2": "4500.5"},
        {
            "code": "b1",
            "name": "分园",
            "role": "branch",
            "building_area_m2": 3000,
            "property_area_m2": 2800,
            "rented_area_m2": 200,
        },
    ]
    path = write_dossier(make_dossier(code="kinds", tenants=tenants, sites=sites))
    import_files(settings, [path])
    detail = show_park(settings, "kinds")
    assert [t.hr_class for t in detail.tenants] == [
        "licensed",
        "filed",
        "public",
        "licensed_or_filed",
        "none",
        "filed",
        "public",
    ]
    assert [t.hr_service for t in detail.tenants] == [True, True, True, True, False, True, True]
    core, b1 = detail.sites
    assert (core.building_area_m2, core.usable_area_m2) == (None, Decimal("4500.5"))
    assert (b1.building_area_m2, b1.property_area_m2, b1.rented_area_m2) == (3000, 2800, 200)


def test_import_via_services_returns_a_summary(settings, write_dossier):
    path = write_dossier(make_dossier(code="svc", hr=3, others=1))
    [summary] = import_files(settings, [path])
    assert (
        summary.park,
        summary.replaced,
        summary.sites,
        summary.tenants,
        summary.revenue_rows,
    ) == ("svc", False, 1, 4, 8)
    assert show_park(settings, "svc").tenants[0].credit_code == make_credit_code(0)


def test_money_in_words_is_stored_exactly(runner, settings, write_dossier):
    tenants = [
        make_tenant(0, revenue={2021: "5亿", 2022: "5000万", 2023: "1.2亿元", 2024: "12,345.67"}),
        make_tenant(1, revenue={2024: "１２，３４５．６７", 2023: 32000000, 2022: "0.01"}),
    ]
    path = write_dossier(make_dossier(code="money", tenants=tenants))
    assert invoke(runner, "import", path).exit_code == 0
    detail = show_json(runner, "money")
    assert detail["tenants"][0]["revenue"] == {
        "2021": 500_000_000,
        "2022": 50_000_000,
        "2023": 120_000_000,
        "2024": Decimal("12345.67"),
    }
    assert detail["tenants"][1]["revenue"] == {
        "2022": Decimal("0.01"),
        "2023": 32_000_000,
        "2024": Decimal("12345.67"),
    }
    assert detail["revenue_by_year"]["2024"] == Decimal("24691.34")
    with Session(settings.database) as session:
        amounts = (
            session.execute(select(TenantRevenue.amount_yuan).where(TenantRevenue.year == 2024))
            .scalars()
            .all()
        )
    assert sorted(amounts) == [Decimal("12345.67"), Decimal("12345.67")]
    assert all(isinstance(a, Decimal) for a in amounts)


def test_reimport_replaces_what_the_dossier_carries_and_keeps_the_park_id(
    runner, settings, write_dossier
):
    first = make_dossier(code="re", hr=5, others=0)
    assert invoke(runner, "import", write_dossier(first, "v1.yaml")).exit_code == 0
    original_id = park_id(settings, "re")

    second = make_dossier(code="re", hr=0, others=0)
    second["park"]["name"] = "更名后的产业园"
    second["sites"].append(
        {"code": "b1", "name": "分园", "role": "branch", "building_area_m2": "2,500"}
    )
    second["tenants"] = [
        make_tenant(50, site="b1", leased_area_m2=80, revenue={2025: "2亿"}),
        make_tenant(2, revenue={}),
    ]  # tenant 2 stays, with no revenue any more
    second["attestations"] = {
        "gx_operations": {"met": False, "evidence": None, "note": "运营公司更换中"}
    }
    result = invoke(runner, "import", write_dossier(second, "v2.yaml"))
    assert result.exit_code == 0, result.stderr
    assert "已更新" in result.stdout

    assert park_id(settings, "re") == original_id
    detail = show_json(runner, "re")
    assert detail["name"] == "更名后的产业园" and detail["layout"] == "multi"
    assert [s["code"] for s in detail["sites"]] == ["core", "b1"]
    assert [t["credit_code"] for t in detail["tenants"]] == [
        make_credit_code(50),
        make_credit_code(2),
    ]
    assert detail["tenants"][0]["site"] == "b1"
    assert detail["revenue_by_year"] == {"2025": 200_000_000}
    assert detail["attestations"] == {
        "gx_operations": {"met": False, "evidence": None, "note": "运营公司更换中"}
    }
    assert len(parks_json(runner)) == 1


# --------------------------------------------------------------------------- bad inputs


def _with(fn, **kw):
    d = make_dossier(code="bad", hr=3, others=1, **kw)
    fn(d)
    return d


def _set_tenant(i, **values):
    return lambda d: d["tenants"][i].update(values)


OTHER_CODE = make_credit_code(0)
WRONG_CHECK = OTHER_CODE[:17] + ("0" if OTHER_CODE[17] != "0" else "1")

BAD_DOSSIERS = {
    "invalid credit code": (
        _with(_set_tenant(1, credit_code=WRONG_CHECK)),
        ["tenants[1].credit_code", "校验位", "GB 32100"],
    ),
    "forbidden letter in credit code": (
        _with(_set_tenant(1, credit_code="91450100MA5K0OOOO1")),
        ["tenants[1].credit_code", "不允许的字符"],
    ),
    "negative building area": (
        _with(lambda d: d["sites"][0].update(building_area_m2=-6000)),
        ["sites[0].building_area_m2", "负数"],
    ),
    "zero building area": (
        _with(lambda d: d["sites"][0].update(building_area_m2=0)),
        ["sites[0].building_area_m2", "大于 0"],
    ),
    "non-numeric building area": (
        _with(lambda d: d["sites"][0].update(building_area_m2="六千")),
        ["sites[0].building_area_m2", "平方米"],
    ),
    "negative leased area": (
        _with(_set_tenant(0, leased_area_m2="-5")),
        ["tenants[0].leased_area_m2", "负数"],
    ),
    "non-numeric money": (
        _with(_set_tenant(2, revenue={2024: "很多"})),
        ["tenants[2].revenue.2024", "金额"],
    ),
    "negative money": (
        _with(_set_tenant(2, revenue={2024: "-1万"})),
        ["tenants[2].revenue.2024", "负数"],
    ),
    "money with three decimals": (
        _with(_set_tenant(2, revenue={2024: "1.234"})),
        ["tenants[2].revenue.2024", "两位小数"],
    ),
    "bad revenue year": (
        _with(_set_tenant(2, revenue={"去年": 5})),
        ["tenants[2].revenue.去年", "年份"],
    ),
    "leased area larger than the site": (
        _with(_set_tenant(0, leased_area_m2="6000.01")),
        ["tenants[0].leased_area_m2", "大于", "6000"],
    ),
    "move-out before move-in": (
        _with(_set_tenant(0, move_in="2021-05-01", move_out="2021-04-30")),
        ["tenants[0].move_out", "应晚于", "2021-05-01"],
    ),
    "move-out on move-in day": (
        _with(_set_tenant(0, move_in="2021-05-01", move_out="2021-05-01")),
        ["tenants[0].move_out", "应晚于"],
    ),
    "bad date": (_with(_set_tenant(0, move_in="2021-02-30")), ["tenants[0].move_in", "YYYY-MM-DD"]),
    "tenant on unknown site": (_with(_set_tenant(3, site="b9")), ["tenants[3].site", "b9", "core"]),
    "same credit code twice": (
        _with(_set_tenant(1, credit_code=OTHER_CODE)),
        ["tenants[1].credit_code", OTHER_CODE, "两次"],
    ),
    "unknown top-level key": (
        _with(lambda d: d.update(certificates=[])),
        ["certificates", "未知", "tenants"],
    ),
    "unknown tenant field": (
        _with(_set_tenant(1, phone="0771-1234567")),
        ["tenants[1].phone", "未知的字段"],
    ),
    "unknown park field": (_with(lambda d: d["park"].update(area=5)), ["park.area", "未知的字段"]),
    "missing required field": (
        _with(lambda d: d["tenants"][0].pop("name")),
        ["tenants[0].name", "必填"],
    ),
    "hr_service not a yes/no": (
        _with(_set_tenant(0, hr_service="maybe")),
        ["tenants[0].hr_service", "是/否"],
    ),
    "unknown institution class": (
        _with(_set_tenant(0, hr_class="民办", hr_service=None)),
        ["tenants[0].hr_class", "经营性（许可证）", "公共人力资源服务机构"],
    ),
    "class and yes/no disagree": (
        _with(_set_tenant(0, hr_class="非人力资源服务机构")),  # hr_service: true as well
        ["tenants[0].hr_service", "不一致"],
    ),
    "neither class nor yes/no": (
        _with(_set_tenant(0, hr_service=None)),
        ["tenants[0].hr_class", "机构类别"],
    ),
    "a site with no area of any kind": (
        _with(lambda d: d["sites"][0].update(building_area_m2=None)),
        ["sites[0].building_area_m2", "至少填写一种面积"],
    ),
    "usable area larger than the building": (
        _with(lambda d: d["sites"][0].update(usable_area_m2=6000.5)),
        ["sites[0].usable_area_m2", "大于建筑面积"],
    ),
    "two core sites": (
        _with(
            lambda d: d["sites"].append(
                {"code": "c2", "name": "另一核心", "role": "core", "building_area_m2": 100}
            )
        ),
        ["sites", "核心园区"],
    ),
    "attestation met without evidence": (
        _with(lambda d: d["attestations"].update(gx_operations={"met": True})),
        ["attestations.gx_operations", "证明材料"],
    ),
}


@pytest.fixture
def base_imported(runner, write_dossier):
    """A database holding one good park, and a snapshot of what it shows."""
    assert (
        invoke(
            runner, "import", write_dossier(make_dossier(code="base", hr=2, others=0), "base.yaml")
        ).exit_code
        == 0
    )
    return parks_json(runner), show_json(runner, "base")


def assert_unchanged(runner, before):
    assert parks_json(runner) == before[0]
    assert show_json(runner, "base") == before[1]


def assert_refused(runner, path, needles, base_imported):
    """Importing ``path`` exits 2, names the file and each needle on stderr, and writes nothing."""
    result = invoke(runner, "import", path)
    assert result.exit_code == 2
    assert str(path) in result.stderr
    for needle in needles:
        assert needle in result.stderr, result.stderr
    assert_unchanged(runner, base_imported)


@pytest.mark.parametrize("case", list(BAD_DOSSIERS), ids=list(BAD_DOSSIERS))
def test_bad_dossier_is_refused_and_nothing_is_written(runner, write_dossier, base_imported, case):
    dossier, needles = BAD_DOSSIERS[case]
    path = write_dossier(dossier, "bad.yaml")
    assert_refused(runner, path, needles, base_imported)


@pytest.mark.parametrize(
    ("content", "needles"),
    [
        (b"", ["文件为空"]),
        (b"   \n\n", ["文件为空"]),
        (b"---\n", ["文件为空"]),
        (b"{}\n", ["文件为空"]),
        ("park: {code: gbk, name: 园区}\n".encode("gbk"), ["UTF-8"]),
        (b"park: {code: x, name: [unclosed\n", ["YAML", "行"]),
        (b"park:\n  code: a\n  code: b\n", ["重复的键", "code"]),
        (b"- a\n- b\n", ["顶层"]),
        (b"park: {code: x, name: y}\ntenants: 5\n", ["tenants", "列表"]),
    ],
)
def test_unreadable_yaml_is_refused_and_nothing_is_written(
    runner, tmp_path, base_imported, content, needles
):
    path = tmp_path / "broken.yaml"
    path.write_bytes(content)
    assert_refused(runner, path, needles, base_imported)


@pytest.mark.parametrize(
    ("content", "needles"),
    [
        (b"", ["文件为空"]),
        (b'{"park": ', ["JSON"]),
        (b'{"park": {"code": "a", "code": "b"}}', ["重复的键"]),
        (b"[]", ["文件为空"]),
    ],
)
def test_unreadable_json_is_refused(runner, tmp_path, base_imported, content, needles):
    path = tmp_path / "broken.json"
    path.write_bytes(content)
    assert_refused(runner, path, needles, base_imported)


def test_one_bad_file_means_nothing_from_the_good_one_is_written(
    runner, write_dossier, base_imported
):
    good = write_dossier(make_dossier(code="good"), "good.yaml")
    bad = write_dossier(BAD_DOSSIERS["tenant on unknown site"][0], "bad.yaml")
    for order in ((good, bad), (bad, good)):
        result = invoke(runner, "import", *order)
        assert result.exit_code == 2
        assert str(bad) in result.stderr and str(good) not in result.stderr
        assert_unchanged(runner, base_imported)
    assert invoke(runner, "show", "good").exit_code == 2


def test_all_problems_of_all_files_are_listed(runner, write_dossier, base_imported):
    a = write_dossier(
        _with(lambda d: (_set_tenant(0, leased_area_m2=-1)(d), _set_tenant(1, site="zz")(d))),
        "a.yaml",
    )
    b = write_dossier(
        _with(lambda d: d["sites"][0].update(building_area_m2="abc"))
        | {"park": {"code": "other", "name": "另一园区"}},
        "b.yaml",
    )
    result = invoke(runner, "import", a, b)
    assert result.exit_code == 2
    for needle in (
        f"{a} tenants[0].leased_area_m2",
        f"{a} tenants[1].site",
        f"{b} sites[0].building_area_m2",
    ):
        assert needle in result.stderr, result.stderr
    assert_unchanged(runner, base_imported)


def test_two_files_with_the_same_park_code_are_refused(runner, write_dossier, base_imported):
    a = write_dossier(make_dossier(code="twin"), "a.yaml")
    b = write_dossier(make_dossier(code="twin", hr=31), "b.json")
    result = invoke(runner, "import", a, b)
    assert result.exit_code == 2
    assert str(a) in result.stderr and str(b) in result.stderr and "twin" in result.stderr
    assert_unchanged(runner, base_imported)


def test_services_import_raises_input_error_and_writes_nothing(settings, write_dossier):
    good = write_dossier(make_dossier(code="good"), "good.yaml")
    bad = write_dossier(BAD_DOSSIERS["same credit code twice"][0], "bad.yaml")
    with pytest.raises(InputError) as info:
        import_files(settings, [good, bad])
    assert {p.where.split(" ")[0] for p in info.value.problems} == {str(bad)}
    assert import_files(settings, [good])[0].replaced is False  # nothing had been written


@pytest.mark.parametrize("path", ["missing.yaml", "notes.txt"])
def test_missing_or_unsupported_file(runner, tmp_path, path):
    target = tmp_path / path
    if target.suffix == ".txt":
        target.write_text("park: x", encoding="utf-8")
    result = invoke(runner, "import", target)
    assert result.exit_code == 2
    assert str(target) in result.stderr


def test_absurdly_large_amount_is_an_input_error(runner, write_dossier, base_imported):
    path = write_dossier(_with(_set_tenant(0, revenue={2024: "9" * 30})))
    result = invoke(runner, "import", path)
    assert result.exit_code == 2
    assert "tenants[0].revenue.2024" in result.stderr
    assert_unchanged(runner, base_imported)
